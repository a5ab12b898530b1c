package driver

import (
	"errors"
	"io"

	"github.com/gopsa/psa/values"
)

// ErrNotSupported is the answer of a driver that does not handle a request.
// From a capability with "fallback": true it makes the dispatch try the next
// driver, then the builtin implementation.
const ErrNotSupported = values.ErrNotSupported

// StatusOf returns the PSA status that err carries: Success for nil, the
// values.Status that err wraps, or ErrGenericError for an error that wraps
// none.
func StatusOf(err error) values.Status {
	if err == nil {
		return values.Success
	}
	var s values.Status
	if errors.As(err, &s) {
		return s
	}
	return values.ErrGenericError
}

// IsNotSupported reports whether err is, or wraps, ErrNotSupported.
func IsNotSupported(err error) bool {
	if err == ErrNotSupported { // fast path: an unwrapped status
		return true
	}
	return err != nil && errors.Is(err, ErrNotSupported)
}

// Host is what the core offers a driver for the lifetime of an instance.
// It is passed to the driver's Init entry point.
type Host interface {
	// Rand returns the instance's random source. Drivers that need
	// randomness (randomized signatures, key generation, nonces) read it
	// instead of choosing their own, so that an application's choice of
	// random generator (psa.WithRandom) reaches every driver.
	Rand() io.Reader

	// PersistentState returns the driver's persistent state, loaded from
	// the key store before Init and sized to the description's
	// "persistent_state_size" (zero-filled the first time, padded or
	// truncated after a change of size). The driver owns the slice and
	// synchronises its own access to it.
	PersistentState() []byte

	// CommitPersistentState writes bytes [from, from+length) of the
	// persistent state to the key store, durably, before returning. A
	// driver commits before an entry point that changed the state returns.
	CommitPersistentState(from, length int) error
}

// Initializer is the "init" entry point: called once when an instance
// (psa.New) is created, before any other entry point. If it fails, psa.New
// fails.
type Initializer interface {
	Init(h Host) error
}

// Freer is the "free" entry point: called once when the instance is closed.
// No entry point is called after it.
type Freer interface {
	Free() error
}

// SlotNumber designates a key inside an opaque driver (psa_drv_slot_number_t):
// a built-in key's slot, or a secure element's internal identifier.
type SlotNumber uint64

// ProductionParameters are the custom key production parameters of
// psa_generate_key_custom and psa_key_derivation_output_key_custom: Flags
// and Data (for an RSA key pair, Data is the public exponent, big-endian;
// empty means the default 65537).
type ProductionParameters struct {
	Flags uint32
	Data  []byte
}

// EntropyFlags are the flags of the "get_entropy" entry point.
type EntropyFlags uint32

// Entropy collection flags.
const (
	// EntropyNonBlock asks the driver not to block when no entropy is
	// readily available (it may then return values.ErrInsufficientEntropy).
	EntropyNonBlock EntropyFlags = 1 << 0
	// EntropyKeepAlive tells the driver that another call follows shortly.
	EntropyKeepAlive EntropyFlags = 1 << 1
)
