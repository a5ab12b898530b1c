// Package storage is gopsa's internal trusted storage: a small key-value
// store of opaque items, each named by a 64-bit uid, with the semantics of
// the PSA Internal Trusted Storage API (psa_its_set, psa_its_get,
// psa_its_get_info, psa_its_remove).
//
// The core keeps persistent keys in a Store, one item per key, in the key
// file format of package internal/keyfile. Two backends are provided:
//
//   - [Dir], the default: one file per item in a directory, in the same
//     file names and layout as the stdio ITS backend of TF-PSA-Crypto and
//     Mbed TLS, so that a key store directory moves between the two. Every
//     Set and Remove is atomic and durable.
//   - [Memory]: the same contract in memory, for tests and volatile use.
//
// Every error wraps a PSA status from package values, so that
// errors.Is(err, values.ErrDoesNotExist) and the like work, and names the
// uid (and, for a Dir, the file) it concerns.
package storage

import (
	"fmt"
	"math"

	"github.com/gopsa/psa/values"
)

// UID names an item in a Store (psa_storage_uid_t). The uid 0 is never
// valid.
type UID uint64

// String returns the uid in the hexadecimal form that the directory
// backend uses in file names, such as "0x0000000000000001".
func (u UID) String() string { return fmt.Sprintf("0x%016x", uint64(u)) }

// CreateFlags are the flags of an item (psa_storage_create_flags_t).
//
// A Store keeps every bit it is given and returns it from Info, as
// TF-PSA-Crypto's stdio backend does; only FlagWriteOnce changes the
// behaviour of a Store. The confidentiality and replay-protection flags
// only lower the protection an item asks for, and both backends give every
// item the same protection whatever they say.
type CreateFlags uint32

const (
	// FlagNone asks for no special properties (PSA_STORAGE_FLAG_NONE).
	FlagNone CreateFlags = 0
	// FlagWriteOnce makes an item permanent: once set, it can be neither
	// replaced nor removed (PSA_STORAGE_FLAG_WRITE_ONCE).
	FlagWriteOnce CreateFlags = 1 << 0
	// FlagNoConfidentiality says the item needs no confidentiality
	// protection (PSA_STORAGE_FLAG_NO_CONFIDENTIALITY).
	FlagNoConfidentiality CreateFlags = 1 << 1
	// FlagNoReplayProtection says the item needs no replay protection
	// (PSA_STORAGE_FLAG_NO_REPLAY_PROTECTION).
	FlagNoReplayProtection CreateFlags = 1 << 2
)

// MaxSize is the largest item a Store holds: the ITS size field is 32 bits.
const MaxSize = math.MaxUint32

// Info describes a stored item (struct psa_storage_info_t).
type Info struct {
	Size  int         // length of the item's data in bytes
	Flags CreateFlags // the flags the item was set with
}

// Store is the internal trusted storage contract. Implementations are safe
// for concurrent use by multiple goroutines.
type Store interface {
	// Set creates the item uid with a copy of data and flags, or replaces
	// its data and flags if it exists. The replacement is atomic: a reader,
	// or a restart after a crash, sees the old item or the new one, never
	// a mix. It fails with values.ErrInvalidHandle for uid 0,
	// values.ErrNotPermitted if the item exists with FlagWriteOnce,
	// values.ErrInvalidArgument if data is longer than MaxSize,
	// values.ErrInsufficientStorage if the medium is full and
	// values.ErrStorageFailure if it fails.
	Set(uid UID, data []byte, flags CreateFlags) error

	// Get reads len(dst) bytes of the item's data, starting at offset, into
	// dst, and returns len(dst). It fails with values.ErrDoesNotExist if
	// there is no such item, values.ErrInvalidArgument if offset is
	// negative or offset+len(dst) is past the end of the data,
	// values.ErrDataCorrupt if the stored item is damaged and
	// values.ErrStorageFailure if the medium fails; it then returns 0 and
	// leaves dst unspecified.
	Get(uid UID, offset int, dst []byte) (int, error)

	// Info returns the size and flags of an item, with the errors of Get.
	Info(uid UID) (Info, error)

	// Remove deletes an item. It fails with values.ErrDoesNotExist if there
	// is no such item, values.ErrNotPermitted if the item has
	// FlagWriteOnce, and values.ErrStorageFailure if the medium fails.
	Remove(uid UID) error
}

// Lister is implemented by a Store that can enumerate its items, as both
// backends of this package do. The PSA ITS API has no such function; the
// core uses it for diagnostics and tools, never to find a key.
type Lister interface {
	// UIDs returns the uids of all items, in increasing order.
	UIDs() ([]UID, error)
}

// ReadAll returns a fresh copy of the whole data of the item uid, with the
// errors of Store.Get. With the backends of this package the copy is one
// version of the item even while another goroutine replaces it; with other
// stores ReadAll reads the size and then the data, so a concurrent Set of
// the same uid may make it fail with values.ErrInvalidArgument.
func ReadAll(s Store, uid UID) ([]byte, error) {
	if r, ok := s.(interface {
		readAll(UID) ([]byte, Info, error)
	}); ok {
		data, _, err := r.readAll(uid)
		return data, err
	}
	info, err := s.Info(uid)
	if err != nil {
		return nil, err
	}
	data := make([]byte, info.Size)
	if _, err := s.Get(uid, 0, data); err != nil {
		return nil, err
	}
	return data, nil
}

// checkUID rejects uid 0, which no ITS implementation accepts. The status
// is the one TF-PSA-Crypto's stdio backend returns from psa_its_set.
func checkUID(op string, uid UID) error {
	if uid == 0 {
		return fmt.Errorf("storage: %s: uid 0 is not a valid item name (want 1 to 0xffffffffffffffff): %w", op, values.ErrInvalidHandle)
	}
	return nil
}

// checkRange validates a Get request against the item size.
func checkRange(uid UID, offset, length, size int) error {
	if offset < 0 {
		return fmt.Errorf("storage: get %v: negative offset %d: %w", uid, offset, values.ErrInvalidArgument)
	}
	if offset > size || length > size-offset {
		return fmt.Errorf("storage: get %v: %d bytes at offset %d is past the end of the %d-byte item: %w",
			uid, length, offset, size, values.ErrInvalidArgument)
	}
	return nil
}

// checkSize rejects data the 32-bit ITS size field cannot describe.
func checkSize(uid UID, n int) error {
	if uint64(n) > MaxSize {
		return fmt.Errorf("storage: set %v: %d bytes is more than an item holds (at most %d): %w",
			uid, n, uint64(MaxSize), values.ErrInvalidArgument)
	}
	return nil
}
