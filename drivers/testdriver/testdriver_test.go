package testdriver

import (
	"bytes"
	"errors"
	"sync"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

func TestHooks(t *testing.T) {
	var h Hooks
	if err := h.hit("sign_hash"); err != nil {
		t.Fatal(err)
	}
	h.Force("sign_hash", values.ErrHardwareFailure)
	h.ForceOutput("sign_hash", []byte{1, 2})
	h.ForceOutput("mac_compute", []byte{3})
	if _, err := h.enter("sign_hash"); !errors.Is(err, values.ErrHardwareFailure) {
		t.Errorf("forced error: %v", err)
	}
	if out, err := h.enter("mac_compute"); err != nil || !bytes.Equal(out, []byte{3}) {
		t.Errorf("forced output: %x, %v", out, err)
	}
	h.Force("sign_hash", nil)
	if out, err := h.enter("sign_hash"); err != nil || !bytes.Equal(out, []byte{1, 2}) {
		t.Errorf("after clearing the error: %x, %v; want the forced output", out, err)
	}
	if got := h.Hits("sign_hash"); got != 3 {
		t.Errorf("Hits(sign_hash) = %d, want 3", got)
	}
	if got := h.TotalHits(); got != 4 {
		t.Errorf("TotalHits = %d, want 4", got)
	}
	if all := h.AllHits(); len(all) != 2 || all["mac_compute"] != 1 {
		t.Errorf("AllHits = %v", all)
	}
	h.Reset()
	if out, err := h.enter("sign_hash"); err != nil || out != nil || h.TotalHits() != 1 {
		t.Errorf("after Reset: %x, %v, %d hits", out, err, h.TotalHits())
	}
}

func TestHooksConcurrent(t *testing.T) {
	var h Hooks
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 100 {
				h.hit("hash_update")
				if i == 0 {
					h.Force("hash_finish", values.ErrGenericError)
					h.Force("hash_finish", nil)
				}
			}
		})
	}
	wg.Wait()
	if got := h.Hits("hash_update"); got != 800 {
		t.Errorf("Hits = %d, want 800", got)
	}
}

var (
	aes128 = values.Attributes{Lifetime: values.LifetimeFromPersistenceAndLocation(0, Location), Type: values.KeyTypeAES, Bits: 128}
	key16  = []byte("0123456789abcdef")
)

func TestWrap(t *testing.T) {
	var o Opaque
	ctx, bits, err := o.ImportKey(values.Attributes{Lifetime: aes128.Lifetime, Type: values.KeyTypeAES}, key16, []byte("x"))
	if err != nil || bits != 128 || ctx[0] != 'x' {
		t.Fatalf("ImportKey = %x, %d, %v", ctx, bits, err)
	}
	ctx = ctx[1:]
	if len(ctx) != len(key16)+wrapOverhead || bytes.Contains(ctx, key16[:4]) {
		t.Errorf("context %x: want %d bytes without the key", ctx, len(key16)+wrapOverhead)
	}
	if got, err := o.ExportKey(aes128, ctx, nil); err != nil || !bytes.Equal(got, key16) {
		t.Fatalf("ExportKey = %q, %v", got, err)
	}
	again, _, _ := o.ImportKey(aes128, key16, nil)
	if bytes.Equal(again, ctx) {
		t.Error("two contexts of one key are equal: the mask is not fresh")
	}
	damaged := func(f func(a *values.Attributes, c []byte)) error {
		a, c := aes128, bytes.Clone(ctx)
		f(&a, c)
		_, err := o.ExportKey(a, c, nil)
		return err
	}
	for name, f := range map[string]func(a *values.Attributes, c []byte){
		"flipped material bit": func(a *values.Attributes, c []byte) { c[len(wrapMagic)+wrapNonceLen] ^= 1 },
		"flipped nonce bit":    func(a *values.Attributes, c []byte) { c[len(wrapMagic)] ^= 1 },
		"flipped tag bit":      func(a *values.Attributes, c []byte) { c[len(c)-1] ^= 1 },
		"other magic":          func(a *values.Attributes, c []byte) { c[0] = 'G' },
		"other size":           func(a *values.Attributes, c []byte) { a.Bits = 256 },
		"other type":           func(a *values.Attributes, c []byte) { a.Type = values.KeyTypeHMAC },
		"other location": func(a *values.Attributes, c []byte) {
			a.Lifetime = values.LifetimeFromPersistenceAndLocation(0, SecondLocation)
		},
	} {
		if err := damaged(f); !errors.Is(err, values.ErrDataCorrupt) {
			t.Errorf("%s: %v, want ErrDataCorrupt", name, err)
		}
	}
	if _, err := o.ExportKey(aes128, ctx[:wrapOverhead-1], nil); !errors.Is(err, values.ErrDataCorrupt) {
		t.Errorf("short context: %v, want ErrDataCorrupt", err)
	}
	other := Opaque{Secret: []byte("another secure element")}
	if _, err := other.ExportKey(aes128, ctx, nil); !errors.Is(err, values.ErrDataCorrupt) {
		t.Errorf("another secret: %v, want ErrDataCorrupt", err)
	}
	// The default secret is fixed: a new driver reads old contexts.
	var next Opaque
	if got, err := next.ExportKey(aes128, ctx, nil); err != nil || !bytes.Equal(got, key16) {
		t.Errorf("a new driver with the default secret: %q, %v", got, err)
	}
}

