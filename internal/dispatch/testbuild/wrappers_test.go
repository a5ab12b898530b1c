package testbuild

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/drivers/testdriver"
	"github.com/gopsa/psa/internal/conformance/datafile"
	"github.com/gopsa/psa/internal/conformance/expr"
	"github.com/gopsa/psa/values"
)

// TestDriverWrappers runs the cases of TF-PSA-Crypto's
// test_suite_psa_crypto_driver_wrappers.data against the test build: each
// C test function has a Go counterpart below that does what the C function
// asserts, through the public psa API, with the test drivers' hooks in
// place of the C hooks. Cases that need the builtin implementation absent
// (dependencies "!MBEDTLS_PSA_BUILTIN_...") run against the build without
// the builtin driver (package nobuiltin). The log ends with pass, skip and
// fail counts per test function; skips give their reason.
func TestDriverWrappers(t *testing.T) {
	cases := loadSuite(t, "test_suite_psa_crypto_driver_wrappers.data")
	type count struct{ pass, skip, fail int }
	counts := map[string]*count{}
	var mu sync.Mutex
	for _, c := range cases {
		run, ok := wrapperCases[c.Func]
		full, reason := chooseBuild(c)
		t.Run(c.Name, func(t *testing.T) {
			defer func() {
				mu.Lock()
				defer mu.Unlock()
				n := counts[c.Func]
				if n == nil {
					n = new(count)
					counts[c.Func] = n
				}
				switch {
				case t.Failed():
					n.fail++
				case t.Skipped():
					n.skip++
				default:
					n.pass++
				}
			}()
			switch {
			case !ok:
				t.Skipf("%s: no Go counterpart of test function %s", c.Pos(), c.Func)
			case reason != "":
				t.Skipf("%s: %s", c.Pos(), reason)
			}
			b := newBuild(t, full)
			run(t, b, caseArgs{t: t, c: c})
		})
	}
	var names []string
	for f := range counts {
		names = append(names, f)
	}
	slices.Sort(names)
	var sb strings.Builder
	var total count
	for _, f := range names {
		n := counts[f]
		fmt.Fprintf(&sb, "\n  %-28s pass %2d  skip %2d  fail %2d", f, n.pass, n.skip, n.fail)
		total.pass += n.pass
		total.skip += n.skip
		total.fail += n.fail
	}
	t.Logf("test_suite_psa_crypto_driver_wrappers: %d cases: pass %d, skip %d, fail %d%s",
		len(cases), total.pass, total.skip, total.fail, sb.String())
}

// loadSuite reads a .data file of the TF-PSA-Crypto suites, from
// $GOPSA_TESTSUITES or the shared directory beside the module.
func loadSuite(t *testing.T, name string) []datafile.Case {
	dir := os.Getenv("GOPSA_TESTSUITES")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "..", "shared", "testsuites", "mbedtls")
	}
	cases, err := datafile.ParseFile(filepath.Join(dir, name))
	if err != nil {
		t.Skipf("TF-PSA-Crypto test suites not found (set GOPSA_TESTSUITES): %v", err)
	}
	return cases
}

// env resolves the names of the suite: PSA names, and the test
// framework's own.
var env = expr.NewPSAEnv(map[string]int64{
	"MBEDTLS_PSA_KEY_ID_BUILTIN_MIN":  int64(builtinMin),
	"MBEDTLS_PSA_KEY_ID_BUILTIN_MAX":  int64(builtinMax),
	"PSA_CRYPTO_TEST_DRIVER_LOCATION": int64(testdriver.Location),
})

// suiteConfig is the configuration the dependencies are checked against:
// every mechanism is wanted and accelerated (the test drivers declare
// them), and built in when the builtin driver is in the build.
type suiteConfig struct {
	*expr.PSAEnv
	full bool
}

func (c suiteConfig) Defined(s string) bool {
	switch {
	case s == "MBEDTLS_PSA_BUILTIN_PAKE" || s == "MBEDTLS_PSA_BUILTIN_ALG_JPAKE":
		return c.full && builtinImplements("pake_setup")
	case strings.HasPrefix(s, "MBEDTLS_PSA_BUILTIN_"):
		return c.full
	case strings.HasPrefix(s, "PSA_WANT_"), strings.HasPrefix(s, "MBEDTLS_PSA_ACCEL_"):
		return true
	}
	return false
}

// chooseBuild picks the build a case runs against: without the builtin
// driver when a dependency says the builtin implementation must be absent.
// reason is not empty when no build satisfies the dependencies.
func chooseBuild(c datafile.Case) (full bool, reason string) {
	full = true
	for _, d := range c.Deps {
		if d.Negated && d.Op == "" && strings.HasPrefix(d.Symbol, "MBEDTLS_PSA_BUILTIN_") {
			full = false
		}
	}
	cfg := suiteConfig{env, full}
	for _, d := range c.Deps {
		ok, err := d.Holds(cfg)
		if err != nil {
			return full, err.Error()
		}
		if !ok {
			return full, fmt.Sprintf("dependency %s does not hold in the test builds", depString(d))
		}
	}
	return full, ""
}

func depString(d datafile.Dep) string {
	s := d.Symbol
	if d.Op != "" {
		s += " " + d.Op + " " + d.Value
	}
	if d.Negated {
		s = "!" + s
	}
	return s
}

// caseArgs decodes the arguments of a case.
type caseArgs struct {
	t *testing.T
	c datafile.Case
}

func (a caseArgs) int(i int) int64 {
	a.t.Helper()
	v, err := datafile.DecodeInt(a.c.Args[i], env)
	if err != nil {
		a.t.Fatalf("%s: argument %d: %v", a.c.Pos(), i, err)
	}
	return v
}

