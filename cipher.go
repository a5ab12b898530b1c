package psa

import "github.com/gopsa/psa/internal/core"

// CipherEncrypt encrypts input with key and the unauthenticated cipher alg
// (such as AlgCTR or AlgCBCPKCS7) under a random IV, and appends the IV
// followed by the ciphertext to dst (psa_cipher_encrypt). The IV has the
// algorithm's default length and comes from the instance's random
// generator; algorithms without IV (AlgECBNoPadding) add none. The key
// needs UsageEncrypt. On error dst is returned unchanged.
func (c *Crypto) CipherEncrypt(key KeyID, alg Algorithm, input, dst []byte) ([]byte, error) {
	return c.core.CipherEncrypt(key, alg, input, dst)
}

// CipherDecrypt decrypts input, the IV followed by the ciphertext as
// CipherEncrypt makes it, and appends the plaintext to dst
// (psa_cipher_decrypt). The key needs UsageDecrypt. Bad padding is
// ErrInvalidPadding. On error dst is returned unchanged.
func (c *Crypto) CipherDecrypt(key KeyID, alg Algorithm, input, dst []byte) ([]byte, error) {
	return c.core.CipherDecrypt(key, alg, input, dst)
}

// A CipherOperation is a multi-part unauthenticated encryption or
// decryption (psa_cipher_operation_t). The zero value is an inactive
// operation, ready for Crypto.CipherEncryptSetup or
// Crypto.CipherDecryptSetup; Finish and Abort make it inactive again,
// ready for reuse.
//
// After setup, an algorithm that takes an IV needs GenerateIV (encryption)
// or SetIV before any data. Any error from an active operation aborts it,
// and calling a method out of order is ErrBadState. Destroying the key
// makes the next call fail with ErrInvalidHandle.
//
// A CipherOperation must not be copied once set up, and is not safe for
// concurrent use; distinct operations are independent.
type CipherOperation struct{ op core.CipherOp }

// CipherEncryptSetup sets up op to encrypt with key and alg
// (psa_cipher_encrypt_setup). The key needs UsageEncrypt. op must be
// inactive.
func (c *Crypto) CipherEncryptSetup(op *CipherOperation, key KeyID, alg Algorithm) error {
	return op.op.EncryptSetup(c.core, key, alg)
}

// CipherDecryptSetup sets up op to decrypt with key and alg
// (psa_cipher_decrypt_setup). The key needs UsageDecrypt. op must be
// inactive.
func (c *Crypto) CipherDecryptSetup(op *CipherOperation, key KeyID, alg Algorithm) error {
	return op.op.DecryptSetup(c.core, key, alg)
}

// GenerateIV chooses a random IV of the algorithm's default length, sets
// it, and appends it to dst (psa_cipher_generate_iv). Encryption only; an
// algorithm without IV gives ErrBadState. On error dst is returned
// unchanged.
func (op *CipherOperation) GenerateIV(dst []byte) ([]byte, error) { return op.op.GenerateIV(dst) }

// SetIV sets the IV (psa_cipher_set_iv): for a decryption, the one the
// encryption used. A length the algorithm does not accept is
// ErrInvalidArgument.
func (op *CipherOperation) SetIV(iv []byte) error { return op.op.SetIV(iv) }

// Update encrypts or decrypts input and appends the output that is ready
// to dst (psa_cipher_update). Block modes may hold back up to a block of
// output until more input or Finish. On error dst is returned unchanged.
func (op *CipherOperation) Update(input, dst []byte) ([]byte, error) {
	return op.op.Update(input, dst)
}

// Finish appends the rest of the output to dst and ends the operation
// (psa_cipher_finish): padding is added or checked here. On error dst is
// returned unchanged.
func (op *CipherOperation) Finish(dst []byte) ([]byte, error) { return op.op.Finish(dst) }

// Abort ends the operation and frees its resources (psa_cipher_abort). It
// does nothing on an inactive operation.
func (op *CipherOperation) Abort() error { return op.op.Abort() }
