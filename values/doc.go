// Package values defines every value of the PSA Certified Crypto API 1.5
// with its exact bit encoding: algorithms, key types, curve and group
// families, usage flags, lifetimes, key identifiers, key derivation steps,
// PAKE primitives and status codes.
//
// The C macros of the specification become Go functions and methods with
// the same meaning: PSA_ALG_HMAC(PSA_ALG_SHA_256) is AlgHMAC(AlgSHA256),
// PSA_ALG_IS_AEAD(alg) is alg.IsAEAD(), PSA_HASH_LENGTH(alg) is
// HashLength(alg). Every value prints as its PSA name and parses back
// from it, so that driver descriptions and external test data, which use
// those names, can be read.
//
// The package imports nothing of gopsa, so that drivers, driver
// descriptions and the core can all use it. The root package psa
// re-exports its types and functions.
package values
