package psa

// AsymmetricEncrypt appends the encryption of input with key, a public key
// or key pair with UsageEncrypt, to dst (psa_asymmetric_encrypt). salt is
// the label of RSA OAEP (nil for none) and must be empty for
// AlgRSAPKCS1v15Crypt.
func (c *Crypto) AsymmetricEncrypt(key KeyID, alg Algorithm, input, salt, dst []byte) ([]byte, error) {
	return c.core.AsymmetricEncrypt(key, alg, input, salt, dst)
}

// AsymmetricDecrypt appends the decryption of input with key, a key pair
// with UsageDecrypt, to dst (psa_asymmetric_decrypt). salt must be the
// label the message was encrypted with. A malformed ciphertext is an error
// wrapping ErrInvalidPadding.
func (c *Crypto) AsymmetricDecrypt(key KeyID, alg Algorithm, input, salt, dst []byte) ([]byte, error) {
	return c.core.AsymmetricDecrypt(key, alg, input, salt, dst)
}
