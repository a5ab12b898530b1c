package values

// Bit fields of a key type (PSA Crypto API 1.5, appendix B.2).
const (
	keyTypeVendorFlag   KeyType = 0x8000
	keyTypeCategoryMask KeyType = 0x7000
	keyTypeCatRaw       KeyType = 0x1000
	keyTypeCatSymmetric KeyType = 0x2000
	keyTypeCatPublicKey KeyType = 0x4000
	keyTypeCatKeyPair   KeyType = 0x7000
	keyTypePairFlag     KeyType = 0x3000 // set in a key pair, clear in its public key
	keyTypeFamilyMask   KeyType = 0x007f
	keyTypeFamilyBase   KeyType = 0xff80 // selects the constructor of a family type

	keyTypeECCPublicKeyBase     KeyType = 0x4100
	keyTypeECCKeyPairBase       KeyType = 0x7100
	keyTypeSLHDSAPublicKeyBase  KeyType = 0x4180
	keyTypeSLHDSAKeyPairBase    KeyType = 0x7180
	keyTypeDHPublicKeyBase      KeyType = 0x4200
	keyTypeDHKeyPairBase        KeyType = 0x7200
	keyTypeSPAKE2PPublicKeyBase KeyType = 0x4400
	keyTypeSPAKE2PKeyPairBase   KeyType = 0x7400
	keyTypeWPA3SAEECCBase       KeyType = 0x3280
	keyTypeWPA3SAEDHBase        KeyType = 0x3300
)

// KeyTypeNone is the absence of a key type (PSA_KEY_TYPE_NONE).
const KeyTypeNone KeyType = 0x0000

// Raw and symmetric key types.
const (
	KeyTypeRawData      KeyType = 0x1001
	KeyTypeHMAC         KeyType = 0x1100
	KeyTypeBLAKE2       KeyType = 0x1103
	KeyTypeDerive       KeyType = 0x1200
	KeyTypePassword     KeyType = 0x1203
	KeyTypePasswordHash KeyType = 0x1205
	KeyTypePepper       KeyType = 0x1206
	KeyTypeARC4         KeyType = 0x2002
	KeyTypeChaCha20     KeyType = 0x2004
	KeyTypeXChaCha20    KeyType = 0x2007
	KeyTypeAscon        KeyType = 0x2008
	KeyTypeDES          KeyType = 0x2301
	KeyTypeAES          KeyType = 0x2400
	KeyTypeCamellia     KeyType = 0x2403
	KeyTypeSM4          KeyType = 0x2405
	KeyTypeARIA         KeyType = 0x2406
)

// Asymmetric key types without a family parameter.
const (
	KeyTypeRSAPublicKey    KeyType = 0x4001
	KeyTypeRSAKeyPair      KeyType = 0x7001
	KeyTypeMLDSAPublicKey  KeyType = 0x4002
	KeyTypeMLDSAKeyPair    KeyType = 0x7002
	KeyTypeMLKEMPublicKey  KeyType = 0x4004
	KeyTypeMLKEMKeyPair    KeyType = 0x7004
	KeyTypeLMSPublicKey    KeyType = 0x4007
	KeyTypeHSSPublicKey    KeyType = 0x4008
	KeyTypeXMSSPublicKey   KeyType = 0x400b
	KeyTypeXMSSMTPublicKey KeyType = 0x400d
)

// Elliptic curve families. The specific curve is chosen by the key size.
const (
	ECCFamilySECPK1         ECCFamily = 0x17 // secp192k1, secp225k1, secp256k1
	ECCFamilySECPR1         ECCFamily = 0x12 // secp192r1 ... secp521r1
	ECCFamilySECPR2         ECCFamily = 0x1b // secp160r2
	ECCFamilySECTK1         ECCFamily = 0x27 // sect163k1 ... sect571k1
	ECCFamilySECTR1         ECCFamily = 0x22 // sect163r1 ... sect571r1
	ECCFamilySECTR2         ECCFamily = 0x2b // sect163r2
	ECCFamilyBrainpoolPR1   ECCFamily = 0x30 // brainpoolP160r1 ... brainpoolP512r1
	ECCFamilyFRP            ECCFamily = 0x33 // FRP256v1
	ECCFamilyMontgomery     ECCFamily = 0x41 // Curve25519, Curve448
	ECCFamilyTwistedEdwards ECCFamily = 0x42 // Edwards25519, Edwards448
)

