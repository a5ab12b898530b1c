package mbedtls

import (
	"bytes"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/values"
)

// Ports of the EC J-PAKE test functions of
// test_suite_psa_crypto_pake.function.
//
// The checks that only the core makes (the setup arguments, the state of
// an inactive operation, the setup inputs given twice, the size macros)
// run in any build. The others need a driver with J-PAKE: in a build
// whose dispatch routes pake_setup for J-PAKE to no driver, a case skips
// as not implemented when it reaches its first input or output step.
//
// Two adaptations to the PSA Crypto API 1.5, which the C tests predate:
// the cipher suite asks for an unconfirmed key (J-PAKE has no key
// confirmation, and psa_pake_setup must reject PSA_PAKE_CONFIRMED_KEY,
// the default of psa_pake_cipher_suite_init, which Mbed TLS ignores), and
// the shared key is made a PSA_KEY_TYPE_DERIVE key (the C tests reuse the
// password's attributes). The Mbed TLS driver-interface getters
// (pake_input_getters_*) test C functions that have no counterpart in
// gopsa's public API and are not ported.

// The error stages of the C file's ecjpake_error_stage_t that the data
// uses. Only their names matter: the data never gives a number.
const (
	errNone = iota
	errInjectUninitializedAccess
	errInjectDuplicateSetup
	errInjectSetRole
	errDuplicateSetUser
	errDuplicateSetPeer
	errInjectEmptyIOBuffer
	errInjectUnknownStep
	errInjectInvalidFirstStep
	errInjectLargeBufferSize
	errInjectSmallBufferSize
	errInjectAnticipateKeyDerivation1
	errInjectAnticipateKeyDerivation2
	errInjectRound1ClientKeySharePart1
	errInjectRound1ClientZKPublicPart1
	errInjectRound1ClientZKProofPart1
	errInjectRound1ClientKeySharePart2
	errInjectRound1ClientZKPublicPart2
	errInjectRound1ClientZKProofPart2
	errInjectRound2ClientKeyShare
	errInjectRound2ClientZKPublic
	errInjectRound2ClientZKProof
	errInjectRound1ServerKeySharePart1
	errInjectRound1ServerZKPublicPart1
	errInjectRound1ServerZKProofPart1
	errInjectRound1ServerKeySharePart2
	errInjectRound1ServerZKPublicPart2
	errInjectRound1ServerZKProofPart2
	errInjectRound2ServerKeyShare
	errInjectRound2ServerZKPublic
	errInjectRound2ServerZKProof
	errInjectExtraOutput
	errInjectExtraInput
	errInjectExtraOutputAtEnd
	errInjectExtraInputAtEnd
	errInSetup
	errInSetUser
	errInSetPeer
	errInSetRole
	errInSetPasswordKey
	errInInput
	errInOutputKeyShare
)

