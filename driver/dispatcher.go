package driver

import "github.com/gopsa/psa/values"

// Dispatcher is what the core calls for every entry point: the dispatch
// layer that cmd/psa-drivergen generates from a list of driver
// descriptions. For each call it selects the driver as the specification
// says (section "Capability semantics"): a key whose location is not
// local storage goes to the opaque driver of that location; otherwise the
// transparent drivers whose capabilities match the entry point, algorithm,
// key type and key size are tried in list order, a fallback capability's
// ErrNotSupported passing the call on, and the builtin driver comes last.
// When no driver matches, the method returns ErrNotSupported.
//
// The core has already checked the key policy and the call's arguments.
//
// The generated dispatch also implements KeyForgetter, which the core calls
// when a key buffer is wiped if its dispatch layer has it; a Dispatcher
// written by hand need not.
type Dispatcher interface {
	// Init calls the "init" entry point of every driver in the build, in
	// list order, each with its own Host from hosts (drivers differ in
	// their persistent state); Free calls every "free" entry point.
	Init(hosts HostFactory) error
	Free() error

	// Drivers describes the drivers of the build, in list order.
	Drivers() []Info
	// Route names the driver that a call of entry point ep with these
	// parameters reaches first ("" if none), for diagnostics such as
	// `psa demo` saying which driver did what. It does not call a driver.
	Route(ep string, attrs values.Attributes, alg values.Algorithm) string

	// Key management.
	KeyImporter
	KeyGenerator
	KeyExporter
	PublicKeyExporter
	KeyCopier
	KeyDestroyer
	KeyAllocator
	BuiltinKeyGetter
	KeyDeriver

	// Operations.
	HashComputer
	HashMultipart
	HashResumer
	XOFMultipart
	MACComputer
	MACVerifier
	MACMultipart
	MACVerifyMultipart
	CipherEncrypter
	CipherDecrypter
	CipherEncryptMultipart
	CipherDecryptMultipart
	AEADEncrypter
	AEADDecrypter
	AEADEncryptMultipart
	AEADDecryptMultipart
	HashSigner
	HashVerifier
	MessageSigner
	MessageVerifier
	AsymmetricEncrypter
	AsymmetricDecrypter
	KeyAgreer
	KeyAgreementToKeyer
	Encapsulator
	Decapsulator
	KeyWrapper
	KeyUnwrapper
	KeyDerivation
	PAKE

	// Random generation: GetRandom uses the build's random generator
	// driver if there is one, and reports ErrNotSupported otherwise (the
	// core then uses its own source). GetEntropy gathers from every
	// entropy source of the build.
	GetRandom(out []byte) error
	EntropySource
}

// HostFactory gives each driver of a build its Host. persistentStateSize
// is the description's "persistent_state_size" (0 if none).
type HostFactory interface {
	Host(driverName string, persistentStateSize int) (Host, error)
}

// Info describes a driver of a build, for listings and diagnostics.
type Info struct {
	// Name is the driver's prefix in its description.
	Name string
	// Opaque is true for an opaque driver, whose keys live at Location.
	Opaque   bool
	Location values.Location
	// PersistentStateSize is the description's "persistent_state_size".
	PersistentStateSize int
	// Capabilities lists, per capability, its entry points and filters
	// as written in the description.
	Capabilities []CapabilityInfo
}

// CapabilityInfo is one capability of a driver description.
type CapabilityInfo struct {
	EntryPoints []string
	Algorithms  []string
	KeyTypes    []string
	KeySizes    []int
	Fallback    bool
}