func (a caseArgs) hex(i int) []byte {
	a.t.Helper()
	v, err := datafile.DecodeHex(a.c.Args[i])
	if err != nil {
		a.t.Fatalf("%s: argument %d: %v", a.c.Pos(), i, err)
	}
	return v
}

func (a caseArgs) status(i int) values.Status     { return values.Status(int32(a.int(i))) }
func (a caseArgs) alg(i int) values.Algorithm     { return values.Algorithm(uint32(a.int(i))) }
func (a caseArgs) keyType(i int) values.KeyType   { return values.KeyType(uint16(a.int(i))) }
func (a caseArgs) location(i int) values.Location { return values.Location(uint32(a.int(i))) }

// importKey imports a volatile key in local storage.
func (b *build) importKey(t testing.TB, kt values.KeyType, bits int, usage values.KeyUsage, alg values.Algorithm, data []byte) psa.KeyID {
	t.Helper()
	id, err := b.c.ImportKey(values.Attributes{Type: kt, Bits: bits, Usage: usage, Alg: alg}, data)
	if err != nil {
		t.Fatalf("import %v: %v", kt, err)
	}
	return id
}

// fallback is the status a forced status leads to: ErrNotSupported from
// a capability with fallback reaches the builtin driver in the full build.
func (b *build) fallback(forced values.Status) values.Status {
	if forced == values.ErrNotSupported && b.full {
		return values.Success
	}
	return forced
}

// resetHooks forgets what setting up a case hit.
func (b *build) resetHooks() {
	b.tr.Reset()
	b.op.Reset()
	b.op2.Reset()
}