// pakeSymbols are the names of the error stages, for the arguments.
var pakeSymbols = map[string]int64{
	"ERR_NONE":                                 errNone,
	"ERR_INJECT_UNINITIALIZED_ACCESS":          errInjectUninitializedAccess,
	"ERR_INJECT_DUPLICATE_SETUP":               errInjectDuplicateSetup,
	"ERR_INJECT_SET_ROLE":                      errInjectSetRole,
	"ERR_DUPLICATE_SET_USER":                   errDuplicateSetUser,
	"ERR_DUPLICATE_SET_PEER":                   errDuplicateSetPeer,
	"ERR_INJECT_EMPTY_IO_BUFFER":               errInjectEmptyIOBuffer,
	"ERR_INJECT_UNKNOWN_STEP":                  errInjectUnknownStep,
	"ERR_INJECT_INVALID_FIRST_STEP":            errInjectInvalidFirstStep,
	"ERR_INJECT_LARGE_BUFFER_SIZE":             errInjectLargeBufferSize,
	"ERR_INJECT_SMALL_BUFFER_SIZE":             errInjectSmallBufferSize,
	"ERR_INJECT_ANTICIPATE_KEY_DERIVATION_1":   errInjectAnticipateKeyDerivation1,
	"ERR_INJECT_ANTICIPATE_KEY_DERIVATION_2":   errInjectAnticipateKeyDerivation2,
	"ERR_INJECT_ROUND1_CLIENT_KEY_SHARE_PART1": errInjectRound1ClientKeySharePart1,
	"ERR_INJECT_ROUND1_CLIENT_ZK_PUBLIC_PART1": errInjectRound1ClientZKPublicPart1,
	"ERR_INJECT_ROUND1_CLIENT_ZK_PROOF_PART1":  errInjectRound1ClientZKProofPart1,
	"ERR_INJECT_ROUND1_CLIENT_KEY_SHARE_PART2": errInjectRound1ClientKeySharePart2,
	"ERR_INJECT_ROUND1_CLIENT_ZK_PUBLIC_PART2": errInjectRound1ClientZKPublicPart2,
	"ERR_INJECT_ROUND1_CLIENT_ZK_PROOF_PART2":  errInjectRound1ClientZKProofPart2,
	"ERR_INJECT_ROUND2_CLIENT_KEY_SHARE":       errInjectRound2ClientKeyShare,
	"ERR_INJECT_ROUND2_CLIENT_ZK_PUBLIC":       errInjectRound2ClientZKPublic,
	"ERR_INJECT_ROUND2_CLIENT_ZK_PROOF":        errInjectRound2ClientZKProof,
	"ERR_INJECT_ROUND1_SERVER_KEY_SHARE_PART1": errInjectRound1ServerKeySharePart1,
	"ERR_INJECT_ROUND1_SERVER_ZK_PUBLIC_PART1": errInjectRound1ServerZKPublicPart1,
	"ERR_INJECT_ROUND1_SERVER_ZK_PROOF_PART1":  errInjectRound1ServerZKProofPart1,
	"ERR_INJECT_ROUND1_SERVER_KEY_SHARE_PART2": errInjectRound1ServerKeySharePart2,
	"ERR_INJECT_ROUND1_SERVER_ZK_PUBLIC_PART2": errInjectRound1ServerZKPublicPart2,
	"ERR_INJECT_ROUND1_SERVER_ZK_PROOF_PART2":  errInjectRound1ServerZKProofPart2,
	"ERR_INJECT_ROUND2_SERVER_KEY_SHARE":       errInjectRound2ServerKeyShare,
	"ERR_INJECT_ROUND2_SERVER_ZK_PUBLIC":       errInjectRound2ServerZKPublic,
	"ERR_INJECT_ROUND2_SERVER_ZK_PROOF":        errInjectRound2ServerZKProof,
	"ERR_INJECT_EXTRA_OUTPUT":                  errInjectExtraOutput,
	"ERR_INJECT_EXTRA_INPUT":                   errInjectExtraInput,
	"ERR_INJECT_EXTRA_OUTPUT_AT_END":           errInjectExtraOutputAtEnd,
	"ERR_INJECT_EXTRA_INPUT_AT_END":            errInjectExtraInputAtEnd,
	"ERR_IN_SETUP":                             errInSetup,
	"ERR_IN_SET_USER":                          errInSetUser,
	"ERR_IN_SET_PEER":                          errInSetPeer,
	"ERR_IN_SET_ROLE":                          errInSetRole,
	"ERR_IN_SET_PASSWORD_KEY":                  errInSetPasswordKey,
	"ERR_IN_INPUT":                             errInInput,
	"ERR_IN_OUTPUT_KEY_SHARE":                  errInOutputKeyShare,
}

// The registry builds each suite's environment from localSymbols, whose
// table is shared: the PAKE suite's names are added here, next to their
// meaning.
func init() { localSymbols["psa_crypto_pake"] = pakeSymbols }

// The identities of the C tests: the built-in J-PAKE of Mbed TLS takes
// only these two.
var (
	jpakeServerID = []byte("server")
	jpakeClientID = []byte("client")
)

// jpakeBeta is PSA_ALG_JPAKE_BETA of TF-PSA-Crypto: the value of
// PSA_ALG_JPAKE in the beta of the PAKE extension, which had no hash.
const jpakeBeta values.Algorithm = 0x0a000100

