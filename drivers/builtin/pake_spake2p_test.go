//go:build !gopsa_no_builtin_ecc

package builtin

import (
	"bytes"
	"crypto/aes"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/internal/cmac"
	"github.com/gopsa/psa/values"
)

type spake2pVector struct {
	Name       string `json:"name"`
	Alg        string `json:"alg"`
	Bits       int    `json:"bits"`
	Context    string `json:"context"`
	IDProver   string `json:"idProver"`
	IDVerifier string `json:"idVerifier"`
	W0, W1, L  string
	X, Y       string
	ShareP     string `json:"shareP"`
	ShareV     string `json:"shareV"`
	ConfirmP   string `json:"confirmP"`
	ConfirmV   string `json:"confirmV"`
	KShared    string `json:"K_shared"`
}

func loadSPAKE2PVectors(t testing.TB) []spake2pVector {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "pake", "spake2p.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Vectors []spake2pVector }
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Vectors
}

func spake2pSuiteOf(alg values.Algorithm, bits int) values.PAKECipherSuite {
	return values.PAKECipherSuite{
		Algorithm: alg,
		Primitive: values.PAKEPrimitiveOf(values.PAKEPrimitiveTypeECC, values.PAKEFamily(values.ECCFamilySECPR1), bits),
	}
}

// spake2pInputs returns the inputs of one side. key is w0 || w1 (a key
// pair) or w0 || L (a public key).
func spake2pInputs(suite values.PAKECipherSuite, role values.PAKERole, key []byte, public bool, user, peer string, context []byte) *pakeTestInputs {
	t := values.KeyTypeSPAKE2PKeyPair(values.ECCFamilySECPR1)
	if public {
		t = values.KeyTypeSPAKE2PPublicKey(values.ECCFamilySECPR1)
	}
	return &pakeTestInputs{
		attrs:    values.Attributes{Type: t, Bits: suite.Primitive.Bits(), Usage: values.UsageDerive, Alg: suite.Algorithm},
		password: key, user: []byte(user), peer: []byte(peer), context: context, role: role, suite: suite,
	}
}

// spake2pExchange runs the four steps and returns the messages and both
// secrets.
func spake2pExchange(t testing.TB, p, v driver.PAKEOperation) (shareP, shareV, confirmV, confirmP, kp, kv []byte) {
	t.Helper()
	var err error
	step := func(from, to driver.PAKEOperation, s values.PAKEStep) []byte {
		t.Helper()
		out, err := from.Output(s, nil)
		if err != nil {
			t.Fatalf("output %v: %v", s, err)
		}
		if err := to.Input(s, out); err != nil {
			t.Fatalf("input %v: %v", s, err)
		}
		return out
	}
	shareP = step(p, v, values.PAKEStepKeyShare)
	shareV = step(v, p, values.PAKEStepKeyShare)
	confirmV = step(v, p, values.PAKEStepConfirm)
	confirmP = step(p, v, values.PAKEStepConfirm)
	if kp, err = p.SharedKey(nil); err != nil {
		t.Fatal(err)
	}
	if kv, err = v.SharedKey(nil); err != nil {
		t.Fatal(err)
	}
	return
}

// wideStream gives x (or y) to randomScalarWide: 8 zero bytes, then the
// scalar, reduce to the scalar itself.
func wideStream(t testing.TB, x string) io.Reader {
	return bytes.NewReader(append(make([]byte, 8), unhexT(t, x)...))
}

