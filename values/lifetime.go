package values

// Lifetimes, persistence levels and locations.
const (
	LifetimeVolatile   Lifetime = 0x00000000
	LifetimePersistent Lifetime = 0x00000001

	PersistenceVolatile Persistence = 0x00
	PersistenceDefault  Persistence = 0x01
	PersistenceReadOnly Persistence = 0xff

	LocationLocalStorage         Location = 0x000000
	LocationPrimarySecureElement Location = 0x000001

	locationVendorFlag Location = 0x800000
	locationMask       Location = 0xffffff
)

// Key identifier ranges. KeyIDUserMin to KeyIDUserMax are for
// applications, KeyIDVendorMin to KeyIDVendorMax for the implementation.
const (
	KeyIDNull      KeyID = 0
	KeyIDUserMin   KeyID = 0x00000001
	KeyIDUserMax   KeyID = 0x3fffffff
	KeyIDVendorMin KeyID = 0x40000000
	KeyIDVendorMax KeyID = 0x7fffffff
)

// LifetimeFromPersistenceAndLocation returns the lifetime of persistence p
// at location loc (PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION). Only
// the low 24 bits of loc are encoded.
func LifetimeFromPersistenceAndLocation(p Persistence, loc Location) Lifetime {
	return Lifetime(loc&locationMask)<<8 | Lifetime(p)
}

// Persistence returns the persistence level of l
// (PSA_KEY_LIFETIME_GET_PERSISTENCE).
func (l Lifetime) Persistence() Persistence { return Persistence(l & 0xff) }

// Location returns the location of l (PSA_KEY_LIFETIME_GET_LOCATION).
func (l Lifetime) Location() Location { return Location(l >> 8) }

// IsVolatile reports whether a key of lifetime l is volatile
// (PSA_KEY_LIFETIME_IS_VOLATILE).
func (l Lifetime) IsVolatile() bool { return l.Persistence() == PersistenceVolatile }

// IsReadOnly reports whether a key of lifetime l is read-only: it can be
// neither created nor destroyed through the API
// (PSA_KEY_LIFETIME_IS_READ_ONLY of Mbed TLS).
func (l Lifetime) IsReadOnly() bool { return l.Persistence() == PersistenceReadOnly }

// IsVendorDefined reports whether loc is in the vendor range
// 0x800000-0xffffff.
func (loc Location) IsVendorDefined() bool { return loc&locationVendorFlag != 0 }

// IsUser reports whether id is in the application range
// KeyIDUserMin-KeyIDUserMax.
func (id KeyID) IsUser() bool { return id >= KeyIDUserMin && id <= KeyIDUserMax }

// IsVendor reports whether id is in the implementation range
// KeyIDVendorMin-KeyIDVendorMax.
func (id KeyID) IsVendor() bool { return id >= KeyIDVendorMin && id <= KeyIDVendorMax }
