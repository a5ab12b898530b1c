package builtin

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gopsa/psa/internal/conformance/datafile"
	"github.com/gopsa/psa/internal/conformance/expr"
	"github.com/gopsa/psa/values"
)

// The public-key cases of the TF-PSA-Crypto test suites
// (shared/testsuites/mbedtls), run against the entry points: signatures,
// asymmetric encryption and raw key agreement, and the generated
// incompatibility cases of the op_fail suite. What the C test functions
// check beyond the mechanism (output buffer sizes, key policies,
// interruptible operation states) belongs to the core and is left out; a
// case whose dependencies the builtin driver does not meet is skipped
// with its reason. The summary per test function is logged (go test -v).

// pkSuiteConfig answers the suites' dependencies as the builtin driver's
// public-key mechanisms meet them.
type pkSuiteConfig struct{ *expr.PSAEnv }

var pkWantCurve = regexp.MustCompile(`^PSA_WANT_(ECC|DH)_([A-Z0-9_]+)_([0-9]+)$`)

func (c pkSuiteConfig) Defined(sym string) bool {
	if m := pkWantCurve.FindStringSubmatch(sym); m != nil {
		bits, _ := strconv.Atoi(m[3])
		if m[1] == "ECC" {
			f, err := values.ParseECCFamily("PSA_ECC_FAMILY_" + m[2])
			if err != nil {
				return false
			}
			_, err = findCurve("test", values.KeyTypeECCKeyPair(f), f, bits)
			return err == nil
		}
		f, err := values.ParseDHFamily("PSA_DH_FAMILY_" + m[2])
		if err != nil {
			return false
		}
		_, err = findDHGroup("test", values.KeyTypeDHKeyPair(f), f, bits)
		return err == nil
	}
	if name, ok := strings.CutPrefix(sym, "PSA_WANT_ALG_"); ok {
		// Hashes are supported when gopsa computes them; every
		// algorithm family that these suites name is implemented.
		if alg, err := values.ParseAlgorithm("PSA_ALG_" + name); err == nil && alg.IsHash() {
			_, err := lookupPKHash("test", alg, alg)
			return err == nil
		}
		return true
	}
	return strings.HasPrefix(sym, "PSA_WANT_KEY_TYPE_") || strings.HasPrefix(sym, "MBEDTLS_PSA_BUILTIN_")
}

var pkSuiteEnv = pkSuiteConfig{expr.NewPSAEnv(map[string]int64{
	"PSA_VENDOR_RSA_MAX_KEY_BITS":   rsaMaxImportBits,
	"PSA_VENDOR_ECC_MAX_CURVE_BITS": 521,
	"PSA_VENDOR_FFDH_MAX_KEY_BITS":  8192,
})}

// pkCase is one test case being run: it decodes its arguments and
// records why it was skipped.
type pkCase struct {
	t    *testing.T
	c    datafile.Case
	skip string
}

// interruptible reports whether the case is one of Mbed TLS's
// interruptible functions, whose errors for an algorithm they do not
// handle (only ECDSA is interruptible there) differ: INVALID_ARGUMENT and
// NOT_SUPPORTED are taken for each other.
func (pc *pkCase) interruptible() bool { return strings.HasSuffix(pc.c.Func, "_interruptible") }

func (pc *pkCase) hex(i int) []byte {
	b, err := datafile.DecodeHex(pc.c.Args[i])
	if err != nil {
		pc.t.Fatalf("argument %d: %v", i, err)
	}
	return b
}

func (pc *pkCase) int(i int) int64 {
	v, err := datafile.DecodeInt(pc.c.Args[i], pkSuiteEnv)
	if err != nil {
		pc.t.Fatalf("argument %d (%s): %v", i, pc.c.Args[i], err)
	}
	return v
}

