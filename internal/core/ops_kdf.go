package core

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"math"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// KDFOp is the state of a key derivation operation
// (psa_key_derivation_operation_t). The zero value is an inactive
// operation. A KDFOp is not safe for concurrent use.
//
// The core collects the initial inputs, checking them against the
// algorithm's input rules (which steps, in which order, bytes or keys of
// which types), and calls the driver's key_derivation_setup with them when
// the first output is requested, as the driver interface specifies. It
// tracks and enforces the capacity.
//
// Errors put an active operation in an error state, in which every call
// but Abort fails with ErrBadState; the driver operation is released at
// once. Two errors leave the operation usable, as the specification says:
// ErrInsufficientData from an output or verification (the capacity is
// then 0), and ErrInvalidArgument from SetCapacity with a capacity larger
// than the current one.
type KDFOp struct {
	c        *Core
	state    kdfState
	alg      values.Algorithm // as set up, with its key agreement if any
	kdf      values.Algorithm // alg without the key agreement
	spec     *kdfSpec
	capacity int
	pos      int // index in spec.steps of the last ordered step given, -1 if none
	// noDerive records that an input was a key without
	// PSA_KEY_USAGE_DERIVE (only PSA_KEY_USAGE_VERIFY_DERIVATION): the
	// operation can then only verify.
	noDerive bool
	inputs   [kdfMaxSteps]kdfInput
	drv      driver.DerivationOperation
}

type kdfState uint8

const (
	kdfInactive   kdfState = iota
	kdfCollecting          // set up, taking inputs
	kdfOutput              // the driver is set up: no more inputs
	kdfFailed              // error state: only Abort
)

// kdfInput is one input step as given.
type kdfInput struct {
	given bool
	typ   driver.InputType
	// secretKey records a secret or password given as a key with
	// PSA_KEY_USAGE_DERIVE or as the result of a key agreement: what
	// output_key requires.
	secretKey bool
	attrs     values.Attributes // of a key input
	data      []byte            // bytes, or the key buffer of a key input
	n         uint64            // an integer input
}

// kdfMaxSteps is the largest number of input steps of an algorithm.
const kdfMaxSteps = 4

// kdfStepRule is what an algorithm accepts for one input step.
type kdfStepRule struct {
	step     values.DerivationStep
	required bool
	anyTime  bool // not ordered: any time before the first output
	repeat   bool // may be given several times in a row (concatenated)
	bytes    bool // psa_key_derivation_input_bytes accepted
	integer  bool // psa_key_derivation_input_integer accepted (instead of bytes)
	keyTypes []values.KeyType
}

// kdfSpec is the input rules of a key derivation algorithm and its
// initial capacity. Steps are listed in the order the specification
// requires.
type kdfSpec struct {
	steps    []kdfStepRule
	capacity func(hashLen int) int
	hashed   bool // parameterized by a hash, which must be known
	// lockCapacity: the capacity is an input of the derivation (SP 800-108
	// uses it as L) and cannot change once output has begun.
	lockCapacity bool
	// keyOnly: the output can only be read as a key (WPA3-SAE H2E).
	keyOnly bool
	// maxSecret bounds the length of the secret input, when the
	// specification does (PSA_TLS12_PSK_TO_MS_PSK_MAX_SIZE).
	maxSecret int
	// oneOutput: the output must be read in one call of this many bytes
	// (PSA_ALG_TLS12_ECJPAKE_TO_PMS).
	oneOutput int
}

var (
	kdfTypesSecret   = []values.KeyType{values.KeyTypeDerive}
	kdfTypesOther    = []values.KeyType{values.KeyTypeDerive}
	kdfTypesPassword = []values.KeyType{values.KeyTypePassword, values.KeyTypeDerive}
	kdfTypesRaw      = []values.KeyType{values.KeyTypeRawData}
	kdfTypesSalt     = []values.KeyType{values.KeyTypeRawData, values.KeyTypePepper}
	kdfTypesHMAC     = []values.KeyType{values.KeyTypeHMAC, values.KeyTypeDerive}
	kdfTypesCMAC     = []values.KeyType{values.KeyTypeAES, values.KeyTypeARIA, values.KeyTypeCamellia, values.KeyTypeSM4}
)

func kdfBytes(step values.DerivationStep, required bool, types []values.KeyType) kdfStepRule {
	return kdfStepRule{step: step, required: required, bytes: true, keyTypes: types}
}

func kdfTimes255(h int) int { return 255 * h }
func kdfTimesOne(h int) int { return h }

