//go:build !gopsa_no_builtin_ecc

package builtin

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// pakeTestInputs is a driver.PAKEInputs for driver-level tests.
type pakeTestInputs struct {
	attrs      values.Attributes
	password   []byte
	user, peer []byte
	context    []byte
	role       values.PAKERole
	suite      values.PAKECipherSuite
}

func (in *pakeTestInputs) Password() (values.Attributes, []byte) { return in.attrs, in.password }
func (in *pakeTestInputs) User() []byte                          { return in.user }
func (in *pakeTestInputs) Peer() []byte                          { return in.peer }
func (in *pakeTestInputs) Context() []byte                       { return in.context }
func (in *pakeTestInputs) Role() values.PAKERole                 { return in.role }
func (in *pakeTestInputs) Suite() values.PAKECipherSuite         { return in.suite }

func jpakeSuite(hash values.Algorithm, bits int) values.PAKECipherSuite {
	return values.PAKECipherSuite{
		Algorithm:       values.AlgJPAKE(hash),
		Primitive:       values.PAKEPrimitiveOf(values.PAKEPrimitiveTypeECC, values.PAKEFamily(values.ECCFamilySECPR1), bits),
		KeyConfirmation: values.PAKEUnconfirmedKey,
	}
}

func jpakeInputs(password []byte, user, peer string, suite values.PAKECipherSuite) *pakeTestInputs {
	return &pakeTestInputs{
		attrs:    values.Attributes{Type: values.KeyTypePassword, Bits: 8 * len(password), Usage: values.UsageDerive, Alg: suite.Algorithm},
		password: password, user: []byte(user), peer: []byte(peer), suite: suite,
	}
}

func newJPAKEOp(t testing.TB, r io.Reader, in driver.PAKEInputs) driver.PAKEOperation {
	t.Helper()
	d := &Driver{rand: r}
	op, err := d.PAKESetup(in)
	if err != nil {
		t.Fatalf("PAKESetup: %v", err)
	}
	return op
}

var jpakeRound = []values.PAKEStep{values.PAKEStepKeyShare, values.PAKEStepZKPublic, values.PAKEStepZKProof}

// jpakeSend moves n steps (from the current position) from a to b.
func jpakeSend(t testing.TB, a, b driver.PAKEOperation, n int) [][]byte {
	t.Helper()
	var msgs [][]byte
	for i := range n {
		step := jpakeRound[i%3]
		out, err := a.Output(step, nil)
		if err != nil {
			t.Fatalf("output %v: %v", step, err)
		}
		if err := b.Input(step, out); err != nil {
			t.Fatalf("input %v: %v", step, err)
		}
		msgs = append(msgs, out)
	}
	return msgs
}

// jpakeExchange runs both rounds and returns both shared secrets.
func jpakeExchange(t testing.TB, a, b driver.PAKEOperation) ([]byte, []byte) {
	t.Helper()
	jpakeSend(t, a, b, 6)
	jpakeSend(t, b, a, 6)
	jpakeSend(t, a, b, 3)
	jpakeSend(t, b, a, 3)
	ka, err := a.SharedKey(nil)
	if err != nil {
		t.Fatalf("SharedKey: %v", err)
	}
	kb, err := b.SharedKey(nil)
	if err != nil {
		t.Fatalf("SharedKey: %v", err)
	}
	return ka, kb
}