func (pc *pkCase) alg(i int) values.Algorithm   { return values.Algorithm(uint32(pc.int(i))) }
func (pc *pkCase) status(i int) values.Status   { return values.Status(int32(pc.int(i))) }
func (pc *pkCase) keyType(i int) values.KeyType { return values.KeyType(uint16(pc.int(i))) }

// key imports argument i as a key of the type of argument ti; a key that
// the builtin driver cannot import skips the case (the core would fail
// before the operation).
func (pc *pkCase) key(ti, i int) (pkKey, bool) {
	var d Driver
	a := values.Attributes{Type: pc.keyType(ti)}
	buf, bits, err := d.ImportKey(a, pc.hex(i), nil)
	if err != nil {
		pc.skip = "key import fails (" + values.Status(driverStatus(err)).String() + "): the core stops there"
		return pkKey{}, false
	}
	a.Bits = bits
	return pkKey{a, buf}, true
}

func driverStatus(err error) values.Status {
	var s values.Status
	if errors.As(err, &s) {
		return s
	}
	return values.ErrGenericError
}

// coreStatus reports whether a status is one that only the core produces.
func (pc *pkCase) coreStatus(s values.Status) bool {
	switch s {
	case values.ErrBufferTooSmall:
		pc.skip = "output buffer sizes are the core's"
	case values.ErrNotPermitted:
		pc.skip = "key policies are the core's"
	case values.ErrBadState:
		pc.skip = "operation states are the core's"
	default:
		return false
	}
	return true
}

func (pc *pkCase) expect(what string, err error, want values.Status) {
	pc.t.Helper()
	got := values.Success
	if err != nil {
		got = driverStatus(err)
	}
	if got == values.ErrNotSupported && want != got && strings.Contains(err.Error(), "keys under 1024 bits") {
		pc.skip = "crypto/rsa refuses RSA keys under 1024 bits"
		return
	}
	if pc.interruptible() && (want == values.ErrInvalidArgument || want == values.ErrNotSupported) {
		pc.expectFail(what, err)
		return
	}
	if got != want {
		pc.t.Errorf("%s: got %v (%v), want %v", what, got, err, want)
	}
}

// expectFail accepts values.ErrInvalidArgument and values.ErrNotSupported
// for each other, as the op_fail suite does.
func (pc *pkCase) expectFail(what string, err error) {
	pc.t.Helper()
	if !errors.Is(err, values.ErrInvalidArgument) && !errors.Is(err, values.ErrNotSupported) {
		pc.t.Errorf("%s: got %v, want INVALID_ARGUMENT or NOT_SUPPORTED", what, err)
	}
}

var pkRunners = map[string]func(pc *pkCase){
	"sign_hash_deterministic":        pkSignDeterministic(true),
	"sign_hash_interruptible":        pkSignDeterministic(true),
	"sign_message_deterministic":     pkSignDeterministic(false),
	"sign_hash_fail":                 pkSignFail(true, 5),
	"sign_message_fail":              pkSignFail(false, 5),
	"sign_hash_fail_interruptible":   pkSignFail(true, 5, 6),
	"sign_verify_hash":               pkSignVerify(true),
	"sign_verify_hash_interruptible": pkSignVerify(true),
	"sign_verify_message":            pkSignVerify(false),
	"verify_hash":                    pkVerify(true, -1),
	"verify_hash_interruptible":      pkVerify(true, -1),
	"verify_message":                 pkVerify(false, -1),
	"verify_hash_fail":               pkVerify(true, 5),
	"verify_hash_fail_interruptible": pkVerify(true, 5, 6),
	"verify_message_fail":            pkVerify(false, 5),
	"asymmetric_encrypt":             pkAsymEncrypt,
	"asymmetric_encrypt_decrypt":     pkAsymEncryptDecrypt,
	"asymmetric_decrypt":             pkAsymDecrypt,
	"asymmetric_decrypt_fail":        pkAsymDecryptFail,
	"key_agreement":                  pkKeyAgreement,
	"sign_fail":                      pkOpFailSign,
	"asymmetric_encryption_fail":     pkOpFailAsym,
	"key_agreement_fail":             pkOpFailAgreement,
}

