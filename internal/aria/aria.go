// Package aria implements the ARIA block cipher as defined in RFC 5794 (the
// Korean standard KS X 1213), with 128-, 192- and 256-bit keys and a 128-bit
// block.
//
// The implementation is table-driven: its substitution layers look up
// secret-indexed entries in 256-entry tables. Like any table-based block
// cipher in software (compare the discussion of Go's generic AES fallback),
// it is therefore not guaranteed to run in constant time on processors with
// data caches, and can leak key material to an attacker who can measure
// cache timings on the same machine.
//
// A cipher.Block returned by NewCipher is read-only after construction and is
// safe for concurrent use by multiple goroutines.
package aria

import (
	"crypto/cipher"
	"encoding/binary"
	"strconv"
)

// BlockSize is the ARIA block size in bytes.
const BlockSize = 16

// KeySizeError is returned by NewCipher for a key whose length in bytes is
// not 16, 24 or 32.
type KeySizeError int

func (k KeySizeError) Error() string {
	return "aria: invalid key size " + strconv.Itoa(int(k)) + " bytes (want 16, 24 or 32)"
}

// maxRounds is the number of rounds of ARIA-256; ARIA-128 and ARIA-192 use
// 12 and 14.
const maxRounds = 16

type ariaCipher struct {
	rounds int
	// enc and dec hold the round keys ek1..ek(n+1) and dk1..dk(n+1) of
	// RFC 5794 section 2.3, each as two big-endian 64-bit halves.
	enc, dec [maxRounds + 1][2]uint64
}

// NewCipher returns a cipher.Block for the ARIA key, which must be 16, 24 or
// 32 bytes long to select ARIA-128, ARIA-192 or ARIA-256. Any other length
// returns a KeySizeError.
func NewCipher(key []byte) (cipher.Block, error) {
	c := new(ariaCipher)
	switch len(key) {
	case 16:
		c.rounds = 12
	case 24:
		c.rounds = 14
	case 32:
		c.rounds = 16
	default:
		return nil, KeySizeError(len(key))
	}
	c.expandKey(key)
	return c, nil
}

func (c *ariaCipher) BlockSize() int { return BlockSize }

func (c *ariaCipher) Encrypt(dst, src []byte) {
	if len(src) < BlockSize {
		panic("aria: input not full block")
	}
	if len(dst) < BlockSize {
		panic("aria: output not full block")
	}
	crypt(&c.enc, c.rounds, dst, src)
}

func (c *ariaCipher) Decrypt(dst, src []byte) {
	if len(src) < BlockSize {
		panic("aria: input not full block")
	}
	if len(dst) < BlockSize {
		panic("aria: output not full block")
	}
	crypt(&c.dec, c.rounds, dst, src)
}

// crypt runs the ARIA round function of RFC 5794 section 2.4: rounds 1 to
// n-1 alternate the odd function FO and the even function FE, and the last
// round replaces the diffusion layer with a second key addition. Decryption
// is the same computation with the decryption round keys.
func crypt(rk *[maxRounds + 1][2]uint64, rounds int, dst, src []byte) {
	hi := binary.BigEndian.Uint64(src[0:8])
	lo := binary.BigEndian.Uint64(src[8:16])
	for r := 0; r < rounds-1; r++ {
		hi, lo = round(hi^rk[r][0], lo^rk[r][1], &sl[r&1])
	}
	hi ^= rk[rounds-1][0]
	lo ^= rk[rounds-1][1]
	hi = subst(hi, &sl[1])
	lo = subst(lo, &sl[1])
	binary.BigEndian.PutUint64(dst[0:8], hi^rk[rounds][0])
	binary.BigEndian.PutUint64(dst[8:16], lo^rk[rounds][1])
}

// round computes A(SL(x)) for a key-added state x = hi||lo. Each input
// byte's S-box output is replicated across a word and masked into every
// output byte that the diffusion layer XORs it into.
func round(hi, lo uint64, s *[4][256]byte) (uint64, uint64) {
	const rep = 0x0101010101010101
	var yh, yl uint64
	for i := 0; i < 8; i++ {
		a := uint64(s[i&3][byte(hi>>(56-8*i))]) * rep
		b := uint64(s[i&3][byte(lo>>(56-8*i))]) * rep
		yh ^= a&diffMask[i][0] ^ b&diffMask[i+8][0]
		yl ^= a&diffMask[i][1] ^ b&diffMask[i+8][1]
	}
	return yh, yl
}