var wrapperCases = map[string]func(t *testing.T, b *build, a caseArgs){
	"builtin_key_id_stability": func(t *testing.T, b *build, a caseArgs) {
		for _, tt := range []struct {
			id values.KeyID
			ok bool
		}{{builtinMin, true}, {builtinMax, true}, {builtinMin - 1, false}, {builtinMax + 1, false}} {
			c, err := psa.New(psa.WithBuiltinKey(tt.id, testdriver.Location, 0), psa.WithDispatch(b.disp))
			if tt.ok != (err == nil) || (err != nil && !errors.Is(err, values.ErrInvalidArgument)) {
				t.Errorf("built-in key 0x%08x: %v, want ok=%v or ErrInvalidArgument", uint32(tt.id), err, tt.ok)
			}
			if c != nil {
				c.Close()
			}
		}
	},

	"sign_hash":    signCase("sign_hash", false),
	"sign_message": signCase("sign_message", true),

	"verify_hash":    verifyCase("verify_hash", false),
	"verify_message": verifyCase("verify_message", true),

	"generate_ec_key": func(t *testing.T, b *build, a caseArgs) {
		forced, fake, want := a.status(0), a.hex(1), a.status(2)
		b.need(t, "generate_key", forced, len(fake) == 0)
		force(&b.tr.Hooks, "generate_key", forced)
		if len(fake) > 0 {
			b.tr.ForceOutput("generate_key", fake)
		}
		attrs := values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilySECPR1), Bits: 256,
			Usage: values.UsageExport, Alg: values.AlgECDSA(values.AlgAnyHash)}
		id, err := b.c.GenerateKey(attrs)
		wantStatus(t, "generate key", err, want)
		wantHits(t, &b.tr.Hooks, "generate_key", 1)
		if err != nil {
			return
		}
		key, err := b.c.ExportKey(id, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(fake) > 0 && !bytes.Equal(key, fake) {
			t.Errorf("exported %x, want the forced output %x", key, fake)
		}
		// A real key imports again (the builtin driver validates it).
		if _, err := b.c.ImportKey(values.Attributes{Type: attrs.Type}, key); err != nil {
			t.Errorf("the generated key does not import: %v", err)
		}
	},

	"validate_key": func(t *testing.T, b *build, a caseArgs) {
		forced, loc, id, kt, data, want := a.status(0), a.location(1), a.int(3), a.keyType(4), a.hex(5), a.status(6)
		h, other := &b.tr.Hooks, &b.op.Hooks
		if loc != values.LocationLocalStorage {
			h, other = other, h
		}
		b.need(t, "import_key", forced, true)
		force(h, "import_key", forced)
		attrs := values.Attributes{
			ID:       values.KeyID(id),
			Lifetime: values.LifetimeFromPersistenceAndLocation(values.PersistenceDefault, loc),
			Type:     kt, Usage: values.UsageExport,
		}
		_, err := b.c.ImportKey(attrs, data)
		wantStatus(t, "import persistent key", err, want)
		wantHits(t, h, "import_key", 1)
		wantHits(t, other, "import_key", 0)
	},

	"export_key": func(t *testing.T, b *build, a caseArgs) {
		forced, fake, inType, in, outType, expected, want := a.status(0), a.hex(1), a.keyType(2), a.hex(3), a.keyType(4), a.hex(5), a.status(6)
		b.need(t, "export_public_key", forced, len(fake) == 0)
		id := b.importKey(t, inType, 256, values.UsageExport, 0, in)
		b.resetHooks()
		force(&b.tr.Hooks, "export_public_key", forced)
		if len(fake) > 0 {
			b.tr.ForceOutput("export_public_key", fake)
			expected = fake
		}
		var out []byte
		var err error
		if outType.IsECCPublicKey() {
			out, err = b.c.ExportPublicKey(id, nil)
		} else {
			out, err = b.c.ExportKey(id, nil)
		}
		wantStatus(t, "export", err, want)
		if outType.IsECCPublicKey() && !inType.IsECCPublicKey() {
			wantHits(t, &b.tr.Hooks, "export_public_key", 1)
		}
		if err == nil && !bytes.Equal(out, expected) {
			t.Errorf("exported %x, want %x", out, expected)
		}
	},

	"key_agreement": func(t *testing.T, b *build, a caseArgs) {
		alg, forced, kt, ours, peer, expected, fake, want := a.alg(0), a.status(1), a.keyType(2), a.hex(3), a.hex(4), a.hex(5), a.hex(6), a.status(7)
		b.need(t, "key_agreement", forced, len(fake) == 0)
		id := b.importKey(t, kt, 0, values.UsageDerive, alg, ours)
		b.resetHooks()
		force(&b.tr.Hooks, "key_agreement", forced)
		if len(fake) > 0 {
			b.tr.ForceOutput("key_agreement", fake)
			expected = fake
		}
		out, err := b.c.RawKeyAgreement(alg, id, peer, nil)
		wantStatus(t, "raw key agreement", err, want)
		wantHits(t, &b.tr.Hooks, "key_agreement", 1)
		if err == nil && !bytes.Equal(out, expected) {
			t.Errorf("shared secret %x, want %x", out, expected)
		}
	},

	"cipher_encrypt_validation": func(t *testing.T, b *build, a caseArgs) {
		alg, kt, key, input := a.alg(0), a.keyType(1), a.hex(2), a.hex(3)
		b.need(t, "cipher_encrypt", values.Success, true)
		b.need(t, "cipher_encrypt_setup", values.Success, true)
		id := b.importKey(t, kt, 0, values.UsageEncrypt, alg, key)
		b.resetHooks()
		out1, err := b.c.CipherEncrypt(id, alg, input, nil)
		if err != nil {
			t.Fatal(err)
		}
		wantHits(t, &b.tr.Hooks, "cipher_encrypt", 1)
		ivLen := psa.CipherIVLength(kt, alg)
		var op psa.CipherOperation
		if err := b.c.CipherEncryptSetup(&op, id, alg); err != nil {
			t.Fatal(err)
		}
		if err := op.SetIV(out1[:ivLen]); err != nil {
			t.Fatal(err)
		}
		out2, err := op.Update(input, nil)
		if err != nil {
			t.Fatal(err)
		}
		if out2, err = op.Finish(out2); err != nil {
			t.Fatal(err)
		}
		for _, ep := range []string{"cipher_encrypt_setup", "cipher_set_iv", "cipher_update", "cipher_finish"} {
			wantHits(t, &b.tr.Hooks, ep, 1)
		}
		if err := op.Abort(); err != nil {
			t.Errorf("abort after finish: %v", err)
		}
		wantHits(t, &b.tr.Hooks, "cipher_abort", 0)
		if !bytes.Equal(out1[ivLen:], out2) {
			t.Errorf("one-shot %x, multi-part %x", out1[ivLen:], out2)
		}
	},

	"cipher_encrypt_multipart": cipherMultipartCase(true),
	"cipher_decrypt_multipart": cipherMultipartCase(false),

	"cipher_decrypt": func(t *testing.T, b *build, a caseArgs) {
		alg, kt, key, iv, input, expected, mock, forced, want := a.alg(0), a.keyType(1), a.hex(2), a.hex(3), a.hex(4), a.hex(5), a.int(6), a.status(7), a.status(8)
		b.need(t, "cipher_decrypt", forced, mock == 0)
		id := b.importKey(t, kt, 0, values.UsageDecrypt, alg, key)
		b.resetHooks()
		force(&b.tr.Hooks, "cipher_decrypt", forced)
		if mock != 0 {
			b.tr.ForceOutput("cipher_decrypt", expected)
		}
		out, err := b.c.CipherDecrypt(id, alg, append(slices.Clone(iv), input...), nil)
		wantStatus(t, "cipher decrypt", err, want)
		wantHits(t, &b.tr.Hooks, "cipher_decrypt", 1)
		if err == nil && !bytes.Equal(out, expected) {
			t.Errorf("plaintext %x, want %x", out, expected)
		}
	},

	"cipher_entry_points": func(t *testing.T, b *build, a caseArgs) {
		cipherEntryPoints(t, b, a.alg(0), a.keyType(1), a.hex(2), a.hex(3), a.hex(4))
	},

	"aead_encrypt": func(t *testing.T, b *build, a caseArgs) {
		kt, key, alg, nonce, ad, input, expected, forced := a.keyType(0), a.hex(1), a.alg(2), a.hex(3), a.hex(4), a.hex(5), a.hex(6), a.status(7)
		want := b.fallback(forced)
		b.need(t, "aead_encrypt", forced, true)
		id := b.importKey(t, kt, 0, values.UsageEncrypt, alg, key)
		b.resetHooks()
		force(&b.tr.Hooks, "aead_encrypt", forced)
		out, err := b.c.AEADEncrypt(id, alg, nonce, ad, input, nil)
		wantStatus(t, "AEAD encrypt", err, want)
		wantHits(t, &b.tr.Hooks, "aead_encrypt", 1)
		if err == nil && !bytes.Equal(out, expected) {
			t.Errorf("ciphertext %x, want %x", out, expected)
		}
	},

	"aead_decrypt": func(t *testing.T, b *build, a caseArgs) {
		kt, key, alg, nonce, ad, input, expected, forced := a.keyType(0), a.hex(1), a.alg(2), a.hex(3), a.hex(4), a.hex(5), a.hex(6), a.status(7)
		want := b.fallback(forced)
		b.need(t, "aead_decrypt", forced, true)
		id := b.importKey(t, kt, 0, values.UsageDecrypt, alg, key)
		b.resetHooks()
		force(&b.tr.Hooks, "aead_decrypt", forced)
		out, err := b.c.AEADDecrypt(id, alg, nonce, ad, input, nil)
		wantStatus(t, "AEAD decrypt", err, want)
		wantHits(t, &b.tr.Hooks, "aead_decrypt", 1)
		if err == nil && !bytes.Equal(out, expected) {
			t.Errorf("plaintext %x, want %x", out, expected)
		}
	},

	"aead_encrypt_setup": func(t *testing.T, b *build, a caseArgs) {
		kt, key, alg, nonce, ad, input, wantCT, wantTag, forced, want := a.keyType(0), a.hex(1), a.alg(2), a.hex(3), a.hex(4), a.hex(5), a.hex(6), a.hex(7), a.status(8), a.status(9)
		b.need(t, "aead_encrypt_setup", forced, true)
		id := b.importKey(t, kt, 0, values.UsageEncrypt, alg, key)
		b.resetHooks()
		force(&b.tr.Hooks, "aead_encrypt_setup", forced)
		var op psa.AEADOperation
		err := b.c.AEADEncryptSetup(&op, id, alg)
		wantStatus(t, "AEAD encrypt setup", err, want)
		wantHits(t, &b.tr.Hooks, "aead_encrypt_setup", 1)
		if err != nil {
			return
		}
		defer op.Abort()
		inDriver := forced == values.Success
		if err := op.SetNonce(nonce); err != nil {
			t.Fatal(err)
		}
		if err := op.UpdateAD(ad); err != nil {
			t.Fatal(err)
		}
		ct, err := op.Update(input, nil)
		if err != nil {
			t.Fatal(err)
		}
		ct, tag, err := op.Finish(ct, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, ep := range []string{"aead_set_nonce", "aead_update_ad", "aead_update", "aead_finish"} {
			wantHits(t, &b.tr.Hooks, ep, map[bool]int{true: 1, false: 0}[inDriver])
		}
		if !bytes.Equal(ct, wantCT) || !bytes.Equal(tag, wantTag) {
			t.Errorf("ciphertext %x tag %x, want %x %x", ct, tag, wantCT, wantTag)
		}
	},

	"aead_decrypt_setup": func(t *testing.T, b *build, a caseArgs) {
		kt, key, alg, nonce, ad, input, tag, expected, forced, want := a.keyType(0), a.hex(1), a.alg(2), a.hex(3), a.hex(4), a.hex(5), a.hex(6), a.hex(7), a.status(8), a.status(9)
		b.need(t, "aead_decrypt_setup", forced, true)
		id := b.importKey(t, kt, 0, values.UsageDecrypt, alg, key)
		b.resetHooks()
		force(&b.tr.Hooks, "aead_decrypt_setup", forced)
		var op psa.AEADOperation
		err := b.c.AEADDecryptSetup(&op, id, alg)
		wantStatus(t, "AEAD decrypt setup", err, want)
		wantHits(t, &b.tr.Hooks, "aead_decrypt_setup", 1)
		if err != nil {
			return
		}
		defer op.Abort()
		if err := op.SetNonce(nonce); err != nil {
			t.Fatal(err)
		}
		if err := op.UpdateAD(ad); err != nil {
			t.Fatal(err)
		}
		pt, err := op.Update(input, nil)
		if err != nil {
			t.Fatal(err)
		}
		if pt, err = op.Verify(pt, tag); err != nil {
			t.Fatal(err)
		}
		wantHits(t, &b.tr.Hooks, "aead_verify", map[bool]int{true: 1, false: 0}[forced == values.Success])
		if !bytes.Equal(pt, expected) {
			t.Errorf("plaintext %x, want %x", pt, expected)
		}
	},

	"mac_sign": func(t *testing.T, b *build, a caseArgs) {
		kt, key, alg, input, expected, forced := a.keyType(0), a.hex(1), a.alg(2), a.hex(3), a.hex(4), a.status(5)
		want := b.fallback(forced)
		b.need(t, "mac_compute", forced, true)
		id := b.importKey(t, kt, 0, values.UsageSignMessage, alg, key)
		b.resetHooks()
		force(&b.tr.Hooks, "mac_compute", forced)
		out, err := b.c.MACCompute(id, alg, input, nil)
		wantStatus(t, "MAC compute", err, want)
		wantHits(t, &b.tr.Hooks, "mac_compute", 1)
		if err == nil && !bytes.Equal(out, expected) {
			t.Errorf("MAC %x, want %x", out, expected)
		}
	},

	"mac_verify": func(t *testing.T, b *build, a caseArgs) {
		kt, key, alg, input, mac, forced := a.keyType(0), a.hex(1), a.alg(2), a.hex(3), a.hex(4), a.status(5)
		want := b.fallback(forced)
		b.need(t, "mac_verify", forced, true)
		id := b.importKey(t, kt, 0, values.UsageVerifyMessage, alg, key)
		b.resetHooks()
		force(&b.tr.Hooks, "mac_verify", forced)
		err := b.c.MACVerify(id, alg, input, mac)
		wantStatus(t, "MAC verify", err, want)
		wantHits(t, &b.tr.Hooks, "mac_verify", 1)
	},

	"mac_sign_multipart":   macMultipartCase(true),
	"mac_verify_multipart": macMultipartCase(false),

	"builtin_key_export": func(t *testing.T, b *build, a caseArgs) {
		id, kt, bits, alg, expected, want := values.KeyID(uint32(a.int(0))), a.keyType(1), int(a.int(2)), a.alg(3), a.hex(4), a.status(5)
		attrs, err := b.c.KeyAttributes(id)
		wantStatus(t, "key attributes", err, want)
		if err != nil {
			return
		}
		if attrs.Type != kt || attrs.Bits != bits || attrs.Alg != alg || attrs.Lifetime.Location() != testdriver.Location {
			t.Errorf("attributes %+v, want a %d-bit %v for %v at location 0x%06x", attrs, bits, kt, alg, uint32(testdriver.Location))
		}
		wantHits(t, &b.op.Hooks, "get_builtin_key", 1)
		out, err := b.c.ExportKey(id, nil)
		if err != nil || !bytes.Equal(out, expected) {
			t.Errorf("export = %x, %v; want %x", out, err, expected)
		}
		wantHits(t, &b.op.Hooks, "export_key", 1)
	},

	"builtin_pubkey_export": func(t *testing.T, b *build, a caseArgs) {
		id, kt, bits, alg, expected, want := values.KeyID(uint32(a.int(0))), a.keyType(1), int(a.int(2)), a.alg(3), a.hex(4), a.status(5)
		attrs, err := b.c.KeyAttributes(id)
		if err != nil {
			t.Fatal(err)
		}
		out, err := b.c.ExportPublicKey(id, nil)
		if want == values.ErrInvalidArgument && !attrs.Type.IsAsymmetric() {
			// The core refuses a key without a public part before any
			// driver sees it; the C core returns the same status.
			wantStatus(t, "export public key", err, want)
			return
		}
		if attrs.Type != kt || attrs.Bits != bits || attrs.Alg != alg {
			t.Errorf("attributes %+v, want a %d-bit %v for %v", attrs, bits, kt, alg)
		}
		wantStatus(t, "export public key", err, want)
		if err == nil && !bytes.Equal(out, expected) {
			t.Errorf("public key %x, want %x", out, expected)
		}
		wantHits(t, &b.op.Hooks, "export_public_key", 1)
	},

	"hash_compute": func(t *testing.T, b *build, a caseArgs) {
		alg, input, expected, forced, want := a.alg(0), a.hex(1), a.hex(2), a.status(3), a.status(4)
		b.need(t, "hash_compute", forced, true)
		force(&b.tr.Hooks, "hash_compute", forced)
		out, err := b.c.HashCompute(alg, input, nil)
		wantStatus(t, "hash compute", err, want)
		wantHits(t, &b.tr.Hooks, "hash_compute", 1)
		if err == nil && !bytes.Equal(out, expected) {
			t.Errorf("hash %x, want %x", out, expected)
		}
	},

	"hash_multipart_setup": func(t *testing.T, b *build, a caseArgs) {
		alg, input, expected, forced, want := a.alg(0), a.hex(1), a.hex(2), a.status(3), a.status(4)
		b.need(t, "hash_setup", forced, true)
		force(&b.tr.Hooks, "hash_setup", forced)
		var op psa.HashOperation
		err := b.c.HashSetup(&op, alg)
		wantStatus(t, "hash setup", err, want)
		wantHits(t, &b.tr.Hooks, "hash_setup", 1)
		if err != nil {
			return
		}
		defer op.Abort()
		inDriver := map[bool]int{true: 1, false: 0}[forced == values.Success]
		if err := op.Update(input); err != nil {
			t.Fatal(err)
		}
		out, err := op.Finish(nil)
		if err != nil || !bytes.Equal(out, expected) {
			t.Errorf("finish = %x, %v; want %x", out, err, expected)
		}
		wantHits(t, &b.tr.Hooks, "hash_update", inDriver)
		wantHits(t, &b.tr.Hooks, "hash_finish", inDriver)
	},

	// The C suite names its cases "update" and "finish" but forces one
	// status for the whole operation; each case checks both a forced
	// update and a forced finish.
	"hash_multipart_update": func(t *testing.T, b *build, a caseArgs) {
		alg, input, expected, forced := a.alg(0), a.hex(1), a.hex(2), a.status(3)
		b.need(t, "hash_setup", values.Success, true)
		for _, ep := range []string{"hash_update", "hash_finish"} {
			b.resetHooks()
			var op psa.HashOperation
			if err := b.c.HashSetup(&op, alg); err != nil {
				t.Fatal(err)
			}
			force(&b.tr.Hooks, ep, forced)
			err := op.Update(input)
			var out []byte
			if err == nil {
				out, err = op.Finish(nil)
			}
			wantStatus(t, ep, err, forced)
			wantHits(t, &b.tr.Hooks, "hash_setup", 1)
			wantHits(t, &b.tr.Hooks, ep, 1)
			if ep == "hash_update" && err != nil {
				// The core aborts the driver's operation after a failed
				// update, and finishes nothing.
				wantHits(t, &b.tr.Hooks, "hash_abort", 1)
				wantHits(t, &b.tr.Hooks, "hash_finish", 0)
			}
			if err == nil && !bytes.Equal(out, expected) {
				t.Errorf("hash %x, want %x", out, expected)
			}
			op.Abort()
		}
	},

	"hash_clone": func(t *testing.T, b *build, a caseArgs) {
		alg, input, expected, forced := a.alg(0), a.hex(1), a.hex(2), a.status(3)
		b.need(t, "hash_clone", values.Success, true)
		var src, dst psa.HashOperation
		if err := src.Clone(&dst); !errors.Is(err, values.ErrBadState) {
			t.Errorf("clone of an inactive operation: %v, want ErrBadState", err)
		}
		if b.tr.TotalHits() != 0 {
			t.Errorf("cloning an inactive operation reached the driver: %v", b.tr.AllHits())
		}
		if err := b.c.HashSetup(&src, alg); err != nil {
			t.Fatal(err)
		}
		defer src.Abort()
		force(&b.tr.Hooks, "hash_clone", forced)
		err := src.Clone(&dst)
		wantStatus(t, "hash clone", err, forced)
		wantHits(t, &b.tr.Hooks, "hash_clone", 1)
		if err != nil {
			return
		}
		defer dst.Abort()
		if err := dst.Update(input); err != nil {
			t.Fatal(err)
		}
		out, err := dst.Finish(nil)
		if err != nil || !bytes.Equal(out, expected) {
			t.Errorf("finish of the clone = %x, %v; want %x", out, err, expected)
		}
		wantHits(t, &b.tr.Hooks, "hash_update", 1)
	},

	"asymmetric_encrypt_decrypt": func(t *testing.T, b *build, a caseArgs) {
		alg, key, input, label := a.alg(0), a.hex(1), a.hex(2), a.hex(3)
		fakeEnc, fakeDec := a.hex(4), a.hex(5)
		forcedEnc, forcedDec, wantEnc, wantDec := a.status(6), a.status(7), a.status(8), a.status(9)
		b.need(t, "asymmetric_encrypt", forcedEnc, len(fakeEnc) == 0)
		b.need(t, "asymmetric_decrypt", forcedDec, len(fakeDec) == 0)
		id := b.importKey(t, values.KeyTypeRSAKeyPair, 0, values.UsageEncrypt|values.UsageDecrypt, alg, key)
		b.resetHooks()
		force(&b.tr.Hooks, "asymmetric_encrypt", forcedEnc)
		if len(fakeEnc) > 0 {
			b.tr.ForceOutput("asymmetric_encrypt", fakeEnc)
		}
		ct, err := b.c.AsymmetricEncrypt(id, alg, input, label, nil)
		wantStatus(t, "asymmetric encrypt", err, wantEnc)
		wantHits(t, &b.tr.Hooks, "asymmetric_encrypt", 1)
		if err != nil {
			return
		}
		if len(fakeEnc) > 0 {
			if !bytes.Equal(ct, fakeEnc) {
				t.Errorf("ciphertext %x, want the forced %x", ct, fakeEnc)
			}
			return
		}
		force(&b.tr.Hooks, "asymmetric_decrypt", forcedDec)
		expected := input
		if len(fakeDec) > 0 {
			b.tr.ForceOutput("asymmetric_decrypt", fakeDec)
			expected = fakeDec
		}
		pt, err := b.c.AsymmetricDecrypt(id, alg, ct, label, nil)
		wantStatus(t, "asymmetric decrypt", err, wantDec)
		wantHits(t, &b.tr.Hooks, "asymmetric_decrypt", 1)
		if err == nil && !bytes.Equal(pt, expected) {
			t.Errorf("plaintext %x, want %x", pt, expected)
		}
	},

	"asymmetric_decrypt": func(t *testing.T, b *build, a caseArgs) {
		alg, key, input, label, expected, fake, forced, want := a.alg(0), a.hex(1), a.hex(2), a.hex(3), a.hex(4), a.hex(5), a.status(6), a.status(7)
		b.need(t, "asymmetric_decrypt", forced, len(fake) == 0)
		id := b.importKey(t, values.KeyTypeRSAKeyPair, 0, values.UsageDecrypt, alg, key)
		b.resetHooks()
		force(&b.tr.Hooks, "asymmetric_decrypt", forced)
		if len(fake) > 0 {
			b.tr.ForceOutput("asymmetric_decrypt", fake)
			expected = fake
		}
		pt, err := b.c.AsymmetricDecrypt(id, alg, input, label, nil)
		wantStatus(t, "asymmetric decrypt", err, want)
		wantHits(t, &b.tr.Hooks, "asymmetric_decrypt", 1)
		if err == nil && !bytes.Equal(pt, expected) {
			t.Errorf("plaintext %x, want %x", pt, expected)
		}
	},

	"asymmetric_encrypt": func(t *testing.T, b *build, a caseArgs) {
		alg, key, modulus, d, input, label, fake, forced, want := a.alg(0), a.hex(1), a.hex(2), a.hex(3), a.hex(4), a.hex(5), a.hex(6), a.status(7), a.status(8)
		b.need(t, "asymmetric_encrypt", forced, len(fake) == 0)
		id := b.importKey(t, values.KeyTypeRSAPublicKey, 0, values.UsageEncrypt, alg, key)
		b.resetHooks()
		force(&b.tr.Hooks, "asymmetric_encrypt", forced)
		if len(fake) > 0 {
			b.tr.ForceOutput("asymmetric_encrypt", fake)
		}
		ct, err := b.c.AsymmetricEncrypt(id, alg, input, label, nil)
		wantStatus(t, "asymmetric encrypt", err, want)
		wantHits(t, &b.tr.Hooks, "asymmetric_encrypt", 1)
		if err != nil {
			return
		}
		if len(fake) > 0 {
			if !bytes.Equal(ct, fake) {
				t.Errorf("ciphertext %x, want the forced %x", ct, fake)
			}
			return
		}
		checkRSAEncryption(t, alg, modulus, d, input, ct)
	},

	"pake_operations": pakeOperations,
	"ecjpake_rounds":  ecjpakeRounds,
}

