package mbedtls

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gopsa/psa/internal/conformance/datafile"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/values"
)

func TestOpFailSame(t *testing.T) {
	tests := []struct {
		got, want values.Status
		same      bool
	}{
		{values.ErrInvalidArgument, values.ErrInvalidArgument, true},
		{values.ErrNotSupported, values.ErrInvalidArgument, true},
		{values.ErrInvalidArgument, values.ErrNotSupported, true},
		{values.ErrNotPermitted, values.ErrNotPermitted, true},
		{values.ErrNotPermitted, values.ErrInvalidArgument, false},
		{values.ErrInvalidArgument, values.ErrNotPermitted, false},
		{values.Success, values.ErrNotSupported, false},
		{values.ErrBadState, values.ErrNotSupported, false},
	}
	for _, tt := range tests {
		if got := opFailSame(tt.got, tt.want); got != tt.same {
			t.Errorf("opFailSame(%v, %v) = %v, want %v", tt.got, tt.want, got, tt.same)
		}
	}
}

// TestPAKESymbols checks that every error stage the PAKE data names has a
// value, and that the values are distinct.
func TestPAKESymbols(t *testing.T) {
	seen := map[int64]string{}
	for name, v := range pakeSymbols {
		if other, dup := seen[v]; dup {
			t.Errorf("%s and %s have the same value %d", name, other, v)
		}
		seen[v] = name
	}
	data, err := os.ReadFile(filepath.Join(suitesDir(t), "test_suite_psa_crypto_pake.data"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range regexp.MustCompile(`\bERR_[A-Z0-9_]+`).FindAllString(string(data), -1) {
		if _, ok := pakeSymbols[name]; !ok {
			t.Errorf("the PAKE data names %s, which pakeSymbols lacks", name)
		}
	}
}

// asymFuncs are the test functions this file's ports cover, by suite.
func asymFuncs(h *harness) map[string]bool {
	m := map[string]bool{}
	for _, ports := range []map[string]func(*suite.T, suite.Args){h.asymPorts(), h.opFailPorts()} {
		for k := range ports {
			m[k] = true
		}
	}
	return m
}

// runAsym runs the cases of the given data files whose names match
// filter, and returns the results of the functions in asymFuncs.
func runAsym(t *testing.T, files []string, filter *regexp.Regexp) []suite.Result {
	t.Helper()
	reg, err := NewRegistry(Options{KeyStore: "memory"})
	if err != nil {
		t.Fatal(err)
	}
	mine := asymFuncs(&harness{})
	r := &suite.Runner{Registry: reg, Config: NewConfig(), Filter: filter}
	results, err := r.Run(files)
	if err != nil {
		t.Fatal(err)
	}
	var out []suite.Result
	for _, res := range results {
		if mine[suite.SuiteName(res.File)+"."+res.Func] {
			out = append(out, res)
		}
	}
	return out
}

// TestAsymPortsRun runs the cases of the ported functions (the
// signature, encryption and agreement ones of test_suite_psa_crypto,
// selected by name, and all of op_fail and PAKE). It does not judge
// gopsa, which TestSuites does: it checks that each case decodes, runs
// its port to the end or to a check of the port, and is never left for a
// missing port. Known-answer functions must pass: their vectors check the
// ports themselves.
func TestAsymPortsRun(t *testing.T) {
	dir := suitesDir(t)
	var files []string
	for _, f := range []string{"test_suite_psa_crypto.data", "test_suite_psa_crypto_op_fail.misc.data",
		"test_suite_psa_crypto_op_fail.generated.data", "test_suite_psa_crypto_pake.data"} {
		files = append(files, filepath.Join(dir, f))
	}
	names := regexp.MustCompile(`(?i)sign|verify|asymmetric|agreement|signature|^PSA (hash|mac|cipher|aead|key_derivation|key_agreement)|PAKE`)
	if testing.Short() {
		files = files[1:2]
	}
	results := runAsym(t, files, names)
	if len(results) == 0 {
		t.Fatal("no case of the ported functions ran")
	}
	mustPass := map[string]bool{
		"sign_hash_deterministic": true, "sign_message_deterministic": true, "verify_hash": true,
		"verify_message": true, "signature_size": true, "asymmetric_decrypt": true,
		"key_agreement": true, "key_agreement_output": true, "key_agreement_capacity": true,
	}
	counts := map[suite.Outcome]int{}
	for _, res := range results {
		counts[res.Outcome]++
		switch {
		case res.Outcome == suite.Skip && res.Kind == suite.SkipNotYet:
			t.Errorf("%s: %s: left for a missing port: %s", res.Pos(), res.Func, res.Message)
		case res.Outcome == suite.Fail && (strings.HasPrefix(res.Message, "panic:") || !strings.Contains(res.Message, "(at ")):
			t.Errorf("%s: %s: the harness, not a check of the port, failed: %s", res.Pos(), res.Func, res.Message)
		case res.Outcome == suite.Fail && mustPass[res.Func]:
			t.Errorf("%s: %s: a known-answer case failed: %s", res.Pos(), res.Func, res.Message)
		}
	}
	t.Logf("%d cases: %d passed, %d failed, %d skipped", len(results), counts[suite.Pass], counts[suite.Fail], counts[suite.Skip])
}

// TestAsymPortsDetectMutants runs cases of the real data whose expected
// result was changed, and requires the ports to fail them: each port's
// check can fail.
func TestAsymPortsDetectMutants(t *testing.T) {
	dir := suitesDir(t)
	type mutant struct {
		file, fn string
		arg      int                 // the argument to change
		change   func(string) string // how
	}
	flipHex := func(s string) string { // flip the last hex digit
		b := []byte(s)
		i := len(b) - 2 // before the closing quote
		if b[i] == '0' {
			b[i] = '1'
		} else {
			b[i] = '0'
		}
		return string(b)
	}
	const crypto, opFail = "test_suite_psa_crypto.data", "test_suite_psa_crypto_op_fail.generated.data"
	mutants := []mutant{
		{crypto, "sign_hash_deterministic", 4, flipHex},
		{crypto, "sign_message_deterministic", 4, flipHex},
		{crypto, "verify_hash", 4, flipHex},
		{crypto, "verify_message", 4, flipHex},
		{crypto, "asymmetric_decrypt", 5, flipHex},
		{crypto, "key_agreement", 4, flipHex},
		{crypto, "key_agreement_output", 4, flipHex},
		{crypto, "signature_size", 3, func(s string) string { return s + "+1" }},
		{crypto, "key_agreement_capacity", 4, func(s string) string { return s + "+1" }},
		{crypto, "verify_hash_fail", 5, func(string) string { return "PSA_SUCCESS" }},
		{crypto, "asymmetric_encrypt", 5, func(s string) string { return s + "+1" }},
		{opFail, "hash_fail", 1, func(string) string { return "PSA_SUCCESS" }},
		{opFail, "sign_fail", 4, func(string) string { return "PSA_ERROR_NOT_PERMITTED" }},
		{opFail, "key_agreement_fail", 4, func(string) string { return "PSA_ERROR_BAD_STATE" }},
	}
	parsed := map[string][]datafile.Case{}
	var text strings.Builder
	var opText strings.Builder
	for _, m := range mutants {
		if parsed[m.file] == nil {
			cases, err := datafile.ParseFile(filepath.Join(dir, m.file))
			if err != nil {
				t.Fatal(err)
			}
			parsed[m.file] = cases
		}
		var c *datafile.Case
		for i := range parsed[m.file] {
			if parsed[m.file][i].Func == m.fn {
				c = &parsed[m.file][i]
				break
			}
		}
		if c == nil {
			t.Fatalf("no case of %s in %s", m.fn, m.file)
		}
		args := append([]string(nil), c.Args...)
		args[m.arg] = m.change(args[m.arg])
		w := &text
		if m.file == opFail {
			w = &opText
		}
		w.WriteString("mutant " + m.fn + "\n" + m.fn + ":" + strings.Join(args, ":") + "\n\n")
	}
	tmp := t.TempDir()
	files := []string{filepath.Join(tmp, "test_suite_psa_crypto.data"), filepath.Join(tmp, "test_suite_psa_crypto_op_fail.mutants.data")}
	for i, s := range []string{text.String(), opText.String()} {
		if err := os.WriteFile(files[i], []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	results := runAsym(t, files, nil)
	if len(results) != len(mutants) {
		t.Fatalf("%d results for %d mutants", len(results), len(mutants))
	}
	for _, res := range results {
		if res.Outcome != suite.Fail {
			t.Errorf("%s: a mutant of %s was not detected: %v %s", res.Pos(), res.Func, res.Outcome, res.Message)
		}
	}
}
