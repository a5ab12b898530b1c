package core

import (
	"bytes"
	"crypto/mlkem"
	"testing"

	"github.com/gopsa/psa/values"
)

func asymMLKEMKeys(t testing.TB, c *Core, usage values.KeyUsage, alg values.Algorithm) (pair, pub values.KeyID) {
	t.Helper()
	dk, err := mlkem.GenerateKey768()
	if err != nil {
		t.Fatal(err)
	}
	pair = asymImport(t, c, values.Attributes{Type: values.KeyTypeMLKEMKeyPair, Bits: 768, Usage: usage, Alg: alg}, dk.Bytes())
	pub = asymImport(t, c, values.Attributes{Type: values.KeyTypeMLKEMPublicKey, Bits: 768, Usage: usage, Alg: alg}, dk.EncapsulationKey().Bytes())
	return pair, pub
}

func TestEncapsulateDecapsulate(t *testing.T) {
	c, _ := newAsymCore(t)
	pair, pub := asymMLKEMKeys(t, c, values.UsageEncrypt|values.UsageDecrypt, values.AlgMLKEM)
	out := values.Attributes{Type: values.KeyTypeAES, Usage: values.UsageExport | values.UsageEncrypt, Alg: values.AlgGCM}
	for _, enc := range []values.KeyID{pub, pair} {
		k1, ct, err := c.Encapsulate(enc, values.AlgMLKEM, out)
		if err != nil {
			t.Fatal(err)
		}
		if len(ct) != 1088 {
			t.Errorf("ML-KEM-768 ciphertext of %d bytes, want 1088", len(ct))
		}
		k2, err := c.Decapsulate(pair, values.AlgMLKEM, ct, out)
		if err != nil {
			t.Fatal(err)
		}
		m1, err1 := c.Export(k1, nil)
		m2, err2 := c.Export(k2, nil)
		if err1 != nil || err2 != nil || len(m1) != 32 || !bytes.Equal(m1, m2) {
			t.Errorf("shared keys %x (%v) and %x (%v); want the same 32 bytes", m1, err1, m2, err2)
		}
		// ML-KEM rejects a corrupted ciphertext implicitly, with
		// another key.
		ct[0] ^= 1
		k3, err := c.Decapsulate(pair, values.AlgMLKEM, ct, out)
		if err != nil {
			t.Fatal(err)
		}
		if m3, _ := c.Export(k3, nil); bytes.Equal(m1, m3) {
			t.Error("a corrupted ciphertext gave the same key")
		}
	}
	_, err := c.Decapsulate(pub, values.AlgMLKEM, make([]byte, 1088), out)
	asymWant(t, "decapsulate with a public key", err, values.ErrInvalidArgument)
	_, _, err = c.Encapsulate(pub, values.AlgMLKEM, values.Attributes{Type: values.KeyTypeDerive, Bits: 128})
	asymWant(t, "wrong size", err, values.ErrInvalidArgument)
	_, _, err = c.Encapsulate(pub, values.AlgMLKEM, values.Attributes{Type: values.KeyTypeMLKEMKeyPair})
	asymWant(t, "asymmetric output", err, values.ErrInvalidArgument)
	_, _, err = c.Encapsulate(pub, values.AlgECIESSEC1, values.Attributes{Type: values.KeyTypeAES})
	asymWant(t, "biased ECIES secret as an AES key", err, values.ErrInvalidArgument)
	_, _, err = c.Encapsulate(pub, values.AlgECDH, values.Attributes{Type: values.KeyTypeDerive})
	asymWant(t, "not a KEM", err, values.ErrInvalidArgument)
}

// TestKEMPolicy is the policy matrix: encapsulation needs
// PSA_KEY_USAGE_ENCRYPT, decapsulation PSA_KEY_USAGE_DECRYPT, and both a
// policy permitting the algorithm.
func TestKEMPolicy(t *testing.T) {
	c, d := newAsymCore(t)
	out := values.Attributes{Type: values.KeyTypeDerive}
	dk, _ := mlkem.GenerateKey768()
	_, ct := dk.EncapsulationKey().Encapsulate()
	tests := []struct {
		name   string
		usage  values.KeyUsage
		policy values.Algorithm
		decap  bool
		want   error
	}{
		{"encapsulate", values.UsageEncrypt, values.AlgMLKEM, false, nil},
		{"encapsulate without ENCRYPT", values.UsageDecrypt, values.AlgMLKEM, false, values.ErrNotPermitted},
		{"encapsulate, policy ECIES", values.UsageEncrypt, values.AlgECIESSEC1, false, values.ErrNotPermitted},
		{"decapsulate", values.UsageDecrypt, values.AlgMLKEM, true, nil},
		{"decapsulate without DECRYPT", values.UsageEncrypt, values.AlgMLKEM, true, values.ErrNotPermitted},
		{"decapsulate, policy ECIES", values.UsageDecrypt, values.AlgECIESSEC1, true, values.ErrNotPermitted},
	}
	for _, tt := range tests {
		id := asymImport(t, c, values.Attributes{Type: values.KeyTypeMLKEMKeyPair, Bits: 768, Usage: tt.usage, Alg: tt.policy}, dk.Bytes())
		before := d.called("encapsulate") + d.called("decapsulate")
		var err error
		if tt.decap {
			_, err = c.Decapsulate(id, values.AlgMLKEM, ct, out)
		} else {
			_, _, err = c.Encapsulate(id, values.AlgMLKEM, out)
		}
		asymWant(t, tt.name, err, tt.want)
		if tt.want != nil && d.called("encapsulate")+d.called("decapsulate") != before {
			t.Errorf("%s: the driver was called", tt.name)
		}
	}
}
