package builtin

import (
	"bytes"
	"testing"

	"github.com/cloudflare/circl/kem/mlkem/mlkem1024"
	"github.com/cloudflare/circl/kem/mlkem/mlkem768"

	"github.com/gopsa/psa/values"
)

func TestMLKEM(t *testing.T) {
	var d Driver
	for _, bits := range []int{512, 768, 1024} {
		key := pkGenerate(t, values.KeyTypeMLKEMKeyPair, bits)
		pub := key.public(t)
		wantCT := map[int]int{512: 768, 768: 1088, 1024: 1568}[bits] // the specification's table
		for _, enc := range []pkKey{key, pub} {
			ct, ss, err := d.Encapsulate(enc.attrs, enc.buf, values.AlgMLKEM, []byte("x"))
			pkWantStatus(t, "encapsulate", err, values.Success)
			if len(ct) != 1+wantCT || ct[0] != 'x' || len(ss) != 32 {
				t.Fatalf("ML-KEM-%d: %d-byte ciphertext (appended to 1 byte), %d-byte secret", bits, len(ct), len(ss))
			}
			ct = ct[1:]
			got, err := d.Decapsulate(key.attrs, key.buf, values.AlgMLKEM, ct, nil)
			pkWantStatus(t, "decapsulate", err, values.Success)
			if !bytes.Equal(got, ss) {
				t.Errorf("ML-KEM-%d: decapsulated secret differs", bits)
			}
			// Implicit rejection: a tampered ciphertext decapsulates, to
			// another secret.
			ct[0] ^= 1
			got, err = d.Decapsulate(key.attrs, key.buf, values.AlgMLKEM, ct, nil)
			pkWantStatus(t, "decapsulate tampered", err, values.Success)
			if bytes.Equal(got, ss) {
				t.Errorf("ML-KEM-%d: a tampered ciphertext gives the same secret", bits)
			}
			ct[0] ^= 1
			if bits != 512 {
				// An independent implementation (circl) agrees.
				var circlSS []byte
				if bits == 768 {
					_, sk := mlkem768.NewKeyFromSeed(key.buf)
					circlSS = make([]byte, 32)
					sk.DecapsulateTo(circlSS, ct)
				} else {
					_, sk := mlkem1024.NewKeyFromSeed(key.buf)
					circlSS = make([]byte, 32)
					sk.DecapsulateTo(circlSS, ct)
				}
				if !bytes.Equal(circlSS, ss) {
					t.Errorf("ML-KEM-%d: circl decapsulates another secret", bits)
				}
			}
		}
		_, err := d.Decapsulate(key.attrs, key.buf, values.AlgMLKEM, make([]byte, wantCT-1), nil)
		pkWantStatus(t, "short ciphertext", err, values.ErrInvalidArgument)
		_, err = d.Decapsulate(pub.attrs, pub.buf, values.AlgMLKEM, make([]byte, wantCT), nil)
		pkWantStatus(t, "decapsulate with a public key", err, values.ErrInvalidArgument)
	}
	p256 := pkGenerate(t, pkSECPR1, 256)
	_, _, err := d.Encapsulate(p256.attrs, p256.buf, values.AlgMLKEM, nil)
	pkWantStatus(t, "ML-KEM with an ECC key", err, values.ErrInvalidArgument)
	_, _, err = d.Encapsulate(p256.attrs, p256.buf, values.AlgECDH, nil)
	pkWantStatus(t, "not a KEM", err, values.ErrInvalidArgument)
}

func TestECIES(t *testing.T) {
	var d Driver
	curves := append([]struct {
		typ  values.KeyType
		bits int
	}{{pkMontgomery, 255}, {pkMontgomery, 448}}, pkWeierstrassCurves...)
	for _, c := range curves {
		key := pkGenerate(t, c.typ, c.bits)
		pub := key.public(t)
		ct, z, err := d.Encapsulate(pub.attrs, pub.buf, values.AlgECIESSEC1, nil)
		pkWantStatus(t, "encapsulate", err, values.Success)
		if len(ct) != len(pub.buf) {
			t.Errorf("%v %d: %d-byte ciphertext, want a public key (%d bytes)", c.typ, c.bits, len(ct), len(pub.buf))
		}
		if want := values.EncapsulateCiphertextSize(c.typ, c.bits, values.AlgECIESSEC1); want != 0 && want != len(ct) {
			t.Errorf("%v %d: %d-byte ciphertext, PSA_ENCAPSULATE_CIPHERTEXT_SIZE says %d", c.typ, c.bits, len(ct), want)
		}
		got, err := d.Decapsulate(key.attrs, key.buf, values.AlgECIESSEC1, ct, nil)
		pkWantStatus(t, "decapsulate", err, values.Success)
		if !bytes.Equal(got, z) {
			t.Errorf("%v %d: the shared secrets differ", c.typ, c.bits)
		}
		// The shared secret is the ECDH secret of the recipient's key and
		// the ephemeral public key.
		z2, _ := d.KeyAgreement(key.attrs, key.buf, values.AlgECDH, ct, nil)
		if !bytes.Equal(z2, z) {
			t.Errorf("%v %d: Z is not the ECDH secret", c.typ, c.bits)
		}
	}
	ed := pkGenerate(t, pkEdwards, 255)
	_, _, err := d.Encapsulate(ed.attrs, ed.buf, values.AlgECIESSEC1, nil)
	pkWantStatus(t, "Edwards key", err, values.ErrInvalidArgument)
	key := pkGenerate(t, pkSECPR1, 256)
	_, err = d.Decapsulate(key.attrs, key.buf, values.AlgECIESSEC1, make([]byte, 65), nil)
	pkWantStatus(t, "invalid ciphertext", err, values.ErrInvalidArgument)
}
