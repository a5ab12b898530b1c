//go:build !gopsa_no_builtin_ecc

package builtin

import (
	"crypto/elliptic"
	"fmt"
	"sync"

	"filippo.io/bigmod"
	"filippo.io/nistec"

	"github.com/gopsa/psa/values"
)

// The PAKE groups are the NIST curves of filippo.io/nistec: constant-time
// point arithmetic (with point addition, which crypto/ecdh does not
// expose and crypto/elliptic only offers deprecated and variable-time),
// maintained as the standard library's own crypto/internal/fips140/nistec.

// nistPoint is the method set that the nistec point types share.
type nistPoint[P any] interface {
	Bytes() []byte
	SetBytes([]byte) (P, error)
	Add(P, P) P
	Negate(P) P
	ScalarMult(P, []byte) (P, error)
	ScalarBaseMult([]byte) (P, error)
	IsInfinity() int
	Equal(P) int
}

// nistOps implements pakeGroupOps for one nistec point type.
type nistOps[P nistPoint[P]] struct{ newPoint func() P }

func (o nistOps[P]) decode(b []byte) (pakeElement, error) { return o.newPoint().SetBytes(b) }

func (o nistOps[P]) encode(dst []byte, p pakeElement) []byte {
	return append(dst, p.(P).Bytes()...)
}

func (o nistOps[P]) add(p, q pakeElement) pakeElement { return o.newPoint().Add(p.(P), q.(P)) }
func (o nistOps[P]) neg(p pakeElement) pakeElement    { return o.newPoint().Negate(p.(P)) }
func (o nistOps[P]) isIdentity(p pakeElement) bool    { return p.(P).IsInfinity() == 1 }
func (o nistOps[P]) equal(p, q pakeElement) bool      { return p.(P).Equal(q.(P)) == 1 }

func (o nistOps[P]) mul(p pakeElement, k []byte) pakeElement {
	r, err := o.newPoint().ScalarMult(p.(P), k)
	if err != nil {
		panic("builtin: scalar of the wrong length: " + err.Error())
	}
	return r
}

func (o nistOps[P]) baseMul(k []byte) pakeElement {
	r, err := o.newPoint().ScalarBaseMult(k)
	if err != nil {
		panic("builtin: scalar of the wrong length: " + err.Error())
	}
	return r
}

func newNISTGroup[P nistPoint[P]](c elliptic.Curve, name string, newPoint func() P) *pakeGroup {
	params := c.Params()
	n, err := bigmod.NewModulus(params.N.Bytes())
	if err != nil {
		panic("builtin: bad order for " + name)
	}
	bits := params.BitSize
	ops := nistOps[P]{newPoint}
	one := make([]byte, n.Size())
	one[len(one)-1] = 1
	return &pakeGroup{name: name, bits: bits, elemLen: 1 + 2*((bits+7)/8), n: n, gen: ops.baseMul(one), ops: ops}
}

var (
	pakeP256 = sync.OnceValue(func() *pakeGroup { return newNISTGroup(elliptic.P256(), "secp256r1", nistec.NewP256Point) })
	pakeP384 = sync.OnceValue(func() *pakeGroup { return newNISTGroup(elliptic.P384(), "secp384r1", nistec.NewP384Point) })
	pakeP521 = sync.OnceValue(func() *pakeGroup { return newNISTGroup(elliptic.P521(), "secp521r1", nistec.NewP521Point) })
)

// pakeGroupFor returns the group of an ECC primitive: the secp_r1 curves
// of 256, 384 and 521 bits. Other curves answer ErrNotSupported.
func pakeGroupFor(alg values.Algorithm, p values.PAKEPrimitive) (*pakeGroup, error) {
	if p.Type() == values.PAKEPrimitiveTypeECC && values.ECCFamily(p.Family()) == values.ECCFamilySECPR1 {
		switch p.Bits() {
		case 256:
			return pakeP256(), nil
		case 384:
			return pakeP384(), nil
		case 521:
			return pakeP521(), nil
		}
	}
	return nil, fmt.Errorf("%v over %v is not supported by the builtin driver (supported: secp256r1, secp384r1, secp521r1): %w",
		alg, p, values.ErrNotSupported)
}
