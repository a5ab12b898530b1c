package manifest

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gopsa/psa/values"
)

func parseFile(t *testing.T, path string) (*Driver, error) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return Parse(data, filepath.Base(path))
}

func mustParseFile(t *testing.T, path string) *Driver {
	t.Helper()
	d, err := parseFile(t, path)
	if err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	return d
}

// TestReferenceDescriptions parses the descriptions that the C reference
// implementation ships, and checks what they say.
func TestReferenceDescriptions(t *testing.T) {
	drivers, err := LoadList("testdata/reference/driverlist.json")
	if err != nil {
		t.Fatalf("LoadList: %v", err)
	}
	if len(drivers) != 3 {
		t.Fatalf("LoadList: got %d drivers, want 3", len(drivers))
	}
	opaque, transparent, p256 := drivers[0], drivers[1], drivers[2]

	if opaque.Type != Opaque || opaque.Prefix != "mbedtls_test" || opaque.Location != 0x7fffff {
		t.Errorf("opaque test driver: type %v prefix %q location %v, want opaque mbedtls_test 0x7fffff",
			opaque.Type, opaque.Prefix, opaque.Location)
	}
	if got := opaque.Capabilities[1].Method("copy_key"); got != "mbedtls_test_opaque_copy_key" {
		t.Errorf("opaque copy_key method = %q, want the \"names\" entry", got)
	}
	if got := opaque.Capabilities[0].Method("export_key"); got != "ExportKey" {
		t.Errorf("opaque export_key method = %q, want the default ExportKey", got)
	}
	if got := string(opaque.Extensions["mbedtls/h_condition"]); got != `"defined(PSA_CRYPTO_DRIVER_TEST)"` {
		t.Errorf("mbedtls/h_condition kept as %s", got)
	}
	if got := string(opaque.Capabilities[0].Extensions["mbedtls/c_condition"]); got != `"defined(PSA_CRYPTO_DRIVER_TEST)"` {
		t.Errorf("capability mbedtls/c_condition kept as %s", got)
	}
	if !slices.Equal(opaque.Headers, []string{"test/drivers/test_driver.h"}) {
		t.Errorf("headers = %q", opaque.Headers)
	}
	if err := opaque.CheckGo(); err == nil {
		t.Error("CheckGo accepted a description without gopsa properties")
	}

	if transparent.Type != Transparent || !transparent.Capabilities[0].Fallback || !transparent.Capabilities[1].Fallback {
		t.Errorf("transparent test driver: type %v, fallback %v %v", transparent.Type,
			transparent.Capabilities[0].Fallback, transparent.Capabilities[1].Fallback)
	}

	c := p256.Capabilities[0]
	wantAlgs := []values.Algorithm{values.AlgECDH, values.AlgECDSA(values.AlgAnyHash)}
	var gotAlgs []values.Algorithm
	for _, a := range c.Algorithms {
		gotAlgs = append(gotAlgs, a.Alg)
	}
	if !slices.Equal(gotAlgs, wantAlgs) {
		t.Errorf("p256 algorithms = %v, want %v", gotAlgs, wantAlgs)
	}
	if !slices.Equal(c.KeySizes, []int{256}) || c.Fallback {
		t.Errorf("p256 key sizes %v fallback %v, want [256] false", c.KeySizes, c.Fallback)
	}
	pair := values.KeyTypeECCKeyPair(values.ECCFamilySECPR1)
	if len(c.KeyTypes) != 2 || !c.KeyTypes[0].Matches(pair) || !c.KeyTypes[1].Matches(pair.PublicKeyOfKeyPair()) {
		t.Errorf("p256 key types %v do not match the secp_r1 key pair and public key", c.KeyTypes)
	}
	if !slices.Equal(c.CoveredEntryPoints(), []string{"import_key", "export_public_key"}) {
		t.Errorf("p256 entry points = %q", c.CoveredEntryPoints())
	}
}

