package datafile_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gopsa/psa/internal/conformance/datafile"
	"github.com/gopsa/psa/internal/conformance/expr"
)

// suitesDir finds TF-PSA-Crypto's .data files: $GOPSA_TESTSUITES, or the
// shared checkout next to the module.
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

// wantCases is the number of cases of each PSA .data file of TF-PSA-Crypto
// 1.0.0, from the table of testsuites/README.md §2.1 (10,324 in all).
var wantCases = map[string]int{
	"test_suite_psa_crypto.concurrent.data":              43,
	"test_suite_psa_crypto.data":                         1922,
	"test_suite_psa_crypto.pbkdf2.data":                  4,
	"test_suite_psa_crypto.persistent.data":              9,
	"test_suite_psa_crypto_attributes.data":              8,
	"test_suite_psa_crypto_constant_time.data":           10,
	"test_suite_psa_crypto_driver_wrappers.data":         221,
	"test_suite_psa_crypto_ecp.data":                     22,
	"test_suite_psa_crypto_entropy.data":                 5,
	"test_suite_psa_crypto_hash.data":                    167,
	"test_suite_psa_crypto_init.data":                    22,
	"test_suite_psa_crypto_memory.data":                  21,
	"test_suite_psa_crypto_metadata.data":                120,
	"test_suite_psa_crypto_not_supported.misc.data":      4,
	"test_suite_psa_crypto_op_fail.misc.data":            5,
	"test_suite_psa_crypto_pake.data":                    69,
	"test_suite_psa_crypto_persistent_key.data":          37,
	"test_suite_psa_crypto_slot_management.data":         50,
	"test_suite_psa_crypto_storage_format.misc.data":     8,
	"test_suite_psa_crypto_util.data":                    47,
	"test_suite_psa_its.data":                            25,
	"test_suite_psa_crypto_generate_key.generated.data":  81,
	"test_suite_psa_crypto_low_hash.generated.data":      42,
	"test_suite_psa_crypto_not_supported.generated.data": 183,
	"test_suite_psa_crypto_op_fail.generated.data":       4339,
	"test_suite_psa_crypto_storage_format.current.data":  1406,
	"test_suite_psa_crypto_storage_format.v0.data":       1454,
}

// stringParams lists the char * parameters of the PSA suites (by function
// and argument index): every other quoted argument is hex data.
var stringParams = map[string][]int{
	"hmac":          {1},
	"ecjpake_setup": {5, 6},
}

