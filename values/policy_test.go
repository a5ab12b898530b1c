package values

import "testing"

func TestPermits(t *testing.T) {
	hmac256 := AlgHMAC(AlgSHA256)
	cases := []struct {
		policy, requested Algorithm
		keyType           KeyType
		want              bool
	}{
		// Exact match, and PSA_ALG_NONE.
		{AlgCCM, AlgCCM, KeyTypeAES, true},
		{AlgCCM, AlgGCM, KeyTypeAES, false},
		{AlgNone, AlgNone, KeyTypeAES, false},
		{AlgNone, AlgCCM, KeyTypeAES, false},
		// Hash wildcard in signatures (policy.txt); not meaningful in
		// MAC or encryption policies (Mbed TLS key policy tests).
		{AlgECDSA(AlgAnyHash), AlgECDSA(AlgSHA256), 0, true},
		{AlgECDSA(AlgAnyHash), AlgECDSA(AlgSHA3_512), 0, true},
		{AlgECDSA(AlgAnyHash), AlgDeterministicECDSA(AlgSHA256), 0, false},
		{AlgECDSA(AlgAnyHash), AlgECDSAAny, 0, false},
		{AlgRSAPKCS1v15Sign(AlgAnyHash), AlgRSAPKCS1v15SignRaw, 0, true},
		{AlgRSAPKCS1v15Sign(AlgAnyHash), AlgRSAPKCS1v15Sign(AlgSHA256), 0, true},
		{AlgRSAPKCS1v15Sign(AlgAnyHash), AlgRSAPSS(AlgSHA256), 0, false},
		{AlgHashMLDSA(AlgAnyHash), AlgHashMLDSA(AlgSHA512), 0, true},
		{AlgRSAPSS(AlgSHA256), AlgRSAPSS(AlgSHA384), 0, false},
		{AlgHMAC(AlgAnyHash), hmac256, KeyTypeHMAC, false},
		{AlgRSAOAEP(AlgAnyHash), AlgRSAOAEP(AlgSHA256), 0, false},
		{AlgECDSA(AlgAnyHash), AlgECDSA(AlgAnyHash), 0, false}, // a wildcard cannot be requested
		// Key agreement.
		{AlgECDH, AlgKeyAgreement(AlgECDH, AlgHKDF(AlgSHA256)), 0, true},
		{AlgECDH, AlgKeyAgreement(AlgFFDH, AlgHKDF(AlgSHA256)), 0, false},
		{AlgKeyAgreement(AlgECDH, AlgHKDF(AlgSHA256)), AlgECDH, 0, false},
		// MAC lengths (Mbed TLS mac_key_policy cases).
		{AlgAtLeastThisLengthMAC(hmac256, 20), AlgTruncatedMAC(hmac256, 30), KeyTypeHMAC, true},
		{AlgAtLeastThisLengthMAC(hmac256, 20), AlgTruncatedMAC(hmac256, 20), KeyTypeHMAC, true},
		{AlgAtLeastThisLengthMAC(hmac256, 20), AlgTruncatedMAC(hmac256, 10), KeyTypeHMAC, false},
		{AlgAtLeastThisLengthMAC(AlgCMAC, 10), AlgTruncatedMAC(AlgCMAC, 16), KeyTypeAES, true},
		{AlgAtLeastThisLengthMAC(AlgCMAC, 10), AlgTruncatedMAC(AlgCMAC, 10), KeyTypeAES, true},
		{AlgAtLeastThisLengthMAC(AlgCMAC, 10), AlgTruncatedMAC(AlgCMAC, 8), KeyTypeAES, false},
		{AlgAtLeastThisLengthMAC(hmac256, 31), hmac256, KeyTypeHMAC, true},
		{AlgAtLeastThisLengthMAC(hmac256, 32), hmac256, KeyTypeHMAC, true},
		{AlgAtLeastThisLengthMAC(hmac256, 33), hmac256, KeyTypeHMAC, false},
		{AlgAtLeastThisLengthMAC(hmac256, 20), AlgTruncatedMAC(AlgCMAC, 20), KeyTypeHMAC, false},
		{AlgAtLeastThisLengthMAC(hmac256, 20), AlgTruncatedMAC(AlgHMAC(AlgSHA224), 20), KeyTypeHMAC, false},
		{AlgAtLeastThisLengthMAC(hmac256, 10), AlgCMAC, KeyTypeHMAC, false},
		{AlgAtLeastThisLengthMAC(hmac256, 20), AlgAtLeastThisLengthMAC(hmac256, 20), KeyTypeHMAC, false},
		{AlgTruncatedMAC(hmac256, 10), AlgTruncatedMAC(hmac256, 20), KeyTypeHMAC, false},
		{AlgTruncatedMAC(hmac256, 20), AlgTruncatedMAC(hmac256, 20), KeyTypeHMAC, true},
		{AlgTruncatedMAC(hmac256, 20), AlgTruncatedMAC(hmac256, 10), KeyTypeHMAC, false},
		// A MAC truncated to its full length is the full-length MAC.
		{hmac256, AlgTruncatedMAC(hmac256, 32), KeyTypeHMAC, true},
		{AlgTruncatedMAC(AlgCMAC, 16), AlgCMAC, KeyTypeAES, true},
		{AlgTruncatedMAC(AlgCMAC, 8), AlgCMAC, KeyTypeDES, true},
		{AlgTruncatedMAC(AlgCMAC, 16), AlgCMAC, KeyTypeDES, false},
		// The key must be able to compute the MAC.
		{AlgAtLeastThisLengthMAC(hmac256, 20), hmac256, KeyTypeAES, false},
		// AEAD tag lengths (Mbed TLS aead_key_policy cases).
		{AlgAEADWithAtLeastThisLengthTag(AlgCCM, 4), AlgAEADWithShortenedTag(AlgCCM, 8), KeyTypeAES, true},
		{AlgAEADWithAtLeastThisLengthTag(AlgCCM, 4), AlgAEADWithShortenedTag(AlgCCM, 4), KeyTypeAES, true},
		{AlgAEADWithAtLeastThisLengthTag(AlgCCM, 8), AlgAEADWithShortenedTag(AlgCCM, 4), KeyTypeAES, false},
		{AlgAEADWithAtLeastThisLengthTag(AlgGCM, 4), AlgAEADWithShortenedTag(AlgGCM, 8), KeyTypeAES, true},
		{AlgAEADWithAtLeastThisLengthTag(AlgCCM, 8), AlgCCM, KeyTypeAES, true},
		{AlgAEADWithAtLeastThisLengthTag(AlgCCM, 16), AlgCCM, KeyTypeAES, true},
		{AlgAEADWithAtLeastThisLengthTag(AlgCCM, 17), AlgCCM, KeyTypeAES, false},
		{AlgAEADWithAtLeastThisLengthTag(AlgCCM, 4), AlgAEADWithShortenedTag(AlgGCM, 4), KeyTypeAES, false},
		{AlgAEADWithAtLeastThisLengthTag(AlgCCM, 8), AlgAEADWithAtLeastThisLengthTag(AlgCCM, 8), KeyTypeAES, false},
		{AlgAEADWithShortenedTag(AlgCCM, 4), AlgAEADWithShortenedTag(AlgCCM, 8), KeyTypeAES, false},
		{AlgAEADWithShortenedTag(AlgCCM, 4), AlgAEADWithShortenedTag(AlgCCM, 4), KeyTypeAES, true},
		// CCM* wildcard.
		{AlgCCMStarAnyTag, AlgCCMStarNoTag, KeyTypeAES, true},
		{AlgCCMStarAnyTag, AlgCCM, KeyTypeAES, true},
		{AlgCCMStarAnyTag, AlgAEADWithShortenedTag(AlgCCM, 4), KeyTypeAES, true},
		{AlgCCMStarAnyTag, AlgAEADWithShortenedTag(AlgCCM, 8), KeyTypeAES, true},
		{AlgCCMStarAnyTag, AlgAEADWithShortenedTag(AlgCCM, 12), KeyTypeAES, false},
		{AlgCCMStarAnyTag, AlgGCM, KeyTypeAES, false},
		// WPA3-SAE wildcard, with and without the key type.
		{AlgWPA3SAEAny, AlgWPA3SAEFixed(AlgSHA256), 0, true},
		{AlgWPA3SAEAny, AlgWPA3SAEGDH(AlgSHA384), 0, true},
		{AlgWPA3SAEAny, AlgWPA3SAEH2E(AlgSHA256), 0, true},
		{AlgWPA3SAEAny, AlgWPA3SAEH2E(AlgSHA256), KeyTypePassword, true},
		{AlgWPA3SAEAny, AlgWPA3SAEFixed(AlgSHA256), KeyTypePassword, true},
		{AlgWPA3SAEAny, AlgWPA3SAEGDH(AlgSHA256), KeyTypePassword, false},
		{AlgWPA3SAEAny, AlgWPA3SAEGDH(AlgSHA256), KeyTypeWPA3SAEECC(ECCFamilySECPR1), true},
		{AlgWPA3SAEAny, AlgWPA3SAEH2E(AlgSHA256), KeyTypeWPA3SAEDH(DHFamilyRFC3526), false},
		{AlgWPA3SAEAny, AlgJPAKE(AlgSHA256), 0, false},
	}
	for _, c := range cases {
		var got bool
		if c.keyType == 0 {
			got = c.policy.Permits(c.requested)
		} else {
			got = c.policy.PermitsWithKey(c.requested, c.keyType, 128)
		}
		if got != c.want {
			t.Errorf("%v permits %v (key %v): %v, want %v", c.policy, c.requested, c.keyType, got, c.want)
		}
	}
}

