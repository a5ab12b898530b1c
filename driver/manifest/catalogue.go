package manifest

import (
	"slices"
	"strings"
)

// EntryPoint describes one driver entry point of the driver interface: what
// a capability's "entry_points" may name, either directly or through a
// family.
type EntryPoint struct {
	// Name is the entry point's name in driver descriptions, such as
	// "sign_hash".
	Name string
	// Families are the entry point families that include this entry
	// point, in catalogue order; empty for a stand-alone entry point.
	// Some entry points belong to two families: "mac_update" is in both
	// "mac_multipart" and "mac_verify_multipart".
	Families []string
	// Transparent and Opaque tell which driver types may declare the
	// entry point.
	Transparent, Opaque bool
	// Algorithm reports whether the mechanism that invokes the entry
	// point involves an algorithm, so that a capability's "algorithms"
	// filter applies to it.
	Algorithm bool
	// Key reports whether the mechanism that invokes the entry point
	// involves a key, so that a capability's "key_types" and "key_sizes"
	// filters apply to it (for "derive_key": "derived_types" and
	// "derived_sizes", which describe the derived key).
	Key bool
	// Broadcast reports that the core calls the entry point of every
	// driver that declares it ("init", "free", "get_entropy") rather than
	// the first matching one.
	Broadcast bool
	// Method is the default name of the Go method that implements the
	// entry point: the name in Go camel case with the initialisms of Go
	// naming ("aead_encrypt_setup" is AEADEncryptSetup). A capability's
	// "names" property overrides it.
	Method string
	// Extension is true for entry points that gopsa adds to the
	// specification (see the package documentation).
	Extension bool
}

// AllowedFor reports whether a driver of type t may declare the entry point.
func (e EntryPoint) AllowedFor(t DriverType) bool {
	switch t {
	case Transparent:
		return e.Transparent
	case Opaque:
		return e.Opaque
	}
	return false
}

// Family describes an entry point family: a name that stands, in a
// capability's "entry_points", for all its member entry points.
type Family struct {
	// Name is the family's name in driver descriptions, such as
	// "hash_multipart".
	Name string
	// Transparent and Opaque tell which driver types may declare the
	// family. A family allowed for a driver type stands for those of its
	// members that are allowed for that type.
	Transparent, Opaque bool
	// Members are the family's entry points, in the order of the
	// specification. For multi-part operation families the first
	// member is the setup entry point, through which the core chooses
	// a driver; the other members act on the operation it creates.
	Members []Member
}

// Member is one entry point of a family.
type Member struct {
	// Name is the entry point's name.
	Name string
	// Optional members need not be implemented by a driver that declares
	// the family; the core uses them when present.
	Optional bool
}

// AllowedFor reports whether a driver of type t may declare the family.
func (f Family) AllowedFor(t DriverType) bool {
	switch t {
	case Transparent:
		return f.Transparent
	case Opaque:
		return f.Opaque
	}
	return false
}

// Setup returns the family's first member: for an operation family, the
// entry point that starts an operation.
func (f Family) Setup() string { return f.Members[0].Name }

// Flags of the catalogue table: who may declare an entry point and which
// capability filters apply to it.
const (
	fT  = 1 << iota // transparent drivers
	fO              // opaque drivers
	fA              // involves an algorithm
	fK              // involves a key
	fB              // broadcast: every driver's entry point is called
	fX              // gopsa extension
	fTO = fT | fO
)

