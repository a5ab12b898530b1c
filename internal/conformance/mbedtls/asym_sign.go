package mbedtls

import (
	"bytes"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/values"
)

// Ports of the signature test functions of test_suite_psa_crypto.function.
//
// Output buffers: the Go API appends its output and never fails for lack
// of room, so an expected PSA_ERROR_BUFFER_TOO_SMALL is checked as its Go
// meaning (the call succeeds and its output is longer than the C buffer),
// and the C checks that an output length stays within the buffer become
// checks against the size that the C test gives the buffer. The Mbed TLS
// interruptible variants of these functions (*_interruptible) are an
// extension and have no port.

// asymImport imports the key of a case with usage and alg, and returns its
// attributes as the instance reports them. The import must succeed.
func asymImport(t *suite.T, c *psa.Crypto, kt values.KeyType, data []byte, usage values.KeyUsage, al values.Algorithm) (values.KeyID, psa.Attributes) {
	t.Helper()
	id, err := c.ImportKey(psa.Attributes{Type: kt, Usage: usage, Alg: al}, data)
	must(t, "import the "+kt.String()+" key", err)
	got, err := c.KeyAttributes(id)
	must(t, "get attributes", err)
	return id, got
}

// asymMinRSABits is the smallest RSA key the builtin driver operates
// with: it is built on crypto/rsa, which refuses smaller keys (it still
// imports and exports them).
const asymMinRSABits = 1024

// asymWant is wantStatus for an operation with the key of attrs. gopsa
// does not implement RSA operations with keys under asymMinRSABits: an
// expected result that such an operation answers with
// PSA_ERROR_NOT_SUPPORTED skips the case as not implemented.
func asymWant(t *suite.T, what string, attrs psa.Attributes, err error, want values.Status) {
	t.Helper()
	if want != values.ErrNotSupported && statusOf(err) == values.ErrNotSupported && attrs.Type.IsRSA() && attrs.Bits < asymMinRSABits {
		t.Skipf(suite.SkipNotImplemented, "RSA operations with keys under %d bits (the builtin driver is on crypto/rsa, which refuses them)", asymMinRSABits)
	}
	wantStatus(t, what, err, want)
}

// asymWantOrLonger checks the result of a call that appends at most n bytes
// in C: with want PSA_ERROR_BUFFER_TOO_SMALL, the Go call must succeed
// with more than n bytes; otherwise it must return want, and on success
// at most n bytes.
func asymWantOrLonger(t *suite.T, what string, attrs psa.Attributes, out []byte, err error, n int, want values.Status) {
	t.Helper()
	if want == values.ErrBufferTooSmall {
		asymWant(t, what, attrs, err, values.Success)
		check(t, len(out) > n, "%s: %d bytes fit the %d-byte buffer that the case expects to be too small", what, len(out), n)
		return
	}
	asymWant(t, what, attrs, err, want)
	if err == nil {
		check(t, len(out) <= n, "%s: %d bytes, more than the %d-byte buffer of the case", what, len(out), n)
	}
}

// asymSignatureBuffer is the size the C tests allocate for a signature: the
// library's PSA_SIGN_OUTPUT_SIZE, which must be sensible.
func asymSignatureBuffer(t *suite.T, a psa.Attributes, al values.Algorithm) int {
	t.Helper()
	n := values.SignOutputSize(a.Type, a.Bits, al)
	check(t, n != 0, "PSA_SIGN_OUTPUT_SIZE(%v, %d, %v) is 0", a.Type, a.Bits, al)
	check(t, n <= values.SignatureMaxSize, "PSA_SIGN_OUTPUT_SIZE(%v, %d, %v) = %d > PSA_SIGNATURE_MAX_SIZE", a.Type, a.Bits, al, n)
	return n
}

