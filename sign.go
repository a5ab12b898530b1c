package psa

// SignHash appends the signature of hash, made with key, to dst
// (psa_sign_hash). alg is a signature algorithm that signs a hash
// (alg.IsSignHash()); for a hash-and-sign algorithm, hash must be exactly
// as long as the output of the algorithm's hash, and for
// AlgRSAPKCS1v15SignRaw and AlgECDSAAny it is the value to sign as is. The
// key must be a key pair with UsageSignHash whose policy permits alg.
//
// An ECDSA signature is the raw r||s of the specification; Signer adapts
// it to ASN.1 for crypto.Signer users.
func (c *Crypto) SignHash(key KeyID, alg Algorithm, hash, dst []byte) ([]byte, error) {
	return c.core.SignHash(key, alg, hash, dst)
}

// VerifyHash checks signature over hash with key, a public key or key
// pair with UsageVerifyHash (psa_verify_hash). It returns nil for a valid
// signature and an error wrapping ErrInvalidSignature for an invalid one.
// The key's policy may name either the deterministic or the randomized
// variant of alg (ECDSA, ML-DSA, SLH-DSA): verification does not
// distinguish them.
func (c *Crypto) VerifyHash(key KeyID, alg Algorithm, hash, signature []byte) error {
	return c.core.VerifyHash(key, alg, hash, signature)
}

// SignMessage appends the signature of message, made with key, to dst
// (psa_sign_message). alg is a signature algorithm that signs a message
// (alg.IsSignMessage()); for a hash-and-sign algorithm the message is
// hashed first, by the driver if it signs messages and by the core
// otherwise. The key needs UsageSignMessage (which UsageSignHash implies).
func (c *Crypto) SignMessage(key KeyID, alg Algorithm, message, dst []byte) ([]byte, error) {
	return c.core.SignMessage(key, alg, message, dst)
}

// VerifyMessage checks signature over message with key, which needs
// UsageVerifyMessage (psa_verify_message): nil for a valid signature, an
// error wrapping ErrInvalidSignature for an invalid one.
func (c *Crypto) VerifyMessage(key KeyID, alg Algorithm, message, signature []byte) error {
	return c.core.VerifyMessage(key, alg, message, signature)
}
