// Package p256 is an example transparent driver in the spirit of the
// C reference's p256-m driver: ECDSA and ECDH on secp256r1, and nothing
// else. It shows what a driver is made of, small enough to read in one
// sitting: a Go type whose methods are the entry points of package driver,
// and a description (driver.json) that tells the dispatch generator which
// entry points, algorithms, key types and sizes the type handles. See
// docs/writing-a-driver.md for the walk-through.
//
// The driver implements import_key, export_public_key, generate_key,
// sign_hash, verify_hash and key_agreement for
// PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1) and
// PSA_KEY_TYPE_ECC_PUBLIC_KEY(PSA_ECC_FAMILY_SECP_R1) keys of 256 bits,
// with randomized ECDSA (PSA_ALG_ECDSA) and raw ECDH (PSA_ALG_ECDH). It has
// no sign_message or verify_message entry point: for a hash-and-sign
// algorithm the core hashes the message and calls sign_hash. Deterministic
// ECDSA is not supported for signing (it verifies like randomized ECDSA).
// The arithmetic is Go's: crypto/ecdh and crypto/ecdsa.
//
// Key buffers are the PSA export formats: a key pair is its 32-byte
// private scalar, a public key is the 65-byte uncompressed point
// 0x04 || x || y.
//
// A request outside this scope (another curve or size, another algorithm)
// is answered with values.ErrNotSupported, so that, with "fallback": true
// in the description, the dispatch passes it on to the next driver.
// Invalid input is values.ErrInvalidArgument; a signature that does not
// verify is values.ErrInvalidSignature.
package p256

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"io"
	"math/big"
	"sync"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// Sizes of the key buffers and outputs of the driver.
const (
	PrivateKeySize   = 32 // a secp256r1 private scalar
	PublicKeySize    = 65 // 0x04 || x || y
	SignatureSize    = 64 // r || s
	SharedSecretSize = 32 // the x-coordinate of the shared point
)

var (
	keyPairType   = values.KeyTypeECCKeyPair(values.ECCFamilySECPR1)
	publicKeyType = values.KeyTypeECCPublicKey(values.ECCFamilySECPR1)
)

// Driver is the p256 transparent driver. The zero value is ready to use,
// with the operating system's random source until Init gives it the
// instance's. A Driver is safe for concurrent use.
type Driver struct {
	mu   sync.Mutex
	rand io.Reader
}

// Init is the "init" entry point: it takes the instance's random source.
func (d *Driver) Init(h driver.Host) error {
	d.mu.Lock()
	d.rand = h.Rand()
	d.mu.Unlock()
	return nil
}

func (d *Driver) random() io.Reader {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.rand == nil {
		return rand.Reader
	}
	return d.rand
}

// checkKey refuses keys that are not secp256r1 keys of 256 bits (bits 0
// means "not known yet", as for import_key).
func checkKey(what string, attrs *values.Attributes, pairOnly bool) error {
	ok := attrs.Type == keyPairType || (!pairOnly && attrs.Type == publicKeyType)
	if !ok || (attrs.Bits != 0 && attrs.Bits != 256) {
		want := "a secp256r1 key pair or public key"
		if pairOnly {
			want = "a secp256r1 key pair"
		}
		return fmt.Errorf("p256: %s: a %d-bit %v is not supported (want %s of 256 bits): %w",
			what, attrs.Bits, attrs.Type, want, values.ErrNotSupported)
	}
	return nil
}

