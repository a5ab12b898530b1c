//go:build !gopsa_no_builtin_ecc

package builtin

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"math/big"
	"os"
	"strings"
	"testing"

	"filippo.io/bigmod"

	"github.com/gopsa/psa/values"
)

type pkRFC6979Vector struct {
	curve, hash, msg string
	bits             int
	key, k, r, s     []byte
	alg              values.Algorithm
}

func pkReadRFC6979(t *testing.T) []pkRFC6979Vector {
	t.Helper()
	f, err := os.Open("testdata/pk/rfc6979.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bits := map[string]int{"P-192": 192, "P-224": 224, "P-256": 256, "P-384": 384, "P-521": 521}
	hashes := map[string]values.Algorithm{"SHA-1": values.AlgSHA1, "SHA-224": values.AlgSHA224, "SHA-256": values.AlgSHA256, "SHA-384": values.AlgSHA384, "SHA-512": values.AlgSHA512}
	keys := map[string][]byte{}
	var vs []pkRFC6979Vector
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) == 0 || strings.HasPrefix(fs[0], "#") {
			continue
		}
		if fs[0] == "key" {
			keys[fs[1]] = pkUnhex(t, fs[2], (bits[fs[1]]+7)/8)
			continue
		}
		size := (bits[fs[0]] + 7) / 8
		vs = append(vs, pkRFC6979Vector{
			curve: fs[0], hash: fs[1], msg: fs[2], bits: bits[fs[0]], key: keys[fs[0]],
			k: pkUnhex(t, fs[3], size), r: pkUnhex(t, fs[4], size), s: pkUnhex(t, fs[5], size),
			alg: values.AlgDeterministicECDSA(hashes[fs[1]]),
		})
	}
	if len(vs) != 44 {
		t.Fatalf("read %d vectors, want 44", len(vs))
	}
	return vs
}

// TestRFC6979 checks deterministic ECDSA against RFC 6979 A.2.3 to A.2.7,
// through the entry points (crypto/ecdsa on P-224 to P-521, the generic
// code on P-192) and through the generic code on every curve.
func TestRFC6979(t *testing.T) {
	var d Driver
	for _, v := range pkReadRFC6979(t) {
		t.Run(v.curve+"/"+v.hash+"/"+v.msg, func(t *testing.T) {
			key := pkImport(t, pkSECPR1, 0, v.key)
			h, err := lookupPKHash("test", v.alg, v.alg.Hash())
			if err != nil {
				t.Fatal(err)
			}
			digest := h.sum(nil, []byte(v.msg))
			want := append(append([]byte(nil), v.r...), v.s...)

			got, err := d.SignHash(key.attrs, key.buf, v.alg, digest, nil)
			pkWantStatus(t, "SignHash", err, values.Success)
			if !bytes.Equal(got, want) {
				t.Errorf("SignHash = %x\nwant        %x", got, want)
			}
			got, err = d.SignMessage(key.attrs, key.buf, v.alg, []byte(v.msg), nil)
			pkWantStatus(t, "SignMessage", err, values.Success)
			if !bytes.Equal(got, want) {
				t.Errorf("SignMessage = %x\nwant           %x", got, want)
			}

			c, _ := findCurve("test", pkSECPR1, values.ECCFamilySECPR1, v.bits)
			ac := c.arithmetic()
			n, _ := bigmod.NewModulus(ac.Order())
			g := newRFC6979Nonce(h.newHash, n, v.key, digest, nil)
			if k := g.next(n); !bytes.Equal(k, v.k) {
				t.Errorf("nonce k = %x, want %x", k, v.k)
			}
			got, err = ecdsaSignGeneric(ac, v.key, digest, h.newHash, nil, nil)
			pkWantStatus(t, "ecdsaSignGeneric", err, values.Success)
			if !bytes.Equal(got, want) {
				t.Errorf("ecdsaSignGeneric = %x\nwant                 %x", got, want)
			}

			pub := key.public(t)
			for _, alg := range []values.Algorithm{v.alg, values.AlgECDSA(v.alg.Hash())} {
				pkWantStatus(t, "VerifyHash", d.VerifyHash(pub.attrs, pub.buf, alg, digest, want), values.Success)
				pkWantStatus(t, "VerifyMessage", d.VerifyMessage(key.attrs, key.buf, alg, []byte(v.msg), want), values.Success)
			}
			if !ecdsaVerifyGeneric(ac, pub.buf, digest, want) {
				t.Error("ecdsaVerifyGeneric rejects the RFC signature")
			}
			bad := append([]byte(nil), want...)
			bad[len(bad)-1] ^= 1
			pkWantStatus(t, "VerifyHash(tampered)", d.VerifyHash(pub.attrs, pub.buf, v.alg, digest, bad), values.ErrInvalidSignature)
			if ecdsaVerifyGeneric(ac, pub.buf, digest, bad) {
				t.Error("ecdsaVerifyGeneric accepts a tampered signature")
			}
		})
	}
}

