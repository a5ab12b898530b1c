package dispatch

import (
	"bytes"
	"errors"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/drivers/builtin"
	"github.com/gopsa/psa/internal/dispatch/dispatchtest"
	"github.com/gopsa/psa/values"
)

func TestGeneratedIsCurrent(t *testing.T) {
	dispatchtest.CheckGenerated(t, "gen.go", "internal/dispatch")
}

var aes128 = values.Attributes{Type: values.KeyTypeAES, Bits: 128}

// TestBuiltin checks that the default build reaches the builtin driver and
// refuses what no driver of the build declares.
func TestBuiltin(t *testing.T) {
	d, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Route("import_key", aes128, 0); got != "builtin" {
		t.Errorf(`Route("import_key", AES) = %q, want "builtin"`, got)
	}
	data := bytes.Repeat([]byte{0x2b}, 16)
	key, bits, err := d.ImportKey(values.Attributes{Type: values.KeyTypeAES}, data, nil)
	if err != nil || bits != 128 || !bytes.Equal(key, data) {
		t.Errorf("ImportKey(AES) = %x, %d, %v; want the key, 128 bits", key, bits, err)
	}
	opaque := aes128
	opaque.Lifetime = values.LifetimeFromPersistenceAndLocation(values.PersistenceDefault, 1)
	if _, _, err := d.ImportKey(opaque, data, nil); !errors.Is(err, driver.ErrNotSupported) {
		t.Errorf("ImportKey at location 1: %v, want ErrNotSupported (no opaque driver in the default build)", err)
	}
	if err := d.DestroyKey(aes128, data); err != nil {
		t.Errorf("DestroyKey of a local key: %v, want nil", err)
	}
	if infos := d.Drivers(); len(infos) != 1 || infos[0].Name != "builtin" || infos[0].Opaque {
		t.Errorf("Drivers() = %+v, want the builtin driver alone", infos)
	}
	if _, err := New(&builtin.Driver{}); err != nil {
		t.Errorf("New with a configured builtin driver: %v", err)
	}
}

// The benchmarks compare a call through the generated dispatch with the
// same call on the builtin driver directly. The hash and AEAD ones run once
// the builtin driver has those entry points and its description lists them.

func BenchmarkImportKeyAES128(b *testing.B) {
	data := bytes.Repeat([]byte{0x2b}, 16)
	attrs := values.Attributes{Type: values.KeyTypeAES}
	dst := make([]byte, 0, 64)
	drv := new(builtin.Driver)
	d, err := New(drv)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("dispatch", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d.ImportKey(attrs, data, dst)
		}
	})
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			drv.ImportKey(attrs, data, dst)
		}
	})
}

func BenchmarkHashSHA256_64(b *testing.B) {
	drv := new(builtin.Driver)
	direct, ok := any(drv).(driver.HashComputer)
	d, err := New(drv)
	if err != nil {
		b.Fatal(err)
	}
	if !ok || d.Route("hash_compute", values.Attributes{}, values.AlgSHA256) != "builtin" {
		b.Skip("the builtin driver has no hash_compute yet")
	}
	input := make([]byte, 64)
	dst := make([]byte, 0, 64)
	b.Run("dispatch", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(input)))
		for b.Loop() {
			d.HashCompute(values.AlgSHA256, input, dst)
		}
	})
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(input)))
		for b.Loop() {
			direct.HashCompute(values.AlgSHA256, input, dst)
		}
	})
}

func BenchmarkAEADEncryptGCM16K(b *testing.B) {
	drv := new(builtin.Driver)
	direct, ok := any(drv).(driver.AEADEncrypter)
	d, err := New(drv)
	if err != nil {
		b.Fatal(err)
	}
	if !ok || d.Route("aead_encrypt", aes128, values.AlgGCM) != "builtin" {
		b.Skip("the builtin driver has no aead_encrypt yet")
	}
	key := make([]byte, 16)
	nonce := make([]byte, 12)
	input := make([]byte, 16<<10)
	dst := make([]byte, 0, len(input)+16)
	b.Run("dispatch", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(input)))
		for b.Loop() {
			d.AEADEncrypt(aes128, key, values.AlgGCM, nonce, nil, input, dst)
		}
	})
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(input)))
		for b.Loop() {
			direct.AEADEncrypt(aes128, key, values.AlgGCM, nonce, nil, input, dst)
		}
	})
}
