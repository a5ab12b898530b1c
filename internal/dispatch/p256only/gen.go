// Package p256only is the dispatch layer of a driver-only ECC build: the
// p256 example driver (drivers/p256) for secp256r1, and the builtin driver
// without elliptic-curve cryptography (drivers/builtin/driver_noecc.json)
// for everything else. It is the Go counterpart of the C reference's
// driver-only builds (driver-only-builds.md): ECDSA and ECDH on secp256r1
// are served by the driver, and the other curves are not available.
//
// The dispatch never routes an ECC request to the builtin driver, so it
// works in every build. Compiled with -tags gopsa_no_builtin_ecc, the
// builtin driver also leaves out its ECC code (once its ECC files carry
// that build constraint; TestBuiltinHasNoECC checks it), so that the
// binary's ECC is p256's (crypto/ecdh and crypto/ecdsa on P-256):
//
//	go build -tags gopsa_no_builtin_ecc ./...
//	go test -tags gopsa_no_builtin_ecc ./internal/dispatch/p256only/
//
// The package is internal: an application makes the same build by
// generating a dispatch from the same two descriptions into a package of
// its own and passing it to psa.WithDispatch (docs/writing-a-driver.md).
//
// Regenerate it with "go generate ./internal/dispatch/p256only" after
// changing one of the descriptions; TestGeneratedIsCurrent fails while the
// committed code is stale.
package p256only

//go:generate go run ../../../cmd/psa-drivergen -package p256only -o zz_dispatch.go ../../../drivers/p256/driver.json ../../../drivers/builtin/driver_noecc.json
