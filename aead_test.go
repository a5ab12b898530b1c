package psa_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"
	"log"
	"testing"

	"github.com/gopsa/psa"
)

var (
	gcmSpecKey   = "feffe9928665731c6d6a8f9467308308"
	gcmSpecNonce = "cafebabefacedbaddecaf888"
	gcmSpecPlain = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
	gcmSpecCT    = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985"
)

// AEAD vectors: the GCM specification (McGrew and Viega, test cases 2 to
// 4), RFC 8439 section 2.8.2 (ChaCha20-Poly1305), NIST SP 800-38C appendix
// C examples 1 and 2 (CCM with 4- and 6-byte tags).
var aeadVectors = []struct {
	name           string
	typ            psa.KeyType
	alg            psa.Algorithm
	key, nonce, ad string
	plain, ct, tag string
}{
	{"GCM 2", psa.KeyTypeAES, psa.AlgGCM, "00000000000000000000000000000000", "000000000000000000000000", "",
		"00000000000000000000000000000000", "0388dace60b6a392f328c2b971b2fe78", "ab6e47d42cec13bdf53a67b21257bddf"},
	{"GCM 3", psa.KeyTypeAES, psa.AlgGCM, gcmSpecKey, gcmSpecNonce, "", gcmSpecPlain, gcmSpecCT, "4d5c2af327cd64a62cf35abd2ba6fab4"},
	{"GCM 4", psa.KeyTypeAES, psa.AlgGCM, gcmSpecKey, gcmSpecNonce, "feedfacedeadbeeffeedfacedeadbeefabaddad2",
		gcmSpecPlain[:120], gcmSpecCT[:120], "5bc94fbc3221a5db94fae95ae7121a47"},
	{"RFC 8439 2.8.2", psa.KeyTypeChaCha20, psa.AlgChaCha20Poly1305,
		"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f", "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7",
		"4c616469657320616e642047656e746c656d656e206f662074686520636c617373206f66202739393a204966204920636f756c64206f6666657220796f75206f6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73637265656e20776f756c642062652069742e",
		"d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116",
		"1ae10b594f09e26a7e902ecbd0600691"},
	{"SP 800-38C C.1", psa.KeyTypeAES, psa.AlgAEADWithShortenedTag(psa.AlgCCM, 4), "404142434445464748494a4b4c4d4e4f",
		"10111213141516", "0001020304050607", "20212223", "7162015b", "4dac255d"},
	{"SP 800-38C C.2", psa.KeyTypeAES, psa.AlgAEADWithShortenedTag(psa.AlgCCM, 6), "404142434445464748494a4b4c4d4e4f",
		"1011121314151617", "000102030405060708090a0b0c0d0e0f", "202122232425262728292a2b2c2d2e2f",
		"d2a1f0e051ea5f62081a7792073d593d", "1fc64fbfaccd"},
}

