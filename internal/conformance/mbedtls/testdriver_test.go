package mbedtls

import (
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/values"
)

// TestOpaqueTestDriverCases runs the cases of test_suite_psa_crypto that
// put keys in TEST_DRIVER_LOCATION (PSA_CRYPTO_DRIVER_TEST), which run on
// instances of gopsa's test build: none may fail or be left as a C-only
// test driver case, and each ported function passes some of them.
func TestOpaqueTestDriverCases(t *testing.T) {
	dir := suitesDir(t)
	reg, err := NewRegistry(Options{KeyStore: "memory"})
	if err != nil {
		t.Fatal(err)
	}
	r := &suite.Runner{Registry: reg, Config: NewConfig(), Filter: regexp.MustCompile(`(?i)opaque|across locations`)}
	results, err := r.Run([]string{filepath.Join(dir, "test_suite_psa_crypto.data")})
	if err != nil {
		t.Fatal(err)
	}
	passed := map[string]int{}
	for _, res := range results {
		switch {
		case res.Outcome == suite.Fail:
			t.Errorf("%s: %s: %s", res.Pos(), res.Func, res.Message)
		case res.Outcome == suite.Skip && strings.Contains(res.Message, "PSA_CRYPTO_DRIVER_TEST"):
			t.Errorf("%s: %s: still skipped for the C test drivers: %s", res.Pos(), res.Func, res.Message)
		case res.Outcome == suite.Pass:
			passed[res.Func]++
		}
	}
	for _, f := range []string{"import_export", "import_export_public_key", "copy_success"} {
		if passed[f] == 0 {
			t.Errorf("no case of %s with an opaque key passed", f)
		}
	}
	t.Logf("%d cases, passed per function: %v", len(results), passed)
}

// TestDefaultBuildHasNoTestDriver checks that the opaque cases need the
// test build: gopsa's default instance has no driver at
// TEST_DRIVER_LOCATION, so it would not have run them.
func TestDefaultBuildHasNoTestDriver(t *testing.T) {
	c, err := psa.New()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	lt := values.LifetimeFromPersistenceAndLocation(values.PersistenceVolatile, testDriverLocation)
	_, err = c.ImportKey(psa.Attributes{Lifetime: lt, Type: values.KeyTypeRawData, Usage: values.UsageExport}, []byte{0x2a})
	if err == nil || !(errors.Is(err, values.ErrInvalidArgument) || errors.Is(err, values.ErrNotSupported)) {
		t.Errorf("default instance: import at 0x%06x: %v, want PSA_ERROR_INVALID_ARGUMENT or NOT_SUPPORTED", uint32(testDriverLocation), err)
	}
}
