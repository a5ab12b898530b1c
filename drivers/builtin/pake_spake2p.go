package builtin

import (
	"bytes"
	"crypto/aes"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"io"

	"filippo.io/bigmod"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/internal/cmac"
	"github.com/gopsa/psa/values"
)

// spake2p is SPAKE2+ (RFC 9383), and the draft-02 variant that Matter
// uses (PSA_ALG_SPAKE2P_MATTER), over the NIST curves, with cofactor 1:
//
//   - the Prover (PSA_PAKE_ROLE_CLIENT, key w0 || w1) sends
//     shareP = x·G + w0·M; the Verifier (PSA_PAKE_ROLE_SERVER, key
//     w0 || w1 or w0 || L) answers shareV = y·G + w0·N;
//   - both compute Z = x·(shareV - w0·N) = y·(shareP - w0·M) and
//     V = w1·(shareV - w0·N) = y·L, and the transcript
//     TT = [Context] || idProver || idVerifier || M || N || shareP ||
//     shareV || Z || V || w0, each item preceded by its length in 8
//     little-endian bytes, points uncompressed. The context is in TT only
//     if psa_pake_set_context was called; an identity not set is empty;
//   - RFC 9383 §3.4: K_main = Hash(TT); K_confirmP || K_confirmV =
//     HKDF(salt nil, K_main, "ConfirmationKeys"), each the MAC's key size
//     (the hash length for HMAC, 16 bytes for CMAC-AES-128); K_shared =
//     HKDF(nil, K_main, "SharedKey"), the hash length;
//   - Matter (draft-02 §3.4): Ka || Ke = Hash(TT), halves; KcA || KcB =
//     HKDF(nil, Ka, "ConfirmationKeys"), halves of the hash length;
//     the shared secret is Ke;
//   - confirmP = MAC(K_confirmP, shareV), confirmV = MAC(K_confirmV,
//     shareP), compared in constant time.
//
// The identities are those of the roles: for the Prover, user is
// idProver and peer idVerifier; for the Verifier, the reverse. x and y
// are drawn as scalarLen+8 bytes reduced modulo n.
type spake2p struct {
	g       *pakeGroup
	alg     values.Algorithm
	newHash func() hash.Hash
	prover  bool
	rand    io.Reader

	w0, w1     *bigmod.Nat // w1 only for the Prover
	l          pakeElement // L, the Verifier's
	m, n       pakeElement
	idP, idV   []byte
	context    []byte
	hasContext bool

	shareP, shareV []byte
	exp            *bigmod.Nat // x or y
	kConfirmP      []byte
	kConfirmV      []byte
	shared         []byte

	out, in int    // steps done: 0 (none), 1 (share), 2 (confirmation)
	failed  error  // the operation is over
	mac     string // the MAC's name, for errors
}

// spake2pSuite is a cipher suite of RFC 9383 §4 (or Matter's).
type spake2pSuite struct {
	bits int
	hash values.Algorithm
	cmac bool
}

// spake2pSuites are the cipher suites of RFC 9383 §4 on the NIST curves.
var spake2pSuites = []spake2pSuite{
	{256, values.AlgSHA256, false}, {256, values.AlgSHA512, false},
	{384, values.AlgSHA256, false}, {384, values.AlgSHA512, false},
	{521, values.AlgSHA512, false},
	{256, values.AlgSHA256, true}, {256, values.AlgSHA512, true},
}

// spake2pMN holds M and N of RFC 9383 §4 (compressed, SEC 1).
var spake2pMN = map[int][2]string{
	256: {"02886e2f97ace46e55ba9dd7242579f2993b64e16ef3dcab95afd497333d8fa12f",
		"03d8bbd6c639c62937b04d997f38c3770719c629d7014d49a24b4f98baa1292b49"},
	384: {"030ff0895ae5ebf6187080a82d82b42e2765e3b2f8749c7e05eba366434b363d3dc36f15314739074d2eb8613fceec2853",
		"02c72cf2e390853a1c1c4ad816a62fd15824f56078918f43f922ca21518f9c543bb252c5490214cf9aa3f0baab4b665c10"},
	521: {"02003f06f38131b2ba2600791e82488e8d20ab889af753a41806c5db18d37d85608cfae06b82e4a72cd744c719193562a653ea1f119eef9356907edc9b56979962d7aa",
		"0200c7924b9ec017f3094562894336a53c50167ba8c5963876880542bc669e494b2532d76c5b53dfb349fdf69154b9e0048c58a42e8ed04cef052a3bc349d95575cd25"},
}

