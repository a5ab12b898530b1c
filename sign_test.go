package psa_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log"
	"math/big"
	"sync"
	"testing"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/drivers/builtin"
	"github.com/gopsa/psa/internal/dispatch"
	"github.com/gopsa/psa/values"
)

// asymBridge is the default build's dispatch, with the builtin driver's
// asymmetric and key derivation entry points reachable even when the
// driver's description does not declare them yet: the tests of this
// package then exercise the real mechanisms through the public API. Once
// the description declares an entry point, the generated dispatch serves
// it and the bridge only passes the call on.
type asymBridge struct {
	*dispatch.Dispatch
	drv *builtin.Driver
}

func (b *asymBridge) declared(ep string, attrs values.Attributes, alg values.Algorithm) bool {
	return b.Dispatch.Route(ep, attrs, alg) != ""
}

func (b *asymBridge) SignHash(a values.Attributes, k []byte, alg values.Algorithm, h, dst []byte) ([]byte, error) {
	if s, ok := any(b.drv).(driver.HashSigner); ok && !b.declared("sign_hash", a, alg) {
		return s.SignHash(a, k, alg, h, dst)
	}
	return b.Dispatch.SignHash(a, k, alg, h, dst)
}

func (b *asymBridge) VerifyHash(a values.Attributes, k []byte, alg values.Algorithm, h, sig []byte) error {
	if s, ok := any(b.drv).(driver.HashVerifier); ok && !b.declared("verify_hash", a, alg) {
		return s.VerifyHash(a, k, alg, h, sig)
	}
	return b.Dispatch.VerifyHash(a, k, alg, h, sig)
}

func (b *asymBridge) SignMessage(a values.Attributes, k []byte, alg values.Algorithm, m, dst []byte) ([]byte, error) {
	if s, ok := any(b.drv).(driver.MessageSigner); ok && !b.declared("sign_message", a, alg) {
		return s.SignMessage(a, k, alg, m, dst)
	}
	return b.Dispatch.SignMessage(a, k, alg, m, dst)
}

func (b *asymBridge) VerifyMessage(a values.Attributes, k []byte, alg values.Algorithm, m, sig []byte) error {
	if s, ok := any(b.drv).(driver.MessageVerifier); ok && !b.declared("verify_message", a, alg) {
		return s.VerifyMessage(a, k, alg, m, sig)
	}
	return b.Dispatch.VerifyMessage(a, k, alg, m, sig)
}

func (b *asymBridge) HashCompute(alg values.Algorithm, in, dst []byte) ([]byte, error) {
	if s, ok := any(b.drv).(driver.HashComputer); ok && !b.declared("hash_compute", values.Attributes{}, alg) {
		return s.HashCompute(alg, in, dst)
	}
	return b.Dispatch.HashCompute(alg, in, dst)
}

func (b *asymBridge) AsymmetricEncrypt(a values.Attributes, k []byte, alg values.Algorithm, in, salt, dst []byte) ([]byte, error) {
	if s, ok := any(b.drv).(driver.AsymmetricEncrypter); ok && !b.declared("asymmetric_encrypt", a, alg) {
		return s.AsymmetricEncrypt(a, k, alg, in, salt, dst)
	}
	return b.Dispatch.AsymmetricEncrypt(a, k, alg, in, salt, dst)
}

func (b *asymBridge) AsymmetricDecrypt(a values.Attributes, k []byte, alg values.Algorithm, in, salt, dst []byte) ([]byte, error) {
	if s, ok := any(b.drv).(driver.AsymmetricDecrypter); ok && !b.declared("asymmetric_decrypt", a, alg) {
		return s.AsymmetricDecrypt(a, k, alg, in, salt, dst)
	}
	return b.Dispatch.AsymmetricDecrypt(a, k, alg, in, salt, dst)
}

func (b *asymBridge) KeyAgreement(a values.Attributes, k []byte, alg values.Algorithm, peer, dst []byte) ([]byte, error) {
	if s, ok := any(b.drv).(driver.KeyAgreer); ok && !b.declared("key_agreement", a, alg) {
		return s.KeyAgreement(a, k, alg, peer, dst)
	}
	return b.Dispatch.KeyAgreement(a, k, alg, peer, dst)
}

