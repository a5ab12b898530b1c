package driver_test

import (
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// Accel is a transparent driver with one entry point, "hash_compute", for
// SHA-256 only. Its driver.json would say:
//
//	{"prefix": "accel", "type": "transparent",
//	 "gopsa/package": "example.com/accel", "gopsa/type": "Accel",
//	 "capabilities": [{"entry_points": ["hash_compute"],
//	                   "algorithms": ["PSA_ALG_SHA_256"], "fallback": true}]}
type Accel struct{}

var _ driver.HashComputer = (*Accel)(nil)

// HashCompute appends the hash of input to dst. With "fallback": true it
// may decline with driver.ErrNotSupported, and the dispatch then asks the
// next driver.
func (*Accel) HashCompute(alg values.Algorithm, input, dst []byte) ([]byte, error) {
	if alg != values.AlgSHA256 {
		return dst, fmt.Errorf("accel: %v: %w", alg, driver.ErrNotSupported)
	}
	sum := sha256.Sum256(input)
	return append(dst, sum[:]...), nil
}

func Example() {
	var d Accel
	out, err := d.HashCompute(values.AlgSHA256, []byte("abc"), nil)
	fmt.Printf("%x %v\n", out[:4], err)

	_, err = d.HashCompute(values.AlgSHA384, []byte("abc"), nil)
	fmt.Println(driver.IsNotSupported(err), driver.StatusOf(err))
	fmt.Println(errors.Is(err, values.ErrNotSupported))
	// Output:
	// ba7816bf <nil>
	// true PSA_ERROR_NOT_SUPPORTED
	// true
}

func ExampleStatusOf() {
	err := fmt.Errorf("token: %w", values.ErrCommunicationFailure)
	fmt.Println(driver.StatusOf(err))
	fmt.Println(driver.StatusOf(errors.New("no status")))
	fmt.Println(driver.StatusOf(nil))
	// Output:
	// PSA_ERROR_COMMUNICATION_FAILURE
	// PSA_ERROR_GENERIC_ERROR
	// PSA_SUCCESS
}