// jpakeKeyShare returns the first key share of an operation set up with
// key and cs between user and peer.
func jpakeKeyShare(t *suite.T, c *psa.Crypto, key values.KeyID, cs values.PAKECipherSuite, user, peer []byte) []byte {
	t.Helper()
	var op psa.PAKEOperation
	defer op.Abort()
	must(t, "peer setup", c.PAKESetup(&op, key, cs))
	must(t, "peer set user", op.SetUser(user))
	must(t, "peer set peer", op.SetPeer(peer))
	share, err := op.Output(values.PAKEStepKeyShare, nil)
	must(t, "peer output a key share", err)
	return share
}

// jpakeSuite is the cipher suite of the C tests in the 1.5 API.
func jpakeSuite(al values.Algorithm, prim values.PAKEPrimitive) values.PAKECipherSuite {
	return values.PAKECipherSuite{Algorithm: al, Primitive: prim, KeyConfirmation: values.PAKEUnconfirmedKey}
}

// jpakeNeedDriver skips the case if no driver of the instance runs J-PAKE
// with the password key of attrs: the rest of the case exchanges steps.
func jpakeNeedDriver(t *suite.T, c *psa.Crypto, attrs psa.Attributes, al values.Algorithm) {
	t.Helper()
	if c.Route("pake_setup", attrs, al) == "" {
		t.Skipf(suite.SkipNotImplemented, "no driver of gopsa's default build has pake_setup for J-PAKE (EC J-PAKE steps)")
	}
}

