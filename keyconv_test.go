package psa_test

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/mlkem"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

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

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/internal/dispatch/testbuild"
)

const kcExportable = psa.UsageExport | psa.UsageSignHash | psa.UsageVerifyHash

func kcNew(t testing.TB) *psa.Crypto {
	t.Helper()
	c, err := psa.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func kcWant(t testing.TB, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: got %v, want an error wrapping %v", what, err, want)
	}
}

// kcVectors reads testdata/keyconv/ietf-vectors.txt.
func kcVectors(t testing.TB) map[string][]byte {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "keyconv", "ietf-vectors.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := make(map[string][]byte)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, b64, ok := strings.Cut(sc.Text(), " ")
		if !ok || strings.HasPrefix(name, "#") {
			continue
		}
		if m[name], err = base64.StdEncoding.DecodeString(b64); err != nil {
			t.Fatalf("vector %s: %v", name, err)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

func kcRead(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "keyconv", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func kcPEMBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	b, _ := pem.Decode(data)
	if b == nil {
		t.Fatal("no PEM block")
	}
	return b.Bytes
}

type kcStdCase struct {
	name string
	key  interface {
		Public() crypto.PublicKey
		Equal(crypto.PrivateKey) bool
	}
	typ  psa.KeyType
	bits int
}

// TestKeyConvStdlib imports keys that the Go standard library generated
// and marshaled, and checks that what gopsa exports is what the standard
// library marshals and parses back to the same key.
func TestKeyConvStdlib(t *testing.T) {
	c := kcNew(t)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	x25519Key, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []kcStdCase{
		{"RSA-2048", rsaKey, psa.KeyTypeRSAKeyPair, 2048},
		{"Ed25519", edKey, psa.KeyTypeECCKeyPair(psa.ECCFamilyTwistedEdwards), 255},
		{"X25519", x25519Key, psa.KeyTypeECCKeyPair(psa.ECCFamilyMontgomery), 255},
	}
	for _, curve := range []elliptic.Curve{elliptic.P224(), elliptic.P256(), elliptic.P384(), elliptic.P521()} {
		k, err := ecdsa.GenerateKey(curve, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tests = append(tests, kcStdCase{curve.Params().Name, k, psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1), curve.Params().BitSize})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			der, err := x509.MarshalPKCS8PrivateKey(tt.key)
			if err != nil {
				t.Fatal(err)
			}
			id, err := c.ImportPKCS8(psa.Attributes{Usage: kcExportable}, der)
			if err != nil {
				t.Fatal(err)
			}
			attrs, err := c.KeyAttributes(id)
			if err != nil {
				t.Fatal(err)
			}
			if attrs.Type != tt.typ || attrs.Bits != tt.bits {
				t.Errorf("imported a %d-bit %v, want a %d-bit %v", attrs.Bits, attrs.Type, tt.bits, tt.typ)
			}

			out, err := c.ExportPKCS8(id)
			if err != nil {
				t.Fatal(err)
			}
			back, err := x509.ParsePKCS8PrivateKey(out)
			if err != nil {
				t.Fatalf("crypto/x509 rejects the exported PKCS#8: %v", err)
			}
			if x, ok := tt.key.(*ecdh.PrivateKey); ok {
				// PSA stores X25519 scalars clamped (RFC 7748 §5),
				// which is the same key.
				want := x.Bytes()
				want[0] &= 248
				want[31] = want[31]&127 | 64
				if got := back.(*ecdh.PrivateKey).Bytes(); !bytes.Equal(got, want) {
					t.Errorf("exported scalar %x, want the clamped %x", got, want)
				}
			} else if !tt.key.Equal(back) {
				t.Errorf("the exported private key differs from the imported one")
			}

			pubDER, err := x509.MarshalPKIXPublicKey(tt.key.Public())
			if err != nil {
				t.Fatal(err)
			}
			gotDER, err := c.ExportPublicKeyDER(id)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(gotDER, pubDER) {
				t.Errorf("ExportPublicKeyDER = %x\nwant crypto/x509's %x", gotDER, pubDER)
			}
			pub, err := c.PublicKey(id)
			if err != nil {
				t.Fatal(err)
			}
			if !pub.(interface{ Equal(crypto.PublicKey) bool }).Equal(tt.key.Public()) {
				t.Errorf("PublicKey = %v, want %v", pub, tt.key.Public())
			}

			pid, err := c.ImportPublicKeyDER(psa.Attributes{Usage: psa.UsageVerifyHash}, pubDER)
			if err != nil {
				t.Fatal(err)
			}
			pattrs, _ := c.KeyAttributes(pid)
			if pattrs.Type != tt.typ.PublicKeyOfKeyPair() || pattrs.Bits != tt.bits {
				t.Errorf("imported public key: a %d-bit %v, want a %d-bit %v", pattrs.Bits, pattrs.Type, tt.bits, tt.typ.PublicKeyOfKeyPair())
			}
			again, err := c.ExportPublicKeyDER(pid)
			if err != nil || !bytes.Equal(again, pubDER) {
				t.Errorf("public key round trip: %x, %v; want %x", again, err, pubDER)
			}
		})
	}
}

