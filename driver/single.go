package driver

import "github.com/gopsa/psa/values"

// The single-part entry points. Each interface is one entry point of the
// specification; its description name is given in the comment.

// HashComputer is "hash_compute" (transparent drivers only).
type HashComputer interface {
	HashCompute(alg values.Algorithm, input, dst []byte) ([]byte, error)
}

// MACComputer is "mac_compute".
type MACComputer interface {
	MACCompute(attrs values.Attributes, key []byte, alg values.Algorithm, input, dst []byte) ([]byte, error)
}

// MACVerifier is "mac_verify": it returns values.ErrInvalidSignature when
// mac is not the MAC of input, and compares in constant time.
type MACVerifier interface {
	MACVerify(attrs values.Attributes, key []byte, alg values.Algorithm, input, mac []byte) error
}

// CipherEncrypter is "cipher_encrypt". The core chooses the IV (random, of
// the algorithm's length, or empty for ECB and stream ciphers) and places it
// in front of the output; the driver appends the ciphertext alone.
type CipherEncrypter interface {
	CipherEncrypt(attrs values.Attributes, key []byte, alg values.Algorithm, iv, input, dst []byte) ([]byte, error)
}

// CipherDecrypter is "cipher_decrypt": input is the IV followed by the
// ciphertext, as psa_cipher_decrypt receives it.
type CipherDecrypter interface {
	CipherDecrypt(attrs values.Attributes, key []byte, alg values.Algorithm, input, dst []byte) ([]byte, error)
}

// AEADEncrypter is "aead_encrypt": it appends the ciphertext followed by
// the tag.
type AEADEncrypter interface {
	AEADEncrypt(attrs values.Attributes, key []byte, alg values.Algorithm, nonce, ad, plaintext, dst []byte) ([]byte, error)
}

// AEADDecrypter is "aead_decrypt": input is the ciphertext followed by the
// tag. On a tag mismatch it returns values.ErrInvalidSignature and appends
// nothing.
type AEADDecrypter interface {
	AEADDecrypt(attrs values.Attributes, key []byte, alg values.Algorithm, nonce, ad, ciphertext, dst []byte) ([]byte, error)
}

// HashSigner is "sign_hash".
type HashSigner interface {
	SignHash(attrs values.Attributes, key []byte, alg values.Algorithm, hash, dst []byte) ([]byte, error)
}

// HashVerifier is "verify_hash": values.ErrInvalidSignature on a bad
// signature.
type HashVerifier interface {
	VerifyHash(attrs values.Attributes, key []byte, alg values.Algorithm, hash, signature []byte) error
}

// MessageSigner is "sign_message".
type MessageSigner interface {
	SignMessage(attrs values.Attributes, key []byte, alg values.Algorithm, message, dst []byte) ([]byte, error)
}

// MessageVerifier is "verify_message".
type MessageVerifier interface {
	VerifyMessage(attrs values.Attributes, key []byte, alg values.Algorithm, message, signature []byte) error
}

// AsymmetricEncrypter is "asymmetric_encrypt".
type AsymmetricEncrypter interface {
	AsymmetricEncrypt(attrs values.Attributes, key []byte, alg values.Algorithm, input, salt, dst []byte) ([]byte, error)
}

// AsymmetricDecrypter is "asymmetric_decrypt".
type AsymmetricDecrypter interface {
	AsymmetricDecrypt(attrs values.Attributes, key []byte, alg values.Algorithm, input, salt, dst []byte) ([]byte, error)
}

// KeyAgreer is "key_agreement": a raw key agreement. alg is a raw key
// agreement algorithm (PSA_ALG_ECDH, PSA_ALG_FFDH); peer is the peer's
// public key in the export format of the public key type.
type KeyAgreer interface {
	KeyAgreement(attrs values.Attributes, key []byte, alg values.Algorithm, peer, dst []byte) ([]byte, error)
}

// KeyAgreementToKeyer is "key_agreement_to_key" (opaque drivers): the
// shared secret becomes a key in the same secure element, described by
// secretAttrs, and the driver appends its key context to dst.
type KeyAgreementToKeyer interface {
	KeyAgreementToKey(attrs values.Attributes, key []byte, alg values.Algorithm, peer []byte, secretAttrs values.Attributes, dst []byte) ([]byte, error)
}

// Encapsulator is "encapsulate", a gopsa extension for the key
// encapsulation functions of PSA Crypto API 1.5 (psa_encapsulate): it
// appends the encapsulation (ciphertext) to dst and returns it with the
// shared secret, which the core turns into a key.
type Encapsulator interface {
	Encapsulate(attrs values.Attributes, key []byte, alg values.Algorithm, dst []byte) (ciphertext, secret []byte, err error)
}

// Decapsulator is "decapsulate", a gopsa extension for psa_decapsulate: it
// appends the shared secret to dst.
type Decapsulator interface {
	Decapsulate(attrs values.Attributes, key []byte, alg values.Algorithm, ciphertext, dst []byte) ([]byte, error)
}

// KeyWrapper is "wrap_key", a gopsa extension for psa_wrap_key: it wraps
// data (the export format of the key being wrapped) with the wrapping key.
type KeyWrapper interface {
	WrapKey(attrs values.Attributes, key []byte, alg values.Algorithm, data, dst []byte) ([]byte, error)
}

// KeyUnwrapper is "unwrap_key", a gopsa extension for psa_unwrap_key: it
// appends the unwrapped key data, or fails with values.ErrInvalidSignature
// when the integrity check fails.
type KeyUnwrapper interface {
	UnwrapKey(attrs values.Attributes, key []byte, alg values.Algorithm, wrapped, dst []byte) ([]byte, error)
}
