package psa

import (
	"bytes"
	"crypto"
	"crypto/ecdh"
	"crypto/mlkem"
	"crypto/subtle"
	encasn1 "encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"

	"github.com/cloudflare/circl/kem"
	"github.com/cloudflare/circl/kem/mlkem/mlkem1024"
	"github.com/cloudflare/circl/kem/mlkem/mlkem512"
	"github.com/cloudflare/circl/kem/mlkem/mlkem768"
	"github.com/cloudflare/circl/sign"
	"github.com/cloudflare/circl/sign/mldsa/mldsa44"
	"github.com/cloudflare/circl/sign/mldsa/mldsa65"
	"github.com/cloudflare/circl/sign/mldsa/mldsa87"
	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"
)

// This file converts keys between the PSA export formats and the
// formats that files and other libraries use: PKCS#8 (RFC 5208, RFC 5958),
// SubjectPublicKeyInfo (RFC 5280), PKCS#1 (RFC 8017), SEC 1 ECPrivateKey
// (RFC 5915), PEM (RFC 7468) and the key types of the Go standard library.
//
// The algorithm identifiers are those of RFC 8017 (RSA), RFC 5480 and
// RFC 5639 (elliptic curves on named curves), RFC 8410 (X25519, X448,
// Ed25519, Ed448), RFC 9881 (ML-DSA), RFC 9935 (ML-KEM) and RFC 9909
// (SLH-DSA). ML-KEM and ML-DSA private keys are written in the "seed"
// form of their CHOICE, which is exactly the PSA key-pair format.

// ImportPKCS8 imports a private key from its DER-encoded PKCS#8
// PrivateKeyInfo or OneAsymmetricKey (RFC 5208, RFC 5958), as
// x509.MarshalPKCS8PrivateKey and "openssl genpkey" write it.
//
// The key's type and size come from the file: attrs.Type and attrs.Bits
// may be left zero, and if set they must match it, so that a caller who
// expects, say, a P-256 key does not import a P-384 one. The rest of attrs
// (usage, algorithm, lifetime, identifier) is used as in ImportKey.
//
// Supported algorithms: RSA (two-prime), elliptic curves on a named curve
// of the SECP R1, SECP K1, SECP R2, Brainpool P R1 and FRP families,
// X25519, X448, Ed25519, Ed448, ML-KEM and ML-DSA (in the seed or the
// both form of RFC 9935 and RFC 9881, whose expanded key must be the one
// the seed expands to) and SLH-DSA; which of them import depends on the
// drivers of the build. A public key carried in the file must match the
// private key, or the key is destroyed and the import fails.
//
// Errors wrap ErrInvalidArgument for a malformed structure or a mismatch
// with attrs, ErrNotSupported for an algorithm or parameter form that
// gopsa does not handle (naming its OID), and the errors of ImportKey.
// der is not retained or modified.
func (c *Crypto) ImportPKCS8(attrs Attributes, der []byte) (KeyID, error) {
	k, err := parsePKCS8(der)
	if err != nil {
		return 0, fmt.Errorf("import PKCS#8: %w", err)
	}
	return c.importConverted("import PKCS#8", attrs, k)
}

// ImportPublicKeyDER imports a public key from its DER-encoded
// SubjectPublicKeyInfo (RFC 5280), as x509.MarshalPKIXPublicKey writes it.
// attrs.Type and attrs.Bits work as in ImportPKCS8, with the public-key
// types: PSA_KEY_TYPE_ECC_PUBLIC_KEY, PSA_KEY_TYPE_RSA_PUBLIC_KEY...
// Elliptic curve points must be uncompressed, the PSA format.
func (c *Crypto) ImportPublicKeyDER(attrs Attributes, der []byte) (KeyID, error) {
	k, err := parseSPKI(der)
	if err != nil {
		return 0, fmt.Errorf("import SubjectPublicKeyInfo: %w", err)
	}
	return c.importConverted("import SubjectPublicKeyInfo", attrs, k)
}

// ImportPEM imports the first key of a PEM file (RFC 7468). It accepts
// the block types "PRIVATE KEY" (PKCS#8), "RSA PRIVATE KEY" (PKCS#1),
// "EC PRIVATE KEY" (SEC 1, with its named curve), "PUBLIC KEY"
// (SubjectPublicKeyInfo) and "RSA PUBLIC KEY" (PKCS#1). Blocks of other
// types before the key, such as "EC PARAMETERS" or "CERTIFICATE", are
// skipped; what follows the key is ignored. An encrypted key
// ("ENCRYPTED PRIVATE KEY", or a Proc-Type: 4,ENCRYPTED header) is refused
// with ErrNotSupported: decrypt it first. attrs works as in ImportPKCS8.
func (c *Crypto) ImportPEM(attrs Attributes, pemBytes []byte) (KeyID, error) {
	const what = "import PEM"
	var seen []string
	rest := pemBytes
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED") {
			return 0, fmt.Errorf("%s: the %q block is encrypted, and gopsa imports only unencrypted keys (decrypt it first, for example with openssl pkey): %w",
				what, b.Type, ErrNotSupported)
		}
		var (
			k   convertedKey
			err error
		)
		switch b.Type {
		case "PRIVATE KEY":
			k, err = parsePKCS8(b.Bytes)
		case "RSA PRIVATE KEY":
			k, err = parseRSAPrivateKey(b.Bytes)
		case "EC PRIVATE KEY":
			k, err = parseECPrivateKey(b.Bytes, nil)
		case "PUBLIC KEY":
			k, err = parseSPKI(b.Bytes)
		case "RSA PUBLIC KEY":
			k, err = parseRSAPublicKey(b.Bytes)
		default:
			seen = append(seen, fmt.Sprintf("%q", b.Type))
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("%s: %q block: %w", what, b.Type, err)
		}
		return c.importConverted(what, attrs, k)
	}
	found := "no PEM block"
	if len(seen) > 0 {
		found = "only blocks of type " + strings.Join(seen, ", ")
	}
	return 0, fmt.Errorf(`%s: %s; want a "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "PUBLIC KEY" or "RSA PUBLIC KEY" block: %w`,
		what, found, ErrInvalidArgument)
}

