package suite

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gopsa/psa/internal/conformance/expr"
)

// fakeConfig defines the symbols of its map; undefined symbols are
// unimplemented mechanisms.
type fakeConfig map[string]bool

func (c fakeConfig) Defined(s string) bool                   { return c[s] }
func (c fakeConfig) Ident(name string) (int64, error)        { return expr.PSA.Ident(name) }
func (c fakeConfig) Call(n string, a []int64) (int64, error) { return expr.PSA.Call(n, a) }
func (c fakeConfig) Explain(s string, want bool) (SkipKind, string) {
	if want {
		return SkipNotImplemented, "no " + s
	}
	return SkipDependency, "have " + s
}

const testData = `
pass
check_args:PSA_ALG_SHA_256:0xffffffff:"0a0b":"a\:b"

fail
check_args:1:2:"":"x"

needs a mechanism
depends_on:PSA_WANT_ALG_MD5
check_args:1:2:"":"x"

refuses a mechanism
depends_on:!PSA_WANT_ALG_SHA_256:PSA_WANT_ALG_MD5
check_args:1:2:"":"x"

false comparison
depends_on:PSA_VENDOR_LIMIT >= 4096
check_args:1:2:"":"x"

not ported
not_ported:1

extension
ext_func:1

panics
panics:

wrong arity
check_args:1

unknown function
nobody:1

unknown name
check_args:PSA_ALG_NO_SUCH_THING:2:"":"x"

skips itself
skips:
`

