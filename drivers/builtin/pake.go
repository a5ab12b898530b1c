package builtin

import (
	"fmt"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// PAKESetup is the "pake_setup" entry point of the "pake" family. It
// implements:
//
//   - J-PAKE (PSA_ALG_JPAKE(hash), RFC 8236 with the Schnorr proofs of
//     RFC 8235) over secp256r1, secp384r1 and secp521r1, with a
//     PSA_KEY_TYPE_PASSWORD or PSA_KEY_TYPE_PASSWORD_HASH key, in the
//     encoding of Mbed TLS and Thread (see jpake);
//   - SPAKE2+ (PSA_ALG_SPAKE2P_HMAC, PSA_ALG_SPAKE2P_CMAC, RFC 9383, and
//     PSA_ALG_SPAKE2P_MATTER, draft-bar-cfrg-spake2plus-02) over the
//     RFC 9383 §4 cipher suites on secp256r1, secp384r1 and secp521r1,
//     with the key formats of keys_pake.go (see spake2p).
//
// WPA3-SAE answers ErrNotSupported. So do finite-field groups, other
// curves, and hashes the driver cannot compute. Inputs that are not
// valid for the algorithm (the password key type, a role, an identity, a
// cipher suite the algorithm does not define) answer ErrInvalidArgument.
//
// The operation returned is not safe for concurrent use (the core
// serializes calls on one operation); distinct operations are
// independent. It draws its random values from the driver's random
// source when a step needs them, in the order of the steps.
func (d *Driver) PAKESetup(inputs driver.PAKEInputs) (driver.PAKEOperation, error) {
	suite := inputs.Suite()
	alg := suite.Algorithm
	switch {
	case alg.IsJPAKE():
		return newJPAKE(inputs, d.random())
	case alg.IsSPAKE2P():
		return newSPAKE2P(inputs, d.random())
	case alg.IsWPA3SAE():
		return nil, fmt.Errorf("pake setup: %v is not implemented by the builtin driver: %w", alg, values.ErrNotSupported)
	}
	return nil, fmt.Errorf("pake setup: %v is not a PAKE algorithm the builtin driver knows: %w", alg, values.ErrNotSupported)
}

// pakeECCGroup returns the group of the cipher suite's primitive, which
// must be an elliptic curve.
func pakeECCGroup(suite values.PAKECipherSuite) (*pakeGroup, error) {
	p := suite.Primitive
	switch p.Type() {
	case values.PAKEPrimitiveTypeECC:
		return pakeGroupFor(suite.Algorithm, p)
	case values.PAKEPrimitiveTypeDH:
		return nil, fmt.Errorf("%v over a finite-field group (%v) is not supported by the builtin driver: %w", suite.Algorithm, p, values.ErrNotSupported)
	}
	return nil, fmt.Errorf("%v: primitive %v is neither an elliptic curve nor a finite-field group: %w", suite.Algorithm, p, values.ErrInvalidArgument)
}

// pakeHash returns the hash of a PAKE algorithm, if the driver computes
// it with a hash.Hash.
func pakeHash(alg values.Algorithm) (*hashInfo, error) {
	h := alg.Hash()
	if h == values.AlgNone {
		return nil, fmt.Errorf("%v names no hash algorithm: %w", alg, values.ErrNotSupported)
	}
	info, err := lookupHash(alg.String(), h)
	if err != nil {
		return nil, err
	}
	if info.new == nil || h == values.AlgSHA256_192 {
		return nil, fmt.Errorf("%v: %v has no fixed-length hash function in the builtin driver: %w", alg, h, values.ErrNotSupported)
	}
	return info, nil
}
