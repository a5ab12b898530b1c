package core

import (
	"crypto/rand"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"sync"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/internal/keyfile"
	"github.com/gopsa/psa/storage"
	"github.com/gopsa/psa/values"
)

// DefaultCacheSize is the default bound on persistent keys kept in memory.
const DefaultCacheSize = 1024

// BuiltinKey locates a built-in key of an opaque driver.
type BuiltinKey struct {
	Location values.Location
	Slot     driver.SlotNumber
}

// Config is what an instance is made of.
type Config struct {
	// Store holds persistent keys and driver state. Nil means that the
	// instance has no persistent storage: creating a persistent key then
	// fails with ErrNotSupported.
	Store storage.Store
	// Dispatch reaches the drivers. Required.
	Dispatch driver.Dispatcher
	// Rand is the random source when no random generator driver is in the
	// build. Nil means crypto/rand.
	Rand io.Reader
	// CacheSize bounds the number of persistent keys kept in memory;
	// 0 means DefaultCacheSize.
	CacheSize int
	// Builtin maps key identifiers in the built-in range to the keys of
	// opaque drivers.
	Builtin map[values.KeyID]BuiltinKey
}

// Core is one PSA implementation: its keys, its store, its drivers. It is
// safe for concurrent use.
type Core struct {
	store     storage.Store
	disp      driver.Dispatcher
	rand      io.Reader
	builtin   map[values.KeyID]BuiltinKey
	cacheSize int

	mu           sync.RWMutex
	slots        map[values.KeyID]*Slot
	cached       int // persistent and built-in slots in the table
	nextVolatile uint32
	closed       bool
}

var errClosed = fmt.Errorf("the PSA instance is closed: %w", values.ErrBadState)

// New creates a core and initializes its drivers.
func New(cfg Config) (*Core, error) {
	if cfg.Dispatch == nil {
		return nil, fmt.Errorf("core: no dispatch layer: %w", values.ErrBadState)
	}
	c := &Core{
		store:     cfg.Store,
		disp:      cfg.Dispatch,
		rand:      cfg.Rand,
		builtin:   cfg.Builtin,
		cacheSize: cfg.CacheSize,
		slots:     make(map[values.KeyID]*Slot),
	}
	if c.rand == nil {
		c.rand = rand.Reader
	}
	if c.cacheSize <= 0 {
		c.cacheSize = DefaultCacheSize
	}
	for id, b := range c.builtin {
		if id < BuiltinMin || id > BuiltinMax {
			return nil, fmt.Errorf("core: built-in key 0x%08x is outside the built-in key range 0x%08x-0x%08x: %w",
				uint32(id), uint32(BuiltinMin), uint32(BuiltinMax), values.ErrInvalidArgument)
		}
		if b.Location == values.LocationLocalStorage {
			return nil, fmt.Errorf("core: built-in key 0x%08x must be in an opaque driver's location, not local storage: %w",
				uint32(id), values.ErrInvalidArgument)
		}
	}
	if err := c.disp.Init(hostFactory{c}); err != nil {
		return nil, fmt.Errorf("initialize drivers: %w", err)
	}
	return c, nil
}

// Close frees the drivers and wipes every key in memory. Calls made after
// Close fail with ErrBadState.
func (c *Core) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	slots := c.slots
	c.slots = nil
	c.mu.Unlock()
	for _, s := range slots {
		s.retire()
	}
	return c.disp.Free()
}

// Dispatch returns the dispatch layer.
func (c *Core) Dispatch() driver.Dispatcher { return c.disp }

// Rand returns the instance's random source: the build's random generator
// driver if there is one, the configured source otherwise.
func (c *Core) Rand() io.Reader { return randReader{c} }

type randReader struct{ c *Core }

