package builtin

import (
	"fmt"
	"io"

	"filippo.io/bigmod"

	"github.com/gopsa/psa/values"
)

// The prime-order groups that the PAKEs run over, and their scalars.
// Points come from pake_nistec.go (filippo.io/nistec, constant time);
// scalars are filippo.io/bigmod naturals modulo the group order, also
// constant time. Builds with gopsa_no_builtin_ecc have no group
// (pake_noecc.go), so every PAKE answers ErrNotSupported there.

// pakeElement is a group element in the representation of the group's
// implementation. It is never the identity once it has passed
// pakeGroup.element.
type pakeElement any

// pakeGroupOps is the point arithmetic of a group. Scalars are big-endian
// and exactly the size of the group order.
type pakeGroupOps interface {
	// decode accepts any SEC 1 encoding of a point on the curve.
	decode(b []byte) (pakeElement, error)
	// encode appends the uncompressed encoding of p.
	encode(dst []byte, p pakeElement) []byte
	add(p, q pakeElement) pakeElement
	neg(p pakeElement) pakeElement
	mul(p pakeElement, k []byte) pakeElement
	baseMul(k []byte) pakeElement
	isIdentity(p pakeElement) bool
	equal(p, q pakeElement) bool
}

// pakeGroup is an elliptic-curve group of prime order n with its
// generator.
type pakeGroup struct {
	name    string
	bits    int
	elemLen int // uncompressed point: 0x04 || x || y
	n       *bigmod.Modulus
	gen     pakeElement // the generator G
	ops     pakeGroupOps
}

// scalarLen is the size of an encoded scalar, that of a private key.
func (g *pakeGroup) scalarLen() int { return g.n.Size() }

// element decodes a step's group element: the uncompressed encoding of a
// point on the curve other than the identity, as psa_export_public_key
// writes it. The error wraps ErrInvalidArgument.
func (g *pakeGroup) element(what string, b []byte) (pakeElement, error) {
	if len(b) != g.elemLen || b[0] != 4 {
		return nil, fmt.Errorf("%s: %d bytes is not an uncompressed %s point (want %d bytes, 0x04 || x || y): %w",
			what, len(b), g.name, g.elemLen, values.ErrInvalidArgument)
	}
	p, err := g.ops.decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s: the point is not on %s: %w", what, g.name, values.ErrInvalidArgument)
	}
	if g.ops.isIdentity(p) {
		return nil, fmt.Errorf("%s: the point is the identity element: %w", what, values.ErrInvalidArgument)
	}
	return p, nil
}

// scalar decodes a big-endian value of at most scalarLen bytes that must
// be less than n.
func (g *pakeGroup) scalar(b []byte) (*bigmod.Nat, bool) {
	size := g.scalarLen()
	if len(b) > size {
		return nil, false
	}
	var buf [66]byte // the largest order, P-521's
	padded := buf[:size]
	copy(padded[size-len(b):], b)
	k, err := bigmod.NewNat().SetBytes(padded, g.n)
	clear(padded)
	if err != nil {
		return nil, false
	}
	return k, true
}

// reduce returns the big-endian integer b (any length) modulo n, in
// constant time for a given length of b.
func (g *pakeGroup) reduce(b []byte) *bigmod.Nat {
	if len(b) == 0 {
		return bigmod.NewNat().ExpandFor(g.n)
	}
	// A modulus above every len(b)-byte value, so that SetBytes accepts
	// b; Mod then reduces it modulo n. Odd, as bigmod asks.
	wide := make([]byte, len(b)+1)
	wide[0], wide[len(b)] = 1, 1
	m, err := bigmod.NewModulus(wide)
	if err != nil {
		panic("builtin: reduction modulus: " + err.Error())
	}
	x, err := bigmod.NewNat().SetBytes(b, m)
	if err != nil {
		panic("builtin: reduction: " + err.Error())
	}
	r := bigmod.NewNat().Mod(x, g.n)
	clear(x.Bits())
	return r
}

// bytes returns k as scalarLen big-endian bytes.
func (g *pakeGroup) bytes(k *bigmod.Nat) []byte { return k.Bytes(g.n) }

// mul returns k·p.
func (g *pakeGroup) mul(p pakeElement, k *bigmod.Nat) pakeElement {
	b := g.bytes(k)
	defer clear(b)
	return g.ops.mul(p, b)
}

// baseMul returns k·G.
func (g *pakeGroup) baseMul(k *bigmod.Nat) pakeElement {
	b := g.bytes(k)
	defer clear(b)
	return g.ops.baseMul(b)
}

// randomScalar draws a scalar in [1, n-1] by rejection, as SEC 1 §3.2.1
// and the specification's ECC key generation do: scalarLen bytes, the
// bits above n's cleared, drawn again while the value is 0 or at least n.
// The drawn value is the scalar itself, so that a fixed random stream
// gives the scalars of published test vectors.
func (g *pakeGroup) randomScalar(r io.Reader) (*bigmod.Nat, error) {
	size := g.scalarLen()
	excess := uint(8*size - g.n.BitLen())
	buf := make([]byte, size)
	defer clear(buf)
	for range 1000 {
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, pakeRandomError(err)
		}
		buf[0] &= 0xff >> excess
		k, err := bigmod.NewNat().SetBytes(buf, g.n)
		if err == nil && k.IsZero() == 0 {
			return k, nil
		}
	}
	return nil, fmt.Errorf("pake: the random source gave 1000 values out of [1, n-1] for %s: %w", g.name, values.ErrInsufficientEntropy)
}

// randomScalarWide draws scalarLen+8 bytes and reduces them modulo n, the
// method RFC 9383 §3.2 gives for w0 and w1 and that SPAKE2+
// implementations use for x and y (the bias is below 2^-64). A zero
// result is drawn again.
func (g *pakeGroup) randomScalarWide(r io.Reader) (*bigmod.Nat, error) {
	buf := make([]byte, g.scalarLen()+8)
	defer clear(buf)
	for range 1000 {
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, pakeRandomError(err)
		}
		if k := g.reduce(buf); k.IsZero() == 0 {
			return k, nil
		}
	}
	return nil, fmt.Errorf("pake: the random source gave 1000 zero scalars for %s: %w", g.name, values.ErrInsufficientEntropy)
}

func pakeRandomError(err error) error {
	return fmt.Errorf("pake: reading the random source: %v: %w", err, values.ErrInsufficientEntropy)
}

// pakeMulMod returns a·b mod n.
func pakeMulMod(a, b *bigmod.Nat, n *bigmod.Modulus) *bigmod.Nat {
	return bigmod.NewNat().ExpandFor(n).Add(a, n).Mul(b, n)
}

// pakeSubMod returns a-b mod n.
func pakeSubMod(a, b *bigmod.Nat, n *bigmod.Modulus) *bigmod.Nat {
	return bigmod.NewNat().ExpandFor(n).Add(a, n).Sub(b, n)
}

// wipeNat zeroes a secret scalar.
func wipeNat(k *bigmod.Nat) {
	if k != nil {
		clear(k.Bits())
	}
}
