package psa_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"fmt"
	"log"
	"testing"

	"github.com/gopsa/psa"
)

// NIST SP 800-38A, appendix F: AES-128 (F.1.1 ECB, F.2.1 CBC, F.5.1 CTR).
var (
	sp80038aKey   = "2b7e151628aed2a6abf7158809cf4f3c"
	sp80038aPlain = "6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51 30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710"
)

var cipherVectors = []struct {
	name string
	alg  psa.Algorithm
	iv   string
	ct   string
}{
	{"F.1.1 ECB-AES128", psa.AlgECBNoPadding, "",
		"3ad77bb40d7a3660a89ecaf32466ef97 f5d3d58503b9699de785895a96fdbaaf 43b1cd7f598ece23881b00e3ed030688 7b0c785e27e8ad3f8223207104725dd4"},
	{"F.2.1 CBC-AES128", psa.AlgCBCNoPadding, "000102030405060708090a0b0c0d0e0f",
		"7649abac8119b246cee98e9b12e9197d 5086cb9b507219ee95db113a917678b2 73bed6b8e3c1743b7116e69e22229516 3ff1caa1681fac09120eca307586e1a7"},
	{"F.5.1 CTR-AES128", psa.AlgCTR, "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
		"874d6191b620e3261bef6864990db6ce 9806f66b7970fdff8617187bb9fffdff 5ae4df3edbd5d35e5b4f09020db03eab 1e031dda2fbe03d1792170a0f3009cee"},
}

// symCipherRun runs a multi-part cipher operation over the parts of in.
func symCipherRun(op *psa.CipherOperation, iv []byte, parts [][]byte) ([]byte, error) {
	if len(iv) > 0 {
		if err := op.SetIV(iv); err != nil {
			return nil, err
		}
	}
	var out []byte
	for _, p := range parts {
		var err error
		if out, err = op.Update(p, out); err != nil {
			return nil, err
		}
	}
	return op.Finish(out)
}

func TestCipherVectors(t *testing.T) {
	c := symNew(t)
	pt := symHex(sp80038aPlain)
	for _, v := range cipherVectors {
		t.Run(v.name, func(t *testing.T) {
			id := symImport(t, c, psa.KeyTypeAES, psa.UsageEncrypt|psa.UsageDecrypt, v.alg, symHex(sp80038aKey))
			iv, ct := symHex(v.iv), symHex(v.ct)
			// Single-part decryption of IV || ciphertext.
			got, err := c.CipherDecrypt(id, v.alg, append(bytes.Clone(iv), ct...), []byte{0xee})
			if err != nil || !bytes.Equal(got, append([]byte{0xee}, pt...)) {
				t.Fatalf("CipherDecrypt = %x, %v", got, err)
			}
			// Single-part encryption uses a fresh IV: it round-trips.
			enc, err := c.CipherEncrypt(id, v.alg, pt, nil)
			symWant(t, "encrypt", err, nil)
			if len(enc) != len(iv)+len(pt) {
				t.Fatalf("CipherEncrypt: %d bytes, want %d-byte IV and %d bytes", len(enc), len(iv), len(pt))
			}
			if len(iv) > 0 && bytes.Equal(enc[len(iv):], ct) {
				t.Errorf("CipherEncrypt used the vector's IV: IVs are not random")
			}
			dec, err := c.CipherDecrypt(id, v.alg, enc, nil)
			if err != nil || !bytes.Equal(dec, pt) {
				t.Fatalf("round trip = %x, %v", dec, err)
			}
			// Multi-part, every split, both directions.
			var op psa.CipherOperation
			symSplits(len(pt), func(cuts []int) {
				symWant(t, "encrypt setup", c.CipherEncryptSetup(&op, id, v.alg), nil)
				got, err := symCipherRun(&op, iv, symParts(pt, cuts))
				if err != nil || !bytes.Equal(got, ct) {
					t.Fatalf("split %v: encrypt = %x, %v", cuts, got, err)
				}
				symWant(t, "decrypt setup", c.CipherDecryptSetup(&op, id, v.alg), nil)
				got, err = symCipherRun(&op, iv, symParts(ct, cuts))
				if err != nil || !bytes.Equal(got, pt) {
					t.Fatalf("split %v: decrypt = %x, %v", cuts, got, err)
				}
			})
		})
	}
}

