package mbedtls

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gopsa/psa/internal/conformance/expr"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/internal/core"
)

// Config answers the dependencies of the TF-PSA-Crypto suites for gopsa.
//
// PSA_WANT_* symbols come from a table with one line per symbol and the
// reason, rather than from probing an instance: the default build's only
// driver, the builtin one, describes no filters (it takes every request and
// answers NOT_SUPPORTED itself), and the operation APIs that would exercise
// an algorithm are not all there yet. TestWantTableMatchesInstance checks
// the key type and curve lines against a real instance, so the table cannot
// drift from what gopsa implements.
//
// MBEDTLS_* symbols are Mbed TLS build options: the few with a gopsa
// meaning (persistent storage, the software implementation of a
// mechanism, a dynamic key store) are defined; the rest are C-only and
// undefined, so that cases that need them skip as C-only concerns.
//
// A Config is immutable and safe for concurrent use.
type Config struct {
	defs map[string]def
	nums map[string]int64
}

// def is one line of the configuration tables.
type def struct {
	defined bool
	kind    suite.SkipKind // of a case that needs the symbol defined while it is not
	why     string
}

// NewConfig returns gopsa's configuration.
func NewConfig() *Config {
	c := &Config{defs: make(map[string]def), nums: make(map[string]int64)}
	for _, w := range wantTable {
		k := suite.SkipNotImplemented
		c.defs[w.sym] = def{defined: w.ok, kind: k, why: w.why}
	}
	for _, m := range mbedtlsTable {
		c.defs[m.sym] = def{defined: m.ok, kind: m.kind, why: m.why}
	}
	// The software implementation of a mechanism is gopsa's builtin driver,
	// present whenever gopsa implements the mechanism.
	for _, w := range wantTable {
		sym := "MBEDTLS_PSA_BUILTIN_" + strings.TrimPrefix(w.sym, "PSA_WANT_")
		c.defs[sym] = def{defined: w.ok, kind: suite.SkipNotImplemented,
			why: "the software implementation is gopsa's builtin driver: " + w.why}
	}
	jpake := c.Defined("PSA_WANT_ALG_JPAKE") && c.Defined("PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_IMPORT") && c.Defined("PSA_WANT_ECC_SECP_R1_256")
	c.defs["MBEDTLS_PSA_BUILTIN_PAKE"] = c.defs["MBEDTLS_PSA_BUILTIN_ALG_JPAKE"]
	c.defs["CAN_EXERCISE_JPAKE"] = def{defined: jpake, kind: suite.SkipNotImplemented,
		why: "test-local: EC J-PAKE with an imported secp256r1 password key"}
	for name, v := range numbers {
		c.nums[name] = v.val
		c.defs[name] = def{defined: true, kind: suite.SkipDependency, why: v.why}
	}
	return c
}

// Defined reports whether symbol is defined for gopsa: a PSA_WANT_* or
// MBEDTLS_* symbol of the tables, a numeric limit, or a PSA macro that the
// values package defines (such as PSA_KEY_TYPE_ECC_PUBLIC_KEY).
func (c *Config) Defined(symbol string) bool {
	if d, ok := c.defs[symbol]; ok {
		return d.defined
	}
	if strings.HasPrefix(symbol, "PSA_") && !strings.HasPrefix(symbol, "PSA_WANT_") {
		if _, err := expr.PSA.Ident(symbol); err == nil {
			return true
		}
		// A function-like macro is defined if the values package knows
		// it, whatever the error for calling it without arguments.
		var unknown *expr.UnknownError
		_, err := expr.PSA.Call(symbol, nil)
		return !errors.As(err, &unknown)
	}
	return false
}

// Ident returns the value of a numeric limit or of a PSA name.
func (c *Config) Ident(name string) (int64, error) {
	if v, ok := c.nums[name]; ok {
		return v, nil
	}
	return psaExtra.Ident(name)
}

// Call applies a PSA function-like macro.
func (c *Config) Call(name string, args []int64) (int64, error) {
	return expr.PSA.Call(name, args)
}

// Explain implements suite.Config.
func (c *Config) Explain(symbol string, want bool) (suite.SkipKind, string) {
	d, ok := c.defs[symbol]
	if !ok {
		switch {
		case strings.HasPrefix(symbol, "PSA_WANT_"):
			return suite.SkipNotImplemented, "not in gopsa's PSA_WANT table"
		case strings.HasPrefix(symbol, "PSA_"):
			return suite.SkipNotImplemented, "a PSA name that the values package does not define"
		}
		return suite.SkipCOnly, "Mbed TLS build option or test symbol with no gopsa meaning"
	}
	if want {
		return d.kind, d.why
	}
	return suite.SkipDependency, "defined for gopsa: " + d.why
}

