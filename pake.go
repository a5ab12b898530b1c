package psa

import "github.com/gopsa/psa/internal/core"

// PAKEOperation is a password-authenticated key exchange
// (psa_pake_operation_t): J-PAKE, SPAKE2+ or WPA3-SAE. The zero value is
// an inactive operation; set it up with Crypto.PAKESetup, give the setup
// inputs the algorithm needs (role, identities, context), exchange the
// steps with the peer in the algorithm's order with Output and Input, and
// finish with SharedKey, or Abort. An operation can be set up again once
// finished or aborted.
//
// A failed call puts the operation in an error state in which every
// method but Abort fails with ErrBadState; a step out of order is such a
// failure.
//
// A PAKEOperation is not safe for concurrent use; distinct operations are
// independent.
type PAKEOperation struct{ op core.PAKEOp }

// PAKESetup sets op up with the cipher suite and the password key, which
// needs UsageDerive and a policy that permits suite.Algorithm
// (psa_pake_setup). The key is read now: destroying it afterwards does
// not affect the operation. Whether the key suits the cipher suite is
// checked by the first Output or Input, when the driver receives the
// setup inputs.
func (c *Crypto) PAKESetup(op *PAKEOperation, password KeyID, suite PAKECipherSuite) error {
	return op.op.Setup(c.core, password, suite)
}

// SetRole sets the application's role (psa_pake_set_role):
// PAKERoleClient (Prover) or PAKERoleServer (Verifier) for SPAKE2+, where
// it is required; PAKERoleNone, PAKERoleFirst or PAKERoleSecond for
// J-PAKE; PAKERoleNone for WPA3-SAE.
func (op *PAKEOperation) SetRole(role PAKERole) error { return op.op.SetRole(role) }

// SetUser sets the application's identity (psa_pake_set_user); J-PAKE and
// WPA3-SAE (the station's MAC address) require it.
func (op *PAKEOperation) SetUser(id []byte) error { return op.op.SetUser(id) }

// SetPeer sets the peer's identity (psa_pake_set_peer); J-PAKE and
// WPA3-SAE require it.
func (op *PAKEOperation) SetPeer(id []byte) error { return op.op.SetPeer(id) }

// SetContext sets the SPAKE2+ context (psa_pake_set_context). Setting an
// empty context differs from setting none. Other algorithms take no
// context: ErrBadState.
func (op *PAKEOperation) SetContext(context []byte) error { return op.op.SetContext(context) }

// Output appends the application's data for step to dst, to send to the
// peer (psa_pake_output).
func (op *PAKEOperation) Output(step PAKEStep, dst []byte) ([]byte, error) {
	return op.op.Output(step, dst)
}

// Input gives the peer's data for step (psa_pake_input). A proof or
// confirmation that does not verify is an error wrapping
// ErrInvalidSignature.
func (op *PAKEOperation) Input(step PAKEStep, data []byte) error { return op.op.Input(step, data) }

// SharedKey makes the shared secret a new key with the attributes attrs
// and ends the operation (psa_pake_get_shared_key). For an unconfirmed
// key it comes after the key exchange steps; for a confirmed one, after
// the confirmation steps. attrs.Type may be KeyTypeDerive or KeyTypeHMAC,
// or for SPAKE2+ and WPA3-SAE, whose secret is pseudorandom, another
// symmetric type; attrs.Bits is 0.
func (op *PAKEOperation) SharedKey(attrs Attributes) (KeyID, error) { return op.op.SharedKey(attrs) }

// Abort ends the operation, wiping what it holds, and makes it inactive
// (psa_pake_abort). Aborting an inactive operation does nothing.
func (op *PAKEOperation) Abort() error { return op.op.Abort() }
