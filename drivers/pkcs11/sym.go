package pkcs11

import (
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"strconv"

	p11 "github.com/miekg/pkcs11"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// cipherOf translates an unauthenticated cipher algorithm on an AES key.
func cipherOf(attrs *values.Attributes, alg values.Algorithm, iv []byte) (*p11.Mechanism, error) {
	if attrs.Type != values.KeyTypeAES {
		return nil, fmt.Errorf("pkcs11: cipher %v with a %v key is not supported (the driver's ciphers use AES keys): %w", alg, attrs.Type, values.ErrNotSupported)
	}
	wantIV := 16
	var m *p11.Mechanism
	switch alg {
	case values.AlgECBNoPadding:
		wantIV, m = 0, p11.NewMechanism(p11.CKM_AES_ECB, nil)
	case values.AlgCBCNoPadding:
		m = p11.NewMechanism(p11.CKM_AES_CBC, iv)
	case values.AlgCBCPKCS7:
		m = p11.NewMechanism(p11.CKM_AES_CBC_PAD, iv)
	case values.AlgCTR:
		m = p11.NewMechanism(p11.CKM_AES_CTR, ctrParams(iv))
	default:
		return nil, fmt.Errorf("pkcs11: cipher %v is not supported (want ECB, CBC with or without PKCS#7 padding, or CTR): %w", alg, values.ErrNotSupported)
	}
	if len(iv) != wantIV {
		return nil, fmt.Errorf("pkcs11: %v takes a %d-byte IV, not %d bytes: %w", alg, wantIV, len(iv), values.ErrInvalidArgument)
	}
	return m, nil
}

// ulongSize is the size of CK_ULONG: C's unsigned long.
var ulongSize = func() int {
	if runtime.GOOS == "windows" {
		return 4
	}
	return strconv.IntSize / 8
}()

// ctrParams encodes CK_AES_CTR_PARAMS { CK_ULONG ulCounterBits; CK_BYTE
// cb[16]; }: the whole block is the counter, as PSA_ALG_CTR says.
func ctrParams(iv []byte) []byte {
	p := make([]byte, ulongSize+16)
	if ulongSize == 8 {
		binary.NativeEndian.PutUint64(p, 128)
	} else {
		binary.NativeEndian.PutUint32(p, 128)
	}
	copy(p[ulongSize:], iv)
	return p
}

func blockAligned(alg values.Algorithm, n int) error {
	if (alg == values.AlgECBNoPadding || alg == values.AlgCBCNoPadding) && n%16 != 0 {
		return fmt.Errorf("pkcs11: %v: %d bytes is not a whole number of 16-byte blocks: %w", alg, n, values.ErrInvalidArgument)
	}
	return nil
}

// CipherEncrypt is the "cipher_encrypt" entry point (the core chose iv
// and writes it before the output).
func (d *Driver) CipherEncrypt(attrs values.Attributes, key []byte, alg values.Algorithm, iv, input, dst []byte) ([]byte, error) {
	r, err := parseContext(&attrs, key)
	if err != nil {
		return nil, err
	}
	m, err := cipherOf(&attrs, alg, iv)
	if err != nil {
		return nil, err
	}
	if err := blockAligned(alg, len(input)); err != nil {
		return nil, err
	}
	if len(input) == 0 && alg != values.AlgCBCPKCS7 {
		return dst, nil
	}
	return d.symmetric(&r, m, true, input, dst)
}

// CipherDecrypt is the "cipher_decrypt" entry point: input is the IV
// followed by the ciphertext.
func (d *Driver) CipherDecrypt(attrs values.Attributes, key []byte, alg values.Algorithm, input, dst []byte) ([]byte, error) {
	r, err := parseContext(&attrs, key)
	if err != nil {
		return nil, err
	}
	if _, err := cipherOf(&attrs, alg, make([]byte, 16)); err != nil && driver.IsNotSupported(err) {
		return nil, err
	}
	ivLen := 16
	if alg == values.AlgECBNoPadding {
		ivLen = 0
	}
	if len(input) < ivLen {
		return nil, fmt.Errorf("pkcs11: %v: %d bytes of input is shorter than the %d-byte IV: %w", alg, len(input), ivLen, values.ErrInvalidArgument)
	}
	m, err := cipherOf(&attrs, alg, input[:ivLen])
	if err != nil {
		return nil, err
	}
	ct := input[ivLen:]
	if err := blockAligned(alg, len(ct)); err != nil {
		return nil, err
	}
	if alg == values.AlgCBCPKCS7 && (len(ct) == 0 || len(ct)%16 != 0) {
		return nil, fmt.Errorf("pkcs11: %v: %d bytes of ciphertext is not a positive number of 16-byte blocks: %w", alg, len(ct), values.ErrInvalidArgument)
	}
	if len(ct) == 0 {
		return dst, nil
	}
	return d.symmetric(&r, m, false, ct, dst)
}

// symmetric runs a single-part C_Encrypt or C_Decrypt with the secret key
// object of r.
func (d *Driver) symmetric(r *keyRef, m *p11.Mechanism, encrypt bool, input, dst []byte) ([]byte, error) {
	return do(d, func(cl *call) ([]byte, error) {
		if err := cl.c.supports(m.Mechanism); err != nil {
			return nil, err
		}
		h, err := cl.object(r, clsSecret)
		if err != nil {
			return nil, err
		}
		mod, ms := cl.c.mod, []*p11.Mechanism{m}
		var out []byte
		if encrypt {
			if err := mod.EncryptInit(cl.s, ms, h); err != nil {
				return nil, opError("C_EncryptInit", m.Mechanism, err)
			}
			if out, err = mod.Encrypt(cl.s, input); err != nil {
				return nil, opError("C_Encrypt", m.Mechanism, err)
			}
		} else {
			if err := mod.DecryptInit(cl.s, ms, h); err != nil {
				return nil, opError("C_DecryptInit", m.Mechanism, err)
			}
			if out, err = mod.Decrypt(cl.s, input); err != nil {
				return nil, opError("C_Decrypt", m.Mechanism, err)
			}
			defer clear(out)
		}
		return append(dst, out...), nil
	})
}

// gcmTag checks that alg is GCM on an AES key and returns its tag length.
func gcmTag(attrs *values.Attributes, alg values.Algorithm, nonce []byte) (int, error) {
	if values.AlgAEADWithDefaultLengthTag(alg) != values.AlgGCM {
		return 0, fmt.Errorf("pkcs11: AEAD %v is not supported (want GCM): %w", alg, values.ErrNotSupported)
	}
	if attrs.Type != values.KeyTypeAES {
		return 0, fmt.Errorf("pkcs11: GCM with a %v key is not supported (want AES): %w", attrs.Type, values.ErrNotSupported)
	}
	tag := values.AEADTagLength(attrs.Type, attrs.Bits, alg)
	if tag != 4 && tag != 8 && (tag < 12 || tag > 16) {
		return 0, fmt.Errorf("pkcs11: %v: a %d-byte GCM tag is not allowed (want 4, 8 or 12-16): %w", alg, tag, values.ErrInvalidArgument)
	}
	if len(nonce) == 0 {
		return 0, fmt.Errorf("pkcs11: GCM needs a nonce (12 bytes recommended): %w", values.ErrInvalidArgument)
	}
	return tag, nil
}

// AEADEncrypt is the "aead_encrypt" entry point (AES-GCM, CKM_AES_GCM).
func (d *Driver) AEADEncrypt(attrs values.Attributes, key []byte, alg values.Algorithm, nonce, ad, plaintext, dst []byte) ([]byte, error) {
	r, err := parseContext(&attrs, key)
	if err != nil {
		return nil, err
	}
	tag, err := gcmTag(&attrs, alg, nonce)
	if err != nil {
		return nil, err
	}
	return d.gcm(&r, true, tag, nonce, ad, plaintext, dst)
}

// AEADDecrypt is the "aead_decrypt" entry point: a ciphertext that is not
// authentic is PSA_ERROR_INVALID_SIGNATURE.
func (d *Driver) AEADDecrypt(attrs values.Attributes, key []byte, alg values.Algorithm, nonce, ad, ciphertext, dst []byte) ([]byte, error) {
	r, err := parseContext(&attrs, key)
	if err != nil {
		return nil, err
	}
	tag, err := gcmTag(&attrs, alg, nonce)
	if err != nil {
		return nil, err
	}
	if len(ciphertext) < tag {
		return nil, fmt.Errorf("pkcs11: %v: %d bytes of ciphertext is shorter than the %d-byte tag: %w", alg, len(ciphertext), tag, values.ErrInvalidSignature)
	}
	out, err := d.gcm(&r, false, tag, nonce, ad, ciphertext, dst)
	var e *Error
	// SoftHSM2 reports a tag mismatch as CKR_GENERAL_ERROR (OpenSSL's
	// final step failing), other tokens as CKR_ENCRYPTED_DATA_INVALID.
	if errors.As(err, &e) && e.Func == "C_Decrypt" && (e.Code == p11.CKR_ENCRYPTED_DATA_INVALID ||
		e.Code == p11.CKR_ENCRYPTED_DATA_LEN_RANGE || e.Code == p11.CKR_GENERAL_ERROR || e.Code == p11.CKR_FUNCTION_FAILED) {
		return nil, fmt.Errorf("pkcs11: %v: %s: the ciphertext is not authentic: %w", alg, ckrName(e.Code), values.ErrInvalidSignature)
	}
	return out, err
}

func (d *Driver) gcm(r *keyRef, encrypt bool, tag int, nonce, ad, input, dst []byte) ([]byte, error) {
	return do(d, func(cl *call) ([]byte, error) {
		if err := cl.c.supports(p11.CKM_AES_GCM); err != nil {
			return nil, err
		}
		h, err := cl.object(r, clsSecret)
		if err != nil {
			return nil, err
		}
		params := p11.NewGCMParams(nonce, ad, 8*tag)
		defer params.Free()
		mod, ms := cl.c.mod, []*p11.Mechanism{p11.NewMechanism(p11.CKM_AES_GCM, params)}
		var out []byte
		if encrypt {
			if err := mod.EncryptInit(cl.s, ms, h); err != nil {
				return nil, opError("C_EncryptInit", p11.CKM_AES_GCM, err)
			}
			if out, err = mod.Encrypt(cl.s, input); err != nil {
				return nil, opError("C_Encrypt", p11.CKM_AES_GCM, err)
			}
		} else {
			if err := mod.DecryptInit(cl.s, ms, h); err != nil {
				return nil, opError("C_DecryptInit", p11.CKM_AES_GCM, err)
			}
			if out, err = mod.Decrypt(cl.s, input); err != nil {
				return nil, opError("C_Decrypt", p11.CKM_AES_GCM, err)
			}
			defer clear(out)
		}
		return append(dst, out...), nil
	})
}

// macOf translates a MAC algorithm: the mechanism and the MAC length.
func macOf(attrs *values.Attributes, alg values.Algorithm) (uint, int, error) {
	n := values.MACLength(attrs.Type, attrs.Bits, alg)
	switch full := values.AlgFullLengthMAC(alg); {
	case full.IsHMAC():
		if attrs.Type != values.KeyTypeHMAC {
			return 0, 0, fmt.Errorf("pkcs11: %v needs an HMAC key, not a %v: %w", alg, attrs.Type, values.ErrInvalidArgument)
		}
		hi, err := hashOf(full.Hash())
		if err != nil {
			return 0, 0, err
		}
		return hi.hmac, n, nil
	case full == values.AlgCMAC:
		if attrs.Type != values.KeyTypeAES {
			return 0, 0, fmt.Errorf("pkcs11: CMAC with a %v key is not supported (want AES): %w", attrs.Type, values.ErrNotSupported)
		}
		return p11.CKM_AES_CMAC, n, nil
	}
	return 0, 0, fmt.Errorf("pkcs11: MAC %v is not supported (want HMAC or CMAC): %w", alg, values.ErrNotSupported)
}

// MACCompute is the "mac_compute" entry point: the token computes the
// full MAC (C_Sign), truncated as alg says.
func (d *Driver) MACCompute(attrs values.Attributes, key []byte, alg values.Algorithm, input, dst []byte) ([]byte, error) {
	r, err := parseContext(&attrs, key)
	if err != nil {
		return nil, err
	}
	mech, n, err := macOf(&attrs, alg)
	if err != nil {
		return nil, err
	}
	return do(d, func(cl *call) ([]byte, error) {
		mac, err := cl.mac(&r, mech, input)
		if err != nil {
			return nil, err
		}
		if len(mac) < n {
			return nil, fmt.Errorf("pkcs11: the token's %s MAC has %d bytes, fewer than %d: %w", mechName(mech), len(mac), n, values.ErrCorruptionDetected)
		}
		return append(dst, mac[:n]...), nil
	})
}

func (cl *call) mac(r *keyRef, mech uint, input []byte) ([]byte, error) {
	if err := cl.c.supports(mech); err != nil {
		return nil, err
	}
	h, err := cl.object(r, clsSecret)
	if err != nil {
		return nil, err
	}
	mod := cl.c.mod
	if err := mod.SignInit(cl.s, []*p11.Mechanism{p11.NewMechanism(mech, nil)}, h); err != nil {
		return nil, opError("C_SignInit", mech, err)
	}
	mac, err := mod.Sign(cl.s, input)
	if err != nil {
		return nil, opError("C_Sign", mech, err)
	}
	return mac, nil
}

// MACVerify is the "mac_verify" entry point. A full-length MAC is checked
// by the token (C_Verify, which needs only CKA_VERIFY); a truncated MAC,
// which PKCS#11's C_Verify does not take, is computed by the token and
// compared in constant time, which needs the key to allow signing
// (PSA_KEY_USAGE_SIGN_MESSAGE).
func (d *Driver) MACVerify(attrs values.Attributes, key []byte, alg values.Algorithm, input, mac []byte) error {
	r, err := parseContext(&attrs, key)
	if err != nil {
		return err
	}
	mech, n, err := macOf(&attrs, alg)
	if err != nil {
		return err
	}
	if len(mac) != n {
		return fmt.Errorf("pkcs11: %v: a %d-byte MAC is not %d bytes long: %w", alg, len(mac), n, values.ErrInvalidSignature)
	}
	_, err = do(d, func(cl *call) (struct{}, error) {
		if values.AlgFullLengthMAC(alg) == alg {
			if err := cl.c.supports(mech); err != nil {
				return struct{}{}, err
			}
			h, err := cl.object(&r, clsSecret)
			if err != nil {
				return struct{}{}, err
			}
			mod := cl.c.mod
			if err := mod.VerifyInit(cl.s, []*p11.Mechanism{p11.NewMechanism(mech, nil)}, h); err != nil {
				return struct{}{}, opError("C_VerifyInit", mech, err)
			}
			if err := mod.Verify(cl.s, input, mac); err != nil {
				return struct{}{}, opError("C_Verify", mech, err)
			}
			return struct{}{}, nil
		}
		full, err := cl.mac(&r, mech, input)
		if err != nil {
			return struct{}{}, err
		}
		if len(full) < n || subtle.ConstantTimeCompare(full[:n], mac) != 1 {
			return struct{}{}, fmt.Errorf("pkcs11: %v: the MAC does not match: %w", alg, values.ErrInvalidSignature)
		}
		return struct{}{}, nil
	})
	return err
}
