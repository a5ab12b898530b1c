// Package lms verifies Leighton-Micali hash-based signatures: LMS and HSS
// as RFC 8554 defines them, with the parameter sets of RFC 8554 (SHA-256,
// n = m = 32) and those that NIST SP 800-208 §4 adds (SHA-256/192 and
// SHAKE256 with n = m = 24 or 32).
//
// It verifies only: signing is stateful and the PSA Crypto API defines no
// signing for these schemes. Verification handles public data and need
// not run in constant time. All functions are safe for concurrent use.
package lms

import (
	"crypto/sha256"
	"crypto/sha3"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
)

// ErrInvalid is returned, wrapped with details, when a signature or key is
// malformed or a signature does not verify.
var ErrInvalid = errors.New("lms: invalid signature")

// Domain separation constants (RFC 8554 §3.1.1 and §7.1).
const (
	dPBLC = 0x8080
	dMESG = 0x8181
	dLEAF = 0x8282
	dINTR = 0x8383
)

// otsParams are the parameters of an LM-OTS type (RFC 8554 §4.1 and
// SP 800-208 §4.1).
type otsParams struct {
	n, w, p, ls int
	shake       bool
}

// otsType returns the parameters of an LM-OTS typecode.
func otsType(t uint32) (otsParams, bool) {
	if t < 1 || t > 16 {
		return otsParams{}, false
	}
	i := int(t - 1)
	n := []int{32, 24, 32, 24}[i/4]
	w := 1 << (i % 4)
	// u = ⌈8n/w⌉, v = ⌈(⌊log2((2^w - 1)·u)⌋ + 1) / w⌉ (RFC 8554 Appendix B).
	u := (8*n + w - 1) / w
	v := (bitLen(((1<<w)-1)*u) + w - 1) / w
	return otsParams{n: n, w: w, p: u + v, ls: 16 - v*w, shake: i >= 8}, true
}

func bitLen(x int) int {
	n := 0
	for ; x > 0; x >>= 1 {
		n++
	}
	return n
}

// lmsParams are the parameters of an LMS type (RFC 8554 §5.1 and
// SP 800-208 §4.2).
type lmsParams struct {
	m, h  int
	shake bool
}

func lmsType(t uint32) (lmsParams, bool) {
	if t < 5 || t > 24 {
		return lmsParams{}, false
	}
	i := int(t - 5)
	return lmsParams{m: []int{32, 24, 32, 24}[i/5], h: 5 * (i%5 + 1), shake: i >= 10}, true
}

// hasher computes the hash function of a parameter set: SHA-256 (truncated
// to n bytes) or SHAKE256 with n bytes of output.
type hasher struct {
	n     int
	shake bool
	sha   hash.Hash
	x     *sha3.SHAKE
	buf   [32]byte
}

func newHasher(n int, shake bool) *hasher {
	h := &hasher{n: n, shake: shake}
	if shake {
		h.x = sha3.NewSHAKE256()
	} else {
		h.sha = sha256.New()
	}
	return h
}

func (h *hasher) reset() {
	if h.shake {
		h.x.Reset()
	} else {
		h.sha.Reset()
	}
}

func (h *hasher) write(b []byte) {
	if h.shake {
		h.x.Write(b)
	} else {
		h.sha.Write(b)
	}
}

// sum returns the n-byte hash, valid until the next call.
func (h *hasher) sum() []byte {
	if h.shake {
		h.x.Read(h.buf[:h.n])
	} else {
		h.sha.Sum(h.buf[:0])
	}
	return h.buf[:h.n]
}

func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
func u16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }

// coef returns the i-th w-bit digit of s (RFC 8554 §3.1.3).
func coef(s []byte, i, w int) int {
	return int(s[i*w/8]>>(8-(w*(i%(8/w))+w))) & (1<<w - 1)
}