func testRegistry(t *testing.T) *Registry {
	t.Helper()
	s := &Suite{
		Name: "fake",
		Env:  expr.PSA,
		Funcs: map[string]*Func{
			"check_args": {Name: "check_args", Params: "iIhs", Run: func(t *T, a Args) {
				if a.Uint32(0) != 0x02000009 {
					t.Fatalf("argument 0 is %#x, want PSA_ALG_SHA_256", a.Uint32(0))
				}
				// An int64_t parameter keeps 0xffffffff; an int one would
				// truncate it to -1 (see TestDecodeTruncates).
				if a.Int64(1) != 0xffffffff {
					t.Fatalf("argument 1 is %d", a.Int(1))
				}
				if !bytes.Equal(a.Bytes(2), []byte{10, 11}) || a.String(3) != "a:b" {
					t.Fatalf("arguments 2, 3 are %x, %q", a.Bytes(2), a.String(3))
				}
			}},
			"not_ported": {Name: "not_ported", Params: "i"},
			"ext_func":   {Name: "ext_func", Params: "i", Class: Ext, Note: "an extension"},
			"panics":     {Name: "panics", Run: func(*T, Args) { panic("out of order") }},
			"skips":      {Name: "skips", Run: func(t *T, _ Args) { t.Skipf(SkipCOnly, "C only") }},
		},
	}
	r, err := NewRegistry(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRunner(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "test_suite_fake.extra.data")
	if err := os.WriteFile(path, []byte(testData), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &Runner{Registry: testRegistry(t), Config: fakeConfig{"PSA_WANT_ALG_SHA_256": true}}
	results, err := r.Run([]string{path})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name    string
		outcome Outcome
		kind    SkipKind
		msg     string // a substring of the message
	}{
		{"pass", Pass, 0, ""},
		{"fail", Fail, 0, "argument 0 is 0x1"},
		{"needs a mechanism", Skip, SkipNotImplemented, "PSA_WANT_ALG_MD5: no PSA_WANT_ALG_MD5"},
		{"refuses a mechanism", Skip, SkipNotImplemented, "have PSA_WANT_ALG_SHA_256"},
		{"false comparison", Skip, SkipDependency, "PSA_VENDOR_LIMIT >= 4096 does not hold"},
		{"not ported", Skip, SkipNotYet, "test function not_ported not implemented yet"},
		{"extension", Skip, SkipExtension, "an extension"},
		{"panics", Fail, 0, "panic: out of order"},
		{"wrong arity", Fail, 0, "takes 4 arguments (iIhs), the case gives 1"},
		{"unknown function", Fail, 0, "not in the table"},
		{"unknown name", Skip, SkipNotImplemented, "PSA_ALG_NO_SUCH_THING"},
		{"skips itself", Skip, SkipCOnly, "C only"},
	}
	if len(results) != len(want) {
		t.Fatalf("%d results, want %d", len(results), len(want))
	}
	for i, w := range want {
		got := results[i]
		if got.Name != w.name || got.Outcome != w.outcome || got.Kind != w.kind || !strings.Contains(got.Message, w.msg) {
			t.Errorf("case %q: got %v/%v %q, want %v/%v containing %q", got.Name, got.Outcome, got.Kind, got.Message, w.outcome, w.kind, w.msg)
		}
		if got.File != "test_suite_fake.extra.data" || got.Line == 0 {
			t.Errorf("case %q at %s", got.Name, got.Pos())
		}
	}

	r.Filter = regexp.MustCompile("^pa")
	results, err = r.Run([]string{path})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 || results[0].Name != "pass" || results[1].Name != "panics" {
		t.Errorf("-run ^pa selected %d cases: %+v", len(results), results)
	}
}

func TestRegistryRejectsBadTables(t *testing.T) {
	for _, s := range []*Suite{
		{Name: "x", Env: expr.PSA, Funcs: map[string]*Func{"f": {Name: "f", Params: "q"}}},
		{Name: "x", Env: expr.PSA, Funcs: map[string]*Func{"f": {Name: "g"}}},
		{Name: "x", Env: expr.PSA, Deps: []string{"A B"}},
		{Name: "x"},
	} {
		if _, err := NewRegistry(s); err == nil {
			t.Errorf("NewRegistry accepted %+v", s)
		}
	}
}

func TestSuiteName(t *testing.T) {
	for in, want := range map[string]string{
		"test_suite_psa_crypto.data":                           "psa_crypto",
		"dir/test_suite_psa_crypto.pbkdf2.data":                "psa_crypto",
		"test_suite_psa_crypto_op_fail.generated.data":         "psa_crypto_op_fail",
		"/x/test_suite_psa_crypto_storage_format.current.data": "psa_crypto_storage_format",
	} {
		if got := SuiteName(in); got != want {
			t.Errorf("SuiteName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReports(t *testing.T) {
	results := []Result{
		{File: "test_suite_a.data", Line: 1, Name: "one", Func: "f", Outcome: Pass},
		{File: "test_suite_a.data", Line: 4, Name: "two", Func: "f", Outcome: Fail, Message: "boom\nstack"},
		{File: "test_suite_a.data", Line: 7, Name: "three", Func: "g", Outcome: Skip, Kind: SkipNotYet, Message: "later"},
		{File: "test_suite_a.data", Line: 9, Name: "four", Func: "g", Outcome: Skip, Kind: SkipNotYet, Message: "later"},
	}
	var b bytes.Buffer
	if err := WriteTable(&b, results); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(b.String(), "1 passed, 1 failed, 2 skipped\n") {
		t.Errorf("table does not end with the totals:\n%s", b.String())
	}
	b.Reset()
	if err := WriteJSON(&b, results); err != nil {
		t.Fatal(err)
	}
	var back []map[string]any
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back[2]["outcome"] != "skip" || back[2]["skip_kind"] != "test function not implemented yet" {
		t.Errorf("JSON of a skip: %v", back[2])
	}
	b.Reset()
	if err := WriteMarkdown(&b, results, MarkdownOptions{Title: "T"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| a | `f` | 1 | 1 | 0 |", "| 2 | later |", "### test function not implemented yet (2 cases)", "boom"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("Markdown report lacks %q:\n%s", want, b.String())
		}
	}
	if got := SkipReasons(results); len(got) != 1 || got[0].Count != 2 {
		t.Errorf("SkipReasons = %+v", got)
	}
}

func TestDecodeTruncates(t *testing.T) {
	f := &Func{Name: "f", Params: "iI"}
	args, err := decodeArgs(f, expr.PSA, []string{"0xffffffff", "0xffffffff"})
	if err != nil {
		t.Fatal(err)
	}
	if args.Int(0) != -1 || args.Uint32(0) != 0xffffffff || args.Int64(1) != 0xffffffff {
		t.Errorf("int gives %d (%#x), int64_t gives %d", args.Int(0), args.Uint32(0), args.Int64(1))
	}
	if _, err := decodeArgs(&Func{Name: "f", Params: "h"}, expr.PSA, []string{`"abc"`}); err == nil {
		t.Error("odd-length hex accepted")
	}
}
