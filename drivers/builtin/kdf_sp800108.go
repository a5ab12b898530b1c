package builtin

import (
	"bytes"
	"crypto/hmac"
	"encoding/binary"
	"fmt"
	"hash"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/internal/cmac"
	"github.com/gopsa/psa/values"
)

// NIST SP 800-108r1 §4.1 counter mode, with the specification's fixed
// input: K_i = PRF(K_IN, [i]_4 || Label || 0x00 || Context || [L]_4),
// and for CMAC the robustness mitigation of appending
// K_0 = CMAC(K_IN, Label || 0x00 || Context || [L]_4) to the fixed input.

// sp800108Counter produces K_1 || K_2 || ... for the fixed input; L is
// fixed by the first block.
type sp800108Counter struct {
	prf     hash.Hash // keyed with K_IN
	fixed   []byte    // Label || 0x00 || Context, then || [L]_4 (|| K_0)
	cmac    bool
	length  uint64 // the capacity L/8 is computed from
	started bool
	ctr     uint32
	be      [4]byte // [i]_4; a field so that passing it to the PRF does not allocate
	out     []byte
}

// newSP800108Counter sets up PSA_ALG_SP800_108_COUNTER_HMAC (secret given
// as bytes or as an HMAC or DERIVE key) and
// PSA_ALG_SP800_108_COUNTER_CMAC (secret given as an AES, ARIA or
// Camellia key; SM4 is not supported); label and context are optional, and the label may not
// contain a zero byte.
func newSP800108Counter(in kdfInputs) (kdfGenerator, error) {
	g := &sp800108Counter{cmac: in.alg == values.AlgSP800_108CounterCMAC, length: sp800108InitialCapacity}
	if g.cmac {
		prf, err := sp800108CMAC(in)
		if err != nil {
			return nil, err
		}
		g.prf = prf
	} else {
		h, _, err := kdfHash(in.alg)
		if err != nil {
			return nil, err
		}
		secret, _, err := in.bytesOf(values.DerivationInputSecret, true, []values.KeyType{values.KeyTypeHMAC, values.KeyTypeDerive})
		if err != nil {
			return nil, err
		}
		g.prf = hmac.New(h, secret)
	}
	label, _, err := in.bytes(values.DerivationInputLabel, false)
	if err != nil {
		return nil, err
	}
	if i := bytes.IndexByte(label, 0); i >= 0 {
		return nil, fmt.Errorf("key derivation %v: the label has a zero byte at offset %d (the zero byte separates label and context, so the label may not contain one): %w", in.alg, i, values.ErrInvalidArgument)
	}
	context, _, err := in.bytes(values.DerivationInputContext, false)
	if err != nil {
		return nil, err
	}
	size := g.prf.Size()
	g.fixed = make([]byte, 0, len(label)+1+len(context)+4+size)
	g.fixed = append(g.fixed, label...)
	g.fixed = append(g.fixed, 0)
	g.fixed = append(g.fixed, context...)
	g.out = make([]byte, 0, size)
	return g, nil
}

// sp800108CMAC returns CMAC keyed with the SECRET input, which must be a
// block-cipher key.
func sp800108CMAC(in kdfInputs) (hash.Hash, error) {
	step := values.DerivationInputSecret
	if t := in.in.Type(step); t != driver.InputKey {
		if t == driver.InputBytes || t == driver.InputInteger {
			return nil, fmt.Errorf("key derivation %v: the secret must be an AES, ARIA or Camellia key, not a direct input: %w", in.alg, values.ErrInvalidArgument)
		}
		return nil, fmt.Errorf("key derivation %v: the required input %v is missing: %w", in.alg, step, values.ErrBadState)
	}
	attrs, key, err := in.in.Key(step)
	if err != nil {
		return nil, fmt.Errorf("key derivation %v: reading %v: %w", in.alg, step, err)
	}
	switch attrs.Type {
	case values.KeyTypeAES, values.KeyTypeARIA, values.KeyTypeCamellia, values.KeyTypeSM4:
	default:
		return nil, fmt.Errorf("key derivation %v: a %v key is not accepted for the secret (want an AES, ARIA, Camellia or SM4 key): %w", in.alg, attrs.Type, values.ErrInvalidArgument)
	}
	b, err := newBlock128(fmt.Sprintf("key derivation %v", in.alg), attrs.Type, key)
	if err != nil {
		return nil, err
	}
	return cmac.New(b)
}

func (g *sp800108Counter) setLength(n uint64) error {
	if n > sp800108InitialCapacity {
		return fmt.Errorf("key derivation: capacity %d is above the SP 800-108 counter-mode limit of %d bytes: %w", n, sp800108InitialCapacity, values.ErrInvalidArgument)
	}
	g.length = n
	return nil
}

func (g *sp800108Counter) maxLen() uint64 { return g.length }

func (g *sp800108Counter) next() []byte {
	if !g.started {
		g.started = true
		g.fixed = binary.BigEndian.AppendUint32(g.fixed, uint32(8*g.length))
		if g.cmac {
			g.prf.Reset()
			g.prf.Write(g.fixed)
			g.fixed = g.prf.Sum(g.fixed)
		}
	}
	g.ctr++
	binary.BigEndian.PutUint32(g.be[:], g.ctr)
	g.prf.Reset()
	g.prf.Write(g.be[:])
	g.prf.Write(g.fixed)
	g.out = g.prf.Sum(g.out[:0])
	return g.out
}

func (g *sp800108Counter) wipe() {
	clear(g.out[:cap(g.out)])
	clear(g.fixed)
	g.prf.Reset()
}