// ExportPKCS8 returns the private key id as a DER-encoded PKCS#8
// PrivateKeyInfo (RFC 5208), which x509.ParsePKCS8PrivateKey reads for
// RSA, ECDSA, Ed25519 and X25519 keys. The key must be a key pair with
// UsageExport (ErrNotPermitted otherwise); of an opaque key, only what its
// driver exports. The ECPrivateKey of a Weierstrass curve key carries
// its public key, as OpenSSL and crypto/x509 write it. The result holds
// the secret key: wipe it after use.
func (c *Crypto) ExportPKCS8(id KeyID) ([]byte, error) {
	const what = "export PKCS#8"
	attrs, err := c.KeyAttributes(id)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if !attrs.Type.IsKeyPair() {
		return nil, fmt.Errorf("%s: key 0x%08x is a %v, not a key pair (ExportPublicKeyDER exports a public key): %w",
			what, uint32(id), attrs.Type, ErrInvalidArgument)
	}
	priv, err := c.ExportKey(id, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer clear(priv)
	var pub []byte
	if attrs.Type.IsECC() && attrs.Type.ECCFamily() != ECCFamilyMontgomery && attrs.Type.ECCFamily() != ECCFamilyTwistedEdwards {
		if pub, err = c.ExportPublicKey(id, nil); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
	}
	der, err := marshalPKCS8(attrs, priv, pub)
	if err != nil {
		return nil, fmt.Errorf("%s: key 0x%08x: %w", what, uint32(id), err)
	}
	return der, nil
}

// ExportPublicKeyDER returns the public key of the asymmetric key id (a
// key pair or a public key) as a DER-encoded SubjectPublicKeyInfo
// (RFC 5280), which x509.ParsePKIXPublicKey reads for RSA, ECDSA, Ed25519
// and X25519 keys. It needs no usage flag, and works for opaque keys
// through ExportPublicKey.
func (c *Crypto) ExportPublicKeyDER(id KeyID) ([]byte, error) {
	const what = "export SubjectPublicKeyInfo"
	attrs, pub, err := c.publicKeyData(id, what)
	if err != nil {
		return nil, err
	}
	der, err := marshalSPKI(attrs, pub)
	if err != nil {
		return nil, fmt.Errorf("%s: key 0x%08x: %w", what, uint32(id), err)
	}
	return der, nil
}

// ExportPEM returns key id in PEM: its public key as a "PUBLIC KEY" block
// (SubjectPublicKeyInfo) if public is true, and otherwise the key pair as
// a "PRIVATE KEY" block (PKCS#8, needing UsageExport). See
// ExportPublicKeyDER and ExportPKCS8.
func (c *Crypto) ExportPEM(id KeyID, public bool) ([]byte, error) {
	if public {
		der, err := c.ExportPublicKeyDER(id)
		if err != nil {
			return nil, err
		}
		return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
	}
	der, err := c.ExportPKCS8(id)
	if err != nil {
		return nil, err
	}
	defer clear(der)
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// PublicKey returns the public key of the asymmetric key id as a value of
// the Go standard library, for crypto/x509 (CreateCertificate,
// MarshalPKIXPublicKey) and friends: *rsa.PublicKey,
// *ecdsa.PublicKey (secp224r1, secp256r1, secp384r1, secp521r1),
// ed25519.PublicKey, *ecdh.PublicKey (X25519) or
// *mlkem.EncapsulationKey768 and *mlkem.EncapsulationKey1024. Other key
// types (secp192r1, other curve families, X448, Ed448, ML-KEM-512, ML-DSA,
// SLH-DSA...) have no standard library type and fail with ErrNotSupported;
// ExportPublicKeyDER encodes them. Opaque keys work through
// ExportPublicKey.
func (c *Crypto) PublicKey(id KeyID) (crypto.PublicKey, error) {
	const what = "public key"
	attrs, data, err := c.publicKeyData(id, what)
	if err != nil {
		return nil, err
	}
	pub, err := goPublicKey(attrs, data)
	if err != nil {
		return nil, fmt.Errorf("%s: key 0x%08x: %w", what, uint32(id), err)
	}
	return pub, nil
}

// publicKeyData returns the attributes of the asymmetric key id and its
// public key in the PSA format.
func (c *Crypto) publicKeyData(id KeyID, what string) (Attributes, []byte, error) {
	attrs, err := c.KeyAttributes(id)
	if err != nil {
		return attrs, nil, fmt.Errorf("%s: %w", what, err)
	}
	if !attrs.Type.IsAsymmetric() {
		return attrs, nil, fmt.Errorf("%s: key 0x%08x is a %v, which has no public key: %w", what, uint32(id), attrs.Type, ErrInvalidArgument)
	}
	data, err := c.ExportPublicKey(id, nil)
	if err != nil {
		return attrs, nil, fmt.Errorf("%s: %w", what, err)
	}
	return attrs, data, nil
}

// goPublicKey converts a public key in the PSA format to the Go standard
// library's type. signerParsePublic covers the types that the Signer
// adapter uses; this adds the key-agreement and KEM types.
func goPublicKey(attrs Attributes, data []byte) (crypto.PublicKey, error) {
	pub, err := signerParsePublic(attrs, data)
	if err != nil || pub != nil {
		return pub, err
	}
	t := attrs.Type
	switch {
	case t.IsECC() && t.ECCFamily() == ECCFamilyMontgomery && attrs.Bits == 255:
		pub, err = ecdh.X25519().NewPublicKey(data)
	case t.IsMLKEM() && attrs.Bits == 768:
		pub, err = mlkem.NewEncapsulationKey768(data)
	case t.IsMLKEM() && attrs.Bits == 1024:
		pub, err = mlkem.NewEncapsulationKey1024(data)
	default:
		return nil, fmt.Errorf("a %d-bit %v has no Go standard library type (there are types for RSA, ECDSA on P-224 to P-521, Ed25519, X25519, ML-KEM-768 and ML-KEM-1024; ExportPublicKeyDER encodes it as a SubjectPublicKeyInfo): %w",
			attrs.Bits, t, ErrNotSupported)
	}
	if err != nil {
		return nil, fmt.Errorf("parse the %d-bit %v: %v: %w", attrs.Bits, t, err, ErrCorruptionDetected)
	}
	return pub, nil
}

// convertedKey is a key read from a file, in PSA terms.
type convertedKey struct {
	typ  KeyType
	bits int
	name string // what the file calls the algorithm, for messages
	data []byte // the PSA import format
	// secret is set when data is a copy that holds secret material, to
	// be wiped once imported.
	secret bool
	// pub is a public key that the file carries next to a private key,
	// in the PSA format; checked against the imported key.
	pub []byte
	// expanded is the expanded ML-KEM or ML-DSA private key that the
	// file carries next to the seed (the "both" form); checked against
	// the seed.
	expanded []byte
	alg      *keyAlg
}

// importConverted checks k against attrs.Type and attrs.Bits, imports it
// and checks the public key that the file carried, if any.
func (c *Crypto) importConverted(what string, attrs Attributes, k convertedKey) (KeyID, error) {
	if k.secret {
		defer clear(k.data)
	}
	if attrs.Type != 0 && attrs.Type != k.typ {
		return 0, fmt.Errorf("%s: the file holds a %s key, of type %v, but attrs.Type is %v (leave it zero to take the type from the key): %w",
			what, k.name, k.typ, attrs.Type, ErrInvalidArgument)
	}
	if attrs.Bits != 0 && attrs.Bits != k.bits {
		return 0, fmt.Errorf("%s: the file holds a %d-bit %s key, but attrs.Bits is %d (leave it zero to take the size from the key): %w",
			what, k.bits, k.name, attrs.Bits, ErrInvalidArgument)
	}
	if k.expanded != nil && !expandedMatches(k.alg, k.data, k.expanded) {
		return 0, fmt.Errorf("%s: the expandedKey of the %s private key is not the one its seed expands to: %w", what, k.name, ErrInvalidArgument)
	}
	attrs.Type, attrs.Bits = k.typ, k.bits
	id, err := c.ImportKey(attrs, k.data)
	if err != nil {
		return 0, fmt.Errorf("%s: %s key: %w", what, k.name, err)
	}
	if k.pub == nil {
		return id, nil
	}
	pub, err := c.ExportPublicKey(id, nil)
	if err != nil {
		err = fmt.Errorf("%s: check the public key in the file: %w", what, err)
	} else if !bytes.Equal(pub, k.pub) {
		err = fmt.Errorf("%s: the public key in the file does not belong to its %s private key: %w", what, k.name, ErrInvalidArgument)
	}
	if err != nil {
		c.DestroyKey(id)
		return 0, err
	}
	return id, nil
}

// Object identifiers of key algorithms and named curves.
var (
	oidRSA         = encasn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidECPublicKey = encasn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
)

// oidNames names the key algorithms that gopsa recognizes but cannot
// import, for clearer errors.
var oidNames = map[string]string{
	"1.2.840.113549.1.1.10": "RSASSA-PSS",
	"1.2.840.113549.1.1.7":  "RSAES-OAEP",
	"1.2.840.10040.4.1":     "DSA",
	"1.2.840.113549.1.3.1":  "PKCS#3 Diffie-Hellman",
	"1.2.840.10046.2.1":     "X9.42 Diffie-Hellman",
	"1.3.132.1.12":          "ECDH-only elliptic curve",
	"1.3.132.1.13":          "ECMQV elliptic curve",
	"1.2.156.10197.1.301":   "SM2",
}

// keyConvForm is how an algorithm of algTable lays out its keys.
type keyConvForm int

const (
	formRFC8410 keyConvForm = iota // private key wrapped in an OCTET STRING
	formSeed                       // ML-KEM, ML-DSA: CHOICE { seed [0], expandedKey, both }
	formRaw                        // SLH-DSA: the raw private key
)

// keyAlg is a key algorithm that its OID alone identifies, without
// parameters.
type keyAlg struct {
	name    string
	oid     encasn1.ObjectIdentifier
	pair    KeyType
	bits    int
	form    keyConvForm
	privLen int // length of the PSA key-pair format
}

func nistAlg(arc ...int) encasn1.ObjectIdentifier {
	return append(encasn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4}, arc...)
}

func slhDSA(name string, arc int, f SLHDSAFamily, bits int) keyAlg {
	return keyAlg{name, nistAlg(3, arc), KeyTypeSLHDSAKeyPair(f), bits, formRaw, 4 * bits / 8}
}

var keyAlgs = []keyAlg{
	{"X25519", encasn1.ObjectIdentifier{1, 3, 101, 110}, KeyTypeECCKeyPair(ECCFamilyMontgomery), 255, formRFC8410, 32},
	{"X448", encasn1.ObjectIdentifier{1, 3, 101, 111}, KeyTypeECCKeyPair(ECCFamilyMontgomery), 448, formRFC8410, 56},
	{"Ed25519", encasn1.ObjectIdentifier{1, 3, 101, 112}, KeyTypeECCKeyPair(ECCFamilyTwistedEdwards), 255, formRFC8410, 32},
	{"Ed448", encasn1.ObjectIdentifier{1, 3, 101, 113}, KeyTypeECCKeyPair(ECCFamilyTwistedEdwards), 448, formRFC8410, 57},
	{"ML-KEM-512", nistAlg(4, 1), KeyTypeMLKEMKeyPair, 512, formSeed, 64},
	{"ML-KEM-768", nistAlg(4, 2), KeyTypeMLKEMKeyPair, 768, formSeed, 64},
	{"ML-KEM-1024", nistAlg(4, 3), KeyTypeMLKEMKeyPair, 1024, formSeed, 64},
	{"ML-DSA-44", nistAlg(3, 17), KeyTypeMLDSAKeyPair, 128, formSeed, 32},
	{"ML-DSA-65", nistAlg(3, 18), KeyTypeMLDSAKeyPair, 192, formSeed, 32},
	{"ML-DSA-87", nistAlg(3, 19), KeyTypeMLDSAKeyPair, 256, formSeed, 32},
	slhDSA("SLH-DSA-SHA2-128s", 20, SLHDSAFamilySHA2S, 128),
	slhDSA("SLH-DSA-SHA2-128f", 21, SLHDSAFamilySHA2F, 128),
	slhDSA("SLH-DSA-SHA2-192s", 22, SLHDSAFamilySHA2S, 192),
	slhDSA("SLH-DSA-SHA2-192f", 23, SLHDSAFamilySHA2F, 192),
	slhDSA("SLH-DSA-SHA2-256s", 24, SLHDSAFamilySHA2S, 256),
	slhDSA("SLH-DSA-SHA2-256f", 25, SLHDSAFamilySHA2F, 256),
	slhDSA("SLH-DSA-SHAKE-128s", 26, SLHDSAFamilySHAKES, 128),
	slhDSA("SLH-DSA-SHAKE-128f", 27, SLHDSAFamilySHAKEF, 128),
	slhDSA("SLH-DSA-SHAKE-192s", 28, SLHDSAFamilySHAKES, 192),
	slhDSA("SLH-DSA-SHAKE-192f", 29, SLHDSAFamilySHAKEF, 192),
	slhDSA("SLH-DSA-SHAKE-256s", 30, SLHDSAFamilySHAKES, 256),
	slhDSA("SLH-DSA-SHAKE-256f", 31, SLHDSAFamilySHAKEF, 256),
}

// namedCurve is a Weierstrass curve of a PSA family with its OID.
type namedCurve struct {
	name   string
	oid    encasn1.ObjectIdentifier
	family ECCFamily
	bits   int
}

func brainpool(name string, arc, bits int) namedCurve {
	return namedCurve{name, encasn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, arc}, ECCFamilyBrainpoolPR1, bits}
}

