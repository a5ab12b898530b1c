//go:build !gopsa_no_builtin_ecc

package builtin

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"fmt"
	"io"
	"sync"

	"filippo.io/bigmod"
	"filippo.io/edwards25519"
	"github.com/cloudflare/circl/dh/x448"
	"github.com/cloudflare/circl/ecc/goldilocks"
	"github.com/cloudflare/circl/sign/ed448"
	"golang.org/x/crypto/curve25519"

	"github.com/gopsa/psa/internal/weierstrass"
	"github.com/gopsa/psa/values"
)

type curveKind int

const (
	weierstrassCurve curveKind = iota
	montgomeryCurve
	edwardsCurve
)

// eccCurve describes a curve the builtin driver supports.
type eccCurve struct {
	name     string
	family   values.ECCFamily
	bits     int
	kind     curveKind
	privSize int // key-pair export size
	pubSize  int // public-key export size

	// Weierstrass curves: the standard library's implementation when it
	// has one, the generic constant-time one otherwise.
	nist    elliptic.Curve
	generic func() *weierstrass.Curve
	order   func() *bigmod.Modulus // n, for range checks and derivation
}

func weierstrassEntry(name string, f values.ECCFamily, nist elliptic.Curve, generic func() *weierstrass.Curve) *eccCurve {
	c := &eccCurve{name: name, family: f, nist: nist, generic: generic}
	var n []byte
	if nist != nil {
		c.bits = nist.Params().BitSize
		n = nist.Params().N.Bytes()
	} else {
		g := generic()
		c.bits = g.Bits()
		n = g.Order()
	}
	c.order = sync.OnceValue(func() *bigmod.Modulus {
		m, err := bigmod.NewModulus(n)
		if err != nil {
			panic("builtin: bad curve order for " + name)
		}
		return m
	})
	c.privSize = len(n)
	c.pubSize = 1 + 2*((c.bits+7)/8)
	return c
}

var eccCurves = sync.OnceValue(func() []*eccCurve {
	return []*eccCurve{
		weierstrassEntry("secp192r1", values.ECCFamilySECPR1, nil, weierstrass.Secp192r1),
		weierstrassEntry("secp224r1", values.ECCFamilySECPR1, elliptic.P224(), nil),
		weierstrassEntry("secp256r1", values.ECCFamilySECPR1, elliptic.P256(), nil),
		weierstrassEntry("secp384r1", values.ECCFamilySECPR1, elliptic.P384(), nil),
		weierstrassEntry("secp521r1", values.ECCFamilySECPR1, elliptic.P521(), nil),
		weierstrassEntry("secp192k1", values.ECCFamilySECPK1, nil, weierstrass.Secp192k1),
		weierstrassEntry("secp256k1", values.ECCFamilySECPK1, nil, weierstrass.Secp256k1),
		weierstrassEntry("brainpoolP192r1", values.ECCFamilyBrainpoolPR1, nil, weierstrass.BrainpoolP192r1),
		weierstrassEntry("brainpoolP224r1", values.ECCFamilyBrainpoolPR1, nil, weierstrass.BrainpoolP224r1),
		weierstrassEntry("brainpoolP256r1", values.ECCFamilyBrainpoolPR1, nil, weierstrass.BrainpoolP256r1),
		weierstrassEntry("brainpoolP320r1", values.ECCFamilyBrainpoolPR1, nil, weierstrass.BrainpoolP320r1),
		weierstrassEntry("brainpoolP384r1", values.ECCFamilyBrainpoolPR1, nil, weierstrass.BrainpoolP384r1),
		weierstrassEntry("brainpoolP512r1", values.ECCFamilyBrainpoolPR1, nil, weierstrass.BrainpoolP512r1),
		{name: "Curve25519", family: values.ECCFamilyMontgomery, bits: 255, kind: montgomeryCurve, privSize: 32, pubSize: 32},
		{name: "Curve448", family: values.ECCFamilyMontgomery, bits: 448, kind: montgomeryCurve, privSize: 56, pubSize: 56},
		{name: "Edwards25519", family: values.ECCFamilyTwistedEdwards, bits: 255, kind: edwardsCurve, privSize: 32, pubSize: 32},
		{name: "Edwards448", family: values.ECCFamilyTwistedEdwards, bits: 448, kind: edwardsCurve, privSize: 57, pubSize: 57},
	}
})

