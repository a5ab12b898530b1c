package datafile

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/gopsa/psa/internal/conformance/expr"
	"github.com/gopsa/psa/values"
)

// Dep is one entry of a dependency line: "MACRO", "!MACRO", or a
// preprocessor comparison "MACRO <op> VALUE" (possibly negated, "!MACRO <op>
// VALUE", meaning !(MACRO <op> VALUE)).
type Dep struct {
	Negated bool
	Symbol  string
	Op      string // "", "==", "!=", "<", "<=", ">" or ">="
	Value   string // the right side of a comparison, a C integer expression
}

// The generator's validation: an identifier with an optional '!', then an
// optional comparison with a value that starts with a word character, '|'
// or '(' and continues with word characters, white space, parentheses and
// arithmetic, bitwise and shift operator characters. Leading-zero integers
// are rejected separately, as possibly octal by accident.
var (
	depRegexp       = regexp.MustCompile(`(?i)^(!?[a-z_][a-z0-9_]*)(?:\s*([!=]=|[<>]=?)\s*([\w|\(][\s\w\(\)\+\-\*\/\^\|\&\~\<\>]*))?$`)
	ambiguousRegexp = regexp.MustCompile(`\b0[0-9]+`)
)

// ParseDep parses and validates one dependency, as written between the
// colons of a dependency line. Surrounding white space is ignored. The
// error wraps values.ErrInvalidArgument.
func ParseDep(s string) (Dep, error) {
	s = strings.TrimFunc(s, isPythonSpace)
	if m := ambiguousRegexp.FindString(s); m != "" {
		return Dep{}, fmt.Errorf("dependency %q: ambiguous integer literal %s: a leading 0 may be read as octal; write it in decimal or with 0x: %w", s, m, values.ErrInvalidArgument)
	}
	m := depRegexp.FindStringSubmatch(s)
	if m == nil {
		return Dep{}, fmt.Errorf("invalid dependency %q: want MACRO, !MACRO or MACRO <op> VALUE with <op> one of == != < <= > >=: %w", s, values.ErrInvalidArgument)
	}
	d := Dep{Symbol: m[1], Op: m[2], Value: m[3]}
	if strings.HasPrefix(d.Symbol, "!") {
		d.Negated, d.Symbol = true, d.Symbol[1:]
	}
	if d.Op != "" {
		if _, err := expr.Parse(d.condition()); err != nil {
			return Dep{}, fmt.Errorf("dependency %q: %w", s, err)
		}
	}
	return d, nil
}

// parseDeps parses a dependency list. seen caches the dependencies parsed
// so far in the file: a suite repeats a few hundred distinct ones tens of
// thousands of times.
func parseDeps(list string, seen map[string]Dep) ([]Dep, error) {
	parts := strings.Split(list, ":")
	deps := make([]Dep, 0, len(parts))
	for _, p := range parts {
		d, ok := seen[p]
		if !ok {
			var err error
			if d, err = ParseDep(p); err != nil {
				return nil, err
			}
			seen[p] = d
		}
		deps = append(deps, d)
	}
	return deps, nil
}

// String returns d as it would be written in a dependency line.
func (d Dep) String() string {
	s := d.Symbol
	if d.Op != "" {
		s = d.condition()
	}
	if d.Negated {
		return "!" + s
	}
	return s
}

// condition is the text the C framework puts after #if, without the
// negation.
func (d Dep) condition() string { return d.Symbol + " " + d.Op + " " + d.Value }

// Config describes the build configuration that dependencies are checked
// against: which macros are defined, and the values of those that
// comparisons use. Its methods must be safe for concurrent use if Holds is
// called concurrently.
type Config interface {
	// Defined reports whether a macro such as PSA_WANT_ALG_SHA_256 is
	// defined.
	Defined(symbol string) bool
	// Ident and Call give the values of the identifiers and function-like
	// macros of a comparison, such as PSA_VENDOR_RSA_MAX_KEY_BITS or
	// PSA_BITS_TO_BYTES(x).
	expr.Env
}

// Holds reports whether the dependency is met by cfg. "MACRO" holds when
// cfg defines MACRO, "!MACRO" when it does not. A comparison is evaluated
// as the C preprocessor evaluates "#if MACRO <op> VALUE": in intmax_t and
// uintmax_t arithmetic, with 0 for every identifier that cfg does not
// define. The error, if any, comes from evaluating the comparison (an
// unknown macro, a division by zero) and names the dependency.
func (d Dep) Holds(cfg Config) (bool, error) {
	if d.Op == "" {
		return cfg.Defined(d.Symbol) != d.Negated, nil
	}
	v, err := expr.EvalPreprocessor(d.condition(), cfg)
	if err != nil {
		return false, fmt.Errorf("dependency %s: %w", d, err)
	}
	return (v != 0) != d.Negated, nil
}