func pkSignDeterministic(isHash bool) func(pc *pkCase) {
	return func(pc *pkCase) {
		k, ok := pc.key(0, 1)
		if !ok {
			return
		}
		var d Driver
		alg, in, want := pc.alg(2), pc.hex(3), pc.hex(4)
		var sig []byte
		var err error
		if isHash {
			sig, err = d.SignHash(k.attrs, k.buf, alg, in, nil)
		} else {
			sig, err = d.SignMessage(k.attrs, k.buf, alg, in, nil)
		}
		pc.expect("sign", err, values.Success)
		if err == nil && !bytes.Equal(sig, want) {
			pc.t.Errorf("signature %x\nwant      %x", sig, want)
		}
	}
}

// pkSignFail runs the sign_*_fail functions: the expected status is the
// first of the status arguments that is not PSA_SUCCESS.
func pkSignFail(isHash bool, statuses ...int) func(pc *pkCase) {
	return func(pc *pkCase) {
		want := values.Success
		for _, i := range statuses {
			if want == values.Success {
				want = pc.status(i)
			}
		}
		if pc.coreStatus(want) {
			return
		}
		k, ok := pc.key(0, 1)
		if !ok {
			return
		}
		var d Driver
		var err error
		if isHash {
			_, err = d.SignHash(k.attrs, k.buf, pc.alg(2), pc.hex(3), nil)
		} else {
			_, err = d.SignMessage(k.attrs, k.buf, pc.alg(2), pc.hex(3), nil)
		}
		pc.expect("sign", err, want)
	}
}

func pkSignVerify(isHash bool) func(pc *pkCase) {
	return func(pc *pkCase) {
		k, ok := pc.key(0, 1)
		if !ok {
			return
		}
		var d Driver
		alg, in := pc.alg(2), pc.hex(3)
		sign, verify := d.SignMessage, d.VerifyMessage
		if isHash {
			sign, verify = d.SignHash, d.VerifyHash
		}
		sig, err := sign(k.attrs, k.buf, alg, in, nil)
		pc.expect("sign", err, values.Success)
		if err != nil {
			return
		}
		pub := k.public(pc.t)
		pc.expect("verify with the key pair", verify(k.attrs, k.buf, alg, in, sig), values.Success)
		pc.expect("verify with the public key", verify(pub.attrs, pub.buf, alg, in, sig), values.Success)
		sig[len(sig)/2] ^= 1
		pc.expect("verify a corrupted signature", verify(pub.attrs, pub.buf, alg, in, sig), values.ErrInvalidSignature)
	}
}

// pkVerify runs verify_* functions; statuses are the arguments holding
// the expected statuses (none: success).
func pkVerify(isHash bool, statuses ...int) func(pc *pkCase) {
	return func(pc *pkCase) {
		want := values.Success
		for _, i := range statuses {
			if i >= 0 && want == values.Success {
				want = pc.status(i)
			}
		}
		if pc.coreStatus(want) {
			return
		}
		k, ok := pc.key(0, 1)
		if !ok {
			return
		}
		var d Driver
		verify := d.VerifyMessage
		if isHash {
			verify = d.VerifyHash
		}
		pc.expect("verify", verify(k.attrs, k.buf, pc.alg(2), pc.hex(3), pc.hex(4)), want)
	}
}

