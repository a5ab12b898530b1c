package values

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// headerCoverage maps every identifier of the example header
// (testdata/example_header.txt, appendix A of the specification) that has
// no numeric value to the Go name that implements it. The values are Go
// expressions, so the compiler checks that each name exists.
var headerCoverage = map[string]any{
	"PSA_KEY_TYPE_IS_UNSTRUCTURED":                   KeyType.IsUnstructured,
	"PSA_KEY_TYPE_IS_ASYMMETRIC":                     KeyType.IsAsymmetric,
	"PSA_KEY_TYPE_IS_PUBLIC_KEY":                     KeyType.IsPublicKey,
	"PSA_KEY_TYPE_IS_KEY_PAIR":                       KeyType.IsKeyPair,
	"PSA_KEY_TYPE_WPA3_SAE_ECC":                      KeyTypeWPA3SAEECC,
	"PSA_KEY_TYPE_WPA3_SAE_DH":                       KeyTypeWPA3SAEDH,
	"PSA_KEY_TYPE_IS_WPA3_SAE_ECC":                   KeyType.IsWPA3SAEECC,
	"PSA_KEY_TYPE_WPA3_SAE_ECC_GET_FAMILY":           KeyType.WPA3SAEECCFamily,
	"PSA_KEY_TYPE_IS_WPA3_SAE_DH":                    KeyType.IsWPA3SAEDH,
	"PSA_KEY_TYPE_WPA3_SAE_DH_GET_FAMILY":            KeyType.WPA3SAEDHFamily,
	"PSA_KEY_TYPE_IS_RSA":                            KeyType.IsRSA,
	"PSA_KEY_TYPE_ECC_KEY_PAIR":                      KeyTypeECCKeyPair,
	"PSA_KEY_TYPE_ECC_PUBLIC_KEY":                    KeyTypeECCPublicKey,
	"PSA_KEY_TYPE_IS_ECC":                            KeyType.IsECC,
	"PSA_KEY_TYPE_IS_ECC_KEY_PAIR":                   KeyType.IsECCKeyPair,
	"PSA_KEY_TYPE_IS_ECC_PUBLIC_KEY":                 KeyType.IsECCPublicKey,
	"PSA_KEY_TYPE_ECC_GET_FAMILY":                    KeyType.ECCFamily,
	"PSA_KEY_TYPE_DH_KEY_PAIR":                       KeyTypeDHKeyPair,
	"PSA_KEY_TYPE_DH_PUBLIC_KEY":                     KeyTypeDHPublicKey,
	"PSA_KEY_TYPE_IS_DH":                             KeyType.IsDH,
	"PSA_KEY_TYPE_IS_DH_KEY_PAIR":                    KeyType.IsDHKeyPair,
	"PSA_KEY_TYPE_IS_DH_PUBLIC_KEY":                  KeyType.IsDHPublicKey,
	"PSA_KEY_TYPE_DH_GET_FAMILY":                     KeyType.DHFamily,
	"PSA_KEY_TYPE_IS_ML_DSA":                         KeyType.IsMLDSA,
	"PSA_KEY_TYPE_SLH_DSA_KEY_PAIR":                  KeyTypeSLHDSAKeyPair,
	"PSA_KEY_TYPE_SLH_DSA_PUBLIC_KEY":                KeyTypeSLHDSAPublicKey,
	"PSA_KEY_TYPE_IS_SLH_DSA":                        KeyType.IsSLHDSA,
	"PSA_KEY_TYPE_IS_SLH_DSA_KEY_PAIR":               KeyType.IsSLHDSAKeyPair,
	"PSA_KEY_TYPE_IS_SLH_DSA_PUBLIC_KEY":             KeyType.IsSLHDSAPublicKey,
	"PSA_KEY_TYPE_SLH_DSA_GET_FAMILY":                KeyType.SLHDSAFamily,
	"PSA_KEY_TYPE_IS_ML_KEM":                         KeyType.IsMLKEM,
	"PSA_KEY_TYPE_SPAKE2P_KEY_PAIR":                  KeyTypeSPAKE2PKeyPair,
	"PSA_KEY_TYPE_SPAKE2P_PUBLIC_KEY":                KeyTypeSPAKE2PPublicKey,
	"PSA_KEY_TYPE_IS_SPAKE2P":                        KeyType.IsSPAKE2P,
	"PSA_KEY_TYPE_IS_SPAKE2P_KEY_PAIR":               KeyType.IsSPAKE2PKeyPair,
	"PSA_KEY_TYPE_IS_SPAKE2P_PUBLIC_KEY":             KeyType.IsSPAKE2PPublicKey,
	"PSA_KEY_TYPE_SPAKE2P_GET_FAMILY":                KeyType.SPAKE2PFamily,
	"PSA_KEY_TYPE_KEY_PAIR_OF_PUBLIC_KEY":            KeyType.KeyPairOfPublicKey,
	"PSA_KEY_TYPE_PUBLIC_KEY_OF_KEY_PAIR":            KeyType.PublicKeyOfKeyPair,
	"PSA_KEY_LIFETIME_GET_PERSISTENCE":               Lifetime.Persistence,
	"PSA_KEY_LIFETIME_GET_LOCATION":                  Lifetime.Location,
	"PSA_KEY_LIFETIME_IS_VOLATILE":                   Lifetime.IsVolatile,
	"PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION": LifetimeFromPersistenceAndLocation,
	"PSA_EXPORT_KEY_OUTPUT_SIZE":                     ExportKeyOutputSize,
	"PSA_EXPORT_PUBLIC_KEY_OUTPUT_SIZE":              ExportPublicKeyOutputSize,
	"PSA_ALG_IS_HASH":                                Algorithm.IsHash,
	"PSA_ALG_IS_XOF":                                 Algorithm.IsXOF,
	"PSA_ALG_IS_MAC":                                 Algorithm.IsMAC,
	"PSA_ALG_IS_CIPHER":                              Algorithm.IsCipher,
	"PSA_ALG_IS_AEAD":                                Algorithm.IsAEAD,
	"PSA_ALG_IS_KEY_WRAP":                            Algorithm.IsKeyWrap,
	"PSA_ALG_IS_KEY_DERIVATION":                      Algorithm.IsKeyDerivation,
	"PSA_ALG_IS_SIGN":                                Algorithm.IsSign,
	"PSA_ALG_IS_ASYMMETRIC_ENCRYPTION":               Algorithm.IsAsymmetricEncryption,
	"PSA_ALG_IS_KEY_AGREEMENT":                       Algorithm.IsKeyAgreement,
	"PSA_ALG_IS_PAKE":                                Algorithm.IsPAKE,
	"PSA_ALG_IS_KEY_ENCAPSULATION":                   Algorithm.IsKeyEncapsulation,
	"PSA_ALG_IS_WILDCARD":                            Algorithm.IsWildcard,
	"PSA_ALG_GET_HASH":                               Algorithm.Hash,
	"PSA_ALG_IS_BLAKE2_HASH":                         Algorithm.IsBLAKE2Hash,
	"PSA_HASH_LENGTH":                                HashLength,
	"PSA_HASH_SUSPEND_OUTPUT_SIZE":                   HashSuspendOutputSize,
	"PSA_HASH_SUSPEND_INPUT_LENGTH_FIELD_LENGTH":     HashSuspendInputLengthFieldLength,
	"PSA_HASH_SUSPEND_HASH_STATE_FIELD_LENGTH":       HashSuspendHashStateFieldLength,
	"PSA_HASH_BLOCK_LENGTH":                          HashBlockLength,
	"PSA_ALG_XOF_HAS_CONTEXT":                        Algorithm.XOFHasContext,
	"PSA_ALG_HMAC":                                   AlgHMAC,
	"PSA_ALG_BLAKE2_MAC":                             AlgBLAKE2MAC,
	"PSA_ALG_TRUNCATED_MAC":                          AlgTruncatedMAC,
	"PSA_ALG_FULL_LENGTH_MAC":                        AlgFullLengthMAC,
	"PSA_ALG_AT_LEAST_THIS_LENGTH_MAC":               AlgAtLeastThisLengthMAC,
	"PSA_ALG_IS_HMAC":                                Algorithm.IsHMAC,
	"PSA_ALG_IS_BLAKE2_MAC":                          Algorithm.IsBLAKE2MAC,
	"PSA_ALG_IS_BLOCK_CIPHER_MAC":                    Algorithm.IsBlockCipherMAC,
	"PSA_MAC_LENGTH":                                 MACLength,
	"PSA_ALG_IS_STREAM_CIPHER":                       Algorithm.IsStreamCipher,
	"PSA_CIPHER_ENCRYPT_OUTPUT_SIZE":                 CipherEncryptOutputSize,
	"PSA_CIPHER_ENCRYPT_OUTPUT_MAX_SIZE":             CipherEncryptOutputMaxSize,
	"PSA_CIPHER_DECRYPT_OUTPUT_SIZE":                 CipherDecryptOutputSize,
	"PSA_CIPHER_DECRYPT_OUTPUT_MAX_SIZE":             CipherDecryptOutputMaxSize,
	"PSA_CIPHER_IV_LENGTH":                           CipherIVLength,
	"PSA_CIPHER_UPDATE_OUTPUT_SIZE":                  CipherUpdateOutputSize,
	"PSA_CIPHER_UPDATE_OUTPUT_MAX_SIZE":              CipherUpdateOutputMaxSize,
	"PSA_CIPHER_FINISH_OUTPUT_SIZE":                  CipherFinishOutputSize,
	"PSA_BLOCK_CIPHER_BLOCK_LENGTH":                  BlockCipherBlockLength,
	"PSA_ALG_AEAD_WITH_SHORTENED_TAG":                AlgAEADWithShortenedTag,
	"PSA_ALG_AEAD_WITH_DEFAULT_LENGTH_TAG":           AlgAEADWithDefaultLengthTag,
	"PSA_ALG_AEAD_WITH_AT_LEAST_THIS_LENGTH_TAG":     AlgAEADWithAtLeastThisLengthTag,
	"PSA_ALG_IS_AEAD_ON_BLOCK_CIPHER":                Algorithm.IsAEADOnBlockCipher,
	"PSA_AEAD_ENCRYPT_OUTPUT_SIZE":                   AEADEncryptOutputSize,
	"PSA_AEAD_ENCRYPT_OUTPUT_MAX_SIZE":               AEADEncryptOutputMaxSize,
	"PSA_AEAD_DECRYPT_OUTPUT_SIZE":                   AEADDecryptOutputSize,
	"PSA_AEAD_DECRYPT_OUTPUT_MAX_SIZE":               AEADDecryptOutputMaxSize,
	"PSA_AEAD_NONCE_LENGTH":                          AEADNonceLength,
	"PSA_AEAD_UPDATE_OUTPUT_SIZE":                    AEADUpdateOutputSize,
	"PSA_AEAD_UPDATE_OUTPUT_MAX_SIZE":                AEADUpdateOutputMaxSize,
	"PSA_AEAD_FINISH_OUTPUT_SIZE":                    AEADFinishOutputSize,
	"PSA_AEAD_TAG_LENGTH":                            AEADTagLength,
	"PSA_AEAD_VERIFY_OUTPUT_SIZE":                    AEADVerifyOutputSize,
	"PSA_WRAP_KEY_OUTPUT_SIZE":                       WrapKeyOutputSize,
	"PSA_ALG_HKDF":                                   AlgHKDF,
	"PSA_ALG_HKDF_EXTRACT":                           AlgHKDFExtract,
	"PSA_ALG_HKDF_EXPAND":                            AlgHKDFExpand,
	"PSA_ALG_SP800_108_COUNTER_HMAC":                 AlgSP800_108CounterHMAC,
	"PSA_ALG_TLS12_PRF":                              AlgTLS12PRF,
	"PSA_ALG_TLS12_PSK_TO_MS":                        AlgTLS12PSKToMS,
	"PSA_ALG_WPA3_SAE_H2E":                           AlgWPA3SAEH2E,
	"PSA_ALG_PBKDF2_HMAC":                            AlgPBKDF2HMAC,
	"PSA_ALG_IS_KEY_DERIVATION_STRETCHING":           Algorithm.IsKeyDerivationStretching,
	"PSA_ALG_IS_HKDF":                                Algorithm.IsHKDF,
	"PSA_ALG_IS_HKDF_EXTRACT":                        Algorithm.IsHKDFExtract,
	"PSA_ALG_IS_HKDF_EXPAND":                         Algorithm.IsHKDFExpand,
	"PSA_ALG_IS_SP800_108_COUNTER_HMAC":              Algorithm.IsSP800_108CounterHMAC,
	"PSA_ALG_IS_TLS12_PRF":                           Algorithm.IsTLS12PRF,
	"PSA_ALG_IS_TLS12_PSK_TO_MS":                     Algorithm.IsTLS12PSKToMS,
	"PSA_ALG_IS_PBKDF2_HMAC":                         Algorithm.IsPBKDF2HMAC,
	"PSA_ALG_IS_WPA3_SAE_H2E":                        Algorithm.IsWPA3SAEH2E,
	"PSA_ALG_RSA_PKCS1V15_SIGN":                      AlgRSAPKCS1v15Sign,
	"PSA_ALG_RSA_PSS":                                AlgRSAPSS,
	"PSA_ALG_RSA_PSS_ANY_SALT":                       AlgRSAPSSAnySalt,
	"PSA_ALG_IS_RSA_PKCS1V15_SIGN":                   Algorithm.IsRSAPKCS1v15Sign,
	"PSA_ALG_IS_RSA_PSS":                             Algorithm.IsRSAPSS,
	"PSA_ALG_IS_RSA_PSS_ANY_SALT":                    Algorithm.IsRSAPSSAnySalt,
	"PSA_ALG_IS_RSA_PSS_STANDARD_SALT":               Algorithm.IsRSAPSSStandardSalt,
	"PSA_ALG_ECDSA":                                  AlgECDSA,
	"PSA_ALG_DETERMINISTIC_ECDSA":                    AlgDeterministicECDSA,
	"PSA_ALG_IS_ECDSA":                               Algorithm.IsECDSA,
	"PSA_ALG_IS_DETERMINISTIC_ECDSA":                 Algorithm.IsDeterministicECDSA,
	"PSA_ALG_IS_RANDOMIZED_ECDSA":                    Algorithm.IsRandomizedECDSA,
	"PSA_ALG_IS_HASH_EDDSA":                          Algorithm.IsHashEdDSA,
	"PSA_ALG_HASH_SLH_DSA":                           AlgHashSLHDSA,
	"PSA_ALG_DETERMINISTIC_HASH_SLH_DSA":             AlgDeterministicHashSLHDSA,
	"PSA_ALG_IS_SLH_DSA":                             Algorithm.IsSLHDSA,
	"PSA_ALG_IS_HASH_SLH_DSA":                        Algorithm.IsHashSLHDSA,
	"PSA_ALG_IS_DETERMINISTIC_HASH_SLH_DSA":          Algorithm.IsDeterministicHashSLHDSA,
	"PSA_ALG_IS_HEDGED_HASH_SLH_DSA":                 Algorithm.IsHedgedHashSLHDSA,
	"PSA_ALG_HASH_ML_DSA":                            AlgHashMLDSA,
	"PSA_ALG_DETERMINISTIC_HASH_ML_DSA":              AlgDeterministicHashMLDSA,
	"PSA_ALG_IS_ML_DSA":                              Algorithm.IsMLDSA,
	"PSA_ALG_IS_HASH_ML_DSA":                         Algorithm.IsHashMLDSA,
	"PSA_ALG_IS_DETERMINISTIC_HASH_ML_DSA":           Algorithm.IsDeterministicHashMLDSA,
	"PSA_ALG_IS_HEDGED_HASH_ML_DSA":                  Algorithm.IsHedgedHashMLDSA,
	"PSA_ALG_IS_SIGN_MESSAGE":                        Algorithm.IsSignMessage,
	"PSA_ALG_IS_SIGN_HASH":                           Algorithm.IsSignHash,
	"PSA_ALG_IS_HASH_AND_SIGN":                       Algorithm.IsHashAndSign,
	"PSA_ALG_SIGN_SUPPORTS_CONTEXT":                  Algorithm.SignSupportsContext,
	"PSA_SIGN_OUTPUT_SIZE":                           SignOutputSize,
	"PSA_ALG_RSA_OAEP":                               AlgRSAOAEP,
	"PSA_ALG_IS_RSA_OAEP":                            Algorithm.IsRSAOAEP,
	"PSA_ASYMMETRIC_ENCRYPT_OUTPUT_SIZE":             AsymmetricEncryptOutputSize,
	"PSA_ASYMMETRIC_DECRYPT_OUTPUT_SIZE":             AsymmetricDecryptOutputSize,
	"PSA_ALG_KEY_AGREEMENT":                          AlgKeyAgreement,
	"PSA_ALG_KEY_AGREEMENT_GET_BASE":                 Algorithm.KeyAgreementBase,
	"PSA_ALG_KEY_AGREEMENT_GET_KDF":                  Algorithm.KeyAgreementKDF,
	"PSA_ALG_IS_STANDALONE_KEY_AGREEMENT":            Algorithm.IsStandaloneKeyAgreement,
	"PSA_ALG_IS_RAW_KEY_AGREEMENT":                   Algorithm.IsRawKeyAgreement,
	"PSA_ALG_IS_FFDH":                                Algorithm.IsFFDH,
	"PSA_ALG_IS_ECDH":                                Algorithm.IsECDH,
	"PSA_RAW_KEY_AGREEMENT_OUTPUT_SIZE":              RawKeyAgreementOutputSize,
	"PSA_ENCAPSULATE_CIPHERTEXT_SIZE":                EncapsulateCiphertextSize,
	"PSA_PAKE_PRIMITIVE":                             PAKEPrimitiveOf,
	"PSA_PAKE_PRIMITIVE_GET_TYPE":                    PAKEPrimitive.Type,
	"PSA_PAKE_PRIMITIVE_GET_FAMILY":                  PAKEPrimitive.Family,
	"PSA_PAKE_PRIMITIVE_GET_BITS":                    PAKEPrimitive.Bits,
	"PSA_PAKE_OUTPUT_SIZE":                           PAKEOutputSize,
	"PSA_PAKE_INPUT_SIZE":                            PAKEInputSize,
	"PSA_ALG_JPAKE":                                  AlgJPAKE,
	"PSA_ALG_IS_JPAKE":                               Algorithm.IsJPAKE,
	"PSA_ALG_SPAKE2P_HMAC":                           AlgSPAKE2PHMAC,
	"PSA_ALG_SPAKE2P_CMAC":                           AlgSPAKE2PCMAC,
	"PSA_ALG_IS_SPAKE2P":                             Algorithm.IsSPAKE2P,
	"PSA_ALG_IS_SPAKE2P_HMAC":                        Algorithm.IsSPAKE2PHMAC,
	"PSA_ALG_IS_SPAKE2P_CMAC":                        Algorithm.IsSPAKE2PCMAC,
	"PSA_ALG_WPA3_SAE_FIXED":                         AlgWPA3SAEFixed,
	"PSA_ALG_WPA3_SAE_GDH":                           AlgWPA3SAEGDH,
	"PSA_ALG_IS_WPA3_SAE":                            Algorithm.IsWPA3SAE,
	"PSA_ALG_IS_WPA3_SAE_FIXED":                      Algorithm.IsWPA3SAEFixed,
	"PSA_ALG_IS_WPA3_SAE_GDH":                        Algorithm.IsWPA3SAEGDH,

	// Object-like macros whose value the implementation defines.
	"PSA_EXPORT_KEY_PAIR_MAX_SIZE":           ExportKeyPairMaxSize,
	"PSA_EXPORT_PUBLIC_KEY_MAX_SIZE":         ExportPublicKeyMaxSize,
	"PSA_EXPORT_ASYMMETRIC_KEY_MAX_SIZE":     ExportAsymmetricKeyMaxSize,
	"PSA_HASH_MAX_SIZE":                      HashMaxSize,
	"PSA_HASH_SUSPEND_OUTPUT_MAX_SIZE":       HashSuspendOutputMaxSize,
	"PSA_MAC_MAX_SIZE":                       MACMaxSize,
	"PSA_CIPHER_IV_MAX_SIZE":                 CipherIVMaxSize,
	"PSA_CIPHER_FINISH_OUTPUT_MAX_SIZE":      CipherFinishOutputMaxSize,
	"PSA_BLOCK_CIPHER_BLOCK_MAX_SIZE":        BlockCipherBlockMaxSize,
	"PSA_AEAD_NONCE_MAX_SIZE":                AEADNonceMaxSize,
	"PSA_AEAD_FINISH_OUTPUT_MAX_SIZE":        AEADFinishOutputMaxSize,
	"PSA_AEAD_TAG_MAX_SIZE":                  AEADTagMaxSize,
	"PSA_AEAD_VERIFY_OUTPUT_MAX_SIZE":        AEADVerifyOutputMaxSize,
	"PSA_WRAP_KEY_PAIR_MAX_SIZE":             WrapKeyPairMaxSize,
	"PSA_KEY_DERIVATION_INPUT_SECRET":        DerivationInputSecret,
	"PSA_KEY_DERIVATION_INPUT_OTHER_SECRET":  DerivationInputOtherSecret,
	"PSA_KEY_DERIVATION_INPUT_PASSWORD":      DerivationInputPassword,
	"PSA_KEY_DERIVATION_INPUT_LABEL":         DerivationInputLabel,
	"PSA_KEY_DERIVATION_INPUT_CONTEXT":       DerivationInputContext,
	"PSA_KEY_DERIVATION_INPUT_SALT":          DerivationInputSalt,
	"PSA_KEY_DERIVATION_INPUT_INFO":          DerivationInputInfo,
	"PSA_KEY_DERIVATION_INPUT_SEED":          DerivationInputSeed,
	"PSA_KEY_DERIVATION_INPUT_COST":          DerivationInputCost,
	"PSA_KEY_DERIVATION_UNLIMITED_CAPACITY":  KeyDerivationUnlimitedCapacity,
	"PSA_TLS12_PSK_TO_MS_PSK_MAX_SIZE":       TLS12PSKToMSPSKMaxSize,
	"PSA_SIGNATURE_MAX_SIZE":                 SignatureMaxSize,
	"PSA_ASYMMETRIC_ENCRYPT_OUTPUT_MAX_SIZE": AsymmetricEncryptOutputMaxSize,
	"PSA_ASYMMETRIC_DECRYPT_OUTPUT_MAX_SIZE": AsymmetricDecryptOutputMaxSize,
	"PSA_RAW_KEY_AGREEMENT_OUTPUT_MAX_SIZE":  RawKeyAgreementOutputMaxSize,
	"PSA_ENCAPSULATE_CIPHERTEXT_MAX_SIZE":    EncapsulateCiphertextMaxSize,
	"PSA_PAKE_OUTPUT_MAX_SIZE":               PAKEOutputMaxSize,
	"PSA_PAKE_INPUT_MAX_SIZE":                PAKEInputMaxSize,

	// Types.
	"psa_key_id_t":              KeyID(0),
	"psa_key_type_t":            KeyType(0),
	"psa_ecc_family_t":          ECCFamily(0),
	"psa_dh_family_t":           DHFamily(0),
	"psa_slh_dsa_family_t":      SLHDSAFamily(0),
	"psa_key_lifetime_t":        Lifetime(0),
	"psa_key_persistence_t":     Persistence(0),
	"psa_key_location_t":        Location(0),
	"psa_algorithm_t":           Algorithm(0),
	"psa_key_usage_t":           KeyUsage(0),
	"psa_key_derivation_step_t": DerivationStep(0),
	"psa_pake_primitive_t":      PAKEPrimitive(0),
	"psa_pake_primitive_type_t": PAKEPrimitiveType(0),
	"psa_pake_family_t":         PAKEFamily(0),
	"psa_pake_role_t":           PAKERole(0),
	"psa_pake_step_t":           PAKEStep(0),

	// Structures whose zero value is the initializer.
	"psa_key_attributes_t":       Attributes{},
	"PSA_KEY_ATTRIBUTES_INIT":    Attributes{},
	"psa_pake_cipher_suite_t":    PAKECipherSuite{},
	"PSA_PAKE_CIPHER_SUITE_INIT": PAKECipherSuite{},
}