// TestKeyConvGenerated exports keys that gopsa generated and parses them
// with crypto/x509.
func TestKeyConvGenerated(t *testing.T) {
	c := kcNew(t)
	for _, tt := range []struct {
		typ  psa.KeyType
		bits int
	}{
		{psa.KeyTypeRSAKeyPair, 1024},
		{psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1), 256},
		{psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1), 521},
		{psa.KeyTypeECCKeyPair(psa.ECCFamilyTwistedEdwards), 255},
		{psa.KeyTypeECCKeyPair(psa.ECCFamilyMontgomery), 255},
	} {
		id, err := c.GenerateKey(psa.Attributes{Type: tt.typ, Bits: tt.bits, Usage: psa.UsageExport})
		if err != nil {
			t.Fatalf("generate a %d-bit %v: %v", tt.bits, tt.typ, err)
		}
		der, err := c.ExportPKCS8(id)
		if err != nil {
			t.Fatal(err)
		}
		priv, err := x509.ParsePKCS8PrivateKey(der)
		if err != nil {
			t.Fatalf("%d-bit %v: crypto/x509 rejects the PKCS#8: %v", tt.bits, tt.typ, err)
		}
		pub, err := c.PublicKey(id)
		if err != nil {
			t.Fatal(err)
		}
		if !pub.(interface{ Equal(crypto.PublicKey) bool }).Equal(priv.(interface{ Public() crypto.PublicKey }).Public()) {
			t.Errorf("%d-bit %v: the PKCS#8 key's public key is not PublicKey's", tt.bits, tt.typ)
		}
		spki, err := c.ExportPublicKeyDER(id)
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := x509.ParsePKIXPublicKey(spki)
		if err != nil {
			t.Fatalf("%d-bit %v: crypto/x509 rejects the SubjectPublicKeyInfo: %v", tt.bits, tt.typ, err)
		}
		if !pub.(interface{ Equal(crypto.PublicKey) bool }).Equal(parsed) {
			t.Errorf("%d-bit %v: SubjectPublicKeyInfo holds %v, want %v", tt.bits, tt.typ, parsed, pub)
		}
	}
}

// TestKeyConvOpenSSL imports the keys that OpenSSL wrote in
// testdata/keyconv and checks that gopsa exports them as OpenSSL did.
func TestKeyConvOpenSSL(t *testing.T) {
	c := kcNew(t)
	for _, tt := range []struct {
		name string
		typ  psa.KeyType
		bits int
		trad bool // NAME.trad.pem exists
	}{
		{"rsa2048", psa.KeyTypeRSAKeyPair, 2048, true},
		{"prime192v1", psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1), 192, true},
		{"secp224r1", psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1), 224, true},
		{"prime256v1", psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1), 256, true},
		{"secp384r1", psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1), 384, true},
		{"secp521r1", psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1), 521, true},
		{"secp256k1", psa.KeyTypeECCKeyPair(psa.ECCFamilySECPK1), 256, true},
		{"brainpoolP256r1", psa.KeyTypeECCKeyPair(psa.ECCFamilyBrainpoolPR1), 256, true},
		{"brainpoolP384r1", psa.KeyTypeECCKeyPair(psa.ECCFamilyBrainpoolPR1), 384, true},
		{"brainpoolP512r1", psa.KeyTypeECCKeyPair(psa.ECCFamilyBrainpoolPR1), 512, true},
		{"X25519", psa.KeyTypeECCKeyPair(psa.ECCFamilyMontgomery), 255, false},
		{"X448", psa.KeyTypeECCKeyPair(psa.ECCFamilyMontgomery), 448, false},
		{"ED25519", psa.KeyTypeECCKeyPair(psa.ECCFamilyTwistedEdwards), 255, false},
		{"ED448", psa.KeyTypeECCKeyPair(psa.ECCFamilyTwistedEdwards), 448, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			privPEM := kcRead(t, tt.name+".pem")
			pubPEM := kcRead(t, tt.name+".pub.pem")
			// The key type is given here, to check that a matching
			// attrs.Type is accepted.
			id, err := c.ImportPEM(psa.Attributes{Type: tt.typ, Usage: psa.UsageExport}, privPEM)
			if err != nil {
				t.Fatal(err)
			}
			attrs, _ := c.KeyAttributes(id)
			if attrs.Bits != tt.bits {
				t.Errorf("imported a %d-bit key, want %d", attrs.Bits, tt.bits)
			}
			got, err := c.ExportPEM(id, true)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, pubPEM) {
				t.Errorf("ExportPEM(public) =\n%s\nwant OpenSSL's\n%s", got, pubPEM)
			}
			gotPriv, err := c.ExportPEM(id, false)
			if err != nil {
				t.Fatal(err)
			}
			// OpenSSL keeps X25519 and X448 scalars as generated, PSA
			// clamped; the other encodings are canonical.
			if attrs.Type.ECCFamily() != psa.ECCFamilyMontgomery && !bytes.Equal(gotPriv, privPEM) {
				t.Errorf("ExportPEM(private) =\n%s\nwant OpenSSL's\n%s", gotPriv, privPEM)
			}
			if attrs.Type.ECCFamily() == psa.ECCFamilyMontgomery {
				// The clamped key must be the same key: same public key.
				id2, err := c.ImportPEM(psa.Attributes{}, gotPriv)
				if err != nil {
					t.Fatal(err)
				}
				if again, _ := c.ExportPEM(id2, true); !bytes.Equal(again, pubPEM) {
					t.Errorf("re-imported clamped key has public key\n%s\nwant\n%s", again, pubPEM)
				}
			}

			pid, err := c.ImportPEM(psa.Attributes{}, pubPEM)
			if err != nil {
				t.Fatal(err)
			}
			if pattrs, _ := c.KeyAttributes(pid); pattrs.Type != tt.typ.PublicKeyOfKeyPair() || pattrs.Bits != tt.bits {
				t.Errorf("imported public key: a %d-bit %v", pattrs.Bits, pattrs.Type)
			}
			if got, err := c.ExportPEM(pid, true); err != nil || !bytes.Equal(got, pubPEM) {
				t.Errorf("public key round trip: %v\n%s", err, got)
			}

			if tt.trad {
				tid, err := c.ImportPEM(psa.Attributes{}, kcRead(t, tt.name+".trad.pem"))
				if err != nil {
					t.Fatal(err)
				}
				if got, _ := c.ExportPEM(tid, true); !bytes.Equal(got, pubPEM) {
					t.Errorf("key from %s.trad.pem has public key\n%s\nwant\n%s", tt.name, got, pubPEM)
				}
			}
		})
	}

	t.Run("RSA PUBLIC KEY", func(t *testing.T) {
		id, err := c.ImportPEM(psa.Attributes{}, kcRead(t, "rsa2048.rsapub.pem"))
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := c.ExportPEM(id, true); !bytes.Equal(got, kcRead(t, "rsa2048.pub.pem")) {
			t.Errorf("public key from the PKCS#1 file exports as\n%s", got)
		}
	})
	t.Run("EC PARAMETERS", func(t *testing.T) {
		file := kcRead(t, "ecparam-prime256v1.pem")
		id, err := c.ImportPEM(psa.Attributes{}, file)
		if err != nil {
			t.Fatal(err)
		}
		attrs, _ := c.KeyAttributes(id)
		if attrs.Type != psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1) || attrs.Bits != 256 {
			t.Errorf("imported a %d-bit %v, want a secp256r1 key pair", attrs.Bits, attrs.Type)
		}
	})
	for _, name := range []string{"encrypted-pkcs8.pem", "encrypted-sec1.pem"} {
		_, err := c.ImportPEM(psa.Attributes{}, kcRead(t, name))
		kcWant(t, name, err, psa.ErrNotSupported)
		if err != nil && !strings.Contains(err.Error(), "encrypted") {
			t.Errorf("%s: the error %q does not say that the key is encrypted", name, err)
		}
	}
}

