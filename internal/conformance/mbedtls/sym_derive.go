package mbedtls

import (
	"fmt"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/values"
)

// Ports of the key derivation test functions of
// test_suite_psa_crypto.function.

// inputInteger is the INPUT_INTEGER key type of derive_input: the step
// takes an integer, given big-endian in the data argument.
const inputInteger = 0x10000

// parseBinaryString is mbedtls_test_parse_binary_string: a big-endian
// integer of at most 8 bytes.
func parseBinaryString(t *suite.T, b []byte) uint64 {
	t.Helper()
	atMost(t, "length of a binary integer", len(b), 8)
	var v uint64
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	return v
}

func step(a suite.Args, i int) values.DerivationStep { return values.DerivationStep(a.Uint32(i)) }

// skipDerivation skips a case whose derivation setup, expected to succeed,
// fails because gopsa lacks the algorithm.
func skipDerivation(t *suite.T, c *psa.Crypto, err error, al values.Algorithm) {
	t.Helper()
	skipIfMissing(t, c, err, "key_derivation_setup", psa.Attributes{}, al)
}

func keyDerivationInit(t *suite.T, _ suite.Args) {
	var op psa.KeyDerivationOperation
	_, err := op.Capacity()
	wantStatus(t, "capacity of a fresh operation", err, values.ErrBadState)
	must(t, "abort of a fresh operation", op.Abort())
}

func (h *harness) deriveSetup(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, want := alg(a, 0), status(a, 1)
	var op psa.KeyDerivationOperation
	defer op.Abort()
	err := c.KeyDerivationSetup(&op, al)
	if want == values.Success {
		skipDerivation(t, c, err, al)
	}
	wantStatus(t, "key derivation setup", err, want)
}

func (h *harness) deriveSetCapacity(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, capacity, want := alg(a, 0), sizeArg(a.Int64(1)), status(a, 2)
	var op psa.KeyDerivationOperation
	defer op.Abort()
	err := c.KeyDerivationSetup(&op, al)
	skipDerivation(t, c, err, al)
	must(t, "key derivation setup", err)
	err = op.SetCapacity(capacity)
	if al.IsTLS12PSKToMS() && capacity > 48 && want == values.ErrInvalidArgument && err == nil {
		t.Skipf(suite.SkipExtension, "TF-PSA-Crypto limits the capacity of TLS 1.2 PSK-to-MS to the 48-byte master secret; PSA 1.5 sets no limit")
	}
	wantStatus(t, fmt.Sprintf("set a capacity of %d", capacity), err, want)
}

// agreementWithSelf is mbedtls_test_psa_key_agreement_with_self: the key
// agreement of key pair key with its own public key, as the step secret.
func agreementWithSelf(t *suite.T, c *psa.Crypto, op *psa.KeyDerivationOperation, key values.KeyID) error {
	t.Helper()
	pub, err := c.ExportPublicKey(key, nil)
	must(t, "export public key", err)
	return op.KeyAgreement(values.DerivationInputSecret, key, pub)
}

func (h *harness) deriveInput(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al := alg(a, 0)
	outType, wantOut := keyType(a, 13), status(a, 14)
	var op psa.KeyDerivationOperation
	defer op.Abort()
	if al != values.AlgNone {
		err := c.KeyDerivationSetup(&op, al)
		skipDerivation(t, c, err, al)
		must(t, "key derivation setup", err)
	}
	for i := range 3 {
		t.Step(i)
		st, kt32, data, want := step(a, 1+4*i), a.Uint32(2+4*i), a.Bytes(3+4*i), status(a, 4+4*i)
		kt := values.KeyType(kt32) // the C test's (psa_key_type_t) cast: INPUT_INTEGER becomes NONE
		switch {
		case st == 0:
		case kt != values.KeyTypeNone && kt32 != inputInteger:
			key := importKey(t, c, kt, values.UsageDerive, al, data)
			var err error
			if kt.IsKeyPair() && st == values.DerivationInputSecret {
				err = agreementWithSelf(t, c, &op, key)
			} else {
				err = op.InputKey(st, key)
			}
			wantStatus(t, fmt.Sprintf("input %v from a %v key", st, kt), err, want)
		case kt32 == inputInteger:
			wantStatus(t, fmt.Sprintf("input %v as an integer", st), op.InputInteger(st, parseBinaryString(t, data)), want)
		default:
			wantStatus(t, fmt.Sprintf("input %v as bytes", st), op.InputBytes(st, data), want)
		}
	}
	var err error
	if outType != values.KeyTypeNone {
		_, err = op.OutputKey(psa.Attributes{Type: outType, Bits: 8})
	} else {
		err = op.OutputBytes(make([]byte, 1))
	}
	wantStatus(t, "output", err, wantOut)
}