// asymFlipped returns a copy of b with the low bit of its first byte asymFlipped:
// the C tests flip a bit at the beginning of the input, because ECDSA may
// ignore its last bits.
func asymFlipped(b []byte) []byte {
	b = bytes.Clone(b)
	b[0] ^= 1
	return b
}

func asymSignatureSize(t *suite.T, a suite.Args) {
	kt, bits, al, want := keyType(a, 0), a.Int(1), alg(a, 2), a.Int(3)
	equal(t, "PSA_SIGN_OUTPUT_SIZE", values.SignOutputSize(kt, bits, al), want)
}

// asymSigner is one of the two families of signature calls: on a hash
// (psa_sign_hash, psa_verify_hash) or on a message.
type asymSigner struct {
	sign, verify values.KeyUsage
	name         string
	signFn       func(c *psa.Crypto, id values.KeyID, al values.Algorithm, in []byte) ([]byte, error)
	verifyFn     func(c *psa.Crypto, id values.KeyID, al values.Algorithm, in, sig []byte) error
}

var (
	asymHashSigner = asymSigner{
		sign: values.UsageSignHash, verify: values.UsageVerifyHash, name: "hash",
		signFn: func(c *psa.Crypto, id values.KeyID, al values.Algorithm, in []byte) ([]byte, error) {
			return c.SignHash(id, al, in, nil)
		},
		verifyFn: func(c *psa.Crypto, id values.KeyID, al values.Algorithm, in, sig []byte) error {
			return c.VerifyHash(id, al, in, sig)
		},
	}
	asymMessageSigner = asymSigner{
		sign: values.UsageSignMessage, verify: values.UsageVerifyMessage, name: "message",
		signFn: func(c *psa.Crypto, id values.KeyID, al values.Algorithm, in []byte) ([]byte, error) {
			return c.SignMessage(id, al, in, nil)
		},
		verifyFn: func(c *psa.Crypto, id values.KeyID, al values.Algorithm, in, sig []byte) error {
			return c.VerifyMessage(id, al, in, sig)
		},
	}
)

// asymDeterministic is sign_hash_deterministic and sign_message_deterministic:
// the signature must be the expected one.
func (h *harness) asymDeterministic(s asymSigner) func(*suite.T, suite.Args) {
	return func(t *suite.T, a suite.Args) {
		c := h.newInstance(t).c
		al := alg(a, 2)
		id, attrs := asymImport(t, c, keyType(a, 0), a.Bytes(1), s.sign, al)
		n := asymSignatureBuffer(t, attrs, al)
		sig, err := s.signFn(c, id, al, a.Bytes(3))
		asymWant(t, "sign "+s.name, attrs, err, values.Success)
		check(t, len(sig) <= n, "signature of %d bytes > PSA_SIGN_OUTPUT_SIZE %d", len(sig), n)
		equalBytes(t, "signature", sig, a.Bytes(4))
	}
}

// asymSignFail is sign_hash_fail and sign_message_fail.
func (h *harness) asymSignFail(s asymSigner) func(*suite.T, suite.Args) {
	return func(t *suite.T, a suite.Args) {
		c := h.newInstance(t).c
		al := alg(a, 2)
		id, attrs := asymImport(t, c, keyType(a, 0), a.Bytes(1), s.sign, al)
		sig, err := s.signFn(c, id, al, a.Bytes(3))
		asymWantOrLonger(t, "sign "+s.name, attrs, sig, err, a.Int(4), values.Status(a.Int(5)))
	}
}

