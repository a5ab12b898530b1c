package mbedtls

import (
	"math/bits"

	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/values"
)

// Ports of test_suite_psa_crypto_metadata.function: the classification
// macros, length macros and constructors of algorithms, key types and
// lifetimes, which are methods and functions of the values package.

// classifier is one classification flag of the metadata suite: its name in
// the .data file and the predicate it stands for.
type classifier[V any] struct {
	name string
	is   func(V) bool
}

// algClassifiers are the ALG_IS_* flags. ALG_ECDSA_IS_DETERMINISTIC is
// only specified for ECDSA algorithms (see classifyAlg).
var algClassifiers = []classifier[values.Algorithm]{
	{"ALG_IS_VENDOR_DEFINED", values.Algorithm.IsVendorDefined},
	{"ALG_IS_HMAC", values.Algorithm.IsHMAC},
	{"ALG_IS_BLOCK_CIPHER_MAC", values.Algorithm.IsBlockCipherMAC},
	{"ALG_IS_STREAM_CIPHER", values.Algorithm.IsStreamCipher},
	{"ALG_IS_RSA_PKCS1V15_SIGN", values.Algorithm.IsRSAPKCS1v15Sign},
	{"ALG_IS_RSA_PSS", values.Algorithm.IsRSAPSS},
	{"ALG_IS_RSA_PSS_ANY_SALT", values.Algorithm.IsRSAPSSAnySalt},
	{"ALG_IS_RSA_PSS_STANDARD_SALT", values.Algorithm.IsRSAPSSStandardSalt},
	{"ALG_IS_ML_DSA", values.Algorithm.IsMLDSA},
	{"ALG_IS_HASH_ML_DSA", values.Algorithm.IsHashMLDSA},
	{"ALG_IS_DETERMINISTIC_HASH_ML_DSA", values.Algorithm.IsDeterministicHashMLDSA},
	{"ALG_IS_HEDGED_HASH_ML_DSA", values.Algorithm.IsHedgedHashMLDSA},
	{"ALG_IS_ECDSA", values.Algorithm.IsECDSA},
	{"ALG_ECDSA_IS_DETERMINISTIC", values.Algorithm.IsDeterministicECDSA},
	{"ALG_IS_DETERMINISTIC_ECDSA", values.Algorithm.IsDeterministicECDSA},
	{"ALG_IS_RANDOMIZED_ECDSA", values.Algorithm.IsRandomizedECDSA},
	{"ALG_IS_HASH_EDDSA", values.Algorithm.IsHashEdDSA},
	{"ALG_IS_SIGN_HASH", values.Algorithm.IsSignHash},
	{"ALG_IS_HASH_AND_SIGN", values.Algorithm.IsHashAndSign},
	{"ALG_IS_RSA_OAEP", values.Algorithm.IsRSAOAEP},
	{"ALG_IS_HKDF", values.Algorithm.IsHKDF},
	{"ALG_IS_HKDF_EXTRACT", values.Algorithm.IsHKDFExtract},
	{"ALG_IS_HKDF_EXPAND", values.Algorithm.IsHKDFExpand},
	{"ALG_IS_WILDCARD", values.Algorithm.IsWildcard},
	{"ALG_IS_ECDH", values.Algorithm.IsECDH},
	{"ALG_IS_FFDH", values.Algorithm.IsFFDH},
	{"ALG_IS_RAW_KEY_AGREEMENT", values.Algorithm.IsRawKeyAgreement},
	{"ALG_IS_AEAD_ON_BLOCK_CIPHER", values.Algorithm.IsAEADOnBlockCipher},
	{"ALG_IS_TLS12_PRF", values.Algorithm.IsTLS12PRF},
	{"ALG_IS_TLS12_PSK_TO_MS", values.Algorithm.IsTLS12PSKToMS},
}

