// Package keyfile encodes and decodes persistent key files in the format
// of the Mbed TLS storage specification (current since Mbed TLS 2.25.0
// and TF-PSA-Crypto 1.0), byte for byte as TF-PSA-Crypto writes them, so
// that a key store moves between gopsa and the C implementation.
//
// All integers are little-endian. A key file is:
//
//	magic               8 bytes  "PSA\0KEY\0"
//	version             4 bytes  0
//	lifetime            4 bytes  psa_key_lifetime_t
//	type                2 bytes  psa_key_type_t
//	bits                2 bytes  psa_key_bits_t
//	usage               4 bytes  psa_key_usage_t
//	algorithm           4 bytes  psa_algorithm_t
//	enrolment algorithm 4 bytes  psa_algorithm_t
//	material length     4 bytes
//	material            the export format of a transparent key, or the
//	                    driver's key context of an opaque key
//
// The package also maps key identifiers to the uids of a
// [storage.Store] as a library integration of the specification does.
package keyfile

import (
	"encoding/binary"
	"fmt"

	"github.com/gopsa/psa/values"
)

// Magic starts every key file.
const Magic = "PSA\x00KEY\x00"

// Version is the only format version there is.
const Version = 0

// HeaderSize is the size of a key file without its material.
const HeaderSize = len(Magic) + 4 + 4 + 2 + 2 + 4 + 4 + 4 + 4

// MaxMaterialSize is the largest key material a key file holds here. It is
// TF-PSA-Crypto's default limit, PSA_CRYPTO_MAX_STORAGE_SIZE =
// PSA_BITS_TO_BYTES(PSA_MAX_KEY_BITS), so that every key gopsa stores
// also loads there.
const MaxMaterialSize = (0xfff8 + 7) / 8

// Key is the content of a key file: the stored attributes of a key and its
// material.
type Key struct {
	Lifetime values.Lifetime
	Type     values.KeyType
	Bits     values.KeyBits
	Usage    values.KeyUsage
	Alg      values.Algorithm // the permitted algorithm
	Alg2     values.Algorithm // the enrolment algorithm, 0 if none
	// Material is the export format of a transparent key, or the driver's
	// key context of an opaque key. It is never empty: every stored key
	// has material.
	Material []byte
}

// Encode returns the key file of k. It fails with values.ErrInvalidArgument
// if k has no material and values.ErrInsufficientStorage if the material
// is longer than MaxMaterialSize, as TF-PSA-Crypto's
// psa_save_persistent_key does.
func Encode(k *Key) ([]byte, error) {
	return Append(make([]byte, 0, HeaderSize+len(k.Material)), k)
}

// Append appends the key file of k to dst and returns the extended
// slice, with the errors of Encode. A caller that wipes key files after
// use can reuse one buffer this way.
func Append(dst []byte, k *Key) ([]byte, error) {
	if len(k.Material) == 0 {
		return dst, fmt.Errorf("keyfile: encode: key has no material (a stored key always has some): %w", values.ErrInvalidArgument)
	}
	if len(k.Material) > MaxMaterialSize {
		return dst, fmt.Errorf("keyfile: encode: %d bytes of key material is more than a key file holds (at most %d): %w",
			len(k.Material), MaxMaterialSize, values.ErrInsufficientStorage)
	}
	le := binary.LittleEndian
	dst = append(dst, Magic...)
	dst = le.AppendUint32(dst, Version)
	dst = le.AppendUint32(dst, uint32(k.Lifetime))
	dst = le.AppendUint16(dst, uint16(k.Type))
	dst = le.AppendUint16(dst, uint16(k.Bits))
	dst = le.AppendUint32(dst, uint32(k.Usage))
	dst = le.AppendUint32(dst, uint32(k.Alg))
	dst = le.AppendUint32(dst, uint32(k.Alg2))
	dst = le.AppendUint32(dst, uint32(len(k.Material)))
	return append(dst, k.Material...), nil
}

// Decode parses a key file. The returned Material is a copy: the caller
// may wipe data afterwards. Like TF-PSA-Crypto's
// psa_parse_key_data_from_storage, it fails with values.ErrDataInvalid
// for a short file, a bad magic, a version other than 0 and a material
// length past the end of the file or above MaxMaterialSize. It is stricter
// in two ways the C loader is not, both of which the storage
// specification asks for and the C writer never produces: trailing data
// after the material is rejected with values.ErrDataInvalid, and so is an
// empty material (which the C loader rejects later, with
// PSA_ERROR_STORAGE_FAILURE).
func Decode(data []byte) (Key, error) {
	if len(data) < HeaderSize {
		return Key{}, fmt.Errorf("keyfile: decode: %d bytes is too short for a key file (at least %d): %w",
			len(data), HeaderSize, values.ErrDataInvalid)
	}
	if string(data[:len(Magic)]) != Magic {
		return Key{}, fmt.Errorf("keyfile: decode: not a key file (magic %q, want %q): %w",
			data[:len(Magic)], Magic, values.ErrDataInvalid)
	}
	le := binary.LittleEndian
	if v := le.Uint32(data[8:]); v != Version {
		return Key{}, fmt.Errorf("keyfile: decode: unknown key file version %d (want %d): %w", v, Version, values.ErrDataInvalid)
	}
	n := uint64(le.Uint32(data[32:]))
	switch rest := uint64(len(data) - HeaderSize); {
	case n > rest:
		return Key{}, fmt.Errorf("keyfile: decode: key material length %d is past the end of the file (%d bytes follow the header): %w",
			n, rest, values.ErrDataInvalid)
	case n > MaxMaterialSize:
		return Key{}, fmt.Errorf("keyfile: decode: key material length %d is more than a key file holds (at most %d): %w",
			n, MaxMaterialSize, values.ErrDataInvalid)
	case n < rest:
		return Key{}, fmt.Errorf("keyfile: decode: %d bytes of trailing data after the key material: %w",
			rest-n, values.ErrDataInvalid)
	case n == 0:
		return Key{}, fmt.Errorf("keyfile: decode: key file has no key material: %w", values.ErrDataInvalid)
	}
	return Key{
		Lifetime: values.Lifetime(le.Uint32(data[12:])),
		Type:     values.KeyType(le.Uint16(data[16:])),
		Bits:     values.KeyBits(le.Uint16(data[18:])),
		Usage:    values.KeyUsage(le.Uint32(data[20:])),
		Alg:      values.Algorithm(le.Uint32(data[24:])),
		Alg2:     values.Algorithm(le.Uint32(data[28:])),
		Material: append([]byte(nil), data[HeaderSize:]...),
	}, nil
}
