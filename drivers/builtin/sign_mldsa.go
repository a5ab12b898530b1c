package builtin

import (
	"fmt"

	"filippo.io/mldsa"
	"filippo.io/mldsa/mldsacrypto"

	"github.com/gopsa/psa/internal/mldsaverify"
	"github.com/gopsa/psa/values"
)

var mldsaVerifyParams = map[string]*mldsaverify.Params{
	"ML-DSA-44": mldsaverify.MLDSA44,
	"ML-DSA-65": mldsaverify.MLDSA65,
	"ML-DSA-87": mldsaverify.MLDSA87,
}

// ML-DSA (FIPS 204) through filippo.io/mldsa, the standalone form of the
// standard library's crypto/mldsa (Go 1.27): pure ML-DSA (PSA_ALG_ML_DSA,
// hedged, and PSA_ALG_DETERMINISTIC_ML_DSA) signs and verifies messages
// with a context; HashML-DSA (FIPS 204 Algorithm 4, PSA_ALG_HASH_ML_DSA and
// its deterministic variant) signs through the package's external μ
// interface, with μ = SHAKE256(tr || 1 || |ctx| || ctx || OID || PH(M), 64)
// computed here, and verifies with internal/mldsaverify's μ-verification
// (filippo.io/mldsa only verifies pure ML-DSA). The hedged variants draw
// their randomness from the operating system's generator, as crypto/mldsa
// does, not from the instance's source.
//
// The pre-hash must be one of the specification's Table 18: SHA-256,
// SHA-384, SHA-512, SHA-512/256, SHA3-256, SHA3-384, SHA3-512,
// SHAKE128/256 and SHAKE256/512 (SM3 is in the table but Go has no SM3,
// so HashML-DSA with SM3 is values.ErrNotSupported).

// mldsaKey is an ML-DSA key parsed from its key buffer.
type mldsaKey struct {
	priv *mldsa.PrivateKey // nil for a public key
	pub  *mldsa.PublicKey
}

func mldsaParams(bits int) (mldsa.Parameters, bool) {
	switch bits {
	case 128:
		return mldsa.MLDSA44(), true
	case 192:
		return mldsa.MLDSA65(), true
	case 256:
		return mldsa.MLDSA87(), true
	}
	return mldsa.Parameters{}, false
}

// parseMLDSAKey expands the key buffer of an entry point once per key (see
// cache.go): expanding an ML-DSA seed costs more than a signature.
func parseMLDSAKey(op string, attrs values.Attributes, key []byte) (*mldsaKey, error) {
	return prepared(key, prepKind{what: prepMLDSA, t: attrs.Type, bits: attrs.Bits}, func(key []byte) (*mldsaKey, error) {
		return loadMLDSAKey(op, attrs, key)
	})
}

func loadMLDSAKey(op string, attrs values.Attributes, key []byte) (*mldsaKey, error) {
	params, ok := mldsaParams(attrs.Bits)
	if !ok {
		return nil, fmt.Errorf("%s: %d bits is not an ML-DSA parameter set (want 128, 192 or 256): %w", op, attrs.Bits, values.ErrInvalidArgument)
	}
	if attrs.Type.IsKeyPair() {
		priv, err := mldsa.NewPrivateKey(params, key)
		if err != nil {
			return nil, fmt.Errorf("%s: %d bytes is not an %v seed (want %d): %w", op, len(key), params, mldsa.PrivateKeySize, values.ErrInvalidArgument)
		}
		return &mldsaKey{priv: priv, pub: priv.PublicKey()}, nil
	}
	pub, err := mldsa.NewPublicKey(params, key)
	if err != nil {
		return nil, fmt.Errorf("%s: not a valid %v public key (want %d bytes): %w", op, params, params.PublicKeySize(), values.ErrInvalidArgument)
	}
	return &mldsaKey{pub: pub}, nil
}

// hashPrefix returns 1 || |ctx| || ctx || DER(OID) of HashML-DSA's
// M' (FIPS 204 Algorithm 4 step 23); PH(M) follows.
func hashPrefix(ctx []byte, h *pkHash) []byte {
	p := make([]byte, 0, 2+len(ctx)+2+len(h.oid))
	p = append(p, 1, byte(len(ctx)))
	p = append(p, ctx...)
	p = append(p, 0x06, byte(len(h.oid)))
	return append(p, h.oid...)
}

// checkPreHash checks that h may pre-hash HashML-DSA and HashSLH-DSA.
func checkPreHash(op string, alg values.Algorithm, h *pkHash) error {
	if !h.preHashOK {
		return fmt.Errorf("%s: %v: %v is not a pre-hash of the specification's tables 17 and 18 (SHA-256, SHA-384, SHA-512, SHA-512/256, SHA3-256, SHA3-384, SHA3-512, SHAKE128/256, SHAKE256/512, SM3): %w", op, alg, h.alg, values.ErrNotSupported)
	}
	return nil
}

// sign appends the signature of in: the message for pure ML-DSA, PH(M)
// for HashML-DSA (h is then the pre-hash).
func (k *mldsaKey) sign(alg values.Algorithm, h *pkHash, in, ctx, dst []byte) ([]byte, error) {
	if len(ctx) > 255 {
		return nil, fmt.Errorf("sign: %v: a %d-byte context is too long (at most 255): %w", alg, len(ctx), values.ErrInvalidArgument)
	}
	deterministic := alg == values.AlgDeterministicMLDSA || alg.IsDeterministicHashMLDSA()
	var sig []byte
	var err error
	if h == nil {
		opts := &mldsa.Options{Context: string(ctx)}
		if deterministic {
			sig, err = k.priv.SignDeterministic(in, opts)
		} else {
			sig, err = k.priv.Sign(nil, in, opts)
		}
	} else {
		mu := mldsaverify.Mu(k.pub.Bytes(), hashPrefix(ctx, h), in)
		if deterministic {
			sig, err = k.priv.SignDeterministic(mu, mldsacrypto.MLDSAMu)
		} else {
			sig, err = k.priv.Sign(nil, mu, mldsacrypto.MLDSAMu)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("sign: %v: %v: %w", alg, err, values.ErrCorruptionDetected)
	}
	return append(dst, sig...), nil
}

// verify checks sig on in (the message, or PH(M) for HashML-DSA).
func (k *mldsaKey) verify(alg values.Algorithm, h *pkHash, in, ctx, sig []byte) error {
	if len(ctx) > 255 {
		return fmt.Errorf("verify: %v: a %d-byte context is too long (at most 255): %w", alg, len(ctx), values.ErrInvalidArgument)
	}
	if want := k.pub.Parameters().SignatureSize(); len(sig) != want {
		return fmt.Errorf("verify: %v: a %d-byte signature is not an %v signature (want %d bytes): %w", alg, len(sig), k.pub.Parameters(), want, values.ErrInvalidSignature)
	}
	var err error
	if h == nil {
		err = mldsa.Verify(k.pub, in, sig, &mldsa.Options{Context: string(ctx)})
	} else {
		pub := k.pub.Bytes()
		err = mldsaverify.Verify(mldsaVerifyParams[k.pub.Parameters().String()], pub, mldsaverify.Mu(pub, hashPrefix(ctx, h), in), sig)
	}
	if err != nil {
		return fmt.Errorf("verify: %v: the signature does not match: %w", alg, values.ErrInvalidSignature)
	}
	return nil
}
