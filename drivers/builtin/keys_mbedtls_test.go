package builtin

import (
	"bufio"
	"bytes"
	"crypto/hkdf"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// The key management cases of the TF-PSA-Crypto 1.0.0 test suites
// (../shared/testsuites/mbedtls), run against the entry points directly:
// import_export, import_with_data, import_export_public_key,
// import_large_key, import_rsa_made_up, derive_key, derive_key_type,
// generate_key, generate_key_custom, import_not_supported and
// generate_not_supported. Checks that belong to the core (usage policy,
// output buffer sizes, opaque drivers) are left out of each case; cases
// whose dependencies the builtin driver does not meet are skipped with
// their reason.

const mbedtlsDir = "../../../shared/testsuites/mbedtls"

type dataCase struct {
	file, name string
	deps       []string
	fn         string
	args       []string
}

// readDataFile parses a .data file: test cases are separated by blank
// lines and have a name line, an optional depends_on line and a function
// line whose arguments are separated by unescaped colons (empty ones
// dropped).
func readDataFile(t *testing.T, name string) []dataCase {
	t.Helper()
	path := filepath.Join(mbedtlsDir, name)
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("test data not available (%v); it lives in shared/testsuites next to the repository", err)
	}
	defer f.Close()
	var cases []dataCase
	var block []string
	flush := func() {
		if len(block) >= 2 {
			c := dataCase{file: name, name: block[0]}
			fnLine := block[len(block)-1]
			if len(block) == 3 {
				if i := strings.Index(block[1], "depends_on:"); i >= 0 {
					c.deps = strings.Split(block[1][i+len("depends_on:"):], ":")
				}
			}
			parts := splitEscaped(fnLine)
			c.fn, c.args = parts[0], parts[1:]
			cases = append(cases, c)
		}
		block = block[:0]
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") {
			continue
		}
		if line == "" {
			flush()
			continue
		}
		block = append(block, line)
	}
	flush()
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

func splitEscaped(s string) []string {
	var out []string
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			cur.WriteByte(s[i])
			cur.WriteByte(s[i+1])
			i++
		case s[i] == ':':
			if cur.Len() > 0 {
				out = append(out, cur.String())
			}
			cur.Reset()
		default:
			cur.WriteByte(s[i])
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// constants gives the values of the configuration symbols that the cases
// use in arguments and dependencies, as the builtin driver implements
// them.
var constants = map[string]int64{
	"PSA_VENDOR_RSA_GENERATE_MIN_KEY_BITS": rsaMinGenerateBits,
	"PSA_VENDOR_RSA_MAX_KEY_BITS":          rsaMaxImportBits,
	"PSA_VENDOR_ECC_MAX_CURVE_BITS":        521,
	"PSA_MAX_KEY_BITS":                     0xfff8,
	"MBEDTLS_CTR_DRBG_MAX_REQUEST":         1024,
	// The core keeps key buffers in Go slices: no fixed maximum.
	"MBEDTLS_PSA_KEY_BUFFER_MAX_SIZE": 1 << 30,
	"INT_MAX":                         1<<31 - 1,
}

var wantRE = regexp.MustCompile(`^PSA_WANT_(ECC|DH)_([A-Z0-9_]+)_([0-9]+)$`)

// depsMet reports whether the builtin driver meets a case's dependencies.
func depsMet(deps []string) (bool, string) {
	for _, d := range deps {
		d = strings.TrimSpace(d)
		neg := strings.HasPrefix(d, "!")
		d = strings.TrimPrefix(d, "!")
		var have bool
		switch {
		case strings.ContainsAny(d, "<>=!"):
			ok, err := evalCondition(d)
			if err != nil {
				return false, "cannot evaluate " + d
			}
			have = ok
		case wantRE.MatchString(d):
			m := wantRE.FindStringSubmatch(d)
			bits, _ := strconv.Atoi(m[3])
			if m[1] == "ECC" {
				fam, err := values.ParseECCFamily("PSA_ECC_FAMILY_" + m[2])
				if err != nil {
					return false, "unknown curve family in " + d
				}
				_, err = findCurve("test", values.KeyTypeECCKeyPair(fam), fam, bits)
				have = err == nil
			} else {
				fam, err := values.ParseDHFamily("PSA_DH_FAMILY_" + m[2])
				if err != nil {
					return false, "unknown DH family in " + d
				}
				_, err = findDHGroup("test", values.KeyTypeDHKeyPair(fam), fam, bits)
				have = err == nil
			}
		case strings.HasPrefix(d, "MBEDTLS_PSA_BUILTIN_"):
			// The Mbed TLS builtin implementation: this driver.
			have = true
		case strings.HasPrefix(d, "PSA_WANT_"):
			// Key types and algorithms: the builtin driver has every key
			// type of these files; algorithms are not needed here.
			have = true
		default:
			// MBEDTLS_* configuration and test-driver symbols describe
			// the C library, not the PSA API.
			have = false
		}
		if have == neg {
			return false, "dependency " + map[bool]string{true: "!", false: ""}[neg] + d
		}
	}
	return true, ""
}

func evalCondition(s string) (bool, error) {
	for _, op := range []string{"<=", ">=", "==", "!=", "<", ">"} {
		if i := strings.Index(s, op); i >= 0 {
			a, err := evalInt(s[:i])
			if err != nil {
				return false, err
			}
			b, err := evalInt(s[i+len(op):])
			if err != nil {
				return false, err
			}
			switch op {
			case "<=":
				return a <= b, nil
			case ">=":
				return a >= b, nil
			case "==":
				return a == b, nil
			case "!=":
				return a != b, nil
			case "<":
				return a < b, nil
			default:
				return a > b, nil
			}
		}
	}
	return false, fmt.Errorf("no comparison in %q", s)
}

// evalInt evaluates an integer argument: numbers, known symbols, + - *
// and parentheses.
func evalInt(s string) (int64, error) {
	p := &exprParser{s: strings.ReplaceAll(s, " ", "")}
	v, err := p.sum()
	if err == nil && p.i != len(p.s) {
		err = fmt.Errorf("trailing %q", p.s[p.i:])
	}
	return v, err
}

type exprParser struct {
	s string
	i int
}

func (p *exprParser) sum() (int64, error) {
	v, err := p.product()
	for err == nil && p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
		op := p.s[p.i]
		p.i++
		var w int64
		if w, err = p.product(); op == '+' {
			v += w
		} else {
			v -= w
		}
	}
	return v, err
}

