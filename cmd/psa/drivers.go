package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gopsa/psa/driver/manifest"
)

// drivers lists the drivers of the build and their capabilities, or, with
// "check FILE...", validates driver descriptions.
func drivers(args []string, out io.Writer) error {
	if len(args) > 0 && args[0] == "check" {
		return checkDescriptions(args[1:], out)
	}
	fs := flag.NewFlagSet("psa drivers", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	pkcs11Config := fs.String("pkcs11", "", "PKCS#11 driver configuration file (JSON)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("psa drivers: unexpected argument %q", fs.Arg(0))}
	}
	c, err := openInstance("", *pkcs11Config)
	if err != nil {
		return err
	}
	defer c.Close()
	for _, d := range c.Drivers() {
		kind := "transparent"
		if d.Opaque {
			kind = fmt.Sprintf("opaque, location 0x%06x", uint32(d.Location))
		}
		fmt.Fprintf(out, "%s (%s)\n", d.Name, kind)
		for i, cp := range d.Capabilities {
			fmt.Fprintf(out, "  capability %d: %s\n", i, strings.Join(cp.EntryPoints, ", "))
			if len(cp.Algorithms) > 0 {
				fmt.Fprintf(out, "    algorithms: %s\n", strings.Join(cp.Algorithms, ", "))
			}
			if len(cp.KeyTypes) > 0 {
				fmt.Fprintf(out, "    key types:  %s\n", strings.Join(cp.KeyTypes, ", "))
			}
			if len(cp.KeySizes) > 0 {
				fmt.Fprintf(out, "    key sizes:  %v\n", cp.KeySizes)
			}
			if cp.Fallback {
				fmt.Fprintf(out, "    fallback:   true\n")
			}
		}
	}
	return nil
}

// checkDescriptions validates driver description files (or a driver list,
// a JSON array of file names) with every rule of the specification and of
// gopsa, and says for each whether it can be built into a Go dispatch.
func checkDescriptions(files []string, out io.Writer) error {
	if len(files) == 0 {
		return usageError{"psa drivers check: want one or more driver description files"}
	}
	var errs []error
	var parsed []*manifest.Driver
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(string(data)), "[") {
			list, err := manifest.LoadList(f)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			fmt.Fprintf(out, "%s: valid driver list of %d drivers\n", f, len(list))
			parsed = append(parsed, list...)
			continue
		}
		d, err := manifest.Parse(data, f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		parsed = append(parsed, d)
		goNote := "buildable into a Go dispatch"
		if err := d.CheckGo(); err != nil {
			goNote = "valid, but not buildable in Go: " + err.Error()
		}
		fmt.Fprintf(out, "%s: valid %s driver %q with %d capabilities; %s\n", f, d.Type, d.Prefix, len(d.Capabilities), goNote)
	}
	if len(parsed) > 1 {
		if err := manifest.ValidateList(parsed); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