// jpakeSetup checks the setup of a J-PAKE operation and its first step,
// with an error expected at one stage (ecjpake_setup).
func (h *harness) jpakeSetup(t *suite.T, a suite.Args) {
	policyAlg, setupAlg, kt, usage := alg(a, 0), alg(a, 1), keyType(a, 2), values.KeyUsage(a.Uint32(3))
	prim := values.PAKEPrimitive(a.Uint32(4))
	user, peer := []byte(a.String(5)), []byte(a.String(6))
	testInput, stage, want := a.Int(7) != 0, a.Int(8), values.Status(a.Int(9))
	if !testInput && stage == errInjectEmptyIOBuffer {
		t.Skipf(suite.SkipCOnly, "an output buffer of size 0 (the Go API appends its output)")
	}
	if policyAlg == jpakeBeta && setupAlg != jpakeBeta {
		t.Skipf(suite.SkipExtension, "a policy with the PAKE extension beta encoding of J-PAKE (PSA_ALG_JPAKE_BETA), which Mbed TLS takes for J-PAKE with any hash")
	}
	c := h.newInstance(t).c
	ksSize := values.PAKEOutputSize(setupAlg, prim, values.PAKEStepKeyShare)
	pubSize := values.PAKEOutputSize(setupAlg, prim, values.PAKEStepZKPublic)
	proofSize := values.PAKEOutputSize(setupAlg, prim, values.PAKEStepZKProof)

	// The C password is "abcd" with its NUL.
	pwAttrs := psa.Attributes{Type: kt, Usage: usage, Alg: policyAlg}
	key, err := c.ImportKey(pwAttrs, []byte("abcd\x00"))
	must(t, "import the password", err)
	cs := jpakeSuite(setupAlg, prim)
	var op psa.PAKEOperation
	defer op.Abort()
	must(t, "abort an inactive operation", op.Abort())

	if stage == errInjectUninitializedAccess {
		wantStatus(t, "set user before setup", op.SetUser(user), want)
		wantStatus(t, "set peer before setup", op.SetPeer(peer), want)
		wantStatus(t, "set role before setup", op.SetRole(values.PAKERoleServer), want)
		_, err := op.Output(values.PAKEStepKeyShare, nil)
		wantStatus(t, "output before setup", err, want)
		wantStatus(t, "input before setup", op.Input(values.PAKEStepKeyShare, nil), want)
		id, err := op.SharedKey(psa.Attributes{Type: values.KeyTypeDerive, Usage: values.UsageDerive})
		if err == nil {
			c.DestroyKey(id)
		}
		wantStatus(t, "get the shared key before setup", err, want)
		return
	}

	err = c.PAKESetup(&op, key, cs)
	if stage == errInSetup || stage == errInSetPasswordKey {
		wantStatus(t, "pake setup", err, want)
		return
	}
	must(t, "pake setup", err)

	// at ends the case at the stage where it expects an error:
	// SETUP_CONDITIONAL_CHECK_STEP calls f only then, and
	// SETUP_ALWAYS_CHECK_STEP always, requiring success at other stages.
	at := func(st int, what string, f func() error, always bool) bool {
		t.Helper()
		if stage == st {
			wantStatus(t, what, f(), want)
			return true
		}
		if always {
			must(t, what, f())
		}
		return false
	}
	if at(errInjectDuplicateSetup, "pake setup again", func() error { return c.PAKESetup(&op, key, cs) }, false) ||
		at(errInjectSetRole, "set role server", func() error { return op.SetRole(values.PAKERoleServer) }, false) ||
		at(errInSetRole, "set role none", func() error { return op.SetRole(values.PAKERoleNone) }, true) ||
		at(errInSetUser, "set user", func() error { return op.SetUser(user) }, true) ||
		at(errInSetPeer, "set peer", func() error { return op.SetPeer(peer) }, true) ||
		at(errDuplicateSetUser, "set user again", func() error { return op.SetUser(user) }, false) ||
		at(errDuplicateSetPeer, "set peer again", func() error { return op.SetPeer(peer) }, false) {
		return
	}

	jpakeNeedDriver(t, c, pwAttrs, setupAlg)
	const unknownStep = values.PAKEStepZKProof + 10
	if testInput {
		if at(errInjectEmptyIOBuffer, "input an empty proof", func() error { return op.Input(values.PAKEStepZKProof, nil) }, false) ||
			at(errInjectUnknownStep, "input an unknown step", func() error { return op.Input(unknownStep, make([]byte, proofSize)) }, false) ||
			at(errInjectInvalidFirstStep, "input a proof first", func() error { return op.Input(values.PAKEStepZKProof, make([]byte, proofSize)) }, false) {
			return
		}
		// The C test inputs a key share of zeros, which Mbed TLS keeps
		// until the round's last input; the specification lets an
		// implementation check each input at once, so the Go port
		// inputs a real key share, from an operation of the peer.
		share := jpakeKeyShare(t, c, key, cs, peer, user)
		check(t, len(share) <= ksSize, "key share of %d bytes > PSA_PAKE_OUTPUT_SIZE %d", len(share), ksSize)
		_ = at(errInInput, "input a key share", func() error { return op.Input(values.PAKEStepKeyShare, share) }, true) ||
			at(errInjectLargeBufferSize, "input a too large public key", func() error {
				return op.Input(values.PAKEStepZKPublic, make([]byte, values.PAKEInputMaxSize+1))
			}, false)
		return
	}
	if stage == errInOutputKeyShare && want == values.ErrNotSupported {
		// The cases that expect NOT_SUPPORTED here test the limits of
		// Mbed TLS's J-PAKE, which the comments of the data file call
		// limitations of its built-in implementation, not rules of the
		// API: gopsa may run the exchange, or reject identical
		// identities as invalid.
		_, err := op.Output(values.PAKEStepKeyShare, nil)
		switch statusOf(err) {
		case values.ErrNotSupported:
			return
		case values.Success, values.ErrInvalidArgument:
			t.Skipf(suite.SkipCOnly, "a limitation of Mbed TLS's built-in J-PAKE (secp256r1 with SHA-256, between \"client\" and \"server\" only)")
		}
		wantStatus(t, "output a key share", err, want)
		return
	}
	output := func(s values.PAKEStep) func() error {
		return func() error {
			out, err := op.Output(s, nil)
			if err == nil && s == values.PAKEStepKeyShare {
				check(t, len(out) > 0, "empty key share")
			}
			return err
		}
	}
	if at(errInjectUnknownStep, "output an unknown step", output(unknownStep), false) ||
		at(errInjectInvalidFirstStep, "output a proof first", output(values.PAKEStepZKProof), false) ||
		at(errInOutputKeyShare, "output a key share", output(values.PAKEStepKeyShare), true) {
		return
	}
	if stage == errInjectSmallBufferSize {
		// PSA_ERROR_BUFFER_TOO_SMALL for pubSize-1 bytes: in Go, the
		// output is longer than that.
		out, err := op.Output(values.PAKEStepZKPublic, nil)
		must(t, "output a public key", err)
		check(t, len(out) > pubSize-1, "public key of %d bytes fits the %d-byte buffer that the case expects to be too small", len(out), pubSize-1)
		return
	}
	must(t, "output a public key", output(values.PAKEStepZKPublic)())
	must(t, "output a proof", output(values.PAKEStepZKProof)())
}