var namedCurves = []namedCurve{
	{"secp192r1", encasn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 1}, ECCFamilySECPR1, 192},
	{"secp224r1", encasn1.ObjectIdentifier{1, 3, 132, 0, 33}, ECCFamilySECPR1, 224},
	{"secp256r1", encasn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}, ECCFamilySECPR1, 256},
	{"secp384r1", encasn1.ObjectIdentifier{1, 3, 132, 0, 34}, ECCFamilySECPR1, 384},
	{"secp521r1", encasn1.ObjectIdentifier{1, 3, 132, 0, 35}, ECCFamilySECPR1, 521},
	{"secp192k1", encasn1.ObjectIdentifier{1, 3, 132, 0, 31}, ECCFamilySECPK1, 192},
	{"secp224k1", encasn1.ObjectIdentifier{1, 3, 132, 0, 32}, ECCFamilySECPK1, 225},
	{"secp256k1", encasn1.ObjectIdentifier{1, 3, 132, 0, 10}, ECCFamilySECPK1, 256},
	{"secp160r2", encasn1.ObjectIdentifier{1, 3, 132, 0, 30}, ECCFamilySECPR2, 160},
	brainpool("brainpoolP160r1", 1, 160),
	brainpool("brainpoolP192r1", 3, 192),
	brainpool("brainpoolP224r1", 5, 224),
	brainpool("brainpoolP256r1", 7, 256),
	brainpool("brainpoolP320r1", 9, 320),
	brainpool("brainpoolP384r1", 11, 384),
	brainpool("brainpoolP512r1", 13, 512),
	{"FRP256v1", encasn1.ObjectIdentifier{1, 2, 250, 1, 223, 101, 256, 1}, ECCFamilyFRP, 256},
}

