package psa_test

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/mlkem"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"runtime/debug"
	"sync"
	"testing"

	"filippo.io/mldsa"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/gopsa/psa"
)

// BenchmarkVsStdlib measures single-part operations through the public API
// (impl=psa: key lookup, policy check, dispatch, builtin driver) next to the
// same operation on the same data with the library that the builtin driver
// uses, called directly as a Go program would, with its key or cipher
// prepared once (impl=std). The goal is impl=psa within 5% of impl=std and
// no allocation beyond the output; docs/performance.md has the numbers and
// explains each gap. Compare the two columns with
//
//	go test -run '^$' -bench VsStdlib -benchmem -count 8 . > bench.txt
//	go run golang.org/x/perf/cmd/benchstat@latest -col /impl bench.txt
//
// Each row does the same work on both sides, including what the PSA
// function does by definition: psa_cipher_encrypt draws the IV, so std
// draws one too; psa_encapsulate and psa_decapsulate return the secret as a
// new key, so psa also destroys that key each time, while std only gets
// the bytes; a peer key arrives as bytes, so std parses it each time.
func BenchmarkVsStdlib(b *testing.B) {
	c, err := psa.New()
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	for _, bc := range vsCases(b, c) {
		b.Run(bc.name+"/impl=psa", func(b *testing.B) { bc.run(b, bc.psa) })
		b.Run(bc.name+"/impl=std", func(b *testing.B) { bc.run(b, bc.std) })
	}
}

type vsCase struct {
	name     string
	bytes    int // processed per operation, for MB/s; 0 for none
	psa, std func() error
}

func (bc vsCase) run(b *testing.B, f func() error) {
	if err := f(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(bc.bytes))
	b.ReportAllocs()
	for b.Loop() {
		f()
	}
}

func vsImport(b testing.TB, c *psa.Crypto, attrs psa.Attributes, key []byte) psa.KeyID {
	b.Helper()
	id, err := c.ImportKey(attrs, key)
	if err != nil {
		b.Fatalf("import %v: %v", attrs.Type, err)
	}
	return id
}

func vsRandom(n int) []byte {
	p := make([]byte, n)
	rand.Read(p)
	return p
}

