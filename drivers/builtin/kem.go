package builtin

import (
	"crypto/mlkem"
	"fmt"
	"io"

	"github.com/cloudflare/circl/kem/mlkem/mlkem512"

	"github.com/gopsa/psa/values"
)

// Key encapsulation (PSA Crypto API 1.5 §10.12):
//
//   - PSA_ALG_ML_KEM (FIPS 203): ML-KEM-768 and ML-KEM-1024 with
//     crypto/mlkem, ML-KEM-512 with circl (crypto/mlkem lacks it). The
//     shared secret is 32 bytes. crypto/mlkem draws the encapsulation
//     randomness from the operating system's generator; circl's from the
//     instance's random source.
//   - PSA_ALG_ECIES_SEC1 (SEC 1 §5.1.3 steps 1 to 4 and §5.1.4 steps 2 to
//     5): an ephemeral key pair on the curve of the key, generated from the
//     instance's random source; the ciphertext is the ephemeral public key
//     in the export format of the curve, and the shared secret is the ECDH
//     shared secret Z. It is not authenticated: the application derives
//     keys from Z and authenticates its message.

// Encapsulate is the "encapsulate" entry point: it appends a new
// encapsulation (ciphertext) for the public key (or key pair) key to dst
// and returns it with the shared secret. It is safe for concurrent use.
func (d *Driver) Encapsulate(attrs values.Attributes, key []byte, alg values.Algorithm, dst []byte) (ciphertext, secret []byte, err error) {
	const op = "encapsulate"
	t := attrs.Type
	switch {
	case alg == values.AlgMLKEM:
		if !t.IsMLKEM() {
			return nil, nil, fmt.Errorf("%s: %v needs an ML-KEM key, not %v: %w", op, alg, t, values.ErrInvalidArgument)
		}
		ek, err := mlkemEncapsulationKey(op, attrs, key)
		if err != nil {
			return nil, nil, err
		}
		return ek.encapsulate(d.random(), dst)
	case alg == values.AlgECIESSEC1:
		c, err := eciesCurve(op, attrs, alg)
		if err != nil {
			return nil, nil, err
		}
		peer := key
		if t.IsKeyPair() {
			if peer, err = c.publicKey(key, nil); err != nil {
				return nil, nil, fmt.Errorf("%s: %w", op, err)
			}
		}
		eph, err := produceECC(op, values.Attributes{Type: values.KeyTypeECCKeyPair(c.family), Bits: c.bits}, d.random(), nil)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: ephemeral key: %v: %w", op, err, values.ErrInsufficientEntropy)
		}
		defer wipe(eph)
		z, err := ecdhShared(op, c, eph, peer, nil, false)
		if err != nil {
			return nil, nil, err
		}
		ct, err := c.publicKey(eph, dst)
		if err != nil {
			wipe(z)
			return nil, nil, fmt.Errorf("%s: %w", op, err)
		}
		return ct, z, nil
	case alg.IsKeyEncapsulation():
		return nil, nil, fmt.Errorf("%s: %v is not supported by the builtin driver (want PSA_ALG_ML_KEM or PSA_ALG_ECIES_SEC1): %w", op, alg, values.ErrNotSupported)
	}
	return nil, nil, fmt.Errorf("%s: %v is not a key encapsulation algorithm: %w", op, alg, values.ErrInvalidArgument)
}

