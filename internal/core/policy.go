package core

import (
	"fmt"

	"github.com/gopsa/psa/values"
)

// Use looks up key id for an operation that needs usage with alg, and
// checks the key's policy: the usage flag (implied flags included) and the
// permitted algorithm or enrolment algorithm, wildcards included. alg 0
// checks the usage alone. On success the caller must Release the slot.
//
// This is the only policy check of an operation: drivers are called after
// it and never see a key they may not use.
func (c *Core) Use(id values.KeyID, usage values.KeyUsage, alg values.Algorithm) (*Slot, error) {
	s, err := c.acquire(id)
	if err != nil {
		return nil, err
	}
	if err := checkPolicy(&s.Attrs, usage, alg); err != nil {
		s.release()
		return nil, err
	}
	return s, nil
}

func checkPolicy(a *values.Attributes, usage values.KeyUsage, alg values.Algorithm) error {
	if a.Usage&usage != usage {
		return notPermittedUsage(a, usage)
	}
	if alg != 0 && !permits(a, alg) {
		return notPermittedAlg(a, alg)
	}
	return nil
}

// permits reports whether the policy of a allows alg.
func permits(a *values.Attributes, alg values.Algorithm) bool {
	return permitsOne(a, a.Alg, alg) || (a.Alg2 != 0 && permitsOne(a, a.Alg2, alg))
}

func permitsOne(a *values.Attributes, policy, alg values.Algorithm) bool {
	if policy == alg {
		return true
	}
	if policy == 0 {
		return false
	}
	return policy.PermitsWithKey(alg, a.Type, a.Bits)
}

// The error paths are kept out of line so that Use stays small.

func notPermittedUsage(a *values.Attributes, usage values.KeyUsage) error {
	return fmt.Errorf("key 0x%08x: the key policy does not permit %v (its usage flags are %v): %w",
		uint32(a.ID), usage&^a.Usage, a.Usage, values.ErrNotPermitted)
}

func notPermittedAlg(a *values.Attributes, alg values.Algorithm) error {
	if a.Alg2 != 0 {
		return fmt.Errorf("key 0x%08x: the key policy does not permit %v (it permits %v and %v): %w",
			uint32(a.ID), alg, a.Alg, a.Alg2, values.ErrNotPermitted)
	}
	return fmt.Errorf("key 0x%08x: the key policy does not permit %v (it permits %v): %w",
		uint32(a.ID), alg, a.Alg, values.ErrNotPermitted)
}

// intersectAlg returns the algorithm that both policies permit, for
// psa_copy_key: the same algorithm, or the specific one when the other is a
// wildcard that includes it, or the stricter of two wildcards of one family.
// It returns 0 when they have nothing in common.
func intersectAlg(t values.KeyType, bits int, a, b values.Algorithm) values.Algorithm {
	switch {
	case a == b:
		return a
	case a == 0 || b == 0:
		return 0
	case a.PermitsWithKey(b, t, bits):
		return b
	case b.PermitsWithKey(a, t, bits):
		return a
	case a.IsWildcard() && b.IsWildcard():
		// Two at-least-this-length wildcards of one MAC or AEAD
		// algorithm: the longer minimum is the stricter policy. The
		// length is the only field in which they differ, and a longer
		// length encodes as a larger value.
		sameMAC := a.IsMAC() && b.IsMAC() && values.AlgFullLengthMAC(a) == values.AlgFullLengthMAC(b)
		sameAEAD := a.IsAEAD() && b.IsAEAD() &&
			values.AlgAEADWithShortenedTag(a, 0) == values.AlgAEADWithShortenedTag(b, 0)
		if sameMAC || sameAEAD {
			return max(a, b)
		}
	}
	return 0
}
