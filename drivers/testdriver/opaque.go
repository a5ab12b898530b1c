package testdriver

import (
	"encoding/hex"
	"fmt"
	"io"
	"sync"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// The locations of the opaque test drivers. Location is that of the C
// reference's test driver (PSA_CRYPTO_TEST_DRIVER_LOCATION).
const (
	Location       values.Location = 0x7fffff
	SecondLocation values.Location = 0x7ffffe
)

// The built-in keys of the opaque test drivers (get_builtin_key), the same
// as the C reference test driver's.
const (
	// BuiltinSlotAES holds an AES-128 key that permits CTR encryption
	// and decryption and may be exported.
	BuiltinSlotAES driver.SlotNumber = 0
	// BuiltinSlotECDSA holds a secp256r1 key pair that permits
	// PSA_ALG_ECDSA(PSA_ALG_ANY_HASH) signatures and may be exported.
	BuiltinSlotECDSA driver.SlotNumber = 1
)

// Opaque is the opaque test driver at Location (opaque.json): a secure
// element without storage, whose key contexts are the key material masked
// and tagged with a driver secret (so that the core cannot read them).
// Each entry point counts its calls in the embedded Hooks, answers as a
// test forced it to, and otherwise unwraps the key and computes with its
// own builtin driver. It has the built-in keys of BuiltinSlotAES and
// BuiltinSlotECDSA.
//
// Secret, if set, must be set before the first call; the zero value uses
// a fixed secret, so that persistent keys survive a new instance. An
// Opaque is safe for concurrent use.
type Opaque struct {
	Hooks
	// Secret is the driver secret from which the masking and tagging
	// keys derive.
	Secret []byte

	be      backend
	once    sync.Once
	w       *wrapper
	wErr    error
	randMu  sync.Mutex
	randSrc io.Reader
}

// SecondOpaque is a second opaque test driver, at SecondLocation
// (opaque2.json), for builds with two secure elements. It behaves as
// Opaque but its description declares fewer entry points: no export_key
// and no copy_key, like a secure element whose keys never leave it.
type SecondOpaque struct {
	Opaque
}

func (o *Opaque) wrapper() (*wrapper, error) {
	o.once.Do(func() { o.w, o.wErr = newWrapper(o.Secret) })
	return o.w, o.wErr
}

func (o *Opaque) rand() io.Reader {
	o.randMu.Lock()
	defer o.randMu.Unlock()
	return o.randSrc
}

// wrap appends the key context of material to dst.
func (o *Opaque) wrap(attrs values.Attributes, bits int, material, dst []byte) ([]byte, error) {
	w, err := o.wrapper()
	if err != nil {
		return nil, err
	}
	return w.wrap(o.rand(), &attrs, bits, material, dst)
}

// unwrap returns the key material of a key context; the caller clears it.
func (o *Opaque) unwrap(attrs values.Attributes, key []byte) ([]byte, error) {
	w, err := o.wrapper()
	if err != nil {
		return nil, err
	}
	return w.unwrap(&attrs, key)
}

// withKey runs f on the clear key material of a key context.
func (o *Opaque) withKey(attrs values.Attributes, key []byte, f func(clear []byte) error) error {
	m, err := o.unwrap(attrs, key)
	if err != nil {
		return err
	}
	defer clear(m)
	return f(m)
}

// withKeyOut is withKey for an entry point with output, under the hooks.
func (o *Opaque) withKeyOut(ep string, attrs values.Attributes, key, dst []byte, f func(clear []byte) ([]byte, error)) ([]byte, error) {
	return output(&o.Hooks, ep, dst, func() (out []byte, err error) {
		err = o.withKey(attrs, key, func(m []byte) error {
			out, err = f(m)
			return err
		})
		return out, err
	})
}

func (o *Opaque) Init(h driver.Host) error {
	if err := o.hit("init"); err != nil {
		return err
	}
	o.randMu.Lock()
	o.randSrc = h.Rand()
	o.randMu.Unlock()
	if _, err := o.wrapper(); err != nil {
		return err
	}
	return o.be.init(h)
}

func (o *Opaque) Free() error {
	if err := o.hit("free"); err != nil {
		return err
	}
	return o.be.free()
}

func (o *Opaque) ImportKey(attrs values.Attributes, data, dst []byte) ([]byte, int, error) {
	forced, err := o.enter("import_key")
	if err != nil {
		return nil, 0, err
	}
	if forced != nil {
		return append(dst, forced...), attrs.Bits, nil
	}
	m, bits, err := o.be.importKey(attrs, data, nil)
	if err != nil {
		return nil, 0, err
	}
	defer clear(m)
	out, err := o.wrap(attrs, bits, m, dst)
	return out, bits, err
}

func (o *Opaque) GenerateKey(attrs values.Attributes, params driver.ProductionParameters, dst []byte) ([]byte, error) {
	return output(&o.Hooks, "generate_key", dst, func() ([]byte, error) {
		m, err := o.be.generateKey(attrs, params, nil)
		if err != nil {
			return nil, err
		}
		defer clear(m)
		return o.wrap(attrs, attrs.Bits, m, dst)
	})
}

// ExportKey unwraps the key: this secure element lets keys out (the core
// has checked PSA_KEY_USAGE_EXPORT).
func (o *Opaque) ExportKey(attrs values.Attributes, key, dst []byte) ([]byte, error) {
	return o.withKeyOut("export_key", attrs, key, dst, func(m []byte) ([]byte, error) {
		return append(dst, m...), nil
	})
}

func (o *Opaque) ExportPublicKey(attrs values.Attributes, key, dst []byte) ([]byte, error) {
	return o.withKeyOut("export_public_key", attrs, key, dst, func(m []byte) ([]byte, error) {
		if attrs.Type.IsPublicKey() {
			return append(dst, m...), nil
		}
		return o.be.exportPublicKey(attrs, m, dst)
	})
}

// CopyKey makes a new context for the same material: the target differs
// from the source only by its policy, which the context does not bind.
func (o *Opaque) CopyKey(attrs values.Attributes, key, dst []byte) ([]byte, error) {
	return o.withKeyOut("copy_key", attrs, key, dst, func(m []byte) ([]byte, error) {
		return o.wrap(attrs, attrs.Bits, m, dst)
	})
}

// builtinKeys are the keys of the built-in slots (test data of the C
// reference test driver).
var builtinKeys = map[driver.SlotNumber]struct {
	attrs    values.Attributes
	material string
}{
	BuiltinSlotAES: {
		values.Attributes{Type: values.KeyTypeAES, Bits: 128, Alg: values.AlgCTR,
			Usage: values.UsageEncrypt | values.UsageDecrypt | values.UsageExport},
		"3677397a24432646294a404e63526655",
	},
	BuiltinSlotECDSA: {
		values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilySECPR1), Bits: 256, Alg: values.AlgECDSA(values.AlgAnyHash),
			Usage: values.UsageSignHash | values.UsageVerifyHash | values.UsageExport},
		"dc7d9d26d67a4f632c34c2dc0b6986183882c206df04cdb7d69aabe28be4f81a",
	},
}

