package p256

import (
	"bufio"
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/big"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

var (
	pairAttrs = values.Attributes{Type: keyPairType, Bits: 256}
	pubAttrs  = values.Attributes{Type: publicKeyType, Bits: 256}
	ecdsaAny  = values.AlgECDSA(values.AlgAnyHash)
	ecdsa256  = values.AlgECDSA(values.AlgSHA256)
)

// vector is one block of testdata/vectors.txt.
type vector struct {
	kind, name string
	f          map[string]string
}

func (v *vector) hex(t *testing.T, field string) []byte {
	t.Helper()
	s, ok := v.f[field]
	if !ok {
		t.Fatalf("%s: no %q field", v.name, field)
	}
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("%s: %s: %v", v.name, field, err)
	}
	return b
}

func loadVectors(t *testing.T, kind string) []*vector {
	t.Helper()
	f, err := os.Open("testdata/vectors.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var all []*vector
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "["):
			k, name, ok := strings.Cut(line[1:], "] ")
			if !ok {
				t.Fatalf("bad block header %q", line)
			}
			all = append(all, &vector{kind: k, name: name, f: map[string]string{}})
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || len(all) == 0 {
				t.Fatalf("bad line %q", line)
			}
			all[len(all)-1].f[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	var out []*vector
	for _, v := range all {
		if v.kind == kind {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no [%s] vectors", kind)
	}
	return out
}

func TestKeyVectors(t *testing.T) {
	var d Driver
	for _, v := range loadVectors(t, "key") {
		t.Run(v.name, func(t *testing.T) {
			priv, pub := v.hex(t, "private"), v.hex(t, "public")
			key, bits, err := d.ImportKey(values.Attributes{Type: keyPairType}, priv, nil)
			if err != nil || bits != 256 || !bytes.Equal(key, priv) {
				t.Fatalf("ImportKey(key pair) = %x, %d, %v; want the scalar, 256", key, bits, err)
			}
			got, err := d.ExportPublicKey(pairAttrs, key, []byte{0xaa})
			if err != nil || !bytes.Equal(got, append([]byte{0xaa}, pub...)) {
				t.Errorf("ExportPublicKey(key pair) = %x, %v; want aa||%x", got, err, pub)
			}
			key, bits, err = d.ImportKey(values.Attributes{Type: publicKeyType}, pub, nil)
			if err != nil || bits != 256 || !bytes.Equal(key, pub) {
				t.Fatalf("ImportKey(public key) = %x, %d, %v", key, bits, err)
			}
			if got, err := d.ExportPublicKey(pubAttrs, key, nil); err != nil || !bytes.Equal(got, pub) {
				t.Errorf("ExportPublicKey(public key) = %x, %v", got, err)
			}
		})
	}
}

func TestECDHVectors(t *testing.T) {
	var d Driver
	for _, v := range loadVectors(t, "ecdh") {
		t.Run(v.name, func(t *testing.T) {
			got, err := d.KeyAgreement(pairAttrs, v.hex(t, "private"), values.AlgECDH, v.hex(t, "peer"), nil)
			if want := v.hex(t, "shared"); err != nil || !bytes.Equal(got, want) {
				t.Errorf("KeyAgreement = %x, %v; want %x", got, err, want)
			}
		})
	}
}

func TestVerifyVectors(t *testing.T) {
	var d Driver
	for _, v := range loadVectors(t, "verify") {
		t.Run(v.name, func(t *testing.T) {
			var hash []byte
			if m, ok := v.f["message"]; ok {
				h := sha256.Sum256([]byte(m))
				hash = h[:]
			} else {
				hash = v.hex(t, "hash")
			}
			pub, sig := v.hex(t, "public"), v.hex(t, "signature")
			for _, alg := range []values.Algorithm{ecdsa256, values.AlgDeterministicECDSA(values.AlgSHA256)} {
				err := d.VerifyHash(pubAttrs, pub, alg, hash, sig)
				switch v.f["valid"] {
				case "yes":
					if err != nil {
						t.Errorf("VerifyHash(%v) = %v, want nil", alg, err)
					}
				case "no":
					if !errors.Is(err, values.ErrInvalidSignature) {
						t.Errorf("VerifyHash(%v) = %v, want ErrInvalidSignature", alg, err)
					}
				default:
					t.Fatalf("valid = %q", v.f["valid"])
				}
			}
		})
	}
}

// TestSignVerify signs with the driver and checks the signature with the
// driver and, independently, with crypto/ecdsa.
func TestSignVerify(t *testing.T) {
	var d Driver
	key, err := d.GenerateKey(pairAttrs, driver.ProductionParameters{}, nil)
	if err != nil || len(key) != PrivateKeySize {
		t.Fatalf("GenerateKey = %x, %v", key, err)
	}
	if _, _, err := d.ImportKey(values.Attributes{Type: keyPairType}, key, nil); err != nil {
		t.Fatalf("a generated key does not import: %v", err)
	}
	pub, err := d.ExportPublicKey(pairAttrs, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	stdPub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), pub)
	if err != nil {
		t.Fatal(err)
	}
	hash := sha256.Sum256([]byte("gopsa p256 example driver"))
	dst := []byte("prefix")
	sig, err := d.SignHash(pairAttrs, key, ecdsa256, hash[:], dst)
	if err != nil || len(sig) != len(dst)+SignatureSize || !bytes.HasPrefix(sig, dst) {
		t.Fatalf("SignHash = %x, %v; want prefix followed by %d bytes", sig, err, SignatureSize)
	}
	sig = sig[len(dst):]
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	if !ecdsa.Verify(stdPub, hash[:], r, s) {
		t.Error("crypto/ecdsa rejects the driver's signature")
	}
	for _, k := range []struct {
		attrs values.Attributes
		key   []byte
	}{{pairAttrs, key}, {pubAttrs, pub}} {
		if err := d.VerifyHash(k.attrs, k.key, ecdsa256, hash[:], sig); err != nil {
			t.Errorf("VerifyHash(%v) = %v", k.attrs.Type, err)
		}
	}
	sig2, err := d.SignHash(pairAttrs, key, ecdsaAny, hash[:], nil)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(sig, sig2) {
		t.Error("two signatures of one hash are equal: ECDSA is not randomized")
	}
	hash[0] ^= 1
	if err := d.VerifyHash(pubAttrs, pub, ecdsa256, hash[:], sig); !errors.Is(err, values.ErrInvalidSignature) {
		t.Errorf("VerifyHash of another hash = %v, want ErrInvalidSignature", err)
	}
}

// TestECDHAgrees checks that two generated keys agree, and agree with
// crypto/ecdh.
func TestECDHAgrees(t *testing.T) {
	var d Driver
	a, err := d.GenerateKey(pairAttrs, driver.ProductionParameters{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ecdh.P256().GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	aPub, _ := d.ExportPublicKey(pairAttrs, a, nil)
	s1, err := d.KeyAgreement(pairAttrs, a, values.AlgECDH, b.PublicKey().Bytes(), nil)
	if err != nil {
		t.Fatal(err)
	}
	peer, err := ecdh.P256().NewPublicKey(aPub)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := b.ECDH(peer)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(s1, s2) || len(s1) != SharedSecretSize {
		t.Errorf("shared secrets differ: %x, %x", s1, s2)
	}
}

func TestErrors(t *testing.T) {
	var d Driver
	priv, _ := hex.DecodeString("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721")
	pub, _ := d.ExportPublicKey(pairAttrs, priv, nil)
	n, _ := hex.DecodeString("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
	offCurve := bytes.Clone(pub)
	offCurve[64] ^= 1
	hash := make([]byte, 32)
	sig, _ := d.SignHash(pairAttrs, priv, ecdsa256, hash, nil)
	p384 := values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilySECPR1), Bits: 384}
	k1 := values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilySECPK1), Bits: 256}
	compressed := append([]byte{0x02 | pub[64]&1}, pub[1:33]...)

	tests := []struct {
		name string
		call func() error
		want error
	}{
		{"import scalar 0", func() error { _, _, err := d.ImportKey(pairAttrs, make([]byte, 32), nil); return err }, values.ErrInvalidArgument},
		{"import scalar n", func() error { _, _, err := d.ImportKey(pairAttrs, n, nil); return err }, values.ErrInvalidArgument},
		{"import 48-byte scalar", func() error {
			_, _, err := d.ImportKey(values.Attributes{Type: keyPairType}, make([]byte, 48), nil)
			return err
		}, values.ErrNotSupported},
		{"import point off the curve", func() error { _, _, err := d.ImportKey(pubAttrs, offCurve, nil); return err }, values.ErrInvalidArgument},
		{"import compressed point", func() error { _, _, err := d.ImportKey(pubAttrs, compressed, nil); return err }, values.ErrNotSupported},
		{"import point without 0x04", func() error { p := bytes.Clone(pub); p[0] = 5; _, _, err := d.ImportKey(pubAttrs, p, nil); return err }, values.ErrInvalidArgument},
		{"import secp384r1", func() error { _, _, err := d.ImportKey(p384, make([]byte, 48), nil); return err }, values.ErrNotSupported},
		{"import secp256k1", func() error { _, _, err := d.ImportKey(k1, priv, nil); return err }, values.ErrNotSupported},
		{"import AES", func() error {
			_, _, err := d.ImportKey(values.Attributes{Type: values.KeyTypeAES}, make([]byte, 16), nil)
			return err
		}, values.ErrNotSupported},
		{"generate public key", func() error { _, err := d.GenerateKey(pubAttrs, driver.ProductionParameters{}, nil); return err }, values.ErrNotSupported},
		{"generate with parameters", func() error {
			_, err := d.GenerateKey(pairAttrs, driver.ProductionParameters{Data: []byte{1}}, nil)
			return err
		}, values.ErrInvalidArgument},
		{"generate secp384r1", func() error { _, err := d.GenerateKey(p384, driver.ProductionParameters{}, nil); return err }, values.ErrNotSupported},
		{"sign deterministic", func() error {
			_, err := d.SignHash(pairAttrs, priv, values.AlgDeterministicECDSA(values.AlgSHA256), hash, nil)
			return err
		}, values.ErrNotSupported},
		{"sign with a public key", func() error { _, err := d.SignHash(pubAttrs, pub, ecdsa256, hash, nil); return err }, values.ErrNotSupported},
		{"sign 20-byte hash for SHA-256", func() error { _, err := d.SignHash(pairAttrs, priv, ecdsa256, hash[:20], nil); return err }, values.ErrInvalidArgument},
		{"sign empty hash", func() error { _, err := d.SignHash(pairAttrs, priv, ecdsaAny, nil, nil); return err }, values.ErrInvalidArgument},
		{"sign with RSA PSS", func() error {
			_, err := d.SignHash(pairAttrs, priv, values.AlgRSAPSS(values.AlgSHA256), hash, nil)
			return err
		}, values.ErrNotSupported},
		{"sign with a damaged key buffer", func() error { _, err := d.SignHash(pairAttrs, priv[:31], ecdsa256, hash, nil); return err }, values.ErrCorruptionDetected},
		{"verify short signature", func() error { return d.VerifyHash(pubAttrs, pub, ecdsa256, hash, sig[:63]) }, values.ErrInvalidSignature},
		{"verify r = 0", func() error {
			s := bytes.Clone(sig)
			clear(s[:32])
			return d.VerifyHash(pubAttrs, pub, ecdsa256, hash, s)
		}, values.ErrInvalidSignature},
		{"verify with ECDH", func() error { return d.VerifyHash(pubAttrs, pub, values.AlgECDH, hash, sig) }, values.ErrNotSupported},
		{"ECDH with a public key", func() error { _, err := d.KeyAgreement(pubAttrs, pub, values.AlgECDH, pub, nil); return err }, values.ErrNotSupported},
		{"ECDH peer off the curve", func() error { _, err := d.KeyAgreement(pairAttrs, priv, values.AlgECDH, offCurve, nil); return err }, values.ErrInvalidArgument},
		{"ECDH compressed peer", func() error { _, err := d.KeyAgreement(pairAttrs, priv, values.AlgECDH, compressed, nil); return err }, values.ErrInvalidArgument},
		{"ECDH with FFDH", func() error { _, err := d.KeyAgreement(pairAttrs, priv, values.AlgFFDH, pub, nil); return err }, values.ErrNotSupported},
		{"ECDH with a KDF", func() error {
			_, err := d.KeyAgreement(pairAttrs, priv, values.AlgKeyAgreement(values.AlgECDH, values.AlgHKDF(values.AlgSHA256)), pub, nil)
			return err
		}, values.ErrNotSupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "p256: ") {
				t.Errorf("error %q does not name the driver", err)
			}
		})
	}
}

