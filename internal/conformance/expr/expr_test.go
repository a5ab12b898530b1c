package expr

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/gopsa/psa/values"
)

// mapEnv resolves identifiers from a map and knows a few PSA macros, with
// the definitions of the specification's example header.
type mapEnv map[string]int64

func (m mapEnv) Ident(name string) (int64, error) {
	if v, ok := m[name]; ok {
		return v, nil
	}
	return 0, &UnknownError{Name: name}
}

func (m mapEnv) Defined(name string) bool { _, ok := m[name]; return ok }

func (m mapEnv) Call(name string, args []int64) (int64, error) {
	switch {
	case name == "PSA_ALG_HMAC" && len(args) == 1:
		return 0x03800000 | args[0]&0xff, nil
	case name == "PSA_HASH_LENGTH" && len(args) == 1:
		switch args[0] {
		case 0x02000005:
			return 20, nil
		case 0x02000009:
			return 32, nil
		case 0x0200000b:
			return 64, nil
		}
		return 0, nil
	case name == "PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION" && len(args) == 2:
		return args[1]<<8 | args[0], nil
	case name == "PSA_PAKE_PRIMITIVE" && len(args) == 3:
		return args[0]<<24 | args[1]<<16 | args[2], nil
	case name == "ZERO" && len(args) == 0:
		return 0, nil
	}
	return 0, &UnknownError{Name: name, Macro: true}
}

var testEnv = mapEnv{
	"PSA_ALG_SHA_1":                    0x02000005,
	"PSA_ALG_SHA_256":                  0x02000009,
	"PSA_ALG_SHA_512":                  0x0200000b,
	"PSA_KEY_USAGE_EXPORT":             0x00000001,
	"PSA_KEY_USAGE_SIGN_HASH":          0x00001000,
	"PSA_KEY_USAGE_VERIFY_HASH":        0x00002000,
	"PSA_KEY_PERSISTENCE_DEFAULT":      1,
	"PSA_KEY_PERSISTENCE_VOLATILE":     0,
	"PSA_PAKE_PRIMITIVE_TYPE_ECC":      1,
	"PSA_ECC_FAMILY_SECP_R1":           0x12,
	"PSA_ERROR_INVALID_ARGUMENT":       -135,
	"PSA_KEY_ID_VENDOR_MAX":            0x7fffffff,
	"MBEDTLS_PSA_KEY_SLOT_COUNT":       32,
	"MBEDTLS_TEST_PSA_INTERNAL_KEYS":   0,
	"PSA_VENDOR_PBKDF2_MAX_ITERATIONS": 0xffffffff,
}

