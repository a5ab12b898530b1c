package core

import (
	"bytes"
	"testing"

	"github.com/gopsa/psa/values"
)

var (
	pakeJPAKESuite = values.PAKECipherSuite{
		Algorithm:       values.AlgJPAKE(values.AlgSHA256),
		Primitive:       values.PAKEPrimitiveOf(values.PAKEPrimitiveTypeECC, values.PAKEFamily(values.ECCFamilySECPR1), 256),
		KeyConfirmation: values.PAKEUnconfirmedKey,
	}
	pakeSPAKESuite = values.PAKECipherSuite{
		Algorithm: values.AlgSPAKE2PHMAC(values.AlgSHA256),
		Primitive: values.PAKEPrimitiveOf(values.PAKEPrimitiveTypeECC, values.PAKEFamily(values.ECCFamilySECPR1), 256),
	}
	pakeSAESuite = values.PAKECipherSuite{
		Algorithm: values.AlgWPA3SAEFixed(values.AlgSHA256),
		Primitive: values.PAKEPrimitiveOf(values.PAKEPrimitiveTypeECC, values.PAKEFamily(values.ECCFamilySECPR1), 256),
	}
)

type pakeMoveT struct {
	out  bool
	step values.PAKEStep
	want error
}

func pakeOut(s values.PAKEStep) pakeMoveT { return pakeMoveT{true, s, nil} }
func pakeIn(s values.PAKEStep) pakeMoveT  { return pakeMoveT{false, s, nil} }

func pakeBad(m pakeMoveT) pakeMoveT { m.want = values.ErrBadState; return m }

var pakeJPAKERound1 = []values.PAKEStep{pakeKS, pakeZKPublic, pakeZKProof, pakeKS, pakeZKPublic, pakeZKProof}

func pakeSeq(dir func(values.PAKEStep) pakeMoveT, steps ...values.PAKEStep) []pakeMoveT {
	var m []pakeMoveT
	for _, s := range steps {
		m = append(m, dir(s))
	}
	return m
}

func pakeConcat(parts ...[]pakeMoveT) []pakeMoveT {
	var m []pakeMoveT
	for _, p := range parts {
		m = append(m, p...)
	}
	return m
}