// TestKeyConvVectors checks the published examples of the IETF
// documents that define the encodings.
func TestKeyConvVectors(t *testing.T) {
	c := kcNew(t)
	v := kcVectors(t)

	t.Run("RFC 8410 Ed25519", func(t *testing.T) {
		for _, name := range []string{"rfc8410-ed25519-pkcs8", "rfc8410-ed25519-pkcs8-v2"} {
			id, err := c.ImportPKCS8(psa.Attributes{Usage: psa.UsageExport}, v[name])
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got, err := c.ExportPublicKeyDER(id); err != nil || !bytes.Equal(got, v["rfc8410-ed25519-spki"]) {
				t.Errorf("%s: public key %x, %v; want RFC 8410's %x", name, got, err, v["rfc8410-ed25519-spki"])
			}
			// gopsa writes version 1 (RFC 5208) without the attributes.
			if got, err := c.ExportPKCS8(id); err != nil || !bytes.Equal(got, v["rfc8410-ed25519-pkcs8"]) {
				t.Errorf("%s: ExportPKCS8 = %x, %v; want RFC 8410's %x", name, got, err, v["rfc8410-ed25519-pkcs8"])
			}
		}
		// The v2 structure with another public key must be refused.
		bad := bytes.Clone(v["rfc8410-ed25519-pkcs8-v2"])
		bad[len(bad)-1] ^= 1
		_, err := c.ImportPKCS8(psa.Attributes{}, bad)
		kcWant(t, "a OneAsymmetricKey whose public key is not the private key's", err, psa.ErrInvalidArgument)
	})

	t.Run("ML-KEM", func(t *testing.T) {
		seed := make([]byte, 64)
		for i := range seed {
			seed[i] = byte(i)
		}
		for _, bits := range []int{512, 768, 1024} {
			name := map[int]string{512: "mlkem512-spki", 768: "mlkem768-spki", 1024: "mlkem1024-spki"}[bits]
			id, err := c.ImportKey(psa.Attributes{Type: psa.KeyTypeMLKEMKeyPair, Bits: bits, Usage: psa.UsageExport}, seed)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := c.ExportPublicKeyDER(id); err != nil || !bytes.Equal(got, v[name]) {
				t.Errorf("ML-KEM-%d: SubjectPublicKeyInfo %x, %v\nwant the IETF example %x", bits, got, err, v[name])
			}
			p8, err := c.ExportPKCS8(id)
			if err != nil {
				t.Fatal(err)
			}
			// The PKCS#8 seed form: [0] IMPLICIT OCTET STRING d || z.
			if want := append([]byte{0x80, 0x40}, seed...); !bytes.HasSuffix(p8, want) {
				t.Errorf("ML-KEM-%d: PKCS#8 %x does not end with the seed form %x", bits, p8, want)
			}
			id2, err := c.ImportPKCS8(psa.Attributes{}, p8)
			if err != nil {
				t.Fatal(err)
			}
			if attrs, _ := c.KeyAttributes(id2); attrs.Type != psa.KeyTypeMLKEMKeyPair || attrs.Bits != bits {
				t.Errorf("ML-KEM-%d PKCS#8: imported a %d-bit %v", bits, attrs.Bits, attrs.Type)
			}
			pid, err := c.ImportPublicKeyDER(psa.Attributes{}, v[name])
			if err != nil {
				t.Fatal(err)
			}
			if attrs, _ := c.KeyAttributes(pid); attrs.Type != psa.KeyTypeMLKEMPublicKey || attrs.Bits != bits {
				t.Errorf("ML-KEM-%d SubjectPublicKeyInfo: imported a %d-bit %v", bits, attrs.Bits, attrs.Type)
			}
			pub, err := c.PublicKey(pid)
			switch bits {
			case 512:
				kcWant(t, "ML-KEM-512 has no Go type", err, psa.ErrNotSupported)
			case 768:
				if k, ok := pub.(*mlkem.EncapsulationKey768); !ok || !bytes.HasSuffix(v[name], k.Bytes()) {
					t.Errorf("ML-KEM-768 PublicKey = %T, %v", pub, err)
				}
			case 1024:
				if k, ok := pub.(*mlkem.EncapsulationKey1024); !ok || !bytes.HasSuffix(v[name], k.Bytes()) {
					t.Errorf("ML-KEM-1024 PublicKey = %T, %v", pub, err)
				}
			}
		}
	})

	t.Run("ML-DSA-44", func(t *testing.T) {
		id, err := c.ImportPKCS8(psa.Attributes{Usage: psa.UsageExport}, v["mldsa44-pkcs8-seed"])
		if err != nil {
			t.Fatal(err)
		}
		if attrs, _ := c.KeyAttributes(id); attrs.Type != psa.KeyTypeMLDSAKeyPair || attrs.Bits != 128 {
			t.Errorf("imported a %d-bit %v, want ML-DSA-44 (128 bits)", attrs.Bits, attrs.Type)
		}
		if got, err := c.ExportPKCS8(id); err != nil || !bytes.Equal(got, v["mldsa44-pkcs8-seed"]) {
			t.Errorf("ExportPKCS8 = %x, %v; want the IETF example", got, err)
		}
		pub, err := c.ExportPublicKey(id, nil)
		if err != nil {
			t.Fatal(err)
		}
		spki, err := c.ExportPublicKeyDER(id)
		if err != nil || len(spki) != len(pub)+22 || !bytes.HasSuffix(spki, pub) {
			t.Errorf("SubjectPublicKeyInfo %x, %v", spki, err)
		}
	})

	t.Run("SLH-DSA-SHA2-128s", func(t *testing.T) {
		id, err := c.ImportPKCS8(psa.Attributes{Usage: psa.UsageExport}, v["slhdsa-sha2-128s-pkcs8"])
		if err != nil {
			t.Fatal(err)
		}
		if attrs, _ := c.KeyAttributes(id); attrs.Type != psa.KeyTypeSLHDSAKeyPair(psa.SLHDSAFamilySHA2S) || attrs.Bits != 128 {
			t.Errorf("imported a %d-bit %v", attrs.Bits, attrs.Type)
		}
		if got, err := c.ExportPublicKeyDER(id); err != nil || !bytes.Equal(got, v["slhdsa-sha2-128s-spki"]) {
			t.Errorf("SubjectPublicKeyInfo %x, %v; want the IETF example", got, err)
		}
		if got, err := c.ExportPKCS8(id); err != nil || !bytes.Equal(got, v["slhdsa-sha2-128s-pkcs8"]) {
			t.Errorf("ExportPKCS8 = %x, %v; want the IETF example", got, err)
		}
	})
}

