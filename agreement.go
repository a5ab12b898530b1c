package psa

// RawKeyAgreement appends to dst the shared secret of a key agreement
// between privateKey, a key pair with UsageDerive, and peerKey, the peer's
// public key in the format ExportPublicKey produces for the public key
// type of privateKey (psa_raw_key_agreement). alg is a standalone key
// agreement: AlgECDH or AlgFFDH.
//
// The shared secret is biased: derive keys from it (KeyAgreement followed
// by a key derivation, or KeyDerivationOperation.KeyAgreement) rather than
// use it as a key.
func (c *Crypto) RawKeyAgreement(alg Algorithm, privateKey KeyID, peerKey, dst []byte) ([]byte, error) {
	return c.core.RawKeyAgreement(alg, privateKey, peerKey, dst)
}

// KeyAgreement makes the shared secret of a key agreement between
// privateKey and peerKey a new key with the attributes attrs
// (psa_key_agreement), so that the secret never reaches the application.
// attrs.Type must be KeyTypeDerive, KeyTypeRawData, KeyTypeHMAC or
// KeyTypePassword, and attrs.Bits 0 or the size of the secret.
func (c *Crypto) KeyAgreement(privateKey KeyID, peerKey []byte, alg Algorithm, attrs Attributes) (KeyID, error) {
	return c.core.KeyAgreement(privateKey, peerKey, alg, attrs)
}
