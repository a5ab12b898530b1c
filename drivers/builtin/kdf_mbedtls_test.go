package builtin

import (
	"bytes"
	"crypto/ecdh"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/internal/conformance/datafile"
	"github.com/gopsa/psa/internal/conformance/expr"
	"github.com/gopsa/psa/values"
)

// The key derivation cases of TF-PSA-Crypto's test_suite_psa_crypto.data
// and test_suite_psa_crypto.pbkdf2.data, run driver-level: the test plays
// the core's part (it collects the inputs, calls KeyDerivationSetup where
// the first output would be requested, tracks the capacity) and checks
// what the driver computes or rejects. What only the core decides (input
// order and repetition, which steps an algorithm takes, usage policy,
// capacity accounting, key creation) is skipped with that reason.

// kdfSuiteDir holds the TF-PSA-Crypto test suites.
const kdfSuiteDir = "../../../shared/testsuites/mbedtls"

// kdfSuiteEnv resolves the suites' names beyond the PSA API.
var kdfSuiteEnv = expr.NewPSAEnv(map[string]int64{
	"PSA_VENDOR_PBKDF2_MAX_ITERATIONS": pbkdf2MaxCost,
	"INPUT_INTEGER":                    0x10000,
	"UNUSED":                           0xdeadbeef,
	"PSA_ALG_CATEGORY_HASH":            0x02000000,
	"PSA_ALG_CATEGORY_KEY_DERIVATION":  0x08000000,
})

// kdfSuiteResult counts the outcome of the cases of one test function.
type kdfSuiteResult struct {
	pass, fail int
	skips      map[string]int
}

// kdfSkip ends a case as skipped for a reason that belongs to the core or
// to another driver entry point.
type kdfSkip string

func TestKDFMbedTLSSuites(t *testing.T) {
	results := map[string]*kdfSuiteResult{}
	for _, file := range []string{"test_suite_psa_crypto.data", "test_suite_psa_crypto.pbkdf2.data"} {
		cases, err := datafile.ParseFile(filepath.Join(kdfSuiteDir, file))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			if !strings.HasPrefix(c.Func, "derive_") {
				continue
			}
			key := c.Func
			if c.Func == "derive_output" || c.Func == "derive_full" {
				// Broken down by algorithm family, as in PSA_ALG_HKDF.
				fam, _, _ := strings.Cut(c.Args[0], "(")
				key += " " + strings.TrimPrefix(fam, "PSA_ALG_")
			}
			r := results[key]
			if r == nil {
				r = &kdfSuiteResult{skips: map[string]int{}}
				results[key] = r
			}
			run := kdfSuiteRunners[c.Func]
			t.Run(c.Pos(), func(t *testing.T) {
				var skip kdfSkip
				if run == nil {
					skip = kdfSkipCoreOnly[c.Func]
				} else {
					skip = run(t, kdfArgs{t: t, args: c.Args})
				}
				switch {
				case t.Failed():
					r.fail++
					t.Logf("%s", c.Name)
				case skip != "":
					r.skips[string(skip)]++
					t.Skipf("%s: %s", c.Name, skip)
				default:
					r.pass++
				}
			})
		}
	}
	names := make([]string, 0, len(results))
	for n := range results {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		r := results[n]
		t.Logf("%-48s %3d passed, %d failed, %d skipped", n, r.pass, r.fail, kdfSum(r.skips))
		for why, k := range r.skips {
			t.Logf("    %3d skipped: %s", k, why)
		}
	}
}

func kdfSum(m map[string]int) (n int) {
	for _, v := range m {
		n += v
	}
	return n
}

// kdfSkipCoreOnly names the functions that test the core alone.
var kdfSkipCoreOnly = map[string]kdfSkip{
	"derive_set_capacity":          "capacity limits are set and checked by the core",
	"derive_over_capacity":         "capacity and operation state are checked by the core",
	"derive_actions_without_setup": "operation state is checked by the core",
	"derive_key":                   "key creation from a derivation (sizes, types, policy) is the core's and derive_key's",
	"derive_key_exercise":          "exercises derived keys through the core",
	"derive_key_custom":            "custom key production parameters are the core's and derive_key's",
	"derive_key_policy":            "usage policy is checked by the core",
}

type kdfArgs struct {
	t    *testing.T
	args []string
}

