// Package cmac implements the CMAC message authentication code of NIST
// SP 800-38B (RFC 4493 for AES), and the plain CBC-MAC of ISO/IEC 9797-1
// (MAC algorithm 1), over any block cipher with a 64-bit or 128-bit block.
//
// Both are exposed as hash.Hash: Write absorbs the message, Sum appends the
// full-length tag to its argument without changing the state, and Reset
// starts a new message with the same key. A PSA truncated MAC is a prefix of
// the Sum output. Compare tags with crypto/subtle.ConstantTimeCompare.
//
// A hash.Hash returned by this package is not safe for concurrent use, but
// several of them may share one cipher.Block, which is only ever used to
// encrypt (the block ciphers of the standard library and of gopsa allow
// concurrent Encrypt calls).
package cmac

import (
	"crypto/cipher"
	"crypto/subtle"
	"errors"
	"fmt"
	"hash"
)

// ErrBlockSize is returned (wrapped) by New and NewCBCMAC for a block cipher
// whose block size is neither 8 nor 16 bytes.
var ErrBlockSize = errors.New("cmac: unsupported cipher block size")

// maxBlockSize is the largest supported block size.
const maxBlockSize = 16

type mac struct {
	b  cipher.Block
	bs int
	// k1 and k2 are the CMAC subkeys; both stay zero for CBC-MAC.
	k1, k2 [maxBlockSize]byte
	// x is the chaining value XORed with the pending input: x[:n] already
	// holds x_i XOR the first n bytes of the next block.
	x [maxBlockSize]byte
	n int
	// full records that x holds a complete block that has not been
	// encrypted yet, because CMAC must treat the final block specially.
	full  bool
	cmac  bool
	empty bool // no byte written since Reset
	tmp   [maxBlockSize]byte
}

func newMAC(b cipher.Block, isCMAC bool) (*mac, error) {
	bs := b.BlockSize()
	if bs != 8 && bs != 16 {
		return nil, fmt.Errorf("%w: %d bytes (want 8 or 16)", ErrBlockSize, bs)
	}
	m := &mac{b: b, bs: bs, cmac: isCMAC, empty: true}
	if isCMAC {
		// SP 800-38B section 6.1: L = E(0^b); K1 = dbl(L); K2 = dbl(K1).
		var l [maxBlockSize]byte
		b.Encrypt(l[:bs], l[:bs])
		dbl(m.k1[:bs], l[:bs])
		dbl(m.k2[:bs], m.k1[:bs])
		clear(l[:])
	}
	return m, nil
}

// dbl sets dst to src shifted left by one bit in GF(2^b), reducing by
// R_64 = 0x1b or R_128 = 0x87, without a secret-dependent branch.
func dbl(dst, src []byte) {
	r := byte(0x87)
	if len(src) == 8 {
		r = 0x1b
	}
	msb := src[0] >> 7
	for i := 0; i < len(src)-1; i++ {
		dst[i] = src[i]<<1 | src[i+1]>>7
	}
	dst[len(src)-1] = src[len(src)-1]<<1 ^ byte(subtle.ConstantTimeSelect(int(msb), int(r), 0))
}

// New returns a hash.Hash computing CMAC (NIST SP 800-38B) with the block
// cipher b, whose block size must be 8 bytes (e.g. Triple-DES) or 16 bytes
// (e.g. AES, ARIA, Camellia); any other block size returns an error wrapping
// ErrBlockSize. The tag size (Size) equals the block size.
func New(b cipher.Block) (hash.Hash, error) {
	m, err := newMAC(b, true)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// NewCBCMAC returns a hash.Hash computing CBC-MAC as MAC algorithm 1 of
// ISO/IEC 9797-1 with padding method 1: the message is right-padded with
// zero bytes to a positive multiple of the block size (so the empty message
// is one zero block), CBC-encrypted with a zero IV, and the last ciphertext
// block is the tag. For messages whose length is a multiple of the block
// size this is the raw CBC-MAC. The block size must be 8 or 16 bytes, else
// the error wraps ErrBlockSize.
//
// CBC-MAC is only secure for messages of a single fixed length; prefer New.
func NewCBCMAC(b cipher.Block) (hash.Hash, error) {
	m, err := newMAC(b, false)
	if err != nil {
		return nil, err
	}
	return m, nil
}

func (m *mac) Size() int      { return m.bs }
func (m *mac) BlockSize() int { return m.bs }

func (m *mac) Reset() {
	clear(m.x[:])
	m.n = 0
	m.full = false
	m.empty = true
}

// Write absorbs p. It never returns an error.
func (m *mac) Write(p []byte) (int, error) {
	written := len(p)
	if len(p) == 0 {
		return 0, nil
	}
	m.empty = false
	bs := m.bs
	if m.full {
		// More data follows, so the held block is not the last one.
		m.b.Encrypt(m.x[:bs], m.x[:bs])
		m.full = false
	}
	if m.n > 0 {
		k := subtle.XORBytes(m.x[m.n:bs], m.x[m.n:bs], p)
		m.n += k
		p = p[k:]
		if m.n < bs {
			return written, nil
		}
		m.n = 0
		if len(p) == 0 {
			m.full = true
			return written, nil
		}
		m.b.Encrypt(m.x[:bs], m.x[:bs])
	}
	// Whole blocks, keeping the last complete block pending.
	for len(p) > bs {
		subtle.XORBytes(m.x[:bs], m.x[:bs], p[:bs])
		m.b.Encrypt(m.x[:bs], m.x[:bs])
		p = p[bs:]
	}
	m.n = subtle.XORBytes(m.x[:len(p)], m.x[:len(p)], p)
	if m.n == bs {
		m.n = 0
		m.full = true
	}
	return written, nil
}

// Sum appends the tag of the message written so far to in and returns the
// resulting slice. It does not change the state.
func (m *mac) Sum(in []byte) []byte {
	bs := m.bs
	t := m.tmp[:bs]
	copy(t, m.x[:bs])
	switch {
	case m.full:
		// Complete final block: XOR K1 (zero for CBC-MAC).
		subtle.XORBytes(t, t, m.k1[:bs])
	case m.n > 0 || m.empty:
		// Partial or empty final block.
		if m.cmac {
			// Padding 10*: XOR 0x80 after the data, then K2.
			t[m.n] ^= 0x80
			subtle.XORBytes(t, t, m.k2[:bs])
		}
		// CBC-MAC pads with zero bytes, which leaves x unchanged.
	}
	m.b.Encrypt(t, t)
	ret := append(in, t...)
	clear(t)
	return ret
}