// knownCurveBits lists, per family, the curve sizes that the
// specification defines, so that a request for one that the builtin driver
// lacks is ErrNotSupported rather than ErrInvalidArgument.
var knownCurveBits = map[values.ECCFamily][]int{
	values.ECCFamilySECPK1:         {192, 225, 256},
	values.ECCFamilySECPR1:         {192, 224, 256, 384, 521},
	values.ECCFamilySECPR2:         {160},
	values.ECCFamilySECTK1:         {163, 233, 239, 283, 409, 571},
	values.ECCFamilySECTR1:         {163, 233, 283, 409, 571},
	values.ECCFamilySECTR2:         {163},
	values.ECCFamilyBrainpoolPR1:   {160, 192, 224, 256, 320, 384, 512},
	values.ECCFamilyFRP:            {256},
	values.ECCFamilyMontgomery:     {255, 448},
	values.ECCFamilyTwistedEdwards: {255, 448},
}

// findCurve returns the supported curve of family f and size bits.
func findCurve(op string, t values.KeyType, f values.ECCFamily, bits int) (*eccCurve, error) {
	for _, c := range eccCurves() {
		if c.family == f && c.bits == bits {
			return c, nil
		}
	}
	known, ok := knownCurveBits[f]
	if !ok {
		return nil, fmt.Errorf("%s %v key: unknown elliptic curve family 0x%02x: %w", op, t, uint8(f), values.ErrNotSupported)
	}
	for _, b := range known {
		if b == bits {
			return nil, fmt.Errorf("%s %v key: the %d-bit curve of this family is not supported by the builtin driver (supported sizes: %v): %w", op, t, bits, supportedCurveBits(f), values.ErrNotSupported)
		}
	}
	// Curve sizes are whole bytes except those listed in the
	// specification: another size cannot name a curve, while a whole
	// number of bytes might name one this driver does not know.
	status := values.ErrNotSupported
	if bits <= 0 || bits%8 != 0 {
		status = values.ErrInvalidArgument
	}
	return nil, fmt.Errorf("%s %v key: %d bits is not the size of a curve of this family that the builtin driver knows (want one of %v): %w", op, t, bits, known, status)
}

// unsupportedCurveSize reports whether n bytes is the private (pair) or
// public key length of a curve of family f that the specification defines
// but the builtin driver does not support.
func unsupportedCurveSize(f values.ECCFamily, n int, pair bool) bool {
	for _, bits := range knownCurveBits[f] {
		supported := false
		for _, c := range eccCurves() {
			supported = supported || (c.family == f && c.bits == bits)
		}
		if supported {
			continue
		}
		size := (bits + 7) / 8
		field := size
		if f == values.ECCFamilySECPK1 && bits == 225 {
			field = 28 // secp224k1: a 224-bit field, a 225-bit order
		}
		if (pair && n == size) || (!pair && n == 1+2*field) {
			return true
		}
	}
	return false
}

func supportedCurveBits(f values.ECCFamily) []int {
	var s []int
	for _, c := range eccCurves() {
		if c.family == f {
			s = append(s, c.bits)
		}
	}
	return s
}