// ImportKey is the "import_key" entry point: it validates a private
// scalar (1 ≤ d < n) or an uncompressed point on the curve and appends it
// unchanged to dst. Data of another length is another curve's key:
// ErrNotSupported.
func (d *Driver) ImportKey(attrs values.Attributes, data, dst []byte) ([]byte, int, error) {
	const what = "import key"
	if err := checkKey(what, &attrs, false); err != nil {
		return nil, 0, err
	}
	if attrs.Type == keyPairType {
		if len(data) != PrivateKeySize {
			return nil, 0, fmt.Errorf("p256: %s: a %d-byte private key is not a secp256r1 key (want %d bytes): %w",
				what, len(data), PrivateKeySize, values.ErrNotSupported)
		}
		if _, err := ecdh.P256().NewPrivateKey(data); err != nil {
			return nil, 0, fmt.Errorf("p256: %s: not a valid secp256r1 private key (want 0 < d < n, big-endian): %w",
				what, values.ErrInvalidArgument)
		}
		return append(dst, data...), 256, nil
	}
	if len(data) != PublicKeySize {
		return nil, 0, fmt.Errorf("p256: %s: a %d-byte public key is not an uncompressed secp256r1 point (want %d bytes, 0x04 || x || y): %w",
			what, len(data), PublicKeySize, values.ErrNotSupported)
	}
	if _, err := ecdh.P256().NewPublicKey(data); err != nil {
		return nil, 0, fmt.Errorf("p256: %s: not a point on secp256r1 (want 0x04 || x || y): %w", what, values.ErrInvalidArgument)
	}
	return append(dst, data...), 256, nil
}

// ExportPublicKey is the "export_public_key" entry point: it appends the
// uncompressed public point of key to dst.
func (d *Driver) ExportPublicKey(attrs values.Attributes, key, dst []byte) ([]byte, error) {
	const what = "export public key"
	if err := checkKey(what, &attrs, false); err != nil {
		return nil, err
	}
	if attrs.Type == publicKeyType {
		if len(key) != PublicKeySize {
			return nil, badBuffer(what, key)
		}
		return append(dst, key...), nil
	}
	priv, err := ecdh.P256().NewPrivateKey(key)
	if err != nil {
		return nil, badBuffer(what, key)
	}
	return append(dst, priv.PublicKey().Bytes()...), nil
}

// GenerateKey is the "generate_key" entry point: a new random key pair.
func (d *Driver) GenerateKey(attrs values.Attributes, params driver.ProductionParameters, dst []byte) ([]byte, error) {
	const what = "generate key"
	if err := checkKey(what, &attrs, true); err != nil {
		return nil, err
	}
	if params.Flags != 0 || len(params.Data) != 0 {
		return nil, fmt.Errorf("p256: %s: custom production parameters are not supported for secp256r1 (want flags 0 and no data): %w",
			what, values.ErrInvalidArgument)
	}
	priv, err := ecdh.P256().GenerateKey(d.random())
	if err != nil {
		return nil, fmt.Errorf("p256: %s: %v: %w", what, err, values.ErrInsufficientEntropy)
	}
	return append(dst, priv.Bytes()...), nil
}

// SignHash is the "sign_hash" entry point: a randomized ECDSA signature
// r || s of hash, each 32 bytes. A hash longer than 32 bytes is truncated
// as ECDSA specifies.
func (d *Driver) SignHash(attrs values.Attributes, key []byte, alg values.Algorithm, hash, dst []byte) ([]byte, error) {
	const what = "sign hash"
	if err := checkKey(what, &attrs, true); err != nil {
		return nil, err
	}
	if !alg.IsRandomizedECDSA() {
		return nil, fmt.Errorf("p256: %s: %v is not supported (want randomized PSA_ALG_ECDSA): %w", what, alg, values.ErrNotSupported)
	}
	if err := checkHash(what, alg, hash); err != nil {
		return nil, err
	}
	priv, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), key)
	if err != nil {
		return nil, badBuffer(what, key)
	}
	r, s, err := ecdsa.Sign(d.random(), priv, hash)
	if err != nil {
		return nil, fmt.Errorf("p256: %s: %v: %w", what, err, values.ErrInsufficientEntropy)
	}
	out := append(dst, make([]byte, SignatureSize)...)
	sig := out[len(dst):]
	r.FillBytes(sig[:SignatureSize/2])
	s.FillBytes(sig[SignatureSize/2:])
	return out, nil
}

