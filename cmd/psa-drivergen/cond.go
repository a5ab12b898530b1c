package main

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/gopsa/psa/driver/manifest"
	"github.com/gopsa/psa/values"
)

// A capability's filters become Go boolean expressions over the call's
// parameters, built from masked comparisons with constants, so that the
// generated dispatch matches a mechanism without maps, loops or calls. The
// expressions are held as a small intermediate form (cond) that the tests
// evaluate against manifest's own matching, and rendered to Go source.

// masked is the test v&mask == val (or !=, when negated). A mask of all
// ones is a plain comparison.
type masked struct {
	mask, val uint32
	ne        bool
}

func (m masked) eval(v uint32) bool { return (v&m.mask == m.val) != m.ne }

// term is a conjunction of masked tests; or, when permits is nonzero, the
// policy test values.Algorithm(permits).PermitsWithKey(alg, kt, bits), for
// the algorithm specifications whose meaning depends on the key (MAC
// lengths) or on tables (CCM* tag lengths, WPA3-SAE variants).
type term struct {
	tests   []masked
	permits uint32
}

func (t term) eval(v uint32, kt values.KeyType, bits int) bool {
	if t.permits != 0 {
		return values.Algorithm(t.permits).PermitsWithKey(values.Algorithm(v), kt, bits)
	}
	for _, m := range t.tests {
		if !m.eval(v) {
			return false
		}
	}
	return true
}

// cond is a disjunction of terms. A nil cond is true: no filter.
type cond []term

// eval evaluates c for the value v; kt and bits are the key of the call
// for permits terms.
func (c cond) eval(v uint32, kt values.KeyType, bits int) bool {
	if c == nil {
		return true
	}
	for _, t := range c {
		if t.eval(v, kt, bits) {
			return true
		}
	}
	return false
}

// render returns c as a Go expression over the variable v, whose values
// are width bits wide; kt and bits name the key's type and size for
// permits terms ("" for a call without a key). It returns "" for a nil
// cond.
func (c cond) render(v string, width int, kt, bits string) string {
	if c == nil {
		return ""
	}
	all := uint32(1<<width - 1)
	if width == 32 {
		all = ^uint32(0)
	}
	hex := func(x uint32) string {
		return fmt.Sprintf("0x%0*x", width/4, x)
	}
	var terms []string
	for _, t := range c {
		if t.permits != 0 {
			if kt == "" {
				kt, bits = "0", "0"
			}
			terms = append(terms, fmt.Sprintf("values.Algorithm(%s).PermitsWithKey(%s, %s, %s)", hex(t.permits), v, kt, bits))
			continue
		}
		var parts []string
		for _, m := range t.tests {
			op := " == "
			if m.ne {
				op = " != "
			}
			if m.mask&all == all {
				parts = append(parts, v+op+hex(m.val))
			} else {
				parts = append(parts, v+"&"+hex(m.mask)+op+hex(m.val))
			}
		}
		terms = append(terms, strings.Join(parts, " && "))
	}
	if len(terms) == 1 {
		return terms[0]
	}
	for i, t := range terms {
		terms[i] = parenAny(t)
	}
	return strings.Join(terms, " || ")
}

// Bit fields of an algorithm identifier (PSA Crypto API 1.5, appendix B),
// as the permitted-algorithm policy reads them.
const (
	algHashField   = 0x000000ff
	algCatMask     = 0x7f000000
	algCatKA       = 0x09000000
	algKABaseMask  = 0xff7f0000
	algAnyHashBits = 0xff // the hash field of PSA_ALG_ANY_HASH
)

