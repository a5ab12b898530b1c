package expr

import (
	"fmt"
	"maps"
	"strings"
	"sync"

	"github.com/gopsa/psa/values"
)

// PSAEnv resolves the names of the PSA Certified Crypto API: identifiers
// through the values package's name parsers (so that there is one table of
// PSA values, not two), and function-like macros through a table from
// macro name to the values package's function. Names that the API leaves to
// the implementation or that are local to a test suite (Mbed TLS limits,
// the suites' enum constants) come from the extra map given to
// [NewPSAEnv], which is consulted first. A PSAEnv is safe for concurrent
// use.
type PSAEnv struct {
	extra  map[string]int64
	idents sync.Map // name -> int64, identifiers resolved so far
}

// NewPSAEnv returns an environment that resolves PSA names, and the names
// of extra before them. extra is copied.
func NewPSAEnv(extra map[string]int64) *PSAEnv {
	return &PSAEnv{extra: maps.Clone(extra)}
}

// PSA resolves the PSA names alone.
var PSA = NewPSAEnv(nil)

// identParsers maps an identifier prefix to the parser of the value kind
// that owns it: parsing by prefix avoids trying every parser in turn.
// Longer prefixes come first where one prefix extends another.
var identParsers = []struct {
	prefix string
	parse  func(string) (int64, error)
}{
	{"PSA_ALG_", nameParser(values.ParseAlgorithm)},
	{"PSA_KEY_TYPE_", nameParser(values.ParseKeyType)},
	{"PSA_ECC_FAMILY_", nameParser(values.ParseECCFamily)},
	{"PSA_DH_FAMILY_", nameParser(values.ParseDHFamily)},
	{"PSA_SLH_DSA_FAMILY_", nameParser(values.ParseSLHDSAFamily)},
	{"PSA_KEY_USAGE_", nameParser(values.ParseKeyUsage)},
	{"PSA_KEY_LIFETIME_", nameParser(values.ParseLifetime)},
	{"PSA_KEY_PERSISTENCE_", nameParser(values.ParsePersistence)},
	{"PSA_KEY_LOCATION_", nameParser(values.ParseLocation)},
	{"PSA_KEY_ID_", nameParser(values.ParseKeyID)},
	{"PSA_KEY_DERIVATION_INPUT_", nameParser(values.ParseDerivationStep)},
	{"PSA_PAKE_PRIMITIVE_TYPE_", nameParser(values.ParsePAKEPrimitiveType)},
	{"PSA_PAKE_ROLE_", nameParser(values.ParsePAKERole)},
	{"PSA_PAKE_STEP_", nameParser(values.ParsePAKEStep)},
	{"PSA_ERROR_", nameParser(values.ParseStatus)},
	{"PSA_SUCCESS", nameParser(values.ParseStatus)},
}

func nameParser[T ~uint8 | ~uint16 | ~uint32 | ~int32](parse func(string) (T, error)) func(string) (int64, error) {
	return func(s string) (int64, error) {
		v, err := parse(s)
		return int64(v), err
	}
}

