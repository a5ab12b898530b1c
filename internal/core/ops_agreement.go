package core

import (
	"fmt"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// RawKeyAgreement appends the shared secret of a key agreement between the
// key pair privateKey and the peer's public key (in the export format of
// the public key type) to dst (psa_raw_key_agreement). alg is a standalone
// key agreement (PSA_ALG_ECDH, PSA_ALG_FFDH); the key needs
// PSA_KEY_USAGE_DERIVE.
func (c *Core) RawKeyAgreement(alg values.Algorithm, privateKey values.KeyID, peer, dst []byte) ([]byte, error) {
	const what = "raw key agreement"
	if err := agreementCheckAlg(what, alg); err != nil {
		return dst, err
	}
	s, err := c.agreementUse(what, privateKey, alg)
	if err != nil {
		return dst, err
	}
	defer c.Release(s)
	out, err := c.disp.KeyAgreement(s.Attrs, s.Key, alg, peer, dst)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// KeyAgreement creates a key from the shared secret of a key agreement
// (psa_key_agreement). attrs describe the new key: its type must be
// PSA_KEY_TYPE_DERIVE, PSA_KEY_TYPE_RAW_DATA, PSA_KEY_TYPE_HMAC or
// PSA_KEY_TYPE_PASSWORD, and its size 0 or that of the shared secret.
//
// For a private key in a secure element whose driver can keep the secret
// (key_agreement_to_key) and a new key in the same location, the secret
// never leaves the secure element; otherwise the core computes it and
// imports it.
func (c *Core) KeyAgreement(privateKey values.KeyID, peer []byte, alg values.Algorithm, attrs values.Attributes) (values.KeyID, error) {
	const what = "key agreement"
	if err := agreementCheckAlg(what, alg); err != nil {
		return 0, err
	}
	switch attrs.Type {
	case values.KeyTypeDerive, values.KeyTypeRawData, values.KeyTypeHMAC, values.KeyTypePassword:
	default:
		return 0, fmt.Errorf("%s: cannot create a %v from a shared secret (want PSA_KEY_TYPE_DERIVE, PSA_KEY_TYPE_RAW_DATA, PSA_KEY_TYPE_HMAC or PSA_KEY_TYPE_PASSWORD): %w",
			what, attrs.Type, values.ErrInvalidArgument)
	}
	s, err := c.agreementUse(what, privateKey, alg)
	if err != nil {
		return 0, err
	}
	defer c.Release(s)
	n := values.RawKeyAgreementOutputSize(s.Attrs.Type, s.Attrs.Bits)
	if attrs.Bits != 0 && n != 0 && attrs.Bits != 8*n {
		return 0, fmt.Errorf("%s: a %d-bit key was requested, but the shared secret of a %d-bit %v is %d bits (set the size to 0 or %d): %w",
			what, attrs.Bits, s.Attrs.Bits, s.Attrs.Type, 8*n, 8*n, values.ErrInvalidArgument)
	}
	loc := s.Attrs.Lifetime.Location()
	if loc != values.LocationLocalStorage && attrs.Lifetime.Location() == loc && n != 0 {
		id, err := c.agreementToKey(what, s, alg, peer, attrs, 8*n)
		if err == nil || !driver.IsNotSupported(err) {
			return id, err
		}
	}
	secret, err := c.disp.KeyAgreement(s.Attrs, s.Key, alg, peer, nil)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	defer clear(secret)
	if attrs.Bits != 0 && attrs.Bits != 8*len(secret) {
		return 0, fmt.Errorf("%s: a %d-bit key was requested, but the shared secret is %d bits (set the size to 0 or %d): %w",
			what, attrs.Bits, 8*len(secret), 8*len(secret), values.ErrInvalidArgument)
	}
	return c.ImportAs(what, attrs, secret)
}

// agreementToKey has the opaque driver of the private key create the
// shared secret key in its own location (key_agreement_to_key). It
// returns ErrNotSupported, with nothing created, when the driver cannot.
func (c *Core) agreementToKey(what string, s *Slot, alg values.Algorithm, peer []byte, attrs values.Attributes, bits int) (values.KeyID, error) {
	attrs.Bits = bits
	cr, err := c.startCreate(what, attrs)
	if err != nil {
		return 0, err
	}
	defer cr.abort()
	buf, err := cr.allocate()
	if err != nil {
		return 0, err
	}
	cr.slot.Key = buf
	key, err := c.disp.KeyAgreementToKey(s.Attrs, s.Key, alg, peer, cr.attrs, buf)
	if err != nil {
		if driver.IsNotSupported(err) {
			return 0, err
		}
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return cr.finish(key)
}

// agreementUse looks up the private key of a key agreement: it needs
// PSA_KEY_USAGE_DERIVE, a policy that permits alg, and must be a key pair.
func (c *Core) agreementUse(what string, id values.KeyID, alg values.Algorithm) (*Slot, error) {
	s, err := c.Use(id, values.UsageDerive, alg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if !s.Attrs.Type.IsKeyPair() {
		c.Release(s)
		return nil, fmt.Errorf("%s: key 0x%08x is a %v; a key agreement needs a key pair: %w",
			what, uint32(id), s.Attrs.Type, values.ErrInvalidArgument)
	}
	return s, nil
}

func agreementCheckAlg(what string, alg values.Algorithm) error {
	if !alg.IsStandaloneKeyAgreement() {
		if alg.IsKeyAgreement() {
			// NOT_SUPPORTED, as the C reference answers (the
			// specification allows it and INVALID_ARGUMENT).
			return fmt.Errorf("%s: %v combines a key agreement with a key derivation; use a key derivation operation, or the standalone %v: %w",
				what, alg, alg.KeyAgreementBase(), values.ErrNotSupported)
		}
		return fmt.Errorf("%s: %v is not a key agreement algorithm (want PSA_ALG_ECDH or PSA_ALG_FFDH): %w", what, alg, values.ErrInvalidArgument)
	}
	return nil
}
