package builtin

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// CachedCopies reports how many prepared states in the per-key cache were
// prepared from the bytes of key, whatever buffer held them. It is for the
// tests of package builtin_test, which reach the cache through package psa.
func CachedCopies(key []byte) int {
	prepCache.mu.RLock()
	defer prepCache.mu.RUnlock()
	n := 0
	for _, e := range prepCache.m {
		for _, st := range e.states {
			if bytes.Equal(st.key, key) {
				n++
			}
		}
	}
	return n
}

// cachedStates returns the states prepared from the buffer key.
func cachedStates(key []byte) []preparedState {
	prepCache.mu.RLock()
	defer prepCache.mu.RUnlock()
	if e := prepCache.m[bufIDOf(key)]; e != nil {
		return append([]preparedState(nil), e.states...)
	}
	return nil
}

func cacheLen() int {
	prepCache.mu.RLock()
	defer prepCache.mu.RUnlock()
	return len(prepCache.m)
}

// testKind is a prepKind that no driver code uses.
func testKind(n int) prepKind { return prepKind{what: 0xff, a: n} }

// countingPrepare returns a prepare function that counts its calls and
// returns a copy of the bytes it was given, and the counter.
func countingPrepare() (func([]byte) ([]byte, error), *int) {
	n := new(int)
	return func(key []byte) ([]byte, error) {
		*n++
		return append([]byte(nil), key...), nil
	}, n
}

func TestCacheHitsAndMisses(t *testing.T) {
	prep, calls := countingPrepare()
	key := bytes.Repeat([]byte{0x11}, 16)
	defer prepCache.forget(key)

	steps := []struct {
		name  string
		key   []byte
		kind  prepKind
		calls int // prepare calls so far
	}{
		{"first use misses", key, testKind(1), 1},
		{"second use hits", key, testKind(1), 1},
		{"another kind misses", key, testKind(2), 2},
		{"both kinds hit", key, testKind(1), 2},
		{"the other kind hits", key, testKind(2), 2},
		{"same bytes in another buffer miss", bytes.Clone(key), testKind(1), 3},
	}
	for _, s := range steps {
		v, err := prepared(s.key, s.kind, prep)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if !bytes.Equal(v, s.key) {
			t.Errorf("%s: prepared %x, want %x", s.name, v, s.key)
		}
		if *calls != s.calls {
			t.Errorf("%s: prepare called %d times, want %d", s.name, *calls, s.calls)
		}
	}
	if n := len(cachedStates(key)); n != 2 {
		t.Errorf("%d states for the key buffer, want 2", n)
	}
}

func TestCacheDoesNotCacheErrors(t *testing.T) {
	key := bytes.Repeat([]byte{0x22}, 16)
	defer prepCache.forget(key)
	calls := 0
	fail := func([]byte) (int, error) { calls++; return 0, errors.New("bad key") }
	for range 2 {
		if _, err := prepared(key, testKind(1), fail); err == nil {
			t.Fatal("the error of prepare was not returned")
		}
	}
	if calls != 2 {
		t.Errorf("prepare called %d times for two failing calls, want 2", calls)
	}
	if n := len(cachedStates(key)); n != 0 {
		t.Errorf("%d states cached after failures, want 0", n)
	}
}

// TestCacheVerifiesContent rewrites a buffer in place: same address, same
// length, other bytes. The lookup must miss and prepare the new bytes.
func TestCacheVerifiesContent(t *testing.T) {
	prep, calls := countingPrepare()
	buf := bytes.Repeat([]byte{0x33}, 32)
	defer prepCache.forget(buf)
	first, _ := prepared(buf, testKind(1), prep)
	for i := range buf {
		buf[i] = byte(i)
	}
	second, _ := prepared(buf, testKind(1), prep)
	if *calls != 2 {
		t.Fatalf("prepare called %d times, want 2: the rewritten buffer hit the old state", *calls)
	}
	if bytes.Equal(first, second) || !bytes.Equal(second, buf) {
		t.Errorf("prepared %x for the rewritten buffer %x", second, buf)
	}
	if st := cachedStates(buf); len(st) != 1 || !bytes.Equal(st[0].key, buf) {
		t.Errorf("the entry was not replaced: %d states", len(st))
	}
	// One byte differs: still a miss.
	buf[31] ^= 1
	third, _ := prepared(buf, testKind(1), prep)
	if *calls != 3 || !bytes.Equal(third, buf) {
		t.Errorf("a one-byte change hit the old state (calls %d)", *calls)
	}
}

