package psa

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"io"

	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"
)

// Signer returns a crypto.Signer that signs with key, so that a PSA key,
// in software or in a secure element, can sign where Go expects a
// crypto.Signer (crypto/tls, crypto/x509, ...). key must be an ECDSA key
// pair (secp224r1, secp256r1, secp384r1 or secp521r1), an Ed25519 key pair
// or an RSA key pair; its public key is read once, here.
//
// Sign chooses the PSA algorithm from crypto.SignerOpts and the key's
// policy: for ECDSA, PSA_ALG_ECDSA or PSA_ALG_DETERMINISTIC_ECDSA with the
// options' hash, whichever the policy permits (PSA_ALG_ECDSA_ANY if it
// permits only that), with the signature returned in ASN.1 DER as
// crypto/ecdsa returns it; for RSA, PSS when the options are
// *rsa.PSSOptions (salt as long as the hash: PSSSaltLengthAuto,
// PSSSaltLengthEqualsHash or the hash length) and PKCS#1 v1.5 otherwise
// (PSA_ALG_RSA_PKCS1V15_SIGN_RAW for crypto.Hash(0)); for Ed25519, pure
// EdDSA over the message, or Ed25519ph when the options name SHA-512.
// Ed25519 contexts are not supported. The random source passed to Sign is
// ignored: randomized signatures use the instance's random generator.
// Sign needs the key's UsageSignHash (UsageSignMessage for pure EdDSA).
//
// The Signer is safe for concurrent use.
func (c *Crypto) Signer(key KeyID) (crypto.Signer, error) {
	attrs, pub, err := c.signerPublicKey(key, "signer")
	if err != nil {
		return nil, err
	}
	switch pub.(type) {
	case *ecdsa.PublicKey, ed25519.PublicKey, *rsa.PublicKey:
	default:
		return nil, fmt.Errorf("signer: key 0x%08x: signing with a %v is not supported by the crypto.Signer adapter: %w",
			uint32(key), attrs.Type, ErrNotSupported)
	}
	return &keySigner{c: c, id: key, attrs: attrs, pub: pub}, nil
}

// Decrypter returns a crypto.Decrypter that decrypts with key, an RSA key
// pair with UsageDecrypt. Decrypt takes nil or *rsa.PKCS1v15DecryptOptions
// for PKCS#1 v1.5 (without SessionKeyLen, whose constant-time fallback
// the PSA API cannot offer), and *rsa.OAEPOptions for OAEP (the MGF1 hash
// must be the OAEP hash). The random source passed to Decrypt is ignored.
//
// The Decrypter is safe for concurrent use.
func (c *Crypto) Decrypter(key KeyID) (crypto.Decrypter, error) {
	attrs, pub, err := c.signerPublicKey(key, "decrypter")
	if err != nil {
		return nil, err
	}
	rpub, ok := pub.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("decrypter: key 0x%08x is a %v; the crypto.Decrypter adapter needs an RSA key pair: %w",
			uint32(key), attrs.Type, ErrInvalidArgument)
	}
	return &keyDecrypter{c: c, id: key, pub: rpub}, nil
}

// signerPublicKey returns the attributes of key pair id and its public key
// as a Go value.
func (c *Crypto) signerPublicKey(id KeyID, what string) (Attributes, crypto.PublicKey, error) {
	attrs, err := c.KeyAttributes(id)
	if err != nil {
		return attrs, nil, fmt.Errorf("%s: %w", what, err)
	}
	if !attrs.Type.IsKeyPair() {
		return attrs, nil, fmt.Errorf("%s: key 0x%08x is a %v, not a key pair: %w", what, uint32(id), attrs.Type, ErrInvalidArgument)
	}
	data, err := c.ExportPublicKey(id, nil)
	if err != nil {
		return attrs, nil, fmt.Errorf("%s: %w", what, err)
	}
	pub, err := signerParsePublic(attrs, data)
	if err != nil {
		return attrs, nil, fmt.Errorf("%s: key 0x%08x: %w", what, uint32(id), err)
	}
	return attrs, pub, nil
}

