package builtin

import (
	"fmt"
	"io"

	"github.com/gopsa/psa/values"
)

// symmetricSizes returns the key sizes, in bits, that a fixed-size
// symmetric key type accepts, or nil for a type whose size is any nonzero
// multiple of 8 bits up to a maximum (see unstructuredMaxBytes).
func symmetricSizes(t values.KeyType) []int {
	switch t {
	case values.KeyTypeAES, values.KeyTypeARIA, values.KeyTypeCamellia:
		// 384 and 512 are the double keys of the XTS mode.
		return []int{128, 192, 256, 384, 512}
	case values.KeyTypeSM4:
		return []int{128, 256}
	case values.KeyTypeDES:
		return []int{64, 128, 192}
	case values.KeyTypeChaCha20, values.KeyTypeXChaCha20:
		return []int{256}
	case values.KeyTypeAscon:
		return []int{128, 256}
	}
	return nil
}

// unstructuredLimits returns the smallest and largest size in bytes of a
// variable-size unstructured key type, and whether the type is known.
func unstructuredLimits(t values.KeyType) (minBytes, maxBytes int, ok bool) {
	switch t {
	case values.KeyTypeRawData, values.KeyTypeDerive, values.KeyTypeHMAC,
		values.KeyTypePassword, values.KeyTypePasswordHash, values.KeyTypePepper:
		return 1, maxRawBytes, true
	case values.KeyTypeBLAKE2:
		return 1, 64, true
	case values.KeyTypeARC4:
		return 5, 256, true
	}
	return 0, 0, false
}

// checkUnstructuredSize checks that bits is a valid size for t.
func checkUnstructuredSize(op string, t values.KeyType, bits int) error {
	if sizes := symmetricSizes(t); sizes != nil {
		for _, s := range sizes {
			if s == bits {
				return nil
			}
		}
		return fmt.Errorf("%s %v key: %d bits is not a valid size (want one of %v): %w", op, t, bits, sizes, values.ErrInvalidArgument)
	}
	minBytes, maxBytes, ok := unstructuredLimits(t)
	if !ok {
		return unsupportedType(op, t)
	}
	if bits > 8*maxBytes {
		if t == values.KeyTypeBLAKE2 || t == values.KeyTypeARC4 {
			return fmt.Errorf("%s %v key: %d bits is too long (want at most %d): %w", op, t, bits, 8*maxBytes, values.ErrInvalidArgument)
		}
		// The specification leaves the maximum to the implementation.
		return fmt.Errorf("%s %v key: %d bits is larger than the builtin driver supports (at most %d): %w", op, t, bits, 8*maxBytes, values.ErrNotSupported)
	}
	if bits <= 0 || bits%8 != 0 {
		return fmt.Errorf("%s %v key: %d bits is not a valid size (want a nonzero multiple of 8): %w", op, t, bits, values.ErrInvalidArgument)
	}
	if bits < 8*minBytes {
		return fmt.Errorf("%s %v key: %d bits is too short (want at least %d): %w", op, t, bits, 8*minBytes, values.ErrInvalidArgument)
	}
	return nil
}

func importUnstructured(attrs values.Attributes, data, dst []byte) ([]byte, int, error) {
	t := attrs.Type
	if len(data) == 0 {
		return nil, 0, fmt.Errorf("import %v key: empty key data (keys of size 0 are not allowed): %w", t, values.ErrInvalidArgument)
	}
	bits := 8 * len(data)
	if err := checkUnstructuredSize("import", t, bits); err != nil {
		return nil, 0, err
	}
	if err := checkBits("import", attrs, bits); err != nil {
		return nil, 0, err
	}
	if t == values.KeyTypeDES {
		if err := checkDESParity(data); err != nil {
			return nil, 0, err
		}
	}
	return append(dst, data...), bits, nil
}

// produceUnstructured draws bits/8 bytes of the stream as the key (the
// "Key derivation" section of every unstructured type), with the DES
// procedure for DES keys.
func produceUnstructured(op string, attrs values.Attributes, r io.Reader, dst []byte) ([]byte, error) {
	t := attrs.Type
	if err := checkUnstructuredSize(op, t, attrs.Bits); err != nil {
		return nil, err
	}
	n := attrs.Bits / 8
	if t == values.KeyTypeDES {
		return produceDES(r, n, dst)
	}
	out := append(dst, make([]byte, n)...)
	if err := readFull(r, out[len(dst):]); err != nil {
		wipe(out[len(dst):])
		return nil, err
	}
	return out, nil
}

