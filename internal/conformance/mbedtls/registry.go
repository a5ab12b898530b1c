package mbedtls

import (
	"fmt"

	"github.com/gopsa/psa/internal/conformance/expr"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/values"
)

// Options configure the Go ports of the test functions.
type Options struct {
	// KeyStore is the key store of the instances that cases create:
	// "dir" (the default) for a storage.Dir in a temporary directory of
	// the case, as the C tests use the file ITS backend, or "memory" for a
	// storage.Memory, which skips the file system.
	KeyStore string
}

// harness holds what the Go ports share: their options.
type harness struct {
	opts Options
}

// NewRegistry returns the registry of the TF-PSA-Crypto 1.0.0 suites: every
// test function of every .data file, with its Go port where there is one.
func NewRegistry(opts Options) (*suite.Registry, error) {
	switch opts.KeyStore {
	case "":
		opts.KeyStore = "dir"
	case "dir", "memory":
	default:
		return nil, fmt.Errorf("key store %q: want dir or memory: %w", opts.KeyStore, values.ErrInvalidArgument)
	}
	h := &harness{opts: opts}
	ports := h.ports()
	var suites []*suite.Suite
	for name, sigs := range signatures {
		s := &suite.Suite{
			Name:  name,
			Deps:  suiteDeps[name],
			Env:   expr.NewPSAEnv(extraNames(localSymbols[name])),
			Funcs: make(map[string]*suite.Func, len(sigs)),
		}
		for _, sig := range sigs {
			key := name + "." + sig.name
			note := notes[key]
			if note == "" {
				note = notes[name]
			}
			s.Funcs[sig.name] = &suite.Func{
				Name:   sig.name,
				Params: sig.params,
				Class:  sig.class,
				Deps:   funcDeps[key],
				Note:   note,
				Run:    ports[key],
			}
			delete(ports, key)
		}
		suites = append(suites, s)
	}
	for key := range ports {
		return nil, fmt.Errorf("no signature for the Go port %s: %w", key, values.ErrInvalidArgument)
	}
	return suite.NewRegistry(suites...)
}

// ports maps "suite.function" to the Go port of the test function.
func (h *harness) ports() map[string]func(*suite.T, suite.Args) {
	m := h.basePorts()
	// Each family's file registers its ports in a map of its own, so that
	// they can be written side by side.
	for _, more := range []map[string]func(*suite.T, suite.Args){h.symPorts(), h.asymPorts(), h.opFailPorts()} {
		for k, f := range more {
			if _, dup := m[k]; dup {
				panic("conformance: two ports for " + k)
			}
			m[k] = f
		}
	}
	return m
}

