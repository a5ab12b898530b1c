package mbedtls

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/values"
)

func TestSizeArg(t *testing.T) {
	for _, tc := range []struct {
		in   int64
		want int
	}{
		{0, 0},
		{48, 48},
		{math.MaxUint32 * 64, math.MaxUint32 * 64},
		{-1, sizeMax}, // SIZE_MAX as the runner decodes it
		{math.MinInt64, sizeMax},
	} {
		if got := sizeArg(tc.in); got != tc.want {
			t.Errorf("sizeArg(%d) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestCipherKeyIncompatible(t *testing.T) {
	for _, tc := range []struct {
		kt   values.KeyType
		alg  values.Algorithm
		want bool
	}{
		{values.KeyTypeAES, values.AlgCTR, false},
		{values.KeyTypeDES, values.AlgCBCNoPadding, false},
		{values.KeyTypeRawData, values.AlgCTR, true},
		{values.KeyTypeRawData, values.AlgECBNoPadding, true},
		{values.KeyTypeChaCha20, values.AlgCTR, true},
		{values.KeyTypeChaCha20, values.AlgStreamCipher, false},
		{values.KeyTypeAES, values.AlgStreamCipher, true},
		{values.KeyTypeRawData, values.AlgHMAC(values.AlgSHA256), false}, // not a cipher: not this rule
	} {
		if got := cipherKeyIncompatible(tc.kt, tc.alg); got != tc.want {
			t.Errorf("cipherKeyIncompatible(%v, %v) = %v, want %v", tc.kt, tc.alg, got, tc.want)
		}
	}
}

// TestSymPortsDetectWrongResults runs known-answer cases of the suites
// through the ports, once as published and once with the expected result
// corrupted: the first must pass and the second fail, so that a pass of
// the suites means something.
func TestSymPortsDetectWrongResults(t *testing.T) {
	cases := []struct {
		name, good, bad string
	}{{
		"mac_sign RFC 4231 #1",
		`mac_sign:PSA_KEY_TYPE_HMAC:"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b":PSA_ALG_HMAC(PSA_ALG_SHA_224):"4869205468657265":"896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22"`,
		`mac_sign:PSA_KEY_TYPE_HMAC:"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b":PSA_ALG_HMAC(PSA_ALG_SHA_224):"4869205468657265":"896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b23"`,
	}, {
		"mac_verify RFC 4231 #1",
		`mac_verify:PSA_KEY_TYPE_HMAC:"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b":PSA_ALG_HMAC(PSA_ALG_SHA_224):"4869205468657265":"896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22"`,
		`mac_verify:PSA_KEY_TYPE_HMAC:"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b":PSA_ALG_HMAC(PSA_ALG_SHA_224):"4869205468657265":"996fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22"`,
	}, {
		"aead_encrypt CCM",
		`aead_encrypt:PSA_KEY_TYPE_AES:"D7828D13B2B0BDC325A76236DF93CC6B":PSA_ALG_CCM:"00412B4EA9CDBE3C9696766CFA":"0BE1A88BACE018B1":"08E8CF97D820EA258460E96AD9CF5289054D895CEAC47C":"4CB97F86A2A4689A877947AB8091EF5386A6FFBDD080F8120333D1FCB691F3406CBF531F83A4D8"`,
		`aead_encrypt:PSA_KEY_TYPE_AES:"D7828D13B2B0BDC325A76236DF93CC6B":PSA_ALG_CCM:"00412B4EA9CDBE3C9696766CFA":"0BE1A88BACE018B1":"08E8CF97D820EA258460E96AD9CF5289054D895CEAC47C":"4CB97F86A2A4689A877947AB8091EF5386A6FFBDD080F8120333D1FCB691F3406CBF531F83A4D9"`,
	}, {
		"aead_multipart_decrypt CCM",
		`aead_multipart_decrypt:PSA_KEY_TYPE_AES:"D7828D13B2B0BDC325A76236DF93CC6B":PSA_ALG_CCM:"00412B4EA9CDBE3C9696766CFA":"0BE1A88BACE018B1":"4CB97F86A2A4689A877947AB8091EF5386A6FFBDD080F8120333D1FCB691F3406CBF531F83A4D8":1:"08E8CF97D820EA258460E96AD9CF5289054D895CEAC47C"`,
		`aead_multipart_decrypt:PSA_KEY_TYPE_AES:"D7828D13B2B0BDC325A76236DF93CC6B":PSA_ALG_CCM:"00412B4EA9CDBE3C9696766CFA":"0BE1A88BACE018B1":"4CB97F86A2A4689A877947AB8091EF5386A6FFBDD080F8120333D1FCB691F3406CBF531F83A4D8":1:"08E8CF97D820EA258460E96AD9CF5289054D895CEAC47D"`,
	}, {
		"cipher_encrypt_multipart AES-CBC, wrong first output length",
		`cipher_encrypt_multipart:PSA_ALG_CBC_NO_PADDING:PSA_KEY_TYPE_AES:"2b7e151628aed2a6abf7158809cf4f3c":"000102030405060708090a0b0c0d0e0f":"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51":16:16:16:"7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2":PSA_SUCCESS`,
		`cipher_encrypt_multipart:PSA_ALG_CBC_NO_PADDING:PSA_KEY_TYPE_AES:"2b7e151628aed2a6abf7158809cf4f3c":"000102030405060708090a0b0c0d0e0f":"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51":16:0:32:"7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2":PSA_SUCCESS`,
	}, {
		"derive_output RFC 5869 #1",
		`derive_output:PSA_ALG_HKDF(PSA_ALG_SHA_256):PSA_KEY_DERIVATION_INPUT_SALT:"000102030405060708090a0b0c":PSA_SUCCESS:PSA_KEY_DERIVATION_INPUT_SECRET:"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b":PSA_SUCCESS:PSA_KEY_DERIVATION_INPUT_INFO:"f0f1f2f3f4f5f6f7f8f9":PSA_SUCCESS:0:"":PSA_SUCCESS:"":42:"3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865":"":0:1:0`,
		`derive_output:PSA_ALG_HKDF(PSA_ALG_SHA_256):PSA_KEY_DERIVATION_INPUT_SALT:"000102030405060708090a0b0c":PSA_SUCCESS:PSA_KEY_DERIVATION_INPUT_SECRET:"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b":PSA_SUCCESS:PSA_KEY_DERIVATION_INPUT_INFO:"f0f1f2f3f4f5f6f7f8f9":PSA_SUCCESS:0:"":PSA_SUCCESS:"":42:"3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185866":"":0:1:0`,
	}, {
		"derive_key_policy, wrong verdict",
		`derive_key_policy:PSA_KEY_USAGE_DERIVE:PSA_ALG_HKDF(PSA_ALG_SHA_256):PSA_KEY_TYPE_DERIVE:"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa":PSA_ALG_HKDF(PSA_ALG_SHA_256)`,
		`derive_key_policy:PSA_KEY_USAGE_DERIVE:PSA_ALG_HKDF(PSA_ALG_SHA_256):PSA_KEY_TYPE_RAW_DATA:"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa":PSA_ALG_HKDF(PSA_ALG_SHA_256)`,
	}}
	var data strings.Builder
	for _, tc := range cases {
		data.WriteString(tc.name + " (good)\n" + tc.good + "\n\n")
		data.WriteString(tc.name + " (bad)\n" + tc.bad + "\n\n")
	}
	path := filepath.Join(t.TempDir(), "test_suite_psa_crypto.sym.data")
	if err := os.WriteFile(path, []byte(data.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	reg, err := NewRegistry(Options{KeyStore: "memory"})
	if err != nil {
		t.Fatal(err)
	}
	results, err := (&suite.Runner{Registry: reg, Config: NewConfig()}).Run([]string{path})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2*len(cases) {
		t.Fatalf("%d results for %d cases", len(results), 2*len(cases))
	}
	for i, res := range results {
		want := suite.Pass
		if i%2 == 1 {
			want = suite.Fail
		}
		if res.Outcome != want {
			t.Errorf("%s: %v, want %v (%s)", res.Name, res.Outcome, want, res.Message)
		}
	}
}
