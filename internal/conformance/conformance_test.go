package conformance

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopsa/psa/internal/conformance/mbedtls"
	"github.com/gopsa/psa/internal/conformance/suite"
)

// TestSuites runs every case of TF-PSA-Crypto's PSA test suites and fails
// on any failed case, with one subtest per file and test function. The
// suites are found through $GOPSA_TESTSUITES or at
// ../../../shared/testsuites/mbedtls; without them the test is skipped,
// unless $CI is set.
//
// The instances keep their keys in memory stores, for speed: the key file
// bytes are the same as in a directory store, whose backend has its own
// tests. go run ./cmd/conformance uses directories.
func TestSuites(t *testing.T) {
	dir := os.Getenv("GOPSA_TESTSUITES")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "testsuites", "mbedtls")
	}
	files, err := suite.DataFiles(dir)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("test suites not found (set $GOPSA_TESTSUITES): %v", err)
		}
		t.Skipf("test suites not found (set $GOPSA_TESTSUITES): %v", err)
	}
	reg, err := mbedtls.NewRegistry(mbedtls.Options{KeyStore: "memory"})
	if err != nil {
		t.Fatal(err)
	}
	r := &suite.Runner{Registry: reg, Config: mbedtls.NewConfig()}
	start := time.Now()
	results, err := r.Run(files)
	if err != nil {
		t.Fatal(err)
	}
	sum := suite.Summarize(results)
	t.Logf("%s (%d cases in %.1f s)", sum.TotalLine(), len(results), time.Since(start).Seconds())

	byFile := map[string]map[string][]suite.Result{}
	var order [][2]string
	for _, res := range results {
		if byFile[res.File] == nil {
			byFile[res.File] = map[string][]suite.Result{}
		}
		if byFile[res.File][res.Func] == nil {
			order = append(order, [2]string{res.File, res.Func})
		}
		byFile[res.File][res.Func] = append(byFile[res.File][res.Func], res)
	}
	for _, key := range order {
		file, fn := key[0], key[1]
		t.Run(file+"/"+fn, func(t *testing.T) {
			skipped := 0
			for _, res := range byFile[file][fn] {
				switch res.Outcome {
				case suite.Fail:
					t.Errorf("%s: %s: %s", res.Pos(), res.Name, res.Message)
				case suite.Skip:
					skipped++
				}
			}
			if skipped > 0 && testing.Verbose() {
				t.Logf("%d cases skipped", skipped)
			}
		})
	}
}
