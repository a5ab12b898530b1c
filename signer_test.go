package psa_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"log"
	"math/big"
	"testing"
	"time"

	"github.com/gopsa/psa"
)

func TestSignerECDSA(t *testing.T) {
	c := asymNew(t)
	for _, tt := range []struct {
		bits   int
		hash   crypto.Hash
		policy psa.Algorithm
	}{
		{256, crypto.SHA256, psa.AlgECDSA(psa.AlgAnyHash)},
		{384, crypto.SHA384, psa.AlgDeterministicECDSA(psa.AlgAnyHash)},
		{521, crypto.SHA512, psa.AlgECDSA(psa.AlgSHA512)},
	} {
		id, err := c.GenerateKey(psa.Attributes{Type: p256Pair, Bits: tt.bits, Usage: psa.UsageSignHash, Alg: tt.policy})
		asymSkipUnsupported(t, "generate", err)
		s, err := c.Signer(id)
		if err != nil {
			t.Fatal(err)
		}
		pub, ok := s.Public().(*ecdsa.PublicKey)
		if !ok || pub.Curve.Params().BitSize != tt.bits {
			t.Fatalf("Public() = %T, want a %d-bit *ecdsa.PublicKey", s.Public(), tt.bits)
		}
		h := tt.hash.New()
		h.Write([]byte("signed by a PSA key"))
		digest := h.Sum(nil)
		sig, err := s.Sign(rand.Reader, digest, tt.hash)
		asymSkipUnsupported(t, "sign", err)
		if !ecdsa.VerifyASN1(pub, digest, sig) {
			t.Errorf("P-%d: crypto/ecdsa rejects the signature %x", tt.bits, sig)
		}
	}
	// A policy without the options' hash: NOT_PERMITTED, from the core.
	id, _ := c.GenerateKey(psa.Attributes{Type: p256Pair, Bits: 256, Usage: psa.UsageSignHash, Alg: psa.AlgECDSA(psa.AlgSHA256)})
	s, _ := c.Signer(id)
	_, err := s.Sign(nil, make([]byte, 48), crypto.SHA384)
	asymWant(t, "sign with a hash the policy does not permit", err, psa.ErrNotPermitted)
	aes, _ := c.ImportKey(psa.Attributes{Type: psa.KeyTypeAES, Usage: psa.UsageEncrypt, Alg: psa.AlgCTR}, make([]byte, 16))
	_, err = c.Signer(aes)
	asymWant(t, "signer of an AES key", err, psa.ErrInvalidArgument)
}

func TestSignerEd25519(t *testing.T) {
	c := asymNew(t)
	id, err := c.ImportKey(psa.Attributes{Type: ed25519Type, Bits: 255, Usage: psa.UsageSignHash | psa.UsageSignMessage,
		Alg: psa.AlgPureEdDSA, Alg2: psa.AlgEd25519ph}, unhex(t, signVectors[1].key))
	asymSkipUnsupported(t, "import", err)
	s, err := c.Signer(id)
	if err != nil {
		t.Fatal(err)
	}
	pub := s.Public().(ed25519.PublicKey)
	if want := "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"; fmt.Sprintf("%x", []byte(pub)) != want {
		t.Errorf("public key %x, want RFC 8032's %s", []byte(pub), want)
	}
	msg := []byte("message")
	sig, err := s.Sign(nil, msg, crypto.Hash(0))
	asymSkipUnsupported(t, "sign", err)
	if !ed25519.Verify(pub, msg, sig) {
		t.Error("crypto/ed25519 rejects the signature")
	}
	digest := sha512.Sum512(msg)
	sig, err = s.Sign(nil, digest[:], &ed25519.Options{Hash: crypto.SHA512})
	asymSkipUnsupported(t, "sign Ed25519ph", err)
	if err := ed25519.VerifyWithOptions(pub, digest[:], sig, &ed25519.Options{Hash: crypto.SHA512}); err != nil {
		t.Errorf("crypto/ed25519 rejects the Ed25519ph signature: %v", err)
	}
	_, err = s.Sign(nil, msg, &ed25519.Options{Context: "ctx"})
	asymWant(t, "Ed25519ctx", err, psa.ErrNotSupported)
}

func TestSignerRSA(t *testing.T) {
	c := asymNew(t)
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.ImportKey(psa.Attributes{Type: psa.KeyTypeRSAKeyPair, Usage: psa.UsageSignHash | psa.UsageDecrypt,
		Alg: psa.AlgRSAPSS(psa.AlgAnyHash), Alg2: psa.AlgRSAPKCS1v15Sign(psa.AlgAnyHash)}, x509.MarshalPKCS1PrivateKey(k))
	asymSkipUnsupported(t, "import", err)
	s, err := c.Signer(id)
	if err != nil {
		t.Fatal(err)
	}
	if !k.PublicKey.Equal(s.Public()) {
		t.Fatal("Public() differs from the imported key's")
	}
	digest := sha256.Sum256([]byte("rsa"))
	sig, err := s.Sign(nil, digest[:], &rsa.PSSOptions{Hash: crypto.SHA256, SaltLength: rsa.PSSSaltLengthEqualsHash})
	asymSkipUnsupported(t, "sign PSS", err)
	if err := rsa.VerifyPSS(&k.PublicKey, crypto.SHA256, digest[:], sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}); err != nil {
		t.Errorf("crypto/rsa rejects the PSS signature: %v", err)
	}
	sig, err = s.Sign(nil, digest[:], crypto.SHA256)
	asymSkipUnsupported(t, "sign PKCS#1 v1.5", err)
	if err := rsa.VerifyPKCS1v15(&k.PublicKey, crypto.SHA256, digest[:], sig); err != nil {
		t.Errorf("crypto/rsa rejects the PKCS#1 v1.5 signature: %v", err)
	}
	_, err = s.Sign(nil, digest[:], &rsa.PSSOptions{Hash: crypto.SHA256, SaltLength: 10})
	asymWant(t, "PSS with a 10-byte salt", err, psa.ErrNotSupported)
}

