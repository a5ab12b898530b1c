//go:build !gopsa_no_builtin_ecc

package builtin

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"fmt"
	"hash"
	"io"
	"math/big"
	"sync"

	"filippo.io/bigmod"
	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"

	"github.com/gopsa/psa/internal/weierstrass"
	"github.com/gopsa/psa/values"
)

// ECDSA (SEC 1 §4.1, FIPS 186-5 §6) on every Weierstrass curve of the
// builtin driver. Signatures are r || s, each the byte size of the curve
// order, as the specification's PSA_ALG_ECDSA says.
//
// On secp224r1, secp256r1, secp384r1 and secp521r1 crypto/ecdsa does the
// work: its randomized signatures are hedged (the nonce mixes the key, the
// hash and fresh randomness) and, since Go 1.26, it draws that randomness
// from the operating system's generator whatever reader it is given, so
// the instance's random source is not used there; its deterministic
// signatures are RFC 6979's. On the other curves (secp192r1, secp192k1,
// secp256k1, the brainpool curves), and for deterministic ECDSA with a hash
// that crypto/ecdsa does not know, the arithmetic is internal/weierstrass's
// and the nonce comes from rfc6979Nonce: RFC 6979 §3.2 for
// PSA_ALG_DETERMINISTIC_ECDSA, and RFC 6979 §3.6 with fresh randomness
// from the instance's source as additional data for PSA_ALG_ECDSA, which
// keeps randomized signatures safe even if that source fails.

// ecdsaKey is an ECDSA key parsed from its key buffer: every ECDSA
// operation parses the key here, and only here.
type ecdsaKey struct {
	c *eccCurve
	// The standard library's keys, for the curves it implements.
	nistPriv *ecdsa.PrivateKey
	nistPub  *ecdsa.PublicKey
	// The private scalar and the public point (uncompressed); pub is
	// computed from priv when a key pair verifies.
	priv, pub []byte
}

// parseECDSAKey parses the key buffer of an entry point once per key (see
// cache.go). The result depends on the type, size and bytes of the key
// only (alg is for messages), and is never modified.
func parseECDSAKey(op string, attrs values.Attributes, alg values.Algorithm, key []byte) (*ecdsaKey, error) {
	return prepared(key, prepKind{what: prepECDSA, t: attrs.Type, bits: attrs.Bits}, func(key []byte) (*ecdsaKey, error) {
		return loadECDSAKey(op, attrs, alg, key)
	})
}

func loadECDSAKey(op string, attrs values.Attributes, alg values.Algorithm, key []byte) (*ecdsaKey, error) {
	t := attrs.Type
	c, err := findCurve(op, t, t.ECCFamily(), attrs.Bits)
	if err != nil {
		return nil, err
	}
	if c.kind != weierstrassCurve {
		return nil, fmt.Errorf("%s: %v needs a key on a Weierstrass curve, and %v is a %s key: %w", op, alg, t, c.name, values.ErrInvalidArgument)
	}
	k := &ecdsaKey{c: c}
	if t.IsKeyPair() {
		if len(key) != c.privSize {
			return nil, fmt.Errorf("%s: %d bytes is not a %s private key (want %d): %w", op, len(key), c.name, c.privSize, values.ErrInvalidArgument)
		}
		if c.nist != nil {
			if k.nistPriv, err = ecdsa.ParseRawPrivateKey(c.nist, key); err != nil {
				return nil, fmt.Errorf("%s: not a valid %s private key: %w", op, c.name, values.ErrInvalidArgument)
			}
			k.nistPub = &k.nistPriv.PublicKey
		} else if err := c.checkScalar(key); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		k.priv = key
		return k, nil
	}
	if err := c.checkPublic(key); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if c.nist != nil {
		if k.nistPub, err = ecdsa.ParseUncompressedPublicKey(c.nist, key); err != nil {
			return nil, fmt.Errorf("%s: not a valid %s public key: %w", op, c.name, values.ErrInvalidArgument)
		}
	}
	k.pub = key
	return k, nil
}

