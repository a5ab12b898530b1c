package expr_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/gopsa/psa/internal/conformance/expr"
	"github.com/gopsa/psa/values"
)

// The expected values follow from the encodings of the PSA Certified
// Crypto API 1.5, appendix B and C (specdef_values.txt), and, for the
// implementation-defined derivation steps, from Mbed TLS.
func TestPSAEnv(t *testing.T) {
	tests := []struct {
		src  string
		want int64
	}{
		{"PSA_ALG_SHA_256", 0x02000009},
		{"PSA_ALG_HMAC(PSA_ALG_SHA_256)", 0x03800009},
		{"PSA_ALG_HKDF(PSA_ALG_SHA_256)", 0x08000109},
		{"PSA_ALG_KEY_AGREEMENT(PSA_ALG_ECDH, PSA_ALG_HKDF(PSA_ALG_SHA_256))", 0x09020109},
		{"PSA_ALG_KEY_AGREEMENT(PSA_ALG_ECDH, PSA_ALG_TLS12_PSK_TO_MS(PSA_ALG_SHA_256))", 0x09020309},
		// (0x05500100 & ~0x003f8000) | 4<<16
		{"PSA_ALG_AEAD_WITH_SHORTENED_TAG(PSA_ALG_CCM, 4)", 0x05440100},
		{"PSA_ALG_AEAD_WITH_AT_LEAST_THIS_LENGTH_TAG(PSA_ALG_GCM, 8)", 0x05488200},
		{"PSA_ALG_TRUNCATED_MAC(PSA_ALG_CMAC, 10)", 0x03ca0200},
		{"PSA_ALG_AT_LEAST_THIS_LENGTH_MAC(PSA_ALG_HMAC(PSA_ALG_SHA_256), 20)", 0x03948009},
		{"PSA_ALG_RSA_PSS_ANY_SALT(PSA_ALG_SHA_256)", 0x06001309},
		{"PSA_ALG_DETERMINISTIC_ECDSA(PSA_ALG_SHA_384)", 0x0600070a},
		{"PSA_ALG_ECDSA(PSA_ALG_ANY_HASH)", 0x060006ff},
		{"PSA_ALG_PBKDF2_HMAC(PSA_ALG_SHA_256)", 0x08800109},
		{"PSA_ALG_JPAKE(PSA_ALG_SHA_256)", 0x0a000109},
		{"PSA_ALG_TLS12_ECJPAKE_TO_PMS", 0x08000609},
		{"PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1)", 0x7112},
		{"PSA_KEY_TYPE_ECC_PUBLIC_KEY(PSA_ECC_FAMILY_MONTGOMERY)", 0x4141},
		{"PSA_KEY_TYPE_DH_KEY_PAIR(PSA_DH_FAMILY_RFC7919)", 0x7203},
		{"PSA_KEY_TYPE_DH_PUBLIC_KEY(PSA_DH_FAMILY_RFC7919)", 0x4203},
		{"PSA_KEY_TYPE_AES", 0x2400},
		{"PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_SIGN_HASH", 0x1001},
		{"PSA_KEY_USAGE_VERIFY_DERIVATION", 0x8000},
		{"PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION(PSA_KEY_PERSISTENCE_DEFAULT, PSA_KEY_LOCATION_LOCAL_STORAGE)", 1},
		{"PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION(PSA_KEY_PERSISTENCE_READ_ONLY, 0xbad10cU)", 0xbad10cff},
		{"PSA_KEY_LIFETIME_VOLATILE", 0},
		{"PSA_KEY_ID_USER_MAX + 1", 0x40000000},
		{"PSA_KEY_ID_VENDOR_MAX", 0x7fffffff},
		{"PSA_PAKE_PRIMITIVE(PSA_PAKE_PRIMITIVE_TYPE_ECC, PSA_ECC_FAMILY_SECP_R1, 256)", 0x01120100},
		{"PSA_SUCCESS", 0},
		{"PSA_ERROR_INVALID_ARGUMENT", -135},
		{"PSA_ERROR_DATA_INVALID", -153},
		{"PSA_KEY_DERIVATION_INPUT_SALT", 0x0202},
		{"PSA_KEY_DERIVATION_INPUT_COST", 0x0205},
		{"PSA_HASH_LENGTH(PSA_ALG_SHA_512)", 64},
		{"255 * PSA_HASH_LENGTH(PSA_ALG_SHA_256) + 1", 8161},
		{"4294967295ULL * PSA_HASH_LENGTH(PSA_ALG_SHA_512) + 1", 4294967295*64 + 1},
		{"PSA_BITS_TO_BYTES(255)", 32},
		{"PSA_BYTES_TO_BITS(3)", 24},
		{"PSA_MAC_LENGTH(PSA_KEY_TYPE_HMAC, 256, PSA_ALG_HMAC(PSA_ALG_SHA_256))", 32},
		{"PSA_SIGN_OUTPUT_SIZE(PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1), 256, PSA_ALG_ECDSA(PSA_ALG_SHA_256))", 64},
		{"PSA_HASH_MAX_SIZE", 64},
	}
	for _, tt := range tests {
		got, err := expr.Eval(tt.src, expr.PSA)
		if err != nil {
			t.Errorf("Eval(%q): %v", tt.src, err)
		} else if got != tt.want {
			t.Errorf("Eval(%q) = %#x, want %#x", tt.src, got, tt.want)
		}
	}
}