func (r randReader) Read(p []byte) (int, error) {
	if err := r.c.GenerateRandom(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// GenerateRandom fills out with random bytes (psa_generate_random).
func (c *Core) GenerateRandom(out []byte) error {
	if len(out) == 0 {
		return nil
	}
	err := c.disp.GetRandom(out)
	if err == nil {
		return nil
	}
	if !driver.IsNotSupported(err) {
		return fmt.Errorf("generate random: %w", err)
	}
	if _, err := io.ReadFull(c.rand, out); err != nil {
		return fmt.Errorf("generate random: %v: %w", err, values.ErrInsufficientEntropy)
	}
	return nil
}

// load reads a persistent key from storage, or asks a driver for a
// built-in key, and publishes it.
func (c *Core) load(id values.KeyID) (*Slot, error) {
	if b, ok := c.builtin[id]; ok {
		return c.loadBuiltin(id, b)
	}
	if !IsPersistentID(id) || c.store == nil {
		return nil, fmt.Errorf("key 0x%08x does not exist: %w", uint32(id), values.ErrInvalidHandle)
	}
	uid, err := keyfile.UID(id)
	if err != nil {
		return nil, fmt.Errorf("key 0x%08x: %w", uint32(id), err)
	}
	data, err := storage.ReadAll(c.store, uid)
	if err != nil {
		if errors.Is(err, values.ErrDoesNotExist) {
			return nil, fmt.Errorf("key 0x%08x does not exist: %w", uint32(id), values.ErrInvalidHandle)
		}
		return nil, fmt.Errorf("load key 0x%08x: %w", uint32(id), err)
	}
	k, err := keyfile.Decode(data)
	clear(data)
	if err != nil {
		return nil, fmt.Errorf("load key 0x%08x: %w", uint32(id), err)
	}
	s := &Slot{
		Attrs: values.Attributes{
			ID:       id,
			Lifetime: k.Lifetime,
			Type:     k.Type,
			Bits:     int(k.Bits),
			Usage:    k.Usage.WithImplied(), // files written before the implied flags existed
			Alg:      k.Alg,
			Alg2:     k.Alg2,
		},
		Key: k.Material,
	}
	if s.Attrs.Lifetime.IsVolatile() {
		clear(s.Key)
		return nil, fmt.Errorf("load key 0x%08x: the key file says the key is volatile: %w", uint32(id), values.ErrDataInvalid)
	}
	return c.insert(id, s)
}

func (c *Core) loadBuiltin(id values.KeyID, b BuiltinKey) (*Slot, error) {
	lt := values.LifetimeFromPersistenceAndLocation(values.PersistenceReadOnly, b.Location)
	attrs, key, err := c.disp.GetBuiltinKey(b.Slot, lt, nil)
	if err != nil {
		return nil, fmt.Errorf("built-in key 0x%08x (location 0x%06x, slot %d): %w", uint32(id), uint32(b.Location), b.Slot, err)
	}
	if attrs.Lifetime.Location() != b.Location {
		return nil, fmt.Errorf("built-in key 0x%08x: driver reported location 0x%06x, want 0x%06x: %w",
			uint32(id), uint32(attrs.Lifetime.Location()), uint32(b.Location), values.ErrCorruptionDetected)
	}
	attrs.ID = id
	attrs.Usage = attrs.Usage.WithImplied()
	return c.insert(id, &Slot{Attrs: attrs, Key: key})
}

// save writes a persistent key to storage.
func (c *Core) save(attrs values.Attributes, key []byte) error {
	uid, err := keyfile.UID(attrs.ID)
	if err != nil {
		return err
	}
	data, err := keyfile.Encode(&keyfile.Key{
		Lifetime: attrs.Lifetime,
		Type:     attrs.Type,
		Bits:     values.KeyBits(attrs.Bits),
		Usage:    attrs.Usage,
		Alg:      attrs.Alg,
		Alg2:     attrs.Alg2,
		Material: key,
	})
	if err != nil {
		return err
	}
	defer clear(data)
	return c.store.Set(uid, data, 0)
}

// existsInStore reports whether a persistent key file exists for id.
func (c *Core) existsInStore(id values.KeyID) (bool, error) {
	uid, err := keyfile.UID(id)
	if err != nil {
		return false, err
	}
	_, err = c.store.Info(uid)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, values.ErrDoesNotExist):
		return false, nil
	default:
		return false, err
	}
}

// driverStateUID is where a driver's persistent state is stored: above the
// 32-bit range that key files and the reserved non-key files of the storage
// specification use, at a hash of the driver's name, so that the state
// follows the driver whatever its place in the driver list.
func driverStateUID(name string) storage.UID {
	h := fnv.New32a()
	h.Write([]byte("gopsa driver state:" + name))
	return storage.UID(1<<32 | uint64(h.Sum32()))
}

// hostFactory gives each driver its Host, with persistent state kept in
// the store under a reserved identifier.
type hostFactory struct{ c *Core }

func (f hostFactory) Host(name string, stateSize int) (driver.Host, error) {
	h := &host{c: f.c, name: name}
	if stateSize > 0 {
		h.state = make([]byte, stateSize)
		if f.c.store != nil {
			uid := driverStateUID(name)
			data, err := storage.ReadAll(f.c.store, uid)
			switch {
			case err == nil:
				copy(h.state, data) // pad or truncate to the declared size
			case errors.Is(err, values.ErrDoesNotExist):
			default:
				return nil, fmt.Errorf("load persistent state of driver %q: %w", name, err)
			}
		}
	}
	return h, nil
}

type host struct {
	c     *Core
	name  string
	mu    sync.Mutex
	state []byte
}

func (h *host) Rand() io.Reader         { return h.c.Rand() }
func (h *host) PersistentState() []byte { return h.state }

func (h *host) CommitPersistentState(from, length int) error {
	if from < 0 || length < 0 || from+length > len(h.state) {
		return fmt.Errorf("commit persistent state of driver %q: range [%d, %d) is outside the %d-byte state: %w",
			h.name, from, from+length, len(h.state), values.ErrInvalidArgument)
	}
	if h.c.store == nil {
		return fmt.Errorf("commit persistent state of driver %q: the instance has no storage: %w", h.name, values.ErrStorageFailure)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	// The whole state is written: the store replaces items atomically, so
	// a crash never leaves a state with half of a commit.
	return h.c.store.Set(driverStateUID(h.name), h.state, 0)
}
