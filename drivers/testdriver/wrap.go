package testdriver

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/gopsa/psa/values"
)

// A key context of the opaque test drivers is the key material, masked so
// that the core cannot read it and tagged so that the driver notices a
// context that it did not make for these attributes:
//
//	magic (8) | nonce (16) | material XOR AES-256-CTR(maskKey, nonce) | tag (16)
//
// The tag is HMAC-SHA-256(tagKey, magic | location | type | bits | nonce |
// masked material), truncated to 16 bytes: a context is bound to the
// location, key type and size it was made for, not to the policy, which
// psa_copy_key may narrow. maskKey and tagKey derive from the driver's
// Secret. This plays the part of the C reference test driver's key
// "wrapping", with real confidentiality and integrity.
const (
	wrapMagic    = "gopsaTD1"
	wrapNonceLen = 16
	wrapTagLen   = 16
	wrapOverhead = len(wrapMagic) + wrapNonceLen + wrapTagLen
)

// defaultSecret is the Secret of an Opaque driver that was given none: a
// fixed value, so that persistent keys made by one instance can be used by
// the next, as a secure element's would.
const defaultSecret = "gopsa test driver: opaque key wrapping secret"

// wrapper holds the keys derived from a driver secret.
type wrapper struct {
	mask cipher.Block
	tag  []byte
}

func newWrapper(secret []byte) (*wrapper, error) {
	if len(secret) == 0 {
		secret = []byte(defaultSecret)
	}
	derive := func(label string) []byte {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(label))
		return m.Sum(nil)
	}
	mk := derive("mask")
	block, err := aes.NewCipher(mk)
	clear(mk)
	if err != nil {
		return nil, err
	}
	return &wrapper{mask: block, tag: derive("tag")}, nil
}

func (w *wrapper) mac(attrs *values.Attributes, bits int, body []byte) []byte {
	var hdr [8]byte
	binary.BigEndian.PutUint32(hdr[0:], uint32(attrs.Lifetime.Location()))
	binary.BigEndian.PutUint16(hdr[4:], uint16(attrs.Type))
	binary.BigEndian.PutUint16(hdr[6:], uint16(bits))
	m := hmac.New(sha256.New, w.tag)
	m.Write([]byte(wrapMagic))
	m.Write(hdr[:])
	m.Write(body)
	return m.Sum(nil)[:wrapTagLen]
}

// wrap appends the key context of material, for a key with attrs's
// location and type and the given size, to dst.
func (w *wrapper) wrap(rnd io.Reader, attrs *values.Attributes, bits int, material, dst []byte) ([]byte, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	dst = append(dst, wrapMagic...)
	body := len(dst)
	dst = append(dst, make([]byte, wrapNonceLen+len(material))...)
	nonce := dst[body : body+wrapNonceLen]
	if _, err := io.ReadFull(rnd, nonce); err != nil {
		return nil, fmt.Errorf("testdriver: wrap key: %v: %w", err, values.ErrInsufficientEntropy)
	}
	cipher.NewCTR(w.mask, nonce).XORKeyStream(dst[body+wrapNonceLen:], material)
	dst = append(dst, w.mac(attrs, bits, dst[body:])...)
	return dst, nil
}

// unwrap returns the key material of context, checked against attrs, in a
// new slice that the caller clears after use.
func (w *wrapper) unwrap(attrs *values.Attributes, context []byte) ([]byte, error) {
	if len(context) < wrapOverhead || string(context[:len(wrapMagic)]) != wrapMagic {
		return nil, fmt.Errorf("testdriver: a %d-byte key context that this driver did not make (want %q followed by a nonce, the masked key and a tag): %w",
			len(context), wrapMagic, values.ErrDataCorrupt)
	}
	body := context[len(wrapMagic) : len(context)-wrapTagLen]
	tag := context[len(context)-wrapTagLen:]
	if subtle.ConstantTimeCompare(tag, w.mac(attrs, attrs.Bits, body)) != 1 {
		return nil, fmt.Errorf("testdriver: the key context was not made for a %d-bit %v at location 0x%06x, or is damaged: %w",
			attrs.Bits, attrs.Type, uint32(attrs.Lifetime.Location()), values.ErrDataCorrupt)
	}
	out := make([]byte, len(body)-wrapNonceLen)
	cipher.NewCTR(w.mask, body[:wrapNonceLen]).XORKeyStream(out, body[wrapNonceLen:])
	return out, nil
}