// otsCandidate computes the candidate LM-OTS public key Kc of an LM-OTS
// signature sig on msg (RFC 8554 Algorithm 4b). sig has been checked to
// have the length of its type.
func otsCandidate(p otsParams, id []byte, q uint32, sig, msg []byte) []byte {
	h := newHasher(p.n, p.shake)
	c := sig[4 : 4+p.n]
	y := sig[4+p.n:]
	qs := u32(q)

	h.write(id)
	h.write(qs)
	h.write(u16(dMESG))
	h.write(c)
	h.write(msg)
	Q := append([]byte(nil), h.sum()...)
	// Q || Cksm(Q)
	sum := 0
	for i := 0; i < 8*p.n/p.w; i++ {
		sum += 1<<p.w - 1 - coef(Q, i, p.w)
	}
	Q = binary.BigEndian.AppendUint16(Q, uint16(sum<<p.ls))

	z := make([]byte, 0, p.p*p.n)
	tmp := make([]byte, p.n)
	for i := 0; i < p.p; i++ {
		a := coef(Q, i, p.w)
		copy(tmp, y[i*p.n:(i+1)*p.n])
		for j := a; j < 1<<p.w-1; j++ {
			h.reset()
			h.write(id)
			h.write(qs)
			h.write(u16(uint16(i)))
			h.write([]byte{byte(j)})
			h.write(tmp)
			copy(tmp, h.sum())
		}
		z = append(z, tmp...)
	}
	h.reset()
	h.write(id)
	h.write(qs)
	h.write(u16(dPBLC))
	h.write(z)
	return append([]byte(nil), h.sum()...)
}

// lmsSignatureLength returns the length of the LMS signature at the start
// of b, read from the types it contains.
func lmsSignatureLength(b []byte) (int, error) {
	if len(b) < 8 {
		return 0, fmt.Errorf("%w: %d bytes is too short for an LMS signature", ErrInvalid, len(b))
	}
	otst := binary.BigEndian.Uint32(b[4:])
	op, ok := otsType(otst)
	if !ok {
		return 0, fmt.Errorf("%w: unknown LM-OTS type 0x%08x in the signature", ErrInvalid, otst)
	}
	off := 4 + 4 + op.n*(op.p+1)
	if len(b) < off+4 {
		return 0, fmt.Errorf("%w: the LMS signature is truncated", ErrInvalid)
	}
	lt := binary.BigEndian.Uint32(b[off:])
	lp, ok := lmsType(lt)
	if !ok {
		return 0, fmt.Errorf("%w: unknown LMS type 0x%08x in the signature", ErrInvalid, lt)
	}
	return off + 4 + lp.h*lp.m, nil
}

// publicKeyLength returns the length of the lms_public_key at the start
// of b.
func publicKeyLength(b []byte) (int, error) {
	if len(b) < 4 {
		return 0, fmt.Errorf("%w: %d bytes is too short for an LMS public key", ErrInvalid, len(b))
	}
	lt := binary.BigEndian.Uint32(b)
	lp, ok := lmsType(lt)
	if !ok {
		return 0, fmt.Errorf("%w: unknown LMS type 0x%08x in the public key", ErrInvalid, lt)
	}
	return 4 + 4 + 16 + lp.m, nil
}

