package mbedtls

import (
	"fmt"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/values"
)

// Ports of the AEAD test functions of test_suite_psa_crypto.function.
//
// Call order: PSA Crypto API 1.5 requires psa_aead_set_lengths before the
// nonce (psa_aead_set_lengths: PSA_ERROR_BAD_STATE once a nonce is set;
// psa_aead_set_nonce and psa_aead_generate_nonce: PSA_ERROR_BAD_STATE for
// CCM without the lengths). TF-PSA-Crypto also accepts the lengths after
// the nonce, and CCM's nonce before the lengths, and its tests use that
// order. The ports keep what each test checks in the 1.5 order: the
// lengths go before the nonce, and the C test's "lengths after the nonce"
// is checked as its 1.5 meaning, PSA_ERROR_BAD_STATE (see
// lengthsAfterNonce).

// Values of the set_lengths_method_t and tag_usage_method_t arguments.
const (
	doNotSetLengths       = 0
	setLengthsBeforeNonce = 1
	setLengthsAfterNonce  = 2

	useNullTag = 0
)

// aeadBase is the operation.alg that the C test looks at: the algorithm
// with its default tag length.
func aeadBase(alg values.Algorithm) values.Algorithm { return values.AlgAEADWithDefaultLengthTag(alg) }

// lengthsAfterNonce checks the PSA 1.5 meaning of the C tests'
// SET_LENGTHS_AFTER_NONCE: psa_aead_set_lengths after the nonce is
// PSA_ERROR_BAD_STATE, and for CCM, which needs the lengths first, so is
// the nonce.
func lengthsAfterNonce(t *suite.T, c *psa.Crypto, key values.KeyID, al values.Algorithm, nonce []byte, encrypt bool) {
	t.Helper()
	var op psa.AEADOperation
	defer op.Abort()
	if encrypt {
		must(t, "AEAD encrypt setup", c.AEADEncryptSetup(&op, key, al))
	} else {
		must(t, "AEAD decrypt setup", c.AEADDecryptSetup(&op, key, al))
	}
	if aeadBase(al) == values.AlgCCM {
		wantStatus(t, "CCM: set nonce before the lengths (PSA 1.5)", op.SetNonce(nonce), values.ErrBadState)
		return
	}
	must(t, "set nonce", op.SetNonce(nonce))
	wantStatus(t, "set lengths after the nonce (PSA 1.5)", op.SetLengths(16, 16), values.ErrBadState)
}

func (h *harness) aeadKeyPolicy(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	usage, policy, kt, data := values.KeyUsage(a.Uint32(0)), alg(a, 1), keyType(a, 2), a.Bytes(3)
	nonceLen, tagLen, exercise, want := a.Int(4), a.Int(5), alg(a, 6), status(a, 7)
	atMost(t, "nonce length", nonceLen, 16)
	atMost(t, "tag length", tagLen, 16)
	nonce := make([]byte, nonceLen)
	equal(t, "usage flags with no implied flag", updateUsage(usage), usage)
	key := importKey(t, c, kt, usage, policy, data)
	ifPermitted := func(flag values.KeyUsage, s values.Status) values.Status {
		if usage&flag == 0 {
			return values.ErrNotPermitted
		}
		return s
	}

	tag, err := c.AEADEncrypt(key, exercise, nonce, nil, nil, nil)
	if ifPermitted(values.UsageEncrypt, want) == values.Success {
		skipIfMissing(t, c, err, "aead_encrypt", psa.Attributes{Type: kt, Bits: 8 * len(data)}, exercise)
	}
	wantStatus(t, "AEAD encrypt", err, ifPermitted(values.UsageEncrypt, want))
	if err == nil {
		atMost(t, "tag length (the C output buffer)", len(tag), tagLen)
	}
	var op psa.AEADOperation
	defer op.Abort()
	wantStatus(t, "AEAD encrypt setup", c.AEADEncryptSetup(&op, key, exercise), ifPermitted(values.UsageEncrypt, want))

	wantDecrypt := ifPermitted(values.UsageDecrypt, want)
	if wantDecrypt == values.Success {
		wantDecrypt = values.ErrInvalidSignature // a tag of zeros
	}
	_, err = c.AEADDecrypt(key, exercise, nonce, nil, make([]byte, tagLen), nil)
	wantStatus(t, "AEAD decrypt", err, wantDecrypt)
	must(t, "abort", op.Abort())
	wantStatus(t, "AEAD decrypt setup", c.AEADDecryptSetup(&op, key, exercise), ifPermitted(values.UsageDecrypt, want))
}

