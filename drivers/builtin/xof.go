package builtin

import (
	"crypto/sha3"
	"fmt"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// Extendable-output functions: the "xof_multipart" family.
//
// Supported: SHAKE128 and SHAKE256 (FIPS 202), which take no context.
// Ascon-XOF128 and Ascon-CXOF128 (NIST SP 800-232) are not supported: no
// Go implementation of SP 800-232 is available.

// XOFSetup is the "xof_setup" entry point.
func (d *Driver) XOFSetup(alg values.Algorithm) (driver.XOFOperation, error) {
	switch alg {
	case values.AlgSHAKE128:
		return &xofOperation{alg: alg, s: sha3.NewSHAKE128()}, nil
	case values.AlgSHAKE256:
		return &xofOperation{alg: alg, s: sha3.NewSHAKE256()}, nil
	case values.AlgAsconXOF128, values.AlgAsconCXOF128:
		return nil, fmt.Errorf("xof setup: %v is not supported by the builtin driver (no Go implementation of NIST SP 800-232 is available): %w", alg, values.ErrNotSupported)
	}
	if !alg.IsXOF() {
		return nil, fmt.Errorf("xof setup: %v is not an extendable-output function: %w", alg, values.ErrInvalidArgument)
	}
	return nil, fmt.Errorf("xof setup: %v is not supported by the builtin driver (want SHAKE128 or SHAKE256): %w", alg, values.ErrNotSupported)
}

// xofOperation is a SHAKE computation in progress.
type xofOperation struct {
	alg values.Algorithm
	s   *sha3.SHAKE
	// squeezing is set by the first Output: the sponge then takes no
	// more input (sha3.SHAKE would panic).
	squeezing bool
}

// SetContext fails: SHAKE128 and SHAKE256 have no context parameter
// (PSA_ALG_XOF_HAS_CONTEXT is false for them).
func (o *xofOperation) SetContext(context []byte) error {
	return fmt.Errorf("xof set context: %v takes no context: %w", o.alg, values.ErrInvalidArgument)
}

// Update absorbs input. It fails after the first Output.
func (o *xofOperation) Update(input []byte) error {
	if o.squeezing {
		return fmt.Errorf("xof update: output has started; no more input is accepted: %w", values.ErrBadState)
	}
	o.s.Write(input)
	return nil
}

// Output fills out with the next len(out) bytes of output.
func (o *xofOperation) Output(out []byte) error {
	o.squeezing = true
	o.s.Read(out)
	return nil
}

// Abort releases the operation.
func (o *xofOperation) Abort() error {
	o.s = nil
	return nil
}
