package datafile

import (
	"errors"
	"strings"
	"testing"

	"github.com/gopsa/psa/values"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"Name\ndepends_on:A:!B\nfunc:1:\"00\":PSA_ALG_HMAC(PSA_ALG_SHA_256)\n",
		"N\nf:\"a\\:b\"::\n\nM\ndepends_on:X >= (2 * Y + 1)\ng\n",
		"## # skipped\n## N\n## f:1\n",
		"N\r\n\r\nf\r\n",
		"N\ndepends_on:X == 010\nf\n",
		"N\n:::\n",
		"N\nf:a\\",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		cases, err := Parse(strings.NewReader(in), "fuzz.data")
		if err != nil {
			if !errors.Is(err, values.ErrInvalidArgument) {
				t.Fatalf("error %v does not wrap ErrInvalidArgument", err)
			}
			return
		}
		for _, c := range cases {
			if c.Func == "" || c.Name == "" || strings.HasPrefix(c.Name, "#") {
				t.Fatalf("malformed case %+v", c)
			}
			for _, a := range c.Args {
				if a == "" {
					t.Fatalf("empty argument in %+v", c)
				}
				// The decoders must not panic on anything Parse returns.
				_, _ = DecodeHex(a)
				_, _ = DecodeString(a)
				_, _ = DecodeInt(a, testConfig{})
			}
			for _, d := range c.Deps {
				_, _ = d.Holds(testConfig{"A": 1})
			}
		}
	})
}
