//go:build !gopsa_no_builtin_ecc

package builtin

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/sha3"
	"crypto/sha512"
	"crypto/subtle"
	"fmt"

	"filippo.io/edwards25519"
	"github.com/cloudflare/circl/ecc/goldilocks"
	"github.com/cloudflare/circl/sign/ed448"

	"github.com/gopsa/psa/values"
)

// EdDSA (RFC 8032) on Edwards25519 and Edwards448 keys:
//
//   - PSA_ALG_PURE_EDDSA: Ed25519 (crypto/ed25519) and Ed448 with an empty
//     context (circl).
//   - PSA_ALG_EDDSA_CTX: Ed25519ctx and Ed448. crypto/ed25519 reads an
//     empty context as plain Ed25519, so Ed25519ctx is computed here on
//     filippo.io/edwards25519 (RFC 8032 §5.1.6 and §5.1.7 with dom2(0, C)).
//   - PSA_ALG_ED25519PH and PSA_ALG_ED448PH: HashEdDSA over SHA-512 and
//     SHAKE256 with 64 bytes of output. A hash given to sign_hash is PH(M).
//     Ed25519ph is crypto/ed25519's; Ed448ph of a given hash is computed
//     here on circl's goldilocks arithmetic (circl only signs messages).
//
// The pure algorithms sign messages only: sign_hash and verify_hash with
// them are values.ErrInvalidArgument, as the specification's table 16
// says ("Sign/verify hash: No"). The driver interface has no context
// argument yet: the functions below take one, and the entry points pass
// the empty context of psa_sign_message and psa_sign_hash.

// eddsaKey is an EdDSA key parsed from its key buffer: the private key
// (the seed of RFC 8032, nil for a public key) and the public key A,
// computed from the seed only when an operation needs it (crypto/ed25519
// and circl compute it themselves when they sign).
type eddsaKey struct {
	c    *eccCurve
	bits int // 255 or 448
	seed []byte
	pub  []byte
	// The private key as crypto/ed25519 or circl wants it, seed || A,
	// made once when the key is parsed (see parseEdDSAKey).
	ed25519 ed25519.PrivateKey
	ed448   ed448.PrivateKey
}

// wipe clears the private key material that k holds in its own buffers;
// the cache calls it when the key buffer is forgotten.
func (k *eddsaKey) wipe() {
	clear(k.seed)
	clear(k.ed25519)
	clear(k.ed448)
}

// public returns A.
func (k *eddsaKey) public() []byte {
	if k.pub == nil {
		// The seed's length was checked by parseEdDSAKey, which is all
		// that publicKey can fail on.
		k.pub, _ = k.c.publicKey(k.seed, nil)
	}
	return k.pub
}

func parseEdDSAKey(op string, attrs values.Attributes, alg values.Algorithm, key []byte) (*eddsaKey, error) {
	t := attrs.Type
	c, err := findCurve(op, t, t.ECCFamily(), attrs.Bits)
	if err != nil {
		return nil, err
	}
	if c.kind != edwardsCurve {
		return nil, fmt.Errorf("%s: %v needs a twisted Edwards key, and %v is a %s key: %w", op, alg, t, c.name, values.ErrInvalidArgument)
	}
	switch {
	case alg == values.AlgEd25519ph && c.bits != 255:
		return nil, fmt.Errorf("%s: %v needs an Edwards25519 key, not %s: %w", op, alg, c.name, values.ErrInvalidArgument)
	case alg == values.AlgEd448ph && c.bits != 448:
		return nil, fmt.Errorf("%s: %v needs an Edwards448 key, not %s: %w", op, alg, c.name, values.ErrInvalidArgument)
	}
	// The key is parsed once per key buffer (see cache.go), the checks
	// above that depend on alg on every call. A cached key is shared by
	// concurrent calls, so everything that public() and sign would
	// compute lazily is computed here.
	return prepared(key, prepKind{what: prepEdDSA, t: t, bits: attrs.Bits}, func(key []byte) (*eddsaKey, error) {
		k := &eddsaKey{c: c, bits: c.bits}
		if t.IsKeyPair() {
			if len(key) != c.privSize {
				return nil, fmt.Errorf("%s: %d bytes is not a %s private key (want %d): %w", op, len(key), c.name, c.privSize, values.ErrInvalidArgument)
			}
			k.seed = key
			if c.bits == 255 {
				k.ed25519 = ed25519.NewKeyFromSeed(key)
				k.pub = k.ed25519.Public().(ed25519.PublicKey)
			} else {
				k.ed448 = ed448.NewKeyFromSeed(key)
				k.pub = k.ed448.Public().(ed448.PublicKey)
			}
			return k, nil
		}
		if len(key) != c.pubSize {
			return nil, fmt.Errorf("%s: %d bytes is not a %s public key (want %d): %w", op, len(key), c.name, c.pubSize, values.ErrInvalidArgument)
		}
		k.pub = key
		return k, nil
	})
}