// curveForData finds the curve of the family from the length of key data:
// sizes are distinct within a family. If attrs.Bits is set it selects the
// curve instead, and the data length must match.
func curveForData(op string, attrs values.Attributes, f values.ECCFamily, n int, size func(*eccCurve) int, what string) (*eccCurve, error) {
	t := attrs.Type
	if attrs.Bits != 0 {
		c, err := findCurve(op, t, f, attrs.Bits)
		if err != nil {
			// The data may still identify another curve of the family:
			// then the problem is the size mismatch.
			for _, c := range eccCurves() {
				if c.family == f && size(c) == n {
					return nil, checkBits(op, attrs, c.bits)
				}
			}
			return nil, err
		}
		if size(c) != n {
			return nil, fmt.Errorf("%s %v key: %d bytes is not a valid %s %s (want %d): %w", op, t, n, c.name, what, size(c), values.ErrInvalidArgument)
		}
		return c, nil
	}
	for _, c := range eccCurves() {
		if c.family == f && size(c) == n {
			return c, nil
		}
	}
	var want []int
	for _, c := range eccCurves() {
		if c.family == f {
			want = append(want, size(c))
		}
	}
	if want == nil {
		return nil, fmt.Errorf("%s %v key: curve family 0x%02x is not supported by the builtin driver: %w", op, t, uint8(f), values.ErrNotSupported)
	}
	if (t.IsECC() || t.IsSPAKE2P()) && unsupportedCurveSize(f, n, what == "private key") {
		return nil, fmt.Errorf("%s %v key: %d bytes is the %s length of a curve of this family that the builtin driver does not support (supported: %v bytes): %w", op, t, n, what, want, values.ErrNotSupported)
	}
	return nil, fmt.Errorf("%s %v key: %d bytes is not the length of a %s of this family (want one of %v bytes): %w", op, t, n, what, want, values.ErrInvalidArgument)
}

func importECC(attrs values.Attributes, data, dst []byte) ([]byte, int, error) {
	t := attrs.Type
	f := t.ECCFamily()
	if t.IsKeyPair() {
		c, err := curveForData("import", attrs, f, len(data), func(c *eccCurve) int { return c.privSize }, "private key")
		if err != nil {
			return nil, 0, err
		}
		out, err := c.importPrivate(data, dst)
		if err != nil {
			return nil, 0, fmt.Errorf("import ECC key: %w", err)
		}
		return out, c.bits, nil
	}
	c, err := curveForData("import", attrs, f, len(data), func(c *eccCurve) int { return c.pubSize }, "public key")
	if err != nil {
		return nil, 0, err
	}
	if err := c.checkPublic(data); err != nil {
		return nil, 0, fmt.Errorf("import ECC key: %w", err)
	}
	return append(dst, data...), c.bits, nil
}

// importPrivate validates a private key of the curve's length and appends
// it in the export format.
func (c *eccCurve) importPrivate(d, dst []byte) ([]byte, error) {
	switch c.kind {
	case weierstrassCurve:
		if err := c.checkScalar(d); err != nil {
			return nil, err
		}
		return append(dst, d...), nil
	case montgomeryCurve:
		// The specification asks for the clamped scalar; an unclamped one
		// is accepted and stored clamped, which does not change the key.
		out := append(dst, d...)
		clampMontgomery(out[len(dst):])
		return out, nil
	default:
		// Any string of the right length is an EdDSA private key.
		return append(dst, d...), nil
	}
}

// checkScalar checks 1 ≤ d ≤ n-1 in constant time.
func (c *eccCurve) checkScalar(d []byte) error {
	k, err := bigmod.NewNat().SetBytes(d, c.order())
	if err != nil {
		return fmt.Errorf("%d bytes is not a valid %s private key (the value must be less than the curve order): %w", len(d), c.name, values.ErrInvalidArgument)
	}
	if k.IsZero() == 1 {
		return fmt.Errorf("%d bytes is not a valid %s private key (the value must not be zero): %w", len(d), c.name, values.ErrInvalidArgument)
	}
	return nil
}

// clampMontgomery sets and clears the bits that decodeScalar25519 and
// decodeScalar448 of RFC 7748 §5 force.
func clampMontgomery(k []byte) {
	switch len(k) {
	case 32:
		k[0] &= 248
		k[31] &= 127
		k[31] |= 64
	case 56:
		k[0] &= 252
		k[55] |= 128
	}
}

