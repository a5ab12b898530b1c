// Package conformance holds the runners of the external test suites in
// ../shared/testsuites, and the test that runs them all (TestSuites).
//
// The runner of TF-PSA-Crypto's PSA test suites is in four parts:
//
//   - datafile reads the .data files as the C test framework does;
//   - expr evaluates the C expressions of their arguments and dependencies;
//   - suite runs the cases: dependencies, argument decoding by parameter
//     kind, outcomes and reports;
//   - mbedtls is the gopsa side: the configuration that dependencies are
//     checked against, the signature of every test function and the Go
//     ports of the test functions, with the exercise helper.
//
// cmd/conformance runs them from the command line and writes
// docs/conformance.md.
package conformance
