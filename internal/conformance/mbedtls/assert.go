package mbedtls

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/drivers/testdriver"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/internal/dispatch/testbuild"
	"github.com/gopsa/psa/storage"
	"github.com/gopsa/psa/values"
)

// statusOf returns the PSA status that err carries, as the C API would
// return it: PSA_SUCCESS for nil, PSA_ERROR_GENERIC_ERROR for an error that
// wraps no status.
func statusOf(err error) values.Status {
	if err == nil {
		return values.Success
	}
	var s values.Status
	if errors.As(err, &s) {
		return s
	}
	return values.ErrGenericError
}

// must is PSA_ASSERT: the call must succeed.
func must(t *suite.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// wantStatus is TEST_EQUAL(status, expected) on a PSA call.
func wantStatus(t *suite.T, what string, err error, want values.Status) {
	t.Helper()
	if got := statusOf(err); got != want {
		if err == nil {
			t.Fatalf("%s: succeeded, want %v", what, want)
		}
		t.Fatalf("%s: got %v, want %v (%v)", what, got, want, err)
	}
}

// equal is TEST_EQUAL.
func equal[T comparable](t *suite.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

// check is TEST_ASSERT.
func check(t *suite.T, cond bool, format string, args ...any) {
	t.Helper()
	if !cond {
		t.Fatalf(format, args...)
	}
}

// equalBytes is TEST_MEMORY_COMPARE.
func equalBytes(t *suite.T, what string, got, want []byte) {
	t.Helper()
	if !bytes.Equal(got, want) {
		t.Fatalf("%s: got %x (%d bytes), want %x (%d bytes)", what, got, len(got), want, len(want))
	}
}

// updateUsage is mbedtls_test_update_key_usage_flags: the usage flags a
// key has after creation, with the flags that the specification implies
// (SIGN_HASH implies SIGN_MESSAGE, VERIFY_HASH implies VERIFY_MESSAGE).
// It is written here rather than taken from the values package, so that
// the check does not use the code it checks.
func updateUsage(u values.KeyUsage) values.KeyUsage {
	if u&values.UsageSignHash != 0 {
		u |= values.UsageSignMessage
	}
	if u&values.UsageVerifyHash != 0 {
		u |= values.UsageVerifyMessage
	}
	return u
}

// setID is psa_set_key_id: it also makes a volatile lifetime persistent,
// keeping its location, as the C setter does.
func setID(a *psa.Attributes, id values.KeyID) {
	a.ID = id
	if a.Lifetime.IsVolatile() {
		a.Lifetime = values.LifetimeFromPersistenceAndLocation(values.PersistenceDefault, a.Lifetime.Location())
	}
}

// setLifetime is psa_set_key_lifetime: a volatile lifetime also clears
// the key identifier, as the C setter does.
func setLifetime(a *psa.Attributes, lt values.Lifetime) {
	a.Lifetime = lt
	if lt.IsVolatile() {
		a.ID = values.KeyIDNull
	}
}

// instance is the PSA instance of a case with its key store, so that a
// test can restart it as the C tests do with PSA_DONE() and
// psa_crypto_init(): the keys in memory are gone, the key store stays.
type instance struct {
	t         *suite.T
	store     storage.Store
	c         *psa.Crypto
	testBuild bool // the dispatch is internal/dispatch/testbuild's
}

// testDriverLocation is TEST_DRIVER_LOCATION, the location of the C
// reference's opaque test driver, where gopsa's test build has its own
// (drivers/testdriver.Opaque).
const testDriverLocation = testdriver.Location

// newInstance creates the instance of a case, with a key store of the
// kind the options select. It is closed when the case ends.
//
// The instance has gopsa's default dispatch, unless one of lifetimes
// (those of the keys the case creates) is in the opaque test driver's
// location: then it has the dispatch of the test build, which holds that
// driver (see newTestBuild). These are the cases that depend on
// PSA_CRYPTO_DRIVER_TEST.
func (h *harness) newInstance(t *suite.T, lifetimes ...values.Lifetime) *instance {
	t.Helper()
	in := &instance{t: t}
	for _, lt := range lifetimes {
		if lt.Location() == testDriverLocation {
			in.testBuild = true
		}
	}
	switch h.opts.KeyStore {
	case "memory":
		in.store = storage.NewMemory()
	default:
		d, err := storage.OpenDir(t.TempDir())
		if err != nil {
			t.Fatalf("open key directory: %v", err)
		}
		t.Cleanup(func() { d.Close() })
		in.store = d
	}
	in.start()
	t.Cleanup(func() {
		if in.c != nil {
			in.c.Close()
		}
	})
	return in
}

func (in *instance) start() {
	in.t.Helper()
	opts := []psa.Option{psa.WithKeyStore(in.store)}
	if in.testBuild {
		d, err := testbuild.New()
		if err != nil {
			in.t.Fatalf("test build dispatch: %v", err)
		}
		opts = append(opts, psa.WithDispatch(d))
	}
	c, err := psa.New(opts...)
	if err != nil {
		in.t.Fatalf("psa.New: %v", err)
	}
	in.c = c
}

// restart closes the instance and opens a new one on the same key store.
func (in *instance) restart() {
	in.t.Helper()
	if err := in.c.Close(); err != nil {
		in.c = nil
		in.t.Fatalf("close instance: %v", err)
	}
	in.start()
}

// inStorage is psa_is_key_present_in_storage.
func (in *instance) inStorage(id values.KeyID) bool {
	_, err := in.store.Info(storage.UID(id))
	return err == nil
}

// removeFromStorage is psa_destroy_persistent_key: it removes the key
// file behind the core's back.
func (in *instance) removeFromStorage(id values.KeyID) {
	in.t.Helper()
	if err := in.store.Remove(storage.UID(id)); err != nil && !errors.Is(err, values.ErrDoesNotExist) {
		in.t.Fatalf("remove key file %#x: %v", uint32(id), err)
	}
}

// describe formats attributes for messages.
func describe(a psa.Attributes) string {
	return fmt.Sprintf("{id %#x, lifetime %v, type %v, bits %d, usage %v, alg %v, alg2 %v}",
		uint32(a.ID), a.Lifetime, a.Type, a.Bits, a.Usage, a.Alg, a.Alg2)
}
