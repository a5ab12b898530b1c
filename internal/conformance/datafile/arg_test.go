package datafile

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/gopsa/psa/values"
)

func TestDecodeHex(t *testing.T) {
	tests := []struct {
		in   string
		want []byte
	}{
		{`""`, []byte{}},
		{`"00"`, []byte{0}},
		{`"da39a3ee5e6b4b0d"`, []byte{0xda, 0x39, 0xa3, 0xee, 0x5e, 0x6b, 0x4b, 0x0d}},
		{`"DA39A3ee"`, []byte{0xda, 0x39, 0xa3, 0xee}},
		// host_test.function unescapes before it checks the quotes.
		{`"ab\cd"`, []byte{0xab, 0xcd}},
		{`"abcd\"`, []byte{0xab, 0xcd}},
	}
	for _, tt := range tests {
		got, err := DecodeHex(tt.in)
		if err != nil {
			t.Errorf("DecodeHex(%s): %v", tt.in, err)
		} else if got == nil || !bytes.Equal(got, tt.want) {
			t.Errorf("DecodeHex(%s) = %x (nil %v), want %x", tt.in, got, got == nil, tt.want)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{`abcd`, "not quoted"},
		{`"abcd`, "not quoted"},
		{`abcd"`, "not quoted"},
		{`"`, "not quoted"},
		{``, "not quoted"},
		{`"abc"`, "3 digits: want an even number"},
		{`"0g"`, `'g' at offset 1 is not a hex digit`},
		{`"g0"`, `'g' at offset 0 is not a hex digit`},
		{`"0 "`, `' ' at offset 1`},
		{`"00\`, "lone backslash"},
	} {
		got, err := DecodeHex(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, values.ErrInvalidArgument) {
			t.Errorf("DecodeHex(%s) = %x, %v; want an ErrInvalidArgument error containing %q", tt.in, got, err, tt.want)
		}
	}
}

func TestDecodeString(t *testing.T) {
	tests := []struct{ in, want string }{
		{`""`, ""},
		{`"client"`, "client"},
		{`"a:b"`, "a:b"},
		{`"a\:b"`, "a:b"},
		{`"line\nnext"`, "line\nnext"},
		{`"\\n"`, `\n`},
		{`"q\"q"`, `q"q`},
		{`"\t"`, "t"},
		{`"\"`, ""},
		{`"é"`, "é"},
	}
	for _, tt := range tests {
		got, err := DecodeString(tt.in)
		if err != nil {
			t.Errorf("DecodeString(%s): %v", tt.in, err)
		} else if got != tt.want {
			t.Errorf("DecodeString(%s) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, in := range []string{`client`, `"client`, `"`, `"a"\`, `'a'`} {
		if got, err := DecodeString(in); err == nil || !errors.Is(err, values.ErrInvalidArgument) {
			t.Errorf("DecodeString(%s) = %q, %v; want an ErrInvalidArgument error", in, got, err)
		}
	}
}

func TestIntLiteral(t *testing.T) {
	tests := []struct {
		in      string
		literal bool // IsIntLiteral
		val     int64
		err     bool // ParseIntLiteral fails
	}{
		{"0", true, 0, false},
		{"-1", true, -1, false},
		{"42", true, 42, false},
		{"0x10", true, 16, false},
		{"0X1f", true, 31, false},
		{"-0x10", true, -16, false},
		{"0x7fffffff", true, math.MaxInt32, false},
		{"-2147483647", true, -math.MaxInt32, false},
		{"2147483647", true, math.MaxInt32, false},
		{"010", true, 8, false}, // strtol reads a leading 0 as octal
		{"00", true, 0, false},
		// Out of the literal range: the generator makes them expressions.
		{"2147483648", false, 2147483648, false},
		{"-2147483648", false, -2147483648, false},
		{"0xffffffff", false, 0xffffffff, false},
		{"0x80000000", false, 0x80000000, false},
		{"9223372036854775807", false, math.MaxInt64, false},
		{"-9223372036854775808", false, math.MinInt64, false},
		{"9223372036854775808", false, 0, true},
		{"0x10000000000000000", false, 0, true},
		// Not literals at all.
		{"08", false, 0, true},
		{"0x", false, 0, true},
		{"-", false, 0, true},
		{"", false, 0, true},
		{"+1", false, 0, true},
		{" 1", false, 0, true},
		{"1U", false, 0, true},
		{"1 ", false, 0, true},
		{"PSA_SUCCESS", false, 0, true},
		{"--1", false, 0, true},
	}
	for _, tt := range tests {
		if got := IsIntLiteral(tt.in); got != tt.literal {
			t.Errorf("IsIntLiteral(%q) = %v, want %v", tt.in, got, tt.literal)
		}
		got, err := ParseIntLiteral(tt.in)
		switch {
		case tt.err && err == nil:
			t.Errorf("ParseIntLiteral(%q) = %d, want an error", tt.in, got)
		case tt.err && !errors.Is(err, values.ErrInvalidArgument):
			t.Errorf("ParseIntLiteral(%q): %v does not wrap ErrInvalidArgument", tt.in, err)
		case !tt.err && err != nil:
			t.Errorf("ParseIntLiteral(%q): %v", tt.in, err)
		case !tt.err && got != tt.val:
			t.Errorf("ParseIntLiteral(%q) = %d, want %d", tt.in, got, tt.val)
		}
	}
}

func TestDecodeInt(t *testing.T) {
	env := testConfig{"PSA_ALG_SHA_256": 0x02000009}
	tests := []struct {
		in   string
		want int64
	}{
		{"-1", -1},
		{"0x10", 16},
		{"0xffffffff", 0xffffffff}, // unsigned int in C, so positive as intmax_t
		{"PSA_ALG_SHA_256", 0x02000009},
		{"48U + 1U", 49},
		{"4294967295ULL * 16 + 1", 4294967295*16 + 1},
	}
	for _, tt := range tests {
		got, err := DecodeInt(tt.in, env)
		if err != nil {
			t.Errorf("DecodeInt(%q): %v", tt.in, err)
		} else if got != tt.want {
			t.Errorf("DecodeInt(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
	if _, err := DecodeInt("PSA_ALG_NOPE", env); err == nil || !strings.Contains(err.Error(), "PSA_ALG_NOPE") {
		t.Errorf("DecodeInt(PSA_ALG_NOPE) error = %v, want one naming it", err)
	}
}
