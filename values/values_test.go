package values

import (
	"errors"
	"strings"
	"testing"
)

// roundTrip checks String → Parse → the same value for every entry of a
// name table, and that String gives the entry's canonical name.
func roundTrip[T comparable](t *testing.T, kind string, tab *nameTable[T], str func(T) string, parse func(string) (T, error)) {
	t.Helper()
	if len(tab.entries) == 0 {
		t.Fatalf("%s: empty table", kind)
	}
	for _, e := range tab.entries {
		s := str(e.value)
		if canon := tab.byValue[e.value]; s != canon {
			t.Errorf("%s %s: String() = %q, want %q", kind, e.name, s, canon)
		}
		for _, in := range []string{s, e.name, "  " + e.name + "\t"} {
			got, err := parse(in)
			if err != nil || got != e.value {
				t.Errorf("%s: Parse(%q) = %v, %v; want %v", kind, in, got, err, e.value)
			}
		}
	}
}

func TestRoundTripNames(t *testing.T) {
	roundTrip(t, "algorithm", algorithmNames, Algorithm.String, ParseAlgorithm)
	roundTrip(t, "key type", keyTypeNames, KeyType.String, ParseKeyType)
	roundTrip(t, "ECC family", eccFamilyNames, ECCFamily.String, ParseECCFamily)
	roundTrip(t, "DH family", dhFamilyNames, DHFamily.String, ParseDHFamily)
	roundTrip(t, "SLH-DSA family", slhdsaFamilyNames, SLHDSAFamily.String, ParseSLHDSAFamily)
	roundTrip(t, "usage", usageNames, KeyUsage.String, ParseKeyUsage)
	roundTrip(t, "lifetime", lifetimeNames, Lifetime.String, ParseLifetime)
	roundTrip(t, "persistence", persistenceNames, Persistence.String, ParsePersistence)
	roundTrip(t, "location", locationNames, Location.String, ParseLocation)
	roundTrip(t, "derivation step", derivationStepNames, DerivationStep.String, ParseDerivationStep)
	roundTrip(t, "PAKE primitive type", pakePrimitiveTypeNames, PAKEPrimitiveType.String, ParsePAKEPrimitiveType)
	roundTrip(t, "PAKE role", pakeRoleNames, PAKERole.String, ParsePAKERole)
	roundTrip(t, "PAKE step", pakeStepNames, PAKEStep.String, ParsePAKEStep)
	for v, n := range statusNames {
		if got, err := ParseStatus(v.String()); err != nil || got != v {
			t.Errorf("ParseStatus(%q) = %v, %v", n, got, err)
		}
	}
	for _, e := range keyIDNames.entries {
		if got, err := ParseKeyID(e.name); err != nil || got != e.value {
			t.Errorf("ParseKeyID(%q) = %v, %v", e.name, got, err)
		}
		if got, err := ParseKeyID(e.value.String()); err != nil || got != e.value {
			t.Errorf("ParseKeyID(%q) = %v, %v", e.value.String(), got, err)
		}
	}
}

