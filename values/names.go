package values

import (
	"strconv"
	"strings"
)

// This file holds the one table of PSA names per category. String methods
// and Parse functions both read these tables, so they cannot disagree.

type named[T comparable] struct {
	name  string
	value T
}

// nameTable indexes one category's names both ways. It is built once at
// package initialization and never written again, so concurrent readers
// need no locking.
type nameTable[T comparable] struct {
	entries []named[T]
	byName  map[string]T
	byValue map[T]string
}

func newNameTable[T comparable](entries []named[T]) *nameTable[T] {
	t := &nameTable[T]{
		entries: entries,
		byName:  make(map[string]T, len(entries)),
		byValue: make(map[T]string, len(entries)),
	}
	for _, e := range entries {
		if _, dup := t.byName[e.name]; dup {
			panic("values: duplicate name " + e.name)
		}
		t.byName[e.name] = e.value
		if _, ok := t.byValue[e.value]; !ok {
			t.byValue[e.value] = e.name // the first name of a value is its canonical name
		}
	}
	return t
}

var algorithmNames = newNameTable([]named[Algorithm]{
	{"PSA_ALG_NONE", AlgNone},
	{"PSA_ALG_MD2", AlgMD2},
	{"PSA_ALG_MD4", AlgMD4},
	{"PSA_ALG_MD5", AlgMD5},
	{"PSA_ALG_RIPEMD160", AlgRIPEMD160},
	{"PSA_ALG_AES_MMO_ZIGBEE", AlgAESMMOZigbee},
	{"PSA_ALG_SHA_1", AlgSHA1},
	{"PSA_ALG_SHA_224", AlgSHA224},
	{"PSA_ALG_SHA_256", AlgSHA256},
	{"PSA_ALG_SHA_384", AlgSHA384},
	{"PSA_ALG_SHA_512", AlgSHA512},
	{"PSA_ALG_SHA_512_224", AlgSHA512_224},
	{"PSA_ALG_SHA_512_256", AlgSHA512_256},
	{"PSA_ALG_SHA_256_192", AlgSHA256_192},
	{"PSA_ALG_SHA3_224", AlgSHA3_224},
	{"PSA_ALG_SHA3_256", AlgSHA3_256},
	{"PSA_ALG_SHA3_384", AlgSHA3_384},
	{"PSA_ALG_SHA3_512", AlgSHA3_512},
	{"PSA_ALG_SHAKE256_512", AlgSHAKE256_512},
	{"PSA_ALG_SHAKE128_256", AlgSHAKE128_256},
	{"PSA_ALG_SHAKE256_192", AlgSHAKE256_192},
	{"PSA_ALG_SHAKE256_256", AlgSHAKE256_256},
	{"PSA_ALG_SM3", AlgSM3},
	{"PSA_ALG_ASCON_HASH256", AlgAsconHash256},
	{"PSA_ALG_BLAKE2S_HASH256", AlgBLAKE2sHash256},
	{"PSA_ALG_BLAKE2SP_HASH256", AlgBLAKE2spHash256},
	{"PSA_ALG_BLAKE2B_HASH512", AlgBLAKE2bHash512},
	{"PSA_ALG_BLAKE2BP_HASH512", AlgBLAKE2bpHash512},
	{"PSA_ALG_ANY_HASH", AlgAnyHash},
	{"PSA_ALG_SHAKE128", AlgSHAKE128},
	{"PSA_ALG_SHAKE256", AlgSHAKE256},
	{"PSA_ALG_ASCON_XOF128", AlgAsconXOF128},
	{"PSA_ALG_ASCON_CXOF128", AlgAsconCXOF128},
	{"PSA_ALG_CBC_MAC", AlgCBCMAC},
	{"PSA_ALG_CMAC", AlgCMAC},
	{"PSA_ALG_STREAM_CIPHER", AlgStreamCipher},
	{"PSA_ALG_CTR", AlgCTR},
	{"PSA_ALG_CFB", AlgCFB},
	{"PSA_ALG_OFB", AlgOFB},
	{"PSA_ALG_CCM_STAR_NO_TAG", AlgCCMStarNoTag},
	{"PSA_ALG_CCM_STAR_ANY_TAG", AlgCCMStarAnyTag},
	{"PSA_ALG_XTS", AlgXTS},
	{"PSA_ALG_CBC_NO_PADDING", AlgCBCNoPadding},
	{"PSA_ALG_CBC_PKCS7", AlgCBCPKCS7},
	{"PSA_ALG_ECB_NO_PADDING", AlgECBNoPadding},
	{"PSA_ALG_CCM", AlgCCM},
	{"PSA_ALG_GCM", AlgGCM},
	{"PSA_ALG_CHACHA20_POLY1305", AlgChaCha20Poly1305},
	{"PSA_ALG_XCHACHA20_POLY1305", AlgXChaCha20Poly1305},
	{"PSA_ALG_ASCON_AEAD128", AlgAsconAEAD128},
	{"PSA_ALG_KW", AlgKW},
	{"PSA_ALG_KWP", AlgKWP},
	{"PSA_ALG_TLS12_ECJPAKE_TO_PMS", AlgTLS12ECJPAKEToPMS},
	{"PSA_ALG_SP800_108_COUNTER_CMAC", AlgSP800_108CounterCMAC},
	{"PSA_ALG_PBKDF2_AES_CMAC_PRF_128", AlgPBKDF2AESCMACPRF128},
	{"PSA_ALG_RSA_PKCS1V15_SIGN_RAW", AlgRSAPKCS1v15SignRaw},
	{"PSA_ALG_ECDSA_ANY", AlgECDSAAny},
	{"PSA_ALG_PURE_EDDSA", AlgPureEdDSA},
	{"PSA_ALG_ED25519PH", AlgEd25519ph},
	{"PSA_ALG_ED448PH", AlgEd448ph},
	{"PSA_ALG_EDDSA_CTX", AlgEdDSACtx},
	{"PSA_ALG_SLH_DSA", AlgSLHDSA},
	{"PSA_ALG_DETERMINISTIC_SLH_DSA", AlgDeterministicSLHDSA},
	{"PSA_ALG_ML_DSA", AlgMLDSA},
	{"PSA_ALG_DETERMINISTIC_ML_DSA", AlgDeterministicMLDSA},
	{"PSA_ALG_LMS", AlgLMS},
	{"PSA_ALG_HSS", AlgHSS},
	{"PSA_ALG_XMSS", AlgXMSS},
	{"PSA_ALG_XMSS_MT", AlgXMSSMT},
	{"PSA_ALG_RSA_PKCS1V15_CRYPT", AlgRSAPKCS1v15Crypt},
	{"PSA_ALG_FFDH", AlgFFDH},
	{"PSA_ALG_ECDH", AlgECDH},
	{"PSA_ALG_ECIES_SEC1", AlgECIESSEC1},
	{"PSA_ALG_ML_KEM", AlgMLKEM},
	{"PSA_ALG_SPAKE2P_MATTER", AlgSPAKE2PMatter},
	{"PSA_ALG_WPA3_SAE_ANY", AlgWPA3SAEAny},
})

