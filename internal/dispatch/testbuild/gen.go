// Package testbuild is the dispatch layer of the test driver build: the
// transparent test driver (with fallback on some capabilities and not on
// others), the opaque test drivers at locations 0x7fffff and 0x7ffffe, and
// the builtin driver last, as cmd/psa-drivergen generates it from their
// descriptions. Its tests check, through the public psa API where it has
// the operation and through the dispatch otherwise, that every entry point
// reaches the driver it should: the Go counterpart of the C reference's
// test_suite_psa_crypto_driver_wrappers.
//
// Regenerate it with "go generate ./internal/dispatch/testbuild" after
// changing one of the descriptions; TestGeneratedIsCurrent fails while the
// committed code is stale.
package testbuild

//go:generate go run ../../../cmd/psa-drivergen -package testbuild -o zz_dispatch.go ../../../drivers/testdriver/transparent.json ../../../drivers/testdriver/opaque.json ../../../drivers/testdriver/opaque2.json ../../../drivers/builtin/driver.json
