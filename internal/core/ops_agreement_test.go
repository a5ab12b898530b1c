package core

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/gopsa/psa/values"
)

func asymHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The X25519 vectors of RFC 7748 §6.1, as in the PSA test suite.
const (
	asymX25519Alice  = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
	asymX25519Bob    = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"
	asymX25519AliceP = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
	asymX25519BobP   = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
	asymX25519K      = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"
)

var asymX25519 = values.KeyTypeECCKeyPair(values.ECCFamilyMontgomery)

func TestRawKeyAgreement(t *testing.T) {
	c, _ := newAsymCore(t)
	for _, tc := range []struct{ priv, peer string }{{asymX25519Alice, asymX25519BobP}, {asymX25519Bob, asymX25519AliceP}} {
		id := asymImport(t, c, values.Attributes{Type: asymX25519, Bits: 255, Usage: values.UsageDerive, Alg: values.AlgECDH}, asymHex(t, tc.priv))
		out, err := c.RawKeyAgreement(values.AlgECDH, id, asymHex(t, tc.peer), []byte{1})
		if err != nil {
			t.Fatal(err)
		}
		if want := append([]byte{1}, asymHex(t, asymX25519K)...); !bytes.Equal(out, want) {
			t.Errorf("shared secret %x, want %x", out, want)
		}
	}
}

func TestKeyAgreementKey(t *testing.T) {
	c, _ := newAsymCore(t)
	priv := asymImport(t, c, values.Attributes{Type: asymX25519, Bits: 255, Usage: values.UsageDerive, Alg: values.AlgECDH}, asymHex(t, asymX25519Alice))
	peer := asymHex(t, asymX25519BobP)
	tests := []struct {
		name  string
		attrs values.Attributes
		want  error
	}{
		{"derive key", values.Attributes{Type: values.KeyTypeDerive, Usage: values.UsageExport}, nil},
		{"raw data, exact size", values.Attributes{Type: values.KeyTypeRawData, Bits: 256, Usage: values.UsageExport}, nil},
		{"HMAC key", values.Attributes{Type: values.KeyTypeHMAC, Usage: values.UsageExport}, nil},
		{"password", values.Attributes{Type: values.KeyTypePassword, Usage: values.UsageExport}, nil},
		{"wrong size", values.Attributes{Type: values.KeyTypeDerive, Bits: 128}, values.ErrInvalidArgument},
		{"AES key", values.Attributes{Type: values.KeyTypeAES}, values.ErrInvalidArgument},
		{"key pair", values.Attributes{Type: asymX25519}, values.ErrInvalidArgument},
		{"volatile with an ID", values.Attributes{Type: values.KeyTypeDerive, ID: 5}, values.ErrInvalidArgument},
	}
	for _, tt := range tests {
		id, err := c.KeyAgreement(priv, peer, values.AlgECDH, tt.attrs)
		asymWant(t, tt.name, err, tt.want)
		if err != nil {
			continue
		}
		a, err := c.Attributes(id)
		if err != nil || a.Bits != 256 || a.Type != tt.attrs.Type {
			t.Errorf("%s: attributes %+v, %v; want a 256-bit %v", tt.name, a, err, tt.attrs.Type)
		}
		got, err := c.Export(id, nil)
		if err != nil || !bytes.Equal(got, asymHex(t, asymX25519K)) {
			t.Errorf("%s: key material %x, %v; want the shared secret", tt.name, got, err)
		}
	}
}

// TestKeyAgreementPolicy is the policy matrix of the key agreement
// functions: PSA_KEY_USAGE_DERIVE and a policy permitting the algorithm.
func TestKeyAgreementPolicy(t *testing.T) {
	c, d := newAsymCore(t)
	peer := asymHex(t, asymX25519BobP)
	tests := []struct {
		name   string
		usage  values.KeyUsage
		policy values.Algorithm
		alg    values.Algorithm
		want   error
	}{
		{"ECDH", values.UsageDerive, values.AlgECDH, values.AlgECDH, nil},
		{"without DERIVE", values.UsageExport | values.UsageSignHash, values.AlgECDH, values.AlgECDH, values.ErrNotPermitted},
		{"policy FFDH", values.UsageDerive, values.AlgFFDH, values.AlgECDH, values.ErrNotPermitted},
		{"policy combined with HKDF", values.UsageDerive, values.AlgKeyAgreement(values.AlgECDH, values.AlgHKDF(values.AlgSHA256)), values.AlgECDH, values.ErrNotPermitted},
		{"combined algorithm", values.UsageDerive, values.AlgECDH, values.AlgKeyAgreement(values.AlgECDH, values.AlgHKDF(values.AlgSHA256)), values.ErrNotSupported}, // as the C reference
		{"not a key agreement", values.UsageDerive, values.AlgECDH, values.AlgHKDF(values.AlgSHA256), values.ErrInvalidArgument},
	}
	for _, tt := range tests {
		id := asymImport(t, c, values.Attributes{Type: asymX25519, Bits: 255, Usage: tt.usage, Alg: tt.policy}, asymHex(t, asymX25519Alice))
		before := d.called("key_agreement")
		_, err := c.RawKeyAgreement(tt.alg, id, peer, nil)
		asymWant(t, "raw: "+tt.name, err, tt.want)
		_, err = c.KeyAgreement(id, peer, tt.alg, values.Attributes{Type: values.KeyTypeDerive})
		asymWant(t, "key: "+tt.name, err, tt.want)
		if tt.want != nil && d.called("key_agreement") != before {
			t.Errorf("%s: the driver was called", tt.name)
		}
	}
	pub := asymImport(t, c, values.Attributes{Type: values.KeyTypeECCPublicKey(values.ECCFamilyMontgomery), Bits: 255,
		Usage: values.UsageDerive, Alg: values.AlgECDH}, peer)
	_, err := c.RawKeyAgreement(values.AlgECDH, pub, peer, nil)
	asymWant(t, "agreement with a public key", err, values.ErrInvalidArgument)
}