// jpakeRound runs one round of EC J-PAKE between two operations, with an
// error injected at one stage (ecjpake_do_round).
type jpakeRound struct {
	t              *suite.T
	al             values.Algorithm
	prim           values.PAKEPrimitive
	server, client *psa.PAKEOperation
	clientFirst    bool
	stage          int
	want           values.Status
}

var (
	jpakeRound1Steps = []values.PAKEStep{values.PAKEStepKeyShare, values.PAKEStepZKPublic, values.PAKEStepZKProof,
		values.PAKEStepKeyShare, values.PAKEStepZKPublic, values.PAKEStepZKProof}
	jpakeRound2Steps = jpakeRound1Steps[:3]
)

// outputs returns the outputs of op for steps; the error stages of the
// parts follow each other from first, and the part whose stage is the
// round's is corrupted.
func (r *jpakeRound) outputs(op *psa.PAKEOperation, steps []values.PAKEStep, first int) [][]byte {
	t := r.t
	t.Helper()
	parts := make([][]byte, len(steps))
	for i, s := range steps {
		out, err := op.Output(s, nil)
		must(t, "output "+s.String(), err)
		n := values.PAKEOutputSize(r.al, r.prim, s)
		if s == values.PAKEStepZKProof {
			// The specification allows leading zeros to be stripped.
			check(t, len(out) <= n, "%v of %d bytes > PSA_PAKE_OUTPUT_SIZE %d", s, len(out), n)
		} else {
			equal(t, "size of "+s.String(), len(out), n)
		}
		if r.stage == first+i {
			out[7] ^= 1
		}
		parts[i] = out
	}
	return parts
}

// inputs gives op the parts for steps. It returns false if an input
// failed with the expected error: the round ends there.
func (r *jpakeRound) inputs(op *psa.PAKEOperation, steps []values.PAKEStep, parts [][]byte) bool {
	t := r.t
	t.Helper()
	for i, s := range steps {
		err := op.Input(s, parts[i])
		if r.stage != errNone && err != nil {
			if r.want == values.ErrDataInvalid && s == values.PAKEStepKeyShare && statusOf(err) == values.ErrInvalidArgument {
				// The specification's error for an input that is
				// not valid is PSA_ERROR_INVALID_ARGUMENT.
				t.Skipf(suite.SkipCOnly, "Mbed TLS reports a key share that is not a point of the curve as PSA_ERROR_DATA_INVALID (the specification says PSA_ERROR_INVALID_ARGUMENT, which gopsa returns)")
			}
			wantStatus(t, "input "+s.String(), err, r.want)
			return false
		}
		must(t, "input "+s.String(), err)
	}
	return true
}

// extra makes the call f that stage st expects to fail; it returns false
// if it did.
func (r *jpakeRound) extra(st int, what string, f func() error) bool {
	r.t.Helper()
	if r.stage != st {
		return true
	}
	wantStatus(r.t, what, f(), r.want)
	return false
}

// undetected fails if the corruption of one of the parts at stages
// first..first+n-1 went through the inputs.
func (r *jpakeRound) undetected(first, n int) {
	r.t.Helper()
	if r.stage >= first && r.stage < first+n {
		r.t.Fatalf("one of the inputs should have failed with %v for the corrupted part", r.want)
	}
}

