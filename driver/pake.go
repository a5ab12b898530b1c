package driver

import "github.com/gopsa/psa/values"

// PAKEInputs are the inputs of a PAKE operation, collected by the core
// before the first input or output step (psa_crypto_driver_pake_inputs_t).
// They are valid only during the PAKESetup call.
type PAKEInputs interface {
	// Password returns the attributes and key buffer of the password key.
	Password() (values.Attributes, []byte)
	// User and Peer return the identities, empty if not set.
	User() []byte
	Peer() []byte
	// Context returns the context (SPAKE2+): nil when none was set, and a
	// non-nil slice, possibly empty, when one was (SPAKE2+ tells the two
	// apart).
	Context() []byte
	// Role returns the role set by psa_pake_set_role.
	Role() values.PAKERole
	// Suite returns the cipher suite of the operation.
	Suite() values.PAKECipherSuite
}

// PAKE is the "pake" family: pake_setup, pake_output, pake_input,
// pake_get_implicit_key, pake_abort.
type PAKE interface {
	PAKESetup(inputs PAKEInputs) (PAKEOperation, error)
}

// PAKEOperation is a PAKE in progress. The core checks the order of steps
// and the input sizes (PSA_PAKE_INPUT_SIZE).
type PAKEOperation interface {
	// Output appends the output of step to dst.
	Output(step values.PAKEStep, dst []byte) ([]byte, error)
	// Input takes the peer's data for step.
	Input(step values.PAKEStep, input []byte) error
	// SharedKey appends the shared secret established by the exchange
	// (pake_get_implicit_key), which the core turns into a key. The core
	// calls Abort after it, whatever its result.
	SharedKey(dst []byte) ([]byte, error)
	Abort() error
}