func vsCases(b *testing.B, c *psa.Crypto) []vsCase {
	var cases []vsCase
	add := func(name string, n int, psaF, stdF func() error) {
		cases = append(cases, vsCase{name, n, psaF, stdF})
	}

	// Hashes.
	for _, n := range []int{64, 16 << 10} {
		msg := vsRandom(n)
		dst := make([]byte, 0, 32)
		add(fmt.Sprintf("op=SHA-256/size=%d", n), n,
			func() error { _, err := c.HashCompute(psa.AlgSHA256, msg, dst); return err },
			func() error { sha256.Sum256(msg); return nil })
	}

	// HMAC: std keeps one hmac.Hash and resets it, as a Go program
	// computing many MACs with one key does (it is not safe for
	// concurrent use, which the PSA function is).
	{
		key, msg := vsRandom(32), vsRandom(1<<10)
		alg := psa.AlgHMAC(psa.AlgSHA256)
		id := vsImport(b, c, psa.Attributes{Type: psa.KeyTypeHMAC, Usage: psa.UsageSignMessage, Alg: alg}, key)
		dst := make([]byte, 0, 32)
		h := hmac.New(sha256.New, key)
		add("op=HMAC-SHA-256/size=1024", len(msg),
			func() error { _, err := c.MACCompute(id, alg, msg, dst); return err },
			func() error { h.Reset(); h.Write(msg); h.Sum(dst); return nil })
	}

	// AEADs.
	{
		key := vsRandom(16)
		id := vsImport(b, c, psa.Attributes{Type: psa.KeyTypeAES, Usage: psa.UsageEncrypt, Alg: psa.AlgGCM}, key)
		blk, _ := aes.NewCipher(key)
		gcm, _ := cipher.NewGCM(blk)
		nonce := vsRandom(12)
		for _, n := range []int{64, 16 << 10} {
			msg := vsRandom(n)
			dst := make([]byte, 0, n+16)
			add(fmt.Sprintf("op=AES-128-GCM-seal/size=%d", n), n,
				func() error {
					_, err := c.AEADEncrypt(id, psa.AlgGCM, nonce, nil, msg, dst)
					return err
				},
				func() error { gcm.Seal(dst, nonce, msg, nil); return nil })
		}
	}
	{
		key := vsRandom(32)
		id := vsImport(b, c, psa.Attributes{Type: psa.KeyTypeChaCha20, Usage: psa.UsageEncrypt, Alg: psa.AlgChaCha20Poly1305}, key)
		aead, _ := chacha20poly1305.New(key)
		nonce, msg := vsRandom(12), vsRandom(16<<10)
		dst := make([]byte, 0, len(msg)+16)
		add("op=ChaCha20-Poly1305-seal/size=16384", len(msg),
			func() error {
				_, err := c.AEADEncrypt(id, psa.AlgChaCha20Poly1305, nonce, nil, msg, dst)
				return err
			},
			func() error { aead.Seal(dst, nonce, msg, nil); return nil })
	}

	// AES-CTR: psa_cipher_encrypt draws a random IV and writes IV ||
	// ciphertext; std does the same with crypto/rand.
	{
		key, msg := vsRandom(16), vsRandom(16<<10)
		id := vsImport(b, c, psa.Attributes{Type: psa.KeyTypeAES, Usage: psa.UsageEncrypt, Alg: psa.AlgCTR}, key)
		blk, _ := aes.NewCipher(key)
		dst := make([]byte, 0, 16+len(msg))
		out := make([]byte, 16+len(msg))
		add("op=AES-128-CTR-encrypt/size=16384", len(msg),
			func() error { _, err := c.CipherEncrypt(id, psa.AlgCTR, msg, dst); return err },
			func() error {
				rand.Read(out[:16])
				cipher.NewCTR(blk, out[:16]).XORKeyStream(out[16:], msg)
				return nil
			})
	}

	// HKDF-SHA-256: extract and expand 32 bytes from a 32-byte secret.
	{
		secret, salt, info := vsRandom(32), vsRandom(32), []byte("benchmark info")
		alg := psa.AlgHKDF(psa.AlgSHA256)
		out := make([]byte, 32)
		var op psa.KeyDerivationOperation
		add("op=HKDF-SHA-256/size=32", 0,
			func() error {
				if err := c.KeyDerivationSetup(&op, alg); err != nil {
					return err
				}
				defer op.Abort()
				if err := op.InputBytes(psa.DerivationInputSalt, salt); err != nil {
					return err
				}
				if err := op.InputBytes(psa.DerivationInputSecret, secret); err != nil {
					return err
				}
				if err := op.InputBytes(psa.DerivationInputInfo, info); err != nil {
					return err
				}
				return op.OutputBytes(out)
			},
			func() error { _, err := hkdf.Key(sha256.New, secret, salt, string(info), 32); return err })
	}

	// ECDSA P-256 over a SHA-256 digest.
	{
		priv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		alg := psa.AlgECDSA(psa.AlgSHA256)
		pair := psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1)
		raw, _ := priv.Bytes()
		id := vsImport(b, c, psa.Attributes{Type: pair, Usage: psa.UsageSignHash, Alg: alg}, raw)
		pubBytes, _ := priv.PublicKey.Bytes()
		pubID := vsImport(b, c, psa.Attributes{Type: psa.KeyTypeECCPublicKey(psa.ECCFamilySECPR1), Usage: psa.UsageVerifyHash, Alg: alg}, pubBytes)
		digest := sha256.Sum256([]byte("benchmark"))
		dst := make([]byte, 0, 64)
		sig, err := c.SignHash(id, alg, digest[:], nil)
		if err != nil {
			b.Fatal(err)
		}
		der, _ := ecdsa.SignASN1(rand.Reader, priv, digest[:])
		add("op=ECDSA-P256-sign", 0,
			func() error { _, err := c.SignHash(id, alg, digest[:], dst); return err },
			func() error { _, err := ecdsa.SignASN1(rand.Reader, priv, digest[:]); return err })
		add("op=ECDSA-P256-verify", 0,
			func() error { return c.VerifyHash(pubID, alg, digest[:], sig) },
			func() error {
				if !ecdsa.VerifyASN1(&priv.PublicKey, digest[:], der) {
					return fmt.Errorf("ECDSA verify failed")
				}
				return nil
			})
	}

	// ECDH on P-256 and X25519: the peer's public key arrives as bytes.
	for _, kc := range []struct {
		name   string
		curve  ecdh.Curve
		family psa.ECCFamily
	}{
		{"ECDH-P256", ecdh.P256(), psa.ECCFamilySECPR1},
		{"X25519", ecdh.X25519(), psa.ECCFamilyMontgomery},
	} {
		priv, _ := kc.curve.GenerateKey(rand.Reader)
		peer, _ := kc.curve.GenerateKey(rand.Reader)
		peerBytes := peer.PublicKey().Bytes()
		id := vsImport(b, c, psa.Attributes{Type: psa.KeyTypeECCKeyPair(kc.family), Usage: psa.UsageDerive, Alg: psa.AlgECDH}, priv.Bytes())
		dst := make([]byte, 0, 32)
		add("op="+kc.name, 0,
			func() error { _, err := c.RawKeyAgreement(psa.AlgECDH, id, peerBytes, dst); return err },
			func() error {
				pk, err := kc.curve.NewPublicKey(peerBytes)
				if err != nil {
					return err
				}
				_, err = priv.ECDH(pk)
				return err
			})
	}

	// Ed25519 on a 64-byte message.
	{
		pub, priv, _ := ed25519.GenerateKey(rand.Reader)
		msg := vsRandom(64)
		id := vsImport(b, c, psa.Attributes{Type: psa.KeyTypeECCKeyPair(psa.ECCFamilyTwistedEdwards), Usage: psa.UsageSignMessage, Alg: psa.AlgPureEdDSA}, priv.Seed())
		pubID := vsImport(b, c, psa.Attributes{Type: psa.KeyTypeECCPublicKey(psa.ECCFamilyTwistedEdwards), Usage: psa.UsageVerifyMessage, Alg: psa.AlgPureEdDSA}, pub)
		sig := ed25519.Sign(priv, msg)
		dst := make([]byte, 0, 64)
		add("op=Ed25519-sign", 0,
			func() error { _, err := c.SignMessage(id, psa.AlgPureEdDSA, msg, dst); return err },
			func() error { ed25519.Sign(priv, msg); return nil })
		add("op=Ed25519-verify", 0,
			func() error { return c.VerifyMessage(pubID, psa.AlgPureEdDSA, msg, sig) },
			func() error {
				if !ed25519.Verify(pub, msg, sig) {
					return fmt.Errorf("Ed25519 verify failed")
				}
				return nil
			})
	}

	// RSA PKCS#1 v1.5 signatures over a SHA-256 digest.
	for _, bits := range []int{2048, 3072} {
		priv, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			b.Fatal(err)
		}
		alg := psa.AlgRSAPKCS1v15Sign(psa.AlgSHA256)
		id := vsImport(b, c, psa.Attributes{Type: psa.KeyTypeRSAKeyPair, Usage: psa.UsageSignHash, Alg: alg}, x509.MarshalPKCS1PrivateKey(priv))
		digest := sha256.Sum256([]byte("benchmark"))
		dst := make([]byte, 0, bits/8)
		add(fmt.Sprintf("op=RSA-%d-sign", bits), 0,
			func() error { _, err := c.SignHash(id, alg, digest[:], dst); return err },
			func() error { _, err := rsa.SignPKCS1v15(rand.Reader, priv, crypto.SHA256, digest[:]); return err })
		if bits != 2048 {
			continue
		}
		pubID := vsImport(b, c, psa.Attributes{Type: psa.KeyTypeRSAPublicKey, Usage: psa.UsageVerifyHash, Alg: alg}, x509.MarshalPKCS1PublicKey(&priv.PublicKey))
		sig, _ := rsa.SignPKCS1v15(rand.Reader, priv, crypto.SHA256, digest[:])
		add(fmt.Sprintf("op=RSA-%d-verify", bits), 0,
			func() error { return c.VerifyHash(pubID, alg, digest[:], sig) },
			func() error { return rsa.VerifyPKCS1v15(&priv.PublicKey, crypto.SHA256, digest[:], sig) })
	}

	// ML-KEM-768. The PSA functions return the shared secret as a key,
	// which psa destroys again in the loop.
	{
		dk, _ := mlkem.GenerateKey768()
		ek := dk.EncapsulationKey()
		pubID := vsImport(b, c, psa.Attributes{Type: psa.KeyTypeMLKEMPublicKey, Usage: psa.UsageEncrypt, Alg: psa.AlgMLKEM}, ek.Bytes())
		pairID := vsImport(b, c, psa.Attributes{Type: psa.KeyTypeMLKEMKeyPair, Bits: 768, Usage: psa.UsageDecrypt, Alg: psa.AlgMLKEM}, dk.Bytes())
		secret := psa.Attributes{Type: psa.KeyTypeDerive, Usage: psa.UsageDerive, Alg: psa.AlgHKDF(psa.AlgSHA256)}
		_, ct := ek.Encapsulate()
		add("op=ML-KEM-768-encapsulate", 0,
			func() error {
				id, _, err := c.Encapsulate(pubID, psa.AlgMLKEM, secret)
				if err != nil {
					return err
				}
				return c.DestroyKey(id)
			},
			func() error { ek.Encapsulate(); return nil })
		add("op=ML-KEM-768-decapsulate", 0,
			func() error {
				id, err := c.Decapsulate(pairID, psa.AlgMLKEM, ct, secret)
				if err != nil {
					return err
				}
				return c.DestroyKey(id)
			},
			func() error { _, err := dk.Decapsulate(ct); return err })
	}

	// ML-DSA-65, deterministic (so that both sides do the same number of
	// rejection-sampling rounds), with filippo.io/mldsa, the standalone
	// form of crypto/mldsa that the builtin driver uses.
	{
		seed := vsRandom(mldsa.PrivateKeySize)
		priv, err := mldsa.NewPrivateKey(mldsa.MLDSA65(), seed)
		if err != nil {
			b.Fatal(err)
		}
		pub := priv.PublicKey()
		msg := vsRandom(64)
		id := vsImport(b, c, psa.Attributes{Type: psa.KeyTypeMLDSAKeyPair, Bits: 192, Usage: psa.UsageSignMessage, Alg: psa.AlgDeterministicMLDSA}, seed)
		pubID := vsImport(b, c, psa.Attributes{Type: psa.KeyTypeMLDSAPublicKey, Usage: psa.UsageVerifyMessage, Alg: psa.AlgDeterministicMLDSA}, pub.Bytes())
		sig, err := priv.SignDeterministic(msg, &mldsa.Options{})
		if err != nil {
			b.Fatal(err)
		}
		dst := make([]byte, 0, len(sig))
		add("op=ML-DSA-65-sign", 0,
			func() error { _, err := c.SignMessage(id, psa.AlgDeterministicMLDSA, msg, dst); return err },
			func() error { _, err := priv.SignDeterministic(msg, &mldsa.Options{}); return err })
		add("op=ML-DSA-65-verify", 0,
			func() error { return c.VerifyMessage(pubID, psa.AlgDeterministicMLDSA, msg, sig) },
			func() error { return mldsa.Verify(pub, msg, sig, &mldsa.Options{}) })
	}

	// Check once that both sides agree where the output is deterministic.
	if got, _ := c.HashCompute(psa.AlgSHA256, []byte("x"), nil); !bytes.Equal(got, vsSum256([]byte("x"))) {
		b.Fatal("SHA-256 through psa differs from crypto/sha256")
	}
	return cases
}