// Symbols returns the symbols of the configuration tables, for checks that
// the tables cover the suites.
func (c *Config) Symbols() map[string]bool {
	out := make(map[string]bool, len(c.defs))
	for s, d := range c.defs {
		out[s] = d.defined
	}
	return out
}

type want struct {
	sym string
	ok  bool
	why string
}

const (
	yes = true
	no  = false
)

// wantTable says, for every PSA_WANT_* symbol of the suites, whether gopsa
// implements it. Algorithms are those of the builtin driver, which
// implements every mechanism of the specification on the Go standard
// library, golang.org/x/crypto, cloudflare/circl and gopsa's own internal
// packages; key types and curves are those drivers/builtin imports and
// generates (see its package documentation).
var wantTable = []want{
	// Hashes.
	{"PSA_WANT_ALG_MD5", yes, "crypto/md5"},
	{"PSA_WANT_ALG_RIPEMD160", yes, "golang.org/x/crypto/ripemd160"},
	{"PSA_WANT_ALG_SHA_1", yes, "crypto/sha1"},
	{"PSA_WANT_ALG_SHA_224", yes, "crypto/sha256"},
	{"PSA_WANT_ALG_SHA_256", yes, "crypto/sha256"},
	{"PSA_WANT_ALG_SHA_384", yes, "crypto/sha512"},
	{"PSA_WANT_ALG_SHA_512", yes, "crypto/sha512"},
	{"PSA_WANT_ALG_SHA_512_224", yes, "crypto/sha512"},
	{"PSA_WANT_ALG_SHA_512_256", yes, "crypto/sha512"},
	{"PSA_WANT_ALG_SHA3_224", yes, "crypto/sha3"},
	{"PSA_WANT_ALG_SHA3_256", yes, "crypto/sha3"},
	{"PSA_WANT_ALG_SHA3_384", yes, "crypto/sha3"},
	{"PSA_WANT_ALG_SHA3_512", yes, "crypto/sha3"},
	{"PSA_WANT_ALG_SHAKE256_512", yes, "crypto/sha3"},
	// MACs.
	{"PSA_WANT_ALG_HMAC", yes, "crypto/hmac"},
	{"PSA_WANT_ALG_CMAC", yes, "internal/cmac"},
	{"PSA_WANT_ALG_CBC_MAC", yes, "builtin driver, on the block ciphers"},
	// Unauthenticated ciphers.
	{"PSA_WANT_ALG_STREAM_CIPHER", yes, "golang.org/x/crypto/chacha20"},
	{"PSA_WANT_ALG_CTR", yes, "crypto/cipher"},
	{"PSA_WANT_ALG_CFB", yes, "builtin driver, on the block ciphers"},
	{"PSA_WANT_ALG_OFB", yes, "crypto/cipher"},
	{"PSA_WANT_ALG_XTS", yes, "builtin driver, on the block ciphers"},
	{"PSA_WANT_ALG_ECB_NO_PADDING", yes, "builtin driver, on the block ciphers"},
	{"PSA_WANT_ALG_CBC_NO_PADDING", yes, "crypto/cipher"},
	{"PSA_WANT_ALG_CBC_PKCS7", yes, "crypto/cipher"},
	{"PSA_WANT_ALG_CCM_STAR_NO_TAG", yes, "internal/ccm"},
	// AEAD.
	{"PSA_WANT_ALG_CCM", yes, "internal/ccm"},
	{"PSA_WANT_ALG_GCM", yes, "crypto/cipher"},
	{"PSA_WANT_ALG_CHACHA20_POLY1305", yes, "golang.org/x/crypto/chacha20poly1305"},
	// Signatures.
	{"PSA_WANT_ALG_ECDSA", yes, "crypto/ecdsa and internal/weierstrass"},
	{"PSA_WANT_ALG_ECDSA_ANY", yes, "crypto/ecdsa and internal/weierstrass"},
	{"PSA_WANT_ALG_DETERMINISTIC_ECDSA", yes, "RFC 6979 on internal/weierstrass"},
	{"PSA_WANT_ALG_EDDSA", yes, "crypto/ed25519 and cloudflare/circl (Ed448)"},
	{"PSA_WANT_ALG_RSA_PKCS1V15_SIGN", yes, "crypto/rsa"},
	{"PSA_WANT_ALG_RSA_PKCS1V15_SIGN_RAW", yes, "crypto/rsa"},
	{"PSA_WANT_ALG_RSA_PSS", yes, "crypto/rsa"},
	{"PSA_WANT_ALG_RSA_PSS_ANY_SALT", yes, "crypto/rsa"},
	// Asymmetric encryption.
	{"PSA_WANT_ALG_RSA_OAEP", yes, "crypto/rsa"},
	{"PSA_WANT_ALG_RSA_PKCS1V15_CRYPT", yes, "crypto/rsa"},
	// Key agreement and derivation.
	{"PSA_WANT_ALG_ECDH", yes, "crypto/ecdh and internal/weierstrass"},
	{"PSA_WANT_ALG_FFDH", yes, "math/big, RFC 7919 groups"},
	{"PSA_WANT_ALG_HKDF", yes, "crypto/hkdf"},
	{"PSA_WANT_ALG_HKDF_EXTRACT", yes, "crypto/hkdf"},
	{"PSA_WANT_ALG_HKDF_EXPAND", yes, "crypto/hkdf"},
	{"PSA_WANT_ALG_TLS12_PRF", yes, "builtin driver, on crypto/hmac"},
	{"PSA_WANT_ALG_TLS12_PSK_TO_MS", yes, "builtin driver, on crypto/hmac"},
	{"PSA_WANT_ALG_TLS12_ECJPAKE_TO_PMS", yes, "builtin driver, on crypto/sha256"},
	{"PSA_WANT_ALG_PBKDF2_HMAC", yes, "crypto/pbkdf2"},
	{"PSA_WANT_ALG_PBKDF2_AES_CMAC_PRF_128", yes, "internal/cmac"},
	{"PSA_WANT_ALG_JPAKE", yes, "builtin driver, EC J-PAKE on internal/weierstrass"},

	// Key types.
	{"PSA_WANT_KEY_TYPE_RAW_DATA", yes, "unstructured key"},
	{"PSA_WANT_KEY_TYPE_DERIVE", yes, "unstructured key"},
	{"PSA_WANT_KEY_TYPE_HMAC", yes, "unstructured key"},
	{"PSA_WANT_KEY_TYPE_PASSWORD", yes, "unstructured key"},
	{"PSA_WANT_KEY_TYPE_PASSWORD_HASH", yes, "unstructured key"},
	{"PSA_WANT_KEY_TYPE_PEPPER", yes, "unstructured key"},
	{"PSA_WANT_KEY_TYPE_AES", yes, "128, 192 and 256 bits"},
	{"PSA_WANT_KEY_TYPE_ARIA", yes, "internal/aria"},
	{"PSA_WANT_KEY_TYPE_CAMELLIA", yes, "internal/camellia"},
	{"PSA_WANT_KEY_TYPE_CHACHA20", yes, "256 bits"},
	{"PSA_WANT_KEY_TYPE_RSA_PUBLIC_KEY", yes, "512 to 8192 bits"},
	{"PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_BASIC", yes, "builtin RSA key pairs"},
	{"PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_IMPORT", yes, "512 to 8192 bits"},
	{"PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_EXPORT", yes, "RSAPrivateKey export"},
	{"PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_GENERATE", yes, "crypto/rsa, 1024 to 4096 bits"},
	{"PSA_WANT_KEY_TYPE_ECC_PUBLIC_KEY", yes, "the curves below"},
	{"PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_BASIC", yes, "the curves below"},
	{"PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_IMPORT", yes, "the curves below"},
	{"PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_EXPORT", yes, "the curves below"},
	{"PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_GENERATE", yes, "the curves below"},
	{"PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_DERIVE", yes, "the curves below"},
	{"PSA_WANT_KEY_TYPE_DH_PUBLIC_KEY", yes, "the RFC 7919 and RFC 3526 groups"},
	{"PSA_WANT_KEY_TYPE_DH_KEY_PAIR_BASIC", yes, "the RFC 7919 and RFC 3526 groups"},
	{"PSA_WANT_KEY_TYPE_DH_KEY_PAIR_IMPORT", yes, "the RFC 7919 and RFC 3526 groups"},
	{"PSA_WANT_KEY_TYPE_DH_KEY_PAIR_EXPORT", yes, "the RFC 7919 and RFC 3526 groups"},
	{"PSA_WANT_KEY_TYPE_DH_KEY_PAIR_GENERATE", yes, "the RFC 7919 and RFC 3526 groups"},

	// Elliptic curves.
	{"PSA_WANT_ECC_SECP_R1_192", yes, "secp192r1, internal/weierstrass"},
	{"PSA_WANT_ECC_SECP_R1_224", yes, "secp224r1, crypto/ecdsa"},
	{"PSA_WANT_ECC_SECP_R1_256", yes, "secp256r1, crypto/ecdh"},
	{"PSA_WANT_ECC_SECP_R1_384", yes, "secp384r1, crypto/ecdh"},
	{"PSA_WANT_ECC_SECP_R1_521", yes, "secp521r1, crypto/ecdh"},
	{"PSA_WANT_ECC_SECP_K1_192", yes, "secp192k1, internal/weierstrass"},
	{"PSA_WANT_ECC_SECP_K1_225", no, "secp224k1 is not implemented (deprecated curve with an odd-sized private key)"},
	{"PSA_WANT_ECC_SECP_K1_256", yes, "secp256k1, internal/weierstrass"},
	{"PSA_WANT_ECC_SECP_R2_160", no, "secp160r2 is not implemented (deprecated curve)"},
	{"PSA_WANT_ECC_BRAINPOOL_P_R1_160", no, "brainpoolP160r1 is not implemented (deprecated curve)"},
	{"PSA_WANT_ECC_BRAINPOOL_P_R1_192", yes, "brainpoolP192r1, internal/weierstrass"},
	{"PSA_WANT_ECC_BRAINPOOL_P_R1_224", yes, "brainpoolP224r1, internal/weierstrass"},
	{"PSA_WANT_ECC_BRAINPOOL_P_R1_256", yes, "brainpoolP256r1, internal/weierstrass"},
	{"PSA_WANT_ECC_BRAINPOOL_P_R1_320", yes, "brainpoolP320r1, internal/weierstrass"},
	{"PSA_WANT_ECC_BRAINPOOL_P_R1_384", yes, "brainpoolP384r1, internal/weierstrass"},
	{"PSA_WANT_ECC_BRAINPOOL_P_R1_512", yes, "brainpoolP512r1, internal/weierstrass"},
	{"PSA_WANT_ECC_MONTGOMERY_255", yes, "Curve25519, crypto/ecdh"},
	{"PSA_WANT_ECC_MONTGOMERY_448", yes, "Curve448, cloudflare/circl"},
	{"PSA_WANT_ECC_TWISTED_EDWARDS_255", yes, "Edwards25519, crypto/ed25519"},
	{"PSA_WANT_ECC_TWISTED_EDWARDS_448", yes, "Edwards448, cloudflare/circl"},
	{"PSA_WANT_ECC_SECT_K1_163", no, "binary curves are not implemented"},
	{"PSA_WANT_ECC_SECT_K1_233", no, "binary curves are not implemented"},
	{"PSA_WANT_ECC_SECT_K1_239", no, "binary curves are not implemented"},
	{"PSA_WANT_ECC_SECT_K1_283", no, "binary curves are not implemented"},
	{"PSA_WANT_ECC_SECT_K1_409", no, "binary curves are not implemented"},
	{"PSA_WANT_ECC_SECT_K1_571", no, "binary curves are not implemented"},
	{"PSA_WANT_ECC_SECT_R1_163", no, "binary curves are not implemented"},
	{"PSA_WANT_ECC_SECT_R1_233", no, "binary curves are not implemented"},
	{"PSA_WANT_ECC_SECT_R1_283", no, "binary curves are not implemented"},
	{"PSA_WANT_ECC_SECT_R1_409", no, "binary curves are not implemented"},
	{"PSA_WANT_ECC_SECT_R1_571", no, "binary curves are not implemented"},
	{"PSA_WANT_ECC_SECT_R2_163", no, "binary curves are not implemented"},

	// Finite-field Diffie-Hellman groups.
	{"PSA_WANT_DH_RFC7919_2048", yes, "ffdhe2048"},
	{"PSA_WANT_DH_RFC7919_3072", yes, "ffdhe3072"},
	{"PSA_WANT_DH_RFC7919_4096", yes, "ffdhe4096"},
	{"PSA_WANT_DH_RFC7919_6144", yes, "ffdhe6144"},
	{"PSA_WANT_DH_RFC7919_8192", yes, "ffdhe8192"},
}