func (a kdfArgs) int(i int) int64 {
	a.t.Helper()
	v, err := datafile.DecodeInt(a.args[i], kdfSuiteEnv)
	if err != nil {
		a.t.Fatalf("argument %d %q: %v", i, a.args[i], err)
	}
	return v
}

func (a kdfArgs) hex(i int) []byte {
	a.t.Helper()
	v, err := datafile.DecodeHex(a.args[i])
	if err != nil {
		a.t.Fatalf("argument %d %q: %v", i, a.args[i], err)
	}
	return v
}

func (a kdfArgs) alg(i int) values.Algorithm       { return values.Algorithm(uint32(a.int(i))) }
func (a kdfArgs) step(i int) values.DerivationStep { return values.DerivationStep(uint16(a.int(i))) }
func (a kdfArgs) status(i int) values.Status       { return values.Status(int32(a.int(i))) }

// kdfBinaryString is mbedtls_test_parse_binary_string: the bytes as a
// big-endian integer.
func kdfBinaryString(b []byte) uint64 {
	var n uint64
	for _, c := range b {
		n = n<<8 | uint64(c)
	}
	return n
}

// kdfSteps are the input steps each algorithm takes: which steps are
// valid, and in what order, is the core's to check.
func kdfSteps(alg values.Algorithm) []values.DerivationStep {
	switch {
	case alg.IsHKDF():
		return []values.DerivationStep{values.DerivationInputSalt, values.DerivationInputSecret, values.DerivationInputInfo}
	case alg.IsHKDFExtract():
		return []values.DerivationStep{values.DerivationInputSalt, values.DerivationInputSecret}
	case alg.IsHKDFExpand():
		return []values.DerivationStep{values.DerivationInputSecret, values.DerivationInputInfo}
	case alg.IsTLS12PRF():
		return []values.DerivationStep{values.DerivationInputSeed, values.DerivationInputSecret, values.DerivationInputLabel}
	case alg.IsTLS12PSKToMS():
		return []values.DerivationStep{values.DerivationInputSeed, values.DerivationInputOtherSecret, values.DerivationInputSecret, values.DerivationInputLabel}
	case alg == values.AlgTLS12ECJPAKEToPMS:
		return []values.DerivationStep{values.DerivationInputSecret}
	case alg.IsPBKDF2HMAC(), alg == values.AlgPBKDF2AESCMACPRF128:
		return []values.DerivationStep{values.DerivationInputCost, values.DerivationInputSalt, values.DerivationInputPassword}
	case alg.IsSP800_108CounterHMAC(), alg == values.AlgSP800_108CounterCMAC:
		return []values.DerivationStep{values.DerivationInputSecret, values.DerivationInputLabel, values.DerivationInputContext}
	}
	return nil
}

func kdfTakes(alg values.Algorithm, step values.DerivationStep) bool {
	for _, s := range kdfSteps(alg) {
		if s == step {
			return true
		}
	}
	return false
}

// add records an input as the core would: repeated salts are
// concatenated.
func (m kdfTestInputs) add(step values.DerivationStep, in kdfInput) {
	if prev, ok := m[step]; ok && step == values.DerivationInputSalt && prev.kind == driver.InputBytes && in.kind == driver.InputBytes {
		in.data = append(append([]byte(nil), prev.data...), in.data...)
	}
	m[step] = in
}

// kdfWantErr checks that err wraps want.
func kdfWantErr(t *testing.T, what string, err error, want values.Status) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error %v, want %v", what, err, want)
	}
}

var kdfSuiteRunners map[string]func(t *testing.T, a kdfArgs) kdfSkip

func init() {
	kdfSuiteRunners = map[string]func(t *testing.T, a kdfArgs) kdfSkip{
		"derive_output":             kdfRunOutput,
		"derive_full":               kdfRunFull,
		"derive_ecjpake_to_pms":     kdfRunECJPAKE,
		"derive_input":              kdfRunInput,
		"derive_input_invalid_cost": kdfRunInvalidCost,
		"derive_key_export":         kdfRunKeyExport,
		"derive_key_type":           kdfRunKeyType,
		"derive_setup":              kdfRunSetup,
	}
}

