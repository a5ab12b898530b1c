package mbedtls

import (
	"bytes"
	"encoding/binary"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/values"
)

// Ports of the key management test functions of
// test_suite_psa_crypto.function, test_suite_psa_crypto_generate_key and
// test_suite_psa_crypto_not_supported.
//
// Output buffers: the Go API appends to a slice and never fails for lack of
// room, so an expected PSA_ERROR_BUFFER_TOO_SMALL is checked as its Go
// meaning: the call succeeds and its output is longer than the C buffer
// would have been. The Mbed TLS interruptible parts of a case (psa_*_iop_*)
// are left out, as the README of the test data asks.

func attributesSetGet(t *suite.T, a suite.Args) {
	var attrs psa.Attributes
	equal(t, "initial attributes", attrs, psa.Attributes{})
	id, lt := values.KeyID(a.Uint32(1)), values.Lifetime(a.Uint32(2))
	usage, al, kt, bits := values.KeyUsage(a.Uint32(3)), alg(a, 4), keyType(a, 5), a.Int(6)
	setID(&attrs, id)
	setLifetime(&attrs, lt)
	attrs.Usage, attrs.Alg, attrs.Type, attrs.Bits = usage, al, kt, bits
	equal(t, "key id", attrs.ID, id)
	equal(t, "lifetime", attrs.Lifetime, lt)
	equal(t, "usage", attrs.Usage, usage)
	equal(t, "algorithm", attrs.Alg, al)
	equal(t, "type", attrs.Type, kt)
	equal(t, "bits", attrs.Bits, bits)
	attrs = psa.Attributes{} // psa_reset_key_attributes
	equal(t, "reset attributes", attrs, psa.Attributes{})
}

func keyAttributesInit(t *suite.T, _ suite.Args) {
	var attrs psa.Attributes
	equal(t, "lifetime of the zero attributes", attrs.Lifetime, values.LifetimeVolatile)
	equal(t, "type", attrs.Type, values.KeyTypeNone)
	equal(t, "bits", attrs.Bits, 0)
	equal(t, "usage", attrs.Usage, values.KeyUsage(0))
	equal(t, "algorithm", attrs.Alg, values.AlgNone)
}

// invalidKey is test_operations_on_invalid_key: every use of a destroyed
// or never created key fails with PSA_ERROR_INVALID_HANDLE.
func invalidKey(t *suite.T, c *psa.Crypto, id values.KeyID) {
	t.Helper()
	attrs, err := c.KeyAttributes(id)
	wantStatus(t, "get attributes of an invalid key", err, values.ErrInvalidHandle)
	equal(t, "attributes of an invalid key", attrs, psa.Attributes{})
	_, err = c.ExportKey(id, nil)
	wantStatus(t, "export an invalid key", err, values.ErrInvalidHandle)
	_, err = c.ExportPublicKey(id, nil)
	wantStatus(t, "export the public key of an invalid key", err, values.ErrInvalidHandle)
}

func (h *harness) importWithPolicy(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	attrs := psa.Attributes{Type: keyType(a, 0), Usage: values.KeyUsage(a.Uint32(1)), Alg: alg(a, 2)}
	id, err := c.ImportKey(attrs, make([]byte, 16))
	wantStatus(t, "import", err, values.Status(a.Int(3)))
	if err != nil {
		return
	}
	got, err := c.KeyAttributes(id)
	must(t, "get attributes", err)
	equal(t, "type", got.Type, attrs.Type)
	equal(t, "usage", got.Usage, updateUsage(attrs.Usage))
	equal(t, "algorithm", got.Alg, attrs.Alg)
	must(t, "destroy", c.DestroyKey(id))
	invalidKey(t, c, id)
}

