package core

import (
	"crypto/ecdh"
	"crypto/rand"
	"crypto/sha256"
	"sync"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

var (
	asymECCPair   = values.KeyTypeECCKeyPair(values.ECCFamilySECPR1)
	asymECCPublic = values.KeyTypeECCPublicKey(values.ECCFamilySECPR1)
	asymECDSA256  = values.AlgECDSA(values.AlgSHA256)
)

// asymNewECDSA imports a fresh P-256 key pair and returns it with its
// public key.
func asymNewECDSA(t testing.TB, c *Core, usage values.KeyUsage, alg values.Algorithm) (values.KeyID, []byte) {
	t.Helper()
	k, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := asymImport(t, c, values.Attributes{Type: asymECCPair, Bits: 256, Usage: usage, Alg: alg}, k.Bytes())
	return id, k.PublicKey().Bytes()
}

func TestSignVerifyHash(t *testing.T) {
	c, _ := newAsymCore(t)
	id, pubBytes := asymNewECDSA(t, c, values.UsageSignHash|values.UsageVerifyHash, asymECDSA256)
	pub := asymImport(t, c, values.Attributes{Type: asymECCPublic, Bits: 256, Usage: values.UsageVerifyHash, Alg: asymECDSA256}, pubBytes)
	h := sha256.Sum256([]byte("message"))
	sig, err := c.SignHash(id, asymECDSA256, h[:], []byte{0xaa})
	if err != nil {
		t.Fatal(err)
	}
	if len(sig) != 65 || sig[0] != 0xaa {
		t.Fatalf("signature %x: want 0xaa then 64 bytes", sig)
	}
	sig = sig[1:]
	for _, k := range []values.KeyID{id, pub} {
		asymWant(t, "verify", c.VerifyHash(k, asymECDSA256, h[:], sig), nil)
		bad := append([]byte(nil), sig...)
		bad[10] ^= 1
		asymWant(t, "verify a corrupted signature", c.VerifyHash(k, asymECDSA256, h[:], bad), values.ErrInvalidSignature)
	}
	_, err = c.SignHash(pub, asymECDSA256, h[:], nil)
	asymWant(t, "sign with a public key", err, values.ErrNotPermitted)
	pubSign := asymImport(t, c, values.Attributes{Type: asymECCPublic, Bits: 256, Usage: values.UsageSignHash, Alg: asymECDSA256}, pubBytes)
	_, err = c.SignHash(pubSign, asymECDSA256, h[:], nil)
	asymWant(t, "sign with a public key that has SIGN_HASH", err, values.ErrInvalidArgument)
	_, err = c.SignHash(0x7ff0ffff, asymECDSA256, h[:], nil)
	asymWant(t, "sign with no key", err, values.ErrInvalidHandle)
}

func TestSignArguments(t *testing.T) {
	c, d := newAsymCore(t)
	id, _ := asymNewECDSA(t, c, values.UsageSignHash|values.UsageVerifyHash, values.AlgECDSA(values.AlgAnyHash))
	anyID, _ := asymNewECDSA(t, c, values.UsageSignHash|values.UsageVerifyHash, values.AlgECDSAAny)
	h32, h48 := make([]byte, 32), make([]byte, 48)
	tests := []struct {
		name string
		key  values.KeyID
		alg  values.Algorithm
		hash []byte
		want error
	}{
		{"SHA-256 hash", id, asymECDSA256, h32, nil},
		{"48 bytes for SHA-256", id, asymECDSA256, h48, values.ErrInvalidArgument},
		{"31 bytes for SHA-256", id, asymECDSA256, h32[:31], values.ErrInvalidArgument},
		{"SHA-384 hash", id, values.AlgECDSA(values.AlgSHA384), h48, nil},
		{"ECDSA_ANY takes any length", anyID, values.AlgECDSAAny, h48[:20], nil},
		{"wildcard", id, values.AlgECDSA(values.AlgAnyHash), h32, values.ErrInvalidArgument},
		{"MAC algorithm", id, values.AlgHMAC(values.AlgSHA256), h32, values.ErrInvalidArgument},
		{"message-only algorithm", id, values.AlgPureEdDSA, h32, values.ErrInvalidArgument},
		{"no algorithm", id, 0, h32, values.ErrInvalidArgument},
	}
	for _, tt := range tests {
		before := d.called("sign_hash")
		sig, err := c.SignHash(tt.key, tt.alg, tt.hash, nil)
		asymWant(t, "sign: "+tt.name, err, tt.want)
		if tt.want != nil && d.called("sign_hash") != before {
			t.Errorf("sign: %s: the driver was called", tt.name)
		}
		if tt.want == nil {
			asymWant(t, "verify: "+tt.name, c.VerifyHash(tt.key, tt.alg, tt.hash, sig), nil)
		} else {
			asymWant(t, "verify: "+tt.name, c.VerifyHash(tt.key, tt.alg, tt.hash, make([]byte, 64)), tt.want)
		}
	}
	_, err := c.SignMessage(anyID, values.AlgECDSAAny, []byte("m"), nil)
	asymWant(t, "sign message with ECDSA_ANY", err, values.ErrInvalidArgument)
	asymWant(t, "verify message with RSA_PKCS1V15_SIGN_RAW",
		c.VerifyMessage(id, values.AlgRSAPKCS1v15SignRaw, []byte("m"), nil), values.ErrInvalidArgument)
}

// TestSignMessageFallback checks the driver interface's rule: without a
// sign_message entry point for the key, the core hashes the message and
// signs the hash.
func TestSignMessageFallback(t *testing.T) {
	c, d := newAsymCore(t)
	id, _ := asymNewECDSA(t, c, values.UsageSignHash|values.UsageVerifyHash, asymECDSA256)
	msg := []byte("a message to sign")
	sig, err := c.SignMessage(id, asymECDSA256, msg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.called("sign_message") != 1 || d.called("hash_compute") != 1 || d.called("sign_hash") != 1 {
		t.Errorf("calls = %v; want sign_message, then hash_compute and sign_hash", d.calls)
	}
	h := sha256.Sum256(msg)
	asymWant(t, "verify hash of a message signature", c.VerifyHash(id, asymECDSA256, h[:], sig), nil)
	asymWant(t, "verify message", c.VerifyMessage(id, asymECDSA256, msg, sig), nil)
	asymWant(t, "verify another message", c.VerifyMessage(id, asymECDSA256, []byte("another"), sig), values.ErrInvalidSignature)
	// Pure EdDSA has no hash to fall back on: the driver's answer stands.
	ed := asymImport(t, c, values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilyTwistedEdwards), Bits: 255,
		Usage: values.UsageSignMessage, Alg: values.AlgPureEdDSA}, make([]byte, 32))
	_, err = c.SignMessage(ed, values.AlgPureEdDSA, msg, nil)
	asymWant(t, "pure EdDSA without a driver", err, values.ErrNotSupported)
}

