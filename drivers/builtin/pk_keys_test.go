package builtin

import (
	"encoding/hex"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// Helpers shared by the public-key tests.

// pkKey is a key as the entry points receive it.
type pkKey struct {
	attrs values.Attributes
	buf   []byte
}

// public returns the public key of k (k itself if it is one).
func (k pkKey) public(t testing.TB) pkKey {
	t.Helper()
	if k.attrs.Type.IsPublicKey() {
		return k
	}
	var d Driver
	pub, err := d.ExportPublicKey(k.attrs, k.buf, nil)
	if err != nil {
		t.Fatalf("ExportPublicKey(%v): %v", k.attrs.Type, err)
	}
	a := k.attrs
	a.Type = a.Type.PublicKeyOfKeyPair()
	return pkKey{a, pub}
}

// pkImport imports data as a key of type typ (size from the data, or bits
// if nonzero).
func pkImport(t testing.TB, typ values.KeyType, bits int, data []byte) pkKey {
	t.Helper()
	var d Driver
	a := values.Attributes{Type: typ, Bits: bits}
	buf, got, err := d.ImportKey(a, data, nil)
	if err != nil {
		t.Fatalf("ImportKey(%v, %d bytes): %v", typ, len(data), err)
	}
	a.Bits = got
	return pkKey{a, buf}
}

// pkGenerate generates a key pair of type typ and size bits.
func pkGenerate(t testing.TB, typ values.KeyType, bits int) pkKey {
	t.Helper()
	var d Driver
	a := values.Attributes{Type: typ, Bits: bits}
	buf, err := d.GenerateKey(a, driver.ProductionParameters{}, nil)
	if err != nil {
		t.Fatalf("GenerateKey(%v, %d): %v", typ, bits, err)
	}
	return pkKey{a, buf}
}

// pkUnhex decodes hexadecimal, ignoring spaces; with size > 0 it decodes
// a number and pads or trims it to size bytes.
func pkUnhex(t testing.TB, s string, size int) []byte {
	t.Helper()
	s = strings.ReplaceAll(s, " ", "")
	if size > 0 {
		v, ok := new(big.Int).SetString(s, 16)
		if !ok {
			t.Fatalf("bad hexadecimal number %q", s)
		}
		return v.FillBytes(make([]byte, size))
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hexadecimal %q: %v", s, err)
	}
	return b
}

// pkWantStatus fails unless err wraps the status want (nil for success).
func pkWantStatus(t testing.TB, what string, err error, want values.Status) {
	t.Helper()
	if want == values.Success {
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("%s: got %v, want an error wrapping %v", what, err, want)
	}
}

var (
	pkSECPR1     = values.KeyTypeECCKeyPair(values.ECCFamilySECPR1)
	pkSECPK1     = values.KeyTypeECCKeyPair(values.ECCFamilySECPK1)
	pkBrainpool  = values.KeyTypeECCKeyPair(values.ECCFamilyBrainpoolPR1)
	pkMontgomery = values.KeyTypeECCKeyPair(values.ECCFamilyMontgomery)
	pkEdwards    = values.KeyTypeECCKeyPair(values.ECCFamilyTwistedEdwards)
)

// pkWeierstrassCurves lists every Weierstrass curve of the builtin driver.
var pkWeierstrassCurves = []struct {
	typ  values.KeyType
	bits int
}{
	{pkSECPR1, 192}, {pkSECPR1, 224}, {pkSECPR1, 256}, {pkSECPR1, 384}, {pkSECPR1, 521},
	{pkSECPK1, 192}, {pkSECPK1, 256},
	{pkBrainpool, 192}, {pkBrainpool, 224}, {pkBrainpool, 256}, {pkBrainpool, 320}, {pkBrainpool, 384}, {pkBrainpool, 512},
}
