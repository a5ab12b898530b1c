package core

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/storage"
	"github.com/gopsa/psa/values"
)

// symDispatch is a dispatch layer for the tests of the symmetric operation
// state machines. Its operations compute simple, checkable functions (a
// hash of everything given, a XOR with the first key byte) and record every
// call on an operation object, so that the tests can check the driver
// contract: Abort after a failure, nothing after a finish step. A method
// named in fail fails with that error.
type symDispatch struct {
	rawDispatch
	mu    sync.Mutex
	calls []string
	fail  map[string]error
}

func (d *symDispatch) record(call string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls = append(d.calls, call)
	return d.fail[call]
}

// journal returns the calls recorded since the last call to journal.
func (d *symDispatch) journal() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	c := d.calls
	d.calls = nil
	return c
}

func (d *symDispatch) setFail(call string, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.fail == nil {
		d.fail = make(map[string]error)
	}
	if err == nil {
		delete(d.fail, call)
	} else {
		d.fail[call] = err
	}
}

var errSymTest = fmt.Errorf("test driver failure: %w", values.ErrHardwareFailure)

func symTag(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)[:16]
}

// symStream is a hash, MAC or XOF operation: its output is SHA-256 of the
// key (if any), the context and the input.
type symStream struct {
	d    *symDispatch
	data []byte
}

func (o *symStream) Update(in []byte) error {
	if err := o.d.record("Update"); err != nil {
		return err
	}
	o.data = append(o.data, in...)
	return nil
}
func (o *symStream) sum() []byte { s := sha256.Sum256(o.data); return s[:] }
func (o *symStream) Finish(dst []byte) ([]byte, error) {
	if err := o.d.record("Finish"); err != nil {
		return nil, err
	}
	return append(dst, o.sum()...), nil
}
func (o *symStream) Clone() (driver.HashOperation, error) {
	if err := o.d.record("Clone"); err != nil {
		return nil, err
	}
	return &symStream{d: o.d, data: slices.Clone(o.data)}, nil
}
func (o *symStream) Suspend(dst []byte) ([]byte, error) {
	if err := o.d.record("Suspend"); err != nil {
		return nil, err
	}
	return append(append(dst, 0x02, 0, 0, 0x09), o.data...), nil
}
func (o *symStream) Abort() error { return o.d.record("Abort") }
func (o *symStream) SignFinish(dst []byte) ([]byte, error) {
	if err := o.d.record("SignFinish"); err != nil {
		return nil, err
	}
	return append(dst, o.sum()...), nil
}
func (o *symStream) VerifyFinish(mac []byte) error {
	if err := o.d.record("VerifyFinish"); err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(mac, o.sum()) != 1 {
		return values.ErrInvalidSignature
	}
	return nil
}
func (o *symStream) SetContext(ctx []byte) error {
	if err := o.d.record("SetContext"); err != nil {
		return err
	}
	o.data = append(o.data, ctx...)
	return nil
}
func (o *symStream) Output(out []byte) error {
	if err := o.d.record("Output"); err != nil {
		return err
	}
	s := o.sum()
	for i := range out {
		out[i] = s[i%len(s)]
	}
	return nil
}

// symCloneMAC is a MAC operation that can copy itself.
type symCloneMAC struct{ *symStream }

func (o symCloneMAC) Clone() (driver.MACOperation, error) {
	if err := o.d.record("Clone"); err != nil {
		return nil, err
	}
	return symCloneMAC{&symStream{d: o.d, data: slices.Clone(o.data)}}, nil
}

