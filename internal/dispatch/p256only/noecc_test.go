//go:build gopsa_no_builtin_ecc

package p256only

import (
	"bytes"
	"errors"
	"testing"

	"github.com/gopsa/psa/drivers/builtin"
	"github.com/gopsa/psa/values"
)

// TestBuiltinHasNoECC checks, in a gopsa_no_builtin_ecc build, that the
// builtin driver itself has no ECC code left: called directly, bypassing
// the dispatch, it refuses an ECC key.
func TestBuiltinHasNoECC(t *testing.T) {
	var d builtin.Driver
	_, _, err := d.ImportKey(values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilySECPR1)}, bytes.Repeat([]byte{1}, 48), nil)
	if err == nil {
		t.Fatal("drivers/builtin still imports ECC keys with -tags gopsa_no_builtin_ecc: its build constraints are missing")
	}
	if !errors.Is(err, values.ErrNotSupported) {
		t.Errorf("builtin import of a secp384r1 key: %v, want ErrNotSupported", err)
	}
}
