package builtin

import (
	"fmt"
	"io"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// Key management: import_key, export_public_key, generate_key and
// derive_key for every key type of PSA Crypto API 1.5.
//
// The key buffer of a builtin key is its export format (the "Key format"
// of its type in the specification), so that export_key is a copy that the
// core makes itself. Import converts the other input formats that the
// specification allows into that format: an unclamped Montgomery private
// key is stored clamped.
//
// Entry points validate as the driver interface's "Key validation" section
// asks, so that operations never receive a malformed key. A request that
// the specification forbids or whose data is malformed is
// values.ErrInvalidArgument; a well-formed request for a key type or size
// that the builtin driver does not implement is values.ErrNotSupported.
// Every error says what was wrong and what is accepted.
//
// Which sizes are supported, per key type:
//
//   - RAW_DATA, DERIVE, HMAC, PASSWORD, PASSWORD_HASH, PEPPER: any nonzero
//     multiple of 8 bits up to 65528 (the largest size a 16-bit key size
//     attribute holds in whole bytes); BLAKE2: up to 512 bits.
//   - AES, ARIA, Camellia: 128, 192, 256 bits and the XTS double sizes 384
//     and 512; SM4: 128 and 256 (XTS); DES: 64, 128, 192 with correct
//     parity; ChaCha20, XChaCha20: 256; Ascon: 128 and 256 (nonce masking);
//     ARC4: 40 to 2048 bits.
//   - ECC: secp192r1, secp224r1, secp256r1, secp384r1, secp521r1,
//     secp192k1, secp256k1, brainpoolP192r1 to brainpoolP512r1 (except
//     the deprecated P160r1), Curve25519, Curve448, Edwards25519 and
//     Edwards448. Binary curves, secp160r2, secp224k1, brainpoolP160r1 and
//     FRP256v1 are not supported.
//   - RSA: moduli of 512 to 8192 bits, a multiple of 8, on import; 1024
//     to 4096 bits on generation; public exponents that are odd, greater
//     than 1 and at most 2³¹-1 (what crypto/rsa accepts).
//   - DH: the RFC 7919 and RFC 3526 groups of 2048, 3072, 4096, 6144 and
//     8192 bits.
//   - ML-KEM-512/768/1024, ML-DSA-44/65/87, every SLH-DSA parameter set;
//     LMS, HSS, XMSS and XMSS^MT public keys with SHA-256, SHA-256/192,
//     SHAKE256/256 and SHAKE256/192 parameter sets.
//   - SPAKE2+ and WPA3-SAE keys over the Weierstrass curves above and, for
//     WPA3-SAE, the DH groups above.

// maxRawBytes is the largest unstructured key, in bytes: key sizes are
// stored in 16 bits, and must be whole bytes.
const maxRawBytes = 0xfff8 / 8

// ImportKey is the "import_key" entry point: it validates data as a key of
// type attrs.Type, determines its size, checks it against attrs.Bits when
// that is nonzero, and appends the key in its export format to dst.
func (d *Driver) ImportKey(attrs values.Attributes, data, dst []byte) ([]byte, int, error) {
	t := attrs.Type
	switch {
	case t.IsUnstructured():
		return importUnstructured(attrs, data, dst)
	case t.IsRSA():
		return importRSA(attrs, data, dst)
	case t.IsECC():
		return importECC(attrs, data, dst)
	case t.IsDH():
		return importDH(attrs, data, dst)
	case t.IsMLKEM():
		return importMLKEM(attrs, data, dst)
	case t.IsMLDSA():
		return importMLDSA(attrs, data, dst)
	case t.IsSLHDSA():
		return importSLHDSA(attrs, data, dst)
	case t == values.KeyTypeLMSPublicKey, t == values.KeyTypeHSSPublicKey,
		t == values.KeyTypeXMSSPublicKey, t == values.KeyTypeXMSSMTPublicKey:
		return importStatefulHashPublic(attrs, data, dst)
	case t.IsSPAKE2P():
		return importSPAKE2P(attrs, data, dst)
	case t.IsWPA3SAEECC(), t.IsWPA3SAEDH():
		return importWPA3SAE(attrs, data, dst)
	}
	return nil, 0, unsupportedType("import", t)
}

// ExportPublicKey is the "export_public_key" entry point: for a public key
// it appends key itself, for a key pair it computes the public key and
// appends it in the export format of the corresponding public-key type.
// key must be a key buffer that ImportKey, GenerateKey or DeriveKey
// produced for attrs.
func (d *Driver) ExportPublicKey(attrs values.Attributes, key, dst []byte) ([]byte, error) {
	t := attrs.Type
	if !t.IsAsymmetric() {
		return nil, fmt.Errorf("export public key: %v is not an asymmetric key type: %w", t, values.ErrInvalidArgument)
	}
	if t.IsPublicKey() {
		return append(dst, key...), nil
	}
	switch {
	case t.IsRSA():
		return exportPublicRSA(key, dst)
	case t.IsECC():
		return exportPublicECC(attrs, key, dst)
	case t.IsDH():
		return exportPublicDH(attrs, key, dst)
	case t.IsMLKEM():
		return exportPublicMLKEM(attrs, key, dst)
	case t.IsMLDSA():
		return exportPublicMLDSA(attrs, key, dst)
	case t.IsSLHDSA():
		return exportPublicSLHDSA(attrs, key, dst)
	case t.IsSPAKE2P():
		return exportPublicSPAKE2P(attrs, key, dst)
	}
	return nil, unsupportedType("export public key", t)
}

// GenerateKey is the "generate_key" entry point: it appends a new random
// key of type attrs.Type and size attrs.Bits, in its export format, to
// dst. Randomness comes from the instance's random source (see Init),
// except for RSA keys with the default exponent, which crypto/rsa
// generates from the operating system's source (Go 1.26 ignores a caller's
// reader there). params.Flags must be 0; params.Data is the public
// exponent of an RSA key pair (big-endian, empty for 65537) and must be
// empty for other types. Public-key types cannot be generated
// (values.ErrInvalidArgument).
func (d *Driver) GenerateKey(attrs values.Attributes, params driver.ProductionParameters, dst []byte) ([]byte, error) {
	t := attrs.Type
	if params.Flags != 0 {
		return nil, fmt.Errorf("generate %v key: production parameter flags 0x%x are not defined (want 0): %w", t, params.Flags, values.ErrInvalidArgument)
	}
	if t.IsRSA() && t.IsKeyPair() {
		return generateRSA(d.random(), attrs, params.Data, dst)
	}
	if len(params.Data) != 0 {
		return nil, fmt.Errorf("generate %v key: custom production data is only defined for RSA key pairs (want none): %w", t, values.ErrInvalidArgument)
	}
	if t.IsPublicKey() {
		return nil, fmt.Errorf("generate key: %v is a public-key type; generate the key pair and export its public key: %w", t, values.ErrInvalidArgument)
	}
	if attrs.Bits == 0 {
		return nil, fmt.Errorf("generate %v key: the key size is required (it is 0): %w", t, values.ErrInvalidArgument)
	}
	if t.IsSPAKE2P() || t.IsWPA3SAEECC() || t.IsWPA3SAEDH() {
		return nil, fmt.Errorf("generate key: %v keys can only be derived (from a password, with their PAKE's key derivation): %w", t, values.ErrInvalidArgument)
	}
	return d.produce("generate", attrs, d.random(), dst)
}

// DeriveKey is the "derive_key" entry point: it builds a key of type
// attrs.Type and size attrs.Bits from the output stream of a key
// derivation, as the "Key derivation" section of the key type specifies,
// and appends it, in its export format, to dst. For DES, Weierstrass and
// DH private keys it may read more than the key size (rejection
// sampling); for other types it reads exactly what the specification
// says. An error from stream is returned as is.
func (d *Driver) DeriveKey(attrs values.Attributes, stream io.Reader, dst []byte) ([]byte, error) {
	t := attrs.Type
	if t.IsPublicKey() {
		return nil, fmt.Errorf("derive key: %v is a public-key type and cannot be derived: %w", t, values.ErrInvalidArgument)
	}
	if t.IsRSA() {
		return nil, fmt.Errorf("derive key: RSA key derivation is not supported: %w", values.ErrNotSupported)
	}
	if t.IsWPA3SAEECC() || t.IsWPA3SAEDH() {
		return nil, fmt.Errorf("derive key: %v tokens are produced by the WPA3-SAE H2E derivation itself: %w", t, values.ErrNotSupported)
	}
	if attrs.Bits == 0 {
		return nil, fmt.Errorf("derive %v key: the key size is required (it is 0): %w", t, values.ErrInvalidArgument)
	}
	return d.produce("derive", attrs, stream, dst)
}

// produce makes a key from a byte stream: the derivation procedure of the
// key type, which is also how the builtin driver generates keys from
// random bytes.
func (d *Driver) produce(op string, attrs values.Attributes, r io.Reader, dst []byte) ([]byte, error) {
	t := attrs.Type
	switch {
	case t.IsUnstructured():
		return produceUnstructured(op, attrs, r, dst)
	case t.IsECC():
		return produceECC(op, attrs, r, dst)
	case t.IsDH():
		return produceDH(op, attrs, r, dst)
	case t.IsMLKEM():
		return produceMLKEM(op, attrs, r, dst)
	case t.IsMLDSA():
		return produceMLDSA(op, attrs, r, dst)
	case t.IsSLHDSA():
		return produceSLHDSA(op, attrs, r, dst)
	case t.IsSPAKE2P():
		return produceSPAKE2P(op, attrs, r, dst)
	}
	return nil, unsupportedType(op, t)
}

func unsupportedType(op string, t values.KeyType) error {
	if t == values.KeyTypeNone {
		return fmt.Errorf("%s key: no key type: %w", op, values.ErrNotSupported)
	}
	return fmt.Errorf("%s key: key type %v is not supported by the builtin driver: %w", op, t, values.ErrNotSupported)
}

// checkBits compares the size found in the data with the size the
// application asked for.
func checkBits(op string, attrs values.Attributes, bits int) error {
	if attrs.Bits != 0 && attrs.Bits != bits {
		return fmt.Errorf("%s %v key: the attributes ask for %d bits but the data is a %d-bit key: %w", op, attrs.Type, attrs.Bits, bits, values.ErrInvalidArgument)
	}
	return nil
}

// readFull reads len(buf) bytes of a key derivation or random stream.
func readFull(r io.Reader, buf []byte) error {
	if _, err := io.ReadFull(r, buf); err != nil {
		return err
	}
	return nil
}

// clear zeroes a buffer that held secret material.
func wipe(b []byte) { clear(b) }