func (h *harness) importWithData(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	attrs := psa.Attributes{Type: keyType(a, 1), Bits: a.Int(2)}
	want := values.Status(a.Int(3))
	id, err := c.ImportKey(attrs, a.Bytes(0))
	// As the C test does, accept NOT_SUPPORTED for INVALID_ARGUMENT: a
	// driver may not tell a malformed key from an unsupported one.
	if !(want == values.ErrInvalidArgument && statusOf(err) == values.ErrNotSupported) {
		wantStatus(t, "import", err, want)
	}
	if err != nil {
		return
	}
	got, err := c.KeyAttributes(id)
	must(t, "get attributes", err)
	equal(t, "type", got.Type, attrs.Type)
	if attrs.Bits != 0 {
		equal(t, "bits", got.Bits, attrs.Bits)
	}
	must(t, "destroy", c.DestroyKey(id))
	invalidKey(t, c, id)
}

func (h *harness) importLargeKey(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	kt, size, want := keyType(a, 0), a.Int(1), values.Status(a.Int(2))
	data := bytes.Repeat([]byte{'K'}, size)
	id, err := c.ImportKey(psa.Attributes{Type: kt, Usage: values.UsageExport}, data)
	if statusOf(err) == values.ErrInsufficientMemory {
		t.Skipf(suite.SkipDependency, "not enough memory for a large key")
	}
	wantStatus(t, "import", err, want)
	if err != nil {
		return
	}
	got, err := c.KeyAttributes(id)
	must(t, "get attributes", err)
	equal(t, "type", got.Type, kt)
	equal(t, "bits", got.Bits, values.BytesToBits(size))
	out, err := c.ExportKey(id, nil)
	must(t, "export", err)
	equalBytes(t, "exported key", out, data)
}

// fakeRSAKey is construct_fake_rsa_key: the DER of an RSA key of the given
// size whose numbers are not a valid key, to test that the key size is
// checked. Each INTEGER is 2^(bits-1)+x as the C helper's comment says;
// the C helper sets a lower bit than the comment says when bits is a
// multiple of 8, which gives an INTEGER that is not minimally encoded and
// that a strict DER parser rejects before it looks at the size.
func fakeRSAKey(bits int, keyPair bool) []byte {
	integer := func(b *cryptobyte.Builder, bits int, x byte) {
		v := new(big.Int).Lsh(big.NewInt(1), uint(bits-1))
		b.AddASN1BigInt(v.Add(v, big.NewInt(int64(x))))
	}
	half := (bits + 1) / 2
	var b cryptobyte.Builder
	b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
		if keyPair {
			b.AddASN1Int64(0) // version
		}
		integer(b, bits, 1) // n
		integer(b, 17, 1)   // e = 65537
		if keyPair {
			integer(b, bits, 1) // d
			integer(b, half, 3) // p, different from q
			integer(b, half, 1) // q
			integer(b, half, 1) // dp
			integer(b, half, 1) // dq
			integer(b, half, 1) // qinv
		}
	})
	return b.BytesOrPanic()
}

func (h *harness) importRSAMadeUp(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	kt := values.KeyTypeRSAPublicKey
	if a.Int(1) != 0 {
		kt = values.KeyTypeRSAKeyPair
	}
	id, err := c.ImportKey(psa.Attributes{Type: kt}, fakeRSAKey(a.Int(0), a.Int(1) != 0))
	wantStatus(t, "import", err, values.Status(a.Int(2)))
	if err == nil {
		must(t, "destroy", c.DestroyKey(id))
	}
}