func vsSum256(p []byte) []byte { s := sha256.Sum256(p); return s[:] }

// raceEnabled reports whether the test binary was built with -race, under
// which sync.Pool drops a quarter of what it is given and so allocates.
func raceEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// TestSinglePartAllocations checks the rows of BenchmarkVsStdlib that
// docs/performance.md says allocate nothing beyond their output: with room
// in dst, they allocate nothing at all.
func TestSinglePartAllocations(t *testing.T) {
	if raceEnabled() {
		t.Skip("the race detector makes sync.Pool allocate")
	}
	c, err := psa.New()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	hmacAlg := psa.AlgHMAC(psa.AlgSHA256)
	hmacID := vsImport(t, c, psa.Attributes{Type: psa.KeyTypeHMAC, Usage: psa.UsageSignMessage | psa.UsageVerifyMessage, Alg: hmacAlg}, vsRandom(32))
	gcmID := vsImport(t, c, psa.Attributes{Type: psa.KeyTypeAES, Usage: psa.UsageEncrypt | psa.UsageDecrypt, Alg: psa.AlgGCM}, vsRandom(16))
	cmacID := vsImport(t, c, psa.Attributes{Type: psa.KeyTypeAES, Usage: psa.UsageSignMessage | psa.UsageVerifyMessage, Alg: psa.AlgCMAC}, vsRandom(16))
	msg, nonce := vsRandom(64), vsRandom(12)
	mac, err := c.MACCompute(hmacID, hmacAlg, msg, nil)
	if err != nil {
		t.Fatal(err)
	}
	cmacTag, err := c.MACCompute(cmacID, psa.AlgCMAC, msg, nil)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := c.AEADEncrypt(gcmID, psa.AlgGCM, nonce, nil, msg, nil)
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]byte, 0, 128)
	for _, tc := range []struct {
		name string
		f    func() error
	}{
		{"HashCompute SHA-256", func() error { _, err := c.HashCompute(psa.AlgSHA256, msg, dst); return err }},
		{"MACCompute HMAC-SHA-256", func() error { _, err := c.MACCompute(hmacID, hmacAlg, msg, dst); return err }},
		{"MACVerify HMAC-SHA-256", func() error { return c.MACVerify(hmacID, hmacAlg, msg, mac) }},
		{"MACCompute CMAC-AES", func() error { _, err := c.MACCompute(cmacID, psa.AlgCMAC, msg, dst); return err }},
		{"MACVerify CMAC-AES", func() error { return c.MACVerify(cmacID, psa.AlgCMAC, msg, cmacTag) }},
		{"AEADEncrypt GCM", func() error { _, err := c.AEADEncrypt(gcmID, psa.AlgGCM, nonce, nil, msg, dst); return err }},
		{"AEADDecrypt GCM", func() error { _, err := c.AEADDecrypt(gcmID, psa.AlgGCM, nonce, nil, sealed, dst); return err }},
	} {
		var callErr error
		n := testing.AllocsPerRun(100, func() {
			if err := tc.f(); err != nil {
				callErr = err
			}
		})
		if callErr != nil {
			t.Errorf("%s: %v", tc.name, callErr)
		}
		if n != 0 {
			t.Errorf("%s: %v allocations per call, want 0", tc.name, n)
		}
	}
}

