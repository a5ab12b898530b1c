package psa

import "github.com/gopsa/psa/internal/core"

// AEADEncrypt encrypts and authenticates plaintext, authenticates ad, and
// appends the ciphertext followed by the tag to dst (psa_aead_encrypt),
// with key, the AEAD algorithm alg (such as AlgGCM) and nonce. The key
// needs UsageEncrypt. A nonce must never be used twice with one key. On
// error dst is returned unchanged.
func (c *Crypto) AEADEncrypt(key KeyID, alg Algorithm, nonce, ad, plaintext, dst []byte) ([]byte, error) {
	return c.core.AEADEncrypt(key, alg, nonce, ad, plaintext, dst)
}

// AEADDecrypt checks and decrypts ciphertext, which ends with the tag, and
// appends the plaintext to dst (psa_aead_decrypt). The key needs
// UsageDecrypt. Data that is not authentic is an error wrapping
// ErrInvalidSignature; on any error dst is returned unchanged and no
// plaintext is released.
func (c *Crypto) AEADDecrypt(key KeyID, alg Algorithm, nonce, ad, ciphertext, dst []byte) ([]byte, error) {
	return c.core.AEADDecrypt(key, alg, nonce, ad, ciphertext, dst)
}

// An AEADOperation is a multi-part authenticated encryption or decryption
// (psa_aead_operation_t). The zero value is an inactive operation, ready
// for Crypto.AEADEncryptSetup or Crypto.AEADDecryptSetup; Finish, Verify
// and Abort make it inactive again, ready for reuse.
//
// The calls come in this order: SetLengths (required for AlgCCM, optional
// otherwise), GenerateNonce (encryption) or SetNonce, UpdateAD any number
// of times, Update any number of times, then Finish (encryption) or Verify
// (decryption). A call out of order is ErrBadState. Once SetLengths was
// called the lengths are enforced: more additional data or input than
// declared fails at once, less fails when the input ends, both with
// ErrInvalidArgument. Any error from an active operation aborts it.
// Destroying the key makes the next call fail with ErrInvalidHandle.
//
// When decrypting, the output of Update is not authentic until Verify
// succeeds: do not act on it before.
//
// An AEADOperation must not be copied once set up, and is not safe for
// concurrent use; distinct operations are independent.
type AEADOperation struct{ op core.AEADOp }

// AEADEncryptSetup sets up op to encrypt with key and alg
// (psa_aead_encrypt_setup). The key needs UsageEncrypt. op must be
// inactive.
func (c *Crypto) AEADEncryptSetup(op *AEADOperation, key KeyID, alg Algorithm) error {
	return op.op.EncryptSetup(c.core, key, alg)
}

// AEADDecryptSetup sets up op to decrypt with key and alg
// (psa_aead_decrypt_setup). The key needs UsageDecrypt. op must be
// inactive.
func (c *Crypto) AEADDecryptSetup(op *AEADOperation, key KeyID, alg Algorithm) error {
	return op.op.DecryptSetup(c.core, key, alg)
}

// SetLengths declares the total length of the additional data and of the
// plaintext (psa_aead_set_lengths), before the nonce.
func (op *AEADOperation) SetLengths(adLength, plaintextLength int) error {
	return op.op.SetLengths(adLength, plaintextLength)
}

// GenerateNonce chooses a random nonce of the algorithm's default length,
// sets it, and appends it to dst (psa_aead_generate_nonce). Encryption
// only. On error dst is returned unchanged.
func (op *AEADOperation) GenerateNonce(dst []byte) ([]byte, error) { return op.op.GenerateNonce(dst) }

// SetNonce sets the nonce (psa_aead_set_nonce). A length the algorithm
// does not accept is ErrInvalidArgument.
func (op *AEADOperation) SetNonce(nonce []byte) error { return op.op.SetNonce(nonce) }

// UpdateAD adds additional data, which is authenticated but not encrypted
// (psa_aead_update_ad). All additional data comes before the first Update.
func (op *AEADOperation) UpdateAD(ad []byte) error { return op.op.UpdateAD(ad) }

// Update encrypts or decrypts input and appends the output that is ready
// to dst (psa_aead_update). On error dst is returned unchanged.
func (op *AEADOperation) Update(input, dst []byte) ([]byte, error) { return op.op.Update(input, dst) }

// Finish ends an encryption (psa_aead_finish): it appends the rest of the
// ciphertext to dst and the authentication tag to tag, and returns both.
// On error dst and tag are returned unchanged.
func (op *AEADOperation) Finish(dst, tag []byte) (out, tagOut []byte, err error) {
	return op.op.Finish(dst, tag)
}

// Verify ends a decryption (psa_aead_verify): if tag authenticates the
// additional data and the ciphertext, it appends the rest of the plaintext
// to dst; otherwise it returns an error wrapping ErrInvalidSignature. On
// error dst is returned unchanged.
func (op *AEADOperation) Verify(dst, tag []byte) ([]byte, error) { return op.op.Verify(dst, tag) }

// Abort ends the operation and frees its resources (psa_aead_abort). It
// does nothing on an inactive operation.
func (op *AEADOperation) Abort() error { return op.op.Abort() }
