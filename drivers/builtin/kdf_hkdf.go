package builtin

import (
	"crypto/hkdf"
	"crypto/hmac"
	"fmt"
	"hash"

	"github.com/gopsa/psa/values"
)

// HKDF (RFC 5869). Extract is crypto/hkdf's; Expand is computed block by
// block here because crypto/hkdf.Expand produces a fixed length in one
// call, and the PSA stream is read in arbitrary pieces.

// hkdfExpand produces T(1) || T(2) || ... with
// T(i) = HMAC(PRK, T(i-1) || info || i).
type hkdfExpand struct {
	mac  hash.Hash // keyed with the PRK
	info []byte
	t    []byte // T(i), HashLen bytes once i > 0
	ctr  [1]byte
	size int
}

// newHKDFExpand sets up PSA_ALG_HKDF (salt optional, secret, info) and
// PSA_ALG_HKDF_EXPAND (secret = PRK, info).
func newHKDFExpand(in kdfInputs) (kdfGenerator, error) {
	h, size, err := kdfHash(in.alg)
	if err != nil {
		return nil, err
	}
	secret, _, err := in.bytes(values.DerivationInputSecret, true)
	if err != nil {
		return nil, err
	}
	if in.alg.IsHKDFExpand() && len(secret) != size {
		// The PRK of RFC 5869 is the output of Extract: exactly HashLen
		// bytes. Other lengths are refused, as Mbed TLS refuses them, so
		// that a truncated or concatenated PRK is caught.
		return nil, fmt.Errorf("key derivation %v: the pseudorandom key is %d bytes (want %d, the hash length): %w", in.alg, len(secret), size, values.ErrInvalidArgument)
	}
	info, _, err := in.bytes(values.DerivationInputInfo, true)
	if err != nil {
		return nil, err
	}
	prk := secret
	if in.alg.IsHKDF() {
		salt, _, err := in.bytes(values.DerivationInputSalt, false)
		if err != nil {
			return nil, err
		}
		if prk, err = hkdf.Extract(h, secret, salt); err != nil {
			return nil, fmt.Errorf("key derivation %v: extract: %w", in.alg, err)
		}
		defer clear(prk)
	}
	return &hkdfExpand{
		mac:  hmac.New(h, prk),
		info: append([]byte(nil), info...),
		t:    make([]byte, 0, size),
		size: size,
	}, nil
}

func (g *hkdfExpand) maxLen() uint64 { return 255 * uint64(g.size) }

func (g *hkdfExpand) next() []byte {
	g.ctr[0]++
	g.mac.Reset()
	g.mac.Write(g.t)
	g.mac.Write(g.info)
	g.mac.Write(g.ctr[:])
	g.t = g.mac.Sum(g.t[:0])
	return g.t
}

func (g *hkdfExpand) wipe() {
	clear(g.t[:cap(g.t)])
	g.mac.Reset()
}

// hkdfExtract outputs the PRK of PSA_ALG_HKDF_EXTRACT (salt, secret; both
// required).
type hkdfExtract struct {
	prk []byte
}

func newHKDFExtract(in kdfInputs) (kdfGenerator, error) {
	h, _, err := kdfHash(in.alg)
	if err != nil {
		return nil, err
	}
	salt, _, err := in.bytes(values.DerivationInputSalt, true)
	if err != nil {
		return nil, err
	}
	secret, _, err := in.bytes(values.DerivationInputSecret, true)
	if err != nil {
		return nil, err
	}
	prk, err := hkdf.Extract(h, secret, salt)
	if err != nil {
		return nil, fmt.Errorf("key derivation %v: extract: %w", in.alg, err)
	}
	return &hkdfExtract{prk: prk}, nil
}

func (g *hkdfExtract) maxLen() uint64 { return uint64(len(g.prk)) }
func (g *hkdfExtract) next() []byte   { return g.prk }
func (g *hkdfExtract) wipe()          { clear(g.prk) }