func (d *symDispatch) HashCompute(alg values.Algorithm, in, dst []byte) ([]byte, error) {
	if err := d.record("HashCompute"); err != nil {
		return nil, err
	}
	s := sha256.Sum256(in)
	return append(dst, s[:]...), nil
}
func (d *symDispatch) HashSetup(alg values.Algorithm) (driver.HashOperation, error) {
	if err := d.record("HashSetup"); err != nil {
		return nil, err
	}
	return &symStream{d: d}, nil
}
func (d *symDispatch) HashResume(alg values.Algorithm, state []byte) (driver.HashOperation, error) {
	if err := d.record("HashResume"); err != nil {
		return nil, err
	}
	return &symStream{d: d, data: slices.Clone(state[4:])}, nil
}
func (d *symDispatch) XOFSetup(alg values.Algorithm) (driver.XOFOperation, error) {
	if err := d.record("XOFSetup"); err != nil {
		return nil, err
	}
	return &symStream{d: d}, nil
}
func (d *symDispatch) MACCompute(a values.Attributes, key []byte, alg values.Algorithm, in, dst []byte) ([]byte, error) {
	if err := d.record("MACCompute"); err != nil {
		return nil, err
	}
	s := sha256.Sum256(append(slices.Clone(key), in...))
	return append(dst, s[:]...), nil
}
func (d *symDispatch) MACVerify(a values.Attributes, key []byte, alg values.Algorithm, in, mac []byte) error {
	s, _ := d.MACCompute(a, key, alg, in, nil)
	if subtle.ConstantTimeCompare(s, mac) != 1 {
		return values.ErrInvalidSignature
	}
	return nil
}
func (d *symDispatch) MACSignSetup(a values.Attributes, key []byte, alg values.Algorithm) (driver.MACOperation, error) {
	if err := d.record("MACSignSetup"); err != nil {
		return nil, err
	}
	if alg == values.AlgCMAC { // a MAC operation that cannot copy itself
		return &symStream{d: d, data: slices.Clone(key)}, nil
	}
	return symCloneMAC{&symStream{d: d, data: slices.Clone(key)}}, nil
}
func (d *symDispatch) MACVerifySetup(a values.Attributes, key []byte, alg values.Algorithm) (driver.MACOperation, error) {
	if err := d.record("MACVerifySetup"); err != nil {
		return nil, err
	}
	return &symStream{d: d, data: slices.Clone(key)}, nil
}

// symXOR is a cipher or AEAD operation: it XORs with the first key byte.
type symXOR struct {
	d     *symDispatch
	k     byte
	ad    []byte
	text  []byte // plaintext so far
	dec   bool
	nonce []byte
}

func (o *symXOR) xor(in, dst []byte) []byte {
	for _, b := range in {
		dst = append(dst, b^o.k)
	}
	return dst
}
func (o *symXOR) SetIV(iv []byte) error {
	if err := o.d.record("SetIV"); err != nil {
		return err
	}
	if len(iv) != 16 {
		return fmt.Errorf("test: IV length %d, want 16: %w", len(iv), values.ErrInvalidArgument)
	}
	return nil
}
func (o *symXOR) update(in, dst []byte) ([]byte, error) {
	if err := o.d.record("Update"); err != nil {
		return nil, err
	}
	out := o.xor(in, dst)
	if o.dec {
		o.text = append(o.text, out[len(dst):]...)
	} else {
		o.text = append(o.text, in...)
	}
	return out, nil
}
func (o *symXOR) Abort() error { return o.d.record("Abort") }

type symCipherOp struct{ symXOR }

func (o *symCipherOp) Update(in, dst []byte) ([]byte, error) { return o.update(in, dst) }
func (o *symCipherOp) Finish(dst []byte) ([]byte, error) {
	if err := o.d.record("Finish"); err != nil {
		return nil, err
	}
	return dst, nil
}

type symAEADOp struct{ symXOR }

func (o *symAEADOp) SetNonce(n []byte) error {
	if err := o.d.record("SetNonce"); err != nil {
		return err
	}
	o.nonce = slices.Clone(n)
	return nil
}
func (o *symAEADOp) SetLengths(ad, pt int) error { return o.d.record("SetLengths") }
func (o *symAEADOp) UpdateAD(ad []byte) error {
	if err := o.d.record("UpdateAD"); err != nil {
		return err
	}
	o.ad = append(o.ad, ad...)
	return nil
}
func (o *symAEADOp) Update(in, dst []byte) ([]byte, error) { return o.update(in, dst) }
func (o *symAEADOp) Finish(dst, tag []byte) ([]byte, []byte, error) {
	if err := o.d.record("Finish"); err != nil {
		return nil, nil, err
	}
	return dst, append(tag, symTag(o.nonce, o.ad, o.text)...), nil
}
func (o *symAEADOp) Verify(dst, tag []byte) ([]byte, error) {
	if err := o.d.record("Verify"); err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare(tag, symTag(o.nonce, o.ad, o.text)) != 1 {
		return nil, values.ErrInvalidSignature
	}
	return dst, nil
}