// nistArithmetic is internal/weierstrass's implementation of the NIST
// curves, for deterministic signatures with a hash that crypto/ecdsa
// cannot use and for ECDH on secp224r1, which crypto/ecdh lacks.
var nistArithmetic = sync.OnceValue(func() map[string]*weierstrass.Curve {
	m := make(map[string]*weierstrass.Curve)
	for _, ec := range []elliptic.Curve{elliptic.P224(), elliptic.P256(), elliptic.P384(), elliptic.P521()} {
		p := ec.Params()
		a := new(big.Int).Sub(p.P, big.NewInt(3))
		c, err := weierstrass.New(p.Name, p.P.Bytes(), a.Bytes(), p.B.Bytes(), p.Gx.Bytes(), p.Gy.Bytes(), p.N.Bytes())
		if err != nil {
			panic("builtin: " + err.Error())
		}
		m[p.Name] = c
	}
	return m
})

// arithmetic returns internal/weierstrass's implementation of the curve.
func (c *eccCurve) arithmetic() *weierstrass.Curve {
	if c.generic != nil {
		return c.generic()
	}
	return nistArithmetic()[c.nist.Params().Name]
}

// ecdsaNonceHash is the HMAC hash of rfc6979Nonce for PSA_ALG_ECDSA_ANY,
// which names no hash: one at least as strong as the curve.
func ecdsaNonceHash(c *eccCurve) func() hash.Hash {
	if c.bits <= 256 {
		return sha256.New
	}
	return sha512.New
}

// sign appends the signature r || s of digest. h is the algorithm's hash
// (nil for PSA_ALG_ECDSA_ANY); rand is the instance's random source.
func (k *ecdsaKey) sign(rand io.Reader, alg values.Algorithm, h *pkHash, digest, dst []byte) ([]byte, error) {
	deterministic := alg.IsDeterministicECDSA()
	if k.nistPriv != nil {
		switch {
		case !deterministic:
			der, err := ecdsa.SignASN1(rand, k.nistPriv, digest)
			if err != nil {
				return nil, fmt.Errorf("sign: %v: %v: %w", alg, err, values.ErrCorruptionDetected)
			}
			return appendRawECDSA(dst, der, k.c.privSize)
		case h.ch != 0 && h.ch.Available():
			der, err := k.nistPriv.Sign(nil, digest, h.ch)
			if err != nil {
				return nil, fmt.Errorf("sign: %v: %v: %w", alg, err, values.ErrCorruptionDetected)
			}
			return appendRawECDSA(dst, der, k.c.privSize)
		}
	}
	var newHash func() hash.Hash
	var extra []byte
	if deterministic {
		if h.newHash == nil {
			return nil, fmt.Errorf("sign: %v: deterministic ECDSA needs HMAC with %v, which the builtin driver does not implement: %w", alg, h.alg, values.ErrNotSupported)
		}
		newHash = h.newHash
	} else {
		newHash = ecdsaNonceHash(k.c)
		if h != nil && h.newHash != nil {
			newHash = h.newHash
		}
		extra = make([]byte, k.c.privSize)
		if _, err := io.ReadFull(rand, extra); err != nil {
			return nil, fmt.Errorf("sign: %v: reading the random source: %v: %w", alg, err, values.ErrInsufficientEntropy)
		}
	}
	return ecdsaSignGeneric(k.c.arithmetic(), k.priv, digest, newHash, extra, dst)
}

// appendRawECDSA converts crypto/ecdsa's DER signature to r || s.
func appendRawECDSA(dst, der []byte, size int) ([]byte, error) {
	in := cryptobyte.String(der)
	var seq, r, s cryptobyte.String
	if !in.ReadASN1(&seq, asn1.SEQUENCE) || !seq.ReadASN1(&r, asn1.INTEGER) || !seq.ReadASN1(&s, asn1.INTEGER) {
		return nil, fmt.Errorf("sign: malformed signature from crypto/ecdsa: %w", values.ErrCorruptionDetected)
	}
	out := dst
	for _, v := range []cryptobyte.String{r, s} {
		for len(v) > 0 && v[0] == 0 {
			v = v[1:]
		}
		if len(v) > size {
			return nil, fmt.Errorf("sign: malformed signature from crypto/ecdsa: %w", values.ErrCorruptionDetected)
		}
		out = append(out, make([]byte, size-len(v))...)
		out = append(out, v...)
	}
	return out, nil
}

