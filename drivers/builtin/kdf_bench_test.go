package builtin

import (
	"crypto/hkdf"
	"crypto/sha256"
	"testing"

	"github.com/gopsa/psa/values"
)

// HKDF-SHA-256 with a 32-byte output, the whole derivation per iteration:
// the driver's setup, output and abort next to crypto/hkdf.Key.
func BenchmarkKDFHKDFSHA256(b *testing.B) {
	secret := make([]byte, 32)
	salt := make([]byte, 32)
	info := []byte("benchmark info")
	in := kdfTestInputs{
		values.DerivationInputSalt:   kdfBytes(salt),
		values.DerivationInputSecret: kdfKey(values.KeyTypeDerive, secret),
		values.DerivationInputInfo:   kdfBytes(info),
	}
	alg := values.AlgHKDF(values.AlgSHA256)
	out := make([]byte, 32)
	b.Run("driver", func(b *testing.B) {
		var d Driver
		b.ReportAllocs()
		b.SetBytes(32)
		for b.Loop() {
			op, err := d.KeyDerivationSetup(alg, in)
			if err != nil {
				b.Fatal(err)
			}
			if err := op.OutputBytes(out); err != nil {
				b.Fatal(err)
			}
			op.Abort()
		}
	})
	b.Run("crypto-hkdf", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(32)
		for b.Loop() {
			if _, err := hkdf.Key(sha256.New, secret, salt, string(info), 32); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// The output hot path: 32-byte reads from a running stream allocate
// nothing.
func BenchmarkKDFOutputBytes(b *testing.B) {
	for _, c := range []struct {
		name string
		alg  values.Algorithm
		in   kdfTestInputs
	}{
		{"TLS12-PRF-SHA-256", values.AlgTLS12PRF(values.AlgSHA256), kdfTestInputs{
			values.DerivationInputSeed: kdfBytes(make([]byte, 64)), values.DerivationInputSecret: kdfBytes(make([]byte, 48)),
			values.DerivationInputLabel: kdfBytes([]byte("key expansion"))}},
		{"SP800-108-CMAC-AES", values.AlgSP800_108CounterCMAC, kdfTestInputs{
			values.DerivationInputSecret: kdfKey(values.KeyTypeAES, make([]byte, 16))}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var d Driver
			op, err := d.KeyDerivationSetup(c.alg, c.in)
			if err != nil {
				b.Fatal(err)
			}
			out := make([]byte, 32)
			b.ReportAllocs()
			b.SetBytes(32)
			for b.Loop() {
				if err := op.OutputBytes(out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
