package builtin

import (
	"bufio"
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/cloudflare/circl/sign/mldsa/mldsa44"
	"github.com/cloudflare/circl/sign/mldsa/mldsa65"
	"github.com/cloudflare/circl/sign/mldsa/mldsa87"

	"github.com/gopsa/psa/values"
)

// TestMLDSA signs and verifies with every ML-DSA variant, checks pure
// signatures with circl (an independent implementation), and checks that
// HashML-DSA through sign_message and through sign_hash agree.
func TestMLDSA(t *testing.T) {
	var d Driver
	msg := []byte("ML-DSA message")
	circlVerify := map[int]func(pk, sig []byte) bool{
		128: func(pk, sig []byte) bool {
			var k mldsa44.PublicKey
			k.UnmarshalBinary(pk)
			return mldsa44.Verify(&k, msg, nil, sig)
		},
		192: func(pk, sig []byte) bool {
			var k mldsa65.PublicKey
			k.UnmarshalBinary(pk)
			return mldsa65.Verify(&k, msg, nil, sig)
		},
		256: func(pk, sig []byte) bool {
			var k mldsa87.PublicKey
			k.UnmarshalBinary(pk)
			return mldsa87.Verify(&k, msg, nil, sig)
		},
	}
	for _, bits := range []int{128, 192, 256} {
		key := pkGenerate(t, values.KeyTypeMLDSAKeyPair, bits)
		pub := key.public(t)
		for _, alg := range []values.Algorithm{values.AlgMLDSA, values.AlgDeterministicMLDSA} {
			sig, err := d.SignMessage(key.attrs, key.buf, alg, msg, nil)
			pkWantStatus(t, alg.String(), err, values.Success)
			if !circlVerify[bits](pub.buf, sig) {
				t.Errorf("ML-DSA %d %v: circl rejects the signature", bits, alg)
			}
			pkWantStatus(t, "verify", d.VerifyMessage(pub.attrs, pub.buf, values.AlgMLDSA, msg, sig), values.Success)
			pkWantStatus(t, "verify other", d.VerifyMessage(pub.attrs, pub.buf, values.AlgMLDSA, []byte("x"), sig), values.ErrInvalidSignature)
			_, err = d.SignHash(key.attrs, key.buf, alg, make([]byte, 32), nil)
			pkWantStatus(t, "pure ML-DSA sign_hash", err, values.ErrInvalidArgument)
		}
		for _, h := range []values.Algorithm{values.AlgSHA256, values.AlgSHA3_512, values.AlgSHAKE256_512, values.AlgSHAKE128_256} {
			for _, alg := range []values.Algorithm{values.AlgHashMLDSA(h), values.AlgDeterministicHashMLDSA(h)} {
				sig, err := d.SignMessage(key.attrs, key.buf, alg, msg, nil)
				pkWantStatus(t, alg.String(), err, values.Success)
				ph, _ := lookupPKHash("test", alg, h)
				digest := ph.sum(nil, msg)
				pkWantStatus(t, "verify hash", d.VerifyHash(pub.attrs, pub.buf, alg, digest, sig), values.Success)
				pkWantStatus(t, "verify message", d.VerifyMessage(pub.attrs, pub.buf, values.AlgHashMLDSA(h), msg, sig), values.Success)
				pkWantStatus(t, "pure verify of a HashML-DSA signature", d.VerifyMessage(pub.attrs, pub.buf, values.AlgMLDSA, msg, sig), values.ErrInvalidSignature)
				if alg.IsDeterministicHashMLDSA() {
					sig2, err := d.SignHash(key.attrs, key.buf, alg, digest, nil)
					pkWantStatus(t, "sign hash", err, values.Success)
					if !bytes.Equal(sig, sig2) {
						t.Errorf("%v: sign_message and sign_hash differ", alg)
					}
				}
			}
		}
		_, err := d.SignMessage(key.attrs, key.buf, values.AlgHashMLDSA(values.AlgSHA224), msg, nil)
		pkWantStatus(t, "SHA-224 is not in Table 18", err, values.ErrNotSupported)
	}
}

func TestSLHDSA(t *testing.T) {
	if testing.Short() {
		t.Skip("SLH-DSA signing is slow")
	}
	var d Driver
	msg := []byte("SLH-DSA message")
	for _, fam := range []values.SLHDSAFamily{values.SLHDSAFamilySHA2F, values.SLHDSAFamilySHAKEF} {
		key := pkGenerate(t, values.KeyTypeSLHDSAKeyPair(fam), 128)
		pub := key.public(t)
		algs := []values.Algorithm{values.AlgSLHDSA, values.AlgDeterministicHashSLHDSA(values.AlgSHAKE128_256)}
		if fam == values.SLHDSAFamilySHA2F {
			algs = append(algs, values.AlgDeterministicSLHDSA, values.AlgHashSLHDSA(values.AlgSHA256))
		}
		for _, alg := range algs {
			sig, err := d.SignMessage(key.attrs, key.buf, alg, msg, nil)
			pkWantStatus(t, alg.String(), err, values.Success)
			pkWantStatus(t, "verify", d.VerifyMessage(pub.attrs, pub.buf, alg, msg, sig), values.Success)
			sig[len(sig)-1] ^= 1
			pkWantStatus(t, "verify tampered", d.VerifyMessage(pub.attrs, pub.buf, alg, msg, sig), values.ErrInvalidSignature)
		}
		_, err := d.SignHash(key.attrs, key.buf, values.AlgHashSLHDSA(values.AlgSHA256), make([]byte, 32), nil)
		pkWantStatus(t, "HashSLH-DSA sign_hash", err, values.ErrNotSupported)
	}
}

// TestHSSThroughDriver verifies the RFC 8554 test cases through
// verify_message with imported HSS public keys.
func TestHSSThroughDriver(t *testing.T) {
	var d Driver
	f, err := os.Open("../../internal/lms/testdata/rfc8554.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var pub, msg, sig []byte
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ": ")
		switch k {
		case "pub":
			pub = pkUnhex(t, v, 0)
		case "msg":
			msg = []byte(v + "\n")
		case "sig":
			sig = pkUnhex(t, v, 0)
			key := pkImport(t, values.KeyTypeHSSPublicKey, 0, pub)
			pkWantStatus(t, "HSS", d.VerifyMessage(key.attrs, key.buf, values.AlgHSS, msg, sig), values.Success)
			pkWantStatus(t, "HSS other message", d.VerifyMessage(key.attrs, key.buf, values.AlgHSS, msg[1:], sig), values.ErrInvalidSignature)
			_, err := d.SignMessage(key.attrs, key.buf, values.AlgHSS, msg, nil)
			pkWantStatus(t, "HSS signing", err, values.ErrInvalidArgument)
			pkWantStatus(t, "HSS verify_hash", d.VerifyHash(key.attrs, key.buf, values.AlgHSS, msg, sig), values.ErrInvalidArgument)
			pkWantStatus(t, "LMS with an HSS key", d.VerifyMessage(key.attrs, key.buf, values.AlgLMS, msg, sig), values.ErrInvalidArgument)
			n++
		}
	}
	if n != 2 {
		t.Fatalf("%d test cases, want 2", n)
	}
}
