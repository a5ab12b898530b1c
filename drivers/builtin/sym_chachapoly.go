package builtin

import (
	"encoding/binary"

	"golang.org/x/crypto/chacha20"
	//lint:ignore SA1019 this file builds the RFC 8439 AEAD from its parts, the use the deprecation note warns others away from: x/crypto/chacha20poly1305 is one-shot only
	"golang.org/x/crypto/poly1305"
)

// chachaPolyStream is the ChaCha20-Poly1305 AEAD of RFC 8439 as a stream:
// additional data, then text in pieces of any size, then the tag.
// golang.org/x/crypto/chacha20poly1305 is one-shot only; this builds the
// same construction from its maintained parts (chacha20 and poly1305) so
// that multi-part operations need not buffer the message. It is
// cross-checked against chacha20poly1305 for every split.
type chachaPolyStream struct {
	c              *chacha20.Cipher
	mac            *poly1305.MAC
	adLen, textLen uint64
	inText         bool
	decrypt        bool
}

// chachaPolyMaxText is the longest plaintext: the 32-bit block counter
// starts at 1.
const chachaPolyMaxText = (1<<32 - 1) * 64

// newChaChaPoly starts ChaCha20-Poly1305 with a 32-byte key and a 12-byte
// nonce (XChaCha20-Poly1305 calls it with its subkey and derived nonce).
func newChaChaPoly(key, nonce []byte, decrypt bool) (*chachaPolyStream, error) {
	c, err := chacha20.NewUnauthenticatedCipher(key, nonce)
	if err != nil {
		return nil, err
	}
	// The one-time Poly1305 key is the first 32 bytes of block 0.
	var polyKey [32]byte
	c.XORKeyStream(polyKey[:], polyKey[:])
	c.SetCounter(1)
	s := &chachaPolyStream{c: c, mac: poly1305.New(&polyKey), decrypt: decrypt}
	clear(polyKey[:])
	return s, nil
}

// newXChaChaPoly starts XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha) with
// a 24-byte nonce: ChaCha20-Poly1305 under the HChaCha20 subkey of the
// first 16 nonce bytes, with the nonce 0^32 || the last 8 nonce bytes.
func newXChaChaPoly(key, nonce []byte, decrypt bool) (*chachaPolyStream, error) {
	sub, err := chacha20.HChaCha20(key, nonce[:16])
	if err != nil {
		return nil, err
	}
	defer clear(sub)
	var n [12]byte
	copy(n[4:], nonce[16:])
	return newChaChaPoly(sub, n[:], decrypt)
}

var zeros16 [16]byte

func (s *chachaPolyStream) addAD(ad []byte) {
	s.adLen += uint64(len(ad))
	s.mac.Write(ad)
}

// crypt encrypts or decrypts src into dst (exact overlap allowed). The
// caller checks the length limit (chachaPolyMaxText).
func (s *chachaPolyStream) crypt(dst, src []byte) {
	if !s.inText {
		s.mac.Write(zeros16[:(16-s.adLen%16)%16])
		s.inText = true
	}
	s.textLen += uint64(len(src))
	if s.decrypt {
		s.mac.Write(src)
		s.c.XORKeyStream(dst, src)
		return
	}
	s.c.XORKeyStream(dst, src)
	s.mac.Write(dst[:len(src)])
}

// sum computes the 16-byte tag.
func (s *chachaPolyStream) sum(tag *[16]byte) {
	if !s.inText {
		s.mac.Write(zeros16[:(16-s.adLen%16)%16])
		s.inText = true
	}
	var l [16]byte
	s.mac.Write(zeros16[:(16-s.textLen%16)%16])
	binary.LittleEndian.PutUint64(l[:8], s.adLen)
	binary.LittleEndian.PutUint64(l[8:], s.textLen)
	s.mac.Write(l[:])
	s.mac.Sum(tag[:0])
}
