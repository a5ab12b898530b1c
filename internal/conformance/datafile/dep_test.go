package datafile

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gopsa/psa/internal/conformance/expr"
	"github.com/gopsa/psa/values"
)

// testConfig defines the macros of its map; PSA_BITS_TO_BYTES is its only
// function-like macro.
type testConfig map[string]int64

func (c testConfig) Defined(s string) bool { _, ok := c[s]; return ok }

func (c testConfig) Ident(s string) (int64, error) {
	if v, ok := c[s]; ok {
		return v, nil
	}
	return 0, &expr.UnknownError{Name: s}
}

func (c testConfig) Call(name string, args []int64) (int64, error) {
	if name == "PSA_BITS_TO_BYTES" && len(args) == 1 {
		return (args[0] + 7) / 8, nil
	}
	return 0, &expr.UnknownError{Name: name, Macro: true}
}

func TestParseDep(t *testing.T) {
	tests := []struct {
		in   string
		want Dep
	}{
		{"PSA_WANT_ALG_SHA_256", Dep{Symbol: "PSA_WANT_ALG_SHA_256"}},
		{" !MBEDTLS_PSA_CRYPTO_C ", Dep{Negated: true, Symbol: "MBEDTLS_PSA_CRYPTO_C"}},
		{"lower_case_1", Dep{Symbol: "lower_case_1"}},
		{"PSA_VENDOR_RSA_GENERATE_MIN_KEY_BITS <= 1032", Dep{Symbol: "PSA_VENDOR_RSA_GENERATE_MIN_KEY_BITS", Op: "<=", Value: "1032"}},
		{"SIZE_MAX>=0xffffffffffffffff", Dep{Symbol: "SIZE_MAX", Op: ">=", Value: "0xffffffffffffffff"}},
		{"MBEDTLS_PSA_KEY_BUFFER_MAX_SIZE >= PSA_BITS_TO_BYTES(PSA_MAX_KEY_BITS)", Dep{Symbol: "MBEDTLS_PSA_KEY_BUFFER_MAX_SIZE", Op: ">=", Value: "PSA_BITS_TO_BYTES(PSA_MAX_KEY_BITS)"}},
		{"MBEDTLS_PSA_KEY_BUFFER_MAX_SIZE >= (2 * MBEDTLS_CTR_DRBG_MAX_REQUEST + 1)", Dep{Symbol: "MBEDTLS_PSA_KEY_BUFFER_MAX_SIZE", Op: ">=", Value: "(2 * MBEDTLS_CTR_DRBG_MAX_REQUEST + 1)"}},
		{"!ENTROPY_NONCE_LEN != 0", Dep{Negated: true, Symbol: "ENTROPY_NONCE_LEN", Op: "!=", Value: "0"}},
		{"X>0", Dep{Symbol: "X", Op: ">", Value: "0"}},
		{"X < 1 << 4", Dep{Symbol: "X", Op: "<", Value: "1 << 4"}},
		{"X == 0x0010", Dep{Symbol: "X", Op: "==", Value: "0x0010"}},
	}
	for _, tt := range tests {
		got, err := ParseDep(tt.in)
		if err != nil {
			t.Errorf("ParseDep(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDep(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		// String gives text that parses back to the same dependency.
		if again, err := ParseDep(got.String()); err != nil || again != got {
			t.Errorf("ParseDep(%q.String() = %q) = %+v, %v", tt.in, got.String(), again, err)
		}
	}

	for _, bad := range []string{
		"", "!", "1X", "X-Y", "X = 1", "X === 1", "X == ", "X == -1", "X == 010", "X == 0 + 07",
		"X == 1, 2", "X == !Y", "X == Y != Z", "defined(X)", "X == (1", "X == 1 +", "X Y",
	} {
		if d, err := ParseDep(bad); err == nil {
			t.Errorf("ParseDep(%q) = %+v, want an error", bad, d)
		} else if !errors.Is(err, values.ErrInvalidArgument) {
			t.Errorf("ParseDep(%q): error %v does not wrap ErrInvalidArgument", bad, err)
		}
	}
}

func TestDepHolds(t *testing.T) {
	cfg := testConfig{
		"PSA_WANT_ALG_SHA_256":                 1,
		"PSA_VENDOR_RSA_GENERATE_MIN_KEY_BITS": 1024,
		"PSA_VENDOR_RSA_MAX_KEY_BITS":          4096,
		"MBEDTLS_PSA_KEY_BUFFER_MAX_SIZE":      8193,
		"MBEDTLS_CTR_DRBG_MAX_REQUEST":         1024,
		"PSA_MAX_KEY_BITS":                     0xfff8,
		"SIZE_MAX":                             -1, // 0xffffffffffffffff as intmax_t
		"INT_MAX":                              0x7fffffff,
	}
	tests := []struct {
		dep  string
		want bool
	}{
		{"PSA_WANT_ALG_SHA_256", true},
		{"!PSA_WANT_ALG_SHA_256", false},
		{"PSA_WANT_ALG_MD5", false},
		{"!PSA_WANT_ALG_MD5", true},
		{"PSA_VENDOR_RSA_GENERATE_MIN_KEY_BITS <= 1024", true},
		{"PSA_VENDOR_RSA_GENERATE_MIN_KEY_BITS <= 1032", true},
		{"PSA_VENDOR_RSA_GENERATE_MIN_KEY_BITS >= 2048", false},
		{"PSA_VENDOR_RSA_GENERATE_MIN_KEY_BITS > 128", true},
		{"!PSA_VENDOR_RSA_GENERATE_MIN_KEY_BITS > 128", false},
		{"PSA_VENDOR_RSA_MAX_KEY_BITS>=4096", true},
		{"MBEDTLS_PSA_KEY_BUFFER_MAX_SIZE >= PSA_BITS_TO_BYTES(PSA_MAX_KEY_BITS)", true},
		{"MBEDTLS_PSA_KEY_BUFFER_MAX_SIZE >= (MBEDTLS_CTR_DRBG_MAX_REQUEST + 1)", true},
		{"MBEDTLS_PSA_KEY_BUFFER_MAX_SIZE >= (2 * MBEDTLS_CTR_DRBG_MAX_REQUEST + 1)", true},
		{"MBEDTLS_PSA_KEY_BUFFER_MAX_SIZE > (8 * MBEDTLS_CTR_DRBG_MAX_REQUEST + 1)", false},
		// uintmax_t comparisons: SIZE_MAX is 2^64-1 and the literal is
		// unsigned because it does not fit in intmax_t.
		{"SIZE_MAX>=0xffffffffffffffff", true},
		{"INT_MAX<=0xffffffffffffffff", true},
		{"INT_MAX>=0x7fffffff", true},
		{"INT_MAX<=0x7fffffff", true},
		// As in #if, an undefined name is 0.
		{"ENTROPY_NONCE_LEN == 0", true},
		{"ENTROPY_NONCE_LEN != 0", false},
		{"PSA_WANT_ALG_SHA_256 == UNDEFINED_NAME + 1", true},
		// The value is pasted after the operator without parentheses.
		{"PSA_WANT_ALG_SHA_256 == 2 | 1", true},
	}
	for _, tt := range tests {
		d, err := ParseDep(tt.dep)
		if err != nil {
			t.Errorf("ParseDep(%q): %v", tt.dep, err)
			continue
		}
		got, err := d.Holds(cfg)
		if err != nil {
			t.Errorf("%q.Holds: %v", tt.dep, err)
		} else if got != tt.want {
			t.Errorf("%q.Holds = %v, want %v", tt.dep, got, tt.want)
		}
	}

	cfg["SIZE_MAX"] = 0xffffffff
	if ok, err := (Dep{Symbol: "SIZE_MAX", Op: ">=", Value: "0xffffffffffffffff"}).Holds(cfg); ok || err != nil {
		t.Errorf("32-bit SIZE_MAX>=0xffffffffffffffff = %v, %v; want false", ok, err)
	}

	for _, tt := range []struct{ dep, want string }{
		{"PSA_WANT_ALG_SHA_256 >= PSA_UNKNOWN_MACRO(1)", "unknown macro PSA_UNKNOWN_MACRO()"},
		{"PSA_WANT_ALG_SHA_256 >= 1 / (PSA_WANT_ALG_SHA_256 - 1)", "division by zero"},
	} {
		d, err := ParseDep(tt.dep)
		if err != nil {
			t.Fatal(err)
		}
		_, err = d.Holds(cfg)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "dependency ") {
			t.Errorf("%q.Holds error = %v, want one naming the dependency and %q", tt.dep, err, tt.want)
		}
	}
}

func ExampleDep_Holds() {
	cfg := testConfig{"PSA_WANT_ALG_SHA_256": 1, "PSA_VENDOR_RSA_MAX_KEY_BITS": 4096}
	for _, s := range []string{"PSA_WANT_ALG_SHA_256", "!PSA_WANT_ALG_MD5", "PSA_VENDOR_RSA_MAX_KEY_BITS >= 8192"} {
		d, _ := ParseDep(s)
		ok, _ := d.Holds(cfg)
		fmt.Println(d, ok)
	}
	// Output:
	// PSA_WANT_ALG_SHA_256 true
	// !PSA_WANT_ALG_MD5 true
	// PSA_VENDOR_RSA_MAX_KEY_BITS >= 8192 false
}
