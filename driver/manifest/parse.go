package manifest

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"strconv"
	"strings"

	"github.com/gopsa/psa/values"
)

// Parse parses and validates one driver description. file names the
// description in error messages (a file name, normally).
//
// The error, if any, lists every problem found (up to a limit), each an
// *Error that wraps values.ErrInvalidArgument; use errors.As to inspect
// them. Parse is safe for concurrent use.
func Parse(data []byte, file string) (*Driver, error) {
	p := &parser{errorList: errorList{file: file}}
	root, err := decodeJSON(data)
	if err != nil {
		p.add("", "%v", err)
		return nil, errors.Join(p.errs...)
	}
	d := p.driver(root)
	if len(p.errs) == 0 {
		p.checkConflicts(d)
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return d, nil
}

type parser struct {
	errorList
}

// Property names of the specification, by object.
var (
	driverProps     = []string{"prefix", "type", "headers", "capabilities", "key_context", "persistent_state_size", "location"}
	capabilityProps = []string{"entry_points", "algorithms", "key_types", "key_sizes", "names", "fallback",
		"derived_types", "derived_sizes", "memory", "initial_entropy_size", "reseed_entropy_size"}
	keyContextProps = []string{"base_size", "key_pair_size", "public_key_size", "symmetric_factor",
		"store_public_key", "size_function", "builtin_key_size"}
	gopsaDriverProps = []string{"gopsa/package", "gopsa/type"}
)

// props checks the property names of an object: the specification's
// (known), gopsa's (gopsaKnown), "_comment" (and "_comment..." variants,
// which the reference descriptions use), and other implementations'
// properties, which are returned as extensions. It returns the known and
// gopsa properties by name.
func (p *parser) props(n *node, path string, known, gopsaKnown []string) (map[string]*node, map[string]json.RawMessage) {
	got := map[string]*node{}
	var ext map[string]json.RawMessage
	for _, m := range n.members {
		mp := joinPath(path, m.key)
		switch {
		case strings.HasPrefix(m.key, "_comment"):
			if m.value.kind != kString {
				p.add(mp, "a comment must be a string, got %s", m.value.kind)
			}
		case contains(known, m.key):
			got[m.key] = m.value
		case strings.HasPrefix(m.key, "gopsa/"):
			if !contains(gopsaKnown, m.key) {
				want := "no gopsa/ property is defined here"
				if len(gopsaKnown) > 0 {
					want = "want " + quoteList(gopsaKnown)
				}
				p.add(mp, "unknown gopsa property %q%s (%s)", m.key, suggest(m.key, gopsaKnown), want)
				continue
			}
			got[m.key] = m.value
		case strings.Contains(m.key, "/"):
			if ext == nil {
				ext = map[string]json.RawMessage{}
			}
			ext[m.key] = m.value.raw()
		default:
			p.add(mp, "unknown property %q%s (want one of %s, \"_comment\", or an implementation-specific property such as \"gopsa/...\")",
				m.key, suggest(m.key, known), quoteList(known))
		}
	}
	return got, ext
}

func (p *parser) driver(root *node) *Driver {
	if root.kind != kObject {
		p.add("", "a driver description must be a JSON object, got %s", root.kind)
		return nil
	}
	props, ext := p.props(root, "", driverProps, gopsaDriverProps)
	d := &Driver{File: p.file, Extensions: ext}

	if n, ok := props["prefix"]; !ok {
		p.add("", `missing mandatory property "prefix"`)
	} else if s, ok := p.str(n, "prefix"); ok {
		if !isCIdentifier(s) {
			p.add("prefix", "%q is not a valid prefix (want a C identifier: a letter or underscore, then letters, digits or underscores)", s)
		}
		d.Prefix = s
	}

	if n, ok := props["type"]; !ok {
		p.add("", `missing mandatory property "type" (want "transparent" or "opaque")`)
	} else if s, ok := p.str(n, "type"); ok {
		switch s {
		case "transparent":
			d.Type = Transparent
		case "opaque":
			d.Type = Opaque
		default:
			p.add("type", "unknown driver type %q (want \"transparent\" or \"opaque\")", s)
		}
	}

	if n, ok := props["headers"]; ok {
		d.Headers = p.stringList(n, "headers", false)
	}

	p.goBinding(d, props)

	// The rest depends on the driver type; without a valid type, the
	// errors would be guesses.
	if d.Type == 0 {
		return d
	}

	p.location(d, props["location"])

	if n, ok := props["key_context"]; ok {
		if d.Type == Transparent {
			p.add("key_context", `"key_context" is not permitted for transparent drivers (their keys are in the export format)`)
		} else {
			d.KeyContext = p.keyContext(n, d.Package != "")
		}
	}
	if n, ok := props["persistent_state_size"]; ok {
		if d.Type == Transparent {
			p.add("persistent_state_size", `"persistent_state_size" is not permitted for transparent drivers`)
		} else {
			d.PersistentStateSize, _ = p.size(n, "persistent_state_size", d.Package != "")
		}
	}

	n, ok := props["capabilities"]
	switch {
	case !ok:
		p.add("", `missing mandatory property "capabilities"`)
	case n.kind != kArray:
		p.add("capabilities", "want an array of capabilities, got %s", n.kind)
	case len(n.elems) == 0:
		p.add("capabilities", "a driver must declare at least one capability (it is never called otherwise)")
	default:
		for i, c := range n.elems {
			if p.full() {
				break
			}
			if cp := p.capability(d, c, i); cp != nil {
				d.Capabilities = append(d.Capabilities, cp)
			}
		}
	}
	return d
}

func (p *parser) goBinding(d *Driver, props map[string]*node) {
	pkg, hasPkg := props["gopsa/package"]
	typ, hasType := props["gopsa/type"]
	if hasPkg {
		if s, ok := p.str(pkg, `["gopsa/package"]`); ok {
			if err := checkImportPath(s); err != nil {
				p.add(`["gopsa/package"]`, "%q is not a Go import path: %v", s, err)
			} else {
				d.Package = s
			}
		}
	}
	if hasType {
		if s, ok := p.str(typ, `["gopsa/type"]`); ok {
			if !token.IsIdentifier(s) || !token.IsExported(s) {
				p.add(`["gopsa/type"]`, "%q is not an exported Go identifier (want the name of the driver's type, such as \"Driver\")", s)
			} else {
				d.GoType = s
			}
		}
	}
	if hasPkg != hasType {
		missing, given := "gopsa/type", "gopsa/package"
		if hasType {
			missing, given = given, missing
		}
		p.add("", "%q is given but %q is missing (a Go driver needs both)", given, missing)
	}
}

// maxLocation is the largest psa_key_location_t: locations are 24 bits.
const maxLocation = 0xffffff

func (p *parser) location(d *Driver, n *node) {
	if n == nil {
		if d.Type == Opaque {
			p.add("", `missing property "location": gopsa requires the location of an opaque driver, `+
				`because persistent keys record it and it must not change between builds `+
				`(want a number such as 8388609 or a string such as "0x800001")`)
		}
		return
	}
	loc, ok := p.locationValue(n)
	if !ok {
		return
	}
	switch d.Type {
	case Transparent:
		if loc != 0 {
			p.add("location", "a transparent driver works on keys in local storage (location 0), got location %#x "+
				"(omit \"location\", or declare an opaque driver)", loc)
		}
	case Opaque:
		if loc == 0 {
			p.add("location", "location 0 is PSA_KEY_LOCATION_LOCAL_STORAGE, the location of transparent keys "+
				"(want the location of the opaque driver's keys, 1 to 0xffffff)")
		}
		d.Location = values.Location(loc)
	}
}

func (p *parser) locationValue(n *node) (uint64, bool) {
	const want = `want an integer from 0 to 0xffffff, as a JSON number or a string such as "0x800001", or PSA_KEY_LOCATION_LOCAL_STORAGE or PSA_KEY_LOCATION_PRIMARY_SECURE_ELEMENT`
	var v uint64
	switch n.kind {
	case kNumber:
		u, err := strconv.ParseUint(n.text, 10, 64)
		if err != nil {
			p.add("location", "%s is not a valid location (%s)", n.text, want)
			return 0, false
		}
		v = u
	case kString:
		if u, err := parseCInteger(strings.TrimSpace(n.text)); err == nil {
			v = u // checked against the 24-bit range below
			break
		}
		loc, err := values.ParseLocation(n.text)
		if err != nil {
			p.add("location", "%q is not a valid location (%s)", n.text, want)
			return 0, false
		}
		v = uint64(loc)
	default:
		p.add("location", "want an integer or a string, got %s (%s)", n.kind, want)
		return 0, false
	}
	if v > maxLocation {
		p.add("location", "location %#x does not fit in 24 bits (%s)", v, want)
		return 0, false
	}
	return v, true
}

func (p *parser) keyContext(n *node, goDriver bool) *KeyContext {
	if n.kind != kObject {
		p.add("key_context", "want an object, got %s", n.kind)
		return nil
	}
	props, ext := p.props(n, "key_context", keyContextProps, nil)
	kc := &KeyContext{Extensions: ext}
	for _, f := range []struct {
		name string
		dst  *Size
	}{
		{"base_size", &kc.BaseSize},
		{"key_pair_size", &kc.KeyPairSize},
		{"public_key_size", &kc.PublicKeySize},
		{"symmetric_factor", &kc.SymmetricFactor},
	} {
		if v, ok := props[f.name]; ok {
			*f.dst, _ = p.size(v, "key_context."+f.name, goDriver)
		}
	}
	if v, ok := props["builtin_key_size"]; ok {
		kc.BuiltinKeySize, kc.HasBuiltinKeySize = p.size(v, "key_context.builtin_key_size", goDriver)
	}
	if v, ok := props["store_public_key"]; ok {
		kc.StorePublicKey, _ = p.boolean(v, "key_context.store_public_key")
	}
	if v, ok := props["size_function"]; ok {
		if s, ok := p.str(v, "key_context.size_function"); ok {
			switch {
			case !isCIdentifier(s):
				p.add("key_context.size_function", "%q is not an identifier (want the name of a method of the driver type; expressions are not permitted)", s)
			case goDriver && !token.IsExported(s):
				p.add("key_context.size_function", "%q is not exported (want the name of an exported method of the driver type)", s)
			default:
				kc.SizeFunction = s
			}
		}
	}
	return kc
}

// size parses an "integer or string" size property.
func (p *parser) size(n *node, path string, goDriver bool) (Size, bool) {
	const want = "want a non-negative integer, or the name of an exported constant of the driver package"
	switch n.kind {
	case kNumber:
		v, err := strconv.ParseUint(n.text, 10, 31)
		if err != nil {
			p.add(path, "%s is not a valid size (%s)", n.text, want)
			return Size{}, false
		}
		return Size{N: int(v)}, true
	case kString:
		s := strings.TrimSpace(n.text)
		if v, err := parseCInteger(s); err == nil {
			if v > 1<<31-1 {
				p.add(path, "%q is too large for a size (%s)", n.text, want)
				return Size{}, false
			}
			return Size{N: int(v)}, true
		}
		if !token.IsIdentifier(s) || (goDriver && !token.IsExported(s)) {
			p.add(path, "%q is not a size gopsa can evaluate (%s; C expressions are not accepted)", n.text, want)
			return Size{}, false
		}
		return Size{Const: s}, true
	}
	p.add(path, "want an integer or a string, got %s (%s)", n.kind, want)
	return Size{}, false
}

func (p *parser) capability(d *Driver, n *node, i int) *Capability {
	path := fmt.Sprintf("capabilities[%d]", i)
	if n.kind != kObject {
		p.add(path, "a capability must be an object, got %s", n.kind)
		return nil
	}
	props, ext := p.props(n, path, capabilityProps, nil)
	c := &Capability{Index: i, Extensions: ext, ReseedEntropySize: -1}

	// Entry points first: which other properties are permitted depends
	// on them.
	epn, ok := props["entry_points"]
	if !ok {
		p.add(path, `missing mandatory property "entry_points"`)
		return nil
	}
	c.EntryPoints = p.stringList(epn, path+".entry_points", true)
	if c.EntryPoints == nil {
		return nil
	}
	seen := map[string]bool{}
	var broadcast []string
	for j, name := range c.EntryPoints {
		ep := fmt.Sprintf("%s.entry_points[%d]", path, j)
		if f, ok := LookupFamily(name); ok {
			if !f.AllowedFor(d.Type) {
				p.add(ep, "entry point family %q is not permitted for %s drivers (%s)", name, d.Type, allowedText(f.Transparent, f.Opaque))
				continue
			}
			for _, m := range f.Members {
				if e, _ := LookupEntryPoint(m.Name); e.AllowedFor(d.Type) && !seen[m.Name] {
					seen[m.Name] = true
					c.entryPoints = append(c.entryPoints, m.Name)
				}
			}
			continue
		}
		e, ok := LookupEntryPoint(name)
		if !ok {
			p.add(ep, "unknown entry point %q%s (want one of the entry points or families of %s drivers: %s)",
				name, suggest(name, knownNames(d.Type)), d.Type, strings.Join(knownNames(d.Type), ", "))
			continue
		}
		if !e.AllowedFor(d.Type) {
			p.add(ep, "entry point %q is not permitted for %s drivers (%s)", name, d.Type, allowedText(e.Transparent, e.Opaque))
			continue
		}
		if e.Broadcast {
			broadcast = append(broadcast, name)
		}
		if !seen[name] {
			seen[name] = true
			c.entryPoints = append(c.entryPoints, name)
		}
	}
	if dup := firstDuplicate(c.EntryPoints); dup != "" {
		p.add(path+".entry_points", "%q is listed twice", dup)
	}

	deriveKey := contains(c.EntryPoints, "derive_key")
	if deriveKey && len(c.EntryPoints) != 1 {
		p.add(path+".entry_points", `a "derive_key" capability must have "entry_points": ["derive_key"] and nothing else (its filters are "derived_types" and "derived_sizes")`)
	}

	if v, ok := props["algorithms"]; ok {
		c.Algorithms = p.algorithms(v, path+".algorithms")
	}
	if v, ok := props["key_types"]; ok {
		c.KeyTypes = p.keyTypes(v, path+".key_types")
	}
	if v, ok := props["key_sizes"]; ok {
		c.KeySizes = p.keySizes(v, path+".key_sizes")
	}
	if v, ok := props["fallback"]; ok {
		c.Fallback, _ = p.boolean(v, path+".fallback")
		if c.Fallback && d.Type == Opaque {
			p.add(path+".fallback", `"fallback" is not permitted for opaque drivers (an opaque driver is the only one that can use its keys)`)
		}
	}

	// The "derive_key" capability has its own filters (driver interface
	// §4.4.8).
	if deriveKey {
		for _, k := range []string{"algorithms", "key_types", "key_sizes"} {
			if _, ok := props[k]; ok {
				p.add(path+"."+k, `%q is not permitted in a "derive_key" capability (use "derived_types" and "derived_sizes")`, k)
			}
		}
		if v, ok := props["derived_types"]; ok {
			c.DerivedTypes = p.keyTypes(v, path+".derived_types")
		} else {
			p.add(path, `a "derive_key" capability must have "derived_types" (the key types it derives)`)
		}
		if v, ok := props["derived_sizes"]; ok {
			c.DerivedSizes = p.keySizes(v, path+".derived_sizes")
		}
		if v, ok := props["memory"]; ok {
			c.Memory, _ = p.boolean(v, path+".memory")
		}
	} else {
		for _, k := range []string{"derived_types", "derived_sizes", "memory"} {
			if _, ok := props[k]; ok {
				p.add(path+"."+k, `%q is only permitted in a "derive_key" capability`, k)
			}
		}
	}

	// Random generation parameters (driver interface §5.3).
	if c.Covers("get_random") {
		if v, ok := props["initial_entropy_size"]; ok {
			c.InitialEntropySize, _ = p.byteCount(v, path+".initial_entropy_size")
			if c.InitialEntropySize > 0 && !c.Covers("add_entropy") {
				p.add(path+".entry_points", `"add_entropy" is mandatory when "initial_entropy_size" is nonzero (the core must be able to supply the entropy)`)
			}
		} else {
			p.add(path, `a random generation capability must have "initial_entropy_size" (bytes of entropy needed before the first output; 0 if the driver has its own entropy source)`)
		}
		if v, ok := props["reseed_entropy_size"]; ok {
			c.ReseedEntropySize, _ = p.byteCount(v, path+".reseed_entropy_size")
		}
	} else {
		for _, k := range []string{"initial_entropy_size", "reseed_entropy_size"} {
			if _, ok := props[k]; ok {
				p.add(path+"."+k, `%q is only permitted in a capability that declares "get_random"`, k)
			}
		}
	}

	// The core calls "init", "free" and "get_entropy" of every driver,
	// without a mechanism to filter on (§4.8.1, §4.7).
	if len(broadcast) > 0 {
		for _, k := range []string{"algorithms", "key_types", "key_sizes"} {
			if _, ok := props[k]; ok {
				p.add(path+"."+k, "%q does not apply to %s: declare %s in a capability with no algorithm, key type or key size",
					k, quoteList(broadcast), quoteList(broadcast))
			}
		}
		if c.Fallback {
			p.add(path+".fallback", "fallback does not apply to %s (the core calls it in every driver)", quoteList(broadcast))
		}
	}

	if v, ok := props["names"]; ok {
		c.Names = p.names(v, path+".names", c, d.Package != "")
	}
	return c
}

func (p *parser) names(n *node, path string, c *Capability, goDriver bool) map[string]string {
	if n.kind != kObject {
		p.add(path, "want an object mapping entry point names to method names, got %s", n.kind)
		return nil
	}
	names := map[string]string{}
	for _, m := range n.members {
		mp := joinPath(path, m.key)
		if strings.HasPrefix(m.key, "_comment") {
			if m.value.kind != kString {
				p.add(mp, "a comment must be a string, got %s", m.value.kind)
			}
			continue
		}
		if !c.Covers(m.key) {
			p.add(mp, "%q is not an entry point of this capability%s (want one of %s)",
				m.key, suggest(m.key, c.entryPoints), quoteList(c.entryPoints))
			continue
		}
		s, ok := p.str(m.value, mp)
		if !ok {
			continue
		}
		switch {
		case goDriver && (!token.IsIdentifier(s) || !token.IsExported(s)):
			p.add(mp, "%q is not an exported Go identifier (want the name of a method of the driver type, such as %q)", s, GoName(m.key))
		case !isCIdentifier(s):
			p.add(mp, "%q is not an identifier (want the name of the function that implements %q)", s, m.key)
		default:
			names[m.key] = s
		}
	}
	return names
}

func (p *parser) algorithms(n *node, path string) []AlgorithmSpec {
	list := p.stringList(n, path, true)
	out := make([]AlgorithmSpec, 0, len(list))
	for j, s := range list {
		spec, err := ParseAlgorithmSpec(s)
		if err != nil {
			p.add(fmt.Sprintf("%s[%d]", path, j), "%s", statusless(err))
			continue
		}
		out = append(out, spec)
	}
	if dup := firstDuplicate(list); dup != "" {
		p.add(path, "%q is listed twice", dup)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (p *parser) keyTypes(n *node, path string) []KeyTypeSpec {
	list := p.stringList(n, path, true)
	out := make([]KeyTypeSpec, 0, len(list))
	for j, s := range list {
		spec, err := ParseKeyTypeSpec(s)
		if err != nil {
			p.add(fmt.Sprintf("%s[%d]", path, j), "%s", statusless(err))
			continue
		}
		out = append(out, spec)
	}
	if dup := firstDuplicate(list); dup != "" {
		p.add(path, "%q is listed twice", dup)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// maxKeyBits is the largest key size a key can have: psa_key_bits_t is 16
// bits in storage.
const maxKeyBits = 0xffff

func (p *parser) keySizes(n *node, path string) []int {
	if n.kind != kArray {
		p.add(path, "want an array of key sizes in bits, got %s", n.kind)
		return nil
	}
	if len(n.elems) == 0 {
		p.add(path, "an empty list matches no key (omit the property to match every size)")
		return nil
	}
	var out []int
	seen := map[int]bool{}
	for j, e := range n.elems {
		ep := fmt.Sprintf("%s[%d]", path, j)
		v, err := strconv.ParseUint(e.text, 10, 16)
		if e.kind != kNumber || err != nil || v == 0 {
			shown := e.text
			if e.kind != kNumber {
				shown = e.kind.String()
			}
			p.add(ep, "%s is not a valid key size (want a positive integer number of bits, at most %d)", shown, maxKeyBits)
			continue
		}
		if seen[int(v)] {
			p.add(ep, "key size %d is listed twice", v)
			continue
		}
		seen[int(v)] = true
		out = append(out, int(v))
	}
	return out
}

func (p *parser) byteCount(n *node, path string) (int, bool) {
	v, err := strconv.ParseUint(n.text, 10, 31)
	if n.kind != kNumber || err != nil {
		shown := n.text
		if n.kind != kNumber {
			shown = n.kind.String()
		}
		p.add(path, "%s is not a valid number of bytes (want a non-negative integer)", shown)
		return 0, false
	}
	return int(v), true
}

func (p *parser) str(n *node, path string) (string, bool) {
	if n.kind != kString {
		p.add(path, "want a string, got %s", n.kind)
		return "", false
	}
	return n.text, true
}

func (p *parser) boolean(n *node, path string) (bool, bool) {
	if n.kind != kBool {
		p.add(path, "want true or false, got %s", n.kind)
		return false, false
	}
	return n.boolean, true
}

// stringList returns an array of strings; nonEmpty rejects an empty array,
// which for a filter would match nothing.
func (p *parser) stringList(n *node, path string, nonEmpty bool) []string {
	if n.kind != kArray {
		p.add(path, "want an array of strings, got %s", n.kind)
		return nil
	}
	if nonEmpty && len(n.elems) == 0 {
		p.add(path, "an empty list matches nothing (omit the property, or list at least one element)")
		return nil
	}
	out := make([]string, 0, len(n.elems))
	for j, e := range n.elems {
		if s, ok := p.str(e, fmt.Sprintf("%s[%d]", path, j)); ok {
			out = append(out, s)
		}
	}
	return out
}

// statusless returns the message of an error that wraps
// values.ErrInvalidArgument, without the status name at its end: the
// *Error that carries the message wraps the status itself.
func statusless(err error) string {
	return strings.TrimSuffix(err.Error(), ": "+values.ErrInvalidArgument.Error())
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func firstDuplicate(list []string) string {
	seen := make(map[string]bool, len(list))
	for _, s := range list {
		if seen[s] {
			return s
		}
		seen[s] = true
	}
	return ""
}

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

func allowedText(transparent, opaque bool) string {
	switch {
	case transparent && !opaque:
		return "transparent drivers only"
	case opaque && !transparent:
		return "opaque drivers only"
	}
	return "both driver types"
}

// knownNames returns the entry point and family names a driver of type t
// may declare.
func knownNames(t DriverType) []string {
	var out []string
	for _, f := range families {
		if f.AllowedFor(t) {
			out = append(out, f.Name)
		}
	}
	for _, e := range entryPoints {
		if e.AllowedFor(t) {
			out = append(out, e.Name)
		}
	}
	return out
}

// suggest returns `; did you mean "x"?` for the candidate closest to s, if
// one is close enough to be a likely typo.
func suggest(s string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := editDistance(s, c, bestDist); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// editDistance returns the Levenshtein distance of a and b, or limit if it
// is at least limit.
func editDistance(a, b string, limit int) int {
	if abs(len(a)-len(b)) >= limit || len(a) > 64 || len(b) > 64 {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// isCIdentifier reports whether s is a C identifier (ASCII letters,
// digits and underscores, not starting with a digit), the syntax of
// prefixes and names in the specification's schema.
func isCIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// parseCInteger parses a decimal or 0x-prefixed hexadecimal literal without
// suffix, the integer syntax of the specification's expressions. A leading
// zero is rejected: in C it would mean octal.
func parseCInteger(s string) (uint64, error) {
	if h, ok := strings.CutPrefix(s, "0x"); ok {
		return strconv.ParseUint(h, 16, 64)
	}
	if h, ok := strings.CutPrefix(s, "0X"); ok {
		return strconv.ParseUint(h, 16, 64)
	}
	if len(s) > 1 && s[0] == '0' {
		return 0, errors.New("leading zero")
	}
	return strconv.ParseUint(s, 10, 64)
}

// checkImportPath checks the syntax of a Go import path: slash-separated
// non-empty elements of letters, digits and -._~+, not starting or ending
// with a dot.
func checkImportPath(path string) error {
	if path == "" {
		return errors.New("empty")
	}
	for elem := range strings.SplitSeq(path, "/") {
		if elem == "" {
			return errors.New("empty path element")
		}
		if elem[0] == '.' || elem[len(elem)-1] == '.' {
			return fmt.Errorf("element %q starts or ends with a dot", elem)
		}
		for _, r := range elem {
			ok := r == '-' || r == '.' || r == '_' || r == '~' || r == '+' ||
				'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
			if !ok {
				return fmt.Errorf("invalid character %q", r)
			}
		}
	}
	return nil
}