func (p *exprParser) product() (int64, error) {
	v, err := p.atom()
	for err == nil && p.i < len(p.s) && p.s[p.i] == '*' {
		p.i++
		var w int64
		w, err = p.atom()
		v *= w
	}
	return v, err
}

func (p *exprParser) atom() (int64, error) {
	if p.i < len(p.s) && p.s[p.i] == '(' {
		p.i++
		v, err := p.sum()
		if err != nil || p.i >= len(p.s) || p.s[p.i] != ')' {
			return 0, fmt.Errorf("bad parentheses in %q", p.s)
		}
		p.i++
		return v, nil
	}
	if p.i < len(p.s) && p.s[p.i] == '-' {
		p.i++
		v, err := p.atom()
		return -v, err
	}
	j := p.i
	for j < len(p.s) && (p.s[j] == '_' || p.s[j] >= '0' && p.s[j] <= '9' || p.s[j] >= 'A' && p.s[j] <= 'Z' || p.s[j] >= 'a' && p.s[j] <= 'z') {
		j++
	}
	tok := p.s[p.i:j]
	p.i = j
	if tok == "PSA_BITS_TO_BYTES" && p.i < len(p.s) && p.s[p.i] == '(' {
		v, err := p.atom()
		return (v + 7) / 8, err
	}
	if v, err := strconv.ParseInt(tok, 0, 64); err == nil {
		return v, nil
	}
	if v, ok := constants[tok]; ok {
		return v, nil
	}
	return 0, fmt.Errorf("unknown symbol %q", tok)
}

func hexArg(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Trim(s, `"`))
	if err != nil {
		t.Fatalf("bad hex argument %q: %v", s, err)
	}
	return b
}

func keyTypeArg(t *testing.T, s string) values.KeyType {
	t.Helper()
	switch s { // category masks, which are not key types
	case "PSA_KEY_TYPE_CATEGORY_MASK":
		return 0x7000
	case "PSA_KEY_TYPE_CATEGORY_SYMMETRIC":
		return 0x2000
	}
	k, err := values.ParseKeyType(s)
	if err != nil {
		t.Skipf("key type %s: %v", s, err)
	}
	return k
}

func intArg(t *testing.T, s string) int {
	t.Helper()
	v, err := evalInt(s)
	if err != nil {
		t.Skipf("argument %s: %v", s, err)
	}
	return int(v)
}

func statusArg(t *testing.T, s string) values.Status {
	t.Helper()
	st, err := values.ParseStatus(s)
	if err != nil {
		t.Fatalf("status %s: %v", s, err)
	}
	return st
}