// TestRoundTripComposite checks every algorithm and key type that a
// constructor can build, and random encodings, through String and Parse.
func TestRoundTripComposite(t *testing.T) {
	for _, a := range testAlgorithms() {
		s := a.String()
		got, err := ParseAlgorithm(s)
		if err != nil || got != a {
			t.Errorf("ParseAlgorithm(%q) = %#x, %v; want %#x", s, uint32(got), err, uint32(a))
		}
	}
	for _, k := range testKeyTypes() {
		s := k.String()
		got, err := ParseKeyType(s)
		if err != nil || got != k {
			t.Errorf("ParseKeyType(%q) = %#x, %v; want %#x", s, uint16(got), err, uint16(k))
		}
	}
	for _, l := range []Lifetime{0, 1, 2, 0xff, 0x80000101, 0x12345601, 0xffffffff} {
		got, err := ParseLifetime(l.String())
		if err != nil || got != l {
			t.Errorf("ParseLifetime(%q) = %#x, %v; want %#x", l.String(), uint32(got), err, uint32(l))
		}
	}
	for _, u := range []KeyUsage{0, 1, UsageSignHash | UsageExport, 0xffffffff, 0x00040000} {
		got, err := ParseKeyUsage(u.String())
		if err != nil || got != u {
			t.Errorf("ParseKeyUsage(%q) = %#x, %v; want %#x", u.String(), uint32(got), err, uint32(u))
		}
	}
	for _, p := range []PAKEPrimitive{
		PAKEPrimitiveOf(PAKEPrimitiveTypeECC, PAKEFamily(ECCFamilySECPR1), 256),
		PAKEPrimitiveOf(PAKEPrimitiveTypeDH, PAKEFamily(DHFamilyRFC7919), 3072),
		PAKEPrimitiveOf(0x81, 0x33, 7), 0, 0x00ffffff,
	} {
		got, err := ParsePAKEPrimitive(p.String())
		if err != nil || got != p {
			t.Errorf("ParsePAKEPrimitive(%q) = %#x, %v; want %#x", p.String(), uint32(got), err, uint32(p))
		}
	}
	for _, s := range []Status{Success, ErrNotSupported, -1, 5, -2147483648} {
		got, err := ParseStatus(s.String())
		if err != nil || got != s {
			t.Errorf("ParseStatus(%q) = %d, %v; want %d", s.String(), got, err, s)
		}
	}
}

