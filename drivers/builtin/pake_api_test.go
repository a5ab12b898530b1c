//go:build !gopsa_no_builtin_ecc

package builtin_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"testing"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/values"
)

// The PAKEs through the public API: the core's state machine, the
// generated dispatch and the builtin driver together.

var jpakeP256 = values.PAKECipherSuite{
	Algorithm:       values.AlgJPAKE(values.AlgSHA256),
	Primitive:       values.PAKEPrimitiveOf(values.PAKEPrimitiveTypeECC, values.PAKEFamily(values.ECCFamilySECPR1), 256),
	KeyConfirmation: values.PAKEUnconfirmedKey,
}

// jpakeParty sets up one side of J-PAKE with a password key.
func jpakeParty(t testing.TB, c *psa.Crypto, pw psa.KeyID, user, peer string) *psa.PAKEOperation {
	t.Helper()
	op := new(psa.PAKEOperation)
	if err := c.PAKESetup(op, pw, jpakeP256); err != nil {
		t.Fatal(err)
	}
	if err := op.SetUser([]byte(user)); err != nil {
		t.Fatal(err)
	}
	if err := op.SetPeer([]byte(peer)); err != nil {
		t.Fatal(err)
	}
	return op
}

func importPassword(t testing.TB, c *psa.Crypto, alg values.Algorithm, pw string) psa.KeyID {
	t.Helper()
	id, err := c.ImportKey(values.Attributes{Type: values.KeyTypePassword, Usage: values.UsageDerive, Alg: alg}, []byte(pw))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

var jpakeSteps = []values.PAKEStep{values.PAKEStepKeyShare, values.PAKEStepZKPublic, values.PAKEStepZKProof}

// pakeSend moves the steps from a to b.
func pakeSend(t testing.TB, a, b *psa.PAKEOperation, steps ...values.PAKEStep) {
	t.Helper()
	var buf []byte
	for _, s := range steps {
		var err error
		if buf, err = a.Output(s, buf[:0]); err != nil {
			t.Fatalf("output %v: %v", s, err)
		}
		if err := b.Input(s, buf); err != nil {
			t.Fatalf("input %v: %v", s, err)
		}
	}
}

// ecjpakePMS makes the J-PAKE secret a key and derives the TLS 1.2
// premaster secret from it with PSA_ALG_TLS12_ECJPAKE_TO_PMS.
func ecjpakePMS(t testing.TB, c *psa.Crypto, op *psa.PAKEOperation) []byte {
	t.Helper()
	k, err := op.SharedKey(values.Attributes{Type: values.KeyTypeDerive, Usage: values.UsageDerive, Alg: values.AlgTLS12ECJPAKEToPMS})
	if err != nil {
		t.Fatal(err)
	}
	defer c.DestroyKey(k)
	var kdf psa.KeyDerivationOperation
	if err := c.KeyDerivationSetup(&kdf, values.AlgTLS12ECJPAKEToPMS); err != nil {
		t.Fatal(err)
	}
	defer kdf.Abort()
	if err := kdf.InputKey(values.DerivationInputSecret, k); err != nil {
		t.Fatal(err)
	}
	pms := make([]byte, 32)
	if err := kdf.OutputBytes(pms); err != nil {
		t.Fatal(err)
	}
	return pms
}

// TestJPAKEThroughAPI runs a client and a server through the public API,
// in both orders of each round, and derives the premaster secret on both
// sides.
func TestJPAKEThroughAPI(t *testing.T) {
	c, err := psa.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, inputFirst := range []bool{false, true} {
		pw := importPassword(t, c, jpakeP256.Algorithm, "threadjpaketest")
		client := jpakeParty(t, c, pw, "client", "server")
		server := jpakeParty(t, c, pw, "server", "client")
		// The key is read at setup: destroying it changes nothing.
		if err := c.DestroyKey(pw); err != nil {
			t.Fatal(err)
		}
		round1 := append(append([]values.PAKEStep{}, jpakeSteps...), jpakeSteps...)
		if inputFirst {
			pakeSend(t, server, client, round1...)
			pakeSend(t, client, server, round1...)
			pakeSend(t, server, client, jpakeSteps...)
			pakeSend(t, client, server, jpakeSteps...)
		} else {
			pakeSend(t, client, server, round1...)
			pakeSend(t, server, client, round1...)
			pakeSend(t, client, server, jpakeSteps...)
			pakeSend(t, server, client, jpakeSteps...)
		}
		a, b := ecjpakePMS(t, c, client), ecjpakePMS(t, c, server)
		if !bytes.Equal(a, b) {
			t.Fatalf("input first %v: premaster secrets differ:\n%x\n%x", inputFirst, a, b)
		}
	}
}

// TestJPAKEThroughAPIErrors checks the statuses that reach the
// application: a corrupted proof, a point off the curve, a step out of
// order, and the error state that follows.
func TestJPAKEThroughAPIErrors(t *testing.T) {
	c, err := psa.New()
	if err != nil {
		t.Fatal(err)
	}
	pw := importPassword(t, c, jpakeP256.Algorithm, "pw")
	for _, tc := range []struct {
		name    string
		step    values.PAKEStep
		skip    int // steps passed before the corrupted one
		corrupt func([]byte)
		want    error
	}{
		{"bad proof", values.PAKEStepZKProof, 2, func(b []byte) { b[5] ^= 0x80 }, values.ErrInvalidSignature},
		{"key share off the curve", values.PAKEStepKeyShare, 0, func(b []byte) { b[7] ^= 1 }, values.ErrInvalidArgument},
		{"second key share off the curve", values.PAKEStepKeyShare, 3, func(b []byte) { b[64] ^= 1 }, values.ErrInvalidArgument},
	} {
		client := jpakeParty(t, c, pw, "client", "server")
		server := jpakeParty(t, c, pw, "server", "client")
		pakeSend(t, client, server, append(jpakeSteps, jpakeSteps...)[:tc.skip]...)
		out, err := client.Output(tc.step, nil)
		if err != nil {
			t.Fatal(err)
		}
		tc.corrupt(out)
		if err := server.Input(tc.step, out); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
		if _, err := server.Output(values.PAKEStepKeyShare, nil); !errors.Is(err, values.ErrBadState) {
			t.Errorf("%s: the operation is not in the error state: %v", tc.name, err)
		}
		client.Abort()
		server.Abort()
	}

	client := jpakeParty(t, c, pw, "client", "server")
	defer client.Abort()
	if _, err := client.Output(values.PAKEStepZKProof, nil); !errors.Is(err, values.ErrBadState) {
		t.Errorf("ZK_PROOF first: %v, want ErrBadState", err)
	}
}

// TestSPAKE2PThroughAPI derives a SPAKE2+ key pair from a password with
// PBKDF2, gives the Verifier only the public key, and runs the exchange.
func TestSPAKE2PThroughAPI(t *testing.T) {
	c, err := psa.New()
	if err != nil {
		t.Fatal(err)
	}
	alg := values.AlgSPAKE2PHMAC(values.AlgSHA256)
	suite := values.PAKECipherSuite{
		Algorithm: alg,
		Primitive: values.PAKEPrimitiveOf(values.PAKEPrimitiveTypeECC, values.PAKEFamily(values.ECCFamilySECPR1), 256),
	}
	// Registration (RFC 9383 §3.2, the specification's "SPAKE2+
	// registration"): PBKDF2 stretches the password into w0 || w1.
	kdfAlg := values.AlgPBKDF2HMAC(values.AlgSHA256)
	password, err := c.ImportKey(values.Attributes{Type: values.KeyTypePassword, Usage: values.UsageDerive, Alg: kdfAlg}, []byte("20202021"))
	if err != nil {
		t.Fatal(err)
	}
	var kdf psa.KeyDerivationOperation
	if err := c.KeyDerivationSetup(&kdf, kdfAlg); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		kdf.InputInteger(values.DerivationInputCost, 1000),
		kdf.InputBytes(values.DerivationInputSalt, []byte("SPAKE2P Key Salt")),
		kdf.InputKey(values.DerivationInputPassword, password),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	pair, err := kdf.OutputKey(values.Attributes{Type: values.KeyTypeSPAKE2PKeyPair(values.ECCFamilySECPR1), Bits: 256, Usage: values.UsageDerive, Alg: alg})
	kdf.Abort()
	if err != nil {
		t.Fatal(err)
	}
	pub, err := c.ExportPublicKey(pair, nil)
	if err != nil {
		t.Fatal(err)
	}
	verifierKey, err := c.ImportKey(values.Attributes{Type: values.KeyTypeSPAKE2PPublicKey(values.ECCFamilySECPR1), Usage: values.UsageDerive, Alg: alg}, pub)
	if err != nil {
		t.Fatal(err)
	}
	var prover, verifier psa.PAKEOperation
	for _, s := range []struct {
		op   *psa.PAKEOperation
		key  psa.KeyID
		role values.PAKERole
		user string
		peer string
	}{{&prover, pair, values.PAKERoleClient, "device", "commissioner"}, {&verifier, verifierKey, values.PAKERoleServer, "commissioner", "device"}} {
		if err := c.PAKESetup(s.op, s.key, suite); err != nil {
			t.Fatal(err)
		}
		if err := s.op.SetRole(s.role); err != nil {
			t.Fatal(err)
		}
		s.op.SetUser([]byte(s.user))
		s.op.SetPeer([]byte(s.peer))
		if err := s.op.SetContext([]byte("gopsa test")); err != nil {
			t.Fatal(err)
		}
	}
	pakeSend(t, &prover, &verifier, values.PAKEStepKeyShare)
	pakeSend(t, &verifier, &prover, values.PAKEStepKeyShare, values.PAKEStepConfirm)
	pakeSend(t, &prover, &verifier, values.PAKEStepConfirm)
	attrs := values.Attributes{Type: values.KeyTypeAES, Usage: values.UsageExport, Alg: values.AlgGCM}
	kp, err := prover.SharedKey(attrs)
	if err != nil {
		t.Fatal(err)
	}
	kv, err := verifier.SharedKey(attrs)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := c.ExportKey(kp, nil)
	b, _ := c.ExportKey(kv, nil)
	if !bytes.Equal(a, b) || len(a) != 32 {
		t.Fatalf("shared keys %x and %x", a, b)
	}
}

// BenchmarkJPAKEThroughAPI is a full J-PAKE exchange through the public
// API (both sides), with the premaster secret derivation.
func BenchmarkJPAKEThroughAPI(b *testing.B) {
	c, err := psa.New()
	if err != nil {
		b.Fatal(err)
	}
	pw := importPassword(b, c, jpakeP256.Algorithm, "password")
	round1 := append(append([]values.PAKEStep{}, jpakeSteps...), jpakeSteps...)
	b.ReportAllocs()
	for b.Loop() {
		client := jpakeParty(b, c, pw, "client", "server")
		server := jpakeParty(b, c, pw, "server", "client")
		pakeSend(b, client, server, round1...)
		pakeSend(b, server, client, round1...)
		pakeSend(b, client, server, jpakeSteps...)
		pakeSend(b, server, client, jpakeSteps...)
		ecjpakePMS(b, c, client)
		ecjpakePMS(b, c, server)
	}
}

// ExampleDriver_PAKESetup runs EC J-PAKE between two parties that share a
// password, as a Thread commissioner and joiner do, and derives the TLS
// 1.2 premaster secret on each side.
func ExampleDriver_PAKESetup() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	suite := values.PAKECipherSuite{
		Algorithm:       values.AlgJPAKE(values.AlgSHA256),
		Primitive:       values.PAKEPrimitiveOf(values.PAKEPrimitiveTypeECC, values.PAKEFamily(values.ECCFamilySECPR1), 256),
		KeyConfirmation: values.PAKEUnconfirmedKey,
	}
	pw, err := c.ImportKey(values.Attributes{Type: values.KeyTypePassword, Usage: values.UsageDerive, Alg: suite.Algorithm}, []byte("J01NME"))
	if err != nil {
		log.Fatal(err)
	}
	party := func(user, peer string) *psa.PAKEOperation {
		op := new(psa.PAKEOperation)
		if err := c.PAKESetup(op, pw, suite); err != nil {
			log.Fatal(err)
		}
		op.SetUser([]byte(user))
		op.SetPeer([]byte(peer))
		return op
	}
	client, server := party("client", "server"), party("server", "client")

	// Each round: KEY_SHARE, ZK_PUBLIC, ZK_PROOF (twice in round one),
	// in both directions. In a real exchange the bytes travel over the
	// network.
	steps := []values.PAKEStep{values.PAKEStepKeyShare, values.PAKEStepZKPublic, values.PAKEStepZKProof}
	send := func(from, to *psa.PAKEOperation, n int) {
		for i := range n {
			msg, err := from.Output(steps[i%3], nil)
			if err != nil {
				log.Fatal(err)
			}
			if err := to.Input(steps[i%3], msg); err != nil {
				log.Fatal(err) // ErrInvalidSignature: a proof did not verify
			}
		}
	}
	send(client, server, 6)
	send(server, client, 6)
	send(client, server, 3)
	send(server, client, 3)

	pms := func(op *psa.PAKEOperation) []byte {
		k, err := op.SharedKey(values.Attributes{Type: values.KeyTypeDerive, Usage: values.UsageDerive, Alg: values.AlgTLS12ECJPAKEToPMS})
		if err != nil {
			log.Fatal(err)
		}
		var kdf psa.KeyDerivationOperation
		c.KeyDerivationSetup(&kdf, values.AlgTLS12ECJPAKEToPMS)
		kdf.InputKey(values.DerivationInputSecret, k)
		out := make([]byte, 32)
		if err := kdf.OutputBytes(out); err != nil {
			log.Fatal(err)
		}
		return out
	}
	fmt.Println("same premaster secret:", bytes.Equal(pms(client), pms(server)))
	// Output: same premaster secret: true
}