// hashArgRule says which hash algorithms a constructor accepts.
type hashArgRule uint8

// Every hash constructor accepts PSA_ALG_ANY_HASH: the specification
// gives it a meaning only in hash-and-sign policies, but test data uses it
// elsewhere to check that it permits nothing there, so it must parse.
const (
	hashArgAny    hashArgRule = iota // any hash algorithm, or PSA_ALG_ANY_HASH
	hashArgBLAKE2                    // a BLAKE2 hash
)

func (r hashArgRule) accepts(h Algorithm) bool {
	if h&^algHashMask != algCatHash || h&algHashMask == 0 {
		return false
	}
	if r == hashArgBLAKE2 {
		return h.IsBLAKE2Hash()
	}
	return true
}

func (r hashArgRule) describe() string {
	if r == hashArgBLAKE2 {
		return "a BLAKE2 hash algorithm"
	}
	return "a hash algorithm"
}

type hashCtor struct {
	name string
	base Algorithm
	rule hashArgRule
}

// algorithmHashCtors lists the algorithm macros with one hash parameter.
var algorithmHashCtors = []hashCtor{
	{"PSA_ALG_HMAC", algBaseHMAC, hashArgAny},
	{"PSA_ALG_BLAKE2_MAC", algBaseBLAKE2MAC, hashArgBLAKE2},
	{"PSA_ALG_RSA_PKCS1V15_SIGN", algBaseRSAPKCS1v15Sign, hashArgAny},
	{"PSA_ALG_RSA_PSS", algBaseRSAPSS, hashArgAny},
	{"PSA_ALG_RSA_PSS_ANY_SALT", algBaseRSAPSSAnySalt, hashArgAny},
	{"PSA_ALG_ECDSA", algBaseECDSA, hashArgAny},
	{"PSA_ALG_DETERMINISTIC_ECDSA", algBaseDeterministicECDSA, hashArgAny},
	{"PSA_ALG_HASH_SLH_DSA", algBaseHashSLHDSA, hashArgAny},
	{"PSA_ALG_DETERMINISTIC_HASH_SLH_DSA", algBaseDeterministicHashSLHDSA, hashArgAny},
	{"PSA_ALG_HASH_ML_DSA", algBaseHashMLDSA, hashArgAny},
	{"PSA_ALG_DETERMINISTIC_HASH_ML_DSA", algBaseDeterministicHashMLDSA, hashArgAny},
	{"PSA_ALG_RSA_OAEP", algBaseRSAOAEP, hashArgAny},
	{"PSA_ALG_HKDF", algBaseHKDF, hashArgAny},
	{"PSA_ALG_HKDF_EXTRACT", algBaseHKDFExtract, hashArgAny},
	{"PSA_ALG_HKDF_EXPAND", algBaseHKDFExpand, hashArgAny},
	{"PSA_ALG_TLS12_PRF", algBaseTLS12PRF, hashArgAny},
	{"PSA_ALG_TLS12_PSK_TO_MS", algBaseTLS12PSKToMS, hashArgAny},
	{"PSA_ALG_SP800_108_COUNTER_HMAC", algBaseSP800_108CounterHMAC, hashArgAny},
	{"PSA_ALG_PBKDF2_HMAC", algBasePBKDF2HMAC, hashArgAny},
	{"PSA_ALG_WPA3_SAE_H2E", algBaseWPA3SAEH2E, hashArgAny},
	{"PSA_ALG_JPAKE", algBaseJPAKE, hashArgAny},
	{"PSA_ALG_SPAKE2P_HMAC", algBaseSPAKE2PHMAC, hashArgAny},
	{"PSA_ALG_SPAKE2P_CMAC", algBaseSPAKE2PCMAC, hashArgAny},
	{"PSA_ALG_WPA3_SAE_FIXED", algBaseWPA3SAEFixed, hashArgAny},
	{"PSA_ALG_WPA3_SAE_GDH", algBaseWPA3SAEGDH, hashArgAny},
}

