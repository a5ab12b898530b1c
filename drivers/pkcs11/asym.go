package pkcs11

import (
	"crypto"
	"crypto/rsa"
	_ "crypto/sha1" // registers crypto.SHA1 for sign_message
	_ "crypto/sha256"
	_ "crypto/sha512"
	"crypto/x509"
	"fmt"

	p11 "github.com/miekg/pkcs11"

	"github.com/gopsa/psa/values"
)

// hashInfo is what the driver needs to know of a hash algorithm.
type hashInfo struct {
	alg    values.Algorithm
	size   int
	mech   uint        // CKM_SHA256: the hash in PSS and OAEP parameters
	mgf    uint        // CKG_MGF1_SHA256
	hmac   uint        // CKM_SHA256_HMAC
	prefix []byte      // the DER DigestInfo before the hash (RFC 8017, 9.2, note 1)
	goHash crypto.Hash // for sign_message and software verification
}

var hashes = []hashInfo{
	{values.AlgSHA1, 20, p11.CKM_SHA_1, p11.CKG_MGF1_SHA1, p11.CKM_SHA_1_HMAC,
		[]byte{0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14}, crypto.SHA1},
	{values.AlgSHA224, 28, p11.CKM_SHA224, p11.CKG_MGF1_SHA224, p11.CKM_SHA224_HMAC,
		[]byte{0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04, 0x05, 0x00, 0x04, 0x1c}, crypto.SHA224},
	{values.AlgSHA256, 32, p11.CKM_SHA256, p11.CKG_MGF1_SHA256, p11.CKM_SHA256_HMAC,
		[]byte{0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}, crypto.SHA256},
	{values.AlgSHA384, 48, p11.CKM_SHA384, p11.CKG_MGF1_SHA384, p11.CKM_SHA384_HMAC,
		[]byte{0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30}, crypto.SHA384},
	{values.AlgSHA512, 64, p11.CKM_SHA512, p11.CKG_MGF1_SHA512, p11.CKM_SHA512_HMAC,
		[]byte{0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40}, crypto.SHA512},
}

func hashOf(h values.Algorithm) (*hashInfo, error) {
	for i := range hashes {
		if hashes[i].alg == h {
			return &hashes[i], nil
		}
	}
	return nil, fmt.Errorf("pkcs11: hash %v is not supported with this driver (want SHA-1, SHA-224, SHA-256, SHA-384 or SHA-512): %w", h, values.ErrNotSupported)
}

// signature is a signature algorithm translated to PKCS#11: the mechanism
// and the data it signs.
type signature struct {
	mech  uint
	param []byte
	data  []byte
	hash  *hashInfo // nil for the algorithms without a hash
}

