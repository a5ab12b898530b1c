package builtin

import (
	"crypto/hmac"
	"crypto/subtle"
	"fmt"
	"hash"
	"sync"

	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/blake2s"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/internal/cmac"
	"github.com/gopsa/psa/values"
)

// MACs: mac_compute, mac_verify and the mac_multipart and
// mac_verify_multipart families.
//
// Supported: HMAC over every hash of Table 14 of the specification that
// the builtin driver implements (MD5, RIPEMD-160, SHA-1, the SHA-2 and
// SHA-3 families, BLAKE2s-256, BLAKE2b-512) with a PSA_KEY_TYPE_HMAC key;
// CMAC and CBC-MAC (ISO/IEC 9797-1 MAC algorithm 1, zero padding) over
// AES, ARIA, Camellia and DES (single, two- and three-key); the BLAKE2s
// and BLAKE2b MACs at their full length with a PSA_KEY_TYPE_BLAKE2 key; and
// truncations of those to 4 bytes or more (PSA_ALG_TRUNCATED_MAC).
//
// Not supported: truncated BLAKE2 MACs, because the specification
// does not settle whether the tag length is BLAKE2's digest-length
// parameter or a truncation, and the two give different tags; BLAKE2sp
// and BLAKE2bp; MACs over SM4; truncations below 4 bytes, the minimum the
// builtin driver accepts (the specification leaves it to the
// implementation).

// minMACLength is the shortest truncated MAC the driver computes, as in
// the C reference implementation.
const minMACLength = 4

// macLengthField extracts the truncation length of a MAC algorithm
// (0 for the full length), as PSA_MAC_TRUNCATED_LENGTH does.
func macLengthField(alg values.Algorithm) int { return int(alg>>16) & 0x3f }

// newMAC validates a MAC request and returns the keyed MAC, ready for
// input, and the length of the MAC that alg asks for. It is the one place
// where MACs are built.
func newMAC(op string, attrs values.Attributes, key []byte, alg values.Algorithm) (hash.Hash, int, error) {
	if !alg.IsMAC() {
		return nil, 0, fmt.Errorf("%s: %v is not a MAC algorithm: %w", op, alg, values.ErrInvalidArgument)
	}
	if alg.IsWildcard() {
		return nil, 0, fmt.Errorf("%s: %v is a policy wildcard, not a MAC algorithm: %w", op, alg, values.ErrInvalidArgument)
	}
	base := values.AlgFullLengthMAC(alg)
	t := attrs.Type
	var h hash.Hash
	switch {
	case base.IsHMAC():
		info, err := hmacHash(op, base.Hash())
		if err != nil {
			return nil, 0, err
		}
		if t != values.KeyTypeHMAC {
			return nil, 0, fmt.Errorf("%s: %v needs a %v key, not %v: %w", op, base, values.KeyTypeHMAC, t, values.ErrInvalidArgument)
		}
		h = hmac.New(info.new, key)
	case base == values.AlgCMAC || base == values.AlgCBCMAC:
		if !isBlockCipherKey(t) {
			return nil, 0, fmt.Errorf("%s: %v needs a block cipher key (AES, ARIA, Camellia or DES), not %v: %w", op, base, t, values.ErrInvalidArgument)
		}
		b, err := keyBlock(op, t, key)
		if err != nil {
			return nil, 0, err
		}
		if base == values.AlgCMAC {
			h, err = cmac.New(b)
		} else {
			h, err = cmac.NewCBCMAC(b)
		}
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %v: %w", op, err, values.ErrInvalidArgument)
		}
	case base.IsBLAKE2MAC():
		var err error
		if h, err = newBLAKE2MAC(op, t, key, base, alg); err != nil {
			return nil, 0, err
		}
	default:
		return nil, 0, fmt.Errorf("%s: MAC algorithm %v is not supported by the builtin driver: %w", op, alg, values.ErrNotSupported)
	}
	n := h.Size()
	if l := macLengthField(alg); l != 0 {
		if l > n {
			return nil, 0, fmt.Errorf("%s: %v truncates to %d bytes, longer than the %d-byte MAC: %w", op, alg, l, n, values.ErrInvalidArgument)
		}
		if l < minMACLength {
			return nil, 0, fmt.Errorf("%s: %v truncates to %d bytes; the builtin driver computes MACs of at least %d bytes: %w", op, alg, l, minMACLength, values.ErrNotSupported)
		}
		n = l
	}
	return h, n, nil
}