// Decapsulate is the "decapsulate" entry point: it appends the shared
// secret that ciphertext encapsulates for the key pair key to dst. A
// ciphertext of the wrong length (or, for ECIES, that is not a valid
// public key of the curve) is values.ErrInvalidArgument; any other
// ML-KEM ciphertext decapsulates, to a pseudorandom secret if it was
// tampered with (FIPS 203 implicit rejection). It is safe for concurrent
// use.
func (d *Driver) Decapsulate(attrs values.Attributes, key []byte, alg values.Algorithm, ciphertext, dst []byte) ([]byte, error) {
	const op = "decapsulate"
	t := attrs.Type
	switch {
	case alg == values.AlgMLKEM:
		if !t.IsMLKEM() || !t.IsKeyPair() {
			return nil, fmt.Errorf("%s: %v needs an ML-KEM key pair, not %v: %w", op, alg, t, values.ErrInvalidArgument)
		}
		return mlkemDecapsulate(op, attrs, key, ciphertext, dst)
	case alg == values.AlgECIESSEC1:
		if !t.IsKeyPair() {
			return nil, fmt.Errorf("%s: %v needs an ECC key pair, not %v: %w", op, alg, t, values.ErrInvalidArgument)
		}
		c, err := eciesCurve(op, attrs, alg)
		if err != nil {
			return nil, err
		}
		return ecdhShared(op, c, key, ciphertext, dst, true)
	case alg.IsKeyEncapsulation():
		return nil, fmt.Errorf("%s: %v is not supported by the builtin driver (want PSA_ALG_ML_KEM or PSA_ALG_ECIES_SEC1): %w", op, alg, values.ErrNotSupported)
	}
	return nil, fmt.Errorf("%s: %v is not a key encapsulation algorithm: %w", op, alg, values.ErrInvalidArgument)
}

func eciesCurve(op string, attrs values.Attributes, alg values.Algorithm) (*eccCurve, error) {
	t := attrs.Type
	if !t.IsECC() {
		return nil, fmt.Errorf("%s: %v needs an ECC key, not %v: %w", op, alg, t, values.ErrInvalidArgument)
	}
	c, err := findCurve(op, t, t.ECCFamily(), attrs.Bits)
	if err != nil {
		return nil, err
	}
	if c.kind == edwardsCurve {
		return nil, fmt.Errorf("%s: %v needs a Weierstrass or Montgomery curve, and %s is a twisted Edwards curve: %w", op, alg, c.name, values.ErrInvalidArgument)
	}
	return c, nil
}

// mlkemKey is an ML-KEM encapsulation key parsed from a key buffer (the
// public key, or the seed of a key pair): one of the three is set.
type mlkemKey struct {
	k512  *mlkem512.PublicKey
	k768  *mlkem.EncapsulationKey768
	k1024 *mlkem.EncapsulationKey1024
}

// mlkemEncapsulationKey parses the key buffer of an entry point once per
// key (see cache.go): for a key pair, that expands the seed.
func mlkemEncapsulationKey(op string, attrs values.Attributes, key []byte) (*mlkemKey, error) {
	return prepared(key, prepKind{what: prepMLKEMEncaps, t: attrs.Type, bits: attrs.Bits}, func(key []byte) (*mlkemKey, error) {
		return loadMLKEMEncapsulationKey(op, attrs, key)
	})
}