// sign appends the signature of in (the message, or PH(M) for HashEdDSA)
// with context ctx.
func (k *eddsaKey) sign(alg values.Algorithm, in, ctx, dst []byte) ([]byte, error) {
	if len(ctx) > 255 {
		return nil, fmt.Errorf("sign: %v: a %d-byte context is too long (at most 255): %w", alg, len(ctx), values.ErrInvalidArgument)
	}
	if k.bits == 255 {
		switch alg {
		case values.AlgPureEdDSA:
			if len(ctx) != 0 {
				return nil, fmt.Errorf("sign: %v takes no context (use PSA_ALG_EDDSA_CTX): %w", alg, values.ErrInvalidArgument)
			}
			return append(dst, ed25519.Sign(k.ed25519, in)...), nil
		case values.AlgEd25519ph:
			sig, err := k.ed25519.Sign(nil, in, &ed25519.Options{Hash: crypto.SHA512, Context: string(ctx)})
			if err != nil {
				return nil, fmt.Errorf("sign: %v: %v: %w", alg, err, values.ErrInvalidArgument)
			}
			return append(dst, sig...), nil
		default: // PSA_ALG_EDDSA_CTX
			return ed25519DomSign(k.seed, k.public(), in, 0, ctx, dst), nil
		}
	}
	switch alg {
	case values.AlgPureEdDSA, values.AlgEdDSACtx:
		if alg == values.AlgPureEdDSA && len(ctx) != 0 {
			return nil, fmt.Errorf("sign: %v takes no context (use PSA_ALG_EDDSA_CTX): %w", alg, values.ErrInvalidArgument)
		}
		return append(dst, ed448.Sign(k.ed448, in, string(ctx))...), nil
	default: // PSA_ALG_ED448PH, with in = PH(M)
		return ed448DomSign(k.seed, k.public(), in, 1, ctx, dst), nil
	}
}

// verify checks sig on in (the message, or PH(M) for HashEdDSA) with
// context ctx.
func (k *eddsaKey) verify(alg values.Algorithm, in, ctx, sig []byte) error {
	ok := false
	var err error
	if len(ctx) > 255 || (alg == values.AlgPureEdDSA && len(ctx) != 0) {
		return fmt.Errorf("verify: %v: a %d-byte context is not valid here: %w", alg, len(ctx), values.ErrInvalidArgument)
	}
	if k.bits == 255 {
		switch alg {
		case values.AlgPureEdDSA:
			ok = len(sig) == ed25519.SignatureSize && ed25519.Verify(k.public(), in, sig)
		case values.AlgEd25519ph:
			err = ed25519.VerifyWithOptions(k.public(), in, sig, &ed25519.Options{Hash: crypto.SHA512, Context: string(ctx)})
			ok = err == nil
		default:
			ok = ed25519DomVerify(k.public(), in, 0, ctx, sig)
		}
	} else {
		switch alg {
		case values.AlgPureEdDSA, values.AlgEdDSACtx:
			ok = len(sig) == ed448.SignatureSize && ed448.Verify(k.public(), in, sig, string(ctx))
		default:
			ok = ed448DomVerify(k.public(), in, 1, ctx, sig)
		}
	}
	if !ok {
		return fmt.Errorf("verify: %v: the signature does not match: %w", alg, values.ErrInvalidSignature)
	}
	return nil
}

// ed25519Dom2 is the prefix of dom2 (RFC 8032 §5.1).
const ed25519Dom2 = "SigEd25519 no Ed25519 collisions"

// ed25519DomSign signs with dom2(phflag, ctx): Ed25519ctx for phflag 0,
// Ed25519ph for phflag 1 (m is then PH(M)), RFC 8032 §5.1.6.
func ed25519DomSign(seed, pub, m []byte, phflag byte, ctx, dst []byte) []byte {
	h := sha512.Sum512(seed)
	defer wipe(h[:])
	s, _ := edwards25519.NewScalar().SetBytesWithClamping(h[:32])
	dom := append([]byte(ed25519Dom2), phflag, byte(len(ctx)))
	dom = append(dom, ctx...)

	hr := sha512.New()
	hr.Write(dom)
	hr.Write(h[32:])
	hr.Write(m)
	var digest [64]byte
	r, _ := edwards25519.NewScalar().SetUniformBytes(hr.Sum(digest[:0]))
	R := new(edwards25519.Point).ScalarBaseMult(r).Bytes()

	hk := sha512.New()
	hk.Write(dom)
	hk.Write(R)
	hk.Write(pub)
	hk.Write(m)
	k, _ := edwards25519.NewScalar().SetUniformBytes(hk.Sum(digest[:0]))
	S := edwards25519.NewScalar().MultiplyAdd(k, s, r)
	dst = append(dst, R...)
	return append(dst, S.Bytes()...)
}

