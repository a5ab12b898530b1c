package core

import (
	"errors"
	"fmt"
	"slices"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/internal/keyfile"
	"github.com/gopsa/psa/storage"
	"github.com/gopsa/psa/values"
)

// MaxKeyBits is the largest key size gopsa accepts (PSA_MAX_KEY_BITS).
const MaxKeyBits = 0xfff8

// knownUsage is every usage flag of the specification.
const knownUsage = values.UsageExport | values.UsageCopy | values.UsageCache | values.UsageDerivePublic |
	values.UsageEncrypt | values.UsageDecrypt | values.UsageSignMessage | values.UsageVerifyMessage |
	values.UsageSignHash | values.UsageVerifyHash | values.UsageDerive | values.UsageVerifyDerivation |
	values.UsageWrap | values.UsageUnwrap

// Attributes returns the attributes of key id (psa_get_key_attributes).
func (c *Core) Attributes(id values.KeyID) (values.Attributes, error) {
	s, err := c.acquire(id)
	if err != nil {
		return values.Attributes{}, err
	}
	a := s.Attrs
	s.release()
	return a, nil
}

// creation is a key being created: the checked attributes and the slot
// reserved for it.
type creation struct {
	c     *Core
	attrs values.Attributes
	slot  *Slot
	what  string // "import key", "generate key", ... for errors
	done  bool
}

