package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gopsa/psa/driver/manifest"
)

// route writes Route: the same conditions as the dispatched methods,
// returning the first matching driver's prefix instead of calling it.
func (g *gen) route() error {
	g.printf(`// Route returns the prefix of the driver that a call of the entry point
// ep (or of the family whose setup ep is) with these parameters reaches
// first, or "" if none: attrs are those of the key the call involves (the
// secret input of a key derivation, the password of a PAKE, the new key of
// import_key, generate_key and derive_key), alg its algorithm. It calls no
// driver and does not allocate.
func (d *Dispatch) Route(ep string, attrs values.Attributes, alg values.Algorithm) string {
	loc := attrs.Lifetime.Location()
	switch ep {
`)
	for _, name := range []string{"init", "free", "get_entropy"} {
		for _, f := range g.fields {
			if d, _, ok := declares(f, name); ok {
				g.printf("case %q:\nreturn %q\n", name, d.Prefix)
				break
			}
		}
	}
	for _, m := range methods {
		if m.route == byResume || m.route == getEntropy {
			continue
		}
		labels := []string{strconv.Quote(m.ep)}
		if e, ok := manifest.LookupEntryPoint(m.ep); ok {
			for _, fam := range e.Families {
				if f, _ := manifest.LookupFamily(fam); f.Setup() == m.ep || m.route == getRandom {
					labels = append(labels, strconv.Quote(fam))
				}
			}
		}
		v := vars{alg: "alg", kt: "attrs.Type", bits: "attrs.Bits"}
		opaque := g.candidates(m.ep, manifest.Opaque, v)
		var transparent []candidate
		switch m.route {
		case byKey, byPassword:
			v.bitsZero = m.ep == "import_key"
			transparent = g.candidates(m.ep, manifest.Transparent, v)
		case byAlg, getRandom:
			transparent = g.candidates(m.ep, manifest.Transparent, vars{alg: "alg"})
		case byDerivedKey:
			transparent = g.candidates(m.ep, manifest.Transparent, vars{kt: "attrs.Type", bits: "attrs.Bits"})
		case byDerivation:
			transparent = g.candidates(m.ep, manifest.Transparent, vars{alg: "alg", kt: "attrs.Type", bits: "attrs.Bits", ktZero: true, bitsZero: true})
		}
		if len(opaque) == 0 && len(transparent) == 0 {
			continue
		}
		g.printf("case %s:\n", strings.Join(labels, ", "))
		if m.route != byAlg && m.route != byDerivedKey && m.route != getRandom && len(opaque) > 0 {
			g.printf("if loc != 0 {\nswitch loc {\n")
			for _, c := range opaque {
				g.printf("case %#x:\n", uint32(c.d.Location))
				if c.cond == "" {
					g.printf("return %q\n", c.d.Prefix)
				} else {
					g.printf("if %s {\nreturn %q\n}\n", c.cond, c.d.Prefix)
				}
			}
			g.printf("}\nreturn \"\"\n}\n")
		} else if m.route != byAlg && m.route != byDerivedKey && m.route != getRandom {
			g.printf("if loc != 0 {\nreturn \"\"\n}\n")
		}
		terminated := false
		g.hoist(transparent)
		for _, c := range transparent {
			if c.cond == "" {
				g.printf("return %q\n", c.d.Prefix)
				terminated = true
				break
			}
			g.printf("if %s {\nreturn %q\n}\n", c.cond, c.d.Prefix)
		}
		if !terminated {
			g.printf("return \"\"\n")
		}
	}
	g.printf("}\nreturn \"\"\n}\n\n")
	return nil
}

