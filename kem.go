package psa

// Encapsulate generates a shared secret for the holder of the private key
// of key, a public key or key pair with UsageEncrypt (psa_encapsulate). It
// returns the shared secret as a new key with the attributes attrs, and
// the encapsulation (ciphertext) to send to the holder, who recovers the
// secret with Decapsulate. alg is AlgMLKEM or AlgECIESSEC1.
//
// attrs.Type may be KeyTypeDerive or KeyTypeHMAC for any algorithm, and
// another symmetric type for AlgMLKEM, whose secret is pseudorandom;
// attrs.Bits is 0 or the size of the secret.
func (c *Crypto) Encapsulate(key KeyID, alg Algorithm, attrs Attributes) (KeyID, []byte, error) {
	return c.core.Encapsulate(key, alg, attrs)
}

// Decapsulate recovers the shared secret of ciphertext with key, a key
// pair with UsageDecrypt, as a new key with the attributes attrs
// (psa_decapsulate). Some algorithms (ML-KEM) do not detect a corrupted
// ciphertext and return a key that differs from the sender's: confirm the
// key before trusting it.
func (c *Crypto) Decapsulate(key KeyID, alg Algorithm, ciphertext []byte, attrs Attributes) (KeyID, error) {
	return c.core.Decapsulate(key, alg, ciphertext, attrs)
}
