package mbedtls

import (
	"fmt"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/values"
)

// The algorithm families of the exercise helper, one function each, as in
// psa_exercise_key.c. The inputs are those of the C helper, so that a
// failure reproduces with the C library.
//
// An operation that fails with PSA_ERROR_NOT_SUPPORTED while the
// instance's dispatch (Crypto.Route) names no driver for it is not a
// failure: the build does not have the mechanism (yet), and the family
// returns a pending skip that says so. Any other error fails the case.

// Wildcard flags of MAC and AEAD policies, and the field of the length.
const (
	atLeastThisLengthFlag = 0x00008000
	lengthShift           = 16
	lengthMask            = 0x3f
)

// helloWorld is the C helpers' "Hello, world..." in a 16-byte array: the
// 15 characters and the terminating NUL.
var helloWorld = []byte("Hello, world...\x00")

// exercised runs the checks of one operation: it returns a pending skip if
// the build has no driver for it (see noDriver), fails t if err is not
// want, and returns nil otherwise.
func exercised(t *suite.T, c *psa.Crypto, a psa.Attributes, ep string, alg values.Algorithm, err error, want values.Status) *pending {
	t.Helper()
	if statusOf(err) == values.ErrNotSupported && want != values.ErrNotSupported && c.Route(ep, a, alg) == "" {
		return &pending{suite.SkipNotImplemented, fmt.Sprintf("no driver of gopsa's default build has %s for %v keys with %v", ep, a.Type, alg)}
	}
	wantStatus(t, fmt.Sprintf("%s with %v", ep, alg), err, want)
	return nil
}

func exerciseMAC(t *suite.T, c *psa.Crypto, a psa.Attributes, usage values.KeyUsage, alg values.Algorithm) *pending {
	t.Helper()
	if alg&atLeastThisLengthFlag != 0 {
		alg = values.AlgTruncatedMAC(alg, int(alg>>lengthShift&lengthMask))
	}
	input := []byte("foo\x00")
	mac := make([]byte, values.MACMaxSize)
	if usage&values.UsageSignHash != 0 {
		var op psa.MACOperation
		defer op.Abort()
		if p := exercised(t, c, a, "mac_sign_setup", alg, c.MACSignSetup(&op, a.ID, alg), values.Success); p != nil {
			return p
		}
		must(t, "MAC update", op.Update(input))
		var err error
		mac, err = op.SignFinish(nil)
		must(t, "MAC sign finish", err)
	}
	if usage&values.UsageVerifyHash != 0 {
		want := values.ErrInvalidSignature
		if usage&values.UsageSignHash != 0 {
			want = values.Success
		}
		var op psa.MACOperation
		defer op.Abort()
		if p := exercised(t, c, a, "mac_verify_setup", alg, c.MACVerifySetup(&op, a.ID, alg), values.Success); p != nil {
			return p
		}
		must(t, "MAC update", op.Update(input))
		wantStatus(t, "MAC verify finish", op.VerifyFinish(mac), want)
	}
	return nil
}

func exerciseCipher(t *suite.T, c *psa.Crypto, a psa.Attributes, usage values.KeyUsage, alg values.Algorithm) *pending {
	t.Helper()
	ivLen := values.CipherIVLength(a.Type, alg)
	ciphertext := []byte("(wabblewebblewibblewobblewubble)")
	iv := make([]byte, ivLen)
	var err error
	if usage&values.UsageEncrypt != 0 {
		var op psa.CipherOperation
		defer op.Abort()
		if p := exercised(t, c, a, "cipher_encrypt_setup", alg, c.CipherEncryptSetup(&op, a.ID, alg), values.Success); p != nil {
			return p
		}
		if ivLen != 0 {
			iv, err = op.GenerateIV(nil)
			must(t, "generate IV", err)
		}
		out, err := op.Update(helloWorld, nil)
		must(t, "cipher update", err)
		ciphertext, err = op.Finish(out)
		must(t, "cipher finish", err)
	}
	if usage&values.UsageDecrypt != 0 {
		// Without encryption the input is arbitrary: a block cipher mode
		// with padding may then find the padding invalid.
		maybeBadPadding := usage&values.UsageEncrypt == 0 && !alg.IsStreamCipher()
		var op psa.CipherOperation
		defer op.Abort()
		if p := exercised(t, c, a, "cipher_decrypt_setup", alg, c.CipherDecryptSetup(&op, a.ID, alg), values.Success); p != nil {
			return p
		}
		if ivLen != 0 {
			must(t, "set IV", op.SetIV(iv))
		}
		out, err := op.Update(ciphertext, nil)
		must(t, "cipher update", err)
		out, err = op.Finish(out)
		if maybeBadPadding && statusOf(err) == values.ErrInvalidPadding {
			return nil
		}
		must(t, "cipher finish", err)
		if usage&values.UsageEncrypt != 0 {
			equalBytes(t, "decrypted", out, helloWorld)
		}
	}
	return nil
}

