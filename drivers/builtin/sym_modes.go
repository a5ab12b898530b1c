package builtin

import (
	"crypto/cipher"
	"crypto/subtle"
)

// Block cipher modes that the standard library does not offer (or only
// offers deprecated): CFB with a full-block segment, OFB, and XTS with
// ciphertext stealing. Each works for any block size.

// cfbStream is CFB-b of SP 800-38A with the segment size equal to the
// block size, extended to a partial final segment (PSA_ALG_CFB).
type cfbStream struct {
	b       cipher.Block
	reg     [16]byte // the next input block of the cipher: the last ciphertext block
	ks      [16]byte // keystream of the current segment
	used    int      // bytes of ks already used
	decrypt bool
}

func newCFB(b cipher.Block, iv []byte, decrypt bool) *cfbStream {
	s := &cfbStream{b: b, decrypt: decrypt, used: b.BlockSize()}
	copy(s.reg[:], iv)
	return s
}

// XORKeyStream encrypts or decrypts src into dst, which may overlap src
// exactly.
func (s *cfbStream) XORKeyStream(dst, src []byte) {
	bs := s.b.BlockSize()
	for i := range src {
		if s.used == bs {
			s.b.Encrypt(s.ks[:bs], s.reg[:bs])
			s.used = 0
		}
		c := src[i]
		p := c ^ s.ks[s.used]
		dst[i] = p
		if s.decrypt {
			s.reg[s.used] = c
		} else {
			s.reg[s.used] = p
		}
		s.used++
	}
}

// ofbStream is OFB of SP 800-38A, with a partial final block.
type ofbStream struct {
	b    cipher.Block
	ks   [16]byte
	used int
}

func newOFB(b cipher.Block, iv []byte) *ofbStream {
	s := &ofbStream{b: b, used: b.BlockSize()}
	copy(s.ks[:], iv)
	return s
}

func (s *ofbStream) XORKeyStream(dst, src []byte) {
	bs := s.b.BlockSize()
	for len(src) > 0 {
		if s.used == bs {
			s.b.Encrypt(s.ks[:bs], s.ks[:bs])
			s.used = 0
		}
		n := subtle.XORBytes(dst, src, s.ks[s.used:bs])
		s.used += n
		src, dst = src[n:], dst[n:]
	}
}

// xtsState is XTS of IEEE 1619 over a 128-bit block cipher: data is
// processed with key1, the IV (the 16-byte tweak, used as given) is
// encrypted with key2, and the tweak is multiplied by α after each block.
// The last full block and a trailing partial block are processed together
// with ciphertext stealing.
type xtsState struct {
	data cipher.Block
	t    [16]byte // tweak of the next block
}

// xtsMulAlpha multiplies the tweak by α in GF(2^128), in the
// little-endian byte convention of IEEE 1619.
func xtsMulAlpha(t *[16]byte) {
	var carry byte
	for i := range t {
		next := t[i] >> 7
		t[i] = t[i]<<1 | carry
		carry = next
	}
	// Constant time: 0x87 when the bit shifted out was set.
	t[0] ^= 0x87 & -carry
}

// block processes one block from src to dst with tweak t.
func (x *xtsState) block(dst, src []byte, t *[16]byte, decrypt bool) {
	var b [16]byte
	subtle.XORBytes(b[:], src[:16], t[:])
	if decrypt {
		x.data.Decrypt(b[:], b[:])
	} else {
		x.data.Encrypt(b[:], b[:])
	}
	subtle.XORBytes(dst[:16], b[:], t[:])
}

// blocks processes whole blocks, advancing the tweak.
func (x *xtsState) blocks(dst, src []byte, decrypt bool) {
	for len(src) >= 16 {
		x.block(dst, src, &x.t, decrypt)
		xtsMulAlpha(&x.t)
		src, dst = src[16:], dst[16:]
	}
}

// final processes the last 16 to 31 bytes: one block, or a block and a
// partial block with ciphertext stealing.
func (x *xtsState) final(dst, src []byte, decrypt bool) {
	if len(src) == 16 {
		x.blocks(dst, src, decrypt)
		return
	}
	r := len(src) - 16
	t1 := x.t
	t2 := t1
	xtsMulAlpha(&t2)
	var cc [16]byte
	if decrypt {
		// The last full ciphertext block was made with the later tweak.
		x.block(cc[:], src[:16], &t2, true)
		var c [16]byte
		copy(c[:], src[16:])
		copy(c[r:], cc[r:])
		copy(dst[16:], cc[:r])
		x.block(dst[:16], c[:], &t1, true)
	} else {
		x.block(cc[:], src[:16], &t1, false)
		var p [16]byte
		copy(p[:], src[16:])
		copy(p[r:], cc[r:])
		copy(dst[16:], cc[:r])
		x.block(dst[:16], p[:], &t2, false)
	}
}

// pkcs7Unpad checks the PKCS #7 padding of the last block in constant
// time and returns the number of plaintext bytes in it, or -1 if the
// padding is not valid.
func pkcs7Unpad(block []byte) int {
	bs := len(block)
	p := int(block[bs-1])
	// good is 1 while the padding is valid: 1 <= p <= bs and the last p
	// bytes all equal p.
	good := subtle.ConstantTimeLessOrEq(1, p) & subtle.ConstantTimeLessOrEq(p, bs)
	for i := range bs {
		inPad := subtle.ConstantTimeLessOrEq(bs-i, p)
		eq := subtle.ConstantTimeByteEq(block[i], byte(p))
		// Outside the padding anything goes; inside it must equal p.
		good &= eq | (1 ^ inPad)
	}
	return subtle.ConstantTimeSelect(good, bs-p, -1)
}