// TestKeyConvBothForm imports ML-KEM and ML-DSA keys in the "both" form
// of RFC 9935 and RFC 9881, with expanded keys from an independent
// implementation (CIRCL), and checks that a tampered expanded key is
// refused.
func TestKeyConvBothForm(t *testing.T) {
	c := kcNew(t)
	type expander func(seed []byte) ([]byte, error)
	kemExpand := func(s kem.Scheme) expander {
		return func(seed []byte) ([]byte, error) {
			_, sk := s.DeriveKeyPair(seed)
			return sk.MarshalBinary()
		}
	}
	sigExpand := func(s sign.Scheme) expander {
		return func(seed []byte) ([]byte, error) {
			_, sk := s.DeriveKey(seed)
			return sk.MarshalBinary()
		}
	}
	for _, tt := range []struct {
		name    string
		oid     []int
		seedLen int
		expand  expander
		secret  int // offset of a secret byte that the check covers
	}{
		{"ML-KEM-512", []int{2, 16, 840, 1, 101, 3, 4, 4, 1}, 64, kemExpand(mlkem512.Scheme()), 1631},
		{"ML-KEM-768", []int{2, 16, 840, 1, 101, 3, 4, 4, 2}, 64, kemExpand(mlkem768.Scheme()), 2399},
		{"ML-KEM-1024", []int{2, 16, 840, 1, 101, 3, 4, 4, 3}, 64, kemExpand(mlkem1024.Scheme()), 3167},
		{"ML-DSA-44", []int{2, 16, 840, 1, 101, 3, 4, 3, 17}, 32, sigExpand(mldsa44.Scheme()), 40},
		{"ML-DSA-65", []int{2, 16, 840, 1, 101, 3, 4, 3, 18}, 32, sigExpand(mldsa65.Scheme()), 40},
		{"ML-DSA-87", []int{2, 16, 840, 1, 101, 3, 4, 3, 19}, 32, sigExpand(mldsa87.Scheme()), 40},
	} {
		seed := make([]byte, tt.seedLen)
		rand.Read(seed)
		expanded, err := tt.expand(seed)
		if err != nil {
			t.Fatal(err)
		}
		both := func(expanded []byte) []byte {
			return kcPKCS8(t, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(tt.oid) }, kcBuild(t, func(b *cryptobyte.Builder) {
				b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1OctetString(seed)
					b.AddASN1OctetString(expanded)
				})
			}))
		}
		id, err := c.ImportPKCS8(psa.Attributes{Usage: psa.UsageExport}, both(expanded))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got, err := c.ExportKey(id, nil); err != nil || !bytes.Equal(got, seed) {
			t.Errorf("%s: imported %x, %v; want the seed %x", tt.name, got, err, seed)
		}
		for _, at := range []int{0, tt.secret, len(expanded) - 1} {
			bad := bytes.Clone(expanded)
			bad[at] ^= 1
			_, err := c.ImportPKCS8(psa.Attributes{}, both(bad))
			kcWant(t, fmt.Sprintf("%s with byte %d of the expanded key changed", tt.name, at), err, psa.ErrInvalidArgument)
		}
		_, err = c.ImportPKCS8(psa.Attributes{}, both(expanded[1:]))
		kcWant(t, tt.name+" with a short expanded key", err, psa.ErrInvalidArgument)
	}
}