// checkPublic validates a public key of the curve's length.
func (c *eccCurve) checkPublic(p []byte) error {
	switch c.kind {
	case weierstrassCurve:
		if c.nist != nil {
			if _, err := ecdsa.ParseUncompressedPublicKey(c.nist, p); err != nil {
				return fmt.Errorf("%d bytes is not a valid %s public key (want an uncompressed point on the curve, 0x04 || x || y): %w", len(p), c.name, values.ErrInvalidArgument)
			}
			return nil
		}
		if err := c.generic().CheckPoint(p); err != nil {
			return fmt.Errorf("not a valid %s public key: %v: %w", c.name, err, values.ErrInvalidArgument)
		}
		return nil
	case montgomeryCurve:
		// RFC 7748 accepts every u-coordinate of the right length.
		return nil
	default:
		var err error
		if c.bits == 255 {
			_, err = new(edwards25519.Point).SetBytes(p)
		} else {
			_, err = goldilocks.FromBytes(p)
		}
		if err != nil {
			return fmt.Errorf("not a valid %s public key (the point does not decode, RFC 8032 §5.%d.3): %w", c.name, map[int]int{255: 1, 448: 2}[c.bits], values.ErrInvalidArgument)
		}
		return nil
	}
}

// publicKey appends the public key of private key d to dst.
func (c *eccCurve) publicKey(d, dst []byte) ([]byte, error) {
	if len(d) != c.privSize {
		return nil, fmt.Errorf("%d bytes is not a valid %s private key (want %d): %w", len(d), c.name, c.privSize, values.ErrInvalidArgument)
	}
	switch c.kind {
	case weierstrassCurve:
		if c.nist != nil {
			priv, err := ecdsa.ParseRawPrivateKey(c.nist, d)
			if err != nil {
				return nil, fmt.Errorf("not a valid %s private key: %w", c.name, values.ErrInvalidArgument)
			}
			pub, err := priv.PublicKey.Bytes()
			if err != nil {
				return nil, fmt.Errorf("%s public key: %v: %w", c.name, err, values.ErrCorruptionDetected)
			}
			return append(dst, pub...), nil
		}
		out, err := c.generic().ScalarBaseMult(dst, d)
		if err != nil {
			return nil, fmt.Errorf("not a valid %s private key: %v: %w", c.name, err, values.ErrInvalidArgument)
		}
		return out, nil
	case montgomeryCurve:
		if c.bits == 255 {
			pub, err := curve25519.X25519(d, curve25519.Basepoint)
			if err != nil {
				return nil, fmt.Errorf("X25519 public key: %v: %w", err, values.ErrInvalidArgument)
			}
			return append(dst, pub...), nil
		}
		var pub, sk x448.Key
		copy(sk[:], d)
		x448.KeyGen(&pub, &sk)
		wipe(sk[:])
		return append(dst, pub[:]...), nil
	default:
		if c.bits == 255 {
			priv := ed25519.NewKeyFromSeed(d)
			defer wipe(priv)
			return append(dst, priv[ed25519.SeedSize:]...), nil
		}
		priv := ed448.NewKeyFromSeed(d)
		defer wipe(priv)
		return append(dst, priv[ed448.SeedSize:]...), nil
	}
}

func exportPublicECC(attrs values.Attributes, key, dst []byte) ([]byte, error) {
	c, err := curveForData("export public", attrs, attrs.Type.ECCFamily(), len(key), func(c *eccCurve) int { return c.privSize }, "private key")
	if err != nil {
		return nil, err
	}
	out, err := c.publicKey(key, dst)
	if err != nil {
		return nil, fmt.Errorf("export public key: %w", err)
	}
	return out, nil
}

func produceECC(op string, attrs values.Attributes, r io.Reader, dst []byte) ([]byte, error) {
	t := attrs.Type
	c, err := findCurve(op, t, t.ECCFamily(), attrs.Bits)
	if err != nil {
		return nil, err
	}
	switch c.kind {
	case weierstrassCurve:
		return appendScalar(r, c.order(), dst)
	default:
		// Montgomery: draw the key and clamp it (RFC 7748 §5); Edwards:
		// the drawn string is the private key.
		out := append(dst, make([]byte, c.privSize)...)
		if err := readFull(r, out[len(dst):]); err != nil {
			wipe(out[len(dst):])
			return nil, err
		}
		if c.kind == montgomeryCurve {
			clampMontgomery(out[len(dst):])
		}
		return out, nil
	}
}
