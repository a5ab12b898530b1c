package builtin

import (
	"crypto/subtle"
	"encoding/binary"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/gopsa/psa/values"
)

// Per-key prepared state.
//
// Every entry point receives the raw key buffer, and building what the
// mechanism needs from it (an AES key schedule and GCM tables, a parsed and
// validated ECDSA or RSA key, an expanded ML-DSA key) can cost more than the
// operation itself. The core's key buffers are immutable and live exactly
// as long as their key slot, so the driver keeps what it prepared from a
// buffer, found by the buffer's identity (address and length), until the
// core says the buffer is going away (ForgetKey).
//
// A hit is also verified by content: the entry holds a copy of the key
// bytes, compared in constant time with the buffer on every lookup.
// Callers other than the core (test drivers, applications calling the
// driver directly) may pass transient buffers whose address the garbage
// collector later reuses for other bytes; such a buffer misses and its
// entry is replaced, so a call never runs with state prepared from other
// key bytes. Only whole key buffers as the entry points receive them are
// cached, never sub-slices or buffers that the driver made itself
// (ephemeral keys, derivation secrets), which would never be forgotten.
//
// The state is keyed by the buffer and by a prepKind that records what was
// prepared and every parameter besides the key bytes that it depends on:
// one key can serve several algorithms. Prepared values are shared by
// concurrent calls, so only values that are safe for concurrent use and
// never modified are cached (cipher.Block, cipher.AEAD, parsed keys); never
// a hash.Hash or other object with a running state. A mechanism that needs
// such an object keeps a sync.Pool of them (macKey), so that each call
// has its own.
//
// The cache is shared by every Driver in the process. That is safe, since
// hits are verified by content, and it lets the free functions that build
// each mechanism use it without a Driver. It is bounded: when full, a
// random entry is dropped.
//
// Wiping: the copies of key bytes, and the values prepared from them, are
// wiped only by ForgetKey, whose caller promises that no call is using the
// key any more. An entry dropped for room, or replaced because its address
// now holds other bytes, may still be in use by a call in progress, so it
// is left to the garbage collector, like the key schedules inside the
// standard library's ciphers, which cannot be wiped at all.

// cacheCapacity bounds the number of key buffers with prepared state.
const cacheCapacity = 1024

// cacheKindsPerKey bounds the number of states prepared from one key
// buffer (one key used with several algorithms or nonce sizes).
const cacheKindsPerKey = 8

// prepWhat names what was prepared from a key buffer.
type prepWhat uint8

const (
	prepBlock       prepWhat = iota + 1 // cipher.Block (keyBlock)
	prepXTS                             // xtsKeys
	prepAEAD                            // cipher.AEAD for one nonce and tag size
	prepGCMKey                          // gcmKeyState
	prepECDSA                           // *ecdsaKey
	prepRSA                             // *rsaKey
	prepEdDSA                           // *eddsaKey
	prepMLDSA                           // *mldsaKey
	prepSLHDSA                          // *slhdsaKey
	prepMLKEMEncaps                     // *mlkemKey
	prepMLKEMDecaps                     // *mlkemDecapsKey
	prepECDH                            // *ecdh.PrivateKey
	prepMAC                             // *macKey for one MAC algorithm (a)
)

// prepKind identifies a prepared state of a key buffer: what it is and the
// parameters, other than the key bytes, that it was built from.
type prepKind struct {
	what prepWhat
	t    values.KeyType
	bits int
	a, b int // kind-specific: AEAD kind and nonce size, tag size
}

// bufID identifies a key buffer by address and length. The address is
// kept as an integer so that the cache does not keep the buffer alive.
type bufID struct {
	p uintptr
	n int
}

func bufIDOf(key []byte) bufID {
	return bufID{uintptr(unsafe.Pointer(unsafe.SliceData(key))), len(key)}
}

// preparedState is one state prepared from a key buffer. key is its own
// copy of the key bytes, which v may alias (a parsed key that keeps its
// scalar, say), so that the state never refers to the caller's memory.
type preparedState struct {
	kind prepKind
	key  []byte
	v    any
}

// cacheEntry holds the states prepared from one key buffer. Every state's
// key holds the same bytes. An entry is never changed once it is in the
// cache, since lookups read it without a lock: insert replaces it with a
// new one. Only forget wipes it, when no call may use it any more.
type cacheEntry struct {
	id     bufID
	states []preparedState
}

// find returns the state of kind if the entry's copy of the key bytes
// equals key.
func (e *cacheEntry) find(key []byte, kind prepKind) (any, bool) {
	if !keyEqual(e.states[0].key, key) {
		return nil, false
	}
	for i := range e.states {
		if e.states[i].kind == kind {
			return e.states[i].v, true
		}
	}
	return nil, false
}

// keyEqual reports whether a and b hold the same bytes, in a time that
// depends only on their lengths. It is crypto/subtle.ConstantTimeCompare
// eight bytes at a time: every hit compares a whole key, and the byte loop
// was a tenth of a 64-byte AES-GCM call.
func keyEqual(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	var acc uint64
	i := 0
	for ; i+8 <= len(a); i += 8 {
		acc |= binary.LittleEndian.Uint64(a[i:]) ^ binary.LittleEndian.Uint64(b[i:])
	}
	for ; i < len(a); i++ {
		acc |= uint64(a[i] ^ b[i])
	}
	return subtle.ConstantTimeEq(int32(uint32(acc)|uint32(acc>>32)), 0) == 1
}

// fastSlots is the number of slots of keyCache.fast, a power of two.
const fastSlots = 256

