package pkcs11

import (
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// The tests run against a SoftHSM2 token. They read the environment that
// scripts/softhsm.sh prints (eval "$(scripts/softhsm.sh)"):
//
//	GOPSA_PKCS11_MODULE       the PKCS#11 library
//	GOPSA_PKCS11_TOKEN_LABEL  the token's label
//	GOPSA_PKCS11_PIN          its user PIN
//	GOPSA_PKCS11_TOKEN_DIR    SoftHSM2's token directory (the removal test
//	                          moves it away and back)
//	SOFTHSM2_CONF             SoftHSM2's configuration
//
// Without that environment, TestMain sets up a token itself in a temporary
// directory if SoftHSM2 is installed. Without SoftHSM2 the tests skip,
// unless the environment variable CI is set: CI must not skip them.

// testEnv is the token the tests use; skip says why there is none.
var testEnv struct {
	module, label, pin, tokenDir string
	skip                         string
}

func TestMain(m *testing.M) {
	cleanup := setupToken()
	code := m.Run()
	cleanup()
	os.Exit(code)
}

func setupToken() (cleanup func()) {
	cleanup = func() {}
	if mod := os.Getenv("GOPSA_PKCS11_MODULE"); mod != "" {
		testEnv.module = mod
		testEnv.label = os.Getenv("GOPSA_PKCS11_TOKEN_LABEL")
		testEnv.pin = os.Getenv("GOPSA_PKCS11_PIN")
		testEnv.tokenDir = os.Getenv("GOPSA_PKCS11_TOKEN_DIR")
		if _, err := os.Stat(mod); err != nil {
			testEnv.skip = fmt.Sprintf("GOPSA_PKCS11_MODULE=%s: %v", mod, err)
		}
		return cleanup
	}
	const hint = `SoftHSM2 is not installed: run eval "$(scripts/softhsm.sh)" (it installs softhsm2 and creates a token), or set GOPSA_PKCS11_MODULE, GOPSA_PKCS11_TOKEN_LABEL and GOPSA_PKCS11_PIN`
	util, err := exec.LookPath("softhsm2-util")
	if err != nil {
		testEnv.skip = hint
		return cleanup
	}
	var mod string
	for _, p := range []string{"/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
		"/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so", "/usr/local/lib/softhsm/libsofthsm2.so"} {
		if _, err := os.Stat(p); err == nil {
			mod = p
			break
		}
	}
	if mod == "" {
		testEnv.skip = hint
		return cleanup
	}
	dir, err := os.MkdirTemp("", "gopsa-pkcs11-test")
	if err != nil {
		testEnv.skip = err.Error()
		return cleanup
	}
	cleanup = func() { os.RemoveAll(dir) }
	tokens := filepath.Join(dir, "tokens")
	conf := filepath.Join(dir, "softhsm2.conf")
	err = os.Mkdir(tokens, 0o700)
	if err == nil {
		err = os.WriteFile(conf, []byte("directories.tokendir = "+tokens+"\nobjectstore.backend = file\nlog.level = ERROR\n"), 0o600)
	}
	if err != nil {
		testEnv.skip = err.Error()
		return cleanup
	}
	os.Setenv("SOFTHSM2_CONF", conf)
	testEnv.module, testEnv.label, testEnv.pin, testEnv.tokenDir = mod, "gopsa-test", "1234", tokens
	out, err := exec.Command(util, "--init-token", "--free", "--label", testEnv.label, "--pin", testEnv.pin, "--so-pin", "5678").CombinedOutput()
	if err != nil {
		testEnv.skip = fmt.Sprintf("softhsm2-util --init-token: %v: %s", err, out)
	}
	return cleanup
}

// requireToken skips t when there is no token, or fails it in CI.
func requireToken(t testing.TB) {
	t.Helper()
	if testEnv.skip == "" {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set and the PKCS#11 tests cannot run: %s", testEnv.skip)
	}
	t.Skip(testEnv.skip)
}

// testConfig is the configuration of the test token.
func testConfig(t testing.TB) Config {
	requireToken(t)
	return Config{
		Module:        testEnv.module,
		TokenLabel:    testEnv.label,
		PIN:           PINString(testEnv.pin),
		RetryInterval: 1, // the tests reconnect at once
	}
}

type testHost struct{}

func (testHost) Rand() io.Reader                      { return rand.Reader }
func (testHost) PersistentState() []byte              { return nil }
func (testHost) CommitPersistentState(int, int) error { return nil }

// openDriver returns an initialized driver on the test token, freed when
// the test ends. Only one driver is open at a time: they share the module.
func openDriver(t testing.TB, cfg Config) *Driver {
	t.Helper()
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Init(testHost{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := d.Free(); err != nil {
			t.Errorf("Free: %v", err)
		}
	})
	return d
}

var (
	volatileLT   = values.LifetimeFromPersistenceAndLocation(values.PersistenceVolatile, Location)
	persistentLT = values.LifetimeFromPersistenceAndLocation(values.PersistenceDefault, Location)
)

const allUsage = values.UsageSignHash | values.UsageSignMessage | values.UsageVerifyHash | values.UsageVerifyMessage |
	values.UsageEncrypt | values.UsageDecrypt | values.UsageDerive

// nextID gives the tests distinct key identifiers, as the core would.
var nextID atomic.Uint32

// create makes a key as the core does: allocate_key, then generate_key
// (data nil) or import_key. It returns the attributes (with the size
// filled in) and the key context.
func create(t testing.TB, d *Driver, a values.Attributes, data []byte) (values.Attributes, []byte) {
	t.Helper()
	if a.ID == 0 {
		a.ID = values.KeyID(0x7ff00000 + nextID.Add(1))
	}
	if a.Lifetime == 0 {
		a.Lifetime = volatileLT
	}
	a.Usage = a.Usage.WithImplied()
	alloc, err := d.AllocateKey(a, nil)
	if err != nil {
		t.Fatalf("AllocateKey(%v): %v", a.Type, err)
	}
	var key []byte
	if data == nil {
		key, err = d.GenerateKey(a, driver.ProductionParameters{}, alloc)
	} else {
		var bits int
		key, bits, err = d.ImportKey(a, data, alloc)
		a.Bits = bits
	}
	if err != nil {
		t.Fatalf("create %v: %v", a.Type, err)
	}
	if string(key) != string(alloc) {
		t.Fatalf("create %v: the key context %x is not the allocated one %x", a.Type, key, alloc)
	}
	return a, key
}