// Finite-field Diffie-Hellman group families.
const (
	DHFamilyRFC7919 DHFamily = 0x03 // ffdhe2048 ... ffdhe8192
	DHFamilyRFC3526 DHFamily = 0x05 // MODP groups 1536 ... 8192
)

// SLH-DSA parameter-set families. The security parameter is chosen by the
// key size (128, 192 or 256 bits).
const (
	SLHDSAFamilySHA2S  SLHDSAFamily = 0x02
	SLHDSAFamilySHA2F  SLHDSAFamily = 0x04
	SLHDSAFamilySHAKES SLHDSAFamily = 0x0b
	SLHDSAFamilySHAKEF SLHDSAFamily = 0x0d
)

// KeyTypeECCKeyPair returns the elliptic curve key-pair type of family f
// (PSA_KEY_TYPE_ECC_KEY_PAIR).
func KeyTypeECCKeyPair(f ECCFamily) KeyType {
	return keyTypeECCKeyPairBase | KeyType(f)&keyTypeFamilyMask
}

// KeyTypeECCPublicKey returns the elliptic curve public-key type of
// family f (PSA_KEY_TYPE_ECC_PUBLIC_KEY).
func KeyTypeECCPublicKey(f ECCFamily) KeyType {
	return keyTypeECCPublicKeyBase | KeyType(f)&keyTypeFamilyMask
}

// KeyTypeDHKeyPair returns the finite-field Diffie-Hellman key-pair type
// of family f (PSA_KEY_TYPE_DH_KEY_PAIR).
func KeyTypeDHKeyPair(f DHFamily) KeyType {
	return keyTypeDHKeyPairBase | KeyType(f)&keyTypeFamilyMask
}

// KeyTypeDHPublicKey returns the finite-field Diffie-Hellman public-key
// type of family f (PSA_KEY_TYPE_DH_PUBLIC_KEY).
func KeyTypeDHPublicKey(f DHFamily) KeyType {
	return keyTypeDHPublicKeyBase | KeyType(f)&keyTypeFamilyMask
}

// KeyTypeSLHDSAKeyPair returns the SLH-DSA key-pair type of family f
// (PSA_KEY_TYPE_SLH_DSA_KEY_PAIR).
func KeyTypeSLHDSAKeyPair(f SLHDSAFamily) KeyType {
	return keyTypeSLHDSAKeyPairBase | KeyType(f)&keyTypeFamilyMask
}

// KeyTypeSLHDSAPublicKey returns the SLH-DSA public-key type of family f
// (PSA_KEY_TYPE_SLH_DSA_PUBLIC_KEY).
func KeyTypeSLHDSAPublicKey(f SLHDSAFamily) KeyType {
	return keyTypeSLHDSAPublicKeyBase | KeyType(f)&keyTypeFamilyMask
}

// KeyTypeSPAKE2PKeyPair returns the SPAKE2+ key-pair type over the curve
// family f (PSA_KEY_TYPE_SPAKE2P_KEY_PAIR).
func KeyTypeSPAKE2PKeyPair(f ECCFamily) KeyType {
	return keyTypeSPAKE2PKeyPairBase | KeyType(f)&keyTypeFamilyMask
}

// KeyTypeSPAKE2PPublicKey returns the SPAKE2+ public-key type over the
// curve family f (PSA_KEY_TYPE_SPAKE2P_PUBLIC_KEY).
func KeyTypeSPAKE2PPublicKey(f ECCFamily) KeyType {
	return keyTypeSPAKE2PPublicKeyBase | KeyType(f)&keyTypeFamilyMask
}

// KeyTypeWPA3SAEECC returns the WPA3-SAE password-token type over the
// curve family f (PSA_KEY_TYPE_WPA3_SAE_ECC).
func KeyTypeWPA3SAEECC(f ECCFamily) KeyType {
	return keyTypeWPA3SAEECCBase | KeyType(f)&keyTypeFamilyMask
}

// KeyTypeWPA3SAEDH returns the WPA3-SAE password-token type over the
// finite-field group family f (PSA_KEY_TYPE_WPA3_SAE_DH).
func KeyTypeWPA3SAEDH(f DHFamily) KeyType {
	return keyTypeWPA3SAEDHBase | KeyType(f)&keyTypeFamilyMask
}