func (o *Opaque) GetBuiltinKey(slot driver.SlotNumber, lifetime values.Lifetime, dst []byte) (values.Attributes, []byte, error) {
	if err := o.hit("get_builtin_key"); err != nil {
		return values.Attributes{}, nil, err
	}
	k, ok := builtinKeys[slot]
	if !ok {
		return values.Attributes{}, nil, fmt.Errorf("testdriver: no built-in key in slot %d (the test driver has slots %d and %d): %w",
			slot, BuiltinSlotAES, BuiltinSlotECDSA, values.ErrDoesNotExist)
	}
	attrs := k.attrs
	attrs.Lifetime = lifetime
	m, _ := hex.DecodeString(k.material)
	defer clear(m)
	out, err := o.wrap(attrs, attrs.Bits, m, dst)
	if err != nil {
		return values.Attributes{}, nil, err
	}
	return attrs, out, nil
}

func (o *Opaque) MACCompute(attrs values.Attributes, key []byte, alg values.Algorithm, input, dst []byte) ([]byte, error) {
	return o.withKeyOut("mac_compute", attrs, key, dst, func(m []byte) ([]byte, error) {
		return o.be.macCompute(attrs, m, alg, input, dst)
	})
}

func (o *Opaque) MACVerify(attrs values.Attributes, key []byte, alg values.Algorithm, input, mac []byte) error {
	if err := o.hit("mac_verify"); err != nil {
		return err
	}
	return o.withKey(attrs, key, func(m []byte) error { return o.be.macVerify(attrs, m, alg, input, mac) })
}

