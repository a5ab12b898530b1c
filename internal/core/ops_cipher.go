package core

import (
	"fmt"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

func cipherCheckAlg(what string, alg values.Algorithm) error {
	if !alg.IsCipher() {
		return fmt.Errorf("%s: %v is not an unauthenticated cipher algorithm: %w", what, alg, values.ErrInvalidArgument)
	}
	if alg.IsWildcard() {
		return fmt.Errorf("%s: %v is a policy wildcard, not an algorithm to compute: %w", what, alg, values.ErrInvalidArgument)
	}
	return nil
}

// CipherEncrypt encrypts input with a random IV and appends the IV followed
// by the ciphertext to dst (psa_cipher_encrypt). The key needs
// UsageEncrypt. The IV has the algorithm's default length
// (PSA_CIPHER_IV_LENGTH) and comes from the instance's random generator.
// On error dst is returned unchanged.
func (c *Core) CipherEncrypt(id values.KeyID, alg values.Algorithm, input, dst []byte) ([]byte, error) {
	const what = "cipher encrypt"
	if err := cipherCheckAlg(what, alg); err != nil {
		return dst, err
	}
	s, err := c.Use(id, values.UsageEncrypt, alg)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	defer c.Release(s)
	n := values.CipherIVLength(s.Attrs.Type, alg)
	// The IV goes in front of the ciphertext, in dst itself: no buffer of
	// its own. dst's length is untouched until success.
	out := append(dst, make([]byte, n)...)
	iv := out[len(dst):]
	if err := c.GenerateRandom(iv); err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	out, err = c.disp.CipherEncrypt(s.Attrs, s.Key, alg, iv, input, out)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// CipherDecrypt decrypts input, the IV followed by the ciphertext as
// CipherEncrypt makes it, and appends the plaintext to dst
// (psa_cipher_decrypt). The key needs UsageDecrypt. On error dst is
// returned unchanged.
func (c *Core) CipherDecrypt(id values.KeyID, alg values.Algorithm, input, dst []byte) ([]byte, error) {
	const what = "cipher decrypt"
	if err := cipherCheckAlg(what, alg); err != nil {
		return dst, err
	}
	s, err := c.Use(id, values.UsageDecrypt, alg)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	defer c.Release(s)
	out, err := c.disp.CipherDecrypt(s.Attrs, s.Key, alg, input, dst)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// CipherOp is a multi-part unauthenticated cipher operation
// (psa_cipher_operation_t), encrypting or decrypting. The zero value is an
// inactive operation. See the rules above Core.symOpen.
type CipherOp struct {
	key     symOpKey
	alg     values.Algorithm
	decrypt bool
	ivLen   int                    // PSA_CIPHER_IV_LENGTH: 0 if the algorithm takes no IV
	ivSet   bool                   // or not needed
	d       driver.CipherOperation // nil when inactive
}

// Active reports whether the operation is active.
func (op *CipherOp) Active() bool { return op.d != nil }

func (op *CipherOp) abortDriver() {
	if op.d != nil {
		_ = op.d.Abort()
	}
	*op = CipherOp{}
}

func (op *CipherOp) badState(what, why string) error {
	op.abortDriver()
	return fmt.Errorf("%s: %s: %w", what, why, values.ErrBadState)
}

func (op *CipherOp) fail(what string, err error) error {
	op.abortDriver()
	return fmt.Errorf("%s: %w", what, err)
}

// EncryptSetup starts an encryption with key id (psa_cipher_encrypt_setup),
// which needs UsageEncrypt.
func (op *CipherOp) EncryptSetup(c *Core, id values.KeyID, alg values.Algorithm) error {
	return op.setup(c, "cipher encrypt setup", id, alg, false)
}

// DecryptSetup starts a decryption with key id (psa_cipher_decrypt_setup),
// which needs UsageDecrypt.
func (op *CipherOp) DecryptSetup(c *Core, id values.KeyID, alg values.Algorithm) error {
	return op.setup(c, "cipher decrypt setup", id, alg, true)
}

func (op *CipherOp) setup(c *Core, what string, id values.KeyID, alg values.Algorithm, decrypt bool) error {
	if op.d != nil {
		return op.badState(what, "the operation is already active (abort it or finish it first)")
	}
	if err := cipherCheckAlg(what, alg); err != nil {
		return err
	}
	usage := values.UsageEncrypt
	if decrypt {
		usage = values.UsageDecrypt
	}
	s, err := c.Use(id, usage, alg)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer c.Release(s)
	var d driver.CipherOperation
	if decrypt {
		d, err = c.disp.CipherDecryptSetup(s.Attrs, s.Key, alg)
	} else {
		d, err = c.disp.CipherEncryptSetup(s.Attrs, s.Key, alg)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	n := values.CipherIVLength(s.Attrs.Type, alg)
	*op = CipherOp{key: symOpKey{c, s}, alg: alg, decrypt: decrypt, ivLen: n, ivSet: n == 0, d: d}
	return nil
}

// GenerateIV chooses a random IV of the algorithm's default length, sets
// it, and appends it to dst (psa_cipher_generate_iv). Encryption only. An
// opaque driver that chooses its IVs (driver.IVGenerator) does so instead.
func (op *CipherOp) GenerateIV(dst []byte) ([]byte, error) {
	const what = "cipher generate iv"
	switch {
	case op.d == nil:
		return dst, op.badState(what, "the operation is not active (set it up with CipherEncryptSetup first)")
	case op.decrypt:
		return dst, op.badState(what, "a decryption takes the IV it was encrypted with: use SetIV")
	case op.ivLen == 0:
		return dst, op.badState(what, fmt.Sprintf("%v takes no IV", op.alg))
	case op.ivSet:
		return dst, op.badState(what, "the IV is already set")
	}
	if err := op.key.alive(); err != nil {
		return dst, op.fail(what, err)
	}
	if g, ok := op.d.(driver.IVGenerator); ok {
		out, err := g.GenerateIV(dst)
		if err != nil {
			return dst, op.fail(what, err)
		}
		op.ivSet = true
		return out, nil
	}
	out := append(dst, make([]byte, op.ivLen)...)
	iv := out[len(dst):]
	if err := op.key.c.GenerateRandom(iv); err != nil {
		return dst, op.fail(what, err)
	}
	if err := op.d.SetIV(iv); err != nil {
		return dst, op.fail(what, err)
	}
	op.ivSet = true
	return out, nil
}

// SetIV sets the IV (psa_cipher_set_iv). The driver checks its length.
func (op *CipherOp) SetIV(iv []byte) error {
	const what = "cipher set iv"
	switch {
	case op.d == nil:
		return op.badState(what, "the operation is not active (set it up first)")
	case op.ivLen == 0:
		return op.badState(what, fmt.Sprintf("%v takes no IV", op.alg))
	case op.ivSet:
		return op.badState(what, "the IV is already set")
	}
	if err := op.key.alive(); err != nil {
		return op.fail(what, err)
	}
	if err := op.d.SetIV(iv); err != nil {
		return op.fail(what, err)
	}
	op.ivSet = true
	return nil
}

// Update encrypts or decrypts input and appends the output it makes
// available to dst (psa_cipher_update): block modes hold back up to a
// block until more input or Finish. On error dst is returned unchanged.
func (op *CipherOp) Update(input, dst []byte) ([]byte, error) {
	const what = "cipher update"
	if err := op.ready(what); err != nil {
		return dst, err
	}
	out, err := op.d.Update(input, dst)
	if err != nil {
		return dst, op.fail(what, err)
	}
	return out, nil
}

// Finish appends the remaining output to dst and ends the operation
// (psa_cipher_finish). On error dst is returned unchanged.
func (op *CipherOp) Finish(dst []byte) ([]byte, error) {
	const what = "cipher finish"
	if err := op.ready(what); err != nil {
		return dst, err
	}
	d := op.d
	*op = CipherOp{} // a finish step ends the driver's operation, whatever its result
	out, err := d.Finish(dst)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// ready checks that the operation can process data.
func (op *CipherOp) ready(what string) error {
	switch {
	case op.d == nil:
		return op.badState(what, "the operation is not active (set it up first)")
	case !op.ivSet:
		return op.badState(what, fmt.Sprintf("%v needs an IV first (GenerateIV or SetIV)", op.alg))
	}
	if err := op.key.alive(); err != nil {
		return op.fail(what, err)
	}
	return nil
}

// Abort ends the operation (psa_cipher_abort). It does nothing on an
// inactive operation.
func (op *CipherOp) Abort() error {
	if op.d == nil {
		return nil
	}
	d := op.d
	*op = CipherOp{}
	if err := d.Abort(); err != nil {
		return fmt.Errorf("cipher abort: %w", err)
	}
	return nil
}
