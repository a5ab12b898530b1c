package core

import (
	"fmt"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// xofStage is where an XOF operation is in the order the specification
// imposes: context (if any) first, then input, then output.
type xofStage uint8

const (
	xofSetUp    xofStage = iota // set up: context or input may come
	xofInput                    // context set or input given: more input may come
	xofOutputOK                 // output started: only output or abort
)

// XOFOp is a multi-part extendable-output function operation
// (psa_xof_operation_t). The zero value is an inactive operation. An XOF
// operation has no finish step: it stays active, giving output, until it
// is aborted. See the rules above Core.symOpen.
type XOFOp struct {
	alg   values.Algorithm
	stage xofStage
	d     driver.XOFOperation // nil when inactive
}

// Active reports whether the operation is active.
func (op *XOFOp) Active() bool { return op.d != nil }

func (op *XOFOp) abortDriver() {
	if op.d != nil {
		_ = op.d.Abort()
	}
	*op = XOFOp{}
}

func (op *XOFOp) badState(what, why string) error {
	op.abortDriver()
	return fmt.Errorf("%s: %s: %w", what, why, values.ErrBadState)
}

func (op *XOFOp) fail(what string, err error) error {
	op.abortDriver()
	return fmt.Errorf("%s: %w", what, err)
}

// Setup starts an XOF computation with alg (psa_xof_setup).
func (op *XOFOp) Setup(c *Core, alg values.Algorithm) error {
	const what = "xof setup"
	if op.d != nil {
		return op.badState(what, "the operation is already active (abort it first)")
	}
	if !alg.IsXOF() {
		return fmt.Errorf("%s: %v is not an XOF algorithm: %w", what, alg, values.ErrInvalidArgument)
	}
	if err := c.symOpen(); err != nil {
		return err
	}
	d, err := c.disp.XOFSetup(alg)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	op.alg, op.stage, op.d = alg, xofSetUp, d
	return nil
}

// SetContext gives the context of an XOF that takes one
// (psa_xof_set_context): right after Setup, before any input.
func (op *XOFOp) SetContext(context []byte) error {
	const what = "xof set context"
	switch {
	case op.d == nil:
		return op.badState(what, "the operation is not active (set it up first)")
	case op.stage != xofSetUp:
		return op.badState(what, "the context must come right after setup, before any other call")
	case !op.alg.XOFHasContext():
		alg := op.alg
		op.abortDriver()
		return fmt.Errorf("%s: %v takes no context: %w", what, alg, values.ErrInvalidArgument)
	}
	if err := op.d.SetContext(context); err != nil {
		return op.fail(what, err)
	}
	op.stage = xofInput
	return nil
}

// Update adds input (psa_xof_update); not after the first Output.
func (op *XOFOp) Update(input []byte) error {
	const what = "xof update"
	switch {
	case op.d == nil:
		return op.badState(what, "the operation is not active (set it up first)")
	case op.stage == xofOutputOK:
		return op.badState(what, "output has started: no more input can be added")
	}
	if err := op.d.Update(input); err != nil {
		return op.fail(what, err)
	}
	op.stage = xofInput
	return nil
}

// Output fills out with the next len(out) bytes of output (psa_xof_output).
// The first call ends the input. On error the content of out is
// unspecified.
func (op *XOFOp) Output(out []byte) error {
	const what = "xof output"
	if op.d == nil {
		return op.badState(what, "the operation is not active (set it up first)")
	}
	if err := op.d.Output(out); err != nil {
		return op.fail(what, err)
	}
	op.stage = xofOutputOK
	return nil
}

// Abort ends the operation (psa_xof_abort). It does nothing on an inactive
// operation.
func (op *XOFOp) Abort() error {
	if op.d == nil {
		return nil
	}
	d := op.d
	*op = XOFOp{}
	if err := d.Abort(); err != nil {
		return fmt.Errorf("xof abort: %w", err)
	}
	return nil
}