type mbedtlsDef struct {
	sym  string
	ok   bool
	kind suite.SkipKind
	why  string
}

// mbedtlsTable answers the Mbed TLS build options and the test-local
// symbols of the suites' dependencies. MBEDTLS_PSA_BUILTIN_* follow the
// PSA_WANT_* table (see NewConfig); an MBEDTLS_* symbol that is in neither
// table is a C-only option and undefined.
var mbedtlsTable = []mbedtlsDef{
	{"MBEDTLS_PSA_CRYPTO_C", yes, 0, "gopsa is a PSA Crypto implementation"},
	{"MBEDTLS_PSA_CRYPTO_CLIENT", yes, 0, "gopsa is a PSA Crypto implementation"},
	{"MBEDTLS_PSA_CRYPTO_STORAGE_C", yes, 0, "persistent keys, with a key store (WithKeyDir, WithKeyStore)"},
	{"MBEDTLS_PSA_ITS_FILE_C", yes, 0, "storage.Dir is a file-based ITS in the layout of TF-PSA-Crypto's"},
	{"MBEDTLS_PSA_KEY_STORE_DYNAMIC", yes, 0, "the number of volatile keys is not limited"},
	{"MBEDTLS_ASN1_WRITE_C", yes, 0, "the Go ports build their DER themselves"},
	{"MBEDTLS_ASN1_PARSE_C", yes, 0, "the Go ports parse DER with golang.org/x/crypto/cryptobyte"},
	{"MBEDTLS_PSA_CRYPTO_KEY_ID_ENCODES_OWNER", no, suite.SkipCOnly, "gopsa key identifiers have no owner part"},
	{"MBEDTLS_PSA_STATIC_KEY_SLOTS", no, suite.SkipCOnly, "gopsa has no static key slot buffers"},
	{"MBEDTLS_TEST_STATIC_KEY_SLOTS_SUPPORT_RSA_2048", no, suite.SkipCOnly, "gopsa has no static key slot buffers"},
	{"MBEDTLS_TEST_STATIC_KEY_SLOTS_SUPPORT_RSA_4096", no, suite.SkipCOnly, "gopsa has no static key slot buffers"},
	{"MBEDTLS_AES_ONLY_128_BIT_KEY_LENGTH", no, suite.SkipCOnly, "gopsa always has every AES key size"},
	{"MBEDTLS_BLOCK_CIPHER_NO_DECRYPT", no, suite.SkipCOnly, "gopsa always has block cipher decryption"},
	{"MBEDTLS_THREADING_PTHREAD", no, suite.SkipCOnly, "C threading tests; gopsa's concurrency is tested with go test -race"},
	{"MBEDTLS_ECP_RESTARTABLE", no, suite.SkipExtension, "Mbed TLS interruptible operations"},
	{"MBEDTLS_PSA_CRYPTO_SE_C", no, suite.SkipCOnly, "Mbed TLS's legacy secure element interface"},
	{"MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG", no, suite.SkipCOnly, "Mbed TLS entropy configuration"},
	{"MBEDTLS_PSA_INJECT_ENTROPY", no, suite.SkipCOnly, "Mbed TLS entropy configuration"},
	{"MBEDTLS_PSA_ACCEL_ALG_CMAC", no, suite.SkipCOnly, "Mbed TLS test builds with accelerator drivers"},
	{"MBEDTLS_PSA_ACCEL_ALG_HMAC", no, suite.SkipCOnly, "Mbed TLS test builds with accelerator drivers"},
	{"MBEDTLS_PSA_ACCEL_ALG_SHA_256", no, suite.SkipCOnly, "Mbed TLS test builds with accelerator drivers"},
	{"MBEDTLS_PSA_ACCEL_KEY_TYPE_ECC_KEY_PAIR_GENERATE", no, suite.SkipCOnly, "Mbed TLS test builds with accelerator drivers"},
	{"MBEDTLS_PSA_ACCEL_KEY_TYPE_RSA_KEY_PAIR_GENERATE", no, suite.SkipCOnly, "Mbed TLS test builds with accelerator drivers"},
	{"PSA_CRYPTO_DRIVER_TEST", yes, 0, "gopsa's test build (internal/dispatch/testbuild): a case with a key at TEST_DRIVER_LOCATION 0x7fffff runs with its opaque test driver"},
	{"HAVE_CONSTANT_TIME_AES", no, suite.SkipCOnly, "constant-flow checks under valgrind/MemorySanitizer"},
	{"MAX_VOLATILE_KEYS", no, suite.SkipDependency, "test-local: gopsa has no volatile key limit to fill"},
}