// Names of the other function-like algorithm macros.
const (
	nameTruncatedMAC       = "PSA_ALG_TRUNCATED_MAC"
	nameFullLengthMAC      = "PSA_ALG_FULL_LENGTH_MAC"
	nameAtLeastMAC         = "PSA_ALG_AT_LEAST_THIS_LENGTH_MAC"
	nameShortenedTag       = "PSA_ALG_AEAD_WITH_SHORTENED_TAG"
	nameDefaultLengthTag   = "PSA_ALG_AEAD_WITH_DEFAULT_LENGTH_TAG"
	nameAtLeastTag         = "PSA_ALG_AEAD_WITH_AT_LEAST_THIS_LENGTH_TAG"
	nameKeyAgreement       = "PSA_ALG_KEY_AGREEMENT"
	nameLifetimeFromPandL  = "PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION"
	namePAKEPrimitive      = "PSA_PAKE_PRIMITIVE"
	maxLengthField         = 0x3f
	lengthFieldDescription = "a length in bytes from 1 to 63"
)

var hashCtorByBase = func() map[Algorithm]*hashCtor {
	m := make(map[Algorithm]*hashCtor, len(algorithmHashCtors))
	for i := range algorithmHashCtors {
		m[algorithmHashCtors[i].base] = &algorithmHashCtors[i]
	}
	return m
}()

var hashCtorByName = func() map[string]*hashCtor {
	m := make(map[string]*hashCtor, len(algorithmHashCtors))
	for i := range algorithmHashCtors {
		m[algorithmHashCtors[i].name] = &algorithmHashCtors[i]
	}
	return m
}()

