package manifest

import (
	"errors"
	"fmt"
	"strings"
)

// checkConflicts enforces the rule of "Capability semantics" (driver
// interface §3.3.2): a description in which two capabilities can both
// apply to one mechanism and map its entry point to different functions is
// invalid. The check is static: two capabilities conflict when, for an
// entry point they both cover with different method names, each filter
// that applies to the entry point has a value both accept.
func (p *parser) checkConflicts(d *Driver) {
	typesOverlap := func(a, b []KeyTypeSpec) bool {
		if a == nil || b == nil {
			return true
		}
		for _, x := range a {
			for _, y := range b {
				if keyTypesOverlap(x, y) {
					return true
				}
			}
		}
		return false
	}
	for j, cj := range d.Capabilities {
		for _, ci := range d.Capabilities[:j] {
			for _, ep := range cj.entryPoints {
				if !ci.Covers(ep) || ci.Method(ep) == cj.Method(ep) {
					continue
				}
				e, _ := LookupEntryPoint(ep)
				overlap := true
				if e.Algorithm {
					overlap = overlap && algorithmSpecsOverlap(ci.Algorithms, cj.Algorithms)
				}
				if e.Key {
					ti, tj, si, sj := ci.KeyTypes, cj.KeyTypes, ci.KeySizes, cj.KeySizes
					if ep == "derive_key" {
						ti, tj, si, sj = ci.DerivedTypes, cj.DerivedTypes, ci.DerivedSizes, cj.DerivedSizes
					}
					overlap = overlap && sizesOverlap(si, sj) && typesOverlap(ti, tj)
				}
				if overlap {
					p.add(fmt.Sprintf("capabilities[%d]", cj.Index),
						"entry point %q is implemented by %s here and by %s in capabilities[%d], and both capabilities "+
							"can apply to the same mechanism (use the same method name, or make the algorithms, key types or key sizes disjoint)",
						ep, cj.Method(ep), ci.Method(ep), ci.Index)
				}
			}
		}
	}
}

func algorithmSpecsOverlap(a, b []AlgorithmSpec) bool {
	if a == nil || b == nil {
		return true
	}
	for _, x := range a {
		for _, y := range b {
			if algorithmsOverlap(x.Alg, y.Alg) {
				return true
			}
		}
	}
	return false
}

func sizesOverlap(a, b []int) bool {
	if a == nil || b == nil {
		return true
	}
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// ValidateList checks the rules that concern a list of drivers, in
// dispatch order (driver interface §3.3.2): no two opaque drivers have the
// same location, and no two drivers of the same type have the same
// prefix. A transparent and an opaque driver may share a prefix: the
// specification (§4.9) describes a cryptoprocessor that handles both
// cleartext and wrapped keys as such a pair. Errors are *Error values
// naming the later driver's file.
func ValidateList(drivers []*Driver) error {
	var errs []error
	byPrefix := map[string]*Driver{}
	byLocation := map[uint32]*Driver{}
	for _, d := range drivers {
		key := d.Type.String() + " " + d.Prefix
		if prev, ok := byPrefix[key]; ok {
			errs = append(errs, &Error{File: d.File, Path: "prefix",
				Msg: fmt.Sprintf("prefix %q is already used by the %s driver of %s (want a unique prefix per driver type)",
					d.Prefix, prev.Type, prev.File)})
		} else {
			byPrefix[key] = d
		}
		if d.Type != Opaque {
			continue
		}
		if prev, ok := byLocation[uint32(d.Location)]; ok {
			errs = append(errs, &Error{File: d.File, Path: "location",
				Msg: fmt.Sprintf("location %#x is already the location of opaque driver %q of %s (each location has at most one opaque driver)",
					uint32(d.Location), prev.Prefix, prev.File)})
		} else {
			byLocation[uint32(d.Location)] = d
		}
	}
	return errors.Join(errs...)
}

// CheckGo reports whether the description has what the dispatch
// generator needs to call the driver from Go: the "gopsa/package" and
// "gopsa/type" properties. Parse accepts descriptions without them, such
// as those written for the C reference implementation.
func (d *Driver) CheckGo() error {
	var missing []string
	if d.Package == "" {
		missing = append(missing, `"gopsa/package" (the import path of the driver's Go package)`)
	}
	if d.GoType == "" {
		missing = append(missing, `"gopsa/type" (the exported type that implements the entry points)`)
	}
	if len(missing) == 0 {
		return nil
	}
	return &Error{File: d.File, Msg: "missing " + strings.Join(missing, " and ") + ", needed to generate Go dispatch"}
}
