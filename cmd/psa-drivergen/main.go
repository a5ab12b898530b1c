package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gopsa/psa/driver/manifest"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: psa-drivergen [-list driverlist.json | a.json b.json ...] -package NAME [-o FILE]

psa-drivergen writes the Go dispatch for a list of driver descriptions, in
dispatch order. See "go doc github.com/gopsa/psa/cmd/psa-drivergen".

`

// run is main without the process: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("psa-drivergen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	list := fs.String("list", "", "read the driver list from this JSON `file` (an array of description file names)")
	pkg := fs.String("package", "", "the Go package `name` of the generated file")
	out := fs.String("o", "-", "write the generated Go to this `file` (\"-\" for standard output)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *pkg == "" {
		fmt.Fprintln(stderr, "psa-drivergen: -package is required")
		fs.Usage()
		return 2
	}
	files := fs.Args()
	if (*list == "") == (len(files) == 0) {
		fmt.Fprintln(stderr, "psa-drivergen: give either -list FILE or description files, not both and not neither")
		fs.Usage()
		return 2
	}
	src, err := generateFiles(*list, files, *pkg)
	if err != nil {
		fmt.Fprintf(stderr, "psa-drivergen: %v\n", err)
		return 1
	}
	if *out == "-" {
		_, err = stdout.Write(src)
	} else {
		err = writeFile(*out, src)
	}
	if err != nil {
		fmt.Fprintf(stderr, "psa-drivergen: %v\n", err)
		return 1
	}
	return 0
}

// generateFiles loads the drivers of a list file or of description files
// and generates their dispatch.
func generateFiles(list string, files []string, pkg string) ([]byte, error) {
	var drivers []*manifest.Driver
	sources := files
	if list != "" {
		var err error
		if drivers, err = manifest.LoadList(list); err != nil {
			return nil, err
		}
		sources = []string{list}
	} else {
		var errs []error
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			d, err := manifest.Parse(data, f)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			drivers = append(drivers, d)
		}
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
	}
	slashed := make([]string, len(sources))
	for i, s := range sources {
		slashed[i] = filepath.ToSlash(s)
	}
	return generate(drivers, slashed, pkg)
}

// writeFile replaces name with data through a temporary file, so that an
// interrupted run never leaves half a file for the compiler to read.
func writeFile(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".psa-drivergen-*.go")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