func algByOID(oid encasn1.ObjectIdentifier) *keyAlg {
	for i := range keyAlgs {
		if keyAlgs[i].oid.Equal(oid) {
			return &keyAlgs[i]
		}
	}
	return nil
}

func algByKey(attrs Attributes) *keyAlg {
	pair := attrs.Type
	if pair.IsPublicKey() {
		pair = pair.KeyPairOfPublicKey()
	}
	for i := range keyAlgs {
		if keyAlgs[i].pair == pair && keyAlgs[i].bits == attrs.Bits {
			return &keyAlgs[i]
		}
	}
	return nil
}

func curveByOID(oid encasn1.ObjectIdentifier) *namedCurve {
	for i := range namedCurves {
		if namedCurves[i].oid.Equal(oid) {
			return &namedCurves[i]
		}
	}
	return nil
}

func curveByKey(f ECCFamily, bits int) *namedCurve {
	for i := range namedCurves {
		if namedCurves[i].family == f && namedCurves[i].bits == bits {
			return &namedCurves[i]
		}
	}
	return nil
}

// unsupportedOID is the error for a key algorithm that gopsa does not
// know.
func unsupportedOID(oid encasn1.ObjectIdentifier) error {
	name := ""
	if n, ok := oidNames[oid.String()]; ok {
		name = " (" + n + ")"
	}
	return fmt.Errorf("key algorithm %v%s is not supported (supported: RSA, EC on a named curve, X25519, X448, Ed25519, Ed448, ML-KEM, ML-DSA, SLH-DSA): %w",
		oid, name, ErrNotSupported)
}

