package builtin

import (
	"encoding/binary"
	"hash"
	"math/bits"
)

// RIPEMD-160 (Dobbertin, Bosselaers, Preneel, 1996; ISO/IEC 10118-3).
//
// The builtin driver carries its own RIPEMD-160 rather than using
// golang.org/x/crypto/ripemd160: that package is deprecated (frozen), and
// its digest exposes neither Clone nor its state, so psa_hash_clone and
// psa_hash_suspend could not be offered. The algorithm is small and fixed;
// it is checked against the published vectors of its authors and of the
// Mbed TLS suites.

const (
	rmdSize      = 20
	rmdBlockSize = 64
)

type ripemd160 struct {
	s   [5]uint32
	x   [rmdBlockSize]byte
	nx  int
	len uint64
}

func newRIPEMD160() *ripemd160 {
	d := new(ripemd160)
	d.Reset()
	return d
}

func (d *ripemd160) Reset() {
	d.s = [5]uint32{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0}
	d.nx = 0
	d.len = 0
}

func (d *ripemd160) Size() int      { return rmdSize }
func (d *ripemd160) BlockSize() int { return rmdBlockSize }

func (d *ripemd160) Write(p []byte) (int, error) {
	n := len(p)
	d.len += uint64(n)
	if d.nx > 0 {
		c := copy(d.x[d.nx:], p)
		d.nx += c
		p = p[c:]
		if d.nx < rmdBlockSize {
			return n, nil
		}
		rmdBlocks(&d.s, d.x[:])
		d.nx = 0
	}
	if len(p) >= rmdBlockSize {
		m := len(p) &^ (rmdBlockSize - 1)
		rmdBlocks(&d.s, p[:m])
		p = p[m:]
	}
	d.nx = copy(d.x[:], p)
	return n, nil
}

// Sum appends the hash to b without changing the state.
func (d *ripemd160) Sum(b []byte) []byte {
	c := *d
	var pad [rmdBlockSize + 8]byte
	pad[0] = 0x80
	n := 1 + (55-int(c.len%rmdBlockSize)+rmdBlockSize)%rmdBlockSize
	binary.LittleEndian.PutUint64(pad[n:], c.len<<3)
	c.Write(pad[:n+8])
	for _, v := range c.s {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

func (d *ripemd160) Clone() (hash.Cloner, error) {
	c := *d
	return &c, nil
}

// The message word order, rotation amounts and constants of the left (l)
// and right (r) lines, five rounds of sixteen steps each.
var (
	rmdZL = [80]uint8{
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
		7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8,
		3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12,
		1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2,
		4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13,
	}
	rmdZR = [80]uint8{
		5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12,
		6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2,
		15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13,
		8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14,
		12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11,
	}
	rmdSL = [80]uint8{
		11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8,
		7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12,
		11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5,
		11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12,
		9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6,
	}
	rmdSR = [80]uint8{
		8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6,
		9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11,
		9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5,
		15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8,
		8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11,
	}
	rmdKL = [5]uint32{0x00000000, 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xa953fd4e}
	rmdKR = [5]uint32{0x50a28be6, 0x5c4dd124, 0x6d703ef3, 0x7a6d76e9, 0x00000000}
)

// rmdF is the boolean function of round j (0 to 4).
func rmdF(j int, x, y, z uint32) uint32 {
	switch j {
	case 0:
		return x ^ y ^ z
	case 1:
		return x&y | ^x&z
	case 2:
		return (x | ^y) ^ z
	case 3:
		return x&z | y&^z
	}
	return x ^ (y | ^z)
}

// rmdBlocks compresses whole 64-byte blocks of p into s.
func rmdBlocks(s *[5]uint32, p []byte) {
	var x [16]uint32
	for ; len(p) >= rmdBlockSize; p = p[rmdBlockSize:] {
		for i := range x {
			x[i] = binary.LittleEndian.Uint32(p[4*i:])
		}
		al, bl, cl, dl, el := s[0], s[1], s[2], s[3], s[4]
		ar, br, cr, dr, er := al, bl, cl, dl, el
		for j := range 80 {
			round := j / 16
			t := bits.RotateLeft32(al+rmdF(round, bl, cl, dl)+x[rmdZL[j]]+rmdKL[round], int(rmdSL[j])) + el
			al, el, dl, cl, bl = el, dl, bits.RotateLeft32(cl, 10), bl, t
			t = bits.RotateLeft32(ar+rmdF(4-round, br, cr, dr)+x[rmdZR[j]]+rmdKR[round], int(rmdSR[j])) + er
			ar, er, dr, cr, br = er, dr, bits.RotateLeft32(cr, 10), br, t
		}
		t := s[1] + cl + dr
		s[1] = s[2] + dl + er
		s[2] = s[3] + el + ar
		s[3] = s[4] + al + br
		s[4] = s[0] + bl + cr
		s[0] = t
	}
}