// entryPointTable lists every entry point in specification order. The
// family membership is given by familyTable.
var entryPointTable = []struct {
	name  string
	flags int
}{
	// Single-part operations (driver interface §4.2).
	{"hash_compute", fT | fA},
	{"mac_compute", fTO | fA | fK},
	{"mac_verify", fTO | fA | fK},
	{"cipher_encrypt", fTO | fA | fK},
	{"cipher_decrypt", fTO | fA | fK},
	{"aead_encrypt", fTO | fA | fK},
	{"aead_decrypt", fTO | fA | fK},
	{"asymmetric_encrypt", fTO | fA | fK},
	{"asymmetric_decrypt", fTO | fA | fK},
	{"sign_hash", fTO | fA | fK},
	{"verify_hash", fTO | fA | fK},
	{"sign_message", fTO | fA | fK},
	{"verify_message", fTO | fA | fK},
	{"key_agreement", fTO | fA | fK},
	{"key_agreement_to_key", fO | fA | fK},
	// gopsa extensions for the PSA Crypto API 1.5 functions that the
	// driver interface predates (key encapsulation, key wrapping).
	{"encapsulate", fTO | fA | fK | fX},
	{"decapsulate", fTO | fA | fK | fX},
	{"wrap_key", fTO | fA | fK | fX},
	{"unwrap_key", fTO | fA | fK | fX},

	// Multi-part operations (§4.3). The setup entry points choose the
	// driver; the others act on the operation it created.
	{"hash_setup", fT | fA},
	{"hash_update", fT},
	{"hash_finish", fT},
	{"hash_clone", fT},
	{"hash_abort", fT},
	{"hash_suspend", fT | fX},
	{"hash_resume", fT | fA | fX},
	{"mac_sign_setup", fTO | fA | fK},
	{"mac_verify_setup", fTO | fA | fK},
	{"mac_update", fTO},
	{"mac_sign_finish", fTO},
	{"mac_verify_finish", fTO},
	{"mac_abort", fTO},
	{"cipher_encrypt_setup", fTO | fA | fK},
	{"cipher_decrypt_setup", fTO | fA | fK},
	{"cipher_generate_iv", fO | fX},
	{"cipher_set_iv", fTO},
	{"cipher_update", fTO},
	{"cipher_finish", fTO},
	{"cipher_abort", fTO},
	{"aead_encrypt_setup", fTO | fA | fK},
	{"aead_decrypt_setup", fTO | fA | fK},
	{"aead_generate_nonce", fO | fX},
	{"aead_set_nonce", fTO},
	{"aead_set_lengths", fTO},
	{"aead_update_ad", fTO},
	{"aead_update", fTO},
	{"aead_finish", fTO},
	{"aead_verify", fTO},
	{"aead_abort", fTO},
	// gopsa extension: extendable-output functions (psa_xof_*).
	{"xof_setup", fT | fA | fX},
	{"xof_set_context", fT | fX},
	{"xof_update", fT | fX},
	{"xof_output", fT | fX},
	{"xof_abort", fT | fX},

	// Key derivation (§4.4). The secret input may be a key (its location
	// chooses the driver) or bytes (no key involved).
	{"key_derivation_setup", fTO | fA | fK},
	{"key_derivation_input_step", fTO},
	{"key_derivation_output_bytes", fTO},
	{"key_derivation_output_key", fO},
	{"key_derivation_verify_bytes", fO},
	{"key_derivation_verify_key", fO},
	{"key_derivation_set_capacity", fO},
	{"key_derivation_abort", fTO},
	{"derive_key", fT | fK},

	// PAKE (§4.5). The password may be a key or bytes.
	{"pake_setup", fTO | fA | fK},
	{"pake_output", fTO},
	{"pake_input", fTO},
	{"pake_get_implicit_key", fTO},
	{"pake_abort", fTO},

	// Key management (§4.6, §5.2, §6.2).
	{"import_key", fTO | fK},
	{"export_key", fO | fK},
	{"export_public_key", fTO | fK},
	{"generate_key", fTO | fK},
	{"copy_key", fO | fK},
	{"destroy_key", fO | fK},
	{"allocate_key", fO | fK},
	{"get_builtin_key", fO},

	// Random generation (§5.3) and entropy (§4.7).
	{"init_random", fT},
	{"add_entropy", fT},
	{"get_random", fT},
	{"get_entropy", fTO | fB},

	// Driver life cycle (§4.8).
	{"init", fTO | fB},
	{"free", fTO | fB | fX},
}

