package weierstrass

import (
	"fmt"

	"filippo.io/bigmod"
)

// LinearCombinationX appends to dst the x coordinate (FieldSize bytes,
// big-endian) of u1·G + u2·P: the point that ECDSA verification
// (SEC 1 §4.1.4 step 5) compares with the signature. u1 and u2 are
// ScalarSize-byte big-endian integers less than the order n, zero
// included; p must be a valid point. The result being the point at
// infinity is an error wrapping ErrPoint. It handles public data, and
// runs the same constant-time ladder as ScalarMult.
func (c *Curve) LinearCombinationX(dst, u1, u2, p []byte) ([]byte, error) {
	if err := c.checkReduced(u1); err != nil {
		return nil, err
	}
	if err := c.checkReduced(u2); err != nil {
		return nil, err
	}
	q, err := c.decode(p)
	if err != nil {
		return nil, err
	}
	var r1, r2 point
	c.scalarMult(&r1, &c.g, u1)
	c.scalarMult(&r2, q, u2)
	c.pointAdd(&r1, &r1, &r2)
	return c.appendAffine(dst, &r1, true)
}

// checkReduced checks that k is a ScalarSize-byte integer less than n.
func (c *Curve) checkReduced(k []byte) error {
	if len(k) != c.scalarSize {
		return fmt.Errorf("%w: %d bytes, want %d", ErrScalar, len(k), c.scalarSize)
	}
	if _, err := bigmod.NewNat().SetBytes(k, c.n); err != nil {
		return fmt.Errorf("%w: not less than the order of %s", ErrScalar, c.name)
	}
	return nil
}