func (o *Opaque) MACSignSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (op driver.MACOperation, err error) {
	if err := o.hit("mac_sign_setup"); err != nil {
		return nil, err
	}
	err = o.withKey(attrs, key, func(m []byte) (err error) {
		op, err = o.be.macSignSetup(&o.Hooks, attrs, m, alg)
		return err
	})
	return op, err
}

func (o *Opaque) MACVerifySetup(attrs values.Attributes, key []byte, alg values.Algorithm) (op driver.MACOperation, err error) {
	if err := o.hit("mac_verify_setup"); err != nil {
		return nil, err
	}
	err = o.withKey(attrs, key, func(m []byte) (err error) {
		op, err = o.be.macVerifySetup(&o.Hooks, attrs, m, alg)
		return err
	})
	return op, err
}

func (o *Opaque) CipherEncrypt(attrs values.Attributes, key []byte, alg values.Algorithm, iv, input, dst []byte) ([]byte, error) {
	return o.withKeyOut("cipher_encrypt", attrs, key, dst, func(m []byte) ([]byte, error) {
		return o.be.cipherEncrypt(attrs, m, alg, iv, input, dst)
	})
}

func (o *Opaque) CipherDecrypt(attrs values.Attributes, key []byte, alg values.Algorithm, input, dst []byte) ([]byte, error) {
	return o.withKeyOut("cipher_decrypt", attrs, key, dst, func(m []byte) ([]byte, error) {
		return o.be.cipherDecrypt(attrs, m, alg, input, dst)
	})
}

func (o *Opaque) CipherEncryptSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (op driver.CipherOperation, err error) {
	if err := o.hit("cipher_encrypt_setup"); err != nil {
		return nil, err
	}
	err = o.withKey(attrs, key, func(m []byte) (err error) {
		op, err = o.be.cipherEncryptSetup(&o.Hooks, attrs, m, alg)
		return err
	})
	return op, err
}

func (o *Opaque) CipherDecryptSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (op driver.CipherOperation, err error) {
	if err := o.hit("cipher_decrypt_setup"); err != nil {
		return nil, err
	}
	err = o.withKey(attrs, key, func(m []byte) (err error) {
		op, err = o.be.cipherDecryptSetup(&o.Hooks, attrs, m, alg)
		return err
	})
	return op, err
}

func (o *Opaque) AEADEncrypt(attrs values.Attributes, key []byte, alg values.Algorithm, nonce, ad, plaintext, dst []byte) ([]byte, error) {
	return o.withKeyOut("aead_encrypt", attrs, key, dst, func(m []byte) ([]byte, error) {
		return o.be.aeadEncrypt(attrs, m, alg, nonce, ad, plaintext, dst)
	})
}

func (o *Opaque) AEADDecrypt(attrs values.Attributes, key []byte, alg values.Algorithm, nonce, ad, ciphertext, dst []byte) ([]byte, error) {
	return o.withKeyOut("aead_decrypt", attrs, key, dst, func(m []byte) ([]byte, error) {
		return o.be.aeadDecrypt(attrs, m, alg, nonce, ad, ciphertext, dst)
	})
}