func TestEval(t *testing.T) {
	tests := []struct {
		src  string
		want int64
	}{
		// Forms of the PSA suites.
		{"PSA_ALG_HMAC(PSA_ALG_SHA_256)", 0x03800009},
		{"255 * PSA_HASH_LENGTH(PSA_ALG_SHA_256) + 1", 255*32 + 1},
		{"255 * PSA_HASH_LENGTH(PSA_ALG_SHA_1) - 1", 255*20 - 1},
		{"PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_VERIFY_HASH", 0x3001},
		{"48U + 1U", 49},
		{"4294967295ULL * PSA_HASH_LENGTH(PSA_ALG_SHA_512) + 1", 4294967295*64 + 1},
		{"4294967295ULL * 16", 4294967295 * 16},
		{"PSA_PAKE_PRIMITIVE(PSA_PAKE_PRIMITIVE_TYPE_ECC, PSA_ECC_FAMILY_SECP_R1, 256)", 0x01120100},
		{"PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION(PSA_KEY_PERSISTENCE_DEFAULT, 0xbad10cU)", 0xbad10c01},
		{"PSA_KEY_ID_VENDOR_MAX + 1", 0x80000000},
		{"PSA_VENDOR_PBKDF2_MAX_ITERATIONS+1ULL", 0x100000000},
		{"MBEDTLS_PSA_KEY_SLOT_COUNT - MBEDTLS_TEST_PSA_INTERNAL_KEYS", 32},
		{"PSA_ERROR_INVALID_ARGUMENT", -135},
		{"(PSA_ALG_SHA_256)", 0x02000009},
		{"ZERO()", 0},
		{"-1", -1},
		// Literal types: int, unsigned int, long, unsigned long on LP64.
		{"0xffffffff", 0xffffffff},
		{"4294967295", 4294967295},
		{"0xffffffffffffffff", -1},
		{"18446744073709551615U", -1},
		{"0x7fffffff + 1", math.MinInt32}, // int arithmetic wraps in 32 bits
		{"0x7fffffffU + 1", 0x80000000},   // unsigned int
		{"0xffffffff + 1", 0},             // unsigned int wraps
		{"0xffffffffL + 1", 0x100000000},  // long
		{"4294967295U + 1U", 0},           // unsigned int
		{"4294967295 + 1", 0x100000000},   // decimal 4294967295 is long
		{"2147483647 + 1", math.MinInt32}, // int
		{"-1U", 0xffffffff},               // unsigned int
		{"-1UL", -1},                      // unsigned long, as intmax_t
		{"-1 < 0U", 0},                    // -1 converts to UINT_MAX
		{"-1 < 0UL", 0},                   // and to ULONG_MAX
		{"-1L < 0U", 1},                   // long holds every unsigned int
		{"-1 < 0", 1},
		{"017", 15},
		{"0", 0},
		{"0x1fUL", 31},
		{"10lu + 10LLU + 10ll", 30},
		// Operators and precedence.
		{"1 + 2 * 3", 7},
		{"(1 + 2) * 3", 9},
		{"10 - 4 - 3", 3},
		{"100 / 10 / 5", 2},
		{"-7 / 2", -3},
		{"-7 % 2", -1},
		{"7U / 2", 3},
		{"0xfffffff9 / 2", 0x7ffffffc}, // unsigned division
		{"1 << 4 + 1", 32},
		{"0x80 >> 4", 8},
		{"-16 >> 2", -4},
		{"0x80000000 >> 4", 0x08000000},
		{"1 << 31", math.MinInt32},
		{"1L << 63", math.MinInt64},
		{"3 & 5 ^ 1 | 8", ((3 & 5) ^ 1) | 8},
		{"1 | 2 == 2", 1}, // 1 | (2 == 2)
		{"1 < 2 == 1", 1},
		{"2 >= 2", 1},
		{"2 > 2", 0},
		{"2 <= 1", 0},
		{"1 != 1", 0},
		{"~0", -1},
		{"~0U", 0xffffffff},
		{"!0 + !5", 1},
		{"- -1", 1},
		{"+5", 5},
		{"1 && 2", 1},
		{"0 && UNKNOWN", 0}, // not evaluated
		{"1 || UNKNOWN", 1},
		{"0 || 0", 0},
		{"1 ? 2 : UNKNOWN", 2},
		{"0 ? UNKNOWN : 3", 3},
		{"1 ? -1 : 0U", 0xffffffff}, // the result has the common type
		{"0 ? 1 : 2 ? 3 : 4", 3},
		{"PSA_ALG_SHA_1 == 0x02000005 ? 10 : 20", 10},
		// Casts.
		{"(psa_key_lifetime_t)0x80000001", 0x80000001},
		{"(psa_status_t)-135", -135},
		{"(psa_key_type_t)0x12345", 0x2345},
		{"(uint8_t)-1", 255},
		{"(int8_t)0x80", -128},
		{"(uint32_t)-1", 0xffffffff},
		{"(uint32_t)-1 + 1", 0},
		{"(uint16_t)-1 + 1", 0x10000}, // promoted to int
		{"(size_t)-1", -1},
		{"(size_t)-1 > 0", 1},
		{"(unsigned long long)-1 > 0", 1},
		{"(unsigned)-1", 0xffffffff},
		{"(long)0xffffffff", 0xffffffff},
		{"(int)0xffffffff", -1},
		{"(short int)0x18000", -0x8000},
		{"(unsigned char)0x1ff", 0xff},
		{"-(psa_algorithm_t)1", 0xffffffff},
	}
	for _, tt := range tests {
		got, err := Eval(tt.src, testEnv)
		if err != nil {
			t.Errorf("Eval(%q): %v", tt.src, err)
		} else if got != tt.want {
			t.Errorf("Eval(%q) = %d (%#x), want %d (%#x)", tt.src, got, got, tt.want, tt.want)
		}
	}
}

