package builtin

import (
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
)

// gcmStream is GCM (NIST SP 800-38D) as a stream: additional data, then
// text in pieces of any size, then the tag. The standard library's GCM is
// one-shot only, so multi-part operations (and the nonce and tag lengths
// that cipher.NewGCMWith* does not accept) use this implementation; it is
// cross-checked against the standard library for every split.
//
// GHASH multiplies by H with a table of H·x^i for i = 0..127, every entry
// of which is read for every block (selected by masks, not by index), so
// that the multiplication runs in constant time. It is several times
// slower than the standard library's assembly, which single-part
// operations use whenever they can.
type gcmStream struct {
	b   cipher.Block
	tab [128][2]uint64 // H·x^i, as (bytes 0-7, bytes 8-15) big-endian
	y   [2]uint64      // GHASH accumulator

	j0      [16]byte // pre-counter block
	ctr     [16]byte // next counter block
	ks      [16]byte // keystream of the current block
	used    int      // bytes of ks already used
	partial [16]byte // GHASH input not yet a whole block
	np      int

	adLen, textLen uint64
	inText         bool
	decrypt        bool
}

// gcmMaxText is the longest GCM plaintext: 2^32 - 2 blocks.
const gcmMaxText = (1<<32 - 2) * 16

func newGCMStream(b cipher.Block, nonce []byte, decrypt bool) *gcmStream {
	g := &gcmStream{b: b, decrypt: decrypt, used: 16}
	var h [16]byte
	b.Encrypt(h[:], h[:])
	hi, lo := binary.BigEndian.Uint64(h[:8]), binary.BigEndian.Uint64(h[8:])
	for i := range g.tab {
		g.tab[i] = [2]uint64{hi, lo}
		// Multiply by x: a right shift in GCM's bit order, reduced by
		// R = 11100001 || 0^120.
		r := -(lo & 1) & 0xe100000000000000
		lo = lo>>1 | hi<<63
		hi = hi>>1 ^ r
	}
	clear(h[:])
	if len(nonce) == 12 {
		copy(g.j0[:], nonce)
		g.j0[15] = 1
	} else {
		g.ghash(nonce)
		g.flush()
		var l [16]byte
		binary.BigEndian.PutUint64(l[8:], uint64(len(nonce))*8)
		g.ghash(l[:])
		binary.BigEndian.PutUint64(g.j0[:8], g.y[0])
		binary.BigEndian.PutUint64(g.j0[8:], g.y[1])
		g.y = [2]uint64{}
	}
	g.ctr = g.j0
	gcmInc32(&g.ctr)
	return g
}

// gcmInc32 increments the low 32 bits of a counter block, modulo 2^32.
func gcmInc32(c *[16]byte) {
	binary.BigEndian.PutUint32(c[12:], binary.BigEndian.Uint32(c[12:])+1)
}

// mulH sets y to (y xor block)·H.
func (g *gcmStream) mulH(xh, xl uint64) {
	xh ^= g.y[0]
	xl ^= g.y[1]
	var zh, zl uint64
	for i := range 64 {
		m := -(xh >> (63 - i) & 1)
		zh ^= g.tab[i][0] & m
		zl ^= g.tab[i][1] & m
	}
	for i := range 64 {
		m := -(xl >> (63 - i) & 1)
		zh ^= g.tab[64+i][0] & m
		zl ^= g.tab[64+i][1] & m
	}
	g.y = [2]uint64{zh, zl}
}

// ghash absorbs data, buffering a partial block.
func (g *gcmStream) ghash(data []byte) {
	if g.np > 0 {
		n := copy(g.partial[g.np:], data)
		g.np += n
		data = data[n:]
		if g.np < 16 {
			return
		}
		g.mulH(binary.BigEndian.Uint64(g.partial[:8]), binary.BigEndian.Uint64(g.partial[8:]))
		g.np = 0
	}
	for len(data) >= 16 {
		g.mulH(binary.BigEndian.Uint64(data[:8]), binary.BigEndian.Uint64(data[8:16]))
		data = data[16:]
	}
	g.np = copy(g.partial[:], data)
}

// flush pads a partial GHASH block with zeros and absorbs it.
func (g *gcmStream) flush() {
	if g.np > 0 {
		clear(g.partial[g.np:])
		g.mulH(binary.BigEndian.Uint64(g.partial[:8]), binary.BigEndian.Uint64(g.partial[8:]))
		g.np = 0
	}
}

// addAD absorbs additional data; it must come before any text.
func (g *gcmStream) addAD(ad []byte) {
	g.adLen += uint64(len(ad))
	g.ghash(ad)
}

// crypt encrypts or decrypts src into dst (same length, exact overlap
// allowed). The caller checks the length limit (gcmMaxText).
func (g *gcmStream) crypt(dst, src []byte) {
	if !g.inText {
		g.flush()
		g.inText = true
	}
	g.textLen += uint64(len(src))
	if g.decrypt {
		g.ghash(src)
	}
	out := dst
	for len(src) > 0 {
		if g.used == 16 {
			g.b.Encrypt(g.ks[:], g.ctr[:])
			gcmInc32(&g.ctr)
			g.used = 0
		}
		n := subtle.XORBytes(dst, src, g.ks[g.used:])
		g.used += n
		src, dst = src[n:], dst[n:]
	}
	if !g.decrypt {
		g.ghash(out[:len(out)-len(dst)])
	}
}

// sum computes the full 16-byte tag.
func (g *gcmStream) sum(tag *[16]byte) {
	g.flush()
	g.mulH(g.adLen*8, g.textLen*8)
	var s [16]byte
	binary.BigEndian.PutUint64(s[:8], g.y[0])
	binary.BigEndian.PutUint64(s[8:], g.y[1])
	g.b.Encrypt(tag[:], g.j0[:])
	subtle.XORBytes(tag[:], tag[:], s[:])
}

// wipe clears the key-dependent state.
func (g *gcmStream) wipe() {
	clear(g.tab[:])
	g.y = [2]uint64{}
	clear(g.ks[:])
	clear(g.partial[:])
}