func (o *Opaque) AEADEncryptSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (op driver.AEADOperation, err error) {
	if err := o.hit("aead_encrypt_setup"); err != nil {
		return nil, err
	}
	err = o.withKey(attrs, key, func(m []byte) (err error) {
		op, err = o.be.aeadEncryptSetup(&o.Hooks, attrs, m, alg)
		return err
	})
	return op, err
}

func (o *Opaque) AEADDecryptSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (op driver.AEADOperation, err error) {
	if err := o.hit("aead_decrypt_setup"); err != nil {
		return nil, err
	}
	err = o.withKey(attrs, key, func(m []byte) (err error) {
		op, err = o.be.aeadDecryptSetup(&o.Hooks, attrs, m, alg)
		return err
	})
	return op, err
}

func (o *Opaque) SignHash(attrs values.Attributes, key []byte, alg values.Algorithm, hash, dst []byte) ([]byte, error) {
	return o.withKeyOut("sign_hash", attrs, key, dst, func(m []byte) ([]byte, error) {
		return o.be.signHash(attrs, m, alg, hash, dst)
	})
}

func (o *Opaque) VerifyHash(attrs values.Attributes, key []byte, alg values.Algorithm, hash, signature []byte) error {
	if err := o.hit("verify_hash"); err != nil {
		return err
	}
	return o.withKey(attrs, key, func(m []byte) error { return o.be.verifyHash(attrs, m, alg, hash, signature) })
}

func (o *Opaque) SignMessage(attrs values.Attributes, key []byte, alg values.Algorithm, message, dst []byte) ([]byte, error) {
	return o.withKeyOut("sign_message", attrs, key, dst, func(m []byte) ([]byte, error) {
		return o.be.signMessage(attrs, m, alg, message, dst)
	})
}

func (o *Opaque) VerifyMessage(attrs values.Attributes, key []byte, alg values.Algorithm, message, signature []byte) error {
	if err := o.hit("verify_message"); err != nil {
		return err
	}
	return o.withKey(attrs, key, func(m []byte) error { return o.be.verifyMessage(attrs, m, alg, message, signature) })
}

func (o *Opaque) AsymmetricEncrypt(attrs values.Attributes, key []byte, alg values.Algorithm, input, salt, dst []byte) ([]byte, error) {
	return o.withKeyOut("asymmetric_encrypt", attrs, key, dst, func(m []byte) ([]byte, error) {
		return o.be.asymmetricEncrypt(attrs, m, alg, input, salt, dst)
	})
}

func (o *Opaque) AsymmetricDecrypt(attrs values.Attributes, key []byte, alg values.Algorithm, input, salt, dst []byte) ([]byte, error) {
	return o.withKeyOut("asymmetric_decrypt", attrs, key, dst, func(m []byte) ([]byte, error) {
		return o.be.asymmetricDecrypt(attrs, m, alg, input, salt, dst)
	})
}

func (o *Opaque) KeyAgreement(attrs values.Attributes, key []byte, alg values.Algorithm, peer, dst []byte) ([]byte, error) {
	return o.withKeyOut("key_agreement", attrs, key, dst, func(m []byte) ([]byte, error) {
		return o.be.keyAgreement(attrs, m, alg, peer, dst)
	})
}

// KeyAgreementToKey keeps the shared secret in the secure element: it
// becomes the material of a new key context for secretAttrs.
func (o *Opaque) KeyAgreementToKey(attrs values.Attributes, key []byte, alg values.Algorithm, peer []byte, secretAttrs values.Attributes, dst []byte) ([]byte, error) {
	return o.withKeyOut("key_agreement_to_key", attrs, key, dst, func(m []byte) ([]byte, error) {
		secret, err := o.be.keyAgreement(attrs, m, alg, peer, nil)
		if err != nil {
			return nil, err
		}
		defer clear(secret)
		bits := secretAttrs.Bits
		if bits == 0 {
			bits = 8 * len(secret)
		}
		return o.wrap(secretAttrs, bits, secret, dst)
	})
}