// signatureOf translates alg on a key with attrs and the hash to sign.
func signatureOf(attrs *values.Attributes, alg values.Algorithm, hash []byte) (signature, error) {
	var sg signature
	h := alg.Hash()
	if h != 0 {
		hi, err := hashOf(h)
		if err != nil {
			return sg, err
		}
		if len(hash) != hi.size {
			return sg, fmt.Errorf("pkcs11: %v: a %d-byte hash is not a %v hash (%d bytes): %w", alg, len(hash), h, hi.size, values.ErrInvalidArgument)
		}
		sg.hash = hi
	}
	switch {
	case alg.IsRandomizedECDSA() || alg == values.AlgECDSAAny:
		if !attrs.Type.IsECC() {
			break
		}
		sg.mech, sg.data = p11.CKM_ECDSA, hash
		return sg, nil
	case alg.IsDeterministicECDSA():
		return sg, fmt.Errorf("pkcs11: %v: deterministic ECDSA is not available through PKCS#11 (CKM_ECDSA is randomized); use PSA_ALG_ECDSA: %w", alg, values.ErrNotSupported)
	case alg == values.AlgRSAPKCS1v15SignRaw:
		if !attrs.Type.IsRSA() {
			break
		}
		sg.mech, sg.data = p11.CKM_RSA_PKCS, hash
		return sg, nil
	case alg.IsRSAPKCS1v15Sign():
		if !attrs.Type.IsRSA() {
			break
		}
		sg.mech = p11.CKM_RSA_PKCS
		sg.data = append(append(make([]byte, 0, len(sg.hash.prefix)+len(hash)), sg.hash.prefix...), hash...)
		if k := (attrs.Bits + 7) / 8; len(sg.data)+11 > k {
			return sg, fmt.Errorf("pkcs11: %v: a %d-bit RSA key is too small for this hash: %w", alg, attrs.Bits, values.ErrInvalidArgument)
		}
		return sg, nil
	case alg.IsRSAPSS():
		if !attrs.Type.IsRSA() {
			break
		}
		// Both PSS variants sign with a salt as long as the hash, or as
		// long as the key allows if that is shorter (RFC 8017, 9.1.1);
		// PSA_ALG_RSA_PSS verifies with that salt length too.
		salt := pssSaltLength(attrs.Bits, sg.hash.size)
		if salt < 0 {
			return sg, fmt.Errorf("pkcs11: %v: a %d-bit RSA key is too small for this hash: %w", alg, attrs.Bits, values.ErrInvalidArgument)
		}
		sg.mech, sg.data = p11.CKM_RSA_PKCS_PSS, hash
		sg.param = p11.NewPSSParams(sg.hash.mech, sg.hash.mgf, uint(salt))
		return sg, nil
	default:
		return sg, fmt.Errorf("pkcs11: %v is not a signature algorithm this driver supports (ECDSA, RSA PKCS#1 v1.5, RSA PSS): %w", alg, values.ErrNotSupported)
	}
	return sg, fmt.Errorf("pkcs11: %v is not an algorithm for a %v key: %w", alg, attrs.Type, values.ErrInvalidArgument)
}

// pssSaltLength is the salt length of a PSS signature with a key of bits
// bits and a hash of hLen bytes: hLen, or less if the encoded message
// (emLen = ceil((bits-1)/8) bytes) has no room for it; negative if it has
// no room for the hash.
func pssSaltLength(bits, hLen int) int {
	emLen := (bits - 1 + 7) / 8
	return min(hLen, emLen-hLen-2)
}

// SignHash is the "sign_hash" entry point: the signature is computed by
// the token (C_Sign) with the private key object.
func (d *Driver) SignHash(attrs values.Attributes, key []byte, alg values.Algorithm, hash, dst []byte) ([]byte, error) {
	r, err := parseContext(&attrs, key)
	if err != nil {
		return nil, err
	}
	if !attrs.Type.IsKeyPair() {
		return nil, fmt.Errorf("pkcs11: sign: a %v cannot sign; a key pair is needed: %w", attrs.Type, values.ErrInvalidArgument)
	}
	sg, err := signatureOf(&attrs, alg, hash)
	if err != nil {
		return nil, err
	}
	return do(d, func(cl *call) ([]byte, error) {
		h, err := cl.object(&r, clsPrivate)
		if err != nil {
			return nil, err
		}
		mod := cl.c.mod
		if err := mod.SignInit(cl.s, []*p11.Mechanism{p11.NewMechanism(sg.mech, sg.param)}, h); err != nil {
			return nil, opError("C_SignInit", sg.mech, err)
		}
		sig, err := mod.Sign(cl.s, sg.data)
		if err != nil {
			return nil, opError("C_Sign", sg.mech, err)
		}
		return append(dst, sig...), nil
	})
}