func (h *harness) basePorts() map[string]func(*suite.T, suite.Args) {
	return map[string]func(*suite.T, suite.Args){
		// test_suite_psa_crypto_metadata: values only.
		"psa_crypto_metadata.hash_algorithm":                  hashAlgorithm,
		"psa_crypto_metadata.mac_algorithm":                   macAlgorithm,
		"psa_crypto_metadata.hmac_algorithm":                  hmacAlgorithm,
		"psa_crypto_metadata.cipher_algorithm":                cipherAlgorithm,
		"psa_crypto_metadata.aead_algorithm":                  aeadAlgorithm,
		"psa_crypto_metadata.asymmetric_signature_algorithm":  asymmetricSignatureAlgorithm,
		"psa_crypto_metadata.asymmetric_signature_wildcard":   asymmetricSignatureWildcard,
		"psa_crypto_metadata.asymmetric_encryption_algorithm": asymmetricEncryptionAlgorithm,
		"psa_crypto_metadata.key_derivation_algorithm":        keyDerivationAlgorithm,
		"psa_crypto_metadata.key_agreement_algorithm":         keyAgreementAlgorithm,
		"psa_crypto_metadata.pake_algorithm":                  pakeAlgorithm,
		"psa_crypto_metadata.key_type":                        keyTypeFunc,
		"psa_crypto_metadata.block_cipher_key_type":           blockCipherKeyType,
		"psa_crypto_metadata.stream_cipher_key_type":          streamCipherKeyType,
		"psa_crypto_metadata.ecc_key_family":                  eccKeyFamily,
		"psa_crypto_metadata.dh_key_family":                   dhKeyFamily,
		"psa_crypto_metadata.lifetime":                        lifetimeFunc,

		"psa_crypto_attributes.attributes_set_get": attributesSetGet,

		// test_suite_psa_crypto: key management.
		"psa_crypto.static_checks":                        staticChecks,
		"psa_crypto.key_attributes_init":                  keyAttributesInit,
		"psa_crypto.import_with_policy":                   h.importWithPolicy,
		"psa_crypto.import_with_data":                     h.importWithData,
		"psa_crypto.import_large_key":                     h.importLargeKey,
		"psa_crypto.import_rsa_made_up":                   h.importRSAMadeUp,
		"psa_crypto.import_export":                        h.importExport,
		"psa_crypto.import_export_public_key":             h.importExportPublicKey,
		"psa_crypto.import_and_exercise_key":              h.importAndExerciseKey,
		"psa_crypto.check_key_policy":                     h.checkKeyPolicy,
		"psa_crypto.key_policy_alg2":                      h.keyPolicyAlg2,
		"psa_crypto.copy_success":                         h.copySuccess,
		"psa_crypto.copy_fail":                            h.copyFail,
		"psa_crypto.generate_random":                      h.generateRandom,
		"psa_crypto.generate_key":                         h.generateKey,
		"psa_crypto.generate_key_custom":                  h.generateKeyCustom,
		"psa_crypto.persistent_key_load_key_from_storage": h.persistentKeyLoadKeyFromStorage,

		"psa_crypto.hash_compare_fail":    h.hashCompareFail,
		"psa_crypto.hash_compute_compare": h.hashComputeCompare,
		"psa_crypto_hash.hash_finish":     h.hashFinish,
		"psa_crypto_hash.hash_verify":     h.hashVerify,
		"psa_crypto_hash.hash_multi_part": h.hashMultiPart,

		"psa_crypto_generate_key.generate_key":                   h.generateKeyGenerated,
		"psa_crypto_not_supported.import_not_supported":          h.importNotSupported,
		"psa_crypto_not_supported.generate_not_supported":        h.generateNotSupported,
		"psa_crypto_storage_format.key_storage_save":             h.keyStorageSave,
		"psa_crypto_storage_format.key_storage_read":             h.keyStorageRead,
		"psa_crypto_persistent_key.format_storage_data_check":    formatStorageDataCheck,
		"psa_crypto_persistent_key.parse_storage_data_check":     parseStorageDataCheck,
		"psa_crypto_persistent_key.save_large_persistent_key":    h.saveLargePersistentKey,
		"psa_crypto_persistent_key.persistent_key_destroy":       h.persistentKeyDestroy,
		"psa_crypto_persistent_key.persistent_key_import":        h.persistentKeyImport,
		"psa_crypto_persistent_key.import_export_persistent_key": h.importExportPersistentKey,
		"psa_crypto_persistent_key.destroy_nonexistent":          h.destroyNonexistent,

		"psa_crypto_slot_management.transient_slot_lifecycle":  h.transientSlotLifecycle,
		"psa_crypto_slot_management.persistent_slot_lifecycle": h.persistentSlotLifecycle,
		"psa_crypto_slot_management.create_existent":           h.createExistent,
		"psa_crypto_slot_management.create_fail":               h.createFail,
		"psa_crypto_slot_management.copy_across_lifetimes":     h.copyAcrossLifetimes,
		"psa_crypto_slot_management.copy_to_occupied":          h.copyToOccupied,
		"psa_crypto_slot_management.many_transient_keys":       h.manyTransientKeys,
	}
}

