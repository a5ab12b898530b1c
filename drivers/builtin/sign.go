package builtin

import (
	"fmt"

	"github.com/gopsa/psa/values"
)

// Asymmetric signatures: the sign_hash, verify_hash, sign_message and
// verify_message entry points for every signature algorithm of PSA Crypto
// API 1.5 that the builtin driver implements. See sign_ecdsa.go,
// sign_eddsa.go, sign_rsa.go, sign_mldsa.go, sign_slhdsa.go and
// sign_lms.go for each family's details and limits.
//
// The entry points check everything about the mechanism: that alg is a
// signature algorithm usable with the entry point, that the key type suits
// it, that a hash given to sign_hash or verify_hash has the length of the
// algorithm's hash, and the signature's format. A request that the
// specification forbids is values.ErrInvalidArgument, one that it allows
// but the driver does not implement is values.ErrNotSupported, and a
// signature that does not verify is values.ErrInvalidSignature. Key
// policies are the core's business.
//
// The driver interface has no context argument yet: the entry points sign
// and verify with the empty context of psa_sign_message and psa_sign_hash
// (PSA_ALG_EDDSA_CTX then computes Ed25519ctx with an empty context, as
// the specification says).

// SignHash is the "sign_hash" entry point: it appends the signature of
// hash, made with the key pair key and algorithm alg, to dst. hash is the
// hash of the message for hash-and-sign algorithms (its length must be
// the hash's), any byte string for PSA_ALG_ECDSA_ANY (truncated to the
// curve order's size) and the encoded hash T for
// PSA_ALG_RSA_PKCS1V15_SIGN_RAW. It is safe for concurrent use.
func (d *Driver) SignHash(attrs values.Attributes, key []byte, alg values.Algorithm, hash, dst []byte) ([]byte, error) {
	return d.sign("sign hash", attrs, key, alg, hash, true, nil, dst)
}

// SignMessage is the "sign_message" entry point: it appends the signature
// of message to dst. Hash-and-sign algorithms hash the message first. It
// is safe for concurrent use.
func (d *Driver) SignMessage(attrs values.Attributes, key []byte, alg values.Algorithm, message, dst []byte) ([]byte, error) {
	return d.sign("sign message", attrs, key, alg, message, false, nil, dst)
}

// VerifyHash is the "verify_hash" entry point: it checks that signature
// is alg's signature of hash with key, a public key or a key pair; the
// inputs are as for SignHash. It returns values.ErrInvalidSignature when
// the signature does not match. It is safe for concurrent use.
func (d *Driver) VerifyHash(attrs values.Attributes, key []byte, alg values.Algorithm, hash, signature []byte) error {
	return d.verify("verify hash", attrs, key, alg, hash, true, nil, signature)
}

// VerifyMessage is the "verify_message" entry point: it checks that
// signature is alg's signature of message with key. It returns
// values.ErrInvalidSignature when the signature does not match. It is
// safe for concurrent use.
func (d *Driver) VerifyMessage(attrs values.Attributes, key []byte, alg values.Algorithm, message, signature []byte) error {
	return d.verify("verify message", attrs, key, alg, message, false, nil, signature)
}

// signFamily is what a signature algorithm needs from its key.
type signFamily int

const (
	familyECDSA signFamily = iota + 1
	familyRSA
	familyEdDSA
	familyMLDSA
	familySLHDSA
	familyStateful // LMS, HSS, XMSS, XMSS^MT: verification only
)

