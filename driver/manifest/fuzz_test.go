package manifest

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopsa/psa/values"
)

// FuzzParse checks that Parse never panics, that every error is an
// invalid-argument error, and that an accepted description can be queried.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.json")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data, "fuzz.json")
		if err != nil {
			if d != nil {
				t.Fatal("Parse returned a driver and an error")
			}
			if !errors.Is(err, values.ErrInvalidArgument) {
				t.Fatalf("error does not wrap ErrInvalidArgument: %v", err)
			}
			return
		}
		if d.Type != Transparent && d.Type != Opaque {
			t.Fatalf("accepted driver type %v", d.Type)
		}
		for _, c := range d.Capabilities {
			if len(c.CoveredEntryPoints()) == 0 {
				t.Fatalf("capabilities[%d] covers no entry point", c.Index)
			}
			for _, ep := range c.CoveredEntryPoints() {
				e, ok := LookupEntryPoint(ep)
				if !ok || !e.AllowedFor(d.Type) {
					t.Fatalf("capabilities[%d] covers %q, not allowed for %v", c.Index, ep, d.Type)
				}
				d.Match(ep, values.AlgECDSA(values.AlgSHA256), values.KeyTypeAES, 128)
			}
		}
		Select([]*Driver{d}, "sign_hash", Mechanism{Location: d.Location})
		if err := ValidateList([]*Driver{d, d}); err == nil {
			t.Fatal("ValidateList accepted a driver listed twice")
		}
	})
}

func FuzzParseList(f *testing.F) {
	f.Add([]byte(`["a.json", "b.json"]`))
	f.Add([]byte(`["a.json", "a.json", 3]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		names, err := ParseList(data, "list.json")
		if err != nil && !errors.Is(err, values.ErrInvalidArgument) {
			t.Fatalf("error does not wrap ErrInvalidArgument: %v", err)
		}
		if err != nil && names != nil {
			t.Fatal("ParseList returned names and an error")
		}
	})
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("testdata/valid/acme_accel.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data, "acme_accel.json"); err != nil {
			b.Fatal(err)
		}
	}
}