type number struct {
	val int64
	why string
}

// numbers are the limits that dependencies compare and arguments use.
var numbers = map[string]number{
	"PSA_VENDOR_RSA_MAX_KEY_BITS":          {8192, "largest RSA key gopsa imports"},
	"PSA_VENDOR_RSA_GENERATE_MIN_KEY_BITS": {1024, "smallest RSA key gopsa generates (crypto/rsa's limit)"},
	"PSA_VENDOR_ECC_MAX_CURVE_BITS":        {521, "largest curve gopsa implements (secp521r1)"},
	"PSA_MAX_KEY_BITS":                     {core.MaxKeyBits, "largest key size gopsa accepts"},
	// gopsa keeps key material in Go slices: any key up to
	// PSA_MAX_KEY_BITS fits.
	"MBEDTLS_PSA_KEY_BUFFER_MAX_SIZE": {(core.MaxKeyBits + 7) / 8, "gopsa holds every key up to PSA_MAX_KEY_BITS"},
	"MBEDTLS_CTR_DRBG_MAX_REQUEST":    {1024, "Mbed TLS's DRBG request limit, used by test cases as a key size"},
	"MBEDTLS_PSA_KEY_SLOT_COUNT":      {32, "Mbed TLS's default key slot count, used by test cases as a key count"},
	"MBEDTLS_TEST_PSA_INTERNAL_KEYS":  {0, "gopsa creates no keys of its own"},
	"INT_MAX":                         {1<<31 - 1, "C int is 32 bits in the suites' ABI"},
	"SIZE_MAX":                        {-1, "size_t is 64 bits (uintmax_t all ones)"},
}