// verify checks the signature r || s of digest.
func (k *ecdsaKey) verify(alg values.Algorithm, digest, sig []byte) error {
	size := k.c.privSize
	if len(sig) != 2*size {
		return fmt.Errorf("verify: %v: a %d-byte signature is not an ECDSA signature on %s (want r || s, %d bytes): %w", alg, len(sig), k.c.name, 2*size, values.ErrInvalidSignature)
	}
	if k.nistPub != nil {
		r := new(big.Int).SetBytes(sig[:size])
		s := new(big.Int).SetBytes(sig[size:])
		if !ecdsa.Verify(k.nistPub, digest, r, s) {
			return fmt.Errorf("verify: %v: the signature does not match: %w", alg, values.ErrInvalidSignature)
		}
		return nil
	}
	ac := k.c.arithmetic()
	pub := k.pub
	if pub == nil {
		var err error
		if pub, err = ac.ScalarBaseMult(nil, k.priv); err != nil {
			return fmt.Errorf("verify: %v: %v: %w", alg, err, values.ErrInvalidArgument)
		}
	}
	if !ecdsaVerifyGeneric(ac, pub, digest, sig) {
		return fmt.Errorf("verify: %v: the signature does not match: %w", alg, values.ErrInvalidSignature)
	}
	return nil
}

// bits2int returns the leftmost qlen bits of b as an integer, in
// ⌈qlen/8⌉ big-endian bytes (RFC 6979 §2.3.2, SEC 1 §4.1.3 step 5).
func bits2int(b []byte, qlen int) []byte {
	rlen := (qlen + 7) / 8
	if len(b) > rlen {
		b = b[:rlen]
	}
	out := make([]byte, rlen)
	copy(out[rlen-len(b):], b)
	if excess := uint(8*len(b) - qlen); len(b) == rlen && excess > 0 {
		for i := rlen - 1; i >= 0; i-- {
			out[i] >>= excess
			if i > 0 {
				out[i] |= out[i-1] << (8 - excess)
			}
		}
	}
	return out
}

// hashToScalar returns bits2int(digest) mod n.
func hashToScalar(digest []byte, n *bigmod.Modulus) *bigmod.Nat {
	e, err := bigmod.NewNat().SetOverflowingBytes(bits2int(digest, n.BitLen()), n)
	if err != nil {
		panic("builtin: bits2int is longer than the order") // cannot happen
	}
	return e
}

// rfc6979Nonce generates the nonces of RFC 6979 §3.2 with HMAC over
// newHash, for private key x (the size of the order n) and hash h1;
// extra, if not empty, is the additional data k' of §3.6.
type rfc6979Nonce struct {
	newHash func() hash.Hash
	k, v    []byte
	qlen    int
}

func newRFC6979Nonce(newHash func() hash.Hash, n *bigmod.Modulus, x, h1, extra []byte) *rfc6979Nonce {
	g := &rfc6979Nonce{newHash: newHash, qlen: n.BitLen()}
	hlen := newHash().Size()
	g.v = make([]byte, hlen)
	for i := range g.v {
		g.v[i] = 1
	}
	g.k = make([]byte, hlen)
	// bits2octets(h1) = int2octets(bits2int(h1) mod q)
	h := hashToScalar(h1, n).Bytes(n)
	for _, b := range []byte{0, 1} {
		mac := hmac.New(newHash, g.k)
		mac.Write(g.v)
		mac.Write([]byte{b})
		mac.Write(x)
		mac.Write(h)
		mac.Write(extra)
		g.k = mac.Sum(g.k[:0])
		g.v = g.mac(g.v)
	}
	return g
}

