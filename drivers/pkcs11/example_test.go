package pkcs11_test

import (
	"crypto/sha256"
	"fmt"
	"log"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/dispatch/pkcs11build"
	"github.com/gopsa/psa/drivers/pkcs11"
)

// Example generates a key pair in a PKCS#11 token and signs with it; the
// private key never leaves the token. It needs a token, so it is compiled
// but not run by go test.
func Example() {
	drv, err := pkcs11.New(pkcs11.Config{
		Module:     "/usr/lib/softhsm/libsofthsm2.so",
		TokenLabel: "gopsa",
		PIN:        pkcs11.PINFromEnv("GOPSA_PKCS11_PIN"),
	})
	if err != nil {
		log.Fatal(err)
	}
	disp, err := pkcs11build.New(drv)
	if err != nil {
		log.Fatal(err)
	}
	c, err := psa.New(psa.WithDispatch(disp), psa.WithKeyDir("keys"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	id, err := c.GenerateKey(psa.Attributes{
		ID:       1,
		Lifetime: psa.LifetimeFromPersistenceAndLocation(psa.PersistenceDefault, pkcs11.Location),
		Type:     psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1),
		Bits:     256,
		Usage:    psa.UsageSignHash,
		Alg:      psa.AlgECDSA(psa.AlgSHA256),
	})
	if err != nil {
		log.Fatal(err)
	}
	hash := sha256.Sum256([]byte("message"))
	sig, err := c.SignHash(id, psa.AlgECDSA(psa.AlgSHA256), hash[:], nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(sig))

	// For crypto/tls, crypto/x509 and other crypto.Signer users:
	signer, err := c.Signer(id)
	if err != nil {
		log.Fatal(err)
	}
	_ = signer
}

// ExampleOpen configures the driver from a file, as the command-line tool
// does.
func ExampleOpen() {
	// pkcs11.json:
	//	{"module": "/usr/lib/softhsm/libsofthsm2.so", "token_label": "gopsa",
	//	 "pin_env": "GOPSA_PKCS11_PIN",
	//	 "builtin_keys": [{"id": "0x7fff0001", "label": "tls-server"}]}
	drv, err := pkcs11.Open("pkcs11.json")
	if err != nil {
		log.Fatal(err)
	}
	disp, err := pkcs11build.New(drv)
	if err != nil {
		log.Fatal(err)
	}
	opts := []psa.Option{psa.WithDispatch(disp), psa.WithKeyDir("keys")}
	for _, id := range drv.BuiltinKeyIDs() {
		opts = append(opts, psa.WithBuiltinKey(id, pkcs11.Location, uint64(id)))
	}
	c, err := psa.New(opts...)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	signer, err := c.Signer(0x7fff0001)
	if err != nil {
		log.Fatal(err)
	}
	_ = signer
}
