// Package suite runs the .data test suites of TF-PSA-Crypto (Mbed TLS's PSA
// crypto library) against Go test functions, and reports every case as
// passed, failed or skipped with a reason.
//
// A test suite is the Go port of one .function file: a Suite names the file
// (without its test_suite_ prefix), its suite-wide dependencies, the
// environment that resolves the names its arguments use, and its test
// functions. Each Func declares its C parameter kinds, which decide how the
// case's arguments are decoded, and, once ported, a Go function to run.
//
// For every case, a Runner
//
//  1. finds the test function in the Registry, and checks that the case gives
//     one argument per parameter (a mismatch is a failure: the table is wrong
//     or the data changed);
//  2. checks the suite's, the function's and the case's dependencies against a
//     Config, and skips the case with the Config's reason if one is not met;
//  3. skips a function that has no Go port yet (SkipNotYet), or that tests an
//     Mbed TLS extension (SkipExtension) or a C-only concern (SkipCOnly);
//  4. decodes the arguments by parameter kind: integers are evaluated as
//     intmax_t and truncated to the parameter's width, data_t * arguments are
//     hex, char * arguments are C strings;
//  5. runs the function with a fresh T, and recovers a panic as a failure.
//
// Cases run concurrently, each on its own T; results keep the order of the
// files and cases.
package suite