// aeadKey imports the key of an AEAD case and returns it with its size.
func aeadKey(t *suite.T, c *psa.Crypto, kt values.KeyType, usage values.KeyUsage, al values.Algorithm, data []byte) (values.KeyID, int) {
	t.Helper()
	key := importKey(t, c, kt, usage, al, data)
	attrs, err := c.KeyAttributes(key)
	must(t, "get attributes", err)
	return key, attrs.Bits
}

func (h *harness) aeadEncryptDecrypt(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	kt, data, al, nonce, ad, input, want := keyType(a, 0), a.Bytes(1), alg(a, 2), a.Bytes(3), a.Bytes(4), a.Bytes(5), status(a, 6)
	key, bits := aeadKey(t, c, kt, values.UsageEncrypt|values.UsageDecrypt, al, data)
	size := len(input) + values.AEADTagLength(kt, bits, al)
	if want != values.ErrInvalidArgument && want != values.ErrNotSupported {
		equal(t, "PSA_AEAD_ENCRYPT_OUTPUT_SIZE", values.AEADEncryptOutputSize(kt, al, len(input)), size)
		atMost(t, "output size against PSA_AEAD_ENCRYPT_OUTPUT_MAX_SIZE", size, values.AEADEncryptOutputMaxSize(len(input)))
	}
	ct, err := c.AEADEncrypt(key, al, nonce, ad, input, nil)
	if want == values.Success {
		skipIfMissing(t, c, err, "aead_encrypt", psa.Attributes{Type: kt, Bits: bits}, al)
	}
	wantStatus(t, "AEAD encrypt", err, want)
	if err != nil {
		return
	}
	atMost(t, "ciphertext length (the C output buffer)", len(ct), size)
	equal(t, "PSA_AEAD_DECRYPT_OUTPUT_SIZE", values.AEADDecryptOutputSize(kt, al, len(ct)), len(input))
	atMost(t, "plaintext length against PSA_AEAD_DECRYPT_OUTPUT_MAX_SIZE", len(input), values.AEADDecryptOutputMaxSize(len(ct)))
	pt, err := c.AEADDecrypt(key, al, nonce, ad, ct, nil)
	wantStatus(t, "AEAD decrypt", err, want)
	equalBytes(t, "decrypted", pt, input)
}

func (h *harness) aeadEncrypt(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	kt, data, al, nonce, ad, input, want := keyType(a, 0), a.Bytes(1), alg(a, 2), a.Bytes(3), a.Bytes(4), a.Bytes(5), a.Bytes(6)
	key, bits := aeadKey(t, c, kt, values.UsageEncrypt, al, data)
	size := len(input) + values.AEADTagLength(kt, bits, al)
	equal(t, "PSA_AEAD_ENCRYPT_OUTPUT_SIZE", values.AEADEncryptOutputSize(kt, al, len(input)), size)
	atMost(t, "output size against PSA_AEAD_ENCRYPT_OUTPUT_MAX_SIZE", size, values.AEADEncryptOutputMaxSize(len(input)))
	ct, err := c.AEADEncrypt(key, al, nonce, ad, input, nil)
	skipIfMissing(t, c, err, "aead_encrypt", psa.Attributes{Type: kt, Bits: bits}, al)
	must(t, "AEAD encrypt", err)
	equalBytes(t, "ciphertext and tag", ct, want)
}

func (h *harness) aeadDecrypt(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	kt, data, al, nonce, ad, input, wantData, want := keyType(a, 0), a.Bytes(1), alg(a, 2), a.Bytes(3), a.Bytes(4), a.Bytes(5), a.Bytes(6), status(a, 7)
	key, bits := aeadKey(t, c, kt, values.UsageDecrypt, al, data)
	size := len(input) - values.AEADTagLength(kt, bits, al)
	if want != values.ErrInvalidArgument && want != values.ErrNotSupported {
		equal(t, "PSA_AEAD_DECRYPT_OUTPUT_SIZE", values.AEADDecryptOutputSize(kt, al, len(input)), size)
		atMost(t, "output size against PSA_AEAD_DECRYPT_OUTPUT_MAX_SIZE", size, values.AEADDecryptOutputMaxSize(len(input)))
	}
	pt, err := c.AEADDecrypt(key, al, nonce, ad, input, nil)
	if want == values.Success || want == values.ErrInvalidSignature {
		skipIfMissing(t, c, err, "aead_decrypt", psa.Attributes{Type: kt, Bits: bits}, al)
	}
	wantStatus(t, "AEAD decrypt", err, want)
	if err == nil {
		equalBytes(t, "plaintext", pt, wantData)
	}
}