func (h *harness) importExport(t *suite.T, a suite.Args) {
	lifetime := values.Lifetime(a.Uint32(4))
	c := h.newInstance(t, lifetime).c
	data := a.Bytes(0)
	attrs := psa.Attributes{Type: keyType(a, 1), Usage: values.KeyUsage(a.Uint32(2)), Alg: alg(a, 3)}
	setLifetime(&attrs, lifetime)
	bits, delta, want, canonical := a.Int(5), a.Int(6), values.Status(a.Int(7)), a.Int(8) != 0
	exportSize := len(data) + delta
	if attrs.Type.IsDH() && want == values.ErrBufferTooSmall {
		exportSize--
	}
	id, err := c.ImportKey(attrs, data)
	must(t, "import", err)
	got, err := c.KeyAttributes(id)
	must(t, "get attributes", err)
	equal(t, "type", got.Type, attrs.Type)
	equal(t, "bits", got.Bits, bits)

	exported, err := c.ExportKey(id, nil)
	if want == values.ErrBufferTooSmall {
		must(t, "export", err)
		check(t, len(exported) > exportSize, "export gives %d bytes, which fit in the %d-byte buffer that the case expects to be too small", len(exported), exportSize)
	} else {
		wantStatus(t, "export", err, want)
	}
	if want != values.Success {
		must(t, "destroy", c.DestroyKey(id))
		invalidKey(t, c, id)
		return
	}
	check(t, len(exported) <= exportSize, "export gives %d bytes, more than the %d-byte buffer of the case", len(exported), exportSize)

	var later *pending
	if attrs.Lifetime.Location() == values.LocationLocalStorage {
		later = exerciseKey(t, c, id, attrs.Usage, 0)
	}
	if canonical {
		equalBytes(t, "exported key", exported, data)
	} else {
		id2, err := c.ImportKey(attrs, exported)
		must(t, "import the exported key", err)
		reexported, err := c.ExportKey(id2, nil)
		must(t, "export the reimported key", err)
		equalBytes(t, "reexported key", reexported, exported)
		must(t, "destroy the reimported key", c.DestroyKey(id2))
	}
	check(t, len(exported) <= values.ExportKeyOutputSize(attrs.Type, got.Bits),
		"exported %d bytes > PSA_EXPORT_KEY_OUTPUT_SIZE %d", len(exported), values.ExportKeyOutputSize(attrs.Type, got.Bits))
	if attrs.Type.IsKeyPair() {
		check(t, len(exported) <= values.ExportKeyPairMaxSize, "exported %d bytes > PSA_EXPORT_KEY_PAIR_MAX_SIZE", len(exported))
	} else if attrs.Type.IsPublicKey() {
		check(t, len(exported) <= values.ExportPublicKeyMaxSize, "exported %d bytes > PSA_EXPORT_PUBLIC_KEY_MAX_SIZE", len(exported))
	}
	must(t, "destroy", c.DestroyKey(id))
	invalidKey(t, c, id)
	skipIfPending(t, later)
}

func (h *harness) importExportPublicKey(t *suite.T, a suite.Args) {
	lifetime := values.Lifetime(a.Uint32(3))
	c := h.newInstance(t, lifetime).c
	attrs := psa.Attributes{Type: keyType(a, 1), Usage: values.UsageExport, Alg: alg(a, 2)}
	setLifetime(&attrs, lifetime)
	delta, want, expected := a.Int(4), values.Status(a.Int(5)), a.Bytes(6)
	id, err := c.ImportKey(attrs, a.Bytes(0))
	must(t, "import", err)
	exported, err := c.ExportPublicKey(id, nil)
	if want == values.ErrBufferTooSmall {
		must(t, "export public key", err)
		check(t, len(exported) > len(expected)+delta, "export gives %d bytes, which fit in the %d-byte buffer that the case expects to be too small", len(exported), len(expected)+delta)
		return
	}
	wantStatus(t, "export public key", err, want)
	if err != nil {
		return
	}
	got, err := c.KeyAttributes(id)
	must(t, "get attributes", err)
	pub := attrs.Type.PublicKeyOfKeyPair()
	check(t, len(expected) <= values.ExportKeyOutputSize(pub, got.Bits), "public key of %d bytes > PSA_EXPORT_KEY_OUTPUT_SIZE", len(expected))
	check(t, len(expected) <= values.ExportPublicKeyOutputSize(pub, got.Bits), "public key of %d bytes > PSA_EXPORT_PUBLIC_KEY_OUTPUT_SIZE", len(expected))
	check(t, len(expected) <= values.ExportPublicKeyMaxSize, "public key of %d bytes > PSA_EXPORT_PUBLIC_KEY_MAX_SIZE", len(expected))
	equalBytes(t, "public key", exported, expected)
}

