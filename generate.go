package psa

//go:generate go run ./internal/cmd/reexport -values ./values -o values.go