// TestHMACPooled checks single-part HMACs, whose keyed state the builtin
// driver pools per key, against RFC 4231 and crypto/hmac: repeated and
// concurrent calls with several keys, keys longer than the block, truncated
// MACs, and calls after a failed verification must each get a fresh state.
func TestHMACPooled(t *testing.T) {
	c, err := psa.New()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	// RFC 4231, test case 2.
	rfcAlg := psa.AlgHMAC(psa.AlgSHA256)
	rfcID := vsImport(t, c, psa.Attributes{Type: psa.KeyTypeHMAC, Usage: psa.UsageSignMessage, Alg: rfcAlg}, []byte("Jefe"))
	want, _ := hex.DecodeString("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
	for i := range 3 {
		got, err := c.MACCompute(rfcID, rfcAlg, []byte("what do ya want for nothing?"), nil)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("RFC 4231 case 2, call %d: got %x, %v; want %x", i, got, err, want)
		}
	}

	type keyCase struct {
		name string
		alg  psa.Algorithm
		n    int // MAC length
		new  func() hash.Hash
		key  []byte
		id   psa.KeyID
	}
	var keys []*keyCase
	for _, kl := range []int{16, 64, 200} {
		keys = append(keys,
			&keyCase{name: fmt.Sprintf("SHA-256/key=%d", kl), alg: psa.AlgHMAC(psa.AlgSHA256), n: 32, new: sha256.New, key: vsRandom(kl)},
			&keyCase{name: fmt.Sprintf("SHA-512/key=%d", kl), alg: psa.AlgHMAC(psa.AlgSHA512), n: 64, new: sha512.New, key: vsRandom(kl)},
			&keyCase{name: fmt.Sprintf("SHA-256-trunc16/key=%d", kl), alg: psa.AlgTruncatedMAC(psa.AlgHMAC(psa.AlgSHA256), 16), n: 16, new: sha256.New, key: vsRandom(kl)},
		)
	}
	for _, k := range keys {
		k.id = vsImport(t, c, psa.Attributes{Type: psa.KeyTypeHMAC, Usage: psa.UsageSignMessage | psa.UsageVerifyMessage, Alg: k.alg}, k.key)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 50 {
				k := keys[(g+i)%len(keys)]
				msg := vsRandom(i * 7)
				h := hmac.New(k.new, k.key)
				h.Write(msg)
				want := h.Sum(nil)[:k.n]
				got, err := c.MACCompute(k.id, k.alg, msg, nil)
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("%s, message %d: got %x, %v; want %x", k.name, i, got, err, want)
					return
				}
				bad := bytes.Clone(want)
				bad[i%len(bad)] ^= 1
				if err := c.MACVerify(k.id, k.alg, msg, bad); !errors.Is(err, psa.ErrInvalidSignature) {
					t.Errorf("%s, message %d: verify of a wrong MAC: %v, want ErrInvalidSignature", k.name, i, err)
				}
				if err := c.MACVerify(k.id, k.alg, msg, want); err != nil {
					t.Errorf("%s, message %d: verify: %v", k.name, i, err)
				}
			}
		})
	}
	wg.Wait()

	// A key destroyed and another imported, perhaps into the same buffer
	// address, must not get the first key's pooled state.
	k := keys[0]
	if err := c.DestroyKey(k.id); err != nil {
		t.Fatal(err)
	}
	other := vsRandom(len(k.key))
	id := vsImport(t, c, psa.Attributes{Type: psa.KeyTypeHMAC, Usage: psa.UsageSignMessage, Alg: k.alg}, other)
	h := hmac.New(k.new, other)
	h.Write([]byte("after destroy"))
	if got, err := c.MACCompute(id, k.alg, []byte("after destroy"), nil); err != nil || !bytes.Equal(got, h.Sum(nil)) {
		t.Errorf("new key after destroy: got %x, %v; want %x", got, err, h.Sum(nil))
	}
}

