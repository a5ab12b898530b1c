package psa

import "github.com/gopsa/psa/internal/core"

// HashCompute appends the hash of input to dst (psa_hash_compute). alg is
// a hash algorithm such as AlgSHA256; anything else is ErrInvalidArgument.
// On error dst is returned unchanged.
func (c *Crypto) HashCompute(alg Algorithm, input, dst []byte) ([]byte, error) {
	return c.core.HashCompute(alg, input, dst)
}

// HashCompare computes the hash of input and compares it with hash in
// constant time (psa_hash_compare). It returns nil if they are equal and an
// error wrapping ErrInvalidSignature if not.
func (c *Crypto) HashCompare(alg Algorithm, input, hash []byte) error {
	return c.core.HashCompare(alg, input, hash)
}

// A HashOperation is a multi-part hash computation (psa_hash_operation_t).
// The zero value is an inactive operation, ready for Crypto.HashSetup or
// Crypto.HashResume; Finish, Verify, Suspend and Abort make it inactive
// again, ready for reuse.
//
// Any error from an active operation aborts it: the operation is then
// inactive, and calling Abort is allowed but not needed. Calling a method
// out of order (Update before setup, setup of an active operation) is
// ErrBadState.
//
// A HashOperation must not be copied once set up (use Clone), and is not
// safe for concurrent use; distinct operations are independent.
type HashOperation struct{ op core.HashOp }

// HashSetup sets up op to compute a hash with alg (psa_hash_setup). op must
// be inactive.
func (c *Crypto) HashSetup(op *HashOperation, alg Algorithm) error {
	return op.op.Setup(c.core, alg)
}

// HashResume sets up op to continue the hash computation whose suspend
// state Suspend returned (psa_hash_resume), possibly in another instance.
// A state that is not a valid hash suspend state is ErrInvalidArgument.
func (c *Crypto) HashResume(op *HashOperation, state []byte) error {
	return op.op.Resume(c.core, state)
}

// Alg returns the algorithm of an active operation, and 0 for an inactive
// one.
func (op *HashOperation) Alg() Algorithm { return op.op.Alg() }

// Update adds input to the message (psa_hash_update).
func (op *HashOperation) Update(input []byte) error { return op.op.Update(input) }

// Finish appends the hash of the message to dst and ends the operation
// (psa_hash_finish). On error dst is returned unchanged.
func (op *HashOperation) Finish(dst []byte) ([]byte, error) { return op.op.Finish(dst) }

// Verify computes the hash of the message, compares it with hash in
// constant time, and ends the operation (psa_hash_verify). A mismatch is
// an error wrapping ErrInvalidSignature.
func (op *HashOperation) Verify(hash []byte) error { return op.op.Verify(hash) }

// Suspend appends the state of the computation to dst and ends the
// operation (psa_hash_suspend). The state, in the specification's hash
// suspend state format, resumes the computation with Crypto.HashResume.
// Algorithms that cannot be suspended (the SHA-3 family, for instance)
// give ErrNotSupported.
func (op *HashOperation) Suspend(dst []byte) ([]byte, error) { return op.op.Suspend(dst) }

// Clone sets up target, which must be inactive, as an independent copy of
// op, which must be active (psa_hash_clone). op is unchanged whatever the
// result.
func (op *HashOperation) Clone(target *HashOperation) error { return op.op.CloneTo(&target.op) }

// Abort ends the operation and frees its resources (psa_hash_abort). It
// does nothing on an inactive operation.
func (op *HashOperation) Abort() error { return op.op.Abort() }
