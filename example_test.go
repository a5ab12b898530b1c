package psa_test

import (
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/gopsa/psa"
)

func Example() {
	dir, err := os.MkdirTemp("", "gopsa-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	c, err := psa.New(psa.WithKeyDir(dir))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	id, err := c.GenerateKey(psa.Attributes{
		ID:       1,
		Lifetime: psa.LifetimePersistent,
		Type:     psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1),
		Bits:     256,
		Usage:    psa.UsageSignHash | psa.UsageVerifyHash,
		Alg:      psa.AlgECDSA(psa.AlgAnyHash),
	})
	if err != nil {
		log.Fatal(err)
	}
	pub, err := c.ExportPublicKey(id, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(pub), "byte public key")

	// The private key is not exportable: its policy has no UsageExport.
	_, err = c.ExportKey(id, nil)
	fmt.Println(errors.Is(err, psa.ErrNotPermitted))
	// Output:
	// 65 byte public key
	// true
}

func ExampleCrypto_ImportKey() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	key := []byte("0123456789abcdef")
	id, err := c.ImportKey(psa.Attributes{
		Type:  psa.KeyTypeAES,
		Usage: psa.UsageEncrypt | psa.UsageDecrypt,
		Alg:   psa.AlgGCM,
	}, key)
	if err != nil {
		log.Fatal(err)
	}
	a, _ := c.KeyAttributes(id)
	fmt.Println(a.Type, a.Bits)

	_, err = c.ImportKey(psa.Attributes{Type: psa.KeyTypeAES}, key[:15])
	fmt.Println(errors.Is(err, psa.ErrInvalidArgument))
	// Output:
	// PSA_KEY_TYPE_AES 128
	// true
}
