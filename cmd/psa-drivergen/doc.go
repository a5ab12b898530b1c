// Psa-drivergen writes the dispatch layer of a gopsa build: the Go code
// that routes each entry point of driver.Dispatcher to the drivers of a
// driver list, generated from their descriptions. It is the Go counterpart
// of building the C reference with PSA_DRIVERS="a.json b.json".
//
// Usage:
//
//	psa-drivergen [-list driverlist.json | a.json b.json ...] -package NAME [-o FILE]
//
// The drivers are given in dispatch order, either as description files or
// as a driver list (a JSON array of description file names, relative to the
// list). The builtin driver (drivers/builtin/driver.json) is an ordinary
// transparent driver of the list, by convention the last. The output,
// gofmt-formatted and the same for the same input, is a Go file of package
// NAME (standard output without -o) that declares
//
//	type Dispatch struct{ ... }             // implements driver.Dispatcher
//	func New(drivers ...any) (*Dispatch, error)
//
// Each description must name its Go implementation with the gopsa
// properties "gopsa/package" (import path) and "gopsa/type" (the exported
// type whose pointer has the entry point methods); descriptions written for
// the C reference, without them, are refused. The descriptions are parsed
// and validated by package driver/manifest, and the errors name the file.
// New takes configured driver values, matched by their type, and allocates
// the others with new. Descriptions that name the same Go type share one
// value (a cryptoprocessor described as a transparent and an opaque
// driver).
//
// # Compile-time checks
//
// Every entry point a description names becomes a direct method call on the
// driver's type, and the file asserts that the type has each one with the
// signature of package driver (var _ driver.HashSigner = (*p256.Driver)(nil)),
// so that a described entry point the type lacks is a compile error naming
// the interface. A family ("mac_multipart") is the method of its setup entry
// point (MACSignSetup); the family's other entry points are methods of the
// operation object. A capability's "names" replaces a method name.
//
// # Routing
//
// The generated methods follow the specification's capability semantics,
// with manifest's matching rules (manifest.Capability.Matches):
//
//   - A call with a key whose location is not local storage goes to the
//     opaque driver of that location if one of its capabilities covers the
//     entry point and matches; otherwise it fails with an error that wraps
//     driver.ErrNotSupported and names the entry point and location.
//   - Otherwise the transparent drivers whose capabilities match the entry
//     point, algorithm, key type and key size are called in list order. A
//     capability without "fallback" gives the final answer; with fallback,
//     an error that wraps ErrNotSupported passes the call on to the next
//     match. When no driver matches, or the last match passed the call on,
//     the error wraps ErrNotSupported and names the entry point, algorithm
//     and key.
//   - Calls without a key (hash_compute, hash_setup, xof_setup) match the
//     algorithm only. import_key and generate_key route by the new key's
//     attributes; import_key with Bits 0 (size from the data) does not
//     apply key_sizes filters. derive_key matches "derived_types" and
//     "derived_sizes" against the derived key and always uses transparent
//     drivers: the core imports the result into the key's location.
//   - key_derivation_setup routes by the location of the secret input when
//     it is a key; its key type and size filters apply only then.
//     pake_setup routes by the location of the password key, and matches
//     the cipher suite's algorithm. get_builtin_key routes by the location
//     of its lifetime argument.
//   - HashResume is routed as hash_setup, to drivers whose type also
//     implements driver.HashResumer (checked once, in New).
//   - ForgetKey, the core's notification that a key buffer is about to be
//     wiped (driver.KeyForgetter, a gopsa extension that descriptions do
//     not name), goes to every driver whose type implements
//     driver.KeyForgetter (checked once, in New), whatever the key's
//     location.
//   - GetRandom calls the random generator drivers (those that declare
//     get_random) in list order, with fallback; a driver that reports
//     values.ErrInsufficientEntropy is given at least 32 bytes, or its
//     "reseed_entropy_size", of fresh entropy and asked again. Init calls
//     "init_random" and supplies "initial_entropy_size" bytes. The entropy
//     comes from the build's entropy sources ("get_entropy"), called in
//     rounds until their estimates add up and condensed with HKDF-SHA-256,
//     or from the operating system when the build has none. GetEntropy
//     combines the sources by XOR and reports the best single estimate.
//   - Init calls every "init" entry point in list order, with the Host
//     that the HostFactory gives for the driver's prefix and
//     "persistent_state_size", and stops at the first failure, naming the
//     driver. Free calls every "free" entry point and joins the failures.
//   - Route returns the prefix of the first matching driver without
//     calling it; Drivers returns the descriptions.
//
// # What the core may rely on
//
//   - DestroyKey returns nil when no driver has anything to destroy: for a
//     key in local storage, and for an opaque driver without "destroy_key"
//     (a secure element without storage, whose wrapped key the core
//     deletes). For a location that no driver of the build serves it
//     returns ErrNotSupported; the core decides whether to forget the key.
//   - AllocateKey returns ErrNotSupported when the key needs no allocation
//     step (local storage, or an opaque driver without "allocate_key"): the
//     core then creates the key without an allocation step.
//   - ExportKey, CopyKey and KeyAgreementToKey are opaque entry points: for
//     a key in local storage they return ErrNotSupported, since the core
//     does these itself.
//   - KeyDerivationSetup with a secret key in a secure element whose driver
//     does not declare key derivation for the algorithm returns
//     ErrNotSupported: the core then exports the secret (ExportKey) and
//     derives with it as bytes, as the specification's dispatch logic says.
//   - GetRandom returns ErrNotSupported when no random generator driver
//     serves the call: the core then uses its own random source.
//   - Every other refusal wraps ErrNotSupported; errors from drivers are
//     returned unchanged.
//
// # Cost
//
// The conditions are compiled to comparisons on constants: a specific
// algorithm is alg == 0x..., a PSA_ALG_ANY_HASH wildcard and a standalone
// key agreement are masked comparisons, key type specifications (computed
// exactly over all 2^16 key types) are masked comparisons, key sizes are
// comparisons. MAC specifications, whose full length may depend on the
// key, and the other wildcards call values.Algorithm.PermitsWithKey. A
// filter that several drivers share is evaluated once per call. Routing
// allocates nothing, looks nothing up in maps, uses no reflection and
// converts no interface; errors allocate, except GetRandom's answer that no
// random generator driver serves the call, which the core gets on every
// random draw of a build without one, and which is made once.
//
// A Dispatch is safe for concurrent use after Init.
package main