func TestAEADVectors(t *testing.T) {
	c := symNew(t)
	for _, v := range aeadVectors {
		t.Run(v.name, func(t *testing.T) {
			id := symImport(t, c, v.typ, psa.UsageEncrypt|psa.UsageDecrypt, v.alg, symHex(v.key))
			nonce, ad, pt := symHex(v.nonce), symHex(v.ad), symHex(v.plain)
			ct, tag := symHex(v.ct), symHex(v.tag)
			sealed := append(bytes.Clone(ct), tag...)
			got, err := c.AEADEncrypt(id, v.alg, nonce, ad, pt, []byte{0xee})
			if err != nil || !bytes.Equal(got, append([]byte{0xee}, sealed...)) {
				t.Fatalf("AEADEncrypt = %x, %v; want ee || %x", got, err, sealed)
			}
			got, err = c.AEADDecrypt(id, v.alg, nonce, ad, sealed, []byte{0xee})
			if err != nil || !bytes.Equal(got, append([]byte{0xee}, pt...)) {
				t.Fatalf("AEADDecrypt = %x, %v", got, err)
			}
			for i := range sealed {
				bad := bytes.Clone(sealed)
				bad[i] ^= 0x01
				out, err := c.AEADDecrypt(id, v.alg, nonce, ad, bad, []byte("keep"))
				symWant(t, fmt.Sprintf("forged byte %d", i), err, psa.ErrInvalidSignature)
				if string(out) != "keep" {
					t.Fatalf("forged decrypt returned %x, want dst unchanged", out)
				}
			}

			// Multi-part over every split of the data, with the
			// additional data split too, with and without declared
			// lengths (CCM requires them).
			ccm := psa.AlgAEADWithDefaultLengthTag(v.alg) == psa.AlgCCM
			var op psa.AEADOperation
			symSplits(len(pt), func(cuts []int) {
				for _, lens := range []bool{true, false} {
					if ccm && !lens {
						continue
					}
					adCut := []int{len(ad) / 2}
					symWant(t, "encrypt setup", c.AEADEncryptSetup(&op, id, v.alg), nil)
					if lens {
						symWant(t, "lengths", op.SetLengths(len(ad), len(pt)), nil)
					}
					symWant(t, "nonce", op.SetNonce(nonce), nil)
					for _, p := range symParts(ad, adCut) {
						symWant(t, "update ad", op.UpdateAD(p), nil)
					}
					var out []byte
					for _, p := range symParts(pt, cuts) {
						out, err = op.Update(p, out)
						symWant(t, "update", err, nil)
					}
					out, gotTag, err := op.Finish(out, nil)
					if err != nil || !bytes.Equal(out, ct) || !bytes.Equal(gotTag, tag) {
						t.Fatalf("split %v lengths %v: Finish = %x, %x, %v", cuts, lens, out, gotTag, err)
					}

					symWant(t, "decrypt setup", c.AEADDecryptSetup(&op, id, v.alg), nil)
					if lens {
						symWant(t, "lengths", op.SetLengths(len(ad), len(pt)), nil)
					}
					symWant(t, "nonce", op.SetNonce(nonce), nil)
					symWant(t, "update ad", op.UpdateAD(ad), nil)
					out = nil
					for _, p := range symParts(ct, cuts) {
						out, err = op.Update(p, out)
						symWant(t, "update", err, nil)
					}
					out, err = op.Verify(out, tag)
					if err != nil || !bytes.Equal(out, pt) {
						t.Fatalf("split %v lengths %v: Verify = %x, %v", cuts, lens, out, err)
					}
				}
			})
			// A bad tag in a multi-part decryption.
			symWant(t, "decrypt setup", c.AEADDecryptSetup(&op, id, v.alg), nil)
			symWant(t, "lengths", op.SetLengths(len(ad), len(pt)), nil)
			symWant(t, "nonce", op.SetNonce(nonce), nil)
			symWant(t, "update ad", op.UpdateAD(ad), nil)
			out, err := op.Update(ct, nil)
			symWant(t, "update", err, nil)
			badTag := bytes.Clone(tag)
			badTag[0] ^= 1
			_, err = op.Verify(out, badTag)
			symWant(t, "verify forged", err, psa.ErrInvalidSignature)
			symWant(t, "abort", op.Abort(), nil)
		})
	}
}

func TestAEADLengths(t *testing.T) {
	c := symNew(t)
	id := symImport(t, c, psa.KeyTypeAES, psa.UsageEncrypt|psa.UsageDecrypt, psa.AlgGCM, symHex(gcmSpecKey))
	nonce := symHex(gcmSpecNonce)
	start := func(op *psa.AEADOperation) {
		symWant(t, "setup", c.AEADEncryptSetup(op, id, psa.AlgGCM), nil)
		symWant(t, "lengths", op.SetLengths(4, 8), nil)
		symWant(t, "nonce", op.SetNonce(nonce), nil)
	}
	var op psa.AEADOperation
	start(&op)
	symWant(t, "too much ad", op.UpdateAD(make([]byte, 5)), psa.ErrInvalidArgument)
	symWant(t, "inactive afterwards", op.UpdateAD(nil), psa.ErrBadState)
	start(&op)
	symWant(t, "ad", op.UpdateAD(make([]byte, 3)), nil)
	_, err := op.Update(make([]byte, 1), nil)
	symWant(t, "data before the ad is complete", err, psa.ErrInvalidArgument)
	start(&op)
	symWant(t, "ad", op.UpdateAD(make([]byte, 4)), nil)
	_, err = op.Update(make([]byte, 9), nil)
	symWant(t, "too much data", err, psa.ErrInvalidArgument)
	start(&op)
	symWant(t, "ad", op.UpdateAD(make([]byte, 4)), nil)
	_, err = op.Update(make([]byte, 7), nil)
	symWant(t, "update", err, nil)
	_, _, err = op.Finish(nil, nil)
	symWant(t, "finish short of the declared data", err, psa.ErrInvalidArgument)

	ccm := symImport(t, c, psa.KeyTypeAES, psa.UsageEncrypt, psa.AlgCCM, symHex(gcmSpecKey))
	symWant(t, "ccm setup", c.AEADEncryptSetup(&op, ccm, psa.AlgCCM), nil)
	_, err = op.GenerateNonce(nil)
	symWant(t, "ccm nonce before lengths", err, psa.ErrBadState)
	symWant(t, "ccm setup", c.AEADEncryptSetup(&op, ccm, psa.AlgCCM), nil)
	symWant(t, "lengths", op.SetLengths(0, 3), nil)
	n, err := op.GenerateNonce(nil)
	if err != nil || len(n) != psa.AEADNonceLength(psa.KeyTypeAES, psa.AlgCCM) {
		t.Fatalf("GenerateNonce = %x, %v", n, err)
	}
	ct, err := op.Update([]byte("abc"), nil)
	symWant(t, "update", err, nil)
	ct, tag, err := op.Finish(ct, nil)
	symWant(t, "finish", err, nil)
	pt, err := c.AEADDecrypt(symImport(t, c, psa.KeyTypeAES, psa.UsageDecrypt, psa.AlgCCM, symHex(gcmSpecKey)),
		psa.AlgCCM, n, nil, append(ct, tag...), nil)
	if err != nil || string(pt) != "abc" {
		t.Fatalf("single-part decryption of a multi-part encryption = %q, %v", pt, err)
	}
}

