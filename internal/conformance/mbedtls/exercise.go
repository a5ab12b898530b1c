package mbedtls

import (
	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/internal/core"
	"github.com/gopsa/psa/values"
)

// The exercise helper: the Go port of mbedtls_test_psa_exercise_key
// (psa_exercise_key.c of the Mbed TLS test framework), which uses a key in
// every way its policy allows.
//
// It is built one algorithm family at a time, as the operation APIs land
// in package psa. A family that cannot be exercised yet is not silently
// passed: exerciseKey returns the reason, which the test function turns
// into a skip once it has made all its other checks. The checks that need
// no operation API (attribute sanity, export and public key export) run
// first.

// pending is a part of a case that could not run, and why.
type pending struct {
	kind suite.SkipKind
	why  string
}

// exerciseKey exercises key id with usage and alg. It fails t on a wrong
// result, and returns a non-nil pending if part of the exercise cannot run
// yet.
func exerciseKey(t *suite.T, c *psa.Crypto, id values.KeyID, usage values.KeyUsage, alg values.Algorithm) *pending {
	t.Helper()
	checkAttributesSanity(t, c, id)
	exerciseExport(t, c, id, usage)
	exerciseExportPublic(t, c, id)
	a, err := c.KeyAttributes(id)
	must(t, "get attributes", err)
	switch {
	case alg == 0:
		// No algorithm: a raw data key, nothing to do.
	case alg.IsMAC():
		return exerciseMAC(t, c, a, usage, alg)
	case alg.IsCipher():
		return exerciseCipher(t, c, a, usage, alg)
	case alg.IsAEAD():
		return exerciseAEAD(t, c, a, usage, alg)
	case alg.IsSign():
		return exerciseSignature(t, c, a, usage, alg)
	case alg.IsAsymmetricEncryption():
		return exerciseAsymmetricEncryption(t, c, a, usage, alg)
	case alg.IsKeyDerivation():
		return exerciseKeyDerivation(t, c, a, usage, alg)
	case alg.IsRawKeyAgreement():
		return exerciseRawKeyAgreement(t, c, a, usage, alg)
	case alg.IsKeyAgreement():
		return exerciseKeyAgreement(t, c, a, usage, alg)
	case alg.IsPAKE():
		return &pending{suite.SkipNotYet, "the exercise of a PAKE password key (exercise_pake_key) is not ported yet"}
	default:
		t.Fatalf("no code to exercise a key with algorithm %v", alg)
	}
	return nil
}

// firstPending returns the first non-nil pending.
func firstPending(ps ...*pending) *pending {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}

// skipIfPending ends a test function whose checks all passed but which
// could not run some of them.
func skipIfPending(t *suite.T, p *pending) {
	if p != nil {
		t.Skipf(p.kind, "%s", p.why)
	}
}

// usageToExercise is mbedtls_test_psa_usage_to_exercise: the usage flags
// that exercising a key of type kt with alg needs.
func usageToExercise(kt values.KeyType, alg values.Algorithm) values.KeyUsage {
	pub := kt.IsPublicKey()
	switch {
	case alg.IsMAC() || alg.IsSign():
		if alg.IsSignHash() {
			if alg.Hash() != 0 {
				if pub {
					return values.UsageVerifyHash | values.UsageVerifyMessage
				}
				return values.UsageSignHash | values.UsageVerifyHash | values.UsageSignMessage | values.UsageVerifyMessage
			}
		} else if alg.IsSignMessage() {
			if pub {
				return values.UsageVerifyMessage
			}
			return values.UsageSignMessage | values.UsageVerifyMessage
		}
		if pub {
			return values.UsageVerifyHash
		}
		return values.UsageSignHash | values.UsageVerifyHash
	case alg.IsCipher() || alg.IsAEAD() || alg.IsAsymmetricEncryption():
		if pub {
			return values.UsageEncrypt
		}
		return values.UsageEncrypt | values.UsageDecrypt
	case alg.IsKeyDerivation() || alg.IsKeyAgreement():
		return values.UsageDerive
	}
	return 0
}