func (g *rfc6979Nonce) mac(parts ...[]byte) []byte {
	m := hmac.New(g.newHash, g.k)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// next returns the next candidate k in [1, n-1] (step h of §3.2), as a
// big-endian byte string of n's size.
func (g *rfc6979Nonce) next(n *bigmod.Modulus) []byte {
	rlen := (g.qlen + 7) / 8
	for first := true; ; first = false {
		if !first {
			g.k = g.mac(g.v, []byte{0})
			g.v = g.mac(g.v)
		}
		var t []byte
		for len(t) < rlen {
			g.v = g.mac(g.v)
			t = append(t, g.v...)
		}
		k := bits2int(t, g.qlen)
		if nat, err := bigmod.NewNat().SetBytes(k, n); err == nil && nat.IsZero() == 0 {
			// The next call starts with a fresh candidate: step h.3,
			// which §3.4 also prescribes when r or s is zero.
			g.k = g.mac(g.v, []byte{0})
			g.v = g.mac(g.v)
			return k
		}
	}
}

// ecdsaSignGeneric signs with internal/weierstrass's arithmetic (SEC 1
// §4.1.3) and a nonce from rfc6979Nonce.
func ecdsaSignGeneric(c *weierstrass.Curve, d, digest []byte, newHash func() hash.Hash, extra, dst []byte) ([]byte, error) {
	n, err := bigmod.NewModulus(c.Order())
	if err != nil {
		return nil, fmt.Errorf("sign: %v: %w", err, values.ErrCorruptionDetected)
	}
	dn, err := bigmod.NewNat().SetBytes(d, n)
	if err != nil || dn.IsZero() == 1 {
		return nil, fmt.Errorf("sign: the private key is not in [1, n-1] for %s: %w", c.Name(), values.ErrInvalidArgument)
	}
	e := hashToScalar(digest, n)
	nMinus2 := new(big.Int).Sub(new(big.Int).SetBytes(c.Order()), big.NewInt(2)).Bytes()
	g := newRFC6979Nonce(newHash, n, d, digest, extra)
	nInt := new(big.Int).SetBytes(c.Order())
	for {
		kb := g.next(n)
		R, err := c.ScalarBaseMult(nil, kb)
		if err != nil {
			return nil, fmt.Errorf("sign: %v: %w", err, values.ErrCorruptionDetected)
		}
		// r = x(R) mod n is published: math/big is fine here.
		x := new(big.Int).SetBytes(R[1 : 1+c.FieldSize()])
		rb := x.Mod(x, nInt).FillBytes(make([]byte, n.Size()))
		r, _ := bigmod.NewNat().SetBytes(rb, n)
		if r.IsZero() == 1 {
			continue
		}
		// s = k⁻¹ (e + r d) mod n, with k⁻¹ = k^(n-2) in constant time.
		k, _ := bigmod.NewNat().SetBytes(kb, n)
		kinv := bigmod.NewNat().Exp(k, nMinus2, n)
		s := bigmod.NewNat().ExpandFor(n)
		copy(s.Bits(), r.Bits())
		s.Mul(dn, n)
		s.Add(e, n)
		s.Mul(kinv, n)
		wipe(kb)
		if s.IsZero() == 1 {
			continue
		}
		out := append(dst, rb...)
		return append(out, s.Bytes(n)...), nil
	}
}

// ecdsaVerifyGeneric verifies r || s (SEC 1 §4.1.4) with
// internal/weierstrass's arithmetic.
func ecdsaVerifyGeneric(c *weierstrass.Curve, pub, digest, sig []byte) bool {
	n, err := bigmod.NewModulus(c.Order())
	if err != nil {
		return false
	}
	size := n.Size()
	r, err1 := bigmod.NewNat().SetBytes(sig[:size], n)
	s, err2 := bigmod.NewNat().SetBytes(sig[size:], n)
	if err1 != nil || err2 != nil || r.IsZero() == 1 || s.IsZero() == 1 {
		return false
	}
	e := hashToScalar(digest, n)
	w, ok := bigmod.NewNat().InverseVarTime(s, n)
	if !ok {
		return false
	}
	u1 := bigmod.NewNat().ExpandFor(n)
	copy(u1.Bits(), e.Bits())
	u1.Mul(w, n)
	u2 := bigmod.NewNat().ExpandFor(n)
	copy(u2.Bits(), r.Bits())
	u2.Mul(w, n)
	x, err := c.LinearCombinationX(nil, u1.Bytes(n), u2.Bytes(n), pub)
	if err != nil {
		return false
	}
	v := new(big.Int).SetBytes(x)
	v.Mod(v, new(big.Int).SetBytes(c.Order()))
	return subtle.ConstantTimeCompare(v.FillBytes(make([]byte, size)), sig[:size]) == 1
}
