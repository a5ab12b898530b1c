package mbedtls

import (
	"encoding/hex"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/values"
)

// Ports of the hash state-machine test functions of
// test_suite_psa_crypto.function, and of hmac from
// test_suite_psa_crypto_hash.function.

// sha256Empty is the SHA-256 hash of the empty string.
var sha256Empty, _ = hex.DecodeString("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")

func hashOperationInit(t *suite.T, _ suite.Args) {
	var op psa.HashOperation
	wantStatus(t, "update of a fresh operation", op.Update([]byte{0}), values.ErrBadState)
	must(t, "abort of a fresh operation", op.Abort())
}

func (h *harness) hashSetup(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, want := alg(a, 0), status(a, 1)
	out, err := c.HashCompute(al, nil, nil)
	if want == values.Success {
		skipIfMissing(t, c, err, "hash_compute", psa.Attributes{}, al)
	}
	wantStatus(t, "hash compute", err, want)
	if err == nil {
		equal(t, "hash length", len(out), values.HashLength(al))
	}
	var op psa.HashOperation
	err = c.HashSetup(&op, al)
	wantStatus(t, "hash setup", err, want)
	must(t, "abort after setup", op.Abort())
	if err != nil {
		wantStatus(t, "hash setup again", c.HashSetup(&op, al), want)
	}
	// The operation object is reusable (KNOWN_SUPPORTED_HASH_ALG).
	must(t, "setup SHA-256 on the reused operation", c.HashSetup(&op, values.AlgSHA256))
	must(t, "abort", op.Abort())
}

func (h *harness) hashComputeFail(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, input, size, want := alg(a, 0), a.Bytes(1), a.Int(2), status(a, 3)
	out, err := c.HashCompute(al, input, nil)
	if want == values.ErrBufferTooSmall {
		must(t, "hash compute", err)
		fitsOrTooSmall(t, "hash", len(out), size, want)
	} else {
		wantStatus(t, "hash compute", err, want)
	}
	var op psa.HashOperation
	defer op.Abort()
	if err = c.HashSetup(&op, al); err == nil {
		if err = op.Update(input); err == nil {
			out, err = op.Finish(nil)
			if err == nil {
				fitsOrTooSmall(t, "multi-part hash", len(out), size, want)
				return
			}
		}
	}
	wantStatus(t, "multi-part hash", err, want)
}

func (h *harness) hashBadOrder(t *suite.T, _ suite.Args) {
	c := h.newInstance(t).c
	alg := values.AlgSHA256
	input := []byte{0} // the C test hashes "" with its NUL
	var op psa.HashOperation
	defer op.Abort()
	setup := func() {
		t.Helper()
		must(t, "hash setup", c.HashSetup(&op, alg))
	}
	inactive := func(what string) {
		t.Helper()
		equal(t, what+": algorithm of the operation (0 when inactive)", op.Alg(), values.AlgNone)
	}

	setup()
	wantStatus(t, "setup twice", c.HashSetup(&op, alg), values.ErrBadState)
	inactive("after setup twice")
	must(t, "abort", op.Abort())
	inactive("after abort")

	wantStatus(t, "update without setup", op.Update(input), values.ErrBadState)
	must(t, "abort", op.Abort())

	// The C test then corrupts operation.id to check that an update error
	// aborts: a C-only mechanism, which the checks below cover by
	// behaviour.

	setup()
	_, err := op.Finish(nil)
	must(t, "finish", err)
	wantStatus(t, "update after finish", op.Update(input), values.ErrBadState)
	must(t, "abort", op.Abort())

	wantStatus(t, "verify without setup", op.Verify(sha256Empty), values.ErrBadState)
	must(t, "abort", op.Abort())

	setup()
	_, err = op.Finish(nil)
	must(t, "finish", err)
	wantStatus(t, "verify after finish", op.Verify(sha256Empty), values.ErrBadState)
	must(t, "abort", op.Abort())

	setup()
	must(t, "verify", op.Verify(sha256Empty))
	inactive("after verify")
	wantStatus(t, "verify twice", op.Verify(sha256Empty), values.ErrBadState)
	inactive("after verify twice")
	must(t, "abort", op.Abort())

	_, err = op.Finish(nil)
	wantStatus(t, "finish without setup", err, values.ErrBadState)
	must(t, "abort", op.Abort())

	setup()
	_, err = op.Finish(nil)
	must(t, "finish", err)
	_, err = op.Finish(nil)
	wantStatus(t, "finish twice", err, values.ErrBadState)
	must(t, "abort", op.Abort())

	setup()
	must(t, "verify", op.Verify(sha256Empty))
	_, err = op.Finish(nil)
	wantStatus(t, "finish after verify", err, values.ErrBadState)
	must(t, "abort", op.Abort())
}