func TestGetBuiltinKey(t *testing.T) {
	var o Opaque
	lt := values.LifetimeFromPersistenceAndLocation(values.PersistenceReadOnly, Location)
	attrs, ctx, err := o.GetBuiltinKey(BuiltinSlotECDSA, lt, nil)
	if err != nil || attrs.Lifetime != lt || attrs.Bits != 256 || attrs.Type != values.KeyTypeECCKeyPair(values.ECCFamilySECPR1) {
		t.Fatalf("GetBuiltinKey = %+v, %v", attrs, err)
	}
	pub, err := o.ExportPublicKey(attrs, ctx, nil)
	if err != nil || len(pub) != 65 || pub[0] != 4 {
		t.Errorf("ExportPublicKey of the built-in key = %x, %v", pub, err)
	}
	if _, _, err := o.GetBuiltinKey(7, lt, nil); !errors.Is(err, values.ErrDoesNotExist) {
		t.Errorf("slot 7: %v, want ErrDoesNotExist", err)
	}
	wantHits := map[string]int{"get_builtin_key": 2, "export_public_key": 1}
	for ep, n := range wantHits {
		if o.Hits(ep) != n {
			t.Errorf("%s: %d hits, want %d", ep, o.Hits(ep), n)
		}
	}
}

func TestTransparent(t *testing.T) {
	var d Transparent
	attrs := values.Attributes{Type: values.KeyTypeAES}
	key, bits, err := d.ImportKey(attrs, key16, nil)
	if err != nil || bits != 128 || !bytes.Equal(key, key16) {
		t.Fatalf("ImportKey = %x, %d, %v", key, bits, err)
	}
	d.ForceOutput("generate_key", []byte("forced"))
	if out, err := d.GenerateKey(values.Attributes{Type: values.KeyTypeAES, Bits: 128}, driver.ProductionParameters{}, nil); err != nil || string(out) != "forced" {
		t.Errorf("GenerateKey with forced output = %q, %v", out, err)
	}
	d.Force("import_key", values.ErrNotSupported)
	if _, _, err := d.ImportKey(attrs, key16, nil); !errors.Is(err, values.ErrNotSupported) {
		t.Errorf("forced ImportKey: %v", err)
	}
	if d.Hits("import_key") != 2 || d.Hits("generate_key") != 1 {
		t.Errorf("hits %v", d.AllHits())
	}
}
