package psa_test

import (
	"testing"

	"github.com/gopsa/psa"
)

var jpakeSuite = psa.PAKECipherSuite{
	Algorithm:       psa.AlgJPAKE(psa.AlgSHA256),
	Primitive:       psa.PAKEPrimitiveOf(psa.PAKEPrimitiveTypeECC, psa.PAKEFamily(psa.ECCFamilySECPR1), 256),
	KeyConfirmation: psa.PAKEUnconfirmedKey,
}

// TestPAKESetup is the policy matrix of psa_pake_setup and its state rules
// through the public API. The step sequences are tested in the core, with
// a scripted driver; the builtin driver has no PAKE yet.
func TestPAKESetup(t *testing.T) {
	c := asymNew(t)
	alg := jpakeSuite.Algorithm
	for _, tt := range []struct {
		name   string
		usage  psa.KeyUsage
		policy psa.Algorithm
		want   error
	}{
		{"DERIVE and J-PAKE", psa.UsageDerive, alg, nil},
		{"no DERIVE", psa.UsageExport, alg, psa.ErrNotPermitted},
		{"other hash", psa.UsageDerive, psa.AlgJPAKE(psa.AlgSHA384), psa.ErrNotPermitted},
		{"SPAKE2+ policy", psa.UsageDerive, psa.AlgSPAKE2PHMAC(psa.AlgSHA256), psa.ErrNotPermitted},
	} {
		pw, err := c.ImportKey(psa.Attributes{Type: psa.KeyTypePassword, Usage: tt.usage, Alg: tt.policy}, []byte("password"))
		if err != nil {
			t.Fatal(err)
		}
		var op psa.PAKEOperation
		asymWant(t, tt.name, c.PAKESetup(&op, pw, jpakeSuite), tt.want)
		asymWant(t, tt.name+": abort", op.Abort(), nil)
	}

	pw, _ := c.ImportKey(psa.Attributes{Type: psa.KeyTypePassword, Usage: psa.UsageDerive, Alg: alg}, []byte("password"))
	var op psa.PAKEOperation
	_, err := op.Output(psa.PAKEStepKeyShare, nil)
	asymWant(t, "output before setup", err, psa.ErrBadState)
	asymWant(t, "setup", c.PAKESetup(&op, pw, jpakeSuite), nil)
	asymWant(t, "setup twice", c.PAKESetup(&op, pw, jpakeSuite), psa.ErrBadState)
	asymWant(t, "user", op.SetUser([]byte("client")), nil)
	asymWant(t, "peer", op.SetPeer([]byte("server")), nil)
	asymWant(t, "context", op.SetContext(nil), psa.ErrBadState)
	_, err = op.Output(psa.PAKEStepKeyShare, nil)
	asymWant(t, "output in the error state", err, psa.ErrBadState)
	asymWant(t, "abort", op.Abort(), nil)
	asymWant(t, "setup after abort", c.PAKESetup(&op, pw, jpakeSuite), nil)
	asymWant(t, "user", op.SetUser([]byte("client")), nil)
	asymWant(t, "peer", op.SetPeer([]byte("server")), nil)
	if _, err := op.Output(psa.PAKEStepKeyShare, nil); err != nil {
		asymWant(t, "first step without a PAKE driver", err, psa.ErrNotSupported)
	}
	op.Abort()
}
