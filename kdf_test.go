package psa_test

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
	"log"
	"testing"

	"github.com/gopsa/psa"
)

// kdfVectors: RFC 5869 test case 1 (HKDF-SHA-256) and RFC 7914 §11
// (PBKDF2-HMAC-SHA-256).
var kdfVectors = []struct {
	name  string
	alg   psa.Algorithm
	steps []kdfStep
	out   string
}{
	{"HKDF-SHA-256 RFC 5869 case 1", psa.AlgHKDF(psa.AlgSHA256), []kdfStep{
		{psa.DerivationInputSalt, "000102030405060708090a0b0c", 0},
		{psa.DerivationInputSecret, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", 0},
		{psa.DerivationInputInfo, "f0f1f2f3f4f5f6f7f8f9", 0},
	}, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
	{"PBKDF2-HMAC-SHA-256 RFC 7914", psa.AlgPBKDF2HMAC(psa.AlgSHA256), []kdfStep{
		{psa.DerivationInputCost, "", 1},
		{psa.DerivationInputSalt, "73616c74", 0},
		{psa.DerivationInputPassword, "706173737764", 0},
	}, "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"},
}

type kdfStep struct {
	step psa.DerivationStep
	data string
	n    uint64 // for DerivationInputCost
}

func TestKeyDerivationVectors(t *testing.T) {
	c := asymNew(t)
	var op psa.KeyDerivationOperation // reused across vectors
	for _, v := range kdfVectors {
		t.Run(v.name, func(t *testing.T) {
			if err := c.KeyDerivationSetup(&op, v.alg); err != nil {
				t.Fatal(err)
			}
			defer op.Abort()
			for _, s := range v.steps {
				var err error
				if s.step == psa.DerivationInputCost {
					err = op.InputInteger(s.step, s.n)
				} else {
					err = op.InputBytes(s.step, unhex(t, s.data))
				}
				asymWant(t, "input "+s.step.String(), err, nil)
			}
			want := unhex(t, v.out)
			got := make([]byte, len(want))
			err := op.OutputBytes(got[:10])
			asymSkipUnsupported(t, "output", err)
			asymWant(t, "output", op.OutputBytes(got[10:]), nil)
			if !bytes.Equal(got, want) {
				t.Errorf("output %x, want %x", got, want)
			}
		})
	}
}

// TestKeyDerivationKeys derives keys with HKDF from a secret key, and
// checks the permission rules on the way.
func TestKeyDerivationKeys(t *testing.T) {
	c := asymNew(t)
	alg := psa.AlgHKDF(psa.AlgSHA256)
	secret := unhex(t, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b")
	okm := unhex(t, kdfVectors[0].out)
	for _, tt := range []struct {
		name   string
		usage  psa.KeyUsage
		policy psa.Algorithm
		input  error
		output error
	}{
		{"DERIVE", psa.UsageDerive, alg, nil, nil},
		{"no DERIVE", psa.UsageExport, alg, psa.ErrNotPermitted, psa.ErrBadState},
		{"VERIFY_DERIVATION only", psa.UsageVerifyDerivation, alg, nil, psa.ErrNotPermitted},
		{"policy HKDF-SHA-384", psa.UsageDerive, psa.AlgHKDF(psa.AlgSHA384), psa.ErrNotPermitted, psa.ErrBadState},
	} {
		t.Run(tt.name, func(t *testing.T) {
			key, err := c.ImportKey(psa.Attributes{Type: psa.KeyTypeDerive, Usage: tt.usage, Alg: tt.policy}, secret)
			if err != nil {
				t.Fatal(err)
			}
			var op psa.KeyDerivationOperation
			defer op.Abort()
			c.KeyDerivationSetup(&op, alg)
			op.InputBytes(psa.DerivationInputSalt, unhex(t, "000102030405060708090a0b0c"))
			asymWant(t, "input key", op.InputKey(psa.DerivationInputSecret, key), tt.input)
			if tt.input == nil {
				asymWant(t, "info", op.InputBytes(psa.DerivationInputInfo, unhex(t, "f0f1f2f3f4f5f6f7f8f9")), nil)
			}
			id, err := op.OutputKey(psa.Attributes{Type: psa.KeyTypeHMAC, Bits: 256, Usage: psa.UsageExport})
			if tt.output == nil {
				asymSkipUnsupported(t, "output key", err)
				if got, _ := c.ExportKey(id, nil); !bytes.Equal(got, okm[:32]) {
					t.Errorf("derived key %x, want %x", got, okm[:32])
				}
				asymWant(t, "verify the rest", op.VerifyBytes(okm[32:]), nil)
			} else {
				asymWant(t, "output key", err, tt.output)
			}
		})
	}
}

func BenchmarkHKDF(b *testing.B) {
	c := asymNew(b)
	alg := psa.AlgHKDF(psa.AlgSHA256)
	secret, info := make([]byte, 32), []byte("benchmark")
	out := make([]byte, 32)
	var op psa.KeyDerivationOperation
	run := func() error {
		if err := c.KeyDerivationSetup(&op, alg); err != nil {
			return err
		}
		op.InputBytes(psa.DerivationInputSecret, secret)
		op.InputBytes(psa.DerivationInputInfo, info)
		err := op.OutputBytes(out)
		op.Abort()
		return err
	}
	if err := run(); err != nil {
		b.Skip(err)
	}
	b.Run("psa", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			run()
		}
	})
	b.Run("stdlib", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			hkdf.Key(sha256.New, secret, nil, string(info), 32)
		}
	})
}

func ExampleCrypto_KeyDerivationSetup() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	master, err := c.ImportKey(psa.Attributes{
		Type:  psa.KeyTypeDerive,
		Usage: psa.UsageDerive,
		Alg:   psa.AlgHKDF(psa.AlgSHA256),
	}, []byte("a high-entropy master secret...."))
	if err != nil {
		log.Fatal(err)
	}
	var op psa.KeyDerivationOperation
	if err := c.KeyDerivationSetup(&op, psa.AlgHKDF(psa.AlgSHA256)); err != nil {
		log.Fatal(err)
	}
	defer op.Abort()
	op.InputBytes(psa.DerivationInputSalt, []byte("salt"))
	op.InputKey(psa.DerivationInputSecret, master)
	op.InputBytes(psa.DerivationInputInfo, []byte("session keys"))
	// Each output continues the stream: two distinct keys.
	enc, err := op.OutputKey(psa.Attributes{Type: psa.KeyTypeAES, Bits: 128, Usage: psa.UsageEncrypt, Alg: psa.AlgGCM})
	if err != nil {
		log.Fatal(err)
	}
	mac, err := op.OutputKey(psa.Attributes{Type: psa.KeyTypeHMAC, Bits: 256, Usage: psa.UsageSignMessage, Alg: psa.AlgHMAC(psa.AlgSHA256)})
	if err != nil {
		log.Fatal(err)
	}
	left, _ := op.Capacity()
	fmt.Println(enc != mac, left)
	// Output: true 8112
}