func unhexT(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type jpakeVectors struct {
	Thread map[string]string `json:"thread"`
	KAT    []struct {
		Password string `json:"password"`
		Random   string `json:"random"`
		PMS      string `json:"pms"`
	} `json:"kat"`
}

func loadJPAKEVectors(t testing.TB) *jpakeVectors {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "pake", "jpake.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v jpakeVectors
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

// tlsFields splits a TLS ECJPAKE message into its length-prefixed fields
// (ECPoint and the proof's r each have a 1-byte length).
func tlsFields(t testing.TB, msg []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for len(msg) > 0 {
		n := int(msg[0])
		if 1+n > len(msg) {
			t.Fatalf("truncated TLS field")
		}
		out = append(out, msg[1:1+n])
		msg = msg[1+n:]
	}
	return out
}

// ecjpakePMS is PSA_ALG_TLS12_ECJPAKE_TO_PMS: SHA-256 of K's x.
func ecjpakePMS(k []byte) []byte {
	s := sha256.Sum256(k[1:33])
	return s[:]
}

// TestJPAKEThreadReference replays the Thread reference handshake of Mbed
// TLS's ecjpake.c self-test on each side: our proofs must verify against
// Mbed TLS's, our key shares (deterministic given x1..x4) must be
// theirs, and the shared point and PMS must match.
func TestJPAKEThreadReference(t *testing.T) {
	v := loadJPAKEVectors(t).Thread
	pw := unhexT(t, v["password"])
	vRand := bytes.Repeat([]byte{0x55}, 32)
	cliOne := tlsFields(t, unhexT(t, v["cli_one"]))
	srvOne := tlsFields(t, unhexT(t, v["srv_one"]))
	srvTwoMsg := unhexT(t, v["srv_two"])
	if !bytes.Equal(srvTwoMsg[:3], []byte{3, 0, 0x17}) {
		t.Fatal("srv_two does not start with the ECParameters of secp256r1")
	}
	srvTwo := tlsFields(t, srvTwoMsg[3:])
	cliTwo := tlsFields(t, unhexT(t, v["cli_two"]))

	for _, side := range []struct {
		user, peer    string
		x1, x2        string
		mine, theirs  [][]byte // round one
		mine2, their2 [][]byte
	}{
		{"client", "server", "x1", "x2", cliOne, srvOne, cliTwo, srvTwo},
		{"server", "client", "x3", "x4", srvOne, cliOne, srvTwo, cliTwo},
	} {
		t.Run(side.user, func(t *testing.T) {
			stream := bytes.Join([][]byte{unhexT(t, v[side.x1]), vRand, unhexT(t, v[side.x2]), vRand, vRand}, nil)
			op := newJPAKEOp(t, bytes.NewReader(stream), jpakeInputs(pw, side.user, side.peer, jpakeSuite(values.AlgSHA256, 256)))
			// Peer's round one first: its proofs check our challenge format.
			for i, f := range side.theirs {
				if err := op.Input(jpakeRound[i%3], f); err != nil {
					t.Fatalf("input of the reference round one, field %d: %v", i, err)
				}
			}
			for i := range 6 {
				out, err := op.Output(jpakeRound[i%3], nil)
				if err != nil {
					t.Fatal(err)
				}
				if i%3 == 0 && !bytes.Equal(out, side.mine[i]) {
					t.Errorf("round one key share %d:\n got %x\nwant %x", i/3+1, out, side.mine[i])
				}
			}
			for i := range 3 {
				out, err := op.Output(jpakeRound[i], nil)
				if err != nil {
					t.Fatal(err)
				}
				if i == 0 && !bytes.Equal(out, side.mine2[0]) {
					t.Errorf("round two key share:\n got %x\nwant %x", out, side.mine2[0])
				}
			}
			for i, f := range side.their2 {
				if err := op.Input(jpakeRound[i], f); err != nil {
					t.Fatalf("input of the reference round two, field %d: %v", i, err)
				}
			}
			k, err := op.SharedKey(nil)
			if err != nil {
				t.Fatal(err)
			}
			if want := unhexT(t, v["shared_key"]); !bytes.Equal(k, want) {
				t.Errorf("shared point:\n got %x\nwant %x", k, want)
			}
			if got, want := ecjpakePMS(k), unhexT(t, v["pms"]); !bytes.Equal(got, want) {
				t.Errorf("PMS: got %x, want %x", got, want)
			}
		})
	}
}

// TestJPAKEKnownAnswers runs two instances that share one random stream,
// as Oberon PSA Crypto's tests do, and checks the PMS.
func TestJPAKEKnownAnswers(t *testing.T) {
	for i, kat := range loadJPAKEVectors(t).KAT {
		r := bytes.NewReader(unhexT(t, kat.Random))
		pw := unhexT(t, kat.Password)
		in1 := jpakeInputs(pw, "client", "server", jpakeSuite(values.AlgSHA256, 256))
		in1.attrs.Type = values.KeyTypePasswordHash
		in2 := jpakeInputs(pw, "server", "client", jpakeSuite(values.AlgSHA256, 256))
		a, b := newJPAKEOp(t, r, in1), newJPAKEOp(t, r, in2)
		ka, kb := jpakeExchange(t, a, b)
		if !bytes.Equal(ka, kb) {
			t.Fatalf("KAT %d: the two shared secrets differ", i)
		}
		if got, want := ecjpakePMS(ka), unhexT(t, kat.PMS); !bytes.Equal(got, want) {
			t.Errorf("KAT %d: PMS %x, want %x", i, got, want)
		}
		if r.Len() != 0 {
			t.Errorf("KAT %d: %d random bytes left unread: the draw order differs", i, r.Len())
		}
	}
}

// TestJPAKERoundTrip runs J-PAKE on every supported curve and a few
// hashes, in both orders of round one.
func TestJPAKERoundTrip(t *testing.T) {
	for _, c := range []struct {
		hash values.Algorithm
		bits int
	}{
		{values.AlgSHA256, 256}, {values.AlgSHA384, 384}, {values.AlgSHA512, 521},
		{values.AlgSHA3_256, 256}, {values.AlgSHA1, 256},
	} {
		t.Run(jpakeSuite(c.hash, c.bits).Algorithm.String()+"/"+jpakeSuite(c.hash, c.bits).Primitive.String(), func(t *testing.T) {
			suite := jpakeSuite(c.hash, c.bits)
			a := newJPAKEOp(t, rand.Reader, jpakeInputs([]byte("correct horse"), "alice", "bob", suite))
			b := newJPAKEOp(t, rand.Reader, jpakeInputs([]byte("correct horse"), "bob", "alice", suite))
			// b takes a's round one before giving its own.
			ka, kb := jpakeExchange(t, a, b)
			if !bytes.Equal(ka, kb) {
				t.Fatal("the shared secrets differ")
			}
			if want := 1 + 2*((c.bits+7)/8); len(ka) != want || ka[0] != 4 {
				t.Errorf("shared secret: %d bytes starting %#x, want an uncompressed point of %d bytes", len(ka), ka[0], want)
			}
			// A wrong password is not detected (no confirmation), but the
			// secrets differ.
			a = newJPAKEOp(t, rand.Reader, jpakeInputs([]byte("correct horse"), "alice", "bob", suite))
			b = newJPAKEOp(t, rand.Reader, jpakeInputs([]byte("battery staple"), "bob", "alice", suite))
			ka, kb = jpakeExchange(t, a, b)
			if bytes.Equal(ka, kb) {
				t.Fatal("different passwords gave the same secret")
			}
		})
	}
}

// jpakeAt runs a (user "client") and b (user "server") to the point where
// b is about to take input number at (0 to 8) from a, and returns a's
// output for that step.
func jpakeAt(t *testing.T, at int) (a, b driver.PAKEOperation, out []byte, step values.PAKEStep) {
	t.Helper()
	suite := jpakeSuite(values.AlgSHA256, 256)
	a = newJPAKEOp(t, rand.Reader, jpakeInputs([]byte("pw"), "client", "server", suite))
	b = newJPAKEOp(t, rand.Reader, jpakeInputs([]byte("pw"), "server", "client", suite))
	if at < 6 {
		jpakeSend(t, a, b, at)
	} else {
		jpakeSend(t, a, b, 6)
		jpakeSend(t, b, a, 6)
		jpakeSend(t, a, b, at-6)
	}
	step = jpakeRound[at%3]
	out, err := a.Output(step, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a, b, out, step
}

// TestJPAKEBadInputs corrupts each input in turn: a key share that is not
// a point is ErrInvalidArgument at once; a corrupted ZK public or proof
// makes the proof fail with ErrInvalidSignature at ZK_PROOF. After the
// failure the operation refuses everything with ErrBadState.
func TestJPAKEBadInputs(t *testing.T) {
	for at := range 9 {
		for _, c := range []struct {
			name    string
			corrupt func([]byte) []byte
		}{
			{"bit flip", func(b []byte) []byte { b[7] ^= 1; return b }},
			{"last bit flip", func(b []byte) []byte { b[len(b)-1] ^= 1; return b }},
			{"truncated", func(b []byte) []byte { return b[:len(b)-1] }},
		} {
			a, b, out, step := jpakeAt(t, at)
			_ = a
			bad := c.corrupt(bytes.Clone(out))
			err := b.Input(step, bad)
			if step == values.PAKEStepZKPublic && err == nil {
				// The proof carries the failure.
				proof, _ := a.Output(values.PAKEStepZKProof, nil)
				err = b.Input(values.PAKEStepZKProof, proof)
			}
			var want error = values.ErrInvalidSignature
			switch {
			case c.name == "truncated" && step != values.PAKEStepZKProof:
				want = values.ErrInvalidArgument
			case step == values.PAKEStepKeyShare:
				want = values.ErrInvalidArgument
			}
			if !errors.Is(err, want) {
				t.Errorf("input %d (%v), %s: %v, want %v", at, step, c.name, err, want)
			}
			if err := b.Input(values.PAKEStepKeyShare, out); !errors.Is(err, values.ErrBadState) {
				t.Errorf("input %d, %s: after a failure, Input gave %v, want ErrBadState", at, c.name, err)
			}
		}
	}
}

// TestJPAKEProofChecks checks the proofs against what they bind: the
// prover's identity, and the generator.
func TestJPAKEProofChecks(t *testing.T) {
	suite := jpakeSuite(values.AlgSHA256, 256)
	t.Run("peer identity", func(t *testing.T) {
		a := newJPAKEOp(t, rand.Reader, jpakeInputs([]byte("pw"), "client", "server", suite))
		b := newJPAKEOp(t, rand.Reader, jpakeInputs([]byte("pw"), "server", "mallory", suite))
		ks, _ := a.Output(values.PAKEStepKeyShare, nil)
		zp, _ := a.Output(values.PAKEStepZKPublic, nil)
		pr, _ := a.Output(values.PAKEStepZKProof, nil)
		if err := b.Input(values.PAKEStepKeyShare, ks); err != nil {
			t.Fatal(err)
		}
		if err := b.Input(values.PAKEStepZKPublic, zp); err != nil {
			t.Fatal(err)
		}
		if err := b.Input(values.PAKEStepZKProof, pr); !errors.Is(err, values.ErrInvalidSignature) {
			t.Errorf("proof made by %q checked as %q's: %v, want ErrInvalidSignature", "client", "mallory", err)
		}
	})
	t.Run("replayed share", func(t *testing.T) {
		// Our own round one sent back to us: proofs under our identity.
		a := newJPAKEOp(t, rand.Reader, jpakeInputs([]byte("pw"), "client", "server", suite))
		msgs := make([][]byte, 3)
		for i := range 3 {
			msgs[i], _ = a.Output(jpakeRound[i], nil)
		}
		for i := range 2 {
			if err := a.Input(jpakeRound[i], msgs[i]); err != nil {
				t.Fatal(err)
			}
		}
		if err := a.Input(values.PAKEStepZKProof, msgs[2]); !errors.Is(err, values.ErrInvalidSignature) {
			t.Errorf("own proof replayed: %v, want ErrInvalidSignature", err)
		}
	})
	t.Run("proof out of range", func(t *testing.T) {
		_, b, _, _ := jpakeAt(t, 2)
		n := pakeP256().n.Nat().Bytes(pakeP256().n)
		if err := b.Input(values.PAKEStepZKProof, n); !errors.Is(err, values.ErrInvalidSignature) {
			t.Errorf("r = n: %v, want ErrInvalidSignature", err)
		}
	})
	t.Run("short proof", func(t *testing.T) {
		// Leading zeros may be omitted: r with its zeros stripped still
		// verifies, as Mbed TLS sends it.
		for range 64 {
			a, b, out, _ := jpakeAt(t, 2)
			_ = a
			trimmed := bytes.TrimLeft(out, "\x00")
			if err := b.Input(values.PAKEStepZKProof, trimmed); err != nil {
				t.Fatalf("proof of %d bytes: %v", len(trimmed), err)
			}
			if len(trimmed) < len(out) {
				return
			}
		}
	})
	t.Run("empty proof", func(t *testing.T) {
		_, b, _, _ := jpakeAt(t, 2)
		if err := b.Input(values.PAKEStepZKProof, nil); !errors.Is(err, values.ErrInvalidArgument) {
			t.Errorf("empty proof: %v, want ErrInvalidArgument", err)
		}
	})
}

// TestJPAKESetupErrors checks what PAKESetup refuses.
func TestJPAKESetupErrors(t *testing.T) {
	ok := func() *pakeTestInputs {
		return jpakeInputs([]byte("pw"), "client", "server", jpakeSuite(values.AlgSHA256, 256))
	}
	for _, c := range []struct {
		name   string
		modify func(*pakeTestInputs)
		want   error
	}{
		{"key type HMAC", func(in *pakeTestInputs) { in.attrs.Type = values.KeyTypeHMAC }, values.ErrInvalidArgument},
		{"key type DERIVE", func(in *pakeTestInputs) { in.attrs.Type = values.KeyTypeDerive }, values.ErrInvalidArgument},
		{"confirmed key", func(in *pakeTestInputs) { in.suite.KeyConfirmation = values.PAKEConfirmedKey }, values.ErrInvalidArgument},
		{"empty user", func(in *pakeTestInputs) { in.user = nil }, values.ErrInvalidArgument},
		{"empty peer", func(in *pakeTestInputs) { in.peer = []byte{} }, values.ErrInvalidArgument},
		{"same identities", func(in *pakeTestInputs) { in.peer = []byte("client") }, values.ErrInvalidArgument},
		{"zero password", func(in *pakeTestInputs) { in.password = []byte{0, 0} }, values.ErrInvalidArgument},
		{"password = n", func(in *pakeTestInputs) { in.password = pakeP256().n.Nat().Bytes(pakeP256().n) }, values.ErrInvalidArgument},
		{"DH primitive", func(in *pakeTestInputs) {
			in.suite.Primitive = values.PAKEPrimitiveOf(values.PAKEPrimitiveTypeDH, values.PAKEFamily(values.DHFamilyRFC7919), 2048)
		}, values.ErrNotSupported},
		{"secp256k1", func(in *pakeTestInputs) {
			in.suite.Primitive = values.PAKEPrimitiveOf(values.PAKEPrimitiveTypeECC, values.PAKEFamily(values.ECCFamilySECPK1), 256)
		}, values.ErrNotSupported},
		{"secp192r1", func(in *pakeTestInputs) {
			in.suite.Primitive = values.PAKEPrimitiveOf(values.PAKEPrimitiveTypeECC, values.PAKEFamily(values.ECCFamilySECPR1), 192)
		}, values.ErrNotSupported},
		{"primitive type 3", func(in *pakeTestInputs) {
			in.suite.Primitive = values.PAKEPrimitiveOf(3, values.PAKEFamily(values.ECCFamilySECPR1), 256)
		}, values.ErrInvalidArgument},
		{"no hash (J-PAKE beta)", func(in *pakeTestInputs) { in.suite.Algorithm = values.AlgJPAKE(0) }, values.ErrNotSupported},
		{"SHAKE hash", func(in *pakeTestInputs) { in.suite.Algorithm = values.AlgJPAKE(values.AlgSHAKE256_512) }, values.ErrNotSupported},
	} {
		in := ok()
		c.modify(in)
		_, err := (&Driver{}).PAKESetup(in)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

// TestJPAKEStepOrder checks the driver's own guard on the order of steps
// (the core enforces it first).
func TestJPAKEStepOrder(t *testing.T) {
	suite := jpakeSuite(values.AlgSHA256, 256)
	op := newJPAKEOp(t, rand.Reader, jpakeInputs([]byte("pw"), "client", "server", suite))
	if _, err := op.Output(values.PAKEStepZKProof, nil); !errors.Is(err, values.ErrBadState) {
		t.Errorf("first output ZK_PROOF: %v, want ErrBadState", err)
	}
	if _, err := op.Output(values.PAKEStepConfirm, nil); !errors.Is(err, values.ErrInvalidArgument) {
		t.Errorf("output CONFIRM: %v, want ErrInvalidArgument", err)
	}
	if _, err := op.SharedKey(nil); !errors.Is(err, values.ErrBadState) {
		t.Errorf("early SharedKey: %v, want ErrBadState", err)
	}
	// Round two before the peer's round one.
	for i := range 6 {
		if _, err := op.Output(jpakeRound[i%3], nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := op.Output(values.PAKEStepKeyShare, nil); !errors.Is(err, values.ErrBadState) {
		t.Errorf("round two output before the peer's round one: %v, want ErrBadState", err)
	}
	if err := op.Abort(); err != nil {
		t.Fatal(err)
	}
	if _, err := op.Output(values.PAKEStepKeyShare, nil); !errors.Is(err, values.ErrBadState) {
		t.Errorf("output after Abort: %v, want ErrBadState", err)
	}
}

// FuzzJPAKEInput feeds arbitrary steps and data: Input must never panic,
// and must fail on anything but the expected step.
func FuzzJPAKEInput(f *testing.F) {
	suite := jpakeSuite(values.AlgSHA256, 256)
	a := newJPAKEOp(f, rand.Reader, jpakeInputs([]byte("pw"), "client", "server", suite))
	var seeds [][]byte
	for i := range 6 {
		out, err := a.Output(jpakeRound[i%3], nil)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, out)
	}
	for i, s := range seeds {
		f.Add(uint8(i%3+1), uint8(i), s)
	}
	f.Add(uint8(1), uint8(0), []byte{4})
	f.Add(uint8(3), uint8(2), []byte{})
	f.Fuzz(func(t *testing.T, step, skip uint8, data []byte) {
		b := newJPAKEOp(t, rand.Reader, jpakeInputs([]byte("pw"), "server", "client", suite))
		// Feed the genuine inputs before the fuzzed one.
		n := int(skip) % 6
		for i := range n {
			if err := b.Input(jpakeRound[i%3], seeds[i]); err != nil {
				t.Fatal(err)
			}
		}
		err := b.Input(values.PAKEStep(step), data)
		if values.PAKEStep(step) != jpakeRound[n%3] && err == nil {
			t.Fatalf("input %v at position %d accepted", values.PAKEStep(step), n)
		}
	})
}

// BenchmarkJPAKEExchange is a full J-PAKE exchange over secp256r1 with
// SHA-256, both sides: 9 outputs and 9 inputs each, and the shared
// secrets.
func BenchmarkJPAKEExchange(b *testing.B) {
	suite := jpakeSuite(values.AlgSHA256, 256)
	ina := jpakeInputs([]byte("password"), "client", "server", suite)
	inb := jpakeInputs([]byte("password"), "server", "client", suite)
	d := &Driver{rand: rand.Reader}
	b.ReportAllocs()
	for b.Loop() {
		x, _ := d.PAKESetup(ina)
		y, _ := d.PAKESetup(inb)
		jpakeExchange(b, x, y)
		x.Abort()
		y.Abort()
	}
}
