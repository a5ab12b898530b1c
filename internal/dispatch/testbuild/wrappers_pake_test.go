package testbuild

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/drivers/testdriver"
	"github.com/gopsa/psa/values"
)

// The J-PAKE identities of the C suite, the only ones its driver took.
var (
	jpakeServerID = []byte("server")
	jpakeClientID = []byte("client")
)

// pakeEntryPoints are the PAKE entry points other than pake_setup: the C
// test driver's forced_status applies to all of them at once.
var pakeEntryPoints = []string{"pake_input", "pake_output", "pake_get_implicit_key", "pake_abort"}

// pakeHits is the C hooks' hits.total: the calls of PAKE entry points
// only (the core also imports the shared key through the test driver).
func pakeHits(h *testdriver.Hooks) int {
	n := 0
	for ep, c := range h.AllHits() {
		if strings.HasPrefix(ep, "pake_") {
			n += c
		}
	}
	return n
}

func wantPAKEHits(t *testing.T, h *testdriver.Hooks, total int, eps map[string]int) {
	t.Helper()
	if got := pakeHits(h); got != total {
		t.Errorf("%d PAKE entry point calls, want %d (all hits: %v)", got, total, h.AllHits())
	}
	for ep, n := range eps {
		wantHits(t, h, ep, n)
	}
}

// jpakeSide is one side of a J-PAKE exchange.
type jpakeSide struct {
	name    string
	op      psa.PAKEOperation
	counted bool // the pake_setup of the party's first step is counted
}

// newJPAKESide sets a J-PAKE operation up with the password key and the
// identities, which calls no driver entry point.
func newJPAKESide(t *testing.T, b *build, name string, pw psa.KeyID, suite values.PAKECipherSuite, user, peer []byte) *jpakeSide {
	t.Helper()
	p := &jpakeSide{name: name}
	if err := b.c.PAKESetup(&p.op, pw, suite); err != nil {
		t.Fatalf("%s: pake setup: %v", name, err)
	}
	if err := p.op.SetUser(user); err != nil {
		t.Fatalf("%s: set user: %v", name, err)
	}
	if err := p.op.SetPeer(peer); err != nil {
		t.Fatalf("%s: set peer: %v", name, err)
	}
	t.Cleanup(func() { p.op.Abort() })
	return p
}

// jpakeRounds runs both J-PAKE rounds between server and client in the
// order of the C suite's ecjpake_do_round: the server's outputs, the
// client's outputs and inputs (inputs first if clientInputFirst), the
// server's inputs. after is called after each step with the party that
// made it. Each output has the size PSA_PAKE_OUTPUT_SIZE gives (at most
// that size for a proof, whose leading zeros may be stripped).
func jpakeRounds(t *testing.T, suite values.PAKECipherSuite, server, client *jpakeSide, clientInputFirst bool, after func(*jpakeSide)) {
	t.Helper()
	triple := []values.PAKEStep{values.PAKEStepKeyShare, values.PAKEStepZKPublic, values.PAKEStepZKProof}
	rounds := [][]values.PAKEStep{slices.Concat(triple, triple), triple}
	output := func(p *jpakeSide, steps []values.PAKEStep) [][]byte {
		t.Helper()
		var outs [][]byte
		for _, step := range steps {
			out, err := p.op.Output(step, nil)
			if err != nil {
				t.Fatalf("%s: output %v: %v", p.name, step, err)
			}
			after(p)
			size := values.PAKEOutputSize(suite.Algorithm, suite.Primitive, step)
			if step == values.PAKEStepZKProof && (len(out) == 0 || len(out) > size) || step != values.PAKEStepZKProof && len(out) != size {
				t.Errorf("%s: output %v is %d bytes, want PSA_PAKE_OUTPUT_SIZE %d", p.name, step, len(out), size)
			}
			outs = append(outs, out)
		}
		return outs
	}
	input := func(p *jpakeSide, steps []values.PAKEStep, ins [][]byte) {
		t.Helper()
		for i, step := range steps {
			if err := p.op.Input(step, ins[i]); err != nil {
				t.Fatalf("%s: input %v: %v", p.name, step, err)
			}
			after(p)
		}
	}
	for _, steps := range rounds {
		fromServer := output(server, steps)
		if clientInputFirst {
			input(client, steps, fromServer)
		}
		fromClient := output(client, steps)
		if !clientInputFirst {
			input(client, steps, fromServer)
		}
		input(server, steps, fromClient)
	}
}

