package mbedtls

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/internal/conformance/datafile"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/values"
)

func suitesDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("GOPSA_TESTSUITES")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "..", "shared", "testsuites", "mbedtls")
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("test suites not found at %s ($GOPSA_TESTSUITES): %v", dir, err)
		}
		t.Skipf("test suites not found at %s; set $GOPSA_TESTSUITES", dir)
	}
	return dir
}

// TestWantTableMatchesInstance asks an instance about every key type and
// curve line of the PSA_WANT_* table: a symbol marked implemented must
// generate (or import) a key, one marked absent must be refused with
// PSA_ERROR_NOT_SUPPORTED.
func TestWantTableMatchesInstance(t *testing.T) {
	c, err := psa.New()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cfg := NewConfig()
	curves := map[string]values.ECCFamily{
		"SECP_R1": values.ECCFamilySECPR1, "SECP_K1": values.ECCFamilySECPK1, "SECP_R2": values.ECCFamilySECPR2,
		"SECT_K1": values.ECCFamilySECTK1, "SECT_R1": values.ECCFamilySECTR1, "SECT_R2": values.ECCFamilySECTR2,
		"BRAINPOOL_P_R1": values.ECCFamilyBrainpoolPR1, "MONTGOMERY": values.ECCFamilyMontgomery,
		"TWISTED_EDWARDS": values.ECCFamilyTwistedEdwards,
	}
	curveRE := regexp.MustCompile(`^PSA_WANT_ECC_([A-Z_0-9]+?)_(\d+)$`)
	symmetric := map[string]struct {
		kt   values.KeyType
		bits int
	}{
		"RAW_DATA": {values.KeyTypeRawData, 8}, "DERIVE": {values.KeyTypeDerive, 128}, "HMAC": {values.KeyTypeHMAC, 256},
		"PASSWORD": {values.KeyTypePassword, 64}, "PASSWORD_HASH": {values.KeyTypePasswordHash, 128},
		"PEPPER": {values.KeyTypePepper, 128}, "AES": {values.KeyTypeAES, 128}, "ARIA": {values.KeyTypeARIA, 128},
		"CAMELLIA": {values.KeyTypeCamellia, 128}, "CHACHA20": {values.KeyTypeChaCha20, 256},
	}
	for _, w := range wantTable {
		var attrs psa.Attributes
		switch {
		case curveRE.MatchString(w.sym):
			m := curveRE.FindStringSubmatch(w.sym)
			f, ok := curves[m[1]]
			if !ok {
				t.Errorf("%s: unknown curve family %s", w.sym, m[1])
				continue
			}
			bits := atoi(m[2])
			if m[1] == "SECP_K1" && bits == 225 {
				bits = 224 // secp224k1's private keys are 225 bits, its size is 224
			}
			attrs = psa.Attributes{Type: values.KeyTypeECCKeyPair(f), Bits: bits}
		case strings.HasPrefix(w.sym, "PSA_WANT_DH_RFC7919_"):
			attrs = psa.Attributes{Type: values.KeyTypeDHKeyPair(values.DHFamilyRFC7919), Bits: atoi(strings.TrimPrefix(w.sym, "PSA_WANT_DH_RFC7919_"))}
		case strings.HasPrefix(w.sym, "PSA_WANT_KEY_TYPE_"):
			s, ok := symmetric[strings.TrimPrefix(w.sym, "PSA_WANT_KEY_TYPE_")]
			if !ok {
				continue // asymmetric type lines: the curve and group lines cover them
			}
			attrs = psa.Attributes{Type: s.kt, Bits: s.bits}
		default:
			continue // algorithms: checked by the suites once their APIs exist
		}
		id, err := c.GenerateKey(attrs)
		if w.ok && err != nil {
			t.Errorf("%s is marked implemented, but generating %v %d-bit fails: %v", w.sym, attrs.Type, attrs.Bits, err)
		}
		if !w.ok && !errors.Is(err, values.ErrNotSupported) {
			t.Errorf("%s is marked absent, but generating %v %d-bit gives %v, want PSA_ERROR_NOT_SUPPORTED", w.sym, attrs.Type, attrs.Bits, err)
		}
		if err == nil {
			c.DestroyKey(id)
		}
		if cfg.Defined(w.sym) != w.ok {
			t.Errorf("Config.Defined(%s) = %v, want %v", w.sym, !w.ok, w.ok)
		}
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// TestTablesCoverSuites checks that every dependency symbol of the suites
// has a line in the configuration tables (or is a PSA name), and that every
// test function has a signature.
func TestTablesCoverSuites(t *testing.T) {
	dir := suitesDir(t)
	files, err := suite.DataFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := NewConfig()
	known := cfg.Symbols()
	reg, err := NewRegistry(Options{})
	if err != nil {
		t.Fatal(err)
	}
	missing := map[string]bool{}
	for _, f := range files {
		cases, err := datafile.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := reg.Suite(suite.SuiteName(f))
		if s == nil {
			t.Errorf("%s: no suite %s", f, suite.SuiteName(f))
			continue
		}
		for _, c := range cases {
			if s.Funcs[c.Func] == nil {
				t.Errorf("%s: function %s has no signature", c.Pos(), c.Func)
			}
			for _, d := range c.Deps {
				if d.Op != "" {
					if _, err := d.Holds(cfg); err != nil {
						t.Errorf("%s: %v", c.Pos(), err)
					}
					continue
				}
				_, inTable := known[d.Symbol]
				if !inTable && !(strings.HasPrefix(d.Symbol, "PSA_") && !strings.HasPrefix(d.Symbol, "PSA_WANT_") && cfg.Defined(d.Symbol)) {
					missing[d.Symbol] = true
				}
			}
		}
	}
	for sym := range missing {
		// Unknown MBEDTLS_* options are C-only by design; a PSA_WANT_*
		// symbol must have its line.
		if strings.HasPrefix(sym, "PSA_WANT_") {
			t.Errorf("%s has no line in the PSA_WANT table", sym)
		}
	}
	if err := checkNames(); err != nil {
		t.Error(err)
	}
}

func TestConfigExplains(t *testing.T) {
	cfg := NewConfig()
	for _, tc := range []struct {
		sym  string
		want bool
		kind suite.SkipKind
	}{
		{"PSA_WANT_ECC_SECT_K1_163", true, suite.SkipNotImplemented},
		{"PSA_WANT_KEY_TYPE_AES", false, suite.SkipDependency},
		{"MBEDTLS_PSA_STATIC_KEY_SLOTS", true, suite.SkipCOnly},
		{"MBEDTLS_SOME_UNKNOWN_OPTION", true, suite.SkipCOnly},
		{"MBEDTLS_ECP_RESTARTABLE", true, suite.SkipExtension},
	} {
		if kind, why := cfg.Explain(tc.sym, tc.want); kind != tc.kind || why == "" {
			t.Errorf("Explain(%s, %v) = %v %q, want kind %v with a reason", tc.sym, tc.want, kind, why, tc.kind)
		}
	}
	for sym, want := range map[string]bool{
		"PSA_WANT_ALG_SHA_256":                 true,
		"PSA_WANT_ECC_SECT_R1_233":             false,
		"MBEDTLS_PSA_BUILTIN_ALG_SHA_256":      true,
		"MBEDTLS_PSA_ACCEL_ALG_SHA_256":        false,
		"PSA_KEY_TYPE_ECC_PUBLIC_KEY":          true, // a function-like macro of the values package
		"PSA_KEY_TYPE_NO_SUCH_THING":           false,
		"MBEDTLS_PSA_CRYPTO_STORAGE_C":         true,
		"MBEDTLS_PSA_CRYPTO_SE_C":              false,
		"PSA_VENDOR_RSA_GENERATE_MIN_KEY_BITS": true,
		"PSA_CRYPTO_DRIVER_TEST":               true, // the test build's opaque driver
	} {
		if got := cfg.Defined(sym); got != want {
			t.Errorf("Defined(%s) = %v, want %v", sym, got, want)
		}
	}
}

func TestFakeRSAKeySize(t *testing.T) {
	// The made-up key has a modulus of exactly the requested size, so an
	// implementation that checks sizes must see it.
	c, err := psa.New()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.ImportKey(psa.Attributes{Type: values.KeyTypeRSAPublicKey}, fakeRSAKey(8192+8, false))
	if !errors.Is(err, values.ErrNotSupported) {
		t.Errorf("import of an 8200-bit made-up public key: %v, want PSA_ERROR_NOT_SUPPORTED", err)
	}
}

func TestUsageToExercise(t *testing.T) {
	pair := values.KeyTypeECCKeyPair(values.ECCFamilySECPR1)
	for _, tc := range []struct {
		kt   values.KeyType
		alg  values.Algorithm
		want values.KeyUsage
	}{
		{pair, values.AlgECDSA(values.AlgSHA256), values.UsageSignHash | values.UsageVerifyHash | values.UsageSignMessage | values.UsageVerifyMessage},
		{pair.PublicKeyOfKeyPair(), values.AlgECDSA(values.AlgSHA256), values.UsageVerifyHash | values.UsageVerifyMessage},
		{pair, values.AlgECDSAAny, values.UsageSignHash | values.UsageVerifyHash},
		{values.KeyTypeAES, values.AlgGCM, values.UsageEncrypt | values.UsageDecrypt},
		{values.KeyTypeRSAPublicKey, values.AlgRSAOAEP(values.AlgSHA256), values.UsageEncrypt},
		{values.KeyTypeDerive, values.AlgHKDF(values.AlgSHA256), values.UsageDerive},
		{values.KeyTypeHMAC, values.AlgHMAC(values.AlgSHA256), values.UsageSignHash | values.UsageVerifyHash},
		{values.KeyTypeRawData, 0, 0},
	} {
		if got := usageToExercise(tc.kt, tc.alg); got != tc.want {
			t.Errorf("usageToExercise(%v, %v) = %v, want %v", tc.kt, tc.alg, got, tc.want)
		}
	}
}
