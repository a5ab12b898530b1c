package many

import (
	"bytes"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/drivers/builtin"
	"github.com/gopsa/psa/internal/dispatch/dispatchtest"
	"github.com/gopsa/psa/values"
)

func TestGeneratedIsCurrent(t *testing.T) {
	dispatchtest.CheckGenerated(t, "gen.go", "internal/dispatch/dispatchtest/many")
}

var aes128 = values.Attributes{Type: values.KeyTypeAES, Bits: 128}

func newMany(t testing.TB) (*Dispatch, *dispatchtest.Journal) {
	j := new(dispatchtest.Journal)
	d, err := New(&dispatchtest.Synthetic{Core: dispatchtest.Core{Name: "synthetic", Journal: j}})
	if err != nil {
		t.Fatal(err)
	}
	return d, j
}

// TestPassesOver checks that the synthetic drivers' filters keep the
// benchmarked calls away from them, and that one they match is called.
func TestPassesOver(t *testing.T) {
	d, j := newMany(t)
	if got := d.Route("import_key", aes128, 0); got != "builtin" {
		t.Errorf("Route = %q, want builtin", got)
	}
	if _, _, err := d.ImportKey(aes128, make([]byte, 16), nil); err != nil {
		t.Fatal(err)
	}
	if calls := j.Calls(); len(calls) != 0 {
		t.Errorf("synthetic drivers called: %q", calls)
	}
	sized := aes128
	sized.Bits = 1049
	if got := d.Route("import_key", sized, 0); got != "synthetic49" {
		t.Errorf("Route for a 1049-bit key = %q, want synthetic49", got)
	}
}

// BenchmarkRouting measures routing through the 50 synthetic drivers to
// the builtin driver: Route alone, and import_key of an AES-128 key
// compared with the builtin driver called directly.
func BenchmarkRouting(b *testing.B) {
	d, _ := newMany(b)
	b.Run("route", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d.Route("import_key", aes128, 0)
		}
	})
	data := bytes.Repeat([]byte{0x2b}, 16)
	// With the size given: a size of 0 ("from the data") would make every
	// synthetic driver's size filter pass.
	attrs := aes128
	dst := make([]byte, 0, 64)
	b.Run("import_key/dispatch", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d.ImportKey(attrs, data, dst)
		}
	})
	drv := new(builtin.Driver)
	b.Run("import_key/direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			drv.ImportKey(attrs, data, dst)
		}
	})
	if direct, ok := any(drv).(driver.HashComputer); ok && d.Route("hash_compute", values.Attributes{}, values.AlgSHA256) == "builtin" {
		input := make([]byte, 64)
		b.Run("sha256_64/dispatch", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d.HashCompute(values.AlgSHA256, input, dst)
			}
		})
		b.Run("sha256_64/direct", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				direct.HashCompute(values.AlgSHA256, input, dst)
			}
		})
	}
}
