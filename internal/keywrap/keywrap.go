// Package keywrap implements the NIST key-wrapping modes of a 128-bit block
// cipher: KW (NIST SP 800-38F section 6.2, RFC 3394 for AES) and KWP, key
// wrap with padding (SP 800-38F section 6.3, RFC 5649 for AES).
//
// All functions append their output to dst and return the extended slice,
// like cipher.AEAD.Seal; dst may alias the input. The block cipher is only
// used for the duration of the call, and the functions are safe for
// concurrent use if the cipher.Block is (those of the standard library and
// of gopsa are).
//
// Errors: a malformed length returns an error wrapping ErrLength, a cipher
// without a 16-byte block one wrapping ErrBlockSize, and an unwrapping whose
// integrity check fails returns exactly ErrUnwrap, without saying which
// check failed and without releasing any unwrapped data.
package keywrap

import (
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
)

var (
	// ErrUnwrap is returned by Unwrap and UnwrapPad when the integrity check
	// of the wrapped data fails: the data was not wrapped with this key and
	// mode, or has been modified.
	ErrUnwrap = errors.New("keywrap: integrity check failed")

	// ErrLength is wrapped by the errors for inputs whose length the mode
	// does not accept.
	ErrLength = errors.New("keywrap: invalid input length")

	// ErrBlockSize is wrapped by the error for a block cipher whose block
	// size is not 16 bytes.
	ErrBlockSize = errors.New("keywrap: block cipher must have a 16-byte block")
)

const (
	semiblock = 8
	// maxKWPLength is the largest plaintext KWP can wrap: its length
	// indicator is 32 bits.
	maxKWPLength = 1<<32 - 1
)

// icv1 is the default initial value of KW (SP 800-38F section 6.2, RFC 3394
// section 2.2.3.1); icv2 is the 32-bit prefix of KWP's alternative initial
// value (SP 800-38F section 6.3, RFC 5649 section 3).
var (
	icv1 = [semiblock]byte{0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6}
	icv2 = [4]byte{0xa6, 0x59, 0x59, 0xa6}
)

// scratch holds the 16-byte block passed to the cipher. It comes from a pool
// because a stack buffer handed to an interface method escapes to the heap.
var scratch = sync.Pool{New: func() any { return new([16]byte) }}

func checkBlock(b cipher.Block) error {
	if bs := b.BlockSize(); bs != 16 {
		return fmt.Errorf("%w: block size is %d bytes", ErrBlockSize, bs)
	}
	return nil
}

// Wrap wraps plaintext with KW and appends the result, 8 bytes longer than
// plaintext, to dst. plaintext must be a multiple of 8 bytes and at least 16
// bytes long.
func Wrap(b cipher.Block, dst, plaintext []byte) ([]byte, error) {
	if err := checkBlock(b); err != nil {
		return nil, err
	}
	n := len(plaintext)
	if n%semiblock != 0 || n < 2*semiblock {
		return nil, fmt.Errorf("%w: KW plaintext is %d bytes (want a multiple of 8, at least 16; use KWP for other lengths)", ErrLength, n)
	}
	ret, out := sliceForAppend(dst, n+semiblock)
	copy(out[semiblock:], plaintext)
	copy(out, icv1[:])
	wrap(b, out)
	return ret, nil
}

// Unwrap unwraps ciphertext with KW and appends the result, 8 bytes shorter
// than ciphertext, to dst. ciphertext must be a multiple of 8 bytes and at
// least 24 bytes long. If the integrity check fails, Unwrap returns
// ErrUnwrap and leaves no unwrapped data in dst's spare capacity.
func Unwrap(b cipher.Block, dst, ciphertext []byte) ([]byte, error) {
	if err := checkBlock(b); err != nil {
		return nil, err
	}
	n := len(ciphertext)
	if n%semiblock != 0 || n < 3*semiblock {
		return nil, fmt.Errorf("%w: KW ciphertext is %d bytes (want a multiple of 8, at least 24)", ErrLength, n)
	}
	var a [semiblock]byte
	copy(a[:], ciphertext)
	ret, out := sliceForAppend(dst, n-semiblock)
	copy(out, ciphertext[semiblock:])
	unwrap(b, &a, out)
	if subtle.ConstantTimeCompare(a[:], icv1[:]) != 1 {
		clear(out)
		return nil, ErrUnwrap
	}
	return ret, nil
}

// WrapPad wraps plaintext with KWP and appends the result to dst: the
// plaintext zero-padded to a multiple of 8 bytes, plus 8 bytes. plaintext
// must be between 1 and 2^32-1 bytes long.
func WrapPad(b cipher.Block, dst, plaintext []byte) ([]byte, error) {
	if err := checkBlock(b); err != nil {
		return nil, err
	}
	n := len(plaintext)
	if n == 0 || uint64(n) > maxKWPLength {
		return nil, fmt.Errorf("%w: KWP plaintext is %d bytes (want 1 to 2^32-1)", ErrLength, n)
	}
	padded := (n + semiblock - 1) / semiblock * semiblock
	ret, out := sliceForAppend(dst, padded+semiblock)
	copy(out[semiblock:], plaintext)
	clear(out[semiblock+n:])
	copy(out, icv2[:])
	binary.BigEndian.PutUint32(out[4:semiblock], uint32(n))
	if padded == semiblock {
		// A single semiblock is encrypted as one block (SP 800-38F
		// section 6.3, step 2).
		b.Encrypt(out, out)
	} else {
		wrap(b, out)
	}
	return ret, nil
}

