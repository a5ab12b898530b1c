package testbuild

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sync"
	"testing"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/drivers/testdriver"
	"github.com/gopsa/psa/values"
)

var (
	p256Pair = values.KeyTypeECCKeyPair(values.ECCFamilySECPR1)
	k1Pair   = values.KeyTypeECCKeyPair(values.ECCFamilySECPK1)
	ecdsa256 = values.AlgECDSA(values.AlgSHA256)
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// A secp256r1 key of the suites (test_suite_psa_crypto.data).
var p256Key = mustHex("49c9a8c18c4b885638c431cf1df1c994131609b580d4fd43a0cab17db2f13eee")

// TestLocationRouting creates a key at each location of the build and
// checks that its creation and use reach only the driver of its location,
// and that opaque key material is really opaque to the core.
func TestLocationRouting(t *testing.T) {
	b := newBuild(t, true)
	b.need(t, "sign_hash", values.Success, true)
	hash := sha256.Sum256([]byte("routing"))
	for _, loc := range []struct {
		name     string
		lifetime values.Lifetime
		hooks    *testdriver.Hooks
	}{
		{"local storage", values.LifetimeVolatile, &b.tr.Hooks},
		{"test_opaque", opaqueLifetime, &b.op.Hooks},
		{"test_opaque2", opaque2Lifetime, &b.op2.Hooks},
	} {
		t.Run(loc.name, func(t *testing.T) {
			b.resetHooks()
			id, err := b.c.ImportKey(values.Attributes{Lifetime: loc.lifetime, Type: p256Pair,
				Usage: values.UsageSignHash | values.UsageVerifyHash, Alg: ecdsa256}, p256Key)
			if err != nil {
				t.Fatal(err)
			}
			sig, err := b.c.SignHash(id, ecdsa256, hash[:], nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := b.c.VerifyHash(id, ecdsa256, hash[:], sig); err != nil {
				t.Fatal(err)
			}
			pub, err := b.c.ExportPublicKey(id, nil)
			if err != nil || len(pub) != 65 {
				t.Fatalf("export public key = %x, %v", pub, err)
			}
			for _, ep := range []string{"import_key", "sign_hash", "verify_hash", "export_public_key"} {
				for _, h := range []*testdriver.Hooks{&b.tr.Hooks, &b.op.Hooks, &b.op2.Hooks} {
					want := 0
					if h == loc.hooks {
						want = 1
					}
					wantHits(t, h, ep, want)
				}
			}
			if err := b.c.DestroyKey(id); err != nil {
				t.Fatal(err)
			}
		})
	}
	// The core holds a masked, tagged context for an opaque key: the
	// material does not appear in it.
	ctx, _, err := b.op.ImportKey(values.Attributes{Lifetime: opaqueLifetime, Type: p256Pair}, p256Key, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(ctx, p256Key) || bytes.Contains(ctx, p256Key[:8]) {
		t.Errorf("the key context %x shows the key material", ctx)
	}
}

// TestNoFallback checks capabilities without "fallback": the test
// driver's ErrNotSupported is final even though the builtin driver could
// serve the request.
func TestNoFallback(t *testing.T) {
	b := newBuild(t, true)
	b.need(t, "hash_compute", values.Success, true)
	b.tr.Force("hash_compute", values.ErrNotSupported)
	if _, err := b.c.HashCompute(values.AlgSHA384, []byte("abc"), nil); !errors.Is(err, values.ErrNotSupported) {
		t.Errorf("SHA-384 (no fallback) with the driver declining: %v, want ErrNotSupported", err)
	}
	wantHits(t, &b.tr.Hooks, "hash_compute", 1)

	b.tr.Force("generate_key", values.ErrNotSupported)
	_, err := b.c.GenerateKey(values.Attributes{Type: k1Pair, Bits: 256, Usage: values.UsageExport})
	if !errors.Is(err, values.ErrNotSupported) {
		t.Errorf("secp256k1 generate (no fallback) with the driver declining: %v, want ErrNotSupported", err)
	}
	// The same refusal on a capability with fallback reaches the builtin
	// driver.
	if _, err := b.c.GenerateKey(values.Attributes{Type: p256Pair, Bits: 256, Usage: values.UsageExport}); err != nil {
		t.Errorf("secp256r1 generate (fallback) with the driver declining: %v, want the builtin driver's key", err)
	}
	wantHits(t, &b.tr.Hooks, "generate_key", 2)
}

// TestCopyAndExport copies keys between locations and exports them where
// the driver lets keys out: test_opaque exports, test_opaque2 declares no
// export_key (a secure element whose keys never leave it).
func TestCopyAndExport(t *testing.T) {
	b := newBuild(t, true)
	aes := mustHex("2b7e151628aed2a6abf7158809cf4f3c")
	usage := values.UsageExport | values.UsageCopy | values.UsageEncrypt
	local, err := b.c.ImportKey(values.Attributes{Type: values.KeyTypeAES, Usage: usage, Alg: values.AlgCTR}, aes)
	if err != nil {
		t.Fatal(err)
	}
	copyTo := func(src psa.KeyID, lt values.Lifetime) (psa.KeyID, error) {
		return b.c.CopyKey(src, values.Attributes{Lifetime: lt, Usage: usage, Alg: values.AlgCTR})
	}
	// local -> test_opaque -> test_opaque (copy_key) -> local.
	o1, err := copyTo(local, opaqueLifetime)
	if err != nil {
		t.Fatalf("copy to test_opaque: %v", err)
	}
	wantHits(t, &b.op.Hooks, "import_key", 1)
	o1b, err := copyTo(o1, opaqueLifetime)
	if err != nil {
		t.Fatalf("copy inside test_opaque: %v", err)
	}
	wantHits(t, &b.op.Hooks, "copy_key", 1)
	back, err := copyTo(o1b, values.LifetimeVolatile)
	if err != nil {
		t.Fatalf("copy from test_opaque to local storage: %v", err)
	}
	wantHits(t, &b.op.Hooks, "export_key", 1)
	for _, id := range []psa.KeyID{local, o1, o1b, back} {
		if got, err := b.c.ExportKey(id, nil); err != nil || !bytes.Equal(got, aes) {
			t.Errorf("export key 0x%08x = %x, %v; want %x", uint32(id), got, err, aes)
		}
	}
	// test_opaque -> test_opaque2 works (export, then import there), but
	// nothing leaves test_opaque2.
	o2, err := copyTo(o1, opaque2Lifetime)
	if err != nil {
		t.Fatalf("copy to test_opaque2: %v", err)
	}
	wantHits(t, &b.op2.Hooks, "import_key", 1)
	if _, err := b.c.ExportKey(o2, nil); !errors.Is(err, values.ErrNotSupported) {
		t.Errorf("export from test_opaque2: %v, want ErrNotSupported", err)
	}
	if _, err := copyTo(o2, values.LifetimeVolatile); !errors.Is(err, values.ErrNotSupported) {
		t.Errorf("copy out of test_opaque2: %v, want ErrNotSupported", err)
	}
	if _, err := copyTo(o2, opaque2Lifetime); !errors.Is(err, values.ErrNotSupported) {
		t.Errorf("copy inside test_opaque2 (no copy_key): %v, want ErrNotSupported", err)
	}
	if b.op2.Hits("export_key") != 0 || b.op2.Hits("copy_key") != 0 {
		t.Errorf("test_opaque2 was asked for an entry point it does not declare: %v", b.op2.AllHits())
	}
	// A forced error of the opaque driver reaches the application.
	b.op.Force("export_key", values.ErrHardwareFailure)
	if _, err := b.c.ExportKey(o1, nil); !errors.Is(err, values.ErrHardwareFailure) {
		t.Errorf("export with a failing secure element: %v, want ErrHardwareFailure", err)
	}
}

// TestBuiltinKeys uses the opaque driver's built-in keys: attributes from
// get_builtin_key, signatures by the driver, read-only persistence.
func TestBuiltinKeys(t *testing.T) {
	b := newBuild(t, true)
	b.need(t, "sign_hash", values.Success, true)
	id := builtinMin + 1
	hash := sha256.Sum256([]byte("built-in"))
	sig, err := b.c.SignHash(id, ecdsa256, hash[:], nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.c.VerifyHash(id, ecdsa256, hash[:], sig); err != nil {
		t.Fatal(err)
	}
	wantHits(t, &b.op.Hooks, "get_builtin_key", 1)
	wantHits(t, &b.op.Hooks, "sign_hash", 1)
	wantHits(t, &b.tr.Hooks, "sign_hash", 0)
	attrs, err := b.c.KeyAttributes(id)
	if err != nil || !attrs.Lifetime.IsReadOnly() {
		t.Errorf("attributes %+v, %v: want read-only persistence", attrs, err)
	}
	if err := b.c.DestroyKey(id); !errors.Is(err, values.ErrNotPermitted) {
		t.Errorf("destroy a built-in key: %v, want ErrNotPermitted", err)
	}
	c2 := newBuild(t, true)
	c2.op.Force("get_builtin_key", values.ErrCommunicationFailure)
	if _, err := c2.c.KeyAttributes(builtinMin); !errors.Is(err, values.ErrCommunicationFailure) {
		t.Errorf("built-in key with a failing driver: %v, want ErrCommunicationFailure", err)
	}
}

// TestOpaqueOperations runs operations on keys of the opaque test driver
// through the public API: each reaches the opaque driver, which computes
// with the unwrapped key.
func TestOpaqueOperations(t *testing.T) {
	b := newBuild(t, true)
	key := mustHex("2b7e151628aed2a6abf7158809cf4f3c")
	msg := mustHex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411")
	cmac := mustHex("dfa66747de9ae63030ca32611497c827") // NIST SP 800-38B example 3
	t.Run("mac", func(t *testing.T) {
		b.need(t, "mac_compute", values.Success, true)
		id, err := b.c.ImportKey(values.Attributes{Lifetime: opaqueLifetime, Type: values.KeyTypeAES,
			Usage: values.UsageSignMessage | values.UsageVerifyMessage, Alg: values.AlgCMAC}, key)
		if err != nil {
			t.Fatal(err)
		}
		if mac, err := b.c.MACCompute(id, values.AlgCMAC, msg, nil); err != nil || !bytes.Equal(mac, cmac) {
			t.Errorf("CMAC = %x, %v; want %x", mac, err, cmac)
		}
		if err := b.c.MACVerify(id, values.AlgCMAC, msg, cmac); err != nil {
			t.Error(err)
		}
		var op psa.MACOperation
		if err := b.c.MACSignSetup(&op, id, values.AlgCMAC); err != nil {
			t.Fatal(err)
		}
		op.Update(msg[:7])
		op.Update(msg[7:])
		if mac, err := op.SignFinish(nil); err != nil || !bytes.Equal(mac, cmac) {
			t.Errorf("multi-part CMAC = %x, %v", mac, err)
		}
		for _, ep := range []string{"mac_compute", "mac_verify", "mac_sign_setup", "mac_sign_finish"} {
			wantHits(t, &b.op.Hooks, ep, 1)
		}
		wantHits(t, &b.op.Hooks, "mac_update", 2)
		if b.tr.TotalHits() != 0 {
			t.Errorf("the transparent driver was called for an opaque key: %v", b.tr.AllHits())
		}
	})
	t.Run("aead", func(t *testing.T) {
		b.need(t, "aead_encrypt", values.Success, true)
		id, err := b.c.ImportKey(values.Attributes{Lifetime: opaqueLifetime, Type: values.KeyTypeAES,
			Usage: values.UsageEncrypt | values.UsageDecrypt, Alg: values.AlgGCM}, key)
		if err != nil {
			t.Fatal(err)
		}
		nonce := make([]byte, 12)
		ct, err := b.c.AEADEncrypt(id, values.AlgGCM, nonce, nil, msg, nil)
		if err != nil {
			t.Fatal(err)
		}
		pt, err := b.c.AEADDecrypt(id, values.AlgGCM, nonce, nil, ct, nil)
		if err != nil || !bytes.Equal(pt, msg) {
			t.Errorf("decrypt = %x, %v", pt, err)
		}
		ct[0] ^= 1
		if _, err := b.c.AEADDecrypt(id, values.AlgGCM, nonce, nil, ct, nil); !errors.Is(err, values.ErrInvalidSignature) {
			t.Errorf("decrypt of a damaged ciphertext: %v, want ErrInvalidSignature", err)
		}
		wantHits(t, &b.op.Hooks, "aead_decrypt", 2)
	})
}

// TestConcurrentHooks uses one build from many goroutines; run with -race.
func TestConcurrentHooks(t *testing.T) {
	b := newBuild(t, true)
	b.need(t, "hash_compute", values.Success, true)
	var wg sync.WaitGroup
	const n = 16
	for i := range n {
		wg.Go(func() {
			if i%4 == 0 {
				b.op.Force("export_key", nil)
			}
			if _, err := b.c.HashCompute(values.AlgSHA256, []byte{byte(i)}, nil); err != nil {
				t.Error(err)
			}
			id, err := b.c.ImportKey(values.Attributes{Lifetime: opaqueLifetime, Type: values.KeyTypeAES, Usage: values.UsageExport}, make([]byte, 16))
			if err == nil {
				_, err = b.c.ExportKey(id, nil)
			}
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	wantHits(t, &b.tr.Hooks, "hash_compute", n)
	wantHits(t, &b.op.Hooks, "import_key", n)
}
