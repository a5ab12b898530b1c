package builtin

import (
	"errors"
	"sync"
	"testing"

	"github.com/gopsa/psa/values"
)

// Fuzzing: verification, decryption, decapsulation and key agreement take
// attacker-controlled input and must never panic; every error they return
// carries a PSA status.

type pkFuzzKeys struct {
	sign  []pkKey // public keys and key pairs for verification
	algs  []values.Algorithm
	rsa   pkKey
	kem   []pkKey
	agree []pkKey
}

var pkFuzzSet = sync.OnceValue(func() *pkFuzzKeys {
	t := &testing.T{}
	k := &pkFuzzKeys{}
	for _, c := range []struct {
		typ  values.KeyType
		bits int
	}{{pkSECPR1, 256}, {pkSECPK1, 256}, {pkBrainpool, 320}, {pkSECPR1, 521}, {pkEdwards, 255}, {pkEdwards, 448}} {
		pair := pkGenerate(t, c.typ, c.bits)
		k.sign = append(k.sign, pair, pair.public(t))
	}
	k.rsa = pkGenerate(t, values.KeyTypeRSAKeyPair, 1024)
	k.sign = append(k.sign, k.rsa, pkGenerate(t, values.KeyTypeMLDSAKeyPair, 128).public(t))
	k.algs = []values.Algorithm{
		values.AlgECDSAAny, values.AlgECDSA(values.AlgSHA256), values.AlgDeterministicECDSA(values.AlgSHA384),
		values.AlgPureEdDSA, values.AlgEdDSACtx, values.AlgEd25519ph, values.AlgEd448ph,
		values.AlgRSAPKCS1v15SignRaw, values.AlgRSAPKCS1v15Sign(values.AlgSHA256), values.AlgRSAPSS(values.AlgSHA256),
		values.AlgRSAPSSAnySalt(values.AlgSHA512), values.AlgMLDSA, values.AlgHashMLDSA(values.AlgSHA256),
		values.AlgHSS, values.AlgLMS, values.AlgXMSS, 0, 0x06ffffff,
	}
	k.kem = []pkKey{pkGenerate(t, values.KeyTypeMLKEMKeyPair, 512), pkGenerate(t, values.KeyTypeMLKEMKeyPair, 768), pkGenerate(t, pkSECPR1, 384), pkGenerate(t, pkMontgomery, 448)}
	k.agree = []pkKey{pkGenerate(t, pkSECPR1, 256), pkGenerate(t, pkSECPR1, 224), pkGenerate(t, pkSECPK1, 192), pkGenerate(t, pkMontgomery, 255), pkGenerate(t, values.KeyTypeDHKeyPair(values.DHFamilyRFC7919), 2048)}
	if t.Failed() {
		panic("pkFuzzSet: key generation failed")
	}
	return k
})

func pkCheckFuzzErr(t *testing.T, what string, err error) {
	var s values.Status
	if err != nil && !errors.As(err, &s) {
		t.Fatalf("%s: error without a PSA status: %v", what, err)
	}
}

func FuzzPKVerify(f *testing.F) {
	f.Add(uint8(0), uint8(1), make([]byte, 32), make([]byte, 64))
	f.Add(uint8(8), uint8(4), []byte("message"), make([]byte, 64))
	f.Add(uint8(12), uint8(9), make([]byte, 32), make([]byte, 128))
	f.Fuzz(func(t *testing.T, ki, ai uint8, in, sig []byte) {
		ks := pkFuzzSet()
		k := ks.sign[int(ki)%len(ks.sign)]
		alg := ks.algs[int(ai)%len(ks.algs)]
		var d Driver
		pkCheckFuzzErr(t, "VerifyHash", d.VerifyHash(k.attrs, k.buf, alg, in, sig))
		pkCheckFuzzErr(t, "VerifyMessage", d.VerifyMessage(k.attrs, k.buf, alg, in, sig))
	})
}

func FuzzPKDecrypt(f *testing.F) {
	f.Add(uint8(0), make([]byte, 128), []byte{})
	f.Add(uint8(1), make([]byte, 768), []byte("label"))
	f.Add(uint8(3), make([]byte, 65), []byte{})
	f.Fuzz(func(t *testing.T, which uint8, in, label []byte) {
		ks := pkFuzzSet()
		var d Driver
		for _, alg := range []values.Algorithm{values.AlgRSAPKCS1v15Crypt, values.AlgRSAOAEP(values.AlgSHA256)} {
			_, err := d.AsymmetricDecrypt(ks.rsa.attrs, ks.rsa.buf, alg, in, label, nil)
			pkCheckFuzzErr(t, "AsymmetricDecrypt", err)
		}
		k := ks.kem[int(which)%len(ks.kem)]
		alg := values.AlgMLKEM
		if k.attrs.Type.IsECC() {
			alg = values.AlgECIESSEC1
		}
		_, err := d.Decapsulate(k.attrs, k.buf, alg, in, nil)
		pkCheckFuzzErr(t, "Decapsulate", err)
		a := ks.agree[int(which)%len(ks.agree)]
		alg = values.AlgECDH
		if a.attrs.Type.IsDH() {
			alg = values.AlgFFDH
		}
		_, err = d.KeyAgreement(a.attrs, a.buf, alg, in, nil)
		pkCheckFuzzErr(t, "KeyAgreement", err)
	})
}

// TestPKConcurrentUse runs the public-key entry points from several
// goroutines on one Driver (go test -race checks the sharing).
func TestPKConcurrentUse(t *testing.T) {
	ks := pkFuzzSet()
	var d Driver
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			k := ks.sign[2*(i%6)] // a key pair of each curve in turn
			alg := values.AlgECDSA(values.AlgSHA256)
			if k.attrs.Type.ECCFamily() == values.ECCFamilyTwistedEdwards {
				alg = values.AlgPureEdDSA
			}
			msg := []byte{byte(i)}
			sig, err := d.SignMessage(k.attrs, k.buf, alg, msg, nil)
			if err != nil {
				t.Error(err)
				return
			}
			if err := d.VerifyMessage(k.attrs, k.buf, alg, msg, sig); err != nil {
				t.Error(err)
			}
			kem := ks.kem[i%len(ks.kem)]
			kalg := values.AlgMLKEM
			if kem.attrs.Type.IsECC() {
				kalg = values.AlgECIESSEC1
			}
			ct, ss, err := d.Encapsulate(kem.attrs, kem.buf, kalg, nil)
			if err != nil {
				t.Error(err)
				return
			}
			if got, err := d.Decapsulate(kem.attrs, kem.buf, kalg, ct, nil); err != nil || string(got) != string(ss) {
				t.Errorf("decapsulate: %v", err)
			}
		}(i)
	}
	wg.Wait()
}