func exerciseAEAD(t *suite.T, c *psa.Crypto, a psa.Attributes, usage values.KeyUsage, alg values.Algorithm) *pending {
	t.Helper()
	if alg&atLeastThisLengthFlag != 0 {
		alg = values.AlgAEADWithShortenedTag(alg, int(alg>>lengthShift&lengthMask))
	}
	nonce := make([]byte, values.AEADNonceLength(a.Type, alg))
	ciphertext := make([]byte, 48)
	copy(ciphertext, "(wabblewebblewibblewobblewubble)")
	if usage&values.UsageEncrypt != 0 {
		var err error
		ciphertext, err = c.AEADEncrypt(a.ID, alg, nonce, nil, helloWorld, nil)
		if p := exercised(t, c, a, "aead_encrypt", alg, err, values.Success); p != nil {
			return p
		}
	}
	if usage&values.UsageDecrypt != 0 {
		want := values.ErrInvalidSignature
		if usage&values.UsageEncrypt != 0 {
			want = values.Success
		}
		out, err := c.AEADDecrypt(a.ID, alg, nonce, nil, ciphertext, nil)
		if p := exercised(t, c, a, "aead_decrypt", alg, err, want); p != nil {
			return p
		}
		if err == nil {
			equalBytes(t, "decrypted", out, helloWorld)
		}
	}
	return nil
}

func exerciseSignature(t *suite.T, c *psa.Crypto, a psa.Attributes, usage values.KeyUsage, alg values.Algorithm) *pending {
	t.Helper()
	signUsage := values.UsageSignHash | values.UsageVerifyHash | values.UsageSignMessage | values.UsageVerifyMessage
	hash := alg.Hash()
	if alg.IsSignHash() && hash == values.AlgAnyHash && usage&signUsage != 0 {
		// A policy with any hash: pick one the suites always have.
		hash = values.AlgSHA256
		alg ^= values.AlgAnyHash ^ hash
	}
	if usage&(values.UsageSignHash|values.UsageVerifyHash) != 0 && alg.IsSignHash() {
		payload := make([]byte, 16)
		if hash != 0 {
			payload = make([]byte, values.HashLength(hash))
		}
		payload[0] = 1
		sig := make([]byte, values.SignatureMaxSize)
		if usage&values.UsageSignHash != 0 {
			var err error
			sig, err = c.SignHash(a.ID, alg, payload, nil)
			if p := exercised(t, c, a, "sign_hash", alg, err, values.Success); p != nil {
				return p
			}
		}
		if usage&values.UsageVerifyHash != 0 {
			want := values.ErrInvalidSignature
			if usage&values.UsageSignHash != 0 {
				want = values.Success
			}
			if p := exercised(t, c, a, "verify_hash", alg, c.VerifyHash(a.ID, alg, payload, sig), want); p != nil {
				return p
			}
		}
	}
	if alg != values.AlgECDSAAny && alg != values.AlgRSAPKCS1v15SignRaw && usage&(values.UsageSignMessage|values.UsageVerifyMessage) != 0 {
		sig := make([]byte, values.SignatureMaxSize)
		if usage&values.UsageSignMessage != 0 {
			var err error
			sig, err = c.SignMessage(a.ID, alg, helloWorld, nil)
			if p := exercised(t, c, a, "sign_message", alg, err, values.Success); p != nil {
				return p
			}
		}
		if usage&values.UsageVerifyMessage != 0 {
			want := values.ErrInvalidSignature
			if usage&values.UsageSignMessage != 0 {
				want = values.Success
			}
			if p := exercised(t, c, a, "verify_message", alg, c.VerifyMessage(a.ID, alg, helloWorld, sig), want); p != nil {
				return p
			}
		}
	}
	return nil
}

