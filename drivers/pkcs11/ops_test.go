package pkcs11

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

var eccPair = values.KeyTypeECCKeyPair(values.ECCFamilySECPR1)

// goECDSA returns the Go form of an exported SECP_R1 public key.
func goECDSA(t testing.TB, bits int, pub []byte) *ecdsa.PublicKey {
	t.Helper()
	c := map[int]elliptic.Curve{256: elliptic.P256(), 384: elliptic.P384(), 521: elliptic.P521()}[bits]
	k, err := ecdsa.ParseUncompressedPublicKey(c, pub)
	if err != nil {
		t.Fatalf("exported %d-bit public key %x: %v", bits, pub, err)
	}
	return k
}

func hmacSHA256(key, data []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(data)
	return m.Sum(nil)
}

// TestECDSAGenerated signs in the token with generated keys and verifies
// with crypto/ecdsa, and the other way round.
func TestECDSAGenerated(t *testing.T) {
	d := openDriver(t, testConfig(t))
	for _, tc := range []struct {
		bits int
		hash values.Algorithm
		sum  func([]byte) []byte
	}{
		{256, values.AlgSHA256, func(b []byte) []byte { s := sha256.Sum256(b); return s[:] }},
		{384, values.AlgSHA384, func(b []byte) []byte { s := sha512.Sum384(b); return s[:] }},
		{521, values.AlgSHA512, func(b []byte) []byte { s := sha512.Sum512(b); return s[:] }},
	} {
		alg := values.AlgECDSA(tc.hash)
		a, key := create(t, d, values.Attributes{Type: eccPair, Bits: tc.bits, Usage: values.UsageSignHash | values.UsageVerifyHash, Alg: alg}, nil)
		pub, err := d.ExportPublicKey(a, key, nil)
		if err != nil {
			t.Fatalf("P-%d: export public key: %v", tc.bits, err)
		}
		goPub := goECDSA(t, tc.bits, pub)
		hash := tc.sum([]byte("message signed in the token"))
		sig, err := d.SignHash(a, key, alg, hash, nil)
		if err != nil {
			t.Fatalf("P-%d: sign: %v", tc.bits, err)
		}
		n := (tc.bits + 7) / 8
		if len(sig) != 2*n {
			t.Fatalf("P-%d: %d-byte signature, want %d", tc.bits, len(sig), 2*n)
		}
		r, s := new(big.Int).SetBytes(sig[:n]), new(big.Int).SetBytes(sig[n:])
		if !ecdsa.Verify(goPub, hash, r, s) {
			t.Errorf("P-%d: crypto/ecdsa rejects the token's signature", tc.bits)
		}
		if err := d.VerifyHash(a, key, alg, hash, sig); err != nil {
			t.Errorf("P-%d: the token rejects its own signature: %v", tc.bits, err)
		}
		sig[3] ^= 0x40
		if err := d.VerifyHash(a, key, alg, hash, sig); !errors.Is(err, values.ErrInvalidSignature) {
			t.Errorf("P-%d: a corrupted signature: %v, want ErrInvalidSignature", tc.bits, err)
		}
		// sign_message hashes in software and signs in the token.
		msg := []byte("a message")
		sig, err = d.SignMessage(a, key, alg, msg, []byte("prefix"))
		if err != nil || !bytes.HasPrefix(sig, []byte("prefix")) {
			t.Fatalf("P-%d: sign message: %x, %v (want the signature appended to dst)", tc.bits, sig, err)
		}
		if err := d.VerifyMessage(a, key, alg, msg, sig[len("prefix"):]); err != nil {
			t.Errorf("P-%d: verify message: %v", tc.bits, err)
		}
		if err := d.VerifyHash(a, key, alg, make([]byte, len(hash)-1), sig[len("prefix"):]); !errors.Is(err, values.ErrInvalidArgument) {
			t.Errorf("P-%d: a hash of the wrong length: %v, want ErrInvalidArgument", tc.bits, err)
		}
		if err := d.DestroyKey(a, key); err != nil {
			t.Errorf("P-%d: destroy: %v", tc.bits, err)
		}
		if _, err := d.SignHash(a, key, alg, hash, nil); !errors.Is(err, values.ErrDoesNotExist) {
			t.Errorf("P-%d: sign with a destroyed key: %v, want ErrDoesNotExist", tc.bits, err)
		}
	}
}