// UnwrapPad unwraps ciphertext with KWP and appends the original plaintext
// to dst. ciphertext must be a multiple of 8 bytes and at least 16 bytes
// long. If the integrity check (initial value, length indicator and zero
// padding) fails, UnwrapPad returns ErrUnwrap and leaves no unwrapped data
// in dst's spare capacity.
func UnwrapPad(b cipher.Block, dst, ciphertext []byte) ([]byte, error) {
	if err := checkBlock(b); err != nil {
		return nil, err
	}
	n := len(ciphertext)
	if n%semiblock != 0 || n < 2*semiblock {
		return nil, fmt.Errorf("%w: KWP ciphertext is %d bytes (want a multiple of 8, at least 16)", ErrLength, n)
	}
	var a [semiblock]byte
	ret, out := sliceForAppend(dst, n-semiblock)
	if n == 2*semiblock {
		s := scratch.Get().(*[16]byte)
		b.Decrypt(s[:], ciphertext)
		copy(a[:], s[:semiblock])
		copy(out, s[semiblock:])
		clear(s[:])
		scratch.Put(s)
	} else {
		copy(a[:], ciphertext)
		copy(out, ciphertext[semiblock:])
		unwrap(b, &a, out)
	}

	// Every check runs, and their results are combined without branches,
	// so that the time taken does not say which one failed.
	padded := uint64(len(out))
	mli := uint64(binary.BigEndian.Uint32(a[4:]))
	ok := subtle.ConstantTimeCompare(a[:4], icv2[:])
	ok &= int(ctLess(padded-semiblock, mli)) & int(ctLessOrEq(mli, padded))
	var pad byte
	for i := padded - semiblock; i < padded; i++ {
		// Bytes at or after the indicated length must be zero.
		pad |= out[i] & byte(0-ctLessOrEq(mli, i))
	}
	ok &= subtle.ConstantTimeByteEq(pad, 0)
	if ok != 1 {
		clear(out)
		return nil, ErrUnwrap
	}
	return ret[:len(ret)-len(out)+int(mli)], nil
}

// ctLess returns 1 if x < y and 0 otherwise, in constant time, for
// x, y < 2^63.
func ctLess(x, y uint64) uint64 { return (x - y) >> 63 }

// ctLessOrEq returns 1 if x <= y and 0 otherwise, in constant time, for
// x, y < 2^63.
func ctLessOrEq(x, y uint64) uint64 { return 1 ^ ctLess(y, x) }

// wrap applies the wrapping function W of SP 800-38F section 6.1 in place:
// out holds the initial value followed by the n >= 2 plaintext semiblocks,
// and receives the ciphertext.
func wrap(b cipher.Block, out []byte) {
	n := uint64(len(out)/semiblock - 1)
	s := scratch.Get().(*[16]byte)
	copy(s[:semiblock], out[:semiblock])
	for j := uint64(0); j < 6; j++ {
		for i := uint64(1); i <= n; i++ {
			r := out[i*semiblock : (i+1)*semiblock]
			copy(s[semiblock:], r)
			b.Encrypt(s[:], s[:])
			copy(r, s[semiblock:])
			t := n*j + i
			binary.BigEndian.PutUint64(s[:semiblock], binary.BigEndian.Uint64(s[:semiblock])^t)
		}
	}
	copy(out[:semiblock], s[:semiblock])
	clear(s[:])
	scratch.Put(s)
}

// unwrap applies the unwrapping function W⁻¹ of SP 800-38F section 6.1 in
// place: a holds the first ciphertext semiblock and receives the recovered
// initial value, out holds the remaining n >= 2 semiblocks and receives the
// plaintext.
func unwrap(b cipher.Block, a *[semiblock]byte, out []byte) {
	n := uint64(len(out) / semiblock)
	s := scratch.Get().(*[16]byte)
	copy(s[:semiblock], a[:])
	for j := int64(5); j >= 0; j-- {
		for i := n; i >= 1; i-- {
			t := n*uint64(j) + i
			binary.BigEndian.PutUint64(s[:semiblock], binary.BigEndian.Uint64(s[:semiblock])^t)
			r := out[(i-1)*semiblock : i*semiblock]
			copy(s[semiblock:], r)
			b.Decrypt(s[:], s[:])
			copy(r, s[semiblock:])
		}
	}
	copy(a[:], s[:semiblock])
	clear(s[:])
	scratch.Put(s)
}

// sliceForAppend extends in by n bytes, reallocating if needed, and returns
// the whole slice and the new n-byte tail.
func sliceForAppend(in []byte, n int) (head, tail []byte) {
	if total := len(in) + n; cap(in) >= total {
		head = in[:total]
	} else {
		head = make([]byte, total)
		copy(head, in)
	}
	tail = head[len(in):]
	return
}
