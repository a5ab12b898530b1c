// Package datafile reads the .data test suites of TF-PSA-Crypto (Mbed TLS's
// PSA crypto library) as the C test framework reads them.
//
// A .data file is a list of test cases. Each case is a name line, an
// optional dependency line and a function line:
//
//	PSA hash finish: SHA-1 Test Vector NIST CAVS #1
//	depends_on:PSA_WANT_ALG_SHA_1
//	hash_finish:PSA_ALG_SHA_1:"":"da39a3ee5e6b4b0d3255bfef95601890afd80709"
//
// [Parse] follows the framework's generate_test_code.py: lines are
// stripped of surrounding white space, lines that start with '#' are
// comments wherever they are, blank lines separate cases, "depends_on:" may
// appear anywhere in the dependency line, and the function line is split on
// ':' where a backslash escapes the next character and empty fields are
// dropped. Arguments are kept as written, backslashes included: what an
// argument means depends on the C type of the test function's parameter,
// which the caller knows. The decoders [DecodeHex], [DecodeString] and
// [DecodeInt] then interpret an argument as data_t *, char * or an integer
// type, as the framework's host_test.function does at run time.
//
// Two departures from the Python generator, both on input it accepts but
// that no suite contains: a second dependency line in one case is an error
// (the generator silently keeps the last one), and a dependency comparison
// whose right side is not a valid C expression is an error when the file is
// read (the C compiler would reject it later).
package datafile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gopsa/psa/values"
)

// Case is one test case of a .data file.
type Case struct {
	Name string // the name line, for reporting
	File string // the name given to Parse
	Line int    // line number of the name line, 1-based
	Deps []Dep  // the dependency line's entries, in order; nil if none
	Func string // test function name, without the C "test_" prefix
	// Args are the arguments as written: not unquoted, not unescaped, not
	// evaluated.
	Args []string
}

// Pos returns "file:line" of the case, for messages.
func (c *Case) Pos() string { return fmt.Sprintf("%s:%d", c.File, c.Line) }

// ParseFile reads the .data file at path. Cases name the file by its base
// name.
func ParseFile(path string) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read test data: %w", err)
	}
	defer f.Close()
	return Parse(f, filepath.Base(path))
}

// Parse reads a .data file from r. name is used in the cases' File field
// and in error messages, which have the form "name:line: what is wrong".
// A malformed file gives an error wrapping values.ErrInvalidArgument; a
// read error is returned wrapped as it is. Parse is safe for concurrent use.
func Parse(r io.Reader, name string) ([]Case, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	// One conversion: names and arguments are substrings of data.
	data := string(raw)
	var (
		cases   []Case
		cur     Case
		inCase  bool // a name line was read, the function line was not
		hasDeps bool
		lineNo  int
		seen    = map[string]Dep{}
	)
	errorf := func(format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s: %w", name, lineNo, fmt.Sprintf(format, args...), values.ErrInvalidArgument)
	}
	for len(data) > 0 {
		lineNo++
		line := data
		if i := strings.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = ""
		}
		if !utf8.ValidString(line) {
			return nil, errorf("line is not valid UTF-8")
		}
		line = strings.TrimFunc(line, isPythonSpace)
		switch {
		case strings.HasPrefix(line, "#"):
			continue
		case line == "":
			if inCase {
				return nil, errorf("blank line after test name %q (line %d): want a dependency line or the function line, without blank lines in between", cur.Name, cur.Line)
			}
			continue
		case !inCase:
			cur = Case{Name: line, File: name, Line: lineNo}
			inCase, hasDeps = true, false
			continue
		}
		if i := strings.Index(line, "depends_on:"); i >= 0 {
			if hasDeps {
				return nil, errorf("second dependency line in test %q: want one depends_on: line", cur.Name)
			}
			deps, err := parseDeps(line[i+len("depends_on:"):], seen)
			if err != nil {
				return nil, errorf("test %q: %v", cur.Name, err)
			}
			cur.Deps, hasDeps = deps, true
			continue
		}
		fields := splitFields(line)
		if len(fields) == 0 {
			return nil, errorf("test %q: function line %q has no function name: want function_name:arg1:arg2:...", cur.Name, line)
		}
		cur.Func, cur.Args = fields[0], fields[1:]
		cases = append(cases, cur)
		inCase = false
	}
	if inCase {
		return nil, errorf("test %q (line %d) has no function line: want function_name:arg1:arg2:... before the end of the file", cur.Name, cur.Line)
	}
	return cases, nil
}

// isPythonSpace reports whether Python's str.strip() removes r: Unicode
// white space and the ASCII separators U+001C to U+001F.
func isPythonSpace(r rune) bool {
	return unicode.IsSpace(r) || (0x1c <= r && r <= 0x1f)
}

// splitFields splits a function line on ':', except where a backslash
// escapes it, keeps the backslashes, and drops empty fields, as the
// generator's escaped_split does.
func splitFields(line string) []string {
	fields := make([]string, 0, strings.Count(line, ":")+1)
	start := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++ // the escaped byte, if any, is part of the field
		case ':':
			if i > start {
				fields = append(fields, line[start:i])
			}
			start = i + 1
		}
	}
	if start < len(line) {
		fields = append(fields, line[start:])
	}
	return fields
}