// DES keys carry a parity bit in the least significant bit of each byte:
// the byte has an odd number of bits set (FIPS 46-3, SP 800-67).

func oddParity(b byte) bool {
	b ^= b >> 4
	b ^= b >> 2
	b ^= b >> 1
	return b&1 == 1
}

// setOddParity sets the low bit of b so that b has odd parity.
func setOddParity(b byte) byte {
	b &^= 1
	if !oddParity(b) {
		b |= 1
	}
	return b
}

// checkDESParity enforces the key format's rule: "The parity bits in each
// 64-bit DES key element must be correct." The check reveals only whether
// the whole key is valid, not which byte is wrong.
func checkDESParity(key []byte) error {
	var bad byte
	for _, b := range key {
		p := b ^ b>>4
		p ^= p >> 2
		p ^= p >> 1
		bad |= ^p & 1
	}
	if bad != 0 {
		return fmt.Errorf("import DES key: the parity bits are wrong (each byte must have an odd number of bits set): %w", values.ErrInvalidArgument)
	}
	return nil
}

// desWeakKeys are the weak and semi-weak DES keys (SP 800-67 rev. 2,
// section 3.3.2), with odd parity.
var desWeakKeys = [16][8]byte{
	// weak
	{0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01},
	{0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe},
	{0x1f, 0x1f, 0x1f, 0x1f, 0x0e, 0x0e, 0x0e, 0x0e},
	{0xe0, 0xe0, 0xe0, 0xe0, 0xf1, 0xf1, 0xf1, 0xf1},
	// semi-weak pairs
	{0x01, 0x1f, 0x01, 0x1f, 0x01, 0x0e, 0x01, 0x0e},
	{0x1f, 0x01, 0x1f, 0x01, 0x0e, 0x01, 0x0e, 0x01},
	{0x01, 0xe0, 0x01, 0xe0, 0x01, 0xf1, 0x01, 0xf1},
	{0xe0, 0x01, 0xe0, 0x01, 0xf1, 0x01, 0xf1, 0x01},
	{0x01, 0xfe, 0x01, 0xfe, 0x01, 0xfe, 0x01, 0xfe},
	{0xfe, 0x01, 0xfe, 0x01, 0xfe, 0x01, 0xfe, 0x01},
	{0x1f, 0xe0, 0x1f, 0xe0, 0x0e, 0xf1, 0x0e, 0xf1},
	{0xe0, 0x1f, 0xe0, 0x1f, 0xf1, 0x0e, 0xf1, 0x0e},
	{0x1f, 0xfe, 0x1f, 0xfe, 0x0e, 0xfe, 0x0e, 0xfe},
	{0xfe, 0x1f, 0xfe, 0x1f, 0xfe, 0x0e, 0xfe, 0x0e},
	{0xe0, 0xfe, 0xe0, 0xfe, 0xf1, 0xfe, 0xf1, 0xfe},
	{0xfe, 0xe0, 0xfe, 0xe0, 0xfe, 0xf1, 0xfe, 0xf1},
}

// isWeakDESKey reports whether k (8 bytes, odd parity) is a weak or
// semi-weak key, comparing with every entry in constant time.
func isWeakDESKey(k []byte) bool {
	var found byte
	for i := range desWeakKeys {
		var diff byte
		for j := range 8 {
			diff |= k[j] ^ desWeakKeys[i][j]
		}
		// found |= 1 if diff == 0
		found |= byte((uint32(diff) - 1) >> 31)
	}
	return found != 0
}

// produceDES follows the DES "Key derivation" section: for each 8-byte
// key element, draw 8 bytes, set the parity bits, and draw again if the
// result is a weak key.
func produceDES(r io.Reader, n int, dst []byte) ([]byte, error) {
	out := append(dst, make([]byte, n)...)
	key := out[len(dst):]
	for i := 0; i < n; i += 8 {
		elt := key[i : i+8]
		for {
			if err := readFull(r, elt); err != nil {
				wipe(key)
				return nil, err
			}
			for j := range elt {
				elt[j] = setOddParity(elt[j])
			}
			if !isWeakDESKey(elt) {
				break
			}
		}
	}
	return out, nil
}