// TestSignPolicy is the policy matrix of the signature functions: each
// needs its usage flag (SIGN_HASH implying SIGN_MESSAGE and VERIFY_HASH
// implying VERIFY_MESSAGE) and a permitted algorithm; verification treats
// deterministic and randomized ECDSA as one.
func TestSignPolicy(t *testing.T) {
	type op int
	const (
		signHash op = iota
		verifyHash
		signMessage
		verifyMessage
	)
	c, _ := newAsymCore(t)
	all := values.UsageSignHash | values.UsageVerifyHash | values.UsageSignMessage | values.UsageVerifyMessage
	tests := []struct {
		name   string
		op     op
		usage  values.KeyUsage
		policy values.Algorithm
		want   error
	}{
		{"sign hash", signHash, all, asymECDSA256, nil},
		{"sign hash without SIGN_HASH", signHash, all &^ values.UsageSignHash, asymECDSA256, values.ErrNotPermitted},
		{"sign hash, other hash", signHash, all, values.AlgECDSA(values.AlgSHA384), values.ErrNotPermitted},
		{"sign hash, deterministic policy", signHash, all, values.AlgDeterministicECDSA(values.AlgSHA256), values.ErrNotPermitted},
		{"sign hash, wildcard policy", signHash, all, values.AlgECDSA(values.AlgAnyHash), nil},
		{"verify hash", verifyHash, values.UsageVerifyHash, asymECDSA256, nil},
		{"verify hash without VERIFY_HASH", verifyHash, all &^ values.UsageVerifyHash, asymECDSA256, values.ErrNotPermitted},
		{"verify hash, other hash", verifyHash, all, values.AlgECDSA(values.AlgSHA384), values.ErrNotPermitted},
		{"verify hash, deterministic policy", verifyHash, all, values.AlgDeterministicECDSA(values.AlgSHA256), nil},
		{"sign message", signMessage, values.UsageSignMessage, asymECDSA256, nil},
		{"sign message implied by SIGN_HASH", signMessage, values.UsageSignHash, asymECDSA256, nil},
		{"sign message without SIGN_MESSAGE", signMessage, values.UsageVerifyMessage | values.UsageVerifyHash, asymECDSA256, values.ErrNotPermitted},
		{"sign message, other hash", signMessage, all, values.AlgECDSA(values.AlgSHA384), values.ErrNotPermitted},
		{"verify message", verifyMessage, values.UsageVerifyMessage, asymECDSA256, nil},
		{"verify message implied by VERIFY_HASH", verifyMessage, values.UsageVerifyHash, asymECDSA256, nil},
		{"verify message without VERIFY_MESSAGE", verifyMessage, values.UsageSignMessage, asymECDSA256, values.ErrNotPermitted},
		{"verify message, other algorithm", verifyMessage, all, values.AlgRSAPSS(values.AlgSHA256), values.ErrNotPermitted},
		{"verify message, deterministic policy", verifyMessage, all, values.AlgDeterministicECDSA(values.AlgSHA256), nil},
	}
	msg := []byte("policy")
	h := sha256.Sum256(msg)
	signer, _ := asymNewECDSA(t, c, all, asymECDSA256)
	good, err := c.SignHash(signer, asymECDSA256, h[:], nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The same key material under each policy, so that good
			// verifies with every key.
			id := asymWithPolicy(t, c, signer, tt.usage, tt.policy)
			var err error
			switch tt.op {
			case signHash:
				_, err = c.SignHash(id, asymECDSA256, h[:], nil)
			case verifyHash:
				err = c.VerifyHash(id, asymECDSA256, h[:], good)
			case signMessage:
				_, err = c.SignMessage(id, asymECDSA256, msg, nil)
			case verifyMessage:
				err = c.VerifyMessage(id, asymECDSA256, msg, good)
			}
			asymWant(t, tt.name, err, tt.want)
		})
	}
}

