package psa_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log"
	"math/rand/v2"
	"testing"

	"github.com/gopsa/psa"
)

// symCheckHash writes random pieces to got and want alike, checking Sum
// after each write and that Sum leaves the computation running.
func symCheckHash(t *testing.T, got, want hash.Hash) {
	t.Helper()
	if got.Size() != want.Size() || got.BlockSize() != want.BlockSize() {
		t.Fatalf("Size, BlockSize = %d, %d; want %d, %d", got.Size(), got.BlockSize(), want.Size(), want.BlockSize())
	}
	r := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 300)
	for i := range 20 {
		p := buf[:r.IntN(len(buf))]
		for j := range p {
			p[j] = byte(r.Uint32())
		}
		if n, err := got.Write(p); n != len(p) || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
		want.Write(p)
		if g, w := got.Sum([]byte("x")), want.Sum([]byte("x")); !bytes.Equal(g, w) {
			t.Fatalf("write %d: Sum = %x, want %x", i, g, w)
		}
		if i == 10 {
			got.Reset()
			want.Reset()
		}
	}
}

func TestNewHash(t *testing.T) {
	c := symNew(t)
	for _, tc := range []struct {
		alg  psa.Algorithm
		want func() hash.Hash
	}{
		{psa.AlgSHA256, sha256.New},
		{psa.AlgSHA512, sha512.New},
		{psa.AlgSHA384, sha512.New384},
	} {
		t.Run(tc.alg.String(), func(t *testing.T) {
			h, err := c.NewHash(tc.alg)
			symWant(t, "NewHash", err, nil)
			symCheckHash(t, h, tc.want())
			// hash.Cloner: an independent copy.
			cl, err := h.(hash.Cloner).Clone()
			symWant(t, "Clone", err, nil)
			cl.Write([]byte("more"))
			if bytes.Equal(cl.Sum(nil), h.Sum(nil)) {
				t.Error("writing to the clone changed nothing, or changed the original")
			}
		})
	}
	_, err := c.NewHash(psa.AlgHMAC(psa.AlgSHA256))
	symWant(t, "NewHash with a MAC", err, psa.ErrInvalidArgument)
}

func TestNewMAC(t *testing.T) {
	c := symNew(t)
	key := []byte("a key for the hash.Hash adapter")
	id := symImport(t, c, psa.KeyTypeHMAC, psa.UsageSignMessage, psa.AlgHMAC(psa.AlgSHA256), key)
	m, err := c.NewMAC(id, psa.AlgHMAC(psa.AlgSHA256))
	symWant(t, "NewMAC", err, nil)
	symCheckHash(t, m, hmac.New(sha256.New, key))

	noSign := symImport(t, c, psa.KeyTypeHMAC, psa.UsageVerifyMessage, psa.AlgHMAC(psa.AlgSHA256), key)
	_, err = c.NewMAC(noSign, psa.AlgHMAC(psa.AlgSHA256))
	symWant(t, "NewMAC without UsageSignMessage", err, psa.ErrNotPermitted)

	// CMAC, and the failure of a destroyed key.
	aesKey := symHex(sp80038aKey)
	cm := symImport(t, c, psa.KeyTypeAES, psa.UsageSignMessage, psa.AlgCMAC, aesKey)
	m, err = c.NewMAC(cm, psa.AlgCMAC)
	symWant(t, "NewMAC CMAC", err, nil)
	m.Write(symHex("6bc1bee22e409f96e93d7e11"))
	m.Write(symHex("7393172a"))
	if got := m.Sum(nil); !bytes.Equal(got, symHex("070a16b46b4d4144f79bdd9dd04a287c")) {
		t.Fatalf("CMAC Sum = %x", got)
	}
	if m.Size() != 16 || m.BlockSize() != 16 {
		t.Errorf("CMAC Size, BlockSize = %d, %d", m.Size(), m.BlockSize())
	}
	symWant(t, "destroy", c.DestroyKey(cm), nil)
	if _, err := m.Write([]byte("x")); err == nil {
		// A driver that cannot copy MAC operations keeps the message:
		// the failure then shows in Sum.
		defer func() {
			if recover() == nil {
				t.Error("Sum with a destroyed key did not panic")
			}
		}()
		m.Sum(nil)
	}
}

