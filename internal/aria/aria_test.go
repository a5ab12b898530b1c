package aria

import (
	"bufio"
	"bytes"
	"crypto/cipher"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
)

// readVectors parses a testdata file of lines "name=hex name=hex ...";
// lines starting with # are comments.
func readVectors(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vs []map[string]string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		v := map[string]string{}
		for _, field := range strings.Fields(line) {
			k, val, ok := strings.Cut(field, "=")
			if !ok {
				t.Fatalf("%s: malformed field %q", path, field)
			}
			v[k] = val
		}
		vs = append(vs, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatalf("%s: no vectors", path)
	}
	return vs
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestVectors checks RFC 5794 appendix A and the official multi-block
// vectors; the CBC and CTR ones go through crypto/cipher's modes, which also
// shows the Block works as a standard cipher.Block.
func TestVectors(t *testing.T) {
	for _, v := range readVectors(t, "testdata/vectors.txt") {
		t.Run(v["src"], func(t *testing.T) {
			key, pt, ct := unhex(t, v["key"]), unhex(t, v["pt"]), unhex(t, v["ct"])
			c, err := NewCipher(key)
			if err != nil {
				t.Fatal(err)
			}
			enc := make([]byte, len(pt))
			dec := make([]byte, len(ct))
			switch v["mode"] {
			case "ecb":
				for i := 0; i < len(pt); i += BlockSize {
					c.Encrypt(enc[i:], pt[i:])
					c.Decrypt(dec[i:], ct[i:])
				}
			case "cbc":
				iv := unhex(t, v["iv"])
				cipher.NewCBCEncrypter(c, iv).CryptBlocks(enc, pt)
				cipher.NewCBCDecrypter(c, iv).CryptBlocks(dec, ct)
			case "ctr":
				iv := unhex(t, v["iv"])
				cipher.NewCTR(c, iv).XORKeyStream(enc, pt)
				cipher.NewCTR(c, iv).XORKeyStream(dec, ct)
			default:
				t.Fatalf("unknown mode %q", v["mode"])
			}
			if !bytes.Equal(enc, ct) {
				t.Errorf("encrypt = %x, want %x", enc, ct)
			}
			if !bytes.Equal(dec, pt) {
				t.Errorf("decrypt = %x, want %x", dec, pt)
			}
		})
	}
}

func TestInPlace(t *testing.T) {
	v := readVectors(t, "testdata/vectors.txt")[0]
	key, pt, ct := unhex(t, v["key"]), unhex(t, v["pt"]), unhex(t, v["ct"])
	c, _ := NewCipher(key)
	buf := bytes.Clone(pt)
	c.Encrypt(buf, buf)
	if !bytes.Equal(buf, ct) {
		t.Errorf("in-place Encrypt = %x, want %x", buf, ct)
	}
	c.Decrypt(buf, buf)
	if !bytes.Equal(buf, pt) {
		t.Errorf("in-place Decrypt = %x, want %x", buf, pt)
	}
}

func TestKeySize(t *testing.T) {
	for _, n := range []int{0, 1, 15, 17, 23, 25, 31, 33, 64} {
		_, err := NewCipher(make([]byte, n))
		var kse KeySizeError
		if !errors.As(err, &kse) || int(kse) != n {
			t.Errorf("NewCipher(%d bytes) error = %v, want KeySizeError(%d)", n, err, n)
		}
	}
}

func TestSBoxes(t *testing.T) {
	// Spot values of the AES S-box (FIPS 197 figure 7) check the derivation
	// of SB1; the permutation checks guard the inverses.
	for x, want := range map[byte]byte{0x00: 0x63, 0x01: 0x7c, 0x53: 0xed, 0xff: 0x16} {
		if sb1[x] != want {
			t.Errorf("sb1[%#x] = %#x, want %#x", x, sb1[x], want)
		}
	}
	for x := 0; x < 256; x++ {
		if sb3[sb1[x]] != byte(x) || sb4[sb2[x]] != byte(x) {
			t.Fatalf("sb3/sb4 are not the inverses of sb1/sb2 at %#x", x)
		}
	}
}

func TestDiffusionIsInvolution(t *testing.T) {
	var x [BlockSize]byte
	for i := range x {
		x[i] = byte(i*37 + 1)
	}
	y := x
	diffuse(&y)
	if y == x {
		t.Fatal("diffuse is the identity")
	}
	diffuse(&y)
	if y != x {
		t.Errorf("A(A(x)) = %x, want %x", y, x)
	}
}

func TestRoundTrip(t *testing.T) {
	for _, n := range []int{16, 24, 32} {
		key := make([]byte, n)
		for i := range key {
			key[i] = byte(i*11 + n)
		}
		c, _ := NewCipher(key)
		block := make([]byte, BlockSize)
		for i := 0; i < 1000; i++ {
			prev := bytes.Clone(block)
			c.Encrypt(block, block)
			back := make([]byte, BlockSize)
			c.Decrypt(back, block)
			if !bytes.Equal(back, prev) {
				t.Fatalf("key %d bytes, iteration %d: round trip %x != %x", n, i, back, prev)
			}
		}
	}
}

func TestShortBufferPanics(t *testing.T) {
	c, _ := NewCipher(make([]byte, 16))
	for name, f := range map[string]func(){
		"Encrypt short src": func() { c.Encrypt(make([]byte, 16), make([]byte, 15)) },
		"Encrypt short dst": func() { c.Encrypt(make([]byte, 15), make([]byte, 16)) },
		"Decrypt short src": func() { c.Decrypt(make([]byte, 16), make([]byte, 15)) },
		"Decrypt short dst": func() { c.Decrypt(make([]byte, 15), make([]byte, 16)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", name)
				}
			}()
			f()
		}()
	}
}

func TestConcurrent(t *testing.T) {
	v := readVectors(t, "testdata/vectors.txt")[2]
	key, pt, ct := unhex(t, v["key"]), unhex(t, v["pt"]), unhex(t, v["ct"])
	c, _ := NewCipher(key)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := make([]byte, BlockSize)
			for i := 0; i < 200; i++ {
				c.Encrypt(out, pt)
				if !bytes.Equal(out, ct) {
					t.Error("concurrent Encrypt mismatch")
					return
				}
			}
		}()
	}
	wg.Wait()
}

func benchmark(b *testing.B, keySize int, decrypt bool) {
	c, _ := NewCipher(make([]byte, keySize))
	buf := make([]byte, BlockSize)
	b.SetBytes(BlockSize)
	b.ReportAllocs()
	for b.Loop() {
		if decrypt {
			c.Decrypt(buf, buf)
		} else {
			c.Encrypt(buf, buf)
		}
	}
}

func BenchmarkEncrypt128(b *testing.B) { benchmark(b, 16, false) }
func BenchmarkEncrypt256(b *testing.B) { benchmark(b, 32, false) }
func BenchmarkDecrypt128(b *testing.B) { benchmark(b, 16, true) }

func BenchmarkNewCipher(b *testing.B) {
	key := make([]byte, 32)
	b.ReportAllocs()
	for b.Loop() {
		NewCipher(key)
	}
}
