// Package many is a dispatch generated for 50 synthetic transparent
// drivers in front of the builtin driver, to measure what routing costs
// when every call has to look at many drivers first.
package many

//go:generate go run mkmany.go
//go:generate go run ../../../../cmd/psa-drivergen -list testdata/list.json -package many -o zz_dispatch.go
