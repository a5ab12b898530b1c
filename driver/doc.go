// Package driver is what a PSA cryptoprocessor driver imports: the Go form
// of the entry points of the PSA Certified Crypto Driver Interface.
//
// A driver is a Go type whose pointer has one method per entry point it
// implements, and a driver description (driver.json, see package
// driver/manifest) that names the type, its Go package and, per
// capability, the entry points, algorithms, key types and key sizes it
// handles. The dispatch layer generated from the descriptions
// (cmd/psa-drivergen) calls those methods directly: a described entry
// point that the type does not implement, or implements with another
// signature, is a compile error. This package declares each entry point
// as a one-method interface (SignHash is HashSigner, and so on); the
// generated code asserts that the driver type implements the interfaces of
// the entry points its description names.
//
// # Calling conventions
//
// The Go signatures follow the specification's with these changes:
//
//   - A key is given as its attributes (values.Attributes, by value: a
//     driver cannot change the core's record of the key) and its key
//     buffer. For a transparent driver the key buffer is the key material
//     in the export format of its type; for an opaque driver it is the key
//     context that the driver produced when the key was created. The key
//     buffer is only valid during the call: a driver must not modify it
//     and must copy what it needs to keep.
//   - Outputs are appended to a dst slice, as in cipher.AEAD.Seal, and the
//     extended slice is returned: the caller chooses where output goes and
//     a driver never needs to report a buffer as too small. An output is
//     never partially appended on error.
//   - Errors are Go errors. A driver reports a PSA status by returning a
//     values.Status, or an error that wraps one (fmt.Errorf("...: %w",
//     values.ErrInvalidSignature)); the core passes it to the application,
//     wrapped with context, so that errors.Is works end to end. An error
//     that wraps no status is reported as PSA_ERROR_GENERIC_ERROR
//     (StatusOf).
//   - A capability with "fallback": true may answer ErrNotSupported (or an
//     error wrapping it); the dispatch then tries the next matching driver
//     and finally the builtin implementation. Without fallback the
//     driver's answer is final.
//   - Multi-part operations: the setup entry point returns an operation
//     object (HashOperation, MACOperation, ...) whose methods are the
//     family's other entry points. The core serialises calls on one
//     operation object and calls Abort after any failure except a failed
//     finish step, as the specification says.
//
// # Concurrency
//
// The core calls a driver from many goroutines at once: entry points and
// setups must be safe for concurrent use. Calls on one operation object are
// never concurrent.
package driver
