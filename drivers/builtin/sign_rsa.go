package builtin

import (
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/big"

	"github.com/gopsa/psa/values"
)

// RSA signatures (RFC 8017 §8) through crypto/rsa.
//
// PKCS#1 v1.5 is computed in crypto/rsa's raw mode on a DigestInfo that
// the driver encodes itself with the OIDs of the specification's Table 15,
// so it works with every hash that gopsa computes (RIPEMD-160 included,
// which crypto/rsa lacks). PSS needs a hash that crypto/rsa knows (SHA-1,
// SHA-2, SHA-3, MD5), and uses the salt length of the specification: the
// hash length, or the largest that the key allows if that is smaller.
//
// crypto/rsa refuses keys under 1024 bits, which the specification and
// gopsa's import accept: operations with such keys are
// values.ErrNotSupported. Randomness (PSS salts, PKCS#1 v1.5 and OAEP
// padding, blinding) comes from the operating system's generator: since
// Go 1.26 crypto/rsa ignores the reader it is given.

// rsaMinOperationBits is the smallest key crypto/rsa operates with.
const rsaMinOperationBits = 1024

// rsaKey is an RSA key parsed from its key buffer: every RSA operation
// parses the key here, and only here.
type rsaKey struct {
	priv *rsa.PrivateKey // nil for a public key
	pub  *rsa.PublicKey
}

// parseRSAKey parses the key buffer of an entry point once per key (see
// cache.go): crypto/x509 validates the key and precomputes the CRT values,
// after which an *rsa.PrivateKey is safe for concurrent use. The result
// depends on the type and bytes of the key only (alg is for messages).
func parseRSAKey(op string, attrs values.Attributes, alg values.Algorithm, key []byte) (*rsaKey, error) {
	return prepared(key, prepKind{what: prepRSA, t: attrs.Type}, func(key []byte) (*rsaKey, error) {
		return loadRSAKey(op, attrs, alg, key)
	})
}

func loadRSAKey(op string, attrs values.Attributes, alg values.Algorithm, key []byte) (*rsaKey, error) {
	if attrs.Type.IsKeyPair() {
		priv, err := x509.ParsePKCS1PrivateKey(key)
		if err != nil {
			return nil, rsaParseError(op, alg, key, true, err)
		}
		return &rsaKey{priv: priv, pub: &priv.PublicKey}, nil
	}
	n, e, err := parseRSAPublicKey(key)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := checkRSAExponent(e); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	if pub.N.BitLen() < rsaMinOperationBits {
		return nil, rsaTooSmall(op, alg, pub.N.BitLen())
	}
	return &rsaKey{pub: pub}, nil
}

func rsaTooSmall(op string, alg values.Algorithm, bits int) error {
	return fmt.Errorf("%s: %v with a %d-bit key: crypto/rsa does not operate with keys under %d bits, which the builtin driver uses: %w", op, alg, bits, rsaMinOperationBits, values.ErrNotSupported)
}

// rsaParseError explains why crypto/x509 refused a key buffer that import
// accepted: most likely a key under crypto/rsa's minimum size.
func rsaParseError(op string, alg values.Algorithm, key []byte, pair bool, err error) error {
	if k, perr := parseRSAPrivateKey(key); pair && perr == nil && k.n.BitLen() < rsaMinOperationBits {
		return rsaTooSmall(op, alg, k.n.BitLen())
	}
	return fmt.Errorf("%s: not a valid RSA key pair (%v): %w", op, err, values.ErrInvalidArgument)
}

// modulusSize is k of RFC 8017: the modulus length in bytes.
func (k *rsaKey) modulusSize() int { return (k.pub.N.BitLen() + 7) / 8 }