func (d *symDispatch) CipherEncrypt(a values.Attributes, key []byte, alg values.Algorithm, iv, in, dst []byte) ([]byte, error) {
	if err := d.record("CipherEncrypt"); err != nil {
		return nil, err
	}
	return (&symXOR{k: key[0]}).xor(in, dst), nil
}
func (d *symDispatch) CipherDecrypt(a values.Attributes, key []byte, alg values.Algorithm, in, dst []byte) ([]byte, error) {
	if err := d.record("CipherDecrypt"); err != nil {
		return nil, err
	}
	n := values.CipherIVLength(a.Type, alg)
	if len(in) < n {
		return nil, fmt.Errorf("test: input shorter than the IV: %w", values.ErrInvalidArgument)
	}
	return (&symXOR{k: key[0]}).xor(in[n:], dst), nil
}
func (d *symDispatch) CipherEncryptSetup(a values.Attributes, key []byte, alg values.Algorithm) (driver.CipherOperation, error) {
	if err := d.record("CipherEncryptSetup"); err != nil {
		return nil, err
	}
	return &symCipherOp{symXOR{d: d, k: key[0]}}, nil
}
func (d *symDispatch) CipherDecryptSetup(a values.Attributes, key []byte, alg values.Algorithm) (driver.CipherOperation, error) {
	if err := d.record("CipherDecryptSetup"); err != nil {
		return nil, err
	}
	return &symCipherOp{symXOR{d: d, k: key[0], dec: true}}, nil
}
func (d *symDispatch) AEADEncrypt(a values.Attributes, key []byte, alg values.Algorithm, nonce, ad, pt, dst []byte) ([]byte, error) {
	if err := d.record("AEADEncrypt"); err != nil {
		return nil, err
	}
	out := (&symXOR{k: key[0]}).xor(pt, dst)
	return append(out, symTag(nonce, ad, pt)...), nil
}
func (d *symDispatch) AEADDecrypt(a values.Attributes, key []byte, alg values.Algorithm, nonce, ad, ct, dst []byte) ([]byte, error) {
	if err := d.record("AEADDecrypt"); err != nil {
		return nil, err
	}
	if len(ct) < 16 {
		return nil, values.ErrInvalidSignature
	}
	pt := (&symXOR{k: key[0]}).xor(ct[:len(ct)-16], nil)
	if subtle.ConstantTimeCompare(ct[len(ct)-16:], symTag(nonce, ad, pt)) != 1 {
		return nil, values.ErrInvalidSignature
	}
	return append(dst, pt...), nil
}
func (d *symDispatch) AEADEncryptSetup(a values.Attributes, key []byte, alg values.Algorithm) (driver.AEADOperation, error) {
	if err := d.record("AEADEncryptSetup"); err != nil {
		return nil, err
	}
	return &symAEADOp{symXOR{d: d, k: key[0]}}, nil
}
func (d *symDispatch) AEADDecryptSetup(a values.Attributes, key []byte, alg values.Algorithm) (driver.AEADOperation, error) {
	if err := d.record("AEADDecryptSetup"); err != nil {
		return nil, err
	}
	return &symAEADOp{symXOR{d: d, k: key[0], dec: true}}, nil
}
func (d *symDispatch) WrapKey(a values.Attributes, key []byte, alg values.Algorithm, data, dst []byte) ([]byte, error) {
	if err := d.record("WrapKey"); err != nil {
		return nil, err
	}
	return append((&symXOR{k: key[0]}).xor(data, dst), symTag(data)...), nil
}
func (d *symDispatch) UnwrapKey(a values.Attributes, key []byte, alg values.Algorithm, w, dst []byte) ([]byte, error) {
	if err := d.record("UnwrapKey"); err != nil {
		return nil, err
	}
	if len(w) < 16 {
		return nil, values.ErrInvalidSignature
	}
	data := (&symXOR{k: key[0]}).xor(w[:len(w)-16], nil)
	if subtle.ConstantTimeCompare(w[len(w)-16:], symTag(data)) != 1 {
		return nil, values.ErrInvalidSignature
	}
	return append(dst, data...), nil
}

func newSymCore(t testing.TB, store storage.Store) (*Core, *symDispatch) {
	t.Helper()
	d := &symDispatch{}
	c, err := New(Config{Store: store, Dispatch: d})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, d
}