func newSPAKE2P(in driver.PAKEInputs, r io.Reader) (*spake2p, error) {
	suite := in.Suite()
	alg := suite.Algorithm
	if suite.KeyConfirmation != values.PAKEConfirmedKey {
		return nil, fmt.Errorf("SPAKE2+: the protocol confirms the key: the cipher suite must ask for PSA_PAKE_CONFIRMED_KEY: %w", values.ErrInvalidArgument)
	}
	if suite.Primitive.Type() != values.PAKEPrimitiveTypeECC {
		return nil, fmt.Errorf("SPAKE2+: primitive %v is not an elliptic curve (SPAKE2+ is defined on elliptic curves): %w", suite.Primitive, values.ErrInvalidArgument)
	}
	attrs, key := in.Password()
	t := attrs.Type
	if !t.IsSPAKE2P() {
		return nil, fmt.Errorf("SPAKE2+: the key is a %v (want a SPAKE2+ key pair, or public key for the Verifier): %w", t, values.ErrInvalidArgument)
	}
	p := suite.Primitive
	if values.PAKEFamily(t.SPAKE2PFamily()) != p.Family() || attrs.Bits != p.Bits() {
		return nil, fmt.Errorf("SPAKE2+: the key is a %d-bit %v, but the cipher suite's primitive is %v: %w", attrs.Bits, t, p, values.ErrInvalidArgument)
	}
	g, err := pakeGroupFor(alg, p)
	if err != nil {
		return nil, fmt.Errorf("SPAKE2+: %w", err)
	}
	h, err := pakeHash(alg)
	if err != nil {
		return nil, fmt.Errorf("SPAKE2+: %w", err)
	}
	isCMAC := alg.IsSPAKE2PCMAC()
	supported := false
	if alg == values.AlgSPAKE2PMatter {
		supported = g.bits == 256
	} else {
		for _, s := range spake2pSuites {
			supported = supported || (s == spake2pSuite{g.bits, h.alg, isCMAC})
		}
	}
	if !supported {
		return nil, fmt.Errorf("SPAKE2+: %v over %s is not a cipher suite of RFC 9383 §4 (P-256 with SHA-256 or SHA-512 and HMAC or CMAC-AES-128, P-384 with SHA-256 or SHA-512 and HMAC, P-521 with SHA-512 and HMAC; Matter: P-256): %w",
			alg, g.name, values.ErrNotSupported)
	}

	op := &spake2p{g: g, alg: alg, newHash: h.new, rand: r, mac: "HMAC"}
	if isCMAC {
		op.mac = "CMAC-AES-128"
	}
	switch in.Role() {
	case values.PAKERoleClient:
		op.prover = true
		op.idP, op.idV = bytes.Clone(in.User()), bytes.Clone(in.Peer())
	case values.PAKERoleServer:
		op.idP, op.idV = bytes.Clone(in.Peer()), bytes.Clone(in.User())
	default:
		return nil, fmt.Errorf("SPAKE2+: role %v (want PSA_PAKE_ROLE_CLIENT or PSA_PAKE_ROLE_SERVER): %w", in.Role(), values.ErrInvalidArgument)
	}
	if ctx := in.Context(); ctx != nil {
		op.context, op.hasContext = bytes.Clone(ctx), true
	}

	size := g.scalarLen()
	if len(key) < size {
		return nil, fmt.Errorf("SPAKE2+: the key is %d bytes, too short for %s: %w", len(key), g.name, values.ErrInvalidArgument)
	}
	var ok bool
	if op.w0, ok = g.scalar(key[:size]); !ok {
		return nil, fmt.Errorf("SPAKE2+: w0 is not less than the order of %s: %w", g.name, values.ErrInvalidArgument)
	}
	switch {
	case t.IsSPAKE2PKeyPair() && len(key) == 2*size:
		w1, ok := g.scalar(key[size:])
		if !ok {
			return nil, fmt.Errorf("SPAKE2+: w1 is not less than the order of %s: %w", g.name, values.ErrInvalidArgument)
		}
		if op.prover {
			op.w1 = w1
		} else {
			op.l = g.baseMul(w1)
			wipeNat(w1)
		}
	case !t.IsSPAKE2PKeyPair() && len(key) == size+g.elemLen:
		if op.prover {
			return nil, fmt.Errorf("SPAKE2+: the Prover needs the key pair (w0, w1), not the public key: %w", values.ErrInvalidArgument)
		}
		if op.l, err = g.element("SPAKE2+: L", key[size:]); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("SPAKE2+: a %v for %s is not %d bytes: %w", t, g.name, len(key), values.ErrInvalidArgument)
	}
	mn := spake2pMN[g.bits]
	if op.m, err = g.ops.decode(pakeHex(mn[0])); err != nil {
		panic("builtin: bad SPAKE2+ M for " + g.name)
	}
	if op.n, err = g.ops.decode(pakeHex(mn[1])); err != nil {
		panic("builtin: bad SPAKE2+ N for " + g.name)
	}
	return op, nil
}