func TestAEADPolicy(t *testing.T) {
	key := symHex(gcmSpecKey)
	nonce := symHex(gcmSpecNonce)
	short := psa.AlgAEADWithShortenedTag(psa.AlgGCM, 12)
	symPolicyMatrix(t, []symPolicyCase{
		{"encrypt", psa.KeyTypeAES, key, psa.UsageEncrypt, psa.AlgGCM, psa.AlgCCM,
			func(c *psa.Crypto, k psa.KeyID, alg psa.Algorithm) error {
				_, err := c.AEADEncrypt(k, alg, nonce, nil, []byte("m"), nil)
				return err
			}},
		{"encrypt shortened tag", psa.KeyTypeAES, key, psa.UsageEncrypt, short, psa.AlgAEADWithAtLeastThisLengthTag(psa.AlgGCM, 13),
			func(c *psa.Crypto, k psa.KeyID, alg psa.Algorithm) error {
				_, err := c.AEADEncrypt(k, alg, nonce, nil, []byte("m"), nil)
				return err
			}},
		{"decrypt", psa.KeyTypeAES, key, psa.UsageDecrypt, psa.AlgGCM, short,
			func(c *psa.Crypto, k psa.KeyID, alg psa.Algorithm) error {
				sealed, err := symSeal(key, alg, nonce, []byte("m"))
				if err != nil {
					return err
				}
				pt, err := c.AEADDecrypt(k, alg, nonce, nil, sealed, nil)
				if err == nil && string(pt) != "m" {
					return fmt.Errorf("decrypted %q, want %q", pt, "m")
				}
				return err
			}},
		{"encrypt multi-part", psa.KeyTypeAES, key, psa.UsageEncrypt, psa.AlgGCM, psa.AlgCCM,
			func(c *psa.Crypto, k psa.KeyID, alg psa.Algorithm) error {
				var op psa.AEADOperation
				if err := c.AEADEncryptSetup(&op, k, alg); err != nil {
					return err
				}
				if _, err := op.GenerateNonce(nil); err != nil {
					return err
				}
				_, _, err := op.Finish(nil, nil)
				return err
			}},
		{"decrypt multi-part", psa.KeyTypeAES, key, psa.UsageDecrypt, psa.AlgGCM, psa.AlgCCM,
			func(c *psa.Crypto, k psa.KeyID, alg psa.Algorithm) error {
				var op psa.AEADOperation
				if err := c.AEADDecryptSetup(&op, k, alg); err != nil {
					return err
				}
				return op.Abort()
			}},
	})
}

// symSeal encrypts msg with an AES key in a separate instance, for the
// decryption rows of the policy matrix.
func symSeal(key []byte, alg psa.Algorithm, nonce, msg []byte) ([]byte, error) {
	c, err := psa.New()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	id, err := c.ImportKey(psa.Attributes{Type: psa.KeyTypeAES, Usage: psa.UsageEncrypt, Alg: alg}, key)
	if err != nil {
		return nil, err
	}
	return c.AEADEncrypt(id, alg, nonce, nil, msg, nil)
}

