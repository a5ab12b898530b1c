// Package camellia implements the Camellia block cipher as defined in
// RFC 3713, with 128-, 192- and 256-bit keys and a 128-bit block.
//
// The implementation is table-driven: each round looks up eight 64-bit
// table entries indexed by secret bytes. Like any table-based block cipher in
// software (compare the discussion of Go's generic AES fallback), it is
// therefore not guaranteed to run in constant time on processors with data
// caches, and can leak key material to an attacker who can measure cache
// timings on the same machine. Prefer AES with hardware support where
// timing side channels are a concern.
//
// A cipher.Block returned by NewCipher is read-only after construction and is
// safe for concurrent use by multiple goroutines.
package camellia

import (
	"crypto/cipher"
	"encoding/binary"
	"strconv"
)

// BlockSize is the Camellia block size in bytes.
const BlockSize = 16

// KeySizeError is returned by NewCipher for a key whose length in bytes is
// not 16, 24 or 32.
type KeySizeError int

func (k KeySizeError) Error() string {
	return "camellia: invalid key size " + strconv.Itoa(int(k)) + " bytes (want 16, 24 or 32)"
}

// schedule holds the subkeys of one direction, in the order the data path
// uses them, so that encryption and decryption share one routine.
type schedule struct {
	kw     [4]uint64 // kw[0], kw[1] whiten the input; kw[2], kw[3] the output
	k      [24]uint64
	ke     [6]uint64 // pairs (FL key, FL⁻¹ key), one pair per FL layer
	rounds int       // 18 or 24
}

type camelliaCipher struct {
	enc, dec schedule
}

// NewCipher returns a cipher.Block for the Camellia key, which must be 16,
// 24 or 32 bytes long to select Camellia-128, Camellia-192 or Camellia-256.
// Any other length returns a KeySizeError.
func NewCipher(key []byte) (cipher.Block, error) {
	switch len(key) {
	case 16, 24, 32:
	default:
		return nil, KeySizeError(len(key))
	}
	c := new(camelliaCipher)
	c.expandKey(key)
	return c, nil
}

func (c *camelliaCipher) BlockSize() int { return BlockSize }

func (c *camelliaCipher) Encrypt(dst, src []byte) {
	if len(src) < BlockSize {
		panic("camellia: input not full block")
	}
	if len(dst) < BlockSize {
		panic("camellia: output not full block")
	}
	crypt(&c.enc, dst, src)
}

func (c *camelliaCipher) Decrypt(dst, src []byte) {
	if len(src) < BlockSize {
		panic("camellia: input not full block")
	}
	if len(dst) < BlockSize {
		panic("camellia: output not full block")
	}
	crypt(&c.dec, dst, src)
}

// crypt runs the Feistel network of RFC 3713 section 2.3 (encryption) or
// 2.4 (decryption, which is the same network with the subkeys reversed).
func crypt(s *schedule, dst, src []byte) {
	d1 := binary.BigEndian.Uint64(src[0:8]) ^ s.kw[0]
	d2 := binary.BigEndian.Uint64(src[8:16]) ^ s.kw[1]
	for i := 0; i < s.rounds; i += 6 {
		if i > 0 {
			l := i/3 - 2
			d1 = fl(d1, s.ke[l])
			d2 = flInv(d2, s.ke[l+1])
		}
		d2 ^= f(d1, s.k[i])
		d1 ^= f(d2, s.k[i+1])
		d2 ^= f(d1, s.k[i+2])
		d1 ^= f(d2, s.k[i+3])
		d2 ^= f(d1, s.k[i+4])
		d1 ^= f(d2, s.k[i+5])
	}
	d2 ^= s.kw[2]
	d1 ^= s.kw[3]
	binary.BigEndian.PutUint64(dst[0:8], d2)
	binary.BigEndian.PutUint64(dst[8:16], d1)
}

// f is the F-function: key addition, the S-function and the P-function,
// with the last two folded into the sp tables.
func f(x, k uint64) uint64 {
	x ^= k
	return sp[0][x>>56] ^ sp[1][byte(x>>48)] ^ sp[2][byte(x>>40)] ^ sp[3][byte(x>>32)] ^
		sp[4][byte(x>>24)] ^ sp[5][byte(x>>16)] ^ sp[6][byte(x>>8)] ^ sp[7][byte(x)]
}

func rotl32(x uint32, n uint) uint32 { return x<<n | x>>(32-n) }

func fl(x, k uint64) uint64 {
	x1, x2 := uint32(x>>32), uint32(x)
	k1, k2 := uint32(k>>32), uint32(k)
	x2 ^= rotl32(x1&k1, 1)
	x1 ^= x2 | k2
	return uint64(x1)<<32 | uint64(x2)
}

func flInv(y, k uint64) uint64 {
	y1, y2 := uint32(y>>32), uint32(y)
	k1, k2 := uint32(k>>32), uint32(k)
	y1 ^= y2 | k2
	y2 ^= rotl32(y1&k1, 1)
	return uint64(y1)<<32 | uint64(y2)
}

// u128 is a 128-bit value as two big-endian halves.
type u128 struct{ hi, lo uint64 }

func (x u128) xor(y u128) u128 { return u128{x.hi ^ y.hi, x.lo ^ y.lo} }

