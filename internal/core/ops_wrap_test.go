package core

import (
	"bytes"
	"testing"

	"github.com/gopsa/psa/values"
)

func TestWrapUnwrap(t *testing.T) {
	c, _ := newSymCore(t, nil)
	kek := bytes.Repeat([]byte{0x33}, 16)
	w := symImport(t, c, values.KeyTypeAES, values.UsageWrap|values.UsageUnwrap, values.AlgKW, kek)
	secret := bytes.Repeat([]byte{0x44}, 16)
	k := symImport(t, c, values.KeyTypeAES, values.UsageExport|values.UsageEncrypt, values.AlgCTR, secret)
	noExport := symImport(t, c, values.KeyTypeAES, values.UsageEncrypt, values.AlgCTR, secret)
	wrapOnly := symImport(t, c, values.KeyTypeAES, values.UsageWrap, values.AlgKW, kek)

	wrapped, err := c.WrapKey(w, values.AlgKW, k, []byte("w"))
	if err != nil || wrapped[0] != 'w' || bytes.Contains(wrapped, secret) {
		t.Fatalf("WrapKey = %x, %v", wrapped, err)
	}
	attrs := values.Attributes{Type: values.KeyTypeAES, Usage: values.UsageExport, Alg: values.AlgCTR}
	u, err := c.UnwrapKey(attrs, w, values.AlgKW, wrapped[1:])
	wantStatus(t, "unwrap", err, nil)
	got, err := c.Export(u, nil)
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("unwrapped key %x, %v", got, err)
	}
	a, _ := c.Attributes(u)
	if a.Bits != 128 || a.Type != values.KeyTypeAES {
		t.Errorf("unwrapped attributes %+v", a)
	}

	tests := []struct {
		name string
		err  func() error
		want error
	}{
		{"not a wrap algorithm", func() error { _, err := c.WrapKey(w, values.AlgCTR, k, nil); return err }, values.ErrInvalidArgument},
		{"key without export", func() error { _, err := c.WrapKey(w, values.AlgKW, noExport, nil); return err }, values.ErrNotPermitted},
		{"wrapping key without wrap", func() error { _, err := c.WrapKey(k, values.AlgKW, k, nil); return err }, values.ErrNotPermitted},
		{"wrong algorithm", func() error { _, err := c.WrapKey(w, values.AlgKWP, k, nil); return err }, values.ErrNotPermitted},
		{"unwrap without unwrap", func() error { _, err := c.UnwrapKey(attrs, wrapOnly, values.AlgKW, wrapped[1:]); return err }, values.ErrNotPermitted},
		{"unwrap wrong algorithm", func() error { _, err := c.UnwrapKey(attrs, w, values.AlgKWP, wrapped[1:]); return err }, values.ErrNotPermitted},
		{"unwrap not a wrap algorithm", func() error { _, err := c.UnwrapKey(attrs, w, values.AlgGCM, wrapped[1:]); return err }, values.ErrInvalidArgument},
		{"unwrap forged", func() error {
			bad := bytes.Clone(wrapped[1:])
			bad[0] ^= 1
			_, err := c.UnwrapKey(attrs, w, values.AlgKW, bad)
			return err
		}, values.ErrInvalidSignature},
		{"unwrap size mismatch", func() error {
			a := attrs
			a.Bits = 256
			_, err := c.UnwrapKey(a, w, values.AlgKW, wrapped[1:])
			return err
		}, values.ErrInvalidArgument},
		{"unwrap without type", func() error { _, err := c.UnwrapKey(values.Attributes{}, w, values.AlgKW, wrapped[1:]); return err }, values.ErrNotSupported}, // PSA_KEY_TYPE_NONE, as for psa_import_key
		{"unwrap to empty key data", func() error { _, err := c.UnwrapKey(attrs, w, values.AlgKW, symTag(nil)); return err }, values.ErrInvalidArgument},
	}
	for _, tc := range tests {
		wantStatus(t, tc.name, tc.err(), tc.want)
	}
}
