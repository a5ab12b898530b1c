package builtin

import (
	"fmt"
	"io"

	"github.com/cloudflare/circl/sign/slhdsa"
	"github.com/cloudflare/circl/xof"

	"github.com/gopsa/psa/values"
)

// SLH-DSA (FIPS 205) through circl: pure SLH-DSA (PSA_ALG_SLH_DSA, hedged
// with the instance's random source, and PSA_ALG_DETERMINISTIC_SLH_DSA)
// and HashSLH-DSA with the pre-hashes of the specification's Table 17.
// circl computes the pre-hash itself, so HashSLH-DSA works with
// sign_message and verify_message; signing or verifying a hash computed
// elsewhere (sign_hash, verify_hash) is values.ErrNotSupported.

// slhdsaKey is an SLH-DSA key parsed from its key buffer.
type slhdsaKey struct {
	priv *slhdsa.PrivateKey // nil for a public key
	pub  *slhdsa.PublicKey
}

// parseSLHDSAKey parses the key buffer of an entry point once per key (see
// cache.go).
func parseSLHDSAKey(op string, attrs values.Attributes, key []byte) (*slhdsaKey, error) {
	return prepared(key, prepKind{what: prepSLHDSA, t: attrs.Type, bits: attrs.Bits}, func(key []byte) (*slhdsaKey, error) {
		return loadSLHDSAKey(op, attrs, key)
	})
}

func loadSLHDSAKey(op string, attrs values.Attributes, key []byte) (*slhdsaKey, error) {
	id, err := slhdsaID(op, attrs.Type, attrs.Bits)
	if err != nil {
		return nil, err
	}
	if attrs.Type.IsKeyPair() {
		priv := &slhdsa.PrivateKey{ID: id}
		if err := priv.UnmarshalBinary(key); err != nil {
			return nil, fmt.Errorf("%s: %d bytes is not an %v key pair: %w", op, len(key), id, values.ErrInvalidArgument)
		}
		pub := priv.PublicKey()
		return &slhdsaKey{priv: priv, pub: &pub}, nil
	}
	pub := &slhdsa.PublicKey{ID: id}
	if err := pub.UnmarshalBinary(key); err != nil {
		return nil, fmt.Errorf("%s: %d bytes is not an %v public key: %w", op, len(key), id, values.ErrInvalidArgument)
	}
	return &slhdsaKey{pub: pub}, nil
}

// slhdsaMessage wraps the message for circl: as is for pure SLH-DSA,
// pre-hashed with h for HashSLH-DSA.
func slhdsaMessage(op string, alg values.Algorithm, h *pkHash, msg []byte) (*slhdsa.Message, error) {
	if h == nil {
		return slhdsa.NewMessage(msg), nil
	}
	var ph *slhdsa.PreHash
	var err error
	switch {
	case h.alg == values.AlgSHAKE128_256:
		ph, err = slhdsa.NewPreHashWithXof(xof.SHAKE128)
	case h.alg == values.AlgSHAKE256_512:
		ph, err = slhdsa.NewPreHashWithXof(xof.SHAKE256)
	case h.ch != 0 && h.ch.Available():
		ph, err = slhdsa.NewPreHashWithHash(h.ch)
	default:
		err = slhdsa.ErrPreHash
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v: HashSLH-DSA with %v is not supported by the builtin driver: %w", op, alg, h.alg, values.ErrNotSupported)
	}
	ph.Write(msg)
	m, err := ph.BuildMessage()
	if err != nil {
		return nil, fmt.Errorf("%s: %v: %v: %w", op, alg, err, values.ErrCorruptionDetected)
	}
	return m, nil
}

// sign appends the signature of the message msg.
func (k *slhdsaKey) sign(rand io.Reader, alg values.Algorithm, h *pkHash, msg, ctx, dst []byte) ([]byte, error) {
	if len(ctx) > 255 {
		return nil, fmt.Errorf("sign: %v: a %d-byte context is too long (at most 255): %w", alg, len(ctx), values.ErrInvalidArgument)
	}
	m, err := slhdsaMessage("sign", alg, h, msg)
	if err != nil {
		return nil, err
	}
	var sig []byte
	if alg == values.AlgDeterministicSLHDSA || alg.IsDeterministicHashSLHDSA() {
		sig, err = slhdsa.SignDeterministic(k.priv, m, ctx)
	} else {
		sig, err = slhdsa.SignRandomized(k.priv, rand, m, ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("sign: %v: %v: %w", alg, err, values.ErrInsufficientEntropy)
	}
	return append(dst, sig...), nil
}

// verify checks sig on the message msg.
func (k *slhdsaKey) verify(alg values.Algorithm, h *pkHash, msg, ctx, sig []byte) error {
	if len(ctx) > 255 {
		return fmt.Errorf("verify: %v: a %d-byte context is too long (at most 255): %w", alg, len(ctx), values.ErrInvalidArgument)
	}
	m, err := slhdsaMessage("verify", alg, h, msg)
	if err != nil {
		return err
	}
	if !slhdsa.Verify(k.pub, m, sig, ctx) {
		return fmt.Errorf("verify: %v: the signature does not match: %w", alg, values.ErrInvalidSignature)
	}
	return nil
}
