package builtin_test

import (
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/gopsa/psa/drivers/builtin"
	"github.com/gopsa/psa/values"
)

// Import a P-256 private key (the key of RFC 6979 appendix A.2.5), let
// the driver find its size, and compute its public key.
func ExampleDriver_ImportKey() {
	var d builtin.Driver
	priv, _ := hex.DecodeString("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721")
	attrs := values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilySECPR1)}

	key, bits, err := d.ImportKey(attrs, priv, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	attrs.Bits = bits
	pub, err := d.ExportPublicKey(attrs, key, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(bits)
	fmt.Printf("%x\n", pub[1:33])
	fmt.Printf("%x\n", pub[33:])

	// A key of the wrong length is rejected with an explanation.
	_, _, err = d.ImportKey(values.Attributes{Type: attrs.Type, Bits: 256}, priv[1:], nil)
	fmt.Println(err)
	fmt.Println(errors.Is(err, values.ErrInvalidArgument))
	// Output:
	// 256
	// 60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6
	// 7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299
	// import PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1) key: 31 bytes is not a valid secp256r1 private key (want 32): PSA_ERROR_INVALID_ARGUMENT
	// true
}

// Derive a Curve25519 key pair from a key derivation's output: the driver
// draws 32 bytes and clamps them as RFC 7748 says.
func ExampleDriver_DeriveKey() {
	var d builtin.Driver
	stream := constantReader(0xff)
	key, err := d.DeriveKey(values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilyMontgomery), Bits: 255}, stream, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%x\n", key)
	// Output:
	// f8ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f
}

type constantReader byte

func (c constantReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(c)
	}
	return len(p), nil
}