// String returns the PSA name of a as a C macro expression, such as
// "PSA_ALG_HMAC(PSA_ALG_SHA_256)", or its encoding as a hex literal
// ("0x0a000200") if it has no name. ParseAlgorithm accepts the result.
func (a Algorithm) String() string {
	var b strings.Builder
	b.Grow(48) // enough for all but nested constructors, in one allocation
	a.appendName(&b)
	return b.String()
}

func (a Algorithm) appendName(b *strings.Builder) {
	if n, ok := algorithmNames.byValue[a]; ok {
		b.WriteString(n)
		return
	}
	switch {
	case a.IsMAC() && a&algLengthAndFlag != 0:
		if n := a.lengthField(); n != 0 {
			name := nameTruncatedMAC
			if a&algAtLeastFlag != 0 {
				name = nameAtLeastMAC
			}
			appendCall2(b, name, AlgFullLengthMAC(a), n)
			return
		}
	case a.IsAEAD() && AlgAEADWithDefaultLengthTag(a) != AlgNone:
		if n := a.lengthField(); n != 0 {
			name := nameShortenedTag
			if a&algAtLeastFlag != 0 {
				name = nameAtLeastTag
			}
			appendCall2(b, name, AlgAEADWithDefaultLengthTag(a), n)
			return
		}
	case a.IsKeyAgreement() && a&algKAKDFFields != 0:
		b.WriteString(nameKeyAgreement)
		b.WriteByte('(')
		a.KeyAgreementBase().appendName(b)
		b.WriteString(", ")
		a.KeyAgreementKDF().appendName(b)
		b.WriteByte(')')
		return
	default:
		if c := hashCtorByBase[a&^algHashMask]; c != nil && c.rule.accepts(a.Hash()) {
			b.WriteString(c.name)
			b.WriteByte('(')
			a.Hash().appendName(b)
			b.WriteByte(')')
			return
		}
	}
	appendHex(b, uint64(a), 8)
}

func appendCall2(b *strings.Builder, name string, alg Algorithm, n int) {
	b.WriteString(name)
	b.WriteByte('(')
	alg.appendName(b)
	b.WriteString(", ")
	b.WriteString(strconv.Itoa(n))
	b.WriteByte(')')
}

func appendHex(b *strings.Builder, v uint64, digits int) {
	var buf [18]byte
	s := strconv.AppendUint(buf[:0], v, 16)
	b.WriteString("0x")
	for i := len(s); i < digits; i++ {
		b.WriteByte('0')
	}
	b.Write(s)
}

func hexString(v uint64, digits int) string {
	var b strings.Builder
	appendHex(&b, v, digits)
	return b.String()
}

var keyTypeNames = newNameTable([]named[KeyType]{
	{"PSA_KEY_TYPE_NONE", KeyTypeNone},
	{"PSA_KEY_TYPE_RAW_DATA", KeyTypeRawData},
	{"PSA_KEY_TYPE_HMAC", KeyTypeHMAC},
	{"PSA_KEY_TYPE_BLAKE2", KeyTypeBLAKE2},
	{"PSA_KEY_TYPE_DERIVE", KeyTypeDerive},
	{"PSA_KEY_TYPE_PASSWORD", KeyTypePassword},
	{"PSA_KEY_TYPE_PASSWORD_HASH", KeyTypePasswordHash},
	{"PSA_KEY_TYPE_PEPPER", KeyTypePepper},
	{"PSA_KEY_TYPE_ARC4", KeyTypeARC4},
	{"PSA_KEY_TYPE_CHACHA20", KeyTypeChaCha20},
	{"PSA_KEY_TYPE_XCHACHA20", KeyTypeXChaCha20},
	{"PSA_KEY_TYPE_ASCON", KeyTypeAscon},
	{"PSA_KEY_TYPE_DES", KeyTypeDES},
	{"PSA_KEY_TYPE_AES", KeyTypeAES},
	{"PSA_KEY_TYPE_CAMELLIA", KeyTypeCamellia},
	{"PSA_KEY_TYPE_SM4", KeyTypeSM4},
	{"PSA_KEY_TYPE_ARIA", KeyTypeARIA},
	{"PSA_KEY_TYPE_RSA_PUBLIC_KEY", KeyTypeRSAPublicKey},
	{"PSA_KEY_TYPE_RSA_KEY_PAIR", KeyTypeRSAKeyPair},
	{"PSA_KEY_TYPE_ML_DSA_PUBLIC_KEY", KeyTypeMLDSAPublicKey},
	{"PSA_KEY_TYPE_ML_DSA_KEY_PAIR", KeyTypeMLDSAKeyPair},
	{"PSA_KEY_TYPE_ML_KEM_PUBLIC_KEY", KeyTypeMLKEMPublicKey},
	{"PSA_KEY_TYPE_ML_KEM_KEY_PAIR", KeyTypeMLKEMKeyPair},
	{"PSA_KEY_TYPE_LMS_PUBLIC_KEY", KeyTypeLMSPublicKey},
	{"PSA_KEY_TYPE_HSS_PUBLIC_KEY", KeyTypeHSSPublicKey},
	{"PSA_KEY_TYPE_XMSS_PUBLIC_KEY", KeyTypeXMSSPublicKey},
	{"PSA_KEY_TYPE_XMSS_MT_PUBLIC_KEY", KeyTypeXMSSMTPublicKey},
})