// TestPAKEFlows runs the step sequences of each algorithm: the orders the
// specification prescribes succeed and end with the shared key; a step out
// of order fails with ErrBadState and leaves the operation in the error
// state.
func TestPAKEFlows(t *testing.T) {
	c, d := newAsymCore(t)
	pw := asymImport(t, c, values.Attributes{Type: values.KeyTypePassword, Usage: values.UsageDerive, Alg: values.AlgJPAKE(values.AlgSHA256)}, []byte("password"))
	spakePair := asymImport(t, c, values.Attributes{Type: values.KeyTypeSPAKE2PKeyPair(values.ECCFamilySECPR1), Bits: 256,
		Usage: values.UsageDerive, Alg: pakeSPAKESuite.Algorithm}, make([]byte, 64))
	saePW := asymImport(t, c, values.Attributes{Type: values.KeyTypePassword, Usage: values.UsageDerive, Alg: values.AlgWPA3SAEAny}, []byte("wifi"))
	unconfirmed := pakeSPAKESuite
	unconfirmed.KeyConfirmation = values.PAKEUnconfirmedKey
	tests := []struct {
		name  string
		suite values.PAKECipherSuite
		key   values.KeyID
		role  values.PAKERole
		moves []pakeMoveT
		ready bool // the shared key may be read after the moves
	}{
		{"J-PAKE, outputs first", pakeJPAKESuite, pw, 0, pakeConcat(
			pakeSeq(pakeOut, pakeJPAKERound1...), pakeSeq(pakeIn, pakeJPAKERound1...),
			pakeSeq(pakeOut, pakeKS, pakeZKPublic, pakeZKProof), pakeSeq(pakeIn, pakeKS, pakeZKPublic, pakeZKProof)), true},
		{"J-PAKE, inputs first", pakeJPAKESuite, pw, 0, pakeConcat(
			pakeSeq(pakeIn, pakeJPAKERound1...), pakeSeq(pakeOut, pakeJPAKERound1...),
			pakeSeq(pakeIn, pakeKS, pakeZKPublic, pakeZKProof), pakeSeq(pakeOut, pakeKS, pakeZKPublic, pakeZKProof)), true},
		{"J-PAKE, round 2 too early", pakeJPAKESuite, pw, 0, pakeConcat(
			pakeSeq(pakeOut, pakeJPAKERound1...), pakeSeq(pakeIn, pakeJPAKERound1[:3]...), []pakeMoveT{pakeBad(pakeOut(pakeKS))}), false},
		{"J-PAKE, interleaved round", pakeJPAKESuite, pw, 0, []pakeMoveT{pakeOut(pakeKS), pakeBad(pakeIn(pakeKS))}, false},
		{"J-PAKE, wrong step", pakeJPAKESuite, pw, 0, []pakeMoveT{pakeOut(pakeKS), pakeBad(pakeOut(pakeZKProof))}, false},
		{"J-PAKE, not a J-PAKE step", pakeJPAKESuite, pw, 0, []pakeMoveT{{true, values.PAKEStepConfirm, values.ErrInvalidArgument}}, false},
		{"J-PAKE, incomplete", pakeJPAKESuite, pw, 0, pakeSeq(pakeOut, pakeJPAKERound1...), false},
		{"SPAKE2+ client", pakeSPAKESuite, spakePair, values.PAKERoleClient,
			[]pakeMoveT{pakeOut(pakeKS), pakeIn(pakeKS), pakeIn(values.PAKEStepConfirm), pakeOut(values.PAKEStepConfirm)}, true},
		{"SPAKE2+ server", pakeSPAKESuite, spakePair, values.PAKERoleServer,
			[]pakeMoveT{pakeIn(pakeKS), pakeOut(pakeKS), pakeOut(values.PAKEStepConfirm), pakeIn(values.PAKEStepConfirm)}, true},
		{"SPAKE2+ client, unconfirmed", unconfirmed, spakePair, values.PAKERoleClient, []pakeMoveT{pakeOut(pakeKS), pakeIn(pakeKS)}, true},
		{"SPAKE2+ client, confirmed key too early", pakeSPAKESuite, spakePair, values.PAKERoleClient, []pakeMoveT{pakeOut(pakeKS), pakeIn(pakeKS)}, false},
		{"SPAKE2+ client, server order", pakeSPAKESuite, spakePair, values.PAKERoleClient, []pakeMoveT{pakeBad(pakeIn(pakeKS))}, false},
		{"SPAKE2+ server, confirm early", pakeSPAKESuite, spakePair, values.PAKERoleServer, []pakeMoveT{pakeIn(pakeKS), pakeBad(pakeOut(values.PAKEStepConfirm))}, false},
		{"WPA3-SAE", pakeSAESuite, saePW, 0, []pakeMoveT{
			pakeOut(values.PAKEStepCommit), pakeIn(values.PAKEStepCommit), pakeIn(values.PAKEStepSalt),
			pakeIn(values.PAKEStepConfirmCount), pakeOut(values.PAKEStepConfirm), pakeIn(values.PAKEStepConfirm),
			pakeIn(values.PAKEStepConfirmCount), pakeOut(values.PAKEStepConfirm), pakeOut(values.PAKEStepKeyID)}, true},
		{"WPA3-SAE, peer commit first", pakeSAESuite, saePW, 0, []pakeMoveT{
			pakeIn(values.PAKEStepCommit), pakeIn(values.PAKEStepSalt), pakeOut(values.PAKEStepCommit),
			pakeIn(values.PAKEStepConfirm), pakeIn(values.PAKEStepConfirmCount), pakeOut(values.PAKEStepConfirm)}, true},
		{"WPA3-SAE, confirm without a counter", pakeSAESuite, saePW, 0, []pakeMoveT{
			pakeOut(values.PAKEStepCommit), pakeIn(values.PAKEStepCommit), pakeIn(values.PAKEStepSalt), pakeBad(pakeOut(values.PAKEStepConfirm))}, false},
		{"WPA3-SAE, PMKID before confirmation", pakeSAESuite, saePW, 0, []pakeMoveT{
			pakeOut(values.PAKEStepCommit), pakeIn(values.PAKEStepCommit), pakeIn(values.PAKEStepSalt), pakeBad(pakeOut(values.PAKEStepKeyID))}, false},
		{"WPA3-SAE, salt before commit", pakeSAESuite, saePW, 0, []pakeMoveT{pakeBad(pakeIn(values.PAKEStepSalt))}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var op PAKEOp
			defer op.Abort()
			asymWant(t, "setup", op.Setup(c, tt.key, tt.suite), nil)
			if tt.role != 0 {
				asymWant(t, "role", op.SetRole(tt.role), nil)
			}
			if !tt.suite.Algorithm.IsSPAKE2P() {
				asymWant(t, "user", op.SetUser([]byte("me")), nil)
				asymWant(t, "peer", op.SetPeer([]byte("you")), nil)
			}
			failed := false
			for i, m := range tt.moves {
				var err error
				if m.out {
					var o []byte
					o, err = op.Output(m.step, []byte{0xaa})
					if err == nil && !bytes.Equal(o, []byte{0xaa, byte(m.step)}) {
						t.Errorf("move %d: output %x, want the driver's appended to dst", i, o)
					}
				} else {
					err = op.Input(m.step, []byte{byte(m.step)})
				}
				asymWant(t, "move "+m.step.String(), err, m.want)
				failed = failed || m.want != nil
			}
			if failed {
				_, err := op.Output(pakeKS, nil)
				asymWant(t, "after a failure", err, values.ErrBadState)
			}
			id, err := op.SharedKey(values.Attributes{Type: values.KeyTypeDerive, Usage: values.UsageExport})
			if !tt.ready {
				asymWant(t, "shared key", err, values.ErrBadState)
				return
			}
			asymWant(t, "shared key", err, nil)
			if err == nil {
				if op.state != pakeInactive {
					t.Error("the operation is still active after SharedKey")
				}
				if got, _ := c.Export(id, nil); len(got) != 32 {
					t.Errorf("shared key of %d bytes, want 32", len(got))
				}
			}
		})
	}
	if d.called("pake_setup") == 0 {
		t.Error("no driver was set up")
	}
}

