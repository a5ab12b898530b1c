package values

// Bit fields of an algorithm identifier (PSA Crypto API 1.5, appendix B.1).
const (
	algVendorFlag    Algorithm = 0x80000000
	algCategoryMask  Algorithm = 0x7f000000
	algHashMask      Algorithm = 0x000000ff
	algLengthMask    Algorithm = 0x003f0000 // LEN of a MAC or AEAD tag
	algLengthShift             = 16
	algAtLeastFlag   Algorithm = 0x00008000 // W: at-least-this-length wildcard
	algLengthAndFlag           = algLengthMask | algAtLeastFlag
	algKAKDFMask     Algorithm = 0xfe80ffff // KDF part of a combined key agreement
	algKABaseMask    Algorithm = 0xff7f0000 // key-agreement part of a combined key agreement
	algKAKDFFields   Algorithm = 0x0080ffff // non-zero iff a KDF is combined in

	algCatHash      Algorithm = 0x02000000
	algCatMAC       Algorithm = 0x03000000
	algCatCipher    Algorithm = 0x04000000
	algCatAEAD      Algorithm = 0x05000000
	algCatSign      Algorithm = 0x06000000
	algCatAsymEnc   Algorithm = 0x07000000
	algCatKDF       Algorithm = 0x08000000
	algCatKA        Algorithm = 0x09000000
	algCatPAKE      Algorithm = 0x0a000000
	algCatKeyWrap   Algorithm = 0x0b000000
	algCatKEM       Algorithm = 0x0c000000
	algCatXOF       Algorithm = 0x0d000000
	algDefaultTag16 Algorithm = 16 << algLengthShift
)

// AlgNone is the absence of an algorithm (PSA_ALG_NONE).
const AlgNone Algorithm = 0

// Hash algorithms.
const (
	AlgMD2             Algorithm = 0x02000001
	AlgMD4             Algorithm = 0x02000002
	AlgMD5             Algorithm = 0x02000003
	AlgRIPEMD160       Algorithm = 0x02000004
	AlgSHA1            Algorithm = 0x02000005
	AlgAESMMOZigbee    Algorithm = 0x02000007
	AlgSHA224          Algorithm = 0x02000008
	AlgSHA256          Algorithm = 0x02000009
	AlgSHA384          Algorithm = 0x0200000a
	AlgSHA512          Algorithm = 0x0200000b
	AlgSHA512_224      Algorithm = 0x0200000c
	AlgSHA512_256      Algorithm = 0x0200000d
	AlgSHA256_192      Algorithm = 0x0200000e
	AlgSHA3_224        Algorithm = 0x02000010
	AlgSHA3_256        Algorithm = 0x02000011
	AlgSHA3_384        Algorithm = 0x02000012
	AlgSHA3_512        Algorithm = 0x02000013
	AlgSM3             Algorithm = 0x02000014
	AlgSHAKE256_512    Algorithm = 0x02000015
	AlgSHAKE128_256    Algorithm = 0x02000016
	AlgSHAKE256_192    Algorithm = 0x02000017
	AlgSHAKE256_256    Algorithm = 0x02000018
	AlgAsconHash256    Algorithm = 0x02000019
	AlgBLAKE2sHash256  Algorithm = 0x0200001c
	AlgBLAKE2spHash256 Algorithm = 0x0200001d
	AlgBLAKE2bHash512  Algorithm = 0x0200001e
	AlgBLAKE2bpHash512 Algorithm = 0x0200001f

	// AlgAnyHash is the hash wildcard of a signature policy
	// (PSA_ALG_ANY_HASH), as in AlgECDSA(AlgAnyHash). It is not a hash
	// algorithm that an operation can use.
	AlgAnyHash Algorithm = 0x020000ff
)

// Extendable-output functions.
const (
	AlgSHAKE128      Algorithm = 0x0d000100
	AlgSHAKE256      Algorithm = 0x0d000200
	AlgAsconXOF128   Algorithm = 0x0d000300
	AlgAsconCXOF128  Algorithm = 0x0d008300
	algXOFHasContext Algorithm = 0x00008000
)

// MAC algorithms over a block cipher; the cipher comes from the key type.
const (
	AlgCBCMAC Algorithm = 0x03c00100
	AlgCMAC   Algorithm = 0x03c00200
)

// Unauthenticated ciphers.
const (
	AlgStreamCipher  Algorithm = 0x04800100
	AlgCTR           Algorithm = 0x04c01000
	AlgCFB           Algorithm = 0x04c01100
	AlgOFB           Algorithm = 0x04c01200
	AlgCCMStarNoTag  Algorithm = 0x04c01300
	AlgCCMStarAnyTag Algorithm = 0x04c09300 // policy wildcard: CCM* with no tag or any CCM tag
	AlgXTS           Algorithm = 0x0440ff00
	AlgCBCNoPadding  Algorithm = 0x04404000
	AlgCBCPKCS7      Algorithm = 0x04404100
	AlgECBNoPadding  Algorithm = 0x04404400
)

