package testdriver

import (
	"fmt"
	"io"
	"sync"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/drivers/builtin"
	"github.com/gopsa/psa/values"
)

// backend is the builtin driver that does the test drivers' computations
// on clear key material. It reaches each entry point through its driver
// interface, so that the test drivers build while the builtin driver is
// still gaining entry points: one it lacks answers ErrNotSupported.
type backend struct {
	once sync.Once
	b    *builtin.Driver
}

func (e *backend) get() *builtin.Driver {
	e.once.Do(func() { e.b = new(builtin.Driver) })
	return e.b
}

// missing is the error of an entry point the builtin driver does not have.
func missing(ep string) error {
	return fmt.Errorf("testdriver: the builtin driver has no %q entry point: %w", ep, values.ErrNotSupported)
}

// output counts a call of ep and, unless a forced answer ends it, computes
// the output with compute.
func output(h *Hooks, ep string, dst []byte, compute func() ([]byte, error)) ([]byte, error) {
	forced, err := h.enter(ep)
	if err != nil {
		return nil, err
	}
	if forced != nil {
		return append(dst, forced...), nil
	}
	return compute()
}

func (e *backend) init(h driver.Host) error { return e.get().Init(h) }

func (e *backend) free() error {
	if f, ok := any(e.get()).(driver.Freer); ok {
		return f.Free()
	}
	return nil
}

func (e *backend) importKey(attrs values.Attributes, data, dst []byte) ([]byte, int, error) {
	return e.get().ImportKey(attrs, data, dst)
}

func (e *backend) generateKey(attrs values.Attributes, params driver.ProductionParameters, dst []byte) ([]byte, error) {
	return e.get().GenerateKey(attrs, params, dst)
}

func (e *backend) exportPublicKey(attrs values.Attributes, key, dst []byte) ([]byte, error) {
	return e.get().ExportPublicKey(attrs, key, dst)
}

func (e *backend) deriveKey(attrs values.Attributes, stream io.Reader, dst []byte) ([]byte, error) {
	return e.get().DeriveKey(attrs, stream, dst)
}

func (e *backend) hashCompute(alg values.Algorithm, input, dst []byte) ([]byte, error) {
	if b, ok := any(e.get()).(driver.HashComputer); ok {
		return b.HashCompute(alg, input, dst)
	}
	return nil, missing("hash_compute")
}

func (e *backend) hashSetup(h *Hooks, alg values.Algorithm) (driver.HashOperation, error) {
	b, ok := any(e.get()).(driver.HashMultipart)
	if !ok {
		return nil, missing("hash_setup")
	}
	op, err := b.HashSetup(alg)
	if err != nil {
		return nil, err
	}
	return &hashOp{h, op}, nil
}

func (e *backend) hashResume(h *Hooks, alg values.Algorithm, state []byte) (driver.HashOperation, error) {
	b, ok := any(e.get()).(driver.HashResumer)
	if !ok {
		return nil, missing("hash_resume")
	}
	op, err := b.HashResume(alg, state)
	if err != nil {
		return nil, err
	}
	return &hashOp{h, op}, nil
}

func (e *backend) xofSetup(h *Hooks, alg values.Algorithm) (driver.XOFOperation, error) {
	b, ok := any(e.get()).(driver.XOFMultipart)
	if !ok {
		return nil, missing("xof_setup")
	}
	op, err := b.XOFSetup(alg)
	if err != nil {
		return nil, err
	}
	return &xofOp{h, op}, nil
}

func (e *backend) macCompute(attrs values.Attributes, key []byte, alg values.Algorithm, input, dst []byte) ([]byte, error) {
	if b, ok := any(e.get()).(driver.MACComputer); ok {
		return b.MACCompute(attrs, key, alg, input, dst)
	}
	return nil, missing("mac_compute")
}

func (e *backend) macVerify(attrs values.Attributes, key []byte, alg values.Algorithm, input, mac []byte) error {
	if b, ok := any(e.get()).(driver.MACVerifier); ok {
		return b.MACVerify(attrs, key, alg, input, mac)
	}
	return missing("mac_verify")
}

func (e *backend) macSignSetup(h *Hooks, attrs values.Attributes, key []byte, alg values.Algorithm) (driver.MACOperation, error) {
	b, ok := any(e.get()).(driver.MACMultipart)
	if !ok {
		return nil, missing("mac_sign_setup")
	}
	op, err := b.MACSignSetup(attrs, key, alg)
	if err != nil {
		return nil, err
	}
	return &macOp{h, op}, nil
}