// TestECDSAGenericCrossCheck signs with the generic code on the NIST
// curves and verifies with crypto/ecdsa, and the other way round, with
// random keys and hashes.
func TestECDSAGenericCrossCheck(t *testing.T) {
	h, _ := lookupPKHash("test", values.AlgECDSA(values.AlgSHA256), values.AlgSHA256)
	for _, ec := range []elliptic.Curve{elliptic.P224(), elliptic.P256(), elliptic.P384(), elliptic.P521()} {
		t.Run(ec.Params().Name, func(t *testing.T) {
			ac := nistArithmetic()[ec.Params().Name]
			for i := 0; i < 4; i++ {
				priv, err := ecdsa.GenerateKey(ec, rand.Reader)
				if err != nil {
					t.Fatal(err)
				}
				d, _ := priv.Bytes()
				pub, _ := priv.PublicKey.Bytes()
				digest := make([]byte, 32+16*i) // also longer than the order
				rand.Read(digest)
				extra := make([]byte, 16)
				rand.Read(extra)
				sig, err := ecdsaSignGeneric(ac, d, digest, h.newHash, extra, nil)
				if err != nil {
					t.Fatal(err)
				}
				size := len(sig) / 2
				r, s := new(big.Int).SetBytes(sig[:size]), new(big.Int).SetBytes(sig[size:])
				if !ecdsa.Verify(&priv.PublicKey, digest, r, s) {
					t.Fatal("crypto/ecdsa rejects a signature of the generic code")
				}
				der, _ := ecdsa.SignASN1(rand.Reader, priv, digest)
				raw, err := appendRawECDSA(nil, der, size)
				if err != nil {
					t.Fatal(err)
				}
				if !ecdsaVerifyGeneric(ac, pub, digest, raw) {
					t.Fatal("the generic code rejects a signature of crypto/ecdsa")
				}
			}
		})
	}
}

// TestECDSARoundTrip signs and verifies on every Weierstrass curve, with
// randomized, deterministic and hashless ECDSA.
func TestECDSARoundTrip(t *testing.T) {
	var d Driver
	msg := []byte("round trip")
	algs := []values.Algorithm{
		values.AlgECDSA(values.AlgSHA256), values.AlgDeterministicECDSA(values.AlgSHA384),
		values.AlgECDSA(values.AlgSHA3_256), values.AlgDeterministicECDSA(values.AlgSHA3_512),
		values.AlgDeterministicECDSA(values.AlgSHA512_256),
	}
	for _, c := range pkWeierstrassCurves {
		key := pkGenerate(t, c.typ, c.bits)
		pub := key.public(t)
		t.Run(c.typ.String()+"/"+big.NewInt(int64(c.bits)).String(), func(t *testing.T) {
			size := 2 * ((pkOrderBits(t, key) + 7) / 8)
			for _, alg := range algs {
				sig, err := d.SignMessage(key.attrs, key.buf, alg, msg, nil)
				pkWantStatus(t, alg.String(), err, values.Success)
				if len(sig) != size {
					t.Fatalf("%v: %d-byte signature, want %d", alg, len(sig), size)
				}
				if alg.IsDeterministicECDSA() {
					again, _ := d.SignMessage(key.attrs, key.buf, alg, msg, nil)
					if !bytes.Equal(sig, again) {
						t.Errorf("%v is not deterministic", alg)
					}
				}
				pkWantStatus(t, "verify "+alg.String(), d.VerifyMessage(pub.attrs, pub.buf, alg, msg, sig), values.Success)
				pkWantStatus(t, "verify other message", d.VerifyMessage(pub.attrs, pub.buf, alg, []byte("other"), sig), values.ErrInvalidSignature)
				pkWantStatus(t, "verify with key pair", d.VerifyMessage(key.attrs, key.buf, alg, msg, sig), values.Success)
			}
			// PSA_ALG_ECDSA_ANY: short, exact and long inputs.
			for _, n := range []int{1, size / 2, 64, 100} {
				in := bytes.Repeat([]byte{0xa5}, n)
				sig, err := d.SignHash(key.attrs, key.buf, values.AlgECDSAAny, in, nil)
				pkWantStatus(t, "ECDSA_ANY", err, values.Success)
				pkWantStatus(t, "verify ECDSA_ANY", d.VerifyHash(pub.attrs, pub.buf, values.AlgECDSAAny, in, sig), values.Success)
			}
			pkWantStatus(t, "zero signature", d.VerifyHash(pub.attrs, pub.buf, values.AlgECDSAAny, msg, make([]byte, size)), values.ErrInvalidSignature)
			pkWantStatus(t, "short signature", d.VerifyHash(pub.attrs, pub.buf, values.AlgECDSAAny, msg, make([]byte, size-1)), values.ErrInvalidSignature)
		})
	}
}