// TestKeyConvCertificate has crypto/x509 create a self-signed certificate
// for a PSA key, with the public key from PublicKey.
func TestKeyConvCertificate(t *testing.T) {
	c := kcNew(t)
	for _, typ := range []struct {
		attrs psa.Attributes
	}{
		{psa.Attributes{Type: psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1), Bits: 256, Usage: psa.UsageSignHash, Alg: psa.AlgECDSA(psa.AlgAnyHash)}},
		{psa.Attributes{Type: psa.KeyTypeECCKeyPair(psa.ECCFamilyTwistedEdwards), Bits: 255, Usage: psa.UsageSignMessage, Alg: psa.AlgPureEdDSA}},
	} {
		id, err := c.GenerateKey(typ.attrs)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := c.PublicKey(id)
		if err != nil {
			t.Fatal(err)
		}
		signer, err := c.Signer(id)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber:          big.NewInt(1),
			Subject:               pkix.Name{CommonName: "gopsa test"},
			NotBefore:             time.Now().Add(-time.Hour),
			NotAfter:              time.Now().Add(time.Hour),
			BasicConstraintsValid: true,
			IsCA:                  true,
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, signer)
		if err != nil {
			t.Fatalf("%v: CreateCertificate: %v", typ.attrs.Type, err)
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		if err := cert.CheckSignatureFrom(cert); err != nil {
			t.Errorf("%v: the self-signed certificate does not verify: %v", typ.attrs.Type, err)
		}
		spki, err := c.ExportPublicKeyDER(id)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(cert.RawSubjectPublicKeyInfo, spki) {
			t.Errorf("%v: the certificate's SubjectPublicKeyInfo %x is not ExportPublicKeyDER's %x", typ.attrs.Type, cert.RawSubjectPublicKeyInfo, spki)
		}
	}
}

// kcBuild returns the DER that f builds.
func kcBuild(t testing.TB, f func(b *cryptobyte.Builder)) []byte {
	t.Helper()
	var b cryptobyte.Builder
	f(&b)
	der, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// kcPKCS8 builds a PrivateKeyInfo with the given algorithm identifier
// contents and private key.
func kcPKCS8(t testing.TB, algID func(b *cryptobyte.Builder), priv []byte) []byte {
	return kcBuild(t, func(b *cryptobyte.Builder) {
		b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1Int64(0)
			b.AddASN1(asn1.SEQUENCE, algID)
			b.AddASN1OctetString(priv)
		})
	})
}