func TestAEADStates(t *testing.T) {
	c := symNew(t)
	key := symHex(gcmSpecKey)
	id := symImport(t, c, psa.KeyTypeAES, psa.UsageEncrypt|psa.UsageDecrypt, psa.AlgGCM, key)
	type op = psa.AEADOperation
	enc := func(o *op) error { return c.AEADEncryptSetup(o, id, psa.AlgGCM) }
	dec := func(o *op) error { return c.AEADDecryptSetup(o, id, psa.AlgGCM) }
	then := func(a, b func(o *op) error) func(o *op) error {
		return func(o *op) error {
			if err := a(o); err != nil {
				return err
			}
			return b(o)
		}
	}
	genNonce := func(o *op) error { _, err := o.GenerateNonce(nil); return err }
	setNonce := func(o *op) error { return o.SetNonce(symHex(gcmSpecNonce)) }
	lengths := func(o *op) error { return o.SetLengths(0, 0) }
	updateAD := func(o *op) error { return o.UpdateAD([]byte("a")) }
	update := func(o *op) error { _, err := o.Update([]byte("x"), nil); return err }
	finish := func(o *op) error { _, _, err := o.Finish(nil, nil); return err }
	verify := func(o *op) error { _, err := o.Verify(nil, make([]byte, 16)); return err }
	encN, decN := then(enc, genNonce), then(dec, setNonce)
	cases := []struct {
		name  string
		setup func(o *op) error
		call  func(o *op) error
	}{
		{"lengths inactive", nil, lengths},
		{"generate nonce inactive", nil, genNonce},
		{"set nonce inactive", nil, setNonce},
		{"update ad inactive", nil, updateAD},
		{"update inactive", nil, update},
		{"finish inactive", nil, finish},
		{"verify inactive", nil, verify},
		{"setup twice", enc, dec},
		{"generate nonce when decrypting", dec, genNonce},
		{"nonce twice", encN, setNonce},
		{"lengths after nonce", encN, lengths},
		{"lengths twice", then(enc, lengths), lengths},
		{"update ad before nonce", enc, updateAD},
		{"update before nonce", dec, update},
		{"update ad after update", then(encN, update), updateAD},
		{"finish before nonce", enc, finish},
		{"finish a decryption", decN, finish},
		{"verify an encryption", encN, verify},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var o op
			if tc.setup != nil {
				symWant(t, "setup", tc.setup(&o), nil)
			}
			symWant(t, tc.name, tc.call(&o), psa.ErrBadState)
			symWant(t, "inactive afterwards", update(&o), psa.ErrBadState)
			symWant(t, "abort", o.Abort(), nil)
			symWant(t, "reuse", encN(&o), nil)
			symWant(t, "reuse finish", finish(&o), nil)
		})
	}
	var o op
	symWant(t, "setup with a cipher", c.AEADEncryptSetup(&o, id, psa.AlgCTR), psa.ErrInvalidArgument)
	symWant(t, "setup with a wildcard", c.AEADEncryptSetup(&o, id, psa.AlgAEADWithAtLeastThisLengthTag(psa.AlgGCM, 12)), psa.ErrInvalidArgument)
}

func ExampleCrypto_AEADEncrypt() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	key, err := c.GenerateKey(psa.Attributes{
		Type:  psa.KeyTypeChaCha20,
		Bits:  256,
		Usage: psa.UsageEncrypt | psa.UsageDecrypt,
		Alg:   psa.AlgChaCha20Poly1305,
	})
	if err != nil {
		log.Fatal(err)
	}
	// Never use a nonce twice with one key: take it from the random
	// generator, or from a counter.
	nonce := make([]byte, psa.AEADNonceLength(psa.KeyTypeChaCha20, psa.AlgChaCha20Poly1305))
	if err := c.GenerateRandom(nonce); err != nil {
		log.Fatal(err)
	}
	sealed, err := c.AEADEncrypt(key, psa.AlgChaCha20Poly1305, nonce, []byte("header"), []byte("secret"), nil)
	if err != nil {
		log.Fatal(err)
	}
	pt, err := c.AEADDecrypt(key, psa.AlgChaCha20Poly1305, nonce, []byte("header"), sealed, nil)
	fmt.Printf("%s %v\n", pt, err)
	_, err = c.AEADDecrypt(key, psa.AlgChaCha20Poly1305, nonce, []byte("other header"), sealed, nil)
	fmt.Println(err != nil)
	// Output:
	// secret <nil>
	// true
}

