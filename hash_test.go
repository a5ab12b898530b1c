package psa_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log"
	"strings"
	"testing"

	"github.com/gopsa/psa"
)

// Helpers shared by the tests of the symmetric operations.

func symNew(t testing.TB) *psa.Crypto {
	t.Helper()
	c, err := psa.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func symHex(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

func symImport(t testing.TB, c *psa.Crypto, typ psa.KeyType, usage psa.KeyUsage, alg psa.Algorithm, key []byte) psa.KeyID {
	t.Helper()
	id, err := c.ImportKey(psa.Attributes{Type: typ, Usage: usage, Alg: alg}, key)
	if err != nil {
		t.Fatalf("import %v key: %v", typ, err)
	}
	return id
}

func symWant(t testing.TB, what string, err, want error) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("%s: err = %v, want %v", what, err, want)
	}
}

// symSplits calls f with every split of n bytes into two parts, and a few
// into three.
func symSplits(n int, f func(cuts []int)) {
	for i := 0; i <= n; i++ {
		f([]int{i})
	}
	for _, i := range []int{0, 1, n / 3} {
		for _, j := range []int{i, n / 2, n - 1} {
			if i <= j && j <= n && j >= 0 {
				f([]int{i, j})
			}
		}
	}
}

// symParts cuts b at cuts.
func symParts(b []byte, cuts []int) [][]byte {
	var parts [][]byte
	last := 0
	for _, c := range cuts {
		parts = append(parts, b[last:c])
		last = c
	}
	return append(parts, b[last:])
}

