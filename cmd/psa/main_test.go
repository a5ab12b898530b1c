package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestDemo(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"demo", "--store", t.TempDir()}, &out, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	for _, want := range []string{"driver:    builtin", "generated persistent key", "64-byte signature", "encrypted and decrypted", "same public key", "verifies the signature", "destroyed key"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestKeyCommands(t *testing.T) {
	store := t.TempDir()
	psa := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(append(args, "--store", store), &out, &out); err != nil {
			t.Fatalf("psa %v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	psa("key", "import", "--id", "5", "--type", "PSA_KEY_TYPE_AES", "--hex", "000102030405060708090a0b0c0d0e0f",
		"--usage", "PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_ENCRYPT", "--alg", "PSA_ALG_CTR")
	if got := psa("key", "export", "--id", "5"); got != "000102030405060708090a0b0c0d0e0f\n" {
		t.Errorf("export = %q", got)
	}
	if got := psa("key", "list"); !strings.Contains(got, "0x00000005  PSA_KEY_TYPE_AES  128 bits") {
		t.Errorf("list = %q", got)
	}
	psa("key", "generate", "--id", "6", "--type", "PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1)", "--bits", "256",
		"--usage", "PSA_KEY_USAGE_SIGN_HASH")
	if got := psa("key", "export", "--id", "6", "--public"); len(strings.TrimSpace(got)) != 130 {
		t.Errorf("public key = %q", got)
	}
	psa("key", "destroy", "--id", "5")
	if got := psa("key", "list"); strings.Contains(got, "0x00000005") {
		t.Errorf("destroyed key still listed: %q", got)
	}
	var out bytes.Buffer
	if err := run([]string{"key", "info", "--id", "5", "--store", store}, &out, &out); err == nil {
		t.Error("info on a destroyed key succeeded")
	}
	if err := run([]string{"key", "import", "--type", "PSA_KEY_TYPE_NOPE", "--hex", "00", "--id", "1", "--store", store}, &out, &out); err == nil {
		t.Error("unknown key type accepted")
	}
}

func TestDrivers(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"drivers"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "builtin (transparent)") || !strings.Contains(out.String(), "import_key") {
		t.Errorf("drivers output:\n%s", out.String())
	}
}

func TestDriversCheck(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"drivers", "check", "../../drivers/builtin/driver.json"}, &out, &out); err != nil {
		t.Fatalf("builtin description: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "buildable into a Go dispatch") {
		t.Errorf("output: %s", out.String())
	}
	bad := t.TempDir() + "/bad.json"
	if err := os.WriteFile(bad, []byte(`{"prefix":"x","type":"transparent","capabilities":[{"entry_points":["sign_hsh"]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	err := run([]string{"drivers", "check", bad}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), `unknown entry point "sign_hsh"; did you mean "sign_hash"?`) {
		t.Errorf("bad description: %v", err)
	}
}

// TestKeyCommandsPKCS11 runs the key commands with a SoftHSM2 token (set up
// by scripts/softhsm.sh, which exports GOPSA_PKCS11_MODULE and friends).
func TestKeyCommandsPKCS11(t *testing.T) {
	module, label := os.Getenv("GOPSA_PKCS11_MODULE"), os.Getenv("GOPSA_PKCS11_TOKEN_LABEL")
	if module == "" || label == "" || os.Getenv("GOPSA_PKCS11_PIN") == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no SoftHSM2 token in CI: scripts/test.sh must run scripts/softhsm.sh first")
		}
		t.Skip(`no SoftHSM2 token: run eval "$(scripts/softhsm.sh)" first`)
	}
	dir := t.TempDir()
	cfg := dir + "/token.json"
	if err := os.WriteFile(cfg, []byte(`{"module": "`+module+`", "token_label": "`+label+`", "pin_env": "GOPSA_PKCS11_PIN"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	store := dir + "/keys"
	psa := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(append(args, "--store", store, "--pkcs11", cfg), &out, &out); err != nil {
			t.Fatalf("psa %v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	inToken := "PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION(PSA_KEY_PERSISTENCE_DEFAULT, 0x800011)"
	got := psa("key", "generate", "--id", "9", "--type", "PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1)", "--bits", "256",
		"--lifetime", inToken, "--usage", "PSA_KEY_USAGE_SIGN_HASH", "--alg", "PSA_ALG_ECDSA(PSA_ALG_ANY_HASH)")
	if !strings.Contains(got, "0x800011") {
		t.Errorf("generate output does not show the token's location: %s", got)
	}
	if pub := strings.TrimSpace(psa("key", "export", "--id", "9", "--public")); len(pub) != 130 || !strings.HasPrefix(pub, "04") {
		t.Errorf("public key of the token key = %q", pub)
	}
	var out bytes.Buffer
	if err := run([]string{"key", "export", "--id", "9", "--store", store, "--pkcs11", cfg}, &out, &out); err == nil {
		t.Error("the token's private key was exported")
	}
	psa("key", "destroy", "--id", "9")
	out.Reset()
	if err := run([]string{"drivers", "--pkcs11", cfg}, &out, &out); err != nil || !strings.Contains(out.String(), "opaque, location 0x800011") {
		t.Errorf("drivers with --pkcs11: %v\n%s", err, out.String())
	}
}
