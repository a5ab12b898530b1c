package driver

import (
	"io"

	"github.com/gopsa/psa/values"
)

// InputType says how a key derivation input step was given
// (psa_crypto_driver_key_derivation_input_type_t).
type InputType int

// Key derivation input types.
const (
	InputInvalid InputType = iota // the step is not valid for the algorithm
	InputOmitted                  // optional for the algorithm and not given
	InputBytes                    // given as bytes (psa_key_derivation_input_bytes)
	InputKey                      // given as a key (psa_key_derivation_input_key)
	InputInteger                  // given as an integer (psa_key_derivation_input_integer)
)

// DerivationInputs are the initial inputs of a key derivation, collected by
// the core until the first output was requested
// (psa_crypto_driver_key_derivation_inputs_t). They are valid only during
// the KeyDerivationSetup call: a driver copies what it keeps.
type DerivationInputs interface {
	// Type reports how step was given.
	Type(step values.DerivationStep) InputType
	// Bytes returns the input of a step given as bytes;
	// values.ErrInvalidArgument for a step given otherwise, and
	// values.ErrDoesNotExist for a long input that will come through
	// InputStep.
	Bytes(step values.DerivationStep) ([]byte, error)
	// Key returns the attributes and key buffer of a step given as a key.
	Key(step values.DerivationStep) (values.Attributes, []byte, error)
	// Integer returns the value of a step given as an integer.
	Integer(step values.DerivationStep) (uint64, error)
}

// KeyDerivation is the "key_derivation" family: key_derivation_setup,
// key_derivation_input_step, key_derivation_set_capacity,
// key_derivation_output_bytes, key_derivation_output_key,
// key_derivation_verify_bytes, key_derivation_verify_key,
// key_derivation_abort. alg never includes a key agreement: the core does
// key agreements separately and passes the shared secret as an input.
type KeyDerivation interface {
	KeyDerivationSetup(alg values.Algorithm, inputs DerivationInputs) (DerivationOperation, error)
}

// DerivationOperation is a key derivation in progress. The core tracks and
// enforces the capacity, except for the opaque output entry points below.
type DerivationOperation interface {
	// InputStep passes a long input (key_derivation_input_step), possibly
	// in several fragments.
	InputStep(step values.DerivationStep, input []byte) error
	// OutputBytes fills out with the next len(out) bytes of the output
	// stream.
	OutputBytes(out []byte) error
	Abort() error
}

// DerivationCapacitySetter is an optional interface of a
// DerivationOperation ("key_derivation_set_capacity"). An opaque driver
// that implements DerivationKeyOutputter for cooked key types must have it.
// gopsa also calls it on transparent drivers' operations that implement
// it, at setup and on each change of capacity, because some algorithms
// need the total output length up front (SP 800-108 encodes it as L);
// the core still enforces the capacity itself.
type DerivationCapacitySetter interface {
	SetCapacity(capacity uint64) error
}

// DerivationKeyOutputter is an optional interface of a DerivationOperation
// of an opaque driver ("key_derivation_output_key"): the derived key stays
// in the secure element; the driver appends its key context to dst. It may
// answer ErrNotSupported, and the core then derives bytes and imports them.
type DerivationKeyOutputter interface {
	OutputKey(attrs values.Attributes, params ProductionParameters, dst []byte) ([]byte, error)
}

// DerivationVerifier is an optional interface of a DerivationOperation of
// an opaque driver ("key_derivation_verify_bytes" and
// "key_derivation_verify_key"): compare the next output with an expected
// value without revealing it; values.ErrInvalidSignature on a mismatch.
type DerivationVerifier interface {
	VerifyBytes(expected []byte) error
	VerifyKey(attrs values.Attributes, key []byte) error
}

// KeyDeriver is "derive_key" (transparent drivers): cooked key derivation.
// It builds a key of the type and size in attrs from the derivation's
// output stream, reading from stream as much as the key type's derivation
// method needs (for ECC private keys, the specification's rejection
// sampling may read more than once), and appends the key in its export
// format to dst.
type KeyDeriver interface {
	DeriveKey(attrs values.Attributes, stream io.Reader, dst []byte) ([]byte, error)
}
