package expr_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gopsa/psa/internal/conformance/datafile"
	"github.com/gopsa/psa/internal/conformance/expr"
)

func suitesDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("GOPSA_TESTSUITES")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "..", "shared", "testsuites", "mbedtls")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("TF-PSA-Crypto test suites not found (set GOPSA_TESTSUITES): %v", err)
	}
	return dir
}

// runnerSupplied lists the names of the suites' expressions that are not
// PSA API names, so that the PSA environment does not know them and the
// conformance runner supplies them (testsuites/README.md §4.2 and §4.3, less the names of the
// specification):
// test-local #define and enum constants of the .function files, Mbed TLS
// build limits and identifiers, and the values the API leaves to the
// implementation (vendor limits, Mbed TLS's category masks).
var runnerSupplied = map[string]bool{}

func init() {
	for _, list := range []string{
		// Test-local symbols of the .function files.
		`ALG_ECDSA_IS_DETERMINISTIC ALG_IS_AEAD_ON_BLOCK_CIPHER ALG_IS_BLOCK_CIPHER_MAC
		ALG_IS_DETERMINISTIC_ECDSA ALG_IS_ECDH ALG_IS_ECDSA ALG_IS_FFDH ALG_IS_HASH_AND_SIGN
		ALG_IS_HASH_EDDSA ALG_IS_HKDF ALG_IS_HKDF_EXPAND ALG_IS_HKDF_EXTRACT ALG_IS_RANDOMIZED_ECDSA
		ALG_IS_RAW_KEY_AGREEMENT ALG_IS_RSA_OAEP ALG_IS_RSA_PKCS1V15_SIGN ALG_IS_RSA_PSS
		ALG_IS_RSA_PSS_ANY_SALT ALG_IS_RSA_PSS_STANDARD_SALT ALG_IS_SIGN_HASH ALG_IS_STREAM_CIPHER
		ALG_IS_TLS12_PRF ALG_IS_TLS12_PSK_TO_MS DERIVE_KEY DO_NOT_SET_LENGTHS
		ENTROPY_MIN_NV_SEED_SIZE ENTROPY_NONCE_LEN ERR_DUPLICATE_SET_PEER ERR_DUPLICATE_SET_USER
		ERR_INJECT_ANTICIPATE_KEY_DERIVATION_1 ERR_INJECT_ANTICIPATE_KEY_DERIVATION_2
		ERR_INJECT_DUPLICATE_SETUP ERR_INJECT_EMPTY_IO_BUFFER ERR_INJECT_EXTRA_INPUT
		ERR_INJECT_EXTRA_INPUT_AT_END ERR_INJECT_EXTRA_OUTPUT ERR_INJECT_EXTRA_OUTPUT_AT_END
		ERR_INJECT_INVALID_FIRST_STEP ERR_INJECT_LARGE_BUFFER_SIZE
		ERR_INJECT_ROUND1_CLIENT_KEY_SHARE_PART1 ERR_INJECT_ROUND1_CLIENT_KEY_SHARE_PART2
		ERR_INJECT_ROUND1_CLIENT_ZK_PROOF_PART1 ERR_INJECT_ROUND1_CLIENT_ZK_PROOF_PART2
		ERR_INJECT_ROUND1_CLIENT_ZK_PUBLIC_PART1 ERR_INJECT_ROUND1_CLIENT_ZK_PUBLIC_PART2
		ERR_INJECT_ROUND1_SERVER_KEY_SHARE_PART1 ERR_INJECT_ROUND1_SERVER_KEY_SHARE_PART2
		ERR_INJECT_ROUND1_SERVER_ZK_PROOF_PART1 ERR_INJECT_ROUND1_SERVER_ZK_PROOF_PART2
		ERR_INJECT_ROUND1_SERVER_ZK_PUBLIC_PART1 ERR_INJECT_ROUND1_SERVER_ZK_PUBLIC_PART2
		ERR_INJECT_ROUND2_CLIENT_KEY_SHARE ERR_INJECT_ROUND2_CLIENT_ZK_PROOF
		ERR_INJECT_ROUND2_CLIENT_ZK_PUBLIC ERR_INJECT_ROUND2_SERVER_KEY_SHARE
		ERR_INJECT_ROUND2_SERVER_ZK_PROOF ERR_INJECT_ROUND2_SERVER_ZK_PUBLIC ERR_INJECT_SET_ROLE
		ERR_INJECT_SMALL_BUFFER_SIZE ERR_INJECT_UNINITIALIZED_ACCESS ERR_INJECT_UNKNOWN_STEP
		ERR_IN_OUTPUT_KEY_SHARE ERR_IN_SETUP ERR_IN_SET_PASSWORD_KEY ERR_IN_SET_PEER
		ERR_IN_SET_USER ERR_NONE GENERATE_KEY IMPORT_KEY INPUT_INTEGER INVALIDATE_BY_DESTROYING
		INVALIDATE_BY_DESTROYING_WITH_SHUTDOWN INVALIDATE_BY_PURGING
		INVALIDATE_BY_PURGING_WITH_SHUTDOWN INVALIDATE_BY_SHUTDOWN KEEP_OPEN
		KEY_LIFETIME_IS_READ_ONLY KEY_LIFETIME_IS_VOLATILE KEY_TYPE_IS_KEY_PAIR
		KEY_TYPE_IS_PUBLIC_KEY KEY_TYPE_IS_RSA KEY_TYPE_IS_UNSTRUCTURED PURGE_AFTER PURGE_BEFORE
		SET_LENGTHS_AFTER_NONCE SET_LENGTHS_BEFORE_NONCE TEST_DRIVER_LOCATION TEST_FLAG_EXERCISE
		TEST_FLAG_OVERSIZED_KEY TEST_FLAG_READ_ONLY UNUSED`,
		// Mbed TLS identifiers and build limits, and C limits.
		`MBEDTLS_CTR_DRBG_MAX_REQUEST MBEDTLS_ECP_DP_BP256R1 MBEDTLS_ECP_DP_BP384R1
		MBEDTLS_ECP_DP_BP512R1 MBEDTLS_ECP_DP_CURVE25519 MBEDTLS_ECP_DP_CURVE448 MBEDTLS_ECP_DP_NONE
		MBEDTLS_ECP_DP_SECP192K1 MBEDTLS_ECP_DP_SECP192R1 MBEDTLS_ECP_DP_SECP256K1
		MBEDTLS_ECP_DP_SECP256R1 MBEDTLS_ECP_DP_SECP384R1 MBEDTLS_ECP_DP_SECP521R1
		MBEDTLS_ENTROPY_BLOCK_SIZE MBEDTLS_ENTROPY_POLL_PLATFORM_MIN MBEDTLS_ERR_ASN1_BUF_TOO_SMALL
		MBEDTLS_ERR_ASN1_INVALID_DATA MBEDTLS_ERR_ASN1_INVALID_LENGTH
		MBEDTLS_ERR_ASN1_LENGTH_MISMATCH MBEDTLS_ERR_ASN1_OUT_OF_DATA
		MBEDTLS_ERR_ASN1_UNEXPECTED_TAG MBEDTLS_PSA_KEY_ID_BUILTIN_MAX
		MBEDTLS_PSA_KEY_ID_BUILTIN_MIN MBEDTLS_PSA_KEY_SLOT_COUNT
		MBEDTLS_PSA_STATIC_KEY_SLOT_BUFFER_SIZE MBEDTLS_TEST_PSA_INTERNAL_KEYS SIZE_MAX`,
		// Implementation-defined values: vendor limits, Mbed TLS storage
		// and test-driver constants, Mbed TLS's interruptible API, and
		// the encoding category masks of Mbed TLS's crypto_values.h,
		// which the specification does not define.
		`PSA_CRYPTO_ITS_RANDOM_SEED_UID PSA_CRYPTO_MAX_STORAGE_SIZE PSA_CRYPTO_TEST_DRIVER_LOCATION
		PSA_INTERRUPTIBLE_MAX_OPS_UNLIMITED PSA_MAX_KEY_BITS PSA_VENDOR_PBKDF2_MAX_ITERATIONS
		PSA_VENDOR_RSA_GENERATE_MIN_KEY_BITS PSA_VENDOR_RSA_MAX_KEY_BITS
		PSA_ALG_CATEGORY_ASYMMETRIC_ENCRYPTION PSA_ALG_CATEGORY_CIPHER PSA_ALG_CATEGORY_HASH
		PSA_ALG_CATEGORY_KEY_DERIVATION PSA_ALG_CATEGORY_SIGN
		PSA_KEY_TYPE_CATEGORY_MASK PSA_KEY_TYPE_CATEGORY_SYMMETRIC`,
		// Mbed TLS names outside the specification: the volatile key
		// identifier range, and the encoding of J-PAKE before the PSA
		// Crypto API 1.2 PAKE extension.
		`PSA_KEY_ID_VOLATILE_MIN PSA_ALG_JPAKE_BETA`,
	} {
		for _, name := range strings.Fields(list) {
			runnerSupplied[name] = true
		}
	}
}

