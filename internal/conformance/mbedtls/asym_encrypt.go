package mbedtls

import (
	"github.com/gopsa/psa"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/values"
)

// Ports of the asymmetric encryption test functions of
// test_suite_psa_crypto.function. The C tests call each function a second
// time with a NULL label when the label is empty; the Go port does the
// same with a nil slice.

// asymLabels returns the labels to try: the case's, and nil if it is
// empty.
func asymLabels(label []byte) [][]byte {
	if len(label) == 0 {
		return [][]byte{{}, nil}
	}
	return [][]byte{label}
}

// asymEncryptBuffer is the C tests' ciphertext buffer:
// PSA_ASYMMETRIC_ENCRYPT_OUTPUT_SIZE, within the maximum size.
func asymEncryptBuffer(t *suite.T, a psa.Attributes, al values.Algorithm) int {
	t.Helper()
	n := values.AsymmetricEncryptOutputSize(a.Type, a.Bits, al)
	check(t, n <= values.AsymmetricEncryptOutputMaxSize, "PSA_ASYMMETRIC_ENCRYPT_OUTPUT_SIZE(%v, %d, %v) = %d > PSA_ASYMMETRIC_ENCRYPT_OUTPUT_MAX_SIZE", a.Type, a.Bits, al, n)
	return n
}

// asymDecryptBuffer is the C tests' plaintext buffer.
func asymDecryptBuffer(t *suite.T, a psa.Attributes, al values.Algorithm) int {
	t.Helper()
	n := values.AsymmetricDecryptOutputSize(a.Type, a.Bits, al)
	check(t, n <= values.AsymmetricDecryptOutputMaxSize, "PSA_ASYMMETRIC_DECRYPT_OUTPUT_SIZE(%v, %d, %v) = %d > PSA_ASYMMETRIC_DECRYPT_OUTPUT_MAX_SIZE", a.Type, a.Bits, al, n)
	return n
}

// asymmetricEncrypt checks the status and the length of an encryption,
// which is randomized.
func (h *harness) asymmetricEncrypt(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, in, wantLen, want := alg(a, 2), a.Bytes(3), a.Int(5), values.Status(a.Int(6))
	id, attrs := asymImport(t, c, keyType(a, 0), a.Bytes(1), values.UsageEncrypt, al)
	n := asymEncryptBuffer(t, attrs, al)
	for _, label := range asymLabels(a.Bytes(4)) {
		out, err := c.AsymmetricEncrypt(id, al, in, label, nil)
		asymWantOrLonger(t, "asymmetric encrypt", attrs, out, err, n, want)
		if err == nil {
			equal(t, "ciphertext length", len(out), wantLen)
		}
	}
}

// asymmetricEncryptDecrypt checks that decryption undoes encryption.
func (h *harness) asymmetricEncryptDecrypt(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, in, label := alg(a, 2), a.Bytes(3), a.Bytes(4)
	id, attrs := asymImport(t, c, keyType(a, 0), a.Bytes(1), values.UsageEncrypt|values.UsageDecrypt, al)
	n := asymEncryptBuffer(t, attrs, al)
	check(t, len(in) <= asymDecryptBuffer(t, attrs, al), "plaintext of %d bytes > PSA_ASYMMETRIC_DECRYPT_OUTPUT_SIZE", len(in))
	ct, err := c.AsymmetricEncrypt(id, al, in, label, nil)
	asymWant(t, "asymmetric encrypt", attrs, err, values.Success)
	check(t, len(ct) <= n, "ciphertext of %d bytes > PSA_ASYMMETRIC_ENCRYPT_OUTPUT_SIZE %d", len(ct), n)
	pt, err := c.AsymmetricDecrypt(id, al, ct, label, nil)
	asymWant(t, "asymmetric decrypt", attrs, err, values.Success)
	equalBytes(t, "decrypted", pt, in)
}

// asymmetricDecrypt is a known-answer test of decryption.
func (h *harness) asymmetricDecrypt(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al := alg(a, 2)
	id, attrs := asymImport(t, c, keyType(a, 0), a.Bytes(1), values.UsageDecrypt, al)
	n := asymDecryptBuffer(t, attrs, al)
	for _, label := range asymLabels(a.Bytes(4)) {
		pt, err := c.AsymmetricDecrypt(id, al, a.Bytes(3), label, nil)
		asymWant(t, "asymmetric decrypt", attrs, err, values.Success)
		check(t, len(pt) <= n, "plaintext of %d bytes > PSA_ASYMMETRIC_DECRYPT_OUTPUT_SIZE %d", len(pt), n)
		equalBytes(t, "decrypted", pt, a.Bytes(5))
	}
}

func (h *harness) asymmetricDecryptFail(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	al, size, want := alg(a, 2), a.Int(5), values.Status(a.Int(6))
	id, attrs := asymImport(t, c, keyType(a, 0), a.Bytes(1), values.UsageDecrypt, al)
	for _, label := range asymLabels(a.Bytes(4)) {
		pt, err := c.AsymmetricDecrypt(id, al, a.Bytes(3), label, nil)
		asymWantOrLonger(t, "asymmetric decrypt", attrs, pt, err, size, want)
	}
}

// asymmetricEncryptionKeyPolicy checks that encryption and decryption are
// permitted exactly by the key's usage flags and algorithm.
func (h *harness) asymmetricEncryptionKeyPolicy(t *suite.T, a suite.Args) {
	usage, policyAlg, kt, exerciseAlg := values.KeyUsage(a.Uint32(0)), alg(a, 1), keyType(a, 2), alg(a, 4)
	var lifetime values.Lifetime // volatile, local
	if a.Int(5) != 0 {
		lifetime = values.LifetimeFromPersistenceAndLocation(values.PersistenceVolatile, testDriverLocation)
	}
	equal(t, "usage of the case (no implied flags)", updateUsage(usage), usage)
	c := h.newInstance(t, lifetime).c
	id, err := c.ImportKey(psa.Attributes{Lifetime: lifetime, Type: kt, Usage: usage, Alg: policyAlg}, a.Bytes(3))
	must(t, "import the "+kt.String()+" key", err)
	attrs, err := c.KeyAttributes(id)
	must(t, "get attributes", err)
	equal(t, "lifetime", attrs.Lifetime, lifetime)
	n := values.AsymmetricEncryptOutputSize(attrs.Type, attrs.Bits, exerciseAlg)
	permitted := func(u values.KeyUsage, ok values.Status) values.Status {
		if policyAlg == exerciseAlg && usage&u != 0 {
			return ok
		}
		return values.ErrNotPermitted
	}
	_, err = c.AsymmetricEncrypt(id, exerciseAlg, nil, nil, nil)
	asymWant(t, "asymmetric encrypt of an empty message", attrs, err, permitted(values.UsageEncrypt, values.Success))
	_, err = c.AsymmetricDecrypt(id, exerciseAlg, make([]byte, n), nil, nil)
	asymWant(t, "asymmetric decrypt of a zero ciphertext", attrs, err, permitted(values.UsageDecrypt, values.ErrInvalidPadding))
}
