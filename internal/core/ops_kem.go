package core

import (
	"fmt"

	"github.com/gopsa/psa/values"
)

// Encapsulate generates a shared secret and its encapsulation with key id,
// a public key or key pair (psa_encapsulate). The secret becomes a new key
// described by attrs; the encapsulation (ciphertext) is returned for the
// peer. The key needs PSA_KEY_USAGE_ENCRYPT.
func (c *Core) Encapsulate(id values.KeyID, alg values.Algorithm, attrs values.Attributes) (values.KeyID, []byte, error) {
	const what = "encapsulate"
	if err := kemCheck(what, alg, &attrs); err != nil {
		return 0, nil, err
	}
	s, err := c.Use(id, values.UsageEncrypt, alg)
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", what, err)
	}
	defer c.Release(s)
	if !s.Attrs.Type.IsAsymmetric() {
		return 0, nil, fmt.Errorf("%s: key 0x%08x is a %v; want a public key or a key pair: %w",
			what, uint32(id), s.Attrs.Type, values.ErrInvalidArgument)
	}
	ct, secret, err := c.disp.Encapsulate(s.Attrs, s.Key, alg, nil)
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", what, err)
	}
	defer clear(secret)
	if err := kemCheckBits(what, &attrs, secret); err != nil {
		return 0, nil, err
	}
	k, err := c.ImportAs(what, attrs, secret)
	if err != nil {
		return 0, nil, err
	}
	return k, ct, nil
}

// Decapsulate recovers the shared secret from ciphertext with key pair id
// and makes it a new key described by attrs (psa_decapsulate). The key
// needs PSA_KEY_USAGE_DECRYPT.
func (c *Core) Decapsulate(id values.KeyID, alg values.Algorithm, ciphertext []byte, attrs values.Attributes) (values.KeyID, error) {
	const what = "decapsulate"
	if err := kemCheck(what, alg, &attrs); err != nil {
		return 0, err
	}
	s, err := c.Use(id, values.UsageDecrypt, alg)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	defer c.Release(s)
	if !s.Attrs.Type.IsKeyPair() {
		return 0, fmt.Errorf("%s: key 0x%08x is a %v; decapsulation needs a key pair: %w",
			what, uint32(id), s.Attrs.Type, values.ErrInvalidArgument)
	}
	secret, err := c.disp.Decapsulate(s.Attrs, s.Key, alg, ciphertext, nil)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	defer clear(secret)
	if err := kemCheckBits(what, &attrs, secret); err != nil {
		return 0, err
	}
	return c.ImportAs(what, attrs, secret)
}

// kemCheck checks the algorithm and the type of the output key. Every key
// encapsulation may output PSA_KEY_TYPE_DERIVE or PSA_KEY_TYPE_HMAC keys;
// those whose secret is uniformly pseudorandom (ML-KEM) may output other
// symmetric keys too, but the biased secret of ECIES may not.
func kemCheck(what string, alg values.Algorithm, attrs *values.Attributes) error {
	if !alg.IsKeyEncapsulation() {
		return fmt.Errorf("%s: %v is not a key-encapsulation algorithm (want PSA_ALG_ML_KEM or PSA_ALG_ECIES_SEC1): %w",
			what, alg, values.ErrInvalidArgument)
	}
	t := attrs.Type
	switch {
	case t == values.KeyTypeDerive || t == values.KeyTypeHMAC:
	case alg == values.AlgECIESSEC1 || !t.IsUnstructured():
		return fmt.Errorf("%s: cannot make the shared secret of %v a %v key (want PSA_KEY_TYPE_DERIVE or PSA_KEY_TYPE_HMAC): %w",
			what, alg, t, values.ErrInvalidArgument)
	}
	return nil
}

func kemCheckBits(what string, attrs *values.Attributes, secret []byte) error {
	if attrs.Bits != 0 && attrs.Bits != 8*len(secret) {
		return fmt.Errorf("%s: a %d-bit key was requested, but the shared secret is %d bits (set the size to 0 or %d): %w",
			what, attrs.Bits, 8*len(secret), 8*len(secret), values.ErrInvalidArgument)
	}
	return nil
}