// AEAD algorithms, each with its default tag length (16 bytes).
const (
	AlgCCM                Algorithm = 0x05500100
	AlgGCM                Algorithm = 0x05500200
	AlgChaCha20Poly1305   Algorithm = 0x05100500
	AlgXChaCha20Poly1305  Algorithm = 0x05100600
	AlgAsconAEAD128       Algorithm = 0x05100700
	algAEADOnBlockCipher  Algorithm = 0x00400000
	algAEADOnBlockCipherM Algorithm = 0x7f400000
)

// Key-wrapping algorithms.
const (
	AlgKW  Algorithm = 0x0b400100
	AlgKWP Algorithm = 0x0bc00200
)

// Key-derivation algorithms that take no parameter.
const (
	AlgTLS12ECJPAKEToPMS     Algorithm = 0x08000609
	AlgSP800_108CounterCMAC  Algorithm = 0x08000800
	AlgPBKDF2AESCMACPRF128   Algorithm = 0x08800200
	algKDFStretchingFlag     Algorithm = 0x00800000
	algKDFStretchingCategory Algorithm = 0x7f800000
)

// Signature algorithms that take no parameter.
const (
	AlgRSAPKCS1v15SignRaw  Algorithm = 0x06000200
	AlgECDSAAny            Algorithm = 0x06000600
	AlgPureEdDSA           Algorithm = 0x06000800
	AlgEd25519ph           Algorithm = 0x0600090b
	AlgEd448ph             Algorithm = 0x06000915
	AlgEdDSACtx            Algorithm = 0x06000a00
	AlgSLHDSA              Algorithm = 0x06004000
	AlgDeterministicSLHDSA Algorithm = 0x06004100
	AlgMLDSA               Algorithm = 0x06004400
	AlgDeterministicMLDSA  Algorithm = 0x06004500
	AlgLMS                 Algorithm = 0x06004800
	AlgHSS                 Algorithm = 0x06004900
	AlgXMSS                Algorithm = 0x06004a00
	AlgXMSSMT              Algorithm = 0x06004b00
)

// Asymmetric encryption, key agreement and key encapsulation.
const (
	AlgRSAPKCS1v15Crypt Algorithm = 0x07000200
	AlgFFDH             Algorithm = 0x09010000
	AlgECDH             Algorithm = 0x09020000
	AlgECIESSEC1        Algorithm = 0x0c000100
	AlgMLKEM            Algorithm = 0x0c000200
)

// PAKE algorithms that take no parameter.
const (
	AlgSPAKE2PMatter Algorithm = 0x0a000609
	AlgWPA3SAEAny    Algorithm = 0x0a0088ff // policy wildcard for every WPA3-SAE suite
)

// Bases of the algorithms parameterized by a hash: the constructor ORs the
// HASH-TYPE (low byte of the hash algorithm) into the base.
const (
	algBaseHMAC                    Algorithm = 0x03800000
	algBaseBLAKE2MAC               Algorithm = 0x03800300
	algBaseRSAPKCS1v15Sign         Algorithm = 0x06000200
	algBaseRSAPSS                  Algorithm = 0x06000300
	algBaseRSAPSSAnySalt           Algorithm = 0x06001300
	algBaseECDSA                   Algorithm = 0x06000600
	algBaseDeterministicECDSA      Algorithm = 0x06000700
	algBaseHashEdDSA               Algorithm = 0x06000900
	algBaseHashSLHDSA              Algorithm = 0x06004200
	algBaseDeterministicHashSLHDSA Algorithm = 0x06004300
	algBaseHashMLDSA               Algorithm = 0x06004600
	algBaseDeterministicHashMLDSA  Algorithm = 0x06004700
	algBaseRSAOAEP                 Algorithm = 0x07000300
	algBaseHKDF                    Algorithm = 0x08000100
	algBaseTLS12PRF                Algorithm = 0x08000200
	algBaseTLS12PSKToMS            Algorithm = 0x08000300
	algBaseHKDFExtract             Algorithm = 0x08000400
	algBaseHKDFExpand              Algorithm = 0x08000500
	algBaseSP800_108CounterHMAC    Algorithm = 0x08000700
	algBasePBKDF2HMAC              Algorithm = 0x08800100
	algBaseWPA3SAEH2E              Algorithm = 0x08800400
	algBaseJPAKE                   Algorithm = 0x0a000100
	algBaseSPAKE2PHMAC             Algorithm = 0x0a000400
	algBaseSPAKE2PCMAC             Algorithm = 0x0a000500
	algBaseWPA3SAEFixed            Algorithm = 0x0a000800
	algBaseWPA3SAEGDH              Algorithm = 0x0a000900
)

