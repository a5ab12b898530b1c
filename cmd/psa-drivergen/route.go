package main

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/gopsa/psa/driver/manifest"
)

// vars names the Go expressions that a capability's filters test.
type vars struct {
	alg      string // the algorithm, "" if the call has none
	kt, bits string // the key's type and size, "" if the call has no key
	// ktZero and bitsZero say that the key type or size may be 0 for
	// "no key" or "size not known yet": the filter then does not apply
	// (manifest.Capability.Matches).
	ktZero, bitsZero bool
}

// capParts renders the condition under which capability c applies to a
// call of ep, as a conjunction of filters; empty when it applies to every
// call.
func (g *gen) capParts(c *manifest.Capability, ep string, v vars) []string {
	e, ok := manifest.LookupEntryPoint(ep)
	if !ok {
		return nil
	}
	var parts []string
	add := func(s string) {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if e.Algorithm && v.alg != "" {
		kt, bits := v.kt, v.bits
		if !e.Key {
			kt, bits = "", ""
		}
		add(algCond(c.Algorithms).render(v.alg, 32, kt, bits))
	}
	if e.Key && v.kt != "" {
		types, sizes := c.KeyTypes, c.KeySizes
		if ep == "derive_key" {
			types, sizes = c.DerivedTypes, c.DerivedSizes
		}
		if types != nil {
			s := g.keyTypeCond(types).render(v.kt, 16, "", "")
			if v.ktZero {
				s = v.kt + " == 0 || " + paren(s)
			}
			add(s)
		}
		add(sizeCond(sizes, v.bits, v.bitsZero))
	}
	return parts
}

// conj renders a conjunction of filters, replacing those in subst by the
// local variables that hold them.
func conj(parts []string, subst map[string]string) string {
	out := make([]string, len(parts))
	for i, s := range parts {
		if v, ok := subst[s]; ok {
			s = v
		}
		if len(parts) > 1 {
			s = paren(s)
		}
		out[i] = s
	}
	return strings.Join(out, " && ")
}

// disj renders a disjunction of conjunctions; "" (always) if one of them
// is empty.
func disj(conjs [][]string, subst map[string]string) string {
	out := make([]string, len(conjs))
	for i, c := range conjs {
		if len(c) == 0 {
			return ""
		}
		out[i] = conj(c, subst)
	}
	return orList(out)
}

func paren(s string) string {
	if strings.Contains(s, "||") {
		return "(" + s + ")"
	}
	return s
}

func (g *gen) keyTypeCond(types []manifest.KeyTypeSpec) cond {
	// Cache by the first spec of the list: the lists are per capability
	// and never share their backing arrays.
	k := &types[0]
	if c, ok := g.keyConds[k]; ok {
		return c
	}
	c := keyTypeCond(types)
	g.keyConds[k] = c
	return c
}

// candidate is one driver's way to serve an entry point: the capabilities
// of a driver that cover it with the same method.
type candidate struct {
	d      *manifest.Driver
	f      *field
	method string
	cond   string // when to call the driver; "" for always
	// fallback is "" when the driver's ErrNotSupported is final, "true"
	// when it always passes the call on, and otherwise the condition
	// under which it is final (capabilities with and without fallback).
	fallback string

	conds [][]string // per capability, its filters
	final [][]string // the same for the capabilities without fallback
	// anyFallback reports a capability with fallback.
	anyFallback bool
}

// render sets cond and fallback from the filters, with the filters of
// subst read from local variables.
func (c *candidate) render(subst map[string]string) {
	c.cond = disj(c.conds, subst)
	finalAlways := false
	for _, f := range c.final {
		finalAlways = finalAlways || len(f) == 0
	}
	switch {
	case !c.anyFallback || finalAlways:
		c.fallback = ""
	case len(c.final) == 0:
		c.fallback = "true"
	default:
		c.fallback = disj(c.final, subst)
	}
}

// candidates returns the drivers of type t that cover ep, in list order,
// with their conditions.
func (g *gen) candidates(ep string, t manifest.DriverType, v vars) []candidate {
	var out []candidate
	for _, d := range g.drivers {
		if d.Type != t {
			continue
		}
		var groups []*candidate
		for _, c := range d.Capabilities {
			if !c.Covers(ep) {
				continue
			}
			name := c.Method(ep)
			var gr *candidate
			for _, x := range groups {
				if x.method == name {
					gr = x
				}
			}
			if gr == nil {
				gr = &candidate{d: d, f: g.fieldOf[d], method: name}
				groups = append(groups, gr)
			}
			parts := g.capParts(c, ep, v)
			gr.conds = append(gr.conds, parts)
			if c.Fallback {
				gr.anyFallback = true
			} else {
				gr.final = append(gr.final, parts)
			}
		}
		for _, gr := range groups {
			gr.render(nil)
			out = append(out, *gr)
		}
	}
	return out
}

// hoist writes, for each filter that two or more candidates test, a local
// variable that holds it, and renders the candidates' conditions with
// those variables: with many drivers that share filters (a key type, say),
// each is evaluated once per call.
func (g *gen) hoist(cands []candidate) {
	count := map[string]int{}
	var order []string
	for _, c := range cands {
		seen := map[string]bool{}
		for _, cj := range c.conds {
			for _, p := range cj {
				if !seen[p] {
					seen[p] = true
					if count[p] == 0 {
						order = append(order, p)
					}
					count[p]++
				}
			}
		}
	}
	subst := map[string]string{}
	for _, p := range order {
		if count[p] >= 2 {
			name := "ok" + strconv.Itoa(len(subst))
			subst[p] = name
			g.printf("%s := %s\n", name, p)
		}
	}
	if len(subst) == 0 {
		return
	}
	for i := range cands {
		cands[i].render(subst)
	}
}

// orList joins conditions with ||.
func orList(conds []string) string {
	if len(conds) == 1 {
		return conds[0]
	}
	parts := make([]string, len(conds))
	for i, c := range conds {
		parts[i] = parenAny(c)
	}
	return strings.Join(parts, " || ")
}

// parenAny parenthesizes a condition with operators, for readability
// where precedence would do.
func parenAny(s string) string {
	if strings.Contains(s, "||") || strings.Contains(s, "&&") {
		return "(" + s + ")"
	}
	return s
}

// transparentChain writes the calls of the transparent candidates in list
// order, each guarded by its condition and passing the call on when a
// fallback capability answers ErrNotSupported. call renders the call of a
// candidate; guard, if set, adds a condition to each candidate. It reports
// whether the chain ends with an unconditional return.
func (g *gen) transparentChain(m method, cands []candidate, call func(candidate) string, guard func(candidate) string) bool {
	g.hoist(cands)
	for _, c := range cands {
		cond := c.cond
		if guard != nil {
			if gd := guard(c); gd != "" {
				if cond == "" {
					cond = gd
				} else {
					cond = gd + " && " + paren(cond)
				}
			}
		}
		g.printf("\t// %q\n", c.d.Prefix)
		var stmt string
		switch c.fallback {
		case "":
			stmt = "return " + call(c)
		case "true":
			stmt = fmt.Sprintf("if %s := %s; err == nil || !driver.IsNotSupported(err) {\n\treturn %s\n}", m.resultVars(), call(c), m.resultVars())
		default:
			stmt = fmt.Sprintf("if %s := %s; err == nil || !driver.IsNotSupported(err) || %s {\n\treturn %s\n}",
				m.resultVars(), call(c), parenAny(c.fallback), m.resultVars())
		}
		if cond == "" {
			g.printf("%s\n", stmt)
			if c.fallback == "" {
				return true
			}
			continue
		}
		g.printf("if %s {\n%s\n}\n", cond, stmt)
	}
	return false
}

// opaqueSwitch writes the routing of a key in location loc (not local
// storage) to the opaque driver of that location, or the failure.
func (g *gen) opaqueSwitch(m method, ep, loc string, v vars, call func(candidate) string, missing string) {
	cands := g.candidates(ep, manifest.Opaque, v)
	if len(cands) > 0 {
		g.printf("switch %s {\n", loc)
		for _, c := range cands {
			g.printf("case %#x: // %q\n", uint32(c.d.Location), c.d.Prefix)
			if c.cond == "" {
				g.printf("return %s\n", call(c))
			} else {
				g.printf("if %s {\nreturn %s\n}\n", c.cond, call(c))
			}
		}
		g.printf("}\n")
	}
	if missing != "" {
		// Opaque drivers that do not declare ep.
		var locs []string
		for _, d := range g.drivers {
			if d.Type != manifest.Opaque {
				continue
			}
			declared := false
			for _, c := range cands {
				declared = declared || c.d == d
			}
			if !declared {
				locs = append(locs, fmt.Sprintf("%#x", uint32(d.Location)))
			}
		}
		if len(locs) > 0 {
			g.printf("if %s == %s {\n%s\n}\n", loc, strings.Join(locs, " || "+loc+" == "), missing)
		}
	}
	g.std["fmt"] = true
	g.printf("%s\n", m.failure(fmt.Sprintf("errLocation(%q, %s)", ep, loc)))
}

// directCall renders the call of the candidate's method with m's
// arguments.
func directCall(m method) func(candidate) string {
	return func(c candidate) string {
		return fmt.Sprintf("d.%s.%s(%s)", c.f.name, c.method, m.args())
	}
}

var keyVars = vars{alg: "alg", kt: "attrs.Type", bits: "attrs.Bits"}

// method writes one dispatched method of driver.Dispatcher.
func (g *gen) method(m method) error {
	if m.route == byResume {
		g.printf("// %s dispatches psa_hash_resume as %q would be for alg, to drivers\n// whose type implements driver.HashResumer.\n", m.name, m.ep)
	} else {
		g.printf("// %s dispatches %q.\n", m.name, m.ep)
	}
	g.printf("func (d *Dispatch) %s(%s) %s {\n", m.name, m.paramList(), m.resultList())
	g.std["io"] = true // DeriveKey's io.Reader
	call := directCall(m)
	v := keyVars
	hasAlg := false
	for _, q := range m.params {
		hasAlg = hasAlg || q.name == "alg"
	}
	if !hasAlg {
		v.alg = ""
	}
	done := false
	switch m.route {
	case byKey:
		if m.ep == "import_key" {
			v.bitsZero = true
		}
		g.printf("if loc := attrs.Lifetime.Location(); loc != 0 {\n")
		g.opaqueSwitch(m, m.ep, "loc", v, call, "")
		g.printf("}\n")
		done = g.transparentChain(m, g.candidates(m.ep, manifest.Transparent, v), call, nil)
		g.std["fmt"] = true
		switch e, ok := manifest.LookupEntryPoint(m.ep); {
		case done:
		case ok && !e.Transparent:
			g.printf("%s\n", m.failure(fmt.Sprintf(`fmt.Errorf("%s: an opaque driver entry point, for keys outside local storage (the core handles local keys itself): %%w", driver.ErrNotSupported)`, m.ep)))
		default:
			g.printf("%s\n", m.failure(fmt.Sprintf("errNoDriver(%q, %s, attrs.Type, attrs.Bits)", m.ep, algOrZero(v))))
		}
	case byAlg:
		v = vars{alg: "alg"}
		done = g.transparentChain(m, g.candidates(m.ep, manifest.Transparent, v), call, nil)
		if !done {
			g.std["fmt"] = true
			g.printf("%s\n", m.failure(fmt.Sprintf("errNoDriver(%q, alg, 0, 0)", m.ep)))
		}
	case byResume:
		v = vars{alg: "alg"}
		resume := func(c candidate) string { return fmt.Sprintf("d.%s.HashResume(%s)", c.f.resumer, m.args()) }
		guard := func(c candidate) string { return fmt.Sprintf("d.%s != nil", c.f.resumer) }
		g.transparentChain(m, g.candidates(m.ep, manifest.Transparent, v), resume, guard)
		g.std["fmt"] = true
		g.printf("%s\n", m.failure(`errNoDriver("hash_resume", alg, 0, 0)`))
	case byDerivedKey:
		v = vars{kt: "attrs.Type", bits: "attrs.Bits"}
		done = g.transparentChain(m, g.candidates(m.ep, manifest.Transparent, v), call, nil)
		if !done {
			g.std["fmt"] = true
			g.printf("%s\n", m.failure(fmt.Sprintf("errNoDriver(%q, 0, attrs.Type, attrs.Bits)", m.ep)))
		}
	case byDerivation:
		g.derivation(m, call)
	case byPassword:
		g.pake(m, call)
	case destroyKey:
		g.printf("loc := attrs.Lifetime.Location()\nif loc == 0 {\nreturn nil\n}\n")
		g.opaqueSwitch(m, m.ep, "loc", v, call, "return nil")
	case allocateKey:
		g.std["fmt"] = true
		g.printf("loc := attrs.Lifetime.Location()\nif loc == 0 {\n")
		g.printf("return nil, fmt.Errorf(\"allocate_key: keys in local storage need no allocation: %%w\", driver.ErrNotSupported)\n}\n")
		g.opaqueSwitch(m, m.ep, "loc", v, call,
			`return nil, fmt.Errorf("allocate_key: the opaque driver of key location %#x stores no keys, so keys need no allocation: %w", uint32(loc), driver.ErrNotSupported)`)
	case builtinKey:
		g.printf("loc := lifetime.Location()\n")
		g.opaqueSwitch(m, m.ep, "loc", vars{}, call, "")
	case getRandom:
		g.random(m)
	case getEntropy:
		g.entropy(m)
	default:
		return fmt.Errorf("internal error: no routing for %s", m.name)
	}
	g.printf("}\n\n")
	return nil
}

func algOrZero(v vars) string {
	if v.alg == "" {
		return "0"
	}
	return v.alg
}

// derivation writes KeyDerivationSetup: routed by the location of the
// secret input when it is a key (driver interface, "Key derivation driver
// dispatch logic").
func (g *gen) derivation(m method, call func(candidate) string) {
	v := vars{alg: "alg", kt: "kt", bits: "bits", ktZero: true, bitsZero: true}
	cands := g.candidates(m.ep, manifest.Transparent, v)
	useKT, useBits := false, false
	for _, c := range cands {
		useKT = useKT || strings.Contains(c.cond+c.fallback, "kt")
		useBits = useBits || strings.Contains(c.cond+c.fallback, "bits")
	}
	if useKT {
		g.printf("var kt values.KeyType\n")
	}
	if useBits {
		g.printf("var bits int\n")
	}
	g.printf("if inputs.Type(values.DerivationInputSecret) == driver.InputKey {\n")
	g.printf("attrs, _, err := inputs.Key(values.DerivationInputSecret)\nif err != nil {\nreturn nil, err\n}\n")
	g.printf("if loc := attrs.Lifetime.Location(); loc != 0 {\n")
	g.opaqueSwitch(m, m.ep, "loc", vars{alg: "alg", kt: "attrs.Type", bits: "attrs.Bits"}, call, "")
	g.printf("}\n")
	switch {
	case useKT && useBits:
		g.printf("kt, bits = attrs.Type, attrs.Bits\n")
	case useKT:
		g.printf("kt = attrs.Type\n")
	case useBits:
		g.printf("bits = attrs.Bits\n")
	}
	g.printf("}\n")
	if !g.transparentChain(m, cands, call, nil) {
		g.std["fmt"] = true
		g.printf("%s\n", m.failure(fmt.Sprintf("errNoDriver(%q, alg, 0, 0)", m.ep)))
	}
}

// pake writes PAKESetup: routed by the location of the password key
// (driver interface, "PAKE driver dispatch logic").
func (g *gen) pake(m method, call func(candidate) string) {
	// The body is written aside first: it reads the algorithm only if a
	// filter or the failure needs it.
	saved := g.w
	g.w = new(bytes.Buffer)
	v := vars{alg: "alg", kt: "attrs.Type", bits: "attrs.Bits"}
	g.printf("if loc := attrs.Lifetime.Location(); loc != 0 {\n")
	g.opaqueSwitch(m, m.ep, "loc", v, call, "")
	g.printf("}\n")
	cands := g.candidates(m.ep, manifest.Transparent, v)
	if !g.transparentChain(m, cands, call, nil) {
		g.std["fmt"] = true
		g.printf("%s\n", m.failure(fmt.Sprintf("errNoDriver(%q, alg, attrs.Type, attrs.Bits)", m.ep)))
	}
	body := g.w.String()
	g.w = saved
	g.printf("attrs, _ := inputs.Password()\n")
	if regexp.MustCompile(`\balg\b`).MatchString(body) {
		g.printf("alg := inputs.Suite().Algorithm\n")
	}
	g.printf("%s", body)
}