// signAlg classifies a signature algorithm: its family, its hash (nil
// when it has none or when the hash is only used by the family's own
// package), and whether it is a hash-and-sign algorithm that sign_hash
// accepts. A hash that sign_hash or verify_hash must check the input
// against is returned for the hash-and-sign algorithms.
func signAlg(op string, alg values.Algorithm, isHash bool) (signFamily, *pkHash, error) {
	if !alg.IsSign() {
		return 0, nil, fmt.Errorf("%s: %v is not a signature algorithm: %w", op, alg, values.ErrInvalidArgument)
	}
	hashOnly := func() error {
		if !isHash {
			return fmt.Errorf("%s: %v signs a hash (or encoded hash) given to sign_hash, not a message: %w", op, alg, values.ErrInvalidArgument)
		}
		return nil
	}
	messageOnly := func() error {
		if isHash {
			return fmt.Errorf("%s: %v signs messages; the specification defines no sign_hash or verify_hash for it (use sign_message and verify_message): %w", op, alg, values.ErrInvalidArgument)
		}
		return nil
	}
	withHash := func(f signFamily) (signFamily, *pkHash, error) {
		h, err := lookupPKHash(op, alg, alg.Hash())
		return f, h, err
	}
	switch {
	case alg == values.AlgECDSAAny:
		return familyECDSA, nil, hashOnly()
	case alg.IsECDSA():
		return withHash(familyECDSA)
	case alg == values.AlgRSAPKCS1v15SignRaw:
		return familyRSA, nil, hashOnly()
	case alg.IsRSAPKCS1v15Sign(), alg.IsRSAPSS():
		return withHash(familyRSA)
	case alg == values.AlgPureEdDSA, alg == values.AlgEdDSACtx:
		return familyEdDSA, nil, messageOnly()
	case alg == values.AlgEd25519ph:
		return familyEdDSA, &pkHashes[pkHashIndex(values.AlgSHA512)], nil
	case alg == values.AlgEd448ph:
		return familyEdDSA, &pkHashes[pkHashIndex(values.AlgSHAKE256_512)], nil
	case alg.IsHashEdDSA():
		return 0, nil, fmt.Errorf("%s: %v: HashEdDSA is defined with SHA-512 (PSA_ALG_ED25519PH) and SHAKE256/512 (PSA_ALG_ED448PH) only: %w", op, alg, values.ErrNotSupported)
	case alg.IsMLDSA():
		return familyMLDSA, nil, messageOnly()
	case alg.IsHashMLDSA():
		f, h, err := withHash(familyMLDSA)
		if err == nil {
			err = checkPreHash(op, alg, h)
		}
		return f, h, err
	case alg.IsSLHDSA():
		return familySLHDSA, nil, messageOnly()
	case alg.IsHashSLHDSA():
		f, h, err := withHash(familySLHDSA)
		if err == nil {
			err = checkPreHash(op, alg, h)
		}
		if err == nil && isHash {
			err = fmt.Errorf("%s: %v: the builtin driver computes the pre-hash itself (circl has no interface for a given hash); use sign_message and verify_message: %w", op, alg, values.ErrNotSupported)
		}
		return f, h, err
	case alg == values.AlgLMS, alg == values.AlgHSS, alg == values.AlgXMSS, alg == values.AlgXMSSMT:
		return familyStateful, nil, messageOnly()
	}
	return 0, nil, fmt.Errorf("%s: %v is not supported by the builtin driver: %w", op, alg, values.ErrNotSupported)
}

func pkHashIndex(alg values.Algorithm) int {
	for i := range pkHashes {
		if pkHashes[i].alg == alg {
			return i
		}
	}
	panic("builtin: missing hash " + alg.String())
}

// checkSignKeyType checks that the key type suits the family.
func checkSignKeyType(op string, attrs values.Attributes, alg values.Algorithm, f signFamily) error {
	t := attrs.Type
	ok := false
	switch f {
	case familyECDSA, familyEdDSA:
		ok = t.IsECC()
	case familyRSA:
		ok = t.IsRSA()
	case familyMLDSA:
		ok = t.IsMLDSA()
	case familySLHDSA:
		ok = t.IsSLHDSA()
	case familyStateful:
		switch alg {
		case values.AlgLMS:
			ok = t == values.KeyTypeLMSPublicKey
		case values.AlgHSS:
			ok = t == values.KeyTypeHSSPublicKey
		case values.AlgXMSS:
			ok = t == values.KeyTypeXMSSPublicKey
		case values.AlgXMSSMT:
			ok = t == values.KeyTypeXMSSMTPublicKey
		}
	}
	if !ok {
		return fmt.Errorf("%s: %v cannot be used with a key of type %v: %w", op, alg, t, values.ErrInvalidArgument)
	}
	return nil
}

