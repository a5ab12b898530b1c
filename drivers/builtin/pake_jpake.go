package builtin

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash"
	"io"

	"filippo.io/bigmod"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// jpake is EC J-PAKE (RFC 8236 §3, with the Schnorr NIZK proofs of
// RFC 8235 §3), as Thread and TLS ECJPAKE use it and Mbed TLS implements
// it, so that the two interoperate byte for byte:
//
//   - the password is the key's bytes read as a big-endian integer and
//     reduced modulo n (s = 0 is refused);
//   - round one sends X1 = x1·G and X2 = x2·G, each with a proof of
//     knowledge of its exponent for the generator G; round two sends
//     A = (x2·s)·GA with GA = X1 + X3 + X4, with a proof for GA;
//   - a proof of x for X = x·Gen is (V, r): V = v·Gen for a random v,
//     r = v - x·h mod n, with h = H(Gen || V || X || id) mod n, each item
//     preceded by its length as 4 big-endian bytes, points uncompressed,
//     id the prover's identity (psa_pake_set_user for our proofs,
//     psa_pake_set_peer for the peer's); the verifier checks
//     V = r·Gen + h·X;
//   - the shared secret is the point K = x2·(B - (x2·s)·X4), uncompressed:
//     what PSA_ALG_TLS12_ECJPAKE_TO_PMS takes.
//
// Outputs are points in the public-key format and proofs r as scalars of
// the order's size; proof inputs may omit leading zeros, as Mbed TLS's
// do. Random scalars are drawn when the step that publishes them is
// output: x1, v1, x2, v2, then v for round two.
type jpake struct {
	g          *pakeGroup
	alg        values.Algorithm
	newHash    func() hash.Hash
	s          *bigmod.Nat
	user, peer []byte
	rand       io.Reader

	out, in int // steps done in each direction, 0 to 9

	x1, x2 *bigmod.Nat // our round-one exponents
	x1Pt   pakeElement // X1
	x2Pt   pakeElement // X2
	xs     *bigmod.Nat // x2·s, our round-two exponent
	own    pakeElement // the key share being output (X1, X2 or A)
	ownGen pakeElement // its generator; nil for the base point
	ownExp *bigmod.Nat // its exponent
	v      *bigmod.Nat // the proof's random exponent
	vPt    pakeElement // V

	x3, x4 pakeElement // the peer's round-one key shares
	b      pakeElement // the peer's round-two key share
	peerX  pakeElement // the key share whose proof is being read
	peerV  pakeElement // its V; nil if it did not decode
	failed error       // set by a failure or Abort: the operation is over
}

const jpakeSteps = 9 // KEY_SHARE, ZK_PUBLIC, ZK_PROOF: twice in round one, once in round two

func newJPAKE(in driver.PAKEInputs, r io.Reader) (*jpake, error) {
	suite := in.Suite()
	alg := suite.Algorithm
	if suite.KeyConfirmation != values.PAKEUnconfirmedKey {
		return nil, fmt.Errorf("J-PAKE: it has no key confirmation: the cipher suite must ask for PSA_PAKE_UNCONFIRMED_KEY: %w", values.ErrInvalidArgument)
	}
	g, err := pakeECCGroup(suite)
	if err != nil {
		return nil, fmt.Errorf("J-PAKE: %w", err)
	}
	h, err := pakeHash(alg)
	if err != nil {
		return nil, fmt.Errorf("J-PAKE: %w", err)
	}
	attrs, pw := in.Password()
	if t := attrs.Type; t != values.KeyTypePassword && t != values.KeyTypePasswordHash {
		return nil, fmt.Errorf("J-PAKE: the password key is a %v (want PSA_KEY_TYPE_PASSWORD or PSA_KEY_TYPE_PASSWORD_HASH): %w", t, values.ErrInvalidArgument)
	}
	user, peer := in.User(), in.Peer()
	switch {
	case len(user) == 0 || len(peer) == 0:
		return nil, fmt.Errorf("J-PAKE: the user and peer identities must not be empty: %w", values.ErrInvalidArgument)
	case bytes.Equal(user, peer):
		// RFC 8235 §4: a verifier accepts no proof made under its own
		// identity, which would let a peer replay our proofs.
		return nil, fmt.Errorf("J-PAKE: the user and peer identities must differ (both are %q): %w", user, values.ErrInvalidArgument)
	case uint64(len(user)) > 0xffffffff || uint64(len(peer)) > 0xffffffff:
		return nil, fmt.Errorf("J-PAKE: an identity longer than 2^32-1 bytes cannot be hashed: %w", values.ErrInvalidArgument)
	}
	s := g.reduce(pw)
	if s.IsZero() == 1 {
		return nil, fmt.Errorf("J-PAKE: the password is zero modulo the order of %s, so it cannot be used: %w", g.name, values.ErrInvalidArgument)
	}
	return &jpake{
		g: g, alg: alg, newHash: h.new, s: s, rand: r,
		user: bytes.Clone(user), peer: bytes.Clone(peer),
	}, nil
}