// checkStatus compares an entry point's error with an expected status.
// Where the specification allows either, INVALID_ARGUMENT and
// NOT_SUPPORTED are interchangeable (the C harness does the same for
// invalid sizes).
func checkStatus(t *testing.T, err error, want values.Status, lenient bool) bool {
	t.Helper()
	got := driver.StatusOf(err)
	if got == want {
		return true
	}
	if lenient && (got == values.ErrInvalidArgument || got == values.ErrNotSupported) &&
		(want == values.ErrInvalidArgument || want == values.ErrNotSupported) {
		return true
	}
	t.Errorf("status %v, want %v (error: %v)", got, want, err)
	return false
}

func TestMbedTLSKeyVectors(t *testing.T) {
	files := []string{
		"test_suite_psa_crypto.data",
		"test_suite_psa_crypto_generate_key.generated.data",
		"test_suite_psa_crypto_not_supported.generated.data",
		"test_suite_psa_crypto_not_supported.misc.data",
	}
	handlers := map[string]func(*testing.T, *Driver, []string){
		"import_export":            runImportExport,
		"import_with_data":         runImportWithData,
		"import_export_public_key": runImportExportPublic,
		"import_large_key":         runImportLargeKey,
		"import_rsa_made_up":       runImportRSAMadeUp,
		"derive_key_type":          runDeriveKeyType,
		"derive_key":               runDeriveKey,
		"generate_key":             runGenerateKey,
		"generate_key_custom":      runGenerateKeyCustom,
		"import_not_supported":     runImportNotSupported,
		"generate_not_supported":   runGenerateNotSupported,
	}
	d := new(Driver)
	type tally struct{ run, skip int }
	counts := map[string]*tally{}
	for _, file := range files {
		for _, c := range readDataFile(t, file) {
			h, ok := handlers[c.fn]
			if !ok {
				continue
			}
			if counts[c.fn] == nil {
				counts[c.fn] = &tally{}
			}
			if ok, why := depsMet(c.deps); !ok {
				counts[c.fn].skip++
				t.Logf("skip %s / %q: %s", c.fn, c.name, why)
				continue
			}
			if testing.Short() && strings.Contains(c.name, "RSA") && strings.HasPrefix(c.fn, "generate") {
				counts[c.fn].skip++
				continue
			}
			counts[c.fn].run++
			t.Run(c.fn+"/"+c.name, func(t *testing.T) { h(t, d, c.args) })
		}
	}
	var names []string
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Logf("%-26s run %3d, skipped %3d", n, counts[n].run, counts[n].skip)
	}
	if counts["import_export"] == nil || counts["import_export"].run < 40 {
		t.Errorf("too few import_export cases ran: %+v", counts["import_export"])
	}
}

// import_export:data:type:usage:alg:lifetime:expected_bits:export_size_delta:expected_export_status:canonical_input
func runImportExport(t *testing.T, d *Driver, a []string) {
	if a[4] != "0" {
		t.Skip("opaque key location: not the builtin driver")
	}
	data, typ := hexArg(t, a[0]), keyTypeArg(t, a[1])
	wantBits, canonical := intArg(t, a[5]), a[8] == "1"
	key, bits, err := d.ImportKey(values.Attributes{Type: typ}, data, nil)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if bits != wantBits {
		t.Errorf("bits = %d, want %d", bits, wantBits)
	}
	if canonical && !bytes.Equal(key, data) {
		t.Errorf("export = %x, want the input %x", key, data)
	}
	// Exporting and importing again gives the same key (canonical form).
	again, bits2, err := d.ImportKey(values.Attributes{Type: typ, Bits: bits}, key, nil)
	if err != nil || bits2 != bits || !bytes.Equal(again, key) {
		t.Errorf("re-import of the export: %x, %d, %v; want %x, %d", again, bits2, err, key, bits)
	}
}

// import_with_data:data:type:attr_bits:expected_status
func runImportWithData(t *testing.T, d *Driver, a []string) {
	data, typ, attrBits := hexArg(t, a[0]), keyTypeArg(t, a[1]), intArg(t, a[2])
	want := statusArg(t, a[3])
	_, bits, err := d.ImportKey(values.Attributes{Type: typ, Bits: attrBits}, data, nil)
	if !checkStatus(t, err, want, false) || err != nil {
		return
	}
	if attrBits != 0 && bits != attrBits {
		t.Errorf("bits = %d, want %d", bits, attrBits)
	}
}