// VerifyHash is the "verify_hash" entry point: nil if signature (r || s)
// is a valid ECDSA signature of hash, deterministic or randomized, and
// values.ErrInvalidSignature if not.
func (d *Driver) VerifyHash(attrs values.Attributes, key []byte, alg values.Algorithm, hash, signature []byte) error {
	const what = "verify hash"
	if err := checkKey(what, &attrs, false); err != nil {
		return err
	}
	if !alg.IsECDSA() {
		return fmt.Errorf("p256: %s: %v is not supported (want PSA_ALG_ECDSA or PSA_ALG_DETERMINISTIC_ECDSA): %w", what, alg, values.ErrNotSupported)
	}
	if err := checkHash(what, alg, hash); err != nil {
		return err
	}
	pub, err := publicKey(&attrs, key)
	if err != nil {
		return badBuffer(what, key)
	}
	if len(signature) != SignatureSize {
		return fmt.Errorf("p256: %s: a %d-byte signature is not a secp256r1 ECDSA signature (want %d bytes, r || s): %w",
			what, len(signature), SignatureSize, values.ErrInvalidSignature)
	}
	r := new(big.Int).SetBytes(signature[:SignatureSize/2])
	s := new(big.Int).SetBytes(signature[SignatureSize/2:])
	if !ecdsa.Verify(pub, hash, r, s) {
		return fmt.Errorf("p256: %s: the signature does not match the hash and key: %w", what, values.ErrInvalidSignature)
	}
	return nil
}

// KeyAgreement is the "key_agreement" entry point: raw ECDH
// (PSA_ALG_ECDH) with an uncompressed peer point; the shared secret is the
// 32-byte x-coordinate of the shared point.
func (d *Driver) KeyAgreement(attrs values.Attributes, key []byte, alg values.Algorithm, peer, dst []byte) ([]byte, error) {
	const what = "key agreement"
	if err := checkKey(what, &attrs, true); err != nil {
		return nil, err
	}
	if alg != values.AlgECDH {
		return nil, fmt.Errorf("p256: %s: %v is not supported (want PSA_ALG_ECDH): %w", what, alg, values.ErrNotSupported)
	}
	priv, err := ecdh.P256().NewPrivateKey(key)
	if err != nil {
		return nil, badBuffer(what, key)
	}
	pub, err := ecdh.P256().NewPublicKey(peer)
	if err != nil {
		return nil, fmt.Errorf("p256: %s: the %d-byte peer key is not an uncompressed secp256r1 point (want %d bytes, 0x04 || x || y, on the curve): %w",
			what, len(peer), PublicKeySize, values.ErrInvalidArgument)
	}
	secret, err := priv.ECDH(pub)
	if err != nil {
		return nil, fmt.Errorf("p256: %s: %v: %w", what, err, values.ErrInvalidArgument)
	}
	out := append(dst, secret...)
	clear(secret)
	return out, nil
}

// checkHash checks the hash length when the algorithm names its hash.
func checkHash(what string, alg values.Algorithm, hash []byte) error {
	if n := values.HashLength(alg.Hash()); n != 0 && len(hash) != n {
		return fmt.Errorf("p256: %s: a %d-byte hash does not fit %v (want %d bytes): %w", what, len(hash), alg, n, values.ErrInvalidArgument)
	}
	if len(hash) == 0 {
		return fmt.Errorf("p256: %s: empty hash: %w", what, values.ErrInvalidArgument)
	}
	return nil
}

// publicKey returns the public key of a key buffer.
func publicKey(attrs *values.Attributes, key []byte) (*ecdsa.PublicKey, error) {
	if attrs.Type == publicKeyType {
		return ecdsa.ParseUncompressedPublicKey(elliptic.P256(), key)
	}
	priv, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), key)
	if err != nil {
		return nil, err
	}
	return &priv.PublicKey, nil
}

// badBuffer reports a key buffer that ImportKey or GenerateKey did not
// produce: the core's record of the key is damaged.
func badBuffer(what string, key []byte) error {
	return fmt.Errorf("p256: %s: a %d-byte key buffer that is not a secp256r1 key: %w", what, len(key), values.ErrCorruptionDetected)
}