func pkAsymEncrypt(pc *pkCase) {
	want := pc.status(6)
	if pc.coreStatus(want) {
		return
	}
	k, ok := pc.key(0, 1)
	if !ok {
		return
	}
	var d Driver
	alg, in, label := pc.alg(2), pc.hex(3), pc.hex(4)
	out, err := d.AsymmetricEncrypt(k.attrs, k.buf, alg, in, label, nil)
	pc.expect("encrypt", err, want)
	if err != nil {
		return
	}
	if int64(len(out)) != pc.int(5) {
		pc.t.Errorf("%d bytes of ciphertext, want %d", len(out), pc.int(5))
	}
	if k.attrs.Type.IsKeyPair() {
		pt, err := d.AsymmetricDecrypt(k.attrs, k.buf, alg, out, label, nil)
		pc.expect("decrypt", err, values.Success)
		if !bytes.Equal(pt, in) {
			pc.t.Errorf("decrypted %x, want %x", pt, in)
		}
	}
}

func pkAsymEncryptDecrypt(pc *pkCase) {
	k, ok := pc.key(0, 1)
	if !ok {
		return
	}
	var d Driver
	alg, in, label := pc.alg(2), pc.hex(3), pc.hex(4)
	pub := k.public(pc.t)
	ct, err := d.AsymmetricEncrypt(pub.attrs, pub.buf, alg, in, label, nil)
	pc.expect("encrypt", err, values.Success)
	pt, err := d.AsymmetricDecrypt(k.attrs, k.buf, alg, ct, label, nil)
	pc.expect("decrypt", err, values.Success)
	if !bytes.Equal(pt, in) {
		pc.t.Errorf("decrypted %x, want %x", pt, in)
	}
}

func pkAsymDecrypt(pc *pkCase) {
	k, ok := pc.key(0, 1)
	if !ok {
		return
	}
	var d Driver
	pt, err := d.AsymmetricDecrypt(k.attrs, k.buf, pc.alg(2), pc.hex(3), pc.hex(4), nil)
	pc.expect("decrypt", err, values.Success)
	if want := pc.hex(5); err == nil && !bytes.Equal(pt, want) {
		pc.t.Errorf("decrypted %x, want %x", pt, want)
	}
}

func pkAsymDecryptFail(pc *pkCase) {
	want := pc.status(6)
	if pc.coreStatus(want) {
		return
	}
	k, ok := pc.key(0, 1)
	if !ok {
		return
	}
	var d Driver
	_, err := d.AsymmetricDecrypt(k.attrs, k.buf, pc.alg(2), pc.hex(3), pc.hex(4), nil)
	pc.expect("decrypt", err, want)
}

func pkKeyAgreement(pc *pkCase) {
	if len(pc.c.Args) != 5 {
		pc.skip = "not the raw key agreement function of this suite"
		return
	}
	k, ok := pc.key(1, 2)
	if !ok {
		return
	}
	var d Driver
	z, err := d.KeyAgreement(k.attrs, k.buf, pc.alg(0), pc.hex(3), nil)
	pc.expect("key agreement", err, values.Success)
	if want := pc.hex(4); err == nil && !bytes.Equal(z, want) {
		pc.t.Errorf("shared secret %x\nwant          %x", z, want)
	}
}

// The op_fail functions: every entry point of the family must refuse.
func pkOpFail(pc *pkCase) (pkKey, values.Algorithm, bool) {
	want := pc.status(4)
	if want != values.ErrInvalidArgument && want != values.ErrNotSupported {
		pc.skip = "expects " + want.String()
		return pkKey{}, 0, false
	}
	k, ok := pc.key(0, 1)
	return k, pc.alg(2), ok
}

func pkOpFailSign(pc *pkCase) {
	k, alg, ok := pkOpFail(pc)
	if !ok {
		return
	}
	var d Driver
	in := make([]byte, max(values.HashLength(alg.Hash()), 1))
	sig := make([]byte, 64)
	pc.expectFail("sign hash", pkErr(d.SignHash(k.attrs, k.buf, alg, in, nil)))
	pc.expectFail("sign message", pkErr(d.SignMessage(k.attrs, k.buf, alg, in, nil)))
	// private_only: the key is a public key that verification accepts.
	if pc.int(3) == 0 {
		pc.expectFail("verify hash", d.VerifyHash(k.attrs, k.buf, alg, in, sig))
		pc.expectFail("verify message", d.VerifyMessage(k.attrs, k.buf, alg, in, sig))
	}
}

