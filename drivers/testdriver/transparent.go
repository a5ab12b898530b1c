package testdriver

import (
	"io"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// Transparent is the transparent test driver (transparent.json): every
// entry point counts its calls in the embedded Hooks, answers as a test
// forced it to, and otherwise computes with its own builtin driver. The
// zero value is ready to use; Init gives the builtin driver the instance's
// random source.
type Transparent struct {
	Hooks
	be backend
}

func (t *Transparent) Init(h driver.Host) error {
	if err := t.hit("init"); err != nil {
		return err
	}
	return t.be.init(h)
}

func (t *Transparent) Free() error {
	if err := t.hit("free"); err != nil {
		return err
	}
	return t.be.free()
}

func (t *Transparent) ImportKey(attrs values.Attributes, data, dst []byte) ([]byte, int, error) {
	forced, err := t.enter("import_key")
	if err != nil {
		return nil, 0, err
	}
	if forced != nil {
		return append(dst, forced...), attrs.Bits, nil
	}
	return t.be.importKey(attrs, data, dst)
}

func (t *Transparent) GenerateKey(attrs values.Attributes, params driver.ProductionParameters, dst []byte) ([]byte, error) {
	return output(&t.Hooks, "generate_key", dst, func() ([]byte, error) { return t.be.generateKey(attrs, params, dst) })
}

func (t *Transparent) ExportPublicKey(attrs values.Attributes, key, dst []byte) ([]byte, error) {
	return output(&t.Hooks, "export_public_key", dst, func() ([]byte, error) { return t.be.exportPublicKey(attrs, key, dst) })
}

func (t *Transparent) DeriveKey(attrs values.Attributes, stream io.Reader, dst []byte) ([]byte, error) {
	return output(&t.Hooks, "derive_key", dst, func() ([]byte, error) { return t.be.deriveKey(attrs, stream, dst) })
}

func (t *Transparent) HashCompute(alg values.Algorithm, input, dst []byte) ([]byte, error) {
	return output(&t.Hooks, "hash_compute", dst, func() ([]byte, error) { return t.be.hashCompute(alg, input, dst) })
}

func (t *Transparent) HashSetup(alg values.Algorithm) (driver.HashOperation, error) {
	if err := t.hit("hash_setup"); err != nil {
		return nil, err
	}
	return t.be.hashSetup(&t.Hooks, alg)
}

func (t *Transparent) HashResume(alg values.Algorithm, state []byte) (driver.HashOperation, error) {
	if err := t.hit("hash_resume"); err != nil {
		return nil, err
	}
	return t.be.hashResume(&t.Hooks, alg, state)
}

func (t *Transparent) XOFSetup(alg values.Algorithm) (driver.XOFOperation, error) {
	if err := t.hit("xof_setup"); err != nil {
		return nil, err
	}
	return t.be.xofSetup(&t.Hooks, alg)
}

func (t *Transparent) MACCompute(attrs values.Attributes, key []byte, alg values.Algorithm, input, dst []byte) ([]byte, error) {
	return output(&t.Hooks, "mac_compute", dst, func() ([]byte, error) { return t.be.macCompute(attrs, key, alg, input, dst) })
}

func (t *Transparent) MACVerify(attrs values.Attributes, key []byte, alg values.Algorithm, input, mac []byte) error {
	if err := t.hit("mac_verify"); err != nil {
		return err
	}
	return t.be.macVerify(attrs, key, alg, input, mac)
}

func (t *Transparent) MACSignSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (driver.MACOperation, error) {
	if err := t.hit("mac_sign_setup"); err != nil {
		return nil, err
	}
	return t.be.macSignSetup(&t.Hooks, attrs, key, alg)
}

func (t *Transparent) MACVerifySetup(attrs values.Attributes, key []byte, alg values.Algorithm) (driver.MACOperation, error) {
	if err := t.hit("mac_verify_setup"); err != nil {
		return nil, err
	}
	return t.be.macVerifySetup(&t.Hooks, attrs, key, alg)
}

func (t *Transparent) CipherEncrypt(attrs values.Attributes, key []byte, alg values.Algorithm, iv, input, dst []byte) ([]byte, error) {
	return output(&t.Hooks, "cipher_encrypt", dst, func() ([]byte, error) { return t.be.cipherEncrypt(attrs, key, alg, iv, input, dst) })
}

func (t *Transparent) CipherDecrypt(attrs values.Attributes, key []byte, alg values.Algorithm, input, dst []byte) ([]byte, error) {
	return output(&t.Hooks, "cipher_decrypt", dst, func() ([]byte, error) { return t.be.cipherDecrypt(attrs, key, alg, input, dst) })
}

func (t *Transparent) CipherEncryptSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (driver.CipherOperation, error) {
	if err := t.hit("cipher_encrypt_setup"); err != nil {
		return nil, err
	}
	return t.be.cipherEncryptSetup(&t.Hooks, attrs, key, alg)
}

func (t *Transparent) CipherDecryptSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (driver.CipherOperation, error) {
	if err := t.hit("cipher_decrypt_setup"); err != nil {
		return nil, err
	}
	return t.be.cipherDecryptSetup(&t.Hooks, attrs, key, alg)
}

func (t *Transparent) AEADEncrypt(attrs values.Attributes, key []byte, alg values.Algorithm, nonce, ad, plaintext, dst []byte) ([]byte, error) {
	return output(&t.Hooks, "aead_encrypt", dst, func() ([]byte, error) { return t.be.aeadEncrypt(attrs, key, alg, nonce, ad, plaintext, dst) })
}

func (t *Transparent) AEADDecrypt(attrs values.Attributes, key []byte, alg values.Algorithm, nonce, ad, ciphertext, dst []byte) ([]byte, error) {
	return output(&t.Hooks, "aead_decrypt", dst, func() ([]byte, error) { return t.be.aeadDecrypt(attrs, key, alg, nonce, ad, ciphertext, dst) })
}

func (t *Transparent) AEADEncryptSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (driver.AEADOperation, error) {
	if err := t.hit("aead_encrypt_setup"); err != nil {
		return nil, err
	}
	return t.be.aeadEncryptSetup(&t.Hooks, attrs, key, alg)
}

func (t *Transparent) AEADDecryptSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (driver.AEADOperation, error) {
	if err := t.hit("aead_decrypt_setup"); err != nil {
		return nil, err
	}
	return t.be.aeadDecryptSetup(&t.Hooks, attrs, key, alg)
}

func (t *Transparent) SignHash(attrs values.Attributes, key []byte, alg values.Algorithm, hash, dst []byte) ([]byte, error) {
	return output(&t.Hooks, "sign_hash", dst, func() ([]byte, error) { return t.be.signHash(attrs, key, alg, hash, dst) })
}

func (t *Transparent) VerifyHash(attrs values.Attributes, key []byte, alg values.Algorithm, hash, signature []byte) error {
	if err := t.hit("verify_hash"); err != nil {
		return err
	}
	return t.be.verifyHash(attrs, key, alg, hash, signature)
}

func (t *Transparent) SignMessage(attrs values.Attributes, key []byte, alg values.Algorithm, message, dst []byte) ([]byte, error) {
	return output(&t.Hooks, "sign_message", dst, func() ([]byte, error) { return t.be.signMessage(attrs, key, alg, message, dst) })
}

func (t *Transparent) VerifyMessage(attrs values.Attributes, key []byte, alg values.Algorithm, message, signature []byte) error {
	if err := t.hit("verify_message"); err != nil {
		return err
	}
	return t.be.verifyMessage(attrs, key, alg, message, signature)
}

func (t *Transparent) AsymmetricEncrypt(attrs values.Attributes, key []byte, alg values.Algorithm, input, salt, dst []byte) ([]byte, error) {
	return output(&t.Hooks, "asymmetric_encrypt", dst, func() ([]byte, error) { return t.be.asymmetricEncrypt(attrs, key, alg, input, salt, dst) })
}

func (t *Transparent) AsymmetricDecrypt(attrs values.Attributes, key []byte, alg values.Algorithm, input, salt, dst []byte) ([]byte, error) {
	return output(&t.Hooks, "asymmetric_decrypt", dst, func() ([]byte, error) { return t.be.asymmetricDecrypt(attrs, key, alg, input, salt, dst) })
}

func (t *Transparent) KeyAgreement(attrs values.Attributes, key []byte, alg values.Algorithm, peer, dst []byte) ([]byte, error) {
	return output(&t.Hooks, "key_agreement", dst, func() ([]byte, error) { return t.be.keyAgreement(attrs, key, alg, peer, dst) })
}

// Encapsulate's forced output is the ciphertext; the shared secret is then
// as many zero bytes.
func (t *Transparent) Encapsulate(attrs values.Attributes, key []byte, alg values.Algorithm, dst []byte) (ciphertext, secret []byte, err error) {
	forced, err := t.enter("encapsulate")
	if err != nil {
		return nil, nil, err
	}
	if forced != nil {
		return append(dst, forced...), make([]byte, len(forced)), nil
	}
	return t.be.encapsulate(attrs, key, alg, dst)
}

func (t *Transparent) Decapsulate(attrs values.Attributes, key []byte, alg values.Algorithm, ciphertext, dst []byte) ([]byte, error) {
	return output(&t.Hooks, "decapsulate", dst, func() ([]byte, error) { return t.be.decapsulate(attrs, key, alg, ciphertext, dst) })
}

func (t *Transparent) WrapKey(attrs values.Attributes, key []byte, alg values.Algorithm, data, dst []byte) ([]byte, error) {
	return output(&t.Hooks, "wrap_key", dst, func() ([]byte, error) { return t.be.wrapKey(attrs, key, alg, data, dst) })
}

func (t *Transparent) UnwrapKey(attrs values.Attributes, key []byte, alg values.Algorithm, wrapped, dst []byte) ([]byte, error) {
	return output(&t.Hooks, "unwrap_key", dst, func() ([]byte, error) { return t.be.unwrapKey(attrs, key, alg, wrapped, dst) })
}

func (t *Transparent) KeyDerivationSetup(alg values.Algorithm, inputs driver.DerivationInputs) (driver.DerivationOperation, error) {
	if err := t.hit("key_derivation_setup"); err != nil {
		return nil, err
	}
	return t.be.keyDerivationSetup(&t.Hooks, alg, inputs)
}

func (t *Transparent) PAKESetup(inputs driver.PAKEInputs) (driver.PAKEOperation, error) {
	if err := t.hit("pake_setup"); err != nil {
		return nil, err
	}
	return t.be.pakeSetup(&t.Hooks, inputs)
}

// ForgetKey is the forget_key notification: counted, then passed to the
// builtin driver, which drops what it derived from the key buffer.
func (t *Transparent) ForgetKey(attrs values.Attributes, key []byte) {
	_ = t.hit("forget_key")
	if f, ok := any(t.be.get()).(driver.KeyForgetter); ok {
		f.ForgetKey(attrs, key)
	}
}
