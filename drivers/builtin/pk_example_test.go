package builtin_test

import (
	"bytes"
	"encoding/hex"
	"fmt"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/drivers/builtin"
	"github.com/gopsa/psa/values"
)

func ExampleDriver_SignMessage() {
	var d builtin.Driver
	attrs := values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilySECPR1), Bits: 256}
	key, err := d.GenerateKey(attrs, driver.ProductionParameters{}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	alg := values.AlgDeterministicECDSA(values.AlgSHA256)
	msg := []byte("hello")
	sig, err := d.SignMessage(attrs, key, alg, msg, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Verify with the public key, as a peer would.
	pubAttrs := attrs
	pubAttrs.Type = attrs.Type.PublicKeyOfKeyPair()
	pub, _ := d.ExportPublicKey(attrs, key, nil)
	fmt.Println(len(sig), d.VerifyMessage(pubAttrs, pub, alg, msg, sig))
	fmt.Println(d.VerifyMessage(pubAttrs, pub, alg, []byte("hullo"), sig) != nil)
	// Output:
	// 64 <nil>
	// true
}

func ExampleDriver_KeyAgreement() {
	// RFC 7748 §6.1: Alice's private key and Bob's public key.
	alice, _ := hex.DecodeString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
	bob, _ := hex.DecodeString("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
	var d builtin.Driver
	attrs := values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilyMontgomery), Bits: 255}
	key, _, err := d.ImportKey(attrs, alice, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	z, err := d.KeyAgreement(attrs, key, values.AlgECDH, bob, nil)
	fmt.Printf("%x %v\n", z, err)
	// Output:
	// 4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742 <nil>
}

func ExampleDriver_Encapsulate() {
	var d builtin.Driver
	attrs := values.Attributes{Type: values.KeyTypeMLKEMKeyPair, Bits: 768}
	key, err := d.GenerateKey(attrs, driver.ProductionParameters{}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The sender encapsulates to the public key; the receiver decapsulates.
	pubAttrs := attrs
	pubAttrs.Type = values.KeyTypeMLKEMPublicKey
	pub, _ := d.ExportPublicKey(attrs, key, nil)
	ct, secret, err := d.Encapsulate(pubAttrs, pub, values.AlgMLKEM, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	got, err := d.Decapsulate(attrs, key, values.AlgMLKEM, ct, nil)
	fmt.Println(len(ct), len(secret), bytes.Equal(got, secret), err)
	// Output:
	// 1088 32 true <nil>
}