func withHash(base, hash Algorithm) Algorithm { return base | hash&algHashMask }

// AlgHMAC returns HMAC over the hash algorithm hash (PSA_ALG_HMAC).
func AlgHMAC(hash Algorithm) Algorithm { return withHash(algBaseHMAC, hash) }

// AlgBLAKE2MAC returns the keyed BLAKE2 MAC of a BLAKE2 hash algorithm
// (PSA_ALG_BLAKE2_MAC).
func AlgBLAKE2MAC(hash Algorithm) Algorithm { return withHash(algBaseBLAKE2MAC, hash) }

// AlgRSAPKCS1v15Sign returns RSA PKCS#1 v1.5 signature with hash
// (PSA_ALG_RSA_PKCS1V15_SIGN). hash may be AlgAnyHash in a policy.
func AlgRSAPKCS1v15Sign(hash Algorithm) Algorithm { return withHash(algBaseRSAPKCS1v15Sign, hash) }

// AlgRSAPSS returns RSA PSS signature with hash, salt length equal to the
// hash length (PSA_ALG_RSA_PSS).
func AlgRSAPSS(hash Algorithm) Algorithm { return withHash(algBaseRSAPSS, hash) }

// AlgRSAPSSAnySalt returns RSA PSS signature with hash, verification
// accepting any salt length (PSA_ALG_RSA_PSS_ANY_SALT).
func AlgRSAPSSAnySalt(hash Algorithm) Algorithm { return withHash(algBaseRSAPSSAnySalt, hash) }

// AlgECDSA returns randomized ECDSA with hash (PSA_ALG_ECDSA).
func AlgECDSA(hash Algorithm) Algorithm { return withHash(algBaseECDSA, hash) }

// AlgDeterministicECDSA returns deterministic ECDSA (RFC 6979) with hash
// (PSA_ALG_DETERMINISTIC_ECDSA).
func AlgDeterministicECDSA(hash Algorithm) Algorithm {
	return withHash(algBaseDeterministicECDSA, hash)
}

// AlgHashSLHDSA returns hedged HashSLH-DSA with pre-hash hash
// (PSA_ALG_HASH_SLH_DSA).
func AlgHashSLHDSA(hash Algorithm) Algorithm { return withHash(algBaseHashSLHDSA, hash) }

// AlgDeterministicHashSLHDSA returns deterministic HashSLH-DSA with
// pre-hash hash (PSA_ALG_DETERMINISTIC_HASH_SLH_DSA).
func AlgDeterministicHashSLHDSA(hash Algorithm) Algorithm {
	return withHash(algBaseDeterministicHashSLHDSA, hash)
}

// AlgHashMLDSA returns hedged HashML-DSA with pre-hash hash
// (PSA_ALG_HASH_ML_DSA).
func AlgHashMLDSA(hash Algorithm) Algorithm { return withHash(algBaseHashMLDSA, hash) }

// AlgDeterministicHashMLDSA returns deterministic HashML-DSA with pre-hash
// hash (PSA_ALG_DETERMINISTIC_HASH_ML_DSA).
func AlgDeterministicHashMLDSA(hash Algorithm) Algorithm {
	return withHash(algBaseDeterministicHashMLDSA, hash)
}

// AlgRSAOAEP returns RSA OAEP encryption with hash for both the label
// hash and MGF1 (PSA_ALG_RSA_OAEP).
func AlgRSAOAEP(hash Algorithm) Algorithm { return withHash(algBaseRSAOAEP, hash) }

// AlgHKDF returns HKDF with HMAC over hash (PSA_ALG_HKDF).
func AlgHKDF(hash Algorithm) Algorithm { return withHash(algBaseHKDF, hash) }

// AlgHKDFExtract returns the HKDF-Extract step alone (PSA_ALG_HKDF_EXTRACT).
func AlgHKDFExtract(hash Algorithm) Algorithm { return withHash(algBaseHKDFExtract, hash) }

// AlgHKDFExpand returns the HKDF-Expand step alone (PSA_ALG_HKDF_EXPAND).
func AlgHKDFExpand(hash Algorithm) Algorithm { return withHash(algBaseHKDFExpand, hash) }

// AlgTLS12PRF returns the TLS 1.2 PRF with hash (PSA_ALG_TLS12_PRF).
func AlgTLS12PRF(hash Algorithm) Algorithm { return withHash(algBaseTLS12PRF, hash) }

// AlgTLS12PSKToMS returns the TLS 1.2 PSK-to-master-secret derivation
// with hash (PSA_ALG_TLS12_PSK_TO_MS).
func AlgTLS12PSKToMS(hash Algorithm) Algorithm { return withHash(algBaseTLS12PSKToMS, hash) }

