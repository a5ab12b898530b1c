// Command conformance runs the PSA test suites of TF-PSA-Crypto (Mbed TLS's
// PSA crypto library) against gopsa and reports every case as passed, failed
// or skipped with a reason.
//
// Usage:
//
//	conformance [flags]
//
// It prints a table of the outcomes per file and test function, ending with
// the line "N passed, N failed, N skipped", and exits with status 1 if any
// case failed (2 for a usage or input error).
//
// The flags are:
//
//	-suites DIR      directory of the test_suite_*.data files
//	                 (default ../shared/testsuites/mbedtls)
//	-run REGEXP      run only the cases whose name matches REGEXP
//	-v               print every failure in full
//	-json FILE       write every case, with its outcome and reason, as JSON
//	-markdown FILE   write the Markdown report (docs/conformance.md)
//	-keystore KIND   key store of the instances: dir (a temporary directory
//	                 per case, the default) or memory
//	-parallel N      cases run at once (default GOMAXPROCS)
//
// To regenerate docs/conformance.md, from the module root:
//
//	go run ./cmd/conformance -suites ../shared/testsuites/mbedtls -markdown docs/conformance.md
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"time"

	"github.com/gopsa/psa/internal/conformance/mbedtls"
	"github.com/gopsa/psa/internal/conformance/suite"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("suites", "../shared/testsuites/mbedtls", "directory of the test_suite_*.data files")
	filter := fs.String("run", "", "run only the cases whose name matches `regexp`")
	verbose := fs.Bool("v", false, "print every failure in full")
	jsonFile := fs.String("json", "", "write every case with its outcome to `file` as JSON")
	mdFile := fs.String("markdown", "", "write the Markdown report to `file`")
	keyStore := fs.String("keystore", "dir", "key store of the instances: dir or memory")
	parallel := fs.Int("parallel", 0, "number of cases run at once (0: GOMAXPROCS)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "conformance: unexpected arguments %q\n", fs.Args())
		return 2
	}
	reg, err := mbedtls.NewRegistry(mbedtls.Options{KeyStore: *keyStore})
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return 2
	}
	r := &suite.Runner{Registry: reg, Config: mbedtls.NewConfig(), Parallel: *parallel}
	if *filter != "" {
		if r.Filter, err = regexp.Compile(*filter); err != nil {
			fmt.Fprintf(stderr, "conformance: -run: %v\n", err)
			return 2
		}
	}
	files, err := suite.DataFiles(*dir)
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return 2
	}
	start := time.Now()
	results, err := r.Run(files)
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return 2
	}
	elapsed := time.Since(start)

	if *verbose {
		if err := suite.WriteFailures(stdout, results); err != nil {
			fmt.Fprintf(stderr, "conformance: %v\n", err)
			return 2
		}
	}
	if err := suite.WriteTable(stdout, results); err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return 2
	}
	fmt.Fprintf(stderr, "ran %d cases in %.1f s\n", len(results), elapsed.Seconds())
	if *jsonFile != "" {
		if err := writeFile(*jsonFile, func(w io.Writer) error { return suite.WriteJSON(w, results) }); err != nil {
			fmt.Fprintf(stderr, "conformance: -json: %v\n", err)
			return 2
		}
	}
	if *mdFile != "" {
		opts := suite.MarkdownOptions{Title: "Conformance to the TF-PSA-Crypto PSA test suites", Preamble: preamble, Elapsed: elapsed}
		if err := writeFile(*mdFile, func(w io.Writer) error { return suite.WriteMarkdown(w, results, opts) }); err != nil {
			fmt.Fprintf(stderr, "conformance: -markdown: %v\n", err)
			return 2
		}
	}
	if suite.Summarize(results).Total.Failed > 0 {
		return 1
	}
	return 0
}

// writeFile writes what write produces to the file at path, replacing it
// only once the whole report is ready.
func writeFile(path string, write func(io.Writer) error) error {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

const preamble = `
This file is generated. From the module root, with the test data of
TF-PSA-Crypto 1.0.0 in ../shared/testsuites/mbedtls, run:

    go run ./cmd/conformance -suites ../shared/testsuites/mbedtls -markdown docs/conformance.md

The runner (internal/conformance/suite) reads every test_suite_*.data file,
checks each case's dependencies against gopsa's configuration
(internal/conformance/mbedtls/config.go: one line per PSA_WANT_* symbol with
its reason, and the Mbed TLS build options that have a gopsa meaning),
decodes its arguments by the C parameter kinds of its test function
(internal/conformance/mbedtls/signatures.go), and runs the Go port of the
test function (internal/conformance/mbedtls) on a fresh psa.New instance with
a key store in a temporary directory (the test build of
internal/dispatch/testbuild for the cases whose keys live in the C test
opaque driver's location, 0x7fffff, where gopsa's opaque test driver is).
go test ./internal/conformance runs
the same cases and fails on any failure.

A skip always has a reason, of one of five kinds:

- *mechanism not implemented by gopsa*: the case needs a mechanism gopsa does
  not have (binary curves, ...), or an operation for which no driver of the
  default build answers (the instance's Crypto.Route names none), such as
  the exercise of a key with its algorithm once its attributes and export
  have been checked;
- *test function not implemented yet*: the test function has no Go port yet;
- *dependency not met*: a dependency does not hold for gopsa, such as
  !PSA_WANT_KEY_TYPE_AES in the not-supported suites (gopsa implements AES);
- *C-only concern*: Mbed TLS build options, test drivers, internals;
- *Mbed TLS extension*: interruptible operations and psa_util, which are
  not part of the PSA Crypto API.
`