// import_export_public_key:data:type:alg:lifetime:export_size_delta:expected_status:expected_public_key
func runImportExportPublic(t *testing.T, d *Driver, a []string) {
	if a[3] != "0" {
		t.Skip("opaque key location: not the builtin driver")
	}
	if intArg(t, a[4]) < 0 {
		t.Skip("output buffer size: a matter of the core")
	}
	data, typ, want := hexArg(t, a[0]), keyTypeArg(t, a[1]), statusArg(t, a[5])
	expected := hexArg(t, a[6])
	attrs := values.Attributes{Type: typ}
	key, bits, err := d.ImportKey(attrs, data, nil)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	attrs.Bits = bits
	pub, err := d.ExportPublicKey(attrs, key, nil)
	if !checkStatus(t, err, want, false) || err != nil {
		return
	}
	if !bytes.Equal(pub, expected) {
		t.Errorf("public key = %x, want %x", pub, expected)
	}
	// The public key imports as its public-key type, with the same size.
	_, pbits, err := d.ImportKey(values.Attributes{Type: typ.PublicKeyOfKeyPair()}, pub, nil)
	if err != nil || pbits != bits {
		t.Errorf("import of the exported public key: %d bits, %v; want %d bits", pbits, err, bits)
	}
}

// import_large_key:type:byte_size:expected_status
func runImportLargeKey(t *testing.T, d *Driver, a []string) {
	typ, n, want := keyTypeArg(t, a[0]), intArg(t, a[1]), statusArg(t, a[2])
	data := bytes.Repeat([]byte{0x2a}, n)
	_, bits, err := d.ImportKey(values.Attributes{Type: typ}, data, nil)
	if checkStatus(t, err, want, false) && err == nil && bits != 8*n {
		t.Errorf("bits = %d, want %d", bits, 8*n)
	}
}

// import_rsa_made_up:bits:keypair:expected_status
func runImportRSAMadeUp(t *testing.T, d *Driver, a []string) {
	bits, pair, want := intArg(t, a[0]), a[1] == "1", statusArg(t, a[2])
	// A structurally valid key whose numbers are made up: the modulus has
	// the requested size, the other integers are small.
	n := new(big.Int).Lsh(big.NewInt(1), uint(bits-1))
	n.Add(n, big.NewInt(1))
	typ := values.KeyTypeRSAPublicKey
	var data []byte
	if pair {
		typ = values.KeyTypeRSAKeyPair
		data = fakeRSAPrivateKey(n)
	} else {
		data = appendRSAPublicKey(nil, n, big.NewInt(65537))
	}
	_, _, err := d.ImportKey(values.Attributes{Type: typ}, data, nil)
	checkStatus(t, err, want, false)
}

func fakeRSAPrivateKey(n *big.Int) []byte {
	var body []byte
	body = append(body, 0x02, 0x01, 0x00) // version 0
	for _, v := range []*big.Int{n, big.NewInt(65537), big.NewInt(3), big.NewInt(5), big.NewInt(7), big.NewInt(1), big.NewInt(1), big.NewInt(1)} {
		body = appendDERInt(body, v)
	}
	return appendDERSeq(nil, body)
}

func appendDERInt(dst []byte, v *big.Int) []byte {
	b := v.Bytes()
	if len(b) == 0 || b[0]&0x80 != 0 {
		b = append([]byte{0}, b...)
	}
	return appendDERLen(append(dst, 0x02), b)
}

func appendDERSeq(dst, body []byte) []byte { return appendDERLen(append(dst, 0x30), body) }

func appendDERLen(dst, body []byte) []byte {
	switch l := len(body); {
	case l < 0x80:
		dst = append(dst, byte(l))
	case l < 0x100:
		dst = append(dst, 0x81, byte(l))
	default:
		dst = append(dst, 0x82, byte(l>>8), byte(l))
	}
	return append(dst, body...)
}

// derivationStream returns the output stream of the key derivation of a
// derive_key or derive_key_type case: HKDF-SHA-256(secret=key, salt=in1,
// info=in2) or PBKDF2-HMAC-SHA-256(password=key, cost=in1, salt=in2).
func derivationStream(t *testing.T, alg string, key, in1, in2 []byte) *bytes.Reader {
	t.Helper()
	switch alg {
	case "PSA_ALG_HKDF(PSA_ALG_SHA_256)":
		out, err := hkdf.Key(sha256.New, key, in1, string(in2), 255*sha256.Size)
		if err != nil {
			t.Fatal(err)
		}
		return bytes.NewReader(out)
	case "PSA_ALG_PBKDF2_HMAC(PSA_ALG_SHA_256)":
		cost := new(big.Int).SetBytes(in1).Int64()
		out, err := pbkdf2.Key(sha256.New, string(key), in2, int(cost), 1024)
		if err != nil {
			t.Fatal(err)
		}
		return bytes.NewReader(out)
	}
	t.Skipf("derivation algorithm %s is outside this test (the key derivation code tests it)", alg)
	return nil
}

