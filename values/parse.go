package values

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The Parse functions read the C macro expressions of the specification
// ("PSA_ALG_HMAC(PSA_ALG_SHA_256)") as they appear in driver descriptions
// and test data. The grammar is small:
//
//	expr = term { "|" term }          ("|" only in usage flags)
//	term = name | number | "_" | name "(" expr { "," expr } ")" | "(" expr ")"
//
// Numbers are decimal or 0x-prefixed hex; a decimal number may not start
// with 0 (C would read it as octal). Whitespace may surround any token.

const maxParseDepth = 32 // deeper nesting than any PSA expression needs

type node struct {
	text  string // source text, for messages
	name  string // identifier; "_" for a wildcard
	num   uint64
	neg   bool
	isNum bool
	call  bool
	args  []*node
	ors   []*node // terms of an "a | b" expression
}

func (n *node) isWildcard() bool { return n.name == "_" && !n.call }

type parser struct {
	s     string
	pos   int
	depth int
}

var errSyntax = errors.New("syntax error")

func parseExpr(s string) (*node, error) {
	p := &parser{s: s}
	n, err := p.expr()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(p.s) {
		return nil, fmt.Errorf("unexpected %q after %q", p.s[p.pos:], strings.TrimSpace(p.s[:p.pos]))
	}
	return n, nil
}

