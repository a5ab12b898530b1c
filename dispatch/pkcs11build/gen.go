// Package pkcs11build is the dispatch layer of a gopsa build with the
// PKCS#11 opaque driver (drivers/pkcs11) before the builtin software
// driver: the driver.Dispatcher that cmd/psa-drivergen generates from
// their two descriptions. Keys whose lifetime has location pkcs11.Location
// go to the token; every other key to the builtin driver.
//
// Use it with a configured driver:
//
//	drv, err := pkcs11.Open("pkcs11.json") // or pkcs11.New(pkcs11.Config{...})
//	d, err := pkcs11build.New(drv)
//	opts := []psa.Option{psa.WithDispatch(d), psa.WithKeyDir(dir)}
//	for _, id := range drv.BuiltinKeyIDs() {
//		opts = append(opts, psa.WithBuiltinKey(id, pkcs11.Location, uint64(id)))
//	}
//	c, err := psa.New(opts...)
//
// Regenerate it with "go generate ./dispatch/pkcs11build" after
// changing either description; TestGeneratedIsCurrent fails while the
// committed code is stale.
package pkcs11build

//go:generate go run ../../cmd/psa-drivergen -package pkcs11build -o zz_dispatch.go ../../drivers/pkcs11/driver.json ../../drivers/builtin/driver.json
