package psa

import "github.com/gopsa/psa/internal/core"

// MACCompute appends the MAC of input, computed with key and alg, to dst
// (psa_mac_compute). The key needs UsageSignMessage and a policy that
// permits alg. On error dst is returned unchanged.
func (c *Crypto) MACCompute(key KeyID, alg Algorithm, input, dst []byte) ([]byte, error) {
	return c.core.MACCompute(key, alg, input, dst)
}

// MACVerify computes the MAC of input with key and alg and compares it with
// mac in constant time (psa_mac_verify). A mismatch is an error wrapping
// ErrInvalidSignature. The key needs UsageVerifyMessage.
func (c *Crypto) MACVerify(key KeyID, alg Algorithm, input, mac []byte) error {
	return c.core.MACVerify(key, alg, input, mac)
}

// A MACOperation is a multi-part MAC computation or verification
// (psa_mac_operation_t). The zero value is an inactive operation, ready for
// Crypto.MACSignSetup or Crypto.MACVerifySetup; SignFinish, VerifyFinish
// and Abort make it inactive again, ready for reuse.
//
// Any error from an active operation aborts it, and calling a method out
// of order is ErrBadState. Destroying the key makes the next call fail
// with ErrInvalidHandle.
//
// A MACOperation must not be copied once set up, and is not safe for
// concurrent use; distinct operations are independent.
type MACOperation struct{ op core.MACOp }

// MACSignSetup sets up op to compute a MAC with key and alg
// (psa_mac_sign_setup). The key needs UsageSignMessage. op must be
// inactive.
func (c *Crypto) MACSignSetup(op *MACOperation, key KeyID, alg Algorithm) error {
	return op.op.SignSetup(c.core, key, alg)
}

// MACVerifySetup sets up op to verify a MAC with key and alg
// (psa_mac_verify_setup). The key needs UsageVerifyMessage. op must be
// inactive.
func (c *Crypto) MACVerifySetup(op *MACOperation, key KeyID, alg Algorithm) error {
	return op.op.VerifySetup(c.core, key, alg)
}

// Update adds input to the message (psa_mac_update).
func (op *MACOperation) Update(input []byte) error { return op.op.Update(input) }

// SignFinish appends the MAC of the message to dst and ends a sign
// operation (psa_mac_sign_finish). On error dst is returned unchanged.
func (op *MACOperation) SignFinish(dst []byte) ([]byte, error) { return op.op.SignFinish(dst) }

// VerifyFinish compares the MAC of the message with mac in constant time
// and ends a verify operation (psa_mac_verify_finish). A mismatch is an
// error wrapping ErrInvalidSignature.
func (op *MACOperation) VerifyFinish(mac []byte) error { return op.op.VerifyFinish(mac) }

// Abort ends the operation and frees its resources (psa_mac_abort). It
// does nothing on an inactive operation.
func (op *MACOperation) Abort() error { return op.op.Abort() }
