package weierstrass

import (
	"bytes"
	"math/big"
	"testing"
)

// TestLinearCombination checks the weierstrass extension against the
// curve's own scalar multiplications: u1·G + u2·P with u2 = 0, and u1 = 0.
func TestLinearCombination(t *testing.T) {
	c := Secp256k1()
	d := make([]byte, c.ScalarSize())
	d[len(d)-1] = 7
	p, err := c.ScalarBaseMult(nil, d)
	if err != nil {
		t.Fatal(err)
	}
	zero := make([]byte, c.ScalarSize())
	x, err := c.LinearCombinationX(nil, d, zero, p)
	if err != nil || !bytes.Equal(x, p[1:1+c.FieldSize()]) {
		t.Errorf("7·G + 0·P = %x, %v; want %x", x, err, p[1:1+c.FieldSize()])
	}
	one := make([]byte, c.ScalarSize())
	one[len(one)-1] = 1
	x, err = c.LinearCombinationX(nil, zero, one, p)
	if err != nil || !bytes.Equal(x, p[1:1+c.FieldSize()]) {
		t.Errorf("0·G + 1·P = %x, %v", x, err)
	}
	// n-7 times G plus P is the point at infinity.
	n := new(big.Int).SetBytes(c.Order())
	u1 := new(big.Int).Sub(n, big.NewInt(7)).FillBytes(make([]byte, c.ScalarSize()))
	if _, err := c.LinearCombinationX(nil, u1, one, p); err == nil {
		t.Error("the point at infinity was accepted")
	}
	if _, err := c.LinearCombinationX(nil, c.Order(), one, p); err == nil {
		t.Error("a scalar equal to n was accepted")
	}
}