func (h *harness) hashVerifyBadArgs(t *suite.T, _ suite.Args) {
	c := h.newInstance(t).c
	alg := values.AlgSHA256
	// The hash of "" followed by two extra bytes.
	hash := append(append([]byte(nil), sha256Empty...), 0xaa, 0xbb)
	n := values.HashLength(alg)
	var op psa.HashOperation
	defer op.Abort()

	must(t, "hash setup", c.HashSetup(&op, alg))
	wantStatus(t, "verify a shorter hash", op.Verify(hash[:n-1]), values.ErrInvalidSignature)
	equal(t, "algorithm of the operation after a failed verify (0 when inactive)", op.Alg(), values.AlgNone)
	must(t, "abort", op.Abort())

	must(t, "hash setup", c.HashSetup(&op, alg))
	wantStatus(t, "verify a wrong hash", op.Verify(hash[1:n+1]), values.ErrInvalidSignature)

	must(t, "hash setup after a failed verify", c.HashSetup(&op, alg))
	wantStatus(t, "verify a longer hash", op.Verify(hash), values.ErrInvalidSignature)
}

func (h *harness) hashFinishBadArgs(t *suite.T, _ suite.Args) {
	c := h.newInstance(t).c
	alg := values.AlgSHA256
	var op psa.HashOperation
	defer op.Abort()
	must(t, "hash setup", c.HashSetup(&op, alg))
	out, err := op.Finish(nil)
	must(t, "hash finish", err)
	fitsOrTooSmall(t, "hash", len(out), values.HashLength(alg)-1, values.ErrBufferTooSmall)
	equalBytes(t, "hash", out, sha256Empty)
}

func (h *harness) hashCloneSourceState(t *suite.T, _ suite.Args) {
	c := h.newInstance(t).c
	alg := values.AlgSHA256
	var source, init, setup, finished, aborted psa.HashOperation
	for _, op := range []*psa.HashOperation{&source, &init, &setup, &finished, &aborted} {
		defer op.Abort()
	}
	must(t, "setup the source", c.HashSetup(&source, alg))
	must(t, "setup", c.HashSetup(&setup, alg))
	must(t, "setup", c.HashSetup(&finished, alg))
	_, err := finished.Finish(nil)
	must(t, "finish", err)
	must(t, "setup", c.HashSetup(&aborted, alg))
	must(t, "abort", aborted.Abort())

	wantStatus(t, "clone into an active operation", source.Clone(&setup), values.ErrBadState)
	for _, target := range []struct {
		name string
		op   *psa.HashOperation
	}{{"a fresh", &init}, {"a finished", &finished}, {"an aborted", &aborted}} {
		must(t, "clone into "+target.name+" operation", source.Clone(target.op))
		got, err := target.op.Finish(nil)
		must(t, "finish the clone in "+target.name+" operation", err)
		equalBytes(t, "hash of the clone", got, sha256Empty)
	}
}

func (h *harness) hashCloneTargetState(t *suite.T, _ suite.Args) {
	c := h.newInstance(t).c
	alg := values.AlgSHA256
	var init, setup, finished, aborted, target psa.HashOperation
	for _, op := range []*psa.HashOperation{&init, &setup, &finished, &aborted, &target} {
		defer op.Abort()
	}
	must(t, "setup", c.HashSetup(&setup, alg))
	must(t, "setup", c.HashSetup(&finished, alg))
	_, err := finished.Finish(nil)
	must(t, "finish", err)
	must(t, "setup", c.HashSetup(&aborted, alg))
	must(t, "abort", aborted.Abort())

	must(t, "clone an active operation", setup.Clone(&target))
	_, err = target.Finish(nil)
	must(t, "finish the clone", err)

	wantStatus(t, "clone a fresh operation", init.Clone(&target), values.ErrBadState)
	wantStatus(t, "clone a finished operation", finished.Clone(&target), values.ErrBadState)
	wantStatus(t, "clone an aborted operation", aborted.Clone(&target), values.ErrBadState)
}

// hmacKey is the key of test_suite_psa_crypto_hash's hmac: 32 bytes of 0xaa.
var hmacKey = []byte{
	0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
	0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
}

func (h *harness) hmac(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al := values.AlgHMAC(alg(a, 0))
	input, want := []byte(a.String(1)), a.Bytes(2)
	key := importKey(t, c, values.KeyTypeHMAC, values.UsageSignMessage|values.UsageVerifyMessage, al, hmacKey)
	mac, err := c.MACCompute(key, al, input, nil)
	skipIfMissing(t, c, err, "mac_compute", psa.Attributes{Type: values.KeyTypeHMAC, Bits: 256}, al)
	must(t, "MAC compute", err)
	equalBytes(t, "MAC", mac, want)
	must(t, "MAC verify", c.MACVerify(key, al, input, want))
	bad := append([]byte(nil), want...)
	bad[0] ^= 0x7f
	wantStatus(t, "MAC verify of a corrupted MAC", c.MACVerify(key, al, input, bad), values.ErrInvalidSignature)
	must(t, "destroy", c.DestroyKey(key))
}
