package psa_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"log"
	"testing"

	"github.com/gopsa/psa"
)

// symAllUsage is every usage flag that an operation checks.
const symAllUsage = psa.UsageExport | psa.UsageCopy | psa.UsageEncrypt | psa.UsageDecrypt |
	psa.UsageSignMessage | psa.UsageVerifyMessage | psa.UsageSignHash | psa.UsageVerifyHash |
	psa.UsageDerive | psa.UsageWrap | psa.UsageUnwrap

// symWithout is every usage flag except flag and those that imply it.
func symWithout(flag psa.KeyUsage) psa.KeyUsage {
	u := symAllUsage &^ flag
	for f := psa.KeyUsage(1); f != 0; f <<= 1 {
		if u&f != 0 && f.WithImplied()&flag != 0 {
			u &^= f
		}
	}
	return u
}

// A symPolicyCase is one row of a policy matrix: an operation that needs
// the usage flags usage and runs with alg on a key of type typ.
type symPolicyCase struct {
	name  string
	typ   psa.KeyType
	key   []byte
	usage psa.KeyUsage
	alg   psa.Algorithm
	other psa.Algorithm // a permitted algorithm that does not permit alg
	run   func(c *psa.Crypto, key psa.KeyID, alg psa.Algorithm) error
}

// symPolicyMatrix runs each case with the right policy (success), with each
// needed usage flag missing, and with a policy for another algorithm (both
// NOT_PERMITTED).
func symPolicyMatrix(t *testing.T, cases []symPolicyCase) {
	c := symNew(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := symImport(t, c, tc.typ, tc.usage, tc.alg, tc.key)
			symWant(t, "right policy", tc.run(c, id, tc.alg), nil)
			for f := psa.KeyUsage(1); f != 0; f <<= 1 {
				if tc.usage&f == 0 {
					continue
				}
				id := symImport(t, c, tc.typ, symWithout(f), tc.alg, tc.key)
				symWant(t, fmt.Sprintf("without %v", f), tc.run(c, id, tc.alg), psa.ErrNotPermitted)
			}
			id = symImport(t, c, tc.typ, symAllUsage, tc.other, tc.key)
			symWant(t, fmt.Sprintf("policy %v", tc.other), tc.run(c, id, tc.alg), psa.ErrNotPermitted)
		})
	}
}

var (
	symHMAC256 = psa.AlgHMAC(psa.AlgSHA256)
	symHMAC512 = psa.AlgHMAC(psa.AlgSHA512)
)

