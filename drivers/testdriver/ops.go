package testdriver

import (
	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// The operation wrappers count and force the members of the multi-part
// families around the builtin driver's operation objects. When a forced
// answer ends a finish step, the wrapped operation is aborted, since the
// core calls nothing more on an operation after its finish step.

type hashOp struct {
	h  *Hooks
	op driver.HashOperation
}

func (o *hashOp) Update(input []byte) error {
	if err := o.h.hit("hash_update"); err != nil {
		return err
	}
	return o.op.Update(input)
}

func (o *hashOp) Finish(dst []byte) ([]byte, error) {
	forced, err := o.h.enter("hash_finish")
	if err != nil || forced != nil {
		o.op.Abort()
		if err != nil {
			return nil, err
		}
		return append(dst, forced...), nil
	}
	return o.op.Finish(dst)
}

func (o *hashOp) Clone() (driver.HashOperation, error) {
	if err := o.h.hit("hash_clone"); err != nil {
		return nil, err
	}
	c, err := o.op.Clone()
	if err != nil {
		return nil, err
	}
	return &hashOp{o.h, c}, nil
}

func (o *hashOp) Suspend(dst []byte) ([]byte, error) {
	forced, err := o.h.enter("hash_suspend")
	if err != nil {
		return nil, err
	}
	if forced != nil {
		o.op.Abort()
		return append(dst, forced...), nil
	}
	s, ok := o.op.(driver.HashSuspender)
	if !ok {
		return nil, missing("hash_suspend")
	}
	return s.Suspend(dst)
}

func (o *hashOp) Abort() error {
	err := o.h.hit("hash_abort")
	if e := o.op.Abort(); err == nil {
		err = e
	}
	return err
}

type xofOp struct {
	h  *Hooks
	op driver.XOFOperation
}

func (o *xofOp) SetContext(context []byte) error {
	if err := o.h.hit("xof_set_context"); err != nil {
		return err
	}
	return o.op.SetContext(context)
}

func (o *xofOp) Update(input []byte) error {
	if err := o.h.hit("xof_update"); err != nil {
		return err
	}
	return o.op.Update(input)
}

func (o *xofOp) Output(out []byte) error {
	forced, err := o.h.enter("xof_output")
	if err != nil {
		return err
	}
	if forced != nil {
		for i := range out {
			out[i] = forced[i%len(forced)]
		}
		return nil
	}
	return o.op.Output(out)
}

func (o *xofOp) Abort() error {
	err := o.h.hit("xof_abort")
	if e := o.op.Abort(); err == nil {
		err = e
	}
	return err
}

type macOp struct {
	h  *Hooks
	op driver.MACOperation
}

func (o *macOp) Update(input []byte) error {
	if err := o.h.hit("mac_update"); err != nil {
		return err
	}
	return o.op.Update(input)
}

func (o *macOp) SignFinish(dst []byte) ([]byte, error) {
	forced, err := o.h.enter("mac_sign_finish")
	if err != nil || forced != nil {
		o.op.Abort()
		if err != nil {
			return nil, err
		}
		return append(dst, forced...), nil
	}
	return o.op.SignFinish(dst)
}

func (o *macOp) VerifyFinish(mac []byte) error {
	if err := o.h.hit("mac_verify_finish"); err != nil {
		o.op.Abort()
		return err
	}
	return o.op.VerifyFinish(mac)
}

func (o *macOp) Abort() error {
	err := o.h.hit("mac_abort")
	if e := o.op.Abort(); err == nil {
		err = e
	}
	return err
}

type cipherOp struct {
	h  *Hooks
	op driver.CipherOperation
}

func (o *cipherOp) SetIV(iv []byte) error {
	if err := o.h.hit("cipher_set_iv"); err != nil {
		return err
	}
	return o.op.SetIV(iv)
}

func (o *cipherOp) Update(input, dst []byte) ([]byte, error) {
	forced, err := o.h.enter("cipher_update")
	if err != nil {
		return nil, err
	}
	if forced != nil {
		return append(dst, forced...), nil
	}
	return o.op.Update(input, dst)
}

func (o *cipherOp) Finish(dst []byte) ([]byte, error) {
	forced, err := o.h.enter("cipher_finish")
	if err != nil || forced != nil {
		o.op.Abort()
		if err != nil {
			return nil, err
		}
		return append(dst, forced...), nil
	}
	return o.op.Finish(dst)
}

func (o *cipherOp) Abort() error {
	err := o.h.hit("cipher_abort")
	if e := o.op.Abort(); err == nil {
		err = e
	}
	return err
}

type aeadOp struct {
	h  *Hooks
	op driver.AEADOperation
}

func (o *aeadOp) SetNonce(nonce []byte) error {
	if err := o.h.hit("aead_set_nonce"); err != nil {
		return err
	}
	return o.op.SetNonce(nonce)
}

func (o *aeadOp) SetLengths(adLength, plaintextLength int) error {
	if err := o.h.hit("aead_set_lengths"); err != nil {
		return err
	}
	return o.op.SetLengths(adLength, plaintextLength)
}

func (o *aeadOp) UpdateAD(ad []byte) error {
	if err := o.h.hit("aead_update_ad"); err != nil {
		return err
	}
	return o.op.UpdateAD(ad)
}

func (o *aeadOp) Update(input, dst []byte) ([]byte, error) {
	forced, err := o.h.enter("aead_update")
	if err != nil {
		return nil, err
	}
	if forced != nil {
		return append(dst, forced...), nil
	}
	return o.op.Update(input, dst)
}

// Finish's forced output is the tag; no ciphertext is appended.
func (o *aeadOp) Finish(dst, tag []byte) (out, tagOut []byte, err error) {
	forced, err := o.h.enter("aead_finish")
	if err != nil || forced != nil {
		o.op.Abort()
		if err != nil {
			return nil, nil, err
		}
		return dst, append(tag, forced...), nil
	}
	return o.op.Finish(dst, tag)
}

func (o *aeadOp) Verify(dst, tag []byte) ([]byte, error) {
	forced, err := o.h.enter("aead_verify")
	if err != nil || forced != nil {
		o.op.Abort()
		if err != nil {
			return nil, err
		}
		return append(dst, forced...), nil
	}
	return o.op.Verify(dst, tag)
}

func (o *aeadOp) Abort() error {
	err := o.h.hit("aead_abort")
	if e := o.op.Abort(); err == nil {
		err = e
	}
	return err
}

type derivationOp struct {
	h  *Hooks
	op driver.DerivationOperation
}

func (o *derivationOp) InputStep(step values.DerivationStep, input []byte) error {
	if err := o.h.hit("key_derivation_input_step"); err != nil {
		return err
	}
	return o.op.InputStep(step, input)
}

func (o *derivationOp) OutputBytes(out []byte) error {
	forced, err := o.h.enter("key_derivation_output_bytes")
	if err != nil {
		return err
	}
	if forced != nil {
		for i := range out {
			out[i] = forced[i%len(forced)]
		}
		return nil
	}
	return o.op.OutputBytes(out)
}

func (o *derivationOp) Abort() error {
	err := o.h.hit("key_derivation_abort")
	if e := o.op.Abort(); err == nil {
		err = e
	}
	return err
}

type pakeOp struct {
	h  *Hooks
	op driver.PAKEOperation
}

func (o *pakeOp) Output(step values.PAKEStep, dst []byte) ([]byte, error) {
	forced, err := o.h.enter("pake_output")
	if err != nil {
		return nil, err
	}
	if forced != nil {
		return append(dst, forced...), nil
	}
	return o.op.Output(step, dst)
}

func (o *pakeOp) Input(step values.PAKEStep, input []byte) error {
	if err := o.h.hit("pake_input"); err != nil {
		return err
	}
	return o.op.Input(step, input)
}

func (o *pakeOp) SharedKey(dst []byte) ([]byte, error) {
	forced, err := o.h.enter("pake_get_implicit_key")
	if err != nil {
		return nil, err
	}
	if forced != nil {
		return append(dst, forced...), nil
	}
	return o.op.SharedKey(dst)
}

func (o *pakeOp) Abort() error {
	err := o.h.hit("pake_abort")
	if e := o.op.Abort(); err == nil {
		err = e
	}
	return err
}

// SetCapacity is key_derivation_set_capacity: the builtin operation takes
// the capacity when it needs it (SP 800-108 encodes it); others ignore it.
func (o *derivationOp) SetCapacity(capacity uint64) error {
	if err := o.h.hit("key_derivation_set_capacity"); err != nil {
		return err
	}
	if cs, ok := o.op.(driver.DerivationCapacitySetter); ok {
		return cs.SetCapacity(capacity)
	}
	return nil
}
