package builtin

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/mlkem"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"testing"

	"filippo.io/mldsa"

	"github.com/gopsa/psa/values"
)

// Benchmarks of the entry points ("driver"), of the Go package they call
// with a key parsed once ("direct"), and of the parsing that the entry
// point does on every call ("parse"): driver ≈ parse + direct, and the
// difference is what a per-key cache of parsed keys would save.

func BenchmarkPK(b *testing.B) {
	var d Driver
	digest := sha256.Sum256([]byte("benchmark"))
	msg := []byte("benchmark message")

	p256 := pkGenerate(b, pkSECPR1, 256)
	p256pub := p256.public(b)
	ecdsaPriv, _ := ecdsa.ParseRawPrivateKey(p256.key().nist, p256.buf)
	ecdsaAlg := values.AlgECDSA(values.AlgSHA256)
	sig, _ := d.SignHash(p256.attrs, p256.buf, ecdsaAlg, digest[:], nil)
	der, _ := ecdsa.SignASN1(rand.Reader, ecdsaPriv, digest[:])
	b.Run("ECDSA-P256-sign/driver", func(b *testing.B) {
		bench(b, func() error { _, err := d.SignHash(p256.attrs, p256.buf, ecdsaAlg, digest[:], nil); return err })
	})
	b.Run("ECDSA-P256-sign/direct", func(b *testing.B) {
		bench(b, func() error { _, err := ecdsa.SignASN1(rand.Reader, ecdsaPriv, digest[:]); return err })
	})
	b.Run("ECDSA-P256-sign/parse", func(b *testing.B) {
		bench(b, func() error { _, err := parseECDSAKey("b", p256.attrs, ecdsaAlg, p256.buf); return err })
	})
	b.Run("ECDSA-P256-verify/driver", func(b *testing.B) {
		bench(b, func() error { return d.VerifyHash(p256pub.attrs, p256pub.buf, ecdsaAlg, digest[:], sig) })
	})
	b.Run("ECDSA-P256-verify/direct", func(b *testing.B) {
		bench(b, func() error {
			if !ecdsa.VerifyASN1(&ecdsaPriv.PublicKey, digest[:], der) {
				b.Fatal("verify")
			}
			return nil
		})
	})
	b.Run("ECDSA-P256-verify/parse", func(b *testing.B) {
		bench(b, func() error { _, err := parseECDSAKey("b", p256pub.attrs, ecdsaAlg, p256pub.buf); return err })
	})

	peer := pkGenerate(b, pkSECPR1, 256).public(b)
	ecdhPriv, _ := ecdh.P256().NewPrivateKey(p256.buf)
	ecdhPeer, _ := ecdh.P256().NewPublicKey(peer.buf)
	b.Run("ECDH-P256/driver", func(b *testing.B) {
		bench(b, func() error {
			_, err := d.KeyAgreement(p256.attrs, p256.buf, values.AlgECDH, peer.buf, nil)
			return err
		})
	})
	b.Run("ECDH-P256/direct", func(b *testing.B) {
		bench(b, func() error { _, err := ecdhPriv.ECDH(ecdhPeer); return err })
	})
	b.Run("ECDH-P256/parse", func(b *testing.B) {
		bench(b, func() error {
			if _, err := ecdh.P256().NewPrivateKey(p256.buf); err != nil {
				return err
			}
			_, err := ecdh.P256().NewPublicKey(peer.buf)
			return err
		})
	})

	x := pkGenerate(b, pkMontgomery, 255)
	xpeer := pkGenerate(b, pkMontgomery, 255).public(b)
	xPriv, _ := ecdh.X25519().NewPrivateKey(x.buf)
	xPeer, _ := ecdh.X25519().NewPublicKey(xpeer.buf)
	b.Run("X25519/driver", func(b *testing.B) {
		bench(b, func() error { _, err := d.KeyAgreement(x.attrs, x.buf, values.AlgECDH, xpeer.buf, nil); return err })
	})
	b.Run("X25519/direct", func(b *testing.B) {
		bench(b, func() error { _, err := xPriv.ECDH(xPeer); return err })
	})

	ed := pkGenerate(b, pkEdwards, 255)
	edPub := ed.public(b)
	edPriv := ed25519.NewKeyFromSeed(ed.buf)
	edSig := ed25519.Sign(edPriv, msg)
	b.Run("Ed25519-sign/driver", func(b *testing.B) {
		bench(b, func() error { _, err := d.SignMessage(ed.attrs, ed.buf, values.AlgPureEdDSA, msg, nil); return err })
	})
	b.Run("Ed25519-sign/direct", func(b *testing.B) {
		bench(b, func() error { ed25519.Sign(edPriv, msg); return nil })
	})
	b.Run("Ed25519-sign/parse", func(b *testing.B) {
		bench(b, func() error { _, err := parseEdDSAKey("b", ed.attrs, values.AlgPureEdDSA, ed.buf); return err })
	})
	b.Run("Ed25519-verify/driver", func(b *testing.B) {
		bench(b, func() error { return d.VerifyMessage(edPub.attrs, edPub.buf, values.AlgPureEdDSA, msg, edSig) })
	})
	b.Run("Ed25519-verify/direct", func(b *testing.B) {
		bench(b, func() error { ed25519.Verify(edPub.buf, msg, edSig); return nil })
	})

	for _, bits := range []int{2048, 3072} {
		name := map[int]string{2048: "RSA-2048", 3072: "RSA-3072"}[bits]
		k := pkGenerate(b, values.KeyTypeRSAKeyPair, bits)
		kpub := k.public(b)
		priv, _ := x509.ParsePKCS1PrivateKey(k.buf)
		alg := values.AlgRSAPKCS1v15Sign(values.AlgSHA256)
		rsig, _ := d.SignHash(k.attrs, k.buf, alg, digest[:], nil)
		b.Run(name+"-sign/driver", func(b *testing.B) {
			bench(b, func() error { _, err := d.SignHash(k.attrs, k.buf, alg, digest[:], nil); return err })
		})
		b.Run(name+"-sign/direct", func(b *testing.B) {
			bench(b, func() error { _, err := rsa.SignPKCS1v15(nil, priv, crypto.SHA256, digest[:]); return err })
		})
		b.Run(name+"-sign/parse", func(b *testing.B) {
			bench(b, func() error { _, err := parseRSAKey("b", k.attrs, alg, k.buf); return err })
		})
		if bits == 3072 {
			continue
		}
		b.Run(name+"-verify/driver", func(b *testing.B) {
			bench(b, func() error { return d.VerifyHash(kpub.attrs, kpub.buf, alg, digest[:], rsig) })
		})
		b.Run(name+"-verify/direct", func(b *testing.B) {
			bench(b, func() error { return rsa.VerifyPKCS1v15(&priv.PublicKey, crypto.SHA256, digest[:], rsig) })
		})
		b.Run(name+"-verify/parse", func(b *testing.B) {
			bench(b, func() error { _, err := parseRSAKey("b", kpub.attrs, alg, kpub.buf); return err })
		})
	}

	kem := pkGenerate(b, values.KeyTypeMLKEMKeyPair, 768)
	kemPub := kem.public(b)
	dk, _ := mlkem.NewDecapsulationKey768(kem.buf)
	ek := dk.EncapsulationKey()
	_, ct := ek.Encapsulate()
	b.Run("ML-KEM-768-encapsulate/driver", func(b *testing.B) {
		bench(b, func() error { _, _, err := d.Encapsulate(kemPub.attrs, kemPub.buf, values.AlgMLKEM, nil); return err })
	})
	b.Run("ML-KEM-768-encapsulate/direct", func(b *testing.B) {
		bench(b, func() error { ek.Encapsulate(); return nil })
	})
	b.Run("ML-KEM-768-encapsulate/parse", func(b *testing.B) {
		bench(b, func() error { _, err := mlkem.NewEncapsulationKey768(kemPub.buf); return err })
	})
	b.Run("ML-KEM-768-decapsulate/driver", func(b *testing.B) {
		bench(b, func() error { _, err := d.Decapsulate(kem.attrs, kem.buf, values.AlgMLKEM, ct, nil); return err })
	})
	b.Run("ML-KEM-768-decapsulate/direct", func(b *testing.B) {
		bench(b, func() error { _, err := dk.Decapsulate(ct); return err })
	})
	b.Run("ML-KEM-768-decapsulate/parse", func(b *testing.B) {
		bench(b, func() error { _, err := mlkem.NewDecapsulationKey768(kem.buf); return err })
	})

	ml := pkGenerate(b, values.KeyTypeMLDSAKeyPair, 192)
	mlPub := ml.public(b)
	mlPriv, _ := mldsa.NewPrivateKey(mldsa.MLDSA65(), ml.buf)
	mlSig, _ := mlPriv.Sign(nil, msg, nil)
	b.Run("ML-DSA-65-sign/driver", func(b *testing.B) {
		bench(b, func() error { _, err := d.SignMessage(ml.attrs, ml.buf, values.AlgMLDSA, msg, nil); return err })
	})
	b.Run("ML-DSA-65-sign/direct", func(b *testing.B) {
		bench(b, func() error { _, err := mlPriv.Sign(nil, msg, nil); return err })
	})
	b.Run("ML-DSA-65-sign/parse", func(b *testing.B) {
		bench(b, func() error { _, err := parseMLDSAKey("b", ml.attrs, ml.buf); return err })
	})
	b.Run("ML-DSA-65-verify/driver", func(b *testing.B) {
		bench(b, func() error { return d.VerifyMessage(mlPub.attrs, mlPub.buf, values.AlgMLDSA, msg, mlSig) })
	})
	b.Run("ML-DSA-65-verify/direct", func(b *testing.B) {
		bench(b, func() error { return mldsa.Verify(mlPriv.PublicKey(), msg, mlSig, nil) })
	})
	b.Run("ML-DSA-65-verify/parse", func(b *testing.B) {
		bench(b, func() error { _, err := parseMLDSAKey("b", mlPub.attrs, mlPub.buf); return err })
	})
}

func bench(b *testing.B, f func() error) {
	b.ReportAllocs()
	for b.Loop() {
		if err := f(); err != nil {
			b.Fatal(err)
		}
	}
}

// key returns the curve of an ECC key, for the benchmarks.
func (k pkKey) key() *eccCurve {
	c, err := findCurve("b", k.attrs.Type, k.attrs.Type.ECCFamily(), k.attrs.Bits)
	if err != nil {
		panic(err)
	}
	return c
}