func (h *harness) deriveInputInvalidCost(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, cost := alg(a, 0), uint64(a.Int64(1))
	var op psa.KeyDerivationOperation
	defer op.Abort()
	err := c.KeyDerivationSetup(&op, al)
	skipDerivation(t, c, err, al)
	must(t, "key derivation setup", err)
	wantStatus(t, fmt.Sprintf("input a cost of %d", cost), op.InputInteger(values.DerivationInputCost, cost), values.ErrNotSupported)
}

// input1 and input2 are the C tests' "Input 1" and "Input 2", with their
// NUL.
var input1, input2 = []byte("Input 1\x00"), []byte("Input 2\x00")

func (h *harness) deriveOverCapacity(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al := alg(a, 0)
	key := importKey(t, c, values.KeyTypeDerive, values.UsageDerive, al, []byte{
		0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b,
		0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b,
	})
	attrs, err := c.KeyAttributes(key)
	must(t, "get attributes", err)
	var op psa.KeyDerivationOperation
	defer op.Abort()
	buf := make([]byte, 42)
	skipIfPending(t, setupDerivation(t, c, &op, attrs, al, input1, input2, len(buf)))
	wantStatus(t, "setup of an active operation", c.KeyDerivationSetup(&op, al), values.ErrBadState)
	must(t, "output the whole capacity", op.OutputBytes(buf))
	wantStatus(t, "output past the capacity", op.OutputBytes(buf), values.ErrInsufficientData)
}

func deriveActionsWithoutSetup(t *suite.T, _ suite.Args) {
	var op psa.KeyDerivationOperation
	for _, what := range []string{"before", "after"} {
		wantStatus(t, "output without setup, "+what+" abort", op.OutputBytes(make([]byte, 16)), values.ErrBadState)
		_, err := op.Capacity()
		wantStatus(t, "capacity without setup, "+what+" abort", err, values.ErrBadState)
		if what == "before" {
			must(t, "abort", op.Abort())
		}
	}
}