func loadMLKEMEncapsulationKey(op string, attrs values.Attributes, key []byte) (*mlkemKey, error) {
	pair := attrs.Type.IsKeyPair()
	want := mlkemPublicSize(attrs.Bits)
	if pair {
		want = mlkemSeedSize
	}
	if want == 0 {
		return nil, fmt.Errorf("%s: %d bits is not an ML-KEM parameter set (want 512, 768 or 1024): %w", op, attrs.Bits, values.ErrInvalidArgument)
	}
	if len(key) != want {
		return nil, fmt.Errorf("%s: %d bytes is not an ML-KEM-%d %s (want %d): %w", op, len(key), attrs.Bits, map[bool]string{true: "seed", false: "encapsulation key"}[pair], want, values.ErrInvalidArgument)
	}
	var k mlkemKey
	var err error
	switch attrs.Bits {
	case 512:
		if pair {
			k.k512, _ = mlkem512.NewKeyFromSeed(key)
		} else {
			k.k512 = new(mlkem512.PublicKey)
			err = k.k512.Unpack(key)
		}
	case 768:
		if pair {
			var dk *mlkem.DecapsulationKey768
			if dk, err = mlkem.NewDecapsulationKey768(key); err == nil {
				k.k768 = dk.EncapsulationKey()
			}
		} else {
			k.k768, err = mlkem.NewEncapsulationKey768(key)
		}
	case 1024:
		if pair {
			var dk *mlkem.DecapsulationKey1024
			if dk, err = mlkem.NewDecapsulationKey1024(key); err == nil {
				k.k1024 = dk.EncapsulationKey()
			}
		} else {
			k.k1024, err = mlkem.NewEncapsulationKey1024(key)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: not a valid ML-KEM-%d key: %v: %w", op, attrs.Bits, err, values.ErrInvalidArgument)
	}
	return &k, nil
}

// mlkemDecapsKey is an ML-KEM decapsulation key expanded from its seed:
// one of the three is set.
type mlkemDecapsKey struct {
	k512  *mlkem512.PrivateKey
	k768  *mlkem.DecapsulationKey768
	k1024 *mlkem.DecapsulationKey1024
}

func (k *mlkemKey) encapsulate(rand io.Reader, dst []byte) (ciphertext, secret []byte, err error) {
	switch {
	case k.k512 != nil:
		var seed [mlkem512.EncapsulationSeedSize]byte
		if _, err := io.ReadFull(rand, seed[:]); err != nil {
			return nil, nil, fmt.Errorf("encapsulate: reading the random source: %v: %w", err, values.ErrInsufficientEntropy)
		}
		ct := append(dst, make([]byte, mlkem512.CiphertextSize)...)
		ss := make([]byte, mlkem512.SharedKeySize)
		k.k512.EncapsulateTo(ct[len(dst):], ss, seed[:])
		wipe(seed[:])
		return ct, ss, nil
	case k.k768 != nil:
		ss, ct := k.k768.Encapsulate()
		return append(dst, ct...), ss, nil
	default:
		ss, ct := k.k1024.Encapsulate()
		return append(dst, ct...), ss, nil
	}
}

func mlkemDecapsulate(op string, attrs values.Attributes, seed, ct, dst []byte) ([]byte, error) {
	if len(seed) != mlkemSeedSize {
		return nil, fmt.Errorf("%s: %d bytes is not an ML-KEM seed (want %d): %w", op, len(seed), mlkemSeedSize, values.ErrInvalidArgument)
	}
	ctSize := map[int]int{512: mlkem512.CiphertextSize, 768: mlkem.CiphertextSize768, 1024: mlkem.CiphertextSize1024}[attrs.Bits]
	if ctSize == 0 {
		return nil, fmt.Errorf("%s: %d bits is not an ML-KEM parameter set (want 512, 768 or 1024): %w", op, attrs.Bits, values.ErrInvalidArgument)
	}
	if len(ct) != ctSize {
		return nil, fmt.Errorf("%s: a %d-byte ciphertext is not an ML-KEM-%d ciphertext (want %d bytes): %w", op, len(ct), attrs.Bits, ctSize, values.ErrInvalidArgument)
	}
	// The seed is expanded once per key buffer (see cache.go).
	dk, err := prepared(seed, prepKind{what: prepMLKEMDecaps, t: attrs.Type, bits: attrs.Bits}, func(seed []byte) (*mlkemDecapsKey, error) {
		var k mlkemDecapsKey
		var err error
		switch attrs.Bits {
		case 512:
			_, k.k512 = mlkem512.NewKeyFromSeed(seed)
		case 768:
			k.k768, err = mlkem.NewDecapsulationKey768(seed)
		case 1024:
			k.k1024, err = mlkem.NewDecapsulationKey1024(seed)
		}
		return &k, err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %v: %w", op, err, values.ErrInvalidArgument)
	}
	var ss []byte
	switch {
	case dk.k512 != nil:
		out := append(dst, make([]byte, mlkem512.SharedKeySize)...)
		dk.k512.DecapsulateTo(out[len(dst):], ct)
		return out, nil
	case dk.k768 != nil:
		ss, err = dk.k768.Decapsulate(ct)
	default:
		ss, err = dk.k1024.Decapsulate(ct)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v: %w", op, err, values.ErrInvalidArgument)
	}
	out := append(dst, ss...)
	wipe(ss)
	return out, nil
}
