package mbedtls

import (
	"fmt"
	"math"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/values"
)

// aeadMultipartStateTest is aead_multipart_state_test: the order of the
// calls of a multi-part AEAD operation. Each paragraph below is one
// paragraph of the C test, which aborts the operation between them.
//
// The C test follows TF-PSA-Crypto's order, which also accepts
// psa_aead_set_lengths after the nonce and a CCM nonce before the lengths.
// PSA 1.5 forbids both (PSA_ERROR_BAD_STATE), so the paragraphs that rely
// on them check that instead, and the others set CCM's lengths before its
// nonce (nonceReady); each deviation is marked "PSA 1.5".
//
// The C test asks for lengths of UINT32_MAX and SIZE_MAX. SIZE_MAX becomes
// math.MaxInt, the largest length the Go API takes; it exceeds every
// algorithm's limit just as SIZE_MAX does.
func (h *harness) aeadMultipartStateTest(t *suite.T, a suite.Args) {
	c := h.newInstance(t).c
	kt, data, al, nonce, ad, input := keyType(a, 0), a.Bytes(1), alg(a, 2), a.Bytes(3), a.Bytes(4), a.Bytes(5)
	key, bits := aeadKey(t, c, kt, values.UsageEncrypt|values.UsageDecrypt, al, data)
	tagLen := values.AEADTagLength(kt, bits, al)
	atMost(t, "PSA_AEAD_TAG_LENGTH against PSA_AEAD_TAG_MAX_SIZE", tagLen, values.AEADTagMaxSize)
	atMost(t, "PSA_AEAD_FINISH_OUTPUT_SIZE against PSA_AEAD_FINISH_OUTPUT_MAX_SIZE", values.AEADFinishOutputSize(kt, al), values.AEADFinishOutputMaxSize)
	tag := make([]byte, tagLen) // the C test's tag buffer, never written to before verify
	base := aeadBase(al)
	ccm, gcm, chacha := base == values.AlgCCM, base == values.AlgGCM, base == values.AlgChaCha20Poly1305
	const uint32Max = math.MaxUint32

	var op psa.AEADOperation
	defer op.Abort()
	enc := func() {
		t.Helper()
		must(t, "encrypt setup", c.AEADEncryptSetup(&op, key, al))
	}
	dec := func() {
		t.Helper()
		must(t, "decrypt setup", c.AEADDecryptSetup(&op, key, al))
	}
	setNonce := func() {
		t.Helper()
		must(t, "set nonce", op.SetNonce(nonce))
	}
	genNonce := func() {
		t.Helper()
		_, err := op.GenerateNonce(nil)
		must(t, "generate nonce", err)
	}
	// adLengthUint32Max sets an AD length of UINT32_MAX and reports
	// whether it was accepted. TF-PSA-Crypto's CCM takes less than
	// 2^16 - 2^8 bytes of AD and rejects it; SP 800-38C allows up to
	// 2^64 - 1 bytes, so CCM may accept it too. The other algorithms
	// must.
	adLengthUint32Max := func() bool {
		t.Helper()
		err := op.SetLengths(uint32Max, len(input))
		if ccm && err != nil {
			wantStatus(t, "CCM: set an AD length of UINT32_MAX", err, values.ErrInvalidArgument)
			return false
		}
		must(t, "set an AD length of UINT32_MAX", err)
		return true
	}
	// adLengthSizeMax sets an AD length of SIZE_MAX and reports whether
	// it was accepted. GCM must reject it (SP 800-38D: at most 2^64 - 1
	// bits of AD). TF-PSA-Crypto's CCM rejects it too, but SP 800-38C
	// allows less than 2^64 bytes, so CCM may accept it. ChaCha20-Poly1305
	// must accept it (RFC 8439: up to 2^64 - 1 bytes).
	adLengthSizeMax := func() bool {
		t.Helper()
		err := op.SetLengths(sizeMax, len(input))
		if gcm || ccm && err != nil {
			wantStatus(t, "set an AD length of SIZE_MAX", err, values.ErrInvalidArgument)
			return false
		}
		must(t, "set an AD length of SIZE_MAX", err)
		return true
	}
	// ccmLengths sets the lengths where the C test sets a CCM nonce
	// without them (PSA 1.5).
	ccmLengths := func() {
		t.Helper()
		if ccm {
			must(t, "CCM: set lengths before the nonce (PSA 1.5)", op.SetLengths(len(ad), len(input)))
		}
	}
	// afterNonce checks psa_aead_set_lengths after the nonce, which the C
	// test expects to succeed or fail on the lengths, and PSA 1.5 rejects
	// (PSA_ERROR_BAD_STATE).
	afterNonce := func(adLen, ptLen int) {
		t.Helper()
		wantStatus(t, fmt.Sprintf("set lengths (%d, %d) after the nonce (PSA 1.5)", adLen, ptLen), op.SetLengths(adLen, ptLen), values.ErrBadState)
	}
	// ccmNonceFirst checks a CCM nonce without the lengths (PSA 1.5).
	ccmNonceFirst := func() {
		t.Helper()
		wantStatus(t, "CCM: set nonce before the lengths (PSA 1.5)", op.SetNonce(nonce), values.ErrBadState)
	}
	lengths := func() {
		t.Helper()
		must(t, "set lengths", op.SetLengths(len(ad), len(input)))
	}
	updateAD := func() error { return op.UpdateAD(ad) }
	update := func() error {
		_, err := op.Update(input, nil)
		return err
	}
	finish := func() error {
		_, _, err := op.Finish(nil, nil)
		return err
	}
	verify := func() error {
		_, err := op.Verify(nil, tag)
		return err
	}
	abort := func() { op.Abort() }

	// Every call fails on an operation that was not set up.
	wantStatus(t, "set nonce without setup", op.SetNonce(nonce), values.ErrBadState)
	abort()
	_, err := op.GenerateNonce(nil)
	wantStatus(t, "generate nonce without setup", err, values.ErrBadState)
	abort()
	wantStatus(t, "set lengths without setup", op.SetLengths(len(ad), len(input)), values.ErrBadState)
	abort()
	wantStatus(t, "update AD without setup", updateAD(), values.ErrBadState)
	abort()
	wantStatus(t, "update without setup", update(), values.ErrBadState)
	abort()
	wantStatus(t, "finish without setup", finish(), values.ErrBadState)
	abort()
	wantStatus(t, "verify without setup", verify(), values.ErrBadState)
	abort()

	// Double setups.
	err = c.AEADEncryptSetup(&op, key, al)
	skipIfMissing(t, c, err, "aead_encrypt_setup", psa.Attributes{Type: kt, Bits: bits}, al)
	must(t, "encrypt setup", err)
	wantStatus(t, "encrypt setup twice", c.AEADEncryptSetup(&op, key, al), values.ErrBadState)
	abort()
	dec()
	wantStatus(t, "decrypt setup twice", c.AEADDecryptSetup(&op, key, al), values.ErrBadState)
	abort()
	enc()
	wantStatus(t, "decrypt setup after encrypt setup", c.AEADDecryptSetup(&op, key, al), values.ErrBadState)
	abort()
	dec()
	wantStatus(t, "encrypt setup after decrypt setup", c.AEADEncryptSetup(&op, key, al), values.ErrBadState)
	abort()

	// No nonce.
	enc()
	wantStatus(t, "update AD without a nonce", updateAD(), values.ErrBadState)
	abort()
	enc()
	wantStatus(t, "update without a nonce", update(), values.ErrBadState)
	abort()
	enc()
	wantStatus(t, "finish without a nonce", finish(), values.ErrBadState)
	abort()
	dec()
	wantStatus(t, "verify without a nonce", verify(), values.ErrBadState)
	abort()

	// Two nonces.
	enc()
	ccmLengths()
	setNonce()
	wantStatus(t, "set nonce twice", op.SetNonce(nonce), values.ErrBadState)
	abort()
	enc()
	ccmLengths()
	genNonce()
	_, err = op.GenerateNonce(nil)
	wantStatus(t, "generate nonce twice", err, values.ErrBadState)
	abort()
	enc()
	ccmLengths()
	genNonce()
	wantStatus(t, "set nonce after generate nonce", op.SetNonce(nonce), values.ErrBadState)
	abort()

	// Lengths and nonces, in both orders.
	enc()
	lengths()
	genNonce()
	abort()

	enc()
	if adLengthUint32Max() {
		genNonce()
	} else {
		_, err = op.GenerateNonce(nil)
		wantStatus(t, "generate nonce after failed set lengths", err, values.ErrBadState)
	}
	abort()

	enc()
	if adLengthSizeMax() {
		genNonce()
	} else {
		_, err = op.GenerateNonce(nil)
		wantStatus(t, "generate nonce after failed set lengths", err, values.ErrBadState)
	}
	abort()

	enc()
	if ccm {
		_, err = op.GenerateNonce(nil)
		wantStatus(t, "CCM: generate nonce before the lengths (PSA 1.5)", err, values.ErrBadState)
	} else {
		genNonce()
		afterNonce(uint32Max, len(input))
	}
	abort()

	enc()
	lengths()
	setNonce()
	abort()

	enc()
	if adLengthUint32Max() {
		setNonce()
	} else {
		wantStatus(t, "set nonce after failed set lengths", op.SetNonce(nonce), values.ErrBadState)
	}
	abort()

	enc()
	if adLengthSizeMax() {
		setNonce()
	} else {
		wantStatus(t, "set nonce after failed set lengths", op.SetNonce(nonce), values.ErrBadState)
	}
	abort()

	enc()
	if ccm {
		ccmNonceFirst()
	} else {
		setNonce()
		afterNonce(uint32Max, len(input))
	}
	abort()

	enc()
	switch {
	case gcm:
		wantStatus(t, "GCM: set a plaintext length of SIZE_MAX", op.SetLengths(len(ad), sizeMax), values.ErrInvalidArgument)
		wantStatus(t, "set nonce after failed set lengths", op.SetNonce(nonce), values.ErrBadState)
	case chacha:
		// RFC 8439 §2.8 limits the plaintext to 2^38 - 64 bytes, which
		// TF-PSA-Crypto does not check: both answers are right.
		if err := op.SetLengths(len(ad), sizeMax); err != nil {
			wantStatus(t, "ChaCha20-Poly1305: set a plaintext length of SIZE_MAX", err, values.ErrInvalidArgument)
			wantStatus(t, "set nonce after failed set lengths", op.SetNonce(nonce), values.ErrBadState)
		} else {
			setNonce()
		}
	case !ccm:
		must(t, "set a plaintext length of SIZE_MAX", op.SetLengths(len(ad), sizeMax))
		setNonce()
	}
	abort()

	enc()
	if !ccm {
		setNonce()
		afterNonce(len(ad), sizeMax)
	}
	abort()

	enc()
	ccmLengths()
	setNonce()
	_, err = op.GenerateNonce(nil)
	wantStatus(t, "generate nonce after set nonce", err, values.ErrBadState)
	abort()

	dec()
	_, err = op.GenerateNonce(nil)
	wantStatus(t, "generate nonce in a decryption", err, values.ErrBadState)
	abort()

	// The C test sets the lengths twice after the nonce; PSA 1.5 rejects
	// the first already, and says nothing of twice before the nonce.
	enc()
	lengths()
	setNonce()
	afterNonce(len(ad), len(input))
	abort()

	// Lengths after data, with a set and with a generated nonce.
	for _, nonceStep := range []struct {
		name string
		set  func()
	}{{"set nonce", setNonce}, {"generate nonce", genNonce}} {
		if ccm {
			// The C test sets a CCM nonce without the lengths and expects
			// update AD, update, finish and verify to fail: PSA 1.5 fails
			// the nonce already.
			enc()
			if nonceStep.name == "set nonce" {
				ccmNonceFirst()
			} else {
				_, err = op.GenerateNonce(nil)
				wantStatus(t, "CCM: generate nonce before the lengths (PSA 1.5)", err, values.ErrBadState)
			}
			abort()
			enc()
			lengths()
			nonceStep.set()
			wantStatus(t, "CCM: finish with no AD nor data after set lengths", finish(), values.ErrInvalidArgument)
			abort()
			enc()
			lengths()
			nonceStep.set()
			must(t, "update AD", updateAD())
			must(t, "update", update())
			must(t, "finish", finish())
			abort()

			dec()
			ccmNonceFirst()
			abort()
			dec()
			lengths()
			setNonce()
			wantStatus(t, "CCM: verify with no AD nor data after set lengths", verify(), values.ErrInvalidArgument)
			abort()
			dec()
			lengths()
			setNonce()
			must(t, "update AD", updateAD())
			must(t, "update", update())
			wantStatus(t, "CCM: verify a tag of zeros", verify(), values.ErrInvalidSignature)
			abort()
			continue
		}
		enc()
		nonceStep.set()
		must(t, "update AD", updateAD())
		wantStatus(t, "set lengths after update AD", op.SetLengths(len(ad), len(input)), values.ErrBadState)
		abort()

		enc()
		nonceStep.set()
		must(t, "update", update())
		wantStatus(t, "set lengths after update", op.SetLengths(len(ad), len(input)), values.ErrBadState)
		abort()

		enc()
		nonceStep.set()
		must(t, "finish", finish())
		wantStatus(t, "set lengths after finish", op.SetLengths(len(ad), len(input)), values.ErrBadState)
		abort()
	}

	// Less or more input than the lengths announced.
	// (PSA 1.5: the lengths before the nonce.)
	enc()
	lengths()
	setNonce()
	wantStatus(t, "finish with no AD nor data after set lengths", finish(), values.ErrInvalidArgument)
	abort()

	dec()
	lengths()
	setNonce()
	wantStatus(t, "verify with no AD nor data after set lengths", verify(), values.ErrInvalidArgument)
	abort()

	enc()
	lengths()
	setNonce()
	wantStatus(t, "update with no AD after a non-zero AD length", update(), values.ErrInvalidArgument)
	abort()

	enc()
	lengths()
	setNonce()
	must(t, "update AD", updateAD())
	wantStatus(t, "finish with no data after a non-zero data length", finish(), values.ErrInvalidArgument)
	abort()

	enc()
	must(t, "set zero lengths", op.SetLengths(0, 0))
	setNonce()
	wantStatus(t, "update AD after a zero AD length", updateAD(), values.ErrInvalidArgument)
	abort()

	enc()
	lengths()
	setNonce()
	must(t, "update AD", updateAD())
	wantStatus(t, "update AD past the AD length", op.UpdateAD(ad[:1]), values.ErrInvalidArgument)
	abort()

	enc()
	must(t, "set zero lengths", op.SetLengths(0, 0))
	setNonce()
	wantStatus(t, "update after a zero data length", update(), values.ErrInvalidArgument)
	abort()

	enc()
	lengths()
	setNonce()
	must(t, "update AD", updateAD())
	must(t, "update", update())
	_, err = op.Update(input[:1], nil)
	wantStatus(t, "update past the data length", err, values.ErrInvalidArgument)
	abort()

	// Additional data after data.
	enc()
	if !ccm {
		setNonce()
		must(t, "update", update())
		wantStatus(t, "update AD after update", updateAD(), values.ErrBadState)
	}
	abort()

	// Finish in a decryption, verify in an encryption.
	dec()
	ccmLengths()
	setNonce()
	wantStatus(t, "finish in a decryption", finish(), values.ErrBadState)
	abort()
	enc()
	ccmLengths()
	setNonce()
	wantStatus(t, "verify in an encryption", verify(), values.ErrBadState)
	abort()
}
