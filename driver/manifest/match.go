package manifest

import "github.com/gopsa/psa/values"

// Matches reports whether the capability applies to a mechanism that
// invokes the entry point ep (driver interface §3.3.2, "Capability
// semantics"): the capability covers ep, and each of its filters that
// applies accepts the mechanism.
//
// A zero value means that the mechanism does not involve the parameter,
// and the corresponding filter does not apply: alg is values.Algorithm(0)
// (PSA_ALG_NONE) for a mechanism without an algorithm, kt is
// values.KeyType(0) (PSA_KEY_TYPE_NONE) for one without a key, and bits is
// 0 when the key size is not known. An algorithm specification matches as
// a key's permitted-algorithm policy does (values.Algorithm.PermitsWithKey,
// with the mechanism's key type and size), but without the equivalence of
// randomized and deterministic signatures for verification: a driver is
// only called for what it declares. Filters also do not apply to entry
// points that, by the catalogue, involve no algorithm or no key
// (EntryPoint.Algorithm, EntryPoint.Key): "algorithms" does not restrict
// "import_key". For "derive_key", kt and bits describe the derived key and
// are matched against "derived_types" and "derived_sizes".
//
// Matches does not allocate.
func (c *Capability) Matches(ep string, alg values.Algorithm, kt values.KeyType, bits int) bool {
	if !c.Covers(ep) {
		return false
	}
	i, ok := entryPointIdx[ep]
	if !ok {
		return false
	}
	e := &entryPoints[i]
	if e.Algorithm && alg != 0 && c.Algorithms != nil {
		found := false
		for _, s := range c.Algorithms {
			if s.MatchesWithKey(alg, kt, bits) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if !e.Key {
		return true
	}
	types, sizes := c.KeyTypes, c.KeySizes
	if ep == "derive_key" {
		types, sizes = c.DerivedTypes, c.DerivedSizes
	}
	if kt != 0 && types != nil {
		found := false
		for _, s := range types {
			if s.Matches(kt) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if bits != 0 && sizes != nil {
		found := false
		for _, s := range sizes {
			if s == bits {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// Match returns the driver's capability that applies to a mechanism that
// invokes the entry point ep, and the Go method that implements ep in it.
// The arguments are as for Capability.Matches. ok is false when no
// capability applies.
//
// Parse rejects descriptions in which two capabilities could apply with
// different methods, so the first applicable capability is the answer.
// Match does not consider the driver's type or location: see Select.
func (d *Driver) Match(ep string, alg values.Algorithm, kt values.KeyType, bits int) (c *Capability, method string, ok bool) {
	for _, c := range d.Capabilities {
		if c.Matches(ep, alg, kt, bits) {
			return c, c.Method(ep), true
		}
	}
	return nil, "", false
}

// Candidate is a driver capability that can serve an entry point.
type Candidate struct {
	Driver     *Driver
	Capability *Capability
	// Method is the Go method that implements the entry point.
	Method string
}

// Candidates returns, for the entry point ep, every capability of the
// drivers that covers ep, in dispatch order: the transparent drivers in
// list order, then the opaque drivers in list order (each serves only its
// own location); within a driver, capabilities in description order. The
// filters are not evaluated: this is the list the dispatch generator turns
// into code, each candidate guarded by its capability's filters (see
// Capability.Matches), and Select gives the semantics of that code.
// Unknown entry points have no candidates.
func Candidates(drivers []*Driver, ep string) []Candidate {
	var out []Candidate
	for _, t := range []DriverType{Transparent, Opaque} {
		for _, d := range drivers {
			if d.Type != t {
				continue
			}
			for _, c := range d.Capabilities {
				if c.Covers(ep) {
					out = append(out, Candidate{Driver: d, Capability: c, Method: c.Method(ep)})
				}
			}
		}
	}
	return out
}

// Mechanism describes a request to dispatch, for Select. The zero value of
// a field means the mechanism does not involve it, as for
// Capability.Matches.
type Mechanism struct {
	Alg     values.Algorithm
	KeyType values.KeyType
	KeyBits int
	// Location is the location of the key. Zero (local storage) routes
	// to transparent drivers; another location routes to the opaque
	// driver of that location only.
	Location values.Location
}

// Select returns the drivers to call, in order, for a mechanism that
// invokes the entry point ep, following the driver interface's dispatch
// rules:
//
//   - For "init", "free" and "get_entropy" (EntryPoint.Broadcast), every
//     driver that declares the entry point, in list order.
//   - For a key in local storage (m.Location == 0), the transparent drivers
//     whose capability applies, in list order, up to and including the
//     first whose capability does not have "fallback": its answer is
//     final. If the list is empty, or its last candidate has fallback,
//     the builtin implementation comes next.
//   - For a key in another location, the opaque driver of that location,
//     if its capability applies; there is no fallback.
//
// Each driver appears at most once, with its first applicable capability.
func Select(drivers []*Driver, ep string, m Mechanism) []Candidate {
	e, ok := LookupEntryPoint(ep)
	if !ok {
		return nil
	}
	var out []Candidate
	for _, d := range drivers {
		var c *Capability
		var method string
		if e.Broadcast {
			c, method, ok = d.Match(ep, 0, 0, 0)
		} else {
			if (m.Location == 0) != (d.Type == Transparent) || (d.Type == Opaque && d.Location != m.Location) {
				continue
			}
			c, method, ok = d.Match(ep, m.Alg, m.KeyType, m.KeyBits)
		}
		if !ok {
			continue
		}
		out = append(out, Candidate{Driver: d, Capability: c, Method: method})
		if !e.Broadcast && !c.Fallback {
			break
		}
	}
	return out
}
