package datafile

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/gopsa/psa/values"
)

func TestParseGrammar(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Case
	}{
		{
			name: "two-line case",
			in:   "Name\nfunc:1:2\n",
			want: []Case{{Name: "Name", Line: 1, Func: "func", Args: []string{"1", "2"}}},
		},
		{
			name: "three-line case with dependencies",
			in:   "Name: with colon and \"quotes\"\ndepends_on:A:!B\nfunc:\"00ff\"\n",
			want: []Case{{Name: `Name: with colon and "quotes"`, Line: 1,
				Deps: []Dep{{Symbol: "A"}, {Negated: true, Symbol: "B"}},
				Func: "func", Args: []string{`"00ff"`}}},
		},
		{
			name: "no arguments",
			in:   "N\nfunc\n",
			want: []Case{{Name: "N", Line: 1, Func: "func", Args: []string{}}},
		},
		{
			name: "escaped colon stays escaped in one field",
			in:   "N\nfunc:\"a\\:b\":x\\\\:y\n",
			want: []Case{{Name: "N", Line: 1, Func: "func", Args: []string{`"a\:b"`, `x\\`, "y"}}},
		},
		{
			name: "trailing and doubled colons give no empty fields",
			in:   "N\ngenerate_key:PSA_KEY_TYPE_AES:128::PSA_SUCCESS:\n",
			want: []Case{{Name: "N", Line: 1, Func: "generate_key", Args: []string{"PSA_KEY_TYPE_AES", "128", "PSA_SUCCESS"}}},
		},
		{
			name: "leading colon drops the empty function field",
			in:   "N\n:func:1\n",
			want: []Case{{Name: "N", Line: 1, Func: "func", Args: []string{"1"}}},
		},
		{
			name: "depends_on: inside the text of the dependency line",
			in:   "N\n# note\nsome text depends_on:X == 3\nfunc:1\n",
			want: []Case{{Name: "N", Line: 1, Deps: []Dep{{Symbol: "X", Op: "==", Value: "3"}}, Func: "func", Args: []string{"1"}}},
		},
		{
			name: "depends_on: in the name line is just the name",
			in:   "depends_on:X\nfunc:1\n",
			want: []Case{{Name: "depends_on:X", Line: 1, Func: "func", Args: []string{"1"}}},
		},
		{
			name: "comment lines inside a case and commented-out cases",
			in: "## # skipped because: not implemented\n## Old case\n## old_func:1\n\n" +
				"N\n# comment\ndepends_on:A\n   # indented comment\nfunc:1\n",
			want: []Case{{Name: "N", Line: 5, Deps: []Dep{{Symbol: "A"}}, Func: "func", Args: []string{"1"}}},
		},
		{
			name: "CRLF line ends and surrounding white space",
			in:   "  First \r\n\tdepends_on:A \r\nf:1:2 \r\n\r\nSecond\r\ng\r\n",
			want: []Case{
				{Name: "First", Line: 1, Deps: []Dep{{Symbol: "A"}}, Func: "f", Args: []string{"1", "2"}},
				{Name: "Second", Line: 5, Func: "g", Args: []string{}},
			},
		},
		{
			name: "white space inside arguments is kept",
			in:   "N\nf:255 * PSA_HASH_LENGTH(PSA_ALG_SHA_256) + 1:PSA_PAKE_PRIMITIVE(A, B, 256)\n",
			want: []Case{{Name: "N", Line: 1, Func: "f", Args: []string{"255 * PSA_HASH_LENGTH(PSA_ALG_SHA_256) + 1", "PSA_PAKE_PRIMITIVE(A, B, 256)"}}},
		},
		{
			name: "cases need no blank line between them",
			in:   "A\nf:1\nB\ndepends_on:X\ng:2",
			want: []Case{
				{Name: "A", Line: 1, Func: "f", Args: []string{"1"}},
				{Name: "B", Line: 3, Deps: []Dep{{Symbol: "X"}}, Func: "g", Args: []string{"2"}},
			},
		},
		{
			name: "dependency white space and comparisons",
			in:   "N\ndepends_on: A : !B :SIZE_MAX>=0xffffffffffffffff: !C != 2\nf\n",
			want: []Case{{Name: "N", Line: 1, Deps: []Dep{
				{Symbol: "A"}, {Negated: true, Symbol: "B"},
				{Symbol: "SIZE_MAX", Op: ">=", Value: "0xffffffffffffffff"},
				{Negated: true, Symbol: "C", Op: "!=", Value: "2"},
			}, Func: "f", Args: []string{}}},
		},
		{
			name: "empty and comment-only files",
			in:   "\n\n# only a comment\n   \n",
		},
		{
			name: "trailing backslash is kept",
			in:   "N\nf:a\\\n",
			want: []Case{{Name: "N", Line: 1, Func: "f", Args: []string{`a\`}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in), "t.data")
			if err != nil {
				t.Fatal(err)
			}
			for i := range tt.want {
				tt.want[i].File = "t.data"
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d cases %+v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				g, w := got[i], tt.want[i]
				if len(g.Args) == 0 && len(w.Args) == 0 {
					g.Args, w.Args = nil, nil
				}
				if !reflect.DeepEqual(g, w) {
					t.Errorf("case %d:\n got %+v\nwant %+v", i, g, w)
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"blank line between name and function", "N\n\nf:1\n", "t.data:2: blank line after test name \"N\""},
		{"blank line between dependencies and function", "N\ndepends_on:A\n\nf:1\n", "t.data:3: blank line after test name"},
		{"case without function line", "N\ndepends_on:A\n", "t.data:2: test \"N\" (line 1) has no function line"},
		{"name at end of file", "A\nf\n\nB", "t.data:4: test \"B\" (line 4) has no function line"},
		{"function line of colons only", "N\n:::\n", "t.data:2: test \"N\": function line \":::\" has no function name"},
		{"second dependency line", "N\ndepends_on:A\ndepends_on:B\nf\n", "t.data:3: second dependency line"},
		{"empty dependency", "N\ndepends_on:A::B\nf\n", "t.data:2: test \"N\": invalid dependency \"\""},
		{"empty dependency list", "N\ndepends_on:\nf\n", "invalid dependency \"\""},
		{"ambiguous octal", "N\ndepends_on:X == 010\nf\n", "ambiguous integer literal 010"},
		{"bad comparison operator", "N\ndepends_on:X = 1\nf\n", "invalid dependency \"X = 1\""},
		{"bad symbol", "N\ndepends_on:1X\nf\n", "invalid dependency \"1X\""},
		{"double negation", "N\ndepends_on:!!X\nf\n", "invalid dependency"},
		{"comparison value not an expression", "N\ndepends_on:X == (1\nf\n", "dependency \"X == (1\": expression \"X == (1\": column 8: expected \")\""},
		{"invalid UTF-8", "N\nf:\xff\n", "t.data:2: line is not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.in), "t.data")
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
			if !errors.Is(err, values.ErrInvalidArgument) {
				t.Errorf("error %q does not wrap ErrInvalidArgument", err)
			}
		})
	}
}

func TestSplitFieldsMatchesGenerator(t *testing.T) {
	// Each input is followed by the fields of the Python generator's
	// escaped_split: re.sub(r'(\\.)|:', ...) and dropping empty fields.
	tests := []struct {
		in   string
		want []string
	}{
		{`a:b:c`, []string{"a", "b", "c"}},
		{`a\:b:c`, []string{`a\:b`, "c"}},
		{`a\\:b`, []string{`a\\`, "b"}},
		{`a\\\:b`, []string{`a\\\:b`}},
		{`::a::`, []string{"a"}},
		{`a\`, []string{`a\`}},
		{`\:`, []string{`\:`}},
		{`é\é:ü`, []string{`é\é`, "ü"}},
		{``, nil},
	}
	for _, tt := range tests {
		if got := splitFields(tt.in); len(got) != len(tt.want) || (len(got) > 0 && !reflect.DeepEqual(got, tt.want)) {
			t.Errorf("splitFields(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
