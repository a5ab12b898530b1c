package pkcs11

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/internal/conformance/datafile"
	"github.com/gopsa/psa/values"
)

// The known-answer tests run the one-shot operation cases of the PSA test
// suite of TF-PSA-Crypto (shared/testsuites/mbedtls) against keys imported
// into the token. A case whose mechanism the driver or the token does not
// support is a skip, with the reason; the test fails if a case fails, or
// if a function that the driver implements has no passing case.

const suitePath = "../../../shared/testsuites/mbedtls/test_suite_psa_crypto.data"

// katFuncs are the test functions run, with their number of arguments.
var katFuncs = map[string]int{
	"mac_sign":                5,
	"mac_verify":              5,
	"cipher_decrypt":          6,
	"cipher_decrypt_fail":     6,
	"aead_encrypt":            7,
	"aead_decrypt":            8,
	"aead_encrypt_decrypt":    7,
	"verify_hash":             5,
	"verify_hash_fail":        6,
	"sign_hash_deterministic": 5,
	"asymmetric_decrypt":      6,
	"key_agreement":           5,
}

type katOutcome struct {
	pass, fail, skip int
	reasons          map[string]int
}

func TestKnownAnswers(t *testing.T) {
	d := openDriver(t, testConfig(t))
	path := filepath.FromSlash(suitePath)
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the test suite is missing: %v", err)
		}
		t.Skipf("the test suite is missing: %v", err)
	}
	cases, err := datafile.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	outcomes := make(map[string]*katOutcome)
	for i := range cases {
		c := &cases[i]
		n, ok := katFuncs[c.Func]
		if !ok {
			continue
		}
		o := outcomes[c.Func]
		if o == nil {
			o = &katOutcome{reasons: make(map[string]int)}
			outcomes[c.Func] = o
		}
		if len(c.Args) != n {
			t.Errorf("%s %s: %d arguments, want %d", c.Pos(), c.Name, len(c.Args), n)
			o.fail++
			continue
		}
		// For debugging: KAT_LINES=4179,4523 runs only the cases named
		// on those lines; KAT_TRACE=1 names each case before it runs.
		if r := os.Getenv("KAT_LINES"); r != "" && !slices.Contains(strings.Split(r, ","), fmt.Sprint(c.Line)) {
			continue
		}
		if os.Getenv("KAT_TRACE") != "" {
			fmt.Fprintln(os.Stderr, "KAT", c.Pos(), c.Name)
		}
		skip, err := runKAT(d, c)
		switch {
		case err != nil:
			o.fail++
			t.Errorf("%s %s: %v", c.Pos(), c.Name, err)
		case skip != "":
			o.skip++
			o.reasons[skip]++
		default:
			o.pass++
		}
	}
	funcs := make([]string, 0, len(outcomes))
	for f := range outcomes {
		funcs = append(funcs, f)
	}
	sort.Strings(funcs)
	for _, f := range funcs {
		o := outcomes[f]
		t.Logf("%-24s %3d passed, %3d failed, %3d skipped", f, o.pass, o.fail, o.skip)
		reasons := make([]string, 0, len(o.reasons))
		for r := range o.reasons {
			reasons = append(reasons, r)
		}
		sort.Strings(reasons)
		for _, r := range reasons {
			t.Logf("    skip x%d: %s", o.reasons[r], r)
		}
		if o.pass == 0 {
			t.Errorf("%s: no case passed", f)
		}
	}
}

// katArgs decodes the arguments of a case.
type katArgs struct {
	c   *datafile.Case
	err error
}

func (a *katArgs) hex(i int) []byte {
	b, err := datafile.DecodeHex(a.c.Args[i])
	if err != nil && a.err == nil {
		a.err = fmt.Errorf("argument %d: %w", i, err)
	}
	return b
}

func (a *katArgs) alg(i int) values.Algorithm {
	v, err := values.ParseAlgorithm(a.c.Args[i])
	if err != nil && a.err == nil {
		a.err = fmt.Errorf("argument %d: %w", i, err)
	}
	return v
}