// subst applies a substitution layer to eight bytes; the pattern of four
// S-boxes repeats every four bytes, so both halves use the same order.
func subst(x uint64, s *[4][256]byte) uint64 {
	return uint64(s[0][x>>56])<<56 | uint64(s[1][byte(x>>48)])<<48 |
		uint64(s[2][byte(x>>40)])<<40 | uint64(s[3][byte(x>>32)])<<32 |
		uint64(s[0][byte(x>>24)])<<24 | uint64(s[1][byte(x>>16)])<<16 |
		uint64(s[2][byte(x>>8)])<<8 | uint64(s[3][byte(x)])
}

func xorBlock(x, k *[BlockSize]byte) {
	a := binary.LittleEndian.Uint64(x[0:8]) ^ binary.LittleEndian.Uint64(k[0:8])
	b := binary.LittleEndian.Uint64(x[8:16]) ^ binary.LittleEndian.Uint64(k[8:16])
	binary.LittleEndian.PutUint64(x[0:8], a)
	binary.LittleEndian.PutUint64(x[8:16], b)
}

// sl1 is the substitution layer of type 1: SB1, SB2, SB3, SB4 repeated.
func sl1(x *[BlockSize]byte) {
	for i := 0; i < BlockSize; i += 4 {
		x[i] = sb1[x[i]]
		x[i+1] = sb2[x[i+1]]
		x[i+2] = sb3[x[i+2]]
		x[i+3] = sb4[x[i+3]]
	}
}

// sl2 is the substitution layer of type 2: SB3, SB4, SB1, SB2 repeated, the
// inverse of sl1.
func sl2(x *[BlockSize]byte) {
	for i := 0; i < BlockSize; i += 4 {
		x[i] = sb3[x[i]]
		x[i+1] = sb4[x[i+1]]
		x[i+2] = sb1[x[i+2]]
		x[i+3] = sb2[x[i+3]]
	}
}

// diffuse is the diffusion layer A of RFC 5794 section 2.4.3, an involution.
// Each output byte is the XOR of seven input bytes; the pairs that several
// outputs share are computed once.
func diffuse(p *[BlockSize]byte) {
	x := *p
	t0 := x[0] ^ x[1]
	t1 := x[2] ^ x[3]
	t2 := x[4] ^ x[5]
	t3 := x[6] ^ x[7]
	t4 := x[8] ^ x[9]
	t5 := x[10] ^ x[11]
	t6 := x[12] ^ x[13]
	t7 := x[14] ^ x[15]
	p[0] = x[3] ^ x[4] ^ x[6] ^ t4 ^ x[13] ^ x[14]
	p[1] = x[2] ^ x[5] ^ x[7] ^ t4 ^ x[12] ^ x[15]
	p[2] = x[1] ^ x[4] ^ x[6] ^ t5 ^ x[12] ^ x[15]
	p[3] = x[0] ^ x[5] ^ x[7] ^ t5 ^ x[13] ^ x[14]
	p[4] = x[0] ^ x[2] ^ x[5] ^ x[8] ^ x[11] ^ t7
	p[5] = x[1] ^ x[3] ^ x[4] ^ x[9] ^ x[10] ^ t7
	p[6] = x[0] ^ x[2] ^ x[7] ^ x[9] ^ x[10] ^ t6
	p[7] = x[1] ^ x[3] ^ x[6] ^ x[8] ^ x[11] ^ t6
	p[8] = t0 ^ x[4] ^ x[7] ^ x[10] ^ x[13] ^ x[15]
	p[9] = t0 ^ x[5] ^ x[6] ^ x[11] ^ x[12] ^ x[14]
	p[10] = t1 ^ x[5] ^ x[6] ^ x[8] ^ x[13] ^ x[15]
	p[11] = t1 ^ x[4] ^ x[7] ^ x[9] ^ x[12] ^ x[14]
	p[12] = x[1] ^ x[2] ^ t3 ^ x[9] ^ x[11] ^ x[12]
	p[13] = x[0] ^ x[3] ^ t3 ^ x[8] ^ x[10] ^ x[13]
	p[14] = x[0] ^ x[3] ^ t2 ^ x[9] ^ x[11] ^ x[14]
	p[15] = x[1] ^ x[2] ^ t2 ^ x[8] ^ x[10] ^ x[15]
}