func TestEvalPreprocessor(t *testing.T) {
	tests := []struct {
		src  string
		want int64
	}{
		// In #if every value is intmax_t or uintmax_t.
		{"0x7fffffff + 1", 0x80000000},
		{"0xffffffff + 1", 0x100000000},
		{"-1 < 0", 1},
		{"-1 < 0U", 0},
		{"0xffffffffffffffff == -1", 1},
		{"0x7fffffff <= 0xffffffffffffffff", 1},
		{"0x7fffffff <= -1", 0},
		{"UNDEFINED + 1", 1},
		{"defined(PSA_ALG_SHA_1) + defined PSA_ALG_SHA_256 + defined(NOPE)", 2},
		{"PSA_HASH_LENGTH(PSA_ALG_SHA_256) >= 32", 1},
		{"1 < 2", 1},
	}
	for _, tt := range tests {
		got, err := EvalPreprocessor(tt.src, testEnv)
		if err != nil {
			t.Errorf("EvalPreprocessor(%q): %v", tt.src, err)
		} else if got != tt.want {
			t.Errorf("EvalPreprocessor(%q) = %d (%#x), want %d (%#x)", tt.src, got, got, tt.want, tt.want)
		}
	}
}

func TestEvalErrors(t *testing.T) {
	tests := []struct {
		src, want string
		pp        bool
		status    values.Status
	}{
		{src: "PSA_ALG_NOPE", want: `expression "PSA_ALG_NOPE": unknown identifier PSA_ALG_NOPE`, status: values.ErrNotSupported},
		{src: "PSA_ALG_HMAC(PSA_ALG_NOPE)", want: "unknown identifier PSA_ALG_NOPE", status: values.ErrNotSupported},
		{src: "PSA_ALG_NOPE(1) | 2", want: "unknown macro PSA_ALG_NOPE()", status: values.ErrNotSupported},
		{src: "1 / 0", want: "column 3: division by zero", status: values.ErrInvalidArgument},
		{src: "1 % (2 - 2)", want: "division by zero", status: values.ErrInvalidArgument},
		{src: "1 << 32", want: "shift count 32 is out of range for a 32-bit operand", status: values.ErrInvalidArgument},
		{src: "1L << 64", want: "shift count 64 is out of range for a 64-bit operand", status: values.ErrInvalidArgument},
		{src: "1 >> -1", want: "shift count -1 is out of range", status: values.ErrInvalidArgument},
		{src: "1 << 0xffffffffffffffff", want: "shift count 18446744073709551615 is out of range", status: values.ErrInvalidArgument},
		{src: "18446744073709551615", want: "does not fit in long", status: values.ErrInvalidArgument},
		{src: "defined(X)", want: "defined is only valid in a preprocessor condition", status: values.ErrInvalidArgument},
		{src: "(uint8_t)1", want: "a cast is not allowed in a preprocessor condition", pp: true, status: values.ErrInvalidArgument},
	}
	for _, tt := range tests {
		var err error
		if tt.pp {
			_, err = EvalPreprocessor(tt.src, testEnv)
		} else {
			_, err = Eval(tt.src, testEnv)
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Eval(%q) error = %v, want it to contain %q", tt.src, err, tt.want)
		} else if !errors.Is(err, tt.status) {
			t.Errorf("Eval(%q) error %v does not wrap %v", tt.src, err, tt.status)
		}
	}
	_, err := Eval("1 + PSA_FOO", testEnv)
	var u *UnknownError
	if !errors.As(err, &u) || u.Name != "PSA_FOO" || u.Macro {
		t.Errorf("Eval error %v: want an *UnknownError for identifier PSA_FOO", err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src  string
		pos  int
		want string
	}{
		{"", 0, "empty expression"},
		{"   ", 0, "empty expression"},
		{"1 +", 3, "expected an operand"},
		{"* 2", 0, `expected an operand (a number, an identifier, '(' or a unary operator), found "*"`},
		{"(1 + 2", 6, `expected ")" to close '(' at column 1, found end of expression`},
		{"F(1, 2", 6, `expected ',' or ')' in the arguments of F( at column 2`},
		{"F(1,)", 4, "expected an operand"},
		{"1 2", 2, `unexpected "2" after a complete expression`},
		{"a.b", 1, "unexpected character '.'"},
		{"1 = 2", 2, "unexpected character '='"},
		{"x @ y", 2, "unexpected character '@'"},
		{"08", 0, "invalid digit '8' in octal literal 08"},
		{"0x", 0, "no digits after 0x"},
		{"1.5", 0, "invalid integer literal 1.5"},
		{"12abc", 0, "invalid integer literal 12abc"},
		{"1uu", 0, "invalid integer literal 1uu"},
		{"1lL", 0, "invalid integer literal 1lL"},
		{"0x1ffffffffffffffff", 0, "does not fit in 64 bits"},
		{"1 ? 2", 5, `expected ":" to close '?'`},
		{"(unsigned short long)1", 1, `"unsigned short long" is not a C integer type`},
		{"(uint8_t 1", 9, `expected ")" to close the cast's '('`},
		{"defined", 7, "expected a macro name after defined"},
		{"defined(X", 9, `expected ")" to close defined's '('`},
		{strings.Repeat("(", 500) + "1" + strings.Repeat(")", 500), 0, "nested more than"},
		{strings.Repeat("-", 500) + "1", 0, "nested more than"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error = %v, want a *SyntaxError", tt.src, err)
			continue
		}
		if !strings.Contains(se.Msg, tt.want) {
			t.Errorf("Parse(%q) error %q, want it to contain %q", tt.src, se.Msg, tt.want)
		}
		if tt.want != "nested more than" && se.Pos != tt.pos {
			t.Errorf("Parse(%q) error at %d, want %d: %v", tt.src, se.Pos, tt.pos, err)
		}
		if !errors.Is(err, values.ErrInvalidArgument) {
			t.Errorf("Parse(%q) error does not wrap ErrInvalidArgument", tt.src)
		}
	}
}

func TestNames(t *testing.T) {
	e, err := Parse("PSA_ALG_KEY_AGREEMENT(PSA_ALG_ECDH, PSA_ALG_HKDF(PSA_ALG_SHA_256)) | PSA_ALG_ECDH + defined(X)")
	if err != nil {
		t.Fatal(err)
	}
	idents, macros := e.Names()
	if got, want := strings.Join(idents, " "), "PSA_ALG_ECDH PSA_ALG_SHA_256 X"; got != want {
		t.Errorf("idents = %s, want %s", got, want)
	}
	if got, want := strings.Join(macros, " "), "PSA_ALG_KEY_AGREEMENT PSA_ALG_HKDF"; got != want {
		t.Errorf("macros = %s, want %s", got, want)
	}
}

func FuzzEval(f *testing.F) {
	for _, s := range []string{
		"PSA_ALG_HMAC(PSA_ALG_SHA_256)", "255 * PSA_HASH_LENGTH(PSA_ALG_SHA_256) + 1",
		"(psa_status_t)-135", "1 ? 2 : 3", "0x7fffffff + 1U << 3 >> 1 % 7", "defined(X) && !Y",
		"-9223372036854775807L - 1 / -1", "(-9223372036854775807L - 1) % -1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			if !errors.Is(err, values.ErrInvalidArgument) {
				t.Fatalf("Parse(%q) error %v does not wrap ErrInvalidArgument", src, err)
			}
			return
		}
		_, _ = e.Eval(testEnv)
		_, _ = e.EvalPreprocessor(testEnv)
		e.Names()
	})
}

func BenchmarkEval(b *testing.B) {
	for _, src := range []string{
		"PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_SIGN_HASH",
		"255 * PSA_HASH_LENGTH(PSA_ALG_SHA_256) + 1",
		"PSA_PAKE_PRIMITIVE(PSA_PAKE_PRIMITIVE_TYPE_ECC, PSA_ECC_FAMILY_SECP_R1, 256)",
	} {
		b.Run(src, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Eval(src, testEnv); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
