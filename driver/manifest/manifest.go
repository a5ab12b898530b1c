package manifest

import (
	"encoding/json"
	"strconv"

	"github.com/gopsa/psa/values"
)

// DriverType is the "type" of a driver description.
type DriverType uint8

// Driver types.
const (
	// Transparent drivers compute with key material in the clear, held
	// by the core (accelerators, alternative software).
	Transparent DriverType = iota + 1
	// Opaque drivers own their keys, identified by a location (secure
	// elements, HSMs, remote key stores).
	Opaque
)

// String returns the JSON spelling of t: "transparent" or "opaque".
func (t DriverType) String() string {
	switch t {
	case Transparent:
		return "transparent"
	case Opaque:
		return "opaque"
	}
	return "DriverType(" + strconv.Itoa(int(t)) + ")"
}

// Driver is a parsed and validated driver description. A Driver is not
// modified by this package after Parse returns it, so it may be shared by
// concurrent readers; callers that modify one must not share it.
type Driver struct {
	// File is the file name the description was parsed from, as given
	// to Parse: it prefixes error messages.
	File string
	// Prefix is the driver's "prefix": a C identifier that names the
	// driver (PSA_KEY_LOCATION_prefix in C) and, in C, its functions.
	Prefix string
	// Type is Transparent or Opaque.
	Type DriverType
	// Location is the location of an opaque driver's keys; for a
	// transparent driver it is values.Location(0), the local storage.
	Location values.Location
	// Headers are the "headers" property: C header files, kept for
	// descriptions shared with C implementations; gopsa does not use
	// them.
	Headers []string
	// Capabilities are the driver's capabilities, in description order.
	Capabilities []*Capability
	// KeyContext describes the size of an opaque driver's key contexts;
	// nil when the description has none.
	KeyContext *KeyContext
	// PersistentStateSize is the "persistent_state_size" of an opaque
	// driver; zero when absent.
	PersistentStateSize Size
	// Package is "gopsa/package": the import path of the Go package
	// that implements the driver. Empty for a description written for
	// another implementation (see CheckGo).
	Package string
	// GoType is "gopsa/type": the exported type whose pointer's methods
	// implement the entry points.
	GoType string
	// Extensions holds the properties of other implementations (names
	// with a slash, such as "mbedtls/h_condition"), as JSON, by name.
	// gopsa ignores them.
	Extensions map[string]json.RawMessage
}

// Capability is one element of a driver's "capabilities".
type Capability struct {
	// Index is the capability's position in the driver's
	// "capabilities", used in error messages.
	Index int
	// EntryPoints is "entry_points" as written: entry point and family
	// names.
	EntryPoints []string
	// Algorithms is "algorithms"; nil when absent (all algorithms).
	Algorithms []AlgorithmSpec
	// KeyTypes is "key_types"; nil when absent (all key types).
	KeyTypes []KeyTypeSpec
	// KeySizes is "key_sizes" in bits; nil when absent (all sizes).
	KeySizes []int
	// Names is "names": Go method names by entry point name, for the
	// entry points whose method is not the default (EntryPoint.Method).
	Names map[string]string
	// Fallback is "fallback": the driver may answer
	// values.ErrNotSupported and let the next driver, then the builtin
	// implementation, handle the request.
	Fallback bool

	// DerivedTypes, DerivedSizes and Memory are the properties of a
	// "derive_key" capability (transparent cooked key derivation):
	// the key types and sizes of the keys it derives, and whether the
	// core keeps a memory object between calls.
	DerivedTypes []KeyTypeSpec
	DerivedSizes []int
	Memory       bool

	// InitialEntropySize and ReseedEntropySize are the properties of a
	// random generation capability (one that declares "get_random"):
	// the entropy, in bytes, the core supplies before the first output
	// and at each reseed. ReseedEntropySize is -1 when absent.
	InitialEntropySize int
	ReseedEntropySize  int

	// Extensions holds other implementations' properties, as JSON.
	Extensions map[string]json.RawMessage

	// entryPoints is the set of entry points the capability covers:
	// EntryPoints with families expanded for the driver's type.
	entryPoints []string
}

// KeyContext is the "key_context" of an opaque driver: how large a key
// context is for a key type and size (driver interface §6.1).
type KeyContext struct {
	BaseSize        Size
	KeyPairSize     Size
	PublicKeySize   Size
	SymmetricFactor Size
	// StorePublicKey reserves room for the public key in a key pair's
	// context.
	StorePublicKey bool
	// SizeFunction is "size_function": the name of an exported method of
	// the driver type that returns the size of a key context; empty when
	// absent.
	SizeFunction string
	// BuiltinKeySize is "builtin_key_size": the size of a built-in key's
	// context, overriding the other properties; IsZero when absent.
	BuiltinKeySize Size
	// HasBuiltinKeySize reports whether "builtin_key_size" was given.
	HasBuiltinKeySize bool
	// Extensions holds other implementations' properties, as JSON.
	Extensions map[string]json.RawMessage
}

// Size is a size in bytes given, as the specification allows, either as a
// number or as a constant expression. gopsa accepts a non-negative integer
// (a JSON number, or a string holding a decimal or 0x-prefixed hexadecimal
// literal) or the name of an exported constant of the driver's Go package
// (a Go identifier); C expressions such as sizeof(...) are not accepted,
// since no C compiler is involved.
type Size struct {
	// N is the size when given as a number.
	N int
	// Const is the name of a constant of the driver package when the
	// size is given by name; empty when it is a number.
	Const string
}

// IsZero reports whether s is the number 0, the value of an absent size.
func (s Size) IsZero() bool { return s.N == 0 && s.Const == "" }

// String returns the number or the constant name.
func (s Size) String() string {
	if s.Const != "" {
		return s.Const
	}
	return strconv.Itoa(s.N)
}

// CoveredEntryPoints returns the entry points the capability covers: its
// "entry_points" with every family replaced by its members that the
// driver's type may declare, without duplicates, in order.
func (c *Capability) CoveredEntryPoints() []string {
	return append([]string(nil), c.entryPoints...)
}

// Covers reports whether the capability covers the entry point ep, named
// directly or through a family.
func (c *Capability) Covers(ep string) bool {
	for _, e := range c.entryPoints {
		if e == ep {
			return true
		}
	}
	return false
}

// Method returns the Go method name that implements ep in this capability:
// the "names" entry for ep if there is one, otherwise the default
// (EntryPoint.Method).
func (c *Capability) Method(ep string) string {
	if m, ok := c.Names[ep]; ok {
		return m
	}
	if i, ok := entryPointIdx[ep]; ok {
		return entryPoints[i].Method
	}
	return GoName(ep)
}