// keyTypeClassifiers are the KEY_TYPE_IS_* flags.
var keyTypeClassifiers = []classifier[values.KeyType]{
	{"KEY_TYPE_IS_VENDOR_DEFINED", values.KeyType.IsVendorDefined},
	{"KEY_TYPE_IS_UNSTRUCTURED", values.KeyType.IsUnstructured},
	{"KEY_TYPE_IS_PUBLIC_KEY", values.KeyType.IsPublicKey},
	{"KEY_TYPE_IS_KEY_PAIR", values.KeyType.IsKeyPair},
	{"KEY_TYPE_IS_RSA", values.KeyType.IsRSA},
	{"KEY_TYPE_IS_ML_DSA", values.KeyType.IsMLDSA},
	{"KEY_TYPE_IS_ECC", values.KeyType.IsECC},
	{"KEY_TYPE_IS_DH", values.KeyType.IsDH},
}

// lifetimeClassifiers are the KEY_LIFETIME_IS_* flags.
var lifetimeClassifiers = []classifier[values.Lifetime]{
	{"KEY_LIFETIME_IS_VOLATILE", values.Lifetime.IsVolatile},
	{"KEY_LIFETIME_IS_READ_ONLY", values.Lifetime.IsReadOnly},
}

// metadataSymbols gives each flag its bit: the position in its list.
var metadataSymbols = func() map[string]int64 {
	m := make(map[string]int64)
	for i, c := range algClassifiers {
		m[c.name] = 1 << i
	}
	for i, c := range keyTypeClassifiers {
		m[c.name] = 1 << i
	}
	for i, c := range lifetimeClassifiers {
		m[c.name] = 1 << i
	}
	return m
}()

func flag(name string) int { return int(metadataSymbols[name]) }

// classify is TEST_CLASSIFICATION_MACRO for every flag of list: each
// predicate must hold exactly when its flag is set. skip tells which flags
// are unspecified for v.
func classify[V any](t *suite.T, what string, v V, flags int, list []classifier[V], skip func(name string) bool) {
	t.Helper()
	for i, c := range list {
		if skip != nil && skip(c.name) {
			continue
		}
		want := flags&(1<<i) != 0
		if got := c.is(v); got != want {
			t.Fatalf("%s %v: PSA_%s is %v, want %v", what, v, c.name, got, want)
		}
	}
}

func classifyAlg(t *suite.T, alg values.Algorithm, flags int) {
	t.Helper()
	classify(t, "algorithm", alg, flags, algClassifiers, func(name string) bool {
		return name == "ALG_ECDSA_IS_DETERMINISTIC" && !alg.IsECDSA()
	})
}

// category is the category that an algorithm must be in, exclusively.
type category int

const (
	catHash category = iota
	catMAC
	catCipher
	catAEAD
	catSign
	catAsymEnc
	catKeyAgreement
	catKeyDerivation
	catPAKE
	catXOF
)

var categories = []struct {
	name string
	is   func(values.Algorithm) bool
}{
	catHash:          {"PSA_ALG_IS_HASH", values.Algorithm.IsHash},
	catMAC:           {"PSA_ALG_IS_MAC", values.Algorithm.IsMAC},
	catCipher:        {"PSA_ALG_IS_CIPHER", values.Algorithm.IsCipher},
	catAEAD:          {"PSA_ALG_IS_AEAD", values.Algorithm.IsAEAD},
	catSign:          {"PSA_ALG_IS_SIGN", values.Algorithm.IsSign},
	catAsymEnc:       {"PSA_ALG_IS_ASYMMETRIC_ENCRYPTION", values.Algorithm.IsAsymmetricEncryption},
	catKeyAgreement:  {"PSA_ALG_IS_KEY_AGREEMENT", values.Algorithm.IsKeyAgreement},
	catKeyDerivation: {"PSA_ALG_IS_KEY_DERIVATION", values.Algorithm.IsKeyDerivation},
	catPAKE:          {"PSA_ALG_IS_PAKE", values.Algorithm.IsPAKE},
	catXOF:           {"PSA_ALG_IS_XOF", values.Algorithm.IsXOF},
}

// inCategory checks that alg is in category c and in no other.
func inCategory(t *suite.T, alg values.Algorithm, c category) {
	t.Helper()
	for i, cat := range categories {
		if got, want := cat.is(alg), category(i) == c; got != want {
			t.Fatalf("%s(%v) is %v, want %v", cat.name, alg, got, want)
		}
	}
}

func alg(a suite.Args, i int) values.Algorithm { return values.Algorithm(a.Uint32(i)) }
func keyType(a suite.Args, i int) values.KeyType {
	return values.KeyType(uint16(a.Uint32(i)))
}