// signCase is sign_hash and sign_message: (key type, alg, forced status,
// key, input, expected signature, fake output, expected status).
func signCase(ep string, message bool) func(t *testing.T, b *build, a caseArgs) {
	return func(t *testing.T, b *build, a caseArgs) {
		kt, alg, forced, key, input, expected, fake, want := a.keyType(0), a.alg(1), a.status(2), a.hex(3), a.hex(4), a.hex(5), a.int(6), a.status(7)
		b.needMessage(t, ep, "sign_hash", forced, fake == 0, message)
		usage := values.UsageSignHash
		if message {
			usage = values.UsageSignMessage
		}
		id := b.importKey(t, kt, 0, usage, alg, key)
		b.resetHooks()
		force(&b.tr.Hooks, ep, forced)
		if fake != 0 {
			b.tr.ForceOutput(ep, expected)
		}
		var out []byte
		var err error
		if message {
			out, err = b.c.SignMessage(id, alg, input, nil)
		} else {
			out, err = b.c.SignHash(id, alg, input, nil)
		}
		wantStatus(t, ep, err, want)
		wantHits(t, &b.tr.Hooks, ep, 1)
		if err == nil && !bytes.Equal(out, expected) {
			t.Errorf("signature %x, want %x", out, expected)
		}
	}
}