func TestPAKESetup(t *testing.T) {
	c, d := newAsymCore(t)
	jalg := pakeJPAKESuite.Algorithm
	pw := asymImport(t, c, values.Attributes{Type: values.KeyTypePassword, Usage: values.UsageDerive, Alg: jalg}, []byte("pw"))
	confirmed := pakeJPAKESuite
	confirmed.KeyConfirmation = values.PAKEConfirmedKey
	noPrimitive := pakeJPAKESuite
	noPrimitive.Primitive = 0
	wildcard := pakeJPAKESuite
	wildcard.Algorithm = values.AlgJPAKE(values.AlgAnyHash)
	notPAKE := pakeJPAKESuite
	notPAKE.Algorithm = kdfHKDF256
	badConfirm := pakeJPAKESuite
	badConfirm.KeyConfirmation = 7
	// The policy matrix: DERIVE and the suite's algorithm.
	for _, tt := range []struct {
		name   string
		usage  values.KeyUsage
		policy values.Algorithm
		suite  values.PAKECipherSuite
		want   error
	}{
		{"J-PAKE", values.UsageDerive, jalg, pakeJPAKESuite, nil},
		{"without DERIVE", values.UsageExport, jalg, pakeJPAKESuite, values.ErrNotPermitted},
		{"other hash", values.UsageDerive, values.AlgJPAKE(values.AlgSHA384), pakeJPAKESuite, values.ErrNotPermitted},
		{"other PAKE", values.UsageDerive, pakeSPAKESuite.Algorithm, pakeJPAKESuite, values.ErrNotPermitted},
		{"J-PAKE with a confirmed key", values.UsageDerive, jalg, confirmed, values.ErrInvalidArgument},
		{"no primitive", values.UsageDerive, jalg, noPrimitive, values.ErrInvalidArgument},
		{"wildcard", values.UsageDerive, jalg, wildcard, values.ErrInvalidArgument},
		{"not a PAKE", values.UsageDerive, jalg, notPAKE, values.ErrInvalidArgument},
		{"bad confirmation value", values.UsageDerive, jalg, badConfirm, values.ErrInvalidArgument},
	} {
		id := asymImport(t, c, values.Attributes{Type: values.KeyTypePassword, Usage: tt.usage, Alg: tt.policy}, []byte("pw"))
		var op PAKEOp
		asymWant(t, tt.name, op.Setup(c, id, tt.suite), tt.want)
		if tt.want != nil && op.state != pakeInactive {
			t.Errorf("%s: a failed setup changed the operation", tt.name)
		}
		op.Abort()
	}

	var op PAKEOp
	asymWant(t, "role before setup", op.SetRole(values.PAKERoleNone), values.ErrBadState)
	asymWant(t, "abort before setup", op.Abort(), nil)
	asymWant(t, "setup", op.Setup(c, pw, pakeJPAKESuite), nil)
	asymWant(t, "setup twice", op.Setup(c, pw, pakeJPAKESuite), values.ErrBadState)
	asymWant(t, "role", op.SetRole(values.PAKERoleFirst), nil)
	asymWant(t, "role twice", op.SetRole(values.PAKERoleFirst), values.ErrBadState)
	asymWant(t, "user after the error", op.SetUser([]byte("u")), values.ErrBadState)
	op.Abort()

	asymWant(t, "setup", op.Setup(c, pw, pakeJPAKESuite), nil)
	asymWant(t, "client role in J-PAKE", op.SetRole(values.PAKERoleClient), values.ErrInvalidArgument)
	op.Abort()
	asymWant(t, "setup", op.Setup(c, pw, pakeJPAKESuite), nil)
	asymWant(t, "context in J-PAKE", op.SetContext([]byte("c")), values.ErrBadState)
	op.Abort()
	asymWant(t, "setup", op.Setup(c, pw, pakeJPAKESuite), nil)
	asymWant(t, "user", op.SetUser([]byte("u")), nil)
	_, err := op.Output(pakeKS, nil)
	asymWant(t, "output without a peer", err, values.ErrBadState)
	op.Abort()
	asymWant(t, "setup", op.Setup(c, pw, pakeJPAKESuite), nil)
	asymWant(t, "user", op.SetUser([]byte("u")), nil)
	asymWant(t, "peer", op.SetPeer([]byte("p")), nil)
	asymWant(t, "oversized input", op.Input(pakeKS, make([]byte, 1000)), values.ErrInvalidArgument)
	op.Abort()
	asymWant(t, "setup", op.Setup(c, pw, pakeJPAKESuite), nil)
	asymWant(t, "user", op.SetUser([]byte("u")), nil)
	asymWant(t, "peer", op.SetPeer([]byte("p")), nil)
	_, err = op.Output(pakeKS, nil)
	asymWant(t, "output", err, nil)
	asymWant(t, "peer after a step", op.SetPeer([]byte("p")), values.ErrBadState)
	op.Abort()

	// SPAKE2+: the client needs a key pair; the context reaches the
	// driver, set-but-empty distinct from unset.
	spub := asymImport(t, c, values.Attributes{Type: values.KeyTypeSPAKE2PPublicKey(values.ECCFamilySECPR1), Bits: 256,
		Usage: values.UsageDerive, Alg: pakeSPAKESuite.Algorithm}, make([]byte, 97))
	asymWant(t, "setup", op.Setup(c, spub, pakeSPAKESuite), nil)
	asymWant(t, "client with a public key", op.SetRole(values.PAKERoleClient), values.ErrInvalidArgument)
	op.Abort()
	for _, ctx := range [][]byte{nil, {}, []byte("ctx")} {
		asymWant(t, "setup", op.Setup(c, spub, pakeSPAKESuite), nil)
		asymWant(t, "server", op.SetRole(values.PAKERoleServer), nil)
		if ctx != nil {
			asymWant(t, "context", op.SetContext(ctx), nil)
		}
		asymWant(t, "input", op.Input(pakeKS, []byte{1}), nil)
		seen := d.lastPAKE
		if seen.contextNil != (ctx == nil) || !bytes.Equal(seen.context, ctx) || seen.role != values.PAKERoleServer {
			t.Errorf("context %q: the driver saw %+v", ctx, seen)
		}
		op.Abort()
	}

	// A verification failure enters the error state.
	asymWant(t, "setup", op.Setup(c, pw, pakeJPAKESuite), nil)
	op.SetUser([]byte("u"))
	op.SetPeer([]byte("p"))
	asymWant(t, "bad proof", op.Input(pakeKS, []byte{0xee}), values.ErrInvalidSignature)
	asymWant(t, "after it", op.Input(pakeKS, []byte{1}), values.ErrBadState)
	op.Abort()

	// The password key is read at setup: destroying it does not matter.
	tmp := asymImport(t, c, values.Attributes{Type: values.KeyTypePassword, Usage: values.UsageDerive, Alg: jalg}, []byte("temporary"))
	asymWant(t, "setup", op.Setup(c, tmp, pakeJPAKESuite), nil)
	asymWant(t, "destroy", c.Destroy(tmp), nil)
	op.SetUser([]byte("u"))
	op.SetPeer([]byte("p"))
	_, err = op.Output(pakeKS, nil)
	asymWant(t, "output after the key was destroyed", err, nil)
	if string(d.lastPAKE.password) != "temporary" {
		t.Errorf("the driver saw password %q", d.lastPAKE.password)
	}
	op.Abort()
}