func TestKeyConvMalformed(t *testing.T) {
	c := kcNew(t)
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p256DER, err := x509.MarshalPKCS8PrivateKey(p256)
	if err != nil {
		t.Fatal(err)
	}
	p256SPKI, err := x509.MarshalPKIXPublicKey(&p256.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	otherPub, _ := other.PublicKey.Bytes()
	p256Raw, _ := p256.Bytes()
	sec1 := func(pub []byte) []byte {
		return kcBuild(t, func(b *cryptobyte.Builder) {
			b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1Int64(1)
				b.AddASN1OctetString(p256Raw)
				b.AddASN1(asn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier([]int{1, 2, 840, 10045, 3, 1, 7})
				})
				b.AddASN1(asn1.Tag(1).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
					b.AddASN1BitString(pub)
				})
			})
		})
	}
	oid := func(arcs ...int) func(b *cryptobyte.Builder) {
		return func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(arcs) }
	}
	ecOn := func(curve ...int) func(b *cryptobyte.Builder) {
		return func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier([]int{1, 2, 840, 10045, 2, 1})
			b.AddASN1ObjectIdentifier(curve)
		}
	}
	compressed := elliptic.MarshalCompressed(elliptic.P256(), p256.X, p256.Y)
	p8pem := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p256DER})
	pubpem := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: p256SPKI})
	p256Pair := psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1)
	seed64 := make([]byte, 64)

	tests := []struct {
		name string
		run  func() (psa.KeyID, error)
		want error
		say  string // a word the error must contain
	}{
		{"PKCS#8 with a trailing byte", func() (psa.KeyID, error) {
			return c.ImportPKCS8(psa.Attributes{}, append(bytes.Clone(p256DER), 0))
		}, psa.ErrInvalidArgument, "PKCS#8"},
		{"SubjectPublicKeyInfo given as PKCS#8", func() (psa.KeyID, error) {
			return c.ImportPKCS8(psa.Attributes{}, p256SPKI)
		}, psa.ErrInvalidArgument, "PrivateKeyInfo"},
		{"PKCS#8 given as SubjectPublicKeyInfo", func() (psa.KeyID, error) {
			return c.ImportPublicKeyDER(psa.Attributes{}, p256DER)
		}, psa.ErrInvalidArgument, "SubjectPublicKeyInfo"},
		{"curve mismatch with attrs.Bits", func() (psa.KeyID, error) {
			return c.ImportPKCS8(psa.Attributes{Type: p256Pair, Bits: 384}, p256DER)
		}, psa.ErrInvalidArgument, "attrs.Bits is 384"},
		{"type mismatch with attrs.Type", func() (psa.KeyID, error) {
			return c.ImportPKCS8(psa.Attributes{Type: psa.KeyTypeRSAKeyPair}, p256DER)
		}, psa.ErrInvalidArgument, "attrs.Type"},
		{"curve family mismatch", func() (psa.KeyID, error) {
			return c.ImportPKCS8(psa.Attributes{Type: psa.KeyTypeECCKeyPair(psa.ECCFamilyBrainpoolPR1)}, p256DER)
		}, psa.ErrInvalidArgument, "secp256r1"},
		{"public key imported as a key pair", func() (psa.KeyID, error) {
			return c.ImportPublicKeyDER(psa.Attributes{Type: p256Pair}, p256SPKI)
		}, psa.ErrInvalidArgument, "attrs.Type"},
		{"PKCS#8 curve differs from ECPrivateKey curve", func() (psa.KeyID, error) {
			der, _ := x509.MarshalECPrivateKey(p384)
			return c.ImportPKCS8(psa.Attributes{}, kcPKCS8(t, ecOn(1, 2, 840, 10045, 3, 1, 7), der))
		}, psa.ErrInvalidArgument, "secp384r1"},
		{"unknown curve", func() (psa.KeyID, error) {
			return c.ImportPKCS8(psa.Attributes{}, kcPKCS8(t, ecOn(1, 3, 132, 0, 9), sec1(otherPub)))
		}, psa.ErrNotSupported, "1.3.132.0.9"},
		{"EC key without curve", func() (psa.KeyID, error) {
			return c.ImportPKCS8(psa.Attributes{}, kcPKCS8(t, oid(1, 2, 840, 10045, 2, 1), sec1(otherPub)))
		}, psa.ErrInvalidArgument, "curve"},
		{"DSA key", func() (psa.KeyID, error) {
			return c.ImportPKCS8(psa.Attributes{}, kcPKCS8(t, oid(1, 2, 840, 10040, 4, 1), []byte{2, 1, 1}))
		}, psa.ErrNotSupported, "1.2.840.10040.4.1 (DSA)"},
		{"ECPrivateKey with another public key", func() (psa.KeyID, error) {
			return c.ImportPEM(psa.Attributes{}, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1(otherPub)}))
		}, psa.ErrInvalidArgument, "public key"},
		{"compressed point", func() (psa.KeyID, error) {
			spki := kcBuild(t, func(b *cryptobyte.Builder) {
				b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1(asn1.SEQUENCE, ecOn(1, 2, 840, 10045, 3, 1, 7))
					b.AddASN1BitString(compressed)
				})
			})
			return c.ImportPublicKeyDER(psa.Attributes{}, spki)
		}, psa.ErrNotSupported, "compressed"},
		{"Ed25519 key of 31 bytes", func() (psa.KeyID, error) {
			inner := kcBuild(t, func(b *cryptobyte.Builder) { b.AddASN1OctetString(make([]byte, 31)) })
			return c.ImportPKCS8(psa.Attributes{}, kcPKCS8(t, oid(1, 3, 101, 112), inner))
		}, psa.ErrInvalidArgument, "want 32"},
		{"Ed25519 with parameters", func() (psa.KeyID, error) {
			inner := kcBuild(t, func(b *cryptobyte.Builder) { b.AddASN1OctetString(make([]byte, 32)) })
			return c.ImportPKCS8(psa.Attributes{}, kcPKCS8(t, func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier([]int{1, 3, 101, 112})
				b.AddASN1NULL()
			}, inner))
		}, psa.ErrInvalidArgument, "absent"},
		{"ML-KEM expandedKey only", func() (psa.KeyID, error) {
			inner := kcBuild(t, func(b *cryptobyte.Builder) { b.AddASN1OctetString(make([]byte, 1632)) })
			return c.ImportPKCS8(psa.Attributes{}, kcPKCS8(t, oid(2, 16, 840, 1, 101, 3, 4, 4, 1), inner))
		}, psa.ErrNotSupported, "seed"},
		{"ML-KEM seed of 32 bytes", func() (psa.KeyID, error) {
			inner := kcBuild(t, func(b *cryptobyte.Builder) {
				b.AddASN1(asn1.Tag(0).ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes(make([]byte, 32)) })
			})
			return c.ImportPKCS8(psa.Attributes{}, kcPKCS8(t, oid(2, 16, 840, 1, 101, 3, 4, 4, 2), inner))
		}, psa.ErrInvalidArgument, "want 64"},
		{"ML-KEM both form, wrong type in attrs", func() (psa.KeyID, error) {
			inner := kcBuild(t, func(b *cryptobyte.Builder) {
				b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1OctetString(seed64)
					b.AddASN1OctetString(make([]byte, 2400))
				})
			})
			return c.ImportPKCS8(psa.Attributes{Type: psa.KeyTypeMLDSAKeyPair}, kcPKCS8(t, oid(2, 16, 840, 1, 101, 3, 4, 4, 2), inner))
		}, psa.ErrInvalidArgument, "ML-KEM-768"},
		{"multi-prime RSA", func() (psa.KeyID, error) {
			der := kcBuild(t, func(b *cryptobyte.Builder) {
				b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
					for _, v := range []int64{1, 0xc5, 3, 7, 11, 13, 5, 7, 1} {
						b.AddASN1Int64(v)
					}
					b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {})
				})
			})
			return c.ImportPEM(psa.Attributes{}, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der}))
		}, psa.ErrNotSupported, "multi-prime"},
		{"RSA with parameters", func() (psa.KeyID, error) {
			return c.ImportPKCS8(psa.Attributes{}, kcPKCS8(t, func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier([]int{1, 2, 840, 113549, 1, 1, 1})
				b.AddASN1Int64(0)
			}, []byte{0x30, 0}))
		}, psa.ErrInvalidArgument, "NULL"},
		{"PEM of a certificate", func() (psa.KeyID, error) {
			return c.ImportPEM(psa.Attributes{}, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{0x30, 0}}))
		}, psa.ErrInvalidArgument, `"CERTIFICATE"`},
		{"not PEM", func() (psa.KeyID, error) {
			return c.ImportPEM(psa.Attributes{}, p256DER)
		}, psa.ErrInvalidArgument, "no PEM block"},
		{"PKCS#8 in an EC PRIVATE KEY block", func() (psa.KeyID, error) {
			return c.ImportPEM(psa.Attributes{}, bytes.Replace(p8pem, []byte("PRIVATE KEY"), []byte("EC PRIVATE KEY"), 2))
		}, psa.ErrInvalidArgument, "ECPrivateKey"},
		{"SubjectPublicKeyInfo in an RSA PUBLIC KEY block", func() (psa.KeyID, error) {
			return c.ImportPEM(psa.Attributes{}, bytes.Replace(pubpem, []byte("PUBLIC KEY"), []byte("RSA PUBLIC KEY"), 2))
		}, psa.ErrInvalidArgument, "RSAPublicKey"},
	}
	for _, tt := range tests {
		id, err := tt.run()
		kcWant(t, tt.name, err, tt.want)
		if err != nil && !strings.Contains(err.Error(), tt.say) {
			t.Errorf("%s: the error %q does not mention %q", tt.name, err, tt.say)
		}
		if err == nil {
			c.DestroyKey(id)
		}
	}

	// Every truncation of valid input is an error, and never a panic.
	for _, der := range [][]byte{p256DER, kcPEMBytes(t, kcRead(t, "rsa2048.pem")), kcPEMBytes(t, kcRead(t, "ED448.pem"))} {
		for n := range len(der) {
			if _, err := c.ImportPKCS8(psa.Attributes{}, der[:n]); !errors.Is(err, psa.ErrInvalidArgument) {
				t.Fatalf("PKCS#8 truncated to %d of %d bytes: %v, want ErrInvalidArgument", n, len(der), err)
			}
		}
	}
	for n := range len(p256SPKI) {
		if _, err := c.ImportPublicKeyDER(psa.Attributes{}, p256SPKI[:n]); !errors.Is(err, psa.ErrInvalidArgument) {
			t.Fatalf("SubjectPublicKeyInfo truncated to %d of %d bytes: %v, want ErrInvalidArgument", n, len(p256SPKI), err)
		}
	}
}