func exerciseAsymmetricEncryption(t *suite.T, c *psa.Crypto, a psa.Attributes, usage values.KeyUsage, alg values.Algorithm) *pending {
	t.Helper()
	ciphertext := make([]byte, values.AsymmetricEncryptOutputMaxSize)
	copy(ciphertext, "(wabblewebblewibblewobblewubble)")
	if usage&values.UsageEncrypt != 0 {
		var err error
		ciphertext, err = c.AsymmetricEncrypt(a.ID, alg, helloWorld, nil, nil)
		if p := exercised(t, c, a, "asymmetric_encrypt", alg, err, values.Success); p != nil {
			return p
		}
	}
	if usage&values.UsageDecrypt != 0 {
		out, err := c.AsymmetricDecrypt(a.ID, alg, ciphertext, nil, nil)
		s := statusOf(err)
		if usage&values.UsageEncrypt == 0 && (s == values.ErrInvalidArgument || s == values.ErrInvalidPadding) {
			return nil // arbitrary input
		}
		if p := exercised(t, c, a, "asymmetric_decrypt", alg, err, values.Success); p != nil {
			return p
		}
		if usage&values.UsageEncrypt != 0 {
			equalBytes(t, "decrypted", out, helloWorld)
		}
	}
	return nil
}

// setupDerivation is mbedtls_test_psa_setup_key_derivation_wrap: it feeds
// the inputs that alg needs around key, then sets the capacity.
func setupDerivation(t *suite.T, c *psa.Crypto, op *psa.KeyDerivationOperation, a psa.Attributes, alg values.Algorithm, in1, in2 []byte, capacity int) *pending {
	t.Helper()
	if p := exercised(t, c, a, "key_derivation_setup", alg, c.KeyDerivationSetup(op, alg), values.Success); p != nil {
		return p
	}
	id := a.ID
	switch {
	case alg.IsHKDF():
		must(t, "input salt", op.InputBytes(values.DerivationInputSalt, in1))
		must(t, "input secret key", op.InputKey(values.DerivationInputSecret, id))
		must(t, "input info", op.InputBytes(values.DerivationInputInfo, in2))
	case alg.IsHKDFExtract():
		must(t, "input salt", op.InputBytes(values.DerivationInputSalt, in1))
		must(t, "input secret key", op.InputKey(values.DerivationInputSecret, id))
	case alg.IsHKDFExpand():
		must(t, "input secret key", op.InputKey(values.DerivationInputSecret, id))
		must(t, "input info", op.InputBytes(values.DerivationInputInfo, in2))
	case alg.IsTLS12PRF() || alg.IsTLS12PSKToMS():
		must(t, "input seed", op.InputBytes(values.DerivationInputSeed, in1))
		must(t, "input secret key", op.InputKey(values.DerivationInputSecret, id))
		must(t, "input label", op.InputBytes(values.DerivationInputLabel, in2))
	case alg.IsPBKDF2HMAC() || alg == values.AlgPBKDF2AESCMACPRF128:
		must(t, "input cost", op.InputInteger(values.DerivationInputCost, 1))
		must(t, "input salt", op.InputBytes(values.DerivationInputSalt, in2))
		must(t, "input password key", op.InputKey(values.DerivationInputPassword, id))
	case alg == values.AlgTLS12ECJPAKEToPMS:
		must(t, "input secret", op.InputBytes(values.DerivationInputSecret, in1))
	default:
		t.Fatalf("no inputs known for key derivation algorithm %v", alg)
	}
	if capacity >= 0 {
		must(t, "set capacity", op.SetCapacity(capacity))
	}
	return nil
}

func exerciseKeyDerivation(t *suite.T, c *psa.Crypto, a psa.Attributes, usage values.KeyUsage, alg values.Algorithm) *pending {
	t.Helper()
	if usage&values.UsageDerive == 0 {
		return nil
	}
	var op psa.KeyDerivationOperation
	defer op.Abort()
	// The C inputs are "Input 1" and "Input 2" with their NUL.
	if p := setupDerivation(t, c, &op, a, alg, []byte("Input 1\x00"), []byte("Input 2\x00"), 1); p != nil {
		return p
	}
	must(t, "output 1 byte", op.OutputBytes(make([]byte, 1)))
	must(t, "abort", op.Abort())
	return nil
}