// headerElsewhere lists the header identifiers that belong to other
// packages of gopsa: operation objects and their initializers are part of
// the application API, not values.
var headerElsewhere = map[string]string{
	"PSA_CRYPTO_H":                      "include guard",
	"psa_custom_key_parameters_t":       "psa package: key generation options",
	"PSA_CUSTOM_KEY_PARAMETERS_INIT":    "psa package: key generation options",
	"psa_hash_operation_t":              "psa package: operation object",
	"PSA_HASH_OPERATION_INIT":           "psa package: operation object",
	"psa_xof_operation_t":               "psa package: operation object",
	"PSA_XOF_OPERATION_INIT":            "psa package: operation object",
	"psa_mac_operation_t":               "psa package: operation object",
	"PSA_MAC_OPERATION_INIT":            "psa package: operation object",
	"psa_cipher_operation_t":            "psa package: operation object",
	"PSA_CIPHER_OPERATION_INIT":         "psa package: operation object",
	"psa_aead_operation_t":              "psa package: operation object",
	"PSA_AEAD_OPERATION_INIT":           "psa package: operation object",
	"psa_key_derivation_operation_t":    "psa package: operation object",
	"PSA_KEY_DERIVATION_OPERATION_INIT": "psa package: operation object",
	"psa_sign_operation_t":              "psa package: operation object",
	"PSA_SIGN_OPERATION_INIT":           "psa package: operation object",
	"psa_verify_operation_t":            "psa package: operation object",
	"PSA_VERIFY_OPERATION_INIT":         "psa package: operation object",
	"psa_pake_operation_t":              "psa package: operation object",
	"PSA_PAKE_OPERATION_INIT":           "psa package: operation object",
}