// AlgSP800_108CounterHMAC returns the NIST SP 800-108 counter-mode KDF
// with HMAC over hash (PSA_ALG_SP800_108_COUNTER_HMAC).
func AlgSP800_108CounterHMAC(hash Algorithm) Algorithm {
	return withHash(algBaseSP800_108CounterHMAC, hash)
}

// AlgPBKDF2HMAC returns PBKDF2 with HMAC over hash (PSA_ALG_PBKDF2_HMAC).
func AlgPBKDF2HMAC(hash Algorithm) Algorithm { return withHash(algBasePBKDF2HMAC, hash) }

// AlgWPA3SAEH2E returns the WPA3-SAE hash-to-element password derivation
// with hash (PSA_ALG_WPA3_SAE_H2E).
func AlgWPA3SAEH2E(hash Algorithm) Algorithm { return withHash(algBaseWPA3SAEH2E, hash) }

// AlgJPAKE returns J-PAKE with hash (PSA_ALG_JPAKE).
func AlgJPAKE(hash Algorithm) Algorithm { return withHash(algBaseJPAKE, hash) }

// AlgSPAKE2PHMAC returns SPAKE2+ with HMAC key confirmation
// (PSA_ALG_SPAKE2P_HMAC).
func AlgSPAKE2PHMAC(hash Algorithm) Algorithm { return withHash(algBaseSPAKE2PHMAC, hash) }

// AlgSPAKE2PCMAC returns SPAKE2+ with CMAC key confirmation
// (PSA_ALG_SPAKE2P_CMAC).
func AlgSPAKE2PCMAC(hash Algorithm) Algorithm { return withHash(algBaseSPAKE2PCMAC, hash) }

// AlgWPA3SAEFixed returns WPA3-SAE with the fixed group-element derivation
// (PSA_ALG_WPA3_SAE_FIXED).
func AlgWPA3SAEFixed(hash Algorithm) Algorithm { return withHash(algBaseWPA3SAEFixed, hash) }

// AlgWPA3SAEGDH returns WPA3-SAE with group-dependent hashing
// (PSA_ALG_WPA3_SAE_GDH).
func AlgWPA3SAEGDH(hash Algorithm) Algorithm { return withHash(algBaseWPA3SAEGDH, hash) }

func withLength(alg Algorithm, length int) Algorithm {
	return alg&^algLengthAndFlag | Algorithm(length&0x3f)<<algLengthShift
}

// AlgTruncatedMAC returns mac truncated to length bytes
// (PSA_ALG_TRUNCATED_MAC). mac may itself be truncated or a wildcard; the
// new length replaces the old one. Only the low 6 bits of length are
// encoded: a length of 0 or above 63 does not make a valid algorithm.
func AlgTruncatedMAC(mac Algorithm, length int) Algorithm { return withLength(mac, length) }

// AlgFullLengthMAC returns the untruncated MAC of a truncated or wildcard
// MAC algorithm (PSA_ALG_FULL_LENGTH_MAC).
func AlgFullLengthMAC(mac Algorithm) Algorithm { return mac &^ algLengthAndFlag }

// AlgAtLeastThisLengthMAC returns the policy wildcard that permits mac
// with any length of at least minLength bytes
// (PSA_ALG_AT_LEAST_THIS_LENGTH_MAC).
func AlgAtLeastThisLengthMAC(mac Algorithm, minLength int) Algorithm {
	return withLength(mac, minLength) | algAtLeastFlag
}

// AlgAEADWithShortenedTag returns aead with a tag of length bytes
// (PSA_ALG_AEAD_WITH_SHORTENED_TAG).
func AlgAEADWithShortenedTag(aead Algorithm, length int) Algorithm {
	return withLength(aead, length)
}

// AlgAEADWithAtLeastThisLengthTag returns the policy wildcard that permits
// aead with any tag of at least minLength bytes
// (PSA_ALG_AEAD_WITH_AT_LEAST_THIS_LENGTH_TAG).
func AlgAEADWithAtLeastThisLengthTag(aead Algorithm, minLength int) Algorithm {
	return withLength(aead, minLength) | algAtLeastFlag
}

// AlgAEADWithDefaultLengthTag returns the AEAD algorithm of aead with its
// default tag length (PSA_ALG_AEAD_WITH_DEFAULT_LENGTH_TAG), or AlgNone if
// aead is not one of the AEAD algorithms of the specification.
func AlgAEADWithDefaultLengthTag(aead Algorithm) Algorithm {
	switch base := aead &^ algLengthAndFlag; base {
	case AlgCCM &^ algLengthMask, AlgGCM &^ algLengthMask,
		AlgChaCha20Poly1305 &^ algLengthMask, AlgXChaCha20Poly1305 &^ algLengthMask,
		AlgAsconAEAD128 &^ algLengthMask:
		return base | algDefaultTag16
	}
	return AlgNone
}