// TestConcurrent runs every entry point from many goroutines at once; run
// it with -race.
func TestConcurrent(t *testing.T) {
	var d Driver
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			key, err := d.GenerateKey(pairAttrs, driver.ProductionParameters{}, nil)
			if err != nil {
				t.Error(err)
				return
			}
			pub, _ := d.ExportPublicKey(pairAttrs, key, nil)
			h := sha256.Sum256(key)
			sig, err := d.SignHash(pairAttrs, key, ecdsa256, h[:], nil)
			if err == nil {
				err = d.VerifyHash(pubAttrs, pub, ecdsa256, h[:], sig)
			}
			if err == nil {
				_, err = d.KeyAgreement(pairAttrs, key, values.AlgECDH, pub, nil)
			}
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

func benchKey(b *testing.B) (d *Driver, key, pub []byte) {
	d = new(Driver)
	key, err := d.GenerateKey(pairAttrs, driver.ProductionParameters{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	pub, _ = d.ExportPublicKey(pairAttrs, key, nil)
	return d, key, pub
}

func BenchmarkSignHash(b *testing.B) {
	d, key, _ := benchKey(b)
	hash := make([]byte, 32)
	dst := make([]byte, 0, SignatureSize)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.SignHash(pairAttrs, key, ecdsa256, hash, dst); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyHash(b *testing.B) {
	d, key, pub := benchKey(b)
	hash := make([]byte, 32)
	sig, _ := d.SignHash(pairAttrs, key, ecdsa256, hash, nil)
	b.ReportAllocs()
	for b.Loop() {
		if err := d.VerifyHash(pubAttrs, pub, ecdsa256, hash, sig); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKeyAgreement(b *testing.B) {
	d, key, pub := benchKey(b)
	dst := make([]byte, 0, SharedSecretSize)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.KeyAgreement(pairAttrs, key, values.AlgECDH, pub, dst); err != nil {
			b.Fatal(err)
		}
	}
}