// TestCacheVerifiesContentThroughDriver does the same with real
// mechanisms: AES-GCM (NIST GCM specification test cases 2 and 3) and
// Ed25519 (RFC 8032 §7.1 tests 1 and 2), the key bytes rewritten in place
// between the two vectors.
func TestCacheVerifiesContentThroughDriver(t *testing.T) {
	d := new(Driver)
	gcm := []struct{ key, nonce, pt, ct string }{
		{"00000000000000000000000000000000", "000000000000000000000000", "00000000000000000000000000000000",
			"0388dace60b6a392f328c2b971b2fe78" + "ab6e47d42cec13bdf53a67b21257bddf"},
		{"feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
			"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
			"42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985" +
				"4d5c2af327cd64a62cf35abd2ba6fab4"},
	}
	aesKey := make([]byte, 16)
	defer d.ForgetKey(values.Attributes{}, aesKey)
	for i, v := range gcm {
		copy(aesKey, mustHex(t, v.key))
		for round := range 2 { // a miss, then a hit
			ct, err := d.AEADEncrypt(values.Attributes{Type: values.KeyTypeAES, Bits: 128}, aesKey, values.AlgGCM, mustHex(t, v.nonce), nil, mustHex(t, v.pt), nil)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(ct, mustHex(t, v.ct)) {
				t.Errorf("GCM test case %d, round %d: got %x, want %s", i+2, round, ct, v.ct)
			}
		}
	}

	ed := []struct{ seed, msg, sig string }{
		{"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "",
			"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
		{"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "72",
			"92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
	}
	edAttrs := values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilyTwistedEdwards), Bits: 255}
	seed := make([]byte, 32)
	defer d.ForgetKey(edAttrs, seed)
	for i, v := range ed {
		copy(seed, mustHex(t, v.seed))
		for round := range 2 {
			sig, err := d.SignMessage(edAttrs, seed, values.AlgPureEdDSA, mustHex(t, v.msg), nil)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(sig, mustHex(t, v.sig)) {
				t.Errorf("RFC 8032 test %d, round %d: got %x, want %s", i+1, round, sig, v.sig)
			}
		}
	}
}

func TestForgetKeyWipes(t *testing.T) {
	d := new(Driver)
	key := bytes.Repeat([]byte{0x44}, 16)
	// The prepared value aliases the cache's copy, as a parsed key that
	// keeps its scalar does.
	alias, err := prepared(key, testKind(1), func(k []byte) ([]byte, error) { return k, nil })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.AEADEncrypt(values.Attributes{Type: values.KeyTypeAES, Bits: 128}, key, values.AlgGCM, make([]byte, 12), nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	states := cachedStates(key)
	if len(states) != 2 { // the test kind, and the key prepared for GCM
		t.Fatalf("%d states cached for the key, want 2", len(states))
	}
	d.ForgetKey(values.Attributes{Type: values.KeyTypeAES, Bits: 128}, key)
	if n := len(cachedStates(key)); n != 0 {
		t.Errorf("%d states left after ForgetKey", n)
	}
	for i, st := range states {
		if !bytes.Equal(st.key, make([]byte, len(key))) {
			t.Errorf("state %d: the copy of the key was not wiped: %x", i, st.key)
		}
	}
	if !bytes.Equal(alias, make([]byte, len(key))) {
		t.Errorf("a prepared value aliasing the copy still holds %x", alias)
	}
	if !bytes.Equal(key, bytes.Repeat([]byte{0x44}, 16)) {
		t.Errorf("ForgetKey modified the caller's buffer: %x", key)
	}
	// Forgetting a buffer the cache does not know is harmless.
	d.ForgetKey(values.Attributes{}, make([]byte, 16))
	d.ForgetKey(values.Attributes{}, nil)
}

// TestForgetKeyWipesExpandedKeys checks that a prepared value holding key
// material in buffers of its own (the expanded Ed25519 key) wipes them.
func TestForgetKeyWipesExpandedKeys(t *testing.T) {
	d := new(Driver)
	attrs := values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilyTwistedEdwards), Bits: 255}
	seed := bytes.Repeat([]byte{0x55}, 32)
	k, err := parseEdDSAKey("test", attrs, values.AlgPureEdDSA, seed)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k.ed25519, ed25519.NewKeyFromSeed(seed)) {
		t.Fatal("the prepared Ed25519 key is not the expansion of the seed")
	}
	d.ForgetKey(attrs, seed)
	if !bytes.Equal(k.ed25519, make([]byte, ed25519.PrivateKeySize)) || !bytes.Equal(k.seed, make([]byte, 32)) {
		t.Errorf("after ForgetKey the prepared key still holds %x / %x", k.seed, k.ed25519)
	}
}