func TestValidDescriptions(t *testing.T) {
	accel := mustParseFile(t, "testdata/valid/acme_accel.json")
	if accel.Package != "example.com/acme/accel" || accel.GoType != "Accelerator" {
		t.Errorf("gopsa properties: %q %q", accel.Package, accel.GoType)
	}
	if err := accel.CheckGo(); err != nil {
		t.Errorf("CheckGo: %v", err)
	}
	hash := accel.Capabilities[1]
	wantHash := []string{"hash_compute", "hash_setup", "hash_update", "hash_finish", "hash_clone", "hash_abort", "hash_suspend", "hash_resume"}
	if got := hash.CoveredEntryPoints(); !slices.Equal(got, wantHash) {
		t.Errorf("hash capability covers %q, want %q", got, wantHash)
	}
	// The transparent expansion of "key_derivation" leaves out the
	// opaque-only members.
	kdf := accel.Capabilities[6].CoveredEntryPoints()
	if slices.Contains(kdf, "key_derivation_output_key") || !slices.Contains(kdf, "key_derivation_output_bytes") {
		t.Errorf("transparent key_derivation covers %q", kdf)
	}
	derive := accel.Capabilities[7]
	if !derive.Memory || !slices.Equal(derive.DerivedSizes, []int{256}) || len(derive.DerivedTypes) != 1 {
		t.Errorf("derive_key capability: memory %v sizes %v types %v", derive.Memory, derive.DerivedSizes, derive.DerivedTypes)
	}
	random := accel.Capabilities[8]
	if random.InitialEntropySize != 32 || random.ReseedEntropySize != 16 {
		t.Errorf("random sizes %d %d, want 32 16", random.InitialEntropySize, random.ReseedEntropySize)
	}
	if got := string(accel.Capabilities[9].Extensions["example/flag"]); got != `{"kept":[1,"two"]}` {
		t.Errorf("extension kept as %s", got)
	}
	if got := accel.Capabilities[5].Method("key_agreement"); got != "X25519" {
		t.Errorf("names with a _comment: key_agreement method %q, want X25519", got)
	}

	se := mustParseFile(t, "testdata/valid/acme_se.json")
	if se.Type != Opaque || se.Location != 0x800001 || se.PersistentStateSize != (Size{N: 64}) {
		t.Errorf("opaque driver: %v location %v state %v", se.Type, se.Location, se.PersistentStateSize)
	}
	kc := se.KeyContext
	if kc == nil || kc.BaseSize.N != 8 || !kc.StorePublicKey || kc.SizeFunction != "KeyContextSize" ||
		!kc.HasBuiltinKeySize || kc.BuiltinKeySize.Const != "BuiltinContextSize" {
		t.Errorf("key context %+v", kc)
	}
	if got := string(kc.Extensions["example/hint"]); got != "1" {
		t.Errorf("key_context extension kept as %q", got)
	}
	enc := se.Capabilities[2]
	if !enc.Covers("cipher_generate_iv") || !enc.Covers("cipher_set_iv") {
		t.Errorf("opaque cipher_encrypt_multipart covers %q, want the gopsa generate_iv extension", enc.CoveredEntryPoints())
	}
	if !se.Capabilities[5].Covers("key_derivation_output_key") {
		t.Errorf("opaque key_derivation covers %q, want key_derivation_output_key", se.Capabilities[5].CoveredEntryPoints())
	}

	mustParseFile(t, "testdata/valid/c_only.json")
}

