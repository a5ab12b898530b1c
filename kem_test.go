package psa_test

import (
	"bytes"
	"crypto/mlkem"
	"fmt"
	"log"
	"testing"

	"github.com/gopsa/psa"
)

// TestEncapsulation checks ML-KEM-768 against crypto/mlkem in both
// directions, and the policy matrix.
func TestEncapsulation(t *testing.T) {
	c := asymNew(t)
	dk, err := mlkem.GenerateKey768()
	if err != nil {
		t.Fatal(err)
	}
	both := psa.UsageEncrypt | psa.UsageDecrypt
	pair, err := c.ImportKey(psa.Attributes{Type: psa.KeyTypeMLKEMKeyPair, Bits: 768, Usage: both, Alg: psa.AlgMLKEM}, dk.Bytes())
	asymSkipUnsupported(t, "import", err)
	out := psa.Attributes{Type: psa.KeyTypeAES, Usage: psa.UsageExport | psa.UsageEncrypt, Alg: psa.AlgGCM}

	k, ct, err := c.Encapsulate(pair, psa.AlgMLKEM, out)
	asymSkipUnsupported(t, "encapsulate", err)
	mine, _ := c.ExportKey(k, nil)
	theirs, err := dk.Decapsulate(ct)
	if err != nil || !bytes.Equal(mine, theirs) {
		t.Errorf("crypto/mlkem decapsulates %x, %v; want %x", theirs, err, mine)
	}
	secret, ct := dk.EncapsulationKey().Encapsulate()
	k, err = c.Decapsulate(pair, psa.AlgMLKEM, ct, out)
	asymWant(t, "decapsulate", err, nil)
	if got, _ := c.ExportKey(k, nil); !bytes.Equal(got, secret) {
		t.Errorf("decapsulated %x, want %x", got, secret)
	}

	for _, tt := range []struct {
		name   string
		usage  psa.KeyUsage
		policy psa.Algorithm
		decap  bool
		want   error
	}{
		{"encapsulate", psa.UsageEncrypt, psa.AlgMLKEM, false, nil},
		{"encapsulate without ENCRYPT", psa.UsageDecrypt, psa.AlgMLKEM, false, psa.ErrNotPermitted},
		{"encapsulate, policy ECIES", psa.UsageEncrypt, psa.AlgECIESSEC1, false, psa.ErrNotPermitted},
		{"decapsulate", psa.UsageDecrypt, psa.AlgMLKEM, true, nil},
		{"decapsulate without DECRYPT", psa.UsageEncrypt, psa.AlgMLKEM, true, psa.ErrNotPermitted},
	} {
		id, err := c.ImportKey(psa.Attributes{Type: psa.KeyTypeMLKEMKeyPair, Bits: 768, Usage: tt.usage, Alg: tt.policy}, dk.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if tt.decap {
			_, err = c.Decapsulate(id, psa.AlgMLKEM, ct, out)
		} else {
			_, _, err = c.Encapsulate(id, psa.AlgMLKEM, out)
		}
		asymWant(t, tt.name, err, tt.want)
	}
}

func ExampleCrypto_Encapsulate() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	// The recipient's key pair; its public key is what senders use.
	recipient, err := c.GenerateKey(psa.Attributes{
		Type:  psa.KeyTypeMLKEMKeyPair,
		Bits:  768,
		Usage: psa.UsageEncrypt | psa.UsageDecrypt,
		Alg:   psa.AlgMLKEM,
	})
	if err != nil {
		log.Fatal(err)
	}
	aes := psa.Attributes{Type: psa.KeyTypeAES, Usage: psa.UsageEncrypt | psa.UsageDecrypt, Alg: psa.AlgGCM}
	sent, ciphertext, err := c.Encapsulate(recipient, psa.AlgMLKEM, aes)
	if err != nil {
		log.Fatal(err)
	}
	received, err := c.Decapsulate(recipient, psa.AlgMLKEM, ciphertext, aes)
	if err != nil {
		log.Fatal(err)
	}
	a, _ := c.KeyAttributes(sent)
	b, _ := c.KeyAttributes(received)
	fmt.Println(len(ciphertext), a.Bits, b.Bits)
}