var (
	kdfSpecHKDF = kdfSpec{hashed: true, capacity: kdfTimes255, steps: []kdfStepRule{
		kdfBytes(values.DerivationInputSalt, false, kdfTypesSalt),
		kdfBytes(values.DerivationInputSecret, true, kdfTypesSecret),
		// INFO is required (only the salt is optional), at any time.
		{step: values.DerivationInputInfo, required: true, anyTime: true, bytes: true, keyTypes: kdfTypesRaw},
	}}
	kdfSpecHKDFExtract = kdfSpec{hashed: true, capacity: kdfTimesOne, steps: []kdfStepRule{
		kdfBytes(values.DerivationInputSalt, true, kdfTypesSalt),
		kdfBytes(values.DerivationInputSecret, true, kdfTypesSecret),
	}}
	kdfSpecHKDFExpand = kdfSpec{hashed: true, capacity: kdfTimes255, steps: []kdfStepRule{
		kdfBytes(values.DerivationInputSecret, true, kdfTypesSecret),
		kdfBytes(values.DerivationInputInfo, true, kdfTypesRaw),
	}}
	kdfSpecTLS12PRF = kdfSpec{hashed: true, capacity: kdfTimes255, steps: []kdfStepRule{
		kdfBytes(values.DerivationInputSeed, true, kdfTypesRaw),
		kdfBytes(values.DerivationInputSecret, true, kdfTypesSecret),
		kdfBytes(values.DerivationInputLabel, true, kdfTypesRaw),
	}}
	kdfSpecTLS12PSKToMS = kdfSpec{hashed: true, capacity: kdfTimes255, maxSecret: values.TLS12PSKToMSPSKMaxSize, steps: []kdfStepRule{
		kdfBytes(values.DerivationInputSeed, true, kdfTypesRaw),
		kdfBytes(values.DerivationInputOtherSecret, false, kdfTypesOther),
		kdfBytes(values.DerivationInputSecret, true, kdfTypesSecret),
		kdfBytes(values.DerivationInputLabel, true, kdfTypesRaw),
	}}
	kdfSpecECJPAKEToPMS = kdfSpec{capacity: func(int) int { return values.TLS12ECJPAKEToPMSOutputSize },
		oneOutput: values.TLS12ECJPAKEToPMSOutputSize, steps: []kdfStepRule{
			kdfBytes(values.DerivationInputSecret, true, kdfTypesSecret),
		}}
	kdfSpecPBKDF2 = kdfSpec{hashed: true, capacity: kdfPBKDF2Capacity, steps: kdfPBKDF2Steps}
	// PBKDF2-AES-CMAC-PRF-128 has a 16-byte PRF output.
	kdfSpecPBKDF2CMAC = kdfSpec{capacity: func(int) int { return kdfPBKDF2Capacity(16) }, steps: kdfPBKDF2Steps}
	kdfPBKDF2Steps    = []kdfStepRule{
		{step: values.DerivationInputCost, required: true, integer: true},
		{step: values.DerivationInputSalt, required: true, repeat: true, bytes: true, keyTypes: kdfTypesSalt},
		kdfBytes(values.DerivationInputPassword, true, kdfTypesPassword),
	}
	kdfSpecSP800108HMAC = kdfSpec{hashed: true, capacity: kdfSP800108Capacity, lockCapacity: true, steps: []kdfStepRule{
		kdfBytes(values.DerivationInputSecret, true, kdfTypesHMAC),
		kdfBytes(values.DerivationInputLabel, false, kdfTypesRaw),
		kdfBytes(values.DerivationInputContext, false, kdfTypesRaw),
	}}
	kdfSpecSP800108CMAC = kdfSpec{capacity: kdfSP800108Capacity, lockCapacity: true, steps: []kdfStepRule{
		{step: values.DerivationInputSecret, required: true, keyTypes: kdfTypesCMAC},
		kdfBytes(values.DerivationInputLabel, false, kdfTypesRaw),
		kdfBytes(values.DerivationInputContext, false, kdfTypesRaw),
	}}
	kdfSpecWPA3SAEH2E = kdfSpec{hashed: true, keyOnly: true, capacity: func(int) int { return values.KeyDerivationUnlimitedCapacity }, steps: []kdfStepRule{
		kdfBytes(values.DerivationInputSalt, true, kdfTypesRaw),
		kdfBytes(values.DerivationInputPassword, true, kdfTypesPassword),
		kdfBytes(values.DerivationInputInfo, false, kdfTypesRaw),
	}}
)

// kdfPBKDF2Capacity is the largest output of PBKDF2 (RFC 8018 §5.2:
// dkLen <= (2^32 - 1) * hLen).
func kdfPBKDF2Capacity(h int) int { return int(min(uint64(math.MaxUint32)*uint64(h), math.MaxInt)) }

// kdfSP800108Capacity is the initial capacity the specification sets for
// the SP 800-108 counter-mode KDFs: 2^29 - 1 bytes.
func kdfSP800108Capacity(int) int { return 1<<29 - 1 }

func kdfSpecFor(kdf values.Algorithm) *kdfSpec {
	switch {
	case kdf.IsHKDF():
		return &kdfSpecHKDF
	case kdf.IsHKDFExtract():
		return &kdfSpecHKDFExtract
	case kdf.IsHKDFExpand():
		return &kdfSpecHKDFExpand
	case kdf.IsTLS12PRF():
		return &kdfSpecTLS12PRF
	case kdf.IsTLS12PSKToMS():
		return &kdfSpecTLS12PSKToMS
	case kdf == values.AlgTLS12ECJPAKEToPMS:
		return &kdfSpecECJPAKEToPMS
	case kdf.IsPBKDF2HMAC():
		return &kdfSpecPBKDF2
	case kdf == values.AlgPBKDF2AESCMACPRF128:
		return &kdfSpecPBKDF2CMAC
	case kdf.IsSP800_108CounterHMAC():
		return &kdfSpecSP800108HMAC
	case kdf == values.AlgSP800_108CounterCMAC:
		return &kdfSpecSP800108CMAC
	case kdf.IsWPA3SAEH2E():
		return &kdfSpecWPA3SAEH2E
	}
	return nil
}

func (s *kdfSpec) index(step values.DerivationStep) int {
	for i := range s.steps {
		if s.steps[i].step == step {
			return i
		}
	}
	return -1
}

