package values

// Algorithm is a PSA algorithm identifier (psa_algorithm_t), with the
// 32-bit encoding of the PSA Certified Crypto API, appendix B.
type Algorithm uint32

// KeyType is a PSA key type (psa_key_type_t), 16 bits.
type KeyType uint16

// ECCFamily is a PSA elliptic curve family (psa_ecc_family_t).
type ECCFamily uint8

// DHFamily is a PSA finite-field Diffie-Hellman group family (psa_dh_family_t).
type DHFamily uint8

// SLHDSAFamily is a PSA SLH-DSA parameter-set family (psa_slh_dsa_family_t).
type SLHDSAFamily uint8

// KeyUsage is a set of PSA key usage flags (psa_key_usage_t).
type KeyUsage uint32

// Lifetime is a PSA key lifetime (psa_key_lifetime_t): a persistence level
// in the low 8 bits and a location in the upper 24 bits.
type Lifetime uint32

// Persistence is the persistence level of a lifetime (psa_key_persistence_t).
type Persistence uint8

// Location is the location part of a lifetime (psa_key_location_t), 24 bits.
type Location uint32

// KeyID is a PSA key identifier (psa_key_id_t).
type KeyID uint32

// KeyBits is a key size in bits (psa_key_bits_t, 16 bits in storage).
type KeyBits uint16

// Status is a PSA status code (psa_status_t). Status values other than
// Success are errors: they implement the error interface, so that a
// gopsa error can be tested with errors.Is(err, values.ErrNotSupported).
type Status int32

// DerivationStep identifies an input of a key derivation
// (psa_key_derivation_step_t).
type DerivationStep uint16

// PAKEPrimitive is the group a PAKE runs over (psa_pake_primitive_t): a
// primitive type in bits 24-31, a family in bits 16-23 and a size in bits
// in bits 0-15.
type PAKEPrimitive uint32

// PAKEPrimitiveType is the kind of group of a PAKE primitive
// (psa_pake_primitive_type_t).
type PAKEPrimitiveType uint8

// PAKEFamily is the family of a PAKE primitive (psa_pake_family_t): an
// ECCFamily or a DHFamily value, depending on the primitive type.
type PAKEFamily uint8

// PAKERole is the role of a participant in a PAKE (psa_pake_role_t).
type PAKERole uint8

// PAKEStep identifies an input or output of a PAKE (psa_pake_step_t).
type PAKEStep uint8