// VerifyHash is the "verify_hash" entry point: the token verifies with
// the public key object. RSA PSS with any salt length, which PKCS#11
// cannot express, and RSA keys stored without a public key object are
// verified in software with the public key (no secret is involved).
func (d *Driver) VerifyHash(attrs values.Attributes, key []byte, alg values.Algorithm, hash, sig []byte) error {
	r, err := parseContext(&attrs, key)
	if err != nil {
		return err
	}
	sg, err := signatureOf(&attrs, alg, hash)
	if err != nil {
		return err
	}
	if attrs.Type.IsECC() && len(sig) != 2*((attrs.Bits+7)/8) {
		return fmt.Errorf("pkcs11: verify: a %d-byte signature is not a %d-bit ECDSA signature: %w", len(sig), attrs.Bits, values.ErrInvalidSignature)
	}
	_, err = do(d, func(cl *call) (struct{}, error) {
		h, err := cl.object(&r, clsPublic)
		soft := alg.IsRSAPSSAnySalt()
		if err != nil && r.ckk == p11.CKK_RSA && attrs.Type.IsKeyPair() {
			soft = true
		} else if err != nil {
			return struct{}{}, err
		}
		if soft {
			return struct{}{}, cl.verifyRSA(&attrs, &r, alg, &sg, hash, sig)
		}
		mod := cl.c.mod
		if err := mod.VerifyInit(cl.s, []*p11.Mechanism{p11.NewMechanism(sg.mech, sg.param)}, h); err != nil {
			return struct{}{}, opError("C_VerifyInit", sg.mech, err)
		}
		if err := mod.Verify(cl.s, sg.data, sig); err != nil {
			return struct{}{}, opError("C_Verify", sg.mech, err)
		}
		return struct{}{}, nil
	})
	return err
}

// rsaPublic reads the RSA public key of r.
func (cl *call) rsaPublic(attrs *values.Attributes, r *keyRef) (*rsa.PublicKey, error) {
	der, err := cl.publicKey(attrs, r, nil)
	if err != nil {
		return nil, err
	}
	pub, err := x509.ParsePKCS1PublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("pkcs11: the token's RSA public key: %v: %w", err, values.ErrCorruptionDetected)
	}
	return pub, nil
}

func (cl *call) verifyRSA(attrs *values.Attributes, r *keyRef, alg values.Algorithm, sg *signature, hash, sig []byte) error {
	pub, err := cl.rsaPublic(attrs, r)
	if err != nil {
		return err
	}
	if pub.N.BitLen() < 1024 {
		return fmt.Errorf("pkcs11: verify %v: this verification is done in software (crypto/rsa), which refuses %d-bit RSA keys (want at least 1024 bits): %w",
			alg, pub.N.BitLen(), values.ErrNotSupported)
	}
	switch {
	case alg.IsRSAPSS():
		salt := pssSaltLength(attrs.Bits, sg.hash.size)
		if alg.IsRSAPSSAnySalt() {
			salt = rsa.PSSSaltLengthAuto
		}
		err = rsa.VerifyPSS(pub, sg.hash.goHash, hash, sig, &rsa.PSSOptions{SaltLength: salt, Hash: sg.hash.goHash})
	case alg == values.AlgRSAPKCS1v15SignRaw:
		err = rsa.VerifyPKCS1v15(pub, 0, hash, sig)
	default:
		err = rsa.VerifyPKCS1v15(pub, sg.hash.goHash, hash, sig)
	}
	if err != nil {
		return fmt.Errorf("pkcs11: verify %v: %v: %w", alg, err, values.ErrInvalidSignature)
	}
	return nil
}

// messageHash hashes a message for sign_message and verify_message.
func messageHash(alg values.Algorithm, msg []byte) ([]byte, error) {
	if !alg.IsHashAndSign() || alg.Hash() == values.AlgAnyHash {
		return nil, fmt.Errorf("pkcs11: %v is not a hash-and-sign algorithm with a specific hash: %w", alg, values.ErrInvalidArgument)
	}
	hi, err := hashOf(alg.Hash())
	if err != nil {
		return nil, err
	}
	h := hi.goHash.New()
	h.Write(msg)
	return h.Sum(nil), nil
}

