package datafile_test

import (
	"fmt"
	"strings"

	"github.com/gopsa/psa/internal/conformance/datafile"
)

func ExampleParse() {
	const data = `
PSA hash finish: SHA-1 Test Vector NIST CAVS #1
depends_on:PSA_WANT_ALG_SHA_1
hash_finish:PSA_ALG_SHA_1:"":"da39a3ee5e6b4b0d3255bfef95601890afd80709"
`
	cases, err := datafile.Parse(strings.NewReader(data), "test_suite_psa_crypto_hash.data")
	if err != nil {
		fmt.Println(err)
		return
	}
	c := cases[0]
	fmt.Println(c.Pos(), c.Name)
	fmt.Println(c.Deps, c.Func, len(c.Args))
	// The test function's parameters are (int alg, data_t *input,
	// data_t *hash): the runner decodes each argument by its type.
	hash, _ := datafile.DecodeHex(c.Args[2])
	fmt.Printf("%s is an expression: %v; hash is %d bytes\n", c.Args[0], !datafile.IsIntLiteral(c.Args[0]), len(hash))
	// Output:
	// test_suite_psa_crypto_hash.data:2 PSA hash finish: SHA-1 Test Vector NIST CAVS #1
	// [PSA_WANT_ALG_SHA_1] hash_finish 3
	// PSA_ALG_SHA_1 is an expression: true; hash is 20 bytes
}