// random writes GetRandom: the random generator drivers in list order,
// with fallback, reseeding a driver that reports insufficient entropy.
func (g *gen) random(m method) {
	for _, rd := range g.randomDrivers() {
		f := g.fieldOf[rd.d]
		get := fmt.Sprintf("d.%s.%s(out)", f.name, rd.c.Method("get_random"))
		g.printf("// %q\n", rd.d.Prefix)
		if !rd.c.Covers("add_entropy") && !rd.c.Fallback {
			g.printf("return %s\n", get)
			return
		}
		g.printf("{\nerr := %s\n", get)
		if rd.c.Covers("add_entropy") {
			g.std["errors"] = true
			reseed := max(rd.c.ReseedEntropySize, securityStrength)
			g.printf("if errors.Is(err, values.ErrInsufficientEntropy) {\n")
			g.printf("if err := d.seed(d.%s.%s, %d); err != nil {\nreturn fmt.Errorf(\"driver %%q: reseed: %%w\", %q, err)\n}\n",
				f.name, rd.c.Method("add_entropy"), reseed, rd.d.Prefix)
			g.printf("err = %s\n}\n", get)
		}
		if !rd.c.Fallback {
			g.printf("return err\n}\n")
			return
		}
		g.printf("if err == nil || !driver.IsNotSupported(err) {\nreturn err\n}\n}\n")
	}
	// The core asks on every random draw (psa_generate_random, each IV
	// of psa_cipher_encrypt): the answer is made once, not per call.
	g.printf("return errNoRandom\n")
}

// securityStrength is the entropy, in bytes, that a reseed supplies at
// least: 256 bits, as the specification suggests when
// "reseed_entropy_size" is smaller or absent.
const securityStrength = 32

// entropy writes GetEntropy: every entropy source, combined.
func (g *gen) entropy(m method) {
	var sources []string
	for _, f := range g.fields {
		if _, name, ok := declares(f, "get_entropy"); ok {
			sources = append(sources, fmt.Sprintf("d.%s.%s", f.name, name))
		}
	}
	if len(sources) == 0 {
		g.std["fmt"] = true
		g.printf("return 0, fmt.Errorf(\"get_entropy: no entropy source driver in this build: %%w\", driver.ErrNotSupported)\n")
		return
	}
	if len(sources) == 1 {
		g.printf("return %s(flags, out)\n", sources[0])
		return
	}
	g.printf("return combineEntropy(flags, out, %s)\n", strings.Join(sources, ", "))
}

// helpers writes the error constructors and the entropy functions the
// methods use.
func (g *gen) helpers() {
	g.printf(`// errNoRandom is GetRandom's answer when no random generator driver
// serves the call. The core then uses its own source, on every random
// draw: the error is made once.
var errNoRandom = fmt.Errorf("get_random: no random generator driver of this build serves it (the core uses its own random source): %%w", driver.ErrNotSupported)

// errNoDriver is the error of a call that no driver serves.
func errNoDriver(ep string, alg values.Algorithm, t values.KeyType, bits int) error {
	switch {
	case t == 0 && alg == 0:
		return fmt.Errorf("%%s: no driver of this build supports it: %%w", ep, driver.ErrNotSupported)
	case t == 0:
		return fmt.Errorf("%%s: no driver of this build supports %%v: %%w", ep, alg, driver.ErrNotSupported)
	case alg == 0:
		return fmt.Errorf("%%s: no driver of this build supports a %%d-bit %%v key: %%w", ep, bits, t, driver.ErrNotSupported)
	}
	return fmt.Errorf("%%s: no driver of this build supports %%v with a %%d-bit %%v key: %%w", ep, alg, bits, t, driver.ErrNotSupported)
}

// errLocation is the error of a call for a key in location loc that the
// opaque driver of loc, if there is one, does not serve.
func errLocation(ep string, loc values.Location) error {
`)
	var opaque []*manifest.Driver
	for _, d := range g.drivers {
		if d.Type == manifest.Opaque {
			opaque = append(opaque, d)
		}
	}
	if len(opaque) > 0 {
		g.printf("\tswitch loc {\n")
		for _, d := range opaque {
			g.printf("\tcase %#x:\n\t\treturn fmt.Errorf(\"%%s: opaque driver %%q of key location %%#x does not support it for this key and algorithm: %%w\", ep, %q, uint32(loc), driver.ErrNotSupported)\n",
				uint32(d.Location), d.Prefix)
		}
		g.printf("\t}\n")
	}
	g.printf("\treturn fmt.Errorf(\"%%s: no driver of this build serves key location %%#x: %%w\", ep, uint32(loc), driver.ErrNotSupported)\n}\n\n")

	if len(g.randomDrivers()) > 0 {
		g.seedHelpers()
	}
	n := 0
	for _, f := range g.fields {
		if _, _, ok := declares(f, "get_entropy"); ok {
			n++
		}
	}
	if n > 1 {
		g.combineHelper()
	}
}