// Setup starts a key derivation with alg: a key-derivation algorithm, or
// a key agreement combined with one (psa_key_derivation_setup). On error
// the operation is unchanged.
func (op *KDFOp) Setup(c *Core, alg values.Algorithm) error {
	const what = "key derivation setup"
	if op.state != kdfInactive {
		return fmt.Errorf("%s: the operation is already set up (abort it first): %w", what, values.ErrBadState)
	}
	kdf := alg
	if alg.IsKeyAgreement() {
		if alg.IsStandaloneKeyAgreement() {
			return fmt.Errorf("%s: %v is a standalone key agreement; combine it with a key derivation (PSA_ALG_KEY_AGREEMENT(%v, kdf)): %w",
				what, alg, alg, values.ErrInvalidArgument)
		}
		kdf = alg.KeyAgreementKDF()
	}
	if !kdf.IsKeyDerivation() {
		return fmt.Errorf("%s: %v is not a key-derivation algorithm, nor a key agreement combined with one: %w", what, alg, values.ErrInvalidArgument)
	}
	if alg.IsWildcard() {
		return fmt.Errorf("%s: %v is a policy wildcard, not an algorithm (name a specific hash): %w", what, alg, values.ErrInvalidArgument)
	}
	spec := kdfSpecFor(kdf)
	if spec == nil {
		return fmt.Errorf("%s: %v is not a key-derivation algorithm gopsa knows the inputs of: %w", what, kdf, values.ErrNotSupported)
	}
	if alg.IsKeyAgreement() && (spec.index(values.DerivationInputSecret) < 0 || kdf == values.AlgTLS12ECJPAKEToPMS) {
		// A key agreement feeds the secret input; these KDFs take none
		// (PBKDF2) or one that no agreement produces (a 65-byte point).
		return fmt.Errorf("%s: %v cannot take the output of a key agreement as its secret: %w", what, kdf, values.ErrInvalidArgument)
	}
	h := values.HashLength(kdf.Hash())
	if spec.hashed && h == 0 {
		return fmt.Errorf("%s: %v: %v is not a hash algorithm this implementation supports: %w", what, kdf, kdf.Hash(), values.ErrNotSupported)
	}
	*op = KDFOp{
		c:        c,
		state:    kdfCollecting,
		alg:      alg,
		kdf:      kdf,
		spec:     spec,
		capacity: spec.capacity(h),
		pos:      -1,
		inputs:   op.inputs,
	}
	return nil
}

// Algorithm returns the algorithm the operation was set up with, or 0 if
// it is inactive.
func (op *KDFOp) Algorithm() values.Algorithm {
	if op.state == kdfInactive {
		return 0
	}
	return op.alg
}

// Capacity returns the number of bytes the operation can still output
// (psa_key_derivation_get_capacity).
func (op *KDFOp) Capacity() (int, error) {
	if err := op.checkActive("key derivation get capacity"); err != nil {
		return 0, err
	}
	return op.capacity, nil
}

// SetCapacity lowers the capacity (psa_key_derivation_set_capacity).
// values.KeyDerivationUnlimitedCapacity keeps the current capacity, which
// is the largest the operation allows.
func (op *KDFOp) SetCapacity(n int) error {
	const what = "key derivation set capacity"
	if err := op.checkActive(what); err != nil {
		return err
	}
	if n == values.KeyDerivationUnlimitedCapacity {
		n = op.capacity
	}
	if n < 0 || n > op.capacity {
		// The specification keeps the operation valid in this case.
		return fmt.Errorf("%s: %d bytes is more than the current capacity, %d (the capacity can only decrease): %w",
			what, n, op.capacity, values.ErrInvalidArgument)
	}
	if op.state == kdfOutput && op.spec.lockCapacity && n != op.capacity {
		return op.fail(fmt.Errorf("%s: the output of %v depends on the capacity, which cannot change once output has begun: %w",
			what, op.kdf, values.ErrBadState))
	}
	op.capacity = n
	if op.state == kdfOutput {
		if cs, ok := op.drv.(driver.DerivationCapacitySetter); ok {
			if err := cs.SetCapacity(uint64(n)); err != nil {
				return op.fail(fmt.Errorf("%s: %w", what, err))
			}
		}
	}
	return nil
}

// InputBytes gives an input step as bytes (psa_key_derivation_input_bytes).
func (op *KDFOp) InputBytes(step values.DerivationStep, data []byte) error {
	const what = "key derivation input bytes"
	in, rule, err := op.startInput(what, step)
	if err != nil {
		return err
	}
	if !rule.bytes {
		if rule.integer {
			return op.fail(fmt.Errorf("%s: %v of %v is an integer: give it with InputInteger: %w", what, step, op.kdf, values.ErrInvalidArgument))
		}
		return op.fail(fmt.Errorf("%s: %v of %v must be a key: give it with InputKey: %w", what, step, op.kdf, values.ErrInvalidArgument))
	}
	if err := op.checkSecret(what, step, data, len(data)); err != nil {
		return err
	}
	op.record(in, driver.InputBytes, data)
	return nil
}

