package keyfile

import (
	"fmt"

	"github.com/gopsa/psa/storage"
	"github.com/gopsa/psa/values"
)

// Uids of the non-key files that the storage specification reserves in a
// library integration. Every uid from ReservedUIDMin to 0xffffffff is kept
// for the core's own files; uids above 0xffffffff are unused.
const (
	ReservedUIDMin     storage.UID = 0xffff0000
	RandomSeedUID      storage.UID = 0xffffff52 // PSA_CRYPTO_ITS_RANDOM_SEED_UID
	TransactionListUID storage.UID = 0xffffff53 // PSA_CRYPTO_ITS_TRANSACTION_LIST_UID
	TransactionUID     storage.UID = 0xffffff54 // PSA_CRYPTO_ITS_TRANSACTION_UID
)

// UID returns the uid of the key file of a persistent key. In a library
// integration the file identifier is the key identifier itself. Keys in
// the user range 1..0x3fffffff and in the vendor range
// 0x40000000..0x7fffffff (which gopsa lets the core and drivers use for
// keys of their own) have a key file; for any other identifier, UID fails
// with values.ErrInvalidArgument.
func UID(id values.KeyID) (storage.UID, error) {
	if id < values.KeyIDUserMin || id > values.KeyIDVendorMax {
		return 0, fmt.Errorf("keyfile: key identifier %#x cannot be persistent (want %#x to %#x, or vendor %#x to %#x): %w",
			uint32(id), uint32(values.KeyIDUserMin), uint32(values.KeyIDUserMax), uint32(values.KeyIDVendorMin), uint32(values.KeyIDVendorMax),
			values.ErrInvalidArgument)
	}
	return storage.UID(id), nil
}

// KeyID is the inverse of UID: it returns the key identifier whose key
// file is uid, or false if uid names no key file (such as a reserved
// non-key file).
func KeyID(uid storage.UID) (values.KeyID, bool) {
	if uid < storage.UID(values.KeyIDUserMin) || uid > storage.UID(values.KeyIDVendorMax) {
		return 0, false
	}
	return values.KeyID(uid), true
}