// aeadRun is the input of aead_multipart_internal_func.
type aeadRun struct {
	c          *psa.Crypto
	key        values.KeyID
	kt         values.KeyType
	bits       int
	alg        values.Algorithm
	nonce, ad  []byte
	input      []byte // plaintext, or ciphertext and tag
	want       []byte // ciphertext and tag, or plaintext
	encrypt    bool
	setLengths int
}

// run is aead_multipart_internal_func: the additional data in parts of
// adPart bytes and the data in parts of dataPart bytes (-1: in one go),
// with empty parts in between if zeroParts. Every output is checked
// against the size macros the C test sizes its buffers with.
func (r *aeadRun) run(t *suite.T, adPart, dataPart int, zeroParts bool) {
	t.Helper()
	kt, al := r.kt, r.alg
	tagLen := values.AEADTagLength(kt, r.bits, al)
	data := r.input
	if !r.encrypt {
		data = r.input[:len(r.input)-tagLen]
	}
	finishSize := values.AEADFinishOutputSize(kt, al)
	if r.encrypt {
		atMost(t, "PSA_AEAD_FINISH_OUTPUT_SIZE against PSA_AEAD_FINISH_OUTPUT_MAX_SIZE", finishSize, values.AEADFinishOutputMaxSize)
	} else {
		finishSize = values.AEADVerifyOutputSize(kt, al)
		atMost(t, "PSA_AEAD_VERIFY_OUTPUT_SIZE against PSA_AEAD_VERIFY_OUTPUT_MAX_SIZE", finishSize, values.AEADVerifyOutputMaxSize)
	}

	var op psa.AEADOperation
	defer op.Abort()
	if r.encrypt {
		must(t, "AEAD encrypt setup", r.c.AEADEncryptSetup(&op, r.key, al))
	} else {
		must(t, "AEAD decrypt setup", r.c.AEADDecryptSetup(&op, r.key, al))
	}
	// SET_LENGTHS_AFTER_NONCE runs in the 1.5 order too; aeadMultipart
	// checks the C order's 1.5 meaning once per case.
	if r.setLengths != doNotSetLengths {
		must(t, "set lengths", op.SetLengths(len(r.ad), len(data)))
	}
	must(t, "set nonce", op.SetNonce(r.nonce))

	parts := func(in []byte, partLen int, feed func([]byte)) {
		if partLen < 0 {
			feed(in)
			return
		}
		for off, n := 0, 0; off < len(in); n++ {
			part := min(partLen, len(in)-off)
			if zeroParts && n%2 == 1 {
				part = 0
			}
			feed(in[off : off+part])
			off += part
		}
	}
	parts(r.ad, adPart, func(p []byte) { must(t, "update AD", op.UpdateAD(p)) })
	var out []byte
	parts(data, dataPart, func(p []byte) {
		n := len(out)
		var err error
		out, err = op.Update(p, out)
		must(t, "update", err)
		atMost(t, "update output against PSA_AEAD_UPDATE_OUTPUT_SIZE", len(out)-n, values.AEADUpdateOutputSize(kt, al, len(p)))
	})

	n := len(out)
	if r.encrypt {
		var tag []byte
		var err error
		out, tag, err = op.Finish(out, nil)
		must(t, "finish", err)
		atMost(t, "finish output against PSA_AEAD_FINISH_OUTPUT_SIZE", len(out)-n, finishSize)
		equal(t, "tag length", len(tag), tagLen)
		out = append(out, tag...)
		equal(t, "PSA_AEAD_ENCRYPT_OUTPUT_SIZE", len(out), values.AEADEncryptOutputSize(kt, al, len(r.input)))
		atMost(t, "output against PSA_AEAD_ENCRYPT_OUTPUT_MAX_SIZE", len(out), values.AEADEncryptOutputMaxSize(len(r.input)))
	} else {
		var err error
		out, err = op.Verify(out, r.input[len(data):])
		must(t, "verify", err)
		atMost(t, "verify output against PSA_AEAD_VERIFY_OUTPUT_SIZE", len(out)-n, finishSize)
		equal(t, "PSA_AEAD_DECRYPT_OUTPUT_SIZE", len(out), values.AEADDecryptOutputSize(kt, al, len(r.input)))
		atMost(t, "output against PSA_AEAD_DECRYPT_OUTPUT_MAX_SIZE", len(out), values.AEADDecryptOutputMaxSize(len(r.input)))
	}
	equalBytes(t, "output", out, r.want)
}