// jpakeStep is the step expected at position i of either direction.
func jpakeStep(i int) values.PAKEStep {
	return [3]values.PAKEStep{values.PAKEStepKeyShare, values.PAKEStepZKPublic, values.PAKEStepZKProof}[i%3]
}

func (j *jpake) check(what string, step values.PAKEStep, i int) error {
	if j.failed != nil {
		return fmt.Errorf("J-PAKE %s: the operation failed earlier: %w", what, values.ErrBadState)
	}
	switch step {
	case values.PAKEStepKeyShare, values.PAKEStepZKPublic, values.PAKEStepZKProof:
	default:
		return fmt.Errorf("J-PAKE %s: %v is not a step of J-PAKE (want KEY_SHARE, ZK_PUBLIC or ZK_PROOF): %w", what, step, values.ErrInvalidArgument)
	}
	if i >= jpakeSteps {
		return fmt.Errorf("J-PAKE %s: both rounds are done: %w", what, values.ErrBadState)
	}
	if want := jpakeStep(i); step != want {
		return fmt.Errorf("J-PAKE %s: %v out of order (want %v): %w", what, step, want, values.ErrBadState)
	}
	return nil
}

// Output appends our next value: X1, V1, r1, X2, V2, r2, then A, V, r.
func (j *jpake) Output(step values.PAKEStep, dst []byte) ([]byte, error) {
	if err := j.check("output", step, j.out); err != nil {
		return nil, err
	}
	g := j.g
	switch j.out {
	case 0, 3: // X1 = x1·G, X2 = x2·G
		x, err := g.randomScalar(j.rand)
		if err != nil {
			return nil, err
		}
		pt := g.baseMul(x)
		if j.out == 0 {
			j.x1, j.x1Pt = x, pt
		} else {
			j.x2, j.x2Pt = x, pt
		}
		j.own, j.ownGen, j.ownExp = pt, nil, x
	case 6: // A = (x2·s)·GA, GA = X1 + X3 + X4
		if j.x3 == nil || j.x4 == nil {
			return nil, fmt.Errorf("J-PAKE output: round two needs the peer's round one: %w", values.ErrBadState)
		}
		gen := g.ops.add(g.ops.add(j.x1Pt, j.x3), j.x4)
		if g.ops.isIdentity(gen) {
			return nil, j.fail(fmt.Errorf("J-PAKE output: X1 + X3 + X4 is the identity: the peer's round one is not usable: %w", values.ErrInvalidArgument))
		}
		j.xs = pakeMulMod(j.x2, j.s, g.n)
		j.own, j.ownGen, j.ownExp = g.mul(gen, j.xs), gen, j.xs
	case 1, 4, 7: // V = v·Gen
		v, err := g.randomScalar(j.rand)
		if err != nil {
			return nil, err
		}
		j.v, j.vPt = v, j.genMul(j.ownGen, v)
		j.out++
		return g.ops.encode(dst, j.vPt), nil
	case 2, 5, 8: // r = v - x·h
		h := j.challenge(j.ownGen, j.vPt, j.own, j.user)
		xh := pakeMulMod(j.ownExp, h, g.n)
		r := pakeSubMod(j.v, xh, g.n)
		out := append(dst, g.bytes(r)...)
		wipeNat(j.v)
		wipeNat(xh)
		wipeNat(r)
		j.v, j.vPt = nil, nil
		j.out++
		return out, nil
	}
	j.out++
	return g.ops.encode(dst, j.own), nil
}

// Input takes the peer's next value: X3, V3, r3, X4, V4, r4, then B, V, r.
// A key share that is not a point of the group is ErrInvalidArgument; a
// proof that does not verify, or whose V is not a point of the group, is
// ErrInvalidSignature, reported at ZK_PROOF.
func (j *jpake) Input(step values.PAKEStep, input []byte) error {
	if err := j.check("input", step, j.in); err != nil {
		return err
	}
	g := j.g
	switch j.in {
	case 0, 3, 6:
		if j.in == 6 && j.x2 == nil {
			return fmt.Errorf("J-PAKE input: round two needs our round one: %w", values.ErrBadState)
		}
		x, err := g.element("J-PAKE input: key share", input)
		if err != nil {
			return j.fail(err)
		}
		j.peerX = x
	case 1, 4, 7:
		if len(input) != g.elemLen || input[0] != 4 {
			return j.fail(fmt.Errorf("J-PAKE input: ZK public: %d bytes is not an uncompressed %s point (want %d bytes, 0x04 || x || y): %w",
				len(input), g.name, g.elemLen, values.ErrInvalidArgument))
		}
		// Whether V is on the curve is part of the proof's verification.
		j.peerV = nil
		if v, err := g.ops.decode(input); err == nil && !g.ops.isIdentity(v) {
			j.peerV = v
		}
	case 2, 5, 8:
		if len(input) == 0 {
			return j.fail(fmt.Errorf("J-PAKE input: the ZK proof is empty (want 1 to %d bytes): %w", g.scalarLen(), values.ErrInvalidArgument))
		}
		var gen pakeElement // round one: the base point
		if j.in == 8 {
			// GB = X1 + X2 + X3: the generator of the peer's A.
			gen = g.ops.add(g.ops.add(j.x1Pt, j.x2Pt), j.x3)
			if g.ops.isIdentity(gen) {
				return j.fail(fmt.Errorf("J-PAKE input: X1 + X2 + X3 is the identity: the peer's round one is not usable: %w", values.ErrInvalidArgument))
			}
		}
		if err := j.verify(gen, j.peerX, j.peerV, input); err != nil {
			return j.fail(err)
		}
		switch j.in {
		case 2:
			j.x3 = j.peerX
		case 5:
			j.x4 = j.peerX
		case 8:
			j.b = j.peerX
		}
		j.peerX, j.peerV = nil, nil
	}
	j.in++
	return nil
}

