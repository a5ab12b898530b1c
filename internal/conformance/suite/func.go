package suite

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gopsa/psa/internal/conformance/datafile"
	"github.com/gopsa/psa/internal/conformance/expr"
	"github.com/gopsa/psa/values"
)

// Class says what a test function tests, as FUNCTIONS.md of the test data
// classifies it. It decides the skip kind of a function that has no Go port.
type Class uint8

const (
	// Core functions test the PSA Crypto API itself. Without a port, their
	// cases are SkipNotYet.
	Core Class = iota
	// Ext functions test a public Mbed TLS extension of the API (the
	// interruptible operations, psa_util). Without a port, their cases
	// are SkipExtension.
	Ext
	// Internal functions test Mbed TLS internals (its drivers, memory
	// management, ITS backend, entropy configuration). Without a port,
	// their cases are SkipCOnly.
	Internal
)

func (c Class) String() string {
	switch c {
	case Core:
		return "CORE"
	case Ext:
		return "EXT"
	case Internal:
		return "INTERNAL"
	}
	return fmt.Sprintf("Class(%d)", uint8(c))
}

// Parameter kinds, one letter per C parameter in Func.Params.
const (
	ParamInt    = 'i' // int, psa_status_t and the other int-sized types: int32
	ParamInt64  = 'I' // int64_t
	ParamHex    = 'h' // data_t *
	ParamString = 's' // char *
)

// Func is one test function of a .function file.
type Func struct {
	Name string // without the C "test_" prefix
	// Params has one letter per C parameter: ParamInt, ParamInt64, ParamHex
	// or ParamString.
	Params string
	Class  Class
	// Deps are the function's own dependencies (BEGIN_CASE depends_on:).
	Deps []string
	// Note says what an Ext or Internal function tests; it is the skip
	// reason of its cases while Run is nil.
	Note string
	// Run is the Go port, nil if there is none yet. It reports through t;
	// returning normally is a pass.
	Run func(t *T, a Args)

	deps []datafile.Dep // Deps, parsed by NewRegistry
}

// Suite is the Go side of one .function file.
type Suite struct {
	// Name is the .function file's name without "test_suite_" and
	// ".function", such as "psa_crypto_storage_format". Every .data file
	// whose name starts with test_suite_<Name>. or is
	// test_suite_<Name>.data belongs to it.
	Name string
	// Deps are the suite-wide dependencies (BEGIN_DEPENDENCIES).
	Deps []string
	// Env resolves the names in the arguments: PSA names, the suite's own
	// #define and enum symbols, vendor limits.
	Env expr.Env
	// Funcs are the test functions, by name.
	Funcs map[string]*Func

	deps []datafile.Dep // Deps, parsed by NewRegistry
}

// Registry holds the suites a Runner knows.
type Registry struct {
	suites map[string]*Suite
}

// NewRegistry returns a registry of suites. It checks each function's
// parameter list and dependencies, and fails with an error wrapping
// values.ErrInvalidArgument on the first mistake.
func NewRegistry(suites ...*Suite) (*Registry, error) {
	r := &Registry{suites: make(map[string]*Suite, len(suites))}
	for _, s := range suites {
		if _, dup := r.suites[s.Name]; dup {
			return nil, fmt.Errorf("suite %s registered twice: %w", s.Name, values.ErrInvalidArgument)
		}
		if s.Env == nil {
			return nil, fmt.Errorf("suite %s has no environment for its arguments: %w", s.Name, values.ErrInvalidArgument)
		}
		var err error
		if s.deps, err = parseDeps(s.Deps); err != nil {
			return nil, fmt.Errorf("suite %s: %w", s.Name, err)
		}
		for name, f := range s.Funcs {
			if f.Name != name {
				return nil, fmt.Errorf("suite %s: function %s registered as %s: %w", s.Name, f.Name, name, values.ErrInvalidArgument)
			}
			if f.deps, err = parseDeps(f.Deps); err != nil {
				return nil, fmt.Errorf("suite %s, function %s: %w", s.Name, f.Name, err)
			}
			for i, k := range f.Params {
				switch k {
				case ParamInt, ParamInt64, ParamHex, ParamString:
				default:
					return nil, fmt.Errorf("suite %s, function %s: parameter %d has kind %q (want one of i, I, h, s): %w",
						s.Name, f.Name, i+1, k, values.ErrInvalidArgument)
				}
			}
		}
		r.suites[s.Name] = s
	}
	return r, nil
}