// maxEntropyRounds bounds the rounds of entropy collection of a seed, so
// that a source whose estimates stay at zero cannot hang Init.
const maxEntropyRounds = 64

// seedHelpers writes the entropy collection of the random generator
// drivers (driver interface, "Combining entropy sources with a random
// generation driver"): the entropy sources are called until their
// estimates add up to the entropy wanted, and their outputs are condensed
// with HKDF-SHA-256, a pseudorandom function as the specification's
// example scheme asks. Without an entropy source in the build, the
// operating system's is used.
func (g *gen) seedHelpers() {
	g.std["fmt"] = true
	g.printf(`// seed gathers n bytes of full entropy and passes them to add, a random
// generator's "add_entropy".
func (d *Dispatch) seed(add func([]byte) error, n int) error {
	entropy, err := d.gatherEntropy(n)
	if err != nil {
		return err
	}
	defer clear(entropy)
	return add(entropy)
}

`)
	var sources []string
	for _, f := range g.fields {
		if _, name, ok := declares(f, "get_entropy"); ok {
			sources = append(sources, fmt.Sprintf("d.%s.%s", f.name, name))
		}
	}
	if len(sources) == 0 {
		g.std["crypto/rand"] = true
		g.printf(`// gatherEntropy returns n bytes of full entropy. The build has no entropy
// source driver, so they come from the operating system (crypto/rand).
func (d *Dispatch) gatherEntropy(n int) ([]byte, error) {
	out := make([]byte, n)
	rand.Read(out)
	return out, nil
}

`)
		return
	}
	g.std["crypto/hkdf"] = true
	g.std["crypto/sha256"] = true
	g.printf(`// gatherEntropy returns n bytes of full entropy: it calls the entropy
// sources of the build in rounds until their estimates add up to 8n bits,
// and condenses their outputs with HKDF-SHA-256.
func (d *Dispatch) gatherEntropy(n int) ([]byte, error) {
	sources := [...]func(driver.EntropyFlags, []byte) (int, error){%s}
	buf := make([]byte, max(2*n, 64))
	var pool []byte
	defer clear(pool)
	got := 0
	for round := 0; round < %d && got < 8*n; round++ {
		for _, src := range sources {
			clear(buf)
			bits, err := src(0, buf)
			if err != nil {
				return nil, fmt.Errorf("get_entropy: %%w", err)
			}
			pool = append(pool, buf...)
			got += min(max(bits, 0), 8*len(buf))
		}
	}
	clear(buf)
	if got < 8*n {
		return nil, fmt.Errorf("get_entropy: the entropy sources gave %%d bits in %d rounds, want %%d: %%w", got, 8*n, values.ErrInsufficientEntropy)
	}
	return hkdf.Key(sha256.New, pool, nil, "gopsa dispatch entropy", n)
}

`, strings.Join(sources, ", "), maxEntropyRounds, maxEntropyRounds)
}

// combineHelper writes combineEntropy, GetEntropy's combination of
// several entropy sources.
func (g *gen) combineHelper() {
	g.std["crypto/subtle"] = true
	g.printf(`// combineEntropy calls every entropy source and XORs their outputs into
// out. Its estimate is the largest of the sources' estimates: XOR with
// independent data never lowers entropy, and the largest is what can be
// relied on without assuming more. Sources that fail are skipped; if all
// fail, the first failure is returned.
func combineEntropy(flags driver.EntropyFlags, out []byte, sources ...func(driver.EntropyFlags, []byte) (int, error)) (int, error) {
	var scratch []byte
	var firstErr error
	best := 0
	for _, src := range sources {
		buf := out
		if best > 0 {
			if scratch == nil {
				scratch = make([]byte, len(out))
			}
			buf = scratch
		}
		clear(buf)
		bits, err := src(flags, buf)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if best > 0 {
			subtle.XORBytes(out, out, buf)
		}
		best = max(best, min(bits, 8*len(out)))
	}
	clear(scratch)
	if best == 0 {
		return 0, firstErr
	}
	return best, nil
}

`)
}