// aeadMultipart is aead_multipart_encrypt and aead_multipart_decrypt:
// every split of the additional data, then of the data. The C test
// imports the key for every run; one key serves them all here.
func (h *harness) aeadMultipart(t *suite.T, a suite.Args, encrypt bool) {
	c := h.newInstance(t).c
	r := &aeadRun{c: c, kt: keyType(a, 0), alg: alg(a, 2), nonce: a.Bytes(3), ad: a.Bytes(4), input: a.Bytes(5), want: a.Bytes(7), encrypt: encrypt}
	doSetLengths := a.Int(6) != 0
	usage, ep := values.UsageEncrypt, "aead_encrypt_setup"
	if !encrypt {
		usage, ep = values.UsageDecrypt, "aead_decrypt_setup"
	}
	r.key, r.bits = aeadKey(t, c, r.kt, usage, r.alg, a.Bytes(1))
	var op psa.AEADOperation
	setup := c.AEADEncryptSetup
	if !encrypt {
		setup = c.AEADDecryptSetup
	}
	err := setup(&op, r.key, r.alg)
	op.Abort()
	skipIfMissing(t, c, err, ep, psa.Attributes{Type: r.kt, Bits: r.bits}, r.alg)
	if !encrypt {
		check(t, len(r.input) >= values.AEADTagLength(r.kt, r.bits, r.alg), "input of %d bytes, shorter than the tag", len(r.input))
	}
	if doSetLengths {
		lengthsAfterNonce(t, c, r.key, r.alg, r.nonce, encrypt)
	}
	method := func(n int) int {
		switch {
		case !doSetLengths:
			return doNotSetLengths
		case n%2 == 1:
			return setLengthsAfterNonce
		}
		return setLengthsBeforeNonce
	}
	for n := 1; n <= len(r.ad); n++ {
		r.setLengths = method(n)
		t.Step(n)
		r.run(t, n, -1, false)
		t.Step(1000 + n)
		r.run(t, n, -1, true)
	}
	dataLen := len(r.input)
	if !encrypt {
		dataLen -= values.AEADTagLength(r.kt, r.bits, r.alg)
	}
	// The C loop goes up to the length of the input, tag included: parts
	// longer than the data feed it in one part, so two such runs (one per
	// set-lengths method) stand for them all.
	for n := 1; n <= len(r.input) && n <= dataLen+2; n++ {
		r.setLengths = method(n)
		t.Step(2000 + n)
		r.run(t, -1, n, false)
		t.Step(3000 + n)
		r.run(t, -1, n, true)
	}
}

func (h *harness) aeadMultipartEncrypt(t *suite.T, a suite.Args) { h.aeadMultipart(t, a, true) }
func (h *harness) aeadMultipartDecrypt(t *suite.T, a suite.Args) { h.aeadMultipart(t, a, false) }

// aeadSetup sets up an encryption and skips the case if gopsa lacks the
// mechanism.
func aeadEncryptSetup(t *suite.T, c *psa.Crypto, op *psa.AEADOperation, key values.KeyID, kt values.KeyType, bits int, al values.Algorithm) {
	t.Helper()
	err := c.AEADEncryptSetup(op, key, al)
	skipIfMissing(t, c, err, "aead_encrypt_setup", psa.Attributes{Type: kt, Bits: bits}, al)
	must(t, "AEAD encrypt setup", err)
}

