package camellia

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

func TestVectors(t *testing.T) {
	for _, v := range readVectors(t, "testdata/ecb.txt") {
		t.Run(v["src"], func(t *testing.T) {
			key, pt, ct := unhex(t, v["key"]), unhex(t, v["pt"]), unhex(t, v["ct"])
			c, err := NewCipher(key)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]byte, BlockSize)
			c.Encrypt(got, pt)
			if !bytes.Equal(got, ct) {
				t.Errorf("Encrypt = %x, want %x", got, ct)
			}
			c.Decrypt(got, ct)
			if !bytes.Equal(got, pt) {
				t.Errorf("Decrypt = %x, want %x", got, pt)
			}
			// In place, as cipher.Block allows.
			buf := bytes.Clone(pt)
			c.Encrypt(buf, buf)
			if !bytes.Equal(buf, ct) {
				t.Errorf("in-place Encrypt = %x, want %x", buf, ct)
			}
			c.Decrypt(buf, buf)
			if !bytes.Equal(buf, pt) {
				t.Errorf("in-place Decrypt = %x, want %x", buf, pt)
			}
		})
	}
}

// TestCBC runs the published CBC vectors through crypto/cipher's CBC mode,
// which checks that the Block is usable as a standard cipher.Block.
func TestCBC(t *testing.T) {
	for _, v := range readVectors(t, "testdata/cbc.txt") {
		t.Run(v["src"], func(t *testing.T) {
			key, iv, pt, ct := unhex(t, v["key"]), unhex(t, v["iv"]), unhex(t, v["pt"]), unhex(t, v["ct"])
			c, err := NewCipher(key)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]byte, len(pt))
			cipher.NewCBCEncrypter(c, iv).CryptBlocks(got, pt)
			if !bytes.Equal(got, ct) {
				t.Errorf("CBC encrypt = %x, want %x", got, ct)
			}
			cipher.NewCBCDecrypter(c, iv).CryptBlocks(got, ct)
			if !bytes.Equal(got, pt) {
				t.Errorf("CBC decrypt = %x, want %x", got, pt)
			}
		})
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
	for _, n := range []int{16, 24, 32} {
		c, err := NewCipher(make([]byte, n))
		if err != nil || c.BlockSize() != BlockSize {
			t.Errorf("NewCipher(%d bytes) = %v, %v", n, c, err)
		}
	}
}

func TestSBoxIsPermutation(t *testing.T) {
	var seen [256]bool
	for _, v := range sbox1 {
		if seen[v] {
			t.Fatalf("sbox1 repeats %#x", v)
		}
		seen[v] = true
	}
}

// TestRoundTrip checks Decrypt(Encrypt(x)) == x on a chain of blocks for
// every key size, which exercises the reversed decryption schedule on
// many more inputs than the published vectors.
func TestRoundTrip(t *testing.T) {
	for _, n := range []int{16, 24, 32} {
		key := make([]byte, n)
		for i := range key {
			key[i] = byte(i*7 + n)
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
	v := readVectors(t, "testdata/ecb.txt")[0]
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
