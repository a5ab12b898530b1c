package builtin

import (
	"io"

	"filippo.io/bigmod"
)

// appendScalar draws a private value in [1, n-1] with the procedure that
// the specification gives for Weierstrass private keys and DH private keys
// (testing candidates, SP 800-56A §5.6.1.2.2 and §5.6.1.1.4): draw
// ⌈m/8⌉ bytes where m is the bit size of n, clear the excess high bits,
// draw again if the value k exceeds n-2, and output k+1, big-endian, in
// n's byte size. Comparisons run in constant time.
func appendScalar(r io.Reader, n *bigmod.Modulus, dst []byte) ([]byte, error) {
	size := n.Size()
	excess := uint(8*size - n.BitLen())
	buf := make([]byte, size)
	defer wipe(buf)
	one := bigmod.NewNat().ExpandFor(n)
	one.Bits()[0] = 1
	for {
		if err := readFull(r, buf); err != nil {
			return nil, err
		}
		buf[0] &= 0xff >> excess
		k, err := bigmod.NewNat().SetBytes(buf, n)
		if err != nil { // k ≥ n
			continue
		}
		if k.IsMinusOne(n) == 1 { // k = n-1
			continue
		}
		b := k.Add(one, n).Bytes(n)
		out := append(dst, b...)
		wipe(b)
		k.Sub(k, n) // k = 0
		return out, nil
	}
}