// malformed is the error for a structure that does not decode.
func malformed(structure string) error {
	return fmt.Errorf("not a DER-encoded %s (truncated, trailing data or wrong field): %w", structure, ErrInvalidArgument)
}

// readAlgorithmIdentifier reads an AlgorithmIdentifier and returns its OID
// and its parameters, empty when absent.
func readAlgorithmIdentifier(s *cryptobyte.String) (encasn1.ObjectIdentifier, cryptobyte.String, bool) {
	var ai cryptobyte.String
	var oid encasn1.ObjectIdentifier
	if !s.ReadASN1(&ai, asn1.SEQUENCE) || !ai.ReadASN1ObjectIdentifier(&oid) {
		return nil, nil, false
	}
	return oid, ai, true
}

// parsePKCS8 reads a PrivateKeyInfo / OneAsymmetricKey (RFC 5958 §2).
func parsePKCS8(der []byte) (convertedKey, error) {
	const what = "PKCS#8 PrivateKeyInfo"
	input := cryptobyte.String(der)
	var (
		pki, priv, pubField cryptobyte.String
		version             int64
		hasPub              bool
	)
	if !input.ReadASN1(&pki, asn1.SEQUENCE) || !input.Empty() || !pki.ReadASN1Integer(&version) {
		return convertedKey{}, malformed(what)
	}
	oid, params, ok := readAlgorithmIdentifier(&pki)
	if !ok || !pki.ReadASN1(&priv, asn1.OCTET_STRING) ||
		!pki.SkipOptionalASN1(asn1.Tag(0).ContextSpecific().Constructed()) ||
		!pki.ReadOptionalASN1(&pubField, &hasPub, asn1.Tag(1).ContextSpecific()) || !pki.Empty() {
		return convertedKey{}, malformed(what)
	}
	if version != 0 && version != 1 {
		return convertedKey{}, fmt.Errorf("%s version %d (want 0 or 1): %w", what, version, ErrInvalidArgument)
	}
	var pub []byte
	if hasPub {
		// [1] IMPLICIT BIT STRING: an unused-bits count, then the key.
		if len(pubField) < 1 || pubField[0] != 0 {
			return convertedKey{}, malformed(what + " publicKey")
		}
		pub = pubField[1:]
	}

	if oid.Equal(oidRSA) {
		if !nullOrAbsent(params) {
			return convertedKey{}, fmt.Errorf("RSA algorithm parameters must be NULL: %w", ErrInvalidArgument)
		}
		return parseRSAPrivateKey(priv)
	}
	if oid.Equal(oidECPublicKey) {
		curve, err := parseECParameters(params)
		if err != nil {
			return convertedKey{}, err
		}
		return parseECPrivateKey(priv, curve)
	}
	alg := algByOID(oid)
	if alg == nil {
		return convertedKey{}, unsupportedOID(oid)
	}
	if !params.Empty() {
		return convertedKey{}, fmt.Errorf("%s algorithm identifier with parameters (they must be absent): %w", alg.name, ErrInvalidArgument)
	}
	var data, expanded []byte
	switch alg.form {
	case formRFC8410:
		// CurvePrivateKey ::= OCTET STRING
		var inner cryptobyte.String
		if !priv.ReadASN1(&inner, asn1.OCTET_STRING) || !priv.Empty() {
			return convertedKey{}, malformed(alg.name + " CurvePrivateKey (RFC 8410)")
		}
		data = inner
	case formSeed:
		var err error
		if data, expanded, err = parseSeedChoice(alg, priv); err != nil {
			return convertedKey{}, err
		}
	case formRaw:
		data = priv
	}
	if len(data) != alg.privLen {
		return convertedKey{}, fmt.Errorf("the %s private key is %d bytes long (want %d): %w", alg.name, len(data), alg.privLen, ErrInvalidArgument)
	}
	// For these algorithms, the public key of OneAsymmetricKey is in
	// the PSA format.
	return convertedKey{typ: alg.pair, bits: alg.bits, name: alg.name, data: data, pub: pub, expanded: expanded, alg: alg}, nil
}