func (b *asymBridge) Encapsulate(a values.Attributes, k []byte, alg values.Algorithm, dst []byte) ([]byte, []byte, error) {
	if s, ok := any(b.drv).(driver.Encapsulator); ok && !b.declared("encapsulate", a, alg) {
		return s.Encapsulate(a, k, alg, dst)
	}
	return b.Dispatch.Encapsulate(a, k, alg, dst)
}

func (b *asymBridge) Decapsulate(a values.Attributes, k []byte, alg values.Algorithm, ct, dst []byte) ([]byte, error) {
	if s, ok := any(b.drv).(driver.Decapsulator); ok && !b.declared("decapsulate", a, alg) {
		return s.Decapsulate(a, k, alg, ct, dst)
	}
	return b.Dispatch.Decapsulate(a, k, alg, ct, dst)
}

func (b *asymBridge) KeyDerivationSetup(alg values.Algorithm, in driver.DerivationInputs) (driver.DerivationOperation, error) {
	if s, ok := any(b.drv).(driver.KeyDerivation); ok && !b.declared("key_derivation_setup", values.Attributes{}, alg) {
		return s.KeyDerivationSetup(alg, in)
	}
	return b.Dispatch.KeyDerivationSetup(alg, in)
}

// asymNew returns an instance over the builtin driver (see asymBridge).
func asymNew(t testing.TB) *psa.Crypto {
	t.Helper()
	drv := new(builtin.Driver)
	d, err := dispatch.New(drv)
	if err != nil {
		t.Fatal(err)
	}
	c, err := psa.New(psa.WithDispatch(&asymBridge{d, drv}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// asymSkipUnsupported skips the test when the builtin driver does not
// implement the mechanism yet; any other error fails it.
func asymSkipUnsupported(t testing.TB, what string, err error) {
	t.Helper()
	if errors.Is(err, psa.ErrNotSupported) {
		t.Skipf("%s: the builtin driver does not support it yet: %v", what, err)
	}
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func asymWant(t testing.TB, what string, err, want error) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Errorf("%s: %v, want success", what, err)
	case want != nil && !errors.Is(err, want):
		t.Errorf("%s: %v, want %v", what, err, want)
	}
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var (
	p256Pair   = psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1)
	p256Public = psa.KeyTypeECCPublicKey(psa.ECCFamilySECPR1)
)

// signVectors are deterministic signatures: deterministic ECDSA over P-256
// from the PSA test suite of TF-PSA-Crypto (sign_message_deterministic),
// and Ed25519 from RFC 8032 §7.1 (test 1 and 2).
var signVectors = []struct {
	name     string
	keyType  psa.KeyType
	bits     int
	key      string
	alg      psa.Algorithm
	msg, sig string
}{
	{"deterministic ECDSA P-256 SHA-256", p256Pair, 256, "ab45435712649cb30bbddac49197eebf2740ffc7f874d9244c3460f54f322d3a",
		psa.AlgDeterministicECDSA(psa.AlgSHA256), "616263",
		"36e5b5a7da1c9c265dc447de3a5a704fcb8c03f7a3749dde48d84c9bf736fc1ed48d8b3660e7d3cbc6b1870730b7ce2a043f69e37ccb340b98d1e65184e03548"},
	{"Ed25519 RFC 8032 test 1", ed25519Type, 255, "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
		psa.AlgPureEdDSA, "",
		"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
	{"Ed25519 RFC 8032 test 2", ed25519Type, 255, "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
		psa.AlgPureEdDSA, "72",
		"92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
}

func TestSignVectors(t *testing.T) {
	c := asymNew(t)
	for _, v := range signVectors {
		t.Run(v.name, func(t *testing.T) {
			id, err := c.ImportKey(psa.Attributes{Type: v.keyType, Bits: v.bits,
				Usage: psa.UsageSignHash | psa.UsageVerifyHash | psa.UsageSignMessage | psa.UsageVerifyMessage, Alg: v.alg}, unhex(t, v.key))
			asymSkipUnsupported(t, "import", err)
			msg, want := unhex(t, v.msg), unhex(t, v.sig)
			sig, err := c.SignMessage(id, v.alg, msg, nil)
			asymSkipUnsupported(t, "sign message", err)
			if !bytes.Equal(sig, want) {
				t.Errorf("signature %x, want %x", sig, want)
			}
			asymWant(t, "verify message", c.VerifyMessage(id, v.alg, msg, want), nil)
			bad := bytes.Clone(want)
			bad[len(bad)-1] ^= 1
			asymWant(t, "verify a corrupted signature", c.VerifyMessage(id, v.alg, msg, bad), psa.ErrInvalidSignature)
			if !v.alg.IsHashAndSign() {
				return
			}
			h := sha256.Sum256(msg)
			sig, err = c.SignHash(id, v.alg, h[:], nil)
			asymWant(t, "sign hash", err, nil)
			if !bytes.Equal(sig, want) {
				t.Errorf("hash signature %x, want %x", sig, want)
			}
			asymWant(t, "verify hash", c.VerifyHash(id, v.alg, h[:], want), nil)
			_, err = c.SignHash(id, v.alg, h[:31], nil)
			asymWant(t, "sign a 31-byte hash", err, psa.ErrInvalidArgument)
		})
	}
}

// TestSignPolicy is the policy matrix through the public API: each
// function's usage flag, the permitted algorithm, and success.
func TestSignPolicy(t *testing.T) {
	c := asymNew(t)
	alg := psa.AlgECDSA(psa.AlgSHA256)
	h := sha256.Sum256([]byte("policy"))
	all := psa.UsageSignHash | psa.UsageVerifyHash
	gen := func(usage psa.KeyUsage, policy psa.Algorithm) psa.KeyID {
		id, err := c.GenerateKey(psa.Attributes{Type: p256Pair, Bits: 256, Usage: usage, Alg: policy})
		asymSkipUnsupported(t, "generate", err)
		return id
	}
	probe := gen(all, alg)
	if _, err := c.SignHash(probe, alg, h[:], nil); err != nil {
		asymSkipUnsupported(t, "sign", err)
	}
	tests := []struct {
		name   string
		usage  psa.KeyUsage
		policy psa.Algorithm
		want   error
	}{
		{"right policy", all, alg, nil},
		{"no SIGN_HASH", psa.UsageVerifyHash, alg, psa.ErrNotPermitted},
		{"other hash", all, psa.AlgECDSA(psa.AlgSHA384), psa.ErrNotPermitted},
		{"other scheme", all, psa.AlgDeterministicECDSA(psa.AlgSHA256), psa.ErrNotPermitted},
		{"wildcard", all, psa.AlgECDSA(psa.AlgAnyHash), nil},
	}
	for _, tt := range tests {
		id := gen(tt.usage, tt.policy)
		_, err := c.SignHash(id, alg, h[:], nil)
		asymWant(t, "sign hash: "+tt.name, err, tt.want)
		_, err = c.SignMessage(id, alg, []byte("policy"), nil)
		asymWant(t, "sign message: "+tt.name, err, tt.want)
	}
	sig, _ := c.SignHash(probe, alg, h[:], nil)
	pub, err := c.ExportPublicKey(probe, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		usage  psa.KeyUsage
		policy psa.Algorithm
		want   error
	}{
		{"right policy", psa.UsageVerifyHash, alg, nil},
		{"no VERIFY_HASH", psa.UsageSignHash, alg, psa.ErrNotPermitted},
		{"other hash", psa.UsageVerifyHash, psa.AlgECDSA(psa.AlgSHA512), psa.ErrNotPermitted},
		{"deterministic policy verifies randomized", psa.UsageVerifyHash, psa.AlgDeterministicECDSA(psa.AlgSHA256), nil},
	} {
		id, err := c.ImportKey(psa.Attributes{Type: p256Public, Usage: tt.usage, Alg: tt.policy}, pub)
		if err != nil {
			t.Fatal(err)
		}
		asymWant(t, "verify hash: "+tt.name, c.VerifyHash(id, alg, h[:], sig), tt.want)
		asymWant(t, "verify message: "+tt.name, c.VerifyMessage(id, alg, []byte("policy"), sig), tt.want)
	}
}

// TestSignConcurrent signs with one key from many goroutines while
// another key is destroyed (run with -race).
func TestSignConcurrent(t *testing.T) {
	c := asymNew(t)
	alg := psa.AlgECDSA(psa.AlgSHA256)
	attrs := psa.Attributes{Type: p256Pair, Bits: 256, Usage: psa.UsageSignHash | psa.UsageVerifyHash, Alg: alg}
	id, err := c.GenerateKey(attrs)
	asymSkipUnsupported(t, "generate", err)
	victim, err := c.GenerateKey(attrs)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256([]byte("concurrent"))
	if _, err := c.SignHash(id, alg, h[:], nil); err != nil {
		asymSkipUnsupported(t, "sign", err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 10 {
				sig, err := c.SignHash(id, alg, h[:], nil)
				if err == nil {
					err = c.VerifyHash(id, alg, h[:], sig)
				}
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := c.SignHash(victim, alg, h[:], nil); err != nil && !errors.Is(err, psa.ErrInvalidHandle) {
					t.Errorf("sign with a key being destroyed: %v", err)
				}
			}
		})
	}
	wg.Go(func() {
		if err := c.DestroyKey(victim); err != nil {
			t.Error(err)
		}
	})
	wg.Wait()
}

func BenchmarkSignHashP256(b *testing.B) {
	c := asymNew(b)
	alg := psa.AlgECDSA(psa.AlgSHA256)
	id, err := c.GenerateKey(psa.Attributes{Type: p256Pair, Bits: 256, Usage: psa.UsageSignHash, Alg: alg})
	if err != nil {
		b.Fatal(err)
	}
	h := sha256.Sum256([]byte("benchmark"))
	dst := make([]byte, 0, 64)
	if _, err := c.SignHash(id, alg, h[:], dst); err != nil {
		b.Skip(err)
	}
	b.Run("psa", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c.SignHash(id, alg, h[:], dst)
		}
	})
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	b.Run("stdlib", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ecdsa.SignASN1(rand.Reader, k, h[:])
		}
	})
}