func hashAlgorithm(t *suite.T, a suite.Args) {
	h, length := alg(a, 0), a.Int(1)
	inCategory(t, h, catHash)
	classifyAlg(t, h, 0)
	equal(t, "PSA_ALG_HMAC_GET_HASH(PSA_ALG_HMAC(alg))", values.AlgHMAC(h).HMACHash(), h)
	for _, dep := range []struct {
		name string
		alg  values.Algorithm
	}{
		{"PSA_ALG_RSA_PKCS1V15_SIGN", values.AlgRSAPKCS1v15Sign(h)},
		{"PSA_ALG_RSA_PSS", values.AlgRSAPSS(h)},
		{"PSA_ALG_ECDSA", values.AlgECDSA(h)},
		{"PSA_ALG_DETERMINISTIC_ECDSA", values.AlgDeterministicECDSA(h)},
		{"PSA_ALG_RSA_OAEP", values.AlgRSAOAEP(h)},
		{"PSA_ALG_HKDF", values.AlgHKDF(h)},
	} {
		equal(t, "hash of "+dep.name+"(alg)", dep.alg.Hash(), h)
	}
	equal(t, "PSA_HASH_LENGTH", values.HashLength(h), length)
	check(t, length <= values.HashMaxSize, "hash length %d > PSA_HASH_MAX_SIZE %d", length, values.HashMaxSize)
}

func macAlgorithmCore(t *suite.T, mac values.Algorithm, flags int, kt values.KeyType, keyBits, length int) {
	t.Helper()
	inCategory(t, mac, catMAC)
	classifyAlg(t, mac, flags)
	equal(t, "PSA_MAC_LENGTH("+mac.String()+")", values.MACLength(kt, keyBits, mac), length)
}

func macAlgorithm(t *suite.T, a suite.Args) {
	testMACAlgorithm(t, alg(a, 0), a.Int(1), a.Int(2), keyType(a, 3), a.Int(4))
}

func testMACAlgorithm(t *suite.T, mac values.Algorithm, flags, length int, kt values.KeyType, keyBits int) {
	macAlgorithmCore(t, mac, flags, kt, keyBits, length)
	equal(t, "PSA_ALG_FULL_LENGTH_MAC", values.AlgFullLengthMAC(mac), mac)
	check(t, length <= values.MACMaxSize, "MAC length %d > PSA_MAC_MAX_SIZE", length)
	trunc, atLeast := values.AlgTruncatedMAC, values.AlgAtLeastThisLengthMAC
	for n := 1; n <= length; n++ {
		t.Step(n)
		tr := trunc(mac, n)
		macAlgorithmCore(t, tr, flags, kt, keyBits, n)
		equal(t, "PSA_ALG_FULL_LENGTH_MAC(truncated)", values.AlgFullLengthMAC(tr), mac)
		for _, m := range []int{1, length - 1, length} {
			// Truncating twice keeps the outer length, whatever the
			// inner one, also over an at-least-this-length wildcard.
			equal(t, "PSA_ALG_TRUNCATED_MAC(truncated)", trunc(tr, m), trunc(mac, m))
			equal(t, "PSA_ALG_TRUNCATED_MAC(at least)", trunc(atLeast(tr, n), m), trunc(mac, m))
		}
	}
	for n := 1; n <= length; n++ {
		t.Step(1000 + n)
		policy := atLeast(mac, n)
		macAlgorithmCore(t, policy, flags|flag("ALG_IS_WILDCARD"), kt, keyBits, n)
		equal(t, "PSA_ALG_FULL_LENGTH_MAC(at least)", values.AlgFullLengthMAC(policy), mac)
		for _, m := range []int{1, length - 1, length} {
			equal(t, "PSA_ALG_AT_LEAST_THIS_LENGTH_MAC(at least)", atLeast(policy, m), atLeast(mac, m))
			equal(t, "PSA_ALG_AT_LEAST_THIS_LENGTH_MAC(truncated)", atLeast(trunc(policy, n), m), atLeast(mac, m))
		}
	}
}

