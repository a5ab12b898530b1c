package manifest

import (
	"testing"

	"github.com/gopsa/psa/values"
)

var (
	p256Pair   = values.KeyTypeECCKeyPair(values.ECCFamilySECPR1)
	p256Public = values.KeyTypeECCPublicKey(values.ECCFamilySECPR1)
	x25519Pair = values.KeyTypeECCKeyPair(values.ECCFamilyMontgomery)
	bpPair     = values.KeyTypeECCKeyPair(values.ECCFamilyBrainpoolPR1)
)

func TestMatch(t *testing.T) {
	d := mustParseFile(t, "testdata/valid/acme_accel.json")
	ecdsa256 := values.AlgECDSA(values.AlgSHA256)
	tests := []struct {
		name   string
		ep     string
		alg    values.Algorithm
		kt     values.KeyType
		bits   int
		ok     bool
		index  int    // capability index when ok
		method string // when ok
	}{
		{"init involves nothing", "init", 0, 0, 0, true, 0, "Init"},
		{"free", "free", 0, 0, 0, true, 0, "Free"},
		{"hash listed", "hash_compute", values.AlgSHA256, 0, 0, true, 1, "HashCompute"},
		{"hash not listed", "hash_compute", values.AlgSHA512, 0, 0, false, 0, ""},
		{"hash family member", "hash_setup", values.AlgSHA384, 0, 0, true, 1, "HashSetup"},
		{"hash family member without algorithm", "hash_update", 0, 0, 0, true, 1, "HashUpdate"},
		{"hash family clone", "hash_clone", 0, 0, 0, true, 1, "HashClone"},

		// Wildcard algorithm, exact key type and size.
		{"ANY_HASH matches SHA-256", "sign_hash", ecdsa256, p256Pair, 256, true, 2, "SignHashP256"},
		{"ANY_HASH matches SHA-512", "sign_hash", values.AlgECDSA(values.AlgSHA512), p256Pair, 256, true, 2, "SignHashP256"},
		{"deterministic ECDSA listed", "sign_hash", values.AlgDeterministicECDSA(values.AlgSHA384), p256Pair, 256, true, 2, "SignHashP256"},
		{"verify with the public key", "verify_hash", ecdsa256, p256Public, 256, true, 2, "VerifyHashP256"},
		{"other size: second capability", "sign_hash", ecdsa256, p256Pair, 384, true, 3, "SignHash"},
		{"family wildcard _", "sign_hash", ecdsa256, bpPair, 384, true, 3, "SignHash"},
		{"deterministic not in second capability", "sign_hash", values.AlgDeterministicECDSA(values.AlgSHA256), bpPair, 384, false, 0, ""},
		{"size in no capability", "sign_hash", ecdsa256, p256Pair, 192, false, 0, ""},
		{"key type in no capability", "sign_hash", ecdsa256, values.KeyTypeRSAKeyPair, 256, false, 0, ""},
		{"algorithm in no capability", "sign_hash", values.AlgRSAPSS(values.AlgSHA256), p256Pair, 256, false, 0, ""},
		{"unknown size: size filter skipped", "sign_hash", ecdsa256, p256Pair, 0, true, 2, "SignHashP256"},

		{"AEAD single part", "aead_encrypt", values.AlgGCM, values.KeyTypeAES, 128, true, 4, "AEADEncrypt"},
		{"AEAD multi-part setup", "aead_decrypt_setup", values.AlgCCM, values.KeyTypeAES, 256, true, 4, "AEADDecryptSetup"},
		{"AEAD multi-part verify", "aead_verify", 0, 0, 0, true, 4, "AEADVerify"},
		{"AEAD other tag length", "aead_encrypt", values.AlgAEADWithShortenedTag(values.AlgGCM, 12), values.KeyTypeAES, 128, false, 0, ""},
		{"AEAD wrong key size", "aead_encrypt", values.AlgGCM, values.KeyTypeAES, 192, false, 0, ""},
		{"AEAD generate_nonce is opaque only", "aead_generate_nonce", 0, 0, 0, false, 0, ""},

		{"names override", "key_agreement", values.AlgECDH, x25519Pair, 255, true, 5, "X25519"},
		{"raw key agreement family", "key_agreement", values.AlgFFDH, x25519Pair, 255, false, 0, ""},
		{"key derivation", "key_derivation_setup", values.AlgHKDF(values.AlgSHA256), 0, 0, true, 6, "KeyDerivationSetup"},
		{"key derivation with a key", "key_derivation_setup", values.AlgHKDF(values.AlgSHA256), values.KeyTypeDerive, 256, true, 6, "KeyDerivationSetup"},
		{"key derivation other hash", "key_derivation_setup", values.AlgHKDF(values.AlgSHA512), 0, 0, false, 0, ""},

		// derive_key filters on the derived key.
		{"derive_key derived type", "derive_key", 0, p256Pair, 256, true, 7, "DeriveKey"},
		{"derive_key other size", "derive_key", 0, p256Pair, 384, false, 0, ""},

		{"random family", "get_random", 0, 0, 0, true, 8, "GetRandom"},
		{"random optional member", "add_entropy", 0, 0, 0, true, 8, "AddEntropy"},

		// "algorithms" does not apply to import_key: only key filters do.
		{"import ignores algorithm", "import_key", values.AlgGCM, p256Pair, 256, true, 9, "ImportKey"},
		{"import filters key type", "import_key", 0, values.KeyTypeAES, 128, false, 0, ""},
		{"unknown entry point", "sign_hsh", ecdsa256, p256Pair, 256, false, 0, ""},
		{"family name is not an entry point", "hash_multipart", 0, 0, 0, false, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, method, ok := d.Match(tt.ep, tt.alg, tt.kt, tt.bits)
			if ok != tt.ok {
				t.Fatalf("Match(%q, %v, %v, %d) ok = %v, want %v", tt.ep, tt.alg, tt.kt, tt.bits, ok, tt.ok)
			}
			if !ok {
				if c != nil || method != "" {
					t.Errorf("no match but got capability %v method %q", c, method)
				}
				return
			}
			if c.Index != tt.index || method != tt.method {
				t.Errorf("Match(%q) = capabilities[%d] %s, want capabilities[%d] %s", tt.ep, c.Index, method, tt.index, tt.method)
			}
		})
	}
}