// suiteDeps are the BEGIN_DEPENDENCIES of each .function file.
var suiteDeps = map[string][]string{
	"psa_crypto":                 {"MBEDTLS_PSA_CRYPTO_C"},
	"psa_crypto_attributes":      {"MBEDTLS_PSA_CRYPTO_CLIENT"},
	"psa_crypto_metadata":        {"MBEDTLS_PSA_CRYPTO_CLIENT"},
	"psa_crypto_generate_key":    {"MBEDTLS_PSA_CRYPTO_C"},
	"psa_crypto_not_supported":   {"MBEDTLS_PSA_CRYPTO_C"},
	"psa_crypto_op_fail":         {"MBEDTLS_PSA_CRYPTO_C"},
	"psa_crypto_hash":            {"MBEDTLS_PSA_CRYPTO_C"},
	"psa_crypto_pake":            {"MBEDTLS_PSA_CRYPTO_C"},
	"psa_crypto_slot_management": {"MBEDTLS_PSA_CRYPTO_C"},
	"psa_crypto_storage_format":  {"MBEDTLS_PSA_CRYPTO_C", "MBEDTLS_PSA_CRYPTO_STORAGE_C"},
	"psa_crypto_persistent_key":  {"MBEDTLS_PSA_CRYPTO_C", "MBEDTLS_PSA_CRYPTO_STORAGE_C"},
}

// funcDeps are the BEGIN_CASE dependencies of the test functions, by
// "suite.function".
var funcDeps = map[string][]string{
	"psa_crypto.import_large_key":                                    {"!MBEDTLS_PSA_STATIC_KEY_SLOTS"},
	"psa_crypto.import_rsa_made_up":                                  {"MBEDTLS_ASN1_WRITE_C"},
	"psa_crypto.persistent_key_load_key_from_storage":                {"MBEDTLS_PSA_CRYPTO_STORAGE_C"},
	"psa_crypto.hash_bad_order":                                      {"PSA_WANT_ALG_SHA_256"},
	"psa_crypto.hash_verify_bad_args":                                {"PSA_WANT_ALG_SHA_256"},
	"psa_crypto.hash_finish_bad_args":                                {"PSA_WANT_ALG_SHA_256"},
	"psa_crypto.concurrently_generate_keys":                          {"MBEDTLS_THREADING_PTHREAD"},
	"psa_crypto.concurrently_use_same_persistent_key":                {"MBEDTLS_THREADING_PTHREAD", "MBEDTLS_PSA_CRYPTO_STORAGE_C"},
	"psa_crypto.ecc_conversion_functions":                            {"PSA_WANT_KEY_TYPE_ECC_PUBLIC_KEY"},
	"psa_crypto.ecc_conversion_functions_fail":                       {"PSA_WANT_KEY_TYPE_ECC_PUBLIC_KEY"},
	"psa_crypto_metadata.ecc_key_family":                             {"PSA_KEY_TYPE_ECC_PUBLIC_KEY", "PSA_KEY_TYPE_ECC_KEY_PAIR"},
	"psa_crypto_metadata.dh_key_family":                              {"PSA_KEY_TYPE_DH_PUBLIC_KEY", "PSA_KEY_TYPE_DH_KEY_PAIR"},
	"psa_crypto_slot_management.persistent_slot_lifecycle":           {"MBEDTLS_PSA_CRYPTO_STORAGE_C"},
	"psa_crypto_slot_management.create_existent":                     {"MBEDTLS_PSA_CRYPTO_STORAGE_C"},
	"psa_crypto_slot_management.key_slot_eviction_to_import_new_key": {"MBEDTLS_PSA_CRYPTO_STORAGE_C"},
	"psa_crypto_slot_management.fill_key_store":                      {"MAX_VOLATILE_KEYS"},
	"psa_crypto_pake.ecjpake_setup":                                  {"PSA_WANT_ALG_JPAKE"},
	"psa_crypto_pake.ecjpake_rounds":                                 {"PSA_WANT_ALG_JPAKE"},
	"psa_crypto_pake.ecjpake_rounds_inject":                          {"PSA_WANT_ALG_JPAKE"},
	"psa_crypto_pake.ecjpake_size_macros":                            {"PSA_WANT_ALG_JPAKE"},
}