// pakeOperations is pake_operations: (password, forced status of
// pake_setup, forced status of the other PAKE entry points, forced output,
// expected status, function under test: 0 setup via input, 1 setup via
// output, 2 input, 3 output, 4 get_shared_key, 5 abort).
//
// Where the C function pokes the operation's internals to pretend the
// rounds are over (4), or feeds the builtin driver a key share of 0xAA
// bytes that it only buffers (5), this port makes the real exchange with
// a second operation: the builtin J-PAKE of gopsa checks each input as it
// comes.
func pakeOperations(t *testing.T, b *build, a caseArgs) {
	pw, forcedSetup, forced, forcedOut, want, fut := a.hex(0), a.status(1), a.status(2), a.hex(3), a.status(4), a.int(5)
	inDriver := forcedSetup == values.Success
	b.need(t, "pake_setup", forcedSetup, true)
	suite := jpakeSuite
	h := &b.tr.Hooks
	key := b.importKey(t, values.KeyTypePassword, 0, values.UsageDerive, suite.Algorithm, pw)
	b.resetHooks()
	force(h, "pake_setup", forcedSetup)

	server := newJPAKESide(t, b, "server", key, suite, jpakeServerID, jpakeClientID)
	wantPAKEHits(t, h, 0, nil)

	forceOthers := func() {
		for _, ep := range pakeEntryPoints {
			force(h, ep, forced)
		}
	}
	primitive := suite.Primitive
	keyShare := bytes.Repeat([]byte{0xaa}, values.PAKEInputSize(suite.Algorithm, primitive, values.PAKEStepKeyShare))
	yesNo := func(n int) int {
		if inDriver {
			return n
		}
		return 0
	}
	switch fut {
	case 0, 2: // setup via input; input
		forceOthers()
		err := server.op.Input(values.PAKEStepKeyShare, keyShare)
		wantStatus(t, "pake input", err, want)
		if fut == 0 {
			wantPAKEHits(t, h, 1, map[string]int{"pake_setup": 1})
			break
		}
		wantPAKEHits(t, h, 1+yesNo(2), map[string]int{"pake_setup": 1, "pake_input": yesNo(1), "pake_abort": yesNo(1)})
	case 1, 3: // setup via output; output
		forceOthers()
		if len(forcedOut) > 0 {
			h.ForceOutput("pake_output", forcedOut)
		}
		out, err := server.op.Output(values.PAKEStepKeyShare, nil)
		wantStatus(t, "pake output", err, want)
		switch {
		case fut == 1:
			wantPAKEHits(t, h, 1, map[string]int{"pake_setup": 1})
		case len(forcedOut) > 0:
			wantPAKEHits(t, h, 1+yesNo(1), map[string]int{"pake_setup": 1, "pake_output": yesNo(1)})
			if !bytes.Equal(out, forcedOut) {
				t.Errorf("output %x, want the forced %x", out, forcedOut)
			}
		default:
			wantPAKEHits(t, h, 1+yesNo(2), map[string]int{"pake_setup": 1, "pake_output": yesNo(1), "pake_abort": yesNo(1)})
		}
	case 4: // get_shared_key
		client := newJPAKESide(t, b, "client", key, suite, jpakeClientID, jpakeServerID)
		jpakeRounds(t, suite, server, client, false, func(*jpakeSide) {})
		b.resetHooks()
		forceOthers()
		id, err := server.op.SharedKey(values.Attributes{Type: values.KeyTypeDerive, Usage: values.UsageDerive})
		wantStatus(t, "pake get shared key", err, want)
		if err == nil {
			b.c.DestroyKey(id)
		}
		wantPAKEHits(t, h, 2, map[string]int{"pake_get_implicit_key": 1, "pake_abort": 1})
	case 5: // abort
		client := newJPAKESide(t, b, "client", key, suite, jpakeClientID, jpakeServerID)
		share, err := client.op.Output(values.PAKEStepKeyShare, nil)
		if err != nil {
			t.Fatalf("client: output key share: %v", err)
		}
		if err := server.op.Input(values.PAKEStepKeyShare, share); err != nil {
			t.Fatalf("server: input key share: %v", err)
		}
		b.resetHooks()
		forceOthers()
		wantStatus(t, "pake abort", server.op.Abort(), want)
		wantPAKEHits(t, h, 1, map[string]int{"pake_abort": 1})
	default:
		t.Fatalf("%s: unknown function under test %d", a.c.Pos(), fut)
	}

	b.resetHooks()
	if err := server.op.Abort(); err != nil {
		t.Errorf("abort: %v", err)
	}
}