// TestMatchKeyDependentWildcard checks a minimum-length MAC wildcard over
// CMAC, whose full length depends on the key's block cipher.
func TestMatchKeyDependentWildcard(t *testing.T) {
	d, err := Parse([]byte(`{
		"prefix": "mac", "type": "transparent",
		"capabilities": [{
			"entry_points": ["mac_compute"],
			"algorithms": ["PSA_ALG_AT_LEAST_THIS_LENGTH_MAC(PSA_ALG_CMAC, 8)"]
		}]
	}`), "mac.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		alg values.Algorithm
		kt  values.KeyType
		ok  bool
	}{
		{values.AlgCMAC, values.KeyTypeAES, true},                            // 16 bytes
		{values.AlgTruncatedMAC(values.AlgCMAC, 8), values.KeyTypeAES, true}, // exactly the minimum
		{values.AlgTruncatedMAC(values.AlgCMAC, 4), values.KeyTypeAES, false},
		{values.AlgHMAC(values.AlgSHA256), values.KeyTypeHMAC, false},
	}
	for _, tt := range tests {
		if _, _, ok := d.Match("mac_compute", tt.alg, tt.kt, 128); ok != tt.ok {
			t.Errorf("Match(mac_compute, %v, %v) = %v, want %v", tt.alg, tt.kt, ok, tt.ok)
		}
	}
}

func mustLoadList(t *testing.T, path string) []*Driver {
	t.Helper()
	drivers, err := LoadList(path)
	if err != nil {
		t.Fatalf("LoadList(%s): %v", path, err)
	}
	return drivers
}