// rawAgreeWithSelf is mbedtls_test_psa_raw_key_agreement_with_self: raw
// key agreement of the key with its own public key, and the same agreement
// into a key, which must give the same secret and the same status.
func rawAgreeWithSelf(t *suite.T, c *psa.Crypto, a psa.Attributes, alg values.Algorithm) (*pending, error) {
	t.Helper()
	pub, err := c.ExportPublicKey(a.ID, nil)
	must(t, "export public key", err)
	out, rawErr := c.RawKeyAgreement(alg, a.ID, pub, nil)
	if statusOf(rawErr) == values.ErrNotSupported && c.Route("key_agreement", a, alg) == "" {
		return &pending{suite.SkipNotImplemented, fmt.Sprintf("no driver of gopsa's default build has key_agreement for %v keys with %v", a.Type, alg)}, rawErr
	}
	if rawErr == nil {
		check(t, len(out) <= values.RawKeyAgreementOutputSize(a.Type, a.Bits), "shared secret of %d bytes > PSA_RAW_KEY_AGREEMENT_OUTPUT_SIZE", len(out))
		check(t, len(out) <= values.RawKeyAgreementOutputMaxSize, "shared secret of %d bytes > PSA_RAW_KEY_AGREEMENT_OUTPUT_MAX_SIZE", len(out))
	}
	secret, err := c.KeyAgreement(a.ID, pub, alg, psa.Attributes{Type: values.KeyTypeDerive, Usage: values.UsageDerive | values.UsageExport})
	equal(t, "status of the key agreement into a key", statusOf(err), statusOf(rawErr))
	if err == nil {
		defer c.DestroyKey(secret)
		exported, err := c.ExportKey(secret, nil)
		must(t, "export the shared secret key", err)
		equalBytes(t, "shared secret key", exported, out)
	}
	return nil, rawErr
}

func exerciseRawKeyAgreement(t *suite.T, c *psa.Crypto, a psa.Attributes, usage values.KeyUsage, alg values.Algorithm) *pending {
	t.Helper()
	if usage&values.UsageDerive == 0 {
		return nil
	}
	p, err := rawAgreeWithSelf(t, c, a, alg)
	if p != nil {
		return p
	}
	must(t, "raw key agreement with self", err)
	return nil
}

func exerciseKeyAgreement(t *suite.T, c *psa.Crypto, a psa.Attributes, usage values.KeyUsage, alg values.Algorithm) *pending {
	t.Helper()
	if usage&values.UsageDerive == 0 {
		return nil
	}
	kdf := alg.KeyAgreementKDF()
	input := []byte{0}
	var op psa.KeyDerivationOperation
	defer op.Abort()
	if p := exercised(t, c, a, "key_derivation_setup", alg, c.KeyDerivationSetup(&op, alg), values.Success); p != nil {
		return p
	}
	if kdf.IsTLS12PRF() || kdf.IsTLS12PSKToMS() {
		must(t, "input seed", op.InputBytes(values.DerivationInputSeed, input))
	}
	if kdf.IsHKDFExtract() {
		must(t, "input salt", op.InputBytes(values.DerivationInputSalt, input))
	}
	want := values.Success
	if kdf.IsHKDFExpand() && values.BitsToBytes(a.Bits) != values.HashLength(kdf.Hash()) {
		// The shared secret is HKDF-Expand's pseudorandom key: it must be
		// as long as the hash.
		want = values.ErrInvalidArgument
	}
	pub, err := c.ExportPublicKey(a.ID, nil)
	must(t, "export public key", err)
	if p := exercised(t, c, a, "key_agreement", alg.KeyAgreementBase(), op.KeyAgreement(values.DerivationInputSecret, a.ID, pub), want); p != nil || want != values.Success {
		return p
	}
	switch {
	case kdf.IsTLS12PRF() || kdf.IsTLS12PSKToMS():
		must(t, "input label", op.InputBytes(values.DerivationInputLabel, input))
	case kdf.IsHKDF() || kdf.IsHKDFExpand():
		must(t, "input info", op.InputBytes(values.DerivationInputInfo, input))
	}
	must(t, "output 1 byte", op.OutputBytes(make([]byte, 1)))
	must(t, "abort", op.Abort())
	return nil
}

// skipUnrouted skips a case whose operation no driver of the instance's
// build handles (Crypto.Route names none): the build does not have the
// mechanism yet, whatever the PSA_WANT_* table says.
func skipUnrouted(t *suite.T, c *psa.Crypto, ep string, a psa.Attributes, alg values.Algorithm) {
	t.Helper()
	if c.Route(ep, a, alg) == "" {
		t.Skipf(suite.SkipNotImplemented, "no driver of gopsa's default build has %s for %v", ep, alg)
	}
}