func (e *backend) macVerifySetup(h *Hooks, attrs values.Attributes, key []byte, alg values.Algorithm) (driver.MACOperation, error) {
	b, ok := any(e.get()).(driver.MACVerifyMultipart)
	if !ok {
		return nil, missing("mac_verify_setup")
	}
	op, err := b.MACVerifySetup(attrs, key, alg)
	if err != nil {
		return nil, err
	}
	return &macOp{h, op}, nil
}

func (e *backend) cipherEncrypt(attrs values.Attributes, key []byte, alg values.Algorithm, iv, input, dst []byte) ([]byte, error) {
	if b, ok := any(e.get()).(driver.CipherEncrypter); ok {
		return b.CipherEncrypt(attrs, key, alg, iv, input, dst)
	}
	return nil, missing("cipher_encrypt")
}

func (e *backend) cipherDecrypt(attrs values.Attributes, key []byte, alg values.Algorithm, input, dst []byte) ([]byte, error) {
	if b, ok := any(e.get()).(driver.CipherDecrypter); ok {
		return b.CipherDecrypt(attrs, key, alg, input, dst)
	}
	return nil, missing("cipher_decrypt")
}

func (e *backend) cipherEncryptSetup(h *Hooks, attrs values.Attributes, key []byte, alg values.Algorithm) (driver.CipherOperation, error) {
	b, ok := any(e.get()).(driver.CipherEncryptMultipart)
	if !ok {
		return nil, missing("cipher_encrypt_setup")
	}
	op, err := b.CipherEncryptSetup(attrs, key, alg)
	if err != nil {
		return nil, err
	}
	return &cipherOp{h, op}, nil
}

func (e *backend) cipherDecryptSetup(h *Hooks, attrs values.Attributes, key []byte, alg values.Algorithm) (driver.CipherOperation, error) {
	b, ok := any(e.get()).(driver.CipherDecryptMultipart)
	if !ok {
		return nil, missing("cipher_decrypt_setup")
	}
	op, err := b.CipherDecryptSetup(attrs, key, alg)
	if err != nil {
		return nil, err
	}
	return &cipherOp{h, op}, nil
}

func (e *backend) aeadEncrypt(attrs values.Attributes, key []byte, alg values.Algorithm, nonce, ad, plaintext, dst []byte) ([]byte, error) {
	if b, ok := any(e.get()).(driver.AEADEncrypter); ok {
		return b.AEADEncrypt(attrs, key, alg, nonce, ad, plaintext, dst)
	}
	return nil, missing("aead_encrypt")
}

func (e *backend) aeadDecrypt(attrs values.Attributes, key []byte, alg values.Algorithm, nonce, ad, ciphertext, dst []byte) ([]byte, error) {
	if b, ok := any(e.get()).(driver.AEADDecrypter); ok {
		return b.AEADDecrypt(attrs, key, alg, nonce, ad, ciphertext, dst)
	}
	return nil, missing("aead_decrypt")
}

func (e *backend) aeadEncryptSetup(h *Hooks, attrs values.Attributes, key []byte, alg values.Algorithm) (driver.AEADOperation, error) {
	b, ok := any(e.get()).(driver.AEADEncryptMultipart)
	if !ok {
		return nil, missing("aead_encrypt_setup")
	}
	op, err := b.AEADEncryptSetup(attrs, key, alg)
	if err != nil {
		return nil, err
	}
	return &aeadOp{h, op}, nil
}

func (e *backend) aeadDecryptSetup(h *Hooks, attrs values.Attributes, key []byte, alg values.Algorithm) (driver.AEADOperation, error) {
	b, ok := any(e.get()).(driver.AEADDecryptMultipart)
	if !ok {
		return nil, missing("aead_decrypt_setup")
	}
	op, err := b.AEADDecryptSetup(attrs, key, alg)
	if err != nil {
		return nil, err
	}
	return &aeadOp{h, op}, nil
}

func (e *backend) signHash(attrs values.Attributes, key []byte, alg values.Algorithm, hash, dst []byte) ([]byte, error) {
	if b, ok := any(e.get()).(driver.HashSigner); ok {
		return b.SignHash(attrs, key, alg, hash, dst)
	}
	return nil, missing("sign_hash")
}