// Published hash vectors: FIPS 180-2 appendix examples (SHA-1, SHA-2),
// FIPS 202 / NIST examples (SHA3-256), RFC 1321 (MD5), the RIPEMD-160
// authors' page.
var hashVectors = []struct {
	alg  psa.Algorithm
	msg  string
	hash string
}{
	{psa.AlgSHA256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	{psa.AlgSHA256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	{psa.AlgSHA1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
	{psa.AlgSHA224, "abc", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"},
	{psa.AlgSHA384, "abc", "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
	{psa.AlgSHA512, "abc", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
	{psa.AlgSHA512_256, "abc", "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23"},
	{psa.AlgSHA3_256, "abc", "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"},
	{psa.AlgMD5, "abc", "900150983cd24fb0d6963f7d28e17f72"},
	{psa.AlgRIPEMD160, "abc", "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"},
}

func TestHashVectors(t *testing.T) {
	c := symNew(t)
	for _, v := range hashVectors {
		t.Run(v.alg.String(), func(t *testing.T) {
			msg, want := []byte(v.msg), symHex(v.hash)
			got, err := c.HashCompute(v.alg, msg, []byte{0xee})
			if err != nil || !bytes.Equal(got, append([]byte{0xee}, want...)) {
				t.Fatalf("HashCompute = %x, %v; want ee || %x", got, err, want)
			}
			symWant(t, "compare", c.HashCompare(v.alg, msg, want), nil)
			bad := bytes.Clone(want)
			bad[len(bad)-1] ^= 1
			symWant(t, "compare wrong", c.HashCompare(v.alg, msg, bad), psa.ErrInvalidSignature)
			symWant(t, "compare short", c.HashCompare(v.alg, msg, want[:len(want)-1]), psa.ErrInvalidSignature)

			// Every split of the message gives the same hash, through
			// Finish, Verify and a clone.
			var op, cl psa.HashOperation
			symSplits(len(msg), func(cuts []int) {
				symWant(t, "setup", c.HashSetup(&op, v.alg), nil)
				for i, p := range symParts(msg, cuts) {
					symWant(t, "update", op.Update(p), nil)
					if i == 0 {
						symWant(t, "clone", op.Clone(&cl), nil)
						symWant(t, "update clone", cl.Update(msg[len(p):]), nil)
						symWant(t, "verify clone", cl.Verify(want), nil)
					}
				}
				got, err := op.Finish(nil)
				if err != nil || !bytes.Equal(got, want) {
					t.Fatalf("split %v: Finish = %x, %v", cuts, got, err)
				}
			})
		})
	}
}

func TestHashSuspendResume(t *testing.T) {
	c := symNew(t)
	msg := bytes.Repeat([]byte("0123456789"), 30)
	for _, v := range []psa.Algorithm{psa.AlgSHA256, psa.AlgSHA512, psa.AlgSHA1, psa.AlgMD5} {
		want, err := c.HashCompute(v, msg, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, cut := range []int{0, 1, 63, 64, 65, 200} {
			var op psa.HashOperation
			symWant(t, "setup", c.HashSetup(&op, v), nil)
			symWant(t, "update", op.Update(msg[:cut]), nil)
			st, err := op.Suspend(nil)
			if errors.Is(err, psa.ErrNotSupported) {
				t.Skipf("%v: suspend not supported by the driver: %v", v, err)
			}
			symWant(t, "suspend", err, nil)
			symWant(t, "update after suspend", op.Update(nil), psa.ErrBadState)
			// Resume in another instance.
			c2 := symNew(t)
			var op2 psa.HashOperation
			symWant(t, "resume", c2.HashResume(&op2, st), nil)
			if op2.Alg() != v {
				t.Fatalf("resumed %v, want %v", op2.Alg(), v)
			}
			symWant(t, "update", op2.Update(msg[cut:]), nil)
			symWant(t, fmt.Sprintf("%v cut %d: verify", v, cut), op2.Verify(want), nil)
		}
	}
	var op psa.HashOperation
	symWant(t, "resume garbage", c.HashResume(&op, []byte{1, 2}), psa.ErrInvalidArgument)
	symWant(t, "resume of a MAC", c.HashResume(&op, []byte{0x03, 0x80, 0x00, 0x09, 0, 0, 0, 0, 0, 0, 0, 0}), psa.ErrInvalidArgument)
}

// TestHashStates: every call out of order is BAD_STATE and leaves the
// operation inactive, ready for reuse.
func TestHashStates(t *testing.T) {
	c := symNew(t)
	setup := func(t *testing.T, op *psa.HashOperation) { symWant(t, "setup", c.HashSetup(op, psa.AlgSHA256), nil) }
	cases := []struct {
		name   string
		active bool
		call   func(op *psa.HashOperation) error
	}{
		{"update", false, func(op *psa.HashOperation) error { return op.Update([]byte("x")) }},
		{"finish", false, func(op *psa.HashOperation) error { _, err := op.Finish(nil); return err }},
		{"verify", false, func(op *psa.HashOperation) error { return op.Verify(make([]byte, 32)) }},
		{"suspend", false, func(op *psa.HashOperation) error { _, err := op.Suspend(nil); return err }},
		{"clone", false, func(op *psa.HashOperation) error { var t psa.HashOperation; return op.Clone(&t) }},
		{"setup twice", true, func(op *psa.HashOperation) error { return c.HashSetup(op, psa.AlgSHA256) }},
		{"resume on active", true, func(op *psa.HashOperation) error {
			return c.HashResume(op, []byte{2, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var op psa.HashOperation
			if tc.active {
				setup(t, &op)
			}
			symWant(t, tc.name, tc.call(&op), psa.ErrBadState)
			if _, err := op.Finish(nil); !errors.Is(err, psa.ErrBadState) {
				t.Fatalf("after BAD_STATE the operation is still active (Finish: %v)", err)
			}
			symWant(t, "abort", op.Abort(), nil)
			setup(t, &op)
			sum := sha256.Sum256(nil)
			symWant(t, "reuse", op.Verify(sum[:]), nil)
		})
	}
	var op psa.HashOperation
	symWant(t, "setup with a MAC algorithm", c.HashSetup(&op, psa.AlgHMAC(psa.AlgSHA256)), psa.ErrInvalidArgument)
	symWant(t, "setup with a wildcard", c.HashSetup(&op, psa.AlgAnyHash), psa.ErrNotSupported) // a hash, but no specific one
	_, err := c.HashCompute(psa.AlgCTR, nil, nil)
	symWant(t, "compute with a cipher", err, psa.ErrInvalidArgument)
}

func ExampleCrypto_HashCompute() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	h, err := c.HashCompute(psa.AlgSHA256, []byte("abc"), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%x\n", h)
	fmt.Println(c.HashCompare(psa.AlgSHA256, []byte("abc"), h))
	// Output:
	// ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
	// <nil>
}

func ExampleCrypto_HashSetup() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	var op psa.HashOperation
	if err := c.HashSetup(&op, psa.AlgSHA256); err != nil {
		log.Fatal(err)
	}
	defer op.Abort() // releases the operation on an early return
	for _, part := range []string{"a", "b", "c"} {
		if err := op.Update([]byte(part)); err != nil {
			log.Fatal(err)
		}
	}
	h, err := op.Finish(nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%x\n", h)
	// Output:
	// ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
}

func BenchmarkHashCompute(b *testing.B) {
	c := symNew(b)
	for _, n := range []int{64, 16 << 10} {
		msg := make([]byte, n)
		dst := make([]byte, 0, 32)
		b.Run(fmt.Sprintf("alg=SHA-256/size=%d/impl=psa", n), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.HashCompute(psa.AlgSHA256, msg, dst); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("alg=SHA-256/size=%d/impl=stdlib", n), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				sha256.Sum256(msg)
			}
		})
	}
}

func BenchmarkHashMultipart(b *testing.B) {
	c := symNew(b)
	msg := make([]byte, 16<<10)
	dst := make([]byte, 0, 32)
	b.Run("alg=SHA-256/size=16384/impl=psa", func(b *testing.B) {
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		var op psa.HashOperation
		for b.Loop() {
			c.HashSetup(&op, psa.AlgSHA256)
			op.Update(msg)
			if _, err := op.Finish(dst); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("alg=SHA-256/size=16384/impl=stdlib", func(b *testing.B) {
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		for b.Loop() {
			h := sha256.New()
			h.Write(msg)
			h.Sum(dst)
		}
	})
}
