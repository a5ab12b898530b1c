package mbedtls

import (
	"github.com/gopsa/psa"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/values"
)

// Ports of test_suite_psa_crypto_hash.function and of the hash test
// functions of test_suite_psa_crypto.function: known-answer tests of the
// hash API, one-shot and multi-part.

func (h *harness) hashFinish(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, input, want := alg(a, 0), a.Bytes(1), a.Bytes(2)
	skipUnrouted(t, c, "hash_setup", psa.Attributes{}, al)
	var op psa.HashOperation
	defer op.Abort()
	must(t, "hash setup", c.HashSetup(&op, al))
	must(t, "hash update", op.Update(input))
	got, err := op.Finish(nil)
	must(t, "hash finish", err)
	equalBytes(t, "hash", got, want)
}

func (h *harness) hashVerify(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, input, want := alg(a, 0), a.Bytes(1), a.Bytes(2)
	skipUnrouted(t, c, "hash_setup", psa.Attributes{}, al)
	var op psa.HashOperation
	defer op.Abort()
	must(t, "hash setup", c.HashSetup(&op, al))
	must(t, "hash update", op.Update(input))
	must(t, "hash verify", op.Verify(want))
}

// hashMultiPart splits the input at every position, clones the operation
// at the split, and finishes both the original and the clone.
func (h *harness) hashMultiPart(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, input, want := alg(a, 0), a.Bytes(1), a.Bytes(2)
	skipUnrouted(t, c, "hash_setup", psa.Attributes{}, al)
	for n := 0; n <= len(input); n++ {
		t.Step(n)
		var op, clone psa.HashOperation
		must(t, "hash setup", c.HashSetup(&op, al))
		must(t, "hash update", op.Update(input[:n]))
		must(t, "hash clone", op.Clone(&clone))
		must(t, "hash update", op.Update(input[n:]))
		must(t, "hash update of the clone", clone.Update(input[n:]))
		got, err := op.Finish(nil)
		must(t, "hash finish", err)
		equalBytes(t, "hash", got, want)
		got, err = clone.Finish(nil)
		must(t, "hash finish of the clone", err)
		equalBytes(t, "hash of the clone", got, want)
	}
}

func (h *harness) hashCompareFail(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, input, ref, want := alg(a, 0), a.Bytes(1), a.Bytes(2), values.Status(a.Int(3))
	if al.IsHash() && want != values.ErrNotSupported {
		skipUnrouted(t, c, "hash_compute", psa.Attributes{}, al)
	}
	wantStatus(t, "hash compare", c.HashCompare(al, input, ref), want)
	var op psa.HashOperation
	defer op.Abort()
	err := c.HashSetup(&op, al)
	if err == nil {
		if err = op.Update(input); err == nil {
			err = op.Verify(ref)
		}
	}
	wantStatus(t, "multi-part hash verify", err, want)
}

func (h *harness) hashComputeCompare(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, input, want := alg(a, 0), a.Bytes(1), a.Bytes(2)
	skipUnrouted(t, c, "hash_compute", psa.Attributes{}, al)
	got, err := c.HashCompute(al, input, nil)
	must(t, "hash compute", err)
	equal(t, "hash length", len(got), values.HashLength(al))
	equalBytes(t, "hash", got, want)
	multi := func(what string, check func(op *psa.HashOperation)) {
		t.Helper()
		var op psa.HashOperation
		defer op.Abort()
		must(t, what+": hash setup", c.HashSetup(&op, al))
		must(t, what+": hash update", op.Update(input))
		check(&op)
	}
	multi("finish", func(op *psa.HashOperation) {
		got, err := op.Finish(nil)
		must(t, "hash finish", err)
		equalBytes(t, "multi-part hash", got, want)
	})
	must(t, "hash compare", c.HashCompare(al, input, got))
	multi("verify", func(op *psa.HashOperation) { must(t, "hash verify", op.Verify(got)) })
	for _, bad := range [][]byte{append(append([]byte(nil), got...), 0), got[:len(got)-1]} {
		wantStatus(t, "hash compare with a wrong length", c.HashCompare(al, input, bad), values.ErrInvalidSignature)
		multi("verify with a wrong length", func(op *psa.HashOperation) {
			wantStatus(t, "hash verify", op.Verify(bad), values.ErrInvalidSignature)
		})
	}
	for i := range got {
		t.Step(i)
		bad := append([]byte(nil), got...)
		bad[i] ^= 1
		wantStatus(t, "hash compare with a corrupted hash", c.HashCompare(al, input, bad), values.ErrInvalidSignature)
		multi("verify a corrupted hash", func(op *psa.HashOperation) {
			wantStatus(t, "hash verify", op.Verify(bad), values.ErrInvalidSignature)
		})
	}
}