// familyKind says which family type a key-type constructor takes.
type familyKind uint8

const (
	familyECC familyKind = iota
	familyDH
	familySLHDSA
)

func (k familyKind) describe() string {
	switch k {
	case familyDH:
		return "a Diffie-Hellman family (PSA_DH_FAMILY_*)"
	case familySLHDSA:
		return "an SLH-DSA family (PSA_SLH_DSA_FAMILY_*)"
	}
	return "an elliptic curve family (PSA_ECC_FAMILY_*)"
}

func (k familyKind) name(f uint8) string {
	switch k {
	case familyDH:
		return DHFamily(f).String()
	case familySLHDSA:
		return SLHDSAFamily(f).String()
	}
	return ECCFamily(f).String()
}

type keyTypeCtor struct {
	name   string
	base   KeyType
	family familyKind
}

// keyTypeCtors lists the key-type macros with a family parameter. Each
// family occupies the low 7 bits under a base selected by keyTypeFamilyBase.
var keyTypeCtors = []keyTypeCtor{
	{"PSA_KEY_TYPE_ECC_KEY_PAIR", keyTypeECCKeyPairBase, familyECC},
	{"PSA_KEY_TYPE_ECC_PUBLIC_KEY", keyTypeECCPublicKeyBase, familyECC},
	{"PSA_KEY_TYPE_DH_KEY_PAIR", keyTypeDHKeyPairBase, familyDH},
	{"PSA_KEY_TYPE_DH_PUBLIC_KEY", keyTypeDHPublicKeyBase, familyDH},
	{"PSA_KEY_TYPE_SLH_DSA_KEY_PAIR", keyTypeSLHDSAKeyPairBase, familySLHDSA},
	{"PSA_KEY_TYPE_SLH_DSA_PUBLIC_KEY", keyTypeSLHDSAPublicKeyBase, familySLHDSA},
	{"PSA_KEY_TYPE_SPAKE2P_KEY_PAIR", keyTypeSPAKE2PKeyPairBase, familyECC},
	{"PSA_KEY_TYPE_SPAKE2P_PUBLIC_KEY", keyTypeSPAKE2PPublicKeyBase, familyECC},
	{"PSA_KEY_TYPE_WPA3_SAE_ECC", keyTypeWPA3SAEECCBase, familyECC},
	{"PSA_KEY_TYPE_WPA3_SAE_DH", keyTypeWPA3SAEDHBase, familyDH},
}

func keyTypeCtorByBase(base KeyType) *keyTypeCtor {
	for i := range keyTypeCtors {
		if keyTypeCtors[i].base == base {
			return &keyTypeCtors[i]
		}
	}
	return nil
}

func keyTypeCtorByName(name string) *keyTypeCtor {
	for i := range keyTypeCtors {
		if keyTypeCtors[i].name == name {
			return &keyTypeCtors[i]
		}
	}
	return nil
}