func TestPSAEnvErrors(t *testing.T) {
	env := expr.NewPSAEnv(map[string]int64{"ERR_NONE": 0})
	tests := []struct {
		src, want string
		status    values.Status
		unknown   string
	}{
		{"PSA_ALG_NO_SUCH_THING", "unknown identifier PSA_ALG_NO_SUCH_THING", values.ErrNotSupported, "PSA_ALG_NO_SUCH_THING"},
		{"ERR_INJECT_SET_ROLE", "unknown identifier ERR_INJECT_SET_ROLE", values.ErrNotSupported, "ERR_INJECT_SET_ROLE"},
		{"PSA_ALG_NO_SUCH_MACRO(1)", "unknown macro PSA_ALG_NO_SUCH_MACRO()", values.ErrNotSupported, "PSA_ALG_NO_SUCH_MACRO"},
		{"PSA_ALG_HMAC(PSA_ALG_SHA_256, 2)", "PSA_ALG_HMAC takes 1 arguments, not 2", values.ErrInvalidArgument, ""},
	}
	for _, tt := range tests {
		_, err := expr.Eval(tt.src, env)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, tt.status) {
			t.Errorf("Eval(%q) error = %v, want one containing %q and wrapping %v", tt.src, err, tt.want, tt.status)
		}
		var u *expr.UnknownError
		if got := errors.As(err, &u); got != (tt.unknown != "") || (got && u.Name != tt.unknown) {
			t.Errorf("Eval(%q) error %v: UnknownError %v, want name %q", tt.src, err, u, tt.unknown)
		}
	}
	if v, err := expr.Eval("ERR_NONE", env); err != nil || v != 0 {
		t.Errorf("extra name: %d, %v", v, err)
	}
}

func TestPSAEnvExtraComesFirst(t *testing.T) {
	extra := map[string]int64{"PSA_ALG_SHA_256": 7}
	env := expr.NewPSAEnv(extra)
	extra["PSA_ALG_SHA_256"] = 8 // NewPSAEnv copied the map
	if v, err := expr.Eval("PSA_ALG_SHA_256", env); err != nil || v != 7 {
		t.Errorf("Eval with override = %d, %v; want 7", v, err)
	}
}

func TestPSAEnvConcurrent(t *testing.T) {
	env := expr.NewPSAEnv(nil)
	srcs := []string{
		"PSA_ALG_HMAC(PSA_ALG_SHA_256)",
		"PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1)",
		"255 * PSA_HASH_LENGTH(PSA_ALG_SHA_1) - 1",
		"PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_COPY",
	}
	want := make([]int64, len(srcs))
	for i, s := range srcs {
		v, err := expr.Eval(s, env)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = v
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				k := (g + i) % len(srcs)
				if v, err := expr.Eval(srcs[k], expr.NewPSAEnv(nil)); err != nil || v != want[k] {
					t.Errorf("Eval(%q) = %d, %v; want %d", srcs[k], v, err, want[k])
					return
				}
				if v, err := expr.Eval(srcs[k], env); err != nil || v != want[k] {
					t.Errorf("Eval(%q) = %d, %v; want %d", srcs[k], v, err, want[k])
					return
				}
			}
		})
	}
	wg.Wait()
}

func ExampleEval() {
	// Test-local names, such as the PAKE suite's ERR_NONE, come from the
	// runner; PSA names come from the values package.
	env := expr.NewPSAEnv(map[string]int64{"ERR_NONE": 0})
	for _, src := range []string{
		"PSA_ALG_HMAC(PSA_ALG_SHA_256)",
		"255 * PSA_HASH_LENGTH(PSA_ALG_SHA_256) + 1",
		"PSA_PAKE_PRIMITIVE(PSA_PAKE_PRIMITIVE_TYPE_ECC, PSA_ECC_FAMILY_SECP_R1, 256)",
		"ERR_NONE",
		"0xffffffff",
		"PSA_ALG_SHA_257",
	} {
		v, err := expr.Eval(src, env)
		if err != nil {
			fmt.Println(err)
			continue
		}
		// An int parameter receives the low 32 bits.
		fmt.Printf("%s = %#x, as int %d\n", src, v, int32(v))
	}
	// Output:
	// PSA_ALG_HMAC(PSA_ALG_SHA_256) = 0x3800009, as int 58720265
	// 255 * PSA_HASH_LENGTH(PSA_ALG_SHA_256) + 1 = 0x1fe1, as int 8161
	// PSA_PAKE_PRIMITIVE(PSA_PAKE_PRIMITIVE_TYPE_ECC, PSA_ECC_FAMILY_SECP_R1, 256) = 0x1120100, as int 17957120
	// ERR_NONE = 0x0, as int 0
	// 0xffffffff = 0xffffffff, as int -1
	// expression "PSA_ALG_SHA_257": unknown identifier PSA_ALG_SHA_257
}

func BenchmarkPSAEnv(b *testing.B) {
	src := "PSA_ALG_KEY_AGREEMENT(PSA_ALG_ECDH, PSA_ALG_HKDF(PSA_ALG_SHA_256))"
	env := expr.NewPSAEnv(nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := expr.Eval(src, env); err != nil {
			b.Fatal(err)
		}
	}
}