// MAC vectors: RFC 4231 (HMAC-SHA-256/512, cases 1, 2 and the truncated
// case 5), RFC 4493 (AES-CMAC).
var macVectors = []struct {
	name string
	typ  psa.KeyType
	key  string
	alg  psa.Algorithm
	msg  string // hex
	mac  string
}{
	{"RFC 4231 1 SHA-256", psa.KeyTypeHMAC, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", symHMAC256, "4869205468657265",
		"b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
	{"RFC 4231 1 SHA-512", psa.KeyTypeHMAC, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", symHMAC512, "4869205468657265",
		"87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
	{"RFC 4231 2 SHA-256", psa.KeyTypeHMAC, "4a656665", symHMAC256, "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
		"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
	{"RFC 4231 5 SHA-256/128", psa.KeyTypeHMAC, "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", psa.AlgTruncatedMAC(symHMAC256, 16),
		"546573742057697468205472756e636174696f6e", "a3b6167473100ee06e0c796c2955552b"},
	{"RFC 4493 empty", psa.KeyTypeAES, "2b7e151628aed2a6abf7158809cf4f3c", psa.AlgCMAC, "",
		"bb1d6929e95937287fa37d129b756746"},
	{"RFC 4493 16 bytes", psa.KeyTypeAES, "2b7e151628aed2a6abf7158809cf4f3c", psa.AlgCMAC, "6bc1bee22e409f96e93d7e117393172a",
		"070a16b46b4d4144f79bdd9dd04a287c"},
}

func TestMACVectors(t *testing.T) {
	c := symNew(t)
	for _, v := range macVectors {
		t.Run(v.name, func(t *testing.T) {
			id := symImport(t, c, v.typ, psa.UsageSignMessage|psa.UsageVerifyMessage, v.alg, symHex(v.key))
			msg, want := symHex(v.msg), symHex(v.mac)
			got, err := c.MACCompute(id, v.alg, msg, []byte{0xee})
			if err != nil || !bytes.Equal(got, append([]byte{0xee}, want...)) {
				t.Fatalf("MACCompute = %x, %v; want ee || %x", got, err, want)
			}
			symWant(t, "verify", c.MACVerify(id, v.alg, msg, want), nil)
			bad := bytes.Clone(want)
			bad[0] ^= 0x80
			symWant(t, "verify wrong", c.MACVerify(id, v.alg, msg, bad), psa.ErrInvalidSignature)
			symWant(t, "verify short", c.MACVerify(id, v.alg, msg, want[:len(want)-1]), psa.ErrInvalidSignature)

			var op psa.MACOperation
			symSplits(len(msg), func(cuts []int) {
				symWant(t, "sign setup", c.MACSignSetup(&op, id, v.alg), nil)
				for _, p := range symParts(msg, cuts) {
					symWant(t, "update", op.Update(p), nil)
				}
				got, err := op.SignFinish(nil)
				if err != nil || !bytes.Equal(got, want) {
					t.Fatalf("split %v: SignFinish = %x, %v", cuts, got, err)
				}
				symWant(t, "verify setup", c.MACVerifySetup(&op, id, v.alg), nil)
				for _, p := range symParts(msg, cuts) {
					symWant(t, "update", op.Update(p), nil)
				}
				symWant(t, "verify finish", op.VerifyFinish(want), nil)
			})
			symWant(t, "verify setup", c.MACVerifySetup(&op, id, v.alg), nil)
			symWant(t, "update", op.Update(msg), nil)
			symWant(t, "verify finish wrong", op.VerifyFinish(bad), psa.ErrInvalidSignature)
			symWant(t, "abort after failed verify", op.Abort(), nil)
		})
	}
}

func TestMACPolicy(t *testing.T) {
	key := bytes.Repeat([]byte{0x42}, 32)
	trunc := psa.AlgTruncatedMAC(symHMAC256, 20)
	symPolicyMatrix(t, []symPolicyCase{
		{"compute", psa.KeyTypeHMAC, key, psa.UsageSignMessage, symHMAC256, symHMAC512,
			func(c *psa.Crypto, k psa.KeyID, alg psa.Algorithm) error {
				_, err := c.MACCompute(k, alg, []byte("m"), nil)
				return err
			}},
		{"compute truncated", psa.KeyTypeHMAC, key, psa.UsageSignMessage, trunc, psa.AlgTruncatedMAC(symHMAC256, 16),
			func(c *psa.Crypto, k psa.KeyID, alg psa.Algorithm) error {
				_, err := c.MACCompute(k, alg, []byte("m"), nil)
				return err
			}},
		{"verify", psa.KeyTypeHMAC, key, psa.UsageVerifyMessage, symHMAC256, symHMAC512,
			func(c *psa.Crypto, k psa.KeyID, alg psa.Algorithm) error {
				mac, err := symMACOf(alg)
				if err != nil {
					return err
				}
				return c.MACVerify(k, alg, []byte("m"), mac)
			}},
		{"sign multi-part", psa.KeyTypeAES, key[:16], psa.UsageSignMessage, psa.AlgCMAC, psa.AlgCBCMAC,
			func(c *psa.Crypto, k psa.KeyID, alg psa.Algorithm) error {
				var op psa.MACOperation
				if err := c.MACSignSetup(&op, k, alg); err != nil {
					return err
				}
				if err := op.Update([]byte("m")); err != nil {
					return err
				}
				_, err := op.SignFinish(nil)
				return err
			}},
		{"verify multi-part", psa.KeyTypeHMAC, key, psa.UsageVerifyMessage, symHMAC256, psa.AlgAtLeastThisLengthMAC(symHMAC512, 32),
			func(c *psa.Crypto, k psa.KeyID, alg psa.Algorithm) error {
				mac, err := symMACOf(alg)
				if err != nil {
					return err
				}
				var op psa.MACOperation
				if err := c.MACVerifySetup(&op, k, alg); err != nil {
					return err
				}
				if err := op.Update([]byte("m")); err != nil {
					return err
				}
				return op.VerifyFinish(mac)
			}},
	})
}

// symMACOf computes the expected HMAC-SHA-256 of "m" under the 32-byte 0x42
// key with a separate instance, for the verify rows of the policy matrix.
func symMACOf(alg psa.Algorithm) ([]byte, error) {
	c, err := psa.New()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	id, err := c.ImportKey(psa.Attributes{Type: psa.KeyTypeHMAC, Usage: psa.UsageSignMessage, Alg: alg}, bytes.Repeat([]byte{0x42}, 32))
	if err != nil {
		return nil, err
	}
	return c.MACCompute(id, alg, []byte("m"), nil)
}

// TestMACAtLeastPolicy: a key whose policy is "at least n bytes" of a MAC
// computes any truncation of n bytes or more, and no shorter one.
func TestMACAtLeastPolicy(t *testing.T) {
	c := symNew(t)
	id := symImport(t, c, psa.KeyTypeHMAC, psa.UsageSignMessage, psa.AlgAtLeastThisLengthMAC(symHMAC256, 20), []byte("key"))
	for _, tc := range []struct {
		alg  psa.Algorithm
		want error
	}{
		{symHMAC256, nil},
		{psa.AlgTruncatedMAC(symHMAC256, 20), nil},
		{psa.AlgTruncatedMAC(symHMAC256, 24), nil},
		{psa.AlgTruncatedMAC(symHMAC256, 19), psa.ErrNotPermitted},
		{psa.AlgAtLeastThisLengthMAC(symHMAC256, 20), psa.ErrInvalidArgument},
		{psa.AlgSHA256, psa.ErrInvalidArgument},
	} {
		mac, err := c.MACCompute(id, tc.alg, []byte("m"), nil)
		symWant(t, tc.alg.String(), err, tc.want)
		if tc.want == nil && len(mac) != psa.MACLength(psa.KeyTypeHMAC, 24, tc.alg) {
			t.Errorf("%v: %d-byte MAC", tc.alg, len(mac))
		}
	}
}

func TestMACStates(t *testing.T) {
	c := symNew(t)
	id := symImport(t, c, psa.KeyTypeHMAC, psa.UsageSignMessage|psa.UsageVerifyMessage, symHMAC256, []byte("key"))
	sign := func(op *psa.MACOperation) error { return c.MACSignSetup(op, id, symHMAC256) }
	verify := func(op *psa.MACOperation) error { return c.MACVerifySetup(op, id, symHMAC256) }
	cases := []struct {
		name  string
		setup func(op *psa.MACOperation) error
		call  func(op *psa.MACOperation) error
	}{
		{"update inactive", nil, func(op *psa.MACOperation) error { return op.Update(nil) }},
		{"sign finish inactive", nil, func(op *psa.MACOperation) error { _, err := op.SignFinish(nil); return err }},
		{"verify finish inactive", nil, func(op *psa.MACOperation) error { return op.VerifyFinish(nil) }},
		{"setup twice", sign, verify},
		{"sign finish of a verify", verify, func(op *psa.MACOperation) error { _, err := op.SignFinish(nil); return err }},
		{"verify finish of a sign", sign, func(op *psa.MACOperation) error { return op.VerifyFinish(make([]byte, 32)) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var op psa.MACOperation
			if tc.setup != nil {
				symWant(t, "setup", tc.setup(&op), nil)
			}
			symWant(t, tc.name, tc.call(&op), psa.ErrBadState)
			symWant(t, "inactive afterwards", op.Update(nil), psa.ErrBadState)
			symWant(t, "abort", op.Abort(), nil)
			symWant(t, "reuse", sign(&op), nil)
			_, err := op.SignFinish(nil)
			symWant(t, "reuse finish", err, nil)
		})
	}
	var op psa.MACOperation
	symWant(t, "setup with a hash", c.MACSignSetup(&op, id, psa.AlgSHA256), psa.ErrInvalidArgument)
	symWant(t, "setup with a wildcard", c.MACSignSetup(&op, id, psa.AlgAtLeastThisLengthMAC(symHMAC256, 16)), psa.ErrInvalidArgument)
	symWant(t, "setup with no key", c.MACSignSetup(&op, 0x3fff0000, symHMAC256), psa.ErrInvalidHandle)

	// Destroying the key makes the operation fail.
	symWant(t, "setup", sign(&op), nil)
	symWant(t, "update", op.Update([]byte("a")), nil)
	symWant(t, "destroy", c.DestroyKey(id), nil)
	symWant(t, "update after destroy", op.Update([]byte("b")), psa.ErrInvalidHandle)
	symWant(t, "inactive afterwards", op.Update(nil), psa.ErrBadState)
}

func ExampleCrypto_MACCompute() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	alg := psa.AlgHMAC(psa.AlgSHA256)
	key, err := c.ImportKey(psa.Attributes{
		Type:  psa.KeyTypeHMAC,
		Usage: psa.UsageSignMessage | psa.UsageVerifyMessage,
		Alg:   alg,
	}, []byte("Jefe"))
	if err != nil {
		log.Fatal(err)
	}
	msg := []byte("what do ya want for nothing?")
	mac, err := c.MACCompute(key, alg, msg, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%x\n", mac)
	fmt.Println(c.MACVerify(key, alg, msg, mac))
	// Output:
	// 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843
	// <nil>
}

func ExampleCrypto_MACVerifySetup() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	key, err := c.ImportKey(psa.Attributes{
		Type:  psa.KeyTypeAES,
		Usage: psa.UsageVerifyMessage,
		Alg:   psa.AlgCMAC,
	}, symHex("2b7e151628aed2a6abf7158809cf4f3c"))
	if err != nil {
		log.Fatal(err)
	}
	var op psa.MACOperation
	if err := c.MACVerifySetup(&op, key, psa.AlgCMAC); err != nil {
		log.Fatal(err)
	}
	defer op.Abort()
	msg := symHex("6bc1bee22e409f96e93d7e117393172a")
	for len(msg) > 0 {
		if err := op.Update(msg[:4]); err != nil {
			log.Fatal(err)
		}
		msg = msg[4:]
	}
	err = op.VerifyFinish(symHex("070a16b46b4d4144f79bdd9dd04a287c"))
	fmt.Println(err)
	// Output:
	// <nil>
}

func BenchmarkMACCompute(b *testing.B) {
	c := symNew(b)
	key := bytes.Repeat([]byte{1}, 32)
	id := symImport(b, c, psa.KeyTypeHMAC, psa.UsageSignMessage, symHMAC256, key)
	msg := make([]byte, 1024)
	dst := make([]byte, 0, 32)
	b.Run("alg=HMAC-SHA-256/size=1024/impl=psa", func(b *testing.B) {
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.MACCompute(id, symHMAC256, msg, dst); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("alg=HMAC-SHA-256/size=1024/impl=stdlib", func(b *testing.B) {
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		for b.Loop() {
			m := hmac.New(sha256.New, key)
			m.Write(msg)
			m.Sum(dst)
		}
	})
}
