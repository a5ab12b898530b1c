//go:build !race

package builtin

const kdfRaceEnabled = false