// verify checks the peer's proof (V, r) of the exponent of x for gen.
func (j *jpake) verify(gen, x, v pakeElement, proof []byte) error {
	g := j.g
	which := [...]string{2: "X3", 5: "X4", 8: "B"}[j.in]
	if v == nil {
		return fmt.Errorf("J-PAKE input: the proof for %s does not verify: its ZK public is not a point of %s: %w", which, g.name, values.ErrInvalidSignature)
	}
	r, ok := g.scalar(proof)
	if !ok {
		return fmt.Errorf("J-PAKE input: the proof for %s does not verify: r is not less than the order of %s: %w", which, g.name, values.ErrInvalidSignature)
	}
	h := j.challenge(gen, v, x, j.peer)
	want := g.ops.add(j.genMul(gen, r), g.mul(x, h))
	if !g.ops.equal(want, v) {
		return fmt.Errorf("J-PAKE input: the proof for %s does not verify (wrong password, identities or data): %w", which, values.ErrInvalidSignature)
	}
	return nil
}

// genMul returns k·gen, gen nil meaning the base point (whose precomputed
// tables make the multiplication faster).
func (j *jpake) genMul(gen pakeElement, k *bigmod.Nat) pakeElement {
	if gen == nil {
		return j.g.baseMul(k)
	}
	return j.g.mul(gen, k)
}

// challenge computes h = H(Gen || V || X || id) mod n, each item preceded
// by its length in 4 big-endian bytes (RFC 8235 §3; Mbed TLS's format).
func (j *jpake) challenge(gen, v, x pakeElement, id []byte) *bigmod.Nat {
	g := j.g
	if gen == nil {
		gen = g.gen
	}
	var buf [3 * (4 + 133)]byte // room for three P-521 points and their lengths
	b := buf[:0]
	for _, p := range [3]pakeElement{gen, v, x} {
		b = binary.BigEndian.AppendUint32(b, uint32(g.elemLen))
		b = g.ops.encode(b, p)
	}
	b = binary.BigEndian.AppendUint32(b, uint32(len(id)))
	h := j.newHash()
	h.Write(b)
	h.Write(id)
	var sum [64]byte
	return g.reduce(h.Sum(sum[:0]))
}

// SharedKey appends K = x2·(B - (x2·s)·X4), uncompressed.
func (j *jpake) SharedKey(dst []byte) ([]byte, error) {
	if j.failed != nil {
		return nil, fmt.Errorf("J-PAKE shared key: the operation failed earlier: %w", values.ErrBadState)
	}
	if j.out < jpakeSteps || j.in < jpakeSteps {
		return nil, fmt.Errorf("J-PAKE shared key: the secret is available after both rounds (%d of %d outputs and %d of %d inputs done): %w",
			j.out, jpakeSteps, j.in, jpakeSteps, values.ErrBadState)
	}
	g := j.g
	t := g.ops.add(j.b, g.ops.neg(g.mul(j.x4, j.xs)))
	k := g.mul(t, j.x2)
	if g.ops.isIdentity(k) {
		return nil, fmt.Errorf("J-PAKE shared key: the shared point is the identity: %w", values.ErrInvalidArgument)
	}
	return g.ops.encode(dst, k), nil
}

// fail ends the operation after a verification failure.
func (j *jpake) fail(err error) error {
	j.failed = err
	j.wipe()
	return err
}

// Abort wipes the secrets.
func (j *jpake) Abort() error {
	j.wipe()
	return nil
}

func (j *jpake) wipe() {
	for _, k := range []*bigmod.Nat{j.s, j.x1, j.x2, j.xs, j.v} {
		wipeNat(k)
	}
	j.x1, j.x2, j.xs, j.v, j.ownExp = nil, nil, nil, nil, nil
	if j.failed == nil {
		j.failed = fmt.Errorf("aborted")
	}
}