func pkOpFailAsym(pc *pkCase) {
	k, alg, ok := pkOpFail(pc)
	if !ok {
		return
	}
	var d Driver
	if pc.int(3) == 0 {
		pc.expectFail("encrypt", pkErr(d.AsymmetricEncrypt(k.attrs, k.buf, alg, []byte("m"), nil, nil)))
	}
	pc.expectFail("decrypt", pkErr(d.AsymmetricDecrypt(k.attrs, k.buf, alg, make([]byte, 128), nil, nil)))
}

func pkOpFailAgreement(pc *pkCase) {
	k, alg, ok := pkOpFail(pc)
	if !ok {
		return
	}
	var d Driver
	pc.expectFail("key agreement", pkErr(d.KeyAgreement(k.attrs, k.buf, alg, make([]byte, 65), nil)))
}

// TestPKMbedTLSSuites runs the cases and checks that enough of each
// function ran: a change that skips cases silently fails here.
func TestPKMbedTLSSuites(t *testing.T) {
	minPass := map[string]int{
		"sign_hash_deterministic": 5, "sign_hash_interruptible": 6, "sign_hash_fail": 11,
		"sign_hash_fail_interruptible": 4, "sign_verify_hash": 10, "sign_verify_hash_interruptible": 12,
		"verify_hash": 15, "verify_hash_interruptible": 5, "verify_hash_fail": 21,
		"verify_hash_fail_interruptible": 8, "sign_message_deterministic": 4, "sign_message_fail": 9,
		"sign_verify_message": 17, "verify_message": 13, "verify_message_fail": 15,
		"asymmetric_encrypt": 12, "asymmetric_encrypt_decrypt": 5, "asymmetric_decrypt": 7,
		"asymmetric_decrypt_fail": 14, "key_agreement": 18,
		"sign_fail": 1094, "asymmetric_encryption_fail": 379, "key_agreement_fail": 416,
	}
	type tally struct {
		pass, fail int
		skips      map[string]int
	}
	tallies := map[string]*tally{}
	for _, file := range []string{"test_suite_psa_crypto.data", "test_suite_psa_crypto_op_fail.generated.data"} {
		cases, err := datafile.ParseFile(filepath.Join(mbedtlsDir, file))
		if err != nil {
			t.Skipf("test data not available: %v", err)
		}
		for _, c := range cases {
			run, ok := pkRunners[c.Func]
			if !ok {
				continue
			}
			tl := tallies[c.Func]
			if tl == nil {
				tl = &tally{skips: map[string]int{}}
				tallies[c.Func] = tl
			}
			reason := ""
			for _, dep := range c.Deps {
				holds, err := dep.Holds(pkSuiteEnv)
				if err != nil || !holds {
					reason = "dependency " + dep.String() + " not met"
					break
				}
			}
			if reason != "" {
				tl.skips[reason]++
				continue
			}
			t.Run(fmt.Sprintf("%s:%d", c.Func, c.Line), func(t *testing.T) {
				pc := &pkCase{t: t, c: c}
				run(pc)
				switch {
				case pc.skip != "":
					tl.skips[pc.skip]++
				case t.Failed():
					tl.fail++
					t.Logf("case %q", c.Name)
				default:
					tl.pass++
				}
			})
		}
	}
	names := make([]string, 0, len(tallies))
	for n := range tallies {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		tl := tallies[n]
		var skipped []string
		for r, k := range tl.skips {
			skipped = append(skipped, fmt.Sprintf("%d: %s", k, r))
		}
		sort.Strings(skipped)
		t.Logf("%-32s pass %4d  fail %d  skip %v", n, tl.pass, tl.fail, skipped)
		if tl.pass < minPass[n] {
			t.Errorf("%s: %d cases passed, want at least %d", n, tl.pass, minPass[n])
		}
	}
}