// AlgKeyAgreement combines the standalone key agreement ka with the key
// derivation kdf (PSA_ALG_KEY_AGREEMENT).
func AlgKeyAgreement(ka, kdf Algorithm) Algorithm { return ka | kdf }

func (a Algorithm) category() Algorithm { return a & algCategoryMask }

// IsVendorDefined reports whether a is an implementation-defined
// algorithm (V flag set).
func (a Algorithm) IsVendorDefined() bool { return a&algVendorFlag != 0 }

// IsHash reports whether a is a hash algorithm (PSA_ALG_IS_HASH).
func (a Algorithm) IsHash() bool { return a.category() == algCatHash }

// IsXOF reports whether a is an extendable-output function (PSA_ALG_IS_XOF).
func (a Algorithm) IsXOF() bool { return a.category() == algCatXOF }

// IsMAC reports whether a is a MAC algorithm (PSA_ALG_IS_MAC).
func (a Algorithm) IsMAC() bool { return a.category() == algCatMAC }

// IsCipher reports whether a is an unauthenticated cipher (PSA_ALG_IS_CIPHER).
func (a Algorithm) IsCipher() bool { return a.category() == algCatCipher }

// IsAEAD reports whether a is an AEAD algorithm (PSA_ALG_IS_AEAD).
func (a Algorithm) IsAEAD() bool { return a.category() == algCatAEAD }

// IsKeyWrap reports whether a is a key-wrapping algorithm (PSA_ALG_IS_KEY_WRAP).
func (a Algorithm) IsKeyWrap() bool { return a.category() == algCatKeyWrap }

// IsKeyDerivation reports whether a is a key-derivation algorithm
// (PSA_ALG_IS_KEY_DERIVATION).
func (a Algorithm) IsKeyDerivation() bool { return a.category() == algCatKDF }

// IsSign reports whether a is an asymmetric signature algorithm
// (PSA_ALG_IS_SIGN).
func (a Algorithm) IsSign() bool { return a.category() == algCatSign }

// IsAsymmetricEncryption reports whether a is an asymmetric encryption
// algorithm (PSA_ALG_IS_ASYMMETRIC_ENCRYPTION).
func (a Algorithm) IsAsymmetricEncryption() bool { return a.category() == algCatAsymEnc }

// IsKeyAgreement reports whether a is a key agreement, standalone or
// combined with a key derivation (PSA_ALG_IS_KEY_AGREEMENT).
func (a Algorithm) IsKeyAgreement() bool { return a.category() == algCatKA }

// IsPAKE reports whether a is a PAKE algorithm (PSA_ALG_IS_PAKE).
func (a Algorithm) IsPAKE() bool { return a.category() == algCatPAKE }

// IsKeyEncapsulation reports whether a is a key-encapsulation algorithm
// (PSA_ALG_IS_KEY_ENCAPSULATION).
func (a Algorithm) IsKeyEncapsulation() bool { return a.category() == algCatKEM }

// Hash returns the hash algorithm that parameterizes a, or AlgNone if a
// has no hash field (PSA_ALG_GET_HASH). For a hash algorithm it returns a.
// Like the C macro it reads the H field whatever the category, so the
// result is meaningful only for algorithms that are parameterized by a
// hash.
func (a Algorithm) Hash() Algorithm {
	if a&algHashMask == 0 {
		return AlgNone
	}
	return algCatHash | a&algHashMask
}

// HMACHash returns the hash of an HMAC algorithm, truncated or not
// (PSA_ALG_HMAC_GET_HASH of Mbed TLS); it is Hash under another name.
func (a Algorithm) HMACHash() Algorithm { return a.Hash() }

// IsWildcard reports whether a is a policy wildcard rather than an
// algorithm an operation can use (PSA_ALG_IS_WILDCARD).
func (a Algorithm) IsWildcard() bool {
	return a.Hash() == AlgAnyHash ||
		a&(algCategoryMask|algAtLeastFlag) == algCatMAC|algAtLeastFlag ||
		a&(algCategoryMask|algAtLeastFlag) == algCatAEAD|algAtLeastFlag ||
		a == AlgCCMStarAnyTag
}

// IsBLAKE2Hash reports whether a is one of the BLAKE2 hashes
// (PSA_ALG_IS_BLAKE2_HASH).
func (a Algorithm) IsBLAKE2Hash() bool { return a&0x7ffffffc == 0x0200001c }

// XOFHasContext reports whether the XOF a takes a context
// (PSA_ALG_XOF_HAS_CONTEXT).
func (a Algorithm) XOFHasContext() bool { return a&algXOFHasContext != 0 }