func hmacAlgorithm(t *suite.T, a suite.Args) {
	mac, length, block := alg(a, 0), a.Int(1), a.Int(2)
	h := mac.HMACHash()
	check(t, h.IsHash(), "PSA_ALG_HMAC_GET_HASH(%v) = %v is not a hash", mac, h)
	equal(t, "PSA_ALG_HMAC(hash)", values.AlgHMAC(h), mac)
	equal(t, "PSA_HASH_BLOCK_LENGTH", values.HashBlockLength(mac), block)
	check(t, block <= 128, "block size %d > PSA_HMAC_MAX_HASH_BLOCK_SIZE", block)
	testMACAlgorithm(t, mac, flag("ALG_IS_HMAC"), length, values.KeyTypeHMAC, values.BytesToBits(length))
	for n := 1; n <= length; n++ {
		equal(t, "PSA_ALG_HMAC_GET_HASH(truncated)", values.AlgTruncatedMAC(mac, n).HMACHash(), h)
	}
}

func cipherAlgorithm(t *suite.T, a suite.Args) {
	c := alg(a, 0)
	inCategory(t, c, catCipher)
	classifyAlg(t, c, a.Int(1))
}

func aeadAlgorithmCore(t *suite.T, aead values.Algorithm, flags int, kt values.KeyType, keyBits, tagLength int) {
	t.Helper()
	inCategory(t, aead, catAEAD)
	classifyAlg(t, aead, flags)
	equal(t, "PSA_AEAD_TAG_LENGTH("+aead.String()+")", values.AEADTagLength(kt, keyBits, aead), tagLength)
}

func aeadAlgorithm(t *suite.T, a suite.Args) {
	aead, flags, tagLength, kt, keyBits := alg(a, 0), a.Int(1), a.Int(2), keyType(a, 3), a.Int(4)
	aeadAlgorithmCore(t, aead, flags, kt, keyBits, tagLength)
	short, atLeast := values.AlgAEADWithShortenedTag, values.AlgAEADWithAtLeastThisLengthTag
	for n := 1; n <= tagLength; n++ {
		t.Step(n)
		tr := short(aead, n)
		aeadAlgorithmCore(t, tr, flags, kt, keyBits, n)
		equal(t, "PSA_ALG_AEAD_WITH_DEFAULT_LENGTH_TAG(shortened)", values.AlgAEADWithDefaultLengthTag(tr), aead)
		for _, m := range []int{1, tagLength - 1, tagLength} {
			equal(t, "PSA_ALG_AEAD_WITH_SHORTENED_TAG(shortened)", short(tr, m), short(aead, m))
			equal(t, "PSA_ALG_AEAD_WITH_SHORTENED_TAG(at least)", short(atLeast(tr, n), m), short(aead, m))
		}
	}
	for n := 1; n <= tagLength; n++ {
		t.Step(1000 + n)
		policy := atLeast(aead, n)
		aeadAlgorithmCore(t, policy, flags|flag("ALG_IS_WILDCARD"), kt, keyBits, n)
		equal(t, "PSA_ALG_AEAD_WITH_DEFAULT_LENGTH_TAG(at least)", values.AlgAEADWithDefaultLengthTag(policy), aead)
		for _, m := range []int{1, tagLength - 1, tagLength} {
			equal(t, "PSA_ALG_AEAD_WITH_AT_LEAST_THIS_LENGTH_TAG(at least)", atLeast(policy, m), atLeast(aead, m))
			equal(t, "PSA_ALG_AEAD_WITH_AT_LEAST_THIS_LENGTH_TAG(shortened)", atLeast(short(policy, n), m), atLeast(aead, m))
		}
	}
}

func asymmetricSignatureAlgorithm(t *suite.T, a suite.Args) {
	testSignatureAlgorithm(t, alg(a, 0), a.Int(1))
}

func testSignatureAlgorithm(t *suite.T, sig values.Algorithm, flags int) {
	inCategory(t, sig, catSign)
	classifyAlg(t, sig, flags)
}

func asymmetricSignatureWildcard(t *suite.T, a suite.Args) {
	flags := a.Int(1) | flag("ALG_IS_WILDCARD") | flag("ALG_IS_SIGN_HASH") | flag("ALG_IS_HASH_AND_SIGN")
	testSignatureAlgorithm(t, alg(a, 0), flags)
}

func asymmetricEncryptionAlgorithm(t *suite.T, a suite.Args) {
	enc := alg(a, 0)
	inCategory(t, enc, catAsymEnc)
	classifyAlg(t, enc, a.Int(1))
}

