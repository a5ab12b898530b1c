package cmac

import (
	"bufio"
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"encoding/hex"
	"errors"
	"os"
	"strings"
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

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newBlock(t testing.TB, name string, key []byte) cipher.Block {
	t.Helper()
	var b cipher.Block
	var err error
	switch name {
	case "aes":
		b, err = aes.NewCipher(key)
	case "tdes":
		b, err = des.NewTripleDESCipher(key)
	default:
		t.Fatalf("unknown cipher %q", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCMACVectors(t *testing.T) {
	for _, v := range readVectors(t, "testdata/cmac.txt") {
		t.Run(v["src"], func(t *testing.T) {
			b := newBlock(t, v["cipher"], unhex(t, v["key"]))
			msg, want := unhex(t, v["msg"]), unhex(t, v["tag"])
			h, err := New(b)
			if err != nil {
				t.Fatal(err)
			}
			if h.Size() != len(want) || h.BlockSize() != b.BlockSize() {
				t.Fatalf("Size, BlockSize = %d, %d; want %d, %d", h.Size(), h.BlockSize(), len(want), b.BlockSize())
			}
			// Every way of splitting the message in two writes, plus one
			// byte at a time, must give the same tag.
			for split := 0; split <= len(msg); split++ {
				h.Reset()
				h.Write(msg[:split])
				h.Write(msg[split:])
				if got := h.Sum(nil); !bytes.Equal(got, want) {
					t.Fatalf("split at %d: tag %x, want %x", split, got, want)
				}
			}
			h.Reset()
			for i := range msg {
				h.Write(msg[i : i+1])
			}
			if got := h.Sum(nil); !bytes.Equal(got, want) {
				t.Errorf("byte at a time: tag %x, want %x", got, want)
			}
		})
	}
}

func TestSubkeys(t *testing.T) {
	for _, v := range readVectors(t, "testdata/subkeys.txt") {
		t.Run(v["src"], func(t *testing.T) {
			b := newBlock(t, v["cipher"], unhex(t, v["key"]))
			m, err := newMAC(b, true)
			if err != nil {
				t.Fatal(err)
			}
			bs := b.BlockSize()
			if got, want := m.k1[:bs], unhex(t, v["k1"]); !bytes.Equal(got, want) {
				t.Errorf("K1 = %x, want %x", got, want)
			}
			if got, want := m.k2[:bs], unhex(t, v["k2"]); !bytes.Equal(got, want) {
				t.Errorf("K2 = %x, want %x", got, want)
			}
		})
	}
}

func TestSumDoesNotChangeState(t *testing.T) {
	v := readVectors(t, "testdata/cmac.txt")[3] // 64-byte AES-128 example
	b := newBlock(t, v["cipher"], unhex(t, v["key"]))
	msg, want := unhex(t, v["msg"]), unhex(t, v["tag"])
	h, _ := New(b)
	h.Write(msg[:20])
	first := h.Sum(nil)
	if again := h.Sum(nil); !bytes.Equal(first, again) {
		t.Fatalf("second Sum %x differs from first %x", again, first)
	}
	h.Write(msg[20:])
	prefix := []byte("prefix")
	got := h.Sum(prefix)
	if !bytes.Equal(got[:len(prefix)], prefix) || !bytes.Equal(got[len(prefix):], want) {
		t.Errorf("Sum(prefix) = %x, want prefix || %x", got, want)
	}
	h.Reset()
	if got, want := h.Sum(nil), unhex(t, readVectors(t, "testdata/cmac.txt")[0]["tag"]); !bytes.Equal(got, want) {
		t.Errorf("after Reset: %x, want the empty-message tag %x", got, want)
	}
}

// TestCBCMACVectors derives CBC-MAC vectors from the CBC-AES128 example of
// NIST SP 800-38A appendix F.2.1: with a zero IV, the CBC-MAC of
// (P1 XOR IV) || P2 || ... || Pi is the ciphertext block Ci of the example.
func TestCBCMACVectors(t *testing.T) {
	key := unhex(t, "2b7e151628aed2a6abf7158809cf4f3c")
	iv := unhex(t, "000102030405060708090a0b0c0d0e0f")
	pt := unhex(t, "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710")
	ct := [][]byte{
		unhex(t, "7649abac8119b246cee98e9b12e9197d"),
		unhex(t, "5086cb9b507219ee95db113a917678b2"),
		unhex(t, "73bed6b8e3c1743b7116e69e22229516"),
		unhex(t, "3ff1caa1681fac09120eca307586e1a7"),
	}
	msg := bytes.Clone(pt)
	for i := range iv {
		msg[i] ^= iv[i]
	}
	b, _ := aes.NewCipher(key)
	h, err := NewCBCMAC(b)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range ct {
		h.Reset()
		h.Write(msg[:16*(i+1)])
		if got := h.Sum(nil); !bytes.Equal(got, want) {
			t.Errorf("CBC-MAC of %d blocks = %x, want %x", i+1, got, want)
		}
	}
}

// TestCBCMACPadding checks padding method 1 against crypto/cipher's CBC
// mode: a partial final block is zero-padded, and the empty message is one
// zero block.
func TestCBCMACPadding(t *testing.T) {
	for _, name := range []string{"aes", "tdes"} {
		key := make([]byte, 24)
		for i := range key {
			key[i] = byte(i + 1)
		}
		b := newBlock(t, name, key)
		bs := b.BlockSize()
		h, _ := NewCBCMAC(b)
		for n := 0; n <= 4*bs; n++ {
			msg := make([]byte, n)
			for i := range msg {
				msg[i] = byte(i*7 + n)
			}
			padded := max(bs, (n+bs-1)/bs*bs)
			buf := make([]byte, padded)
			copy(buf, msg)
			cipher.NewCBCEncrypter(b, make([]byte, bs)).CryptBlocks(buf, buf)
			want := buf[len(buf)-bs:]
			h.Reset()
			h.Write(msg)
			if got := h.Sum(nil); !bytes.Equal(got, want) {
				t.Errorf("%s, %d bytes: CBC-MAC %x, want %x", name, n, got, want)
			}
		}
	}
}

type bigBlock struct{}

func (bigBlock) BlockSize() int          { return 32 }
func (bigBlock) Encrypt(dst, src []byte) { copy(dst, src) }
func (bigBlock) Decrypt(dst, src []byte) { copy(dst, src) }

func TestBlockSizeError(t *testing.T) {
	if _, err := New(bigBlock{}); !errors.Is(err, ErrBlockSize) {
		t.Errorf("New with a 32-byte block: error %v, want ErrBlockSize", err)
	}
	if _, err := NewCBCMAC(bigBlock{}); !errors.Is(err, ErrBlockSize) {
		t.Errorf("NewCBCMAC with a 32-byte block: error %v, want ErrBlockSize", err)
	}
}

func BenchmarkCMAC1K(b *testing.B) {
	blk, _ := aes.NewCipher(make([]byte, 16))
	h, _ := New(blk)
	msg := make([]byte, 1024)
	out := make([]byte, 0, 16)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		h.Reset()
		h.Write(msg)
		out = h.Sum(out[:0])
	}
}
