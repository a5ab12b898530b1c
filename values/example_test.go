package values_test

import (
	"errors"
	"fmt"

	"github.com/gopsa/psa/values"
)

func ExampleAlgHMAC() {
	alg := values.AlgHMAC(values.AlgSHA256)
	fmt.Printf("%#08x %v\n", uint32(alg), alg)
	fmt.Println(alg.IsMAC(), alg.IsHMAC(), alg.Hash(), values.HashLength(alg))
	// Output:
	// 0x03800009 PSA_ALG_HMAC(PSA_ALG_SHA_256)
	// true true PSA_ALG_SHA_256 32
}

func ExampleParseAlgorithm() {
	alg, err := values.ParseAlgorithm("PSA_ALG_KEY_AGREEMENT(PSA_ALG_ECDH, PSA_ALG_HKDF(PSA_ALG_SHA_256))")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%#08x\n", uint32(alg))
	fmt.Println(alg.KeyAgreementBase(), alg.KeyAgreementKDF())

	_, err = values.ParseAlgorithm("PSA_ALG_HMAC(PSA_KEY_TYPE_AES)")
	fmt.Println(errors.Is(err, values.ErrInvalidArgument))
	fmt.Println(err)
	// Output:
	// 0x09020109
	// PSA_ALG_ECDH PSA_ALG_HKDF(PSA_ALG_SHA_256)
	// true
	// parse algorithm "PSA_ALG_HMAC(PSA_KEY_TYPE_AES)": PSA_ALG_HMAC takes a hash algorithm, got PSA_KEY_TYPE_AES (a key type): PSA_ERROR_INVALID_ARGUMENT
}

func ExampleAlgorithm_Permits() {
	policy := values.AlgAtLeastThisLengthMAC(values.AlgCMAC, 10)
	fmt.Println(policy)
	fmt.Println(policy.PermitsWithKey(values.AlgTruncatedMAC(values.AlgCMAC, 12), values.KeyTypeAES, 128))
	fmt.Println(policy.PermitsWithKey(values.AlgTruncatedMAC(values.AlgCMAC, 8), values.KeyTypeAES, 128))
	fmt.Println(policy.PermitsWithKey(values.AlgCMAC, values.KeyTypeAES, 128))
	// Output:
	// PSA_ALG_AT_LEAST_THIS_LENGTH_MAC(PSA_ALG_CMAC, 10)
	// true
	// false
	// true
}

func ExampleKeyTypeECCKeyPair() {
	t := values.KeyTypeECCKeyPair(values.ECCFamilySECPR1)
	fmt.Printf("%#04x %v\n", uint16(t), t)
	fmt.Println(t.PublicKeyOfKeyPair(), values.ExportPublicKeyOutputSize(t, 256))
	// Output:
	// 0x7112 PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1)
	// PSA_KEY_TYPE_ECC_PUBLIC_KEY(PSA_ECC_FAMILY_SECP_R1) 65
}

func ExampleParseKeyTypeSpec() {
	spec, err := values.ParseKeyTypeSpec("PSA_KEY_TYPE_ECC_KEY_PAIR(_)")
	if err != nil {
		panic(err)
	}
	fmt.Println(spec.Matches(values.KeyTypeECCKeyPair(values.ECCFamilyMontgomery)))
	fmt.Println(spec.Matches(values.KeyTypeECCPublicKey(values.ECCFamilyMontgomery)))
	// Output:
	// true
	// false
}

func ExampleKeyUsage_WithImplied() {
	u, err := values.ParseKeyUsage("PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_SIGN_HASH")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.WithImplied())
	// Output:
	// PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_SIGN_MESSAGE | PSA_KEY_USAGE_SIGN_HASH
}

func ExampleLifetimeFromPersistenceAndLocation() {
	l := values.LifetimeFromPersistenceAndLocation(values.PersistenceDefault, 0x800001)
	fmt.Println(l)
	fmt.Println(l.IsVolatile(), l.Location().IsVendorDefined())
	// Output:
	// PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION(PSA_KEY_PERSISTENCE_DEFAULT, 0x800001)
	// false true
}

func ExampleSignOutputSize() {
	fmt.Println(values.SignOutputSize(values.KeyTypeECCKeyPair(values.ECCFamilySECPR1), 256, values.AlgECDSA(values.AlgSHA256)))
	fmt.Println(values.SignOutputSize(values.KeyTypeMLDSAKeyPair, 192, values.AlgMLDSA))
	// Output:
	// 64
	// 3309
}
