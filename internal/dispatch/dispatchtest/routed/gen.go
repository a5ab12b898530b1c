// Package routed is the dispatch generated for the test drivers of package
// dispatchtest; its tests check the generated routing by calling it.
package routed

//go:generate go run ../../../../cmd/psa-drivergen -list ../testdata/routed.json -package routed -o zz_dispatch.go