// rotl rotates x left by n bits, 0 <= n < 128.
func (x u128) rotl(n uint) u128 {
	if n >= 64 {
		x = u128{x.lo, x.hi}
		n -= 64
	}
	if n == 0 {
		return x
	}
	return u128{x.hi<<n | x.lo>>(64-n), x.lo<<n | x.hi>>(64-n)}
}

// The key-schedule constants Σ1..Σ6 of RFC 3713 section 2.2.
var sigma = [6]uint64{
	0xA09E667F3BCC908B,
	0xB67AE8584CAA73B2,
	0xC6EF372FE94F82BE,
	0x54FF53A5F1D36F1C,
	0x10E527FADE682D1D,
	0xB05688C2B3E6C1FD,
}

// subkey names one 64-bit subkey of RFC 3713 section 2.2: the high (or low)
// half of one of KL, KR, KA, KB rotated left by rot bits.
type subkey struct {
	src  byte // 'L', 'R', 'A' or 'B'
	rot  uint
	high bool
}

// The subkey tables of RFC 3713 section 2.2, in data-path order. The
// 128-bit schedule's k10 is the only subkey whose pair partner (k9, the
// high half of KA<<<45) comes from a different source, which is why the
// table lists halves rather than pairs.
var (
	kw128 = [4]subkey{{'L', 0, true}, {'L', 0, false}, {'A', 111, true}, {'A', 111, false}}
	k128  = [18]subkey{
		{'A', 0, true}, {'A', 0, false}, {'L', 15, true}, {'L', 15, false}, {'A', 15, true}, {'A', 15, false},
		{'L', 45, true}, {'L', 45, false}, {'A', 45, true}, {'L', 60, false}, {'A', 60, true}, {'A', 60, false},
		{'L', 94, true}, {'L', 94, false}, {'A', 94, true}, {'A', 94, false}, {'L', 111, true}, {'L', 111, false},
	}
	ke128 = [4]subkey{{'A', 30, true}, {'A', 30, false}, {'L', 77, true}, {'L', 77, false}}

	kw256 = [4]subkey{{'L', 0, true}, {'L', 0, false}, {'B', 111, true}, {'B', 111, false}}
	k256  = [24]subkey{
		{'B', 0, true}, {'B', 0, false}, {'R', 15, true}, {'R', 15, false}, {'A', 15, true}, {'A', 15, false},
		{'B', 30, true}, {'B', 30, false}, {'L', 45, true}, {'L', 45, false}, {'A', 45, true}, {'A', 45, false},
		{'R', 60, true}, {'R', 60, false}, {'B', 60, true}, {'B', 60, false}, {'L', 77, true}, {'L', 77, false},
		{'R', 94, true}, {'R', 94, false}, {'A', 94, true}, {'A', 94, false}, {'L', 111, true}, {'L', 111, false},
	}
	ke256 = [6]subkey{{'R', 30, true}, {'R', 30, false}, {'L', 60, true}, {'L', 60, false}, {'A', 77, true}, {'A', 77, false}}
)

func (c *camelliaCipher) expandKey(key []byte) {
	var kl, kr u128
	kl = u128{binary.BigEndian.Uint64(key[0:8]), binary.BigEndian.Uint64(key[8:16])}
	switch len(key) {
	case 24:
		r := binary.BigEndian.Uint64(key[16:24])
		kr = u128{r, ^r}
	case 32:
		kr = u128{binary.BigEndian.Uint64(key[16:24]), binary.BigEndian.Uint64(key[24:32])}
	}

	d := kl.xor(kr)
	d.lo ^= f(d.hi, sigma[0])
	d.hi ^= f(d.lo, sigma[1])
	d = d.xor(kl)
	d.lo ^= f(d.hi, sigma[2])
	d.hi ^= f(d.lo, sigma[3])
	ka := d
	d = ka.xor(kr)
	d.lo ^= f(d.hi, sigma[4])
	d.hi ^= f(d.lo, sigma[5])
	kb := d

	get := func(s subkey) uint64 {
		var v u128
		switch s.src {
		case 'L':
			v = kl
		case 'R':
			v = kr
		case 'A':
			v = ka
		default:
			v = kb
		}
		v = v.rotl(s.rot)
		if s.high {
			return v.hi
		}
		return v.lo
	}

	e := &c.enc
	var kws []subkey
	var ks, kes []subkey
	if len(key) == 16 {
		e.rounds = 18
		kws, ks, kes = kw128[:], k128[:], ke128[:]
	} else {
		e.rounds = 24
		kws, ks, kes = kw256[:], k256[:], ke256[:]
	}
	for i, s := range kws {
		e.kw[i] = get(s)
	}
	for i, s := range ks {
		e.k[i] = get(s)
	}
	for i, s := range kes {
		e.ke[i] = get(s)
	}

	// Decryption runs the same network with every subkey sequence reversed
	// (RFC 3713 section 2.4): the output whitening keys move to the input,
	// and within each FL layer the FL and FL⁻¹ keys trade places.
	dd := &c.dec
	dd.rounds = e.rounds
	dd.kw = [4]uint64{e.kw[2], e.kw[3], e.kw[0], e.kw[1]}
	for i := 0; i < e.rounds; i++ {
		dd.k[i] = e.k[e.rounds-1-i]
	}
	nke := len(kes)
	for i := 0; i < nke; i++ {
		dd.ke[i] = e.ke[nke-1-i]
	}
}