// IsVendorDefined reports whether t is an implementation-defined key type.
func (t KeyType) IsVendorDefined() bool { return t&keyTypeVendorFlag != 0 }

// IsUnstructured reports whether t is a raw or symmetric key type, whose
// key material is an unstructured byte string (PSA_KEY_TYPE_IS_UNSTRUCTURED).
func (t KeyType) IsUnstructured() bool {
	c := t & keyTypeCategoryMask
	return c == keyTypeCatRaw || c == keyTypeCatSymmetric
}

// IsAsymmetric reports whether t is a public key or a key pair
// (PSA_KEY_TYPE_IS_ASYMMETRIC).
func (t KeyType) IsAsymmetric() bool { return t&keyTypeCatPublicKey == keyTypeCatPublicKey }

// IsPublicKey reports whether t is a public key (PSA_KEY_TYPE_IS_PUBLIC_KEY).
func (t KeyType) IsPublicKey() bool { return t&keyTypeCategoryMask == keyTypeCatPublicKey }

// IsKeyPair reports whether t is a key pair (PSA_KEY_TYPE_IS_KEY_PAIR).
func (t KeyType) IsKeyPair() bool { return t&keyTypeCategoryMask == keyTypeCatKeyPair }

// KeyPairOfPublicKey returns the key-pair type of a public-key type
// (PSA_KEY_TYPE_KEY_PAIR_OF_PUBLIC_KEY); a key-pair type is returned as is.
func (t KeyType) KeyPairOfPublicKey() KeyType { return t | keyTypePairFlag }

// PublicKeyOfKeyPair returns the public-key type of a key-pair type
// (PSA_KEY_TYPE_PUBLIC_KEY_OF_KEY_PAIR); a public-key type is returned as is.
func (t KeyType) PublicKeyOfKeyPair() KeyType { return t &^ keyTypePairFlag }

func (t KeyType) family() uint8 { return uint8(t & keyTypeFamilyMask) }

// IsRSA reports whether t is an RSA key pair or public key (PSA_KEY_TYPE_IS_RSA).
func (t KeyType) IsRSA() bool { return t.PublicKeyOfKeyPair() == KeyTypeRSAPublicKey }

// IsECC reports whether t is an elliptic curve key pair or public key
// (PSA_KEY_TYPE_IS_ECC).
func (t KeyType) IsECC() bool {
	return t.PublicKeyOfKeyPair()&keyTypeFamilyBase == keyTypeECCPublicKeyBase
}

// IsECCKeyPair reports whether t is an elliptic curve key pair
// (PSA_KEY_TYPE_IS_ECC_KEY_PAIR).
func (t KeyType) IsECCKeyPair() bool { return t&keyTypeFamilyBase == keyTypeECCKeyPairBase }

// IsECCPublicKey reports whether t is an elliptic curve public key
// (PSA_KEY_TYPE_IS_ECC_PUBLIC_KEY).
func (t KeyType) IsECCPublicKey() bool { return t&keyTypeFamilyBase == keyTypeECCPublicKeyBase }

// ECCFamily returns the curve family of an elliptic curve key type
// (PSA_KEY_TYPE_ECC_GET_FAMILY). The result is meaningless for other types.
func (t KeyType) ECCFamily() ECCFamily { return ECCFamily(t.family()) }

// IsDH reports whether t is a finite-field Diffie-Hellman key pair or
// public key (PSA_KEY_TYPE_IS_DH).
func (t KeyType) IsDH() bool {
	return t.PublicKeyOfKeyPair()&keyTypeFamilyBase == keyTypeDHPublicKeyBase
}

// IsDHKeyPair reports whether t is a Diffie-Hellman key pair
// (PSA_KEY_TYPE_IS_DH_KEY_PAIR).
func (t KeyType) IsDHKeyPair() bool { return t&keyTypeFamilyBase == keyTypeDHKeyPairBase }

// IsDHPublicKey reports whether t is a Diffie-Hellman public key
// (PSA_KEY_TYPE_IS_DH_PUBLIC_KEY).
func (t KeyType) IsDHPublicKey() bool { return t&keyTypeFamilyBase == keyTypeDHPublicKeyBase }

// DHFamily returns the group family of a Diffie-Hellman key type
// (PSA_KEY_TYPE_DH_GET_FAMILY). The result is meaningless for other types.
func (t KeyType) DHFamily() DHFamily { return DHFamily(t.family()) }

