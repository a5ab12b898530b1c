package builtin

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"math/big"
	"testing"

	"github.com/gopsa/psa/values"
)

// TestECDHSymmetric checks, on every curve of ECDH, that both sides of
// an agreement get the same secret, of the specification's size.
func TestECDHSymmetric(t *testing.T) {
	var d Driver
	curves := append([]struct {
		typ  values.KeyType
		bits int
	}{{pkMontgomery, 255}, {pkMontgomery, 448}}, pkWeierstrassCurves...)
	for _, c := range curves {
		a, b := pkGenerate(t, c.typ, c.bits), pkGenerate(t, c.typ, c.bits)
		za, err := d.KeyAgreement(a.attrs, a.buf, values.AlgECDH, b.public(t).buf, nil)
		pkWantStatus(t, c.typ.String(), err, values.Success)
		zb, err := d.KeyAgreement(b.attrs, b.buf, values.AlgECDH, a.public(t).buf, nil)
		pkWantStatus(t, c.typ.String(), err, values.Success)
		if !bytes.Equal(za, zb) {
			t.Errorf("%v %d: the two sides disagree", c.typ, c.bits)
		}
		if want := values.RawKeyAgreementOutputSize(c.typ, c.bits); len(za) != want {
			t.Errorf("%v %d: %d-byte secret, want %d", c.typ, c.bits, len(za), want)
		}
	}
}

// TestECDHGenericCrossCheck compares internal/weierstrass's ECDH on
// secp256r1 and secp384r1 with crypto/ecdh.
func TestECDHGenericCrossCheck(t *testing.T) {
	for _, c := range []ecdh.Curve{ecdh.P256(), ecdh.P384()} {
		a, _ := c.GenerateKey(rand.Reader)
		b, _ := c.GenerateKey(rand.Reader)
		want, _ := a.ECDH(b.PublicKey())
		name := map[ecdh.Curve]string{ecdh.P256(): "P-256", ecdh.P384(): "P-384"}[c]
		got, err := nistArithmetic()[name].ECDH(nil, a.Bytes(), b.PublicKey().Bytes())
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: generic ECDH = %x, %v; crypto/ecdh = %x", name, got, err, want)
		}
	}
}

func TestECDHInvalidPeers(t *testing.T) {
	var d Driver
	p256 := pkGenerate(t, pkSECPR1, 256)
	bp := pkGenerate(t, pkBrainpool, 256)
	p224 := pkGenerate(t, pkSECPR1, 224)
	x25519 := pkGenerate(t, pkMontgomery, 255)
	x448 := pkGenerate(t, pkMontgomery, 448)
	ed := pkGenerate(t, pkEdwards, 255)
	offCurve := func(k pkKey) []byte {
		p := append([]byte(nil), k.public(t).buf...)
		p[len(p)-1] ^= 1
		return p
	}
	compressed := func(k pkKey) []byte {
		p := k.public(t).buf
		return append([]byte{2 + p[len(p)-1]&1}, p[1:1+len(p)/2]...)
	}
	tests := []struct {
		name string
		key  pkKey
		alg  values.Algorithm
		peer []byte
	}{
		{"P-256 off curve", p256, values.AlgECDH, offCurve(p256)},
		{"P-224 off curve", p224, values.AlgECDH, offCurve(p224)},
		{"brainpool off curve", bp, values.AlgECDH, offCurve(bp)},
		{"P-256 compressed", p256, values.AlgECDH, compressed(p256)},
		{"P-256 infinity", p256, values.AlgECDH, []byte{0}},
		{"P-256 short", p256, values.AlgECDH, p256.public(t).buf[:64]},
		{"P-256 coordinate = p", p256, values.AlgECDH, append([]byte{4}, append(elliptic256P(), make([]byte, 32)...)...)},
		{"X25519 zero", x25519, values.AlgECDH, make([]byte, 32)},
		{"X25519 short", x25519, values.AlgECDH, make([]byte, 31)},
		{"X448 zero", x448, values.AlgECDH, make([]byte, 56)},
		{"Edwards key", ed, values.AlgECDH, ed.public(t).buf},
		{"public key", p256.public(t), values.AlgECDH, p256.public(t).buf},
		{"combined algorithm", p256, values.AlgKeyAgreement(values.AlgECDH, values.AlgHKDF(values.AlgSHA256)), p256.public(t).buf},
		{"FFDH with an ECC key", p256, values.AlgFFDH, p256.public(t).buf},
	}
	for _, tc := range tests {
		_, err := d.KeyAgreement(tc.key.attrs, tc.key.buf, tc.alg, tc.peer, nil)
		pkWantStatus(t, tc.name, err, values.ErrInvalidArgument)
	}
}

func elliptic256P() []byte {
	p, _ := new(big.Int).SetString("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16)
	return p.Bytes()
}

func TestFFDH(t *testing.T) {
	var d Driver
	typ := values.KeyTypeDHKeyPair(values.DHFamilyRFC7919)
	a, b := pkGenerate(t, typ, 2048), pkGenerate(t, typ, 2048)
	za, err := d.KeyAgreement(a.attrs, a.buf, values.AlgFFDH, b.public(t).buf, nil)
	pkWantStatus(t, "FFDH", err, values.Success)
	zb, _ := d.KeyAgreement(b.attrs, b.buf, values.AlgFFDH, a.public(t).buf, nil)
	if !bytes.Equal(za, zb) || len(za) != 256 {
		t.Fatalf("FFDH: %d and %d bytes, equal = %v", len(za), len(zb), bytes.Equal(za, zb))
	}
	g, _ := findDHGroup("test", typ, values.DHFamilyRFC7919, 2048)
	pm1 := new(big.Int).Sub(g.pInt, big.NewInt(1)).FillBytes(make([]byte, 256))
	for name, peer := range map[string][]byte{
		"0":     make([]byte, 256),
		"1":     new(big.Int).SetInt64(1).FillBytes(make([]byte, 256)),
		"p-1":   pm1,
		"p":     g.pInt.FillBytes(make([]byte, 256)),
		"short": b.public(t).buf[1:],
		"long":  append([]byte{0}, b.public(t).buf...),
	} {
		_, err := d.KeyAgreement(a.attrs, a.buf, values.AlgFFDH, peer, nil)
		pkWantStatus(t, "peer "+name, err, values.ErrInvalidArgument)
	}
	_, err = d.KeyAgreement(a.attrs, a.buf, values.AlgECDH, b.public(t).buf, nil)
	pkWantStatus(t, "ECDH with a DH key", err, values.ErrInvalidArgument)
}