func symImport(t testing.TB, c *Core, typ values.KeyType, usage values.KeyUsage, alg values.Algorithm, key []byte) values.KeyID {
	t.Helper()
	id, err := c.Import(values.Attributes{Type: typ, Usage: usage, Alg: alg}, key)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func wantStatus(t *testing.T, what string, err error, want error) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("%s: err = %v, want %v", what, err, want)
	}
}

func TestHashSingleChecks(t *testing.T) {
	c, _ := newSymCore(t, nil)
	msg := []byte("abc")
	want := sha256.Sum256(msg)
	h, err := c.HashCompute(values.AlgSHA256, msg, []byte("x"))
	if err != nil || !bytes.Equal(h, append([]byte("x"), want[:]...)) {
		t.Fatalf("HashCompute = %x, %v", h, err)
	}
	wantStatus(t, "compare", c.HashCompare(values.AlgSHA256, msg, want[:]), nil)
	wantStatus(t, "compare wrong", c.HashCompare(values.AlgSHA256, msg, want[:31]), values.ErrInvalidSignature)
	for _, alg := range []values.Algorithm{values.AlgAnyHash, values.AlgHMAC(values.AlgSHA256), values.AlgSHAKE128, 0} {
		dst := []byte("keep")
		out, err := c.HashCompute(alg, msg, dst)
		status := values.ErrInvalidArgument
		if alg == values.AlgAnyHash {
			status = values.ErrNotSupported // a hash, but no specific one
		}
		wantStatus(t, fmt.Sprintf("compute %v", alg), err, status)
		if string(out) != "keep" {
			t.Errorf("compute %v on error returned %q, want dst unchanged", alg, out)
		}
		wantStatus(t, fmt.Sprintf("compare %v", alg), c.HashCompare(alg, msg, want[:]), status)
	}
}