func TestCacheIsBounded(t *testing.T) {
	keys := make([][]byte, cacheCapacity+100)
	for i := range keys {
		keys[i] = []byte(fmt.Sprintf("bounded key %06d", i))
		if _, err := prepared(keys[i], testKind(1), func(k []byte) (int, error) { return i, nil }); err != nil {
			t.Fatal(err)
		}
	}
	defer func() {
		for _, k := range keys {
			prepCache.forget(k)
		}
	}()
	if n := cacheLen(); n > cacheCapacity {
		t.Errorf("%d key buffers cached, want at most %d", n, cacheCapacity)
	}
	// The latest buffer is in; the earliest are mostly gone.
	last := keys[len(keys)-1]
	if len(cachedStates(last)) != 1 {
		t.Error("the last buffer prepared is not cached")
	}

	// States per key are bounded too.
	key := []byte("many kinds")
	defer prepCache.forget(key)
	for i := range 2 * cacheKindsPerKey {
		v, _ := prepared(key, testKind(i), func([]byte) (int, error) { return i, nil })
		if v != i {
			t.Fatalf("kind %d: prepared %d", i, v)
		}
	}
	if n := len(cachedStates(key)); n != cacheKindsPerKey {
		t.Errorf("%d states for one key, want %d", n, cacheKindsPerKey)
	}
}

// TestCacheConcurrent runs calls with shared keys, transient keys, and
// ForgetKey at once (go test -race), and checks every result.
func TestCacheConcurrent(t *testing.T) {
	d := new(Driver)
	aesAttrs := values.Attributes{Type: values.KeyTypeAES, Bits: 128}
	aesKey := bytes.Repeat([]byte{0x66}, 16)
	block, _ := aes.NewCipher(aesKey)
	ref, _ := cipher.NewGCM(block)

	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := priv.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	ecAttrs := values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilySECPR1), Bits: 256}
	ecAlg := values.AlgECDSA(values.AlgSHA256)
	digest := sha256.Sum256([]byte("concurrent"))

	edAttrs := values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilyTwistedEdwards), Bits: 255}
	edSeed := bytes.Repeat([]byte{0x77}, 32)
	edRef := ed25519.Sign(ed25519.NewKeyFromSeed(edSeed), []byte("concurrent"))
	defer func() {
		for _, k := range [][]byte{aesKey, ecKey, edSeed} {
			d.ForgetKey(values.Attributes{}, k)
		}
	}()

	const workers, rounds = 8, 50
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			nonce := make([]byte, 12)
			for r := range rounds {
				nonce[0], nonce[1] = byte(w), byte(r)
				msg := []byte(fmt.Sprintf("worker %d round %d", w, r))
				ct, err := d.AEADEncrypt(aesAttrs, aesKey, values.AlgGCM, nonce, nil, msg, nil)
				if err != nil || !bytes.Equal(ct, ref.Seal(nil, nonce, msg, nil)) {
					errs <- fmt.Errorf("GCM: %x, %v", ct, err)
				}
				sig, err := d.SignHash(ecAttrs, ecKey, ecAlg, digest[:], nil)
				if err != nil || len(sig) != 64 || !ecdsa.Verify(&priv.PublicKey, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
					errs <- fmt.Errorf("ECDSA: %x, %v", sig, err)
				}
				sig, err = d.SignMessage(edAttrs, edSeed, values.AlgPureEdDSA, []byte("concurrent"), nil)
				if err != nil || !bytes.Equal(sig, edRef) {
					errs <- fmt.Errorf("Ed25519: %x, %v", sig, err)
				}
				// A transient key: prepared, used, forgotten.
				tmp := bytes.Repeat([]byte{byte(w), byte(r)}, 8)
				tb, _ := aes.NewCipher(tmp)
				tg, _ := cipher.NewGCM(tb)
				ct, err = d.AEADEncrypt(aesAttrs, tmp, values.AlgGCM, nonce, nil, msg, nil)
				if err != nil || !bytes.Equal(ct, tg.Seal(nil, nonce, msg, nil)) {
					errs <- fmt.Errorf("GCM with a transient key: %x, %v", ct, err)
				}
				d.ForgetKey(aesAttrs, tmp)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestGCMSealAllocatesNothing checks the hot path: single-part GCM and
// ChaCha20-Poly1305 with a prepared key allocate nothing when dst has room.
func TestGCMSealAllocatesNothing(t *testing.T) {
	d := new(Driver)
	cases := []struct {
		name  string
		attrs values.Attributes
		alg   values.Algorithm
		key   []byte
	}{
		{"AES-128-GCM", values.Attributes{Type: values.KeyTypeAES, Bits: 128}, values.AlgGCM, bytes.Repeat([]byte{1}, 16)},
		{"ChaCha20-Poly1305", values.Attributes{Type: values.KeyTypeChaCha20, Bits: 256}, values.AlgChaCha20Poly1305, bytes.Repeat([]byte{2}, 32)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer d.ForgetKey(c.attrs, c.key)
			nonce := make([]byte, 12)
			msg := make([]byte, 1024)
			dst := make([]byte, 0, len(msg)+16)
			ct, err := d.AEADEncrypt(c.attrs, c.key, c.alg, nonce, nil, msg, dst)
			if err != nil {
				t.Fatal(err)
			}
			pt := make([]byte, 0, len(msg))
			if n := testing.AllocsPerRun(100, func() {
				d.AEADEncrypt(c.attrs, c.key, c.alg, nonce, nil, msg, dst)
			}); n != 0 {
				t.Errorf("AEADEncrypt: %v allocations per call, want 0", n)
			}
			if n := testing.AllocsPerRun(100, func() {
				d.AEADDecrypt(c.attrs, c.key, c.alg, nonce, nil, ct, pt)
			}); n != 0 {
				t.Errorf("AEADDecrypt: %v allocations per call, want 0", n)
			}
		})
	}
}