// TestKnownEncodings checks constructors against encodings read by hand
// from appendix B (encodings.txt) of the specification.
func TestKnownEncodings(t *testing.T) {
	algs := []struct {
		got  Algorithm
		want uint32
	}{
		{AlgHMAC(AlgSHA256), 0x03800009},
		{AlgHMAC(AlgSHA3_512), 0x03800013},
		{AlgBLAKE2MAC(AlgBLAKE2sHash256), 0x0380031c},
		{AlgTruncatedMAC(AlgCMAC, 10), 0x03ca0200},
		{AlgAtLeastThisLengthMAC(AlgHMAC(AlgSHA256), 20), 0x03948009},
		{AlgFullLengthMAC(0x03948009), 0x03800009},
		{AlgAEADWithShortenedTag(AlgCCM, 8), 0x05480100},
		{AlgAEADWithAtLeastThisLengthTag(AlgGCM, 12), 0x054c8200},
		{AlgAEADWithDefaultLengthTag(0x05480100), 0x05500100},
		{AlgAEADWithDefaultLengthTag(AlgAEADWithShortenedTag(AlgXChaCha20Poly1305, 8)), 0x05100600},
		{AlgAEADWithDefaultLengthTag(AlgSHA256), uint32(AlgNone)},
		{AlgHKDF(AlgSHA256), 0x08000109},
		{AlgHKDFExtract(AlgSHA384), 0x0800040a},
		{AlgHKDFExpand(AlgSHA512), 0x0800050b},
		{AlgTLS12PRF(AlgSHA256), 0x08000209},
		{AlgTLS12PSKToMS(AlgSHA384), 0x0800030a},
		{AlgSP800_108CounterHMAC(AlgSHA256), 0x08000709},
		{AlgPBKDF2HMAC(AlgSHA256), 0x08800109},
		{AlgWPA3SAEH2E(AlgSHA256), 0x08800409},
		{AlgRSAPKCS1v15Sign(AlgSHA256), 0x06000209},
		{AlgRSAPSS(AlgSHA256), 0x06000309},
		{AlgRSAPSSAnySalt(AlgSHA256), 0x06001309},
		{AlgECDSA(AlgSHA256), 0x06000609},
		{AlgECDSA(AlgAnyHash), 0x060006ff},
		{AlgDeterministicECDSA(AlgSHA384), 0x0600070a},
		{AlgHashSLHDSA(AlgSHA256), 0x06004209},
		{AlgDeterministicHashSLHDSA(AlgSHAKE256_512), 0x06004315},
		{AlgHashMLDSA(AlgSHA512), 0x0600460b},
		{AlgDeterministicHashMLDSA(AlgSHA3_256), 0x06004711},
		{AlgRSAOAEP(AlgSHA256), 0x07000309},
		{AlgKeyAgreement(AlgECDH, AlgHKDF(AlgSHA256)), 0x09020109},
		{AlgKeyAgreement(AlgFFDH, AlgPBKDF2HMAC(AlgSHA256)), 0x09810109},
		{AlgKeyAgreement(AlgECDH, AlgHKDF(AlgSHA256)).KeyAgreementBase(), uint32(AlgECDH)},
		{AlgKeyAgreement(AlgECDH, AlgHKDF(AlgSHA256)).KeyAgreementKDF(), 0x08000109},
		{AlgKeyAgreement(AlgFFDH, AlgPBKDF2HMAC(AlgSHA256)).KeyAgreementKDF(), 0x08800109},
		{AlgJPAKE(AlgSHA256), 0x0a000109},
		{AlgSPAKE2PHMAC(AlgSHA256), 0x0a000409},
		{AlgSPAKE2PCMAC(AlgSHA256), 0x0a000509},
		{AlgWPA3SAEFixed(AlgSHA256), 0x0a000809},
		{AlgWPA3SAEGDH(AlgSHA384), 0x0a00090a},
		{AlgEd25519ph.Hash(), uint32(AlgSHA512)},
		{AlgEd448ph.Hash(), uint32(AlgSHAKE256_512)},
		{AlgSPAKE2PMatter.Hash(), uint32(AlgSHA256)},
		{AlgPureEdDSA.Hash(), uint32(AlgNone)},
	}
	for i, c := range algs {
		if uint32(c.got) != c.want {
			t.Errorf("algorithm case %d: got %#08x, want %#08x", i, uint32(c.got), c.want)
		}
	}
	types := []struct {
		got  KeyType
		want uint16
	}{
		{KeyTypeECCKeyPair(ECCFamilySECPK1), 0x7117},
		{KeyTypeECCPublicKey(ECCFamilySECPK1), 0x4117},
		{KeyTypeECCKeyPair(ECCFamilySECPR1), 0x7112},
		{KeyTypeECCPublicKey(ECCFamilySECPR2), 0x411b},
		{KeyTypeECCKeyPair(ECCFamilySECTK1), 0x7127},
		{KeyTypeECCKeyPair(ECCFamilySECTR1), 0x7122},
		{KeyTypeECCKeyPair(ECCFamilySECTR2), 0x712b},
		{KeyTypeECCKeyPair(ECCFamilyBrainpoolPR1), 0x7130},
		{KeyTypeECCKeyPair(ECCFamilyFRP), 0x7133},
		{KeyTypeECCPublicKey(ECCFamilyMontgomery), 0x4141},
		{KeyTypeECCKeyPair(ECCFamilyTwistedEdwards), 0x7142},
		{KeyTypeDHKeyPair(DHFamilyRFC7919), 0x7203},
		{KeyTypeDHPublicKey(DHFamilyRFC7919), 0x4203},
		{KeyTypeSLHDSAKeyPair(SLHDSAFamilySHA2S), 0x7182},
		{KeyTypeSLHDSAPublicKey(SLHDSAFamilySHA2F), 0x4184},
		{KeyTypeSLHDSAKeyPair(SLHDSAFamilySHAKES), 0x718b},
		{KeyTypeSLHDSAPublicKey(SLHDSAFamilySHAKEF), 0x418d},
		{KeyTypeSPAKE2PKeyPair(ECCFamilySECPR1), 0x7412},
		{KeyTypeSPAKE2PPublicKey(ECCFamilyTwistedEdwards), 0x4442},
		{KeyTypeWPA3SAEECC(ECCFamilySECPR1), 0x3292},
		{KeyTypeWPA3SAEECC(ECCFamilyBrainpoolPR1), 0x32b0},
		{KeyTypeWPA3SAEDH(DHFamilyRFC3526), 0x3305},
		{KeyTypeRSAPublicKey.KeyPairOfPublicKey(), 0x7001},
		{KeyTypeMLKEMKeyPair.PublicKeyOfKeyPair(), 0x4004},
	}
	for i, c := range types {
		if uint16(c.got) != c.want {
			t.Errorf("key type case %d: got %#04x, want %#04x", i, uint16(c.got), c.want)
		}
	}
	if l := LifetimeFromPersistenceAndLocation(PersistenceDefault, 0x800001); l != 0x80000101 {
		t.Errorf("lifetime = %#x", uint32(l))
	}
	if l := Lifetime(0x80000101); l.Persistence() != PersistenceDefault || l.Location() != 0x800001 || l.IsVolatile() {
		t.Errorf("lifetime fields wrong: %v %v", l.Persistence(), l.Location())
	}
	p := PAKEPrimitiveOf(PAKEPrimitiveTypeECC, PAKEFamily(ECCFamilySECPR1), 256)
	if p != 0x01120100 || p.Type() != PAKEPrimitiveTypeECC || p.Family() != 0x12 || p.Bits() != 256 {
		t.Errorf("PAKE primitive = %#x", uint32(p))
	}
	if PAKEPrimitiveOf(PAKEPrimitiveTypeDH, 3, 0x10000) != 0 {
		t.Error("PAKEPrimitiveOf with 17-bit size is not 0")
	}
}

