//go:build gopsa_no_builtin_ecc

package builtin

import (
	"errors"
	"testing"

	"github.com/gopsa/psa/values"
)

// TestPAKENoECC checks that a build without the builtin ECC has no
// elliptic-curve PAKE left: the driver refuses J-PAKE and SPAKE2+ with
// ErrNotSupported, so that an ECC driver must provide them.
func TestPAKENoECC(t *testing.T) {
	p256 := values.PAKEPrimitiveOf(values.PAKEPrimitiveTypeECC, values.PAKEFamily(values.ECCFamilySECPR1), 256)
	for _, in := range []*pakeNoECCInputs{
		{values.Attributes{Type: values.KeyTypePassword, Bits: 16}, values.PAKECipherSuite{Algorithm: values.AlgJPAKE(values.AlgSHA256), Primitive: p256, KeyConfirmation: values.PAKEUnconfirmedKey}, values.PAKERoleNone},
		{values.Attributes{Type: values.KeyTypeSPAKE2PKeyPair(values.ECCFamilySECPR1), Bits: 256}, values.PAKECipherSuite{Algorithm: values.AlgSPAKE2PHMAC(values.AlgSHA256), Primitive: p256}, values.PAKERoleClient},
	} {
		if _, err := (&Driver{}).PAKESetup(in); !errors.Is(err, values.ErrNotSupported) {
			t.Errorf("%v: %v, want ErrNotSupported", in.suite.Algorithm, err)
		}
	}
}

type pakeNoECCInputs struct {
	attrs values.Attributes
	suite values.PAKECipherSuite
	role  values.PAKERole
}

func (in *pakeNoECCInputs) Password() (values.Attributes, []byte) {
	return in.attrs, make([]byte, in.attrs.Bits/4)
}
func (in *pakeNoECCInputs) User() []byte                  { return []byte("a") }
func (in *pakeNoECCInputs) Peer() []byte                  { return []byte("b") }
func (in *pakeNoECCInputs) Context() []byte               { return nil }
func (in *pakeNoECCInputs) Role() values.PAKERole         { return in.role }
func (in *pakeNoECCInputs) Suite() values.PAKECipherSuite { return in.suite }