// psaExtra resolves the names that the suites' arguments use beyond the
// values package: implementation limits and constants of the C headers
// that the specification leaves to the implementation.
var psaExtra = expr.NewPSAEnv(extraNames(nil))

func extraNames(local map[string]int64) map[string]int64 {
	m := map[string]int64{
		"PSA_KEY_ID_VOLATILE_MIN":                int64(core.VolatileMin),
		"PSA_KEY_ID_VOLATILE_MAX":                int64(core.VolatileMax),
		"PSA_KEY_TYPE_CATEGORY_MASK":             0x7000,
		"PSA_KEY_TYPE_CATEGORY_SYMMETRIC":        0x2000,
		"PSA_ALG_CATEGORY_HASH":                  0x02000000,
		"PSA_ALG_CATEGORY_MAC":                   0x03000000,
		"PSA_ALG_CATEGORY_CIPHER":                0x04000000,
		"PSA_ALG_CATEGORY_AEAD":                  0x05000000,
		"PSA_ALG_CATEGORY_SIGN":                  0x06000000,
		"PSA_ALG_CATEGORY_ASYMMETRIC_ENCRYPTION": 0x07000000,
		"PSA_ALG_CATEGORY_KEY_DERIVATION":        0x08000000,
		"PSA_ALG_CATEGORY_KEY_AGREEMENT":         0x09000000,
		"PSA_ALG_JPAKE_BETA":                     0x0a000100, // PSA_ALG_JPAKE_BASE, TF-PSA-Crypto's name
		"PSA_CRYPTO_ITS_RANDOM_SEED_UID":         0xffffff52,
		"PSA_CRYPTO_MAX_STORAGE_SIZE":            (core.MaxKeyBits + 7) / 8,
		"PSA_CRYPTO_TEST_DRIVER_LOCATION":        0x7fffff,
		"PSA_INTERRUPTIBLE_MAX_OPS_UNLIMITED":    0xffffffff,
		"PSA_VENDOR_PBKDF2_MAX_ITERATIONS":       0xffffffff,
	}
	for name, v := range numbers {
		m[name] = v.val
	}
	for name, v := range local {
		m[name] = v
	}
	return m
}

// checkNames is used by tests: it reports a name of the extra table that
// the values package also defines, with another value.
func checkNames() error {
	for name, v := range extraNames(nil) {
		if got, err := expr.PSA.Ident(name); err == nil && got != v {
			return fmt.Errorf("%s is %#x in the values package and %#x here", name, got, v)
		}
	}
	return nil
}
