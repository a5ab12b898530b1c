package builtin

import (
	"crypto/ecdh"
	"fmt"

	"filippo.io/bigmod"
	"github.com/cloudflare/circl/dh/x448"

	"github.com/gopsa/psa/values"
)

// Raw key agreement: ECDH (PSA_ALG_ECDH) and finite-field DH
// (PSA_ALG_FFDH).
//
// ECDH on secp256r1, secp384r1, secp521r1 and X25519 uses crypto/ecdh,
// X448 circl, and the other Weierstrass curves internal/weierstrass. The
// peer key is parsed as psa_import_key would parse a public key of the
// private key's type and size: on a Weierstrass curve an uncompressed
// point on the curve (the point at infinity has no such encoding); on a
// Montgomery curve any string of the right length, but a peer key of low
// order, whose shared secret would be all zeros (RFC 7748 §6), is
// refused. The shared secret is the x-coordinate, big-endian for
// Weierstrass curves and little-endian for Montgomery curves, of the
// size the specification gives.
//
// FFDH computes y^x mod p in constant time (filippo.io/bigmod) and
// returns it big-endian in the byte size of p. The peer value must be the
// size of p and lie in [2, p-2] (SP 800-56A §5.6.2.3.1).

// KeyAgreement is the "key_agreement" entry point: it appends the shared
// secret of the private key key and the peer's public key peer to dst.
// alg must be PSA_ALG_ECDH or PSA_ALG_FFDH (a combined key agreement and
// key derivation is the core's business); the key must be an ECC key pair
// on a Weierstrass or Montgomery curve for ECDH and a DH key pair for
// FFDH. An invalid peer key is values.ErrInvalidArgument. It is safe for
// concurrent use.
func (d *Driver) KeyAgreement(attrs values.Attributes, key []byte, alg values.Algorithm, peer, dst []byte) ([]byte, error) {
	const op = "key agreement"
	t := attrs.Type
	switch {
	case !alg.IsKeyAgreement():
		return nil, fmt.Errorf("%s: %v is not a key agreement algorithm: %w", op, alg, values.ErrInvalidArgument)
	case !alg.IsRawKeyAgreement():
		return nil, fmt.Errorf("%s: %v combines a key derivation; the key_agreement entry point computes the raw agreement (want PSA_ALG_ECDH or PSA_ALG_FFDH): %w", op, alg, values.ErrInvalidArgument)
	case alg == values.AlgECDH:
		if !t.IsECC() || !t.IsKeyPair() {
			return nil, fmt.Errorf("%s: %v needs an ECC key pair, not %v: %w", op, alg, t, values.ErrInvalidArgument)
		}
		c, err := findCurve(op, t, t.ECCFamily(), attrs.Bits)
		if err != nil {
			return nil, err
		}
		if c.kind == edwardsCurve {
			return nil, fmt.Errorf("%s: %v needs a Weierstrass or Montgomery curve, and %s is a twisted Edwards curve: %w", op, alg, c.name, values.ErrInvalidArgument)
		}
		return ecdhShared(op, c, key, peer, dst, true)
	case alg == values.AlgFFDH:
		if !t.IsDH() || !t.IsKeyPair() {
			return nil, fmt.Errorf("%s: %v needs a DH key pair, not %v: %w", op, alg, t, values.ErrInvalidArgument)
		}
		return ffdhShared(op, attrs, key, peer, dst)
	}
	return nil, fmt.Errorf("%s: %v is not supported by the builtin driver (want PSA_ALG_ECDH or PSA_ALG_FFDH): %w", op, alg, values.ErrNotSupported)
}

// ecdhShared appends the ECDH shared secret of private key priv and public
// key peer (in the export format of the curve's public keys) to dst.
// keyBuffer says that priv is the key buffer of an entry point, whose
// parsed form is then kept in the per-key cache (cache.go); an ephemeral
// key must not be, since nothing would ever forget it.
func ecdhShared(op string, c *eccCurve, priv, peer, dst []byte, keyBuffer bool) ([]byte, error) {
	if len(priv) != c.privSize {
		return nil, fmt.Errorf("%s: %d bytes is not a %s private key (want %d): %w", op, len(priv), c.name, c.privSize, values.ErrInvalidArgument)
	}
	if len(peer) != c.pubSize {
		what := "an uncompressed point, 0x04 || x || y"
		if c.kind == montgomeryCurve {
			what = "a u-coordinate, little-endian"
		}
		return nil, fmt.Errorf("%s: a %d-byte peer key is not a %s public key (want %s, %d bytes): %w", op, len(peer), c.name, what, c.pubSize, values.ErrInvalidArgument)
	}
	if c.kind == montgomeryCurve {
		return montgomeryShared(op, c, priv, peer, dst, keyBuffer)
	}
	if curve := stdECDHCurve(c); curve != nil {
		sk, err := ecdhPrivateKey(curve, c, priv, keyBuffer)
		if err != nil {
			return nil, fmt.Errorf("%s: not a valid %s private key: %w", op, c.name, values.ErrInvalidArgument)
		}
		pk, err := curve.NewPublicKey(peer)
		if err != nil {
			return nil, fmt.Errorf("%s: the peer key is not a valid %s public key (want an uncompressed point on the curve): %w", op, c.name, values.ErrInvalidArgument)
		}
		z, err := sk.ECDH(pk)
		if err != nil {
			return nil, fmt.Errorf("%s: %v: %w", op, err, values.ErrInvalidArgument)
		}
		out := append(dst, z...)
		wipe(z)
		return out, nil
	}
	out, err := c.arithmetic().ECDH(dst, priv, peer)
	if err != nil {
		return nil, fmt.Errorf("%s: the peer key is not a valid %s public key: %v: %w", op, c.name, err, values.ErrInvalidArgument)
	}
	return out, nil
}