func keyDerivationAlgorithm(t *suite.T, a suite.Args) {
	kdf := alg(a, 0)
	inCategory(t, kdf, catKeyDerivation)
	classifyAlg(t, kdf, a.Int(1))
	for _, ka := range []values.Algorithm{values.AlgECDH, values.AlgFFDH} {
		combined := values.AlgKeyAgreement(ka, kdf)
		check(t, combined.IsKeyAgreement(), "PSA_ALG_KEY_AGREEMENT(%v, %v) = %v is not a key agreement", ka, kdf, combined)
		equal(t, "PSA_ALG_KEY_AGREEMENT_GET_KDF", combined.KeyAgreementKDF(), kdf)
	}
}

func keyAgreementAlgorithm(t *suite.T, a suite.Args) {
	ka := alg(a, 0)
	inCategory(t, ka, catKeyAgreement)
	classifyAlg(t, ka, a.Int(1))
	equal(t, "PSA_ALG_KEY_AGREEMENT_GET_BASE", ka.KeyAgreementBase(), alg(a, 2))
	equal(t, "PSA_ALG_KEY_AGREEMENT_GET_KDF", ka.KeyAgreementKDF(), alg(a, 3))
}

func pakeAlgorithm(t *suite.T, a suite.Args) {
	inCategory(t, alg(a, 0), catPAKE)
}

// evenParity is the metadata suite's check that a glitch in one bit cannot
// turn a valid encoding into another valid one.
func evenParity(v uint32) bool { return bits.OnesCount32(v)%2 == 0 }

func classifyKeyType(t *suite.T, kt values.KeyType, flags int) {
	t.Helper()
	classify(t, "key type", kt, flags, keyTypeClassifiers, nil)
	equal(t, "PSA_KEY_TYPE_IS_ASYMMETRIC("+kt.String()+")", kt.IsAsymmetric(), kt.IsPublicKey() || kt.IsKeyPair())
	equal(t, "PSA_KEY_TYPE_IS_ECC_KEY_PAIR("+kt.String()+")", kt.IsECCKeyPair(), kt.IsECC() && kt.IsKeyPair())
	equal(t, "PSA_KEY_TYPE_IS_ECC_PUBLIC_KEY("+kt.String()+")", kt.IsECCPublicKey(), kt.IsECC() && kt.IsPublicKey())
	equal(t, "PSA_KEY_TYPE_IS_DH_KEY_PAIR("+kt.String()+")", kt.IsDHKeyPair(), kt.IsDH() && kt.IsKeyPair())
	equal(t, "PSA_KEY_TYPE_IS_DH_PUBLIC_KEY("+kt.String()+")", kt.IsDHPublicKey(), kt.IsDH() && kt.IsPublicKey())
	check(t, evenParity(uint32(kt)), "key type %v (%#04x) has odd parity", kt, uint16(kt))
}

func keyTypeFunc(t *suite.T, a suite.Args) {
	testKeyType(t, keyType(a, 0), a.Int(1))
}

func testKeyType(t *suite.T, kt values.KeyType, flags int) {
	t.Helper()
	classifyKeyType(t, kt, flags)
	pub, pair := flag("KEY_TYPE_IS_PUBLIC_KEY"), flag("KEY_TYPE_IS_KEY_PAIR")
	if flags&pub != 0 {
		t.Step(1)
		p := kt.KeyPairOfPublicKey()
		equal(t, "PSA_KEY_TYPE_PUBLIC_KEY_OF_KEY_PAIR(PSA_KEY_TYPE_KEY_PAIR_OF_PUBLIC_KEY(type))", p.PublicKeyOfKeyPair(), kt)
		classifyKeyType(t, p, flags&^pub|pair)
		equal(t, "PSA_KEY_TYPE_PUBLIC_KEY_OF_KEY_PAIR(public key)", kt.PublicKeyOfKeyPair(), kt)
	}
	if flags&pair != 0 {
		t.Step(2)
		p := kt.PublicKeyOfKeyPair()
		equal(t, "PSA_KEY_TYPE_KEY_PAIR_OF_PUBLIC_KEY(PSA_KEY_TYPE_PUBLIC_KEY_OF_KEY_PAIR(type))", p.KeyPairOfPublicKey(), kt)
		classifyKeyType(t, p, flags&^pair|pub)
		equal(t, "PSA_KEY_TYPE_KEY_PAIR_OF_PUBLIC_KEY(key pair)", kt.KeyPairOfPublicKey(), kt)
	}
}

