package p256_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/drivers/p256"
	"github.com/gopsa/psa/values"
)

// A driver is an ordinary Go value: the dispatch layer calls its entry
// points, and so can a test.
func Example() {
	var d p256.Driver
	pair := values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilySECPR1), Bits: 256}
	alg := values.AlgECDSA(values.AlgSHA256)

	key, err := d.GenerateKey(pair, driver.ProductionParameters{}, nil)
	if err != nil {
		panic(err)
	}
	hash := sha256.Sum256([]byte("hello, secp256r1"))
	sig, err := d.SignHash(pair, key, alg, hash[:], nil)
	if err != nil {
		panic(err)
	}
	pub, _ := d.ExportPublicKey(pair, key, nil)
	public := values.Attributes{Type: values.KeyTypeECCPublicKey(values.ECCFamilySECPR1), Bits: 256}
	fmt.Println(len(sig), d.VerifyHash(public, pub, alg, hash[:], sig))
	// Output: 64 <nil>
}

// ECDH with the RFC 5903 test vector.
func ExampleDriver_KeyAgreement() {
	var d p256.Driver
	priv, _ := hex.DecodeString("c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433")
	peer, _ := hex.DecodeString("04d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf6356fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab")
	pair := values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilySECPR1), Bits: 256}
	secret, err := d.KeyAgreement(pair, priv, values.AlgECDH, peer, nil)
	fmt.Printf("%x %v\n", secret, err)
	// Output: d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de <nil>
}
