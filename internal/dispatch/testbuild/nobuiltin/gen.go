// Package nobuiltin is the dispatch layer of the test driver build without
// the builtin driver: the Go counterpart of the C reference's driver-only
// test builds (libtestdriver1), where a mechanism that the test drivers
// decline has nowhere to fall back to. The test drivers still compute with
// their own builtin driver instance, as libtestdriver1 does with its
// renamed copy of the library. Package testbuild's tests use it for the
// cases that need the builtin implementation absent.
//
// Regenerate it with "go generate ./internal/dispatch/testbuild/..." after
// changing a test driver description; TestGeneratedIsCurrent fails while
// the committed code is stale.
package nobuiltin

//go:generate go run ../../../../cmd/psa-drivergen -package nobuiltin -o zz_dispatch.go ../../../../drivers/testdriver/transparent.json ../../../../drivers/testdriver/opaque.json ../../../../drivers/testdriver/opaque2.json