func (e *backend) verifyHash(attrs values.Attributes, key []byte, alg values.Algorithm, hash, signature []byte) error {
	if b, ok := any(e.get()).(driver.HashVerifier); ok {
		return b.VerifyHash(attrs, key, alg, hash, signature)
	}
	return missing("verify_hash")
}

func (e *backend) signMessage(attrs values.Attributes, key []byte, alg values.Algorithm, message, dst []byte) ([]byte, error) {
	if b, ok := any(e.get()).(driver.MessageSigner); ok {
		return b.SignMessage(attrs, key, alg, message, dst)
	}
	return nil, missing("sign_message")
}

func (e *backend) verifyMessage(attrs values.Attributes, key []byte, alg values.Algorithm, message, signature []byte) error {
	if b, ok := any(e.get()).(driver.MessageVerifier); ok {
		return b.VerifyMessage(attrs, key, alg, message, signature)
	}
	return missing("verify_message")
}

func (e *backend) asymmetricEncrypt(attrs values.Attributes, key []byte, alg values.Algorithm, input, salt, dst []byte) ([]byte, error) {
	if b, ok := any(e.get()).(driver.AsymmetricEncrypter); ok {
		return b.AsymmetricEncrypt(attrs, key, alg, input, salt, dst)
	}
	return nil, missing("asymmetric_encrypt")
}

func (e *backend) asymmetricDecrypt(attrs values.Attributes, key []byte, alg values.Algorithm, input, salt, dst []byte) ([]byte, error) {
	if b, ok := any(e.get()).(driver.AsymmetricDecrypter); ok {
		return b.AsymmetricDecrypt(attrs, key, alg, input, salt, dst)
	}
	return nil, missing("asymmetric_decrypt")
}

func (e *backend) keyAgreement(attrs values.Attributes, key []byte, alg values.Algorithm, peer, dst []byte) ([]byte, error) {
	if b, ok := any(e.get()).(driver.KeyAgreer); ok {
		return b.KeyAgreement(attrs, key, alg, peer, dst)
	}
	return nil, missing("key_agreement")
}

func (e *backend) encapsulate(attrs values.Attributes, key []byte, alg values.Algorithm, dst []byte) ([]byte, []byte, error) {
	if b, ok := any(e.get()).(driver.Encapsulator); ok {
		return b.Encapsulate(attrs, key, alg, dst)
	}
	return nil, nil, missing("encapsulate")
}

func (e *backend) decapsulate(attrs values.Attributes, key []byte, alg values.Algorithm, ciphertext, dst []byte) ([]byte, error) {
	if b, ok := any(e.get()).(driver.Decapsulator); ok {
		return b.Decapsulate(attrs, key, alg, ciphertext, dst)
	}
	return nil, missing("decapsulate")
}

func (e *backend) wrapKey(attrs values.Attributes, key []byte, alg values.Algorithm, data, dst []byte) ([]byte, error) {
	if b, ok := any(e.get()).(driver.KeyWrapper); ok {
		return b.WrapKey(attrs, key, alg, data, dst)
	}
	return nil, missing("wrap_key")
}

func (e *backend) unwrapKey(attrs values.Attributes, key []byte, alg values.Algorithm, wrapped, dst []byte) ([]byte, error) {
	if b, ok := any(e.get()).(driver.KeyUnwrapper); ok {
		return b.UnwrapKey(attrs, key, alg, wrapped, dst)
	}
	return nil, missing("unwrap_key")
}

func (e *backend) keyDerivationSetup(h *Hooks, alg values.Algorithm, inputs driver.DerivationInputs) (driver.DerivationOperation, error) {
	b, ok := any(e.get()).(driver.KeyDerivation)
	if !ok {
		return nil, missing("key_derivation_setup")
	}
	op, err := b.KeyDerivationSetup(alg, inputs)
	if err != nil {
		return nil, err
	}
	return &derivationOp{h, op}, nil
}

func (e *backend) pakeSetup(h *Hooks, inputs driver.PAKEInputs) (driver.PAKEOperation, error) {
	b, ok := any(e.get()).(driver.PAKE)
	if !ok {
		return nil, missing("pake_setup")
	}
	op, err := b.PAKESetup(inputs)
	if err != nil {
		return nil, err
	}
	return &pakeOp{h, op}, nil
}
