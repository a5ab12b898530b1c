//go:build gopsa_no_builtin_ecc

package builtin

import (
	"fmt"

	"github.com/gopsa/psa/values"
)

// pakeGroupFor has no group to give without the builtin ECC: an ECC
// driver must provide the elliptic-curve PAKEs.
func pakeGroupFor(alg values.Algorithm, p values.PAKEPrimitive) (*pakeGroup, error) {
	return nil, fmt.Errorf("%v over %v: elliptic-curve cryptography is not built in (gopsa_no_builtin_ecc): %w", alg, p, values.ErrNotSupported)
}
