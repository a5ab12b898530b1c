package psa_test

import (
	"bytes"
	"fmt"
	"log"
	"testing"

	"github.com/gopsa/psa"
)

// Key-wrapping vectors: RFC 3394 section 4.1 (AES-KW, 128-bit KEK and
// key), RFC 5649 section 6 (AES-KWP, 192-bit KEK, 20- and 7-byte keys).
var wrapVectors = []struct {
	name    string
	alg     psa.Algorithm
	kek     string
	typ     psa.KeyType // of the wrapped key
	key     string
	wrapped string
}{
	{"RFC 3394 4.1", psa.AlgKW, "000102030405060708090a0b0c0d0e0f", psa.KeyTypeAES,
		"00112233445566778899aabbccddeeff", "1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5"},
	{"RFC 5649 20 bytes", psa.AlgKWP, "5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8", psa.KeyTypeRawData,
		"c37b7e6492584340bed12207808941155068f738", "138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a"},
	{"RFC 5649 7 bytes", psa.AlgKWP, "5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8", psa.KeyTypeRawData,
		"466f7250617369", "afbeb0f07dfbf5419200f2ccb50bb24f"},
}

func TestWrapVectors(t *testing.T) {
	c := symNew(t)
	for _, v := range wrapVectors {
		t.Run(v.name, func(t *testing.T) {
			kek := symImport(t, c, psa.KeyTypeAES, psa.UsageWrap|psa.UsageUnwrap, v.alg, symHex(v.kek))
			key := symImport(t, c, v.typ, psa.UsageExport, 0, symHex(v.key))
			want := symHex(v.wrapped)
			got, err := c.WrapKey(kek, v.alg, key, []byte{0xee})
			if err != nil || !bytes.Equal(got, append([]byte{0xee}, want...)) {
				t.Fatalf("WrapKey = %x, %v; want ee || %x", got, err, want)
			}
			attrs := psa.Attributes{Type: v.typ, Usage: psa.UsageExport | psa.UsageEncrypt, Alg: psa.AlgCTR}
			if v.typ == psa.KeyTypeRawData {
				attrs.Usage, attrs.Alg = psa.UsageExport, 0
			}
			id, err := c.UnwrapKey(attrs, kek, v.alg, want)
			symWant(t, "unwrap", err, nil)
			a, err := c.KeyAttributes(id)
			symWant(t, "attributes", err, nil)
			if a.Type != v.typ || a.Bits != 4*len(v.key) || a.Usage != attrs.Usage.WithImplied() {
				t.Errorf("unwrapped key attributes %+v", a)
			}
			data, err := c.ExportKey(id, nil)
			if err != nil || !bytes.Equal(data, symHex(v.key)) {
				t.Fatalf("unwrapped key = %x, %v", data, err)
			}
			for i := range want {
				bad := bytes.Clone(want)
				bad[i] ^= 0x10
				_, err := c.UnwrapKey(attrs, kek, v.alg, bad)
				symWant(t, fmt.Sprintf("forged byte %d", i), err, psa.ErrInvalidSignature)
			}
			sized := attrs
			sized.Bits = 4*len(v.key) + 8
			_, err = c.UnwrapKey(sized, kek, v.alg, want)
			symWant(t, "size mismatch", err, psa.ErrInvalidArgument)
		})
	}
}

func TestWrapPolicy(t *testing.T) {
	c := symNew(t)
	kekData := symHex(wrapVectors[0].kek)
	keyData := symHex(wrapVectors[0].key)
	wrapped := symHex(wrapVectors[0].wrapped)
	kek := func(usage psa.KeyUsage, alg psa.Algorithm) psa.KeyID {
		return symImport(t, c, psa.KeyTypeAES, usage, alg, kekData)
	}
	key := func(usage psa.KeyUsage) psa.KeyID { return symImport(t, c, psa.KeyTypeAES, usage, psa.AlgCTR, keyData) }
	wrap := func(w, k psa.KeyID) error { _, err := c.WrapKey(w, psa.AlgKW, k, nil); return err }
	attrs := psa.Attributes{Type: psa.KeyTypeAES, Usage: psa.UsageEncrypt, Alg: psa.AlgCTR}
	unwrap := func(w psa.KeyID) error { _, err := c.UnwrapKey(attrs, w, psa.AlgKW, wrapped); return err }
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"wrap", wrap(kek(psa.UsageWrap, psa.AlgKW), key(psa.UsageExport)), nil},
		{"wrap without UsageWrap", wrap(kek(symWithout(psa.UsageWrap), psa.AlgKW), key(psa.UsageExport)), psa.ErrNotPermitted},
		{"wrap a key without UsageExport", wrap(kek(psa.UsageWrap, psa.AlgKW), key(symWithout(psa.UsageExport))), psa.ErrNotPermitted},
		{"wrap with a KWP key", wrap(kek(psa.UsageWrap, psa.AlgKWP), key(psa.UsageExport)), psa.ErrNotPermitted},
		{"wrap with a cipher", func() error {
			_, err := c.WrapKey(kek(psa.UsageWrap, psa.AlgKW), psa.AlgCTR, key(psa.UsageExport), nil)
			return err
		}(), psa.ErrInvalidArgument},
		{"unwrap", unwrap(kek(psa.UsageUnwrap, psa.AlgKW)), nil},
		{"unwrap without UsageUnwrap", unwrap(kek(symWithout(psa.UsageUnwrap), psa.AlgKW)), psa.ErrNotPermitted},
		{"unwrap with a KWP key", unwrap(kek(psa.UsageUnwrap, psa.AlgKWP)), psa.ErrNotPermitted},
	} {
		symWant(t, tc.name, tc.err, tc.want)
	}
}

func ExampleCrypto_WrapKey() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	kek, err := c.GenerateKey(psa.Attributes{
		Type: psa.KeyTypeAES, Bits: 256,
		Usage: psa.UsageWrap | psa.UsageUnwrap, Alg: psa.AlgKW,
	})
	if err != nil {
		log.Fatal(err)
	}
	attrs := psa.Attributes{
		Type: psa.KeyTypeAES, Bits: 128,
		Usage: psa.UsageEncrypt | psa.UsageExport, Alg: psa.AlgGCM,
	}
	key, err := c.GenerateKey(attrs)
	if err != nil {
		log.Fatal(err)
	}
	wrapped, err := c.WrapKey(kek, psa.AlgKW, key, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(wrapped), "bytes")

	// Later, or elsewhere with the same key-encryption key:
	attrs.Bits = 0 // taken from the data
	key2, err := c.UnwrapKey(attrs, kek, psa.AlgKW, wrapped)
	if err != nil {
		log.Fatal(err)
	}
	a, _ := c.KeyAttributes(key2)
	fmt.Println(a.Type, a.Bits)
	// Output:
	// 24 bytes
	// PSA_KEY_TYPE_AES 128
}