func TestCipherGenerateIV(t *testing.T) {
	c := symNew(t)
	id := symImport(t, c, psa.KeyTypeAES, psa.UsageEncrypt|psa.UsageDecrypt, psa.AlgCBCPKCS7, symHex(sp80038aKey))
	msg := []byte("a message that is not a whole number of blocks")
	var op psa.CipherOperation
	symWant(t, "setup", c.CipherEncryptSetup(&op, id, psa.AlgCBCPKCS7), nil)
	iv, err := op.GenerateIV(nil)
	if err != nil || len(iv) != 16 {
		t.Fatalf("GenerateIV = %x, %v", iv, err)
	}
	ct, err := op.Update(msg, nil)
	symWant(t, "update", err, nil)
	ct, err = op.Finish(ct)
	symWant(t, "finish", err, nil)
	if len(ct) != 48 {
		t.Fatalf("%d bytes of ciphertext, want 48 (padded)", len(ct))
	}
	pt, err := c.CipherDecrypt(id, psa.AlgCBCPKCS7, append(iv, ct...), nil)
	if err != nil || !bytes.Equal(pt, msg) {
		t.Fatalf("decrypt = %q, %v", pt, err)
	}
	// A corrupted last block has bad padding (with overwhelming probability).
	bad := append(bytes.Clone(iv), ct...)
	bad[len(bad)-1] ^= 0xff
	dst := []byte("keep")
	out, err := c.CipherDecrypt(id, psa.AlgCBCPKCS7, bad, dst)
	symWant(t, "bad padding", err, psa.ErrInvalidPadding)
	if string(out) != "keep" {
		t.Errorf("failed decrypt returned %q, want dst unchanged", out)
	}
}

func TestCipherPolicy(t *testing.T) {
	key := symHex(sp80038aKey)
	msg := bytes.Repeat([]byte{7}, 32)
	symPolicyMatrix(t, []symPolicyCase{
		{"encrypt", psa.KeyTypeAES, key, psa.UsageEncrypt, psa.AlgCTR, psa.AlgCBCNoPadding,
			func(c *psa.Crypto, k psa.KeyID, alg psa.Algorithm) error {
				_, err := c.CipherEncrypt(k, alg, msg, nil)
				return err
			}},
		{"decrypt", psa.KeyTypeAES, key, psa.UsageDecrypt, psa.AlgCBCNoPadding, psa.AlgECBNoPadding,
			func(c *psa.Crypto, k psa.KeyID, alg psa.Algorithm) error {
				_, err := c.CipherDecrypt(k, alg, msg, nil)
				return err
			}},
		{"encrypt multi-part", psa.KeyTypeAES, key, psa.UsageEncrypt, psa.AlgCBCPKCS7, psa.AlgCBCNoPadding,
			func(c *psa.Crypto, k psa.KeyID, alg psa.Algorithm) error {
				var op psa.CipherOperation
				if err := c.CipherEncryptSetup(&op, k, alg); err != nil {
					return err
				}
				if _, err := op.GenerateIV(nil); err != nil {
					return err
				}
				_, err := symCipherRun(&op, nil, [][]byte{msg})
				return err
			}},
		{"decrypt multi-part", psa.KeyTypeAES, key, psa.UsageDecrypt, psa.AlgECBNoPadding, psa.AlgCTR,
			func(c *psa.Crypto, k psa.KeyID, alg psa.Algorithm) error {
				var op psa.CipherOperation
				if err := c.CipherDecryptSetup(&op, k, alg); err != nil {
					return err
				}
				_, err := symCipherRun(&op, nil, [][]byte{msg})
				return err
			}},
	})
}