// TestSPAKE2PVectors runs the RFC 9383 Appendix C vectors and Matter's
// through the driver, with the Verifier holding the key pair and then
// the public key (w0 || L as psa_export_public_key gives it).
func TestSPAKE2PVectors(t *testing.T) {
	for _, vec := range loadSPAKE2PVectors(t) {
		t.Run(vec.Name, func(t *testing.T) {
			alg, err := values.ParseAlgorithm(vec.Alg)
			if err != nil {
				t.Fatal(err)
			}
			suite := spake2pSuiteOf(alg, vec.Bits)
			pair := append(unhexT(t, vec.W0), unhexT(t, vec.W1)...)
			attrs := values.Attributes{Type: values.KeyTypeSPAKE2PKeyPair(values.ECCFamilySECPR1), Bits: vec.Bits}
			public, err := exportPublicSPAKE2P(attrs, pair, nil)
			if err != nil {
				t.Fatal(err)
			}
			if vec.L != "" && !bytes.Equal(public[len(vec.W0)/2:], unhexT(t, vec.L)) {
				t.Errorf("L = %x, want %s", public[len(vec.W0)/2:], vec.L)
			}
			for _, verifierKey := range []struct {
				key    []byte
				public bool
			}{{pair, false}, {public, true}} {
				ctx := []byte(vec.Context)
				d := &Driver{rand: wideStream(t, vec.X)}
				p, err := d.PAKESetup(spake2pInputs(suite, values.PAKERoleClient, pair, false, vec.IDProver, vec.IDVerifier, ctx))
				if err != nil {
					t.Fatal(err)
				}
				d = &Driver{rand: wideStream(t, vec.Y)}
				v, err := d.PAKESetup(spake2pInputs(suite, values.PAKERoleServer, verifierKey.key, verifierKey.public, vec.IDVerifier, vec.IDProver, ctx))
				if err != nil {
					t.Fatal(err)
				}
				shareP, shareV, confirmV, confirmP, kp, kv := spake2pExchange(t, p, v)
				for _, c := range []struct {
					name      string
					got, want string
				}{
					{"shareP", hexString(shareP), vec.ShareP},
					{"shareV", hexString(shareV), vec.ShareV},
					{"confirmV", hexString(confirmV), vec.ConfirmV},
					{"confirmP", hexString(confirmP), vec.ConfirmP},
					{"Prover's K_shared", hexString(kp), vec.KShared},
					{"Verifier's K_shared", hexString(kv), vec.KShared},
				} {
					if c.want != "" && c.got != c.want {
						t.Errorf("Verifier with public key %v: %s:\n got %s\nwant %s", verifierKey.public, c.name, c.got, c.want)
					}
				}
			}
		})
	}
}

func hexString(b []byte) string { return string(appendHex(nil, b)) }

func appendHex(dst, b []byte) []byte {
	const digits = "0123456789abcdef"
	for _, c := range b {
		dst = append(dst, digits[c>>4], digits[c&15])
	}
	return dst
}

// spake2pPair derives a random key pair for the curve.
func newSPAKE2PTestKey(t testing.TB, bits int) []byte {
	t.Helper()
	attrs := values.Attributes{Type: values.KeyTypeSPAKE2PKeyPair(values.ECCFamilySECPR1), Bits: bits}
	pair, err := produceSPAKE2P("generate", attrs, rand.Reader, nil)
	if err != nil {
		t.Fatal(err)
	}
	return pair
}