// Every value of the specification has even parity (appendix B), so that
// one flipped bit cannot turn a valid value into another.
func TestParity(t *testing.T) {
	odd := func(v uint64) bool {
		n := 0
		for ; v != 0; v &= v - 1 {
			n++
		}
		return n%2 == 1
	}
	for _, e := range keyTypeNames.entries {
		if odd(uint64(e.value)) {
			t.Errorf("%s has odd parity", e.name)
		}
	}
	// A family carries the parity bit of the whole key type.
	for _, e := range eccFamilyNames.entries {
		for _, k := range []KeyType{KeyTypeECCKeyPair(e.value), KeyTypeECCPublicKey(e.value)} {
			if odd(uint64(k)) {
				t.Errorf("%v has odd parity", k)
			}
		}
	}
	for _, e := range dhFamilyNames.entries {
		for _, k := range []KeyType{KeyTypeDHKeyPair(e.value), KeyTypeDHPublicKey(e.value), KeyTypeWPA3SAEDH(e.value)} {
			if odd(uint64(k)) {
				t.Errorf("%v has odd parity", k)
			}
		}
	}
	for _, e := range slhdsaFamilyNames.entries {
		for _, k := range []KeyType{KeyTypeSLHDSAKeyPair(e.value), KeyTypeSLHDSAPublicKey(e.value)} {
			if odd(uint64(k)) {
				t.Errorf("%v has odd parity", k)
			}
		}
	}
}

