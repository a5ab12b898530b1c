package core

import (
	"errors"
	"fmt"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// symOpKey is the key of an active multi-part operation. The operation
// holds no use of the slot (its driver operation keeps what it needs), but
// remembers it so that destroying the key makes the operation fail, as
// psa_destroy_key says it must.
type symOpKey struct {
	c    *Core
	slot *Slot
}

// alive reports whether the key still exists. A slot leaves the table when
// the key is destroyed, but also when a persistent key is purged or evicted
// from memory; then the key is looked up again (loading it back), and the
// operation follows the new slot.
func (k *symOpKey) alive() error {
	if !k.slot.removed.Load() {
		return nil
	}
	id := k.slot.Attrs.ID
	if k.slot.destroyed.Load() {
		return fmt.Errorf("key 0x%08x was destroyed during the operation: %w", uint32(id), values.ErrInvalidHandle)
	}
	s, err := k.c.acquire(id)
	if err != nil {
		if errors.Is(err, values.ErrInvalidHandle) {
			return fmt.Errorf("key 0x%08x was destroyed during the operation: %w", uint32(id), values.ErrInvalidHandle)
		}
		return err
	}
	s.release()
	k.slot = s
	return nil
}

func macCheckAlg(what string, alg values.Algorithm) error {
	if !alg.IsMAC() {
		return fmt.Errorf("%s: %v is not a MAC algorithm: %w", what, alg, values.ErrInvalidArgument)
	}
	if alg.IsWildcard() {
		return fmt.Errorf("%s: %v is a policy wildcard, not an algorithm to compute; name a specific MAC length: %w", what, alg, values.ErrInvalidArgument)
	}
	return nil
}

// MACCompute appends the MAC of input to dst (psa_mac_compute). The key
// needs UsageSignMessage. On error dst is returned unchanged.
func (c *Core) MACCompute(id values.KeyID, alg values.Algorithm, input, dst []byte) ([]byte, error) {
	const what = "mac compute"
	if err := macCheckAlg(what, alg); err != nil {
		return dst, err
	}
	s, err := c.Use(id, values.UsageSignMessage, alg)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	defer c.Release(s)
	out, err := c.disp.MACCompute(s.Attrs, s.Key, alg, input, dst)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// MACVerify computes the MAC of input and compares it with mac in constant
// time (psa_mac_verify): ErrInvalidSignature if they differ. The key needs
// UsageVerifyMessage.
func (c *Core) MACVerify(id values.KeyID, alg values.Algorithm, input, mac []byte) error {
	const what = "mac verify"
	if err := macCheckAlg(what, alg); err != nil {
		return err
	}
	s, err := c.Use(id, values.UsageVerifyMessage, alg)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer c.Release(s)
	if err := c.disp.MACVerify(s.Attrs, s.Key, alg, input, mac); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// MACOp is a multi-part MAC operation (psa_mac_operation_t), computing or
// verifying. The zero value is an inactive operation. See the rules above
// Core.symOpen.
type MACOp struct {
	key    symOpKey
	alg    values.Algorithm
	verify bool
	d      driver.MACOperation // nil when inactive
}

// Active reports whether the operation is active.
func (op *MACOp) Active() bool { return op.d != nil }

// Alg returns the algorithm of an active operation, 0 otherwise.
func (op *MACOp) Alg() values.Algorithm { return op.alg }

func (op *MACOp) abortDriver() {
	if op.d != nil {
		_ = op.d.Abort()
	}
	*op = MACOp{}
}

func (op *MACOp) badState(what, why string) error {
	op.abortDriver()
	return fmt.Errorf("%s: %s: %w", what, why, values.ErrBadState)
}

func (op *MACOp) fail(what string, err error) error {
	op.abortDriver()
	return fmt.Errorf("%s: %w", what, err)
}

// SignSetup starts computing a MAC with key id (psa_mac_sign_setup), which
// needs UsageSignMessage.
func (op *MACOp) SignSetup(c *Core, id values.KeyID, alg values.Algorithm) error {
	return op.setup(c, "mac sign setup", id, alg, false)
}

// VerifySetup starts verifying a MAC with key id (psa_mac_verify_setup),
// which needs UsageVerifyMessage.
func (op *MACOp) VerifySetup(c *Core, id values.KeyID, alg values.Algorithm) error {
	return op.setup(c, "mac verify setup", id, alg, true)
}

func (op *MACOp) setup(c *Core, what string, id values.KeyID, alg values.Algorithm, verify bool) error {
	if op.d != nil {
		return op.badState(what, "the operation is already active (abort it or finish it first)")
	}
	if err := macCheckAlg(what, alg); err != nil {
		return err
	}
	usage := values.UsageSignMessage
	if verify {
		usage = values.UsageVerifyMessage
	}
	s, err := c.Use(id, usage, alg)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer c.Release(s)
	var d driver.MACOperation
	if verify {
		d, err = c.disp.MACVerifySetup(s.Attrs, s.Key, alg)
	} else {
		d, err = c.disp.MACSignSetup(s.Attrs, s.Key, alg)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	*op = MACOp{key: symOpKey{c, s}, alg: alg, verify: verify, d: d}
	return nil
}

// Update adds input to the message (psa_mac_update).
func (op *MACOp) Update(input []byte) error {
	const what = "mac update"
	if op.d == nil {
		return op.badState(what, "the operation is not active (set it up first)")
	}
	if err := op.key.alive(); err != nil {
		return op.fail(what, err)
	}
	if err := op.d.Update(input); err != nil {
		return op.fail(what, err)
	}
	return nil
}

// SignFinish appends the MAC to dst and ends a sign operation
// (psa_mac_sign_finish). On error dst is returned unchanged.
func (op *MACOp) SignFinish(dst []byte) ([]byte, error) {
	const what = "mac sign finish"
	switch {
	case op.d == nil:
		return dst, op.badState(what, "the operation is not active (set it up with MACSignSetup first)")
	case op.verify:
		return dst, op.badState(what, "this is a verify operation: finish it with VerifyFinish")
	}
	if err := op.key.alive(); err != nil {
		return dst, op.fail(what, err)
	}
	d := op.d
	*op = MACOp{} // a finish step ends the driver's operation, whatever its result
	out, err := d.SignFinish(dst)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// VerifyFinish compares the MAC with mac in constant time and ends a verify
// operation (psa_mac_verify_finish): ErrInvalidSignature if they differ.
func (op *MACOp) VerifyFinish(mac []byte) error {
	const what = "mac verify finish"
	switch {
	case op.d == nil:
		return op.badState(what, "the operation is not active (set it up with MACVerifySetup first)")
	case !op.verify:
		return op.badState(what, "this is a sign operation: finish it with SignFinish")
	}
	if err := op.key.alive(); err != nil {
		return op.fail(what, err)
	}
	d := op.d
	*op = MACOp{}
	if err := d.VerifyFinish(mac); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// CanClone reports whether CloneTo can copy this operation: whether its
// driver's operation object can copy itself.
func (op *MACOp) CanClone() bool {
	_, ok := op.d.(driver.MACCloner)
	return ok
}

// CloneTo makes target an independent copy of op, which must be active,
// with the same rules as HashOp.CloneTo. It fails with ErrNotSupported if
// the driver's operation cannot copy itself (see CanClone).
func (op *MACOp) CloneTo(target *MACOp) error {
	const what = "mac clone"
	if target == op {
		return op.badState(what, "the source and target are the same operation")
	}
	if op.d == nil {
		return fmt.Errorf("%s: the source operation is not active: %w", what, values.ErrBadState)
	}
	if target.d != nil {
		return target.badState(what, "the target operation is active (abort it first)")
	}
	cl, ok := op.d.(driver.MACCloner)
	if !ok {
		return fmt.Errorf("%s: the driver's %v operation cannot be copied: %w", what, op.alg, values.ErrNotSupported)
	}
	d, err := cl.Clone()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	*target = MACOp{key: op.key, alg: op.alg, verify: op.verify, d: d}
	return nil
}

// Abort ends the operation (psa_mac_abort). It does nothing on an inactive
// operation.
func (op *MACOp) Abort() error {
	if op.d == nil {
		return nil
	}
	d := op.d
	*op = MACOp{}
	if err := d.Abort(); err != nil {
		return fmt.Errorf("mac abort: %w", err)
	}
	return nil
}
