package builtin

import (
	"fmt"
	"hash"
	"math"
	"strings"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// Key derivation: the "key_derivation" entry point family.
//
// The builtin driver implements every key-derivation algorithm of PSA
// Crypto API 1.5 that produces a byte stream:
//
//   - PSA_ALG_HKDF, PSA_ALG_HKDF_EXTRACT and PSA_ALG_HKDF_EXPAND (RFC 5869);
//   - PSA_ALG_TLS12_PRF and PSA_ALG_TLS12_PSK_TO_MS (RFC 5246 §5, RFC 4279
//     §2 and the "other secret" of the DHE-PSK, ECDHE-PSK and RSA-PSK
//     suites), and PSA_ALG_TLS12_ECJPAKE_TO_PMS;
//   - PSA_ALG_PBKDF2_HMAC and PSA_ALG_PBKDF2_AES_CMAC_PRF_128 (RFC 8018
//     §5.2, RFC 4615);
//   - PSA_ALG_SP800_108_COUNTER_HMAC and PSA_ALG_SP800_108_COUNTER_CMAC
//     with the specification's encoding of the fixed input.
//
// The HMAC-based algorithms accept every hash that the builtin HMAC
// accepts: MD5, RIPEMD-160, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512,
// SHA-512/224, SHA-512/256, SHA3-224 to SHA3-512, BLAKE2s-256 and
// BLAKE2b-512 (see hmacHash). SM4, which the builtin driver lacks
// altogether, is not supported as the cipher of
// PSA_ALG_SP800_108_COUNTER_CMAC. PSA_ALG_WPA3_SAE_H2E, which only
// produces a password-token key and never a byte stream, is not
// implemented here.
//
// The core collects the inputs, enforces their order and the capacity,
// and calls KeyDerivationSetup when the first output is requested. Setup
// checks what the algorithm itself needs: the required inputs are present
// (values.ErrBadState otherwise, the status of an output request on an
// incomplete operation), key inputs are of a type the step accepts, and
// sizes and values are within the algorithm's limits
// (values.ErrInvalidArgument, or values.ErrNotSupported for a valid value
// beyond what the builtin driver implements, such as a PBKDF2 cost above
// 2³²-1).

// sp800108InitialCapacity is the capacity of a SP 800-108 counter-mode
// derivation after setup: 2²⁹-1 bytes keeps L = 8·capacity in 32 bits.
const sp800108InitialCapacity = 1<<29 - 1

// KeyDerivationSetup is the "key_derivation_setup" entry point. alg is a
// key-derivation algorithm without key agreement; inputs are the inputs
// the core collected, read only during the call. The operation it returns
// produces the derivation's output stream: successive OutputBytes calls
// continue it. Except for PSA_ALG_TLS12_ECJPAKE_TO_PMS, the operation
// also implements driver.DerivationCapacitySetter, which bounds the rest
// of the stream. PSA_ALG_SP800_108_COUNTER_HMAC and
// PSA_ALG_SP800_108_COUNTER_CMAC need it: their output depends on the
// capacity, so the core must pass the operation's capacity through
// SetCapacity before the first OutputBytes (without it the derivation
// uses the initial capacity, 2²⁹-1 bytes).
//
// KeyDerivationSetup is safe for concurrent use; an operation is not.
func (d *Driver) KeyDerivationSetup(alg values.Algorithm, inputs driver.DerivationInputs) (driver.DerivationOperation, error) {
	in := kdfInputs{alg: alg, in: inputs}
	var (
		gen kdfGenerator
		err error
	)
	switch {
	case alg.IsHKDF(), alg.IsHKDFExpand():
		gen, err = newHKDFExpand(in)
	case alg.IsHKDFExtract():
		gen, err = newHKDFExtract(in)
	case alg.IsTLS12PRF(), alg.IsTLS12PSKToMS():
		gen, err = newTLS12PRF(in)
	case alg == values.AlgTLS12ECJPAKEToPMS:
		return newECJPAKEToPMS(in)
	case alg.IsPBKDF2HMAC(), alg == values.AlgPBKDF2AESCMACPRF128:
		gen, err = newPBKDF2(in)
	case alg.IsSP800_108CounterHMAC(), alg == values.AlgSP800_108CounterCMAC:
		gen, err = newSP800108Counter(in)
	case alg.IsWPA3SAEH2E():
		return nil, fmt.Errorf("key derivation %v: the password-token derivation only outputs WPA3-SAE keys, which the builtin driver does not derive: %w", alg, values.ErrNotSupported)
	case !alg.IsKeyDerivation():
		return nil, fmt.Errorf("key derivation setup: %v is not a key-derivation algorithm: %w", alg, values.ErrInvalidArgument)
	default:
		return nil, fmt.Errorf("key derivation setup: %v is not supported by the builtin driver: %w", alg, values.ErrNotSupported)
	}
	if err != nil {
		return nil, err
	}
	return &kdfOperation{alg: alg, gen: gen, limit: gen.maxLen()}, nil
}

// kdfGenerator computes the output stream of a derivation block by block.
type kdfGenerator interface {
	// next returns the next block of the stream. The slice is valid until
	// the next call; the operation never asks for more than maxLen bytes
	// in total.
	next() []byte
	// maxLen is the length of the whole stream in bytes.
	maxLen() uint64
	// wipe overwrites the secrets the generator holds where it can.
	wipe()
}

// kdfLengthSetter is implemented by the generators whose output depends
// on the length of the stream (SP 800-108's L).
type kdfLengthSetter interface {
	setLength(n uint64) error
}

// kdfOperation is the driver.DerivationOperation of the builtin driver:
// it serves any part of the stream from the generator's blocks.
type kdfOperation struct {
	alg      values.Algorithm
	gen      kdfGenerator
	cur      []byte // current block; cur[pos:] is not output yet
	pos      int
	produced uint64 // bytes output so far
	limit    uint64 // produced + what may still be output
	aborted  bool
}

// InputStep is "key_derivation_input_step". No algorithm of PSA Crypto
// API 1.5 has long inputs, so it always fails.
func (o *kdfOperation) InputStep(step values.DerivationStep, input []byte) error {
	return fmt.Errorf("key derivation %v: %v is not a long input (the algorithm takes all its inputs at setup): %w", o.alg, step, values.ErrInvalidArgument)
}

// OutputBytes fills out with the next len(out) bytes of the stream. A
// request beyond the end of the stream fails with
// values.ErrInsufficientData and outputs nothing.
func (o *kdfOperation) OutputBytes(out []byte) error {
	if o.aborted {
		return fmt.Errorf("key derivation %v: output after abort: %w", o.alg, values.ErrBadState)
	}
	if left := o.limit - o.produced; uint64(len(out)) > left {
		return fmt.Errorf("key derivation %v: %d bytes requested, %d left in the output stream: %w", o.alg, len(out), left, values.ErrInsufficientData)
	}
	o.produced += uint64(len(out))
	for len(out) > 0 {
		if o.pos == len(o.cur) {
			o.cur = o.gen.next()
			o.pos = 0
		}
		n := copy(out, o.cur[o.pos:])
		o.pos += n
		out = out[n:]
	}
	return nil
}

// SetCapacity limits the rest of the stream to capacity bytes
// ("key_derivation_set_capacity"). For the SP 800-108 counter-mode
// algorithms the capacity before the first output fixes L, the length
// that enters every block; it cannot change after the first output
// (values.ErrBadState) and may not exceed 2²⁹-1 bytes
// (values.ErrInvalidArgument).
func (o *kdfOperation) SetCapacity(capacity uint64) error {
	if o.aborted {
		return fmt.Errorf("key derivation %v: set capacity after abort: %w", o.alg, values.ErrBadState)
	}
	if ls, ok := o.gen.(kdfLengthSetter); ok {
		if o.produced > 0 {
			return fmt.Errorf("key derivation %v: the capacity is part of the derivation and cannot change after the first output: %w", o.alg, values.ErrBadState)
		}
		if err := ls.setLength(capacity); err != nil {
			return err
		}
		o.limit = capacity
		return nil
	}
	if left := o.limit - o.produced; capacity < left {
		o.limit = o.produced + capacity
	}
	return nil
}

// Abort is "key_derivation_abort": it wipes the operation's secrets.
func (o *kdfOperation) Abort() error {
	if o.aborted {
		return nil
	}
	o.aborted = true
	clear(o.cur)
	o.cur = nil
	o.gen.wipe()
	return nil
}

// kdfInputs reads and checks the inputs of one setup call.
type kdfInputs struct {
	alg values.Algorithm
	in  driver.DerivationInputs
}

// kdfKeyTypes are the key types that input_key accepts for each step,
// as the specification's step descriptions list them. Algorithms narrow
// or widen the SECRET step (SP 800-108).
var kdfKeyTypes = map[values.DerivationStep][]values.KeyType{
	values.DerivationInputSecret:      {values.KeyTypeDerive},
	values.DerivationInputOtherSecret: {values.KeyTypeDerive},
	values.DerivationInputPassword:    {values.KeyTypePassword, values.KeyTypeDerive},
	values.DerivationInputLabel:       {values.KeyTypeRawData},
	values.DerivationInputContext:     {values.KeyTypeRawData},
	values.DerivationInputSalt:        {values.KeyTypeRawData, values.KeyTypePepper},
	values.DerivationInputInfo:        {values.KeyTypeRawData},
	values.DerivationInputSeed:        {values.KeyTypeRawData},
}

// bytes returns the input of step, given as bytes or as a key of one of
// the types kdfKeyTypes lists for it. ok is false for an omitted optional
// input; a required one that is missing is values.ErrBadState. The slice
// is the core's: copy it to keep it.
func (k kdfInputs) bytes(step values.DerivationStep, required bool) (b []byte, ok bool, err error) {
	return k.bytesOf(step, required, kdfKeyTypes[step])
}

// bytesOf is bytes with the key types that step accepts for this
// algorithm; nil means the step only takes direct input.
func (k kdfInputs) bytesOf(step values.DerivationStep, required bool, keyTypes []values.KeyType) ([]byte, bool, error) {
	switch t := k.in.Type(step); t {
	case driver.InputBytes:
		b, err := k.in.Bytes(step)
		if err != nil {
			return nil, false, fmt.Errorf("key derivation %v: reading %v: %w", k.alg, step, err)
		}
		return b, true, nil
	case driver.InputKey:
		attrs, key, err := k.in.Key(step)
		if err != nil {
			return nil, false, fmt.Errorf("key derivation %v: reading %v: %w", k.alg, step, err)
		}
		for _, kt := range keyTypes {
			if attrs.Type == kt {
				return key, true, nil
			}
		}
		if len(keyTypes) == 0 {
			return nil, false, fmt.Errorf("key derivation %v: %v must be a direct input, not a key: %w", k.alg, step, values.ErrInvalidArgument)
		}
		return nil, false, fmt.Errorf("key derivation %v: a %v key is not accepted for %v (want direct input or a key of type %s): %w", k.alg, attrs.Type, step, kdfTypeList(keyTypes), values.ErrInvalidArgument)
	case driver.InputInteger:
		return nil, false, fmt.Errorf("key derivation %v: %v takes bytes or a key, not an integer: %w", k.alg, step, values.ErrInvalidArgument)
	default:
		if required {
			return nil, false, fmt.Errorf("key derivation %v: the required input %v is missing: %w", k.alg, step, values.ErrBadState)
		}
		return nil, false, nil
	}
}

func kdfTypeList(ts []values.KeyType) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.String()
	}
	return strings.Join(s, " or ")
}

// kdfHash returns the constructor and output size of the hash that
// parameterizes an HMAC-based derivation: one of the hashes for which the
// specification defines HMAC and the builtin driver implements it
// (hmacHash), or an error that says why not.
func kdfHash(alg values.Algorithm) (func() hash.Hash, int, error) {
	if info, ok := hashInfos[alg.Hash()]; ok && info.new != nil && info.alg != values.AlgSHA256_192 {
		return info.new, info.size, nil // the common case, without formatting an error context
	}
	info, err := hmacHash(fmt.Sprintf("key derivation %v", alg), alg.Hash())
	if err != nil {
		return nil, 0, err
	}
	return info.new, info.size, nil
}

// kdfUnbounded is the maxLen of a stream without an end of its own.
const kdfUnbounded = math.MaxUint64
