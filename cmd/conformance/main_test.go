package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const metadataCases = `
Hash: SHA-256
depends_on:PSA_WANT_ALG_SHA_256
hash_algorithm:PSA_ALG_SHA_256:32

Hash: SHA-256 with a wrong length
hash_algorithm:PSA_ALG_SHA_256:31

Hash: MD5 refused
depends_on:!PSA_WANT_ALG_MD5
hash_algorithm:PSA_ALG_MD5:16
`

func TestRun(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "test_suite_psa_crypto_metadata.data"), []byte(metadataCases), 0o644); err != nil {
		t.Fatal(err)
	}
	jsonFile, mdFile := filepath.Join(dir, "out.json"), filepath.Join(dir, "out.md")
	var stdout, stderr bytes.Buffer
	code := run([]string{"-suites", dir, "-v", "-json", jsonFile, "-markdown", mdFile}, &stdout, &stderr)
	if code != 1 {
		t.Errorf("exit status %d with a failed case, want 1; stderr: %s", code, stderr.String())
	}
	out := stdout.String()
	if !strings.HasSuffix(out, "1 passed, 1 failed, 1 skipped\n") || !strings.Contains(out, "FAIL test_suite_psa_crypto_metadata.data:6") {
		t.Errorf("output:\n%s", out)
	}
	var results []map[string]any
	data, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &results); err != nil || len(results) != 3 {
		t.Fatalf("JSON report: %v, %d results", err, len(results))
	}
	if results[2]["skip_kind"] != "dependency not met" {
		t.Errorf("skip of !PSA_WANT_ALG_MD5: %v", results[2])
	}
	md, err := os.ReadFile(mdFile)
	if err != nil || !strings.Contains(string(md), "## Skip reasons") {
		t.Errorf("Markdown report: %v\n%s", err, md)
	}

	stdout.Reset()
	if code := run([]string{"-suites", dir, "-run", "^Hash: SHA-256$"}, &stdout, &stderr); code != 0 {
		t.Errorf("exit status %d for a passing selection, want 0:\n%s", code, stdout.String())
	}
	if code := run([]string{"-keystore", "cloud", "-suites", dir}, &stdout, &stderr); code != 2 {
		t.Errorf("exit status %d for a bad -keystore, want 2", code)
	}
	if code := run([]string{"-suites", filepath.Join(dir, "missing")}, &stdout, &stderr); code != 2 {
		t.Errorf("exit status %d for a missing directory, want 2", code)
	}
}