func (h *harness) importAndExerciseKey(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	kt, bits, al := keyType(a, 1), a.Int(2), alg(a, 3)
	usage := usageToExercise(kt, al)
	id, err := c.ImportKey(psa.Attributes{Type: kt, Usage: usage, Alg: al}, a.Bytes(0))
	must(t, "import", err)
	got, err := c.KeyAttributes(id)
	must(t, "get attributes", err)
	equal(t, "type", got.Type, kt)
	equal(t, "bits", got.Bits, bits)
	later := exerciseKey(t, c, id, usage, al)
	must(t, "destroy", c.DestroyKey(id))
	invalidKey(t, c, id)
	skipIfPending(t, later)
}

// checkKeyPolicy is effective_key_attributes with the expected attributes
// those of the request, with the implied usage flags.
func (h *harness) checkKeyPolicy(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	attrs := psa.Attributes{Type: keyType(a, 0), Bits: a.Int(1), Usage: values.KeyUsage(a.Uint32(2)), Alg: alg(a, 3)}
	id, err := c.GenerateKey(attrs)
	must(t, "generate", err)
	got, err := c.KeyAttributes(id)
	must(t, "get attributes", err)
	equal(t, "type", got.Type, attrs.Type)
	equal(t, "bits", got.Bits, attrs.Bits)
	equal(t, "usage", got.Usage, updateUsage(attrs.Usage))
	equal(t, "algorithm", got.Alg, attrs.Alg)
}

func (h *harness) keyPolicyAlg2(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	attrs := psa.Attributes{Type: keyType(a, 0), Usage: values.KeyUsage(a.Uint32(2)), Alg: alg(a, 3), Alg2: alg(a, 4)}
	id, err := c.ImportKey(attrs, a.Bytes(1))
	must(t, "import", err)
	usage := updateUsage(attrs.Usage)
	got, err := c.KeyAttributes(id)
	must(t, "get attributes", err)
	equal(t, "usage", got.Usage, usage)
	equal(t, "algorithm", got.Alg, attrs.Alg)
	equal(t, "enrolment algorithm", got.Alg2, attrs.Alg2)
	skipIfPending(t, firstPending(exerciseKey(t, c, id, usage, attrs.Alg), exerciseKey(t, c, id, usage, attrs.Alg2)))
}

func (h *harness) copySuccess(t *suite.T, a suite.Args) {
	srcLifetime, targetLifetime := values.Lifetime(a.Uint32(3)), values.Lifetime(a.Uint32(10))
	c := h.newInstance(t, srcLifetime, targetLifetime).c
	src := psa.Attributes{Usage: values.KeyUsage(a.Uint32(0)), Alg: alg(a, 1), Alg2: alg(a, 2), Type: keyType(a, 4)}
	setLifetime(&src, srcLifetime)
	material := a.Bytes(5)
	srcID, err := c.ImportKey(src, material)
	must(t, "import the source", err)
	src, err = c.KeyAttributes(srcID)
	must(t, "get the source's attributes", err)

	var target psa.Attributes
	if a.Int(6) != 0 {
		target = src
	}
	setLifetime(&target, targetLifetime)
	if a.Int(7) != -1 {
		target.Usage = values.KeyUsage(a.Uint32(7))
	}
	if a.Int(8) != -1 {
		target.Alg = alg(a, 8)
	}
	if a.Int(9) != -1 {
		target.Alg2 = alg(a, 9)
	}
	wantUsage, wantAlg, wantAlg2 := values.KeyUsage(a.Uint32(11)), alg(a, 12), alg(a, 13)

	targetID, err := c.CopyKey(srcID, target)
	must(t, "copy", err)
	must(t, "destroy the source", c.DestroyKey(srcID))
	got, err := c.KeyAttributes(targetID)
	must(t, "get the copy's attributes", err)
	equal(t, "type", got.Type, src.Type)
	equal(t, "bits", got.Bits, src.Bits)
	equal(t, "usage", got.Usage, wantUsage)
	equal(t, "algorithm", got.Alg, wantAlg)
	equal(t, "enrolment algorithm", got.Alg2, wantAlg2)
	if wantUsage&values.UsageExport != 0 {
		out, err := c.ExportKey(targetID, nil)
		must(t, "export the copy", err)
		equalBytes(t, "exported copy", out, material)
	}
	var later *pending
	if targetLifetime.Location() == values.LocationLocalStorage {
		later = firstPending(exerciseKey(t, c, targetID, wantUsage, wantAlg), exerciseKey(t, c, targetID, wantUsage, wantAlg2))
	}
	must(t, "destroy the copy", c.DestroyKey(targetID))
	skipIfPending(t, later)
}

