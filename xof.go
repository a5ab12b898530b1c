package psa

import "github.com/gopsa/psa/internal/core"

// An XOFOperation computes an extendable-output function such as SHAKE128
// (psa_xof_operation_t). The zero value is an inactive operation, ready
// for Crypto.XOFSetup. An XOF operation has no finish step: once set up it
// gives output for as long as needed, until Abort.
//
// The calls come in this order: SetContext (only for an algorithm that
// takes a context, and then right after setup; without it the context is
// empty), Update any number of times, then Output any number of times. A
// call out of order is ErrBadState. Any error aborts the operation.
//
// An XOFOperation must not be copied once set up, and is not safe for
// concurrent use; distinct operations are independent.
type XOFOperation struct{ op core.XOFOp }

// XOFSetup sets up op to compute the XOF alg (psa_xof_setup). op must be
// inactive.
func (c *Crypto) XOFSetup(op *XOFOperation, alg Algorithm) error {
	return op.op.Setup(c.core, alg)
}

// SetContext gives the context of an XOF that takes one, such as
// AlgAsconCXOF128 (psa_xof_set_context). For an algorithm without context
// it is ErrInvalidArgument.
func (op *XOFOperation) SetContext(context []byte) error { return op.op.SetContext(context) }

// Update adds input (psa_xof_update). Input cannot be added once output
// has started.
func (op *XOFOperation) Update(input []byte) error { return op.op.Update(input) }

// Output fills out with the next len(out) bytes of output (psa_xof_output).
// The first call ends the input.
func (op *XOFOperation) Output(out []byte) error { return op.op.Output(out) }

// Abort ends the operation and frees its resources (psa_xof_abort). It does
// nothing on an inactive operation.
func (op *XOFOperation) Abort() error { return op.op.Abort() }
