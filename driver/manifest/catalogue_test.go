package manifest

import (
	"go/token"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestGoName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"sign_hash", "SignHash"},
		{"aead_encrypt_setup", "AEADEncryptSetup"},
		{"key_derivation_output_bytes", "KeyDerivationOutputBytes"},
		{"mac_compute", "MACCompute"},
		{"get_builtin_key", "GetBuiltinKey"},
		{"cipher_generate_iv", "CipherGenerateIV"},
		{"aead_generate_nonce", "AEADGenerateNonce"},
		{"pake_get_implicit_key", "PAKEGetImplicitKey"},
		{"mac_verify_finish", "MACVerifyFinish"},
		{"init", "Init"},
		{"aead_update_ad", "AEADUpdateAD"},
		{"xof_set_context", "XOFSetContext"},
		{"hash_resume", "HashResume"},
		{"hash_compute", "HashCompute"},
	}
	for _, tt := range tests {
		if got := GoName(tt.in); got != tt.want {
			t.Errorf("GoName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCatalogueConsistency(t *testing.T) {
	methods := map[string]string{}
	for _, e := range EntryPoints() {
		if !token.IsIdentifier(e.Method) || !token.IsExported(e.Method) {
			t.Errorf("%s: method %q is not an exported identifier", e.Name, e.Method)
		}
		if prev, ok := methods[e.Method]; ok {
			t.Errorf("%s and %s both map to method %s", prev, e.Name, e.Method)
		}
		methods[e.Method] = e.Name
		if !e.Transparent && !e.Opaque {
			t.Errorf("%s is allowed for no driver type", e.Name)
		}
		if _, ok := LookupFamily(e.Name); ok {
			t.Errorf("%s is both an entry point and a family", e.Name)
		}
		for _, f := range e.Families {
			fam, ok := LookupFamily(f)
			if !ok || !slices.ContainsFunc(fam.Members, func(m Member) bool { return m.Name == e.Name }) {
				t.Errorf("%s claims family %s, which does not list it", e.Name, f)
			}
		}
	}
	for _, f := range Families() {
		setup, ok := LookupEntryPoint(f.Setup())
		if !ok {
			t.Fatalf("family %s: setup %s is not an entry point", f.Name, f.Setup())
		}
		for _, typ := range []DriverType{Transparent, Opaque} {
			if f.AllowedFor(typ) && !setup.AllowedFor(typ) && !f.Members[0].Optional {
				t.Errorf("family %s is allowed for %v drivers but its first member %s is not", f.Name, typ, setup.Name)
			}
		}
		for _, m := range f.Members {
			e, ok := LookupEntryPoint(m.Name)
			if !ok {
				t.Errorf("family %s: member %s is not an entry point", f.Name, m.Name)
				continue
			}
			if !slices.Contains(e.Families, f.Name) {
				t.Errorf("family %s: member %s does not list the family", f.Name, m.Name)
			}
		}
	}
	// The catalogue's accessors return copies.
	eps := EntryPoints()
	eps[0].Name = "changed"
	if e, _ := LookupEntryPoint("hash_compute"); e.Name != "hash_compute" || EntryPoints()[0].Name != "hash_compute" {
		t.Error("modifying EntryPoints' result changed the catalogue")
	}
	mac, _ := LookupEntryPoint("mac_update")
	if !slices.Equal(mac.Families, []string{"mac_multipart", "mac_verify_multipart"}) {
		t.Errorf("mac_update families = %q", mac.Families)
	}
}

// TestCatalogueFlags spot-checks the table against the specification's
// text.
func TestCatalogueFlags(t *testing.T) {
	tests := []struct {
		name                           string
		transparent, opaque, alg, key  bool
		broadcast, extension, optional bool
	}{
		{name: "hash_compute", transparent: true, alg: true},
		{name: "sign_hash", transparent: true, opaque: true, alg: true, key: true},
		{name: "import_key", transparent: true, opaque: true, key: true},
		{name: "export_key", opaque: true, key: true},
		{name: "copy_key", opaque: true, key: true},
		{name: "key_agreement_to_key", opaque: true, alg: true, key: true},
		{name: "key_derivation_set_capacity", opaque: true, optional: true},
		{name: "key_derivation_output_bytes", transparent: true, opaque: true},
		{name: "derive_key", transparent: true, key: true},
		{name: "get_entropy", transparent: true, opaque: true, broadcast: true},
		{name: "init", transparent: true, opaque: true, broadcast: true},
		{name: "get_random", transparent: true},
		{name: "add_entropy", transparent: true, optional: true},
		{name: "cipher_generate_iv", opaque: true, extension: true, optional: true},
		{name: "aead_generate_nonce", opaque: true, extension: true, optional: true},
		{name: "hash_setup", transparent: true, alg: true},
		{name: "hash_resume", transparent: true, alg: true, extension: true, optional: true},
		{name: "xof_setup", transparent: true, alg: true, extension: true},
		{name: "aead_encrypt_setup", transparent: true, opaque: true, alg: true, key: true},
	}
	for _, tt := range tests {
		e, ok := LookupEntryPoint(tt.name)
		if !ok {
			t.Errorf("%s is not in the catalogue", tt.name)
			continue
		}
		got := [...]bool{e.Transparent, e.Opaque, e.Algorithm, e.Key, e.Broadcast, e.Extension}
		want := [...]bool{tt.transparent, tt.opaque, tt.alg, tt.key, tt.broadcast, tt.extension}
		if got != want {
			t.Errorf("%s: transparent, opaque, algorithm, key, broadcast, extension = %v, want %v", tt.name, got, want)
		}
		optional := false
		for _, f := range e.Families {
			fam, _ := LookupFamily(f)
			for _, m := range fam.Members {
				if m.Name == tt.name && m.Optional {
					optional = true
				}
			}
		}
		if optional != tt.optional {
			t.Errorf("%s: optional = %v, want %v", tt.name, optional, tt.optional)
		}
	}
}

// TestCatalogueCoversSpecification extracts every quoted name from the
// entry point chapters of the driver interface and of the Mbed TLS
// proposal, and checks that each one that names an entry point or family
// is in the catalogue.
func TestCatalogueCoversSpecification(t *testing.T) {
	files := []string{
		"../../../shared/spec/psa-crypto-driver-interface-1.0/body/entry-points.txt",
		"../../../shared/spec/psa-crypto-driver-interface-1.0/body/transparent.txt",
		"../../../shared/spec/psa-crypto-driver-interface-1.0/body/opaque.txt",
		"../../../shared/spec/psa-driver-interface.md",
	}
	// Quoted names in the text that are not entry points: description
	// properties, driver types, type names (…_t), function names (acme_…,
	// psa_…), and the text's own shorthands and typos.
	notEntryPoints := map[string]bool{
		"acme": true, "name": true, "transparent": true, "opaque": true,
		"output_bytes":      true, // shorthand for key_derivation_output_bytes (§4.4.8)
		"key_agreement_key": true, // typo for key_agreement_to_key (§4.6)
	}
	for _, list := range [][]string{driverProps, capabilityProps, keyContextProps} {
		for _, p := range list {
			notEntryPoints[p] = true
		}
	}
	quoted := regexp.MustCompile(`"([a-z][a-z0-9_]*)"`)
	found := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Skipf("specification text not available: %v", err)
		}
		for _, m := range quoted.FindAllStringSubmatch(string(data), -1) {
			name := m[1]
			if notEntryPoints[name] || strings.HasSuffix(name, "_t") ||
				strings.HasPrefix(name, "acme_") || strings.HasPrefix(name, "psa_") {
				continue
			}
			found++
			_, isEP := LookupEntryPoint(name)
			_, isFamily := LookupFamily(name)
			if !isEP && !isFamily {
				t.Errorf("%s names %q, which is not in the catalogue", f, name)
			}
		}
	}
	if found < 50 {
		t.Errorf("found only %d entry point names in the specification text", found)
	}
}