func (h *harness) copyFail(t *suite.T, a suite.Args) {
	srcLifetime, targetLifetime := values.Lifetime(a.Uint32(3)), values.Lifetime(a.Uint32(12))
	c := h.newInstance(t, srcLifetime, targetLifetime).c
	src := psa.Attributes{Usage: values.KeyUsage(a.Uint32(0)), Alg: alg(a, 1), Alg2: alg(a, 2), Type: keyType(a, 4)}
	setLifetime(&src, srcLifetime)
	srcID, err := c.ImportKey(src, a.Bytes(5))
	must(t, "import the source", err)
	var target psa.Attributes
	setID(&target, values.KeyID(a.Uint32(11)))
	setLifetime(&target, targetLifetime)
	target.Type, target.Bits = keyType(a, 6), a.Int(7)
	target.Usage, target.Alg, target.Alg2 = values.KeyUsage(a.Uint32(8)), alg(a, 9), alg(a, 10)
	want := values.Status(a.Int(13))
	copyID, err := c.CopyKey(srcID, target)
	if err == nil && want == values.ErrNotSupported && srcLifetime.Location() != targetLifetime.Location() {
		// Mbed TLS's psa_copy_key refuses every copy across locations;
		// gopsa makes it (export from the source's driver, import at the
		// target's) when the source may leave its location, as
		// psa_copy_key permits.
		must(t, "destroy the copy", c.DestroyKey(copyID))
		t.Skipf(suite.SkipCOnly, "Mbed TLS does not copy keys across locations (0x%06x to 0x%06x); gopsa does, for a key with PSA_KEY_USAGE_COPY and PSA_KEY_USAGE_EXPORT",
			uint32(srcLifetime.Location()), uint32(targetLifetime.Location()))
	}
	wantStatus(t, "copy to "+describe(target), err, want)
	must(t, "destroy the source", c.DestroyKey(srcID))
}

func (h *harness) generateRandom(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	n := a.Int(0)
	check(t, n >= 0, "negative size %d", n)
	out := make([]byte, n)
	changed := make([]bool, n)
	// Ten runs make every byte nonzero at least once, except with
	// probability 2^-80 per byte.
	for range 10 {
		clear(out)
		must(t, "generate random", c.GenerateRandom(out))
		for i, b := range out {
			if b != 0 {
				changed[i] = true
			}
		}
	}
	for i, ch := range changed {
		check(t, ch, "byte %d of %d was zero in every run", i, n)
	}
}

func (h *harness) generateKey(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	attrs := psa.Attributes{Type: keyType(a, 0), Bits: a.Int(1), Usage: values.KeyUsage(a.Uint32(2)), Alg: alg(a, 3)}
	want, large := values.Status(a.Int(4)), a.Int(5) > 0
	id, err := c.GenerateKey(attrs)
	if large && statusOf(err) == values.ErrInsufficientMemory {
		t.Skipf(suite.SkipDependency, "not enough memory for a large key")
	}
	wantStatus(t, "generate "+describe(attrs), err, want)
	if want != values.Success {
		return
	}
	got, err := c.KeyAttributes(id)
	must(t, "get attributes", err)
	equal(t, "type", got.Type, attrs.Type)
	equal(t, "bits", got.Bits, attrs.Bits)
	skipIfPending(t, exerciseKey(t, c, id, attrs.Usage, attrs.Alg))
}