// signerParsePublic converts a public key in the PSA export format to the
// Go type; nil without error for a type the adapters do not handle.
func signerParsePublic(attrs Attributes, data []byte) (crypto.PublicKey, error) {
	t := attrs.Type
	switch {
	case t.IsECC() && t.ECCFamily() == ECCFamilySECPR1:
		var curve elliptic.Curve
		switch attrs.Bits {
		case 224:
			curve = elliptic.P224()
		case 256:
			curve = elliptic.P256()
		case 384:
			curve = elliptic.P384()
		case 521:
			curve = elliptic.P521()
		default:
			return nil, nil
		}
		pub, err := ecdsa.ParseUncompressedPublicKey(curve, data)
		if err != nil {
			return nil, fmt.Errorf("parse the %d-bit ECC public key: %v: %w", attrs.Bits, err, ErrCorruptionDetected)
		}
		return pub, nil
	case t.IsECC() && t.ECCFamily() == ECCFamilyTwistedEdwards && attrs.Bits == 255:
		if len(data) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("an Ed25519 public key of %d bytes (want %d): %w", len(data), ed25519.PublicKeySize, ErrCorruptionDetected)
		}
		return ed25519.PublicKey(data), nil
	case t.IsRSA():
		pub, err := x509.ParsePKCS1PublicKey(data)
		if err != nil {
			return nil, fmt.Errorf("parse the RSA public key: %v: %w", err, ErrCorruptionDetected)
		}
		return pub, nil
	}
	return nil, nil
}

type keySigner struct {
	c     *Crypto
	id    KeyID
	attrs Attributes
	pub   crypto.PublicKey
}

func (s *keySigner) Public() crypto.PublicKey { return s.pub }

func (s *keySigner) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	var hf crypto.Hash
	if opts != nil {
		hf = opts.HashFunc()
	}
	h, err := signerHash(hf)
	if err != nil {
		return nil, err
	}
	switch s.pub.(type) {
	case *ecdsa.PublicKey:
		alg := AlgECDSAAny
		if h != 0 {
			alg = s.choose(AlgECDSA(h), AlgDeterministicECDSA(h), AlgECDSAAny)
		}
		sig, err := s.c.SignHash(s.id, alg, digest, nil)
		if err != nil {
			return nil, err
		}
		return signerECDSAToASN1(sig)
	case ed25519.PublicKey:
		if o, ok := opts.(*ed25519.Options); ok && o.Context != "" {
			return nil, fmt.Errorf("sign: Ed25519 with a context is not supported by the crypto.Signer adapter: %w", ErrNotSupported)
		}
		switch hf {
		case 0:
			return s.c.SignMessage(s.id, AlgPureEdDSA, digest, nil)
		case crypto.SHA512:
			return s.c.SignHash(s.id, AlgEd25519ph, digest, nil)
		}
		return nil, fmt.Errorf("sign: Ed25519 signs a message (crypto.Hash(0)) or a SHA-512 hash (Ed25519ph), not a %v hash: %w", hf, ErrInvalidArgument)
	case *rsa.PublicKey:
		if pss, ok := opts.(*rsa.PSSOptions); ok {
			if h == 0 {
				return nil, fmt.Errorf("sign: RSA-PSS needs a hash function in the options: %w", ErrInvalidArgument)
			}
			switch pss.SaltLength {
			case rsa.PSSSaltLengthAuto, rsa.PSSSaltLengthEqualsHash, hf.Size():
			default:
				return nil, fmt.Errorf("sign: RSA-PSS with a %d-byte salt (PSA signs with a salt as long as the hash, %d bytes): %w",
					pss.SaltLength, hf.Size(), ErrNotSupported)
			}
			return s.c.SignHash(s.id, s.choose(AlgRSAPSS(h), AlgRSAPSSAnySalt(h)), digest, nil)
		}
		if h == 0 {
			return s.c.SignHash(s.id, AlgRSAPKCS1v15SignRaw, digest, nil)
		}
		return s.c.SignHash(s.id, AlgRSAPKCS1v15Sign(h), digest, nil)
	}
	return nil, fmt.Errorf("sign: unsupported key: %w", ErrNotSupported)
}

// choose returns the first of algs that the key's policy permits, or the
// first one, whose use then fails with a clear ErrNotPermitted.
func (s *keySigner) choose(algs ...Algorithm) Algorithm {
	a := &s.attrs
	for _, alg := range algs {
		for _, p := range [2]Algorithm{a.Alg, a.Alg2} {
			if p != 0 && (p == alg || p.PermitsWithKey(alg, a.Type, a.Bits)) {
				return alg
			}
		}
	}
	return algs[0]
}

