package driver

import "github.com/gopsa/psa/values"

// The multi-part entry point families. The setup entry point is a method of
// the driver; the family's other entry points are methods of the operation
// object it returns. Abort releases what the operation holds and is called
// at most once; after a finish step (Finish, SignFinish, VerifyFinish,
// Verify) the core calls nothing more on the operation, whether it
// succeeded or not.

// HashMultipart is the "hash_multipart" family (transparent drivers only):
// hash_setup, hash_update, hash_finish, hash_clone, hash_abort.
type HashMultipart interface {
	HashSetup(alg values.Algorithm) (HashOperation, error)
}

// HashOperation is a hash in progress.
type HashOperation interface {
	Update(input []byte) error
	// Finish appends the hash to dst.
	Finish(dst []byte) ([]byte, error)
	// Clone returns an independent copy of the operation in its current
	// state (hash_clone).
	Clone() (HashOperation, error)
	Abort() error
}

// HashSuspender is an optional interface of a HashOperation: psa_hash_suspend.
// It appends the hash suspend state in the format of the specification
// (api/ops/hash.txt) and ends the operation.
type HashSuspender interface {
	Suspend(dst []byte) ([]byte, error)
}

// HashResumer is an optional entry point of a driver with the
// "hash_multipart" family: psa_hash_resume from a suspend state.
type HashResumer interface {
	HashResume(alg values.Algorithm, state []byte) (HashOperation, error)
}

// MACMultipart is the "mac_multipart" family: mac_sign_setup, mac_update,
// mac_sign_finish, mac_abort.
type MACMultipart interface {
	MACSignSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (MACOperation, error)
}

// MACCloner is an optional interface of a MACOperation: an independent
// copy of the operation in its current state. gopsa uses it to give the
// hash.Hash of psa.Crypto.NewMAC a Sum that does not end the operation.
type MACCloner interface {
	Clone() (MACOperation, error)
}

// MACVerifyMultipart is the "mac_verify_multipart" family: mac_verify_setup,
// mac_update, mac_verify_finish, mac_abort.
type MACVerifyMultipart interface {
	MACVerifySetup(attrs values.Attributes, key []byte, alg values.Algorithm) (MACOperation, error)
}

// MACOperation is a MAC computation or verification in progress. A sign
// operation is finished with SignFinish, a verify operation with
// VerifyFinish; the core never mixes them.
type MACOperation interface {
	Update(input []byte) error
	// SignFinish appends the MAC, truncated as alg says, to dst.
	SignFinish(dst []byte) ([]byte, error)
	// VerifyFinish compares the MAC with mac in constant time and returns
	// values.ErrInvalidSignature on a mismatch.
	VerifyFinish(mac []byte) error
	Abort() error
}

// CipherEncryptMultipart is the "cipher_encrypt_multipart" family:
// cipher_encrypt_setup, cipher_set_iv, cipher_update, cipher_finish,
// cipher_abort.
type CipherEncryptMultipart interface {
	CipherEncryptSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (CipherOperation, error)
}

// CipherDecryptMultipart is the "cipher_decrypt_multipart" family.
type CipherDecryptMultipart interface {
	CipherDecryptSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (CipherOperation, error)
}

// CipherOperation is an unauthenticated encryption or decryption in
// progress. The core has checked the IV length and the call order.
type CipherOperation interface {
	SetIV(iv []byte) error
	// Update appends the output that input makes available; block modes
	// may hold back up to a block (PSA_CIPHER_UPDATE_OUTPUT_SIZE).
	Update(input, dst []byte) ([]byte, error)
	// Finish appends the remaining output (padding added or checked).
	Finish(dst []byte) ([]byte, error)
	Abort() error
}

// IVGenerator is an optional interface of a CipherOperation of an opaque
// driver ("cipher_generate_iv", a gopsa extension): the secure element
// chooses the IV, appends it to dst and uses it. The core calls it for
// psa_cipher_generate_iv instead of SetIV with an IV of its own.
type IVGenerator interface {
	GenerateIV(dst []byte) ([]byte, error)
}

// AEADEncryptMultipart is the "aead_encrypt_multipart" family:
// aead_encrypt_setup, aead_set_nonce, aead_set_lengths, aead_update_ad,
// aead_update, aead_finish, aead_abort.
type AEADEncryptMultipart interface {
	AEADEncryptSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (AEADOperation, error)
}

// AEADDecryptMultipart is the "aead_decrypt_multipart" family, ending with
// aead_verify.
type AEADDecryptMultipart interface {
	AEADDecryptSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (AEADOperation, error)
}

// AEADOperation is an authenticated encryption or decryption in progress.
// The core enforces the order of calls and, once SetLengths was called,
// the declared lengths.
type AEADOperation interface {
	SetNonce(nonce []byte) error
	// SetLengths declares the total additional data and plaintext lengths
	// (required before any data for CCM).
	SetLengths(adLength, plaintextLength int) error
	UpdateAD(ad []byte) error
	Update(input, dst []byte) ([]byte, error)
	// Finish ends an encryption: it appends the remaining ciphertext to
	// dst and the tag to tag.
	Finish(dst, tag []byte) (out, tagOut []byte, err error)
	// Verify ends a decryption: it appends the remaining plaintext to dst
	// if tag is right, and returns values.ErrInvalidSignature otherwise.
	Verify(dst, tag []byte) ([]byte, error)
	Abort() error
}

// NonceGenerator is an optional interface of an AEADOperation of an opaque
// driver ("aead_generate_nonce", a gopsa extension): the secure element
// chooses the nonce, appends it to dst and uses it.
type NonceGenerator interface {
	GenerateNonce(dst []byte) ([]byte, error)
}

// XOFMultipart is the "xof_multipart" family, a gopsa extension for the
// extendable-output functions of PSA Crypto API 1.5 (psa_xof_*): xof_setup,
// xof_set_context, xof_update, xof_output, xof_abort.
type XOFMultipart interface {
	XOFSetup(alg values.Algorithm) (XOFOperation, error)
}

// XOFOperation is an extendable-output function in progress. After the
// first Output call, the core calls no more Update or SetContext.
type XOFOperation interface {
	SetContext(context []byte) error
	Update(input []byte) error
	// Output fills out with the next len(out) bytes of output.
	Output(out []byte) error
	Abort() error
}