// notes say what Ext and Internal functions test, by suite (the default)
// or by "suite.function". They are the skip reasons of their cases.
var notes = map[string]string{
	"psa_crypto_driver_wrappers": "Mbed TLS driver wrappers and their test drivers (gopsa's dispatch has its own tests)",
	"psa_crypto_ecp":             "Mbed TLS builtin ECP key generation internals",
	"psa_crypto_entropy":         "Mbed TLS external RNG failure injection",
	"psa_crypto_init":            "psa_crypto_init ordering and Mbed TLS entropy sources (gopsa has no global state)",
	"psa_crypto_memory":          "Mbed TLS input/output buffer copying and memory poisoning",
	"psa_its":                    "Mbed TLS file ITS backend internals (gopsa's storage package has its own tests)",
	"psa_crypto_constant_time":   "constant-flow checks under valgrind/MemorySanitizer",
	"psa_crypto_util":            "psa_util ECDSA signature format conversion (mbedtls_ecdsa_der_to_raw, mbedtls_ecdsa_raw_to_der)",
	"psa_crypto_pake":            "PAKE driver input getters (Mbed TLS driver interface internals)",
	"psa_crypto":                 "Mbed TLS interruptible operations (psa_*_iop_*, psa_sign_hash_start...)",

	"psa_crypto.concurrently_use_same_persistent_key":                                            "pthread tests of the C key store (gopsa's concurrency is tested with go test -race)",
	"psa_crypto.concurrently_generate_keys":                                                      "pthread tests of the C key store (gopsa's concurrency is tested with go test -race)",
	"psa_crypto.parse_binary_string_test":                                                        "a helper of the C test framework",
	"psa_crypto.ecc_conversion_functions":                                                        "mbedtls_ecc_group_to_psa/from_psa (Mbed TLS legacy curve identifiers)",
	"psa_crypto.ecc_conversion_functions_fail":                                                   "mbedtls_ecc_group_to_psa/from_psa (Mbed TLS legacy curve identifiers)",
	"psa_crypto_slot_management.fill_key_store":                                                  "the C static key slot table",
	"psa_crypto_slot_management.key_slot_eviction_to_import_new_key":                             "eviction from the C key slot cache",
	"psa_crypto_slot_management.non_reusable_key_slots_integrity_in_case_of_key_slot_starvation": "the C key slot cache under starvation",
}

// localSymbols are the #define and enum symbols that each .function file
// declares for its .data file. Only their use in the Go port matters, not
// the C values, except where a case passes a literal instead of the name.
var localSymbols = map[string]map[string]int64{
	"psa_crypto": {
		"UNUSED":                   0xdeadbeef,
		"TEST_DRIVER_LOCATION":     0x7fffff,
		"INPUT_INTEGER":            0x10000,
		"IMPORT_KEY":               importKeyMethod,
		"GENERATE_KEY":             generateKeyMethod,
		"DERIVE_KEY":               deriveKeyMethod,
		"DO_NOT_SET_LENGTHS":       0,
		"SET_LENGTHS_BEFORE_NONCE": 1,
		"SET_LENGTHS_AFTER_NONCE":  2,
		"USE_NULL_TAG":             0,
		"USE_GIVEN_TAG":            1,
	},
	"psa_crypto_metadata":        metadataSymbols,
	"psa_crypto_storage_format":  {"TEST_FLAG_EXERCISE": flagExercise, "TEST_FLAG_READ_ONLY": flagReadOnly, "TEST_FLAG_OVERSIZED_KEY": flagOversizedKey},
	"psa_crypto_slot_management": slotSymbols,
}