// TestSPAKE2PCMAC checks the CMAC-AES-128 suites against a computation of
// the key schedule from the transcript, written out here: K_main =
// Hash(TT), two 16-byte confirmation keys, CMAC over the peer's share.
func TestSPAKE2PCMAC(t *testing.T) {
	vec := loadSPAKE2PVectors(t)[0] // P-256: its TT format is checked by TestSPAKE2PVectors
	suite := spake2pSuiteOf(values.AlgSPAKE2PCMAC(values.AlgSHA256), 256)
	pair := append(unhexT(t, vec.W0), unhexT(t, vec.W1)...)
	ctx := []byte(vec.Context)
	p, err := (&Driver{rand: wideStream(t, vec.X)}).PAKESetup(spake2pInputs(suite, values.PAKERoleClient, pair, false, "client", "server", ctx))
	if err != nil {
		t.Fatal(err)
	}
	v, err := (&Driver{rand: wideStream(t, vec.Y)}).PAKESetup(spake2pInputs(suite, values.PAKERoleServer, pair, false, "server", "client", ctx))
	if err != nil {
		t.Fatal(err)
	}
	shareP, shareV, confirmV, confirmP, kp, kv := spake2pExchange(t, p, v)
	// The RFC vector's Z and V do not depend on the MAC: rebuild TT.
	var tt []byte
	for _, item := range [][]byte{ctx, []byte("client"), []byte("server"),
		unhexT(t, "04886e2f97ace46e55ba9dd7242579f2993b64e16ef3dcab95afd497333d8fa12f5ff355163e43ce224e0b0e65ff02ac8e5c7be09419c785e0ca547d55a12e2d20"),
		unhexT(t, "04d8bbd6c639c62937b04d997f38c3770719c629d7014d49a24b4f98baa1292b4907d60aa6bfade45008a636337f5168c64d9bd36034808cd564490b1e656edbe7"),
		shareP, shareV,
		unhexT(t, "04bbfce7dd7f277819c8da21544afb7964705569bdf12fb92aa388059408d50091a0c5f1d3127f56813b5337f9e4e67e2ca633117a4fbd559946ab474356c41839"),
		unhexT(t, "0458bf27c6bca011c9ce1930e8984a797a3419797b936629a5a937cf2f11c8b9514b82b993da8a46e664f23db7c01edc87faa530db01c2ee405230b18997f16b68"),
		unhexT(t, vec.W0)} {
		tt = binary.LittleEndian.AppendUint64(tt, uint64(len(item)))
		tt = append(tt, item...)
	}
	kMain := sha256.Sum256(tt)
	kc, _ := hkdf.Key(sha256.New, kMain[:], nil, "ConfirmationKeys", 32)
	shared, _ := hkdf.Key(sha256.New, kMain[:], nil, "SharedKey", 32)
	mac := func(key, msg []byte) []byte {
		b, _ := aes.NewCipher(key)
		m, _ := cmac.New(b)
		m.Write(msg)
		return m.Sum(nil)
	}
	if want := mac(kc[:16], shareV); !bytes.Equal(confirmP, want) {
		t.Errorf("confirmP %x, want %x", confirmP, want)
	}
	if want := mac(kc[16:], shareP); !bytes.Equal(confirmV, want) {
		t.Errorf("confirmV %x, want %x", confirmV, want)
	}
	if !bytes.Equal(kp, shared) || !bytes.Equal(kv, shared) {
		t.Errorf("K_shared %x and %x, want %x", kp, kv, shared)
	}
	if n := values.PAKEOutputSize(suite.Algorithm, suite.Primitive, values.PAKEStepConfirm); len(confirmP) != n {
		t.Errorf("confirmation of %d bytes, PSA_PAKE_OUTPUT_SIZE says %d", len(confirmP), n)
	}
}