// pssSaltLength is the salt length of PSA_ALG_RSA_PSS for hash length
// hLen: hLen, or the largest the key allows (emLen - hLen - 2, RFC 8017
// §9.1.1 step 3) if that is smaller.
func (k *rsaKey) pssSaltLength(op string, alg values.Algorithm, hLen int) (int, error) {
	emLen := (k.pub.N.BitLen() - 1 + 7) / 8
	salt := min(hLen, emLen-hLen-2)
	if salt <= 0 {
		// crypto/rsa reads a salt length of 0 as "automatic": the
		// keys where the largest salt is empty are far under its
		// minimum size anyway.
		return 0, fmt.Errorf("%s: %v: a %d-bit key is too small for a %d-byte hash: %w", op, alg, k.pub.N.BitLen(), hLen, values.ErrInvalidArgument)
	}
	return salt, nil
}

// sign appends the signature of the hash (or, for
// PSA_ALG_RSA_PKCS1V15_SIGN_RAW, of the encoded hash T) in.
func (k *rsaKey) sign(rand io.Reader, alg values.Algorithm, h *pkHash, in, dst []byte) ([]byte, error) {
	if k.pub.N.BitLen() < rsaMinOperationBits {
		return nil, rsaTooSmall("sign", alg, k.pub.N.BitLen())
	}
	var sig []byte
	var err error
	switch {
	case alg.IsRSAPSS():
		if h.ch == 0 || !h.ch.Available() {
			return nil, fmt.Errorf("sign: %v: crypto/rsa does not implement PSS with %v: %w", alg, h.alg, values.ErrNotSupported)
		}
		salt, serr := k.pssSaltLength("sign", alg, h.size)
		if serr != nil {
			return nil, serr
		}
		sig, err = rsa.SignPSS(rand, k.priv, h.ch, in, &rsa.PSSOptions{SaltLength: salt})
	default:
		t := in
		if h != nil {
			t = h.digestInfo(make([]byte, 0, 19+len(in)), in)
		}
		if len(t) > k.modulusSize()-11 {
			return nil, fmt.Errorf("sign: %v: %d bytes to sign is too long for a %d-bit key (at most %d with PKCS#1 v1.5 padding): %w", alg, len(t), k.pub.N.BitLen(), k.modulusSize()-11, values.ErrInvalidArgument)
		}
		sig, err = rsa.SignPKCS1v15(rand, k.priv, 0, t)
	}
	if err != nil {
		return nil, fmt.Errorf("sign: %v: %v: %w", alg, err, values.ErrCorruptionDetected)
	}
	return append(dst, sig...), nil
}

// verify checks sig on the hash (or encoded hash) in.
func (k *rsaKey) verify(alg values.Algorithm, h *pkHash, in, sig []byte) error {
	if k.pub.N.BitLen() < rsaMinOperationBits {
		return rsaTooSmall("verify", alg, k.pub.N.BitLen())
	}
	if len(sig) != k.modulusSize() {
		return fmt.Errorf("verify: %v: a %d-byte signature is not a %d-bit RSA signature (want %d bytes): %w", alg, len(sig), k.pub.N.BitLen(), k.modulusSize(), values.ErrInvalidSignature)
	}
	var err error
	switch {
	case alg.IsRSAPSS():
		if h.ch == 0 || !h.ch.Available() {
			return fmt.Errorf("verify: %v: crypto/rsa does not implement PSS with %v: %w", alg, h.alg, values.ErrNotSupported)
		}
		opts := &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}
		if alg.IsRSAPSSStandardSalt() {
			salt, serr := k.pssSaltLength("verify", alg, h.size)
			if serr != nil {
				return serr
			}
			opts.SaltLength = salt
		}
		err = rsa.VerifyPSS(k.pub, h.ch, in, sig, opts)
	default:
		t := in
		if h != nil {
			t = h.digestInfo(make([]byte, 0, 19+len(in)), in)
		}
		err = rsa.VerifyPKCS1v15(k.pub, 0, t, sig)
	}
	if err != nil {
		if errors.Is(err, rsa.ErrVerification) {
			return fmt.Errorf("verify: %v: the signature does not match: %w", alg, values.ErrInvalidSignature)
		}
		return fmt.Errorf("verify: %v: %v: %w", alg, err, values.ErrInvalidSignature)
	}
	return nil
}
