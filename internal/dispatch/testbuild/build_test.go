package testbuild

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/driver/manifest"
	"github.com/gopsa/psa/drivers/builtin"
	"github.com/gopsa/psa/drivers/testdriver"
	"github.com/gopsa/psa/internal/dispatch/dispatchtest"
	"github.com/gopsa/psa/internal/dispatch/testbuild/nobuiltin"
	"github.com/gopsa/psa/storage"
	"github.com/gopsa/psa/values"
)

func TestGeneratedIsCurrent(t *testing.T) {
	dispatchtest.CheckGenerated(t, "gen.go", "internal/dispatch/testbuild")
}

// The built-in keys of the test build, registered as the C reference's
// test platform does (tests/src/drivers/platform_builtin_keys.c).
const (
	builtinMin = values.KeyID(0x7fff0000) // MBEDTLS_PSA_KEY_ID_BUILTIN_MIN
	builtinMax = values.KeyID(0x7fffefff) // MBEDTLS_PSA_KEY_ID_BUILTIN_MAX
)

var (
	opaqueLifetime  = values.LifetimeFromPersistenceAndLocation(values.PersistenceVolatile, testdriver.Location)
	opaque2Lifetime = values.LifetimeFromPersistenceAndLocation(values.PersistenceVolatile, testdriver.SecondLocation)
)

// build is an instance of the test build: the public API over the
// generated dispatch, and the test drivers, to instrument.
type build struct {
	c    *psa.Crypto
	disp driver.Dispatcher
	tr   *testdriver.Transparent
	op   *testdriver.Opaque
	op2  *testdriver.SecondOpaque
	full bool // the builtin driver is in the build
}

// newBuild creates an instance of the test build (full) or of the build
// without the builtin driver, with a key store and the built-in keys of
// the opaque test driver, and resets the hooks that initialisation hit.
func newBuild(t testing.TB, full bool, opts ...psa.Option) *build {
	t.Helper()
	b := &build{tr: new(testdriver.Transparent), op: new(testdriver.Opaque), op2: new(testdriver.SecondOpaque), full: full}
	var err error
	if full {
		b.disp, err = New(b.tr, b.op, b.op2)
	} else {
		b.disp, err = nobuiltin.New(b.tr, b.op, b.op2)
	}
	if err != nil {
		t.Fatal(err)
	}
	opts = append([]psa.Option{
		psa.WithDispatch(b.disp),
		psa.WithKeyStore(storage.NewMemory()),
		psa.WithBuiltinKey(builtinMin, testdriver.Location, uint64(testdriver.BuiltinSlotAES)),
		psa.WithBuiltinKey(builtinMin+1, testdriver.Location, uint64(testdriver.BuiltinSlotECDSA)),
		psa.WithBuiltinKey(builtinMax-1, testdriver.Location, uint64(testdriver.BuiltinSlotAES)),
		psa.WithBuiltinKey(builtinMax, testdriver.Location, uint64(testdriver.BuiltinSlotAES)),
	}, opts...)
	b.c, err = psa.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := b.c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	b.tr.Reset()
	b.op.Reset()
	b.op2.Reset()
	return b
}

// force makes ep of h fail with st, unless st is PSA_SUCCESS.
func force(h *testdriver.Hooks, ep string, st values.Status) {
	if st != values.Success {
		h.Force(ep, st)
	}
}

// wantStatus checks that err is nil for PSA_SUCCESS and wraps st otherwise.
func wantStatus(t testing.TB, what string, err error, st values.Status) {
	t.Helper()
	if st == values.Success {
		if err != nil {
			t.Fatalf("%s: %v, want success", what, err)
		}
		return
	}
	if !errors.Is(err, st) {
		t.Fatalf("%s: %v, want %v", what, err, st)
	}
}

func wantHits(t testing.TB, h *testdriver.Hooks, ep string, n int) {
	t.Helper()
	if got := h.Hits(ep); got != n {
		t.Errorf("%s: %d hits, want %d (all hits: %v)", ep, got, n, h.AllHits())
	}
}

