package dispatch_test

import (
	"fmt"

	"github.com/gopsa/psa/internal/dispatch"
	"github.com/gopsa/psa/values"
)

// The default build routes key management to the builtin driver, and
// refuses keys in a location no driver serves.
func ExampleNew() {
	d, err := dispatch.New()
	if err != nil {
		panic(err)
	}
	aes := values.Attributes{Type: values.KeyTypeAES}
	fmt.Printf("%q\n", d.Route("import_key", aes, 0))

	key, bits, err := d.ImportKey(aes, make([]byte, 16), nil)
	fmt.Println(len(key), bits, err)

	aes.Lifetime = values.LifetimeFromPersistenceAndLocation(values.PersistenceDefault, 0x800001)
	_, _, err = d.ImportKey(aes, make([]byte, 16), nil)
	fmt.Println(err)
	// Output:
	// "builtin"
	// 16 128 <nil>
	// import_key: no driver of this build serves key location 0x800001: PSA_ERROR_NOT_SUPPORTED
}