// TestRSAGenerated checks RSA key generation in the token and each RSA
// mechanism against crypto/rsa.
func TestRSAGenerated(t *testing.T) {
	d := openDriver(t, testConfig(t))
	a, key := create(t, d, values.Attributes{Type: values.KeyTypeRSAKeyPair, Bits: 2048,
		Usage: values.UsageSignHash | values.UsageVerifyHash | values.UsageEncrypt | values.UsageDecrypt,
		Alg:   values.AlgRSAPSS(values.AlgAnyHash)}, nil)
	der, err := d.ExportPublicKey(a, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.ParsePKCS1PublicKey(der)
	if err != nil || pub.N.BitLen() != 2048 || pub.E != 65537 {
		t.Fatalf("exported public key: %v (want a 2048-bit key with e=65537)", err)
	}
	hash := sha256.Sum256([]byte("RSA"))
	sig, err := d.SignHash(a, key, values.AlgRSAPSS(values.AlgSHA256), hash[:], nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := rsa.VerifyPSS(pub, crypto.SHA256, hash[:], sig, &rsa.PSSOptions{SaltLength: 32}); err != nil {
		t.Errorf("crypto/rsa rejects the token's PSS signature: %v", err)
	}
	sig, err = d.SignHash(a, key, values.AlgRSAPKCS1v15Sign(values.AlgSHA256), hash[:], nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, hash[:], sig); err != nil {
		t.Errorf("crypto/rsa rejects the token's PKCS#1 v1.5 signature: %v", err)
	}
	// Encryption: crypto/rsa encrypts, the token decrypts, and back.
	for _, tc := range []struct {
		alg   values.Algorithm
		label []byte
	}{
		{values.AlgRSAPKCS1v15Crypt, nil},
		{values.AlgRSAOAEP(values.AlgSHA1), nil},
		{values.AlgRSAOAEP(values.AlgSHA1), []byte("label")},
		{values.AlgRSAOAEP(values.AlgSHA256), nil},
	} {
		msg := []byte("secret for " + tc.alg.String())
		if len(tc.label) != 0 {
			// Tokens differ on OAEP labels (SoftHSM2 2.6 has none).
			if _, err := d.AsymmetricEncrypt(a, key, tc.alg, msg, tc.label, nil); driver.IsNotSupported(err) {
				t.Logf("%v with a label: %v", tc.alg, err)
				continue
			}
		}
		var ct []byte
		if tc.alg == values.AlgRSAPKCS1v15Crypt {
			//lint:ignore SA1019 the token's PKCS#1 v1.5 decryption is checked against an independent implementation
			ct, err = rsa.EncryptPKCS1v15(rand.Reader, pub, msg)
		} else {
			h := crypto.SHA1
			if tc.alg.Hash() == values.AlgSHA256 {
				h = crypto.SHA256
			}
			ct, err = rsa.EncryptOAEP(h.New(), rand.Reader, pub, msg, tc.label)
		}
		if err != nil {
			t.Fatal(err)
		}
		pt, err := d.AsymmetricDecrypt(a, key, tc.alg, ct, tc.label, nil)
		if driver.IsNotSupported(err) {
			t.Logf("%v: %v", tc.alg, err) // SoftHSM2 2.6 has OAEP with SHA-1 only
			if !strings.Contains(err.Error(), "CKM_RSA_PKCS_OAEP") {
				t.Errorf("%v: the refusal does not name the mechanism: %v", tc.alg, err)
			}
			continue
		}
		if err != nil || !bytes.Equal(pt, msg) {
			t.Errorf("%v: decrypt = %q, %v; want %q", tc.alg, pt, err, msg)
		}
		ct[len(ct)/2] ^= 1
		if _, err := d.AsymmetricDecrypt(a, key, tc.alg, ct, tc.label, nil); !errors.Is(err, values.ErrInvalidPadding) {
			t.Errorf("%v: a corrupted ciphertext: %v, want ErrInvalidPadding", tc.alg, err)
		}
		ct, err = d.AsymmetricEncrypt(a, key, tc.alg, msg, tc.label, nil)
		if err != nil {
			t.Fatalf("%v: encrypt: %v", tc.alg, err)
		}
		if pt, err := d.AsymmetricDecrypt(a, key, tc.alg, ct, tc.label, nil); err != nil || !bytes.Equal(pt, msg) {
			t.Errorf("%v: the token's round trip = %q, %v", tc.alg, pt, err)
		}
	}
}

// TestRSAImported checks that an imported key signs as crypto/rsa does
// (PKCS#1 v1.5 signatures are deterministic) and exports unchanged.
func TestRSAImported(t *testing.T) {
	d := openDriver(t, testConfig(t))
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der := x509.MarshalPKCS1PrivateKey(k)
	a, key := create(t, d, values.Attributes{Type: values.KeyTypeRSAKeyPair, Usage: values.UsageSignHash | values.UsageExport,
		Alg: values.AlgRSAPKCS1v15Sign(values.AlgAnyHash)}, der)
	if a.Bits != 2048 {
		t.Errorf("imported %d bits, want 2048", a.Bits)
	}
	for _, h := range []crypto.Hash{crypto.SHA1, crypto.SHA224, crypto.SHA256, crypto.SHA384, crypto.SHA512} {
		hh := h.New()
		hh.Write([]byte("deterministic"))
		sum := hh.Sum(nil)
		want, err := rsa.SignPKCS1v15(nil, k, h, sum)
		if err != nil {
			t.Fatal(err)
		}
		hi := hashBySize(len(sum))
		got, err := d.SignHash(a, key, values.AlgRSAPKCS1v15Sign(hi), sum, nil)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%v: token signature differs from crypto/rsa's (err %v)", h, err)
		}
	}
	out, err := d.ExportKey(a, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	back, err := x509.ParsePKCS1PrivateKey(out)
	if err != nil || !back.Equal(k) {
		t.Errorf("exported key differs from the imported one (%v)", err)
	}
}

func hashBySize(n int) values.Algorithm {
	return map[int]values.Algorithm{20: values.AlgSHA1, 28: values.AlgSHA224, 32: values.AlgSHA256, 48: values.AlgSHA384, 64: values.AlgSHA512}[n]
}

// TestECDHGenerated checks ECDH in the token against crypto/ecdh.
func TestECDHGenerated(t *testing.T) {
	d := openDriver(t, testConfig(t))
	for _, c := range curves {
		a, key := create(t, d, values.Attributes{Type: eccPair, Bits: c.bits, Usage: values.UsageDerive, Alg: values.AlgECDH}, nil)
		pub, err := d.ExportPublicKey(a, key, nil)
		if err != nil {
			t.Fatal(err)
		}
		peer, err := c.ecdh.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		got, err := d.KeyAgreement(a, key, values.AlgECDH, peer.PublicKey().Bytes(), nil)
		if err != nil {
			t.Fatalf("P-%d: %v", c.bits, err)
		}
		tokenPub, err := c.ecdh.NewPublicKey(pub)
		if err != nil {
			t.Fatal(err)
		}
		want, err := peer.ECDH(tokenPub)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("P-%d: token secret %x, crypto/ecdh %x (%v)", c.bits, got, want, err)
		}
		bad := peer.PublicKey().Bytes()
		bad[len(bad)-1] ^= 1
		if _, err := d.KeyAgreement(a, key, values.AlgECDH, bad, nil); !errors.Is(err, values.ErrInvalidArgument) {
			t.Errorf("P-%d: a point off the curve: %v, want ErrInvalidArgument", c.bits, err)
		}
	}
}

// TestSymmetricGenerated checks generated AES and HMAC keys against the
// Go implementations, through keys exported with PSA_KEY_USAGE_EXPORT.
func TestSymmetricGenerated(t *testing.T) {
	d := openDriver(t, testConfig(t))
	for _, bits := range []int{128, 192, 256} {
		a, key := create(t, d, values.Attributes{Type: values.KeyTypeAES, Bits: bits,
			Usage: values.UsageEncrypt | values.UsageDecrypt | values.UsageExport, Alg: values.AlgGCM}, nil)
		raw, err := d.ExportKey(a, key, nil)
		if err != nil || len(raw) != bits/8 {
			t.Fatalf("AES-%d: export: %x, %v", bits, raw, err)
		}
		block, _ := aes.NewCipher(raw)
		gcm, _ := cipher.NewGCM(block)
		nonce, ad, pt := make([]byte, 12), []byte("ad"), []byte("plaintext of the GCM test")
		ct, err := d.AEADEncrypt(a, key, values.AlgGCM, nonce, ad, pt, nil)
		if err != nil || !bytes.Equal(ct, gcm.Seal(nil, nonce, pt, ad)) {
			t.Errorf("AES-%d GCM: token %x differs from crypto/cipher (%v)", bits, ct, err)
		}
		iv := bytes.Repeat([]byte{0xf0}, 16)
		ctr, err := d.CipherEncrypt(a, key, values.AlgCTR, iv, pt, nil)
		want := make([]byte, len(pt))
		cipher.NewCTR(block, iv).XORKeyStream(want, pt)
		if err != nil || !bytes.Equal(ctr, want) {
			t.Errorf("AES-%d CTR: token %x, crypto/cipher %x (%v)", bits, ctr, want, err)
		}
		padded, err := d.CipherEncrypt(a, key, values.AlgCBCPKCS7, iv, pt, nil)
		if err != nil || len(padded) != 32 {
			t.Fatalf("AES-%d CBC-PKCS7: %x, %v", bits, padded, err)
		}
		back, err := d.CipherDecrypt(a, key, values.AlgCBCPKCS7, append(iv, padded...), nil)
		if err != nil || !bytes.Equal(back, pt) {
			t.Errorf("AES-%d CBC-PKCS7 round trip: %q, %v", bits, back, err)
		}
	}
	a, key := create(t, d, values.Attributes{Type: values.KeyTypeHMAC, Bits: 256,
		Usage: values.UsageSignMessage | values.UsageVerifyMessage | values.UsageExport, Alg: values.AlgHMAC(values.AlgSHA256)}, nil)
	raw, err := d.ExportKey(a, key, nil)
	if err != nil || len(raw) != 32 {
		t.Fatalf("HMAC: export: %x, %v", raw, err)
	}
	mac, err := d.MACCompute(a, key, values.AlgHMAC(values.AlgSHA256), []byte("data"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := hmacSHA256(raw, []byte("data")); !bytes.Equal(mac, want) {
		t.Errorf("HMAC-SHA-256: token %x, crypto/hmac %x", mac, want)
	}
}

// TestPolicyInToken checks that the PSA usage flags reach the token as
// PKCS#11 attributes: the token itself refuses what the policy forbids,
// and reports it as PSA_ERROR_NOT_PERMITTED naming the CKR_ code.
func TestPolicyInToken(t *testing.T) {
	d := openDriver(t, testConfig(t))
	signOnly, key := create(t, d, values.Attributes{Type: values.KeyTypeRSAKeyPair, Bits: 2048, Usage: values.UsageSignHash,
		Alg: values.AlgRSAPKCS1v15Sign(values.AlgAnyHash)}, nil)
	for name, err := range map[string]error{
		"decrypt with a signing key": func() error {
			_, err := d.AsymmetricDecrypt(signOnly, key, values.AlgRSAPKCS1v15Crypt, make([]byte, 256), nil, nil)
			return err
		}(),
		"export a key without PSA_KEY_USAGE_EXPORT": func() error {
			_, err := d.ExportKey(signOnly, key, nil)
			return err
		}(),
	} {
		if !errors.Is(err, values.ErrNotPermitted) || !strings.Contains(err.Error(), "CKR_") {
			t.Errorf("%s: %v, want ErrNotPermitted naming the CKR_ code", name, err)
		}
	}
	ecc, ekey := create(t, d, values.Attributes{Type: eccPair, Bits: 256, Usage: values.UsageSignHash, Alg: values.AlgECDSA(values.AlgAnyHash)}, nil)
	peer, _ := ecdh.P256().GenerateKey(rand.Reader)
	if _, err := d.KeyAgreement(ecc, ekey, values.AlgECDH, peer.PublicKey().Bytes(), nil); !errors.Is(err, values.ErrNotPermitted) {
		t.Errorf("ECDH with a key without PSA_KEY_USAGE_DERIVE: %v, want ErrNotPermitted", err)
	}
	encOnly, akey := create(t, d, values.Attributes{Type: values.KeyTypeAES, Bits: 128, Usage: values.UsageEncrypt, Alg: values.AlgCTR}, nil)
	if _, err := d.CipherDecrypt(encOnly, akey, values.AlgCTR, make([]byte, 32), nil); !errors.Is(err, values.ErrNotPermitted) {
		t.Errorf("decrypt with an encrypt-only key: %v, want ErrNotPermitted", err)
	}
	if _, err := d.MACCompute(encOnly, akey, values.AlgCMAC, []byte("x"), nil); !errors.Is(err, values.ErrNotPermitted) {
		t.Errorf("CMAC with an encrypt-only key: %v, want ErrNotPermitted", err)
	}
}

// TestUnsupported checks the refusals of what the driver or the token
// cannot do: values.ErrNotSupported, naming the mechanism or the type.
func TestUnsupported(t *testing.T) {
	d := openDriver(t, testConfig(t))
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"Ed25519 key", func() error {
			_, err := d.AllocateKey(values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilyTwistedEdwards), Bits: 255, Lifetime: volatileLT}, nil)
			return err
		}(), "PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_TWISTED_EDWARDS)"},
		{"P-224", func() error {
			a := values.Attributes{ID: 0x7ff0ffff, Type: eccPair, Bits: 224, Lifetime: volatileLT}
			_, err := d.GenerateKey(a, driver.ProductionParameters{}, nil)
			return err
		}(), "224-bit"},
	} {
		if !errors.Is(tc.err, values.ErrNotSupported) || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: %v, want ErrNotSupported naming %s", tc.name, tc.err, tc.want)
		}
	}
	a, key := create(t, d, values.Attributes{Type: values.KeyTypeAES, Bits: 128, Usage: values.UsageEncrypt | values.UsageDecrypt}, nil)
	ccm := values.AlgAEADWithDefaultLengthTag(values.AlgCCM)
	if _, err := d.AEADEncrypt(a, key, ccm, make([]byte, 12), nil, nil, nil); !errors.Is(err, values.ErrNotSupported) {
		t.Errorf("CCM: %v, want ErrNotSupported", err)
	}
	// A mechanism that the token lacks is named in the refusal.
	d.cur.Load().mechs[0x1086] = false // CKM_AES_CTR
	_, err := d.CipherEncrypt(a, key, values.AlgCTR, make([]byte, 16), make([]byte, 16), nil)
	if !errors.Is(err, values.ErrNotSupported) || !strings.Contains(err.Error(), "CKM_AES_CTR") {
		t.Errorf("a mechanism the token lacks: %v, want ErrNotSupported naming CKM_AES_CTR", err)
	}
}

// TestConcurrentSign signs from 16 goroutines at once, with more
// goroutines than sessions.
func TestConcurrentSign(t *testing.T) {
	cfg := testConfig(t)
	cfg.MaxSessions = 4
	d := openDriver(t, cfg)
	alg := values.AlgECDSA(values.AlgSHA256)
	a, key := create(t, d, values.Attributes{Type: eccPair, Bits: 256, Usage: values.UsageSignHash, Alg: alg}, nil)
	pub, err := d.ExportPublicKey(a, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	goPub := goECDSA(t, 256, pub)
	const goroutines, each = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*each)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				h := sha256.Sum256([]byte{byte(g), byte(i)})
				sig, err := d.SignHash(a, key, alg, h[:], nil)
				if err != nil {
					errs <- err
					return
				}
				if !ecdsa.Verify(goPub, h[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
					errs <- errors.New("a signature does not verify")
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(d.cur.Load().open); n > cfg.MaxSessions {
		t.Errorf("%d sessions open, more than the %d allowed", n, cfg.MaxSessions)
	}
}