// algCond compiles the "algorithms" filter of a capability: true for the
// algorithms that one of specs matches (manifest.AlgorithmSpec.Matches and
// MatchesWithKey: the same algorithm, or one that the specification
// permits as a key policy would, values.Algorithm.PermitsWithKey). The
// common cases become masked comparisons: a specific algorithm, a
// hash-and-sign scheme with PSA_ALG_ANY_HASH, a standalone key agreement.
// MAC specifications (whose full length may depend on the key) and the
// other wildcards call PermitsWithKey.
func algCond(specs []manifest.AlgorithmSpec) cond {
	if specs == nil {
		return nil
	}
	var c cond
	for _, s := range specs {
		a := uint32(s.Alg)
		exact := term{tests: []masked{{mask: ^uint32(0), val: a}}}
		switch {
		case s.Alg.IsSign() && s.Alg.IsHashAndSign() && s.Alg.Hash() == values.AlgAnyHash:
			// Same scheme, any specific hash, or the wildcard itself
			// (which manifest matches, though the core never passes a
			// wildcard to a driver): a nonzero hash field.
			c = append(c, term{tests: []masked{
				{mask: ^uint32(algHashField), val: a &^ algHashField},
				{mask: algHashField, val: 0, ne: true},
			}})
			if s.Alg == values.AlgRSAPKCS1v15Sign(values.AlgAnyHash) {
				c = append(c, term{tests: []masked{{mask: ^uint32(0), val: uint32(values.AlgRSAPKCS1v15SignRaw)}}})
			}
		case s.Alg.IsStandaloneKeyAgreement():
			// The key agreement alone or combined with any key
			// derivation that is not a wildcard.
			c = append(c, term{tests: []masked{
				{mask: algCatMask, val: algCatKA},
				{mask: algKABaseMask, val: a},
				{mask: algHashField, val: algAnyHashBits, ne: true},
			}})
		case s.Alg.IsMAC(), s.Alg.IsWildcard(), s.Alg == values.AlgWPA3SAEAny:
			c = append(c, exact, term{permits: a})
		default:
			c = append(c, exact)
		}
	}
	return dedupTerms(c)
}

// dedupTerms drops terms that an earlier term repeats exactly (a
// description may list an algorithm that a wildcard of the same list
// already adds, such as PSA_ALG_RSA_PKCS1V15_SIGN_RAW next to
// PSA_ALG_RSA_PKCS1V15_SIGN(PSA_ALG_ANY_HASH)): go vet rejects a condition
// that repeats itself.
func dedupTerms(c cond) cond {
	seen := make(map[string]bool, len(c))
	out := c[:0]
	for _, t := range c {
		k := fmt.Sprintf("%+v", t)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, t)
	}
	return out
}

// keyTypeCond compiles a "key_types" (or "derived_types") filter. Key types
// are 16 bits, so the set of key types the specifications match is
// computed exactly, by asking manifest about each one, and covered by
// masked comparisons: a family wildcard such as
// PSA_KEY_TYPE_ECC_KEY_PAIR(_) becomes one comparison.
func keyTypeCond(specs []manifest.KeyTypeSpec) cond {
	if specs == nil {
		return nil
	}
	var members []uint32
	for t := range 1 << 16 {
		for _, s := range specs {
			if s.Matches(values.KeyType(t)) {
				members = append(members, uint32(t))
				break
			}
		}
	}
	var c cond
	for _, cb := range cubes(members, 0xffff) {
		c = append(c, term{tests: []masked{cb}})
	}
	if c == nil {
		// Matches nothing: manifest rejects such filters, but the
		// condition stays correct if it ever accepts one.
		c = cond{term{tests: []masked{{mask: 0, val: 0, ne: true}}}}
	}
	return c
}

// cubes covers the sorted set members (of values within all) with masked
// comparisons, each the set {v : v&mask == val}: a set that is such a
// "cube" is one comparison, another is split on its highest varying bit.
func cubes(members []uint32, all uint32) []masked {
	if len(members) == 0 {
		return nil
	}
	and, or := all, uint32(0)
	for _, m := range members {
		and &= m
		or |= m
	}
	varying := and ^ or
	if len(members) == 1<<bits.OnesCount32(varying) {
		return []masked{{mask: all &^ varying, val: and}}
	}
	bit := uint32(1) << (31 - bits.LeadingZeros32(varying))
	i := 0
	for i < len(members) && members[i]&bit == 0 {
		i++
	}
	return append(cubes(members[:i], all), cubes(members[i:], all)...)
}

// sizeCond renders a "key_sizes" filter over the variable v, or "" for no
// filter. unknownOK adds v == 0: a size not known yet (import_key from
// data) is not filtered, as manifest.Capability.Matches says.
func sizeCond(sizes []int, v string, unknownOK bool) string {
	if sizes == nil {
		return ""
	}
	var parts []string
	if unknownOK {
		parts = append(parts, v+" == 0")
	}
	for _, s := range sizes {
		parts = append(parts, v+" == "+strconv.Itoa(s))
	}
	return strings.Join(parts, " || ")
}