// sign signs in (a hash for sign_hash, a message for sign_message) with
// context ctx.
func (d *Driver) sign(op string, attrs values.Attributes, key []byte, alg values.Algorithm, in []byte, isHash bool, ctx, dst []byte) ([]byte, error) {
	f, h, err := signAlg(op, alg, isHash)
	if err != nil {
		return nil, err
	}
	if err := checkSignKeyType(op, attrs, alg, f); err != nil {
		return nil, err
	}
	if f == familyStateful {
		return nil, fmt.Errorf("%s: %v signatures can only be verified: the specification defines no signing for stateful hash-based schemes: %w", op, alg, values.ErrInvalidArgument)
	}
	if !attrs.Type.IsKeyPair() {
		return nil, fmt.Errorf("%s: signing needs a key pair, and the key is an %v: %w", op, attrs.Type, values.ErrInvalidArgument)
	}
	if f == familySLHDSA {
		// circl hashes the message itself for HashSLH-DSA.
		k, err := parseSLHDSAKey(op, attrs, key)
		if err != nil {
			return nil, err
		}
		return k.sign(d.random(), alg, h, in, ctx, dst)
	}
	digest, err := hashInput(op, alg, h, in, isHash)
	if err != nil {
		return nil, err
	}
	switch f {
	case familyECDSA:
		k, err := parseECDSAKey(op, attrs, alg, key)
		if err != nil {
			return nil, err
		}
		return k.sign(d.random(), alg, h, digest, dst)
	case familyRSA:
		k, err := parseRSAKey(op, attrs, alg, key)
		if err != nil {
			return nil, err
		}
		return k.sign(d.random(), alg, h, digest, dst)
	case familyEdDSA:
		k, err := parseEdDSAKey(op, attrs, alg, key)
		if err != nil {
			return nil, err
		}
		return k.sign(alg, digest, ctx, dst)
	default: // familyMLDSA
		k, err := parseMLDSAKey(op, attrs, key)
		if err != nil {
			return nil, err
		}
		return k.sign(alg, h, digest, ctx, dst)
	}
}

// verify checks sig on in (a hash for verify_hash, a message for
// verify_message) with context ctx.
func (d *Driver) verify(op string, attrs values.Attributes, key []byte, alg values.Algorithm, in []byte, isHash bool, ctx, sig []byte) error {
	f, h, err := signAlg(op, alg, isHash)
	if err != nil {
		return err
	}
	if err := checkSignKeyType(op, attrs, alg, f); err != nil {
		return err
	}
	switch f {
	case familySLHDSA:
		k, err := parseSLHDSAKey(op, attrs, key)
		if err != nil {
			return err
		}
		return k.verify(alg, h, in, ctx, sig)
	case familyStateful:
		if len(ctx) != 0 {
			return fmt.Errorf("%s: %v takes no context: %w", op, alg, values.ErrInvalidArgument)
		}
		return verifyStateful(op, alg, key, in, sig)
	}
	digest, err := hashInput(op, alg, h, in, isHash)
	if err != nil {
		return err
	}
	switch f {
	case familyECDSA:
		k, err := parseECDSAKey(op, attrs, alg, key)
		if err != nil {
			return err
		}
		return k.verify(alg, digest, sig)
	case familyRSA:
		k, err := parseRSAKey(op, attrs, alg, key)
		if err != nil {
			return err
		}
		return k.verify(alg, h, digest, sig)
	case familyEdDSA:
		k, err := parseEdDSAKey(op, attrs, alg, key)
		if err != nil {
			return err
		}
		return k.verify(alg, digest, ctx, sig)
	default: // familyMLDSA
		k, err := parseMLDSAKey(op, attrs, key)
		if err != nil {
			return err
		}
		return k.verify(alg, h, digest, ctx, sig)
	}
}

// hashInput returns what the family signs: the hash of the message for a
// hash-and-sign algorithm called with a message, the input as given
// otherwise (a hash for sign_hash, whose length is checked here, or a
// message for the message signature algorithms).
func hashInput(op string, alg values.Algorithm, h *pkHash, in []byte, isHash bool) ([]byte, error) {
	if h == nil {
		return in, nil
	}
	if isHash {
		return in, h.checkHashInput(op, alg, in)
	}
	return h.digest(op, alg, in)
}