func TestDecrypter(t *testing.T) {
	c := asymNew(t)
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.ImportKey(psa.Attributes{Type: psa.KeyTypeRSAKeyPair, Usage: psa.UsageDecrypt,
		Alg: psa.AlgRSAOAEP(psa.AlgSHA256), Alg2: psa.AlgRSAPKCS1v15Crypt}, x509.MarshalPKCS1PrivateKey(k))
	asymSkipUnsupported(t, "import", err)
	d, err := c.Decrypter(id)
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("session key")
	ct, _ := rsa.EncryptOAEP(sha256.New(), rand.Reader, &k.PublicKey, msg, []byte("label"))
	pt, err := d.Decrypt(nil, ct, &rsa.OAEPOptions{Hash: crypto.SHA256, Label: []byte("label")})
	asymSkipUnsupported(t, "decrypt OAEP", err)
	if !bytes.Equal(pt, msg) {
		t.Errorf("OAEP plaintext %q, want %q", pt, msg)
	}
	//lint:ignore SA1019 testing interoperability of PSA_ALG_RSA_PKCS1V15_CRYPT
	ct, _ = rsa.EncryptPKCS1v15(rand.Reader, &k.PublicKey, msg)
	pt, err = d.Decrypt(nil, ct, nil)
	asymSkipUnsupported(t, "decrypt PKCS#1 v1.5", err)
	if !bytes.Equal(pt, msg) {
		t.Errorf("PKCS#1 v1.5 plaintext %q, want %q", pt, msg)
	}
	//lint:ignore SA1019 the adapter must refuse these options clearly
	_, err = d.Decrypt(nil, ct, &rsa.PKCS1v15DecryptOptions{SessionKeyLen: 16})
	asymWant(t, "SessionKeyLen", err, psa.ErrNotSupported)
	_, err = d.Decrypt(nil, ct, &rsa.OAEPOptions{Hash: crypto.SHA256, MGFHash: crypto.SHA1})
	asymWant(t, "OAEP with another MGF1 hash", err, psa.ErrNotSupported)
	ecc, _ := c.GenerateKey(psa.Attributes{Type: p256Pair, Bits: 256, Usage: psa.UsageDecrypt})
	_, err = c.Decrypter(ecc)
	asymWant(t, "decrypter of an ECC key", err, psa.ErrInvalidArgument)
}

// TestSignerX509 has crypto/x509 sign a certificate with a PSA key.
func TestSignerX509(t *testing.T) {
	c := asymNew(t)
	id, err := c.GenerateKey(psa.Attributes{Type: p256Pair, Bits: 256, Usage: psa.UsageSignHash, Alg: psa.AlgECDSA(psa.AlgAnyHash)})
	asymSkipUnsupported(t, "generate", err)
	cert, err := selfSigned(c, id)
	asymSkipUnsupported(t, "certificate", err)
	if err := cert.CheckSignatureFrom(cert); err != nil {
		t.Errorf("the self-signed certificate does not verify: %v", err)
	}
}

// selfSigned makes a self-signed certificate for key.
func selfSigned(c *psa.Crypto, key psa.KeyID) (*x509.Certificate, error) {
	signer, err := c.Signer(key)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "gopsa example"},
		NotBefore:             time.Now(),
		NotAfter:              time.Now().Add(24 * time.Hour),
		BasicConstraintsValid: true,
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(c.Rand(), tmpl, tmpl, signer.Public(), signer)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

var ed25519Type = psa.KeyTypeECCKeyPair(psa.ECCFamilyTwistedEdwards)

// This example has crypto/x509 create a self-signed certificate whose
// private key never leaves the PSA instance.
func ExampleCrypto_Signer() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	key, err := c.GenerateKey(psa.Attributes{
		Type:  psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1),
		Bits:  256,
		Usage: psa.UsageSignHash,
		Alg:   psa.AlgECDSA(psa.AlgAnyHash), // x509 chooses the hash
	})
	if err != nil {
		log.Fatal(err)
	}
	signer, err := c.Signer(key)
	if err != nil {
		log.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "example"},
		NotBefore:    time.Now(),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(c.Rand(), tmpl, tmpl, signer.Public(), signer)
	if err != nil {
		log.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cert.Subject.CommonName, cert.SignatureAlgorithm, cert.CheckSignatureFrom(cert))
}

func ExampleCrypto_Decrypter() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	key, err := c.GenerateKey(psa.Attributes{
		Type:  psa.KeyTypeRSAKeyPair,
		Bits:  2048,
		Usage: psa.UsageDecrypt,
		Alg:   psa.AlgRSAOAEP(psa.AlgSHA256),
	})
	if err != nil {
		log.Fatal(err)
	}
	d, err := c.Decrypter(key)
	if err != nil {
		log.Fatal(err)
	}
	// Anyone encrypts to the public key with crypto/rsa...
	ct, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, d.Public().(*rsa.PublicKey), []byte("secret"), nil)
	if err != nil {
		log.Fatal(err)
	}
	// ...and the PSA key decrypts.
	pt, err := d.Decrypt(nil, ct, &rsa.OAEPOptions{Hash: crypto.SHA256})
	fmt.Printf("%s %v\n", pt, errors.Is(err, nil))
}
