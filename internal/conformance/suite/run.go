package suite

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gopsa/psa/internal/conformance/datafile"
	"github.com/gopsa/psa/internal/conformance/expr"
)

// Config is the build configuration that dependencies are checked
// against, and explains the symbols it does not define.
type Config interface {
	datafile.Config
	// Explain returns the skip kind and the reason for a case that needs
	// symbol to be defined (want true) or not defined (want false), when
	// the configuration says otherwise. It is only called for such a
	// mismatch.
	Explain(symbol string, want bool) (SkipKind, string)
}

// Runner runs the cases of .data files. Its fields must not change while
// it runs; one Runner may run several files concurrently.
type Runner struct {
	Registry *Registry
	Config   Config
	// Filter selects the cases to run by name; nil selects all.
	// Unselected cases are left out of the results.
	Filter *regexp.Regexp
	// Parallel is the number of cases run at once; 0 means GOMAXPROCS.
	Parallel int
}

// DataFiles returns the test_suite_*.data files of dir, sorted by name.
func DataFiles(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "test_suite_*.data"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		if _, err := os.Stat(dir); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%s: no test_suite_*.data files", dir)
	}
	sort.Strings(files)
	return files, nil
}

// job is a case to run, with what the runner resolved for it.
type job struct {
	c     *datafile.Case
	suite *Suite
	res   *Result
}

// Run runs the cases of the .data files at paths and returns their
// results, file by file in the order given, case by case in file order.
// The error reports a file that cannot be read or parsed; no case has run
// then.
func (r *Runner) Run(paths []string) ([]Result, error) {
	var jobs []job
	for _, p := range paths {
		cases, err := datafile.ParseFile(p)
		if err != nil {
			return nil, err
		}
		s := r.Registry.Suite(SuiteName(p))
		for i := range cases {
			c := &cases[i]
			if r.Filter != nil && !r.Filter.MatchString(c.Name) {
				continue
			}
			jobs = append(jobs, job{c: c, suite: s})
		}
	}
	results := make([]Result, len(jobs))
	for i := range jobs {
		jobs[i].res = &results[i]
	}
	n := r.Parallel
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	next := make(chan *job)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				*j.res = r.runCase(j.suite, j.c)
			}
		}()
	}
	for i := range jobs {
		next <- &jobs[i]
	}
	close(next)
	wg.Wait()
	return results, nil
}

// runCase runs one case; s is nil if no suite is registered for its file.
func (r *Runner) runCase(s *Suite, c *datafile.Case) Result {
	start := time.Now()
	res := Result{File: c.File, Line: c.Line, Name: c.Name, Func: c.Func}
	done := func(o Outcome, k SkipKind, format string, args ...any) Result {
		res.Outcome, res.Kind, res.Message = o, k, fmt.Sprintf(format, args...)
		res.Elapsed = time.Since(start)
		return res
	}
	if s == nil {
		return done(Fail, 0, "no suite %s is registered for this file", SuiteName(c.File))
	}
	f := s.Funcs[c.Func]
	if f == nil {
		return done(Fail, 0, "test function %s is not in the table of suite %s", c.Func, s.Name)
	}
	if len(c.Args) != len(f.Params) {
		return done(Fail, 0, "test function %s takes %d arguments (%s), the case gives %d", c.Func, len(f.Params), f.Params, len(c.Args))
	}
	if kind, why, err := r.checkDeps(s, f, c); err != nil {
		return done(Fail, 0, "%v", err)
	} else if why != "" {
		return done(Skip, kind, "%s", why)
	}
	if f.Run == nil {
		switch f.Class {
		case Ext:
			return done(Skip, SkipExtension, "%s: %s", c.Func, f.Note)
		case Internal:
			return done(Skip, SkipCOnly, "%s: %s", c.Func, f.Note)
		}
		return done(Skip, SkipNotYet, "test function %s not implemented yet", c.Func)
	}
	args, err := decodeArgs(f, s.Env, c.Args)
	if err != nil {
		var unknown *expr.UnknownError
		if errors.As(err, &unknown) {
			return done(Skip, SkipNotImplemented, "the case uses %s, which gopsa does not define", unknown.Name)
		}
		return done(Fail, 0, "%v", err)
	}
	o, k, msg := run(f, c.Name, args)
	return done(o, k, "%s", msg)
}

// checkDeps checks the suite's, the function's and the case's
// dependencies. It returns the reason of the first unmet one (by skip kind
// priority: a missing mechanism is the most informative, then C-only
// concerns, then other dependencies), with the other unmet ones appended.
func (r *Runner) checkDeps(s *Suite, f *Func, c *datafile.Case) (SkipKind, string, error) {
	var kinds []SkipKind
	var whys []string
	check := func(d datafile.Dep) error {
		ok, err := d.Holds(r.Config)
		if err != nil {
			return fmt.Errorf("dependency %s: %w", d, err)
		}
		if ok {
			return nil
		}
		if d.Op != "" {
			kinds = append(kinds, SkipDependency)
			whys = append(whys, fmt.Sprintf("%s does not hold for gopsa", d))
			return nil
		}
		k, why := r.Config.Explain(d.Symbol, !d.Negated)
		kinds = append(kinds, k)
		whys = append(whys, d.String()+": "+why)
		return nil
	}
	for _, list := range [][]datafile.Dep{s.deps, f.deps, c.Deps} {
		for _, d := range list {
			if err := check(d); err != nil {
				return 0, "", err
			}
		}
	}
	if len(whys) == 0 {
		return 0, "", nil
	}
	best := 0
	for i, k := range kinds {
		if rank(k) < rank(kinds[best]) {
			best = i
		}
	}
	why := whys[best]
	for i, w := range whys {
		if i != best {
			why += "; " + w
		}
	}
	return kinds[best], why, nil
}

func rank(k SkipKind) int {
	for i, kk := range SkipKinds {
		if kk == k {
			return i
		}
	}
	return len(SkipKinds)
}

// run runs a test function and turns its end into an outcome.
func run(f *Func, name string, args Args) (o Outcome, k SkipKind, msg string) {
	t := &T{name: name}
	defer func() {
		if m := t.finish(); m != "" && o != Fail {
			o, k, msg = Fail, 0, m
		}
	}()
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if s, ok := r.(*stop); ok {
			o, k, msg = s.outcome, s.kind, s.msg
			return
		}
		o, k, msg = Fail, 0, fmt.Sprintf("panic: %v\n%s", r, panicStack())
	}()
	f.Run(t, args)
	return Pass, 0, ""
}

// panicStack returns the goroutine's stack from the panicking frame on,
// without the runner's and the runtime's frames above it.
func panicStack() string {
	lines := strings.Split(string(debug.Stack()), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "panic(") {
			lines = lines[i:]
			break
		}
	}
	if len(lines) > 21 {
		lines = lines[:21]
	}
	return strings.Join(lines, "\n")
}