// TestSPAKE2PRoundTrip runs every supported suite with random keys, and
// checks that the context and the identities are bound.
func TestSPAKE2PRoundTrip(t *testing.T) {
	for _, c := range []struct {
		alg  values.Algorithm
		bits int
	}{
		{values.AlgSPAKE2PHMAC(values.AlgSHA256), 256}, {values.AlgSPAKE2PHMAC(values.AlgSHA512), 256},
		{values.AlgSPAKE2PHMAC(values.AlgSHA256), 384}, {values.AlgSPAKE2PHMAC(values.AlgSHA512), 384},
		{values.AlgSPAKE2PHMAC(values.AlgSHA512), 521},
		{values.AlgSPAKE2PCMAC(values.AlgSHA256), 256}, {values.AlgSPAKE2PCMAC(values.AlgSHA512), 256},
		{values.AlgSPAKE2PMatter, 256},
	} {
		suite := spake2pSuiteOf(c.alg, c.bits)
		t.Run(c.alg.String()+"/"+suite.Primitive.String(), func(t *testing.T) {
			pair := newSPAKE2PTestKey(t, c.bits)
			run := func(pctx, vctx []byte, vpeer string) error {
				d := &Driver{rand: rand.Reader}
				p, err := d.PAKESetup(spake2pInputs(suite, values.PAKERoleClient, pair, false, "alice", "bob", pctx))
				if err != nil {
					t.Fatal(err)
				}
				v, err := d.PAKESetup(spake2pInputs(suite, values.PAKERoleServer, pair, false, "bob", vpeer, vctx))
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range []struct {
					from, to driver.PAKEOperation
					step     values.PAKEStep
				}{{p, v, values.PAKEStepKeyShare}, {v, p, values.PAKEStepKeyShare}, {v, p, values.PAKEStepConfirm}, {p, v, values.PAKEStepConfirm}} {
					out, err := s.from.Output(s.step, nil)
					if err != nil {
						t.Fatal(err)
					}
					if n := values.PAKEOutputSize(c.alg, suite.Primitive, s.step); len(out) != n {
						t.Errorf("%v output of %d bytes, PSA_PAKE_OUTPUT_SIZE says %d", s.step, len(out), n)
					}
					if err := s.to.Input(s.step, out); err != nil {
						return err
					}
				}
				kp, _ := p.SharedKey(nil)
				kv, _ := v.SharedKey(nil)
				if !bytes.Equal(kp, kv) || len(kp) == 0 {
					t.Fatalf("shared keys %x and %x", kp, kv)
				}
				return nil
			}
			if err := run(nil, nil, "alice"); err != nil {
				t.Fatalf("no context: %v", err)
			}
			if err := run([]byte{}, []byte{}, "alice"); err != nil {
				t.Fatalf("empty context: %v", err)
			}
			// The Verifier detects the mismatch at the Prover's
			// confirmation; the Prover, at the Verifier's.
			if err := run(nil, []byte{}, "alice"); !errors.Is(err, values.ErrInvalidSignature) {
				t.Errorf("no context against an empty one: %v, want ErrInvalidSignature", err)
			}
			if err := run([]byte("a"), []byte("b"), "alice"); !errors.Is(err, values.ErrInvalidSignature) {
				t.Errorf("different contexts: %v, want ErrInvalidSignature", err)
			}
			if err := run(nil, nil, "eve"); !errors.Is(err, values.ErrInvalidSignature) {
				t.Errorf("different identities: %v, want ErrInvalidSignature", err)
			}
		})
	}
}

// TestSPAKE2PBadInputs checks the rejection of shares that are not
// usable and of confirmations that do not match.
func TestSPAKE2PBadInputs(t *testing.T) {
	suite := spake2pSuiteOf(values.AlgSPAKE2PHMAC(values.AlgSHA256), 256)
	pair := newSPAKE2PTestKey(t, 256)
	other := newSPAKE2PTestKey(t, 256)
	g := pakeP256()
	setup := func(role values.PAKERole, key []byte) driver.PAKEOperation {
		op, err := (&Driver{rand: rand.Reader}).PAKESetup(spake2pInputs(suite, role, key, false, "", "", nil))
		if err != nil {
			t.Fatal(err)
		}
		return op
	}
	// w0·M as shareP: shareP - w0·M is the identity.
	w0, _ := g.scalar(pair[:32])
	m, _ := g.ops.decode(unhexT(t, spake2pMN[256][0]))
	degenerate := g.ops.encode(nil, g.mul(m, w0))
	for _, c := range []struct {
		name  string
		share []byte
		want  error
	}{
		{"off the curve", func() []byte { b := g.ops.encode(nil, g.gen); b[40] ^= 1; return b }(), values.ErrInvalidArgument},
		{"compressed", compressedGenerator(t), values.ErrInvalidArgument},
		{"identity", []byte{0}, values.ErrInvalidArgument},
		{"w0·M", degenerate, values.ErrInvalidArgument},
	} {
		v := setup(values.PAKERoleServer, pair)
		err := v.Input(values.PAKEStepKeyShare, c.share)
		if err == nil {
			_, err = v.Output(values.PAKEStepKeyShare, nil)
		}
		if !errors.Is(err, c.want) {
			t.Errorf("shareP %s: %v, want %v", c.name, err, c.want)
		}
	}

	// A wrong password: the Prover detects it in confirmV.
	p, v := setup(values.PAKERoleClient, pair), setup(values.PAKERoleServer, other)
	shareP, _ := p.Output(values.PAKEStepKeyShare, nil)
	if err := v.Input(values.PAKEStepKeyShare, shareP); err != nil {
		t.Fatal(err)
	}
	shareV, _ := v.Output(values.PAKEStepKeyShare, nil)
	if err := p.Input(values.PAKEStepKeyShare, shareV); err != nil {
		t.Fatal(err)
	}
	confirmV, _ := v.Output(values.PAKEStepConfirm, nil)
	if err := p.Input(values.PAKEStepConfirm, confirmV); !errors.Is(err, values.ErrInvalidSignature) {
		t.Errorf("wrong password: %v, want ErrInvalidSignature", err)
	}
	if _, err := p.SharedKey(nil); !errors.Is(err, values.ErrBadState) {
		t.Errorf("SharedKey after a failed confirmation: %v, want ErrBadState", err)
	}

	// A confirmation of the wrong length or altered.
	for _, bad := range [][]byte{nil, make([]byte, 31), make([]byte, 32)} {
		p, v := setup(values.PAKERoleClient, pair), setup(values.PAKERoleServer, pair)
		shareP, _ := p.Output(values.PAKEStepKeyShare, nil)
		v.Input(values.PAKEStepKeyShare, shareP)
		shareV, _ := v.Output(values.PAKEStepKeyShare, nil)
		p.Input(values.PAKEStepKeyShare, shareV)
		if err := p.Input(values.PAKEStepConfirm, bad); !errors.Is(err, values.ErrInvalidSignature) {
			t.Errorf("confirmV of %d zero bytes: %v, want ErrInvalidSignature", len(bad), err)
		}
	}
}

