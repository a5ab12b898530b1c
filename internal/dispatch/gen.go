// Package dispatch is the dispatch layer of gopsa's default build: the
// driver.Dispatcher that cmd/psa-drivergen generates from the builtin
// driver's description (drivers/builtin/driver.json). The core uses it
// unless an application brings a dispatch generated for its own driver
// list.
//
// Regenerate it with "go generate ./internal/dispatch" after changing the
// builtin driver's description; TestGeneratedIsCurrent fails while the
// committed code is stale.
package dispatch

//go:generate go run ../../cmd/psa-drivergen -package dispatch -o zz_dispatch.go ../../drivers/builtin/driver.json