func TestSelect(t *testing.T) {
	// acme_accel, c_only, acme_se (0x800001), mbedtls_test opaque (0x7fffff).
	drivers := mustLoadList(t, "testdata/lists/ok.json")
	type want struct {
		prefix string
		method string
	}
	tests := []struct {
		name string
		ep   string
		m    Mechanism
		want []want
	}{
		{"fallback chain ends in builtin", "sign_hash",
			Mechanism{Alg: values.AlgECDSA(values.AlgSHA256), KeyType: bpPair, KeyBits: 384},
			[]want{{"acme_accel", "SignHash"}}},
		{"non-fallback answer is final", "cipher_encrypt",
			Mechanism{Alg: values.AlgCTR, KeyType: values.KeyTypeAES, KeyBits: 128},
			[]want{{"c_accel", "c_accel_aes128"}}},
		{"no transparent driver: builtin", "cipher_encrypt",
			Mechanism{Alg: values.AlgCTR, KeyType: values.KeyTypeAES, KeyBits: 192},
			nil},
		{"opaque location routes to its driver only", "cipher_encrypt",
			Mechanism{Alg: values.AlgCTR, KeyType: values.KeyTypeAES, KeyBits: 128, Location: 0x800001},
			[]want{{"acme_se", "CipherEncrypt"}}},
		{"opaque driver filters apply", "cipher_encrypt",
			Mechanism{Alg: values.AlgCBCPKCS7, KeyType: values.KeyTypeAES, KeyBits: 128, Location: 0x800001},
			nil},
		{"location without a driver", "sign_hash",
			Mechanism{Alg: values.AlgECDSA(values.AlgSHA256), KeyType: p256Pair, KeyBits: 256, Location: 0x123456},
			nil},
		{"reference opaque driver", "copy_key",
			Mechanism{KeyType: values.KeyTypeAES, KeyBits: 128, Location: 0x7fffff},
			[]want{{"mbedtls_test", "mbedtls_test_opaque_copy_key"}}},
		{"first applicable opaque capability", "sign_hash",
			Mechanism{Alg: values.AlgECDSA(values.AlgSHA384), KeyType: p256Pair, KeyBits: 256, Location: 0x800001},
			[]want{{"acme_se", "SignHash"}}},
		{"broadcast: every driver with init", "init", Mechanism{},
			[]want{{"acme_accel", "Init"}, {"acme_se", "Init"}}},
		{"broadcast ignores location", "get_entropy", Mechanism{Location: 0x7fffff},
			[]want{{"acme_se", "GetEntropy"}}},
		{"unknown entry point", "nope", Mechanism{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Select(drivers, tt.ep, tt.m)
			if len(got) != len(tt.want) {
				t.Fatalf("Select(%q) returned %d candidates, want %d: %+v", tt.ep, len(got), len(tt.want), got)
			}
			for i, c := range got {
				if c.Driver.Prefix != tt.want[i].prefix || c.Method != tt.want[i].method {
					t.Errorf("candidate %d = %s.%s, want %s.%s", i, c.Driver.Prefix, c.Method, tt.want[i].prefix, tt.want[i].method)
				}
				if !c.Capability.Matches(tt.ep, tt.m.Alg, tt.m.KeyType, tt.m.KeyBits) && !mustLookup(t, tt.ep).Broadcast {
					t.Errorf("candidate %d capability does not match", i)
				}
			}
		})
	}
}

func TestSelectFallbackOrder(t *testing.T) {
	// Two transparent drivers: the first with fallback, the second
	// without. Both are called in list order; nothing follows the
	// second.
	first := mustParse(t, `{"prefix": "first", "type": "transparent",
		"capabilities": [{"entry_points": ["sign_hash"], "fallback": true}]}`)
	second := mustParse(t, `{"prefix": "second", "type": "transparent",
		"capabilities": [{"entry_points": ["sign_hash"]}]}`)
	third := mustParse(t, `{"prefix": "third", "type": "transparent",
		"capabilities": [{"entry_points": ["sign_hash"], "fallback": true}]}`)
	m := Mechanism{Alg: values.AlgECDSA(values.AlgSHA256), KeyType: p256Pair, KeyBits: 256}
	got := Select([]*Driver{first, second, third}, "sign_hash", m)
	if len(got) != 2 || got[0].Driver != first || got[1].Driver != second {
		t.Errorf("Select = %+v, want first then second", got)
	}
	got = Select([]*Driver{third, first}, "sign_hash", m)
	if len(got) != 2 || got[0].Driver != third || got[1].Driver != first || !got[1].Capability.Fallback {
		t.Errorf("Select = %+v, want third then first, ending with fallback (builtin next)", got)
	}
}