// InputInteger gives a numeric input step, such as the iteration count of
// PBKDF2 (psa_key_derivation_input_integer).
func (op *KDFOp) InputInteger(step values.DerivationStep, n uint64) error {
	const what = "key derivation input integer"
	in, rule, err := op.startInput(what, step)
	if err != nil {
		return err
	}
	if !rule.integer {
		return op.fail(fmt.Errorf("%s: %v of %v is not a numeric input (only PSA_KEY_DERIVATION_INPUT_COST is): %w", what, step, op.kdf, values.ErrInvalidArgument))
	}
	if n == 0 && step == values.DerivationInputCost {
		return op.fail(fmt.Errorf("%s: an iteration count of 0 (want at least 1): %w", what, values.ErrInvalidArgument))
	}
	if n > math.MaxUint32 && step == values.DerivationInputCost {
		// RFC 8018 bounds nothing, but every PBKDF2 implementation,
		// this one's included, counts iterations in 32 bits.
		return op.fail(fmt.Errorf("%s: an iteration count of %d (at most %d is supported): %w", what, n, uint64(math.MaxUint32), values.ErrNotSupported))
	}
	in.given, in.typ, in.n = true, driver.InputInteger, n
	return nil
}

// InputKey gives an input step from key id (psa_key_derivation_input_key).
// The key needs PSA_KEY_USAGE_DERIVE, or PSA_KEY_USAGE_VERIFY_DERIVATION
// for an operation that will only verify, and must permit the operation's
// algorithm.
func (op *KDFOp) InputKey(step values.DerivationStep, id values.KeyID) error {
	const what = "key derivation input key"
	in, rule, err := op.startInput(what, step)
	if err != nil {
		return err
	}
	if rule.integer {
		return op.fail(fmt.Errorf("%s: %v of %v is an integer, not a key: %w", what, step, op.kdf, values.ErrInvalidArgument))
	}
	s, err := op.c.Use(id, 0, op.alg)
	if err != nil {
		return op.fail(fmt.Errorf("%s: %w", what, err))
	}
	defer op.c.Release(s)
	a := &s.Attrs
	derive := a.Usage&values.UsageDerive != 0
	if !derive && a.Usage&values.UsageVerifyDerivation == 0 {
		return op.fail(fmt.Errorf("%s: %w", what, notPermittedUsage(a, values.UsageDerive)))
	}
	if !kdfTypeIn(a.Type, rule.keyTypes) {
		return op.fail(fmt.Errorf("%s: a %v key cannot be %v of %v (want one of %v): %w",
			what, a.Type, step, op.kdf, rule.keyTypes, values.ErrInvalidArgument))
	}
	var point []byte
	if !opaque(a) {
		point = s.Key
	}
	if err := op.checkSecret(what, step, point, values.BitsToBytes(a.Bits)); err != nil {
		return err
	}
	if !derive {
		op.noDerive = true
	}
	op.record(in, driver.InputKey, s.Key)
	in.attrs = *a
	in.secretKey = derive
	return nil
}

// KeyAgreement gives an input step as the shared secret of a key
// agreement between privateKey and the peer's public key
// (psa_key_derivation_key_agreement). The operation's algorithm must
// combine a key agreement with the key derivation; the private key needs
// PSA_KEY_USAGE_DERIVE and must permit the operation's algorithm.
func (op *KDFOp) KeyAgreement(step values.DerivationStep, privateKey values.KeyID, peer []byte) error {
	const what = "key derivation key agreement"
	if err := op.checkActive(what); err != nil {
		return err
	}
	if !op.alg.IsKeyAgreement() {
		return op.fail(fmt.Errorf("%s: the operation's algorithm %v has no key agreement (set it up with PSA_ALG_KEY_AGREEMENT(ka, %v)): %w",
			what, op.alg, op.alg, values.ErrInvalidArgument))
	}
	switch step {
	case values.DerivationInputSecret, values.DerivationInputOtherSecret, values.DerivationInputPassword:
	default:
		return op.fail(fmt.Errorf("%s: %v cannot be the result of a key agreement (want a secret input): %w", what, step, values.ErrInvalidArgument))
	}
	in, rule, err := op.startInput(what, step)
	if err != nil {
		return err
	}
	if !rule.bytes {
		return op.fail(fmt.Errorf("%s: %v of %v must be a key of type %v, not a shared secret: %w", what, step, op.kdf, rule.keyTypes, values.ErrInvalidArgument))
	}
	s, err := op.c.agreementUse(what, privateKey, op.alg)
	if err != nil {
		return op.fail(err)
	}
	defer op.c.Release(s)
	secret, err := op.c.disp.KeyAgreement(s.Attrs, s.Key, op.alg.KeyAgreementBase(), peer, in.data[:0])
	if err != nil {
		return op.fail(fmt.Errorf("%s: %w", what, err))
	}
	if err := op.checkSecret(what, step, secret, len(secret)); err != nil {
		clear(secret)
		return err
	}
	in.given, in.typ, in.data, in.secretKey = true, driver.InputBytes, secret, true
	return nil
}

// checkSecret applies the length rules the specification states for the
// secret of some algorithms, which the driver, seeing the inputs only at
// the first output, could not report from the input call. data is nil for
// a key whose material the core cannot read.
func (op *KDFOp) checkSecret(what string, step values.DerivationStep, data []byte, n int) error {
	if step != values.DerivationInputSecret {
		return nil
	}
	if m := op.spec.maxSecret; m > 0 && n > m {
		return op.fail(fmt.Errorf("%s: a %d-byte secret for %v, whose secret is at most %d bytes: %w", what, n, op.kdf, m, values.ErrInvalidArgument))
	}
	if op.kdf.IsHKDFExpand() {
		// The secret of HKDF-Expand is a pseudorandom key of the hash's
		// length (RFC 5869, section 2.3).
		if h := values.HashLength(op.kdf.Hash()); n != h {
			return op.fail(fmt.Errorf("%s: a %d-byte secret for %v, whose secret is a pseudorandom key of %d bytes: %w",
				what, n, op.kdf, h, values.ErrInvalidArgument))
		}
	}
	if op.kdf == values.AlgTLS12ECJPAKEToPMS && (n != 65 || (data != nil && data[0] != 0x04)) {
		return op.fail(fmt.Errorf("%s: the secret of %v is an uncompressed secp256r1 point: 65 bytes starting with 0x04 (got %d bytes): %w",
			what, op.kdf, n, values.ErrInvalidArgument))
	}
	return nil
}