// parseSeedChoice reads the private key CHOICE of ML-KEM and ML-DSA
// (RFC 9881 §6, RFC 9935 §6) and returns its seed, and the expanded key
// of the "both" form.
func parseSeedChoice(alg *keyAlg, priv cryptobyte.String) (seed, expanded []byte, err error) {
	switch {
	case priv.PeekASN1Tag(asn1.Tag(0).ContextSpecific()):
		if !priv.ReadASN1((*cryptobyte.String)(&seed), asn1.Tag(0).ContextSpecific()) || !priv.Empty() {
			return nil, nil, malformed(alg.name + " private key seed")
		}
	case priv.PeekASN1Tag(asn1.SEQUENCE):
		var both cryptobyte.String
		if !priv.ReadASN1(&both, asn1.SEQUENCE) || !priv.Empty() ||
			!both.ReadASN1((*cryptobyte.String)(&seed), asn1.OCTET_STRING) ||
			!both.ReadASN1((*cryptobyte.String)(&expanded), asn1.OCTET_STRING) || !both.Empty() {
			return nil, nil, malformed(alg.name + " private key (both seed and expandedKey)")
		}
	case priv.PeekASN1Tag(asn1.OCTET_STRING):
		return nil, nil, fmt.Errorf("the %s private key is in the expandedKey form only: PSA keeps these keys as their seed, which cannot be recovered from the expanded key (re-export it with its seed): %w",
			alg.name, ErrNotSupported)
	default:
		return nil, nil, malformed(alg.name + " private key (want the seed, expandedKey or both form)")
	}
	return seed, expanded, nil
}

// expandedMatches reports whether the expanded private key of the "both"
// form is the one that the seed expands to, as RFC 9881 §8 and RFC 9935 §8
// recommend checking: the imported key is the seed's, and a file whose
// two forms disagree was not made right.
func expandedMatches(alg *keyAlg, seed, expanded []byte) bool {
	var (
		want []byte
		err  error
	)
	if alg.pair == KeyTypeMLKEMKeyPair {
		s := map[int]kem.Scheme{512: mlkem512.Scheme(), 768: mlkem768.Scheme(), 1024: mlkem1024.Scheme()}[alg.bits]
		if s == nil || len(seed) != s.SeedSize() {
			return false
		}
		_, sk := s.DeriveKeyPair(seed)
		want, err = sk.MarshalBinary()
	} else {
		s := map[int]sign.Scheme{128: mldsa44.Scheme(), 192: mldsa65.Scheme(), 256: mldsa87.Scheme()}[alg.bits]
		if s == nil || len(seed) != s.SeedSize() {
			return false
		}
		_, sk := s.DeriveKey(seed)
		want, err = sk.MarshalBinary()
	}
	defer clear(want)
	return err == nil && subtle.ConstantTimeCompare(want, expanded) == 1
}

// nullOrAbsent reports whether algorithm parameters are NULL or absent.
func nullOrAbsent(params cryptobyte.String) bool {
	return params.Empty() || bytes.Equal(params, []byte{0x05, 0x00})
}

// parseECParameters reads ECParameters (RFC 5480 §2.1.1), accepting only
// a named curve.
func parseECParameters(params cryptobyte.String) (*namedCurve, error) {
	var oid encasn1.ObjectIdentifier
	switch {
	case params.PeekASN1Tag(asn1.OBJECT_IDENTIFIER):
		if !params.ReadASN1ObjectIdentifier(&oid) || !params.Empty() {
			return nil, malformed("EC named curve")
		}
	case params.Empty():
		return nil, fmt.Errorf("EC key without its curve (want a named curve in the parameters): %w", ErrInvalidArgument)
	default:
		return nil, fmt.Errorf("EC key with explicit or implicit curve parameters (only named curves are supported): %w", ErrNotSupported)
	}
	curve := curveByOID(oid)
	if curve == nil {
		return nil, fmt.Errorf("elliptic curve %v is not supported (supported: the SECP R1, SECP K1, SECP R2, Brainpool P R1 and FRP curves of the PSA API): %w", oid, ErrNotSupported)
	}
	return curve, nil
}