func (h *harness) aeadMultipartGenerateNonce(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	kt, data, al, nonceSize, wantLen := keyType(a, 0), a.Bytes(1), alg(a, 2), a.Int(3), a.Int(4)
	ad, input, want := a.Bytes(5), a.Bytes(6), status(a, 7)
	key, bits := aeadKey(t, c, kt, values.UsageEncrypt, al, data)
	atMost(t, "PSA_AEAD_FINISH_OUTPUT_SIZE against PSA_AEAD_FINISH_OUTPUT_MAX_SIZE", values.AEADFinishOutputSize(kt, al), values.AEADFinishOutputMaxSize)
	var op psa.AEADOperation
	defer op.Abort()
	aeadEncryptSetup(t, c, &op, key, kt, bits, al)
	// The C test sets the lengths after the nonce: PSA 1.5 wants them
	// before.
	must(t, "set lengths", op.SetLengths(len(ad), len(input)))
	nonce, err := op.GenerateNonce(nil)
	switch want {
	case values.Success, values.ErrBufferTooSmall:
		must(t, "generate nonce", err)
		fitsOrTooSmall(t, "nonce", len(nonce), nonceSize, want)
	default:
		wantStatus(t, "generate nonce", err, want)
	}
	if want != values.Success {
		return
	}
	equal(t, "nonce length", len(nonce), wantLen)
	equal(t, "PSA_AEAD_NONCE_LENGTH", len(nonce), values.AEADNonceLength(kt, al))
	atMost(t, "nonce length against PSA_AEAD_NONCE_MAX_SIZE", len(nonce), values.AEADNonceMaxSize)
	must(t, "update AD", op.UpdateAD(ad))
	_, err = op.Update(input, nil)
	must(t, "update", err)
	_, _, err = op.Finish(nil, nil)
	must(t, "finish", err)
}

func (h *harness) aeadMultipartSetNonce(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	kt, data, al, nonceArg, method := keyType(a, 0), a.Bytes(1), alg(a, 2), a.Int(3), a.Int(4)
	ad, input, want := a.Bytes(5), a.Bytes(6), status(a, 7)
	key, bits := aeadKey(t, c, kt, values.UsageEncrypt, al, data)
	var op psa.AEADOperation
	defer op.Abort()
	aeadEncryptSetup(t, c, &op, key, kt, bits, al)
	// -1 is an empty nonce in a valid buffer, 0 an empty nonce in NULL:
	// the same in Go.
	var nonce []byte
	if nonceArg > 0 {
		nonce = make([]byte, nonceArg)
		for i := range nonce[:nonceArg-1] {
			nonce[i] = 'a' + byte(i)
		}
	}
	if method == setLengthsBeforeNonce {
		must(t, "set lengths", op.SetLengths(len(ad), len(input)))
	}
	what := fmt.Sprintf("set a nonce of %d bytes", len(nonce))
	if aeadBase(al) == values.AlgCCM && method != setLengthsBeforeNonce {
		// PSA 1.5: CCM takes no nonce before the lengths. The C test sets
		// the nonce first and expects the CCM check later (at update, or
		// for DO_NOT_SET_LENGTHS at update_ad): either error is right for
		// a nonce of a bad length.
		err := op.SetNonce(nonce)
		if want != values.Success && statusOf(err) == want {
			return
		}
		wantStatus(t, "CCM: "+what+" before the lengths (PSA 1.5)", err, values.ErrBadState)
		return
	}
	wantStatus(t, what, op.SetNonce(nonce), want)
	if want != values.Success {
		return
	}
	must(t, "update AD", op.UpdateAD(ad))
	_, err := op.Update(input, nil)
	must(t, "update", err)
	_, _, err = op.Finish(nil, nil)
	must(t, "finish", err)
	if method == setLengthsAfterNonce {
		lengthsAfterNonce(t, c, key, al, nonce, true)
	}
}

func (h *harness) aeadMultipartUpdateBufferTest(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	kt, data, al, size := keyType(a, 0), a.Bytes(1), alg(a, 2), a.Int(3)
	nonce, ad, input, want := a.Bytes(4), a.Bytes(5), a.Bytes(6), status(a, 7)
	key, bits := aeadKey(t, c, kt, values.UsageEncrypt, al, data)
	var op psa.AEADOperation
	defer op.Abort()
	aeadEncryptSetup(t, c, &op, key, kt, bits, al)
	must(t, "set lengths", op.SetLengths(len(ad), len(input)))
	must(t, "set nonce", op.SetNonce(nonce))
	must(t, "update AD", op.UpdateAD(ad))
	out, err := op.Update(input, nil)
	switch want {
	case values.Success, values.ErrBufferTooSmall:
		must(t, "update", err)
		fitsOrTooSmall(t, "update output", len(out), size, want)
	default:
		wantStatus(t, "update", err, want)
	}
	if want == values.Success {
		_, _, err = op.Finish(nil, nil)
		must(t, "finish", err)
	}
}