// startInput checks that step may be given now and returns its record.
func (op *KDFOp) startInput(what string, step values.DerivationStep) (*kdfInput, *kdfStepRule, error) {
	if err := op.checkActive(what); err != nil {
		return nil, nil, err
	}
	if op.state == kdfOutput {
		return nil, nil, op.fail(fmt.Errorf("%s: inputs cannot be given once output has begun: %w", what, values.ErrBadState))
	}
	i := op.spec.index(step)
	if i < 0 {
		return nil, nil, op.fail(fmt.Errorf("%s: %v is not an input of %v (it takes %s): %w", what, step, op.kdf, op.spec.describe(), values.ErrInvalidArgument))
	}
	rule := &op.spec.steps[i]
	in := &op.inputs[i]
	switch {
	case rule.anyTime:
		if in.given {
			return nil, nil, op.fail(fmt.Errorf("%s: %v was already given (each input may be given once): %w", what, step, values.ErrBadState))
		}
	case i == op.pos && rule.repeat:
	case i <= op.pos:
		return nil, nil, op.fail(fmt.Errorf("%s: %v after %v: %v takes its inputs in the order %s, each once: %w",
			what, step, op.spec.steps[op.pos].step, op.kdf, op.spec.describe(), values.ErrBadState))
	default:
		for j := op.pos + 1; j < i; j++ {
			if r := &op.spec.steps[j]; r.required && !r.anyTime {
				return nil, nil, op.fail(fmt.Errorf("%s: %v before %v: %v takes its inputs in the order %s: %w",
					what, step, r.step, op.kdf, op.spec.describe(), values.ErrBadState))
			}
		}
		op.pos = i
	}
	return in, rule, nil
}

// record stores bytes of a step in op's own buffer, appending to a
// repeated step.
func (op *KDFOp) record(in *kdfInput, typ driver.InputType, data []byte) {
	if !in.given {
		clear(in.data)
		in.data = in.data[:0]
	}
	in.given, in.typ = true, typ
	in.data = append(in.data, data...)
}

func kdfTypeIn(t values.KeyType, ts []values.KeyType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

func (s *kdfSpec) describe() string {
	b := make([]byte, 0, 128)
	for i, r := range s.steps {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, r.step.String()...)
		if !r.required {
			b = append(b, " (optional)"...)
		}
	}
	return string(b)
}

// checkActive reports ErrBadState for an inactive operation or one in the
// error state.
func (op *KDFOp) checkActive(what string) error {
	switch op.state {
	case kdfInactive:
		return fmt.Errorf("%s: the operation is not set up: %w", what, values.ErrBadState)
	case kdfFailed:
		return fmt.Errorf("%s: the operation failed earlier and must be aborted: %w", what, values.ErrBadState)
	}
	return nil
}

// checkComplete reports ErrBadState when a required input is missing.
func (op *KDFOp) checkComplete(what string) error {
	if op.state == kdfOutput {
		return nil
	}
	for i, r := range op.spec.steps {
		if r.required && !op.inputs[i].given {
			return op.fail(fmt.Errorf("%s: %v is missing (%v takes %s): %w", what, r.step, op.kdf, op.spec.describe(), values.ErrBadState))
		}
	}
	return nil
}

// secretIsKey reports whether the secret or password of the derivation
// came from a key with PSA_KEY_USAGE_DERIVE or from a key agreement, as
// output_key requires.
func (op *KDFOp) secretIsKey() bool {
	found := false
	for i, r := range op.spec.steps {
		if r.step == values.DerivationInputSecret || r.step == values.DerivationInputPassword {
			found = true
			if !op.inputs[i].secretKey {
				return false
			}
		}
	}
	return found
}

// secretInput returns the record of the secret input when it is a key.
func (op *KDFOp) secretInput() *kdfInput {
	if i := op.spec.index(values.DerivationInputSecret); i >= 0 && op.inputs[i].typ == driver.InputKey {
		return &op.inputs[i]
	}
	return nil
}

// startDriver calls the driver's key_derivation_setup with the collected
// inputs, on the first output.
func (op *KDFOp) startDriver(what string) error {
	if op.state == kdfOutput {
		return nil
	}
	drv, err := op.c.disp.KeyDerivationSetup(op.kdf, kdfInputs{op})
	if err != nil && driver.IsNotSupported(err) {
		// The driver interface's dispatch logic: when the secure
		// element holding the secret cannot derive, export the secret
		// and derive from it in the transparent drivers.
		if in := op.secretInput(); in != nil && in.attrs.Lifetime.Location() != values.LocationLocalStorage {
			material, xerr := op.c.disp.ExportKey(in.attrs, in.data, nil)
			if xerr != nil {
				return op.fail(fmt.Errorf("%s: %w (and exporting the secret from location 0x%06x failed: %v)",
					what, err, uint32(in.attrs.Lifetime.Location()), xerr))
			}
			clear(in.data)
			in.data, in.typ = material, driver.InputBytes
			drv, err = op.c.disp.KeyDerivationSetup(op.kdf, kdfInputs{op})
		}
	}
	if err != nil {
		return op.fail(fmt.Errorf("%s: %w", what, err))
	}
	op.drv = drv
	op.state = kdfOutput
	op.wipeInputs(false)
	// The capacity is given to drivers that take it: opaque drivers
	// enforce it for their own key outputs, and SP 800-108 uses it as
	// the output length L.
	if cs, ok := drv.(driver.DerivationCapacitySetter); ok && op.capacity != values.KeyDerivationUnlimitedCapacity {
		if err := cs.SetCapacity(uint64(op.capacity)); err != nil {
			return op.fail(fmt.Errorf("%s: set capacity: %w", what, err))
		}
	}
	return nil
}