// Encapsulate's forced output is the ciphertext; the shared secret is then
// as many zero bytes.
func (o *Opaque) Encapsulate(attrs values.Attributes, key []byte, alg values.Algorithm, dst []byte) (ciphertext, secret []byte, err error) {
	forced, err := o.enter("encapsulate")
	if err != nil {
		return nil, nil, err
	}
	if forced != nil {
		return append(dst, forced...), make([]byte, len(forced)), nil
	}
	err = o.withKey(attrs, key, func(m []byte) (err error) {
		ciphertext, secret, err = o.be.encapsulate(attrs, m, alg, dst)
		return err
	})
	return ciphertext, secret, err
}

func (o *Opaque) Decapsulate(attrs values.Attributes, key []byte, alg values.Algorithm, ciphertext, dst []byte) ([]byte, error) {
	return o.withKeyOut("decapsulate", attrs, key, dst, func(m []byte) ([]byte, error) {
		return o.be.decapsulate(attrs, m, alg, ciphertext, dst)
	})
}

func (o *Opaque) WrapKey(attrs values.Attributes, key []byte, alg values.Algorithm, data, dst []byte) ([]byte, error) {
	return o.withKeyOut("wrap_key", attrs, key, dst, func(m []byte) ([]byte, error) {
		return o.be.wrapKey(attrs, m, alg, data, dst)
	})
}

func (o *Opaque) UnwrapKey(attrs values.Attributes, key []byte, alg values.Algorithm, wrapped, dst []byte) ([]byte, error) {
	return o.withKeyOut("unwrap_key", attrs, key, dst, func(m []byte) ([]byte, error) {
		return o.be.unwrapKey(attrs, m, alg, wrapped, dst)
	})
}

// clearInputs shows the builtin driver the clear material of the key
// inputs of a key derivation that are held by an opaque driver.
type clearInputs struct {
	driver.DerivationInputs
	o    *Opaque
	keys [][]byte
}

func (c *clearInputs) Key(step values.DerivationStep) (values.Attributes, []byte, error) {
	a, k, err := c.DerivationInputs.Key(step)
	if err != nil || a.Lifetime.Location() == values.LocationLocalStorage {
		return a, k, err
	}
	m, err := c.o.unwrap(a, k)
	if err != nil {
		return a, nil, err
	}
	c.keys = append(c.keys, m)
	return a, m, nil
}

func (o *Opaque) KeyDerivationSetup(alg values.Algorithm, inputs driver.DerivationInputs) (driver.DerivationOperation, error) {
	if err := o.hit("key_derivation_setup"); err != nil {
		return nil, err
	}
	ci := &clearInputs{DerivationInputs: inputs, o: o}
	defer func() {
		for _, k := range ci.keys {
			clear(k)
		}
	}()
	return o.be.keyDerivationSetup(&o.Hooks, alg, ci)
}

// clearPAKEInputs shows the builtin driver the clear password.
type clearPAKEInputs struct {
	driver.PAKEInputs
	password []byte
	attrs    values.Attributes
}

func (c *clearPAKEInputs) Password() (values.Attributes, []byte) { return c.attrs, c.password }

func (o *Opaque) PAKESetup(inputs driver.PAKEInputs) (driver.PAKEOperation, error) {
	if err := o.hit("pake_setup"); err != nil {
		return nil, err
	}
	attrs, key := inputs.Password()
	m, err := o.unwrap(attrs, key)
	if err != nil {
		return nil, err
	}
	defer clear(m)
	return o.be.pakeSetup(&o.Hooks, &clearPAKEInputs{inputs, m, attrs})
}

// ForgetKey is the forget_key notification: counted only, since the key
// buffer of an opaque key is a wrapped key that no cache holds.
func (o *Opaque) ForgetKey(attrs values.Attributes, key []byte) { _ = o.hit("forget_key") }