func (h *harness) deriveOutput(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al := alg(a, 0)
	peer := a.Bytes(13)
	capacity := sizeArg(a.Int64(14))
	outputs := [2][]byte{a.Bytes(15), a.Bytes(16)}
	otherKeyInput, keyInput, deriveType := a.Int(17), a.Int(18), a.Int(19)

	var op psa.KeyDerivationOperation
	defer op.Abort()
	err := c.KeyDerivationSetup(&op, al)
	skipDerivation(t, c, err, al)
	must(t, "key derivation setup", err)
	must(t, "set capacity", op.SetCapacity(capacity))
	for i := range 4 {
		t.Step(i)
		st, data, want := step(a, 1+3*i), a.Bytes(2+3*i), status(a, 3+3*i)
		var what string
		switch st {
		case 0:
			continue
		case values.DerivationInputCost:
			what = "input the cost"
			err = op.InputInteger(st, parseBinaryString(t, data))
		case values.DerivationInputPassword, values.DerivationInputSecret:
			switch keyInput {
			case 0:
				what = fmt.Sprintf("input %v as bytes", st)
				err = op.InputBytes(st, data)
			case 1:
				what = fmt.Sprintf("input %v from a key", st)
				key := importKey(t, c, values.KeyTypeDerive, values.UsageDerive, al, data)
				if al.IsTLS12PSKToMS() {
					atMost(t, "PSK length against PSA_TLS12_PSK_TO_MS_PSK_MAX_SIZE", len(data), values.TLS12PSKToMSPSKMaxSize)
				}
				err = op.InputKey(st, key)
			default:
				t.Fatalf("key_input_type %d: want 0 or 1", keyInput)
			}
		case values.DerivationInputOtherSecret:
			switch otherKeyInput {
			case 0:
				what = "input the other secret as bytes"
				err = op.InputBytes(st, data)
			case 1, 11:
				kt := values.KeyTypeDerive
				if otherKeyInput == 11 {
					kt = values.KeyTypeRawData
				}
				what = "input the other secret from a " + kt.String() + " key"
				err = op.InputKey(st, importKey(t, c, kt, values.UsageDerive, al, data))
			case 2:
				what = "input the other secret from a key agreement"
				key := importKey(t, c, values.KeyTypeECCKeyPair(values.ECCFamilySECPR1), values.UsageDerive, al, data)
				err = op.KeyAgreement(st, key, peer)
			default:
				t.Fatalf("other_key_input_type %d: want 0, 1, 2 or 11", otherKeyInput)
			}
		default:
			what = fmt.Sprintf("input %v as bytes", st)
			err = op.InputBytes(st, data)
		}
		wantStatus(t, what, err, want)
		if want != values.Success {
			return
		}
	}

	got, err := op.Capacity()
	must(t, "get capacity", err)
	equal(t, "capacity", got, capacity)
	if deriveType == 1 {
		// Only a secret given as a key can derive a key.
		want := values.ErrNotPermitted
		if keyInput == 1 {
			want = values.Success
		}
		_, err := op.OutputKey(psa.Attributes{Type: values.KeyTypeDerive, Usage: values.UsageExport, Alg: al, Bits: 8 * capacity})
		wantStatus(t, "output key", err, want)
	} else {
		left := capacity
		for i, want := range outputs {
			t.Step(10 + i)
			buf := make([]byte, len(want))
			err := op.OutputBytes(buf)
			switch {
			case left == 0 && len(want) == 0:
				// Reading 0 bytes when 0 are left can go either way.
				if s := statusOf(err); s != values.Success && s != values.ErrInsufficientData {
					t.Fatalf("output of 0 bytes from an empty derivation: got %v, want success or %v", err, values.ErrInsufficientData)
				}
				continue
			case left == 0 || len(want) > left:
				wantStatus(t, fmt.Sprintf("output %d bytes past the capacity", len(want)), err, values.ErrInsufficientData)
				left = 0
				continue
			}
			must(t, fmt.Sprintf("output %d bytes", len(want)), err)
			equalBytes(t, "output", buf, want)
			left -= len(want)
			got, err := op.Capacity()
			must(t, "get capacity", err)
			equal(t, "capacity after output", got, left)
		}
	}
	must(t, "abort", op.Abort())
}

// deriveBaseKey imports the DERIVE key of the derive_key* functions and
// sets up the derivation around it, with the capacity given (-1 for none).
func deriveBaseKey(t *suite.T, c *psa.Crypto, op *psa.KeyDerivationOperation, al values.Algorithm, data, in1, in2 []byte, capacity int) {
	t.Helper()
	key := importKey(t, c, values.KeyTypeDerive, values.UsageDerive, al, data)
	attrs, err := c.KeyAttributes(key)
	must(t, "get attributes", err)
	skipIfPending(t, setupDerivation(t, c, op, attrs, al, in1, in2, capacity))
}