// asymWithPolicy returns a key with the material of src and another
// policy.
func asymWithPolicy(t testing.TB, c *Core, src values.KeyID, usage values.KeyUsage, alg values.Algorithm) values.KeyID {
	t.Helper()
	s, err := c.acquire(src)
	if err != nil {
		t.Fatal(err)
	}
	defer s.release()
	return asymImport(t, c, values.Attributes{Type: asymECCPair, Bits: 256, Usage: usage, Alg: alg}, s.Key)
}

// TestSignConcurrent signs and verifies with one key from many goroutines
// while another key is destroyed and recreated (run with -race).
func TestSignConcurrent(t *testing.T) {
	c, _ := newAsymCore(t)
	id, _ := asymNewECDSA(t, c, values.UsageSignHash|values.UsageVerifyHash, asymECDSA256)
	victim, _ := asymNewECDSA(t, c, values.UsageSignHash, asymECDSA256)
	h := sha256.Sum256([]byte("concurrent"))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				sig, err := c.SignHash(id, asymECDSA256, h[:], nil)
				if err != nil {
					t.Error(err)
					return
				}
				if err := c.VerifyHash(id, asymECDSA256, h[:], sig); err != nil {
					t.Error(err)
					return
				}
				// The victim disappears at some point: either result is
				// right, but never a crash or a wrong status.
				if _, err := c.SignHash(victim, asymECDSA256, h[:], nil); err != nil && !asymIsStatus(err, values.ErrInvalidHandle) {
					t.Errorf("sign with a key being destroyed: %v", err)
				}
			}
		})
	}
	wg.Go(func() {
		if err := c.Destroy(victim); err != nil {
			t.Error(err)
		}
	})
	wg.Wait()
}

func asymIsStatus(err error, s values.Status) bool { return driver.StatusOf(err) == s }