// TestHashOpStates checks the state machine: each out-of-order call fails
// with BAD_STATE and leaves the operation inactive, the driver's operation
// aborted once.
func TestHashOpStates(t *testing.T) {
	c, d := newSymCore(t, nil)
	active := func(t *testing.T, op *HashOp) {
		if err := op.Setup(c, values.AlgSHA256); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name  string
		setup bool
		call  func(op *HashOp) error
	}{
		{"update inactive", false, func(op *HashOp) error { return op.Update(nil) }},
		{"finish inactive", false, func(op *HashOp) error { _, err := op.Finish(nil); return err }},
		{"verify inactive", false, func(op *HashOp) error { return op.Verify(nil) }},
		{"suspend inactive", false, func(op *HashOp) error { _, err := op.Suspend(nil); return err }},
		{"setup active", true, func(op *HashOp) error { return op.Setup(c, values.AlgSHA256) }},
		{"resume active", true, func(op *HashOp) error { return op.Resume(c, []byte{2, 0, 0, 9}) }},
		{"clone inactive", false, func(op *HashOp) error { var t HashOp; return op.CloneTo(&t) }},
		{"clone to self", true, func(op *HashOp) error { return op.CloneTo(op) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var op HashOp
			if tc.setup {
				active(t, &op)
			}
			d.journal()
			wantStatus(t, tc.name, tc.call(&op), values.ErrBadState)
			if op.Active() {
				t.Errorf("operation still active after BAD_STATE")
			}
			wantAborts := 0
			if tc.setup {
				wantAborts = 1
			}
			if n := countCalls(d.journal(), "Abort"); n != wantAborts {
				t.Errorf("driver Abort called %d times, want %d", n, wantAborts)
			}
			// The operation can be set up again.
			active(t, &op)
			if err := op.Abort(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func countCalls(calls []string, name string) int {
	n := 0
	for _, c := range calls {
		if c == name {
			n++
		}
	}
	return n
}

func TestHashOpFlow(t *testing.T) {
	c, d := newSymCore(t, nil)
	var op, cl HashOp
	wantStatus(t, "setup", op.Setup(c, values.AlgSHA256), nil)
	wantStatus(t, "update", op.Update([]byte("ab")), nil)
	wantStatus(t, "clone", op.CloneTo(&cl), nil)
	wantStatus(t, "clone to active", op.CloneTo(&cl), values.ErrBadState)
	if !op.Active() || cl.Active() {
		t.Fatalf("after clone to an active target: source active %v (want true), target active %v (want false)", op.Active(), cl.Active())
	}
	wantStatus(t, "clone", op.CloneTo(&cl), nil)
	wantStatus(t, "update", op.Update([]byte("c")), nil)
	wantStatus(t, "update clone", cl.Update([]byte("x")), nil)
	sum := sha256.Sum256([]byte("abc"))
	h, err := op.Finish(nil)
	if err != nil || !bytes.Equal(h, sum[:]) {
		t.Fatalf("Finish = %x, %v", h, err)
	}
	if op.Active() {
		t.Fatal("active after Finish")
	}
	sumx := sha256.Sum256([]byte("abx"))
	wantStatus(t, "verify clone", cl.Verify(sumx[:]), nil)

	// Reuse after finish; a failed verify ends the operation.
	wantStatus(t, "setup again", op.Setup(c, values.AlgSHA256), nil)
	wantStatus(t, "verify wrong", op.Verify(sum[:]), values.ErrInvalidSignature)
	if op.Active() {
		t.Fatal("active after failed Verify")
	}

	// A failing update aborts the driver's operation; a failing finish does not.
	d.journal()
	wantStatus(t, "setup", op.Setup(c, values.AlgSHA256), nil)
	d.setFail("Update", errSymTest)
	wantStatus(t, "update fails", op.Update([]byte("x")), values.ErrHardwareFailure)
	d.setFail("Update", nil)
	if op.Active() {
		t.Fatal("active after failed Update")
	}
	wantStatus(t, "abort after error", op.Abort(), nil)
	if got := d.journal(); !slices.Equal(got, []string{"HashSetup", "Update", "Abort"}) {
		t.Errorf("driver calls = %v, want setup, update, one abort", got)
	}
	wantStatus(t, "setup", op.Setup(c, values.AlgSHA256), nil)
	d.setFail("Finish", errSymTest)
	dst := []byte("keep")
	out, err := op.Finish(dst)
	wantStatus(t, "finish fails", err, values.ErrHardwareFailure)
	d.setFail("Finish", nil)
	if string(out) != "keep" || op.Active() {
		t.Errorf("failed Finish: out %q, active %v", out, op.Active())
	}
	if got := d.journal(); !slices.Equal(got, []string{"HashSetup", "Finish"}) {
		t.Errorf("driver calls = %v, want no abort after a finish step", got)
	}
	// A failing setup leaves the operation inactive.
	d.setFail("HashSetup", errSymTest)
	wantStatus(t, "setup fails", op.Setup(c, values.AlgSHA256), values.ErrHardwareFailure)
	d.setFail("HashSetup", nil)
	if op.Active() {
		t.Fatal("active after failed setup")
	}
	wantStatus(t, "setup with a MAC", op.Setup(c, values.AlgHMAC(values.AlgSHA256)), values.ErrInvalidArgument)
}

func TestHashSuspendResume(t *testing.T) {
	c, _ := newSymCore(t, nil)
	var op HashOp
	wantStatus(t, "setup", op.Setup(c, values.AlgSHA256), nil)
	wantStatus(t, "update", op.Update([]byte("ab")), nil)
	st, err := op.Suspend([]byte("x"))
	if err != nil || !bytes.Equal(st, []byte("x\x02\x00\x00\x09ab")) {
		t.Fatalf("Suspend = %q, %v", st, err)
	}
	if op.Active() {
		t.Fatal("active after Suspend")
	}
	wantStatus(t, "resume", op.Resume(c, st[1:]), nil)
	if op.Alg() != values.AlgSHA256 {
		t.Errorf("resumed algorithm %v", op.Alg())
	}
	wantStatus(t, "update", op.Update([]byte("c")), nil)
	sum := sha256.Sum256([]byte("abc"))
	wantStatus(t, "verify", op.Verify(sum[:]), nil)

	for _, st := range [][]byte{nil, {2, 0, 0}, {3, 0, 0, 9}, {2, 0, 0, 0xff}} {
		wantStatus(t, fmt.Sprintf("resume %x", st), op.Resume(c, st), values.ErrInvalidArgument)
	}
}

func TestSymClosed(t *testing.T) {
	c, _ := newSymCore(t, nil)
	c.Close()
	_, err := c.HashCompute(values.AlgSHA256, nil, nil)
	wantStatus(t, "compute after close", err, values.ErrBadState)
	var op HashOp
	wantStatus(t, "setup after close", op.Setup(c, values.AlgSHA256), values.ErrBadState)
	var x XOFOp
	wantStatus(t, "xof setup after close", x.Setup(c, values.AlgSHAKE256), values.ErrBadState)
}