// checkOneOutput enforces the single output of PSA_ALG_TLS12_ECJPAKE_TO_PMS.
func (op *KDFOp) checkOneOutput(what string, n int) error {
	// A longer request is an over-capacity read (INSUFFICIENT_DATA, from
	// take); a shorter one would split the output.
	if m := op.spec.oneOutput; m > 0 && op.capacity == m && n < m {
		return op.fail(fmt.Errorf("%s: the %d-byte output of %v must be read in one call (got a request for %d bytes): %w",
			what, m, op.kdf, n, values.ErrInvalidArgument))
	}
	return nil
}

// take reserves n bytes of capacity. When the capacity is too small it
// sets it to 0 and returns ErrInsufficientData, which does not put the
// operation in the error state.
func (op *KDFOp) take(what string, n int) error {
	if n > op.capacity {
		c := op.capacity
		op.capacity = 0
		return fmt.Errorf("%s: %d bytes requested, %d left: %w", what, n, c, values.ErrInsufficientData)
	}
	op.capacity -= n
	return nil
}

// OutputBytes fills out with the next len(out) bytes of the output stream
// (psa_key_derivation_output_bytes). Every key input must have had
// PSA_KEY_USAGE_DERIVE.
func (op *KDFOp) OutputBytes(out []byte) error {
	const what = "key derivation output bytes"
	if err := op.checkActive(what); err != nil {
		return err
	}
	if err := op.checkComplete(what); err != nil {
		return err
	}
	if op.noDerive {
		return op.fail(fmt.Errorf("%s: an input key permits only PSA_KEY_USAGE_VERIFY_DERIVATION, so the operation can only verify: %w", what, values.ErrNotPermitted))
	}
	if op.spec.keyOnly {
		return op.fail(fmt.Errorf("%s: the output of %v can only be read as a key: %w", what, op.kdf, values.ErrNotPermitted))
	}
	if err := op.checkOneOutput(what, len(out)); err != nil {
		return err
	}
	if err := op.startDriver(what); err != nil {
		return err
	}
	if err := op.take(what, len(out)); err != nil {
		return err
	}
	if len(out) == 0 {
		return nil
	}
	if err := op.drv.OutputBytes(out); err != nil {
		clear(out)
		return op.fail(fmt.Errorf("%s: %w", what, err))
	}
	return nil
}