// VerifyLMS verifies the LMS signature sig of msg with the lms_public_key
// pub (RFC 8554 Algorithm 6). The public key's and the signature's
// parameter sets must match. It returns nil for a valid signature and an
// error wrapping ErrInvalid otherwise.
func VerifyLMS(pub, msg, sig []byte) error {
	if n, err := publicKeyLength(pub); err != nil {
		return err
	} else if n != len(pub) {
		return fmt.Errorf("%w: %d bytes is not an LMS public key of its type (want %d)", ErrInvalid, len(pub), n)
	}
	lt := binary.BigEndian.Uint32(pub)
	otst := binary.BigEndian.Uint32(pub[4:])
	lp, _ := lmsType(lt)
	op, ok := otsType(otst)
	if !ok {
		return fmt.Errorf("%w: unknown LM-OTS type 0x%08x in the public key", ErrInvalid, otst)
	}
	if op.n != lp.m || op.shake != lp.shake {
		return fmt.Errorf("%w: the public key's LMS and LM-OTS types use different hash functions", ErrInvalid)
	}
	id, t1 := pub[8:24], pub[24:]

	n, err := lmsSignatureLength(sig)
	if err != nil {
		return err
	}
	if n != len(sig) {
		return fmt.Errorf("%w: %d bytes is not an LMS signature of its types (want %d)", ErrInvalid, len(sig), n)
	}
	q := binary.BigEndian.Uint32(sig)
	if binary.BigEndian.Uint32(sig[4:]) != otst {
		return fmt.Errorf("%w: the signature's LM-OTS type differs from the public key's", ErrInvalid)
	}
	otsLen := 4 + op.n*(op.p+1)
	otsSig := sig[4 : 4+otsLen]
	if binary.BigEndian.Uint32(sig[4+otsLen:]) != lt {
		return fmt.Errorf("%w: the signature's LMS type differs from the public key's", ErrInvalid)
	}
	if q >= 1<<lp.h {
		return fmt.Errorf("%w: leaf index %d is out of range for a tree of height %d", ErrInvalid, q, lp.h)
	}
	path := sig[4+otsLen+4:]

	kc := otsCandidate(op, id, q, otsSig, msg)
	h := newHasher(lp.m, lp.shake)
	node := uint32(1)<<lp.h + q
	h.write(id)
	h.write(u32(node))
	h.write(u16(dLEAF))
	h.write(kc)
	tmp := append([]byte(nil), h.sum()...)
	for i := 0; node > 1; i++ {
		h.reset()
		h.write(id)
		h.write(u32(node / 2))
		h.write(u16(dINTR))
		sib := path[i*lp.m : (i+1)*lp.m]
		if node%2 == 1 {
			h.write(sib)
			h.write(tmp)
		} else {
			h.write(tmp)
			h.write(sib)
		}
		copy(tmp, h.sum())
		node /= 2
	}
	if subtle.ConstantTimeCompare(tmp, t1) != 1 {
		return fmt.Errorf("%w: the signature does not match the public key", ErrInvalid)
	}
	return nil
}

// VerifyHSS verifies the HSS signature sig of msg with the hss_public_key
// pub (RFC 8554 Algorithm 8). It returns nil for a valid signature and an
// error wrapping ErrInvalid otherwise.
func VerifyHSS(pub, msg, sig []byte) error {
	if len(pub) < 4 || len(sig) < 4 {
		return fmt.Errorf("%w: the public key or signature is too short for HSS", ErrInvalid)
	}
	levels := binary.BigEndian.Uint32(pub)
	if levels < 1 || levels > 8 {
		return fmt.Errorf("%w: HSS with L = %d levels (want 1 to 8)", ErrInvalid, levels)
	}
	nspk := binary.BigEndian.Uint32(sig)
	if nspk+1 != levels {
		return fmt.Errorf("%w: the signature has %d signed public keys, and the key has %d levels (want L-1)", ErrInvalid, nspk, levels)
	}
	key := pub[4:]
	rest := sig[4:]
	for i := uint32(0); i < nspk; i++ {
		sn, err := lmsSignatureLength(rest)
		if err != nil {
			return err
		}
		if len(rest) < sn {
			return fmt.Errorf("%w: the signature is truncated", ErrInvalid)
		}
		pn, err := publicKeyLength(rest[sn:])
		if err != nil {
			return err
		}
		if len(rest) < sn+pn {
			return fmt.Errorf("%w: the signature is truncated", ErrInvalid)
		}
		child := rest[sn : sn+pn]
		if err := VerifyLMS(key, child, rest[:sn]); err != nil {
			return fmt.Errorf("level %d: %w", i+1, err)
		}
		key = child
		rest = rest[sn+pn:]
	}
	return VerifyLMS(key, msg, rest)
}
