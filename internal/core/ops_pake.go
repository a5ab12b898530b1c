package core

import (
	"fmt"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// PAKEOp is the state of a password-authenticated key exchange
// (psa_pake_operation_t). The zero value is an inactive operation. A
// PAKEOp is not safe for concurrent use.
//
// The core collects the setup inputs (password key, cipher suite, role,
// identities, context) and calls the driver's pake_setup with them on the
// first input or output step; it then enforces the order of steps that
// the algorithm prescribes, and the input sizes. Because the driver sees
// the inputs only then, an incompatibility between the password key and
// the cipher suite is reported by the first step rather than by Setup.
//
// As for key derivation, an error puts an active operation in an error
// state, in which every call but Abort fails with ErrBadState.
type PAKEOp struct {
	c     *Core
	state pakeState
	suite values.PAKECipherSuite
	kind  pakeKind

	role                              values.PAKERole
	roleSet, userSet, peerSet, ctxSet bool
	user, peer, context               []byte
	pwAttrs                           values.Attributes
	pwKey                             []byte
	drv                               driver.PAKEOperation
	flow                              []pakePhase
	exchangePhases                    int // phases of the key exchange proper, before confirmation
	phase, current                    int // current: sequence in progress in the phase, -1 if none
	done                              [2]int
	saeCount, saeConfirmed            bool // WPA3-SAE: a send-confirm counter is pending; a peer confirm was verified
}

type pakeState uint8

const (
	pakeInactive pakeState = iota
	pakeSetup              // set up, taking the set_xxx inputs
	pakeRunning            // the driver is set up: steps in progress
	pakeFailed             // error state: only Abort
)

type pakeKind uint8

const (
	pakeJPAKE pakeKind = iota + 1
	pakeSPAKE2P
	pakeWPA3SAE
)

// pakeMove is one step in one direction.
type pakeMove struct {
	out  bool
	step values.PAKEStep
}

// pakePhase is a part of a flow made of one or two sequences of moves:
// each sequence is done without interruption, and the sequences of a
// phase may come in either order (J-PAKE's round outputs and inputs, for
// instance).
type pakePhase [][]pakeMove

const (
	pakeKS       = values.PAKEStepKeyShare
	pakeZKPublic = values.PAKEStepZKPublic
	pakeZKProof  = values.PAKEStepZKProof
)

func pakeRound(out bool, steps ...values.PAKEStep) []pakeMove {
	m := make([]pakeMove, len(steps))
	for i, s := range steps {
		m[i] = pakeMove{out, s}
	}
	return m
}

var (
	// J-PAKE (the specification's "J-PAKE operation"): two rounds, each
	// with the outputs and the inputs in either order.
	pakeFlowJPAKE = []pakePhase{
		{pakeRound(true, pakeKS, pakeZKPublic, pakeZKProof, pakeKS, pakeZKPublic, pakeZKProof), pakeRound(false, pakeKS, pakeZKPublic, pakeZKProof, pakeKS, pakeZKPublic, pakeZKProof)},
		{pakeRound(true, pakeKS, pakeZKPublic, pakeZKProof), pakeRound(false, pakeKS, pakeZKPublic, pakeZKProof)},
	}
	// SPAKE2+ ("SPAKE2+ operation"): the Prover (client) and the Verifier
	// (server) each follow one fixed sequence; the first phase is the key
	// exchange, the second the key confirmation.
	pakeFlowSPAKE2PClient = []pakePhase{
		{{{true, pakeKS}, {false, pakeKS}}},
		{{{false, values.PAKEStepConfirm}, {true, values.PAKEStepConfirm}}},
	}
	pakeFlowSPAKE2PServer = []pakePhase{
		{{{false, pakeKS}, {true, pakeKS}}},
		{{{true, values.PAKEStepConfirm}, {false, values.PAKEStepConfirm}}},
	}
	// WPA3-SAE ("WPA3-SAE operation"): the commit exchange in either
	// order, then the salt; the confirmation steps are tracked apart,
	// since they may repeat.
	pakeFlowWPA3SAE = []pakePhase{
		{pakeRound(true, values.PAKEStepCommit), pakeRound(false, values.PAKEStepCommit, values.PAKEStepSalt)},
	}
)

// Setup starts a PAKE with the password key and cipher suite
// (psa_pake_setup). The key needs PSA_KEY_USAGE_DERIVE and must permit the
// suite's algorithm. On error the operation is unchanged.
func (op *PAKEOp) Setup(c *Core, password values.KeyID, suite values.PAKECipherSuite) error {
	const what = "pake setup"
	if op.state != pakeInactive {
		return fmt.Errorf("%s: the operation is already set up (abort it first): %w", what, values.ErrBadState)
	}
	alg := suite.Algorithm
	var kind pakeKind
	switch {
	case !alg.IsPAKE():
		return fmt.Errorf("%s: %v is not a PAKE algorithm (want J-PAKE, SPAKE2+ or WPA3-SAE): %w", what, alg, values.ErrInvalidArgument)
	case alg.IsWildcard():
		return fmt.Errorf("%s: %v is a policy wildcard, not an algorithm: %w", what, alg, values.ErrInvalidArgument)
	case suite.KeyConfirmation != values.PAKEConfirmedKey && suite.KeyConfirmation != values.PAKEUnconfirmedKey:
		return fmt.Errorf("%s: key confirmation %d (want PSA_PAKE_CONFIRMED_KEY or PSA_PAKE_UNCONFIRMED_KEY): %w",
			what, suite.KeyConfirmation, values.ErrInvalidArgument)
	case alg.IsJPAKE():
		if suite.KeyConfirmation != values.PAKEUnconfirmedKey {
			return fmt.Errorf("%s: J-PAKE has no key confirmation: the cipher suite must ask for PSA_PAKE_UNCONFIRMED_KEY: %w",
				what, values.ErrInvalidArgument)
		}
		kind = pakeJPAKE
	case alg.IsSPAKE2P():
		kind = pakeSPAKE2P
	case alg.IsWPA3SAEFixed() || alg.IsWPA3SAEGDH():
		kind = pakeWPA3SAE
	default:
		return fmt.Errorf("%s: %v is not a PAKE algorithm gopsa knows the steps of: %w", what, alg, values.ErrNotSupported)
	}
	if suite.Primitive == 0 {
		return fmt.Errorf("%s: the cipher suite has no primitive (set one with PSA_PAKE_PRIMITIVE): %w", what, values.ErrInvalidArgument)
	}
	s, err := c.Use(password, values.UsageDerive, alg)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer c.Release(s)
	if t := s.Attrs.Type; kind == pakeJPAKE && t != values.KeyTypePassword && t != values.KeyTypePasswordHash && t != values.KeyTypeDerive {
		return fmt.Errorf("%s: J-PAKE takes its password from a PSA_KEY_TYPE_PASSWORD, PASSWORD_HASH or DERIVE key, not a %v: %w",
			what, t, values.ErrInvalidArgument)
	}
	*op = PAKEOp{
		c:       c,
		state:   pakeSetup,
		suite:   suite,
		kind:    kind,
		pwAttrs: s.Attrs,
		pwKey:   append(op.pwKey[:0], s.Key...),
		user:    op.user[:0],
		peer:    op.peer[:0],
		context: op.context[:0],
	}
	return nil
}

// SetRole sets the application's role (psa_pake_set_role): PSA_PAKE_ROLE_CLIENT
// or _SERVER for SPAKE2+ (required), PSA_PAKE_ROLE_NONE, _FIRST or _SECOND
// for J-PAKE, PSA_PAKE_ROLE_NONE for WPA3-SAE.
func (op *PAKEOp) SetRole(role values.PAKERole) error {
	const what = "pake set role"
	if err := op.checkSetting(what, op.roleSet); err != nil {
		return err
	}
	ok := false
	switch op.kind {
	case pakeJPAKE:
		ok = role == values.PAKERoleNone || role == values.PAKERoleFirst || role == values.PAKERoleSecond
	case pakeSPAKE2P:
		ok = role == values.PAKERoleClient || role == values.PAKERoleServer
	case pakeWPA3SAE:
		ok = role == values.PAKERoleNone
	}
	if !ok {
		return op.fail(fmt.Errorf("%s: %v is not a role of %v: %w", what, role, op.suite.Algorithm, values.ErrInvalidArgument))
	}
	if role == values.PAKERoleClient && !op.pwAttrs.Type.IsSPAKE2PKeyPair() {
		return op.fail(fmt.Errorf("%s: the SPAKE2+ client (Prover) needs a SPAKE2+ key pair, not a %v: %w", what, op.pwAttrs.Type, values.ErrInvalidArgument))
	}
	op.role, op.roleSet = role, true
	return nil
}

// SetUser sets the application's identity (psa_pake_set_user).
func (op *PAKEOp) SetUser(id []byte) error {
	if err := op.checkSetting("pake set user", op.userSet); err != nil {
		return err
	}
	if len(id) == 0 && op.kind == pakeJPAKE {
		return op.fail(fmt.Errorf("pake set user: J-PAKE needs a non-empty identity: %w", values.ErrInvalidArgument))
	}
	op.user, op.userSet = append(op.user[:0], id...), true
	return nil
}

// SetPeer sets the peer's identity (psa_pake_set_peer).
func (op *PAKEOp) SetPeer(id []byte) error {
	if err := op.checkSetting("pake set peer", op.peerSet); err != nil {
		return err
	}
	if len(id) == 0 && op.kind == pakeJPAKE {
		return op.fail(fmt.Errorf("pake set peer: J-PAKE needs a non-empty identity: %w", values.ErrInvalidArgument))
	}
	op.peer, op.peerSet = append(op.peer[:0], id...), true
	return nil
}

// SetContext sets the context (psa_pake_set_context), which only SPAKE2+
// takes. A context set to an empty value differs from no context: SPAKE2+
// then includes the empty context in its transcript.
func (op *PAKEOp) SetContext(context []byte) error {
	const what = "pake set context"
	if err := op.checkSetting(what, op.ctxSet); err != nil {
		return err
	}
	if op.kind != pakeSPAKE2P {
		return op.fail(fmt.Errorf("%s: %v takes no context: %w", what, op.suite.Algorithm, values.ErrBadState))
	}
	if op.context == nil {
		op.context = make([]byte, 0, len(context))
	}
	op.context, op.ctxSet = append(op.context[:0], context...), true
	return nil
}

func (op *PAKEOp) checkSetting(what string, already bool) error {
	if err := op.checkActive(what); err != nil {
		return err
	}
	if op.state != pakeSetup {
		return op.fail(fmt.Errorf("%s: setup inputs must come before the first input or output step: %w", what, values.ErrBadState))
	}
	if already {
		return op.fail(fmt.Errorf("%s: already set (each setup input may be given once): %w", what, values.ErrBadState))
	}
	return nil
}

func (op *PAKEOp) checkActive(what string) error {
	switch op.state {
	case pakeInactive:
		return fmt.Errorf("%s: the operation is not set up: %w", what, values.ErrBadState)
	case pakeFailed:
		return fmt.Errorf("%s: the operation failed earlier and must be aborted: %w", what, values.ErrBadState)
	}
	return nil
}

// start calls the driver's pake_setup once the setup inputs are complete.
func (op *PAKEOp) start(what string) error {
	if op.state == pakeRunning {
		return nil
	}
	alg := op.suite.Algorithm
	switch op.kind {
	case pakeJPAKE, pakeWPA3SAE:
		if !op.userSet || !op.peerSet {
			return op.fail(fmt.Errorf("%s: %v needs the user and peer identities (SetUser, SetPeer) before the first step: %w", what, alg, values.ErrBadState))
		}
	case pakeSPAKE2P:
		if !op.roleSet {
			return op.fail(fmt.Errorf("%s: SPAKE2+ needs a role (SetRole with PSA_PAKE_ROLE_CLIENT or _SERVER) before the first step: %w", what, values.ErrBadState))
		}
	}
	switch {
	case op.kind == pakeJPAKE:
		op.flow, op.exchangePhases = pakeFlowJPAKE, 2
	case op.kind == pakeSPAKE2P && op.role == values.PAKERoleClient:
		op.flow, op.exchangePhases = pakeFlowSPAKE2PClient, 1
	case op.kind == pakeSPAKE2P:
		op.flow, op.exchangePhases = pakeFlowSPAKE2PServer, 1
	default:
		op.flow, op.exchangePhases = pakeFlowWPA3SAE, 1
	}
	drv, err := op.c.disp.PAKESetup(pakeInputs{op})
	clear(op.pwKey)
	op.pwKey = op.pwKey[:0]
	if err != nil {
		return op.fail(fmt.Errorf("%s: %w", what, err))
	}
	op.drv, op.state, op.current = drv, pakeRunning, -1
	return nil
}

// Output appends the output of step to dst (psa_pake_output).
func (op *PAKEOp) Output(step values.PAKEStep, dst []byte) ([]byte, error) {
	const what = "pake output"
	if err := op.move(what, pakeMove{true, step}, 0); err != nil {
		return dst, err
	}
	out, err := op.drv.Output(step, dst)
	if err != nil {
		return dst, op.fail(fmt.Errorf("%s: %v: %w", what, step, err))
	}
	op.advance(pakeMove{true, step})
	return out, nil
}

// Input gives the peer's data for step (psa_pake_input).
func (op *PAKEOp) Input(step values.PAKEStep, input []byte) error {
	const what = "pake input"
	if err := op.move(what, pakeMove{false, step}, len(input)); err != nil {
		return err
	}
	if err := op.drv.Input(step, input); err != nil {
		return op.fail(fmt.Errorf("%s: %v: %w", what, step, err))
	}
	op.advance(pakeMove{false, step})
	return nil
}

// move checks that m may come now, starting the driver if needed.
func (op *PAKEOp) move(what string, m pakeMove, inputLen int) error {
	if err := op.checkActive(what); err != nil {
		return err
	}
	alg := op.suite.Algorithm
	if !op.validStep(m) {
		dir := "an input"
		if m.out {
			dir = "an output"
		}
		return op.fail(fmt.Errorf("%s: %v is not %s step of %v: %w", what, m.step, dir, alg, values.ErrInvalidArgument))
	}
	if !m.out {
		if inputLen == 0 {
			return op.fail(fmt.Errorf("%s: an empty %v: %w", what, m.step, values.ErrInvalidArgument))
		}
		if n := values.PAKEInputSize(alg, op.suite.Primitive, m.step); n > 0 && inputLen > n {
			return op.fail(fmt.Errorf("%s: %d bytes for %v, more than the %d of any valid input with this cipher suite: %w",
				what, inputLen, m.step, n, values.ErrInvalidArgument))
		}
	}
	if err := op.start(what); err != nil {
		return err
	}
	if !op.allowed(m) {
		return op.fail(fmt.Errorf("%s: %v %s is out of order for %v: %w", what, m.step, pakeDirection(m.out), alg, values.ErrBadState))
	}
	return nil
}

func pakeDirection(out bool) string {
	if out {
		return "output"
	}
	return "input"
}

// validStep reports whether m is a step of the algorithm at all.
func (op *PAKEOp) validStep(m pakeMove) bool {
	if op.kind == pakeWPA3SAE {
		switch m {
		case pakeMove{true, values.PAKEStepConfirm}, pakeMove{false, values.PAKEStepConfirm},
			pakeMove{false, values.PAKEStepConfirmCount}, pakeMove{true, values.PAKEStepKeyID}:
			return true
		}
	}
	flows := [][]pakePhase{op.flow}
	if op.state != pakeRunning {
		flows = pakeFlowsOf(op.kind)
	}
	for _, f := range flows {
		for _, ph := range f {
			for _, seq := range ph {
				for _, x := range seq {
					if x == m {
						return true
					}
				}
			}
		}
	}
	return false
}

func pakeFlowsOf(k pakeKind) [][]pakePhase {
	switch k {
	case pakeJPAKE:
		return [][]pakePhase{pakeFlowJPAKE}
	case pakeSPAKE2P:
		return [][]pakePhase{pakeFlowSPAKE2PClient, pakeFlowSPAKE2PServer}
	}
	return [][]pakePhase{pakeFlowWPA3SAE}
}

// allowed reports whether m is the next move of the flow.
func (op *PAKEOp) allowed(m pakeMove) bool {
	if op.phase < len(op.flow) {
		ph := op.flow[op.phase]
		if op.current >= 0 {
			return ph[op.current][op.done[op.current]] == m
		}
		for k, seq := range ph {
			if op.done[k] == 0 && seq[0] == m {
				return true
			}
		}
		return false
	}
	if op.kind != pakeWPA3SAE {
		return false
	}
	// WPA3-SAE confirmation: a send-confirm counter before each confirm
	// output; peer confirms at any time; the PMKID once confirmed.
	switch m {
	case pakeMove{false, values.PAKEStepConfirmCount}, pakeMove{false, values.PAKEStepConfirm}:
		return true
	case pakeMove{true, values.PAKEStepConfirm}:
		return op.saeCount
	case pakeMove{true, values.PAKEStepKeyID}:
		return op.saeConfirmed
	}
	return false
}

// advance records the successful move m, which allowed accepted.
func (op *PAKEOp) advance(m pakeMove) {
	if op.phase >= len(op.flow) {
		switch m {
		case pakeMove{false, values.PAKEStepConfirmCount}:
			op.saeCount = true
		case pakeMove{true, values.PAKEStepConfirm}:
			op.saeCount = false
		case pakeMove{false, values.PAKEStepConfirm}:
			op.saeConfirmed = true
		}
		return
	}
	ph := op.flow[op.phase]
	k := op.current
	if k < 0 {
		for i, seq := range ph {
			if op.done[i] == 0 && seq[0] == m {
				k = i
				break
			}
		}
	}
	op.done[k]++
	op.current = k
	if op.done[k] == len(ph[k]) {
		op.current = -1
	}
	for i, seq := range ph {
		if op.done[i] != len(seq) {
			return
		}
	}
	op.phase++
	op.done = [2]int{}
	op.current = -1
}

// ready reports whether the shared key may be read: after the key
// exchange for an unconfirmed key, after the confirmation for a
// confirmed one.
func (op *PAKEOp) ready() bool {
	if op.state != pakeRunning {
		return false
	}
	if op.suite.KeyConfirmation == values.PAKEUnconfirmedKey {
		return op.phase == op.exchangePhases && op.current < 0 && op.done == [2]int{}
	}
	if op.kind == pakeWPA3SAE {
		return op.saeConfirmed
	}
	return op.phase == len(op.flow)
}

// SharedKey creates a key from the shared secret (psa_pake_get_shared_key)
// and ends the operation. attrs describe the new key: PSA_KEY_TYPE_DERIVE
// or PSA_KEY_TYPE_HMAC for any algorithm, other symmetric types for those
// whose secret is pseudorandom (SPAKE2+, WPA3-SAE); size 0 or that of the
// secret.
func (op *PAKEOp) SharedKey(attrs values.Attributes) (values.KeyID, error) {
	const what = "pake get shared key"
	if err := op.checkActive(what); err != nil {
		return 0, err
	}
	if !op.ready() {
		when := "the key confirmation steps"
		if op.suite.KeyConfirmation == values.PAKEUnconfirmedKey {
			when = "the key exchange steps (and before any confirmation step)"
		}
		return 0, op.fail(fmt.Errorf("%s: the shared key is available after %s: %w", what, when, values.ErrBadState))
	}
	t := attrs.Type
	if t != values.KeyTypeDerive && t != values.KeyTypeHMAC && (op.kind == pakeJPAKE || !t.IsUnstructured()) {
		return 0, op.fail(fmt.Errorf("%s: cannot make the shared secret of %v a %v key (want PSA_KEY_TYPE_DERIVE or PSA_KEY_TYPE_HMAC): %w",
			what, op.suite.Algorithm, t, values.ErrInvalidArgument))
	}
	secret, err := op.drv.SharedKey(nil)
	if err != nil {
		return 0, op.fail(fmt.Errorf("%s: %w", what, err))
	}
	defer clear(secret)
	if attrs.Bits != 0 && attrs.Bits != 8*len(secret) {
		return 0, op.fail(fmt.Errorf("%s: a %d-bit key was requested, but the shared secret is %d bits (set the size to 0): %w",
			what, attrs.Bits, 8*len(secret), values.ErrInvalidArgument))
	}
	id, err := op.c.ImportAs(what, attrs, secret)
	if err != nil {
		return 0, op.fail(err)
	}
	err = op.Abort()
	return id, err
}

// Abort ends the operation and returns it to the inactive state
// (psa_pake_abort). Aborting an inactive operation does nothing.
func (op *PAKEOp) Abort() error {
	var err error
	if op.drv != nil {
		if e := op.drv.Abort(); e != nil {
			err = fmt.Errorf("pake abort: %w", e)
		}
	}
	op.wipe()
	*op = PAKEOp{pwKey: op.pwKey[:0], user: op.user[:0], peer: op.peer[:0], context: op.context[:0]}
	return err
}

func (op *PAKEOp) fail(err error) error {
	if op.state == pakeInactive {
		return err
	}
	if op.drv != nil {
		_ = op.drv.Abort()
		op.drv = nil
	}
	op.wipe()
	op.state = pakeFailed
	return err
}

func (op *PAKEOp) wipe() {
	clear(op.pwKey)
	clear(op.user)
	clear(op.peer)
	clear(op.context)
}

// pakeInputs is the driver's view of the setup inputs (driver.PAKEInputs).
// Context returns nil when no context was set and a non-nil, possibly
// empty, slice when one was: SPAKE2+ treats the two differently.
type pakeInputs struct{ op *PAKEOp }

func (v pakeInputs) Password() (values.Attributes, []byte) { return v.op.pwAttrs, v.op.pwKey }
func (v pakeInputs) User() []byte                          { return v.op.user }
func (v pakeInputs) Peer() []byte                          { return v.op.peer }
func (v pakeInputs) Role() values.PAKERole                 { return v.op.role }
func (v pakeInputs) Suite() values.PAKECipherSuite         { return v.op.suite }

func (v pakeInputs) Context() []byte {
	if !v.op.ctxSet {
		return nil
	}
	return v.op.context
}
