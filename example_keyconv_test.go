package psa_test

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"log"
	"math/big"
	"os"
	"time"

	"github.com/gopsa/psa"
)

// The Ed25519 private key of RFC 8410 §10.3.
const rfc8410Key = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
-----END PRIVATE KEY-----
`

func ExampleCrypto_ImportPEM() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// The key type and size come from the file; the policy from attrs.
	id, err := c.ImportPEM(psa.Attributes{Usage: psa.UsageSignMessage, Alg: psa.AlgPureEdDSA}, []byte(rfc8410Key))
	if err != nil {
		log.Fatal(err)
	}
	attrs, _ := c.KeyAttributes(id)
	fmt.Println(attrs.Type, attrs.Bits)

	pub, err := c.ExportPEM(id, true)
	if err != nil {
		log.Fatal(err)
	}
	os.Stdout.Write(pub)
	// Output:
	// PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_TWISTED_EDWARDS) 255
	// -----BEGIN PUBLIC KEY-----
	// MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=
	// -----END PUBLIC KEY-----
}

// A PSA key, which may live in a secure element, gets a self-signed
// certificate from crypto/x509: PublicKey gives the certificate's public
// key and Signer signs it.
func ExampleCrypto_PublicKey() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	id, err := c.GenerateKey(psa.Attributes{
		Type:  psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1),
		Bits:  256,
		Usage: psa.UsageSignHash,
		Alg:   psa.AlgECDSA(psa.AlgAnyHash),
	})
	if err != nil {
		log.Fatal(err)
	}
	pub, err := c.PublicKey(id)
	if err != nil {
		log.Fatal(err)
	}
	signer, err := c.Signer(id)
	if err != nil {
		log.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "device 42"},
		NotBefore:    time.Now(),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, signer)
	if err != nil {
		log.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cert.Subject.CommonName, cert.PublicKeyAlgorithm, cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature) == nil)
	// Output: device 42 ECDSA true
}

func ExampleCrypto_ExportPublicKeyDER() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	id, err := c.GenerateKey(psa.Attributes{Type: psa.KeyTypeECCKeyPair(psa.ECCFamilyMontgomery), Bits: 255, Usage: psa.UsageDerive, Alg: psa.AlgECDH})
	if err != nil {
		log.Fatal(err)
	}
	der, err := c.ExportPublicKeyDER(id)
	if err != nil {
		log.Fatal(err)
	}
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%T\n", pub)
	// Output: *ecdh.PublicKey
}