// signerHash maps a Go hash function to the PSA hash algorithm; 0 maps to
// 0 (no hash: the input is signed as is).
func signerHash(h crypto.Hash) (Algorithm, error) {
	switch h {
	case 0:
		return 0, nil
	case crypto.MD5:
		return AlgMD5, nil
	case crypto.SHA1:
		return AlgSHA1, nil
	case crypto.RIPEMD160:
		return AlgRIPEMD160, nil
	case crypto.SHA224:
		return AlgSHA224, nil
	case crypto.SHA256:
		return AlgSHA256, nil
	case crypto.SHA384:
		return AlgSHA384, nil
	case crypto.SHA512:
		return AlgSHA512, nil
	case crypto.SHA512_224:
		return AlgSHA512_224, nil
	case crypto.SHA512_256:
		return AlgSHA512_256, nil
	case crypto.SHA3_224:
		return AlgSHA3_224, nil
	case crypto.SHA3_256:
		return AlgSHA3_256, nil
	case crypto.SHA3_384:
		return AlgSHA3_384, nil
	case crypto.SHA3_512:
		return AlgSHA3_512, nil
	}
	return 0, fmt.Errorf("sign: the hash function %v has no PSA algorithm: %w", h, ErrNotSupported)
}

// signerECDSAToASN1 converts a PSA ECDSA signature, r||s with each half as
// long as the curve's order, to the ASN.1 DER Ecdsa-Sig-Value that
// crypto/ecdsa produces.
func signerECDSAToASN1(sig []byte) ([]byte, error) {
	if len(sig) == 0 || len(sig)%2 != 0 {
		return nil, fmt.Errorf("sign: an ECDSA signature of %d bytes, not r||s: %w", len(sig), ErrCorruptionDetected)
	}
	n := len(sig) / 2
	var b cryptobyte.Builder
	b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
		signerAddASN1Int(b, sig[:n])
		signerAddASN1Int(b, sig[n:])
	})
	return b.Bytes()
}

// signerAddASN1Int adds a DER INTEGER for the unsigned big-endian v.
func signerAddASN1Int(b *cryptobyte.Builder, v []byte) {
	for len(v) > 1 && v[0] == 0 {
		v = v[1:]
	}
	b.AddASN1(asn1.INTEGER, func(b *cryptobyte.Builder) {
		if len(v) == 0 || v[0]&0x80 != 0 {
			b.AddUint8(0)
		}
		b.AddBytes(v)
	})
}

type keyDecrypter struct {
	c   *Crypto
	id  KeyID
	pub *rsa.PublicKey
}

func (d *keyDecrypter) Public() crypto.PublicKey { return d.pub }

func (d *keyDecrypter) Decrypt(_ io.Reader, msg []byte, opts crypto.DecrypterOpts) ([]byte, error) {
	switch o := opts.(type) {
	case nil:
	//lint:ignore SA1019 PSA_ALG_RSA_PKCS1V15_CRYPT is part of the PSA API, and callers such as crypto/tls pass these options.
	case *rsa.PKCS1v15DecryptOptions:
		if o.SessionKeyLen != 0 {
			return nil, fmt.Errorf("decrypt: PKCS1v15DecryptOptions.SessionKeyLen is not supported (its constant-time fallback needs the padding check inside the key's driver): %w", ErrNotSupported)
		}
	case *rsa.OAEPOptions:
		if o.MGFHash != 0 && o.MGFHash != o.Hash {
			return nil, fmt.Errorf("decrypt: OAEP with MGF1 over %v and labels hashed with %v; PSA_ALG_RSA_OAEP uses one hash for both: %w",
				o.MGFHash, o.Hash, ErrNotSupported)
		}
		h, err := signerHash(o.Hash)
		if err != nil || h == 0 {
			return nil, fmt.Errorf("decrypt: OAEP needs a hash function the PSA API has (got %v): %w", o.Hash, ErrNotSupported)
		}
		return d.c.AsymmetricDecrypt(d.id, AlgRSAOAEP(h), msg, o.Label, nil)
	default:
		return nil, fmt.Errorf("decrypt: options of type %T (want nil, *rsa.PKCS1v15DecryptOptions or *rsa.OAEPOptions): %w", opts, ErrInvalidArgument)
	}
	return d.c.AsymmetricDecrypt(d.id, AlgRSAPKCS1v15Crypt, msg, nil, nil)
}