func TestCipherStates(t *testing.T) {
	c := symNew(t)
	key := symHex(sp80038aKey)
	ctr := symImport(t, c, psa.KeyTypeAES, psa.UsageEncrypt|psa.UsageDecrypt, psa.AlgCTR, key)
	ecb := symImport(t, c, psa.KeyTypeAES, psa.UsageEncrypt|psa.UsageDecrypt, psa.AlgECBNoPadding, key)
	type op = psa.CipherOperation
	enc := func(o *op) error { return c.CipherEncryptSetup(o, ctr, psa.AlgCTR) }
	dec := func(o *op) error { return c.CipherDecryptSetup(o, ctr, psa.AlgCTR) }
	encECB := func(o *op) error { return c.CipherEncryptSetup(o, ecb, psa.AlgECBNoPadding) }
	withIV := func(o *op) error {
		if err := enc(o); err != nil {
			return err
		}
		_, err := o.GenerateIV(nil)
		return err
	}
	genIV := func(o *op) error { _, err := o.GenerateIV(nil); return err }
	setIV := func(o *op) error { return o.SetIV(make([]byte, 16)) }
	update := func(o *op) error { _, err := o.Update(make([]byte, 16), nil); return err }
	finish := func(o *op) error { _, err := o.Finish(nil); return err }
	cases := []struct {
		name  string
		setup func(o *op) error
		call  func(o *op) error
	}{
		{"generate iv inactive", nil, genIV},
		{"set iv inactive", nil, setIV},
		{"update inactive", nil, update},
		{"finish inactive", nil, finish},
		{"setup twice", enc, dec},
		{"generate iv when decrypting", dec, genIV},
		{"iv twice", withIV, setIV},
		{"generate iv twice", withIV, genIV},
		{"update before iv", enc, update},
		{"finish before iv", dec, finish},
		{"iv for ECB", encECB, setIV},
		{"generate iv for ECB", encECB, genIV},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var o op
			if tc.setup != nil {
				symWant(t, "setup", tc.setup(&o), nil)
			}
			symWant(t, tc.name, tc.call(&o), psa.ErrBadState)
			symWant(t, "inactive afterwards", finish(&o), psa.ErrBadState)
			symWant(t, "abort", o.Abort(), nil)
			symWant(t, "reuse", withIV(&o), nil)
			symWant(t, "reuse finish", finish(&o), nil)
		})
	}
	var o op
	symWant(t, "setup with an AEAD", c.CipherEncryptSetup(&o, ctr, psa.AlgGCM), psa.ErrInvalidArgument)
	symWant(t, "setup", dec(&o), nil)
	symWant(t, "IV longer than a block", o.SetIV(make([]byte, 17)), psa.ErrInvalidArgument)
	symWant(t, "inactive after a failed SetIV", update(&o), psa.ErrBadState)
}

func ExampleCrypto_CipherEncrypt() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	key, err := c.GenerateKey(psa.Attributes{
		Type:  psa.KeyTypeAES,
		Bits:  128,
		Usage: psa.UsageEncrypt | psa.UsageDecrypt,
		Alg:   psa.AlgCTR,
	})
	if err != nil {
		log.Fatal(err)
	}
	ct, err := c.CipherEncrypt(key, psa.AlgCTR, []byte("hello"), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(ct), "bytes: a 16-byte IV and 5 bytes of ciphertext")
	pt, err := c.CipherDecrypt(key, psa.AlgCTR, ct, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s\n", pt)
	// Output:
	// 21 bytes: a 16-byte IV and 5 bytes of ciphertext
	// hello
}

func ExampleCrypto_CipherDecryptSetup() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	key, err := c.ImportKey(psa.Attributes{
		Type:  psa.KeyTypeAES,
		Usage: psa.UsageDecrypt,
		Alg:   psa.AlgCBCNoPadding,
	}, symHex("2b7e151628aed2a6abf7158809cf4f3c"))
	if err != nil {
		log.Fatal(err)
	}
	var op psa.CipherOperation
	if err := c.CipherDecryptSetup(&op, key, psa.AlgCBCNoPadding); err != nil {
		log.Fatal(err)
	}
	defer op.Abort()
	if err := op.SetIV(symHex("000102030405060708090a0b0c0d0e0f")); err != nil {
		log.Fatal(err)
	}
	pt, err := op.Update(symHex("7649abac8119b246cee98e9b12e9197d"), nil)
	if err != nil {
		log.Fatal(err)
	}
	pt, err = op.Finish(pt)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%x\n", pt)
	// Output:
	// 6bc1bee22e409f96e93d7e117393172a
}

func BenchmarkCipherEncrypt(b *testing.B) {
	c := symNew(b)
	key := bytes.Repeat([]byte{1}, 16)
	id := symImport(b, c, psa.KeyTypeAES, psa.UsageEncrypt, psa.AlgCTR, key)
	msg := make([]byte, 16<<10)
	dst := make([]byte, 0, len(msg)+16)
	b.Run("alg=AES-128-CTR/size=16384/impl=psa", func(b *testing.B) {
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.CipherEncrypt(id, psa.AlgCTR, msg, dst); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("alg=AES-128-CTR/size=16384/impl=stdlib", func(b *testing.B) {
		iv := make([]byte, 16)
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		for b.Loop() {
			rand.Read(iv)
			blk, _ := aes.NewCipher(key)
			out := append(dst[:0], iv...)
			out = append(out, make([]byte, len(msg))...)
			cipher.NewCTR(blk, iv).XORKeyStream(out[16:], msg)
		}
	})
}
