package storage

import (
	"fmt"
	"slices"
	"sync"

	"github.com/gopsa/psa/values"
)

// Memory is a Store that keeps its items in memory, for tests and for
// volatile use. It copies data in and out, so a caller may reuse or wipe
// its buffers. The zero value is not usable: create one with NewMemory.
// A Memory is safe for concurrent use by multiple goroutines.
type Memory struct {
	mu    sync.RWMutex
	items map[UID]memItem
}

type memItem struct {
	data  []byte
	flags CreateFlags
}

var (
	_ Store  = (*Memory)(nil)
	_ Lister = (*Memory)(nil)
)

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	return &Memory{items: make(map[UID]memItem)}
}

// Set implements Store.
func (m *Memory) Set(uid UID, data []byte, flags CreateFlags) error {
	if err := checkUID("set", uid); err != nil {
		return err
	}
	if err := checkSize(uid, len(data)); err != nil {
		return err
	}
	// Copy before taking the lock: the copy is the only allocation.
	item := memItem{data: slices.Clone(data), flags: flags}
	if item.data == nil {
		item.data = []byte{}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.items[uid]; ok {
		if old.flags&FlagWriteOnce != 0 {
			return fmt.Errorf("storage: set %v: item is write-once: %w", uid, values.ErrNotPermitted)
		}
		clear(old.data)
	}
	m.items[uid] = item
	return nil
}

// Get implements Store.
func (m *Memory) Get(uid UID, offset int, dst []byte) (int, error) {
	if err := checkUID("get", uid); err != nil {
		return 0, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	item, ok := m.items[uid]
	if !ok {
		return 0, notExist("get", uid)
	}
	if err := checkRange(uid, offset, len(dst), len(item.data)); err != nil {
		return 0, err
	}
	return copy(dst, item.data[offset:]), nil
}

// Info implements Store.
func (m *Memory) Info(uid UID) (Info, error) {
	if err := checkUID("info", uid); err != nil {
		return Info{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	item, ok := m.items[uid]
	if !ok {
		return Info{}, notExist("info", uid)
	}
	return Info{Size: len(item.data), Flags: item.flags}, nil
}

// Remove implements Store.
func (m *Memory) Remove(uid UID) error {
	if err := checkUID("remove", uid); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	item, ok := m.items[uid]
	if !ok {
		return notExist("remove", uid)
	}
	if item.flags&FlagWriteOnce != 0 {
		return fmt.Errorf("storage: remove %v: item is write-once: %w", uid, values.ErrNotPermitted)
	}
	// Items are often keys: do not leave the bytes for the collector.
	clear(item.data)
	delete(m.items, uid)
	return nil
}

// UIDs implements Lister.
func (m *Memory) UIDs() ([]UID, error) {
	m.mu.RLock()
	uids := make([]UID, 0, len(m.items))
	for uid := range m.items {
		uids = append(uids, uid)
	}
	m.mu.RUnlock()
	slices.Sort(uids)
	return uids, nil
}

func (m *Memory) readAll(uid UID) ([]byte, Info, error) {
	if err := checkUID("get", uid); err != nil {
		return nil, Info{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	item, ok := m.items[uid]
	if !ok {
		return nil, Info{}, notExist("get", uid)
	}
	return slices.Clone(item.data), Info{Size: len(item.data), Flags: item.flags}, nil
}

func notExist(op string, uid UID) error {
	return fmt.Errorf("storage: %s %v: no such item: %w", op, uid, values.ErrDoesNotExist)
}