// TestInvalidDescriptions has one description per rule. Each error must
// name the file, the JSON path and the offending value.
func TestInvalidDescriptions(t *testing.T) {
	tests := []struct {
		file string
		want []string // substrings of the error, besides the file name
	}{
		// JSON syntax and strictness.
		{"syntax", []string{"4:5", "invalid JSON"}},
		{"truncated", []string{"unexpected end of JSON input"}},
		{"trailing_data", []string{"2:2", "unexpected data after the JSON value"}},
		{"duplicate_property", []string{"4:13", "top level", `duplicate property "prefix"`}},
		{"duplicate_capability_property", []string{"capabilities[1]", `duplicate property "fallback"`}},
		{"duplicate_name", []string{"capabilities[0].names", `duplicate property "sign_hash"`}},
		{"not_object", []string{"must be a JSON object, got array"}},
		{"unknown_property", []string{`capabilites: unknown property "capabilites"`, `did you mean "capabilities"?`}},
		{"unknown_capability_property", []string{`capabilities[0].algorithm: unknown property "algorithm"`, `did you mean "algorithms"?`}},
		{"unknown_key_context_property", []string{`key_context.base_sise: unknown property "base_sise"`, `"base_size"`}},
		{"comment_not_string", []string{"capabilities[0]._comment", "must be a string, got array"}},

		// gopsa properties.
		{"unknown_gopsa_property", []string{`["gopsa/pakage"]`, `unknown gopsa property "gopsa/pakage"`, `did you mean "gopsa/package"?`}},
		{"gopsa_in_capability", []string{`capabilities[0]["gopsa/method"]`, `unknown gopsa property "gopsa/method"`}},
		{"gopsa_package_only", []string{`"gopsa/package" is given but "gopsa/type" is missing`}},
		{"gopsa_type_unexported", []string{`["gopsa/type"]`, `"driver" is not an exported Go identifier`}},
		{"gopsa_package_invalid", []string{`["gopsa/package"]`, `"example.com//acme" is not a Go import path`}},

		// Top-level properties.
		{"missing_prefix", []string{`missing mandatory property "prefix"`}},
		{"bad_prefix", []string{`prefix: "9acme" is not a valid prefix`, "C identifier"}},
		{"prefix_number", []string{"prefix: want a string, got number"}},
		{"missing_type", []string{`missing mandatory property "type"`}},
		{"bad_type", []string{`type: unknown driver type "translucent"`, `"transparent" or "opaque"`}},
		{"missing_capabilities", []string{`missing mandatory property "capabilities"`}},
		{"empty_capabilities", []string{"capabilities: a driver must declare at least one capability"}},
		{"capabilities_object", []string{"capabilities: want an array of capabilities, got object"}},
		{"headers_not_strings", []string{"headers[1]: want a string, got number"}},
		{"key_context_transparent", []string{`key_context: "key_context" is not permitted for transparent drivers`}},
		{"persistent_state_transparent", []string{`persistent_state_size: "persistent_state_size" is not permitted for transparent drivers`}},
		{"location_transparent", []string{"location: a transparent driver", "got location 0x1"}},
		{"location_opaque_missing", []string{`missing property "location"`}},
		{"location_opaque_zero", []string{"location: location 0 is PSA_KEY_LOCATION_LOCAL_STORAGE"}},
		{"location_too_big", []string{"location: location 0x1000000 does not fit in 24 bits"}},
		{"location_expression", []string{`location: "PSA_KEY_LOCATION_VENDOR_FLAG | 1" is not a valid location`}},
		{"location_bool", []string{"location: want an integer or a string, got boolean"}},
		{"unknown_key_context_property", []string{"key_context.base_sise"}},
		{"size_function_expression", []string{`key_context.size_function: "acme_size(x)" is not an identifier`}},
		{"size_function_unexported", []string{`key_context.size_function: "keySize" is not exported`}},
		{"size_c_expression", []string{`key_context.base_size: "sizeof(acme_key_context_t)" is not a size gopsa can evaluate`}},
		{"size_negative", []string{"persistent_state_size: -1 is not a valid size"}},
		{"store_public_key_not_bool", []string{"key_context.store_public_key: want true or false, got number"}},

		// Capabilities.
		{"capability_not_object", []string{"capabilities[0]: a capability must be an object, got array"}},
		{"missing_entry_points", []string{`capabilities[1]: missing mandatory property "entry_points"`}},
		{"empty_entry_points", []string{"capabilities[0].entry_points: an empty list matches nothing"}},
		{"duplicate_entry_point", []string{`capabilities[0].entry_points: "sign_hash" is listed twice`}},
		{"unknown_entry_point", []string{`capabilities[2].entry_points[0]: unknown entry point "sign_hsh"`, `did you mean "sign_hash"?`, "want one of", "hash_multipart"}},
		{"unknown_family", []string{`capabilities[0].entry_points[0]: unknown entry point "hash_multi_part"`, `did you mean "hash_multipart"?`}},
		{"ep_not_transparent", []string{`capabilities[0].entry_points[0]: entry point "export_key" is not permitted for transparent drivers`}},
		{"ep_not_opaque", []string{`capabilities[0].entry_points[0]: entry point "hash_compute" is not permitted for opaque drivers`}},
		{"family_not_opaque", []string{`capabilities[0].entry_points[0]: entry point family "hash_multipart" is not permitted for opaque drivers`}},
		{"fallback_opaque", []string{`capabilities[0].fallback: "fallback" is not permitted for opaque drivers`}},
		{"fallback_not_bool", []string{"capabilities[0].fallback: want true or false, got string"}},
		{"bad_algorithm", []string{`capabilities[0].algorithms[1]: parse algorithm "PSA_ALG_SHA_257"`, "unknown"}},
		{"algorithm_none", []string{`capabilities[0].algorithms[0]: parse algorithm "PSA_ALG_NONE": PSA_ALG_NONE matches no mechanism`}},
		{"algorithms_not_strings", []string{"capabilities[0].algorithms: want an array of strings, got string"}},
		{"empty_algorithms", []string{"capabilities[0].algorithms: an empty list matches nothing"}},
		{"duplicate_algorithm", []string{`capabilities[0].algorithms: "PSA_ALG_ECDSA(PSA_ALG_SHA_256)" is listed twice`}},
		{"bad_key_type", []string{`capabilities[0].key_types[0]: parse key type "PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R3)"`, "PSA_ECC_FAMILY_SECP_R3"}},
		{"key_type_none", []string{`capabilities[0].key_types[1]: parse key type "PSA_KEY_TYPE_NONE": PSA_KEY_TYPE_NONE matches no key`}},
		{"wildcard_family_type", []string{`capabilities[0].key_types[0]: parse key type "PSA_KEY_TYPE_AES(_)"`}},
		{"key_size_zero", []string{"capabilities[0].key_sizes[1]: 0 is not a valid key size", "positive integer"}},
		{"key_size_negative", []string{"capabilities[0].key_sizes[0]: -256 is not a valid key size"}},
		{"key_size_fraction", []string{"capabilities[0].key_sizes[0]: 255.5 is not a valid key size"}},
		{"key_size_string", []string{"capabilities[0].key_sizes[0]: string is not a valid key size"}},
		{"key_size_too_big", []string{"capabilities[0].key_sizes[0]: 65536 is not a valid key size", "at most 65535"}},
		{"key_size_duplicate", []string{"capabilities[0].key_sizes[2]: key size 256 is listed twice"}},
		{"names_not_covered", []string{`capabilities[0].names.sign_hash: "sign_hash" is not an entry point of this capability`, `"verify_hash"`}},
		{"names_not_identifier", []string{`capabilities[0].names.sign_hash: "acme-sign" is not an identifier`}},
		{"names_not_exported", []string{`capabilities[0].names.sign_hash: "signHash" is not an exported Go identifier`, `"SignHash"`}},
		{"names_not_object", []string{"capabilities[0].names: want an object"}},
		{"derive_key_mixed", []string{`capabilities[0].entry_points: a "derive_key" capability must have "entry_points": ["derive_key"]`}},
		{"derive_key_no_types", []string{`capabilities[0]: a "derive_key" capability must have "derived_types"`}},
		{"derive_key_key_types", []string{`capabilities[0].key_types: "key_types" is not permitted in a "derive_key" capability`}},
		{"derived_types_elsewhere", []string{`capabilities[0].derived_types: "derived_types" is only permitted in a "derive_key" capability`}},
		{"random_no_initial_entropy", []string{`capabilities[0]: a random generation capability must have "initial_entropy_size"`}},
		{"random_needs_add_entropy", []string{`capabilities[0].entry_points: "add_entropy" is mandatory when "initial_entropy_size" is nonzero`}},
		{"entropy_size_elsewhere", []string{`capabilities[0].initial_entropy_size: "initial_entropy_size" is only permitted`}},
		{"init_with_filters", []string{`capabilities[0].algorithms: "algorithms" does not apply to "init"`}},
		{"get_entropy_fallback", []string{`capabilities[0].fallback: fallback does not apply to "get_entropy"`}},

		// Conflicting capabilities name both indexes.
		{"conflict", []string{`capabilities[2]: entry point "sign_hash" is implemented by acme_sign_any here and by SignHash in capabilities[0]`}},
		{"conflict_key_types", []string{`capabilities[1]: entry point "cipher_encrypt" is implemented by enc_b here and by enc_a in capabilities[0]`}},
		{"conflict_family", []string{`capabilities[1]: entry point "mac_update" is implemented by MACUpdate here and by update_a in capabilities[0]`}},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		seen[tt.file+".json"] = true
		t.Run(tt.file, func(t *testing.T) {
			d, err := parseFile(t, filepath.Join("testdata/invalid", tt.file+".json"))
			if err == nil {
				t.Fatalf("Parse accepted an invalid description: %+v", d)
			}
			if d != nil {
				t.Errorf("Parse returned a driver with an error")
			}
			if !errors.Is(err, values.ErrInvalidArgument) {
				t.Errorf("error does not wrap ErrInvalidArgument: %v", err)
			}
			var e *Error
			if !errors.As(err, &e) || e.File != tt.file+".json" {
				t.Errorf("error is not an *Error for %s.json: %#v", tt.file, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tt.file+".json: ") {
				t.Errorf("error does not start with the file name:\n%s", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error does not contain %q:\n%s", w, msg)
				}
			}
		})
	}
	// Every file in testdata/invalid has a row.
	files, _ := filepath.Glob("testdata/invalid/*.json")
	for _, f := range files {
		if !seen[filepath.Base(f)] {
			t.Errorf("%s has no test row", f)
		}
	}
}

// TestSchemaProperties checks our reading of the reference JSON schemas:
// every property they define is one the parser knows, and a description
// without a property they require is rejected.
func TestSchemaProperties(t *testing.T) {
	for _, name := range []string{"driver_transparent_schema.json", "driver_opaque_schema.json"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata/reference", name))
			if err != nil {
				t.Fatal(err)
			}
			var schema struct {
				Properties   map[string]json.RawMessage
				Required     []string
				Capabilities struct{}
			}
			if err := json.Unmarshal(data, &schema); err != nil {
				t.Fatal(err)
			}
			var caps struct {
				Items []struct {
					Properties map[string]json.RawMessage
					Required   []string
				}
			}
			if err := json.Unmarshal(schema.Properties["capabilities"], &caps); err != nil {
				t.Fatal(err)
			}
			known := func(list []string, prop string) bool {
				return contains(list, prop) || prop == "_comment" || strings.Contains(prop, "/")
			}
			if len(schema.Properties) == 0 || len(caps.Items) == 0 {
				t.Fatal("schema not understood: no properties")
			}
			for prop := range schema.Properties {
				if !known(driverProps, prop) {
					t.Errorf("top-level schema property %q is unknown to the parser", prop)
				}
			}
			for _, item := range caps.Items {
				for prop := range item.Properties {
					if !known(capabilityProps, prop) {
						t.Errorf("capability schema property %q is unknown to the parser", prop)
					}
				}
				for _, req := range item.Required {
					if !strings.Contains(missingPropertyError(t, name, "capabilities[0]", req), `missing mandatory property "`+req+`"`) {
						t.Errorf("removing required capability property %q is not reported as missing", req)
					}
				}
			}
			for _, req := range schema.Required {
				msg := missingPropertyError(t, name, "", req)
				if !strings.Contains(msg, `property "`+req+`"`) {
					t.Errorf("removing required property %q: error does not name it:\n%s", req, msg)
				}
			}
		})
	}
}