// ecjpakeRounds is ecjpake_rounds: (algorithm, primitive, derivation
// algorithm, password, client input first, in driver). The whole exchange
// is counted: each party's first step calls pake_setup, which the test
// driver declines with PSA_ERROR_NOT_SUPPORTED when the builtin driver is
// to compute; in the test driver, each step is one more call, and getting
// the shared key two (pake_get_implicit_key, pake_abort). The C function
// sets up the derivation algorithm without using it; this port feeds both
// shared keys to it and checks that the two parties derive the same
// secret.
func ecjpakeRounds(t *testing.T, b *build, a caseArgs) {
	alg, primitive, deriveAlg, pw := a.alg(0), values.PAKEPrimitive(uint32(a.int(1))), a.alg(2), a.hex(3)
	clientInputFirst, inDriver := a.int(4) != 0, a.int(5) != 0
	forcedSetup := values.Success
	if !inDriver {
		forcedSetup = values.ErrNotSupported
	}
	b.need(t, "pake_setup", forcedSetup, true)
	suite := values.PAKECipherSuite{Algorithm: alg, Primitive: primitive, KeyConfirmation: values.PAKEUnconfirmedKey}
	h := &b.tr.Hooks
	key := b.importKey(t, values.KeyTypePassword, 0, values.UsageDerive, alg, pw)
	b.resetHooks()
	force(h, "pake_setup", forcedSetup)

	server := newJPAKESide(t, b, "server", key, suite, jpakeServerID, jpakeClientID)
	client := newJPAKESide(t, b, "client", key, suite, jpakeClientID, jpakeServerID)
	wantPAKEHits(t, h, 0, nil)

	want := 0
	jpakeRounds(t, suite, server, client, clientInputFirst, func(p *jpakeSide) {
		t.Helper()
		if !p.counted {
			p.counted = true
			want++ // pake_setup, on the party's first step
		}
		if inDriver {
			want++
		}
		if got := pakeHits(h); got != want {
			t.Fatalf("after a %s step: %d PAKE entry point calls, want %d (all hits: %v)", p.name, got, want, h.AllHits())
		}
	})

	attrs := values.Attributes{Type: values.KeyTypeDerive, Usage: values.UsageDerive, Alg: deriveAlg}
	var secrets [][]byte
	for _, p := range []*jpakeSide{server, client} {
		id, err := p.op.SharedKey(attrs)
		if err != nil {
			t.Fatalf("%s: get shared key: %v", p.name, err)
		}
		if inDriver {
			want += 2
		}
		wantPAKEHits(t, h, want, nil)
		secrets = append(secrets, deriveTLS12PSK(t, b, deriveAlg, id))
		b.c.DestroyKey(id)
	}
	if !bytes.Equal(secrets[0], secrets[1]) {
		t.Errorf("the server derives %x and the client %x from their shared keys", secrets[0], secrets[1])
	}
}

// deriveTLS12PSK feeds the shared key id to the derivation alg
// (TLS12_PSK_TO_MS, as in the C suite, with an empty seed) and returns the
// master secret.
func deriveTLS12PSK(t *testing.T, b *build, alg values.Algorithm, id psa.KeyID) []byte {
	t.Helper()
	if !alg.IsTLS12PSKToMS() {
		t.Fatalf("derivation algorithm %v: want a PSA_ALG_TLS12_PSK_TO_MS", alg)
	}
	var op psa.KeyDerivationOperation
	defer op.Abort()
	if err := b.c.KeyDerivationSetup(&op, alg); err != nil {
		t.Fatal(err)
	}
	if err := op.InputBytes(values.DerivationInputSeed, nil); err != nil {
		t.Fatalf("input seed: %v", err)
	}
	if err := op.InputKey(values.DerivationInputSecret, id); err != nil {
		t.Fatalf("input secret: %v", err)
	}
	if err := op.InputBytes(values.DerivationInputLabel, []byte("master secret")); err != nil {
		t.Fatalf("input label: %v", err)
	}
	out := make([]byte, 48)
	if err := op.OutputBytes(out); err != nil {
		t.Fatalf("output: %v", err)
	}
	return out
}