func (p *parser) skipSpace() {
	for p.pos < len(p.s) {
		switch p.s[p.pos] {
		case ' ', '\t', '\n', '\r', '\v', '\f':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) peek() byte {
	p.skipSpace()
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *parser) expr() (*node, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxParseDepth {
		return nil, fmt.Errorf("expression nested more than %d deep", maxParseDepth)
	}
	start := p.pos
	t, err := p.term()
	if err != nil {
		return nil, err
	}
	if p.peek() != '|' {
		return t, nil
	}
	or := &node{ors: []*node{t}}
	for p.peek() == '|' {
		p.pos++
		t, err := p.term()
		if err != nil {
			return nil, err
		}
		or.ors = append(or.ors, t)
	}
	or.text = strings.TrimSpace(p.s[start:p.pos])
	return or, nil
}

func isIdentStart(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isIdentChar(c byte) bool { return isIdentStart(c) || '0' <= c && c <= '9' }

func (p *parser) term() (*node, error) {
	c := p.peek()
	start := p.pos
	switch {
	case c == 0:
		return nil, errors.New("missing value at end of input")
	case c == '(':
		p.pos++
		n, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.peek() != ')' {
			return nil, fmt.Errorf("missing ')' after %q", strings.TrimSpace(p.s[start:p.pos]))
		}
		p.pos++
		return n, nil
	case c == '-' || '0' <= c && c <= '9':
		p.pos++
		for p.pos < len(p.s) && isIdentChar(p.s[p.pos]) {
			p.pos++
		}
		text := p.s[start:p.pos]
		n := &node{text: text, isNum: true}
		digits := text
		if c == '-' {
			n.neg = true
			digits = text[1:]
		}
		v, err := parseUint(digits)
		if err != nil {
			return nil, fmt.Errorf("bad number %q: %v", text, err)
		}
		n.num = v
		return n, nil
	case isIdentStart(c):
		for p.pos < len(p.s) && isIdentChar(p.s[p.pos]) {
			p.pos++
		}
		n := &node{name: p.s[start:p.pos]}
		if p.peek() == '(' {
			p.pos++
			n.call = true
			if p.peek() == ')' {
				return nil, fmt.Errorf("%s() needs arguments", n.name)
			}
			for {
				a, err := p.expr()
				if err != nil {
					return nil, err
				}
				n.args = append(n.args, a)
				if p.peek() == ',' {
					p.pos++
					continue
				}
				if p.peek() != ')' {
					return nil, fmt.Errorf("missing ')' in %q", strings.TrimSpace(p.s[start:p.pos]))
				}
				p.pos++
				break
			}
		}
		n.text = p.s[start:p.pos]
		return n, nil
	}
	return nil, fmt.Errorf("unexpected %q", p.s[p.pos:])
}

func parseUint(s string) (uint64, error) {
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		return strconv.ParseUint(s[2:], 16, 64)
	}
	if len(s) > 1 && s[0] == '0' {
		return 0, errors.New("a decimal number cannot start with 0 (use 0x for hex)")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, errSyntax
		}
	}
	return strconv.ParseUint(s, 10, 64)
}

// parseError wraps a message about input s of the given kind around
// ErrInvalidArgument.
func parseError(kind, s, format string, args ...any) error {
	return fmt.Errorf("parse %s %q: %s: %w", kind, s, fmt.Sprintf(format, args...), ErrInvalidArgument)
}

// parseTop parses s as one value of the given kind with eval.
func parseTop[T any](kind, s string, eval func(*node) (T, error)) (T, error) {
	var zero T
	n, err := parseExpr(s)
	if err != nil {
		return zero, parseError(kind, s, "%v", err)
	}
	v, err := eval(n)
	if err != nil {
		return zero, parseError(kind, s, "%v", err)
	}
	return v, nil
}

// number evaluates n as an unsigned literal of at most max.
func number(n *node, what string, max uint64) (uint64, error) {
	if !n.isNum || n.neg {
		return 0, fmt.Errorf("%s must be a number, got %s", what, describe(n))
	}
	if n.num > max {
		return 0, fmt.Errorf("%s %s is too large (at most %#x)", what, n.text, max)
	}
	return n.num, nil
}

func noOr(n *node, kind string) error {
	if n.ors != nil {
		return fmt.Errorf("%q: only usage flags can be combined with |, not %s values", n.text, kind)
	}
	return nil
}

// simple evaluates a name from table, or a literal encoding.
func simple[T ~uint8 | ~uint16 | ~uint32](n *node, kind string, t *nameTable[T], max uint64) (T, error) {
	if err := noOr(n, kind); err != nil {
		return 0, err
	}
	if n.isNum {
		v, err := number(n, kind, max)
		return T(v), err
	}
	if n.call {
		return 0, fmt.Errorf("%s is not a %s macro that takes arguments", n.name, kind)
	}
	if v, ok := t.byName[n.name]; ok {
		return v, nil
	}
	return 0, fmt.Errorf("unknown %s %s; want a %s name of the PSA Crypto API or a number", kind, describe(n), kind)
}

// describe says what n is, for error messages: "PSA_KEY_TYPE_AES (a key
// type)".
func describe(n *node) string {
	switch {
	case n.ors != nil:
		return fmt.Sprintf("%q", n.text)
	case n.isNum:
		return "the number " + n.text
	case n.isWildcard():
		return "the wildcard _"
	}
	kind := ""
	switch {
	case inTable(algorithmNames, n.name) || hashCtorByName[n.name] != nil || isAlgorithmMacro(n.name):
		kind = "an algorithm"
		if a, err := evalAlgorithm(n); err == nil {
			kind = "a " + algorithmCategory(a) + " algorithm"
		}
	case inTable(keyTypeNames, n.name) || keyTypeCtorByName(n.name) != nil:
		kind = "a key type"
	case inTable(eccFamilyNames, n.name):
		kind = "an elliptic curve family"
	case inTable(dhFamilyNames, n.name):
		kind = "a Diffie-Hellman family"
	case inTable(slhdsaFamilyNames, n.name):
		kind = "an SLH-DSA family"
	case inTable(usageNames, n.name):
		kind = "a usage flag"
	case inTable(lifetimeNames, n.name) || n.name == nameLifetimeFromPandL:
		kind = "a lifetime"
	case inTable(persistenceNames, n.name):
		kind = "a persistence level"
	case inTable(locationNames, n.name):
		kind = "a location"
	case inTable(derivationStepNames, n.name):
		kind = "a key derivation step"
	default:
		return "unknown name " + n.name
	}
	return n.text + " (" + kind + ")"
}

func inTable[T comparable](t *nameTable[T], name string) bool {
	_, ok := t.byName[name]
	return ok
}

func isAlgorithmMacro(name string) bool {
	switch name {
	case nameTruncatedMAC, nameFullLengthMAC, nameAtLeastMAC, nameShortenedTag,
		nameDefaultLengthTag, nameAtLeastTag, nameKeyAgreement:
		return true
	}
	return false
}

func algorithmCategory(a Algorithm) string {
	switch a.category() {
	case 0:
		return "null"
	case algCatHash:
		if a == AlgAnyHash {
			return "wildcard hash"
		}
		return "hash"
	case algCatMAC:
		return "MAC"
	case algCatCipher:
		return "cipher"
	case algCatAEAD:
		return "AEAD"
	case algCatSign:
		return "signature"
	case algCatAsymEnc:
		return "asymmetric encryption"
	case algCatKDF:
		return "key derivation"
	case algCatKA:
		return "key agreement"
	case algCatPAKE:
		return "PAKE"
	case algCatKeyWrap:
		return "key wrapping"
	case algCatKEM:
		return "key encapsulation"
	case algCatXOF:
		return "XOF"
	}
	return "unknown-category"
}

func wantArgs(n *node, count int, usage string) error {
	if !n.call {
		return fmt.Errorf("%s needs arguments: %s", n.name, usage)
	}
	if len(n.args) != count {
		return fmt.Errorf("%s takes %d argument(s), got %d: %s", n.name, count, len(n.args), usage)
	}
	return nil
}

// ParseAlgorithm parses a PSA algorithm expression: a name
// ("PSA_ALG_SHA_256"), a constructor macro with nested arguments
// ("PSA_ALG_KEY_AGREEMENT(PSA_ALG_ECDH, PSA_ALG_HKDF(PSA_ALG_SHA_256))",
// "PSA_ALG_TRUNCATED_MAC(PSA_ALG_CMAC, 10)"), a policy wildcard
// ("PSA_ALG_ECDSA(PSA_ALG_ANY_HASH)"), or a hex or decimal encoding
// ("0x06000609"). It returns an error wrapping ErrInvalidArgument that
// says what was wrong and what is accepted.
func ParseAlgorithm(s string) (Algorithm, error) {
	return parseTop("algorithm", s, evalAlgorithm)
}

func evalAlgorithm(n *node) (Algorithm, error) {
	if err := noOr(n, "algorithm"); err != nil {
		return 0, err
	}
	if n.isNum {
		v, err := number(n, "algorithm encoding", 0xffffffff)
		return Algorithm(v), err
	}
	if !n.call {
		if v, ok := algorithmNames.byName[n.name]; ok {
			return v, nil
		}
		if hashCtorByName[n.name] != nil {
			return 0, fmt.Errorf("%s needs an argument: %s(hash_alg)", n.name, n.name)
		}
		if isAlgorithmMacro(n.name) {
			return 0, wantArgs(n, 1, "see the PSA Crypto API")
		}
		return 0, fmt.Errorf("unknown algorithm %s; want a PSA_ALG_* name or macro of the PSA Crypto API 1.5, or a hex encoding", describe(n))
	}
	if c := hashCtorByName[n.name]; c != nil {
		if err := wantArgs(n, 1, n.name+"(hash_alg)"); err != nil {
			return 0, err
		}
		h, err := evalAlgorithm(n.args[0])
		if err != nil && n.args[0].call {
			return 0, err // the nested macro says best what is wrong
		}
		if err != nil || !c.rule.accepts(h) {
			return 0, fmt.Errorf("%s takes %s, got %s", n.name, c.rule.describe(), describe(n.args[0]))
		}
		return withHash(c.base, h), nil
	}
	switch n.name {
	case nameTruncatedMAC, nameAtLeastMAC, nameShortenedTag, nameAtLeastTag:
		mac := n.name == nameTruncatedMAC || n.name == nameAtLeastMAC
		what, isKind := "an AEAD algorithm", Algorithm.IsAEAD
		if mac {
			what, isKind = "a MAC algorithm", Algorithm.IsMAC
		}
		if err := wantArgs(n, 2, n.name+"(alg, length)"); err != nil {
			return 0, err
		}
		a, err := evalAlgorithm(n.args[0])
		if err != nil && n.args[0].call {
			return 0, err // the nested macro says best what is wrong
		}
		if err != nil || !isKind(a) {
			return 0, fmt.Errorf("%s takes %s as its first argument, got %s", n.name, what, describe(n.args[0]))
		}
		l, err := number(n.args[1], "the length", maxLengthField)
		if err != nil || l == 0 {
			return 0, fmt.Errorf("%s takes %s as its second argument, got %s", n.name, lengthFieldDescription, describe(n.args[1]))
		}
		switch n.name {
		case nameTruncatedMAC:
			return AlgTruncatedMAC(a, int(l)), nil
		case nameAtLeastMAC:
			return AlgAtLeastThisLengthMAC(a, int(l)), nil
		case nameShortenedTag:
			return AlgAEADWithShortenedTag(a, int(l)), nil
		}
		return AlgAEADWithAtLeastThisLengthTag(a, int(l)), nil
	case nameFullLengthMAC:
		if err := wantArgs(n, 1, n.name+"(mac_alg)"); err != nil {
			return 0, err
		}
		a, err := evalAlgorithm(n.args[0])
		if err != nil && n.args[0].call {
			return 0, err // the nested macro says best what is wrong
		}
		if err != nil || !a.IsMAC() {
			return 0, fmt.Errorf("%s takes a MAC algorithm, got %s", n.name, describe(n.args[0]))
		}
		return AlgFullLengthMAC(a), nil
	case nameDefaultLengthTag:
		if err := wantArgs(n, 1, n.name+"(aead_alg)"); err != nil {
			return 0, err
		}
		a, err := evalAlgorithm(n.args[0])
		if err != nil && n.args[0].call {
			return 0, err // the nested macro says best what is wrong
		}
		if err == nil {
			a = AlgAEADWithDefaultLengthTag(a)
		}
		if err != nil || a == AlgNone {
			return 0, fmt.Errorf("%s takes one of the AEAD algorithms of the specification, got %s", n.name, describe(n.args[0]))
		}
		return a, nil
	case nameKeyAgreement:
		if err := wantArgs(n, 2, n.name+"(ka_alg, kdf_alg)"); err != nil {
			return 0, err
		}
		ka, err := evalAlgorithm(n.args[0])
		if err != nil && n.args[0].call {
			return 0, err // the nested macro says best what is wrong
		}
		if err != nil || !ka.IsStandaloneKeyAgreement() || ka&^algKABaseMask != 0 {
			return 0, fmt.Errorf("%s takes a standalone key agreement (such as PSA_ALG_ECDH) as its first argument, got %s", n.name, describe(n.args[0]))
		}
		kdf, err := evalAlgorithm(n.args[1])
		if err != nil && n.args[1].call {
			return 0, err // the nested macro says best what is wrong
		}
		if err != nil || !kdf.IsKeyDerivation() || kdf&^algKAKDFMask != 0 || kdf&algKAKDFFields == 0 {
			return 0, fmt.Errorf("%s takes a key derivation algorithm as its second argument, got %s", n.name, describe(n.args[1]))
		}
		return AlgKeyAgreement(ka, kdf), nil
	}
	if _, ok := algorithmNames.byName[n.name]; ok {
		return 0, fmt.Errorf("%s takes no arguments", n.name)
	}
	return 0, fmt.Errorf("unknown algorithm macro %s; want a PSA_ALG_* macro of the PSA Crypto API 1.5", n.name)
}

// ParseKeyType parses a PSA key type: a name ("PSA_KEY_TYPE_AES"), a
// family constructor ("PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1)"),
// or a hex or decimal encoding.
func ParseKeyType(s string) (KeyType, error) {
	return parseTop("key type", s, func(n *node) (KeyType, error) {
		spec, err := evalKeyTypeSpec(n, false)
		return spec.Type, err
	})
}

// KeyTypeSpec is a key type, or with AnyFamily every key type of one
// family constructor, as written in driver descriptions:
// "PSA_KEY_TYPE_ECC_KEY_PAIR(_)" matches an ECC key pair of any curve
// family. The zero value matches only PSA_KEY_TYPE_NONE.
type KeyTypeSpec struct {
	// Type is the key type; with AnyFamily, its family bits are zero and
	// it stands for its constructor.
	Type KeyType
	// AnyFamily is set when the family was written as _.
	AnyFamily bool
}

// ParseKeyTypeSpec parses a key type as ParseKeyType does, and also
// accepts _ for the family of a family constructor
// ("PSA_KEY_TYPE_DH_PUBLIC_KEY(_)").
func ParseKeyTypeSpec(s string) (KeyTypeSpec, error) {
	return parseTop("key type", s, func(n *node) (KeyTypeSpec, error) { return evalKeyTypeSpec(n, true) })
}

// Matches reports whether t is the key type of s, or, for a wildcard
// spec, any key type of the same family constructor.
func (s KeyTypeSpec) Matches(t KeyType) bool {
	if s.AnyFamily {
		return t&keyTypeFamilyBase == s.Type&keyTypeFamilyBase
	}
	return t == s.Type
}

// String returns the spec as ParseKeyTypeSpec reads it:
// "PSA_KEY_TYPE_ECC_KEY_PAIR(_)" or the key type's name.
func (s KeyTypeSpec) String() string {
	if s.AnyFamily {
		if c := keyTypeCtorByBase(s.Type & keyTypeFamilyBase); c != nil {
			return c.name + "(_)"
		}
	}
	return s.Type.String()
}

func evalKeyTypeSpec(n *node, wildcardOK bool) (KeyTypeSpec, error) {
	if err := noOr(n, "key type"); err != nil {
		return KeyTypeSpec{}, err
	}
	if n.isNum {
		v, err := number(n, "key type encoding", 0xffff)
		return KeyTypeSpec{Type: KeyType(v)}, err
	}
	c := keyTypeCtorByName(n.name)
	if c == nil {
		t, err := simple(n, "key type", keyTypeNames, 0xffff)
		return KeyTypeSpec{Type: t}, err
	}
	usage := n.name + "(family)"
	if err := wantArgs(n, 1, usage); err != nil {
		return KeyTypeSpec{}, err
	}
	arg := n.args[0]
	if arg.isWildcard() {
		if !wildcardOK {
			return KeyTypeSpec{}, fmt.Errorf("the wildcard _ is only accepted in a key type specification, not in %s", n.text)
		}
		return KeyTypeSpec{Type: c.base, AnyFamily: true}, nil
	}
	var f uint8
	var err error
	switch c.family {
	case familyECC:
		var v ECCFamily
		v, err = evalFamily(arg, eccFamilyNames)
		f = uint8(v)
	case familyDH:
		var v DHFamily
		v, err = evalFamily(arg, dhFamilyNames)
		f = uint8(v)
	case familySLHDSA:
		var v SLHDSAFamily
		v, err = evalFamily(arg, slhdsaFamilyNames)
		f = uint8(v)
	}
	if err == nil && f > uint8(keyTypeFamilyMask) {
		err = errors.New("too large")
	}
	if err != nil {
		return KeyTypeSpec{}, fmt.Errorf("%s takes %s or a number up to 0x7f, got %s", n.name, c.family.describe(), describe(arg))
	}
	return KeyTypeSpec{Type: c.base | KeyType(f)}, nil
}

func evalFamily[T ~uint8](n *node, t *nameTable[T]) (T, error) {
	return simple(n, "family", t, 0xff)
}

// ParseECCFamily parses an elliptic curve family name
// ("PSA_ECC_FAMILY_SECP_R1") or number.
func ParseECCFamily(s string) (ECCFamily, error) {
	return parseTop("ECC family", s, func(n *node) (ECCFamily, error) {
		return simple(n, "ECC family", eccFamilyNames, 0xff)
	})
}

// ParseDHFamily parses a Diffie-Hellman family name
// ("PSA_DH_FAMILY_RFC7919") or number.
func ParseDHFamily(s string) (DHFamily, error) {
	return parseTop("DH family", s, func(n *node) (DHFamily, error) {
		return simple(n, "DH family", dhFamilyNames, 0xff)
	})
}

// ParseSLHDSAFamily parses an SLH-DSA family name
// ("PSA_SLH_DSA_FAMILY_SHA2_S") or number.
func ParseSLHDSAFamily(s string) (SLHDSAFamily, error) {
	return parseTop("SLH-DSA family", s, func(n *node) (SLHDSAFamily, error) {
		return simple(n, "SLH-DSA family", slhdsaFamilyNames, 0xff)
	})
}

// ParseKeyUsage parses usage flags joined by |
// ("PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_SIGN_HASH"); each term is a flag
// name or a number, and "0" is the empty set.
func ParseKeyUsage(s string) (KeyUsage, error) {
	return parseTop("key usage", s, func(n *node) (KeyUsage, error) {
		terms := n.ors
		if terms == nil {
			terms = []*node{n}
		}
		var u KeyUsage
		for _, t := range terms {
			v, err := simple(t, "usage flag", usageNames, 0xffffffff)
			if err != nil {
				return 0, err
			}
			u |= v
		}
		return u, nil
	})
}

// ParseLifetime parses a lifetime: "PSA_KEY_LIFETIME_VOLATILE",
// "PSA_KEY_LIFETIME_PERSISTENT",
// "PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION(persistence, location)"
// or a number.
func ParseLifetime(s string) (Lifetime, error) {
	return parseTop("lifetime", s, func(n *node) (Lifetime, error) {
		if n.name != nameLifetimeFromPandL {
			return simple(n, "lifetime", lifetimeNames, 0xffffffff)
		}
		if err := wantArgs(n, 2, n.name+"(persistence, location)"); err != nil {
			return 0, err
		}
		p, err := evalPersistence(n.args[0])
		if err != nil {
			return 0, fmt.Errorf("%s takes a persistence level (PSA_KEY_PERSISTENCE_* or 0-255) as its first argument, got %s", n.name, describe(n.args[0]))
		}
		loc, err := evalLocation(n.args[1])
		if err != nil {
			return 0, fmt.Errorf("%s takes a location (PSA_KEY_LOCATION_* or 0-0xffffff) as its second argument, got %s", n.name, describe(n.args[1]))
		}
		return LifetimeFromPersistenceAndLocation(p, loc), nil
	})
}

func evalPersistence(n *node) (Persistence, error) {
	return simple(n, "persistence", persistenceNames, 0xff)
}

func evalLocation(n *node) (Location, error) {
	return simple(n, "location", locationNames, uint64(locationMask))
}

// ParsePersistence parses a persistence level name
// ("PSA_KEY_PERSISTENCE_DEFAULT") or a number from 0 to 255.
func ParsePersistence(s string) (Persistence, error) {
	return parseTop("persistence", s, evalPersistence)
}

// ParseLocation parses a location name ("PSA_KEY_LOCATION_LOCAL_STORAGE")
// or a number from 0 to 0xffffff.
func ParseLocation(s string) (Location, error) {
	return parseTop("location", s, evalLocation)
}

// ParseKeyID parses a key identifier: PSA_KEY_ID_NULL, one of the range
// bounds (PSA_KEY_ID_USER_MIN, ...), or a number.
func ParseKeyID(s string) (KeyID, error) {
	return parseTop("key ID", s, func(n *node) (KeyID, error) {
		return simple(n, "key ID", keyIDNames, 0xffffffff)
	})
}

// ParseDerivationStep parses a key-derivation step name
// ("PSA_KEY_DERIVATION_INPUT_SECRET") or number.
func ParseDerivationStep(s string) (DerivationStep, error) {
	return parseTop("key derivation step", s, func(n *node) (DerivationStep, error) {
		return simple(n, "key derivation step", derivationStepNames, 0xffff)
	})
}

var statusByName = func() map[string]Status {
	m := make(map[string]Status, len(statusNames))
	for v, n := range statusNames {
		m[n] = v
	}
	return m
}()

// ParseStatus parses a status name ("PSA_ERROR_NOT_SUPPORTED",
// "PSA_SUCCESS"), a decimal code ("-134"), or the "psa_status_t(-1)"
// form that Status.String prints for an unnamed code.
func ParseStatus(s string) (Status, error) {
	return parseTop("status", s, func(n *node) (Status, error) {
		if err := noOr(n, "status"); err != nil {
			return 0, err
		}
		if n.name == "psa_status_t" && n.call && len(n.args) == 1 {
			n = n.args[0]
		}
		if n.isNum {
			if n.num > 1<<31 || !n.neg && n.num > 1<<31-1 {
				return 0, fmt.Errorf("status code %s does not fit in 32 bits", n.text)
			}
			if n.neg {
				return Status(-int64(n.num)), nil
			}
			return Status(n.num), nil
		}
		if v, ok := statusByName[n.name]; ok && !n.call {
			return v, nil
		}
		return 0, fmt.Errorf("unknown status %s; want PSA_SUCCESS, a PSA_ERROR_* name or a number", describe(n))
	})
}

// ParsePAKEPrimitiveType parses a PAKE primitive type name
// ("PSA_PAKE_PRIMITIVE_TYPE_ECC") or number.
func ParsePAKEPrimitiveType(s string) (PAKEPrimitiveType, error) {
	return parseTop("PAKE primitive type", s, evalPAKEPrimitiveType)
}

func evalPAKEPrimitiveType(n *node) (PAKEPrimitiveType, error) {
	return simple(n, "PAKE primitive type", pakePrimitiveTypeNames, 0xff)
}

// ParsePAKEFamily parses a PAKE family: an elliptic curve or
// Diffie-Hellman family name, or a number.
func ParsePAKEFamily(s string) (PAKEFamily, error) {
	return parseTop("PAKE family", s, func(n *node) (PAKEFamily, error) {
		if v, err := simple(n, "PAKE family", eccFamilyNames, 0xff); err == nil {
			return PAKEFamily(v), nil
		}
		v, err := simple(n, "PAKE family", dhFamilyNames, 0xff)
		if err != nil {
			return 0, fmt.Errorf("want an ECC or DH family name or a number, got %s", describe(n))
		}
		return PAKEFamily(v), nil
	})
}

// ParsePAKEPrimitive parses "PSA_PAKE_PRIMITIVE(type, family, bits)",
// where family must match type (an ECC family for
// PSA_PAKE_PRIMITIVE_TYPE_ECC, a DH family for PSA_PAKE_PRIMITIVE_TYPE_DH),
// or a number.
func ParsePAKEPrimitive(s string) (PAKEPrimitive, error) {
	return parseTop("PAKE primitive", s, func(n *node) (PAKEPrimitive, error) {
		if err := noOr(n, "PAKE primitive"); err != nil {
			return 0, err
		}
		if n.isNum {
			v, err := number(n, "PAKE primitive encoding", 0xffffffff)
			return PAKEPrimitive(v), err
		}
		if n.name != namePAKEPrimitive {
			return 0, fmt.Errorf("want %s(type, family, bits) or a number, got %s", namePAKEPrimitive, describe(n))
		}
		if err := wantArgs(n, 3, namePAKEPrimitive+"(type, family, bits)"); err != nil {
			return 0, err
		}
		t, err := evalPAKEPrimitiveType(n.args[0])
		if err != nil || t == 0 {
			return 0, fmt.Errorf("%s takes a primitive type (PSA_PAKE_PRIMITIVE_TYPE_* or 1-255) as its first argument, got %s", n.name, describe(n.args[0]))
		}
		var f uint8
		fn := n.args[1]
		switch {
		case fn.isNum:
			var v uint64
			v, err = number(fn, "family", 0xff)
			f = uint8(v)
		case t == PAKEPrimitiveTypeECC:
			var v ECCFamily
			v, err = simple(fn, "ECC family", eccFamilyNames, 0xff)
			f = uint8(v)
		case t == PAKEPrimitiveTypeDH:
			var v DHFamily
			v, err = simple(fn, "DH family", dhFamilyNames, 0xff)
			f = uint8(v)
		default:
			err = errSyntax
		}
		if err != nil {
			return 0, fmt.Errorf("%s with %s takes a family of that type or a number as its second argument, got %s", n.name, t, describe(fn))
		}
		bits, err := number(n.args[2], "bits", 0xffff)
		if err != nil {
			return 0, fmt.Errorf("%s takes a size in bits from 0 to 65535 as its third argument, got %s", n.name, describe(n.args[2]))
		}
		return PAKEPrimitiveOf(t, PAKEFamily(f), int(bits)), nil
	})
}

// ParsePAKERole parses a PAKE role name ("PSA_PAKE_ROLE_CLIENT") or number.
func ParsePAKERole(s string) (PAKERole, error) {
	return parseTop("PAKE role", s, func(n *node) (PAKERole, error) {
		return simple(n, "PAKE role", pakeRoleNames, 0xff)
	})
}

// ParsePAKEStep parses a PAKE step name ("PSA_PAKE_STEP_KEY_SHARE") or
// number.
func ParsePAKEStep(s string) (PAKEStep, error) {
	return parseTop("PAKE step", s, func(n *node) (PAKEStep, error) {
		return simple(n, "PAKE step", pakeStepNames, 0xff)
	})
}
