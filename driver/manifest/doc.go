// Package manifest reads driver descriptions: the JSON files in which a PSA
// cryptoprocessor driver declares its type, its capabilities and the
// functions that implement them (PSA Certified Crypto Driver Interface
// 1.0, chapter 3). It parses and validates them strictly, and answers the
// question the dispatch generator (cmd/psa-drivergen) asks: for an entry
// point and a mechanism, which driver capabilities apply, in which order.
//
// Parse reads one description, ParseList a driver list (a JSON array of
// file names), LoadList both from disk. Driver.Match and Select implement
// the specification's capability semantics; Candidates gives the ordered
// list the generator turns into code. The catalogue of entry points and
// entry point families (EntryPoints, Families, LookupEntryPoint) says, for
// each entry point, which driver types may declare it and whether the
// mechanisms that invoke it involve an algorithm or a key, that is,
// which capability filters apply.
//
// # Strictness
//
// A description is rejected, with an *Error naming the file, the JSON
// path and the value, when it has an unknown property, a property of the
// wrong JSON type, a duplicate property (encoding/json would silently keep
// the last one), an unknown entry point or family, an entry point or
// property not permitted for the driver type, an invalid algorithm or key
// type specification, an empty filter list (it would match nothing), a
// "names" entry for an entry point the capability does not cover, or two
// capabilities that could apply to the same mechanism while mapping an
// entry point to different functions. A list is rejected when two opaque
// drivers share a location or two drivers of the same type share a
// prefix. Properties named "_comment" (and, as in the reference
// descriptions, "_comment..."), with a string value, are accepted in every
// object and ignored. Properties of other implementations (names that
// contain a slash, such as "mbedtls/h_condition") are kept in Extensions
// and ignored, as the specification allows.
//
// # gopsa properties
//
// gopsa's implementation-specific properties use the "gopsa/" prefix. Any
// other "gopsa/" property is an error, so that a typo cannot pass
// silently. At the top level of a description:
//
//   - "gopsa/package" (string): the Go import path of the package that
//     implements the driver.
//   - "gopsa/type" (string): the exported Go type whose pointer's methods
//     implement the entry points.
//
// Both are needed to generate Go dispatch (Driver.CheckGo); Parse accepts a
// description with neither, such as one written for the C reference
// implementation, but not with only one. When they are present, every
// function name in the description ("names" values,
// "key_context.size_function", sizes given by name) must be an exported Go
// identifier: a method of the driver type, or a constant of its package.
//
// # Go method names
//
// Where the C interface names a driver function prefix_entrypoint, gopsa
// calls the method of the driver type named after the entry point in Go
// camel case, with Go's initialisms: "sign_hash" is SignHash,
// "aead_encrypt_setup" is AEADEncryptSetup, "mac_compute" is MACCompute,
// "get_builtin_key" is GetBuiltinKey (see GoName). A capability's "names"
// maps an entry point to another method. The prefix still names the driver
// and must be a C identifier.
//
// # Decisions where the specification is silent or open
//
//   - Multi-part families: the specification leaves the members of the
//     mac, cipher and aead families as "TODO". gopsa uses the entry points
//     of the PSA API functions they implement: "mac_multipart" is
//     mac_sign_setup, mac_update, mac_sign_finish, mac_abort;
//     "mac_verify_multipart" is mac_verify_setup, mac_update,
//     mac_verify_finish, mac_abort; the cipher families are
//     cipher_{encrypt,decrypt}_setup, cipher_set_iv, cipher_update,
//     cipher_finish, cipher_abort; the aead families are
//     aead_{encrypt,decrypt}_setup, aead_set_nonce, aead_set_lengths,
//     aead_update_ad, aead_update, then aead_finish (encryption) or
//     aead_verify (decryption), and aead_abort. "hash_multipart" includes
//     hash_clone, needed by psa_hash_clone. The specification names the
//     PAKE and random generation families without a JSON name; gopsa calls
//     them "pake" and "random".
//   - gopsa extensions to the catalogue: "cipher_generate_iv" and
//     "aead_generate_nonce" (optional members of the encryption
//     families, opaque drivers only) let a secure element generate the IV
//     or nonce itself; "encapsulate", "decapsulate", "wrap_key",
//     "unwrap_key", the "xof_multipart" family (xof_setup,
//     xof_set_context, xof_update, xof_output, xof_abort) and the optional
//     "hash_multipart" members "hash_suspend" and "hash_resume" cover PSA
//     Crypto API 1.5 functions that the driver interface predates; "free" (every driver, called when an instance is
//     closed) comes from the Mbed TLS reference implementation. Its
//     "validate_key" is not an entry point here: import_key validates.
//   - "key_derivation_output_key" is for opaque drivers only, as the
//     summary of the key derivation family says (§4.4.2); transparent
//     drivers derive cooked keys with "derive_key".
//   - "location" is mandatory for opaque drivers (the specification makes
//     it optional): persistent keys record their location, so it must not
//     be assigned anew by each build (open question A.2.2). It is a number,
//     or a string holding a decimal or 0x-prefixed hexadecimal literal or a
//     location name that values.ParseLocation reads
//     (PSA_KEY_LOCATION_PRIMARY_SECURE_ELEMENT). A transparent driver may
//     state location 0 (local storage) and nothing else.
//   - "key_context" is optional for opaque drivers (the specification makes
//     it mandatory; the reference's own opaque test driver omits it): a Go
//     driver returns its key context as a slice whose size it chooses.
//   - Sizes ("persistent_state_size", "key_context" sizes) are
//     non-negative integers or names of constants; C expressions such as
//     sizeof(...) cannot be evaluated without a C compiler.
//   - The random generation parameters "initial_entropy_size" and
//     "reseed_entropy_size", whose place in the JSON the specification
//     leaves open, are properties of the capability that declares
//     "get_random".
//   - "init", "free" and "get_entropy" are called in every driver that
//     declares them; a capability that declares them may not have
//     algorithm, key type or key size filters, nor fallback.
//
// # Concurrency
//
// All functions are safe for concurrent use. A Driver is not modified after
// Parse returns it.
package manifest