func parseDeps(list []string) ([]datafile.Dep, error) {
	deps := make([]datafile.Dep, len(list))
	for i, s := range list {
		var err error
		if deps[i], err = datafile.ParseDep(s); err != nil {
			return nil, err
		}
	}
	return deps, nil
}

// Suite returns the suite named name, or nil.
func (r *Registry) Suite(name string) *Suite { return r.suites[name] }

// Suites returns the suites in the order of their names.
func (r *Registry) Suites() []*Suite {
	out := make([]*Suite, 0, len(r.suites))
	for _, s := range r.suites {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// SuiteName returns the name of the suite a .data file belongs to: the base
// name without "test_suite_", and without everything from the first '.'
// on, as the C build pairs test_suite_psa_crypto_op_fail.generated.data
// with test_suite_psa_crypto_op_fail.function.
func SuiteName(dataFile string) string {
	base := strings.TrimPrefix(filepath.Base(dataFile), "test_suite_")
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	return base
}

// Arg is one decoded argument of a case.
type Arg struct {
	Int   int64  // for ParamInt (already truncated to int32) and ParamInt64
	Bytes []byte // for ParamHex
	Str   string // for ParamString
	kind  byte
}

// Args are a case's decoded arguments, in parameter order. The accessors
// panic if the parameter has another kind, which the runner reports as a
// failure of the case: the Go port disagrees with its signature.
type Args []Arg

// Int returns integer argument i (0-based) as an int.
func (a Args) Int(i int) int { return int(a.arg(i, ParamInt, ParamInt64).Int) }

// Int64 returns integer argument i as an int64.
func (a Args) Int64(i int) int64 { return a.arg(i, ParamInt, ParamInt64).Int }

// Uint32 returns integer argument i converted to uint32, as C converts an
// int argument to psa_algorithm_t and the other unsigned PSA types.
func (a Args) Uint32(i int) uint32 { return uint32(a.arg(i, ParamInt, ParamInt64).Int) }

// Bytes returns data argument i. The slice is the case's own: a test
// function may keep it but should not modify it.
func (a Args) Bytes(i int) []byte { return a.arg(i, ParamHex).Bytes }

// String returns string argument i.
func (a Args) String(i int) string { return a.arg(i, ParamString).Str }

func (a Args) arg(i int, kinds ...byte) *Arg {
	if i < 0 || i >= len(a) {
		panic(fmt.Sprintf("suite: argument %d requested, the case has %d", i, len(a)))
	}
	for _, k := range kinds {
		if a[i].kind == k {
			return &a[i]
		}
	}
	panic(fmt.Sprintf("suite: argument %d has kind %q, requested as %q", i, a[i].kind, kinds))
}

// decodeArgs decodes the arguments of c by the parameter kinds of f.
func decodeArgs(f *Func, env expr.Env, raw []string) (Args, error) {
	args := make(Args, len(raw))
	for i, s := range raw {
		k := f.Params[i]
		args[i].kind = k
		var err error
		switch k {
		case ParamInt, ParamInt64:
			var v int64
			v, err = datafile.DecodeInt(s, env)
			if k == ParamInt {
				v = int64(int32(v)) // the C compiler's conversion of intmax_t to int
			}
			args[i].Int = v
		case ParamHex:
			args[i].Bytes, err = datafile.DecodeHex(s)
		case ParamString:
			args[i].Str, err = datafile.DecodeString(s)
		}
		if err != nil {
			return nil, fmt.Errorf("argument %d (%s): %w", i+1, s, err)
		}
	}
	return args, nil
}