// numericConstants maps the numeric macros that no Parse function reads to
// their Go constants.
var numericConstants = map[string]int64{
	"PSA_CRYPTO_API_VERSION_MAJOR":            CryptoAPIVersionMajor,
	"PSA_CRYPTO_API_VERSION_MINOR":            CryptoAPIVersionMinor,
	"PSA_HASH_SUSPEND_ALGORITHM_FIELD_LENGTH": HashSuspendAlgorithmFieldLength,
	"PSA_TLS12_ECJPAKE_TO_PMS_OUTPUT_SIZE":    TLS12ECJPAKEToPMSOutputSize,
	"PSA_PAKE_CONFIRMED_KEY":                  PAKEConfirmedKey,
	"PSA_PAKE_UNCONFIRMED_KEY":                PAKEUnconfirmedKey,
}

// goValue returns the Go value of the header macro name, read with the
// Parse function of its category.
func goValue(name string) (int64, bool, error) {
	if v, ok := numericConstants[name]; ok {
		return v, true, nil
	}
	type parser struct {
		prefix string
		parse  func(string) (int64, error)
	}
	wrap := func(f func(string) (uint64, error)) func(string) (int64, error) {
		return func(s string) (int64, error) { v, err := f(s); return int64(v), err }
	}
	parsers := []parser{
		{"PSA_ALG_", wrap(func(s string) (uint64, error) { v, err := ParseAlgorithm(s); return uint64(v), err })},
		{"PSA_KEY_TYPE_", wrap(func(s string) (uint64, error) { v, err := ParseKeyType(s); return uint64(v), err })},
		{"PSA_ECC_FAMILY_", wrap(func(s string) (uint64, error) { v, err := ParseECCFamily(s); return uint64(v), err })},
		{"PSA_DH_FAMILY_", wrap(func(s string) (uint64, error) { v, err := ParseDHFamily(s); return uint64(v), err })},
		{"PSA_SLH_DSA_FAMILY_", wrap(func(s string) (uint64, error) { v, err := ParseSLHDSAFamily(s); return uint64(v), err })},
		{"PSA_KEY_USAGE_", wrap(func(s string) (uint64, error) { v, err := ParseKeyUsage(s); return uint64(v), err })},
		{"PSA_KEY_LIFETIME_", wrap(func(s string) (uint64, error) { v, err := ParseLifetime(s); return uint64(v), err })},
		{"PSA_KEY_PERSISTENCE_", wrap(func(s string) (uint64, error) { v, err := ParsePersistence(s); return uint64(v), err })},
		{"PSA_KEY_LOCATION_", wrap(func(s string) (uint64, error) { v, err := ParseLocation(s); return uint64(v), err })},
		{"PSA_KEY_ID_", wrap(func(s string) (uint64, error) { v, err := ParseKeyID(s); return uint64(v), err })},
		{"PSA_KEY_DERIVATION_INPUT_", wrap(func(s string) (uint64, error) { v, err := ParseDerivationStep(s); return uint64(v), err })},
		{"PSA_PAKE_PRIMITIVE_TYPE_", wrap(func(s string) (uint64, error) { v, err := ParsePAKEPrimitiveType(s); return uint64(v), err })},
		{"PSA_PAKE_ROLE_", wrap(func(s string) (uint64, error) { v, err := ParsePAKERole(s); return uint64(v), err })},
		{"PSA_PAKE_STEP_", wrap(func(s string) (uint64, error) { v, err := ParsePAKEStep(s); return uint64(v), err })},
		{"PSA_ERROR_", func(s string) (int64, error) { v, err := ParseStatus(s); return int64(v), err }},
	}
	for _, p := range parsers {
		if strings.HasPrefix(name, p.prefix) {
			v, err := p.parse(name)
			return v, err == nil, err
		}
	}
	return 0, false, nil
}

