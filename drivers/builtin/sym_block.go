package builtin

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"fmt"

	"github.com/gopsa/psa/internal/aria"
	"github.com/gopsa/psa/internal/camellia"
	"github.com/gopsa/psa/values"
)

// Block cipher construction for every symmetric mechanism (ciphers, MACs,
// AEADs, key wrapping). newBlock builds a cipher.Block from raw key bytes;
// keyBlock and keyBlock128 are the same for the key buffer that an entry
// point receives, and keep the cipher in the per-key cache (cache.go) so
// that the key schedule is computed once per key rather than once per call.

// sm4NotSupported is the answer for every SM4 mechanism: no maintained Go
// module implementing SM4 is available to the build (the module proxy only
// offers a 2022 release of github.com/emmansun/gmsm).
func sm4NotSupported(op string) error {
	return fmt.Errorf("%s: SM4 is not supported by the builtin driver: %w", op, values.ErrNotSupported)
}

// newBlock returns the block cipher of a key of a block cipher type: AES,
// ARIA and Camellia with 128-, 192- and 256-bit keys, DES with 64-bit
// keys (single DES) and 128- or 192-bit keys (two- and three-key
// Triple-DES). op names the operation in error messages.
func newBlock(op string, t values.KeyType, key []byte) (cipher.Block, error) {
	switch t {
	case values.KeyTypeAES, values.KeyTypeARIA, values.KeyTypeCamellia:
		if n := len(key); n != 16 && n != 24 && n != 32 {
			return nil, fmt.Errorf("%s: a %d-bit %v key cannot be used with this algorithm (want 128, 192 or 256 bits; 256 and 512 bits only for XTS): %w", op, 8*n, t, values.ErrInvalidArgument)
		}
		switch t {
		case values.KeyTypeAES:
			return aes.NewCipher(key)
		case values.KeyTypeARIA:
			return aria.NewCipher(key)
		default:
			return camellia.NewCipher(key)
		}
	case values.KeyTypeDES:
		switch len(key) {
		case 8:
			return des.NewCipher(key)
		case 16:
			// Two-key Triple-DES is K1, K2, K1 (SP 800-67 keying option 2).
			var k [24]byte
			copy(k[:], key)
			copy(k[16:], key[:8])
			b, err := des.NewTripleDESCipher(k[:])
			clear(k[:])
			return b, err
		case 24:
			return des.NewTripleDESCipher(key)
		}
		return nil, fmt.Errorf("%s: a %d-bit DES key is not valid (want 64, 128 or 192 bits): %w", op, 8*len(key), values.ErrInvalidArgument)
	case values.KeyTypeSM4:
		return nil, sm4NotSupported(op)
	}
	return nil, fmt.Errorf("%s: key type %v is not a block cipher key (want AES, ARIA, Camellia or DES): %w", op, t, values.ErrInvalidArgument)
}

// newBlock128 is newBlock for the modes that are only defined for a
// 128-bit block (GCM, CCM, CCM*, key wrapping, XTS): DES keys are
// rejected with a message that says so.
func newBlock128(op string, t values.KeyType, key []byte) (cipher.Block, error) {
	if t == values.KeyTypeDES {
		return nil, fmt.Errorf("%s: DES has a 64-bit block and this algorithm needs a 128-bit block cipher (AES, ARIA or Camellia): %w", op, values.ErrInvalidArgument)
	}
	return newBlock(op, t, key)
}

// keyBlock is newBlock for the key buffer of an entry point, prepared once
// per key. A cipher.Block is safe for concurrent use.
func keyBlock(op string, t values.KeyType, key []byte) (cipher.Block, error) {
	return prepared(key, prepKind{what: prepBlock, t: t}, func(key []byte) (cipher.Block, error) {
		return newBlock(op, t, key)
	})
}

// keyBlock128 is newBlock128 for the key buffer of an entry point.
func keyBlock128(op string, t values.KeyType, key []byte) (cipher.Block, error) {
	if t == values.KeyTypeDES {
		return newBlock128(op, t, key) // the error
	}
	return keyBlock(op, t, key)
}

// isBlockCipherKey reports whether t is a key type of a block cipher of
// the specification.
func isBlockCipherKey(t values.KeyType) bool {
	switch t {
	case values.KeyTypeAES, values.KeyTypeARIA, values.KeyTypeCamellia, values.KeyTypeDES, values.KeyTypeSM4:
		return true
	}
	return false
}
