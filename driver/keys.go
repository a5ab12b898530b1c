package driver

import "github.com/gopsa/psa/values"

// The key management entry points. "Key buffer" is the export format of the
// key for a transparent driver and the driver's key context for an opaque
// one (see the package documentation).
//
// The entry points that create a key (import_key, generate_key, copy_key,
// key_derivation_output_key, key_agreement_to_key) append the new key
// buffer to dst. In a location whose driver allocates keys (allocate_key),
// dst holds on entry the key context that AllocateKey returned, as the
// specification's "content of the key buffer on entry"; the driver returns
// the key context to store, typically dst itself, rewritten or extended.
// Otherwise dst is empty.

// KeyImporter is "import_key": it validates data (in the export format of
// attrs.Type, or another format the driver documents), determines or
// checks the key size, and appends the key buffer to dst. attrs.Bits is the
// size the application asked for, 0 for "from the data"; a nonzero size that
// does not match the data is values.ErrInvalidArgument.
type KeyImporter interface {
	ImportKey(attrs values.Attributes, data, dst []byte) (key []byte, bits int, err error)
}

// KeyGenerator is "generate_key": it appends the key buffer of a new random
// key of type attrs.Type and size attrs.Bits to dst.
type KeyGenerator interface {
	GenerateKey(attrs values.Attributes, params ProductionParameters, dst []byte) ([]byte, error)
}

// KeyExporter is "export_key" (opaque drivers; the core exports transparent
// keys itself): it appends the key in its export format to dst.
type KeyExporter interface {
	ExportKey(attrs values.Attributes, key, dst []byte) ([]byte, error)
}

// PublicKeyExporter is "export_public_key": it appends the public key of a
// key pair, in the export format of the public key type, to dst.
type PublicKeyExporter interface {
	ExportPublicKey(attrs values.Attributes, key, dst []byte) ([]byte, error)
}

// KeyCopier is "copy_key" (opaque drivers): a copy of key inside the same
// location, with the target's attributes attrs; it appends the new key
// context to dst.
type KeyCopier interface {
	CopyKey(attrs values.Attributes, key, dst []byte) ([]byte, error)
}

// KeyDestroyer is "destroy_key" (opaque drivers with storage): it destroys
// the key material that the key context designates.
type KeyDestroyer interface {
	DestroyKey(attrs values.Attributes, key []byte) error
}

// KeyAllocator is "allocate_key" (opaque drivers with storage): it chooses
// where a new key will live and appends the key context that designates it
// (typically a slot number) to dst. The core stores that context before it
// calls the creation entry point, which receives it as its key buffer.
type KeyAllocator interface {
	AllocateKey(attrs values.Attributes, dst []byte) ([]byte, error)
}

// BuiltinKeyGetter is "get_builtin_key" (opaque drivers): the attributes
// and key context of the built-in key in slot. lifetime is the driver's
// location with the persistence the core registers the key with; the driver
// may return another persistence level (PSA_KEY_PERSISTENCE_READ_ONLY for a
// key it cannot delete). values.ErrDoesNotExist if there is no such key.
// The core fills in the key identifier.
type BuiltinKeyGetter interface {
	GetBuiltinKey(slot SlotNumber, lifetime values.Lifetime, dst []byte) (values.Attributes, []byte, error)
}

// KeyContextSizer is the "size_function" of a key context: the number of
// bytes an opaque driver needs for the key context of a key of type t and
// size bits. The core uses it to size the buffer it passes as dst.
type KeyContextSizer interface {
	KeyContextSize(t values.KeyType, bits int) int
}

// KeyForgetter is "forget_key", a gopsa extension of the driver interface:
// a notification that the key buffer key (with attributes attrs) is about
// to be wiped, because its key was destroyed, or purged or evicted from
// memory, and no call is using the buffer any more. A driver that keeps
// state derived from key buffers (a transparent driver's cache of key
// schedules or parsed keys, say) drops and wipes what it derived from key;
// the buffer's address identifies it, since the core's key buffers do not
// move or change while their key is in memory. It returns nothing: it is
// best effort, and the key goes away whatever the driver does.
//
// It is not an entry point of driver descriptions, since it is a gopsa
// notification rather than a capability, and it does not route: the
// generated dispatch forwards it to every driver of the build whose type
// implements KeyForgetter (checked once, when the dispatch is created),
// whatever the key's location. The generated dispatch implements
// KeyForgetter; driver.Dispatcher does not require it, so that the core
// works with a dispatch layer written by hand, and calls it when present.
// It must be safe for concurrent use.
type KeyForgetter interface {
	ForgetKey(attrs values.Attributes, key []byte)
}
