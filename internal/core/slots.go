package core

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// Key identifier ranges of gopsa (see the package documentation).
const (
	VendorPersistentMin values.KeyID = 0x40000000
	VendorPersistentMax values.KeyID = 0x7fefffff
	VolatileMin         values.KeyID = 0x7ff00000
	VolatileMax         values.KeyID = 0x7ffeffff
	BuiltinMin          values.KeyID = 0x7fff0000
	BuiltinMax          values.KeyID = 0x7fffefff
)

// IsPersistentID reports whether id may name a persistent key that the
// application creates.
func IsPersistentID(id values.KeyID) bool {
	return (id >= values.KeyIDUserMin && id <= values.KeyIDUserMax) ||
		(id >= VendorPersistentMin && id <= VendorPersistentMax)
}

// Slot is a key in memory. Attrs and Key never change once the slot is
// published; use Acquire and Release around any access to Key.
type Slot struct {
	Attrs values.Attributes
	// Key is the key material in export format for a key in local
	// storage, or the driver's key context for an opaque key.
	Key []byte

	users     atomic.Int32
	removed   atomic.Bool // no longer in the table: wipe when unused
	destroyed atomic.Bool // removed by Destroy (not by purge or eviction)
	creating  bool        // reserved by a creation in progress (under Core.mu)
	wipe      sync.Once
	// disp is told when Key is wiped (driver.KeyForgetter), so that
	// drivers drop what they derived from it. Set when the slot enters
	// the table.
	disp driver.Dispatcher
}

func (s *Slot) release() {
	if s.users.Add(-1) == 0 && s.removed.Load() {
		s.wipeKey()
	}
}

// retire marks a slot that has left the table; its key is wiped now if no
// use is in progress, or by the last Release.
func (s *Slot) retire() {
	s.removed.Store(true)
	if s.users.Load() == 0 {
		s.wipeKey()
	}
}

// wipeKey wipes the key material, after telling the drivers that the
// buffer goes away if the dispatch layer implements driver.KeyForgetter
// (the generated one does). No use of the slot is in progress.
func (s *Slot) wipeKey() {
	s.wipe.Do(func() {
		if f, ok := s.disp.(driver.KeyForgetter); ok && len(s.Key) > 0 {
			f.ForgetKey(s.Attrs, s.Key)
		}
		clear(s.Key)
	})
}

// Release ends a use of the slot started by a lookup.
func (c *Core) Release(s *Slot) { s.release() }

// acquire returns the slot of id with a use counted, loading a persistent
// or built-in key on first use.
func (c *Core) acquire(id values.KeyID) (*Slot, error) {
	c.mu.RLock()
	s, ok := c.slots[id]
	if ok && !s.creating {
		s.users.Add(1)
		c.mu.RUnlock()
		return s, nil
	}
	closed := c.closed
	c.mu.RUnlock()
	if closed {
		return nil, errClosed
	}
	if ok { // being created: not a key yet
		return nil, fmt.Errorf("key 0x%08x does not exist: %w", uint32(id), values.ErrInvalidHandle)
	}
	return c.load(id)
}

// insert publishes a loaded slot, or returns the slot that another
// goroutine published first. The result has a use counted.
func (c *Core) insert(id values.KeyID, s *Slot) (*Slot, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, errClosed
	}
	if old, ok := c.slots[id]; ok {
		if old.creating {
			return nil, fmt.Errorf("key 0x%08x does not exist: %w", uint32(id), values.ErrInvalidHandle)
		}
		old.users.Add(1)
		return old, nil
	}
	c.evictLocked()
	s.disp = c.disp
	c.slots[id] = s
	c.cached++
	s.users.Add(1)
	return s, nil
}

// evictLocked makes room for one more cached persistent key. It evicts an
// unused cached key chosen by map iteration order, which is random.
func (c *Core) evictLocked() {
	if c.cached < c.cacheSize {
		return
	}
	for id, s := range c.slots {
		if s.creating || s.Attrs.Lifetime.IsVolatile() || s.users.Load() != 0 {
			continue
		}
		delete(c.slots, id)
		c.cached--
		s.retire()
		if c.cached < c.cacheSize {
			return
		}
	}
	// Every cached key is in use: go over the bound rather than fail.
}

// reserve claims id for a key being created. It fails with
// ErrAlreadyExists if a key with that identifier exists in memory.
func (c *Core) reserve(id values.KeyID) (*Slot, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, errClosed
	}
	if _, ok := c.slots[id]; ok {
		return nil, fmt.Errorf("key 0x%08x already exists: %w", uint32(id), values.ErrAlreadyExists)
	}
	s := &Slot{creating: true, disp: c.disp}
	c.slots[id] = s
	return s, nil
}

// reserveVolatile allocates a volatile key identifier and claims it.
func (c *Core) reserveVolatile() (values.KeyID, *Slot, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, nil, errClosed
	}
	const n = uint32(VolatileMax - VolatileMin + 1)
	for range n {
		id := VolatileMin + values.KeyID(c.nextVolatile%n)
		c.nextVolatile++
		if _, used := c.slots[id]; !used {
			s := &Slot{creating: true, disp: c.disp}
			c.slots[id] = s
			return id, s, nil
		}
	}
	return 0, nil, fmt.Errorf("create volatile key: all %d volatile key identifiers are in use: %w", n, values.ErrInsufficientMemory)
}

// publish turns a reserved slot into a key.
func (c *Core) publish(id values.KeyID, s *Slot) {
	c.mu.Lock()
	s.creating = false
	if !s.Attrs.Lifetime.IsVolatile() {
		c.evictLocked()
		c.cached++
	}
	c.mu.Unlock()
}

// unreserve abandons a creation.
func (c *Core) unreserve(id values.KeyID, s *Slot) {
	c.mu.Lock()
	if c.slots[id] == s {
		delete(c.slots, id)
	}
	c.mu.Unlock()
	s.retire()
}

// remove takes s out of the table (destroy or purge).
func (c *Core) remove(id values.KeyID, s *Slot) {
	c.mu.Lock()
	if c.slots[id] == s {
		delete(c.slots, id)
		if !s.Attrs.Lifetime.IsVolatile() {
			c.cached--
		}
	}
	c.mu.Unlock()
	s.retire()
}