// sizeConstants are the object-like size macros of the API, which the
// values package defines as Go constants rather than names it parses.
var sizeConstants = map[string]int64{
	"PSA_AEAD_FINISH_OUTPUT_MAX_SIZE":         values.AEADFinishOutputMaxSize,
	"PSA_AEAD_NONCE_MAX_SIZE":                 values.AEADNonceMaxSize,
	"PSA_AEAD_TAG_MAX_SIZE":                   values.AEADTagMaxSize,
	"PSA_AEAD_VERIFY_OUTPUT_MAX_SIZE":         values.AEADVerifyOutputMaxSize,
	"PSA_ASYMMETRIC_DECRYPT_OUTPUT_MAX_SIZE":  values.AsymmetricDecryptOutputMaxSize,
	"PSA_ASYMMETRIC_ENCRYPT_OUTPUT_MAX_SIZE":  values.AsymmetricEncryptOutputMaxSize,
	"PSA_BLOCK_CIPHER_BLOCK_MAX_SIZE":         values.BlockCipherBlockMaxSize,
	"PSA_CIPHER_FINISH_OUTPUT_MAX_SIZE":       values.CipherFinishOutputMaxSize,
	"PSA_CIPHER_IV_MAX_SIZE":                  values.CipherIVMaxSize,
	"PSA_ENCAPSULATE_CIPHERTEXT_MAX_SIZE":     values.EncapsulateCiphertextMaxSize,
	"PSA_EXPORT_ASYMMETRIC_KEY_MAX_SIZE":      values.ExportAsymmetricKeyMaxSize,
	"PSA_EXPORT_KEY_PAIR_MAX_SIZE":            values.ExportKeyPairMaxSize,
	"PSA_EXPORT_PUBLIC_KEY_MAX_SIZE":          values.ExportPublicKeyMaxSize,
	"PSA_HASH_MAX_SIZE":                       values.HashMaxSize,
	"PSA_HASH_SUSPEND_ALGORITHM_FIELD_LENGTH": values.HashSuspendAlgorithmFieldLength,
	"PSA_HASH_SUSPEND_OUTPUT_MAX_SIZE":        values.HashSuspendOutputMaxSize,
	"PSA_MAC_MAX_SIZE":                        values.MACMaxSize,
	"PSA_PAKE_INPUT_MAX_SIZE":                 values.PAKEInputMaxSize,
	"PSA_PAKE_OUTPUT_MAX_SIZE":                values.PAKEOutputMaxSize,
	"PSA_RAW_KEY_AGREEMENT_OUTPUT_MAX_SIZE":   values.RawKeyAgreementOutputMaxSize,
	"PSA_SIGNATURE_MAX_SIZE":                  values.SignatureMaxSize,
	"PSA_TLS12_ECJPAKE_TO_PMS_OUTPUT_SIZE":    values.TLS12ECJPAKEToPMSOutputSize,
	"PSA_TLS12_PSK_TO_MS_PSK_MAX_SIZE":        values.TLS12PSKToMSPSKMaxSize,
	"PSA_WRAP_KEY_PAIR_MAX_SIZE":              values.WrapKeyPairMaxSize,
}

// Ident returns the value of a PSA identifier, or of a name of the extra
// map. The error for any other name wraps an *UnknownError.
func (e *PSAEnv) Ident(name string) (int64, error) {
	if v, ok := e.extra[name]; ok {
		return v, nil
	}
	if v, ok := e.idents.Load(name); ok {
		return v.(int64), nil
	}
	if v, ok := sizeConstants[name]; ok {
		return v, nil
	}
	for _, p := range identParsers {
		if strings.HasPrefix(name, p.prefix) {
			v, err := p.parse(name)
			if err != nil {
				break
			}
			e.idents.Store(name, v)
			return v, nil
		}
	}
	return 0, &UnknownError{Name: name}
}

// Call applies a PSA function-like macro. The error for a macro it does
// not know wraps an *UnknownError; the error for a wrong number of
// arguments wraps values.ErrInvalidArgument.
func (e *PSAEnv) Call(name string, args []int64) (int64, error) {
	m, ok := macros[name]
	if !ok {
		return 0, &UnknownError{Name: name, Macro: true}
	}
	if len(args) != m.arity {
		return 0, fmt.Errorf("%s takes %d arguments, not %d: %w", name, m.arity, len(args), values.ErrInvalidArgument)
	}
	return m.fn(args), nil
}

type macro struct {
	arity int
	fn    func(a []int64) int64
}

// The argument adapters convert intmax_t arguments to the values types
// with C's conversion (truncation), as passing them to a function whose
// parameter has that type would.
func alg(a int64) values.Algorithm   { return values.Algorithm(a) }
func keyType(a int64) values.KeyType { return values.KeyType(a) }

func algFn(f func(values.Algorithm) values.Algorithm) macro {
	return macro{1, func(a []int64) int64 { return int64(f(alg(a[0]))) }}
}

func algIntFn(f func(values.Algorithm, int) values.Algorithm) macro {
	return macro{2, func(a []int64) int64 { return int64(f(alg(a[0]), int(a[1]))) }}
}

func eccTypeFn(f func(values.ECCFamily) values.KeyType) macro {
	return macro{1, func(a []int64) int64 { return int64(f(values.ECCFamily(a[0]))) }}
}

func dhTypeFn(f func(values.DHFamily) values.KeyType) macro {
	return macro{1, func(a []int64) int64 { return int64(f(values.DHFamily(a[0]))) }}
}

func slhTypeFn(f func(values.SLHDSAFamily) values.KeyType) macro {
	return macro{1, func(a []int64) int64 { return int64(f(values.SLHDSAFamily(a[0]))) }}
}