// derive_output(alg, step1, input1, status1, ..., step4, input4, status4,
// key_agreement_peer_key, requested_capacity, expected_output1,
// expected_output2, other_key_input_type, key_input_type, derive_type)
func kdfRunOutput(t *testing.T, a kdfArgs) kdfSkip {
	alg := a.alg(0)
	if alg.IsKeyAgreement() {
		alg = alg.KeyAgreementKDF()
	}
	peer := a.hex(13)
	capacity := uint64(a.int(14))
	outs := [][]byte{a.hex(15), a.hex(16)}
	otherType, keyType, deriveType := a.int(17), a.int(18), a.int(19)

	in := kdfTestInputs{}
	var setupErr values.Status
	for i := 0; i < 4; i++ {
		step, data, want := a.step(1+3*i), a.hex(2+3*i), a.status(3+3*i)
		if step == 0 {
			continue
		}
		if setupErr != 0 {
			// The C test stops at the failing input. The driver sees
			// the inputs the core would have collected without it.
			want = 0
		}
		if want == values.ErrBadState {
			return "input order and repetition are checked by the core"
		}
		if !kdfTakes(alg, step) {
			return "which steps an algorithm takes is checked by the core"
		}
		var input kdfInput
		switch step {
		case values.DerivationInputCost:
			if why := kdfSlow(kdfBinaryString(data)); why != "" {
				return kdfSkip(why)
			}
			input = kdfInt(kdfBinaryString(data))
		case values.DerivationInputPassword, values.DerivationInputSecret:
			input = kdfBytes(data)
			if keyType == 1 {
				input = kdfKey(values.KeyTypeDerive, data)
			}
		case values.DerivationInputOtherSecret:
			switch otherType {
			case 0:
				input = kdfBytes(data)
			case 1:
				input = kdfKey(values.KeyTypeDerive, data)
			case 11:
				input = kdfKey(values.KeyTypeRawData, data)
			case 2:
				// The core's key agreement: its shared secret is the input.
				priv, err := ecdh.P256().NewPrivateKey(data)
				if err != nil {
					t.Fatal(err)
				}
				pub, err := ecdh.P256().NewPublicKey(peer)
				if err != nil {
					t.Fatal(err)
				}
				z, err := priv.ECDH(pub)
				if err != nil {
					t.Fatal(err)
				}
				input = kdfBytes(z)
			}
		default:
			input = kdfBytes(data)
		}
		in.add(step, input)
		if want != 0 {
			// The driver finds the problem when it is set up.
			setupErr = want
		}
	}
	var d Driver
	op, err := d.KeyDerivationSetup(alg, in)
	if setupErr != 0 {
		kdfWantErr(t, "setup", err, setupErr)
		return ""
	}
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	defer op.Abort()
	if cs, ok := op.(driver.DerivationCapacitySetter); ok {
		if err := cs.SetCapacity(capacity); err != nil {
			t.Fatalf("set capacity %d: %v", capacity, err)
		}
	}
	if deriveType == 1 {
		// output_key of a DERIVE key of the whole capacity: its material
		// is the next bytes of the stream (raw key type). Whether the
		// inputs allow a key output is the core's policy.
		want := append(append([]byte(nil), outs[0]...), outs[1]...)
		if len(want) == 0 {
			return "key output without expected material: policy checked by the core"
		}
		got := make([]byte, len(want))
		if err := op.OutputBytes(got); err != nil || !bytes.Equal(got, want) {
			t.Errorf("key material %x, %v; want %x", got, err, want)
		}
		return ""
	}
	for _, want := range outs {
		switch {
		case capacity == 0 && len(want) == 0:
			continue
		case uint64(len(want)) > capacity:
			capacity = 0 // the core answers INSUFFICIENT_DATA
			continue
		}
		got := make([]byte, len(want))
		if err := op.OutputBytes(got); err != nil {
			t.Fatalf("output %d bytes: %v", len(want), err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("output %x, want %x", got, want)
		}
		capacity -= uint64(len(want))
	}
	return ""
}

// kdfSetupWrap is mbedtls_test_psa_setup_key_derivation_wrap: it gives
// input1, the DERIVE key and input2 to the steps of alg.
func kdfSetupWrap(t *testing.T, alg values.Algorithm, key, input1, input2 []byte, capacity uint64) driver.DerivationOperation {
	t.Helper()
	k := kdfKey(values.KeyTypeDerive, key)
	var in kdfTestInputs
	switch {
	case alg.IsHKDF():
		in = kdfTestInputs{values.DerivationInputSalt: kdfBytes(input1), values.DerivationInputSecret: k, values.DerivationInputInfo: kdfBytes(input2)}
	case alg.IsHKDFExtract():
		in = kdfTestInputs{values.DerivationInputSalt: kdfBytes(input1), values.DerivationInputSecret: k}
	case alg.IsHKDFExpand():
		in = kdfTestInputs{values.DerivationInputSecret: k, values.DerivationInputInfo: kdfBytes(input2)}
	case alg.IsTLS12PRF(), alg.IsTLS12PSKToMS():
		in = kdfTestInputs{values.DerivationInputSeed: kdfBytes(input1), values.DerivationInputSecret: k, values.DerivationInputLabel: kdfBytes(input2)}
	case alg.IsPBKDF2HMAC(), alg == values.AlgPBKDF2AESCMACPRF128:
		in = kdfTestInputs{values.DerivationInputCost: kdfInt(1), values.DerivationInputSalt: kdfBytes(input2), values.DerivationInputPassword: k}
	case alg == values.AlgTLS12ECJPAKEToPMS:
		in = kdfTestInputs{values.DerivationInputSecret: kdfBytes(input1)}
	default:
		t.Fatalf("no input layout for %v", alg)
	}
	var d Driver
	op, err := d.KeyDerivationSetup(alg, in)
	if err != nil {
		t.Fatalf("setup %v: %v", alg, err)
	}
	if cs, ok := op.(driver.DerivationCapacitySetter); ok {
		if err := cs.SetCapacity(capacity); err != nil {
			t.Fatalf("set capacity %d: %v", capacity, err)
		}
	}
	return op
}

// derive_full(alg, key_data, input1, input2, requested_capacity): the
// whole capacity in 32-byte reads, then nothing more.
func kdfRunFull(t *testing.T, a kdfArgs) kdfSkip {
	capacity := uint64(a.int(4))
	op := kdfSetupWrap(t, a.alg(0), a.hex(1), a.hex(2), a.hex(3), capacity)
	defer op.Abort()
	buf := make([]byte, 32)
	for capacity > 0 {
		n := min(capacity, 32)
		if err := op.OutputBytes(buf[:n]); err != nil {
			t.Fatalf("output with %d left: %v", capacity, err)
		}
		capacity -= n
	}
	kdfWantErr(t, "output past the capacity", op.OutputBytes(buf[:1]), values.ErrInsufficientData)
	return ""
}

// derive_ecjpake_to_pms(input, expected_input_status, step, capacity,
// expected_capacity_status, expected_output, expected_output_status)
func kdfRunECJPAKE(t *testing.T, a kdfArgs) kdfSkip {
	input, inStatus, step := a.hex(0), a.status(1), a.step(2)
	capacity, capStatus := a.int(3), a.status(4)
	want, outStatus := a.hex(5), a.status(6)
	if step != values.DerivationInputSecret {
		return "which steps an algorithm takes is checked by the core"
	}
	if capStatus != 0 {
		return "capacity limits are checked by the core"
	}
	var d Driver
	op, err := d.KeyDerivationSetup(values.AlgTLS12ECJPAKEToPMS, kdfTestInputs{step: kdfBytes(input)})
	if inStatus != 0 {
		kdfWantErr(t, "setup", err, inStatus)
		return ""
	}
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	if int64(len(want)) > capacity {
		return "capacity is enforced by the core"
	}
	got := make([]byte, len(want))
	err = op.OutputBytes(got)
	if outStatus != 0 {
		kdfWantErr(t, "output", err, outStatus)
		return ""
	}
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("output %x, %v; want %x", got, err, want)
	}
	return ""
}