// placeholderEnv gives every runner-supplied name the value 1, so that
// expressions that use them can be evaluated end to end.
func placeholderEnv() *expr.PSAEnv {
	extra := map[string]int64{}
	for name := range runnerSupplied {
		extra[name] = 1
	}
	return expr.NewPSAEnv(extra)
}

var tokenRegexp = regexp.MustCompile(`[A-Za-z_]\w*|0[xX][0-9a-fA-F]+\w*|\d\w*|<<|>>|[<>=!]=|&&|\|\||\S`)

// TestSuiteExpressions evaluates every integer argument of every case that
// is an expression, surveys the forms used, and checks that the PSA
// environment knows every name that the runner does not supply.
func TestSuiteExpressions(t *testing.T) {
	dir := suitesDir(t)
	paths, err := filepath.Glob(filepath.Join(dir, "*.data"))
	if err != nil {
		t.Fatal(err)
	}
	var (
		exprs     = map[string]int{} // distinct expression -> uses
		operators = map[string]int{}
		suffixes  = map[string]int{}
		literals  int
	)
	for _, path := range paths {
		cases, err := datafile.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			for _, a := range c.Args {
				switch {
				case strings.HasPrefix(a, `"`):
				case datafile.IsIntLiteral(a):
					literals++
				default:
					exprs[a]++
				}
			}
		}
	}

	psa := expr.PSA
	full := placeholderEnv()
	unknownIdents, unknownMacros := map[string]int{}, map[string]int{}
	var evaluated, casts int
	for src, uses := range exprs {
		e, err := expr.Parse(src)
		if err != nil {
			t.Errorf("Parse(%q): %v", src, err)
			continue
		}
		for _, tok := range tokenRegexp.FindAllString(src, -1) {
			switch c := tok[0]; {
			case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			case '0' <= c && c <= '9':
				if s := strings.TrimLeft(strings.TrimPrefix(strings.TrimPrefix(tok, "0x"), "0X"), "0123456789abcdefABCDEF"); s != "" {
					suffixes[s] += uses
				}
			default:
				operators[tok] += uses
			}
		}
		if strings.Contains(src, "_t)") {
			casts++
		}
		idents, macros := e.Names()
		for _, name := range idents {
			if _, err := psa.Ident(name); err != nil {
				var u *expr.UnknownError
				if !errors.As(err, &u) {
					t.Errorf("%q: Ident(%s): %v", src, name, err)
				}
				unknownIdents[name] += uses
			}
		}
		for _, name := range macros {
			if _, err := psa.Call(name, nil); err != nil {
				var u *expr.UnknownError
				if errors.As(err, &u) {
					unknownMacros[name] += uses
				}
			}
		}
		if _, err := e.Eval(full); err != nil {
			var u *expr.UnknownError
			if !errors.As(err, &u) {
				t.Errorf("Eval(%q): %v", src, err)
			}
			continue
		}
		evaluated++
	}

	t.Logf("%d literal integer arguments; %d distinct expressions, %d of which evaluate with runner-supplied names set", literals, len(exprs), evaluated)
	t.Logf("operators and punctuation (uses): %v", operators)
	t.Logf("literal suffixes (uses): %v; expressions with casts: %d", suffixes, casts)

	var missing []string
	for name := range unknownIdents {
		if !runnerSupplied[name] {
			missing = append(missing, name)
		}
	}
	for name := range unknownMacros {
		missing = append(missing, name+"()")
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d PSA names that the values package does not resolve: %s", len(missing), strings.Join(missing, " "))
	}
	var unused []string
	for name := range runnerSupplied {
		if _, ok := unknownIdents[name]; !ok {
			unused = append(unused, name)
		}
	}
	sort.Strings(unused)
	if len(unused) > 0 {
		t.Logf("runner-supplied names that the PSA environment resolves or no argument uses (dependency-only or stale): %s", strings.Join(unused, " "))
	}
	if evaluated != len(exprs) {
		t.Errorf("%d of %d expressions evaluate", evaluated, len(exprs))
	}
}