// OutputKey derives a key of the type and size of attrs from the output
// stream (psa_key_derivation_output_key, and
// psa_key_derivation_output_key_custom with params). The secret or
// password input must have been a key with PSA_KEY_USAGE_DERIVE, or a key
// agreement.
//
// Raw key types (unstructured types other than DES) take the next bits/8
// bytes of output; other types are derived by the driver's derive_key,
// which reads as much output as the key type's derivation method needs.
// Custom production parameters are supported only by opaque drivers that
// derive keys themselves.
func (op *KDFOp) OutputKey(attrs values.Attributes, params driver.ProductionParameters) (values.KeyID, error) {
	const what = "key derivation output key"
	if err := op.checkActive(what); err != nil {
		return 0, err
	}
	t := attrs.Type
	switch {
	case t == values.KeyTypeNone || t.IsPublicKey():
		return 0, op.fail(fmt.Errorf("%s: cannot derive a key of type %v (want a symmetric key type or a key pair): %w", what, t, values.ErrInvalidArgument))
	case attrs.Bits <= 0:
		return 0, op.fail(fmt.Errorf("%s: the key size is %d; set the size in bits: %w", what, attrs.Bits, values.ErrInvalidArgument))
	case t == values.KeyTypePasswordHash && attrs.Alg != 0 && attrs.Alg != op.alg:
		return 0, op.fail(fmt.Errorf("%s: a password hash key's permitted algorithm must be the operation's, %v, or none (got %v): %w",
			what, op.alg, attrs.Alg, values.ErrInvalidArgument))
	case op.spec.keyOnly && !t.IsWPA3SAEECC() && !t.IsWPA3SAEDH():
		return 0, op.fail(fmt.Errorf("%s: %v outputs a WPA3-SAE password token (PSA_KEY_TYPE_WPA3_SAE_ECC or _DH), not a %v: %w",
			what, op.kdf, t, values.ErrInvalidArgument))
	}
	if op.noDerive || !op.secretIsKey() {
		return 0, op.fail(fmt.Errorf("%s: the secret input must be a key with PSA_KEY_USAGE_DERIVE or a key agreement, and every input key must permit PSA_KEY_USAGE_DERIVE: %w",
			what, values.ErrNotPermitted))
	}
	// As in the C reference, a missing permission is reported before
	// missing inputs: the secret that output_key needs is missing too.
	if err := op.checkComplete(what); err != nil {
		return 0, err
	}
	raw := t.IsUnstructured() && t != values.KeyTypeDES
	if raw && attrs.Bits%8 != 0 {
		return 0, op.fail(fmt.Errorf("%s: %d bits is not a whole number of bytes, which a %v key must be: %w", what, attrs.Bits, t, values.ErrInvalidArgument))
	}
	if raw {
		if err := op.checkOneOutput(what, attrs.Bits/8); err != nil {
			return 0, err
		}
	}
	if raw && attrs.Bits/8 > op.capacity {
		return 0, op.take(what, attrs.Bits/8)
	}
	// The secret's location is read before startDriver wipes the inputs.
	secretLoc := values.LocationLocalStorage
	if in := op.secretInput(); in != nil {
		secretLoc = in.attrs.Lifetime.Location()
	}
	if err := op.startDriver(what); err != nil {
		return 0, err
	}
	if secretLoc != values.LocationLocalStorage && attrs.Lifetime.Location() == secretLoc {
		if ko, ok := op.drv.(driver.DerivationKeyOutputter); ok {
			id, err := op.outputOpaqueKey(what, ko, attrs, params, raw)
			if err == nil || !driver.IsNotSupported(err) {
				return id, err
			}
		}
	}
	if params.Flags != 0 || len(params.Data) != 0 {
		// The specification defines custom parameters for RSA key pairs
		// only (flags 0 and a public exponent); for any other type they
		// are invalid.
		status := values.ErrInvalidArgument
		if t == values.KeyTypeRSAKeyPair {
			status = values.ErrNotSupported
		}
		return 0, op.fail(fmt.Errorf("%s: custom production parameters (flags %#x, %d bytes of data) for a %v derived in software: %w", what, params.Flags, len(params.Data), t, status))
	}
	var material []byte
	if raw {
		material = make([]byte, attrs.Bits/8)
		if err := op.take(what, len(material)); err != nil {
			return 0, err
		}
		if err := op.drv.OutputBytes(material); err != nil {
			clear(material)
			return 0, op.fail(fmt.Errorf("%s: %w", what, err))
		}
	} else {
		kattrs := values.Attributes{Type: t, Bits: attrs.Bits}
		var err error
		material, err = op.c.disp.DeriveKey(kattrs, kdfStream{op, what}, nil)
		if err != nil {
			clear(material)
			if errors.Is(err, values.ErrInsufficientData) {
				op.capacity = 0
				return 0, err
			}
			return 0, op.fail(fmt.Errorf("%s: %w", what, err))
		}
	}
	defer clear(material)
	id, err := op.c.ImportAs(what, attrs, material)
	if err != nil {
		return 0, op.fail(err)
	}
	return id, nil
}

// outputOpaqueKey has an opaque driver derive the key in its own location.
func (op *KDFOp) outputOpaqueKey(what string, ko driver.DerivationKeyOutputter, attrs values.Attributes, params driver.ProductionParameters, raw bool) (values.KeyID, error) {
	cr, err := op.c.startCreate(what, attrs)
	if err != nil {
		return 0, op.fail(err)
	}
	defer cr.abort()
	buf, err := cr.allocate()
	if err != nil {
		return 0, op.fail(err)
	}
	cr.slot.Key = buf
	key, err := ko.OutputKey(cr.attrs, params, buf)
	switch {
	case driver.IsNotSupported(err):
		return 0, err
	case errors.Is(err, values.ErrInsufficientData):
		op.capacity = 0
		return 0, fmt.Errorf("%s: %w", what, err)
	case err != nil:
		return 0, op.fail(fmt.Errorf("%s: %w", what, err))
	}
	if raw {
		op.capacity -= min(op.capacity, attrs.Bits/8)
	}
	id, err := cr.finish(key)
	if err != nil {
		return 0, op.fail(err)
	}
	return id, nil
}

// VerifyBytes reads len(expected) bytes of output and compares them with
// expected in constant time (psa_key_derivation_verify_bytes):
// ErrInvalidSignature if they differ. It works with inputs that permit
// only PSA_KEY_USAGE_VERIFY_DERIVATION.
func (op *KDFOp) VerifyBytes(expected []byte) error {
	const what = "key derivation verify bytes"
	if err := op.checkActive(what); err != nil {
		return err
	}
	if err := op.checkComplete(what); err != nil {
		return err
	}
	return op.verify(what, expected, nil)
}

// VerifyKey is VerifyBytes with the expected value in key id, of type
// PSA_KEY_TYPE_PASSWORD_HASH, which needs PSA_KEY_USAGE_VERIFY_DERIVATION
// and must permit the operation's algorithm
// (psa_key_derivation_verify_key).
func (op *KDFOp) VerifyKey(id values.KeyID) error {
	const what = "key derivation verify key"
	if err := op.checkActive(what); err != nil {
		return err
	}
	if err := op.checkComplete(what); err != nil {
		return err
	}
	s, err := op.c.Use(id, values.UsageVerifyDerivation, op.alg)
	if err != nil {
		return op.fail(fmt.Errorf("%s: %w", what, err))
	}
	defer op.c.Release(s)
	if s.Attrs.Type != values.KeyTypePasswordHash {
		return op.fail(fmt.Errorf("%s: key 0x%08x is a %v, not a PSA_KEY_TYPE_PASSWORD_HASH: %w", what, uint32(id), s.Attrs.Type, values.ErrInvalidArgument))
	}
	if !opaque(&s.Attrs) {
		return op.verify(what, s.Key, nil)
	}
	return op.verify(what, nil, s)
}