func (r *jpakeRound) one() {
	r.t.Helper()
	steps := jpakeRound1Steps
	s := r.outputs(r.server, steps, errInjectRound1ServerKeySharePart1)
	if !r.extra(errInjectExtraOutput, "output a key share again", func() error {
		_, err := r.server.Output(values.PAKEStepKeyShare, nil)
		return err
	}) {
		return
	}
	if r.clientFirst {
		if !r.inputs(r.client, steps, s) ||
			!r.extra(errInjectExtraInput, "input a key share again", func() error { return r.client.Input(values.PAKEStepKeyShare, s[3]) }) {
			return
		}
		r.undetected(errInjectRound1ServerKeySharePart1, len(steps))
	}
	cl := r.outputs(r.client, steps, errInjectRound1ClientKeySharePart1)
	if !r.clientFirst {
		if !r.inputs(r.client, steps, s) {
			return
		}
		r.undetected(errInjectRound1ServerKeySharePart1, len(steps))
	}
	if !r.inputs(r.server, steps, cl) {
		return
	}
	r.undetected(errInjectRound1ClientKeySharePart1, len(steps))
}

func (r *jpakeRound) two() {
	r.t.Helper()
	steps := jpakeRound2Steps
	s := r.outputs(r.server, steps, errInjectRound2ServerKeyShare)
	if r.clientFirst {
		if !r.inputs(r.client, steps, s) {
			return
		}
		r.undetected(errInjectRound2ServerKeyShare, len(steps))
	}
	cl := r.outputs(r.client, steps, errInjectRound2ClientKeyShare)
	if r.clientFirst && !r.extra(errInjectExtraOutputAtEnd, "output a key share after the last step", func() error {
		_, err := r.client.Output(values.PAKEStepKeyShare, nil)
		return err
	}) {
		return
	}
	if !r.clientFirst {
		if !r.inputs(r.client, steps, s) {
			return
		}
		r.undetected(errInjectRound2ServerKeyShare, len(steps))
	}
	if !r.inputs(r.server, steps, cl) ||
		!r.extra(errInjectExtraInputAtEnd, "input a key share after the last step", func() error { return r.server.Input(values.PAKEStepKeyShare, cl[0]) }) {
		return
	}
	r.undetected(errInjectRound2ClientKeyShare, len(steps))
}

// jpakePair sets up a server and a client operation with the password
// pw, and returns them with the password's attributes.
func jpakePair(t *suite.T, c *psa.Crypto, al values.Algorithm, prim values.PAKEPrimitive, pw []byte) (server, client *psa.PAKEOperation, key values.KeyID, attrs psa.Attributes) {
	t.Helper()
	attrs = psa.Attributes{Type: values.KeyTypePassword, Usage: values.UsageDerive, Alg: al}
	key, err := c.ImportKey(attrs, pw)
	must(t, "import the password", err)
	server, client = new(psa.PAKEOperation), new(psa.PAKEOperation)
	t.Cleanup(func() { server.Abort(); client.Abort() })
	cs := jpakeSuite(al, prim)
	must(t, "server setup", c.PAKESetup(server, key, cs))
	must(t, "client setup", c.PAKESetup(client, key, cs))
	must(t, "server set user", server.SetUser(jpakeServerID))
	must(t, "server set peer", server.SetPeer(jpakeClientID))
	must(t, "client set user", client.SetUser(jpakeClientID))
	must(t, "client set peer", client.SetPeer(jpakeServerID))
	return server, client, key, attrs
}

// jpakeRoundsInject runs the two rounds with an error injected in one
// (ecjpake_rounds_inject).
func (h *harness) jpakeRoundsInject(t *suite.T, a suite.Args) {
	al, prim := alg(a, 0), values.PAKEPrimitive(a.Uint32(1))
	clientFirst, stage, want, second := a.Int(2) != 0, a.Int(4), values.Status(a.Int(5)), a.Int(6) != 0
	c := h.newInstance(t).c
	server, client, _, attrs := jpakePair(t, c, al, prim, a.Bytes(3))
	jpakeNeedDriver(t, c, attrs, al)
	r := &jpakeRound{t: t, al: al, prim: prim, server: server, client: client, clientFirst: clientFirst, stage: stage, want: want}
	if second {
		r.stage = errNone
	}
	r.one()
	if !second && stage != errNone {
		return
	}
	r.stage = stage
	r.two()
}

