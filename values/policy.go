package values

// Permits reports whether a key whose permitted-algorithm policy is
// policy may be used to compute with the algorithm requested, following
// the rules of the specification (api/keys/policy.txt):
//
//   - an algorithm permits itself, except that PSA_ALG_NONE permits
//     nothing;
//   - a hash-and-sign algorithm built with AlgAnyHash permits the same
//     scheme with any specific hash, and AlgRSAPKCS1v15Sign(AlgAnyHash)
//     also permits AlgRSAPKCS1v15SignRaw;
//   - a standalone key agreement permits itself combined with any key
//     derivation;
//   - AlgAtLeastThisLengthMAC(mac, n) permits mac truncated to n bytes or
//     more, and AlgAEADWithAtLeastThisLengthTag(aead, n) permits aead with
//     a tag of n bytes or more;
//   - AlgCCMStarAnyTag permits AlgCCMStarNoTag and CCM with a 4, 8 or 16
//     byte tag;
//   - AlgWPA3SAEAny permits every WPA3-SAE algorithm.
//
// gopsa treats a MAC truncated to its full length as the full-length MAC.
// When that length depends on the key (CMAC and CBC-MAC take it from the
// cipher block), Permits cannot know it and answers false unless the
// encodings match; use PermitsWithKey.
//
// requested must be a specific algorithm: a wildcard (see IsWildcard) is
// never permitted, since an operation cannot run a wildcard; the caller
// should reject it with ErrInvalidArgument before asking.
func (policy Algorithm) Permits(requested Algorithm) bool {
	return policy.permits(requested, KeyTypeNone, false)
}

// PermitsWithKey is Permits for a key of type keyType and size bits, which
// settles the MAC lengths that depend on the key, and the WPA3-SAE
// algorithms that PSA_ALG_WPA3_SAE_ANY permits for that key type (a
// password for PSA_ALG_WPA3_SAE_H2E and PSA_ALG_WPA3_SAE_FIXED, a
// password token for PSA_ALG_WPA3_SAE_FIXED and PSA_ALG_WPA3_SAE_GDH). It
// also refuses a MAC the key type cannot compute.
func (policy Algorithm) PermitsWithKey(requested Algorithm, keyType KeyType, bits int) bool {
	return policy.permits(requested, keyType, false)
}

// PermitsVerification is PermitsWithKey for verifying a signature, where
// the specification treats the randomized (hedged) and deterministic
// variants of ECDSA, SLH-DSA, HashSLH-DSA, ML-DSA and HashML-DSA as the
// same algorithm.
func (policy Algorithm) PermitsVerification(requested Algorithm, keyType KeyType, bits int) bool {
	return policy.permits(requested, keyType, true)
}

// deterministicFlag distinguishes the deterministic variant of a signature
// scheme from the randomized or hedged one.
const deterministicFlag Algorithm = 0x00000100

func (a Algorithm) verifyEquivalent() Algorithm {
	if a.IsDeterministicECDSA() || a.IsDeterministicHashSLHDSA() || a.IsDeterministicHashMLDSA() ||
		a == AlgDeterministicSLHDSA || a == AlgDeterministicMLDSA {
		return a &^ deterministicFlag
	}
	return a
}

func (policy Algorithm) permits(requested Algorithm, keyType KeyType, verify bool) bool {
	if policy == AlgNone || requested.IsWildcard() {
		return false
	}
	if verify {
		policy, requested = policy.verifyEquivalent(), requested.verifyEquivalent()
	}
	if policy == requested {
		return true
	}
	switch {
	case policy.IsSign():
		if policy.Hash() != AlgAnyHash || !policy.IsHashAndSign() {
			return false
		}
		if policy == AlgRSAPKCS1v15Sign(AlgAnyHash) && requested == AlgRSAPKCS1v15SignRaw {
			return true
		}
		h := requested.Hash()
		return requested&^algHashMask == policy&^algHashMask && h != AlgNone && h != AlgAnyHash
	case policy.IsStandaloneKeyAgreement():
		return requested.IsKeyAgreement() && requested.KeyAgreementBase() == policy
	case policy.IsMAC():
		if !requested.IsMAC() || AlgFullLengthMAC(requested) != AlgFullLengthMAC(policy) {
			return false
		}
		want, got := macPolicyLength(policy, keyType), macPolicyLength(requested, keyType)
		if want == 0 || got == 0 {
			return false
		}
		if policy&algAtLeastFlag != 0 {
			return got >= want
		}
		return got == want
	case policy.IsAEAD():
		return policy&algAtLeastFlag != 0 && requested.IsAEAD() &&
			requested&^algLengthAndFlag == policy&^algLengthAndFlag &&
			requested.lengthField() >= policy.lengthField()
	case policy == AlgCCMStarAnyTag:
		switch requested {
		case AlgCCMStarNoTag, AlgCCM, AlgAEADWithShortenedTag(AlgCCM, 4), AlgAEADWithShortenedTag(AlgCCM, 8):
			return true
		}
		return false
	case policy == AlgWPA3SAEAny:
		h := requested.Hash()
		if h == AlgNone || h == AlgAnyHash {
			return false
		}
		h2e, fixed, gdh := requested.IsWPA3SAEH2E(), requested.IsWPA3SAEFixed(), requested.IsWPA3SAEGDH()
		switch {
		case keyType == KeyTypeNone:
			return h2e || fixed || gdh
		case keyType == KeyTypePassword:
			return h2e || fixed
		case keyType.IsWPA3SAEECC() || keyType.IsWPA3SAEDH():
			return fixed || gdh
		}
	}
	return false
}

// macPolicyLength returns the MAC length of alg for policy comparison: its
// truncation, or the full length, which needs keyType for a block-cipher
// MAC. It returns 0 when the length is unknown or keyType cannot compute
// alg.
func macPolicyLength(alg Algorithm, keyType KeyType) int {
	if keyType == KeyTypeNone {
		if n := alg.lengthField(); n != 0 {
			return n
		}
		if base := AlgFullLengthMAC(alg); base.IsHMAC() || base.IsBLAKE2MAC() {
			return HashLength(base.Hash())
		}
		return 0
	}
	return MACLength(keyType, 0, alg)
}