// hmacHash returns the hash of an HMAC algorithm if HMAC is defined for it
// (Table 14 of the specification) and the driver implements it.
func hmacHash(op string, alg values.Algorithm) (*hashInfo, error) {
	if alg == 0 {
		return nil, fmt.Errorf("%s: the HMAC algorithm names no hash: %w", op, values.ErrNotSupported)
	}
	info, err := lookupHash(op, alg)
	if err != nil {
		return nil, err
	}
	if info.new == nil || alg == values.AlgSHA256_192 {
		return nil, fmt.Errorf("%s: the specification defines no HMAC block size for %v, so HMAC over it is not supported: %w", op, alg, values.ErrNotSupported)
	}
	return info, nil
}

// newBLAKE2MAC returns keyed BLAKE2 (RFC 7693) at its full length.
func newBLAKE2MAC(op string, t values.KeyType, key []byte, base, alg values.Algorithm) (hash.Hash, error) {
	if t != values.KeyTypeBLAKE2 {
		return nil, fmt.Errorf("%s: %v needs a %v key, not %v: %w", op, base, values.KeyTypeBLAKE2, t, values.ErrInvalidArgument)
	}
	if macLengthField(alg) != 0 {
		return nil, fmt.Errorf("%s: truncated BLAKE2 MACs are not supported by the builtin driver (use the full-length %v): %w", op, base, values.ErrNotSupported)
	}
	switch base.Hash() {
	case values.AlgBLAKE2bHash512:
		if len(key) == 0 || len(key) > blake2b.Size {
			return nil, fmt.Errorf("%s: a BLAKE2b MAC key is 1 to 64 bytes, got %d: %w", op, len(key), values.ErrInvalidArgument)
		}
		return blake2b.New512(key)
	case values.AlgBLAKE2sHash256:
		if len(key) == 0 || len(key) > blake2s.Size {
			return nil, fmt.Errorf("%s: a BLAKE2s MAC key is 1 to 32 bytes, got %d: %w", op, len(key), values.ErrInvalidArgument)
		}
		return blake2s.New256(key)
	}
	return nil, fmt.Errorf("%s: %v is not supported by the builtin driver (no Go implementation of BLAKE2sp or BLAKE2bp): %w", op, base, values.ErrNotSupported)
}

// MACCompute is the "mac_compute" entry point: it appends the MAC of input,
// truncated as alg says, to dst. HMAC, CMAC and CBC-MAC allocate nothing
// beyond the output once the key is prepared.
func (d *Driver) MACCompute(attrs values.Attributes, key []byte, alg values.Algorithm, input, dst []byte) ([]byte, error) {
	const op = "mac compute"
	if mk, n, ok, err := macFast(op, attrs, key, alg); ok {
		if err != nil {
			return nil, err
		}
		st := mk.get()
		st.h.Write(input)
		out := appendMAC(st.h, n, dst)
		mk.put(st)
		return out, nil
	}
	h, n, err := newMAC(op, attrs, key, alg)
	if err != nil {
		return nil, err
	}
	h.Write(input)
	return appendMAC(h, n, dst), nil
}

