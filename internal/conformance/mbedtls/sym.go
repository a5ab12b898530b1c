package mbedtls

import (
	"math"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/values"
)

// Shared by the ports of the MAC, cipher, AEAD, key derivation and hash
// test functions (sym_*.go).
//
// The Go API differs from the C one in two ways that the ports map to
// their Go meaning rather than skip:
//
//   - Output buffers: every output is appended to a slice and a call never
//     fails for lack of room. A case that expects PSA_ERROR_BUFFER_TOO_SMALL
//     passes if the call succeeds with more output than the C buffer would
//     have held; a case that expects success checks that the output fits
//     the C buffer, which is how the C test checks the size macros.
//   - Operation objects: Go has one way to initialize an operation (its
//     zero value), and no operation.id to look at. ASSERT_OPERATION_IS_INACTIVE
//     is checked by behaviour: setting up an inactive operation succeeds,
//     where an active one fails with PSA_ERROR_BAD_STATE.

// sizeMax is SIZE_MAX in the Go API, whose sizes are ints: the largest
// length or capacity a caller can ask for.
const sizeMax = math.MaxInt

// sizeArg converts a size_t argument that the runner decoded as an
// intmax_t to the Go API's int: values of 2^63 and more (SIZE_MAX, which
// decodes as -1) become sizeMax.
func sizeArg(v int64) int {
	if v < 0 || v > math.MaxInt {
		return sizeMax
	}
	return int(v)
}

// status is an integer argument that holds a psa_status_t.
func status(a suite.Args, i int) values.Status { return values.Status(a.Int(i)) }

// importKey imports a key with the given policy, as the C tests do with
// PSA_ASSERT(psa_import_key(...)).
func importKey(t *suite.T, c *psa.Crypto, kt values.KeyType, usage values.KeyUsage, alg values.Algorithm, data []byte) values.KeyID {
	t.Helper()
	id, err := c.ImportKey(psa.Attributes{Type: kt, Usage: usage, Alg: alg}, data)
	must(t, "import "+kt.String()+" key", err)
	return id
}

// skipIfMissing skips a case whose operation, expected to succeed, failed
// with PSA_ERROR_NOT_SUPPORTED while no driver of the instance's build
// handles it (Crypto.Route names none): gopsa does not have the mechanism
// yet. Any other result is left to the caller's checks.
func skipIfMissing(t *suite.T, c *psa.Crypto, err error, ep string, a psa.Attributes, alg values.Algorithm) {
	t.Helper()
	if statusOf(err) == values.ErrNotSupported && c.Route(ep, a, alg) == "" {
		t.Skipf(suite.SkipNotImplemented, "no driver of gopsa's default build has %s for %v", ep, alg)
	}
}

// atMost is TEST_LE_U.
func atMost(t *suite.T, what string, got, limit int) {
	t.Helper()
	if got > limit {
		t.Fatalf("%s: %d > %d", what, got, limit)
	}
}

// fitsOrTooSmall checks an output of n bytes against a C buffer of size
// bytes that expected the status want: success means that the output
// fits, PSA_ERROR_BUFFER_TOO_SMALL that it does not.
func fitsOrTooSmall(t *suite.T, what string, n, size int, want values.Status) {
	t.Helper()
	switch want {
	case values.Success:
		atMost(t, what+" fits the C buffer", n, size)
	case values.ErrBufferTooSmall:
		check(t, n > size, "%s: %d bytes fit a %d-byte buffer, where the C API reports PSA_ERROR_BUFFER_TOO_SMALL", what, n, size)
	default:
		t.Fatalf("%s: the call succeeded, want %v", what, want)
	}
}

// skipNoInit skips a case that calls the API before psa_crypto_init: gopsa
// has no global state to initialize.
func skipNoInit(t *suite.T) {
	t.Skipf(suite.SkipCOnly, "PSA_ERROR_BAD_STATE before psa_crypto_init (gopsa has no global state to initialize)")
}

// wantSpecStatus is wantStatus for a case whose C expectation is one of
// two statuses that the specification gives for the same condition: it
// also accepts alt when specAllows. The caller says which rule of the
// specification allows it.
func wantSpecStatus(t *suite.T, what string, err error, want, alt values.Status, specAllows bool) {
	t.Helper()
	if specAllows && statusOf(err) == alt {
		return
	}
	wantStatus(t, what, err, want)
}

// cipherKeyIncompatible reports whether a key of type kt cannot be used
// with the cipher algorithm alg at all. The cipher setup functions list
// this condition under PSA_ERROR_INVALID_ARGUMENT ("key is not compatible
// with alg"), where TF-PSA-Crypto answers PSA_ERROR_NOT_SUPPORTED.
func cipherKeyIncompatible(kt values.KeyType, alg values.Algorithm) bool {
	if !alg.IsCipher() {
		return false
	}
	if alg == values.AlgStreamCipher {
		return kt != values.KeyTypeChaCha20 && kt != values.KeyTypeXChaCha20
	}
	// Every other cipher mode runs on a block cipher.
	return values.BlockCipherBlockLength(kt) < 8
}