func TestPermitsWithoutKey(t *testing.T) {
	// Without the key type a block-cipher MAC has no known full length,
	// so only matching encodings are permitted.
	if AlgTruncatedMAC(AlgCMAC, 16).Permits(AlgCMAC) {
		t.Error("CMAC/16 permits CMAC without knowing the cipher")
	}
	if !AlgAtLeastThisLengthMAC(AlgCMAC, 8).Permits(AlgTruncatedMAC(AlgCMAC, 12)) {
		t.Error("at-least-8 CMAC does not permit CMAC/12")
	}
	if !AlgHMAC(AlgSHA256).Permits(AlgTruncatedMAC(AlgHMAC(AlgSHA256), 32)) {
		t.Error("HMAC-SHA-256 does not permit itself truncated to 32")
	}
}

func TestPermitsVerification(t *testing.T) {
	cases := []struct {
		policy, requested Algorithm
		sign, verify      bool
	}{
		{AlgECDSA(AlgSHA256), AlgDeterministicECDSA(AlgSHA256), false, true},
		{AlgDeterministicECDSA(AlgSHA256), AlgECDSA(AlgSHA256), false, true},
		{AlgECDSA(AlgAnyHash), AlgDeterministicECDSA(AlgSHA384), false, true},
		{AlgDeterministicECDSA(AlgSHA256), AlgECDSA(AlgSHA384), false, false},
		{AlgSLHDSA, AlgDeterministicSLHDSA, false, true},
		{AlgMLDSA, AlgDeterministicMLDSA, false, true},
		{AlgDeterministicHashMLDSA(AlgSHA512), AlgHashMLDSA(AlgSHA512), false, true},
		{AlgHashSLHDSA(AlgSHA256), AlgDeterministicHashSLHDSA(AlgSHA256), false, true},
		{AlgMLDSA, AlgHashMLDSA(AlgSHA256), false, false},
		{AlgRSAPSS(AlgSHA256), AlgRSAPSSAnySalt(AlgSHA256), false, false},
	}
	for _, c := range cases {
		if got := c.policy.PermitsWithKey(c.requested, KeyTypeECCKeyPair(ECCFamilySECPR1), 256); got != c.sign {
			t.Errorf("%v permits signing with %v: %v", c.policy, c.requested, got)
		}
		if got := c.policy.PermitsVerification(c.requested, KeyTypeECCKeyPair(ECCFamilySECPR1), 256); got != c.verify {
			t.Errorf("%v permits verifying with %v: %v", c.policy, c.requested, got)
		}
	}
}