// TestCMACPooled checks single-part CMAC and CBC-MAC, whose keyed state the
// builtin driver pools per key, against RFC 4493 and against the
// multi-part operation, which builds its own state: repeated calls with
// one key must each start from a reset state.
func TestCMACPooled(t *testing.T) {
	c, err := psa.New()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	h := func(s string) []byte { b, _ := hex.DecodeString(s); return b }

	// RFC 4493, section 4, examples 1 to 3, twice each, in turn.
	rfcKey := h("2b7e151628aed2a6abf7158809cf4f3c")
	rfcMsg := h("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411")
	rfcID := vsImport(t, c, psa.Attributes{Type: psa.KeyTypeAES, Usage: psa.UsageSignMessage | psa.UsageVerifyMessage, Alg: psa.AlgCMAC}, rfcKey)
	for i := range 2 {
		for _, v := range []struct {
			n   int
			tag string
		}{
			{0, "bb1d6929e95937287fa37d129b756746"},
			{16, "070a16b46b4d4144f79bdd9dd04a287c"},
			{40, "dfa66747de9ae63030ca32611497c827"},
		} {
			got, err := c.MACCompute(rfcID, psa.AlgCMAC, rfcMsg[:v.n], nil)
			if err != nil || !bytes.Equal(got, h(v.tag)) {
				t.Errorf("pass %d, RFC 4493 Mlen=%d: got %x, %v; want %s", i, v.n, got, err, v.tag)
			}
			if err := c.MACVerify(rfcID, psa.AlgCMAC, rfcMsg[:v.n], h(v.tag)); err != nil {
				t.Errorf("pass %d, RFC 4493 Mlen=%d: verify: %v", i, v.n, err)
			}
		}
	}

	for _, alg := range []psa.Algorithm{psa.AlgCMAC, psa.AlgCBCMAC, psa.AlgTruncatedMAC(psa.AlgCMAC, 8)} {
		id := vsImport(t, c, psa.Attributes{Type: psa.KeyTypeAES, Usage: psa.UsageSignMessage | psa.UsageVerifyMessage, Alg: alg}, vsRandom(32))
		for i := range 6 {
			msg := vsRandom(i * 13)
			var op psa.MACOperation
			if err := c.MACSignSetup(&op, id, alg); err != nil {
				t.Fatal(err)
			}
			if err := op.Update(msg); err != nil {
				t.Fatal(err)
			}
			want, err := op.SignFinish(nil)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.MACCompute(id, alg, msg, nil)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%v, %d bytes: single-part %x, %v; multi-part %x", alg, len(msg), got, err, want)
			}
			bad := bytes.Clone(want)
			bad[0] ^= 0x80
			if err := c.MACVerify(id, alg, msg, bad); !errors.Is(err, psa.ErrInvalidSignature) {
				t.Errorf("%v, %d bytes: verify of a wrong MAC: %v, want ErrInvalidSignature", alg, len(msg), err)
			}
		}
	}
}