func TestSuites(t *testing.T) {
	dir := suitesDir(t)
	total := 0
	for _, n := range wantCases {
		total += n
	}
	if total != 10324 {
		t.Fatalf("expected-count table sums to %d, want 10324", total)
	}

	paths, err := filepath.Glob(filepath.Join(dir, "*.data"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	got, hexArgs, strArgs := 0, 0, 0
	for _, path := range paths {
		file := filepath.Base(path)
		seen[file] = true
		cases, err := datafile.ParseFile(path)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		want, ok := wantCases[file]
		if !ok {
			t.Errorf("%s: not a TF-PSA-Crypto 1.0.0 PSA suite (%d cases)", file, len(cases))
		} else if len(cases) != want {
			t.Errorf("%s: %d cases, want %d", file, len(cases), want)
		}
		got += len(cases)

		arity := map[string]*datafile.Case{}
		for i := range cases {
			c := &cases[i]
			if c.File != file || c.Name == "" || c.Func == "" || c.Line <= 0 {
				t.Errorf("%s: malformed case %+v", c.Pos(), c)
			}
			if first, ok := arity[c.Func]; !ok {
				arity[c.Func] = c
			} else if len(first.Args) != len(c.Args) {
				t.Errorf("%s: %s has %d arguments, but %d at %s", c.Pos(), c.Func, len(c.Args), len(first.Args), first.Pos())
			}
			h, s := checkArgs(t, c)
			hexArgs += h
			strArgs += s
		}
	}
	var missing []string
	for file, n := range wantCases {
		if !seen[file] {
			missing = append(missing, file)
			total -= n
		}
	}
	sort.Strings(missing)
	for _, file := range missing {
		t.Logf("%s: not in %s (%d cases expected)", file, dir, wantCases[file])
	}
	if got != total {
		t.Errorf("read %d cases in all, want %d", got, total)
	}
	t.Logf("%d files, %d cases, %d hex arguments, %d string arguments", len(paths), got, hexArgs, strArgs)
}

// checkArgs decodes every quoted argument of c as hex data or as a string,
// and counts them.
func checkArgs(t *testing.T, c *datafile.Case) (hexArgs, strArgs int) {
	t.Helper()
	for i, a := range c.Args {
		if !strings.HasPrefix(a, `"`) {
			continue
		}
		isString := false
		for _, j := range stringParams[c.Func] {
			isString = isString || i == j
		}
		if isString {
			strArgs++
			if _, err := datafile.DecodeString(a); err != nil {
				t.Errorf("%s: argument %d: %v", c.Pos(), i, err)
			}
			continue
		}
		hexArgs++
		b, err := datafile.DecodeHex(a)
		if err != nil {
			t.Errorf("%s: argument %d: %v", c.Pos(), i, err)
		} else if len(b) != (len(a)-2)/2 {
			t.Errorf("%s: argument %d: decoded %d bytes from %d digits", c.Pos(), i, len(b), len(a)-2)
		}
	}
	return hexArgs, strArgs
}

func BenchmarkParseSuite(b *testing.B) {
	path := filepath.Join(suitesDir(b), "test_suite_psa_crypto.data")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := datafile.Parse(strings.NewReader(string(data)), "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

// mbedtlsConfig is a configuration like Mbed TLS's default one for the
// names that the suites' dependency comparisons use; the PSA names of the
// comparisons resolve through the PSA environment.
type mbedtlsConfig struct {
	*expr.PSAEnv
	defined map[string]bool
}

func (c mbedtlsConfig) Defined(s string) bool { return c.defined[s] }

func newMbedTLSConfig() mbedtlsConfig {
	limits := map[string]int64{
		"PSA_VENDOR_RSA_GENERATE_MIN_KEY_BITS": 1024,
		"PSA_VENDOR_RSA_MAX_KEY_BITS":          4096,
		"PSA_VENDOR_ECC_MAX_CURVE_BITS":        521,
		"MBEDTLS_PSA_KEY_BUFFER_MAX_SIZE":      8192,
		"MBEDTLS_CTR_DRBG_MAX_REQUEST":         1024,
		"PSA_MAX_KEY_BITS":                     0xfff8,
		"SIZE_MAX":                             -1, // 2^64-1 as intmax_t
		"INT_MAX":                              0x7fffffff,
	}
	defined := map[string]bool{"PSA_WANT_ALG_SHA_256": true}
	for name := range limits {
		defined[name] = true
	}
	return mbedtlsConfig{expr.NewPSAEnv(limits), defined}
}

// TestSuiteDependencies checks every dependency of the suites against a
// configuration: each must evaluate, and the C-limit checks must come out
// as they do on a 64-bit host.
func TestSuiteDependencies(t *testing.T) {
	dir := suitesDir(t)
	paths, err := filepath.Glob(filepath.Join(dir, "*.data"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := newMbedTLSConfig()
	distinct := map[string]datafile.Dep{}
	uses, negated, comparisons := 0, 0, 0
	for _, path := range paths {
		cases, err := datafile.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			for _, d := range c.Deps {
				uses++
				distinct[d.String()] = d
			}
		}
	}
	for s, d := range distinct {
		if d.Negated {
			negated++
		}
		if d.Op == "" {
			continue
		}
		comparisons++
		if _, err := d.Holds(cfg); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	t.Logf("%d dependencies used, %d distinct, %d negated, %d comparisons", uses, len(distinct), negated, comparisons)

	for s, want := range map[string]bool{
		"SIZE_MAX >= 0xffffffffffffffff":                                         true,
		"INT_MAX <= 0xffffffffffffffff":                                          true,
		"INT_MAX >= 0x7fffffff":                                                  true,
		"INT_MAX <= 0x7fffffff":                                                  true,
		"ENTROPY_NONCE_LEN == 0":                                                 true,
		"ENTROPY_NONCE_LEN != 0":                                                 false,
		"PSA_VENDOR_RSA_GENERATE_MIN_KEY_BITS <= 1024":                           true,
		"PSA_VENDOR_RSA_GENERATE_MIN_KEY_BITS <= 1032":                           true,
		"PSA_VENDOR_RSA_GENERATE_MIN_KEY_BITS >= 512":                            true,
		"PSA_VENDOR_RSA_GENERATE_MIN_KEY_BITS > 128":                             true,
		"MBEDTLS_PSA_KEY_BUFFER_MAX_SIZE >= PSA_BITS_TO_BYTES(PSA_MAX_KEY_BITS)": true,
		"MBEDTLS_PSA_KEY_BUFFER_MAX_SIZE > PSA_BITS_TO_BYTES(65528)":             true, // 8192 > 8191
		"PSA_VENDOR_ECC_MAX_CURVE_BITS >= 521":                                   true,
	} {
		d, ok := distinct[s]
		if !ok {
			t.Errorf("dependency %q not found in the suites", s)
			continue
		}
		if got, err := d.Holds(cfg); err != nil || got != want {
			t.Errorf("%s: Holds = %v, %v; want %v", s, got, err, want)
		}
	}
}