func TestCandidates(t *testing.T) {
	drivers := mustLoadList(t, "testdata/lists/ok.json")
	got := Candidates(drivers, "sign_hash")
	want := []struct {
		prefix string
		index  int
		method string
	}{
		{"acme_accel", 2, "SignHashP256"},
		{"acme_accel", 3, "SignHash"},
		{"acme_se", 3, "SignHash"},
		{"acme_se", 4, "SignHash"},
	}
	if len(got) != len(want) {
		t.Fatalf("Candidates(sign_hash) = %d candidates, want %d: %+v", len(got), len(want), got)
	}
	for i, c := range got {
		if c.Driver.Prefix != want[i].prefix || c.Capability.Index != want[i].index || c.Method != want[i].method {
			t.Errorf("candidate %d = %s capabilities[%d] %s, want %+v", i, c.Driver.Prefix, c.Capability.Index, c.Method, want[i])
		}
	}
	// Transparent before opaque, whatever the list order.
	got = Candidates([]*Driver{drivers[2], drivers[0]}, "import_key")
	if len(got) != 2 || got[0].Driver.Type != Transparent || got[1].Driver.Type != Opaque {
		t.Errorf("Candidates(import_key) = %+v, want the transparent driver first", got)
	}
	if got := Candidates(drivers, "no_such_entry_point"); got != nil {
		t.Errorf("Candidates of an unknown entry point = %+v", got)
	}
}

func mustParse(t *testing.T, doc string) *Driver {
	t.Helper()
	d, err := Parse([]byte(doc), t.Name()+".json")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustLookup(t *testing.T, ep string) EntryPoint {
	t.Helper()
	e, ok := LookupEntryPoint(ep)
	if !ok {
		t.Fatalf("%s is not an entry point", ep)
	}
	return e
}

func BenchmarkMatch(b *testing.B) {
	data := []byte(`{"prefix": "acme", "type": "transparent", "capabilities": [
		{"entry_points": ["init"]},
		{"entry_points": ["hash_multipart"], "algorithms": ["PSA_ALG_SHA_256"]},
		{"entry_points": ["sign_hash"], "algorithms": ["PSA_ALG_RSA_PSS(PSA_ALG_ANY_HASH)"], "key_types": ["PSA_KEY_TYPE_RSA_KEY_PAIR"]},
		{"entry_points": ["sign_hash", "verify_hash"], "algorithms": ["PSA_ALG_ECDSA(PSA_ALG_ANY_HASH)"],
		 "key_types": ["PSA_KEY_TYPE_ECC_KEY_PAIR(_)", "PSA_KEY_TYPE_ECC_PUBLIC_KEY(_)"], "key_sizes": [256, 384]}]}`)
	d, err := Parse(data, "bench.json")
	if err != nil {
		b.Fatal(err)
	}
	alg := values.AlgECDSA(values.AlgSHA256)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, ok := d.Match("verify_hash", alg, p256Public, 384); !ok {
			b.Fatal("no match")
		}
	}
}

func BenchmarkSelect(b *testing.B) {
	drivers, err := LoadList("testdata/lists/ok.json")
	if err != nil {
		b.Fatal(err)
	}
	m := Mechanism{Alg: values.AlgECDSA(values.AlgSHA256), KeyType: bpPair, KeyBits: 384}
	b.ReportAllocs()
	for b.Loop() {
		if len(Select(drivers, "sign_hash", m)) != 1 {
			b.Fatal("no candidate")
		}
	}
}