// parseECPrivateKey reads a SEC 1 ECPrivateKey (RFC 5915 §3). outer is
// the curve named by the enclosing PKCS#8 structure, nil if none; the
// key's own parameters must then name the curve.
func parseECPrivateKey(der []byte, outer *namedCurve) (convertedKey, error) {
	const what = "ECPrivateKey (RFC 5915)"
	input := cryptobyte.String(der)
	var (
		s, d, params, pubField cryptobyte.String
		version                int64
		hasParams, hasPub      bool
	)
	if !input.ReadASN1(&s, asn1.SEQUENCE) || !input.Empty() ||
		!s.ReadASN1Integer(&version) || !s.ReadASN1(&d, asn1.OCTET_STRING) ||
		!s.ReadOptionalASN1(&params, &hasParams, asn1.Tag(0).ContextSpecific().Constructed()) ||
		!s.ReadOptionalASN1(&pubField, &hasPub, asn1.Tag(1).ContextSpecific().Constructed()) || !s.Empty() {
		return convertedKey{}, malformed(what)
	}
	if version != 1 {
		return convertedKey{}, fmt.Errorf("%s version %d (want 1): %w", what, version, ErrInvalidArgument)
	}
	curve := outer
	if hasParams {
		inner, err := parseECParameters(params)
		if err != nil {
			return convertedKey{}, err
		}
		if outer != nil && inner != outer {
			return convertedKey{}, fmt.Errorf("the PKCS#8 algorithm names %s but the ECPrivateKey names %s: %w", outer.name, inner.name, ErrInvalidArgument)
		}
		curve = inner
	}
	if curve == nil {
		return convertedKey{}, fmt.Errorf("%s without its curve (want the parameters field with a named curve): %w", what, ErrInvalidArgument)
	}
	n := (curve.bits + 7) / 8
	// RFC 5915 fixes the length, but some encoders strip leading zeros.
	if len(d) > n || len(d) == 0 {
		return convertedKey{}, fmt.Errorf("the %s private key is %d bytes long (want %d): %w", curve.name, len(d), n, ErrInvalidArgument)
	}
	data := make([]byte, n)
	copy(data[n-len(d):], d)
	k := convertedKey{typ: KeyTypeECCKeyPair(curve.family), bits: curve.bits, name: curve.name, data: data, secret: true}
	if hasPub {
		var bs encasn1.BitString
		if !pubField.ReadASN1BitString(&bs) || !pubField.Empty() || bs.BitLength%8 != 0 {
			clear(data)
			return convertedKey{}, malformed(what + " publicKey")
		}
		// A compressed point cannot be compared with the PSA format;
		// the private key alone defines the key anyway.
		if len(bs.Bytes) > 0 && bs.Bytes[0] == 4 {
			k.pub = bs.Bytes
		}
	}
	return k, nil
}

// parseRSAPrivateKey reads a PKCS#1 RSAPrivateKey (RFC 8017 §A.1.2),
// which is also the PSA format: it is checked for shape and size here,
// and for consistency by the driver.
func parseRSAPrivateKey(der []byte) (convertedKey, error) {
	const what = "PKCS#1 RSAPrivateKey"
	input := cryptobyte.String(der)
	var (
		s       cryptobyte.String
		version int64
		n       = new(big.Int)
	)
	if !input.ReadASN1(&s, asn1.SEQUENCE) || !input.Empty() || !s.ReadASN1Integer(&version) || !s.ReadASN1Integer(n) {
		return convertedKey{}, malformed(what)
	}
	for range 7 { // e, d, p, q, dP, dQ, qInv: not copied out of der
		if !s.SkipASN1(asn1.INTEGER) {
			return convertedKey{}, malformed(what)
		}
	}
	switch {
	case version == 1:
		return convertedKey{}, fmt.Errorf("a multi-prime RSA private key (PSA supports two-prime keys, version 0): %w", ErrNotSupported)
	case version != 0:
		return convertedKey{}, fmt.Errorf("%s version %d (want 0): %w", what, version, ErrInvalidArgument)
	case !s.Empty():
		return convertedKey{}, malformed(what)
	case n.Sign() <= 0:
		return convertedKey{}, fmt.Errorf("an RSA modulus that is not positive: %w", ErrInvalidArgument)
	}
	return convertedKey{typ: KeyTypeRSAKeyPair, bits: n.BitLen(), name: "RSA", data: der}, nil
}

// parseRSAPublicKey reads a PKCS#1 RSAPublicKey (RFC 8017 §A.1.1), the
// PSA format of an RSA public key.
func parseRSAPublicKey(der []byte) (convertedKey, error) {
	const what = "PKCS#1 RSAPublicKey"
	input := cryptobyte.String(der)
	var s cryptobyte.String
	n, e := new(big.Int), new(big.Int)
	if !input.ReadASN1(&s, asn1.SEQUENCE) || !input.Empty() || !s.ReadASN1Integer(n) || !s.ReadASN1Integer(e) || !s.Empty() {
		return convertedKey{}, malformed(what)
	}
	if n.Sign() <= 0 || e.Sign() <= 0 {
		return convertedKey{}, fmt.Errorf("an RSA public key with a modulus or exponent that is not positive: %w", ErrInvalidArgument)
	}
	return convertedKey{typ: KeyTypeRSAPublicKey, bits: n.BitLen(), name: "RSA", data: der}, nil
}