// String returns the PSA name of t, such as "PSA_KEY_TYPE_AES" or
// "PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1)", or its encoding as
// a hex literal ("0x7300") if it has no name.
func (t KeyType) String() string {
	if n, ok := keyTypeNames.byValue[t]; ok {
		return n
	}
	if c := keyTypeCtorByBase(t & keyTypeFamilyBase); c != nil {
		return c.name + "(" + c.family.name(t.family()) + ")"
	}
	return hexString(uint64(t), 4)
}

var eccFamilyNames = newNameTable([]named[ECCFamily]{
	{"PSA_ECC_FAMILY_SECP_K1", ECCFamilySECPK1},
	{"PSA_ECC_FAMILY_SECP_R1", ECCFamilySECPR1},
	{"PSA_ECC_FAMILY_SECP_R2", ECCFamilySECPR2},
	{"PSA_ECC_FAMILY_SECT_K1", ECCFamilySECTK1},
	{"PSA_ECC_FAMILY_SECT_R1", ECCFamilySECTR1},
	{"PSA_ECC_FAMILY_SECT_R2", ECCFamilySECTR2},
	{"PSA_ECC_FAMILY_BRAINPOOL_P_R1", ECCFamilyBrainpoolPR1},
	{"PSA_ECC_FAMILY_FRP", ECCFamilyFRP},
	{"PSA_ECC_FAMILY_MONTGOMERY", ECCFamilyMontgomery},
	{"PSA_ECC_FAMILY_TWISTED_EDWARDS", ECCFamilyTwistedEdwards},
})

var dhFamilyNames = newNameTable([]named[DHFamily]{
	{"PSA_DH_FAMILY_RFC7919", DHFamilyRFC7919},
	{"PSA_DH_FAMILY_RFC3526", DHFamilyRFC3526},
})

var slhdsaFamilyNames = newNameTable([]named[SLHDSAFamily]{
	{"PSA_SLH_DSA_FAMILY_SHA2_S", SLHDSAFamilySHA2S},
	{"PSA_SLH_DSA_FAMILY_SHA2_F", SLHDSAFamilySHA2F},
	{"PSA_SLH_DSA_FAMILY_SHAKE_S", SLHDSAFamilySHAKES},
	{"PSA_SLH_DSA_FAMILY_SHAKE_F", SLHDSAFamilySHAKEF},
})

func nameOrHex[T ~uint8 | ~uint16 | ~uint32](t *nameTable[T], v T, digits int) string {
	if n, ok := t.byValue[v]; ok {
		return n
	}
	return hexString(uint64(v), digits)
}

// String returns the PSA name of f, such as "PSA_ECC_FAMILY_SECP_R1", or
// a hex literal ("0x2d") if it has no name.
func (f ECCFamily) String() string { return nameOrHex(eccFamilyNames, f, 2) }

// String returns the PSA name of f, such as "PSA_DH_FAMILY_RFC7919", or a
// hex literal if it has no name.
func (f DHFamily) String() string { return nameOrHex(dhFamilyNames, f, 2) }

// String returns the PSA name of f, such as "PSA_SLH_DSA_FAMILY_SHA2_S",
// or a hex literal if it has no name.
func (f SLHDSAFamily) String() string { return nameOrHex(slhdsaFamilyNames, f, 2) }

// usageNames is in bit order, which is the order String prints flags in.
var usageNames = newNameTable([]named[KeyUsage]{
	{"PSA_KEY_USAGE_EXPORT", UsageExport},
	{"PSA_KEY_USAGE_COPY", UsageCopy},
	{"PSA_KEY_USAGE_CACHE", UsageCache},
	{"PSA_KEY_USAGE_DERIVE_PUBLIC", UsageDerivePublic},
	{"PSA_KEY_USAGE_ENCRYPT", UsageEncrypt},
	{"PSA_KEY_USAGE_DECRYPT", UsageDecrypt},
	{"PSA_KEY_USAGE_SIGN_MESSAGE", UsageSignMessage},
	{"PSA_KEY_USAGE_VERIFY_MESSAGE", UsageVerifyMessage},
	{"PSA_KEY_USAGE_SIGN_HASH", UsageSignHash},
	{"PSA_KEY_USAGE_VERIFY_HASH", UsageVerifyHash},
	{"PSA_KEY_USAGE_DERIVE", UsageDerive},
	{"PSA_KEY_USAGE_VERIFY_DERIVATION", UsageVerifyDerivation},
	{"PSA_KEY_USAGE_WRAP", UsageWrap},
	{"PSA_KEY_USAGE_UNWRAP", UsageUnwrap},
})