// needMessage is need for sign_hash, verify_hash and the message entry
// points. When the builtin driver does not declare a message entry point
// that the test driver declines, the core hashes the message and calls
// the hash entry point, which the test driver computes: the case then
// needs that one.
func (b *build) needMessage(t *testing.T, ep, hashEP string, forced values.Status, computes, message bool) {
	t.Helper()
	if message && forced == values.ErrNotSupported && b.full && !b.builtinDeclares(ep) {
		b.need(t, hashEP, values.Success, true)
		b.need(t, "hash_compute", values.Success, true)
		return
	}
	b.need(t, ep, forced, computes)
}

// verifyCase is verify_hash and verify_message: (key pair type, public key
// type, alg, forced status, register the public key, key, input,
// signature, expected status).
func verifyCase(ep string, message bool) func(t *testing.T, b *build, a caseArgs) {
	return func(t *testing.T, b *build, a caseArgs) {
		kt, pt, alg, forced, public, key, input, sig, want := a.keyType(0), a.keyType(1), a.alg(2), a.status(3), a.int(4), a.hex(5), a.hex(6), a.hex(7), a.status(8)
		b.needMessage(t, ep, "verify_hash", forced, true, message)
		if public != 0 {
			kt = pt
		}
		usage := values.UsageVerifyHash
		if message {
			usage = values.UsageVerifyMessage
		}
		id := b.importKey(t, kt, 0, usage, alg, key)
		b.resetHooks()
		force(&b.tr.Hooks, ep, forced)
		var err error
		if message {
			err = b.c.VerifyMessage(id, alg, input, sig)
		} else {
			err = b.c.VerifyHash(id, alg, input, sig)
		}
		wantStatus(t, ep, err, want)
		wantHits(t, &b.tr.Hooks, ep, 1)
	}
}