// startCreate validates the attributes of a new key and reserves its
// identifier (psa_start_key_creation). The caller completes with finish or
// abandons with abort.
func (c *Core) startCreate(what string, attrs values.Attributes) (*creation, error) {
	if err := c.validateNew(what, &attrs); err != nil {
		return nil, err
	}
	attrs.Usage = attrs.Usage.WithImplied()
	cr := &creation{c: c, attrs: attrs, what: what}
	if attrs.Lifetime.IsVolatile() {
		id, s, err := c.reserveVolatile()
		if err != nil {
			return nil, err
		}
		cr.attrs.ID, cr.slot = id, s
		return cr, nil
	}
	s, err := c.reserve(attrs.ID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	cr.slot = s
	exists, err := c.existsInStore(attrs.ID)
	if err != nil || exists {
		c.unreserve(attrs.ID, s)
		if err == nil {
			err = fmt.Errorf("persistent key 0x%08x already exists: %w", uint32(attrs.ID), values.ErrAlreadyExists)
		}
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return cr, nil
}

// validateNew checks the lifetime, identifier and size of a key to create.
func (c *Core) validateNew(what string, a *values.Attributes) error {
	lt := a.Lifetime
	if a.Type == 0 {
		return fmt.Errorf("%s: the key type is PSA_KEY_TYPE_NONE; set a key type: %w", what, values.ErrNotSupported)
	}
	if unknown := a.Usage &^ knownUsage; unknown != 0 {
		return fmt.Errorf("%s: unknown usage flags 0x%08x (the flags are those of PSA_KEY_USAGE_*): %w", what, uint32(unknown), values.ErrInvalidArgument)
	}
	if a.Bits < 0 || a.Bits > MaxKeyBits {
		return fmt.Errorf("%s: %d bits is out of range (at most %d): %w", what, a.Bits, MaxKeyBits, values.ErrNotSupported)
	}
	switch lt.Persistence() {
	case values.PersistenceVolatile:
		if a.ID != values.KeyIDNull {
			return fmt.Errorf("%s: a volatile key cannot have an identifier (got 0x%08x; set none, or give a persistent lifetime): %w",
				what, uint32(a.ID), values.ErrInvalidArgument)
		}
	case values.PersistenceReadOnly:
		return fmt.Errorf("%s: keys with read-only persistence cannot be created (lifetime %v): %w", what, lt, values.ErrInvalidArgument)
	default:
		if a.ID < values.KeyIDUserMin || a.ID > values.KeyIDUserMax {
			return fmt.Errorf("%s: 0x%08x is not a valid identifier for an application's persistent key (want 0x%08x-0x%08x; the vendor range is the implementation's): %w",
				what, uint32(a.ID), uint32(values.KeyIDUserMin), uint32(values.KeyIDUserMax), values.ErrInvalidArgument)
		}
		if c.store == nil {
			return fmt.Errorf("%s: this instance has no key store, so persistent keys are not supported (lifetime %v): %w",
				what, lt, values.ErrNotSupported)
		}
	}
	if loc := lt.Location(); loc != values.LocationLocalStorage && !c.hasLocation(loc) {
		return fmt.Errorf("%s: no driver of this build handles location 0x%06x (lifetime %v): %w",
			what, uint32(loc), lt, values.ErrInvalidArgument)
	}
	return nil
}

func (c *Core) hasLocation(loc values.Location) bool {
	for _, d := range c.disp.Drivers() {
		if d.Opaque && d.Location == loc {
			return true
		}
	}
	return false
}

// opaque reports whether the key is held by an opaque driver.
func opaque(a *values.Attributes) bool {
	return a.Lifetime.Location() != values.LocationLocalStorage
}

// allocate calls allocate_key for an opaque driver with storage, and saves
// the key context before the key is created in the secure element, as the
// specification's key creation flow says. It returns the key buffer that
// the creation entry point receives (nil if the driver does not allocate).
func (cr *creation) allocate() ([]byte, error) {
	if !opaque(&cr.attrs) {
		return nil, nil
	}
	buf, err := cr.c.disp.AllocateKey(cr.attrs, nil)
	if err != nil {
		if driver.IsNotSupported(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("%s: allocate key in location 0x%06x: %w", cr.what, uint32(cr.attrs.Lifetime.Location()), err)
	}
	if !cr.attrs.Lifetime.IsVolatile() {
		if err := cr.c.save(cr.attrs, buf); err != nil {
			return nil, fmt.Errorf("%s: %w", cr.what, err)
		}
	}
	return buf, nil
}

// finish stores and publishes the key.
func (cr *creation) finish(key []byte) (values.KeyID, error) {
	c := cr.c
	cr.slot.Attrs = cr.attrs
	cr.slot.Key = key
	if !cr.attrs.Lifetime.IsVolatile() {
		if err := c.save(cr.attrs, key); err != nil {
			cr.abort()
			return 0, fmt.Errorf("%s: %w", cr.what, err)
		}
	}
	c.publish(cr.attrs.ID, cr.slot)
	cr.done = true
	return cr.attrs.ID, nil
}

// abort abandons the creation, undoing an allocation in a secure element.
func (cr *creation) abort() {
	if cr.done {
		return
	}
	cr.done = true
	c := cr.c
	if opaque(&cr.attrs) && cr.slot.Key != nil {
		_ = c.disp.DestroyKey(cr.attrs, cr.slot.Key)
	}
	if !cr.attrs.Lifetime.IsVolatile() {
		_ = c.removeFromStore(cr.attrs.ID)
	}
	c.unreserve(cr.attrs.ID, cr.slot)
}

// Import creates a key from data (psa_import_key).
func (c *Core) Import(attrs values.Attributes, data []byte) (values.KeyID, error) {
	return c.ImportAs("import key", attrs, data)
}

// ImportAs is Import for the operations that create a key from bytes they
// produced (key agreement, decapsulation, unwrapping, key derivation):
// what names the operation in errors. The material goes through the
// import entry point of the key's location, so it is validated like any
// imported key.
func (c *Core) ImportAs(what string, attrs values.Attributes, data []byte) (values.KeyID, error) {
	if len(data) == 0 {
		return 0, fmt.Errorf("%s: no key data: %w", what, values.ErrInvalidArgument)
	}
	cr, err := c.startCreate(what, attrs)
	if err != nil {
		return 0, err
	}
	defer cr.abort()
	buf, err := cr.allocate()
	if err != nil {
		return 0, err
	}
	cr.slot.Key = buf
	key, bits, err := c.disp.ImportKey(cr.attrs, data, buf)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	if bits <= 0 || bits > MaxKeyBits || (attrs.Bits != 0 && bits != attrs.Bits) {
		clear(key)
		return 0, fmt.Errorf("%s: the driver reported a %d-bit key for a %d-bit request: %w", what, bits, attrs.Bits, values.ErrInvalidArgument)
	}
	cr.attrs.Bits = bits
	return cr.finish(key)
}

// Generate creates a random key (psa_generate_key and
// psa_generate_key_custom).
func (c *Core) Generate(attrs values.Attributes, params driver.ProductionParameters) (values.KeyID, error) {
	const what = "generate key"
	if attrs.Type.IsPublicKey() {
		return 0, fmt.Errorf("%s: cannot generate a public key (%v); generate the key pair: %w", what, attrs.Type, values.ErrInvalidArgument)
	}
	if attrs.Bits == 0 {
		return 0, fmt.Errorf("%s: the key size is 0; set the size in bits: %w", what, values.ErrInvalidArgument)
	}
	cr, err := c.startCreate(what, attrs)
	if err != nil {
		return 0, err
	}
	defer cr.abort()
	buf, err := cr.allocate()
	if err != nil {
		return 0, err
	}
	cr.slot.Key = buf
	key, err := c.disp.GenerateKey(cr.attrs, params, buf)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return cr.finish(key)
}

// Export appends the key material of id to dst (psa_export_key). The key
// needs PSA_KEY_USAGE_EXPORT, except a public key, which is always
// exportable.
func (c *Core) Export(id values.KeyID, dst []byte) ([]byte, error) {
	s, err := c.acquire(id)
	if err != nil {
		return dst, fmt.Errorf("export key: %w", err)
	}
	defer s.release()
	if !s.Attrs.Type.IsPublicKey() && s.Attrs.Usage&values.UsageExport == 0 {
		return dst, fmt.Errorf("export key: %w", notPermittedUsage(&s.Attrs, values.UsageExport))
	}
	if !opaque(&s.Attrs) {
		return append(dst, s.Key...), nil
	}
	out, err := c.disp.ExportKey(s.Attrs, s.Key, dst)
	if err != nil {
		return dst, fmt.Errorf("export key: %w", err)
	}
	return out, nil
}

// ExportPublic appends the public key of id to dst
// (psa_export_public_key). No usage flag is needed.
func (c *Core) ExportPublic(id values.KeyID, dst []byte) ([]byte, error) {
	s, err := c.acquire(id)
	if err != nil {
		return dst, fmt.Errorf("export public key: %w", err)
	}
	defer s.release()
	if !s.Attrs.Type.IsAsymmetric() {
		return dst, fmt.Errorf("export public key: key 0x%08x is a %v, which has no public key: %w",
			uint32(id), s.Attrs.Type, values.ErrInvalidArgument)
	}
	if s.Attrs.Type.IsPublicKey() && !opaque(&s.Attrs) {
		return append(dst, s.Key...), nil
	}
	out, err := c.disp.ExportPublicKey(s.Attrs, s.Key, dst)
	if err != nil {
		return dst, fmt.Errorf("export public key: %w", err)
	}
	return out, nil
}

// Copy makes a copy of key src with the lifetime, identifier and policy of
// attrs intersected with the source's policy (psa_copy_key).
func (c *Core) Copy(src values.KeyID, attrs values.Attributes) (values.KeyID, error) {
	const what = "copy key"
	s, err := c.acquire(src)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	defer s.release()
	sa := &s.Attrs
	if sa.Usage&values.UsageCopy == 0 {
		return 0, fmt.Errorf("%s: %w", what, notPermittedUsage(sa, values.UsageCopy))
	}
	if attrs.Type != 0 && attrs.Type != sa.Type {
		return 0, fmt.Errorf("%s: the target type %v differs from the source's %v: %w", what, attrs.Type, sa.Type, values.ErrInvalidArgument)
	}
	if attrs.Bits != 0 && attrs.Bits != sa.Bits {
		return 0, fmt.Errorf("%s: the target size %d bits differs from the source's %d: %w", what, attrs.Bits, sa.Bits, values.ErrInvalidArgument)
	}
	t := attrs
	t.Type, t.Bits = sa.Type, sa.Bits
	t.Usage = attrs.Usage.WithImplied() & sa.Usage
	t.Alg = intersectAlg(sa.Type, sa.Bits, sa.Alg, attrs.Alg)
	if t.Alg == 0 && sa.Alg != 0 && attrs.Alg != 0 {
		return 0, fmt.Errorf("%s: the source permits %v and the target asks for %v: no algorithm in common: %w",
			what, sa.Alg, attrs.Alg, values.ErrInvalidArgument)
	}
	t.Alg2 = intersectAlg(sa.Type, sa.Bits, sa.Alg2, attrs.Alg2)
	if t.Alg2 == 0 && sa.Alg2 != 0 && attrs.Alg2 != 0 {
		return 0, fmt.Errorf("%s: the source's enrolment algorithm %v and the target's %v have nothing in common: %w",
			what, sa.Alg2, attrs.Alg2, values.ErrInvalidArgument)
	}
	srcLoc, dstLoc := sa.Lifetime.Location(), t.Lifetime.Location()
	if srcLoc != dstLoc && srcLoc != values.LocationLocalStorage && sa.Usage&values.UsageExport == 0 {
		return 0, fmt.Errorf("%s: copying out of location 0x%06x needs PSA_KEY_USAGE_EXPORT as well as PSA_KEY_USAGE_COPY: %w",
			what, uint32(srcLoc), values.ErrNotPermitted)
	}
	cr, err := c.startCreate(what, t)
	if err != nil {
		return 0, err
	}
	defer cr.abort()
	switch {
	case srcLoc == dstLoc && srcLoc == values.LocationLocalStorage:
		return cr.finish(append([]byte(nil), s.Key...))
	case srcLoc == dstLoc:
		buf, err := cr.allocate()
		if err != nil {
			return 0, err
		}
		cr.slot.Key = buf
		key, err := c.disp.CopyKey(cr.attrs, s.Key, buf)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", what, err)
		}
		return cr.finish(key)
	}
	// Across locations: export from the source and import at the target.
	material := s.Key
	if srcLoc != values.LocationLocalStorage {
		material, err = c.disp.ExportKey(*sa, s.Key, nil)
		if err != nil {
			return 0, fmt.Errorf("%s: export from location 0x%06x: %w", what, uint32(srcLoc), err)
		}
		defer clear(material)
	}
	if dstLoc == values.LocationLocalStorage {
		return cr.finish(append([]byte(nil), material...))
	}
	buf, err := cr.allocate()
	if err != nil {
		return 0, err
	}
	cr.slot.Key = buf
	key, bits, err := c.disp.ImportKey(cr.attrs, material, buf)
	if err != nil {
		return 0, fmt.Errorf("%s: import into location 0x%06x: %w", what, uint32(dstLoc), err)
	}
	if bits != cr.attrs.Bits {
		return 0, fmt.Errorf("%s: location 0x%06x imported %d bits of a %d-bit key: %w", what, uint32(dstLoc), bits, cr.attrs.Bits, values.ErrCorruptionDetected)
	}
	return cr.finish(key)
}

// Destroy destroys key id and its material, in memory, in storage and in a
// secure element (psa_destroy_key). Destroying KeyIDNull does nothing.
func (c *Core) Destroy(id values.KeyID) error {
	if id == values.KeyIDNull {
		return nil
	}
	s, err := c.acquire(id)
	if err != nil {
		return fmt.Errorf("destroy key: %w", err)
	}
	defer s.release()
	a := &s.Attrs
	if a.Lifetime.Persistence() == values.PersistenceReadOnly {
		return fmt.Errorf("destroy key: key 0x%08x is read-only (lifetime %v): %w", uint32(id), a.Lifetime, values.ErrNotPermitted)
	}
	// Take the key out of the table first: no new use can start, and
	// multi-part operations set up with the key fail from now on.
	s.destroyed.Store(true)
	c.remove(id, s)
	var errs []error
	if opaque(a) {
		if err := c.disp.DestroyKey(*a, s.Key); err != nil && !driver.IsNotSupported(err) {
			errs = append(errs, err)
		}
	}
	if !a.Lifetime.IsVolatile() {
		if err := c.removeFromStore(id); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("destroy key 0x%08x: %w", uint32(id), err)
	}
	return nil
}

func (c *Core) removeFromStore(id values.KeyID) error {
	uid, err := keyfile.UID(id)
	if err != nil {
		return err
	}
	if err := c.store.Remove(uid); err != nil && !errors.Is(err, values.ErrDoesNotExist) {
		return err
	}
	return nil
}

// Purge removes a persistent key from memory, leaving it in storage
// (psa_purge_key). For a volatile key it does nothing.
func (c *Core) Purge(id values.KeyID) error {
	c.mu.RLock()
	s, ok := c.slots[id]
	c.mu.RUnlock()
	if ok && !s.creating {
		if !s.Attrs.Lifetime.IsVolatile() {
			c.remove(id, s)
		}
		return nil
	}
	// Not in memory: it must still be a key.
	if _, err := c.Attributes(id); err != nil {
		return fmt.Errorf("purge key: %w", err)
	}
	return c.Purge(id)
}

// PersistentKeys lists the identifiers of the persistent keys in the key
// store, in increasing order. It needs a store that can list its items
// (storage.Lister).
func (c *Core) PersistentKeys() ([]values.KeyID, error) {
	if c.store == nil {
		return nil, nil
	}
	l, ok := c.store.(storage.Lister)
	if !ok {
		return nil, fmt.Errorf("list keys: the key store %T cannot list its items: %w", c.store, values.ErrNotSupported)
	}
	uids, err := l.UIDs()
	if err != nil {
		return nil, fmt.Errorf("list keys: %w", err)
	}
	var ids []values.KeyID
	for _, u := range uids {
		if id, ok := keyfile.KeyID(u); ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}