// parseSPKI reads a SubjectPublicKeyInfo (RFC 5280 §4.1).
func parseSPKI(der []byte) (convertedKey, error) {
	const what = "SubjectPublicKeyInfo"
	input := cryptobyte.String(der)
	var (
		spki cryptobyte.String
		bs   encasn1.BitString
	)
	if !input.ReadASN1(&spki, asn1.SEQUENCE) || !input.Empty() {
		return convertedKey{}, malformed(what)
	}
	oid, params, ok := readAlgorithmIdentifier(&spki)
	if !ok || !spki.ReadASN1BitString(&bs) || !spki.Empty() || bs.BitLength%8 != 0 {
		return convertedKey{}, malformed(what)
	}
	key := bs.Bytes
	switch {
	case oid.Equal(oidRSA):
		if !nullOrAbsent(params) {
			return convertedKey{}, fmt.Errorf("RSA algorithm parameters must be NULL: %w", ErrInvalidArgument)
		}
		return parseRSAPublicKey(key)
	case oid.Equal(oidECPublicKey):
		curve, err := parseECParameters(params)
		if err != nil {
			return convertedKey{}, err
		}
		if len(key) > 0 && (key[0] == 2 || key[0] == 3) {
			return convertedKey{}, fmt.Errorf("a compressed %s point (PSA takes uncompressed points, 0x04 || x || y): %w", curve.name, ErrNotSupported)
		}
		return convertedKey{typ: KeyTypeECCPublicKey(curve.family), bits: curve.bits, name: curve.name, data: key}, nil
	}
	alg := algByOID(oid)
	if alg == nil {
		return convertedKey{}, unsupportedOID(oid)
	}
	if !params.Empty() {
		return convertedKey{}, fmt.Errorf("%s algorithm identifier with parameters (they must be absent): %w", alg.name, ErrInvalidArgument)
	}
	return convertedKey{typ: alg.pair.PublicKeyOfKeyPair(), bits: alg.bits, name: alg.name, data: key}, nil
}

// algorithmIdentifier returns the AlgorithmIdentifier of a key and how its
// private key is laid out.
func algorithmIdentifier(attrs Attributes) (func(*cryptobyte.Builder), keyConvForm, error) {
	t := attrs.Type
	switch {
	case t.IsRSA():
		// The PSA format of an RSA key pair is the PKCS#1 structure that
		// PKCS#8 wraps: written raw.
		return func(b *cryptobyte.Builder) {
			b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier(oidRSA)
				b.AddASN1NULL()
			})
		}, formRaw, nil
	case t.IsECC():
		if curve := curveByKey(t.ECCFamily(), attrs.Bits); curve != nil {
			return func(b *cryptobyte.Builder) {
				b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(oidECPublicKey)
					b.AddASN1ObjectIdentifier(curve.oid)
				})
			}, formRaw, nil
		}
	}
	if alg := algByKey(attrs); alg != nil {
		return func(b *cryptobyte.Builder) {
			b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier(alg.oid)
			})
		}, alg.form, nil
	}
	return nil, 0, fmt.Errorf("a %d-bit %v has no PKCS#8 or SubjectPublicKeyInfo encoding in gopsa (supported: RSA, EC on a named curve, X25519, X448, Ed25519, Ed448, ML-KEM, ML-DSA, SLH-DSA): %w",
		attrs.Bits, t, ErrNotSupported)
}

// marshalPKCS8 encodes a key pair, in the PSA format, as a PrivateKeyInfo;
// pub is the public key of a Weierstrass curve key, written into its
// ECPrivateKey.
func marshalPKCS8(attrs Attributes, priv, pub []byte) ([]byte, error) {
	algID, form, err := algorithmIdentifier(attrs)
	if err != nil {
		return nil, err
	}
	weierstrass := attrs.Type.IsECC() && form == formRaw
	var b cryptobyte.Builder
	b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(0)
		algID(b)
		b.AddASN1(asn1.OCTET_STRING, func(b *cryptobyte.Builder) {
			switch {
			case weierstrass:
				// The curve is in the PKCS#8 algorithm identifier, so
				// the ECPrivateKey omits its parameters, as RFC 5915
				// allows.
				b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1Int64(1)
					b.AddASN1OctetString(priv)
					b.AddASN1(asn1.Tag(1).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
						b.AddASN1BitString(pub)
					})
				})
			case form == formRFC8410:
				b.AddASN1OctetString(priv)
			case form == formSeed:
				b.AddASN1(asn1.Tag(0).ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes(priv) })
			default:
				b.AddBytes(priv)
			}
		})
	})
	return b.Bytes()
}

// marshalSPKI encodes a public key, in the PSA format, as a
// SubjectPublicKeyInfo.
func marshalSPKI(attrs Attributes, pub []byte) ([]byte, error) {
	algID, _, err := algorithmIdentifier(attrs)
	if err != nil {
		return nil, err
	}
	// Room for the key and its headers, so that the builder does not grow.
	b := cryptobyte.NewBuilder(make([]byte, 0, len(pub)+48))
	b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
		algID(b)
		b.AddASN1BitString(pub)
	})
	return b.Bytes()
}