// asymSignVerify is sign_verify_hash and sign_verify_message: a signature
// verifies, and no longer does once the input changes.
func (h *harness) asymSignVerify(s asymSigner) func(*suite.T, suite.Args) {
	return func(t *suite.T, a suite.Args) {
		c := h.newInstance(t).c
		al, in := alg(a, 2), a.Bytes(3)
		id, attrs := asymImport(t, c, keyType(a, 0), a.Bytes(1), s.sign|s.verify, al)
		n := asymSignatureBuffer(t, attrs, al)
		sig, err := s.signFn(c, id, al, in)
		asymWant(t, "sign "+s.name, attrs, err, values.Success)
		check(t, len(sig) > 0 && len(sig) <= n, "signature of %d bytes, want 1 to PSA_SIGN_OUTPUT_SIZE (%d)", len(sig), n)
		must(t, "verify "+s.name, s.verifyFn(c, id, al, in, sig))
		if len(in) != 0 {
			wantStatus(t, "verify "+s.name+" with a changed input", s.verifyFn(c, id, al, asymFlipped(in), sig), values.ErrInvalidSignature)
		}
	}
}

// asymVerify is verify_hash and verify_message (want success) and
// verify_hash_fail and verify_message_fail (want the case's status).
func (h *harness) asymVerify(s asymSigner, fail bool) func(*suite.T, suite.Args) {
	return func(t *suite.T, a suite.Args) {
		sig := a.Bytes(4)
		want := values.Success
		if fail {
			want = values.Status(a.Int(5))
		} else {
			check(t, len(sig) <= values.SignatureMaxSize, "the case's signature of %d bytes > PSA_SIGNATURE_MAX_SIZE", len(sig))
		}
		c := h.newInstance(t).c
		al := alg(a, 2)
		id, attrs := asymImport(t, c, keyType(a, 0), a.Bytes(1), s.verify, al)
		asymWant(t, "verify "+s.name, attrs, s.verifyFn(c, id, al, a.Bytes(3), sig), want)
	}
}

// asymmetricSignatureKeyPolicy checks that sign and verify, on a hash and
// on a message, are permitted exactly by the usage flags (with those they
// imply) and the algorithm of the key's policy.
func (h *harness) asymmetricSignatureKeyPolicy(t *suite.T, a suite.Args) {
	usage, policyAlg, kt := values.KeyUsage(a.Uint32(0)), alg(a, 1), keyType(a, 2)
	exerciseAlg, payloadLen, wantUsage := alg(a, 4), a.Int(5), values.KeyUsage(a.Uint32(6))
	equal(t, "expected usage of the case (with the implied flags)", wantUsage, updateUsage(usage))
	// A positive length says that exerciseAlg is permitted by the policy
	// and the length valid for it; otherwise the policy forbids it.
	compatible := payloadLen > 0
	payload := make([]byte, max(payloadLen, 0))
	if compatible {
		payload[0] = 1
	}
	c := h.newInstance(t).c
	id, attrs := asymImport(t, c, kt, a.Bytes(3), usage, policyAlg)
	equal(t, "usage of the key", attrs.Usage, wantUsage)

	// permitted returns the status a call needs: success (or the
	// status of a wrong signature) if the usage is there, NOT_PERMITTED
	// otherwise.
	permitted := func(u values.KeyUsage, ok values.Status) values.Status {
		if compatible && wantUsage&u != 0 {
			return ok
		}
		return values.ErrNotPermitted
	}
	zeros := make([]byte, values.SignatureMaxSize)
	_, err := c.SignHash(id, exerciseAlg, payload, nil)
	asymWant(t, "sign hash", attrs, err, permitted(values.UsageSignHash, values.Success))
	asymWant(t, "verify hash with a zero signature", attrs, c.VerifyHash(id, exerciseAlg, payload, zeros),
		permitted(values.UsageVerifyHash, values.ErrInvalidSignature))
	if exerciseAlg.IsSignHash() && exerciseAlg.Hash().IsHash() {
		_, err := c.SignMessage(id, exerciseAlg, payload, nil)
		asymWant(t, "sign message", attrs, err, permitted(values.UsageSignMessage, values.Success))
		asymWant(t, "verify message with a zero signature", attrs, c.VerifyMessage(id, exerciseAlg, payload, zeros),
			permitted(values.UsageVerifyMessage, values.ErrInvalidSignature))
	}
}