// familyTable lists every entry point family; an optional member is marked
// with a trailing "?".
var familyTable = []struct {
	name    string
	flags   int
	members []string
}{
	{"hash_multipart", fT, []string{"hash_setup", "hash_update", "hash_finish", "hash_clone", "hash_abort", "hash_suspend?", "hash_resume?"}},
	{"mac_multipart", fTO, []string{"mac_sign_setup", "mac_update", "mac_sign_finish", "mac_abort"}},
	{"mac_verify_multipart", fTO, []string{"mac_verify_setup", "mac_update", "mac_verify_finish", "mac_abort"}},
	{"cipher_encrypt_multipart", fTO, []string{"cipher_encrypt_setup", "cipher_generate_iv?", "cipher_set_iv", "cipher_update", "cipher_finish", "cipher_abort"}},
	{"cipher_decrypt_multipart", fTO, []string{"cipher_decrypt_setup", "cipher_set_iv", "cipher_update", "cipher_finish", "cipher_abort"}},
	{"aead_encrypt_multipart", fTO, []string{"aead_encrypt_setup", "aead_generate_nonce?", "aead_set_nonce", "aead_set_lengths", "aead_update_ad", "aead_update", "aead_finish", "aead_abort"}},
	{"aead_decrypt_multipart", fTO, []string{"aead_decrypt_setup", "aead_set_nonce", "aead_set_lengths", "aead_update_ad", "aead_update", "aead_verify", "aead_abort"}},
	{"xof_multipart", fT, []string{"xof_setup", "xof_set_context", "xof_update", "xof_output", "xof_abort"}},
	{"key_derivation", fTO, []string{"key_derivation_setup", "key_derivation_input_step?", "key_derivation_output_bytes", "key_derivation_output_key?", "key_derivation_verify_bytes?", "key_derivation_verify_key?", "key_derivation_set_capacity?", "key_derivation_abort"}},
	{"pake", fTO, []string{"pake_setup", "pake_output", "pake_input", "pake_get_implicit_key", "pake_abort"}},
	{"random", fT, []string{"init_random?", "add_entropy?", "get_random"}},
}

// The catalogue, built once from the tables. It is never modified after
// package initialisation, so reading it needs no synchronisation.
var (
	entryPoints   []EntryPoint
	families      []Family
	entryPointIdx = map[string]int{}
	familyIdx     = map[string]int{}
)

func init() {
	for _, e := range entryPointTable {
		entryPointIdx[e.name] = len(entryPoints)
		entryPoints = append(entryPoints, EntryPoint{
			Name:        e.name,
			Transparent: e.flags&fT != 0,
			Opaque:      e.flags&fO != 0,
			Algorithm:   e.flags&fA != 0,
			Key:         e.flags&fK != 0,
			Broadcast:   e.flags&fB != 0,
			Extension:   e.flags&fX != 0,
			Method:      GoName(e.name),
		})
	}
	for _, f := range familyTable {
		fam := Family{Name: f.name, Transparent: f.flags&fT != 0, Opaque: f.flags&fO != 0}
		for _, m := range f.members {
			name, optional := strings.CutSuffix(m, "?")
			fam.Members = append(fam.Members, Member{Name: name, Optional: optional})
			ep := &entryPoints[entryPointIdx[name]]
			ep.Families = append(ep.Families, f.name)
		}
		familyIdx[f.name] = len(families)
		families = append(families, fam)
	}
}

// EntryPoints returns the catalogue of entry points, in the order of the
// specification. The caller may modify the result.
func EntryPoints() []EntryPoint {
	out := make([]EntryPoint, len(entryPoints))
	for i, e := range entryPoints {
		out[i] = e
		out[i].Families = slices.Clone(e.Families)
	}
	return out
}

// Families returns the catalogue of entry point families, in the order of
// the specification. The caller may modify the result.
func Families() []Family {
	out := make([]Family, len(families))
	for i, f := range families {
		out[i] = f
		out[i].Members = slices.Clone(f.Members)
	}
	return out
}

// LookupEntryPoint returns the entry point called name.
func LookupEntryPoint(name string) (EntryPoint, bool) {
	i, ok := entryPointIdx[name]
	if !ok {
		return EntryPoint{}, false
	}
	e := entryPoints[i]
	e.Families = slices.Clone(e.Families)
	return e, true
}

// LookupFamily returns the entry point family called name.
func LookupFamily(name string) (Family, bool) {
	i, ok := familyIdx[name]
	if !ok {
		return Family{}, false
	}
	f := families[i]
	f.Members = slices.Clone(f.Members)
	return f, true
}

// initialisms are the words that Go naming writes in capitals.
var initialisms = map[string]string{
	"ad":   "AD",
	"aead": "AEAD",
	"id":   "ID",
	"iv":   "IV",
	"mac":  "MAC",
	"pake": "PAKE",
	"xof":  "XOF",
}

// GoName returns the Go method name for an entry point name: each
// underscore-separated word capitalised, initialisms in capitals
// ("key_derivation_output_bytes" is KeyDerivationOutputBytes,
// "aead_generate_nonce" is AEADGenerateNonce).
func GoName(name string) string {
	var b strings.Builder
	for w := range strings.SplitSeq(name, "_") {
		if up, ok := initialisms[w]; ok {
			b.WriteString(up)
			continue
		}
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]))
			b.WriteString(w[1:])
		}
	}
	return b.String()
}