func intFn(f func(int) int) macro {
	return macro{1, func(a []int64) int64 { return int64(f(int(a[0]))) }}
}

func algSizeFn(f func(values.Algorithm) int) macro {
	return macro{1, func(a []int64) int64 { return int64(f(alg(a[0]))) }}
}

// typeAlgFn is for (key_type, alg).
func typeAlgFn(f func(values.KeyType, values.Algorithm) int) macro {
	return macro{2, func(a []int64) int64 { return int64(f(keyType(a[0]), alg(a[1]))) }}
}

// typeAlgLenFn is for (key_type, alg, input_length).
func typeAlgLenFn(f func(values.KeyType, values.Algorithm, int) int) macro {
	return macro{3, func(a []int64) int64 { return int64(f(keyType(a[0]), alg(a[1]), int(a[2]))) }}
}

// typeBitsAlgFn is for (key_type, key_bits, alg).
func typeBitsAlgFn(f func(values.KeyType, int, values.Algorithm) int) macro {
	return macro{3, func(a []int64) int64 { return int64(f(keyType(a[0]), int(a[1]), alg(a[2]))) }}
}

// typeBitsFn is for (key_type, key_bits).
func typeBitsFn(f func(values.KeyType, int) int) macro {
	return macro{2, func(a []int64) int64 { return int64(f(keyType(a[0]), int(a[1]))) }}
}

