package builtin

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"

	"github.com/gopsa/psa/values"
)

// The TLS 1.2 key derivations.

// tls12PRF is P_hash of RFC 5246 §5: A(0) = label || seed,
// A(i) = HMAC(secret, A(i-1)), output block i = HMAC(secret, A(i) ||
// label || seed). The stream has no end of its own.
type tls12PRF struct {
	mac       hash.Hash // keyed with the secret
	labelSeed []byte
	a         []byte // A(i)
	out       []byte
}

// newTLS12PRF sets up PSA_ALG_TLS12_PRF (seed, secret, label) and
// PSA_ALG_TLS12_PSK_TO_MS (seed, optional other secret, PSK, label), whose
// secret is the RFC 4279 premaster secret built from the PSK and the
// other secret.
func newTLS12PRF(in kdfInputs) (kdfGenerator, error) {
	h, _, err := kdfHash(in.alg)
	if err != nil {
		return nil, err
	}
	seed, _, err := in.bytes(values.DerivationInputSeed, true)
	if err != nil {
		return nil, err
	}
	secret, _, err := in.bytes(values.DerivationInputSecret, true)
	if err != nil {
		return nil, err
	}
	label, _, err := in.bytes(values.DerivationInputLabel, true)
	if err != nil {
		return nil, err
	}
	if in.alg.IsTLS12PSKToMS() {
		pms, err := tls12PSKPremasterSecret(in, secret)
		if err != nil {
			return nil, err
		}
		defer clear(pms)
		secret = pms
	}
	mac := hmac.New(h, secret)
	size := mac.Size()
	g := &tls12PRF{
		mac:       mac,
		labelSeed: make([]byte, 0, len(label)+len(seed)),
		a:         make([]byte, 0, size), // empty until A(1)
		out:       make([]byte, size),
	}
	g.labelSeed = append(append(g.labelSeed, label...), seed...)
	return g, nil
}

// tls12PSKPremasterSecret builds the premaster secret of RFC 4279 §2
// (plain PSK: the other secret is zeros of the PSK's length) and §3-4 and
// RFC 5489 §2 (the other secret is the DH, ECDH or RSA premaster secret):
// uint16(len(other)) || other || uint16(len(psk)) || psk.
func tls12PSKPremasterSecret(in kdfInputs, psk []byte) ([]byte, error) {
	if len(psk) > values.TLS12PSKToMSPSKMaxSize {
		return nil, fmt.Errorf("key derivation %v: the PSK is %d bytes (want at most %d): %w", in.alg, len(psk), values.TLS12PSKToMSPSKMaxSize, values.ErrInvalidArgument)
	}
	other, ok, err := in.bytes(values.DerivationInputOtherSecret, false)
	if err != nil {
		return nil, err
	}
	if len(other) > 0xffff {
		return nil, fmt.Errorf("key derivation %v: the other secret is %d bytes (want at most 65535, the TLS length field): %w", in.alg, len(other), values.ErrInvalidArgument)
	}
	otherLen := len(other)
	if !ok {
		otherLen = len(psk)
	}
	pms := make([]byte, 0, 4+otherLen+len(psk))
	pms = binary.BigEndian.AppendUint16(pms, uint16(otherLen))
	if ok {
		pms = append(pms, other...)
	} else {
		pms = append(pms, make([]byte, otherLen)...)
	}
	pms = binary.BigEndian.AppendUint16(pms, uint16(len(psk)))
	pms = append(pms, psk...)
	return pms, nil
}

func (g *tls12PRF) maxLen() uint64 { return kdfUnbounded }

func (g *tls12PRF) next() []byte {
	g.mac.Reset()
	if len(g.a) == 0 {
		g.mac.Write(g.labelSeed) // A(1) = HMAC(secret, A(0))
	} else {
		g.mac.Write(g.a)
	}
	g.a = g.mac.Sum(g.a[:0])
	g.mac.Reset()
	g.mac.Write(g.a)
	g.mac.Write(g.labelSeed)
	g.out = g.mac.Sum(g.out[:0])
	return g.out
}

func (g *tls12PRF) wipe() {
	clear(g.a[:cap(g.a)])
	clear(g.out)
	g.mac.Reset()
}

// ecjpakeToPMS is PSA_ALG_TLS12_ECJPAKE_TO_PMS: SHA-256 of the x
// coordinate of the EC J-PAKE shared point, read in one 32-byte call.
type ecjpakeToPMS struct {
	pms  [values.TLS12ECJPAKEToPMSOutputSize]byte
	done bool
}

// ecjpakeSecretSize is the size of an uncompressed secp256r1 point, the
// only curve the algorithm is defined for.
const ecjpakeSecretSize = 65

func newECJPAKEToPMS(in kdfInputs) (*ecjpakeToPMS, error) {
	k, _, err := in.bytes(values.DerivationInputSecret, true)
	if err != nil {
		return nil, err
	}
	if len(k) != ecjpakeSecretSize || k[0] != 0x04 {
		return nil, fmt.Errorf("key derivation %v: the secret is not an uncompressed secp256r1 point (want 65 bytes starting with 0x04, got %d bytes): %w", in.alg, len(k), values.ErrInvalidArgument)
	}
	return &ecjpakeToPMS{pms: sha256.Sum256(k[1:33])}, nil
}

// InputStep always fails: the algorithm has no long inputs.
func (o *ecjpakeToPMS) InputStep(step values.DerivationStep, input []byte) error {
	return fmt.Errorf("key derivation %v: %v is not a long input: %w", values.AlgTLS12ECJPAKEToPMS, step, values.ErrInvalidArgument)
}

// OutputBytes outputs the 32-byte premaster secret, which the
// specification requires to be read in a single call.
func (o *ecjpakeToPMS) OutputBytes(out []byte) error {
	switch {
	case len(out) == 0:
		return nil
	case o.done:
		return fmt.Errorf("key derivation %v: the premaster secret was already output: %w", values.AlgTLS12ECJPAKEToPMS, values.ErrInsufficientData)
	case len(out) != len(o.pms):
		return fmt.Errorf("key derivation %v: %d bytes requested (the %d-byte premaster secret must be read in one call): %w", values.AlgTLS12ECJPAKEToPMS, len(out), len(o.pms), values.ErrInvalidArgument)
	}
	copy(out, o.pms[:])
	o.done = true
	clear(o.pms[:])
	return nil
}

// Abort wipes the premaster secret.
func (o *ecjpakeToPMS) Abort() error {
	clear(o.pms[:])
	o.done = true
	return nil
}
