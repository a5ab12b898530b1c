package pkcs11

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// TestPersistentAcrossReopen creates a token key, closes the driver
// (C_Finalize, module unloaded) and uses the key from a new driver with
// the same key context, as the core does after a restart.
func TestPersistentAcrossReopen(t *testing.T) {
	cfg := testConfig(t)
	d1, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := d1.Init(testHost{}); err != nil {
		t.Fatal(err)
	}
	alg := values.AlgECDSA(values.AlgSHA256)
	a, key := create(t, d1, values.Attributes{ID: 0x1234, Lifetime: persistentLT, Type: eccPair, Bits: 256,
		Usage: values.UsageSignHash | values.UsageVerifyHash, Alg: alg}, nil)
	if key[1]&ctxToken == 0 {
		t.Fatalf("the key context %x of a persistent key is not a token object's", key)
	}
	// A volatile key does not survive.
	va, vkey := create(t, d1, values.Attributes{Type: eccPair, Bits: 256, Usage: values.UsageSignHash, Alg: alg}, nil)
	pub1, err := d1.ExportPublicKey(a, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d1.Free(); err != nil {
		t.Fatal(err)
	}
	if _, err := d1.SignHash(a, key, alg, make([]byte, 32), nil); !errors.Is(err, values.ErrBadState) {
		t.Errorf("sign after Free: %v, want ErrBadState", err)
	}

	d2 := openDriver(t, cfg)
	pub2, err := d2.ExportPublicKey(a, key, nil)
	if err != nil || string(pub1) != string(pub2) {
		t.Fatalf("after reopening: public key %x, %v; want %x", pub2, err, pub1)
	}
	h := sha256.Sum256([]byte("after a restart"))
	sig, err := d2.SignHash(a, key, alg, h[:], nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d2.VerifyHash(a, key, alg, h[:], sig); err != nil {
		t.Error(err)
	}
	if _, err := d2.SignHash(va, vkey, alg, h[:], nil); !errors.Is(err, values.ErrDoesNotExist) {
		t.Errorf("a volatile key after reopening: %v, want ErrDoesNotExist", err)
	}
	if err := d2.DestroyKey(a, key); err != nil {
		t.Fatal(err)
	}
	if _, err := d2.SignHash(a, key, alg, h[:], nil); !errors.Is(err, values.ErrDoesNotExist) {
		t.Errorf("a destroyed persistent key: %v, want ErrDoesNotExist", err)
	}
	// Destroying again, as the core may after a crash, is not an error.
	if err := d2.DestroyKey(a, key); err != nil {
		t.Errorf("destroy twice: %v", err)
	}
}

// TestBuiltinKeys maps objects already on the token, by CKA_LABEL and by
// CKA_ID, to built-in key identifiers.
func TestBuiltinKeys(t *testing.T) {
	cfg := testConfig(t)
	d1, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := d1.Init(testHost{}); err != nil {
		t.Fatal(err)
	}
	// Objects "already on the token": created here by the driver, with
	// the label the driver gives token objects.
	a, key := create(t, d1, values.Attributes{ID: 0x4242, Lifetime: persistentLT, Type: eccPair, Bits: 384,
		Usage: values.UsageSignHash | values.UsageDerive, Alg: values.AlgECDSA(values.AlgAnyHash)}, nil)
	aes, aesKey := create(t, d1, values.Attributes{ID: 0x4243, Lifetime: persistentLT, Type: values.KeyTypeAES, Bits: 256,
		Usage: values.UsageEncrypt | values.UsageDecrypt}, nil)
	aesRef, _ := parseContext(&aes, aesKey)
	if err := d1.Free(); err != nil {
		t.Fatal(err)
	}

	cfg.BuiltinKeys = []BuiltinKey{
		{ID: 0x7fff0001, Label: "psa key 0x00004242"},
		{ID: 0x7fff0002, CKAID: aesRef.name, Alg: values.AlgGCM},
		{ID: 0x7fff0003, Label: "no such object"},
	}
	d := openDriver(t, cfg)
	defer d.DestroyKey(a, key)
	defer d.DestroyKey(aes, aesKey)
	d1 = d
	ro := values.LifetimeFromPersistenceAndLocation(values.PersistenceReadOnly, Location)

	got, ctx, err := d.GetBuiltinKey(0x7fff0001, ro, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := values.Attributes{Lifetime: ro, Type: eccPair, Bits: 384,
		Usage: values.UsageSignHash | values.UsageSignMessage | values.UsageVerifyHash | values.UsageVerifyMessage | values.UsageDerive,
		Alg:   values.AlgECDSA(values.AlgAnyHash), Alg2: values.AlgECDH}
	if got != want {
		t.Errorf("built-in key by label:\n got %+v\nwant %+v", got, want)
	}
	h := sha256.Sum256([]byte("built-in"))
	got.ID = 0x7fff0001
	sig, err := d.SignHash(got, ctx, values.AlgECDSA(values.AlgSHA256), h[:], nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d1.VerifyHash(a, key, values.AlgECDSA(values.AlgSHA256), h[:], sig); err != nil {
		t.Errorf("the built-in key's signature does not verify with the key it names: %v", err)
	}
	if err := d.DestroyKey(got, ctx); !errors.Is(err, values.ErrNotPermitted) {
		t.Errorf("destroy a built-in key: %v, want ErrNotPermitted", err)
	}

	got, ctx, err = d.GetBuiltinKey(0x7fff0002, ro, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Type != values.KeyTypeAES || got.Bits != 256 || got.Alg != values.AlgGCM ||
		got.Usage != values.UsageEncrypt|values.UsageDecrypt {
		t.Errorf("built-in key by CKA_ID: %+v", got)
	}
	ct, err := d.AEADEncrypt(got, ctx, values.AlgGCM, make([]byte, 12), nil, []byte("pt"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := d1.AEADDecrypt(aes, aesKey, values.AlgGCM, make([]byte, 12), nil, ct, nil); err != nil || string(pt) != "pt" {
		t.Errorf("the built-in AES key is not the object it names: %q, %v", pt, err)
	}

	for slot, what := range map[driver.SlotNumber]string{0x7fff0003: "missing object", 0x7fff0009: "unconfigured slot"} {
		if _, _, err := d.GetBuiltinKey(slot, ro, nil); !errors.Is(err, values.ErrDoesNotExist) {
			t.Errorf("%s: %v, want ErrDoesNotExist", what, err)
		}
	}
	if ids := d.BuiltinKeyIDs(); len(ids) != 3 || ids[0] != 0x7fff0001 {
		t.Errorf("BuiltinKeyIDs() = %v", ids)
	}
}

// TestLoginFailure checks that a wrong PIN fails Init with
// PSA_ERROR_NOT_PERMITTED naming CKR_PIN_INCORRECT, and that a missing
// token is a communication failure.
func TestLoginFailure(t *testing.T) {
	cfg := testConfig(t)
	cfg.PIN = PINString("0000")
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	err = d.Init(testHost{})
	if !errors.Is(err, values.ErrNotPermitted) || !strings.Contains(err.Error(), "CKR_PIN_INCORRECT") {
		t.Errorf("a wrong PIN: %v, want ErrNotPermitted naming CKR_PIN_INCORRECT", err)
	}
	if strings.Contains(err.Error(), "0000") {
		t.Errorf("the error shows the PIN: %v", err)
	}
	cfg = testConfig(t)
	cfg.PIN = PINFromEnv("GOPSA_TEST_NO_SUCH_VARIABLE")
	d, _ = New(cfg)
	if err := d.Init(testHost{}); !errors.Is(err, values.ErrNotPermitted) || !strings.Contains(err.Error(), "GOPSA_TEST_NO_SUCH_VARIABLE") {
		t.Errorf("an unset PIN variable: %v, want ErrNotPermitted naming the variable", err)
	}
	cfg = testConfig(t)
	cfg.TokenLabel = "no such token"
	d, _ = New(cfg)
	if err := d.Init(testHost{}); !errors.Is(err, values.ErrCommunicationFailure) || !strings.Contains(err.Error(), testEnv.label) {
		t.Errorf("a missing token: %v, want ErrCommunicationFailure listing the tokens present", err)
	}
	cfg.Module = "/nonexistent/libpkcs11.so"
	d, _ = New(cfg)
	if err := d.Init(testHost{}); !errors.Is(err, values.ErrCommunicationFailure) {
		t.Errorf("a missing module: %v, want ErrCommunicationFailure", err)
	}
	// The driver still works after all that.
	d = openDriver(t, testConfig(t))
	create(t, d, values.Attributes{Type: values.KeyTypeAES, Bits: 128, Usage: values.UsageEncrypt}, nil)
}

// simulateRemoval finalizes the module under the driver, as if the token
// had been pulled out: every session and handle becomes invalid.
func simulateRemoval(d *Driver) {
	d.callMu.Lock()
	d.mod.Finalize()
	d.callMu.Unlock()
}

// TestTokenRemoval takes the token away in the middle of a run and brings
// it back: calls fail with PSA_ERROR_COMMUNICATION_FAILURE naming the
// CKR_ code while it is away, and work again when it is back.
func TestTokenRemoval(t *testing.T) {
	cfg := testConfig(t)
	if testEnv.tokenDir == "" {
		t.Skip("GOPSA_PKCS11_TOKEN_DIR is not set: the token cannot be moved away")
	}
	d := openDriver(t, cfg)
	alg := values.AlgECDSA(values.AlgSHA256)
	a, key := create(t, d, values.Attributes{ID: 0x5151, Lifetime: persistentLT, Type: eccPair, Bits: 256,
		Usage: values.UsageSignHash | values.UsageVerifyHash, Alg: alg}, nil)
	defer d.DestroyKey(a, key)
	h := sha256.Sum256([]byte("removal"))
	sign := func() error {
		_, err := d.SignHash(a, key, alg, h[:], nil)
		return err
	}
	if err := sign(); err != nil {
		t.Fatal(err)
	}

	// A reset of the module alone is recovered from within the call.
	simulateRemoval(d)
	if err := sign(); err != nil {
		t.Fatalf("sign after a module reset: %v, want a transparent reconnection", err)
	}

	// The token goes away.
	away := testEnv.tokenDir + ".away"
	if err := os.Rename(testEnv.tokenDir, away); err != nil {
		t.Fatal(err)
	}
	back := func() {
		if _, err := os.Stat(away); err == nil {
			if err := os.Rename(away, testEnv.tokenDir); err != nil {
				t.Fatal(err)
			}
		}
	}
	defer back()
	simulateRemoval(d)
	for i := range 3 {
		err := sign()
		if !errors.Is(err, values.ErrCommunicationFailure) || !strings.Contains(err.Error(), "CKR_") {
			t.Fatalf("sign %d with the token away: %v, want ErrCommunicationFailure naming the CKR_ code", i, err)
		}
		if i == 0 {
			t.Logf("with the token away: %v", err)
		}
	}

	// It comes back.
	back()
	if err := sign(); err != nil {
		t.Fatalf("sign with the token back: %v", err)
	}
	if err := d.VerifyHash(a, key, alg, h[:], mustSign(t, d, a, key, alg, h[:])); err != nil {
		t.Error(err)
	}
}

func mustSign(t *testing.T, d *Driver, a values.Attributes, key []byte, alg values.Algorithm, h []byte) []byte {
	t.Helper()
	sig, err := d.SignHash(a, key, alg, h, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

func TestKeyContextErrors(t *testing.T) {
	a := values.Attributes{ID: 7, Type: eccPair, Bits: 256}
	good := appendContext(nil, keyRef{token: true, ckk: 3, name: []byte("0123456789abcdef")})
	r, err := parseContext(&a, good)
	if err != nil || !r.token || r.byLabel || string(r.name) != "0123456789abcdef" {
		t.Fatalf("parseContext(%x) = %+v, %v", good, r, err)
	}
	for name, ctx := range map[string][]byte{
		"empty":         nil,
		"version 2":     append([]byte{2}, good[1:]...),
		"unknown flag":  append([]byte{1, 0x80}, good[2:]...),
		"short name":    good[:len(good)-1],
		"trailing byte": append(append([]byte(nil), good...), 0),
		"empty name":    appendContext(nil, keyRef{ckk: 3}),
	} {
		if _, err := parseContext(&a, ctx); !errors.Is(err, values.ErrDataInvalid) {
			t.Errorf("%s: %v, want ErrDataInvalid", name, err)
		}
	}
	a.Type = values.KeyTypeAES
	if _, err := parseContext(&a, good); !errors.Is(err, values.ErrDataInvalid) {
		t.Errorf("an EC context for an AES key: %v, want ErrDataInvalid", err)
	}
}

func TestParseConfig(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(dir+"/pin", []byte("4321\n"), 0o600)
	cfg, err := ParseConfig([]byte(`{
		"module": "/usr/lib/softhsm/libsofthsm2.so",
		"token_label": "gopsa",
		"pin_file": "pin",
		"max_sessions": 4,
		"retry_interval": "2s",
		"builtin_keys": [
			{"id": "0x7fff0001", "label": "tls", "usage": "PSA_KEY_USAGE_SIGN_HASH", "algorithm": "PSA_ALG_ECDSA(PSA_ALG_SHA_256)"},
			{"id": "0x7fff0002", "cka_id": "0a:0b"}
		]
	}`), dir)
	if err != nil {
		t.Fatal(err)
	}
	pin, err := cfg.PIN()
	if err != nil || string(pin) != "4321" {
		t.Errorf("PIN from file = %q, %v; want 4321", pin, err)
	}
	if cfg.MaxSessions != 4 || cfg.RetryInterval.String() != "2s" || cfg.TokenLabel != "gopsa" || len(cfg.BuiltinKeys) != 2 ||
		cfg.BuiltinKeys[0].Alg != values.AlgECDSA(values.AlgSHA256) || cfg.BuiltinKeys[0].Usage != values.UsageSignHash ||
		string(cfg.BuiltinKeys[1].CKAID) != "\x0a\x0b" {
		t.Errorf("parsed %+v", cfg)
	}
	for _, tc := range []struct{ json, want string }{
		{`{"module": "m", "pin": "1234"}`, "a PIN is not accepted"},
		{`{"module": "m", "pin_env": "A", "pin_file": "b"}`, "choose one"},
		{`{"module": "m", "modul": "x"}`, "unknown field"},
		{`{"token_label": "x"}`, "no module"},
		{`{"module": "m", "retry_interval": "soon"}`, "retry_interval"},
		{`{"module": "m", "builtin_keys": [{"id": "0x10", "label": "x"}]}`, "outside the built-in range"},
		{`{"module": "m", "builtin_keys": [{"id": "0x7fff0001"}]}`, "exactly one of a label and a CKA_ID"},
		{`{"module": "m", "builtin_keys": [{"id": "0x7fff0001", "cka_id": "zz"}]}`, "hexadecimal"},
		{`{"module": "m", "builtin_keys": [{"id": "0x7fff0001", "label": "x", "algorithm": "PSA_ALG_NOPE"}]}`, "PSA_ALG_NOPE"},
		{`{"module": "m", "builtin_keys": [{"id": "0x7fff0001", "label": "a"}, {"id": "0x7fff0001", "label": "b"}]}`, "listed twice"},
		{`[1]`, "config"},
	} {
		_, err := ParseConfig([]byte(tc.json), dir)
		if !errors.Is(err, values.ErrInvalidArgument) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseConfig(%s): %v, want ErrInvalidArgument mentioning %q", tc.json, err, tc.want)
		}
	}
	if _, err := LoadConfig(dir + "/missing.json"); !errors.Is(err, values.ErrDoesNotExist) {
		t.Errorf("LoadConfig of a missing file: %v", err)
	}
	path := dir + "/pkcs11.json"
	os.WriteFile(path, []byte(`{"module": "lib.so", "pin_env": "X"}`), 0o600)
	d, err := Open(path)
	if err != nil || d.cfg.Module != dir+"/lib.so" {
		t.Errorf("Open: module %q, %v; want the path relative to the file", d.cfg.Module, err)
	}
	if s := fmt.Sprintf("%+v", d.cfg); strings.Contains(s, "1234") {
		t.Errorf("the configuration prints a PIN: %s", s)
	}
}