// need skips a case that the builtin driver cannot serve yet: the test
// drivers compute with it, and it is the fallback target of the full
// build. computes says the case makes the test driver compute.
func (b *build) need(t testing.TB, ep string, forced values.Status, computes bool) {
	t.Helper()
	if computes && forced == values.Success && !builtinImplements(ep) {
		t.Skipf("the builtin driver has no %q entry point yet (the test drivers compute with it)", ep)
	}
	if b.full && forced == values.ErrNotSupported && !b.builtinDeclares(ep) {
		t.Skipf("drivers/builtin/driver.json does not declare %q yet: nothing to fall back to", ep)
	}
}

// builtinDeclares reports whether the builtin driver's description in
// this build covers ep, directly or through its family.
func (b *build) builtinDeclares(ep string) bool {
	names := []string{ep}
	if e, ok := manifest.LookupEntryPoint(ep); ok {
		names = append(names, e.Families...)
	}
	for _, d := range b.disp.Drivers() {
		if d.Name != "builtin" {
			continue
		}
		for _, c := range d.Capabilities {
			for _, n := range names {
				if slices.Contains(c.EntryPoints, n) {
					return true
				}
			}
		}
	}
	return false
}

// builtinImplements reports whether *builtin.Driver has entry point ep.
func builtinImplements(ep string) bool {
	var d any = new(builtin.Driver)
	var ok bool
	switch {
	case ep == "import_key" || ep == "generate_key" || ep == "export_public_key":
		ok = true
	case ep == "hash_compute":
		_, ok = d.(driver.HashComputer)
	case strings.HasPrefix(ep, "hash_"):
		_, ok = d.(driver.HashMultipart)
	case ep == "mac_compute":
		_, ok = d.(driver.MACComputer)
	case ep == "mac_verify":
		_, ok = d.(driver.MACVerifier)
	case ep == "mac_verify_setup" || ep == "mac_verify_finish":
		_, ok = d.(driver.MACVerifyMultipart)
	case strings.HasPrefix(ep, "mac_"):
		_, ok = d.(driver.MACMultipart)
	case ep == "cipher_encrypt":
		_, ok = d.(driver.CipherEncrypter)
	case ep == "cipher_decrypt":
		_, ok = d.(driver.CipherDecrypter)
	case ep == "cipher_decrypt_setup":
		_, ok = d.(driver.CipherDecryptMultipart)
	case strings.HasPrefix(ep, "cipher_"):
		_, ok = d.(driver.CipherEncryptMultipart)
	case ep == "aead_encrypt":
		_, ok = d.(driver.AEADEncrypter)
	case ep == "aead_decrypt":
		_, ok = d.(driver.AEADDecrypter)
	case ep == "aead_decrypt_setup" || ep == "aead_verify":
		_, ok = d.(driver.AEADDecryptMultipart)
	case strings.HasPrefix(ep, "aead_"):
		_, ok = d.(driver.AEADEncryptMultipart)
	case ep == "sign_hash":
		_, ok = d.(driver.HashSigner)
	case ep == "verify_hash":
		_, ok = d.(driver.HashVerifier)
	case ep == "sign_message":
		_, ok = d.(driver.MessageSigner)
	case ep == "verify_message":
		_, ok = d.(driver.MessageVerifier)
	case ep == "asymmetric_encrypt":
		_, ok = d.(driver.AsymmetricEncrypter)
	case ep == "asymmetric_decrypt":
		_, ok = d.(driver.AsymmetricDecrypter)
	case ep == "key_agreement":
		_, ok = d.(driver.KeyAgreer)
	case strings.HasPrefix(ep, "key_derivation_"):
		_, ok = d.(driver.KeyDerivation)
	case strings.HasPrefix(ep, "pake_"):
		_, ok = d.(driver.PAKE)
	case ep == "xof_setup":
		_, ok = d.(driver.XOFMultipart)
	}
	return ok
}