// macTypeMask selects the category, B flag and MAC-TYPE of a MAC. Unlike
// the example definitions of appendix C, it leaves out the W flag, so that
// an at-least-this-length wildcard of HMAC is still an HMAC algorithm, as
// in the C reference implementation and its tests.
const macTypeMask Algorithm = 0x7fc07f00

// IsHMAC reports whether a is HMAC, truncated, full-length or a length
// wildcard (PSA_ALG_IS_HMAC).
func (a Algorithm) IsHMAC() bool { return a&macTypeMask == algBaseHMAC }

// IsBLAKE2MAC reports whether a is a BLAKE2 MAC, truncated, full-length or
// a length wildcard (PSA_ALG_IS_BLAKE2_MAC).
func (a Algorithm) IsBLAKE2MAC() bool { return a&macTypeMask == algBaseBLAKE2MAC }

// IsBlockCipherMAC reports whether a is a MAC built on a block cipher
// (PSA_ALG_IS_BLOCK_CIPHER_MAC).
func (a Algorithm) IsBlockCipherMAC() bool { return a&0x7fc00000 == 0x03c00000 }

// IsStreamCipher reports whether a is a stream cipher
// (PSA_ALG_IS_STREAM_CIPHER).
func (a Algorithm) IsStreamCipher() bool { return a&0x7f800000 == 0x04800000 }

// IsAEADOnBlockCipher reports whether a is an AEAD mode of a block cipher
// (PSA_ALG_IS_AEAD_ON_BLOCK_CIPHER).
func (a Algorithm) IsAEADOnBlockCipher() bool {
	return a&algAEADOnBlockCipherM == algCatAEAD|algAEADOnBlockCipher
}

// IsKeyDerivationStretching reports whether a is a key-stretching or
// password-hashing derivation (PSA_ALG_IS_KEY_DERIVATION_STRETCHING).
func (a Algorithm) IsKeyDerivationStretching() bool {
	return a&algKDFStretchingCategory == algCatKDF|algKDFStretchingFlag
}

func (a Algorithm) hasBase(base Algorithm) bool { return a&^algHashMask == base }

// IsHKDF reports whether a is HKDF (PSA_ALG_IS_HKDF).
func (a Algorithm) IsHKDF() bool { return a.hasBase(algBaseHKDF) }

// IsHKDFExtract reports whether a is HKDF-Extract (PSA_ALG_IS_HKDF_EXTRACT).
func (a Algorithm) IsHKDFExtract() bool { return a.hasBase(algBaseHKDFExtract) }

// IsHKDFExpand reports whether a is HKDF-Expand (PSA_ALG_IS_HKDF_EXPAND).
func (a Algorithm) IsHKDFExpand() bool { return a.hasBase(algBaseHKDFExpand) }

// IsSP800_108CounterHMAC reports whether a is the SP 800-108 counter KDF
// with HMAC (PSA_ALG_IS_SP800_108_COUNTER_HMAC).
func (a Algorithm) IsSP800_108CounterHMAC() bool {
	return a.hasBase(algBaseSP800_108CounterHMAC)
}

// IsTLS12PRF reports whether a is the TLS 1.2 PRF (PSA_ALG_IS_TLS12_PRF).
func (a Algorithm) IsTLS12PRF() bool { return a.hasBase(algBaseTLS12PRF) }

// IsTLS12PSKToMS reports whether a is TLS 1.2 PSK-to-MS
// (PSA_ALG_IS_TLS12_PSK_TO_MS).
func (a Algorithm) IsTLS12PSKToMS() bool { return a.hasBase(algBaseTLS12PSKToMS) }

// IsPBKDF2HMAC reports whether a is PBKDF2-HMAC (PSA_ALG_IS_PBKDF2_HMAC).
func (a Algorithm) IsPBKDF2HMAC() bool { return a.hasBase(algBasePBKDF2HMAC) }

// IsWPA3SAEH2E reports whether a is the WPA3-SAE hash-to-element
// derivation (PSA_ALG_IS_WPA3_SAE_H2E).
func (a Algorithm) IsWPA3SAEH2E() bool { return a.hasBase(algBaseWPA3SAEH2E) }

// IsRSAPKCS1v15Sign reports whether a is RSA PKCS#1 v1.5 signature, with
// a hash or raw (PSA_ALG_IS_RSA_PKCS1V15_SIGN).
func (a Algorithm) IsRSAPKCS1v15Sign() bool { return a.hasBase(algBaseRSAPKCS1v15Sign) }

// IsRSAPSS reports whether a is RSA PSS with either salt policy
// (PSA_ALG_IS_RSA_PSS).
func (a Algorithm) IsRSAPSS() bool { return a&^0x000010ff == algBaseRSAPSS }

