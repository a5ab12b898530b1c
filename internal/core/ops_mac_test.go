package core

import (
	"bytes"
	"crypto/sha256"
	"slices"
	"testing"

	"github.com/gopsa/psa/storage"
	"github.com/gopsa/psa/values"
)

var symHMAC = values.AlgHMAC(values.AlgSHA256)

func TestMACSingle(t *testing.T) {
	c, _ := newSymCore(t, nil)
	key := []byte("key")
	id := symImport(t, c, values.KeyTypeHMAC, values.UsageSignMessage|values.UsageVerifyMessage, symHMAC, key)
	want := sha256.Sum256([]byte("keymsg"))
	mac, err := c.MACCompute(id, symHMAC, []byte("msg"), nil)
	if err != nil || !bytes.Equal(mac, want[:]) {
		t.Fatalf("MACCompute = %x, %v", mac, err)
	}
	wantStatus(t, "verify", c.MACVerify(id, symHMAC, []byte("msg"), mac), nil)
	wantStatus(t, "verify wrong", c.MACVerify(id, symHMAC, []byte("msh"), mac), values.ErrInvalidSignature)
	for _, alg := range []values.Algorithm{values.AlgSHA256, values.AlgAtLeastThisLengthMAC(symHMAC, 16), values.AlgCTR} {
		_, err := c.MACCompute(id, alg, nil, nil)
		wantStatus(t, "compute "+alg.String(), err, values.ErrInvalidArgument)
		wantStatus(t, "verify "+alg.String(), c.MACVerify(id, alg, nil, mac), values.ErrInvalidArgument)
	}
	_, err = c.MACCompute(0x7fff0000-1, symHMAC, nil, nil)
	wantStatus(t, "no such key", err, values.ErrInvalidHandle)
}

func TestMACOpStates(t *testing.T) {
	c, d := newSymCore(t, nil)
	id := symImport(t, c, values.KeyTypeHMAC, values.UsageSignMessage|values.UsageVerifyMessage, symHMAC, []byte("k"))
	sign := func(op *MACOp) error { return op.SignSetup(c, id, symHMAC) }
	verify := func(op *MACOp) error { return op.VerifySetup(c, id, symHMAC) }
	cases := []struct {
		name  string
		setup func(op *MACOp) error
		call  func(op *MACOp) error
	}{
		{"update inactive", nil, func(op *MACOp) error { return op.Update(nil) }},
		{"sign finish inactive", nil, func(op *MACOp) error { _, err := op.SignFinish(nil); return err }},
		{"verify finish inactive", nil, func(op *MACOp) error { return op.VerifyFinish(nil) }},
		{"sign setup active", sign, sign},
		{"verify setup active", sign, verify},
		{"sign finish on verify", verify, func(op *MACOp) error { _, err := op.SignFinish(nil); return err }},
		{"verify finish on sign", sign, func(op *MACOp) error { return op.VerifyFinish(nil) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var op MACOp
			if tc.setup != nil {
				wantStatus(t, "setup", tc.setup(&op), nil)
			}
			d.journal()
			wantStatus(t, tc.name, tc.call(&op), values.ErrBadState)
			if op.Active() {
				t.Error("operation still active after BAD_STATE")
			}
			want := 0
			if tc.setup != nil {
				want = 1
			}
			if n := countCalls(d.journal(), "Abort"); n != want {
				t.Errorf("driver Abort called %d times, want %d", n, want)
			}
			wantStatus(t, "setup again", sign(&op), nil)
			wantStatus(t, "abort", op.Abort(), nil)
			wantStatus(t, "abort inactive", op.Abort(), nil)
		})
	}
}

func TestMACOpFlow(t *testing.T) {
	c, d := newSymCore(t, nil)
	id := symImport(t, c, values.KeyTypeHMAC, values.UsageSignMessage|values.UsageVerifyMessage, symHMAC, []byte("k"))
	var op, cl MACOp
	wantStatus(t, "setup", op.SignSetup(c, id, symHMAC), nil)
	wantStatus(t, "update", op.Update([]byte("ab")), nil)
	if !op.CanClone() {
		t.Fatal("CanClone = false for a cloneable driver operation")
	}
	wantStatus(t, "clone", op.CloneTo(&cl), nil)
	wantStatus(t, "update", op.Update([]byte("c")), nil)
	want := sha256.Sum256([]byte("kabc"))
	mac, err := op.SignFinish(nil)
	if err != nil || !bytes.Equal(mac, want[:]) {
		t.Fatalf("SignFinish = %x, %v", mac, err)
	}
	want2 := sha256.Sum256([]byte("kab"))
	mac2, err := cl.SignFinish(nil)
	if err != nil || !bytes.Equal(mac2, want2[:]) {
		t.Fatalf("clone SignFinish = %x, %v", mac2, err)
	}

	wantStatus(t, "verify setup", op.VerifySetup(c, id, symHMAC), nil)
	wantStatus(t, "update", op.Update([]byte("abc")), nil)
	d.journal()
	wantStatus(t, "verify wrong", op.VerifyFinish(mac2), values.ErrInvalidSignature)
	if op.Active() || countCalls(d.journal(), "Abort") != 0 {
		t.Fatal("a failed VerifyFinish must end the operation without calling the driver's Abort")
	}
	wantStatus(t, "verify setup", op.VerifySetup(c, id, symHMAC), nil)
	wantStatus(t, "update", op.Update([]byte("abc")), nil)
	wantStatus(t, "verify", op.VerifyFinish(mac), nil)

	// A driver operation that cannot copy itself.
	cm := symImport(t, c, values.KeyTypeAES, values.UsageSignMessage, values.AlgCMAC, bytes.Repeat([]byte{1}, 16))
	wantStatus(t, "cmac setup", op.SignSetup(c, cm, values.AlgCMAC), nil)
	if op.CanClone() {
		t.Fatal("CanClone = true for a driver operation without Clone")
	}
	wantStatus(t, "clone unsupported", op.CloneTo(&cl), values.ErrNotSupported)
	if !op.Active() || cl.Active() {
		t.Fatal("a failed clone must leave the source as it was and the target inactive")
	}
	op.Abort()
}

// TestMACOpKeyDestroyed: destroying the key makes the operation fail;
// purging a persistent key does not.
func TestMACOpKeyDestroyed(t *testing.T) {
	c, d := newSymCore(t, storage.NewMemory())
	id := symImport(t, c, values.KeyTypeHMAC, values.UsageSignMessage, symHMAC, []byte("k"))
	var op MACOp
	wantStatus(t, "setup", op.SignSetup(c, id, symHMAC), nil)
	wantStatus(t, "destroy", c.Destroy(id), nil)
	d.journal()
	wantStatus(t, "update after destroy", op.Update([]byte("x")), values.ErrInvalidHandle)
	if op.Active() || !slices.Equal(d.journal(), []string{"Abort"}) {
		t.Fatal("the operation must be aborted when its key is destroyed")
	}

	p, err := c.Import(values.Attributes{ID: 5, Lifetime: values.LifetimePersistent, Type: values.KeyTypeHMAC,
		Usage: values.UsageSignMessage, Alg: symHMAC}, []byte("k"))
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "setup", op.SignSetup(c, p, symHMAC), nil)
	wantStatus(t, "purge", c.Purge(p), nil)
	wantStatus(t, "update after purge", op.Update([]byte("ab")), nil)
	wantStatus(t, "purge again", c.Purge(p), nil)
	wantStatus(t, "destroy", c.Destroy(p), nil)
	_, err = op.SignFinish(nil)
	wantStatus(t, "finish after destroy", err, values.ErrInvalidHandle)
}