func (h *harness) deriveFull(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, data, in1, in2, capacity := alg(a, 0), a.Bytes(1), a.Bytes(2), a.Bytes(3), a.Int(4)
	var op psa.KeyDerivationOperation
	defer op.Abort()
	deriveBaseKey(t, c, &op, al, data, in1, in2, capacity)
	left, err := op.Capacity()
	must(t, "get capacity", err)
	equal(t, "capacity", left, capacity)
	buf := make([]byte, 32)
	for left > 0 {
		n := min(len(buf), left)
		must(t, fmt.Sprintf("output %d bytes", n), op.OutputBytes(buf[:n]))
		want := left - n
		left, err = op.Capacity()
		must(t, "get capacity", err)
		equal(t, "capacity", left, want)
	}
	wantStatus(t, "output past the capacity", op.OutputBytes(buf[:1]), values.ErrInsufficientData)
	must(t, "abort", op.Abort())
}

func (h *harness) deriveECJPAKEToPMS(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	input, wantInput, st := a.Bytes(0), status(a, 1), step(a, 2)
	capacity, wantCapacity, want, wantOutput := a.Int(3), status(a, 4), a.Bytes(5), status(a, 6)
	al := values.AlgTLS12ECJPAKEToPMS
	var op psa.KeyDerivationOperation
	defer op.Abort()
	err := c.KeyDerivationSetup(&op, al)
	skipDerivation(t, c, err, al)
	must(t, "key derivation setup", err)
	wantStatus(t, fmt.Sprintf("set a capacity of %d", capacity), op.SetCapacity(capacity), wantCapacity)
	wantStatus(t, fmt.Sprintf("input %d bytes as %v", len(input), st), op.InputBytes(st, input), wantInput)
	if wantInput != values.Success {
		return
	}
	buf := make([]byte, len(want))
	err = op.OutputBytes(buf)
	wantStatus(t, fmt.Sprintf("output %d bytes", len(want)), err, wantOutput)
	if len(want) != 0 && wantOutput == values.Success {
		equalBytes(t, "pre-master secret", buf, want)
	}
}

func (h *harness) deriveKeyExercise(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, data, in1, in2 := alg(a, 0), a.Bytes(1), a.Bytes(2), a.Bytes(3)
	kt, bits, usage, kalg := keyType(a, 4), a.Int(5), values.KeyUsage(a.Uint32(6)), alg(a, 7)
	var op psa.KeyDerivationOperation
	defer op.Abort()
	deriveBaseKey(t, c, &op, al, data, in1, in2, values.BitsToBytes(bits))
	key, err := op.OutputKey(psa.Attributes{Type: kt, Bits: bits, Usage: usage, Alg: kalg})
	must(t, "output key", err)
	got, err := c.KeyAttributes(key)
	must(t, "get attributes", err)
	equal(t, "type", got.Type, kt)
	equal(t, "bits", got.Bits, bits)
	skipIfPending(t, exerciseKey(t, c, key, usage, kalg))
}

func (h *harness) deriveKeyExport(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, data, in1, in2, n1, n2 := alg(a, 0), a.Bytes(1), a.Bytes(2), a.Bytes(3), a.Int(4), a.Int(5)
	var op psa.KeyDerivationOperation
	defer op.Abort()
	deriveBaseKey(t, c, &op, al, data, in1, in2, n1+n2)
	want := make([]byte, n1+n2)
	must(t, "output bytes", op.OutputBytes(want))
	must(t, "abort", op.Abort())

	deriveBaseKey(t, c, &op, al, data, in1, in2, n1+n2)
	var got []byte
	for _, n := range []int{n1, n2} {
		key, err := op.OutputKey(psa.Attributes{Type: values.KeyTypeRawData, Usage: values.UsageExport, Bits: 8 * n})
		must(t, fmt.Sprintf("output a %d-byte key", n), err)
		before := len(got)
		got, err = c.ExportKey(key, got)
		must(t, "export", err)
		equal(t, "exported length", len(got)-before, n)
		must(t, "destroy", c.DestroyKey(key))
	}
	equalBytes(t, "keys against bytes", got, want)
}