// derive_input(alg, step1, key_type1, input1, status1, ..., step3, ...,
// output_key_type, expected_output_status)
func kdfRunInput(t *testing.T, a kdfArgs) kdfSkip {
	alg := a.alg(0)
	if alg == 0 {
		return "operation state is checked by the core"
	}
	if alg.IsKeyAgreement() {
		return "key agreement inputs are computed by the core"
	}
	in := kdfTestInputs{}
	var setupErr values.Status
	for i := 0; i < 3; i++ {
		step := a.step(1 + 4*i)
		if step == 0 {
			continue
		}
		keyType, data, want := uint32(a.int(2+4*i)), a.hex(3+4*i), a.status(4+4*i)
		if setupErr != 0 {
			want = 0 // as in derive_output
		}
		if want == values.ErrBadState {
			return "input order and repetition are checked by the core"
		}
		if !kdfTakes(alg, step) {
			return "which steps an algorithm takes is checked by the core"
		}
		switch {
		case keyType == 0x10000:
			in.add(step, kdfInt(kdfBinaryString(data)))
		case keyType == 0:
			in.add(step, kdfBytes(data))
		default:
			in.add(step, kdfKey(values.KeyType(keyType), data))
		}
		if want != 0 {
			setupErr = want
		}
	}
	outStatus := a.status(14)
	var d Driver
	op, err := d.KeyDerivationSetup(alg, in)
	switch {
	case setupErr != 0:
		kdfWantErr(t, "setup", err, setupErr)
	case outStatus == values.ErrNotPermitted:
		return "which inputs allow a key output is the core's policy"
	case outStatus != 0:
		if err == nil {
			err = op.OutputBytes(make([]byte, 1))
		}
		kdfWantErr(t, "first output", err, outStatus)
	case err != nil:
		t.Errorf("setup: %v", err)
	default:
		if err := op.OutputBytes(make([]byte, 1)); err != nil {
			t.Errorf("output: %v", err)
		}
	}
	return ""
}