// ed25519DomVerify verifies with dom2(phflag, ctx) (RFC 8032 §5.1.7,
// without the optional cofactor multiplication, as crypto/ed25519).
func ed25519DomVerify(pub, m []byte, phflag byte, ctx, sig []byte) bool {
	if len(sig) != 64 || len(pub) != 32 {
		return false
	}
	A, err := new(edwards25519.Point).SetBytes(pub)
	if err != nil {
		return false
	}
	S, err := edwards25519.NewScalar().SetCanonicalBytes(sig[32:])
	if err != nil {
		return false
	}
	hk := sha512.New()
	hk.Write([]byte(ed25519Dom2))
	hk.Write([]byte{phflag, byte(len(ctx))})
	hk.Write(ctx)
	hk.Write(sig[:32])
	hk.Write(pub)
	hk.Write(m)
	k, _ := edwards25519.NewScalar().SetUniformBytes(hk.Sum(nil))
	// R' = [S]B - [k]A
	minusA := new(edwards25519.Point).Negate(A)
	R := new(edwards25519.Point).VarTimeDoubleScalarBaseMult(k, minusA, S)
	return subtle.ConstantTimeCompare(R.Bytes(), sig[:32]) == 1
}

// ed448Dom4 is the prefix of dom4 (RFC 8032 §5.2).
const ed448Dom4 = "SigEd448"

// ed448Hash returns SHAKE256(dom4(phflag, ctx) || parts..., 114) reduced
// modulo the group order.
func ed448Hash(phflag byte, ctx []byte, parts ...[]byte) *goldilocks.Scalar {
	x := sha3.NewSHAKE256()
	x.Write([]byte(ed448Dom4))
	x.Write([]byte{phflag, byte(len(ctx))})
	x.Write(ctx)
	for _, p := range parts {
		x.Write(p)
	}
	var out [114]byte
	x.Read(out[:])
	s := new(goldilocks.Scalar)
	s.FromBytes(out[:])
	return s
}

// ed448DomSign signs with dom4(phflag, ctx): Ed448 for phflag 0, Ed448ph
// for phflag 1 (m is then PH(M)), RFC 8032 §5.2.6.
func ed448DomSign(seed, pub, m []byte, phflag byte, ctx, dst []byte) []byte {
	var h [114]byte
	defer wipe(h[:])
	x := sha3.NewSHAKE256()
	x.Write(seed)
	x.Read(h[:])
	// The secret scalar: clear the two lowest bits and the last octet,
	// set the highest bit of the second-to-last octet.
	h[0] &= 0xfc
	h[56] = 0
	h[55] |= 0x80
	s := new(goldilocks.Scalar)
	s.FromBytes(h[:57])
	defer wipe(s[:])

	r := ed448Hash(phflag, ctx, h[57:], m)
	var R [57]byte
	if err := (goldilocks.Curve{}).ScalarBaseMult(r).ToBytes(R[:]); err != nil {
		panic("builtin: Ed448 point encoding: " + err.Error())
	}
	k := ed448Hash(phflag, ctx, R[:], pub, m)
	S := new(goldilocks.Scalar)
	S.Mul(k, s)
	S.Add(S, r)
	dst = append(dst, R[:]...)
	dst = append(dst, S[:]...)
	return append(dst, 0) // S is 57 bytes, little-endian, less than the order
}

// ed448DomVerify verifies with dom4(phflag, ctx) (RFC 8032 §5.2.7,
// comparing encodings as circl does).
func ed448DomVerify(pub, m []byte, phflag byte, ctx, sig []byte) bool {
	if len(sig) != 114 || len(pub) != 57 || !ed448CanonicalScalar(sig[57:]) {
		return false
	}
	A, err := goldilocks.FromBytes(pub)
	if err != nil {
		return false
	}
	k := ed448Hash(phflag, ctx, sig[:57], pub, m)
	S := new(goldilocks.Scalar)
	S.FromBytes(sig[57:])
	A.Neg()
	var R [57]byte
	if err := (goldilocks.Curve{}).CombinedMult(S, k, A).ToBytes(R[:]); err != nil {
		return false
	}
	return bytes.Equal(R[:], sig[:57])
}

// ed448CanonicalScalar reports whether the 57-byte little-endian s is less
// than the group order (RFC 8032 §5.2.7 step 1).
func ed448CanonicalScalar(s []byte) bool {
	if s[56] != 0 {
		return false
	}
	order := goldilocks.Curve{}.Order()
	for i := len(order) - 1; i >= 0; i-- {
		if s[i] != order[i] {
			return s[i] < order[i]
		}
	}
	return false // s = order
}
