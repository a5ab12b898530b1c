package psa_test

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"fmt"
	"log"
	"testing"

	"github.com/gopsa/psa"
)

// agreementVectors are from the PSA test suite of TF-PSA-Crypto
// (key_agreement): X25519 from RFC 7748 §6.1, and ECDH over P-256.
var agreementVectors = []struct {
	name              string
	keyType           psa.KeyType
	priv, peer, share string
}{
	{"X25519 RFC 7748 Alice", psa.KeyTypeECCKeyPair(psa.ECCFamilyMontgomery),
		"77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
		"de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
		"4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"},
	{"X25519 RFC 7748 Bob", psa.KeyTypeECCKeyPair(psa.ECCFamilyMontgomery),
		"5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
		"8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
		"4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"},
	{"ECDH P-256", p256Pair,
		"c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433",
		"04d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf6356fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab",
		"d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de"},
}

func TestKeyAgreementVectors(t *testing.T) {
	c := asymNew(t)
	for _, v := range agreementVectors {
		t.Run(v.name, func(t *testing.T) {
			id, err := c.ImportKey(psa.Attributes{Type: v.keyType, Usage: psa.UsageDerive, Alg: psa.AlgECDH}, unhex(t, v.priv))
			asymSkipUnsupported(t, "import", err)
			out, err := c.RawKeyAgreement(psa.AlgECDH, id, unhex(t, v.peer), nil)
			asymSkipUnsupported(t, "raw key agreement", err)
			if !bytes.Equal(out, unhex(t, v.share)) {
				t.Errorf("shared secret %x, want %s", out, v.share)
			}
			k, err := c.KeyAgreement(id, unhex(t, v.peer), psa.AlgECDH, psa.Attributes{Type: psa.KeyTypeRawData, Usage: psa.UsageExport})
			asymWant(t, "key agreement", err, nil)
			if got, err := c.ExportKey(k, nil); err != nil || !bytes.Equal(got, unhex(t, v.share)) {
				t.Errorf("shared secret key %x, %v; want %s", got, err, v.share)
			}
		})
	}
}

func TestKeyAgreementPolicy(t *testing.T) {
	c := asymNew(t)
	v := agreementVectors[2]
	for _, tt := range []struct {
		name   string
		usage  psa.KeyUsage
		policy psa.Algorithm
		want   error
	}{
		{"DERIVE and ECDH", psa.UsageDerive, psa.AlgECDH, nil},
		{"no DERIVE", psa.UsageSignHash, psa.AlgECDH, psa.ErrNotPermitted},
		{"policy FFDH", psa.UsageDerive, psa.AlgFFDH, psa.ErrNotPermitted},
		{"policy ECDSA", psa.UsageDerive, psa.AlgECDSA(psa.AlgSHA256), psa.ErrNotPermitted},
	} {
		id, err := c.ImportKey(psa.Attributes{Type: v.keyType, Usage: tt.usage, Alg: tt.policy}, unhex(t, v.priv))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.RawKeyAgreement(psa.AlgECDH, id, unhex(t, v.peer), nil)
		if err != nil && tt.want == nil {
			asymSkipUnsupported(t, tt.name, err)
		}
		asymWant(t, "raw: "+tt.name, err, tt.want)
		_, err = c.KeyAgreement(id, unhex(t, v.peer), psa.AlgECDH, psa.Attributes{Type: psa.KeyTypeDerive})
		asymWant(t, "key: "+tt.name, err, tt.want)
	}
}

func ExampleCrypto_KeyAgreement() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	// Our key, in the PSA instance; the peer's, anywhere.
	ours, err := c.GenerateKey(psa.Attributes{
		Type:  psa.KeyTypeECCKeyPair(psa.ECCFamilyMontgomery),
		Bits:  255,
		Usage: psa.UsageDerive,
		Alg:   psa.AlgECDH,
	})
	if err != nil {
		log.Fatal(err)
	}
	peer, _ := ecdh.X25519().GenerateKey(rand.Reader)
	// The shared secret becomes a derivation key: it never reaches the
	// application.
	secret, err := c.KeyAgreement(ours, peer.PublicKey().Bytes(), psa.AlgECDH, psa.Attributes{
		Type:  psa.KeyTypeDerive,
		Usage: psa.UsageDerive,
		Alg:   psa.AlgHKDF(psa.AlgSHA256),
	})
	if err != nil {
		log.Fatal(err)
	}
	a, _ := c.KeyAttributes(secret)
	fmt.Println(a.Type, a.Bits)
}
