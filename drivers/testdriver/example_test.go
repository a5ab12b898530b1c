package testdriver_test

import (
	"errors"
	"fmt"

	"github.com/gopsa/psa/drivers/testdriver"
	"github.com/gopsa/psa/values"
)

// A test forces an entry point to fail and counts the calls that reached
// it. In a build generated with the test drivers, the forced error reaches
// the application through the public API (see internal/dispatch/testbuild).
func ExampleHooks() {
	var d testdriver.Transparent
	d.Force("import_key", values.ErrHardwareFailure)
	_, _, err := d.ImportKey(values.Attributes{Type: values.KeyTypeAES}, make([]byte, 16), nil)
	fmt.Println(errors.Is(err, values.ErrHardwareFailure), d.Hits("import_key"))

	d.Force("import_key", nil)
	_, bits, err := d.ImportKey(values.Attributes{Type: values.KeyTypeAES}, make([]byte, 16), nil)
	fmt.Println(bits, err, d.Hits("import_key"))
	// Output:
	// true 1
	// 128 <nil> 2
}