var (
	defineRE  = regexp.MustCompile(`(?m)^#define (\w+)(\([^)]*\))?[ \t]*(.*)$`)
	typedefRE = regexp.MustCompile(`(?m)^typedef .*?(\w+);$|^typedef struct (\w+) \{`)
	// A numeric value: 0x12, 5, ((psa_algorithm_t)0x02000001),
	// ((psa_status_t)-148), ((size_t)4).
	numericRE = regexp.MustCompile(`^\(*(?:\(\w+\)\s*)?(-?(?:0[xX][0-9a-fA-F]+|\d+))\)*$`)
)

func readHeader(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/example_header.txt")
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), "\\\n", " ")
}

// TestHeaderValues checks every #define of the example header that has a
// numeric value against the Go value of the same name.
func TestHeaderValues(t *testing.T) {
	h := readHeader(t)
	checked := 0
	for _, m := range defineRE.FindAllStringSubmatch(h, -1) {
		name, params, value := m[1], m[2], strings.TrimSpace(m[3])
		nm := numericRE.FindStringSubmatch(value)
		if params != "" || nm == nil {
			continue
		}
		want, err := strconv.ParseInt(nm[1], 0, 64)
		if err != nil {
			t.Fatalf("%s: bad value %q in header", name, value)
		}
		got, ok, err := goValue(name)
		if !ok {
			t.Errorf("%s = %s: no Go value found (%v)", name, value, err)
			continue
		}
		if got != want {
			t.Errorf("%s = %#x in the header, %#x in Go", name, want, got)
		}
		checked++
	}
	if checked < 150 {
		t.Errorf("checked only %d numeric macros; is the header complete?", checked)
	}
	t.Logf("checked %d numeric macros", checked)
}

// TestHeaderCoverage checks that every macro and type of the example
// header has a Go counterpart: a numeric macro through goValue, the others
// through headerCoverage, or a stated reason in headerElsewhere.
func TestHeaderCoverage(t *testing.T) {
	h := readHeader(t)
	seen := map[string]bool{}
	check := func(name string, numeric bool) {
		seen[name] = true
		if _, ok := headerCoverage[name]; ok {
			return
		}
		if _, ok := headerElsewhere[name]; ok {
			return
		}
		if numeric {
			if _, ok, _ := goValue(name); ok {
				return
			}
		}
		t.Errorf("%s: no Go counterpart listed", name)
	}
	for _, m := range defineRE.FindAllStringSubmatch(h, -1) {
		check(m[1], m[2] == "" && numericRE.MatchString(strings.TrimSpace(m[3])))
	}
	for _, m := range typedefRE.FindAllStringSubmatch(h, -1) {
		name := m[1]
		if name == "" {
			name = m[2]
		}
		check(name, false)
	}
	for name := range headerCoverage {
		if !seen[name] {
			t.Errorf("%s is listed in headerCoverage but is not in the header", name)
		}
	}
	if len(seen) < 380 {
		t.Errorf("found only %d identifiers in the header", len(seen))
	}
}