func ExampleCrypto_AEADEncryptSetup() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	key, err := c.GenerateKey(psa.Attributes{
		Type:  psa.KeyTypeAES,
		Bits:  128,
		Usage: psa.UsageEncrypt,
		Alg:   psa.AlgCCM,
	})
	if err != nil {
		log.Fatal(err)
	}
	var op psa.AEADOperation
	if err := c.AEADEncryptSetup(&op, key, psa.AlgCCM); err != nil {
		log.Fatal(err)
	}
	defer op.Abort()
	// CCM needs the lengths before the nonce.
	if err := op.SetLengths(6, 11); err != nil {
		log.Fatal(err)
	}
	nonce, err := op.GenerateNonce(nil)
	if err != nil {
		log.Fatal(err)
	}
	if err := op.UpdateAD([]byte("header")); err != nil {
		log.Fatal(err)
	}
	ct, err := op.Update([]byte("hello "), nil)
	if err != nil {
		log.Fatal(err)
	}
	if ct, err = op.Update([]byte("world"), ct); err != nil {
		log.Fatal(err)
	}
	ct, tag, err := op.Finish(ct, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(nonce), len(ct), len(tag))
	// Output:
	// 13 11 16
}

// TestSymConcurrent runs single-part operations on shared keys from many
// goroutines while one of the keys is destroyed: every call either
// succeeds or, once the key is gone, fails with INVALID_HANDLE.
func TestSymConcurrent(t *testing.T) {
	c := symNew(t)
	gcm := symImport(t, c, psa.KeyTypeAES, psa.UsageEncrypt|psa.UsageDecrypt, psa.AlgGCM, symHex(gcmSpecKey))
	mac := symImport(t, c, psa.KeyTypeHMAC, psa.UsageSignMessage|psa.UsageVerifyMessage, symHMAC256, []byte("k"))
	doomed := symImport(t, c, psa.KeyTypeHMAC, psa.UsageSignMessage, symHMAC256, []byte("k"))
	nonce := symHex(gcmSpecNonce)
	want, err := c.MACCompute(mac, symHMAC256, []byte("msg"), nil)
	symWant(t, "mac", err, nil)

	const workers, rounds = 8, 200
	errs := make(chan error, workers+1)
	start := make(chan struct{})
	for w := range workers {
		go func() {
			<-start
			msg := []byte(fmt.Sprint("message ", w))
			gone := false
			for range rounds {
				ct, err := c.AEADEncrypt(gcm, psa.AlgGCM, nonce, nil, msg, nil)
				if err != nil {
					errs <- err
					return
				}
				if pt, err := c.AEADDecrypt(gcm, psa.AlgGCM, nonce, nil, ct, nil); err != nil || !bytes.Equal(pt, msg) {
					errs <- fmt.Errorf("decrypt = %q, %v", pt, err)
					return
				}
				if err := c.MACVerify(mac, symHMAC256, []byte("msg"), want); err != nil {
					errs <- err
					return
				}
				_, err = c.MACCompute(doomed, symHMAC256, msg, nil)
				switch {
				case err == nil && gone:
					errs <- fmt.Errorf("a destroyed key computed a MAC")
					return
				case errors.Is(err, psa.ErrInvalidHandle):
					gone = true
				case err != nil:
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	go func() {
		<-start
		errs <- c.DestroyKey(doomed)
	}()
	close(start)
	for range workers + 1 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	_, err = c.MACCompute(doomed, symHMAC256, nil, nil)
	symWant(t, "after destroy", err, psa.ErrInvalidHandle)
}

// BenchmarkAEADEncrypt compares AEADEncrypt with the standard library
// building the cipher for each message, as a driver given the raw key does
// (impl=stdlib), and with a cipher built once (impl=stdlib-prepared-key),
// the bound that a per-key cache of prepared ciphers would approach.
func BenchmarkAEADEncrypt(b *testing.B) {
	c := symNew(b)
	key := bytes.Repeat([]byte{1}, 16)
	id := symImport(b, c, psa.KeyTypeAES, psa.UsageEncrypt, psa.AlgGCM, key)
	nonce := make([]byte, 12)
	for _, n := range []int{64, 16 << 10} {
		msg := make([]byte, n)
		dst := make([]byte, 0, n+16)
		b.Run(fmt.Sprintf("alg=AES-128-GCM/size=%d/impl=psa", n), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.AEADEncrypt(id, psa.AlgGCM, nonce, nil, msg, dst); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("alg=AES-128-GCM/size=%d/impl=stdlib", n), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				blk, _ := aes.NewCipher(key)
				g, _ := cipher.NewGCM(blk)
				g.Seal(dst, nonce, msg, nil)
			}
		})
		b.Run(fmt.Sprintf("alg=AES-128-GCM/size=%d/impl=stdlib-prepared-key", n), func(b *testing.B) {
			blk, _ := aes.NewCipher(key)
			g, _ := cipher.NewGCM(blk)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				g.Seal(dst, nonce, msg, nil)
			}
		})
	}
}