func TestStringForms(t *testing.T) {
	cases := []struct {
		got, want string
	}{
		{AlgHMAC(AlgSHA256).String(), "PSA_ALG_HMAC(PSA_ALG_SHA_256)"},
		{AlgTruncatedMAC(AlgCMAC, 10).String(), "PSA_ALG_TRUNCATED_MAC(PSA_ALG_CMAC, 10)"},
		{AlgAtLeastThisLengthMAC(AlgHMAC(AlgSHA256), 20).String(), "PSA_ALG_AT_LEAST_THIS_LENGTH_MAC(PSA_ALG_HMAC(PSA_ALG_SHA_256), 20)"},
		{AlgAEADWithAtLeastThisLengthTag(AlgCCM, 8).String(), "PSA_ALG_AEAD_WITH_AT_LEAST_THIS_LENGTH_TAG(PSA_ALG_CCM, 8)"},
		{AlgAEADWithShortenedTag(AlgGCM, 12).String(), "PSA_ALG_AEAD_WITH_SHORTENED_TAG(PSA_ALG_GCM, 12)"},
		{AlgAEADWithShortenedTag(AlgCCM, 16).String(), "PSA_ALG_CCM"},
		{AlgAEADWithAtLeastThisLengthTag(AlgCCM, 16).String(), "PSA_ALG_AEAD_WITH_AT_LEAST_THIS_LENGTH_TAG(PSA_ALG_CCM, 16)"},
		{AlgECDSA(AlgAnyHash).String(), "PSA_ALG_ECDSA(PSA_ALG_ANY_HASH)"},
		{AlgKeyAgreement(AlgECDH, AlgHKDF(AlgSHA256)).String(), "PSA_ALG_KEY_AGREEMENT(PSA_ALG_ECDH, PSA_ALG_HKDF(PSA_ALG_SHA_256))"},
		{AlgRSAPKCS1v15Sign(0).String(), "PSA_ALG_RSA_PKCS1V15_SIGN_RAW"},
		{AlgHMAC(0x02000006).String(), "PSA_ALG_HMAC(0x02000006)"},
		{Algorithm(0x0a000200).String(), "0x0a000200"},
		{AlgBLAKE2MAC(AlgSHA256).String(), "0x03800309"},
		{Algorithm(0x83800009).String(), "0x83800009"},
		{KeyTypeECCKeyPair(ECCFamilySECPR1).String(), "PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1)"},
		{KeyTypeDHPublicKey(0x0b).String(), "PSA_KEY_TYPE_DH_PUBLIC_KEY(0x0b)"},
		{KeyTypeWPA3SAEDH(DHFamilyRFC3526).String(), "PSA_KEY_TYPE_WPA3_SAE_DH(PSA_DH_FAMILY_RFC3526)"},
		{KeyType(0x7300).String(), "0x7300"},
		{(UsageExport | UsageSignHash).String(), "PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_SIGN_HASH"},
		{KeyUsage(0).String(), "0"},
		{(UsageDecrypt | 0x40000000).String(), "PSA_KEY_USAGE_DECRYPT | 0x40000000"},
		{LifetimeFromPersistenceAndLocation(PersistenceDefault, 0x800001).String(), "PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION(PSA_KEY_PERSISTENCE_DEFAULT, 0x800001)"},
		{LifetimePersistent.String(), "PSA_KEY_LIFETIME_PERSISTENT"},
		{LifetimeFromPersistenceAndLocation(2, LocationPrimarySecureElement).String(), "PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION(0x02, PSA_KEY_LOCATION_PRIMARY_SECURE_ELEMENT)"},
		{KeyID(0).String(), "PSA_KEY_ID_NULL"},
		{KeyID(1).String(), "0x00000001"},
		{KeyBits(256).String(), "256"},
		{DerivationInputSecret.String(), "PSA_KEY_DERIVATION_INPUT_SECRET"},
		{PAKEPrimitiveOf(PAKEPrimitiveTypeECC, PAKEFamily(ECCFamilySECPR1), 256).String(), "PSA_PAKE_PRIMITIVE(PSA_PAKE_PRIMITIVE_TYPE_ECC, PSA_ECC_FAMILY_SECP_R1, 256)"},
		{PAKEPrimitiveOf(PAKEPrimitiveTypeDH, PAKEFamily(DHFamilyRFC7919), 2048).String(), "PSA_PAKE_PRIMITIVE(PSA_PAKE_PRIMITIVE_TYPE_DH, PSA_DH_FAMILY_RFC7919, 2048)"},
		{PAKERoleClient.String(), "PSA_PAKE_ROLE_CLIENT"},
		{PAKEStepKeyShare.String(), "PSA_PAKE_STEP_KEY_SHARE"},
		{ErrNotSupported.String(), "PSA_ERROR_NOT_SUPPORTED"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestParseForms(t *testing.T) {
	algs := []struct {
		in   string
		want Algorithm
	}{
		{"PSA_ALG_HMAC( PSA_ALG_SHA_256 )", AlgHMAC(AlgSHA256)},
		{"PSA_ALG_KEY_AGREEMENT(PSA_ALG_ECDH,PSA_ALG_HKDF(PSA_ALG_SHA_384))", AlgKeyAgreement(AlgECDH, AlgHKDF(AlgSHA384))},
		{"PSA_ALG_TRUNCATED_MAC(PSA_ALG_CMAC, 0x0a)", AlgTruncatedMAC(AlgCMAC, 10)},
		{"PSA_ALG_TRUNCATED_MAC(PSA_ALG_TRUNCATED_MAC(PSA_ALG_CMAC, 4), 10)", AlgTruncatedMAC(AlgCMAC, 10)},
		{"PSA_ALG_AT_LEAST_THIS_LENGTH_MAC(PSA_ALG_HMAC(PSA_ALG_SHA_256), 20)", AlgAtLeastThisLengthMAC(AlgHMAC(AlgSHA256), 20)},
		{"PSA_ALG_FULL_LENGTH_MAC(PSA_ALG_TRUNCATED_MAC(PSA_ALG_CMAC, 4))", AlgCMAC},
		{"PSA_ALG_AEAD_WITH_DEFAULT_LENGTH_TAG(PSA_ALG_AEAD_WITH_SHORTENED_TAG(PSA_ALG_CCM, 4))", AlgCCM},
		{"PSA_ALG_ECDSA(PSA_ALG_ANY_HASH)", 0x060006ff},
		{"PSA_ALG_HMAC(PSA_ALG_ANY_HASH)", 0x038000ff},
		{"0x06000609", AlgECDSA(AlgSHA256)},
		{"100664841", AlgECDSA(AlgSHA256)},
		{"(PSA_ALG_SHA_256)", AlgSHA256},
		{"\n PSA_ALG_SHA_256 \n", AlgSHA256},
	}
	for _, c := range algs {
		got, err := ParseAlgorithm(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseAlgorithm(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	if u, err := ParseKeyUsage("PSA_KEY_USAGE_EXPORT|PSA_KEY_USAGE_COPY |  PSA_KEY_USAGE_SIGN_HASH"); err != nil || u != UsageExport|UsageCopy|UsageSignHash {
		t.Errorf("ParseKeyUsage = %v, %v", u, err)
	}
	if l, err := ParseLifetime("PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION(254, 0x123456)"); err != nil || l != 0x123456fe {
		t.Errorf("ParseLifetime = %#x, %v", uint32(l), err)
	}
	if s, err := ParseStatus("-134"); err != nil || s != ErrNotSupported {
		t.Errorf("ParseStatus(-134) = %v, %v", s, err)
	}
	if p, err := ParsePAKEPrimitive("PSA_PAKE_PRIMITIVE(PSA_PAKE_PRIMITIVE_TYPE_ECC, PSA_ECC_FAMILY_SECP_R1, 256)"); err != nil || p != 0x01120100 {
		t.Errorf("ParsePAKEPrimitive = %#x, %v", uint32(p), err)
	}
	if f, err := ParsePAKEFamily("PSA_DH_FAMILY_RFC7919"); err != nil || f != 3 {
		t.Errorf("ParsePAKEFamily = %v, %v", f, err)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		parse func(string) error
		in    string
		msg   string // a part of the message
	}{
		{parseAlg, "PSA_ALG_HMAC(PSA_KEY_TYPE_AES)", "PSA_ALG_HMAC takes a hash algorithm, got PSA_KEY_TYPE_AES (a key type)"},
		{parseAlg, "PSA_ALG_HMAC(PSA_ALG_CMAC)", "got PSA_ALG_CMAC (a MAC algorithm)"},
		{parseAlg, "PSA_ALG_HMAC", "needs an argument"},
		{parseAlg, "PSA_ALG_HMAC(PSA_ALG_SHA_256, PSA_ALG_SHA_256)", "takes 1 argument"},
		{parseAlg, "PSA_ALG_SHA_256(PSA_ALG_SHA_256)", "takes no arguments"},
		{parseAlg, "PSA_ALG_SHA_255", "unknown algorithm"},
		{parseAlg, "PSA_ALG_TRUNCATED_MAC(PSA_ALG_CMAC, 0)", "a length in bytes from 1 to 63"},
		{parseAlg, "PSA_ALG_TRUNCATED_MAC(PSA_ALG_CMAC, 64)", "a length in bytes from 1 to 63"},
		{parseAlg, "PSA_ALG_TRUNCATED_MAC(PSA_ALG_GCM, 8)", "takes a MAC algorithm"},
		{parseAlg, "PSA_ALG_AEAD_WITH_SHORTENED_TAG(PSA_ALG_CMAC, 8)", "takes an AEAD algorithm"},
		{parseAlg, "PSA_ALG_KEY_AGREEMENT(PSA_ALG_HKDF(PSA_ALG_SHA_256), PSA_ALG_ECDH)", "standalone key agreement"},
		{parseAlg, "PSA_ALG_BLAKE2_MAC(PSA_ALG_SHA_256)", "a BLAKE2 hash algorithm"},
		{parseAlg, "0x100000000", "too large"},
		{parseAlg, "010", "cannot start with 0"},
		{parseAlg, "PSA_ALG_SHA_256 | PSA_ALG_SHA_1", "only usage flags"},
		{parseAlg, "PSA_ALG_HMAC(PSA_ALG_SHA_256", "missing ')'"},
		{parseAlg, "", "missing value"},
		{parseAlg, "PSA_ALG_SHA_256 x", "unexpected"},
		{parseAlg, "-1", "must be a number"},
		{parseAlg, strings.Repeat("(", 100) + "1" + strings.Repeat(")", 100), "nested"},
		{parseKT, "PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_DH_FAMILY_RFC7919)", "an elliptic curve family"},
		{parseKT, "PSA_KEY_TYPE_ECC_KEY_PAIR(_)", "only accepted in a key type specification"},
		{parseKT, "PSA_KEY_TYPE_ECC_KEY_PAIR(0x80)", "up to 0x7f"},
		{parseKT, "0x10000", "too large"},
		{parseKT, "PSA_KEY_TYPE_AES(1)", "not a key type macro"},
		{func(s string) error { _, err := ParseKeyUsage(s); return err }, "PSA_KEY_USAGE_EXPORT | PSA_ALG_SHA_256", "unknown usage flag"},
		{func(s string) error { _, err := ParseLifetime(s); return err }, "PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION(256, 0)", "persistence level"},
		{func(s string) error { _, err := ParseLifetime(s); return err }, "PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION(1, 0x1000000)", "location"},
		{func(s string) error { _, err := ParseStatus(s); return err }, "PSA_ERROR_NOPE", "unknown status"},
		{func(s string) error { _, err := ParsePAKEPrimitive(s); return err }, "PSA_PAKE_PRIMITIVE(PSA_PAKE_PRIMITIVE_TYPE_DH, PSA_ECC_FAMILY_SECP_R1, 256)", "takes a family of that type"},
		{func(s string) error { _, err := ParsePAKEPrimitive(s); return err }, "PSA_PAKE_PRIMITIVE(PSA_PAKE_PRIMITIVE_TYPE_ECC, PSA_ECC_FAMILY_SECP_R1, 65536)", "size in bits"},
		{func(s string) error { _, err := ParseECCFamily(s); return err }, "PSA_DH_FAMILY_RFC7919", "a Diffie-Hellman family"},
	}
	for _, c := range cases {
		err := c.parse(c.in)
		if err == nil {
			t.Errorf("%q: no error", c.in)
			continue
		}
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%q: error %v does not wrap ErrInvalidArgument", c.in, err)
		}
		if !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), "parse ") {
			t.Errorf("%q: error %q does not say %q", c.in, err, c.msg)
		}
	}
}

func parseAlg(s string) error { _, err := ParseAlgorithm(s); return err }
func parseKT(s string) error  { _, err := ParseKeyType(s); return err }

func TestKeyTypeSpec(t *testing.T) {
	spec, err := ParseKeyTypeSpec("PSA_KEY_TYPE_ECC_KEY_PAIR( _ )")
	if err != nil {
		t.Fatal(err)
	}
	if !spec.AnyFamily || spec.String() != "PSA_KEY_TYPE_ECC_KEY_PAIR(_)" {
		t.Errorf("spec = %+v, %q", spec, spec.String())
	}
	for _, c := range []struct {
		t    KeyType
		want bool
	}{
		{KeyTypeECCKeyPair(ECCFamilySECPR1), true},
		{KeyTypeECCKeyPair(ECCFamilyMontgomery), true},
		{KeyTypeECCPublicKey(ECCFamilySECPR1), false},
		{KeyTypeSLHDSAKeyPair(SLHDSAFamilySHA2S), false},
		{KeyTypeAES, false},
	} {
		if got := spec.Matches(c.t); got != c.want {
			t.Errorf("%v.Matches(%v) = %v", spec, c.t, got)
		}
	}
	exact, err := ParseKeyTypeSpec("PSA_KEY_TYPE_DH_PUBLIC_KEY(PSA_DH_FAMILY_RFC7919)")
	if err != nil || exact.AnyFamily || !exact.Matches(0x4203) || exact.Matches(0x4205) {
		t.Errorf("exact spec = %+v, %v", exact, err)
	}
	for _, s := range []string{"PSA_KEY_TYPE_AES", "PSA_KEY_TYPE_DH_PUBLIC_KEY(_)", "PSA_KEY_TYPE_WPA3_SAE_ECC(_)", "PSA_KEY_TYPE_SLH_DSA_KEY_PAIR(PSA_SLH_DSA_FAMILY_SHA2_S)"} {
		spec, err := ParseKeyTypeSpec(s)
		if err != nil || spec.String() != s {
			t.Errorf("ParseKeyTypeSpec(%q).String() = %q, %v", s, spec.String(), err)
		}
	}
	if _, err := ParseKeyTypeSpec("PSA_KEY_TYPE_AES(_)"); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("wildcard on a type without family: %v", err)
	}
}

func TestUsageWithImplied(t *testing.T) {
	cases := []struct{ in, want KeyUsage }{
		{UsageSignHash, UsageSignHash | UsageSignMessage},
		{UsageVerifyHash, UsageVerifyHash | UsageVerifyMessage},
		{UsageSignMessage, UsageSignMessage},
		{UsageExport | UsageSignHash | UsageVerifyHash, UsageExport | UsageSignHash | UsageSignMessage | UsageVerifyHash | UsageVerifyMessage},
		{0, 0},
	}
	for _, c := range cases {
		if got := c.in.WithImplied(); got != c.want {
			t.Errorf("(%v).WithImplied() = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestLifetimeAndKeyID(t *testing.T) {
	if !LifetimeVolatile.IsVolatile() || LifetimePersistent.IsVolatile() {
		t.Error("IsVolatile wrong")
	}
	ro := LifetimeFromPersistenceAndLocation(PersistenceReadOnly, 0x123456)
	if !ro.IsReadOnly() || ro.Location() != 0x123456 || !Location(0x800000).IsVendorDefined() || Location(0x7fffff).IsVendorDefined() {
		t.Error("read-only lifetime or vendor location wrong")
	}
	for _, c := range []struct {
		id           KeyID
		user, vendor bool
	}{{0, false, false}, {1, true, false}, {0x3fffffff, true, false}, {0x40000000, false, true}, {0x7fffffff, false, true}, {0x80000000, false, false}} {
		if c.id.IsUser() != c.user || c.id.IsVendor() != c.vendor {
			t.Errorf("key ID %#x: IsUser %v IsVendor %v", uint32(c.id), c.id.IsUser(), c.id.IsVendor())
		}
	}
}