// The key-schedule constants C1, C2, C3 of RFC 5794 section 2.2.
var ck = [3][BlockSize]byte{
	{0x51, 0x7c, 0xc1, 0xb7, 0x27, 0x22, 0x0a, 0x94, 0xfe, 0x13, 0xab, 0xe8, 0xfa, 0x9a, 0x6e, 0xe0},
	{0x6d, 0xb1, 0x4a, 0xcc, 0x9e, 0x21, 0xc8, 0x20, 0xff, 0x28, 0xb1, 0xd5, 0xef, 0x5d, 0xe2, 0xb0},
	{0xdb, 0x92, 0x37, 0x1d, 0x21, 0x26, 0xe9, 0x70, 0x03, 0x24, 0x97, 0x75, 0x04, 0xe8, 0xc9, 0x0e},
}

// rotr returns x rotated right by n bits, 0 <= n < 128.
func rotr(x [BlockSize]byte, n uint) [BlockSize]byte {
	hi := binary.BigEndian.Uint64(x[0:8])
	lo := binary.BigEndian.Uint64(x[8:16])
	if n >= 64 {
		hi, lo = lo, hi
		n -= 64
	}
	if n > 0 {
		hi, lo = hi>>n|lo<<(64-n), lo>>n|hi<<(64-n)
	}
	var out [BlockSize]byte
	binary.BigEndian.PutUint64(out[0:8], hi)
	binary.BigEndian.PutUint64(out[8:16], lo)
	return out
}

func xor(a, b [BlockSize]byte) [BlockSize]byte {
	xorBlock(&a, &b)
	return a
}

func (c *ariaCipher) expandKey(key []byte) {
	// KL is the first 128 bits of the key, KR the rest right-padded with
	// zeros; the order of C1, C2, C3 rotates with the key size.
	var kl, kr [BlockSize]byte
	copy(kl[:], key[:16])
	copy(kr[:], key[16:])
	first := (len(key) - 16) / 8 // 0, 1, 2

	fo := func(d, k [BlockSize]byte) [BlockSize]byte {
		xorBlock(&d, &k)
		sl1(&d)
		diffuse(&d)
		return d
	}
	fe := func(d, k [BlockSize]byte) [BlockSize]byte {
		xorBlock(&d, &k)
		sl2(&d)
		diffuse(&d)
		return d
	}
	w0 := kl
	w1 := xor(fo(w0, ck[first]), kr)
	w2 := xor(fe(w1, ck[(first+1)%3]), w0)
	w3 := xor(fo(w2, ck[(first+2)%3]), w1)
	w := [4][BlockSize]byte{w0, w1, w2, w3}

	// ek(4g+j+1) = W(j) ^ (W(j+1) >>> r_g) for j = 0..2, and
	// ek(4g+4) = (W0 >>> r_g) ^ W3, where the rotations are >>> 19, >>> 31,
	// <<< 61 and <<< 31 (written as right rotations), and ek17 is
	// W0 ^ (W1 <<< 19).
	rots := [5]uint{19, 31, 128 - 61, 128 - 31, 128 - 19}
	var ek [maxRounds + 1][BlockSize]byte
	for i := 0; i <= c.rounds; i++ {
		g, j := i/4, i%4
		if j < 3 {
			ek[i] = xor(w[j], rotr(w[j+1], rots[g]))
		} else {
			ek[i] = xor(rotr(w[0], rots[g]), w[3])
		}
	}

	// dk1 = ek(n+1), dk(i) = A(ek(n+2-i)) for 1 < i <= n, dk(n+1) = ek1.
	n := c.rounds
	for i := 0; i <= n; i++ {
		dk := ek[n-i]
		if i > 0 && i < n {
			diffuse(&dk)
		}
		c.enc[i] = pack(ek[i])
		c.dec[i] = pack(dk)
	}
}

func pack(x [BlockSize]byte) [2]uint64 {
	return [2]uint64{binary.BigEndian.Uint64(x[0:8]), binary.BigEndian.Uint64(x[8:16])}
}