func TestAEADAdapter(t *testing.T) {
	c := symNew(t)
	key := symHex(gcmSpecKey)
	id := symImport(t, c, psa.KeyTypeAES, psa.UsageEncrypt|psa.UsageDecrypt, psa.AlgGCM, key)
	a, err := c.AEAD(id, psa.AlgGCM)
	symWant(t, "AEAD", err, nil)
	block, _ := aes.NewCipher(key)
	std, _ := cipher.NewGCM(block)
	if a.NonceSize() != std.NonceSize() || a.Overhead() != std.Overhead() {
		t.Fatalf("NonceSize, Overhead = %d, %d; want %d, %d", a.NonceSize(), a.Overhead(), std.NonceSize(), std.Overhead())
	}
	nonce := symHex(gcmSpecNonce)
	for _, n := range []int{0, 1, 16, 100} {
		msg := bytes.Repeat([]byte{byte(n)}, n)
		ad := []byte(fmt.Sprint(n))
		got := a.Seal([]byte("dst"), nonce, msg, ad)
		want := std.Seal([]byte("dst"), nonce, msg, ad)
		if !bytes.Equal(got, want) {
			t.Fatalf("Seal(%d bytes) = %x, want %x", n, got, want)
		}
		pt, err := a.Open(nil, nonce, want[3:], ad)
		if err != nil || !bytes.Equal(pt, msg) {
			t.Fatalf("Open = %x, %v", pt, err)
		}
		// In place, as cipher.AEAD allows.
		buf := append(bytes.Clone(msg), make([]byte, a.Overhead())...)
		sealed := a.Seal(buf[:0], nonce, buf[:n], ad)
		if !bytes.Equal(sealed, want[3:]) {
			t.Fatalf("in-place Seal = %x", sealed)
		}
		want[len(want)-1] ^= 1
		if _, err := a.Open(nil, nonce, want[3:], ad); !errors.Is(err, psa.ErrInvalidSignature) {
			t.Fatalf("Open of forged data: %v", err)
		}
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("Seal with a short nonce did not panic")
			}
		}()
		a.Seal(nil, nonce[:8], nil, nil)
	}()
	_, err = c.AEAD(id, psa.AlgCCM)
	symWant(t, "AEAD with another algorithm", err, psa.ErrNotPermitted)
	_, err = c.AEAD(id, psa.AlgCTR)
	symWant(t, "AEAD with a cipher", err, psa.ErrInvalidArgument)
}

func ExampleCrypto_NewHash() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	h, err := c.NewHash(psa.AlgSHA256)
	if err != nil {
		log.Fatal(err)
	}
	io.WriteString(h, "ab")
	fmt.Printf("%x\n", h.Sum(nil)) // the hash so far: h goes on
	io.WriteString(h, "c")
	fmt.Printf("%x\n", h.Sum(nil))
	// Output:
	// fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603
	// ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
}

func ExampleCrypto_NewMAC() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	alg := psa.AlgHMAC(psa.AlgSHA256)
	key, err := c.ImportKey(psa.Attributes{Type: psa.KeyTypeHMAC, Usage: psa.UsageSignMessage, Alg: alg}, []byte("Jefe"))
	if err != nil {
		log.Fatal(err)
	}
	m, err := c.NewMAC(key, alg)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(m, "what do ya want ")
	fmt.Fprintf(m, "for nothing?")
	fmt.Println(hex.EncodeToString(m.Sum(nil)))
	// Output:
	// 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843
}

func ExampleCrypto_AEAD() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	key, err := c.GenerateKey(psa.Attributes{
		Type: psa.KeyTypeAES, Bits: 256,
		Usage: psa.UsageEncrypt | psa.UsageDecrypt, Alg: psa.AlgGCM,
	})
	if err != nil {
		log.Fatal(err)
	}
	aead, err := c.AEAD(key, psa.AlgGCM)
	if err != nil {
		log.Fatal(err)
	}
	// aead is a cipher.AEAD: use it wherever one is expected.
	nonce := make([]byte, aead.NonceSize())
	if _, err := io.ReadFull(c.Rand(), nonce); err != nil {
		log.Fatal(err)
	}
	sealed := aead.Seal(nil, nonce, []byte("hello"), nil)
	pt, err := aead.Open(nil, nonce, sealed, nil)
	fmt.Printf("%s %v %d\n", pt, err, len(sealed))
	// Output:
	// hello <nil> 21
}