// derive_input_invalid_cost(alg, cost)
func kdfRunInvalidCost(t *testing.T, a kdfArgs) kdfSkip {
	var d Driver
	_, err := d.KeyDerivationSetup(a.alg(0), kdfTestInputs{
		values.DerivationInputCost:     kdfInt(uint64(a.int(1))),
		values.DerivationInputSalt:     kdfBytes(nil),
		values.DerivationInputPassword: kdfBytes(nil),
	})
	kdfWantErr(t, "setup", err, values.ErrNotSupported)
	return ""
}

// derive_key_export(alg, key_data, input1, input2, bytes1, bytes2): the
// raw keys are the stream read in two parts.
func kdfRunKeyExport(t *testing.T, a kdfArgs) kdfSkip {
	alg, key, in1, in2 := a.alg(0), a.hex(1), a.hex(2), a.hex(3)
	n1, n2 := a.int(4), a.int(5)
	whole := make([]byte, n1+n2)
	op := kdfSetupWrap(t, alg, key, in1, in2, uint64(n1+n2))
	if err := op.OutputBytes(whole); err != nil {
		t.Fatal(err)
	}
	op.Abort()
	op = kdfSetupWrap(t, alg, key, in1, in2, uint64(n1+n2))
	parts := make([]byte, n1+n2)
	if err := op.OutputBytes(parts[:n1]); err != nil {
		t.Fatal(err)
	}
	if err := op.OutputBytes(parts[n1:]); err != nil {
		t.Fatal(err)
	}
	op.Abort()
	if !bytes.Equal(whole, parts) {
		t.Errorf("%d+%d bytes differ from %d bytes", n1, n2, n1+n2)
	}
	return ""
}

// kdfStream reads a derivation's output as the core gives it to
// derive_key.
type kdfStream struct{ op driver.DerivationOperation }

func (s kdfStream) Read(p []byte) (int, error) {
	if err := s.op.OutputBytes(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// derive_key_type(alg, key_data, input1, input2, key_type, bits,
// expected_export): the derivation's stream through the builtin
// derive_key entry point.
func kdfRunKeyType(t *testing.T, a kdfArgs) kdfSkip {
	op := kdfSetupWrap(t, a.alg(0), a.hex(1), a.hex(2), a.hex(3), kdfUnbounded)
	defer op.Abort()
	var d Driver
	attrs := values.Attributes{Type: values.KeyType(uint16(a.int(4))), Bits: int(a.int(5))}
	got, err := d.DeriveKey(attrs, kdfStream{op}, nil)
	if errors.Is(err, values.ErrNotSupported) {
		return kdfSkip(fmt.Sprintf("derive_key does not support this key: %v", err))
	}
	if want := a.hex(6); err != nil || !bytes.Equal(got, want) {
		t.Errorf("derived %v key %x, %v; want %x", attrs.Type, got, err, want)
	}
	return ""
}

// derive_setup(alg, expected_status): the setup's own verdict on the
// algorithm. A successful setup needs the inputs, which the core collects
// first.
func kdfRunSetup(t *testing.T, a kdfArgs) kdfSkip {
	want := a.status(1)
	if want == 0 {
		return "setup before inputs is the core's: the driver is set up with the inputs"
	}
	var d Driver
	_, err := d.KeyDerivationSetup(a.alg(0), kdfTestInputs{})
	kdfWantErr(t, "setup", err, want)
	return ""
}