// pakeHex decodes a constant.
func pakeHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic("builtin: bad constant: " + err.Error())
	}
	return b
}

func (s *spake2p) checkStep(what string, step values.PAKEStep, done int) error {
	if s.failed != nil {
		return fmt.Errorf("SPAKE2+ %s: the operation failed earlier: %w", what, values.ErrBadState)
	}
	var want values.PAKEStep
	switch done {
	case 0:
		want = values.PAKEStepKeyShare
	case 1:
		want = values.PAKEStepConfirm
	default:
		return fmt.Errorf("SPAKE2+ %s: the exchange is over: %w", what, values.ErrBadState)
	}
	if step != values.PAKEStepKeyShare && step != values.PAKEStepConfirm {
		return fmt.Errorf("SPAKE2+ %s: %v is not a step of SPAKE2+ (want KEY_SHARE or CONFIRM): %w", what, step, values.ErrInvalidArgument)
	}
	if step != want {
		return fmt.Errorf("SPAKE2+ %s: %v out of order (want %v): %w", what, step, want, values.ErrBadState)
	}
	return nil
}

// Output appends shareP or shareV, then confirmP or confirmV.
func (s *spake2p) Output(step values.PAKEStep, dst []byte) ([]byte, error) {
	if err := s.checkStep("output", step, s.out); err != nil {
		return nil, err
	}
	g := s.g
	if s.out == 1 {
		if s.kConfirmP == nil {
			return nil, fmt.Errorf("SPAKE2+ output: confirmation needs the peer's key share: %w", values.ErrBadState)
		}
		var out []byte
		if s.prover {
			out = s.macSum(dst, s.kConfirmP, s.shareV)
		} else {
			out = s.macSum(dst, s.kConfirmV, s.shareP)
		}
		s.out++
		return out, nil
	}
	if !s.prover && s.shareP == nil {
		return nil, fmt.Errorf("SPAKE2+ output: the Verifier's key share comes after the Prover's: %w", values.ErrBadState)
	}
	k, err := g.randomScalarWide(s.rand)
	if err != nil {
		return nil, err
	}
	blind := s.m
	if !s.prover {
		blind = s.n
	}
	share := g.ops.encode(nil, g.ops.add(g.baseMul(k), g.mul(blind, s.w0)))
	s.exp = k
	if s.prover {
		s.shareP = share
	} else {
		s.shareV = share
		// Z = y·(shareP - w0·M), V = y·L.
		x, err := g.element("SPAKE2+", s.shareP)
		if err != nil {
			return nil, s.fail(err)
		}
		unblinded := g.ops.add(x, g.ops.neg(g.mul(s.m, s.w0)))
		if err := s.schedule(g.mul(unblinded, k), g.mul(s.l, k)); err != nil {
			return nil, s.fail(err)
		}
	}
	s.out++
	return append(dst, share...), nil
}

// Input takes shareV or shareP, then confirmV or confirmP. A share that
// is not a point of the group other than the identity is
// ErrInvalidArgument; a confirmation that does not match,
// ErrInvalidSignature.
func (s *spake2p) Input(step values.PAKEStep, input []byte) error {
	if err := s.checkStep("input", step, s.in); err != nil {
		return err
	}
	g := s.g
	if s.in == 1 {
		if s.kConfirmP == nil {
			return fmt.Errorf("SPAKE2+ input: confirmation needs both key shares: %w", values.ErrBadState)
		}
		var want []byte
		if s.prover {
			want = s.macSum(nil, s.kConfirmV, s.shareP)
		} else {
			want = s.macSum(nil, s.kConfirmP, s.shareV)
		}
		if subtle.ConstantTimeCompare(want, input) != 1 {
			who := "Verifier"
			if !s.prover {
				who = "Prover"
			}
			return s.fail(fmt.Errorf("SPAKE2+ input: the %s's confirmation does not match (wrong password, identities, context or data; want %d bytes of %s): %w",
				who, len(want), s.mac, values.ErrInvalidSignature))
		}
		s.in++
		return nil
	}
	if s.prover {
		if s.shareP == nil {
			return fmt.Errorf("SPAKE2+ input: the Prover's key share comes first: %w", values.ErrBadState)
		}
		y, err := g.element("SPAKE2+ input: shareV", input)
		if err != nil {
			return s.fail(err)
		}
		s.shareV = bytes.Clone(input)
		// Z = x·(shareV - w0·N), V = w1·(shareV - w0·N).
		unblinded := g.ops.add(y, g.ops.neg(g.mul(s.n, s.w0)))
		if err := s.schedule(g.mul(unblinded, s.exp), g.mul(unblinded, s.w1)); err != nil {
			return s.fail(err)
		}
	} else {
		if _, err := g.element("SPAKE2+ input: shareP", input); err != nil {
			return s.fail(err)
		}
		s.shareP = bytes.Clone(input)
	}
	s.in++
	return nil
}