const (
	keyTypeCategoryMask      = 0x7000
	keyTypeCategorySymmetric = 0x2000
)

func blockCipherKeyType(t *suite.T, a suite.Args) {
	kt, block := keyType(a, 0), a.Int(1)
	testKeyType(t, kt, flag("KEY_TYPE_IS_UNSTRUCTURED"))
	equal(t, "key type category", uint16(kt)&keyTypeCategoryMask, keyTypeCategorySymmetric)
	equal(t, "PSA_BLOCK_CIPHER_BLOCK_LENGTH", values.BlockCipherBlockLength(kt), block)
	check(t, block > 0 && block&(block-1) == 0, "block size %d is not a power of 2", block)
}

func streamCipherKeyType(t *suite.T, a suite.Args) {
	kt := keyType(a, 0)
	testKeyType(t, kt, flag("KEY_TYPE_IS_UNSTRUCTURED"))
	equal(t, "key type category", uint16(kt)&keyTypeCategoryMask, keyTypeCategorySymmetric)
	equal(t, "PSA_BLOCK_CIPHER_BLOCK_LENGTH", values.BlockCipherBlockLength(kt), 1)
}

func eccKeyFamily(t *suite.T, a suite.Args) {
	f := values.ECCFamily(uint8(a.Uint32(0)))
	check(t, evenParity(uint32(f)), "ECC family %v has odd parity", f)
	pub, pair := values.KeyTypeECCPublicKey(f), values.KeyTypeECCKeyPair(f)
	ecc := flag("KEY_TYPE_IS_ECC")
	testKeyType(t, pub, ecc|flag("KEY_TYPE_IS_PUBLIC_KEY"))
	testKeyType(t, pair, ecc|flag("KEY_TYPE_IS_KEY_PAIR"))
	equal(t, "PSA_KEY_TYPE_ECC_GET_FAMILY(public key)", pub.ECCFamily(), f)
	equal(t, "PSA_KEY_TYPE_ECC_GET_FAMILY(key pair)", pair.ECCFamily(), f)
}

func dhKeyFamily(t *suite.T, a suite.Args) {
	g := values.DHFamily(uint8(a.Uint32(0)))
	check(t, evenParity(uint32(g)), "DH family %v has odd parity", g)
	pub, pair := values.KeyTypeDHPublicKey(g), values.KeyTypeDHKeyPair(g)
	dh := flag("KEY_TYPE_IS_DH")
	testKeyType(t, pub, dh|flag("KEY_TYPE_IS_PUBLIC_KEY"))
	testKeyType(t, pair, dh|flag("KEY_TYPE_IS_KEY_PAIR"))
	equal(t, "PSA_KEY_TYPE_DH_GET_FAMILY(public key)", pub.DHFamily(), g)
	equal(t, "PSA_KEY_TYPE_DH_GET_FAMILY(key pair)", pair.DHFamily(), g)
}

func lifetimeFunc(t *suite.T, a suite.Args) {
	lt := values.Lifetime(a.Uint32(0))
	classify(t, "lifetime", lt, a.Int(1), lifetimeClassifiers, nil)
	equal(t, "PSA_KEY_LIFETIME_GET_PERSISTENCE", lt.Persistence(), values.Persistence(uint8(a.Uint32(2))))
	equal(t, "PSA_KEY_LIFETIME_GET_LOCATION", lt.Location(), values.Location(a.Uint32(3)))
}

// staticChecks is the static_checks test function: a truncated MAC length
// must fit in the algorithm encoding, whose PSA_ALG_MAC_TRUNCATION_MASK is
// 0x003f0000.
func staticChecks(t *suite.T, _ suite.Args) {
	const maxTruncated = 0x003f0000 >> 16
	check(t, values.MACMaxSize <= 1+maxTruncated, "PSA_MAC_MAX_SIZE %d > 1 + %d", values.MACMaxSize, maxTruncated)
}