// jpakeRounds runs the two rounds and gets the shared keys, which must be
// equal (ecjpake_rounds).
func (h *harness) jpakeRounds(t *suite.T, a suite.Args) {
	al, prim, deriveAlg := alg(a, 0), values.PAKEPrimitive(a.Uint32(1)), alg(a, 2)
	clientFirst, destroy, stage := a.Int(4) != 0, a.Int(5) == 1, a.Int(6)
	c := h.newInstance(t).c
	// The C test sets up a derivation on each side; their success is
	// part of the case.
	for _, side := range []string{"server", "client"} {
		var op psa.KeyDerivationOperation
		must(t, side+" key derivation setup", c.KeyDerivationSetup(&op, deriveAlg))
		if deriveAlg.IsTLS12PRF() || deriveAlg.IsTLS12PSKToMS() {
			must(t, side+" input an empty seed", op.InputBytes(values.DerivationInputSeed, nil))
		}
		must(t, side+" abort the derivation", op.Abort())
	}
	server, client, key, attrs := jpakePair(t, c, al, prim, a.Bytes(3))
	if destroy {
		must(t, "destroy the password", c.DestroyKey(key))
	}
	shared := psa.Attributes{Type: values.KeyTypeDerive, Usage: values.UsageDerive | values.UsageExport, Alg: deriveAlg}
	tooEarly := func() {
		t.Helper()
		for _, op := range []*psa.PAKEOperation{server, client} {
			id, err := op.SharedKey(shared)
			if err == nil {
				c.DestroyKey(id)
			}
			wantStatus(t, "get the shared key too early", err, values.ErrBadState)
		}
	}
	if stage == errInjectAnticipateKeyDerivation1 {
		tooEarly()
		return
	}
	jpakeNeedDriver(t, c, attrs, al)
	r := &jpakeRound{t: t, al: al, prim: prim, server: server, client: client, clientFirst: clientFirst, stage: errNone, want: values.Success}
	r.one()
	if stage == errInjectAnticipateKeyDerivation2 {
		tooEarly()
		return
	}
	r.two()
	var secrets [2][]byte
	for i, op := range []*psa.PAKEOperation{server, client} {
		id, err := op.SharedKey(shared)
		must(t, "get the shared key", err)
		secrets[i], err = c.ExportKey(id, nil)
		must(t, "export the shared key", err)
		must(t, "destroy the shared key", c.DestroyKey(id))
	}
	check(t, bytes.Equal(secrets[0], secrets[1]), "the server and the client have different shared keys: %x and %x", secrets[0], secrets[1])
}

// jpakeSizeMacros checks PSA_PAKE_OUTPUT_SIZE and PSA_PAKE_INPUT_SIZE for
// J-PAKE over secp256r1 against the sizes the steps are made of.
func jpakeSizeMacros(t *suite.T, _ suite.Args) {
	al := values.AlgJPAKE(values.AlgSHA256)
	const bits = 256
	prim := values.PAKEPrimitiveOf(values.PAKEPrimitiveTypeECC, values.PAKEFamily(values.ECCFamilySECPR1), bits)
	point := values.ExportPublicKeyOutputSize(values.KeyTypeECCKeyPair(values.ECCFamilySECPR1), bits)
	sizes := []struct {
		step values.PAKEStep
		want int
	}{
		{values.PAKEStepKeyShare, point},                   // a public key
		{values.PAKEStepZKPublic, point},                   // a public key
		{values.PAKEStepZKProof, values.BitsToBytes(bits)}, // a scalar
	}
	for _, s := range sizes {
		out, in := values.PAKEOutputSize(al, prim, s.step), values.PAKEInputSize(al, prim, s.step)
		equal(t, "PSA_PAKE_OUTPUT_SIZE for "+s.step.String(), out, s.want)
		equal(t, "PSA_PAKE_INPUT_SIZE for "+s.step.String(), in, out)
		check(t, out <= values.PAKEOutputMaxSize, "PSA_PAKE_OUTPUT_SIZE for %v = %d > PSA_PAKE_OUTPUT_MAX_SIZE", s.step, out)
		check(t, in <= values.PAKEInputMaxSize, "PSA_PAKE_INPUT_SIZE for %v = %d > PSA_PAKE_INPUT_MAX_SIZE", s.step, in)
	}
}