// IsRSAPSSAnySalt reports whether a is RSA PSS accepting any salt length
// (PSA_ALG_IS_RSA_PSS_ANY_SALT).
func (a Algorithm) IsRSAPSSAnySalt() bool { return a.hasBase(algBaseRSAPSSAnySalt) }

// IsRSAPSSStandardSalt reports whether a is RSA PSS with the standard salt
// length (PSA_ALG_IS_RSA_PSS_STANDARD_SALT).
func (a Algorithm) IsRSAPSSStandardSalt() bool { return a.hasBase(algBaseRSAPSS) }

// IsECDSA reports whether a is ECDSA, randomized or deterministic
// (PSA_ALG_IS_ECDSA).
func (a Algorithm) IsECDSA() bool { return a&^0x000001ff == algBaseECDSA }

// IsDeterministicECDSA reports whether a is deterministic ECDSA
// (PSA_ALG_IS_DETERMINISTIC_ECDSA).
func (a Algorithm) IsDeterministicECDSA() bool { return a.hasBase(algBaseDeterministicECDSA) }

// IsRandomizedECDSA reports whether a is randomized ECDSA
// (PSA_ALG_IS_RANDOMIZED_ECDSA).
func (a Algorithm) IsRandomizedECDSA() bool { return a.hasBase(algBaseECDSA) }

// IsHashEdDSA reports whether a is HashEdDSA, Ed25519ph or Ed448ph
// (PSA_ALG_IS_HASH_EDDSA).
func (a Algorithm) IsHashEdDSA() bool { return a.hasBase(algBaseHashEdDSA) }

// IsSLHDSA reports whether a is pure SLH-DSA, hedged or deterministic
// (PSA_ALG_IS_SLH_DSA).
func (a Algorithm) IsSLHDSA() bool { return a&^0x00000100 == AlgSLHDSA }

// IsHashSLHDSA reports whether a is HashSLH-DSA, hedged or deterministic
// (PSA_ALG_IS_HASH_SLH_DSA).
func (a Algorithm) IsHashSLHDSA() bool { return a&^0x000001ff == algBaseHashSLHDSA }

// IsDeterministicHashSLHDSA reports whether a is deterministic HashSLH-DSA
// (PSA_ALG_IS_DETERMINISTIC_HASH_SLH_DSA).
func (a Algorithm) IsDeterministicHashSLHDSA() bool {
	return a.hasBase(algBaseDeterministicHashSLHDSA)
}

// IsHedgedHashSLHDSA reports whether a is hedged HashSLH-DSA
// (PSA_ALG_IS_HEDGED_HASH_SLH_DSA).
func (a Algorithm) IsHedgedHashSLHDSA() bool { return a.hasBase(algBaseHashSLHDSA) }

// IsMLDSA reports whether a is pure ML-DSA, hedged or deterministic
// (PSA_ALG_IS_ML_DSA).
func (a Algorithm) IsMLDSA() bool { return a&^0x00000100 == AlgMLDSA }

// IsHashMLDSA reports whether a is HashML-DSA, hedged or deterministic
// (PSA_ALG_IS_HASH_ML_DSA).
func (a Algorithm) IsHashMLDSA() bool { return a&^0x000001ff == algBaseHashMLDSA }

// IsDeterministicHashMLDSA reports whether a is deterministic HashML-DSA
// (PSA_ALG_IS_DETERMINISTIC_HASH_ML_DSA).
func (a Algorithm) IsDeterministicHashMLDSA() bool {
	return a.hasBase(algBaseDeterministicHashMLDSA)
}

// IsHedgedHashMLDSA reports whether a is hedged HashML-DSA
// (PSA_ALG_IS_HEDGED_HASH_ML_DSA).
func (a Algorithm) IsHedgedHashMLDSA() bool { return a.hasBase(algBaseHashMLDSA) }

// IsHashAndSign reports whether a is a hash-and-sign algorithm that signs
// exactly the hash value (PSA_ALG_IS_HASH_AND_SIGN). The specialized
// algorithms without a hash, AlgRSAPKCS1v15SignRaw and AlgECDSAAny, are
// not hash-and-sign: there is no hash to compute (the example definition
// of appendix C says otherwise, the C reference and the macro's
// description agree with this one).
func (a Algorithm) IsHashAndSign() bool {
	return (a.IsRSAPSS() || a.IsRSAPKCS1v15Sign() || a.IsECDSA() || a.IsHashEdDSA() ||
		a.IsHashMLDSA() || a.IsHashSLHDSA()) && a&algHashMask != 0
}

// IsSignHash reports whether a can sign a hash with psa_sign_hash
// (PSA_ALG_IS_SIGN_HASH).
func (a Algorithm) IsSignHash() bool {
	return a.IsHashAndSign() || a == AlgRSAPKCS1v15SignRaw || a == AlgECDSAAny
}