// checkAttributesSanity is check_key_attributes_sanity.
func checkAttributesSanity(t *suite.T, c *psa.Crypto, id values.KeyID) {
	t.Helper()
	a, err := c.KeyAttributes(id)
	must(t, "get attributes", err)
	if a.Lifetime.IsVolatile() {
		check(t, a.ID >= core.VolatileMin && a.ID <= core.VolatileMax,
			"volatile key id %#x outside PSA_KEY_ID_VOLATILE_MIN..MAX", uint32(a.ID))
	} else {
		check(t, a.ID >= values.KeyIDUserMin && a.ID <= values.KeyIDUserMax,
			"persistent key id %#x outside PSA_KEY_ID_USER_MIN..MAX", uint32(a.ID))
	}
	check(t, a.Type != 0, "key type is 0")
	check(t, a.Bits != 0, "key size is 0")
	check(t, a.Bits <= core.MaxKeyBits, "key size %d > PSA_MAX_KEY_BITS", a.Bits)
	if a.Type.IsUnstructured() {
		check(t, a.Bits%8 == 0, "unstructured key of %d bits, not whole bytes", a.Bits)
	}
	if a.Type.IsECC() {
		check(t, a.Bits <= int(numbers["PSA_VENDOR_ECC_MAX_CURVE_BITS"].val), "ECC key of %d bits > PSA_VENDOR_ECC_MAX_CURVE_BITS", a.Bits)
	} else if a.Type.IsRSA() {
		check(t, a.Bits <= int(numbers["PSA_VENDOR_RSA_MAX_KEY_BITS"].val), "RSA key of %d bits > PSA_VENDOR_RSA_MAX_KEY_BITS", a.Bits)
	}
	check(t, values.BlockCipherBlockLength(a.Type) <= values.BlockCipherBlockMaxSize,
		"block size %d > PSA_BLOCK_CIPHER_BLOCK_MAX_SIZE", values.BlockCipherBlockLength(a.Type))
}

// exerciseExport is exercise_export_key: export is refused without
// USAGE_EXPORT (except for public keys) and otherwise gives a plausible
// key.
func exerciseExport(t *suite.T, c *psa.Crypto, id values.KeyID, usage values.KeyUsage) {
	t.Helper()
	a, err := c.KeyAttributes(id)
	must(t, "get attributes", err)
	out, err := c.ExportKey(id, nil)
	if usage&values.UsageExport == 0 && !a.Type.IsPublicKey() {
		wantStatus(t, "export without USAGE_EXPORT", err, values.ErrNotPermitted)
		return
	}
	must(t, "export", err)
	exportedKeySanity(t, a.Type, a.Bits, out)
}

// exerciseExportPublic is exercise_export_public_key.
func exerciseExportPublic(t *suite.T, c *psa.Crypto, id values.KeyID) {
	t.Helper()
	a, err := c.KeyAttributes(id)
	must(t, "get attributes", err)
	out, err := c.ExportPublicKey(id, nil)
	if !a.Type.IsAsymmetric() {
		wantStatus(t, "export the public key of a symmetric key", err, values.ErrInvalidArgument)
		return
	}
	must(t, "export public key", err)
	exportedKeySanity(t, a.Type.PublicKeyOfKeyPair(), a.Bits, out)
}

