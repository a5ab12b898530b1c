package mbedtls

import (
	"bytes"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/values"
)

// Ports of the key agreement test functions of
// test_suite_psa_crypto.function: raw agreement (psa_raw_key_agreement),
// agreement into a key (psa_key_agreement) and agreement as the secret of
// a key derivation (psa_key_derivation_key_agreement).

// agreeSecretAttrs are the attributes of the C tests' shared secret key.
var agreeSecretAttrs = psa.Attributes{Type: values.KeyTypeDerive, Usage: values.UsageDerive | values.UsageExport}

// asymAgreeWithSelf is mbedtls_test_psa_key_agreement_with_self: the key
// agreement of key with its own public key, as the secret of op. It
// returns the status of that last call; the export of the public key must
// succeed.
func asymAgreeWithSelf(t *suite.T, c *psa.Crypto, op *psa.KeyDerivationOperation, key values.KeyID) error {
	t.Helper()
	pub, err := c.ExportPublicKey(key, nil)
	must(t, "export public key", err)
	return op.KeyAgreement(values.DerivationInputSecret, key, pub)
}

// agreeKnownAnswer is a known-answer test of psa_raw_key_agreement and
// psa_key_agreement, with the checks of peer keys one byte too short or
// too long. (TF-PSA-Crypto 1.0.0's data gives no expected status: every
// case succeeds.)
func (h *harness) agreeKnownAnswer(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, peer, want := alg(a, 0), a.Bytes(3), a.Bytes(4)
	id, attrs := asymImport(t, c, keyType(a, 1), a.Bytes(2), values.UsageDerive, al)
	n := values.RawKeyAgreementOutputSize(attrs.Type, attrs.Bits)
	check(t, len(want) <= n, "expected secret of %d bytes > PSA_RAW_KEY_AGREEMENT_OUTPUT_SIZE %d", len(want), n)
	check(t, n <= values.RawKeyAgreementOutputMaxSize, "PSA_RAW_KEY_AGREEMENT_OUTPUT_SIZE %d > PSA_RAW_KEY_AGREEMENT_OUTPUT_MAX_SIZE", n)

	out, err := c.RawKeyAgreement(al, id, peer, nil)
	must(t, "raw key agreement", err)
	equalBytes(t, "shared secret", out, want)

	secret, err := c.KeyAgreement(id, peer, al, agreeSecretAttrs)
	must(t, "key agreement into a key", err)
	exported, err := c.ExportKey(secret, nil)
	must(t, "export the shared secret key", err)
	equalBytes(t, "shared secret key", exported, want)
	got, err := c.KeyAttributes(secret)
	must(t, "get attributes of the shared secret key", err)
	equal(t, "size of the shared secret key in bytes", values.BitsToBytes(got.Bits), len(want))
	equal(t, "type of the shared secret key", got.Type, values.KeyTypeDerive)
	equal(t, "usage of the shared secret key", got.Usage, agreeSecretAttrs.Usage)
	must(t, "destroy the shared secret key", c.DestroyKey(secret))

	bad := [][]byte{
		peer[:len(peer)-1],         // one byte short
		append([]byte{0}, peer...), // a leading zero
		append([]byte{1}, peer...), // a larger value
	}
	for i, p := range bad {
		t.Step(i)
		_, err := c.RawKeyAgreement(al, id, p, nil)
		wantStatus(t, "raw key agreement with a bad peer key", err, values.ErrInvalidArgument)
		secret, err := c.KeyAgreement(id, p, al, agreeSecretAttrs)
		if err == nil {
			c.DestroyKey(secret)
		}
		wantStatus(t, "key agreement into a key with a bad peer key", err, values.ErrInvalidArgument)
	}
}