func (a *katArgs) keyType(i int) values.KeyType {
	v, err := values.ParseKeyType(a.c.Args[i])
	if err != nil && a.err == nil {
		a.err = fmt.Errorf("argument %d: %w", i, err)
	}
	return v
}

func (a *katArgs) status(i int) values.Status {
	v, err := values.ParseStatus(a.c.Args[i])
	if err != nil && a.err == nil {
		a.err = fmt.Errorf("argument %d: %w", i, err)
	}
	return v
}

// runKAT runs one case. It returns a skip reason, or an error for a
// failure.
func runKAT(d *Driver, c *datafile.Case) (skip string, err error) {
	a := &katArgs{c: c}
	var (
		kt       values.KeyType
		key      []byte
		alg      values.Algorithm
		run      func(attrs values.Attributes, ctx []byte) error
		wantFail values.Status
	)
	check := func(got, want []byte) error {
		if !bytes.Equal(got, want) {
			return fmt.Errorf("got %x, want %x", got, want)
		}
		return nil
	}
	switch c.Func {
	case "mac_sign", "mac_verify":
		kt, key, alg = a.keyType(0), a.hex(1), a.alg(2)
		input, mac := a.hex(3), a.hex(4)
		run = func(at values.Attributes, ctx []byte) error {
			if c.Func == "mac_sign" {
				got, err := d.MACCompute(at, ctx, alg, input, nil)
				if err != nil {
					return err
				}
				return check(got, mac)
			}
			if err := d.MACVerify(at, ctx, alg, input, mac); err != nil {
				return err
			}
			bad := slices.Clone(mac)
			bad[len(bad)-1] ^= 1
			if err := d.MACVerify(at, ctx, alg, input, bad); !errors.Is(err, values.ErrInvalidSignature) {
				return fmt.Errorf("a corrupted MAC: %v, want ErrInvalidSignature", err)
			}
			if err := d.MACVerify(at, ctx, alg, input, mac[:len(mac)-1]); !errors.Is(err, values.ErrInvalidSignature) {
				return fmt.Errorf("a MAC one byte short: %v, want ErrInvalidSignature", err)
			}
			return nil
		}
	case "cipher_decrypt", "cipher_decrypt_fail":
		alg, kt, key = a.alg(0), a.keyType(1), a.hex(2)
		input := append(a.hex(3), a.hex(4)...)
		var want []byte
		if c.Func == "cipher_decrypt" {
			want = a.hex(5)
		} else {
			wantFail = a.status(5)
		}
		run = func(at values.Attributes, ctx []byte) error {
			got, err := d.CipherDecrypt(at, ctx, alg, input, nil)
			if err != nil {
				return err
			}
			if err := check(got, want); err != nil {
				return err
			}
			if c.Func == "cipher_decrypt" && alg != values.AlgCBCPKCS7 {
				// Encryption is checked with the same vector.
				ivLen := len(a.hex(3))
				enc, err := d.CipherEncrypt(at, ctx, alg, input[:ivLen], want, nil)
				if err != nil {
					return fmt.Errorf("encrypt: %w", err)
				}
				return check(enc, input[ivLen:])
			}
			return nil
		}
	case "aead_encrypt", "aead_decrypt", "aead_encrypt_decrypt":
		kt, key, alg = a.keyType(0), a.hex(1), a.alg(2)
		nonce, ad, input := a.hex(3), a.hex(4), a.hex(5)
		var want []byte
		switch c.Func {
		case "aead_encrypt":
			want = a.hex(6)
		case "aead_decrypt":
			want = a.hex(6)
			if st := a.status(7); st != values.Success {
				wantFail = st
			}
		case "aead_encrypt_decrypt":
			if st := a.status(6); st != values.Success {
				wantFail = st
			}
		}
		run = func(at values.Attributes, ctx []byte) error {
			switch c.Func {
			case "aead_encrypt":
				got, err := d.AEADEncrypt(at, ctx, alg, nonce, ad, input, nil)
				if err != nil {
					return err
				}
				return check(got, want)
			case "aead_decrypt":
				got, err := d.AEADDecrypt(at, ctx, alg, nonce, ad, input, nil)
				if err != nil {
					return err
				}
				return check(got, want)
			}
			ct, err := d.AEADEncrypt(at, ctx, alg, nonce, ad, input, nil)
			if err != nil {
				return err
			}
			pt, err := d.AEADDecrypt(at, ctx, alg, nonce, ad, ct, nil)
			if err != nil {
				return err
			}
			return check(pt, input)
		}
	case "verify_hash", "verify_hash_fail", "sign_hash_deterministic":
		kt, key, alg = a.keyType(0), a.hex(1), a.alg(2)
		hash, sig := a.hex(3), a.hex(4)
		if c.Func == "verify_hash_fail" {
			wantFail = a.status(5)
		}
		run = func(at values.Attributes, ctx []byte) error {
			if c.Func == "sign_hash_deterministic" {
				got, err := d.SignHash(at, ctx, alg, hash, nil)
				if err != nil {
					return err
				}
				if err := check(got, sig); err != nil {
					return err
				}
			}
			return d.VerifyHash(at, ctx, alg, hash, sig)
		}
	case "asymmetric_decrypt":
		kt, key, alg = a.keyType(0), a.hex(1), a.alg(2)
		input, label, want := a.hex(3), a.hex(4), a.hex(5)
		run = func(at values.Attributes, ctx []byte) error {
			got, err := d.AsymmetricDecrypt(at, ctx, alg, input, label, nil)
			if err != nil {
				return err
			}
			return check(got, want)
		}
	case "key_agreement":
		alg, kt, key = a.alg(0), a.keyType(1), a.hex(2)
		peer, want := a.hex(3), a.hex(4)
		run = func(at values.Attributes, ctx []byte) error {
			got, err := d.KeyAgreement(at, ctx, alg, peer, nil)
			if err != nil {
				return err
			}
			return check(got, want)
		}
	}
	if a.err != nil {
		if strings.Contains(a.err.Error(), "parse algorithm") {
			// Encodings that the C macros accept and values.ParseAlgorithm
			// refuses (a truncation to the full length, a zero tag length).
			return "values.ParseAlgorithm refuses the algorithm argument", nil
		}
		return "", a.err
	}
	if len(key) == 0 {
		return "a case without a key (C operation-state mechanics)", nil
	}
	at := values.Attributes{Type: kt, Lifetime: volatileLT, Usage: allUsage.WithImplied(), Alg: alg}
	nextID.Add(1)
	at.ID = values.KeyID(0x7ff00000 + nextID.Load())
	if _, err := d.AllocateKey(at, nil); err != nil {
		return notSupported(err, kt, alg)
	}
	ctx, bits, err := d.ImportKey(at, key, nil)
	if err != nil {
		if wantFail != 0 && errors.Is(err, wantFail) {
			return "", nil
		}
		return notSupported(err, kt, alg)
	}
	at.Bits = bits
	defer d.DestroyKey(at, ctx)
	err = run(at, ctx)
	switch {
	case wantFail != 0 && err == nil:
		return "", fmt.Errorf("succeeded, want %v", wantFail)
	case wantFail != 0 && errors.Is(err, wantFail):
		return "", nil
	case err == nil:
		return "", nil
	}
	return notSupported(err, kt, alg)
}

// notSupported turns a refusal for want of support into a skip reason,
// and any other error into a failure.
func notSupported(err error, kt values.KeyType, alg values.Algorithm) (string, error) {
	if !driver.IsNotSupported(err) {
		return "", err
	}
	msg := err.Error()
	// Name the refusal without the per-case details.
	if i := strings.Index(msg, ": PSA_ERROR_NOT_SUPPORTED"); i >= 0 {
		msg = msg[:i]
	}
	return fmt.Sprintf("%v with %v: %s", alg, kt, msg), nil
}