func (h *harness) generateKeyCustom(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	attrs := psa.Attributes{Type: keyType(a, 0), Bits: a.Int(1), Usage: values.KeyUsage(a.Uint32(2)), Alg: alg(a, 3)}
	flags, data, want := a.Uint32(4), a.Bytes(5), values.Status(a.Int(6))
	id, err := c.GenerateKeyCustom(attrs, flags, data)
	wantStatus(t, "generate "+describe(attrs), err, want)
	if want != values.Success {
		return
	}
	got, err := c.KeyAttributes(id)
	must(t, "get attributes", err)
	equal(t, "type", got.Type, attrs.Type)
	equal(t, "bits", got.Bits, attrs.Bits)
	if attrs.Type == values.KeyTypeRSAKeyPair {
		checkRSAExponent(t, c, id, attrs.Bits, data)
	}
	skipIfPending(t, exerciseKey(t, c, id, attrs.Usage, attrs.Alg))
}

// checkRSAExponent is rsa_test_e: the public key has a modulus of the key
// size and the requested public exponent (65537 if none).
func checkRSAExponent(t *suite.T, c *psa.Crypto, id values.KeyID, bits int, e []byte) {
	t.Helper()
	pub, err := c.ExportPublicKey(id, nil)
	must(t, "export public key", err)
	s := cryptobyte.String(pub)
	var seq cryptobyte.String
	check(t, s.ReadASN1(&seq, asn1.SEQUENCE) && s.Empty(), "public key is not one DER SEQUENCE")
	skipInteger(t, &seq, bits, bits, true)
	var got cryptobyte.String
	check(t, seq.ReadASN1(&got, asn1.INTEGER), "no public exponent")
	if len(got) > 0 && got[0] == 0 {
		got = got[1:]
	}
	want := bytes.TrimLeft(e, "\x00")
	if len(e) == 0 {
		want = []byte{1, 0, 1}
	}
	equalBytes(t, "public exponent", got, want)
}

// generateKeyGenerated is generate_key of the generated suite: only the
// status, and the attributes of a generated key.
func (h *harness) generateKeyGenerated(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	attrs := psa.Attributes{Type: keyType(a, 0), Bits: a.Int(1)}
	want := values.Status(a.Int(2))
	id, err := c.GenerateKey(attrs)
	wantStatus(t, "generate "+describe(attrs), err, want)
	if err != nil {
		return
	}
	got, err := c.KeyAttributes(id)
	must(t, "get attributes", err)
	equal(t, "lifetime", got.Lifetime, values.LifetimeVolatile)
	equal(t, "usage", got.Usage, values.KeyUsage(0))
	equal(t, "algorithm", got.Alg, values.AlgNone)
	equal(t, "type", got.Type, attrs.Type)
	equal(t, "bits", got.Bits, attrs.Bits)
}

func (h *harness) importNotSupported(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	id, err := c.ImportKey(psa.Attributes{Type: keyType(a, 0)}, a.Bytes(1))
	wantStatus(t, "import", err, values.ErrNotSupported)
	equal(t, "key id", id, values.KeyIDNull)
}

func (h *harness) generateNotSupported(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	id, err := c.GenerateKey(psa.Attributes{Type: keyType(a, 0), Bits: a.Int(1)})
	wantStatus(t, "generate", err, values.ErrNotSupported)
	equal(t, "key id", id, values.KeyIDNull)
}

// Generation methods of persistent_key_load_key_from_storage.
const (
	importKeyMethod = iota
	generateKeyMethod
	deriveKeyMethod
)

