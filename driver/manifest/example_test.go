package manifest_test

import (
	"errors"
	"fmt"
	"log"

	"github.com/gopsa/psa/driver/manifest"
	"github.com/gopsa/psa/values"
)

func ExampleParse() {
	d, err := manifest.Parse([]byte(`{
		"prefix": "acme",
		"type": "transparent",
		"gopsa/package": "example.com/acme",
		"gopsa/type": "Driver",
		"capabilities": [{
			"entry_points": ["sign_hash", "verify_hash"],
			"algorithms": ["PSA_ALG_DETERMINISTIC_ECDSA(PSA_ALG_ANY_HASH)"],
			"key_types": ["PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1)"],
			"key_sizes": [256],
			"fallback": true
		}]
	}`), "acme.json")
	if err != nil {
		log.Fatal(err)
	}
	kt := values.KeyTypeECCKeyPair(values.ECCFamilySECPR1)
	_, method, ok := d.Match("sign_hash", values.AlgDeterministicECDSA(values.AlgSHA256), kt, 256)
	fmt.Println(method, ok)
	_, _, ok = d.Match("sign_hash", values.AlgDeterministicECDSA(values.AlgSHA256), kt, 384)
	fmt.Println(ok)
	// Output:
	// SignHash true
	// false
}

func ExampleParse_error() {
	_, err := manifest.Parse([]byte(`{
		"prefix": "p256",
		"type": "transparent",
		"capabilities": [
			{"entry_points": ["init"]},
			{"entry_points": ["hash_compute"]},
			{"entry_points": ["sign_hsh"]}
		]
	}`), "p256.json")
	var e *manifest.Error
	if errors.As(err, &e) {
		fmt.Println(e.File, e.Path)
	}
	fmt.Println(errors.Is(err, values.ErrInvalidArgument))
	// Output:
	// p256.json capabilities[2].entry_points[0]
	// true
}

func ExampleSelect() {
	accel, err := manifest.Parse([]byte(`{"prefix": "accel", "type": "transparent",
		"capabilities": [{"entry_points": ["aead_encrypt"], "algorithms": ["PSA_ALG_GCM"], "fallback": true}]}`), "accel.json")
	if err != nil {
		log.Fatal(err)
	}
	se, err := manifest.Parse([]byte(`{"prefix": "se", "type": "opaque", "location": "0x800001",
		"capabilities": [{"entry_points": ["aead_encrypt"]}]}`), "se.json")
	if err != nil {
		log.Fatal(err)
	}
	drivers := []*manifest.Driver{accel, se}
	for _, loc := range []values.Location{0, 0x800001} {
		m := manifest.Mechanism{Alg: values.AlgGCM, KeyType: values.KeyTypeAES, KeyBits: 128, Location: loc}
		for _, c := range manifest.Select(drivers, "aead_encrypt", m) {
			fmt.Printf("%s.%s fallback=%v\n", c.Driver.Prefix, c.Method, c.Capability.Fallback)
		}
	}
	// Output:
	// accel.AEADEncrypt fallback=true
	// se.AEADEncrypt fallback=false
}

func ExampleLookupEntryPoint() {
	e, _ := manifest.LookupEntryPoint("aead_encrypt_setup")
	fmt.Println(e.Method, e.Families, e.Algorithm, e.Key)
	// Output:
	// AEADEncryptSetup [aead_encrypt_multipart] true true
}
