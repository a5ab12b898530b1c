// Package values defines every value of the PSA Certified Crypto API 1.5
// with its exact bit encoding: algorithms, key types, curve and group
// families, usage flags, lifetimes, key identifiers, key derivation steps,
// PAKE primitives and status codes.
//
// The C macros of the specification become Go functions and methods with
// the same meaning: PSA_ALG_HMAC(PSA_ALG_SHA_256) is AlgHMAC(AlgSHA256),
// PSA_ALG_IS_AEAD(alg) is alg.IsAEAD(), PSA_HASH_LENGTH(alg) is
// HashLength(alg). Every value prints as its PSA name and parses back
// from it (ParseAlgorithm, ParseKeyType, ...), so that driver descriptions
// and external test data, which use those names, can be read.
//
// Constructors, predicates, size functions and policy checks are bit
// arithmetic: they do not allocate and are safe for concurrent use. Names
// and parsing use tables that are built once at initialization and only
// read afterwards.
//
// # Decisions where the specification leaves a choice
//
// The example macro definitions of appendix C are followed exactly except
// in three places, where they disagree with the macros' descriptions and
// with the C reference implementation (TF-PSA-Crypto) and its tests:
// IsHMAC and IsBLAKE2MAC ignore the at-least-this-length flag, so that a
// MAC length wildcard of HMAC is an HMAC algorithm; IsHashAndSign requires
// a hash, so that PSA_ALG_RSA_PKCS1V15_SIGN_RAW and PSA_ALG_ECDSA_ANY are
// specialized sign-hash algorithms and not hash-and-sign ones; and
// AlgAEADWithDefaultLengthTag also knows XChaCha20-Poly1305 and
// Ascon-AEAD128.
//
// Implementation-defined values: the key derivation steps have the values
// of Mbed TLS (PSA_KEY_DERIVATION_INPUT_SECRET is 0x0101, ...);
// SignSupportsContext is true for PSA_ALG_EDDSA_CTX, HashEdDSA, SLH-DSA and
// ML-DSA; the maximum sizes cover RSA and finite-field Diffie-Hellman keys
// up to 8192 bits, elliptic curves up to 571 bits and every post-quantum
// parameter set of the specification (see each *MaxSize constant).
//
// KeyID.String prints only PSA_KEY_ID_NULL by name: the other PSA_KEY_ID_*
// names are the bounds of ranges, not names of keys, and a key identifier
// prints as a hex literal. Status.String prints an unnamed code as
// "psa_status_t(-1)", which ParseStatus reads back.
package values