// agreeSetup checks the status of psa_key_derivation_key_agreement
// for a key policy and an operation algorithm.
func (h *harness) agreeSetup(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al := alg(a, 0)
	id, _ := asymImport(t, c, keyType(a, 1), a.Bytes(3), values.UsageDerive, alg(a, 2))
	var op psa.KeyDerivationOperation
	defer op.Abort()
	want := values.Status(a.Int(5))
	if err := c.KeyDerivationSetup(&op, al); err != nil {
		wantStatus(t, "key derivation setup", err, want)
		return
	}
	wantStatus(t, "key agreement into the derivation", op.KeyAgreement(values.DerivationInputSecret, id, a.Bytes(4)), want)
}

// agreeAndDerive sets up op for a key agreement combined with a KDF: the
// agreement of the case's key with its peer key as the secret, and an
// empty info for HKDF, as the test data assumes.
func (h *harness) agreeAndDerive(t *suite.T, a suite.Args, op *psa.KeyDerivationOperation) *psa.Crypto {
	t.Helper()
	c := h.newInstance(t).c
	al := alg(a, 0)
	id, _ := asymImport(t, c, keyType(a, 1), a.Bytes(2), values.UsageDerive, al)
	must(t, "key derivation setup", c.KeyDerivationSetup(op, al))
	must(t, "key agreement into the derivation", op.KeyAgreement(values.DerivationInputSecret, id, a.Bytes(3)))
	if al.KeyAgreementKDF().IsHKDF() {
		must(t, "input an empty info", op.InputBytes(values.DerivationInputInfo, nil))
	}
	return c
}

// agreeCapacity checks the capacity that the operation advertises,
// then that exactly that much output comes out.
func (h *harness) agreeCapacity(t *suite.T, a suite.Args) {
	var op psa.KeyDerivationOperation
	defer op.Abort()
	h.agreeAndDerive(t, a, &op)
	capacity, err := op.Capacity()
	must(t, "get capacity", err)
	equal(t, "capacity", capacity, a.Int(4))
	out := make([]byte, 16)
	for capacity > len(out) {
		must(t, "output 16 bytes", op.OutputBytes(out))
		capacity -= len(out)
	}
	must(t, "output the last bytes", op.OutputBytes(out[:capacity]))
	wantStatus(t, "output past the capacity", op.OutputBytes(out[:1]), values.ErrInsufficientData)
}

// agreeOutput is a known-answer test of a key agreement combined
// with a KDF, in one or two outputs.
func (h *harness) agreeOutput(t *suite.T, a suite.Args) {
	var op psa.KeyDerivationOperation
	defer op.Abort()
	h.agreeAndDerive(t, a, &op)
	for i, want := range [][]byte{a.Bytes(4), a.Bytes(5)} {
		if i > 0 && len(want) == 0 {
			break
		}
		out := make([]byte, len(want))
		must(t, "output bytes", op.OutputBytes(out))
		if !bytes.Equal(out, want) {
			t.Fatalf("output %d: got %x, want %x", i+1, out, want)
		}
	}
}

// agreePolicy checks that an agreement into a key derivation is
// permitted exactly by the key's policy.
func (h *harness) agreePolicy(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	id, _ := asymImport(t, c, keyType(a, 2), a.Bytes(3), values.KeyUsage(a.Uint32(0)), alg(a, 1))
	var op psa.KeyDerivationOperation
	defer op.Abort()
	must(t, "key derivation setup", c.KeyDerivationSetup(&op, alg(a, 4)))
	wantStatus(t, "key agreement with self", asymAgreeWithSelf(t, c, &op, id), values.Status(a.Int(5)))
}

// agreeRawPolicy checks that a raw agreement is permitted exactly
// by the key's policy (and that the agreement into a key gives the same
// status, as the exercise helper checks).
func (h *harness) agreeRawPolicy(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	_, attrs := asymImport(t, c, keyType(a, 2), a.Bytes(3), values.KeyUsage(a.Uint32(0)), alg(a, 1))
	want := values.Status(a.Int(5))
	p, err := rawAgreeWithSelf(t, c, attrs, alg(a, 4))
	if p != nil && want != values.ErrNotSupported {
		t.Skipf(p.kind, "%s", p.why)
	}
	wantStatus(t, "raw key agreement with self", err, want)
}
