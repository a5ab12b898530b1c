package psa_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"testing"

	"github.com/gopsa/psa"
)

// TestAsymmetricEncryption checks RSA OAEP and PKCS#1 v1.5 against
// crypto/rsa in both directions, and the policy matrix.
func TestAsymmetricEncryption(t *testing.T) {
	c := asymNew(t)
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	oaep := psa.AlgRSAOAEP(psa.AlgSHA256)
	both := psa.UsageEncrypt | psa.UsageDecrypt
	pair, err := c.ImportKey(psa.Attributes{Type: psa.KeyTypeRSAKeyPair, Usage: both, Alg: oaep, Alg2: psa.AlgRSAPKCS1v15Crypt}, x509.MarshalPKCS1PrivateKey(k))
	asymSkipUnsupported(t, "import", err)
	msg, label := []byte("to the PSA key"), []byte("label")

	ct, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, &k.PublicKey, msg, label)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := c.AsymmetricDecrypt(pair, oaep, ct, label, nil)
	asymSkipUnsupported(t, "decrypt", err)
	if !bytes.Equal(pt, msg) {
		t.Errorf("OAEP decryption %q, want %q", pt, msg)
	}
	ct, err = c.AsymmetricEncrypt(pair, oaep, msg, label, nil)
	asymWant(t, "encrypt", err, nil)
	if pt, err := rsa.DecryptOAEP(sha256.New(), nil, k, ct, label); err != nil || !bytes.Equal(pt, msg) {
		t.Errorf("crypto/rsa decrypts %q, %v", pt, err)
	}
	_, err = c.AsymmetricDecrypt(pair, oaep, ct, []byte("other label"), nil)
	asymWant(t, "decrypt with another label", err, psa.ErrInvalidPadding)
	//lint:ignore SA1019 testing interoperability of PSA_ALG_RSA_PKCS1V15_CRYPT
	ct, _ = rsa.EncryptPKCS1v15(rand.Reader, &k.PublicKey, msg)
	pt, err = c.AsymmetricDecrypt(pair, psa.AlgRSAPKCS1v15Crypt, ct, nil, nil)
	asymWant(t, "PKCS#1 v1.5", err, nil)
	if !bytes.Equal(pt, msg) {
		t.Errorf("PKCS#1 v1.5 decryption %q, want %q", pt, msg)
	}

	for _, tt := range []struct {
		name    string
		usage   psa.KeyUsage
		policy  psa.Algorithm
		decrypt bool
		want    error
	}{
		{"encrypt", both, oaep, false, nil},
		{"encrypt without ENCRYPT", psa.UsageDecrypt, oaep, false, psa.ErrNotPermitted},
		{"encrypt, other hash", both, psa.AlgRSAOAEP(psa.AlgSHA384), false, psa.ErrNotPermitted},
		{"decrypt", both, oaep, true, nil},
		{"decrypt without DECRYPT", psa.UsageEncrypt, oaep, true, psa.ErrNotPermitted},
		{"decrypt, other scheme", both, psa.AlgRSAPKCS1v15Crypt, true, psa.ErrNotPermitted},
	} {
		id, err := c.ImportKey(psa.Attributes{Type: psa.KeyTypeRSAKeyPair, Usage: tt.usage, Alg: tt.policy}, x509.MarshalPKCS1PrivateKey(k))
		if err != nil {
			t.Fatal(err)
		}
		if tt.decrypt {
			ct, _ := rsa.EncryptOAEP(sha256.New(), rand.Reader, &k.PublicKey, msg, nil)
			_, err = c.AsymmetricDecrypt(id, oaep, ct, nil, nil)
		} else {
			_, err = c.AsymmetricEncrypt(id, oaep, msg, nil, nil)
		}
		asymWant(t, tt.name, err, tt.want)
	}
	_, err = c.AsymmetricEncrypt(pair, psa.AlgRSAPSS(psa.AlgSHA256), msg, nil, nil)
	asymWant(t, "signature algorithm", err, psa.ErrInvalidArgument)
}