// SignMessage is the "sign_message" entry point: the message is hashed in
// software and the hash signed by the token.
func (d *Driver) SignMessage(attrs values.Attributes, key []byte, alg values.Algorithm, msg, dst []byte) ([]byte, error) {
	h, err := messageHash(alg, msg)
	if err != nil {
		return nil, err
	}
	return d.SignHash(attrs, key, alg, h, dst)
}

// VerifyMessage is the "verify_message" entry point.
func (d *Driver) VerifyMessage(attrs values.Attributes, key []byte, alg values.Algorithm, msg, sig []byte) error {
	h, err := messageHash(alg, msg)
	if err != nil {
		return err
	}
	return d.VerifyHash(attrs, key, alg, h, sig)
}

// encryption translates an asymmetric encryption algorithm.
func encryptionOf(attrs *values.Attributes, alg values.Algorithm, salt []byte) (*p11.Mechanism, error) {
	if !attrs.Type.IsRSA() {
		return nil, fmt.Errorf("pkcs11: %v keys do not encrypt; RSA keys do: %w", attrs.Type, values.ErrInvalidArgument)
	}
	switch {
	case alg == values.AlgRSAPKCS1v15Crypt:
		if len(salt) != 0 {
			return nil, fmt.Errorf("pkcs11: %v takes no salt (label): %w", alg, values.ErrInvalidArgument)
		}
		return p11.NewMechanism(p11.CKM_RSA_PKCS, nil), nil
	case alg.IsRSAOAEP():
		hi, err := hashOf(alg.Hash())
		if err != nil {
			return nil, err
		}
		return p11.NewMechanism(p11.CKM_RSA_PKCS_OAEP, p11.NewOAEPParams(hi.mech, hi.mgf, p11.CKZ_DATA_SPECIFIED, salt)), nil
	}
	return nil, fmt.Errorf("pkcs11: %v is not an encryption algorithm this driver supports (RSA PKCS#1 v1.5, RSA OAEP): %w", alg, values.ErrNotSupported)
}

// AsymmetricDecrypt is the "asymmetric_decrypt" entry point: the token
// decrypts with the private key. A padding error is
// PSA_ERROR_INVALID_PADDING.
func (d *Driver) AsymmetricDecrypt(attrs values.Attributes, key []byte, alg values.Algorithm, input, salt, dst []byte) ([]byte, error) {
	r, err := parseContext(&attrs, key)
	if err != nil {
		return nil, err
	}
	if !attrs.Type.IsKeyPair() {
		return nil, fmt.Errorf("pkcs11: decrypt: a %v cannot decrypt; a key pair is needed: %w", attrs.Type, values.ErrInvalidArgument)
	}
	m, err := encryptionOf(&attrs, alg, salt)
	if err != nil {
		return nil, err
	}
	return do(d, func(cl *call) ([]byte, error) {
		h, err := cl.object(&r, clsPrivate)
		if err != nil {
			return nil, err
		}
		mod := cl.c.mod
		if err := mod.DecryptInit(cl.s, []*p11.Mechanism{m}, h); err != nil {
			return nil, opError("C_DecryptInit", m.Mechanism, err)
		}
		pt, err := mod.Decrypt(cl.s, input)
		if err != nil {
			err = opError("C_Decrypt", m.Mechanism, err)
			// SoftHSM2 reports a padding error as CKR_GENERAL_ERROR,
			// other tokens as CKR_ENCRYPTED_DATA_INVALID.
			if rv, _ := ckr(err); rv == p11.CKR_GENERAL_ERROR || rv == p11.CKR_FUNCTION_FAILED {
				err = fmt.Errorf("pkcs11: %v: the ciphertext does not decrypt (%v): %w", alg, err, values.ErrInvalidPadding)
			}
			return nil, err
		}
		defer clear(pt)
		return append(dst, pt...), nil
	})
}

