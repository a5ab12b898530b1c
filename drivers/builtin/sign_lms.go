package builtin

import (
	"fmt"

	"github.com/gopsa/psa/internal/lms"
	"github.com/gopsa/psa/values"
)

// Stateful hash-based signatures, verification only as the specification
// defines them: LMS and HSS (RFC 8554, with the SP 800-208 parameter sets)
// through internal/lms. XMSS and XMSS^MT verification is not implemented
// (no maintained Go package implements RFC 8391 with the SP 800-208
// parameter sets): values.ErrNotSupported.

// verifyStateful verifies an LMS, HSS, XMSS or XMSS^MT signature of msg
// with the public key key; the caller has checked the key type.
func verifyStateful(op string, alg values.Algorithm, key, msg, sig []byte) error {
	var err error
	switch alg {
	case values.AlgLMS:
		err = lms.VerifyLMS(key, msg, sig)
	case values.AlgHSS:
		err = lms.VerifyHSS(key, msg, sig)
	default:
		return fmt.Errorf("%s: %v verification is not implemented by the builtin driver: %w", op, alg, values.ErrNotSupported)
	}
	if err != nil {
		return fmt.Errorf("%s: %v: %v: %w", op, alg, err, values.ErrInvalidSignature)
	}
	return nil
}
