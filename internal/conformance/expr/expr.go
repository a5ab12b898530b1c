// Package expr parses and evaluates the C integer expressions that appear
// in the arguments and dependency conditions of TF-PSA-Crypto's .data test
// suites, such as PSA_ALG_HMAC(PSA_ALG_SHA_256),
// 255 * PSA_HASH_LENGTH(PSA_ALG_SHA_256) + 1 or
// PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_SIGN_HASH.
//
// The C test framework compiles each such argument into
// "intmax_t value = <expression>;" and each dependency comparison into
// "#if <condition>". This package reproduces both with C semantics on an
// LP64 target: integer literals in decimal, hexadecimal and octal with the
// suffixes U, L, UL, LL and ULL, identifiers, function-like macro calls with
// expression arguments, casts to the PSA integer types and to the C integer
// types, the unary operators - + ~ !, every binary operator from * to ||
// with C precedence and associativity, and ?:.
//
// [Expr.Eval] gives an argument's value: it evaluates with C's types (int,
// unsigned int, long, unsigned long) and usual arithmetic conversions, so
// that 48U + 1U and 0xffffffff are unsigned int, and 4294967295ULL * 64 is
// unsigned long, and returns the value converted to intmax_t. The caller
// truncates it to the parameter's width, as the C compiler does when it
// passes the intmax_t to an int or int64_t parameter.
// [Expr.EvalPreprocessor] gives a #if condition's value: every value is
// intmax_t or uintmax_t, an identifier that the environment reports as not
// defined is 0, and "defined X" is available.
//
// Identifiers and macros are resolved by an [Env]. Identifier values and
// macro results are taken to be of type long, the macro arguments are
// passed as intmax_t values: the PSA macros are functions of their
// arguments' values, not of their text.
package expr

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/gopsa/psa/values"
)

// Env resolves the names in an expression. Implementations must be safe
// for concurrent use if the same Env is used by concurrent evaluations.
type Env interface {
	// Ident returns the value of an object-like name such as
	// PSA_ALG_SHA_256 or a test suite's local enum constant.
	// It returns an error wrapping an *UnknownError for a name it does
	// not know.
	Ident(name string) (int64, error)
	// Call applies a function-like macro such as PSA_ALG_HMAC to the
	// values of its arguments. args is only valid during the call.
	// It returns an error wrapping an *UnknownError for a macro it does
	// not know.
	Call(name string, args []int64) (int64, error)
}

// Definer is implemented by an Env that knows which names are defined, as
// the C preprocessor does. [Expr.EvalPreprocessor] uses it for "defined X"
// and to give undefined identifiers the value 0.
type Definer interface {
	Defined(name string) bool
}

// UnknownError reports a name that an Env cannot resolve. It wraps
// values.ErrNotSupported, so that a test runner can turn a case that uses
// a mechanism gopsa does not know into a skip with this reason.
type UnknownError struct {
	Name  string
	Macro bool // Name is a function-like macro, not an identifier
}

func (e *UnknownError) Error() string {
	if e.Macro {
		return "unknown macro " + e.Name + "()"
	}
	return "unknown identifier " + e.Name
}

func (e *UnknownError) Unwrap() error { return values.ErrNotSupported }

// SyntaxError reports an expression that does not parse. It wraps
// values.ErrInvalidArgument.
type SyntaxError struct {
	Src string
	Pos int // byte offset in Src, 0-based
	Msg string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("expression %q: column %d: %s", e.Src, e.Pos+1, e.Msg)
}

func (e *SyntaxError) Unwrap() error { return values.ErrInvalidArgument }

// Expr is a parsed expression. It is immutable and safe for concurrent use.
type Expr struct {
	src  string
	root *node
}

// Parse parses a C integer expression. The error, if any, is a
// *SyntaxError that says where and what was expected.
func Parse(src string) (*Expr, error) {
	p := parser{src: src}
	root, err := p.parse()
	if err != nil {
		return nil, err
	}
	return &Expr{src: src, root: root}, nil
}

// String returns the source text of e.
func (e *Expr) String() string { return e.src }

// Eval evaluates e as the C framework evaluates an argument expression,
// "intmax_t value = e;", and returns that intmax_t. Errors name the
// unknown identifier or macro (wrapping the Env's error), or the division
// by zero or out-of-range shift; they wrap a values.Status.
func (e *Expr) Eval(env Env) (int64, error) {
	return e.eval(env, false)
}

// EvalPreprocessor evaluates e as a #if condition: in intmax_t and
// uintmax_t arithmetic, with "defined X" and, when env implements
// [Definer], the value 0 for identifiers it reports as undefined. Casts are
// not allowed, as in the C preprocessor.
func (e *Expr) EvalPreprocessor(env Env) (int64, error) {
	return e.eval(env, true)
}

func (e *Expr) eval(env Env, pp bool) (int64, error) {
	ev := evalPool.Get().(*evaluator)
	ev.env, ev.pp = env, pp
	if pp {
		ev.def, _ = env.(Definer)
	}
	v, err := ev.eval(e.root)
	ev.env, ev.def, ev.args = nil, nil, ev.args[:0]
	evalPool.Put(ev)
	if err != nil {
		return 0, fmt.Errorf("expression %q: %w", e.src, err)
	}
	return int64(v.bits), nil
}

// Names returns the identifiers and the function-like macros that e uses,
// each once, in order of first appearance.
func (e *Expr) Names() (idents, macros []string) {
	var walk func(n *node)
	walk = func(n *node) {
		switch n.op {
		case opIdent:
			idents = appendNew(idents, n.name)
		case opCall:
			macros = appendNew(macros, n.name)
		case opDefined:
			idents = appendNew(idents, n.name)
		}
		for _, k := range n.kids {
			walk(k)
		}
	}
	walk(e.root)
	return idents, macros
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// Eval parses src and evaluates it with [Expr.Eval]. Parsed expressions
// are cached by source text, so that evaluating the same argument of many
// test cases parses it once.
func Eval(src string, env Env) (int64, error) {
	e, err := cached(src)
	if err != nil {
		return 0, err
	}
	return e.Eval(env)
}

// EvalPreprocessor parses src and evaluates it with
// [Expr.EvalPreprocessor], with the same cache as [Eval].
func EvalPreprocessor(src string, env Env) (int64, error) {
	e, err := cached(src)
	if err != nil {
		return 0, err
	}
	return e.EvalPreprocessor(env)
}

// maxCached bounds the parse cache: the PSA suites have under a thousand
// distinct expressions, so the bound only matters for fuzzing or misuse.
const maxCached = 1 << 14

var (
	cache     sync.Map // string -> *Expr
	cacheSize atomic.Int64
)

func cached(src string) (*Expr, error) {
	if e, ok := cache.Load(src); ok {
		return e.(*Expr), nil
	}
	e, err := Parse(src)
	if err != nil {
		return nil, err
	}
	if cacheSize.Load() < maxCached {
		if _, loaded := cache.LoadOrStore(src, e); !loaded {
			cacheSize.Add(1)
		}
	}
	return e, nil
}