// MACVerify is the "mac_verify" entry point: values.ErrInvalidSignature
// unless mac is the MAC of input. The comparison takes a time that
// depends only on the lengths.
func (d *Driver) MACVerify(attrs values.Attributes, key []byte, alg values.Algorithm, input, mac []byte) error {
	const op = "mac verify"
	if mk, n, ok, err := macFast(op, attrs, key, alg); ok {
		if err != nil {
			return err
		}
		st := mk.get()
		st.h.Write(input)
		match := subtle.ConstantTimeCompare(st.h.Sum(st.sum[:0])[:n], mac)
		mk.put(st)
		if match != 1 {
			return fmt.Errorf("%s: the MAC does not match: %w", op, values.ErrInvalidSignature)
		}
		return nil
	}
	h, n, err := newMAC(op, attrs, key, alg)
	if err != nil {
		return err
	}
	h.Write(input)
	return verifyMAC(op, h, n, mac)
}

// macKey is a MAC key prepared for single-part calls with one algorithm: a
// pool of MACs keyed with it, each used by one call at a time and reset
// before it goes back, so that the prepared value shared by concurrent
// calls holds no running state. A reset Go HMAC restores its saved inner
// and outer pad states instead of hashing the pads again, and a reset
// CMAC keeps its subkeys, so a pooled call processes only the message.
// Multi-part operations, which outlive ForgetKey, build their own MAC
// (newMAC).
//
// The pooled MACs hold key material inside crypto/hmac and internal/cmac
// (the padded key, the subkeys and key schedule) where it cannot be wiped:
// like the key schedules of the cached block ciphers, they are left to the
// garbage collector, which drops a pool's contents within two collections
// once the entry is forgotten.
type macKey struct {
	size int       // full MAC length
	pool sync.Pool // of *macState
}

// macState is one pooled MAC, with room for a MAC to compare so that
// MACVerify's buffer does not escape to the heap through the hash.Hash
// interface.
type macState struct {
	h   hash.Hash
	sum [values.MACMaxSize]byte
}

// newMACKey returns a pool that starts with first and makes more MACs with
// mk.
func newMACKey(first hash.Hash, mk func() hash.Hash) *macKey {
	k := &macKey{size: first.Size()}
	k.pool.New = func() any { return &macState{h: mk()} }
	k.pool.Put(&macState{h: first})
	return k
}

func (k *macKey) get() *macState { return k.pool.Get().(*macState) }

func (k *macKey) put(st *macState) {
	st.h.Reset()
	clear(st.sum[:])
	k.pool.Put(st)
}

