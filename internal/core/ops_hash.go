package core

import (
	"crypto/subtle"
	"encoding/binary"
	"fmt"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// Multi-part operations (hash, XOF, MAC, cipher, AEAD) share these rules,
// which are the specification's ("Multi-part operations" in the
// functionality overview) with one simplification: an error from an active
// operation aborts it at once, so the specification's error state is the
// inactive state. Abort is then allowed and does nothing, as on any
// inactive operation, and the operation can be set up again. Setting up an
// active operation is itself an error of an active operation: it fails with
// ErrBadState and aborts the operation.
//
// The driver's operation object is aborted after any failure except that of
// a finish step, after which the driver contract lets the core drop it
// (driver/multipart.go).
//
// An operation is not safe for concurrent use; distinct operations are.

// symOpen fails with ErrBadState when the instance is closed: the
// operations without a key never reach the key table, which checks it for
// the others.
func (c *Core) symOpen() error {
	c.mu.RLock()
	closed := c.closed
	c.mu.RUnlock()
	if closed {
		return errClosed
	}
	return nil
}

func hashCheckAlg(what string, alg values.Algorithm) error {
	if !alg.IsHash() {
		return fmt.Errorf("%s: %v is not a hash algorithm: %w", what, alg, values.ErrInvalidArgument)
	}
	if alg.IsWildcard() {
		// PSA_ALG_IS_HASH holds for PSA_ALG_ANY_HASH, so this is an
		// unsupported hash rather than an invalid argument (as in the C
		// reference).
		return fmt.Errorf("%s: %v is a policy wildcard, not an algorithm to compute; name a specific hash: %w", what, alg, values.ErrNotSupported)
	}
	return nil
}

// HashCompute appends the hash of input to dst (psa_hash_compute). On error
// dst is returned unchanged.
func (c *Core) HashCompute(alg values.Algorithm, input, dst []byte) ([]byte, error) {
	const what = "hash compute"
	if err := hashCheckAlg(what, alg); err != nil {
		return dst, err
	}
	if err := c.symOpen(); err != nil {
		return dst, err
	}
	out, err := c.disp.HashCompute(alg, input, dst)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// HashCompare computes the hash of input and compares it with hash in
// constant time (psa_hash_compare): ErrInvalidSignature if they differ.
func (c *Core) HashCompare(alg values.Algorithm, input, hash []byte) error {
	const what = "hash compare"
	if err := hashCheckAlg(what, alg); err != nil {
		return err
	}
	if err := c.symOpen(); err != nil {
		return err
	}
	var buf [values.HashMaxSize]byte
	h, err := c.disp.HashCompute(alg, input, buf[:0])
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return hashCompare(what, h, hash)
}

func hashCompare(what string, got, want []byte) error {
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return fmt.Errorf("%s: the hash does not match: %w", what, values.ErrInvalidSignature)
	}
	return nil
}

// HashOp is a multi-part hash operation (psa_hash_operation_t). The zero
// value is an inactive operation. See the rules above Core.symOpen.
type HashOp struct {
	alg values.Algorithm
	d   driver.HashOperation // nil when inactive
}

// Active reports whether the operation is active.
func (op *HashOp) Active() bool { return op.d != nil }

// Alg returns the algorithm of an active operation, 0 otherwise.
func (op *HashOp) Alg() values.Algorithm { return op.alg }

// abortDriver releases the driver's operation after a failure and makes op
// inactive.
func (op *HashOp) abortDriver() {
	if op.d != nil {
		_ = op.d.Abort()
	}
	*op = HashOp{}
}

// badState aborts op (an error of an active operation aborts it) and
// returns an ErrBadState error.
func (op *HashOp) badState(what, why string) error {
	op.abortDriver()
	return fmt.Errorf("%s: %s: %w", what, why, values.ErrBadState)
}

// Setup starts a hash computation with alg (psa_hash_setup).
func (op *HashOp) Setup(c *Core, alg values.Algorithm) error {
	const what = "hash setup"
	if op.d != nil {
		return op.badState(what, "the operation is already active (abort it or finish it first)")
	}
	if err := hashCheckAlg(what, alg); err != nil {
		return err
	}
	if err := c.symOpen(); err != nil {
		return err
	}
	d, err := c.disp.HashSetup(alg)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	op.alg, op.d = alg, d
	return nil
}

// Resume starts a hash computation from a hash suspend state
// (psa_hash_resume): the state's first field names the algorithm.
func (op *HashOp) Resume(c *Core, state []byte) error {
	const what = "hash resume"
	if op.d != nil {
		return op.badState(what, "the operation is already active (abort it or finish it first)")
	}
	n := values.HashSuspendAlgorithmFieldLength
	if len(state) < n {
		return fmt.Errorf("%s: a %d-byte hash suspend state is too short for its %d-byte algorithm field: %w",
			what, len(state), n, values.ErrInvalidArgument)
	}
	alg := values.Algorithm(binary.BigEndian.Uint32(state))
	if !alg.IsHash() || alg.IsWildcard() {
		return fmt.Errorf("%s: the hash suspend state names %v, which is not a hash algorithm: %w", what, alg, values.ErrInvalidArgument)
	}
	if err := c.symOpen(); err != nil {
		return err
	}
	d, err := c.disp.HashResume(alg, state)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	op.alg, op.d = alg, d
	return nil
}

// Update hashes input (psa_hash_update).
func (op *HashOp) Update(input []byte) error {
	const what = "hash update"
	if op.d == nil {
		return op.badState(what, "the operation is not active (set it up first)")
	}
	if err := op.d.Update(input); err != nil {
		op.abortDriver()
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// Finish appends the hash to dst and ends the operation (psa_hash_finish).
// On error dst is returned unchanged.
func (op *HashOp) Finish(dst []byte) ([]byte, error) {
	const what = "hash finish"
	if op.d == nil {
		return dst, op.badState(what, "the operation is not active (set it up first)")
	}
	d := op.d
	*op = HashOp{} // a finish step ends the driver's operation, whatever its result
	out, err := d.Finish(dst)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// Verify finishes the hash and compares it with hash in constant time
// (psa_hash_verify): ErrInvalidSignature if they differ.
func (op *HashOp) Verify(hash []byte) error {
	const what = "hash verify"
	if op.d == nil {
		return op.badState(what, "the operation is not active (set it up first)")
	}
	d := op.d
	*op = HashOp{}
	var buf [values.HashMaxSize]byte
	h, err := d.Finish(buf[:0])
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return hashCompare(what, h, hash)
}

// Suspend appends the hash suspend state to dst and ends the operation
// (psa_hash_suspend). It fails with ErrNotSupported when the driver cannot
// suspend the algorithm.
func (op *HashOp) Suspend(dst []byte) ([]byte, error) {
	const what = "hash suspend"
	if op.d == nil {
		return dst, op.badState(what, "the operation is not active (set it up first)")
	}
	s, ok := op.d.(driver.HashSuspender)
	if !ok {
		alg := op.alg
		op.abortDriver()
		return dst, fmt.Errorf("%s: the driver cannot suspend %v: %w", what, alg, values.ErrNotSupported)
	}
	*op = HashOp{} // suspending ends the driver's operation
	out, err := s.Suspend(dst)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// CloneTo makes target an independent copy of op (psa_hash_clone). op must
// be active and target inactive. Setting up target is what the call does,
// so an active target is aborted like an active operation given to Setup;
// op is left as it was whatever happens.
func (op *HashOp) CloneTo(target *HashOp) error {
	const what = "hash clone"
	if target == op {
		return op.badState(what, "the source and target are the same operation")
	}
	if op.d == nil {
		return fmt.Errorf("%s: the source operation is not active: %w", what, values.ErrBadState)
	}
	if target.d != nil {
		return target.badState(what, "the target operation is active (abort it first)")
	}
	d, err := op.d.Clone()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	target.alg, target.d = op.alg, d
	return nil
}

// Abort ends the operation (psa_hash_abort). It does nothing on an
// inactive operation.
func (op *HashOp) Abort() error {
	if op.d == nil {
		return nil
	}
	d := op.d
	*op = HashOp{}
	if err := d.Abort(); err != nil {
		return fmt.Errorf("hash abort: %w", err)
	}
	return nil
}
