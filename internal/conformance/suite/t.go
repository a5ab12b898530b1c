package suite

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// T is the state of one running case, given to its test function. As with
// testing.T, Fatalf and Skipf end the test function: they must be called
// from the goroutine that runs it.
type T struct {
	name     string
	step     int
	hasStep  bool
	cleanups []func()
	tmpDirs  []string
	helpers  map[string]bool // functions marked by Helper
}

// stop is what Fatalf and Skipf panic with; the runner recovers it.
type stop struct {
	outcome Outcome
	kind    SkipKind
	msg     string
}

// Name returns the name of the case.
func (t *T) Name() string { return t.name }

// Step records the progress of a test function in a loop, as the C
// framework's mbedtls_test_set_step does; a failure message includes it.
func (t *T) Step(n int) { t.step, t.hasStep = n, true }

// Fatalf fails the case with a message, and ends the test function. The
// message says where in the Go port the failure was detected.
func (t *T) Fatalf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if t.hasStep {
		msg = fmt.Sprintf("step %d: %s", t.step, msg)
	}
	panic(&stop{outcome: Fail, msg: msg + " (at " + t.callers() + ")"})
}

// Helper marks the calling function as an assertion helper, as
// testing.T.Helper does: failure locations skip it.
func (t *T) Helper() {
	pc, _, _, ok := runtime.Caller(1)
	if !ok {
		return
	}
	if t.helpers == nil {
		t.helpers = make(map[string]bool)
	}
	t.helpers[runtime.FuncForPC(pc).Name()] = true
}

// Skipf skips the case with a reason of the given kind, and ends the test
// function. A reason should not depend on the case's data, so that reports
// can group skips by reason.
func (t *T) Skipf(kind SkipKind, format string, args ...any) {
	panic(&stop{outcome: Skip, kind: kind, msg: fmt.Sprintf(format, args...)})
}

// Cleanup registers f to run when the test function ends, whatever its
// outcome, after the cleanups registered later.
func (t *T) Cleanup(f func()) { t.cleanups = append(t.cleanups, f) }

// TempDir returns a new empty directory, removed when the case ends.
func (t *T) TempDir() string {
	dir, err := os.MkdirTemp("", "gopsa-conformance-")
	if err != nil {
		t.Fatalf("create temporary directory: %v", err)
	}
	t.tmpDirs = append(t.tmpDirs, dir)
	return dir
}

// finish runs the cleanups and removes the temporary directories. A panic
// in a cleanup is returned as an error message.
func (t *T) finish() (msg string) {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		if m := t.runCleanup(t.cleanups[i]); m != "" && msg == "" {
			msg = m
		}
	}
	t.cleanups = nil
	for _, d := range t.tmpDirs {
		if err := os.RemoveAll(d); err != nil && msg == "" {
			msg = "remove temporary directory: " + err.Error()
		}
	}
	return msg
}

func (t *T) runCleanup(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			if s, ok := r.(*stop); ok {
				if s.outcome == Fail {
					msg = "cleanup: " + s.msg
				}
				return
			}
			msg = fmt.Sprintf("cleanup panicked: %v", r)
		}
	}()
	f()
	return ""
}

// callers describes where in the Go ports a failure was detected: the
// innermost two frames outside this package, the runtime and the helpers,
// such as "keys.go:120 < storage.go:88".
func (t *T) callers() string {
	var pcs [16]uintptr
	n := runtime.Callers(3, pcs[:])
	frames := runtime.CallersFrames(pcs[:n])
	var out []string
	for len(out) < 2 {
		fr, more := frames.Next()
		if fr.Function != "" && !strings.HasPrefix(fr.Function, "runtime.") &&
			!strings.Contains(fr.Function, "/conformance/suite.") && !t.helpers[fr.Function] {
			out = append(out, fmt.Sprintf("%s:%d", filepath.Base(fr.File), fr.Line))
		}
		if !more {
			break
		}
	}
	return strings.Join(out, " < ")
}
