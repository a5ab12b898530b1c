package psa_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/gopsa/psa"
)

// TestPersistentAcrossInstances goes through the whole stack: the
// generated dispatch, the builtin driver, the core and the directory key
// store.
func TestPersistentAcrossInstances(t *testing.T) {
	dir := t.TempDir()
	c, err := psa.New(psa.WithKeyDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	attrs := psa.Attributes{
		ID: 7, Lifetime: psa.LifetimePersistent,
		Type: psa.KeyTypeAES, Bits: 128,
		Usage: psa.UsageEncrypt | psa.UsageExport, Alg: psa.AlgCTR,
	}
	if _, err := c.ImportKey(attrs, bytes.Repeat([]byte{0x42}, 16)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ImportKey(attrs, bytes.Repeat([]byte{0x43}, 16)); !errors.Is(err, psa.ErrAlreadyExists) {
		t.Fatalf("second import: %v, want ALREADY_EXISTS", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c, err = psa.New(psa.WithKeyDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ids, err := c.PersistentKeys()
	if err != nil || len(ids) != 1 || ids[0] != 7 {
		t.Fatalf("PersistentKeys = %v, %v", ids, err)
	}
	k, err := c.ExportKey(7, nil)
	if err != nil || !bytes.Equal(k, bytes.Repeat([]byte{0x42}, 16)) {
		t.Fatalf("export after reopen: %x, %v", k, err)
	}
	if err := c.DestroyKey(7); err != nil {
		t.Fatal(err)
	}
	if ids, _ := c.PersistentKeys(); len(ids) != 0 {
		t.Fatalf("after destroy: %v", ids)
	}
}

func TestNoKeyStore(t *testing.T) {
	c, err := psa.New()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.GenerateKey(psa.Attributes{ID: 1, Lifetime: psa.LifetimePersistent, Type: psa.KeyTypeAES, Bits: 128})
	if !errors.Is(err, psa.ErrNotSupported) {
		t.Fatalf("persistent key without a store: %v, want NOT_SUPPORTED", err)
	}
}

func TestRandom(t *testing.T) {
	c, err := psa.New()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	a, b := make([]byte, 32), make([]byte, 32)
	if err := c.GenerateRandom(a); err != nil {
		t.Fatal(err)
	}
	if err := c.GenerateRandom(b); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, b) || bytes.Equal(a, make([]byte, 32)) {
		t.Fatalf("random output repeats or is zero: %x %x", a, b)
	}
}
