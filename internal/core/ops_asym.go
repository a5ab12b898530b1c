package core

import (
	"fmt"

	"github.com/gopsa/psa/values"
)

// AsymmetricEncrypt appends the encryption of input with key id, a public
// key or key pair, to dst (psa_asymmetric_encrypt). salt is the salt or
// label of algorithms that take one (RSA OAEP), and must be empty for
// others.
func (c *Core) AsymmetricEncrypt(id values.KeyID, alg values.Algorithm, input, salt, dst []byte) ([]byte, error) {
	const what = "asymmetric encrypt"
	if err := asymCheckAlg(what, alg); err != nil {
		return dst, err
	}
	s, err := c.Use(id, values.UsageEncrypt, alg)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	defer c.Release(s)
	if !s.Attrs.Type.IsAsymmetric() {
		return dst, fmt.Errorf("%s: key 0x%08x is a %v; want a public key or a key pair: %w",
			what, uint32(id), s.Attrs.Type, values.ErrInvalidArgument)
	}
	out, err := c.disp.AsymmetricEncrypt(s.Attrs, s.Key, alg, input, salt, dst)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// AsymmetricDecrypt appends the decryption of input with key pair id to
// dst (psa_asymmetric_decrypt).
func (c *Core) AsymmetricDecrypt(id values.KeyID, alg values.Algorithm, input, salt, dst []byte) ([]byte, error) {
	const what = "asymmetric decrypt"
	if err := asymCheckAlg(what, alg); err != nil {
		return dst, err
	}
	s, err := c.Use(id, values.UsageDecrypt, alg)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	defer c.Release(s)
	if !s.Attrs.Type.IsKeyPair() {
		return dst, fmt.Errorf("%s: key 0x%08x is a %v; decryption needs a key pair: %w",
			what, uint32(id), s.Attrs.Type, values.ErrInvalidArgument)
	}
	out, err := c.disp.AsymmetricDecrypt(s.Attrs, s.Key, alg, input, salt, dst)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

func asymCheckAlg(what string, alg values.Algorithm) error {
	switch {
	case !alg.IsAsymmetricEncryption():
		return fmt.Errorf("%s: %v is not an asymmetric encryption algorithm (want PSA_ALG_RSA_PKCS1V15_CRYPT or PSA_ALG_RSA_OAEP(hash)): %w",
			what, alg, values.ErrInvalidArgument)
	case alg.IsWildcard():
		return fmt.Errorf("%s: %v is a policy wildcard, not an algorithm (name a specific hash): %w", what, alg, values.ErrInvalidArgument)
	}
	return nil
}
