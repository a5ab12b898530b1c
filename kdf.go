package psa

import (
	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/internal/core"
)

// KeyDerivationOperation is a key derivation (psa_key_derivation_operation_t).
// The zero value is an inactive operation; set it up with
// Crypto.KeyDerivationSetup, give the inputs the algorithm takes in the
// order it takes them, then read output as bytes or keys, and Abort it
// when done. An operation can be set up again after Abort.
//
// A failed call puts the operation in an error state in which every
// method but Abort fails with ErrBadState, as the specification says.
// Two failures leave it usable: ErrInsufficientData from an output or
// verification (the capacity is then 0), and ErrInvalidArgument from
// SetCapacity with a larger capacity.
//
// A KeyDerivationOperation is not safe for concurrent use; distinct
// operations are independent.
type KeyDerivationOperation struct{ op core.KDFOp }

// KeyDerivationSetup sets op up for alg: a key-derivation algorithm such
// as AlgHKDF(AlgSHA256), or a key agreement combined with one
// (AlgKeyAgreement(AlgECDH, AlgHKDF(AlgSHA256))) (psa_key_derivation_setup).
// Setting up an active operation fails with ErrBadState and leaves it
// unchanged.
func (c *Crypto) KeyDerivationSetup(op *KeyDerivationOperation, alg Algorithm) error {
	return op.op.Setup(c.core, alg)
}

// Capacity returns the number of bytes the derivation can still output
// (psa_key_derivation_get_capacity).
func (op *KeyDerivationOperation) Capacity() (int, error) { return op.op.Capacity() }

// SetCapacity lowers the capacity to n bytes
// (psa_key_derivation_set_capacity). KeyDerivationUnlimitedCapacity keeps
// the current capacity. For the SP 800-108 counter-mode algorithms the
// capacity is an input of the derivation and cannot change once output
// has begun.
func (op *KeyDerivationOperation) SetCapacity(n int) error { return op.op.SetCapacity(n) }

// InputBytes gives the input step as bytes
// (psa_key_derivation_input_bytes). A secret given this way cannot be
// used to derive keys, only bytes.
func (op *KeyDerivationOperation) InputBytes(step DerivationStep, data []byte) error {
	return op.op.InputBytes(step, data)
}

// InputInteger gives a numeric input step, such as
// DerivationInputCost, the iteration count of PBKDF2
// (psa_key_derivation_input_integer).
func (op *KeyDerivationOperation) InputInteger(step DerivationStep, value uint64) error {
	return op.op.InputInteger(step, value)
}

// InputKey gives the input step from key (psa_key_derivation_input_key).
// The key needs UsageDerive (or UsageVerifyDerivation for an operation
// that will only verify), a policy that permits the operation's
// algorithm, and a type the step accepts (KeyTypeDerive for a secret,
// KeyTypePassword for a password, KeyTypeRawData for a non-secret input,
// and so on).
func (op *KeyDerivationOperation) InputKey(step DerivationStep, key KeyID) error {
	return op.op.InputKey(step, key)
}

// KeyAgreement gives the input step as the shared secret of a key
// agreement between privateKey, with UsageDerive, and peerKey
// (psa_key_derivation_key_agreement). The operation's algorithm must be a
// key agreement combined with a key derivation.
func (op *KeyDerivationOperation) KeyAgreement(step DerivationStep, privateKey KeyID, peerKey []byte) error {
	return op.op.KeyAgreement(step, privateKey, peerKey)
}

// OutputBytes fills out with the next len(out) bytes of output
// (psa_key_derivation_output_bytes). It fails with ErrInsufficientData,
// writing nothing and setting the capacity to 0, when fewer than len(out)
// bytes are left, and with ErrNotPermitted when an input key permitted
// only UsageVerifyDerivation.
func (op *KeyDerivationOperation) OutputBytes(out []byte) error { return op.op.OutputBytes(out) }

// OutputKey derives a new key with the attributes attrs from the next
// output (psa_key_derivation_output_key). attrs.Type must not be a public
// key and attrs.Bits must be set. The secret input must have been a key
// with UsageDerive or a key agreement (ErrNotPermitted otherwise).
func (op *KeyDerivationOperation) OutputKey(attrs Attributes) (KeyID, error) {
	return op.op.OutputKey(attrs, driver.ProductionParameters{})
}

// OutputKeyCustom is OutputKey with custom production parameters
// (psa_key_derivation_output_key_custom). Non-default parameters are
// supported only by opaque drivers that derive keys themselves.
func (op *KeyDerivationOperation) OutputKeyCustom(attrs Attributes, flags uint32, data []byte) (KeyID, error) {
	return op.op.OutputKey(attrs, driver.ProductionParameters{Flags: flags, Data: data})
}

// VerifyBytes reads len(expected) bytes of output and compares them with
// expected in constant time (psa_key_derivation_verify_bytes): nil if they
// match, an error wrapping ErrInvalidSignature if not. Unlike OutputBytes
// it works with input keys that permit only UsageVerifyDerivation.
func (op *KeyDerivationOperation) VerifyBytes(expected []byte) error {
	return op.op.VerifyBytes(expected)
}

// VerifyKey is VerifyBytes with the expected value held in key, a
// KeyTypePasswordHash key with UsageVerifyDerivation whose policy permits
// the operation's algorithm (psa_key_derivation_verify_key).
func (op *KeyDerivationOperation) VerifyKey(expected KeyID) error { return op.op.VerifyKey(expected) }

// Abort ends the operation, wiping what it holds, and makes it inactive
// (psa_key_derivation_abort). Aborting an inactive operation does nothing.
func (op *KeyDerivationOperation) Abort() error { return op.op.Abort() }