// cipherMultipartCase is cipher_encrypt_multipart and
// cipher_decrypt_multipart: (alg, key type, key, IV, input, first part
// size, first output length, second output length, expected output, mock
// the output, forced status, expected status).
func cipherMultipartCase(encrypt bool) func(t *testing.T, b *build, a caseArgs) {
	return func(t *testing.T, b *build, a caseArgs) {
		alg, kt, key, iv, input := a.alg(0), a.keyType(1), a.hex(2), a.hex(3), a.hex(4)
		first, len1, len2, expected := int(a.int(5)), int(a.int(6)), int(a.int(7)), a.hex(8)
		mock, forced, want := a.int(9), a.status(10), a.status(11)
		setup, usage := "cipher_encrypt_setup", values.UsageEncrypt
		if !encrypt {
			setup, usage = "cipher_decrypt_setup", values.UsageDecrypt
		}
		b.need(t, setup, forced, true)
		id := b.importKey(t, kt, 0, usage, alg, key)
		b.resetHooks()
		force(&b.tr.Hooks, setup, forced)
		var op psa.CipherOperation
		var err error
		if encrypt {
			err = b.c.CipherEncryptSetup(&op, id, alg)
		} else {
			err = b.c.CipherDecryptSetup(&op, id, alg)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer op.Abort()
		wantHits(t, &b.tr.Hooks, setup, 1)
		inDriver := map[bool]int{true: 1, false: 0}[forced == values.Success]
		if err := op.SetIV(iv); err != nil {
			t.Fatal(err)
		}
		wantHits(t, &b.tr.Hooks, "cipher_set_iv", inDriver)
		if mock != 0 {
			b.tr.ForceOutput("cipher_update", expected)
		}
		out, err := op.Update(input[:first], nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != len1 {
			t.Errorf("first update: %d bytes, want %d", len(out), len1)
		}
		updates := inDriver
		if first < len(input) {
			n := len(out)
			if out, err = op.Update(input[first:], out); err != nil {
				t.Fatal(err)
			}
			if len(out)-n != len2 {
				t.Errorf("second update: %d bytes, want %d", len(out)-n, len2)
			}
			updates += inDriver
		}
		wantHits(t, &b.tr.Hooks, "cipher_update", updates)
		b.tr.ForceOutput("cipher_update", nil)
		out, err = op.Finish(out)
		wantStatus(t, "cipher finish", err, want)
		wantHits(t, &b.tr.Hooks, "cipher_finish", inDriver)
		if err != nil {
			return
		}
		if err := op.Abort(); err != nil {
			t.Errorf("abort after finish: %v", err)
		}
		wantHits(t, &b.tr.Hooks, "cipher_abort", 0)
		if !bytes.Equal(out, expected) {
			t.Errorf("output %x, want %x", out, expected)
		}
	}
}

// macMultipartCase is mac_sign_multipart and mac_verify_multipart: (key
// type, key, alg, input, MAC, number of fragments, forced status,
// expected status).
func macMultipartCase(sign bool) func(t *testing.T, b *build, a caseArgs) {
	return func(t *testing.T, b *build, a caseArgs) {
		kt, key, alg, input, mac, parts, forced := a.keyType(0), a.hex(1), a.alg(2), a.hex(3), a.hex(4), int(a.int(5)), a.status(6)
		want := b.fallback(forced)
		setup, finish, usage := "mac_sign_setup", "mac_sign_finish", values.UsageSignMessage
		if !sign {
			setup, finish, usage = "mac_verify_setup", "mac_verify_finish", values.UsageVerifyMessage
		}
		b.need(t, setup, forced, true)
		id := b.importKey(t, kt, 0, usage, alg, key)
		b.resetHooks()
		force(&b.tr.Hooks, setup, forced)
		var op psa.MACOperation
		var err error
		if sign {
			err = b.c.MACSignSetup(&op, id, alg)
		} else {
			err = b.c.MACVerifySetup(&op, id, alg)
		}
		wantStatus(t, setup, err, want)
		wantHits(t, &b.tr.Hooks, setup, 1)
		if err != nil {
			return
		}
		defer op.Abort()
		// parts 0 MACs the empty message; otherwise the input is cut in
		// parts pieces, the last taking the remainder.
		msg := input
		if parts == 0 {
			msg = nil
		}
		for i := range parts {
			lo, hi := i*len(msg)/parts, (i+1)*len(msg)/parts
			if err := op.Update(msg[lo:hi]); err != nil {
				t.Fatal(err)
			}
		}
		inDriver := map[bool]int{true: 1, false: 0}[forced == values.Success]
		wantHits(t, &b.tr.Hooks, "mac_update", parts*inDriver)
		if sign {
			out, err := op.SignFinish(nil)
			if err != nil || !bytes.Equal(out, mac) {
				t.Errorf("sign finish = %x, %v; want %x", out, err, mac)
			}
		} else if err := op.VerifyFinish(mac); err != nil {
			t.Errorf("verify finish: %v", err)
		}
		wantHits(t, &b.tr.Hooks, finish, inDriver)
	}
}

// cipherEntryPoints makes each cipher entry point of the transparent test
// driver fail in turn and checks that the failure reaches the application
// and that the operation is aborted in the driver.
func cipherEntryPoints(t *testing.T, b *build, alg values.Algorithm, kt values.KeyType, key, iv, input []byte) {
	b.need(t, "cipher_encrypt_setup", values.Success, true)
	b.need(t, "cipher_encrypt", values.Success, true)
	b.need(t, "cipher_decrypt", values.Success, true)
	id := b.importKey(t, kt, 0, values.UsageEncrypt|values.UsageDecrypt, alg, key)
	fail := values.ErrGenericError
	for _, ep := range []string{"cipher_encrypt", "cipher_decrypt"} {
		b.resetHooks()
		b.tr.Force(ep, fail)
		var err error
		if ep == "cipher_encrypt" {
			_, err = b.c.CipherEncrypt(id, alg, input, nil)
		} else {
			_, err = b.c.CipherDecrypt(id, alg, append(slices.Clone(iv), input...), nil)
		}
		wantStatus(t, ep, err, fail)
		wantHits(t, &b.tr.Hooks, ep, 1)
	}
	for _, setup := range []string{"cipher_encrypt_setup", "cipher_decrypt_setup"} {
		for _, ep := range []string{setup, "cipher_set_iv", "cipher_update", "cipher_finish"} {
			b.resetHooks()
			b.tr.Force(ep, fail)
			var op psa.CipherOperation
			var err error
			if setup == "cipher_encrypt_setup" {
				err = b.c.CipherEncryptSetup(&op, id, alg)
			} else {
				err = b.c.CipherDecryptSetup(&op, id, alg)
			}
			if err == nil {
				err = op.SetIV(iv)
			}
			if err == nil {
				_, err = op.Update(input, nil)
			}
			if err == nil {
				_, err = op.Finish(nil)
			}
			wantStatus(t, setup+" with "+ep+" failing", err, fail)
			wantHits(t, &b.tr.Hooks, ep, 1)
			// The core aborts the driver's operation after a failed
			// step other than setup and finish.
			aborts := 0
			if ep == "cipher_set_iv" || ep == "cipher_update" {
				aborts = 1
			}
			wantHits(t, &b.tr.Hooks, "cipher_abort", aborts)
			if err := op.Abort(); err != nil {
				t.Errorf("abort after a failure: %v", err)
			}
		}
	}
}

// checkRSAEncryption decrypts ct with the raw RSA private operation and
// checks the padding: the C suite's sanity check of an encryption whose
// output is random.
func checkRSAEncryption(t *testing.T, alg values.Algorithm, modulus, d, input, ct []byte) {
	t.Helper()
	n, e := new(big.Int).SetBytes(modulus), new(big.Int).SetBytes(d)
	if len(ct) != len(modulus) {
		t.Fatalf("ciphertext of %d bytes for a %d-byte modulus", len(ct), len(modulus))
	}
	m := new(big.Int).Exp(new(big.Int).SetBytes(ct), e, n).FillBytes(make([]byte, len(modulus)))
	if m[0] != 0 {
		t.Fatalf("decrypted block %x does not start with 0", m)
	}
	if alg == values.AlgRSAPKCS1v15Crypt {
		sep := bytes.IndexByte(m[2:], 0)
		if m[1] != 2 || sep < 8 || !bytes.Equal(m[2+sep+1:], input) {
			t.Errorf("decrypted block %x is not a PKCS#1 v1.5 encryption of %x", m, input)
		}
	}
}