// AsymmetricEncrypt is the "asymmetric_encrypt" entry point: the token
// encrypts with the public key object.
func (d *Driver) AsymmetricEncrypt(attrs values.Attributes, key []byte, alg values.Algorithm, input, salt, dst []byte) ([]byte, error) {
	r, err := parseContext(&attrs, key)
	if err != nil {
		return nil, err
	}
	m, err := encryptionOf(&attrs, alg, salt)
	if err != nil {
		return nil, err
	}
	return do(d, func(cl *call) ([]byte, error) {
		h, err := cl.object(&r, clsPublic)
		if err != nil {
			return nil, err
		}
		mod := cl.c.mod
		if err := mod.EncryptInit(cl.s, []*p11.Mechanism{m}, h); err != nil {
			return nil, opError("C_EncryptInit", m.Mechanism, err)
		}
		ct, err := mod.Encrypt(cl.s, input)
		if err != nil {
			return nil, opError("C_Encrypt", m.Mechanism, err)
		}
		return append(dst, ct...), nil
	})
}

// KeyAgreement is the "key_agreement" entry point (PSA_ALG_ECDH): the
// token derives the shared secret (CKM_ECDH1_DERIVE, CKD_NULL) into a
// temporary session object, whose value is read and the object
// destroyed.
func (d *Driver) KeyAgreement(attrs values.Attributes, key []byte, alg values.Algorithm, peer, dst []byte) ([]byte, error) {
	r, err := parseContext(&attrs, key)
	if err != nil {
		return nil, err
	}
	if alg != values.AlgECDH {
		return nil, fmt.Errorf("pkcs11: key agreement %v is not supported (want PSA_ALG_ECDH): %w", alg, values.ErrNotSupported)
	}
	if !attrs.Type.IsECCKeyPair() {
		return nil, fmt.Errorf("pkcs11: ECDH needs an ECC key pair, not a %v: %w", attrs.Type, values.ErrInvalidArgument)
	}
	c, err := curveBits(attrs.Bits)
	if err != nil {
		return nil, err
	}
	if _, err := c.ecdh.NewPublicKey(peer); err != nil {
		return nil, fmt.Errorf("pkcs11: ECDH: the peer key (%d bytes) is not an uncompressed secp%dr1 point on the curve (%d bytes, 04||x||y): %w",
			len(peer), c.bits, 1+2*c.size(), values.ErrInvalidArgument)
	}
	return do(d, func(cl *call) ([]byte, error) {
		if err := cl.c.supports(p11.CKM_ECDH1_DERIVE); err != nil {
			return nil, err
		}
		h, err := cl.object(&r, clsPrivate)
		if err != nil {
			return nil, err
		}
		mod := cl.c.mod
		m := []*p11.Mechanism{p11.NewMechanism(p11.CKM_ECDH1_DERIVE, p11.NewECDH1DeriveParams(p11.CKD_NULL, nil, peer))}
		secret, err := mod.DeriveKey(cl.s, m, h, []*p11.Attribute{
			p11.NewAttribute(p11.CKA_CLASS, uint(p11.CKO_SECRET_KEY)),
			p11.NewAttribute(p11.CKA_KEY_TYPE, uint(p11.CKK_GENERIC_SECRET)),
			p11.NewAttribute(p11.CKA_TOKEN, false),
			p11.NewAttribute(p11.CKA_SENSITIVE, false),
			p11.NewAttribute(p11.CKA_EXTRACTABLE, true),
			p11.NewAttribute(p11.CKA_VALUE_LEN, c.size()),
		})
		if err != nil {
			return nil, opError("C_DeriveKey", p11.CKM_ECDH1_DERIVE, err)
		}
		defer mod.DestroyObject(cl.s, secret)
		v, err := cl.attr(secret, p11.CKA_VALUE)
		if err != nil {
			return nil, err
		}
		defer clear(v)
		if len(v) != c.size() {
			return nil, fmt.Errorf("pkcs11: ECDH: the token derived %d bytes, not %d: %w", len(v), c.size(), values.ErrCorruptionDetected)
		}
		return append(dst, v...), nil
	})
}
