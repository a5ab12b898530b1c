package values

// Attributes are the attributes of a key (psa_key_attributes_t): what the
// core knows about a key besides its material. The zero value is
// PSA_KEY_ATTRIBUTES_INIT: a volatile key with no type, no size, no usage
// and no permitted algorithm.
//
// Drivers receive Attributes by value: a driver cannot change the core's
// record of a key.
type Attributes struct {
	// ID is the key identifier: KeyIDNull for a volatile key, otherwise
	// a persistent key identifier chosen by the application.
	ID KeyID
	// Lifetime combines the persistence and the location of the key.
	Lifetime Lifetime
	// Type is the key type.
	Type KeyType
	// Bits is the key size in bits; 0 on import means "from the data".
	Bits int
	// Usage is the set of usage flags of the key policy.
	Usage KeyUsage
	// Alg is the permitted algorithm of the key policy, possibly a
	// wildcard such as PSA_ALG_ECDSA(PSA_ALG_ANY_HASH).
	Alg Algorithm
	// Alg2 is the enrolment algorithm: a second permitted algorithm, as
	// in Mbed TLS's psa_set_key_enrollment_algorithm. Stored in the key
	// file format; 0 when unused.
	Alg2 Algorithm
}
