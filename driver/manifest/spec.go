package manifest

import (
	"fmt"

	"github.com/gopsa/psa/values"
)

// AlgorithmSpec is an algorithm specification (driver interface §3.4.1):
// an algorithm such as PSA_ALG_HMAC(PSA_ALG_SHA_256), or a policy wildcard
// such as PSA_ALG_ECDSA(PSA_ALG_ANY_HASH).
type AlgorithmSpec struct {
	// Text is the specification as written.
	Text string
	// Alg is its encoding: a wildcard policy for a wildcard.
	Alg values.Algorithm
}

// ParseAlgorithmSpec parses an algorithm specification with
// values.ParseAlgorithm. Errors wrap values.ErrInvalidArgument.
func ParseAlgorithmSpec(s string) (AlgorithmSpec, error) {
	alg, err := values.ParseAlgorithm(s)
	if err != nil {
		return AlgorithmSpec{}, err // it names s and what is accepted
	}
	if alg == values.AlgNone {
		return AlgorithmSpec{}, fmt.Errorf("parse algorithm %q: PSA_ALG_NONE matches no mechanism (want an algorithm or a wildcard): %w",
			s, values.ErrInvalidArgument)
	}
	return AlgorithmSpec{Text: s, Alg: alg}, nil
}

// String returns the specification as written.
func (s AlgorithmSpec) String() string { return s.Text }

// Matches reports whether the specification matches the algorithm alg of a
// mechanism, with the semantics of a key's permitted-algorithm policy
// (values.Algorithm.Permits): the same algorithm, or a wildcard that
// permits alg. Wildcards whose meaning depends on the key (a minimum MAC
// length over CMAC) need MatchesWithKey.
func (s AlgorithmSpec) Matches(alg values.Algorithm) bool {
	return s.Alg == alg || s.Alg.Permits(alg)
}

// MatchesWithKey is Matches for a mechanism on a key of type kt and size
// bits (values.Algorithm.PermitsWithKey).
func (s AlgorithmSpec) MatchesWithKey(alg values.Algorithm, kt values.KeyType, bits int) bool {
	return s.Alg == alg || s.Alg.PermitsWithKey(alg, kt, bits)
}

// KeyTypeSpec is a key type specification (driver interface §3.4.2): a
// key type such as PSA_KEY_TYPE_AES, or a family key type whose family is
// "_", which matches every family: PSA_KEY_TYPE_ECC_KEY_PAIR(_).
type KeyTypeSpec struct {
	// Text is the specification as written.
	Text string
	// Spec is the parsed specification.
	Spec values.KeyTypeSpec
}

// ParseKeyTypeSpec parses a key type specification with
// values.ParseKeyTypeSpec. Errors wrap values.ErrInvalidArgument.
func ParseKeyTypeSpec(s string) (KeyTypeSpec, error) {
	spec, err := values.ParseKeyTypeSpec(s)
	if err != nil {
		return KeyTypeSpec{}, err // it names s and what is accepted
	}
	if spec == (values.KeyTypeSpec{}) {
		return KeyTypeSpec{}, fmt.Errorf("parse key type %q: PSA_KEY_TYPE_NONE matches no key (want a key type): %w",
			s, values.ErrInvalidArgument)
	}
	return KeyTypeSpec{Text: s, Spec: spec}, nil
}

// String returns the specification as written.
func (s KeyTypeSpec) String() string { return s.Text }

// Matches reports whether the specification matches the key type t.
func (s KeyTypeSpec) Matches(t values.KeyType) bool { return s.Spec.Matches(t) }

// keyTypesOverlap reports whether some key type matches both a and b. A
// specification matches either one key type or every key type of one
// family constructor, so one of them matches the other's key type (its
// constructor with family 0, for a wildcard) exactly when they overlap.
func keyTypesOverlap(a, b KeyTypeSpec) bool {
	return a.Spec.Matches(b.Spec.Type) || b.Spec.Matches(a.Spec.Type)
}

// algorithmsOverlap reports whether some algorithm of a mechanism matches
// both specifications a and b. It errs on the side of overlap: a conflict
// it reports may need a mechanism that no key type supports.
func algorithmsOverlap(a, b values.Algorithm) bool {
	if a == b || a.Permits(b) || b.Permits(a) {
		return true
	}
	if !a.IsWildcard() || !b.IsWildcard() {
		return false
	}
	// Two different wildcards: minimum-length MAC and AEAD wildcards of
	// the same base both permit the base algorithm at its full length,
	// and CCM*-any-tag permits CCM.
	return wildcardBase(a) == wildcardBase(b)
}

// wildcardBase returns the algorithm a wildcard is built on, with the
// length and wildcard flag cleared (PSA_ALG_FULL_LENGTH_MAC,
// PSA_ALG_AEAD_WITH_DEFAULT_LENGTH_TAG), CCM for PSA_ALG_CCM_STAR_ANY_TAG.
func wildcardBase(w values.Algorithm) values.Algorithm {
	switch {
	case w == values.AlgCCMStarAnyTag:
		return values.AlgCCM
	case w.IsMAC():
		return values.AlgFullLengthMAC(w)
	case w.IsAEAD():
		return values.AlgAEADWithDefaultLengthTag(w)
	}
	return w
}