func pkOrderBits(t *testing.T, k pkKey) int {
	c, err := findCurve("test", k.attrs.Type, k.attrs.Type.ECCFamily(), k.attrs.Bits)
	if err != nil {
		t.Fatal(err)
	}
	return c.order().BitLen()
}

func TestECDSAErrors(t *testing.T) {
	var d Driver
	key := pkGenerate(t, pkSECPR1, 256)
	pub := key.public(t)
	sha256Alg := values.AlgECDSA(values.AlgSHA256)
	x25519 := pkGenerate(t, pkMontgomery, 255)
	tests := []struct {
		name string
		err  error
		want values.Status
	}{
		{"short hash", pkErr(d.SignHash(key.attrs, key.buf, sha256Alg, make([]byte, 31), nil)), values.ErrInvalidArgument},
		{"long hash", pkErr(d.SignHash(key.attrs, key.buf, sha256Alg, make([]byte, 33), nil)), values.ErrInvalidArgument},
		{"wildcard hash", pkErr(d.SignHash(key.attrs, key.buf, values.AlgECDSA(values.AlgAnyHash), make([]byte, 32), nil)), values.ErrInvalidArgument},
		{"no hash", pkErr(d.SignHash(key.attrs, key.buf, values.AlgDeterministicECDSA(0), make([]byte, 32), nil)), values.ErrInvalidArgument},
		{"public key signs", pkErr(d.SignHash(pub.attrs, pub.buf, sha256Alg, make([]byte, 32), nil)), values.ErrInvalidArgument},
		{"Montgomery key", pkErr(d.SignHash(x25519.attrs, x25519.buf, sha256Alg, make([]byte, 32), nil)), values.ErrInvalidArgument},
		{"ECDSA_ANY message", pkErr(d.SignMessage(key.attrs, key.buf, values.AlgECDSAAny, []byte("m"), nil)), values.ErrInvalidArgument},
		{"SM3 message", pkErr(d.SignMessage(key.attrs, key.buf, values.AlgECDSA(values.AlgSM3), []byte("m"), nil)), values.ErrNotSupported},
		{"deterministic SM3 hash", pkErr(d.SignHash(key.attrs, key.buf, values.AlgDeterministicECDSA(values.AlgSM3), make([]byte, 32), nil)), values.ErrNotSupported},
		{"RSA algorithm", pkErr(d.SignHash(key.attrs, key.buf, values.AlgRSAPSS(values.AlgSHA256), make([]byte, 32), nil)), values.ErrInvalidArgument},
		{"not a signature", pkErr(d.SignHash(key.attrs, key.buf, values.AlgSHA256, make([]byte, 32), nil)), values.ErrInvalidArgument},
		{"DER signature", d.VerifyHash(pub.attrs, pub.buf, sha256Alg, make([]byte, 32), make([]byte, 72)), values.ErrInvalidSignature},
	}
	for _, tc := range tests {
		pkWantStatus(t, tc.name, tc.err, tc.want)
	}
	_, err := d.SignHash(key.attrs, key.buf, values.AlgECDSA(values.AlgSM3), make([]byte, 32), nil)
	pkWantStatus(t, "randomized SM3 hash", err, values.ErrNotSupported)
}

func pkErr(_ []byte, err error) error { return err }