// keyCache maps key buffers to their prepared states. Lookups allocate
// nothing. A lookup first tries fast, a small table indexed by a hash of
// the buffer's address, which takes no lock and hashes no map key; on a
// miss there it takes the read lock and looks in m.
//
// fast is written only with mu held (the read lock suffices to promote an
// entry that is in m, since writers of m take the write lock), so every
// entry in fast is also in m: forget and eviction remove an entry from
// both at once.
type keyCache struct {
	mu   sync.RWMutex
	m    map[bufID]*cacheEntry
	fast [fastSlots]atomic.Pointer[cacheEntry]
}

var prepCache = keyCache{m: make(map[bufID]*cacheEntry)}

func fastSlot(id bufID) int {
	// Key buffers are heap objects at least 16-byte aligned: drop the low
	// bits, and fold in higher ones so that buffers in distinct spans
	// spread.
	p := id.p >> 4
	return int((p ^ p>>8 ^ p>>16) & (fastSlots - 1))
}

// prepared returns the state of kind prepared from key, calling prepare
// with a private copy of key on a miss. prepare must return a value that
// is safe for concurrent use and never modified afterwards; it may keep
// the copy it is given, which ForgetKey wipes, and it implements wiper if
// it holds other key material that ForgetKey should wipe. Multi-part
// operations outlive ForgetKey (the core lets them finish after a purge):
// they may keep values that are not wiped (cipher.Block), and copy the
// rest. Errors are not cached. An empty key is prepared every time.
func prepared[T any](key []byte, kind prepKind, prepare func(key []byte) (T, error)) (T, error) {
	if len(key) == 0 {
		return prepare(key)
	}
	id := bufIDOf(key)
	if v, ok := prepCache.lookup(id, key, kind); ok {
		if b, ok := v.(*box[T]); ok {
			return b.v, nil
		}
	}
	st := preparedState{kind: kind, key: append([]byte(nil), key...)}
	t, err := prepare(st.key)
	if err != nil {
		clear(st.key)
		return t, err
	}
	st.v = &box[T]{t}
	if b, ok := prepCache.insert(id, st).(*box[T]); ok {
		return b.v, nil
	}
	return t, nil
}

// box holds a prepared value in the cache: asserting an any to *box[T] is
// a comparison of type words, where asserting it to an interface type T
// (cipher.Block) would look up an itab on every hit.
type box[T any] struct{ v T }

func (b *box[T]) wipe() {
	if w, ok := any(b.v).(wiper); ok {
		w.wipe()
	}
}

// lookup returns the state of kind prepared from the buffer id if the
// entry's copy of the key bytes equals key.
func (c *keyCache) lookup(id bufID, key []byte, kind prepKind) (any, bool) {
	slot := &c.fast[fastSlot(id)]
	if e := slot.Load(); e != nil && e.id == id {
		return e.find(key, kind)
	}
	c.mu.RLock()
	e := c.m[id]
	if e != nil {
		slot.Store(e)
	}
	c.mu.RUnlock()
	if e == nil {
		return nil, false
	}
	return e.find(key, kind)
}

// insert records st for the buffer id and returns the state to use: st's
// value, or that of a concurrent call that prepared the same state first.
func (c *keyCache) insert(id bufID, st preparedState) any {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.m[id]
	if e != nil && subtle.ConstantTimeCompare(e.states[0].key, st.key) != 1 {
		e = nil // the address now holds other key bytes: replace the entry
	}
	var states []preparedState
	if e == nil {
		if _, ok := c.m[id]; !ok && len(c.m) >= cacheCapacity {
			for old, oe := range c.m { // map iteration starts at random
				delete(c.m, old)
				c.fast[fastSlot(old)].CompareAndSwap(oe, nil)
				break
			}
		}
		states = []preparedState{st}
	} else {
		for i := range e.states {
			if e.states[i].kind == st.kind {
				// Another call prepared it first: ours was never shared.
				clear(st.key)
				if w, ok := st.v.(wiper); ok {
					w.wipe()
				}
				return e.states[i].v
			}
		}
		keep := e.states
		if len(keep) >= cacheKindsPerKey {
			// Drop the oldest state, not wiped: a call may be using it.
			keep = keep[1:]
		}
		states = append(append(make([]preparedState, 0, len(keep)+1), keep...), st)
	}
	ne := &cacheEntry{id: id, states: states}
	c.m[id] = ne
	c.fast[fastSlot(id)].Store(ne)
	return st.v
}

// forget drops the entry of the buffer key and wipes its copies of the
// key bytes (which prepared values may alias) and the values that are
// wipers.
func (c *keyCache) forget(key []byte) {
	if len(key) == 0 {
		return
	}
	id := bufIDOf(key)
	c.mu.Lock()
	e := c.m[id]
	delete(c.m, id)
	if e != nil {
		c.fast[fastSlot(id)].CompareAndSwap(e, nil)
	}
	c.mu.Unlock()
	if e == nil {
		return
	}
	for i := range e.states {
		clear(e.states[i].key)
		if w, ok := e.states[i].v.(wiper); ok {
			w.wipe() // a *box, which passes it on
		}
		e.states[i].v = nil
	}
}

// wiper is a prepared value that holds key material in buffers of its own,
// besides the copy it was prepared from, and wipes them when the key
// buffer is forgotten.
type wiper interface{ wipe() }

// ForgetKey implements driver.KeyForgetter: the core calls it when the key
// buffer key is about to be wiped, and no call is using it any more. The
// driver drops what it prepared from the buffer and wipes its copies of
// the key bytes. attrs is not needed: the buffer identifies the state. It
// is safe for concurrent use with calls using other keys.
func (d *Driver) ForgetKey(attrs values.Attributes, key []byte) {
	prepCache.forget(key)
}
