package builtin_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"testing"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/drivers/builtin"
)

// These tests reach the builtin driver's per-key cache through the public
// API: the core must tell the driver (ForgetKey) whenever a key buffer goes
// away, so that no prepared state or copy of the key outlives its key.
// builtin.CachedCopies is defined in cache_test.go.

func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDestroyKeyForgetsPreparedState(t *testing.T) {
	c, err := psa.New()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	aesKey := randomBytes(t, 16)
	aesID, err := c.ImportKey(psa.Attributes{Type: psa.KeyTypeAES, Usage: psa.UsageEncrypt, Alg: psa.AlgGCM}, aesKey)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := priv.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	ecAlg := psa.AlgECDSA(psa.AlgSHA256)
	ecID, err := c.ImportKey(psa.Attributes{Type: psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1), Usage: psa.UsageSignHash, Alg: ecAlg}, ecKey)
	if err != nil {
		t.Fatal(err)
	}

	if n := builtin.CachedCopies(aesKey) + builtin.CachedCopies(ecKey); n != 0 {
		t.Fatalf("%d states cached before any operation", n)
	}
	if _, err := c.AEADEncrypt(aesID, psa.AlgGCM, make([]byte, 12), nil, []byte("message"), nil); err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte("message"))
	if _, err := c.SignHash(ecID, ecAlg, digest[:], nil); err != nil {
		t.Fatal(err)
	}
	if n := builtin.CachedCopies(aesKey); n != 1 { // the key prepared for GCM
		t.Errorf("%d states cached for the AES key after AEADEncrypt, want 1", n)
	}
	if n := builtin.CachedCopies(ecKey); n != 1 {
		t.Errorf("%d states cached for the ECDSA key after SignHash, want 1", n)
	}

	if err := c.DestroyKey(aesID); err != nil {
		t.Fatal(err)
	}
	if n := builtin.CachedCopies(aesKey); n != 0 {
		t.Errorf("%d states cached for the AES key after DestroyKey, want 0", n)
	}
	if n := builtin.CachedCopies(ecKey); n != 1 {
		t.Errorf("destroying the AES key dropped the ECDSA key's state (%d left)", n)
	}
	if err := c.DestroyKey(ecID); err != nil {
		t.Fatal(err)
	}
	if n := builtin.CachedCopies(ecKey); n != 0 {
		t.Errorf("%d states cached for the ECDSA key after DestroyKey, want 0", n)
	}
}

func TestPurgeAndCloseForgetPreparedState(t *testing.T) {
	c, err := psa.New(psa.WithKeyDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	key := randomBytes(t, 32)
	id, err := c.ImportKey(psa.Attributes{ID: 7, Lifetime: psa.LifetimePersistent, Type: psa.KeyTypeAES, Usage: psa.UsageEncrypt, Alg: psa.AlgGCM}, key)
	if err != nil {
		t.Fatal(err)
	}
	use := func(when string) {
		t.Helper()
		if _, err := c.AEADEncrypt(id, psa.AlgGCM, make([]byte, 12), nil, nil, nil); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if builtin.CachedCopies(key) == 0 {
			t.Errorf("%s: nothing cached for the key after AEADEncrypt", when)
		}
	}
	use("after import")
	if err := c.PurgeKey(id); err != nil {
		t.Fatal(err)
	}
	if n := builtin.CachedCopies(key); n != 0 {
		t.Errorf("%d states cached after PurgeKey, want 0", n)
	}
	use("after reload")
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if n := builtin.CachedCopies(key); n != 0 {
		t.Errorf("%d states cached after Close, want 0", n)
	}
}