// TestKeyConvMismatchLeavesNoKey checks that a persistent key whose file
// carries a foreign public key is not left in the key store.
func TestKeyConvMismatchLeavesNoKey(t *testing.T) {
	c, err := psa.New(psa.WithKeyDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	bad := bytes.Clone(kcVectors(t)["rfc8410-ed25519-pkcs8-v2"])
	bad[len(bad)-1] ^= 1
	_, err = c.ImportPKCS8(psa.Attributes{ID: 7, Lifetime: psa.LifetimePersistent}, bad)
	kcWant(t, "import", err, psa.ErrInvalidArgument)
	if ids, err := c.PersistentKeys(); err != nil || len(ids) != 0 {
		t.Errorf("key store holds %v (%v) after a refused import", ids, err)
	}
}

func TestKeyConvExportErrors(t *testing.T) {
	c := kcNew(t)
	noExport, err := c.GenerateKey(psa.Attributes{Type: psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1), Bits: 256, Usage: psa.UsageSignHash})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ExportPKCS8(noExport)
	kcWant(t, "ExportPKCS8 without UsageExport", err, psa.ErrNotPermitted)
	_, err = c.ExportPEM(noExport, false)
	kcWant(t, "ExportPEM(private) without UsageExport", err, psa.ErrNotPermitted)
	if _, err := c.ExportPEM(noExport, true); err != nil {
		t.Errorf("ExportPEM(public) needs no usage flag: %v", err)
	}

	pub, err := c.ImportPEM(psa.Attributes{}, kcRead(t, "prime256v1.pub.pem"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ExportPKCS8(pub)
	kcWant(t, "ExportPKCS8 of a public key", err, psa.ErrInvalidArgument)

	aes, err := c.ImportKey(psa.Attributes{Type: psa.KeyTypeAES, Usage: psa.UsageExport}, make([]byte, 16))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ExportPublicKeyDER(aes)
	kcWant(t, "ExportPublicKeyDER of an AES key", err, psa.ErrInvalidArgument)
	_, err = c.PublicKey(aes)
	kcWant(t, "PublicKey of an AES key", err, psa.ErrInvalidArgument)
	_, err = c.ExportPKCS8(aes)
	kcWant(t, "ExportPKCS8 of an AES key", err, psa.ErrInvalidArgument)

	ed448, err := c.ImportPEM(psa.Attributes{}, kcRead(t, "ED448.pem"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.PublicKey(ed448)
	kcWant(t, "PublicKey of an Ed448 key", err, psa.ErrNotSupported)

	dh, err := c.GenerateKey(psa.Attributes{Type: psa.KeyTypeDHKeyPair(psa.DHFamilyRFC7919), Bits: 2048, Usage: psa.UsageExport})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ExportPublicKeyDER(dh)
	kcWant(t, "ExportPublicKeyDER of a DH key", err, psa.ErrNotSupported)

	_, err = c.ExportPublicKeyDER(0x3fff)
	kcWant(t, "ExportPublicKeyDER of no key", err, psa.ErrInvalidHandle)
}

// TestKeyConvOpaque converts keys held by the opaque test drivers: the
// public key comes through ExportPublicKey, the private key only from a
// driver that exports it.
func TestKeyConvOpaque(t *testing.T) {
	d, err := testbuild.New()
	if err != nil {
		t.Fatal(err)
	}
	c, err := psa.New(psa.WithDispatch(d))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	file := kcRead(t, "prime256v1.pem")
	pubPEM := kcRead(t, "prime256v1.pub.pem")
	for _, tt := range []struct {
		location psa.Location
		exports  bool
	}{
		{0x7fffff, true},  // testdriver.Opaque
		{0x7ffffe, false}, // testdriver.SecondOpaque: no export_key
	} {
		lifetime := psa.LifetimeFromPersistenceAndLocation(psa.PersistenceVolatile, tt.location)
		id, err := c.ImportPEM(psa.Attributes{Lifetime: lifetime, Usage: psa.UsageExport | psa.UsageSignHash, Alg: psa.AlgECDSA(psa.AlgAnyHash)}, file)
		if err != nil {
			t.Fatalf("location %#x: %v", tt.location, err)
		}
		if got, err := c.ExportPEM(id, true); err != nil || !bytes.Equal(got, pubPEM) {
			t.Errorf("location %#x: ExportPEM(public) = %s, %v", tt.location, got, err)
		}
		if pub, err := c.PublicKey(id); err != nil {
			t.Errorf("location %#x: PublicKey: %v", tt.location, err)
		} else if _, ok := pub.(*ecdsa.PublicKey); !ok {
			t.Errorf("location %#x: PublicKey = %T", tt.location, pub)
		}
		got, err := c.ExportPEM(id, false)
		switch {
		case tt.exports && (err != nil || !bytes.Equal(got, file)):
			t.Errorf("location %#x: ExportPEM(private) = %s, %v; want OpenSSL's", tt.location, got, err)
		case !tt.exports && !errors.Is(err, psa.ErrNotSupported):
			t.Errorf("location %#x: ExportPEM(private) from a driver without export_key: %v, want ErrNotSupported", tt.location, err)
		}
	}
}

// TestKeyConvConcurrent converts keys from several goroutines (run with
// -race).
func TestKeyConvConcurrent(t *testing.T) {
	c := kcNew(t)
	file := kcRead(t, "prime256v1.pem")
	want := kcRead(t, "prime256v1.pub.pem")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				id, err := c.ImportPEM(psa.Attributes{Usage: psa.UsageExport}, file)
				if err != nil {
					t.Error(err)
					return
				}
				if got, err := c.ExportPEM(id, true); err != nil || !bytes.Equal(got, want) {
					t.Errorf("ExportPEM = %s, %v", got, err)
				}
				if err := c.DestroyKey(id); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}

func FuzzImportPKCS8(f *testing.F) {
	for _, name := range []string{"rsa2048.pem", "prime256v1.pem", "brainpoolP384r1.pem", "X448.pem", "ED25519.pem"} {
		f.Add(kcPEMBytes(f, kcRead(f, name)))
	}
	for _, name := range []string{"mldsa44-pkcs8-seed", "slhdsa-sha2-128s-pkcs8", "rfc8410-ed25519-pkcs8-v2"} {
		f.Add(kcVectors(f)[name])
	}
	c := kcNew(f)
	f.Fuzz(func(t *testing.T, der []byte) {
		id, err := c.ImportPKCS8(psa.Attributes{Usage: psa.UsageExport}, der)
		if err != nil {
			var s psa.Status
			if !errors.As(err, &s) {
				t.Fatalf("error %v wraps no PSA status", err)
			}
			return
		}
		defer c.DestroyKey(id)
		if _, err := c.ExportPKCS8(id); err != nil && !errors.Is(err, psa.ErrNotSupported) {
			t.Fatalf("an imported key does not export: %v", err)
		}
	})
}

func FuzzImportPublicKeyDER(f *testing.F) {
	for _, name := range []string{"rsa2048.pub.pem", "prime256v1.pub.pem", "secp256k1.pub.pem", "X25519.pub.pem", "ED448.pub.pem"} {
		f.Add(kcPEMBytes(f, kcRead(f, name)))
	}
	f.Add(kcVectors(f)["mlkem512-spki"])
	c := kcNew(f)
	f.Fuzz(func(t *testing.T, der []byte) {
		id, err := c.ImportPublicKeyDER(psa.Attributes{}, der)
		if err != nil {
			var s psa.Status
			if !errors.As(err, &s) {
				t.Fatalf("error %v wraps no PSA status", err)
			}
			return
		}
		defer c.DestroyKey(id)
		out, err := c.ExportPublicKeyDER(id)
		if err != nil {
			t.Fatal(err)
		}
		// The input may differ from the canonical encoding (RSA
		// parameters absent rather than NULL), but the output is a
		// fixed point.
		id2, err := c.ImportPublicKeyDER(psa.Attributes{}, out)
		if err != nil {
			t.Fatalf("the re-encoded key does not import: %v", err)
		}
		defer c.DestroyKey(id2)
		if again, err := c.ExportPublicKeyDER(id2); err != nil || !bytes.Equal(again, out) {
			t.Fatalf("re-encoding is not stable: %x, %v; then %x", out, err, again)
		}
	})
}

func BenchmarkExportPublicKeyDER(b *testing.B) {
	c := kcNew(b)
	id, err := c.ImportPEM(psa.Attributes{}, kcRead(b, "prime256v1.pub.pem"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.ExportPublicKeyDER(id); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkImportPEM(b *testing.B) {
	c := kcNew(b)
	file := kcRead(b, "prime256v1.pem")
	b.ReportAllocs()
	for b.Loop() {
		id, err := c.ImportPEM(psa.Attributes{}, file)
		if err != nil {
			b.Fatal(err)
		}
		c.DestroyKey(id)
	}
}
