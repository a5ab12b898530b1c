// Package testdriver has the test drivers of gopsa's dispatch tests, the
// Go counterparts of the C reference's mbedtls_test_transparent_driver and
// mbedtls_test_opaque_driver (see spec/driver-interface-test-strategy.md):
//
//   - Transparent (transparent.json): every transparent entry point
//     family that the builtin driver implements (key management, hash,
//     XOF, MAC, cipher, AEAD, signature, asymmetric encryption, key
//     agreement, encapsulation, key wrapping, key derivation, PAKE).
//   - Opaque (opaque.json, location 0x7fffff) and SecondOpaque
//     (opaque2.json, location 0x7ffffe): secure elements without storage
//     whose key contexts are the key material masked and tagged with a
//     driver secret, so that the core really cannot read opaque keys.
//     SecondOpaque's description leaves out export_key and copy_key.
//
// Every entry point counts its calls and can be forced to fail or to
// return a given output through the drivers' Hooks; otherwise it computes
// for real, with a builtin driver (drivers/builtin) of its own, on the
// clear key material. An entry point that the builtin driver does not have
// answers values.ErrNotSupported.
//
// Package internal/dispatch/testbuild holds the dispatch generated for
// these drivers followed by the builtin driver, and its tests: the Go form
// of test_suite_psa_crypto_driver_wrappers.
//
// The drivers are safe for concurrent use. They are test instruments:
// their key protection is real but their secret is fixed by default.
package testdriver