// derive_key_type:alg:key_data:input1:input2:key_type:bits:expected_export
func runDeriveKeyType(t *testing.T, d *Driver, a []string) {
	stream := derivationStream(t, a[0], hexArg(t, a[1]), hexArg(t, a[2]), hexArg(t, a[3]))
	typ, bits, want := keyTypeArg(t, a[4]), intArg(t, a[5]), hexArg(t, a[6])
	key, err := d.DeriveKey(values.Attributes{Type: typ, Bits: bits}, stream, nil)
	if err != nil {
		t.Fatalf("derive: %v", err)
	}
	if !bytes.Equal(key, want) {
		t.Errorf("derived key = %x, want %x", key, want)
	}
}

// derive_key:alg:key_data:input1:input2:type:bits:expected_status:is_large_output
func runDeriveKey(t *testing.T, d *Driver, a []string) {
	typ, bits, want := keyTypeArg(t, a[4]), intArg(t, a[5]), statusArg(t, a[6])
	// The statuses depend on the type and size only: an endless stream
	// stands for the derivation, whatever its algorithm.
	_, err := d.DeriveKey(values.Attributes{Type: typ, Bits: bits}, zeroReader{}, nil)
	checkStatus(t, err, want, true)
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 0x5a
	}
	return len(p), nil
}

// generate_key:type:bits:usage:alg:expected_status:is_large_key (in the
// generated file: generate_key:type:bits:expected_status)
func runGenerateKey(t *testing.T, d *Driver, a []string) {
	typ, bits := keyTypeArg(t, a[0]), intArg(t, a[1])
	status := a[2]
	if len(a) >= 5 {
		status = a[4]
	}
	checkGenerate(t, d, values.Attributes{Type: typ, Bits: bits}, driver.ProductionParameters{}, statusArg(t, status))
}

// generate_key_custom:type:bits:usage:alg:flags:custom_data:expected_status
func runGenerateKeyCustom(t *testing.T, d *Driver, a []string) {
	typ, bits := keyTypeArg(t, a[0]), intArg(t, a[1])
	params := driver.ProductionParameters{Flags: uint32(intArg(t, a[4])), Data: hexArg(t, a[5])}
	checkGenerate(t, d, values.Attributes{Type: typ, Bits: bits}, params, statusArg(t, a[6]))
}

func checkGenerate(t *testing.T, d *Driver, attrs values.Attributes, params driver.ProductionParameters, want values.Status) {
	t.Helper()
	key, err := d.GenerateKey(attrs, params, nil)
	if !checkStatus(t, err, want, false) || err != nil {
		return
	}
	// A generated key is a valid key of its type and size.
	again, bits, err := d.ImportKey(values.Attributes{Type: attrs.Type, Bits: attrs.Bits}, key, nil)
	if err != nil || bits != attrs.Bits || !bytes.Equal(again, key) {
		t.Errorf("import of the generated key: %d bits, %v; want %d bits and the same key", bits, err, attrs.Bits)
	}
	if attrs.Type.IsRSA() && len(params.Data) > 0 {
		n, e, err := parseRSAKeyPairPublic(key)
		if err != nil {
			t.Fatal(err)
		}
		if want := new(big.Int).SetBytes(params.Data); e.Cmp(want) != 0 || n.BitLen() != attrs.Bits {
			t.Errorf("generated e = %v, %d-bit modulus; want e = %v, %d bits", e, n.BitLen(), want, attrs.Bits)
		}
	}
}

func parseRSAKeyPairPublic(key []byte) (n, e *big.Int, err error) {
	k, err := parseRSAPrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return k.n, k.e, nil
}

// import_not_supported:type:data
func runImportNotSupported(t *testing.T, d *Driver, a []string) {
	typ, data := keyTypeArg(t, a[0]), hexArg(t, a[1])
	_, _, err := d.ImportKey(values.Attributes{Type: typ}, data, nil)
	if !errors.Is(err, values.ErrNotSupported) {
		t.Errorf("import: %v, want NOT_SUPPORTED", err)
	}
}

// generate_not_supported:type:bits
func runGenerateNotSupported(t *testing.T, d *Driver, a []string) {
	typ, bits := keyTypeArg(t, a[0]), intArg(t, a[1])
	_, err := d.GenerateKey(values.Attributes{Type: typ, Bits: bits}, driver.ProductionParameters{}, nil)
	if !errors.Is(err, values.ErrNotSupported) {
		t.Errorf("generate: %v, want NOT_SUPPORTED", err)
	}
}
