package core

import (
	"fmt"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

func aeadCheckAlg(what string, alg values.Algorithm) error {
	if !alg.IsAEAD() {
		return fmt.Errorf("%s: %v is not an AEAD algorithm: %w", what, alg, values.ErrInvalidArgument)
	}
	if alg.IsWildcard() {
		return fmt.Errorf("%s: %v is a policy wildcard, not an algorithm to compute; name a specific tag length: %w", what, alg, values.ErrInvalidArgument)
	}
	return nil
}

// AEADEncrypt encrypts and authenticates plaintext, authenticates ad, and
// appends the ciphertext followed by the tag to dst (psa_aead_encrypt). The
// key needs UsageEncrypt. On error dst is returned unchanged.
func (c *Core) AEADEncrypt(id values.KeyID, alg values.Algorithm, nonce, ad, plaintext, dst []byte) ([]byte, error) {
	const what = "aead encrypt"
	if err := aeadCheckAlg(what, alg); err != nil {
		return dst, err
	}
	s, err := c.Use(id, values.UsageEncrypt, alg)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	defer c.Release(s)
	out, err := c.disp.AEADEncrypt(s.Attrs, s.Key, alg, nonce, ad, plaintext, dst)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// AEADDecrypt checks and decrypts ciphertext (followed by its tag) with ad,
// and appends the plaintext to dst (psa_aead_decrypt). The key needs
// UsageDecrypt. If the ciphertext is not authentic it fails with
// ErrInvalidSignature; on any error dst is returned unchanged.
func (c *Core) AEADDecrypt(id values.KeyID, alg values.Algorithm, nonce, ad, ciphertext, dst []byte) ([]byte, error) {
	const what = "aead decrypt"
	if err := aeadCheckAlg(what, alg); err != nil {
		return dst, err
	}
	s, err := c.Use(id, values.UsageDecrypt, alg)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	defer c.Release(s)
	out, err := c.disp.AEADDecrypt(s.Attrs, s.Key, alg, nonce, ad, ciphertext, dst)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// aeadStage is where an AEAD operation is in the order the specification
// imposes: lengths (optional, except for CCM), nonce, additional data,
// data, finish.
type aeadStage uint8

const (
	aeadSetUp aeadStage = iota // lengths or nonce may come
	aeadNonce                  // nonce set: additional data or data may come
	aeadData                   // data started: no more additional data
)

// AEADOp is a multi-part AEAD operation (psa_aead_operation_t), encrypting
// or decrypting. The zero value is an inactive operation. See the rules
// above Core.symOpen.
//
// Once SetLengths was called, the core enforces the declared lengths: more
// additional data or data than declared fails at once, less fails at the
// step that ends it.
type AEADOp struct {
	key        symOpKey
	alg        values.Algorithm
	decrypt    bool
	stage      aeadStage
	lengthsSet bool
	needLens   bool // the algorithm needs SetLengths before the nonce (CCM)
	nonceLen   int
	adLen      uint64 // declared lengths, if lengthsSet
	textLen    uint64
	adSeen     uint64 // lengths given so far
	textSeen   uint64
	d          driver.AEADOperation // nil when inactive
}

// Active reports whether the operation is active.
func (op *AEADOp) Active() bool { return op.d != nil }

func (op *AEADOp) abortDriver() {
	if op.d != nil {
		_ = op.d.Abort()
	}
	*op = AEADOp{}
}

func (op *AEADOp) badState(what, why string) error {
	op.abortDriver()
	return fmt.Errorf("%s: %s: %w", what, why, values.ErrBadState)
}

func (op *AEADOp) fail(what string, err error) error {
	op.abortDriver()
	return fmt.Errorf("%s: %w", what, err)
}

func (op *AEADOp) invalid(what, format string, args ...any) error {
	op.abortDriver()
	return fmt.Errorf("%s: %s: %w", what, fmt.Sprintf(format, args...), values.ErrInvalidArgument)
}

// EncryptSetup starts an authenticated encryption with key id
// (psa_aead_encrypt_setup), which needs UsageEncrypt.
func (op *AEADOp) EncryptSetup(c *Core, id values.KeyID, alg values.Algorithm) error {
	return op.setup(c, "aead encrypt setup", id, alg, false)
}

// DecryptSetup starts an authenticated decryption with key id
// (psa_aead_decrypt_setup), which needs UsageDecrypt.
func (op *AEADOp) DecryptSetup(c *Core, id values.KeyID, alg values.Algorithm) error {
	return op.setup(c, "aead decrypt setup", id, alg, true)
}

func (op *AEADOp) setup(c *Core, what string, id values.KeyID, alg values.Algorithm, decrypt bool) error {
	if op.d != nil {
		return op.badState(what, "the operation is already active (abort it or finish it first)")
	}
	if err := aeadCheckAlg(what, alg); err != nil {
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
	var d driver.AEADOperation
	if decrypt {
		d, err = c.disp.AEADDecryptSetup(s.Attrs, s.Key, alg)
	} else {
		d, err = c.disp.AEADEncryptSetup(s.Attrs, s.Key, alg)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	*op = AEADOp{
		key:      symOpKey{c, s},
		alg:      alg,
		decrypt:  decrypt,
		needLens: values.AlgAEADWithDefaultLengthTag(alg) == values.AlgCCM,
		nonceLen: values.AEADNonceLength(s.Attrs.Type, alg),
		d:        d,
	}
	return nil
}

// SetLengths declares the total lengths of the additional data and of the
// plaintext (psa_aead_set_lengths), before the nonce. CCM requires it.
func (op *AEADOp) SetLengths(adLength, plaintextLength int) error {
	const what = "aead set lengths"
	switch {
	case op.d == nil:
		return op.badState(what, "the operation is not active (set it up first)")
	case op.stage != aeadSetUp:
		return op.badState(what, "the lengths must be set before the nonce")
	case op.lengthsSet:
		return op.badState(what, "the lengths are already set")
	case adLength < 0 || plaintextLength < 0:
		return op.invalid(what, "negative length (additional data %d, plaintext %d)", adLength, plaintextLength)
	}
	if err := op.key.alive(); err != nil {
		return op.fail(what, err)
	}
	if err := op.d.SetLengths(adLength, plaintextLength); err != nil {
		return op.fail(what, err)
	}
	op.lengthsSet = true
	op.adLen, op.textLen = uint64(adLength), uint64(plaintextLength)
	return nil
}

func (op *AEADOp) nonceState(what string) error {
	switch {
	case op.d == nil:
		return op.badState(what, "the operation is not active (set it up first)")
	case op.stage != aeadSetUp:
		return op.badState(what, "the nonce is already set")
	case op.needLens && !op.lengthsSet:
		return op.badState(what, fmt.Sprintf("%v needs SetLengths before the nonce", op.alg))
	}
	return op.key.alive()
}

// GenerateNonce chooses a random nonce of the algorithm's default length,
// sets it, and appends it to dst (psa_aead_generate_nonce). Encryption
// only. An opaque driver that chooses its nonces (driver.NonceGenerator)
// does so instead. On error dst is returned unchanged.
func (op *AEADOp) GenerateNonce(dst []byte) ([]byte, error) {
	const what = "aead generate nonce"
	if op.d != nil && op.decrypt {
		return dst, op.badState(what, "a decryption takes the nonce it was encrypted with: use SetNonce")
	}
	if err := op.nonceState(what); err != nil {
		if op.d != nil {
			return dst, op.fail(what, err)
		}
		return dst, err
	}
	if g, ok := op.d.(driver.NonceGenerator); ok {
		out, err := g.GenerateNonce(dst)
		if err != nil {
			return dst, op.fail(what, err)
		}
		op.stage = aeadNonce
		return out, nil
	}
	out := append(dst, make([]byte, op.nonceLen)...)
	nonce := out[len(dst):]
	if err := op.key.c.GenerateRandom(nonce); err != nil {
		return dst, op.fail(what, err)
	}
	if err := op.d.SetNonce(nonce); err != nil {
		return dst, op.fail(what, err)
	}
	op.stage = aeadNonce
	return out, nil
}

// SetNonce sets the nonce (psa_aead_set_nonce). The driver checks its
// length.
func (op *AEADOp) SetNonce(nonce []byte) error {
	const what = "aead set nonce"
	if err := op.nonceState(what); err != nil {
		if op.d != nil {
			return op.fail(what, err)
		}
		return err
	}
	if err := op.d.SetNonce(nonce); err != nil {
		return op.fail(what, err)
	}
	op.stage = aeadNonce
	return nil
}

// UpdateAD adds additional data (psa_aead_update_ad): after the nonce,
// before any data.
func (op *AEADOp) UpdateAD(ad []byte) error {
	const what = "aead update ad"
	switch {
	case op.d == nil:
		return op.badState(what, "the operation is not active (set it up first)")
	case op.stage == aeadSetUp:
		return op.badState(what, "the nonce must be set first (GenerateNonce or SetNonce)")
	case op.stage == aeadData:
		return op.badState(what, "additional data must all come before the data")
	case op.lengthsSet && uint64(len(ad)) > op.adLen-op.adSeen:
		return op.invalid(what, "%d bytes of additional data exceed the %d declared with SetLengths (%d given before)",
			len(ad), op.adLen, op.adSeen)
	}
	if err := op.key.alive(); err != nil {
		return op.fail(what, err)
	}
	if err := op.d.UpdateAD(ad); err != nil {
		return op.fail(what, err)
	}
	op.adSeen += uint64(len(ad))
	return nil
}

// Update encrypts or decrypts input and appends the output it makes
// available to dst (psa_aead_update). When decrypting, the output is not
// authentic until Verify succeeds. On error dst is returned unchanged.
func (op *AEADOp) Update(input, dst []byte) ([]byte, error) {
	const what = "aead update"
	switch {
	case op.d == nil:
		return dst, op.badState(what, "the operation is not active (set it up first)")
	case op.stage == aeadSetUp:
		return dst, op.badState(what, "the nonce must be set first (GenerateNonce or SetNonce)")
	case op.lengthsSet && op.adSeen != op.adLen:
		return dst, op.invalid(what, "only %d of the %d bytes of additional data declared with SetLengths were given", op.adSeen, op.adLen)
	case op.lengthsSet && uint64(len(input)) > op.textLen-op.textSeen:
		return dst, op.invalid(what, "%d bytes of input exceed the %d declared with SetLengths (%d given before)",
			len(input), op.textLen, op.textSeen)
	}
	if err := op.key.alive(); err != nil {
		return dst, op.fail(what, err)
	}
	out, err := op.d.Update(input, dst)
	if err != nil {
		return dst, op.fail(what, err)
	}
	op.stage = aeadData
	op.textSeen += uint64(len(input))
	return out, nil
}

// finishState checks a finish step: the direction and the declared
// lengths.
func (op *AEADOp) finishState(what string, decrypt bool) error {
	switch {
	case op.d == nil:
		return op.badState(what, "the operation is not active (set it up first)")
	case op.decrypt && !decrypt:
		return op.badState(what, "this is a decryption: finish it with Verify")
	case !op.decrypt && decrypt:
		return op.badState(what, "this is an encryption: finish it with Finish")
	case op.stage == aeadSetUp:
		return op.badState(what, "the nonce must be set first (GenerateNonce or SetNonce)")
	case op.lengthsSet && op.adSeen != op.adLen:
		return op.invalid(what, "only %d of the %d bytes of additional data declared with SetLengths were given", op.adSeen, op.adLen)
	case op.lengthsSet && op.textSeen != op.textLen:
		return op.invalid(what, "only %d of the %d bytes of input declared with SetLengths were given", op.textSeen, op.textLen)
	}
	if err := op.key.alive(); err != nil {
		return op.fail(what, err)
	}
	return nil
}

// Finish ends an encryption (psa_aead_finish): it appends the remaining
// ciphertext to dst and the tag to tag. On error dst and tag are returned
// unchanged.
func (op *AEADOp) Finish(dst, tag []byte) (out, tagOut []byte, err error) {
	const what = "aead finish"
	if err := op.finishState(what, false); err != nil {
		return dst, tag, err
	}
	d := op.d
	*op = AEADOp{} // a finish step ends the driver's operation, whatever its result
	out, tagOut, err = d.Finish(dst, tag)
	if err != nil {
		return dst, tag, fmt.Errorf("%s: %w", what, err)
	}
	return out, tagOut, nil
}

// Verify ends a decryption (psa_aead_verify): if tag authenticates the
// data, it appends the remaining plaintext to dst; otherwise it fails with
// ErrInvalidSignature. On error dst is returned unchanged.
func (op *AEADOp) Verify(dst, tag []byte) ([]byte, error) {
	const what = "aead verify"
	if err := op.finishState(what, true); err != nil {
		return dst, err
	}
	d := op.d
	*op = AEADOp{}
	out, err := d.Verify(dst, tag)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// Abort ends the operation (psa_aead_abort). It does nothing on an
// inactive operation.
func (op *AEADOp) Abort() error {
	if op.d == nil {
		return nil
	}
	d := op.d
	*op = AEADOp{}
	if err := d.Abort(); err != nil {
		return fmt.Errorf("aead abort: %w", err)
	}
	return nil
}