// String returns the flags of u joined by " | ", such as
// "PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_SIGN_HASH", with any bits that
// have no name as a final hex literal, or "0" for no flag.
func (u KeyUsage) String() string {
	if u == 0 {
		return "0"
	}
	var b strings.Builder
	rest := u
	for _, e := range usageNames.entries {
		if u&e.value != 0 {
			if b.Len() > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(e.name)
			rest &^= e.value
		}
	}
	if rest != 0 {
		if b.Len() > 0 {
			b.WriteString(" | ")
		}
		appendHex(&b, uint64(rest), 8)
	}
	return b.String()
}

var lifetimeNames = newNameTable([]named[Lifetime]{
	{"PSA_KEY_LIFETIME_VOLATILE", LifetimeVolatile},
	{"PSA_KEY_LIFETIME_PERSISTENT", LifetimePersistent},
})

var persistenceNames = newNameTable([]named[Persistence]{
	{"PSA_KEY_PERSISTENCE_VOLATILE", PersistenceVolatile},
	{"PSA_KEY_PERSISTENCE_DEFAULT", PersistenceDefault},
	{"PSA_KEY_PERSISTENCE_READ_ONLY", PersistenceReadOnly},
})

var locationNames = newNameTable([]named[Location]{
	{"PSA_KEY_LOCATION_LOCAL_STORAGE", LocationLocalStorage},
	{"PSA_KEY_LOCATION_PRIMARY_SECURE_ELEMENT", LocationPrimarySecureElement},
})

// String returns the PSA name of l: "PSA_KEY_LIFETIME_VOLATILE",
// "PSA_KEY_LIFETIME_PERSISTENT", or
// "PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION(p, loc)".
func (l Lifetime) String() string {
	if n, ok := lifetimeNames.byValue[l]; ok {
		return n
	}
	return nameLifetimeFromPandL + "(" + l.Persistence().String() + ", " + l.Location().String() + ")"
}

// String returns the PSA name of p, such as "PSA_KEY_PERSISTENCE_DEFAULT",
// or a hex literal ("0x02") if it has no name.
func (p Persistence) String() string { return nameOrHex(persistenceNames, p, 2) }

// String returns the PSA name of loc, such as
// "PSA_KEY_LOCATION_LOCAL_STORAGE", or a hex literal ("0x800001") if it
// has no name.
func (loc Location) String() string { return nameOrHex(locationNames, loc, 6) }

// keyIDNames are range bounds; only PSA_KEY_ID_NULL names a key, so String
// prints only that name and the others are accepted by ParseKeyID.
var keyIDNames = newNameTable([]named[KeyID]{
	{"PSA_KEY_ID_NULL", KeyIDNull},
	{"PSA_KEY_ID_USER_MIN", KeyIDUserMin},
	{"PSA_KEY_ID_USER_MAX", KeyIDUserMax},
	{"PSA_KEY_ID_VENDOR_MIN", KeyIDVendorMin},
	{"PSA_KEY_ID_VENDOR_MAX", KeyIDVendorMax},
})

// String returns "PSA_KEY_ID_NULL" for the null identifier and a hex
// literal ("0x00000001") for any other. The range names
// (PSA_KEY_ID_USER_MIN, ...) are bounds, not names of keys, so they are
// not printed, but ParseKeyID accepts them.
func (id KeyID) String() string {
	if id == KeyIDNull {
		return "PSA_KEY_ID_NULL"
	}
	return hexString(uint64(id), 8)
}

// String returns the size in bits as a decimal number.
func (b KeyBits) String() string { return strconv.Itoa(int(b)) }