// stdECDHCurve returns crypto/ecdh's implementation of a Weierstrass
// curve, nil if it has none (secp224r1 and the curves that crypto/elliptic
// lacks).
func stdECDHCurve(c *eccCurve) ecdh.Curve {
	if c.nist == nil {
		return nil
	}
	switch c.bits {
	case 256:
		return ecdh.P256()
	case 384:
		return ecdh.P384()
	case 521:
		return ecdh.P521()
	}
	return nil
}

// ecdhPrivateKey is curve.NewPrivateKey(priv), once per key buffer if
// keyBuffer is set: for the NIST curves it computes the public key, a
// scalar multiplication as costly as the agreement itself. An
// *ecdh.PrivateKey is safe for concurrent use.
func ecdhPrivateKey(curve ecdh.Curve, c *eccCurve, priv []byte, keyBuffer bool) (*ecdh.PrivateKey, error) {
	if !keyBuffer {
		return curve.NewPrivateKey(priv)
	}
	return prepared(priv, prepKind{what: prepECDH, t: values.KeyTypeECCKeyPair(c.family), bits: c.bits}, func(priv []byte) (*ecdh.PrivateKey, error) {
		return curve.NewPrivateKey(priv)
	})
}

func montgomeryShared(op string, c *eccCurve, priv, peer, dst []byte, keyBuffer bool) ([]byte, error) {
	if c.bits == 255 {
		sk, err := ecdhPrivateKey(ecdh.X25519(), c, priv, keyBuffer)
		if err != nil {
			return nil, fmt.Errorf("%s: not a valid X25519 private key: %w", op, values.ErrInvalidArgument)
		}
		pk, err := ecdh.X25519().NewPublicKey(peer)
		if err != nil {
			return nil, fmt.Errorf("%s: not a valid X25519 public key: %w", op, values.ErrInvalidArgument)
		}
		z, err := sk.ECDH(pk)
		if err != nil {
			// crypto/ecdh refuses the all-zero output of a low-order
			// point.
			return nil, fmt.Errorf("%s: the peer key is a point of low order (the X25519 output would be all zeros, RFC 7748 §6.1): %w", op, values.ErrInvalidArgument)
		}
		out := append(dst, z...)
		wipe(z)
		return out, nil
	}
	var sk, pk, z x448.Key
	copy(sk[:], priv)
	copy(pk[:], peer)
	ok := x448.Shared(&z, &sk, &pk)
	wipe(sk[:])
	if !ok {
		return nil, fmt.Errorf("%s: the peer key is a point of low order (the X448 output would be all zeros, RFC 7748 §6.2): %w", op, values.ErrInvalidArgument)
	}
	out := append(dst, z[:]...)
	wipe(z[:])
	return out, nil
}

// ffdhShared appends peer^key mod p, in the byte size of p, to dst.
func ffdhShared(op string, attrs values.Attributes, key, peer, dst []byte) ([]byte, error) {
	g, err := dhGroupForData(op, attrs, len(key))
	if err != nil {
		return nil, err
	}
	if len(peer) != g.size {
		return nil, fmt.Errorf("%s: a %d-byte peer key is not a %s public key (want %d bytes, big-endian, leading zeros included): %w", op, len(peer), g.name, g.size, values.ErrInvalidArgument)
	}
	if err := g.checkPublic(peer); err != nil {
		return nil, fmt.Errorf("%s: invalid peer key: %w", op, err)
	}
	y, err := bigmod.NewNat().SetBytes(peer, g.p)
	if err != nil {
		return nil, fmt.Errorf("%s: invalid peer key: %w", op, values.ErrInvalidArgument)
	}
	z := bigmod.NewNat().Exp(y, key, g.p)
	if z.IsOne() == 1 {
		// Only a peer value outside the prime-order subgroup can give 1
		// with a valid private key (SP 800-56A §5.7.1.1).
		return nil, fmt.Errorf("%s: the shared secret is 1: the peer key is not in the group: %w", op, values.ErrInvalidArgument)
	}
	b := z.Bytes(g.p)
	out := append(dst, b...)
	wipe(b)
	return out, nil
}