func (h *harness) aeadMultipartFinishBufferTest(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	kt, data, al, finishSize, tagSize := keyType(a, 0), a.Bytes(1), alg(a, 2), a.Int(3), a.Int(4)
	nonce, ad, input, want := a.Bytes(5), a.Bytes(6), a.Bytes(7), status(a, 8)
	key, bits := aeadKey(t, c, kt, values.UsageEncrypt, al, data)
	var op psa.AEADOperation
	defer op.Abort()
	aeadEncryptSetup(t, c, &op, key, kt, bits, al)
	// The C test sets the nonce first: PSA 1.5 wants the lengths first.
	must(t, "set lengths", op.SetLengths(len(ad), len(input)))
	must(t, "set nonce", op.SetNonce(nonce))
	must(t, "update AD", op.UpdateAD(ad))
	out, err := op.Update(input, nil)
	must(t, "update", err)
	atMost(t, "update output against PSA_AEAD_UPDATE_OUTPUT_SIZE", len(out), values.AEADUpdateOutputSize(kt, al, len(input)))
	rest, tag, err := op.Finish(nil, nil)
	if want != values.Success && want != values.ErrBufferTooSmall {
		wantStatus(t, "finish", err, want)
		return
	}
	must(t, "finish", err)
	fits := len(rest) <= finishSize && len(tag) <= tagSize
	if want == values.Success {
		check(t, fits, "finish output of %d bytes and tag of %d bytes, where the C buffers have %d and %d", len(rest), len(tag), finishSize, tagSize)
	} else {
		check(t, !fits, "finish output of %d bytes and tag of %d bytes fit the C buffers of %d and %d, where the C API reports PSA_ERROR_BUFFER_TOO_SMALL", len(rest), len(tag), finishSize, tagSize)
	}
}

func (h *harness) aeadMultipartVerify(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	kt, data, al, nonce, ad, input, tag := keyType(a, 0), a.Bytes(1), alg(a, 2), a.Bytes(3), a.Bytes(4), a.Bytes(5), a.Bytes(6)
	tagUsage, wantSetup, want := a.Int(7), status(a, 8), status(a, 9)
	key, bits := aeadKey(t, c, kt, values.UsageDecrypt, al, data)
	atMost(t, "PSA_AEAD_VERIFY_OUTPUT_SIZE against PSA_AEAD_VERIFY_OUTPUT_MAX_SIZE", values.AEADVerifyOutputSize(kt, al), values.AEADVerifyOutputMaxSize)
	var op psa.AEADOperation
	defer op.Abort()
	err := c.AEADDecryptSetup(&op, key, al)
	if wantSetup == values.Success {
		skipIfMissing(t, c, err, "aead_decrypt_setup", psa.Attributes{Type: kt, Bits: bits}, al)
	}
	wantStatus(t, "AEAD decrypt setup", err, wantSetup)
	if err != nil {
		return
	}
	// The C test sets the nonce first: PSA 1.5 wants the lengths first.
	must(t, "set lengths", op.SetLengths(len(ad), len(input)))
	must(t, "set nonce", op.SetNonce(nonce))
	must(t, "update AD", op.UpdateAD(ad))
	out, err := op.Update(input, nil)
	must(t, "update", err)
	atMost(t, "update output against PSA_AEAD_UPDATE_OUTPUT_SIZE", len(out), values.AEADUpdateOutputSize(kt, al, len(input)))
	if tagUsage == useNullTag {
		tag = nil
	}
	_, err = op.Verify(nil, tag)
	wantStatus(t, "verify", err, want)
}

func (h *harness) aeadMultipartSetup(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	kt, data, al, want := keyType(a, 0), a.Bytes(1), alg(a, 2), status(a, 3)
	key := importKey(t, c, kt, values.UsageEncrypt|values.UsageDecrypt, al, data)
	var op psa.AEADOperation
	defer op.Abort()
	wantStatus(t, "AEAD encrypt setup", c.AEADEncryptSetup(&op, key, al), want)
	op.Abort()
	wantStatus(t, "AEAD decrypt setup", c.AEADDecryptSetup(&op, key, al), want)
}
