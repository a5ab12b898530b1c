package core

import (
	"bytes"
	"testing"

	"github.com/gopsa/psa/values"
)

func TestCipherSingle(t *testing.T) {
	c, _ := newSymCore(t, nil)
	key := bytes.Repeat([]byte{0x5a}, 16)
	id := symImport(t, c, values.KeyTypeAES, values.UsageEncrypt|values.UsageDecrypt, values.AlgCTR, key)
	msg := []byte("attack at dawn")
	ct, err := c.CipherEncrypt(id, values.AlgCTR, msg, []byte("hdr"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ct) != 3+16+len(msg) || string(ct[:3]) != "hdr" {
		t.Fatalf("CipherEncrypt output %x: want the prefix, a 16-byte IV and %d bytes", ct, len(msg))
	}
	ct2, _ := c.CipherEncrypt(id, values.AlgCTR, msg, nil)
	if bytes.Equal(ct[3:19], ct2[:16]) {
		t.Error("two encryptions used the same IV")
	}
	pt, err := c.CipherDecrypt(id, values.AlgCTR, ct[3:], nil)
	if err != nil || !bytes.Equal(pt, msg) {
		t.Fatalf("CipherDecrypt = %q, %v", pt, err)
	}
	for _, alg := range []values.Algorithm{values.AlgGCM, values.AlgCCMStarAnyTag, values.AlgSHA256} {
		dst := []byte("keep")
		out, err := c.CipherEncrypt(id, alg, msg, dst)
		wantStatus(t, "encrypt "+alg.String(), err, values.ErrInvalidArgument)
		if string(out) != "keep" {
			t.Errorf("encrypt %v on error returned %q, want dst", alg, out)
		}
		_, err = c.CipherDecrypt(id, alg, ct, nil)
		wantStatus(t, "decrypt "+alg.String(), err, values.ErrInvalidArgument)
	}
}

func TestCipherOpStates(t *testing.T) {
	c, d := newSymCore(t, nil)
	key := bytes.Repeat([]byte{0x5a}, 16)
	usage := values.UsageEncrypt | values.UsageDecrypt
	ctr := symImport(t, c, values.KeyTypeAES, usage, values.AlgCTR, key)
	ecb := symImport(t, c, values.KeyTypeAES, usage, values.AlgECBNoPadding, key)
	enc := func(op *CipherOp) error { return op.EncryptSetup(c, ctr, values.AlgCTR) }
	dec := func(op *CipherOp) error { return op.DecryptSetup(c, ctr, values.AlgCTR) }
	encECB := func(op *CipherOp) error { return op.EncryptSetup(c, ecb, values.AlgECBNoPadding) }
	encIV := func(op *CipherOp) error {
		if err := enc(op); err != nil {
			return err
		}
		_, err := op.GenerateIV(nil)
		return err
	}
	genIV := func(op *CipherOp) error { _, err := op.GenerateIV(nil); return err }
	setIV := func(op *CipherOp) error { return op.SetIV(make([]byte, 16)) }
	update := func(op *CipherOp) error { _, err := op.Update([]byte("x"), nil); return err }
	finish := func(op *CipherOp) error { _, err := op.Finish(nil); return err }
	cases := []struct {
		name  string
		setup func(op *CipherOp) error
		call  func(op *CipherOp) error
	}{
		{"generate iv inactive", nil, genIV},
		{"set iv inactive", nil, setIV},
		{"update inactive", nil, update},
		{"finish inactive", nil, finish},
		{"setup active", enc, dec},
		{"generate iv on decrypt", dec, genIV},
		{"generate iv twice", encIV, genIV},
		{"set iv after generate", encIV, setIV},
		{"update without iv", enc, update},
		{"finish without iv", dec, finish},
		{"generate iv without iv", encECB, genIV},
		{"set iv without iv", encECB, setIV},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var op CipherOp
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
			wantStatus(t, "setup again", enc(&op), nil)
			wantStatus(t, "abort", op.Abort(), nil)
		})
	}
}

func TestCipherOpFlow(t *testing.T) {
	c, d := newSymCore(t, nil)
	key := bytes.Repeat([]byte{0x5a}, 16)
	id := symImport(t, c, values.KeyTypeAES, values.UsageEncrypt|values.UsageDecrypt, values.AlgCTR, key)
	var op CipherOp
	wantStatus(t, "setup", op.EncryptSetup(c, id, values.AlgCTR), nil)
	iv, err := op.GenerateIV([]byte("p"))
	if err != nil || len(iv) != 17 || iv[0] != 'p' {
		t.Fatalf("GenerateIV = %x, %v", iv, err)
	}
	out, err := op.Update([]byte("ab"), nil)
	wantStatus(t, "update", err, nil)
	out, err = op.Update([]byte("c"), out)
	wantStatus(t, "update", err, nil)
	out, err = op.Finish(out)
	wantStatus(t, "finish", err, nil)
	if !bytes.Equal(out, []byte{'a' ^ 0x5a, 'b' ^ 0x5a, 'c' ^ 0x5a}) || op.Active() {
		t.Fatalf("output %x, active %v", out, op.Active())
	}
	// SetIV is checked by the driver: a bad length aborts the operation.
	wantStatus(t, "decrypt setup", op.DecryptSetup(c, id, values.AlgCTR), nil)
	d.journal()
	wantStatus(t, "short iv", op.SetIV(make([]byte, 3)), values.ErrInvalidArgument)
	if op.Active() || countCalls(d.journal(), "Abort") != 1 {
		t.Fatal("a failed SetIV must abort the operation")
	}
	wantStatus(t, "decrypt setup", op.DecryptSetup(c, id, values.AlgCTR), nil)
	wantStatus(t, "set iv", op.SetIV(iv[1:]), nil)
	pt, err := op.Update(out, nil)
	wantStatus(t, "update", err, nil)
	pt, err = op.Finish(pt)
	if err != nil || string(pt) != "abc" {
		t.Fatalf("decrypted %q, %v", pt, err)
	}
	// Policy: an encryption needs UsageEncrypt.
	dOnly := symImport(t, c, values.KeyTypeAES, values.UsageDecrypt, values.AlgCTR, key)
	wantStatus(t, "encrypt with decrypt-only key", op.EncryptSetup(c, dOnly, values.AlgCTR), values.ErrNotPermitted)
	wantStatus(t, "wrong algorithm", op.DecryptSetup(c, dOnly, values.AlgCBCNoPadding), values.ErrNotPermitted)
	wantStatus(t, "not a cipher", op.DecryptSetup(c, dOnly, values.AlgGCM), values.ErrInvalidArgument)
	if op.Active() {
		t.Fatal("active after failed setups")
	}
}