// IsMLDSA reports whether t is an ML-DSA key pair or public key
// (PSA_KEY_TYPE_IS_ML_DSA).
func (t KeyType) IsMLDSA() bool { return t.PublicKeyOfKeyPair() == KeyTypeMLDSAPublicKey }

// IsMLKEM reports whether t is an ML-KEM key pair or public key
// (PSA_KEY_TYPE_IS_ML_KEM).
func (t KeyType) IsMLKEM() bool { return t.PublicKeyOfKeyPair() == KeyTypeMLKEMPublicKey }

// IsSLHDSA reports whether t is an SLH-DSA key pair or public key
// (PSA_KEY_TYPE_IS_SLH_DSA).
func (t KeyType) IsSLHDSA() bool {
	return t.PublicKeyOfKeyPair()&keyTypeFamilyBase == keyTypeSLHDSAPublicKeyBase
}

// IsSLHDSAKeyPair reports whether t is an SLH-DSA key pair
// (PSA_KEY_TYPE_IS_SLH_DSA_KEY_PAIR).
func (t KeyType) IsSLHDSAKeyPair() bool { return t&keyTypeFamilyBase == keyTypeSLHDSAKeyPairBase }

// IsSLHDSAPublicKey reports whether t is an SLH-DSA public key
// (PSA_KEY_TYPE_IS_SLH_DSA_PUBLIC_KEY).
func (t KeyType) IsSLHDSAPublicKey() bool {
	return t&keyTypeFamilyBase == keyTypeSLHDSAPublicKeyBase
}

// SLHDSAFamily returns the parameter-set family of an SLH-DSA key type
// (PSA_KEY_TYPE_SLH_DSA_GET_FAMILY).
func (t KeyType) SLHDSAFamily() SLHDSAFamily { return SLHDSAFamily(t.family()) }

// IsSPAKE2P reports whether t is a SPAKE2+ key pair or public key
// (PSA_KEY_TYPE_IS_SPAKE2P).
func (t KeyType) IsSPAKE2P() bool {
	return t.PublicKeyOfKeyPair()&keyTypeFamilyBase == keyTypeSPAKE2PPublicKeyBase
}

// IsSPAKE2PKeyPair reports whether t is a SPAKE2+ key pair
// (PSA_KEY_TYPE_IS_SPAKE2P_KEY_PAIR).
func (t KeyType) IsSPAKE2PKeyPair() bool {
	return t&keyTypeFamilyBase == keyTypeSPAKE2PKeyPairBase
}

// IsSPAKE2PPublicKey reports whether t is a SPAKE2+ public key
// (PSA_KEY_TYPE_IS_SPAKE2P_PUBLIC_KEY).
func (t KeyType) IsSPAKE2PPublicKey() bool {
	return t&keyTypeFamilyBase == keyTypeSPAKE2PPublicKeyBase
}

// SPAKE2PFamily returns the curve family of a SPAKE2+ key type
// (PSA_KEY_TYPE_SPAKE2P_GET_FAMILY).
func (t KeyType) SPAKE2PFamily() ECCFamily { return ECCFamily(t.family()) }

// IsWPA3SAEECC reports whether t is a WPA3-SAE password token over an
// elliptic curve (PSA_KEY_TYPE_IS_WPA3_SAE_ECC).
func (t KeyType) IsWPA3SAEECC() bool { return t&keyTypeFamilyBase == keyTypeWPA3SAEECCBase }

// WPA3SAEECCFamily returns the curve family of an elliptic-curve WPA3-SAE
// password token (PSA_KEY_TYPE_WPA3_SAE_ECC_GET_FAMILY).
func (t KeyType) WPA3SAEECCFamily() ECCFamily { return ECCFamily(t.family()) }

// IsWPA3SAEDH reports whether t is a WPA3-SAE password token over a
// finite-field group (PSA_KEY_TYPE_IS_WPA3_SAE_DH).
func (t KeyType) IsWPA3SAEDH() bool { return t&keyTypeFamilyBase == keyTypeWPA3SAEDHBase }

// WPA3SAEDHFamily returns the group family of a finite-field WPA3-SAE
// password token (PSA_KEY_TYPE_WPA3_SAE_DH_GET_FAMILY).
func (t KeyType) WPA3SAEDHFamily() DHFamily { return DHFamily(t.family()) }
