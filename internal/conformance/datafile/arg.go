package datafile

import (
	"fmt"
	"math"
	"strings"

	"github.com/gopsa/psa/internal/conformance/expr"
	"github.com/gopsa/psa/values"
)

// unescape replaces "\n" with a newline and "\X" with X, as
// host_test.function does to every argument before it looks at its type.
func unescape(arg string) (string, error) {
	i := strings.IndexByte(arg, '\\')
	if i < 0 {
		return arg, nil
	}
	var b strings.Builder
	b.Grow(len(arg))
	b.WriteString(arg[:i])
	for ; i < len(arg); i++ {
		c := arg[i]
		if c == '\\' {
			i++
			if i == len(arg) {
				return "", fmt.Errorf("argument %q ends with a lone backslash: want \\ followed by the character it escapes: %w", arg, values.ErrInvalidArgument)
			}
			c = arg[i]
			if c == 'n' {
				c = '\n'
			}
		}
		b.WriteByte(c)
	}
	return b.String(), nil
}

// unquote unescapes arg and removes the double quotes that must enclose it.
// The quotes are checked after unescaping, as host_test.function does, so
// an escaped closing quote still counts as the closing quote.
func unquote(arg, kind string) (string, error) {
	s, err := unescape(arg)
	if err != nil {
		return "", err
	}
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", fmt.Errorf("%s argument %s is not quoted: want \"…\": %w", kind, arg, values.ErrInvalidArgument)
	}
	return s[1 : len(s)-1], nil
}

// DecodeString decodes an argument for a char * parameter: it must be
// enclosed in double quotes, which are removed, and "\n" becomes a newline
// and "\X" becomes X for any other X. The error wraps
// values.ErrInvalidArgument.
func DecodeString(arg string) (string, error) {
	return unquote(arg, "string")
}

// DecodeHex decodes an argument for a data_t * parameter: a quoted string
// of an even number of hexadecimal digits, in either case. "" is empty
// data (a non-nil empty slice). The error wraps values.ErrInvalidArgument.
func DecodeHex(arg string) ([]byte, error) {
	s, err := unquote(arg, "hex")
	if err != nil {
		return nil, err
	}
	if len(s)%2 != 0 {
		return nil, fmt.Errorf("hex argument of %d digits: want an even number of hex digits: %w", len(s), values.ErrInvalidArgument)
	}
	out := make([]byte, len(s)/2)
	for i := range out {
		hi, lo := hexValue(s[2*i]), hexValue(s[2*i+1])
		if hi > 15 || lo > 15 {
			j := 2 * i
			if hi <= 15 {
				j++
			}
			return nil, fmt.Errorf("hex argument: %q at offset %d is not a hex digit: want 0-9, a-f or A-F: %w", s[j], j, values.ErrInvalidArgument)
		}
		out[i] = hi<<4 | lo
	}
	return out, nil
}

func hexValue(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10
	}
	return 0xff
}

// IsIntLiteral reports whether the generator passes an integer argument
// literally: when it matches -?(\d+|0x[0-9a-f]+), ignoring case, and its
// magnitude is at most 0x7fffffff. Any other integer argument, such as
// 0xffffffff or PSA_ALG_SHA_256, is a C expression.
func IsIntLiteral(arg string) bool {
	if !matchesIntLiteral(arg) {
		return false
	}
	v, err := ParseIntLiteral(arg)
	return err == nil && v >= -math.MaxInt32 && v <= math.MaxInt32
}

func matchesIntLiteral(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
		for i := 0; i < len(s); i++ {
			if hexValue(s[i]) > 15 {
				return false
			}
		}
		return true
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseIntLiteral parses an integer literal as the C runtime does, with
// strtol(arg, &end, 0): an optional '-', then 0x or 0X and hexadecimal
// digits, or a leading 0 and octal digits, or decimal digits. The whole
// argument must be the number and its value must fit in a long. (The
// Python generator refuses decimal numbers with a leading zero; none occur
// in the suites, and strtol reads them as octal.) The error wraps
// values.ErrInvalidArgument.
func ParseIntLiteral(arg string) (int64, error) {
	s, neg := strings.CutPrefix(arg, "-")
	base := uint64(10)
	switch {
	case len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'):
		s, base = s[2:], 16
	case len(s) > 1 && s[0] == '0':
		s, base = s[1:], 8
	}
	if s == "" {
		return 0, fmt.Errorf("integer argument %q has no digits: %w", arg, values.ErrInvalidArgument)
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		d := uint64(hexValue(s[i]))
		if d >= base {
			return 0, fmt.Errorf("integer argument %q: %q is not a base-%d digit: %w", arg, s[i], base, values.ErrInvalidArgument)
		}
		if v > (math.MaxInt64+1-d)/base {
			return 0, fmt.Errorf("integer argument %q is out of the range of long: %w", arg, values.ErrInvalidArgument)
		}
		v = v*base + d
	}
	if neg {
		return -int64(v), nil // -(1<<63) wraps to itself, which is right
	}
	if v > math.MaxInt64 {
		return 0, fmt.Errorf("integer argument %q is out of the range of long: %w", arg, values.ErrInvalidArgument)
	}
	return int64(v), nil
}

// DecodeInt decodes an argument for an integer parameter: a literal (see
// [IsIntLiteral]) or else a C expression evaluated by env. The result is
// the intmax_t value of the C framework; the caller converts it to the
// parameter's type, for example with int32(v) for an int parameter.
func DecodeInt(arg string, env expr.Env) (int64, error) {
	if IsIntLiteral(arg) {
		return ParseIntLiteral(arg)
	}
	return expr.Eval(arg, env)
}