var derivationStepNames = newNameTable([]named[DerivationStep]{
	{"PSA_KEY_DERIVATION_INPUT_SECRET", DerivationInputSecret},
	{"PSA_KEY_DERIVATION_INPUT_PASSWORD", DerivationInputPassword},
	{"PSA_KEY_DERIVATION_INPUT_OTHER_SECRET", DerivationInputOtherSecret},
	{"PSA_KEY_DERIVATION_INPUT_LABEL", DerivationInputLabel},
	{"PSA_KEY_DERIVATION_INPUT_SALT", DerivationInputSalt},
	{"PSA_KEY_DERIVATION_INPUT_INFO", DerivationInputInfo},
	{"PSA_KEY_DERIVATION_INPUT_SEED", DerivationInputSeed},
	{"PSA_KEY_DERIVATION_INPUT_COST", DerivationInputCost},
	{"PSA_KEY_DERIVATION_INPUT_CONTEXT", DerivationInputContext},
})

// String returns the PSA name of s, such as
// "PSA_KEY_DERIVATION_INPUT_SECRET", or a hex literal if it has no name.
func (s DerivationStep) String() string { return nameOrHex(derivationStepNames, s, 4) }

var pakePrimitiveTypeNames = newNameTable([]named[PAKEPrimitiveType]{
	{"PSA_PAKE_PRIMITIVE_TYPE_ECC", PAKEPrimitiveTypeECC},
	{"PSA_PAKE_PRIMITIVE_TYPE_DH", PAKEPrimitiveTypeDH},
})

var pakeRoleNames = newNameTable([]named[PAKERole]{
	{"PSA_PAKE_ROLE_NONE", PAKERoleNone},
	{"PSA_PAKE_ROLE_FIRST", PAKERoleFirst},
	{"PSA_PAKE_ROLE_SECOND", PAKERoleSecond},
	{"PSA_PAKE_ROLE_CLIENT", PAKERoleClient},
	{"PSA_PAKE_ROLE_SERVER", PAKERoleServer},
})

var pakeStepNames = newNameTable([]named[PAKEStep]{
	{"PSA_PAKE_STEP_KEY_SHARE", PAKEStepKeyShare},
	{"PSA_PAKE_STEP_ZK_PUBLIC", PAKEStepZKPublic},
	{"PSA_PAKE_STEP_ZK_PROOF", PAKEStepZKProof},
	{"PSA_PAKE_STEP_CONFIRM", PAKEStepConfirm},
	{"PSA_PAKE_STEP_SALT", PAKEStepSalt},
	{"PSA_PAKE_STEP_COMMIT", PAKEStepCommit},
	{"PSA_PAKE_STEP_CONFIRM_COUNT", PAKEStepConfirmCount},
	{"PSA_PAKE_STEP_KEY_ID", PAKEStepKeyID},
})

// String returns the PSA name of t, such as "PSA_PAKE_PRIMITIVE_TYPE_ECC",
// or a hex literal if it has no name.
func (t PAKEPrimitiveType) String() string { return nameOrHex(pakePrimitiveTypeNames, t, 2) }

// String returns f as a hex literal: a family has a name only together
// with its primitive type, which PAKEPrimitive.String prints.
func (f PAKEFamily) String() string { return hexString(uint64(f), 2) }

// String returns the PSA name of r, such as "PSA_PAKE_ROLE_CLIENT", or a
// hex literal if it has no name.
func (r PAKERole) String() string { return nameOrHex(pakeRoleNames, r, 2) }

// String returns the PSA name of s, such as "PSA_PAKE_STEP_KEY_SHARE", or
// a hex literal if it has no name.
func (s PAKEStep) String() string { return nameOrHex(pakeStepNames, s, 2) }

// String returns p as "PSA_PAKE_PRIMITIVE(type, family, bits)", with the
// family named after the primitive type, such as
// "PSA_PAKE_PRIMITIVE(PSA_PAKE_PRIMITIVE_TYPE_ECC, PSA_ECC_FAMILY_SECP_R1, 256)",
// or a hex literal if its type is 0.
func (p PAKEPrimitive) String() string {
	if p.Type() == 0 {
		return hexString(uint64(p), 8)
	}
	var fam string
	switch p.Type() {
	case PAKEPrimitiveTypeECC:
		fam = ECCFamily(p.Family()).String()
	case PAKEPrimitiveTypeDH:
		fam = DHFamily(p.Family()).String()
	default:
		fam = p.Family().String()
	}
	return namePAKEPrimitive + "(" + p.Type().String() + ", " + fam + ", " + strconv.Itoa(p.Bits()) + ")"
}
