//go:build race

package builtin

// kdfRaceEnabled skips the PBKDF2 vectors of millions of iterations, which
// take minutes under the race detector.
const kdfRaceEnabled = true
