package core

import (
	"fmt"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// SignHash appends the signature of hash with key id to dst
// (psa_sign_hash). For a hash-and-sign algorithm, hash must be as long as
// the output of the algorithm's hash.
func (c *Core) SignHash(id values.KeyID, alg values.Algorithm, hash, dst []byte) ([]byte, error) {
	const what = "sign hash"
	if err := signCheckAlg(what, alg, true); err != nil {
		return dst, err
	}
	s, err := c.Use(id, values.UsageSignHash, alg)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	defer c.Release(s)
	// The policy comes first: a key that may not sign says so whatever
	// the input, as in the C reference.
	if err := signCheckHashLength(what, alg, hash); err != nil {
		return dst, err
	}
	if err := signCheckKeyPair(what, &s.Attrs); err != nil {
		return dst, err
	}
	out, err := c.disp.SignHash(s.Attrs, s.Key, alg, hash, dst)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// VerifyHash checks signature over hash with key id (psa_verify_hash):
// nil if it is valid, an error wrapping ErrInvalidSignature if not. The
// key's policy may name the deterministic or the randomized variant of the
// algorithm: verification treats them as one.
func (c *Core) VerifyHash(id values.KeyID, alg values.Algorithm, hash, signature []byte) error {
	const what = "verify hash"
	if err := signCheckAlg(what, alg, true); err != nil {
		return err
	}
	s, err := c.useVerify(what, id, values.UsageVerifyHash, alg)
	if err != nil {
		return err
	}
	defer c.Release(s)
	if err := signCheckHashLength(what, alg, hash); err != nil {
		return err
	}
	if err := c.disp.VerifyHash(s.Attrs, s.Key, alg, hash, signature); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// SignMessage appends the signature of message with key id to dst
// (psa_sign_message). When no driver signs messages with this key and alg
// is a hash-and-sign algorithm, the core hashes the message and signs the
// hash, as the driver interface specifies.
func (c *Core) SignMessage(id values.KeyID, alg values.Algorithm, message, dst []byte) ([]byte, error) {
	const what = "sign message"
	if err := signCheckAlg(what, alg, false); err != nil {
		return dst, err
	}
	s, err := c.Use(id, values.UsageSignMessage, alg)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	defer c.Release(s)
	if err := signCheckKeyPair(what, &s.Attrs); err != nil {
		return dst, err
	}
	out, err := c.disp.SignMessage(s.Attrs, s.Key, alg, message, dst)
	if err == nil {
		return out, nil
	}
	if !driver.IsNotSupported(err) || !alg.IsHashAndSign() {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	var buf [values.HashMaxSize]byte
	h, err := c.disp.HashCompute(alg.Hash(), message, buf[:0])
	if err != nil {
		return dst, fmt.Errorf("%s: hash the message with %v: %w", what, alg.Hash(), err)
	}
	out, err = c.disp.SignHash(s.Attrs, s.Key, alg, h, dst)
	clear(buf[:])
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// VerifyMessage checks signature over message with key id
// (psa_verify_message), hashing the message in the core when no driver
// verifies messages with this key, as SignMessage does.
func (c *Core) VerifyMessage(id values.KeyID, alg values.Algorithm, message, signature []byte) error {
	const what = "verify message"
	if err := signCheckAlg(what, alg, false); err != nil {
		return err
	}
	s, err := c.useVerify(what, id, values.UsageVerifyMessage, alg)
	if err != nil {
		return err
	}
	defer c.Release(s)
	err = c.disp.VerifyMessage(s.Attrs, s.Key, alg, message, signature)
	if err == nil {
		return nil
	}
	if !driver.IsNotSupported(err) || !alg.IsHashAndSign() {
		return fmt.Errorf("%s: %w", what, err)
	}
	var buf [values.HashMaxSize]byte
	h, err := c.disp.HashCompute(alg.Hash(), message, buf[:0])
	if err != nil {
		return fmt.Errorf("%s: hash the message with %v: %w", what, alg.Hash(), err)
	}
	if err := c.disp.VerifyHash(s.Attrs, s.Key, alg, h, signature); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// useVerify is Use for signature verification, whose policy check accepts
// the verification-equivalent variants of an algorithm.
func (c *Core) useVerify(what string, id values.KeyID, usage values.KeyUsage, alg values.Algorithm) (*Slot, error) {
	s, err := c.Use(id, usage, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	a := &s.Attrs
	if !signPermitsVerify(a, a.Alg, alg) && !(a.Alg2 != 0 && signPermitsVerify(a, a.Alg2, alg)) {
		c.Release(s)
		return nil, fmt.Errorf("%s: %w", what, notPermittedAlg(a, alg))
	}
	if !a.Type.IsAsymmetric() {
		c.Release(s)
		return nil, fmt.Errorf("%s: key 0x%08x is a %v; verification needs a public key or a key pair: %w",
			what, uint32(a.ID), a.Type, values.ErrInvalidArgument)
	}
	return s, nil
}

func signPermitsVerify(a *values.Attributes, policy, alg values.Algorithm) bool {
	return policy == alg || (policy != 0 && policy.PermitsVerification(alg, a.Type, a.Bits))
}

// signCheckAlg checks that alg is a signature algorithm usable with the
// hash (forHash) or message functions, and not a policy wildcard.
func signCheckAlg(what string, alg values.Algorithm, forHash bool) error {
	switch {
	case alg.IsWildcard():
		return fmt.Errorf("%s: %v is a policy wildcard, not an algorithm (name a specific hash): %w", what, alg, values.ErrInvalidArgument)
	case forHash && !alg.IsSignHash():
		return fmt.Errorf("%s: %v is not a signature algorithm that signs a hash (want one for which PSA_ALG_IS_SIGN_HASH is true; use the message functions for others): %w",
			what, alg, values.ErrInvalidArgument)
	case !forHash && !alg.IsSignMessage():
		return fmt.Errorf("%s: %v is not a signature algorithm that signs a message (want one for which PSA_ALG_IS_SIGN_MESSAGE is true; use the hash functions for others): %w",
			what, alg, values.ErrInvalidArgument)
	}
	return nil
}

// signCheckHashLength applies the rule of psa_sign_hash and
// psa_verify_hash: for a hash-and-sign algorithm the input is a hash of
// exactly PSA_HASH_LENGTH(PSA_ALG_GET_HASH(alg)) bytes.
func signCheckHashLength(what string, alg values.Algorithm, hash []byte) error {
	if !alg.IsHashAndSign() {
		return nil
	}
	if n := values.HashLength(alg.Hash()); n != 0 && len(hash) != n {
		return fmt.Errorf("%s: a %d-byte hash for %v, which signs a %d-byte %v hash: %w",
			what, len(hash), alg, n, alg.Hash(), values.ErrInvalidArgument)
	}
	return nil
}

func signCheckKeyPair(what string, a *values.Attributes) error {
	if !a.Type.IsKeyPair() {
		return fmt.Errorf("%s: key 0x%08x is a %v; signing needs a key pair: %w", what, uint32(a.ID), a.Type, values.ErrInvalidArgument)
	}
	return nil
}
