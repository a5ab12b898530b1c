package core

import (
	"bytes"
	"crypto/sha256"
	"testing"

	"github.com/gopsa/psa/values"
)

func TestXOFOp(t *testing.T) {
	c, d := newSymCore(t, nil)
	shake := func(op *XOFOp) error { return op.Setup(c, values.AlgSHAKE256) }
	cxof := func(op *XOFOp) error { return op.Setup(c, values.AlgAsconCXOF128) }
	output := func(op *XOFOp) error {
		if err := shake(op); err != nil {
			return err
		}
		return op.Output(make([]byte, 4))
	}
	updated := func(op *XOFOp) error {
		if err := cxof(op); err != nil {
			return err
		}
		return op.Update([]byte("x"))
	}
	cases := []struct {
		name  string
		setup func(op *XOFOp) error
		call  func(op *XOFOp) error
		want  error
	}{
		{"update inactive", nil, func(op *XOFOp) error { return op.Update(nil) }, values.ErrBadState},
		{"output inactive", nil, func(op *XOFOp) error { return op.Output(nil) }, values.ErrBadState},
		{"context inactive", nil, func(op *XOFOp) error { return op.SetContext(nil) }, values.ErrBadState},
		{"setup active", shake, shake, values.ErrBadState},
		{"update after output", output, func(op *XOFOp) error { return op.Update(nil) }, values.ErrBadState},
		{"context after update", updated, func(op *XOFOp) error { return op.SetContext(nil) }, values.ErrBadState},
		{"context twice", cxof, func(op *XOFOp) error { op.SetContext(nil); return op.SetContext(nil) }, values.ErrBadState},
		{"context without context", shake, func(op *XOFOp) error { return op.SetContext([]byte("c")) }, values.ErrInvalidArgument},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var op XOFOp
			if tc.setup != nil {
				wantStatus(t, "setup", tc.setup(&op), nil)
			}
			d.journal()
			wantStatus(t, tc.name, tc.call(&op), tc.want)
			if op.Active() {
				t.Error("operation still active after the error")
			}
			if tc.setup != nil && countCalls(d.journal(), "Abort") != 1 {
				t.Error("the driver's operation was not aborted once")
			}
			wantStatus(t, "setup again", shake(&op), nil)
			wantStatus(t, "abort", op.Abort(), nil)
		})
	}
	var op XOFOp
	wantStatus(t, "not an XOF", op.Setup(c, values.AlgSHAKE256_512), values.ErrInvalidArgument)
	wantStatus(t, "setup", cxof(&op), nil)
	wantStatus(t, "context", op.SetContext([]byte("ctx")), nil)
	wantStatus(t, "update", op.Update([]byte("in")), nil)
	a, b := make([]byte, 40), make([]byte, 40)
	wantStatus(t, "output", op.Output(a), nil)
	wantStatus(t, "output again", op.Output(b), nil)
	s := sha256.Sum256([]byte("ctxin"))
	if !bytes.Equal(a[:32], s[:]) || !op.Active() {
		t.Fatalf("output %x, active %v", a, op.Active())
	}
	wantStatus(t, "abort", op.Abort(), nil)
}