// verify compares the next output with expected, or with the opaque key s.
func (op *KDFOp) verify(what string, expected []byte, s *Slot) error {
	secretLoc := values.LocationLocalStorage
	if in := op.secretInput(); in != nil {
		secretLoc = in.attrs.Lifetime.Location()
	}
	if err := op.startDriver(what); err != nil {
		return err
	}
	v, canVerify := op.drv.(driver.DerivationVerifier)
	if s != nil {
		if canVerify && s.Attrs.Lifetime.Location() == secretLoc {
			// The secure element compares with its own key; the length
			// read is the key's, which only it knows.
			if err := v.VerifyKey(s.Attrs, s.Key); err != nil {
				return op.kdfVerifyFailed(what, err)
			}
			op.capacity -= min(op.capacity, values.BitsToBytes(s.Attrs.Bits))
			return nil
		}
		material, err := op.c.disp.ExportKey(s.Attrs, s.Key, nil)
		if err != nil {
			return op.fail(fmt.Errorf("%s: export the expected key: %w", what, err))
		}
		defer clear(material)
		expected = material
	}
	if err := op.take(what, len(expected)); err != nil {
		return err
	}
	if canVerify {
		if err := v.VerifyBytes(expected); err != nil {
			return op.kdfVerifyFailed(what, err)
		}
		return nil
	}
	got := make([]byte, len(expected))
	defer clear(got)
	if err := op.drv.OutputBytes(got); err != nil {
		return op.fail(fmt.Errorf("%s: %w", what, err))
	}
	if subtle.ConstantTimeCompare(got, expected) != 1 {
		return op.fail(fmt.Errorf("%s: the derived output does not match the expected value: %w", what, values.ErrInvalidSignature))
	}
	return nil
}

func (op *KDFOp) kdfVerifyFailed(what string, err error) error {
	if errors.Is(err, values.ErrInsufficientData) {
		op.capacity = 0
		return fmt.Errorf("%s: %w", what, err)
	}
	return op.fail(fmt.Errorf("%s: %w", what, err))
}

// Abort ends the operation and returns it to the inactive state
// (psa_key_derivation_abort). Aborting an inactive operation does nothing.
func (op *KDFOp) Abort() error {
	var err error
	if op.drv != nil {
		if e := op.drv.Abort(); e != nil {
			err = fmt.Errorf("key derivation abort: %w", e)
		}
	}
	op.wipeInputs(true)
	*op = KDFOp{inputs: op.inputs}
	return err
}

// fail puts the operation in the error state and returns err.
func (op *KDFOp) fail(err error) error {
	if op.state == kdfInactive {
		return err
	}
	if op.drv != nil {
		_ = op.drv.Abort()
		op.drv = nil
	}
	op.wipeInputs(true)
	op.state = kdfFailed
	return err
}

// wipeInputs clears the collected inputs, keeping the buffers for reuse.
func (op *KDFOp) wipeInputs(forget bool) {
	for i := range op.inputs {
		in := &op.inputs[i]
		clear(in.data)
		in.data = in.data[:0]
		if forget {
			*in = kdfInput{data: in.data}
		}
	}
}

// kdfInputs is the driver's view of the collected inputs
// (driver.DerivationInputs).
type kdfInputs struct{ op *KDFOp }

func (v kdfInputs) find(step values.DerivationStep) (*kdfInput, bool) {
	i := v.op.spec.index(step)
	if i < 0 {
		return nil, false
	}
	return &v.op.inputs[i], true
}

func (v kdfInputs) Type(step values.DerivationStep) driver.InputType {
	in, ok := v.find(step)
	switch {
	case !ok:
		return driver.InputInvalid
	case !in.given:
		return driver.InputOmitted
	}
	return in.typ
}

func (v kdfInputs) Bytes(step values.DerivationStep) ([]byte, error) {
	if in, ok := v.find(step); ok && in.given && in.typ == driver.InputBytes {
		return in.data, nil
	}
	return nil, fmt.Errorf("%v is %s, not bytes: %w", step, kdfInputTypeName(v.Type(step)), values.ErrInvalidArgument)
}

func (v kdfInputs) Key(step values.DerivationStep) (values.Attributes, []byte, error) {
	if in, ok := v.find(step); ok && in.given && in.typ == driver.InputKey {
		return in.attrs, in.data, nil
	}
	return values.Attributes{}, nil, fmt.Errorf("%v is %s, not a key: %w", step, kdfInputTypeName(v.Type(step)), values.ErrInvalidArgument)
}

func (v kdfInputs) Integer(step values.DerivationStep) (uint64, error) {
	if in, ok := v.find(step); ok && in.given && in.typ == driver.InputInteger {
		return in.n, nil
	}
	return 0, fmt.Errorf("%v is %s, not an integer: %w", step, kdfInputTypeName(v.Type(step)), values.ErrInvalidArgument)
}

func kdfInputTypeName(t driver.InputType) string {
	switch t {
	case driver.InputOmitted:
		return "omitted"
	case driver.InputBytes:
		return "bytes"
	case driver.InputKey:
		return "a key"
	case driver.InputInteger:
		return "an integer"
	}
	return "not an input of the algorithm"
}

// kdfStream is the output stream that derive_key reads, within the
// capacity.
type kdfStream struct {
	op   *KDFOp
	what string
}

func (s kdfStream) Read(p []byte) (int, error) {
	if err := s.op.take(s.what, len(p)); err != nil {
		return 0, err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if err := s.op.drv.OutputBytes(p); err != nil {
		return 0, err
	}
	return len(p), nil
}