func (h *harness) persistentKeyLoadKeyFromStorage(t *suite.T, a suite.Args) {
	in := h.newInstance(t)
	const keyID values.KeyID = 1
	var attrs psa.Attributes
	setID(&attrs, keyID)
	attrs.Usage, attrs.Alg, attrs.Type, attrs.Bits = values.KeyUsage(a.Uint32(3)), alg(a, 4), keyType(a, 1), a.Int(2)
	data := a.Bytes(0)
	var id values.KeyID
	var err error
	switch a.Int(5) {
	case importKeyMethod:
		id, err = in.c.ImportKey(attrs, data)
		must(t, "import", err)
	case generateKeyMethod:
		id, err = in.c.GenerateKey(attrs)
		must(t, "generate", err)
	case deriveKeyMethod:
		id = deriveHKDFKey(t, in.c, attrs, data)
	default:
		t.Fatalf("generation method %d is not one of IMPORT_KEY, GENERATE_KEY, DERIVE_KEY", a.Int(5))
	}
	var first []byte
	if attrs.Usage&values.UsageExport != 0 {
		first, err = in.c.ExportKey(id, nil)
		must(t, "export", err)
		if a.Int(5) == importKeyMethod {
			equalBytes(t, "exported key", first, data)
		}
	}
	must(t, "purge", in.c.PurgeKey(id))
	in.restart()
	got, err := in.c.KeyAttributes(id)
	must(t, "get attributes after restart", err)
	equal(t, "key id", got.ID, keyID)
	equal(t, "lifetime", got.Lifetime, values.LifetimePersistent)
	equal(t, "type", got.Type, attrs.Type)
	equal(t, "bits", got.Bits, attrs.Bits)
	equal(t, "usage", got.Usage, updateUsage(attrs.Usage))
	equal(t, "algorithm", got.Alg, attrs.Alg)
	if attrs.Usage&values.UsageExport != 0 {
		second, err := in.c.ExportKey(id, nil)
		must(t, "export after restart", err)
		equalBytes(t, "key exported after restart", second, first)
	}
	skipIfPending(t, exerciseKey(t, in.c, id, attrs.Usage, attrs.Alg))
}

// skipInteger is mbedtls_test_asn1_skip_integer: it reads a DER INTEGER
// from s and checks that its value has between minBits and maxBits bits,
// and is odd if odd is set. As the C helper, it tolerates a zero encoded
// as an empty string and a sign bit used as a value bit.
func skipInteger(t *suite.T, s *cryptobyte.String, minBits, maxBits int, odd bool) {
	t.Helper()
	var v cryptobyte.String
	check(t, s.ReadASN1(&v, asn1.INTEGER), "want a DER INTEGER")
	if (len(v) == 1 && v[0] == 0) || (len(v) > 1 && v[0] == 0 && v[1]&0x80 != 0) {
		v = v[1:]
	}
	if minBits == 0 && len(v) == 0 {
		return
	}
	check(t, len(v) > 0 && v[0] != 0, "INTEGER %x is not minimal", []byte(v))
	n := 8*(len(v)-1) + bitLen8(v[0])
	check(t, n >= minBits && n <= maxBits, "INTEGER of %d bits, want %d to %d", n, minBits, maxBits)
	if odd {
		check(t, v[len(v)-1]&1 != 0, "INTEGER is even, want odd")
	}
}

func bitLen8(b byte) int {
	n := 0
	for ; b != 0; b >>= 1 {
		n++
	}
	return n
}

// littleEndianSize is the size_t value i in memory, as many_transient_keys
// uses it for key material (x86-64 and arm64 are little-endian).
func littleEndianSize(i int) []byte { return binary.LittleEndian.AppendUint64(nil, uint64(i)) }

// deriveHKDFKey is the DERIVE_KEY method of
// persistent_key_load_key_from_storage: HKDF-SHA-256 from secret, with an
// empty info, into a key with attrs.
func deriveHKDFKey(t *suite.T, c *psa.Crypto, attrs psa.Attributes, secret []byte) values.KeyID {
	t.Helper()
	kdf := values.AlgHKDF(values.AlgSHA256)
	base, err := c.ImportKey(psa.Attributes{Type: values.KeyTypeDerive, Usage: values.UsageDerive, Alg: kdf}, secret)
	must(t, "import the base key", err)
	var op psa.KeyDerivationOperation
	defer op.Abort()
	must(t, "key derivation setup", c.KeyDerivationSetup(&op, kdf))
	must(t, "input secret", op.InputKey(values.DerivationInputSecret, base))
	must(t, "input info", op.InputBytes(values.DerivationInputInfo, nil))
	id, err := op.OutputKey(attrs)
	must(t, "output key", err)
	must(t, "abort", op.Abort())
	must(t, "destroy the base key", c.DestroyKey(base))
	return id
}