// macFast returns the prepared MAC key for a single-part HMAC, CMAC or
// CBC-MAC and the MAC length, with ok set; err is then the error of the
// request, with the statuses and messages of newMAC, checked in the same
// order. ok is false for other requests (BLAKE2 MACs, algorithms that are
// not MACs or not supported), which newMAC handles on each call.
func macFast(op string, attrs values.Attributes, key []byte, alg values.Algorithm) (mk *macKey, n int, ok bool, err error) {
	if !alg.IsMAC() || alg.IsWildcard() {
		return nil, 0, false, nil
	}
	base := values.AlgFullLengthMAC(alg)
	t := attrs.Type
	kind := prepKind{what: prepMAC, t: t, a: int(base)}
	// The prepare functions get the cache's private copy of the key, which
	// lives as long as the entry, so the pools can key new MACs with it.
	switch {
	case base.IsHMAC():
		info, err := hmacHash(op, base.Hash())
		if err != nil {
			return nil, 0, true, err
		}
		if t != values.KeyTypeHMAC {
			return nil, 0, true, fmt.Errorf("%s: %v needs a %v key, not %v: %w", op, base, values.KeyTypeHMAC, t, values.ErrInvalidArgument)
		}
		mk, err = prepared(key, kind, func(key []byte) (*macKey, error) {
			mk := func() hash.Hash { return hmac.New(info.new, key) }
			return newMACKey(mk(), mk), nil
		})
		if err != nil {
			return nil, 0, true, err
		}
	case base == values.AlgCMAC || base == values.AlgCBCMAC:
		if !isBlockCipherKey(t) {
			return nil, 0, true, fmt.Errorf("%s: %v needs a block cipher key (AES, ARIA, Camellia or DES), not %v: %w", op, base, t, values.ErrInvalidArgument)
		}
		newH := cmac.New
		if base == values.AlgCBCMAC {
			newH = cmac.NewCBCMAC
		}
		mk, err = prepared(key, kind, func(key []byte) (*macKey, error) {
			b, err := newBlock(op, t, key)
			if err != nil {
				return nil, err
			}
			first, err := newH(b)
			if err != nil {
				return nil, fmt.Errorf("%s: %v: %w", op, err, values.ErrInvalidArgument)
			}
			return newMACKey(first, func() hash.Hash {
				h, _ := newH(b) // cannot fail: it did not for first
				return h
			}), nil
		})
		if err != nil {
			return nil, 0, true, err
		}
	default:
		return nil, 0, false, nil
	}
	n = mk.size
	if l := macLengthField(alg); l != 0 {
		if l > n {
			return nil, 0, true, fmt.Errorf("%s: %v truncates to %d bytes, longer than the %d-byte MAC: %w", op, alg, l, n, values.ErrInvalidArgument)
		}
		if l < minMACLength {
			return nil, 0, true, fmt.Errorf("%s: %v truncates to %d bytes; the builtin driver computes MACs of at least %d bytes: %w", op, alg, l, minMACLength, values.ErrNotSupported)
		}
		n = l
	}
	return mk, n, true, nil
}

// appendMAC appends the first n bytes of h's MAC to dst. The MAC is
// computed in place; the bytes that a truncation drops are wiped from
// dst's spare capacity.
func appendMAC(h hash.Hash, n int, dst []byte) []byte {
	out := h.Sum(dst)
	clear(out[len(dst)+n:])
	return out[:len(dst)+n]
}

// verifyMAC compares the first n bytes of h's MAC with mac in constant
// time.
func verifyMAC(op string, h hash.Hash, n int, mac []byte) error {
	var buf [values.MACMaxSize]byte
	if subtle.ConstantTimeCompare(h.Sum(buf[:0])[:n], mac) != 1 {
		return fmt.Errorf("%s: the MAC does not match: %w", op, values.ErrInvalidSignature)
	}
	return nil
}

// MACSignSetup is the "mac_sign_setup" entry point of the "mac_multipart"
// family.
func (d *Driver) MACSignSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (driver.MACOperation, error) {
	h, n, err := newMAC("mac sign setup", attrs, key, alg)
	if err != nil {
		return nil, err
	}
	return &macOperation{h: h, n: n}, nil
}

// MACVerifySetup is the "mac_verify_setup" entry point of the
// "mac_verify_multipart" family.
func (d *Driver) MACVerifySetup(attrs values.Attributes, key []byte, alg values.Algorithm) (driver.MACOperation, error) {
	h, n, err := newMAC("mac verify setup", attrs, key, alg)
	if err != nil {
		return nil, err
	}
	return &macOperation{h: h, n: n}, nil
}

// macOperation is a MAC computation or verification in progress.
type macOperation struct {
	h hash.Hash
	n int
}

// Update absorbs input.
func (o *macOperation) Update(input []byte) error {
	o.h.Write(input)
	return nil
}

// SignFinish appends the MAC to dst.
func (o *macOperation) SignFinish(dst []byte) ([]byte, error) {
	out := appendMAC(o.h, o.n, dst)
	o.h = nil
	return out, nil
}

// VerifyFinish compares the MAC with mac in constant time.
func (o *macOperation) VerifyFinish(mac []byte) error {
	err := verifyMAC("mac verify finish", o.h, o.n, mac)
	o.h = nil
	return err
}

// Abort releases the operation.
func (o *macOperation) Abort() error {
	o.h = nil
	return nil
}