// IsSignMessage reports whether a can sign a message with
// psa_sign_message (PSA_ALG_IS_SIGN_MESSAGE).
func (a Algorithm) IsSignMessage() bool {
	return a.IsSign() && a != AlgECDSAAny && a != AlgRSAPKCS1v15SignRaw
}

// SignSupportsContext reports whether the signature algorithm a accepts a
// non-empty context (PSA_ALG_SIGN_SUPPORTS_CONTEXT, implementation-defined).
// gopsa answers true for EdDSA with context (PSA_ALG_EDDSA_CTX), HashEdDSA,
// and every SLH-DSA and ML-DSA variant, and for their AlgAnyHash
// wildcards; false for everything else, PSA_ALG_PURE_EDDSA included.
func (a Algorithm) SignSupportsContext() bool {
	return a == AlgEdDSACtx || a.IsHashEdDSA() || a.IsSLHDSA() || a.IsHashSLHDSA() ||
		a.IsMLDSA() || a.IsHashMLDSA()
}

// IsRSAOAEP reports whether a is RSA OAEP (PSA_ALG_IS_RSA_OAEP).
func (a Algorithm) IsRSAOAEP() bool { return a.hasBase(algBaseRSAOAEP) }

// KeyAgreementBase returns the standalone key agreement of a combined key
// agreement (PSA_ALG_KEY_AGREEMENT_GET_BASE).
func (a Algorithm) KeyAgreementBase() Algorithm { return a & algKABaseMask }

// KeyAgreementKDF returns the key derivation of a combined key agreement
// (PSA_ALG_KEY_AGREEMENT_GET_KDF). For a standalone key agreement the
// result is the bare key-derivation category, which is no algorithm.
func (a Algorithm) KeyAgreementKDF() Algorithm { return a & algKAKDFMask }

// IsStandaloneKeyAgreement reports whether a is a key agreement without a
// key derivation (PSA_ALG_IS_STANDALONE_KEY_AGREEMENT).
func (a Algorithm) IsStandaloneKeyAgreement() bool { return a&0x7f00ffff == algCatKA }

// IsRawKeyAgreement is IsStandaloneKeyAgreement under its older name
// (PSA_ALG_IS_RAW_KEY_AGREEMENT).
func (a Algorithm) IsRawKeyAgreement() bool { return a.IsStandaloneKeyAgreement() }

// IsFFDH reports whether a is finite-field Diffie-Hellman, standalone or
// combined (PSA_ALG_IS_FFDH).
func (a Algorithm) IsFFDH() bool { return a&0x7fff0000 == AlgFFDH }

// IsECDH reports whether a is elliptic-curve Diffie-Hellman, standalone or
// combined (PSA_ALG_IS_ECDH).
func (a Algorithm) IsECDH() bool { return a&0x7fff0000 == AlgECDH }

// IsJPAKE reports whether a is J-PAKE (PSA_ALG_IS_JPAKE).
func (a Algorithm) IsJPAKE() bool { return a.hasBase(algBaseJPAKE) }

// IsSPAKE2P reports whether a is a SPAKE2+ algorithm (PSA_ALG_IS_SPAKE2P).
func (a Algorithm) IsSPAKE2P() bool { return a&^0x000003ff == algBaseSPAKE2PHMAC }

// IsSPAKE2PHMAC reports whether a is SPAKE2+ with HMAC
// (PSA_ALG_IS_SPAKE2P_HMAC).
func (a Algorithm) IsSPAKE2PHMAC() bool { return a.hasBase(algBaseSPAKE2PHMAC) }

// IsSPAKE2PCMAC reports whether a is SPAKE2+ with CMAC
// (PSA_ALG_IS_SPAKE2P_CMAC).
func (a Algorithm) IsSPAKE2PCMAC() bool { return a.hasBase(algBaseSPAKE2PCMAC) }

// IsWPA3SAE reports whether a is a WPA3-SAE PAKE (PSA_ALG_IS_WPA3_SAE).
func (a Algorithm) IsWPA3SAE() bool { return a&^0x000001ff == algBaseWPA3SAEFixed }

// IsWPA3SAEFixed reports whether a is WPA3-SAE with fixed group-element
// derivation (PSA_ALG_IS_WPA3_SAE_FIXED).
func (a Algorithm) IsWPA3SAEFixed() bool { return a.hasBase(algBaseWPA3SAEFixed) }

// IsWPA3SAEGDH reports whether a is WPA3-SAE with group-dependent hashing
// (PSA_ALG_IS_WPA3_SAE_GDH).
func (a Algorithm) IsWPA3SAEGDH() bool { return a.hasBase(algBaseWPA3SAEGDH) }

// macLengthField returns the LEN field of a MAC or AEAD algorithm.
func (a Algorithm) lengthField() int { return int(a&algLengthMask) >> algLengthShift }
