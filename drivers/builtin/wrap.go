package builtin

import (
	"crypto/cipher"
	"errors"
	"fmt"

	"github.com/gopsa/psa/internal/keywrap"
	"github.com/gopsa/psa/values"
)

// Key wrapping: the wrap_key and unwrap_key entry points (gopsa extensions
// for psa_wrap_key and psa_unwrap_key of PSA Crypto API 1.5) with KW and
// KWP (NIST SP 800-38F; RFC 3394 and RFC 5649 for AES) over AES, ARIA and
// Camellia. The data is the export format of the key being wrapped; the
// core formats and interprets it.

// WrapKey is the "wrap_key" entry point: it appends data wrapped with the
// wrapping key to dst. KW needs a multiple of 8 bytes, at least 16; KWP
// any length from 1 byte.
func (d *Driver) WrapKey(attrs values.Attributes, key []byte, alg values.Algorithm, data, dst []byte) ([]byte, error) {
	const op = "wrap key"
	b, err := keyWrapCipher(op, attrs, key, alg)
	if err != nil {
		return nil, err
	}
	var out []byte
	if alg == values.AlgKW {
		if len(data) < 16 || len(data)%8 != 0 {
			return nil, fmt.Errorf("%s: KW wraps a multiple of 8 bytes, at least 16, got %d (use KWP for other lengths): %w", op, len(data), values.ErrInvalidArgument)
		}
		out, err = keywrap.Wrap(b, dst, data)
	} else {
		if len(data) == 0 || uint64(len(data)) > 1<<32-1 {
			return nil, fmt.Errorf("%s: KWP wraps 1 to 2^32-1 bytes, got %d: %w", op, len(data), values.ErrInvalidArgument)
		}
		out, err = keywrap.WrapPad(b, dst, data)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v: %w", op, err, values.ErrInvalidArgument)
	}
	return out, nil
}

// UnwrapKey is the "unwrap_key" entry point: it appends the unwrapped key
// data to dst, or returns values.ErrInvalidSignature, appending nothing,
// when the integrity check fails. A length that the mode cannot have
// produced is values.ErrInvalidArgument.
func (d *Driver) UnwrapKey(attrs values.Attributes, key []byte, alg values.Algorithm, wrapped, dst []byte) ([]byte, error) {
	const op = "unwrap key"
	b, err := keyWrapCipher(op, attrs, key, alg)
	if err != nil {
		return nil, err
	}
	minLen := 24
	if alg == values.AlgKWP {
		minLen = 16
	}
	if len(wrapped) < minLen || len(wrapped)%8 != 0 {
		return nil, fmt.Errorf("%s: %v wrapped data is a multiple of 8 bytes, at least %d, got %d: %w", op, alg, minLen, len(wrapped), values.ErrInvalidArgument)
	}
	var out []byte
	if alg == values.AlgKW {
		out, err = keywrap.Unwrap(b, dst, wrapped)
	} else {
		out, err = keywrap.UnwrapPad(b, dst, wrapped)
	}
	switch {
	case err == nil:
		return out, nil
	case errors.Is(err, keywrap.ErrUnwrap):
		return nil, fmt.Errorf("%s: the integrity check failed (wrong key, wrong algorithm or modified data): %w", op, values.ErrInvalidSignature)
	}
	return nil, fmt.Errorf("%s: %v: %w", op, err, values.ErrInvalidArgument)
}

// keyWrapCipher validates the algorithm and the wrapping key and returns
// the block cipher.
func keyWrapCipher(op string, attrs values.Attributes, key []byte, alg values.Algorithm) (cipher.Block, error) {
	switch {
	case alg == values.AlgKW || alg == values.AlgKWP:
	case alg.IsKeyWrap():
		return nil, fmt.Errorf("%s: key-wrapping algorithm %v is not supported by the builtin driver: %w", op, alg, values.ErrNotSupported)
	default:
		return nil, fmt.Errorf("%s: %v is not a key-wrapping algorithm: %w", op, alg, values.ErrInvalidArgument)
	}
	if !isBlockCipherKey(attrs.Type) {
		return nil, fmt.Errorf("%s: %v needs a 128-bit block cipher key (AES, ARIA or Camellia), not %v: %w", op, alg, attrs.Type, values.ErrInvalidArgument)
	}
	return newBlock128(op, attrs.Type, key)
}