// missingPropertyError removes a property from a valid description of the
// schema's driver type and returns Parse's error.
func missingPropertyError(t *testing.T, schema, path, prop string) string {
	t.Helper()
	doc := map[string]any{
		"prefix":       "acme",
		"type":         "transparent",
		"capabilities": []any{map[string]any{"entry_points": []any{"sign_hash"}}},
	}
	if strings.Contains(schema, "opaque") {
		doc["type"] = "opaque"
		doc["location"] = "0x800001"
	}
	if path == "" {
		delete(doc, prop)
	} else {
		delete(doc["capabilities"].([]any)[0].(map[string]any), prop)
	}
	data, _ := json.Marshal(doc)
	_, err := Parse(data, "schema.json")
	if err == nil {
		t.Errorf("Parse accepted a description without %q", prop)
		return ""
	}
	return err.Error()
}

func TestParseErrorLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"prefix": "acme", "type": "transparent", "capabilities": [`)
	for i := range 200 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"entry_points": ["nope"]}`)
	}
	b.WriteString("]}")
	_, err := Parse([]byte(b.String()), "many.json")
	if err == nil {
		t.Fatal("Parse accepted unknown entry points")
	}
	if n := strings.Count(err.Error(), "many.json: "); n != maxErrors {
		t.Errorf("got %d errors, want the limit %d", n, maxErrors)
	}
}

func TestDeepNesting(t *testing.T) {
	data := []byte(`{"prefix": "acme", "x/deep": ` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`)
	_, err := Parse(data, "deep.json")
	if err == nil || !strings.Contains(err.Error(), "nested more than") {
		t.Errorf("Parse of deeply nested JSON: %v", err)
	}
}