func BenchmarkVerifyHashP256(b *testing.B) {
	c := asymNew(b)
	alg := psa.AlgECDSA(psa.AlgSHA256)
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	pub, _ := k.PublicKey.Bytes()
	id, err := c.ImportKey(psa.Attributes{Type: p256Public, Usage: psa.UsageVerifyHash, Alg: alg}, pub)
	if err != nil {
		b.Fatal(err)
	}
	h := sha256.Sum256([]byte("benchmark"))
	r, s, _ := ecdsa.Sign(rand.Reader, k, h[:])
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	if err := c.VerifyHash(id, alg, h[:], sig); err != nil {
		b.Skip(err)
	}
	b.Run("psa", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c.VerifyHash(id, alg, h[:], sig)
		}
	})
	b.Run("stdlib", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ecdsa.Verify(&k.PublicKey, h[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:]))
		}
	})
}

func ExampleCrypto_SignMessage() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	alg := psa.AlgECDSA(psa.AlgSHA256)
	key, err := c.GenerateKey(psa.Attributes{
		Type:  psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1),
		Bits:  256,
		Usage: psa.UsageSignMessage | psa.UsageVerifyMessage,
		Alg:   alg,
	})
	if err != nil {
		log.Fatal(err)
	}
	msg := []byte("hello")
	sig, err := c.SignMessage(key, alg, msg, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(sig), "byte signature (r||s)")
	fmt.Println(c.VerifyMessage(key, alg, msg, sig))
	fmt.Println(errors.Is(c.VerifyMessage(key, alg, []byte("hullo"), sig), psa.ErrInvalidSignature))
}