// compressedGenerator is the generator of secp256r1 in compressed form,
// a valid point that the steps must refuse (the public-key format is
// uncompressed).
func compressedGenerator(t *testing.T) []byte {
	t.Helper()
	g := pakeP256()
	b := g.ops.encode(nil, g.gen)
	out := append([]byte{2 | b[64]&1}, b[1:33]...)
	if _, err := g.ops.decode(out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSPAKE2PSetupErrors checks what PAKESetup refuses.
func TestSPAKE2PSetupErrors(t *testing.T) {
	pair := newSPAKE2PTestKey(t, 256)
	attrs := values.Attributes{Type: values.KeyTypeSPAKE2PKeyPair(values.ECCFamilySECPR1), Bits: 256}
	public, err := exportPublicSPAKE2P(attrs, pair, nil)
	if err != nil {
		t.Fatal(err)
	}
	ok := func() *pakeTestInputs {
		return spake2pInputs(spake2pSuiteOf(values.AlgSPAKE2PHMAC(values.AlgSHA256), 256), values.PAKERoleServer, pair, false, "", "", nil)
	}
	for _, c := range []struct {
		name   string
		modify func(*pakeTestInputs)
		want   error
	}{
		{"unconfirmed key", func(in *pakeTestInputs) { in.suite.KeyConfirmation = values.PAKEUnconfirmedKey }, values.ErrInvalidArgument},
		{"DH primitive", func(in *pakeTestInputs) {
			in.suite.Primitive = values.PAKEPrimitiveOf(values.PAKEPrimitiveTypeDH, values.PAKEFamily(values.DHFamilyRFC7919), 3072)
		}, values.ErrInvalidArgument},
		{"primitive of another size", func(in *pakeTestInputs) {
			in.suite.Primitive = values.PAKEPrimitiveOf(values.PAKEPrimitiveTypeECC, values.PAKEFamily(values.ECCFamilySECPR1), 384)
		}, values.ErrInvalidArgument},
		{"primitive of another family", func(in *pakeTestInputs) {
			in.suite.Primitive = values.PAKEPrimitiveOf(values.PAKEPrimitiveTypeECC, values.PAKEFamily(values.ECCFamilySECPR2), 256)
		}, values.ErrInvalidArgument},
		{"password key", func(in *pakeTestInputs) { in.attrs.Type = values.KeyTypePassword }, values.ErrInvalidArgument},
		{"Prover with the public key", func(in *pakeTestInputs) {
			in.role = values.PAKERoleClient
			in.attrs.Type = values.KeyTypeSPAKE2PPublicKey(values.ECCFamilySECPR1)
			in.password = public
		}, values.ErrInvalidArgument},
		{"J-PAKE role", func(in *pakeTestInputs) { in.role = values.PAKERoleFirst }, values.ErrInvalidArgument},
		{"P-256 with SHA-384", func(in *pakeTestInputs) { in.suite.Algorithm = values.AlgSPAKE2PHMAC(values.AlgSHA384) }, values.ErrNotSupported},
		{"CMAC on P-384", func(in *pakeTestInputs) {
			in.suite.Algorithm = values.AlgSPAKE2PCMAC(values.AlgSHA256)
			in.suite.Primitive = values.PAKEPrimitiveOf(values.PAKEPrimitiveTypeECC, values.PAKEFamily(values.ECCFamilySECPR1), 384)
			in.attrs.Bits = 384
			in.password = newSPAKE2PTestKey(t, 384)
		}, values.ErrNotSupported},
		{"w0 out of range", func(in *pakeTestInputs) {
			in.password = append(bytes.Repeat([]byte{0xff}, 32), pair[32:]...)
		}, values.ErrInvalidArgument},
	} {
		in := ok()
		c.modify(in)
		_, err := (&Driver{}).PAKESetup(in)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

// FuzzSPAKE2PInput feeds arbitrary steps and data to a Verifier and a
// Prover: Input must never panic.
func FuzzSPAKE2PInput(f *testing.F) {
	suite := spake2pSuiteOf(values.AlgSPAKE2PHMAC(values.AlgSHA256), 256)
	pair := newSPAKE2PTestKey(f, 256)
	g := pakeP256()
	f.Add(false, uint8(1), g.ops.encode(nil, g.gen))
	f.Add(true, uint8(1), g.ops.encode(nil, g.gen))
	f.Add(true, uint8(4), make([]byte, 32))
	f.Fuzz(func(t *testing.T, prover bool, step uint8, data []byte) {
		role := values.PAKERoleServer
		if prover {
			role = values.PAKERoleClient
		}
		op, err := (&Driver{rand: rand.Reader}).PAKESetup(spake2pInputs(suite, role, pair, false, "a", "b", nil))
		if err != nil {
			t.Fatal(err)
		}
		if prover {
			if _, err := op.Output(values.PAKEStepKeyShare, nil); err != nil {
				t.Fatal(err)
			}
		}
		if op.Input(values.PAKEStep(step), data) == nil {
			if _, err := op.Output(values.PAKEStep(step), nil); err != nil && errors.Is(err, values.ErrCorruptionDetected) {
				t.Fatal(err)
			}
		}
	})
}

// BenchmarkSPAKE2PExchange is a full SPAKE2+ exchange over secp256r1
// (HMAC-SHA-256), both sides, the Verifier holding w0 || L.
func BenchmarkSPAKE2PExchange(b *testing.B) {
	suite := spake2pSuiteOf(values.AlgSPAKE2PHMAC(values.AlgSHA256), 256)
	pair := newSPAKE2PTestKey(b, 256)
	public, _ := exportPublicSPAKE2P(values.Attributes{Type: values.KeyTypeSPAKE2PKeyPair(values.ECCFamilySECPR1), Bits: 256}, pair, nil)
	pin := spake2pInputs(suite, values.PAKERoleClient, pair, false, "client", "server", nil)
	vin := spake2pInputs(suite, values.PAKERoleServer, public, true, "server", "client", nil)
	d := &Driver{rand: rand.Reader}
	b.ReportAllocs()
	for b.Loop() {
		p, _ := d.PAKESetup(pin)
		v, _ := d.PAKESetup(vin)
		spake2pExchange(b, p, v)
	}
}