var macros = map[string]macro{
	// Algorithm constructors.
	"PSA_ALG_AEAD_WITH_AT_LEAST_THIS_LENGTH_TAG": algIntFn(values.AlgAEADWithAtLeastThisLengthTag),
	"PSA_ALG_AEAD_WITH_DEFAULT_LENGTH_TAG":       algFn(values.AlgAEADWithDefaultLengthTag),
	"PSA_ALG_AEAD_WITH_SHORTENED_TAG":            algIntFn(values.AlgAEADWithShortenedTag),
	"PSA_ALG_AT_LEAST_THIS_LENGTH_MAC":           algIntFn(values.AlgAtLeastThisLengthMAC),
	"PSA_ALG_BLAKE2_MAC":                         algFn(values.AlgBLAKE2MAC),
	"PSA_ALG_DETERMINISTIC_ECDSA":                algFn(values.AlgDeterministicECDSA),
	"PSA_ALG_DETERMINISTIC_HASH_ML_DSA":          algFn(values.AlgDeterministicHashMLDSA),
	"PSA_ALG_DETERMINISTIC_HASH_SLH_DSA":         algFn(values.AlgDeterministicHashSLHDSA),
	"PSA_ALG_ECDSA":                              algFn(values.AlgECDSA),
	"PSA_ALG_FULL_LENGTH_MAC":                    algFn(values.AlgFullLengthMAC),
	"PSA_ALG_HASH_ML_DSA":                        algFn(values.AlgHashMLDSA),
	"PSA_ALG_HASH_SLH_DSA":                       algFn(values.AlgHashSLHDSA),
	"PSA_ALG_HKDF":                               algFn(values.AlgHKDF),
	"PSA_ALG_HKDF_EXPAND":                        algFn(values.AlgHKDFExpand),
	"PSA_ALG_HKDF_EXTRACT":                       algFn(values.AlgHKDFExtract),
	"PSA_ALG_HMAC":                               algFn(values.AlgHMAC),
	"PSA_ALG_JPAKE":                              algFn(values.AlgJPAKE),
	"PSA_ALG_KEY_AGREEMENT": {2, func(a []int64) int64 {
		return int64(values.AlgKeyAgreement(alg(a[0]), alg(a[1])))
	}},
	"PSA_ALG_PBKDF2_HMAC":             algFn(values.AlgPBKDF2HMAC),
	"PSA_ALG_RSA_OAEP":                algFn(values.AlgRSAOAEP),
	"PSA_ALG_RSA_PKCS1V15_SIGN":       algFn(values.AlgRSAPKCS1v15Sign),
	"PSA_ALG_RSA_PSS":                 algFn(values.AlgRSAPSS),
	"PSA_ALG_RSA_PSS_ANY_SALT":        algFn(values.AlgRSAPSSAnySalt),
	"PSA_ALG_SP800_108_COUNTER_HMAC":  algFn(values.AlgSP800_108CounterHMAC),
	"PSA_ALG_SPAKE2P_CMAC":            algFn(values.AlgSPAKE2PCMAC),
	"PSA_ALG_SPAKE2P_HMAC":            algFn(values.AlgSPAKE2PHMAC),
	"PSA_ALG_TLS12_PRF":               algFn(values.AlgTLS12PRF),
	"PSA_ALG_TLS12_PSK_TO_MS":         algFn(values.AlgTLS12PSKToMS),
	"PSA_ALG_TRUNCATED_MAC":           algIntFn(values.AlgTruncatedMAC),
	"PSA_ALG_WPA3_SAE_FIXED":          algFn(values.AlgWPA3SAEFixed),
	"PSA_ALG_WPA3_SAE_GDH":            algFn(values.AlgWPA3SAEGDH),
	"PSA_ALG_WPA3_SAE_H2E":            algFn(values.AlgWPA3SAEH2E),
	"PSA_KEY_TYPE_DH_KEY_PAIR":        dhTypeFn(values.KeyTypeDHKeyPair),
	"PSA_KEY_TYPE_DH_PUBLIC_KEY":      dhTypeFn(values.KeyTypeDHPublicKey),
	"PSA_KEY_TYPE_ECC_KEY_PAIR":       eccTypeFn(values.KeyTypeECCKeyPair),
	"PSA_KEY_TYPE_ECC_PUBLIC_KEY":     eccTypeFn(values.KeyTypeECCPublicKey),
	"PSA_KEY_TYPE_SLH_DSA_KEY_PAIR":   slhTypeFn(values.KeyTypeSLHDSAKeyPair),
	"PSA_KEY_TYPE_SLH_DSA_PUBLIC_KEY": slhTypeFn(values.KeyTypeSLHDSAPublicKey),
	"PSA_KEY_TYPE_SPAKE2P_KEY_PAIR":   eccTypeFn(values.KeyTypeSPAKE2PKeyPair),
	"PSA_KEY_TYPE_SPAKE2P_PUBLIC_KEY": eccTypeFn(values.KeyTypeSPAKE2PPublicKey),
	"PSA_KEY_TYPE_WPA3_SAE_DH":        dhTypeFn(values.KeyTypeWPA3SAEDH),
	"PSA_KEY_TYPE_WPA3_SAE_ECC":       eccTypeFn(values.KeyTypeWPA3SAEECC),
	"PSA_KEY_TYPE_KEY_PAIR_OF_PUBLIC_KEY": {1, func(a []int64) int64 {
		return int64(keyType(a[0]).KeyPairOfPublicKey())
	}},
	"PSA_KEY_TYPE_PUBLIC_KEY_OF_KEY_PAIR": {1, func(a []int64) int64 {
		return int64(keyType(a[0]).PublicKeyOfKeyPair())
	}},
	"PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION": {2, func(a []int64) int64 {
		return int64(values.LifetimeFromPersistenceAndLocation(values.Persistence(a[0]), values.Location(a[1])))
	}},
	"PSA_PAKE_PRIMITIVE": {3, func(a []int64) int64 {
		return int64(values.PAKEPrimitiveOf(values.PAKEPrimitiveType(a[0]), values.PAKEFamily(a[1]), int(a[2])))
	}},

	// Size macros.
	"PSA_BITS_TO_BYTES":                          intFn(values.BitsToBytes),
	"PSA_BYTES_TO_BITS":                          intFn(values.BytesToBits),
	"PSA_HASH_LENGTH":                            algSizeFn(values.HashLength),
	"PSA_HASH_BLOCK_LENGTH":                      algSizeFn(values.HashBlockLength),
	"PSA_HASH_SUSPEND_HASH_STATE_FIELD_LENGTH":   algSizeFn(values.HashSuspendHashStateFieldLength),
	"PSA_HASH_SUSPEND_INPUT_LENGTH_FIELD_LENGTH": algSizeFn(values.HashSuspendInputLengthFieldLength),
	"PSA_HASH_SUSPEND_OUTPUT_SIZE":               algSizeFn(values.HashSuspendOutputSize),
	"PSA_MAC_LENGTH":                             typeBitsAlgFn(values.MACLength),
	"PSA_AEAD_ENCRYPT_OUTPUT_SIZE":               typeAlgLenFn(values.AEADEncryptOutputSize),
	"PSA_AEAD_ENCRYPT_OUTPUT_MAX_SIZE":           intFn(values.AEADEncryptOutputMaxSize),
	"PSA_AEAD_DECRYPT_OUTPUT_SIZE":               typeAlgLenFn(values.AEADDecryptOutputSize),
	"PSA_AEAD_DECRYPT_OUTPUT_MAX_SIZE":           intFn(values.AEADDecryptOutputMaxSize),
	"PSA_AEAD_NONCE_LENGTH":                      typeAlgFn(values.AEADNonceLength),
	"PSA_AEAD_UPDATE_OUTPUT_SIZE":                typeAlgLenFn(values.AEADUpdateOutputSize),
	"PSA_AEAD_UPDATE_OUTPUT_MAX_SIZE":            intFn(values.AEADUpdateOutputMaxSize),
	"PSA_AEAD_FINISH_OUTPUT_SIZE":                typeAlgFn(values.AEADFinishOutputSize),
	"PSA_AEAD_TAG_LENGTH":                        typeBitsAlgFn(values.AEADTagLength),
	"PSA_AEAD_VERIFY_OUTPUT_SIZE":                typeAlgFn(values.AEADVerifyOutputSize),
	"PSA_ASYMMETRIC_ENCRYPT_OUTPUT_SIZE":         typeBitsAlgFn(values.AsymmetricEncryptOutputSize),
	"PSA_ASYMMETRIC_DECRYPT_OUTPUT_SIZE":         typeBitsAlgFn(values.AsymmetricDecryptOutputSize),
	"PSA_BLOCK_CIPHER_BLOCK_LENGTH": {1, func(a []int64) int64 {
		return int64(values.BlockCipherBlockLength(keyType(a[0])))
	}},
	"PSA_CIPHER_ENCRYPT_OUTPUT_SIZE":     typeAlgLenFn(values.CipherEncryptOutputSize),
	"PSA_CIPHER_ENCRYPT_OUTPUT_MAX_SIZE": intFn(values.CipherEncryptOutputMaxSize),
	"PSA_CIPHER_DECRYPT_OUTPUT_SIZE":     typeAlgLenFn(values.CipherDecryptOutputSize),
	"PSA_CIPHER_DECRYPT_OUTPUT_MAX_SIZE": intFn(values.CipherDecryptOutputMaxSize),
	"PSA_CIPHER_IV_LENGTH":               typeAlgFn(values.CipherIVLength),
	"PSA_CIPHER_UPDATE_OUTPUT_SIZE":      typeAlgLenFn(values.CipherUpdateOutputSize),
	"PSA_CIPHER_UPDATE_OUTPUT_MAX_SIZE":  intFn(values.CipherUpdateOutputMaxSize),
	"PSA_CIPHER_FINISH_OUTPUT_SIZE":      typeAlgFn(values.CipherFinishOutputSize),
	"PSA_ENCAPSULATE_CIPHERTEXT_SIZE":    typeBitsAlgFn(values.EncapsulateCiphertextSize),
	"PSA_EXPORT_KEY_OUTPUT_SIZE":         typeBitsFn(values.ExportKeyOutputSize),
	"PSA_EXPORT_PUBLIC_KEY_OUTPUT_SIZE":  typeBitsFn(values.ExportPublicKeyOutputSize),
	"PSA_RAW_KEY_AGREEMENT_OUTPUT_SIZE":  typeBitsFn(values.RawKeyAgreementOutputSize),
	"PSA_SIGN_OUTPUT_SIZE":               typeBitsAlgFn(values.SignOutputSize),
	"PSA_WRAP_KEY_OUTPUT_SIZE": {4, func(a []int64) int64 {
		return int64(values.WrapKeyOutputSize(keyType(a[0]), alg(a[1]), keyType(a[2]), int(a[3])))
	}},
	"PSA_PAKE_INPUT_SIZE": {3, func(a []int64) int64 {
		return int64(values.PAKEInputSize(alg(a[0]), values.PAKEPrimitive(a[1]), values.PAKEStep(a[2])))
	}},
	"PSA_PAKE_OUTPUT_SIZE": {3, func(a []int64) int64 {
		return int64(values.PAKEOutputSize(alg(a[0]), values.PAKEPrimitive(a[1]), values.PAKEStep(a[2])))
	}},
}