// exportedKeySanity is mbedtls_test_psa_exported_key_sanity_check: the
// export format of kt, as far as it can be checked without the key.
func exportedKeySanity(t *suite.T, kt values.KeyType, bits int, key []byte) {
	t.Helper()
	n := len(key)
	check(t, n <= values.ExportKeyOutputSize(kt, bits), "%v export of %d bytes > PSA_EXPORT_KEY_OUTPUT_SIZE %d", kt, n, values.ExportKeyOutputSize(kt, bits))
	bytesOf := values.BitsToBytes
	switch {
	case kt.IsUnstructured():
		equal(t, "length of the exported key", n, bytesOf(bits))
		if kt == values.KeyTypeDES {
			for i, b := range key {
				check(t, bitsSet(b)%2 == 1, "DES key byte %d (%#02x) has even parity", i, b)
			}
		}
	case kt == values.KeyTypeRSAKeyPair:
		s := cryptobyte.String(key)
		var seq cryptobyte.String
		check(t, s.ReadASN1(&seq, asn1.SEQUENCE) && s.Empty(), "RSA key pair is not one DER SEQUENCE")
		skipInteger(t, &seq, 0, 0, false)            // version
		skipInteger(t, &seq, bits, bits, true)       // n
		skipInteger(t, &seq, 2, bits, true)          // e
		skipInteger(t, &seq, bits/2, bits, true)     // d, at least half the size of n
		skipInteger(t, &seq, bits/2, bits/2+1, true) // p
		skipInteger(t, &seq, bits/2, bits/2+1, true) // q
		skipInteger(t, &seq, 1, bits/2+1, false)     // d mod (p-1)
		skipInteger(t, &seq, 1, bits/2+1, false)     // d mod (q-1)
		skipInteger(t, &seq, 1, bits/2+1, false)     // q^-1 mod p
		check(t, seq.Empty(), "RSA key pair has %d trailing bytes", len(seq))
		check(t, n <= values.ExportKeyPairMaxSize, "RSA key pair of %d bytes > PSA_EXPORT_KEY_PAIR_MAX_SIZE", n)
	case kt.IsECCKeyPair():
		equal(t, "length of the exported ECC private key", n, bytesOf(bits))
		check(t, n <= values.ExportKeyPairMaxSize, "ECC key pair of %d bytes > PSA_EXPORT_KEY_PAIR_MAX_SIZE", n)
	case kt == values.KeyTypeRSAPublicKey:
		s := cryptobyte.String(key)
		var seq cryptobyte.String
		check(t, s.ReadASN1(&seq, asn1.SEQUENCE) && s.Empty(), "RSA public key is not one DER SEQUENCE")
		skipInteger(t, &seq, bits, bits, true) // n
		skipInteger(t, &seq, 2, bits, true)    // e
		check(t, seq.Empty(), "RSA public key has %d trailing bytes", len(seq))
		check(t, n <= values.ExportPublicKeyOutputSize(kt, bits), "RSA public key of %d bytes > PSA_EXPORT_PUBLIC_KEY_OUTPUT_SIZE", n)
		check(t, n <= values.ExportPublicKeyMaxSize, "RSA public key of %d bytes > PSA_EXPORT_PUBLIC_KEY_MAX_SIZE", n)
	case kt.IsECCPublicKey():
		check(t, n <= values.ExportPublicKeyOutputSize(kt, bits), "ECC public key of %d bytes > PSA_EXPORT_PUBLIC_KEY_OUTPUT_SIZE", n)
		check(t, n <= values.ExportPublicKeyMaxSize, "ECC public key of %d bytes > PSA_EXPORT_PUBLIC_KEY_MAX_SIZE", n)
		switch kt.ECCFamily() {
		case values.ECCFamilyMontgomery:
			equal(t, "length of a Montgomery public key", n, bytesOf(bits))
		case values.ECCFamilyTwistedEdwards:
			equal(t, "length of an Edwards public key", n, bytesOf(bits+1))
		default:
			equal(t, "length of a Weierstrass public key", n, 1+2*bytesOf(bits))
			equal(t, "first byte of an uncompressed point", key[0], byte(4))
		}
	case kt.IsDHPublicKey() || kt.IsDHKeyPair():
		equal(t, "length of the exported DH key", n, values.ExportPublicKeyOutputSize(kt, bits))
		check(t, n <= values.ExportPublicKeyMaxSize, "DH key of %d bytes > PSA_EXPORT_PUBLIC_KEY_MAX_SIZE", n)
	default:
		t.Fatalf("no sanity check for exported %v keys", kt)
	}
}

func bitsSet(b byte) int {
	n := 0
	for ; b != 0; b &= b - 1 {
		n++
	}
	return n
}
