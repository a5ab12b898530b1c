package builtin

import (
	"crypto/rsa"
	"fmt"

	"github.com/gopsa/psa/values"
)

// Asymmetric encryption: RSAES-PKCS1-v1_5 and RSAES-OAEP (RFC 8017 §7)
// through crypto/rsa, with the limits described at sign_rsa.go. OAEP uses
// the algorithm's hash for the label and for MGF1; its label is the salt
// argument. PKCS#1 v1.5 takes no salt; Go 1.26 deprecates it (its
// decryption errors are a padding oracle), and the builtin driver keeps it
// because the PSA API defines it: prefer OAEP.

// AsymmetricEncrypt is the "asymmetric_encrypt" entry point: it appends
// the encryption of input under the RSA public key (or key pair) key to
// dst. salt is the OAEP label. Errors: values.ErrInvalidArgument for an
// algorithm that is not asymmetric encryption or does not suit the key,
// for a salt with PKCS#1 v1.5 and for an input longer than the key allows;
// values.ErrNotSupported for a hash or key size that the driver does not
// implement. It is safe for concurrent use.
func (d *Driver) AsymmetricEncrypt(attrs values.Attributes, key []byte, alg values.Algorithm, input, salt, dst []byte) ([]byte, error) {
	const op = "asymmetric encrypt"
	k, h, err := asymSetup(op, attrs, key, alg, salt)
	if err != nil {
		return nil, err
	}
	limit := k.modulusSize() - 11
	if h != nil {
		limit = k.modulusSize() - 2*h.size - 2
	}
	if len(input) > limit {
		return nil, fmt.Errorf("%s: %v: %d bytes is too long for a %d-bit key (at most %d): %w", op, alg, len(input), k.pub.N.BitLen(), max(limit, 0), values.ErrInvalidArgument)
	}
	var out []byte
	if h != nil {
		out, err = rsa.EncryptOAEP(h.newHash(), d.random(), k.pub, input, salt)
	} else {
		//lint:ignore SA1019 PSA_ALG_RSA_PKCS1V15_CRYPT is part of the PSA API; applications choose it.
		out, err = rsa.EncryptPKCS1v15(d.random(), k.pub, input)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v: %v: %w", op, alg, err, values.ErrInvalidArgument)
	}
	return append(dst, out...), nil
}

// AsymmetricDecrypt is the "asymmetric_decrypt" entry point: it appends
// the decryption of input with the RSA key pair key to dst. salt is the
// OAEP label. A ciphertext whose padding (or OAEP label) is wrong is
// values.ErrInvalidPadding, with no detail of what was wrong: telling
// would make the decryption an oracle. A ciphertext whose length is not
// the modulus size is values.ErrInvalidArgument. It is safe for concurrent
// use.
func (d *Driver) AsymmetricDecrypt(attrs values.Attributes, key []byte, alg values.Algorithm, input, salt, dst []byte) ([]byte, error) {
	const op = "asymmetric decrypt"
	if !attrs.Type.IsKeyPair() && attrs.Type.IsRSA() {
		return nil, fmt.Errorf("%s: %v needs the private key, and this is an %v: %w", op, alg, attrs.Type, values.ErrInvalidArgument)
	}
	k, h, err := asymSetup(op, attrs, key, alg, salt)
	if err != nil {
		return nil, err
	}
	if len(input) != k.modulusSize() {
		return nil, fmt.Errorf("%s: %v: a %d-byte ciphertext is not a %d-bit RSA ciphertext (want %d bytes): %w", op, alg, len(input), k.pub.N.BitLen(), k.modulusSize(), values.ErrInvalidArgument)
	}
	var out []byte
	if h != nil {
		out, err = rsa.DecryptOAEP(h.newHash(), nil, k.priv, input, salt)
	} else {
		// Go 1.26 deprecates PKCS #1 v1.5 decryption because telling a
		// padding error apart is an oracle (Bleichenbacher); the PSA API
		// requires that distinct status (PSA_ERROR_INVALID_PADDING), so the
		// risk is the application's choice of algorithm.
		//lint:ignore SA1019 PSA_ALG_RSA_PKCS1V15_CRYPT is part of the PSA API.
		out, err = rsa.DecryptPKCS1v15(nil, k.priv, input)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v: decryption failed: %w", op, alg, values.ErrInvalidPadding)
	}
	dst = append(dst, out...)
	wipe(out)
	return dst, nil
}

// asymSetup checks the algorithm, key type and salt and parses the key.
// h is the OAEP hash, nil for PKCS#1 v1.5.
func asymSetup(op string, attrs values.Attributes, key []byte, alg values.Algorithm, salt []byte) (*rsaKey, *pkHash, error) {
	var h *pkHash
	switch {
	case alg == values.AlgRSAPKCS1v15Crypt:
		if len(salt) != 0 {
			return nil, nil, fmt.Errorf("%s: %v takes no salt (got %d bytes): %w", op, alg, len(salt), values.ErrInvalidArgument)
		}
	case alg.IsRSAOAEP():
		var err error
		if h, err = lookupPKHash(op, alg, alg.Hash()); err != nil {
			return nil, nil, err
		}
		if h.newHash == nil {
			return nil, nil, fmt.Errorf("%s: %v: OAEP with %v is not supported by the builtin driver: %w", op, alg, h.alg, values.ErrNotSupported)
		}
	case alg.IsAsymmetricEncryption():
		return nil, nil, fmt.Errorf("%s: %v is not supported by the builtin driver (want PSA_ALG_RSA_PKCS1V15_CRYPT or PSA_ALG_RSA_OAEP): %w", op, alg, values.ErrNotSupported)
	default:
		return nil, nil, fmt.Errorf("%s: %v is not an asymmetric encryption algorithm: %w", op, alg, values.ErrInvalidArgument)
	}
	if !attrs.Type.IsRSA() {
		return nil, nil, fmt.Errorf("%s: %v needs an RSA key, not %v: %w", op, alg, attrs.Type, values.ErrInvalidArgument)
	}
	k, err := parseRSAKey(op, attrs, alg, key)
	if err != nil {
		return nil, nil, err
	}
	if k.pub.N.BitLen() < rsaMinOperationBits {
		return nil, nil, rsaTooSmall(op, alg, k.pub.N.BitLen())
	}
	return k, h, nil
}