// schedule builds the transcript from Z and V and derives the keys.
func (s *spake2p) schedule(z, v pakeElement) error {
	g := s.g
	if g.ops.isIdentity(z) || g.ops.isIdentity(v) {
		return fmt.Errorf("SPAKE2+: Z or V is the identity: the peer's key share is not usable: %w", values.ErrInvalidArgument)
	}
	h := s.newHash()
	put := func(b []byte) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	if s.hasContext {
		put(s.context)
	}
	put(s.idP)
	put(s.idV)
	put(g.ops.encode(nil, s.m))
	put(g.ops.encode(nil, s.n))
	put(s.shareP)
	put(s.shareV)
	zb, vb := g.ops.encode(nil, z), g.ops.encode(nil, v)
	put(zb)
	put(vb)
	w0 := g.bytes(s.w0)
	put(w0)
	clear(zb)
	clear(vb)
	clear(w0)
	digest := h.Sum(nil)
	defer clear(digest)

	var err error
	if s.alg == values.AlgSPAKE2PMatter {
		half := len(digest) / 2
		ka, ke := digest[:half], digest[half:]
		var kc []byte
		if kc, err = hkdf.Key(s.newHash, ka, nil, "ConfirmationKeys", len(digest)); err != nil {
			return fmt.Errorf("SPAKE2+: HKDF: %v: %w", err, values.ErrCorruptionDetected)
		}
		s.kConfirmP, s.kConfirmV = kc[:half], kc[half:]
		s.shared = bytes.Clone(ke)
	} else {
		keyLen := len(digest)
		if s.alg.IsSPAKE2PCMAC() {
			keyLen = 16
		}
		var kc []byte
		if kc, err = hkdf.Key(s.newHash, digest, nil, "ConfirmationKeys", 2*keyLen); err != nil {
			return fmt.Errorf("SPAKE2+: HKDF: %v: %w", err, values.ErrCorruptionDetected)
		}
		s.kConfirmP, s.kConfirmV = kc[:keyLen], kc[keyLen:]
		if s.shared, err = hkdf.Key(s.newHash, digest, nil, "SharedKey", len(digest)); err != nil {
			return fmt.Errorf("SPAKE2+: HKDF: %v: %w", err, values.ErrCorruptionDetected)
		}
	}
	wipeNat(s.exp)
	s.exp = nil
	return nil
}

// macSum appends MAC(key, msg).
func (s *spake2p) macSum(dst, key, msg []byte) []byte {
	var m hash.Hash
	if s.alg.IsSPAKE2PCMAC() {
		b, err := aes.NewCipher(key)
		if err != nil {
			panic("builtin: CMAC key: " + err.Error())
		}
		if m, err = cmac.New(b); err != nil {
			panic("builtin: CMAC: " + err.Error())
		}
	} else {
		m = hmac.New(s.newHash, key)
	}
	m.Write(msg)
	return m.Sum(dst)
}

// SharedKey appends K_shared (Ke for Matter).
func (s *spake2p) SharedKey(dst []byte) ([]byte, error) {
	if s.failed != nil {
		return nil, fmt.Errorf("SPAKE2+ shared key: the operation failed earlier: %w", values.ErrBadState)
	}
	if s.out < 2 || s.in < 2 {
		return nil, fmt.Errorf("SPAKE2+ shared key: the secret is available after the key confirmation: %w", values.ErrBadState)
	}
	return append(dst, s.shared...), nil
}

func (s *spake2p) fail(err error) error {
	s.wipe()
	s.failed = err
	return err
}

// Abort wipes the secrets.
func (s *spake2p) Abort() error {
	s.wipe()
	if s.failed == nil {
		s.failed = fmt.Errorf("aborted")
	}
	return nil
}

func (s *spake2p) wipe() {
	wipeNat(s.w0)
	wipeNat(s.w1)
	wipeNat(s.exp)
	clear(s.kConfirmP)
	clear(s.kConfirmV)
	clear(s.shared)
	s.w1, s.exp = nil, nil
}