func BenchmarkPreparedHit(b *testing.B) {
	key := bytes.Repeat([]byte{0x88}, 32)
	defer prepCache.forget(key)
	prep := func(k []byte) (int, error) { return 1, nil }
	prepared(key, testKind(1), prep)
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			prepared(key, testKind(1), prep)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				prepared(key, testKind(1), prep)
			}
		})
	})
}

// BenchmarkAEADEncryptPrepared compares single-part AES-128-GCM through
// the driver with the key prepared once (the cache) and prepared on every
// call (the driver before the cache), on 64 bytes.
func BenchmarkAEADEncryptPrepared(b *testing.B) {
	d := new(Driver)
	attrs := values.Attributes{Type: values.KeyTypeAES, Bits: 128}
	key := bytes.Repeat([]byte{0x99}, 16)
	defer d.ForgetKey(attrs, key)
	nonce, msg := make([]byte, 12), make([]byte, 64)
	dst := make([]byte, 0, 80)
	b.Run("cache=hit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d.AEADEncrypt(attrs, key, values.AlgGCM, nonce, nil, msg, dst)
		}
	})
	b.Run("cache=miss", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d.AEADEncrypt(attrs, key, values.AlgGCM, nonce, nil, msg, dst)
			d.ForgetKey(attrs, key)
		}
	})
}

// BenchmarkSignPrepared shows what the cache saves on signatures: the same
// SignHash or SignMessage with the parsed key cached (cache=hit) and with
// the key parsed again for each call (cache=miss, the driver before the
// cache).
func BenchmarkSignPrepared(b *testing.B) {
	d := new(Driver)
	digest := sha256.Sum256([]byte("benchmark"))
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecRaw, _ := ec.Bytes()
	rsaKey, err := d.GenerateKey(values.Attributes{Type: values.KeyTypeRSAKeyPair, Bits: 2048}, driver.ProductionParameters{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	mldsaAttrs := values.Attributes{Type: values.KeyTypeMLDSAKeyPair, Bits: 192}
	mldsaKey, err := d.GenerateKey(mldsaAttrs, driver.ProductionParameters{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name  string
		attrs values.Attributes
		key   []byte
		sign  func(attrs values.Attributes, key []byte) error
	}{
		{"ECDSA-P256", values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilySECPR1), Bits: 256}, ecRaw,
			func(a values.Attributes, k []byte) error {
				_, err := d.SignHash(a, k, values.AlgECDSA(values.AlgSHA256), digest[:], nil)
				return err
			}},
		{"RSA-2048-PKCS1v15", values.Attributes{Type: values.KeyTypeRSAKeyPair, Bits: 2048}, rsaKey,
			func(a values.Attributes, k []byte) error {
				_, err := d.SignHash(a, k, values.AlgRSAPKCS1v15Sign(values.AlgSHA256), digest[:], nil)
				return err
			}},
		{"ML-DSA-65", mldsaAttrs, mldsaKey,
			func(a values.Attributes, k []byte) error {
				_, err := d.SignMessage(a, k, values.AlgDeterministicMLDSA, digest[:], nil)
				return err
			}},
	}
	for _, c := range cases {
		if err := c.sign(c.attrs, c.key); err != nil {
			b.Fatalf("%s: %v", c.name, err)
		}
		b.Run(c.name+"/cache=hit", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.sign(c.attrs, c.key)
			}
		})
		b.Run(c.name+"/cache=miss", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.sign(c.attrs, c.key)
				d.ForgetKey(c.attrs, c.key)
			}
		})
		d.ForgetKey(c.attrs, c.key)
	}
}