func (h *harness) deriveKeyType(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, data, in1, in2, kt, bits, want := alg(a, 0), a.Bytes(1), a.Bytes(2), a.Bytes(3), keyType(a, 4), a.Int(5), a.Bytes(6)
	var op psa.KeyDerivationOperation
	defer op.Abort()
	deriveBaseKey(t, c, &op, al, data, in1, in2, -1)
	attrs := psa.Attributes{Type: kt, Bits: bits, Usage: values.UsageExport}
	key, err := op.OutputKey(attrs)
	skipIfMissing(t, c, err, "key_derivation_output_key", attrs, al)
	must(t, "output key", err)
	got, err := c.ExportKey(key, nil)
	must(t, "export", err)
	atMost(t, "exported length against PSA_EXPORT_KEY_OUTPUT_SIZE", len(got), values.ExportKeyOutputSize(kt, bits))
	equalBytes(t, "derived key", got, want)
}

func (h *harness) deriveKeyCustom(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, data, in1, in2, kt, bits := alg(a, 0), a.Bytes(1), a.Bytes(2), a.Bytes(3), keyType(a, 4), a.Int(5)
	flags, custom, wantErr, want := a.Uint32(6), a.Bytes(7), status(a, 8), a.Bytes(9)
	var op psa.KeyDerivationOperation
	defer op.Abort()
	deriveBaseKey(t, c, &op, al, data, in1, in2, -1)
	key, err := op.OutputKeyCustom(psa.Attributes{Type: kt, Bits: bits, Usage: values.UsageExport}, flags, custom)
	wantStatus(t, fmt.Sprintf("output key with flags %#x and %d bytes of custom data", flags, len(custom)), err, wantErr)
	if err != nil {
		return
	}
	got, err := c.ExportKey(key, nil)
	must(t, "export", err)
	equalBytes(t, "derived key", got, want)
}

func (h *harness) deriveKey(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, data, in1, in2, kt, bits, want, large := alg(a, 0), a.Bytes(1), a.Bytes(2), a.Bytes(3), keyType(a, 4), a.Int(5), status(a, 6), a.Int(7)
	var op psa.KeyDerivationOperation
	defer op.Abort()
	deriveBaseKey(t, c, &op, al, data, in1, in2, -1)
	_, err := op.OutputKey(psa.Attributes{Type: kt, Bits: bits, Usage: values.UsageExport})
	if large > 0 && statusOf(err) == values.ErrInsufficientMemory {
		t.Skipf(suite.SkipDependency, "not enough memory for a large key")
	}
	// psa_key_derivation_output_key lists an invalid key type and a size
	// that is not valid for the type under PSA_ERROR_INVALID_ARGUMENT,
	// where TF-PSA-Crypto answers PSA_ERROR_NOT_SUPPORTED for
	// PSA_KEY_TYPE_NONE and for PSA_MAX_KEY_BITS + 1, not a whole number
	// of bytes.
	invalid := kt == values.KeyTypeNone || kt.IsUnstructured() && bits%8 != 0
	wantSpecStatus(t, fmt.Sprintf("derive a %d-bit %v key", bits, kt), err, want, values.ErrInvalidArgument,
		want == values.ErrNotSupported && invalid)
}

func (h *harness) deriveKeyPolicy(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	usage, policy, kt, data, exercise := values.KeyUsage(a.Uint32(0)), alg(a, 1), keyType(a, 2), a.Bytes(3), alg(a, 4)
	key := importKey(t, c, kt, usage, policy, data)
	var op psa.KeyDerivationOperation
	defer op.Abort()
	err := c.KeyDerivationSetup(&op, exercise)
	skipDerivation(t, c, err, exercise)
	must(t, "key derivation setup", err)
	if exercise.IsTLS12PRF() || exercise.IsTLS12PSKToMS() {
		must(t, "input an empty seed", op.InputBytes(values.DerivationInputSeed, nil))
	}
	want := values.ErrNotPermitted
	if policy == exercise && usage&values.UsageDerive != 0 {
		want = values.Success
	}
	wantStatus(t, "input the secret key", op.InputKey(values.DerivationInputSecret, key), want)
}
