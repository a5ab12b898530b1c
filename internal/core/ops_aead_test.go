package core

import (
	"bytes"
	"testing"

	"github.com/gopsa/psa/values"
)

func TestAEADSingle(t *testing.T) {
	c, _ := newSymCore(t, nil)
	id := symImport(t, c, values.KeyTypeAES, values.UsageEncrypt|values.UsageDecrypt, values.AlgGCM, bytes.Repeat([]byte{7}, 16))
	nonce := make([]byte, 12)
	ct, err := c.AEADEncrypt(id, values.AlgGCM, nonce, []byte("ad"), []byte("msg"), nil)
	wantStatus(t, "encrypt", err, nil)
	pt, err := c.AEADDecrypt(id, values.AlgGCM, nonce, []byte("ad"), ct, []byte("p"))
	if err != nil || string(pt) != "pmsg" {
		t.Fatalf("decrypt = %q, %v", pt, err)
	}
	ct[0] ^= 1
	pt, err = c.AEADDecrypt(id, values.AlgGCM, nonce, []byte("ad"), ct, []byte("p"))
	wantStatus(t, "decrypt forged", err, values.ErrInvalidSignature)
	if string(pt) != "p" {
		t.Errorf("forged decrypt returned %q, want dst unchanged", pt)
	}
	for _, alg := range []values.Algorithm{values.AlgCTR, values.AlgAEADWithAtLeastThisLengthTag(values.AlgGCM, 12)} {
		_, err := c.AEADEncrypt(id, alg, nonce, nil, nil, nil)
		wantStatus(t, "encrypt "+alg.String(), err, values.ErrInvalidArgument)
		_, err = c.AEADDecrypt(id, alg, nonce, nil, ct, nil)
		wantStatus(t, "decrypt "+alg.String(), err, values.ErrInvalidArgument)
	}
}

func TestAEADOpStates(t *testing.T) {
	c, d := newSymCore(t, nil)
	key := bytes.Repeat([]byte{7}, 16)
	usage := values.UsageEncrypt | values.UsageDecrypt
	gcm := symImport(t, c, values.KeyTypeAES, usage, values.AlgGCM, key)
	ccm := symImport(t, c, values.KeyTypeAES, usage, values.AlgCCM, key)
	enc := func(op *AEADOp) error { return op.EncryptSetup(c, gcm, values.AlgGCM) }
	dec := func(op *AEADOp) error { return op.DecryptSetup(c, gcm, values.AlgGCM) }
	encCCM := func(op *AEADOp) error { return op.EncryptSetup(c, ccm, values.AlgCCM) }
	decCCM := func(op *AEADOp) error { return op.DecryptSetup(c, ccm, values.AlgCCM) }
	then := func(a, b func(op *AEADOp) error) func(op *AEADOp) error {
		return func(op *AEADOp) error {
			if err := a(op); err != nil {
				return err
			}
			return b(op)
		}
	}
	genNonce := func(op *AEADOp) error { _, err := op.GenerateNonce(nil); return err }
	setNonce := func(op *AEADOp) error { return op.SetNonce(make([]byte, 12)) }
	setLens := func(op *AEADOp) error { return op.SetLengths(2, 3) }
	updateAD := func(op *AEADOp) error { return op.UpdateAD([]byte("a")) }
	update := func(op *AEADOp) error { _, err := op.Update([]byte("x"), nil); return err }
	finish := func(op *AEADOp) error { _, _, err := op.Finish(nil, nil); return err }
	verify := func(op *AEADOp) error { _, err := op.Verify(nil, make([]byte, 16)); return err }
	encN := then(enc, genNonce)
	decN := then(dec, setNonce)
	cases := []struct {
		name  string
		setup func(op *AEADOp) error
		call  func(op *AEADOp) error
	}{
		{"set lengths inactive", nil, setLens},
		{"generate nonce inactive", nil, genNonce},
		{"set nonce inactive", nil, setNonce},
		{"update ad inactive", nil, updateAD},
		{"update inactive", nil, update},
		{"finish inactive", nil, finish},
		{"verify inactive", nil, verify},
		{"setup active", enc, dec},
		{"generate nonce on decrypt", dec, genNonce},
		{"nonce twice", encN, setNonce},
		{"generate nonce twice", encN, genNonce},
		{"lengths after nonce", encN, setLens},
		{"lengths twice", then(enc, setLens), setLens},
		{"update ad without nonce", enc, updateAD},
		{"update without nonce", dec, update},
		{"update ad after update", then(encN, update), updateAD},
		{"finish without nonce", enc, finish},
		{"verify without nonce", dec, verify},
		{"finish on decrypt", decN, finish},
		{"verify on encrypt", encN, verify},
		{"ccm nonce without lengths", encCCM, genNonce},
		{"ccm set nonce without lengths", decCCM, setNonce},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var op AEADOp
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

// TestAEADOpLengths checks the declared lengths: excess fails at once,
// shortfall at the step that ends the input, both INVALID_ARGUMENT.
func TestAEADOpLengths(t *testing.T) {
	c, d := newSymCore(t, nil)
	key := bytes.Repeat([]byte{7}, 16)
	ccm := symImport(t, c, values.KeyTypeAES, values.UsageEncrypt|values.UsageDecrypt, values.AlgCCM, key)
	start := func(t *testing.T, op *AEADOp, decrypt bool) {
		t.Helper()
		var err error
		if decrypt {
			err = op.DecryptSetup(c, ccm, values.AlgCCM)
		} else {
			err = op.EncryptSetup(c, ccm, values.AlgCCM)
		}
		wantStatus(t, "setup", err, nil)
		wantStatus(t, "lengths", op.SetLengths(4, 6), nil)
		wantStatus(t, "nonce", op.SetNonce(make([]byte, 13)), nil)
	}
	cases := []struct {
		name    string
		decrypt bool
		steps   func(op *AEADOp) error
	}{
		{"too much ad", false, func(op *AEADOp) error { op.UpdateAD([]byte("ab")); return op.UpdateAD([]byte("cde")) }},
		{"too little ad before data", false, func(op *AEADOp) error {
			op.UpdateAD([]byte("abc"))
			_, err := op.Update([]byte("x"), nil)
			return err
		}},
		{"too much data", true, func(op *AEADOp) error {
			op.UpdateAD([]byte("abcd"))
			op.Update([]byte("1234"), nil)
			_, err := op.Update([]byte("567"), nil)
			return err
		}},
		{"too little data at finish", false, func(op *AEADOp) error {
			op.UpdateAD([]byte("abcd"))
			op.Update([]byte("12345"), nil)
			_, _, err := op.Finish(nil, nil)
			return err
		}},
		{"too little ad at verify", true, func(op *AEADOp) error {
			_, err := op.Verify(nil, make([]byte, 16))
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var op AEADOp
			start(t, &op, tc.decrypt)
			d.journal()
			wantStatus(t, tc.name, tc.steps(&op), values.ErrInvalidArgument)
			if op.Active() || countCalls(d.journal(), "Abort") != 1 {
				t.Error("the operation must be aborted once")
			}
		})
	}
	// Exactly the declared lengths, in pieces: encryption then decryption.
	var op AEADOp
	start(t, &op, false)
	wantStatus(t, "ad", op.UpdateAD([]byte("ab")), nil)
	wantStatus(t, "ad", op.UpdateAD([]byte("cd")), nil)
	wantStatus(t, "ad empty", op.UpdateAD(nil), nil)
	ct, err := op.Update([]byte("1234"), nil)
	wantStatus(t, "update", err, nil)
	ct, err = op.Update([]byte("56"), ct)
	wantStatus(t, "update", err, nil)
	ct, tag, err := op.Finish(ct, []byte("T"))
	if err != nil || len(ct) != 6 || len(tag) != 17 || tag[0] != 'T' {
		t.Fatalf("Finish = %x, %x, %v", ct, tag, err)
	}
	start(t, &op, true)
	wantStatus(t, "ad", op.UpdateAD([]byte("abcd")), nil)
	pt, err := op.Update(ct, nil)
	wantStatus(t, "update", err, nil)
	pt, err = op.Verify(pt, tag[1:])
	if err != nil || string(pt) != "123456" {
		t.Fatalf("Verify = %q, %v", pt, err)
	}
	start(t, &op, true)
	op.UpdateAD([]byte("abcd"))
	pt, _ = op.Update(ct, nil)
	d.journal()
	tag[1] ^= 1
	out, err := op.Verify(pt, tag[1:])
	wantStatus(t, "verify forged", err, values.ErrInvalidSignature)
	if len(out) != len(pt) || op.Active() || countCalls(d.journal(), "Abort") != 0 {
		t.Error("a failed Verify must return dst unchanged and end the operation without Abort")
	}
	wantStatus(t, "negative length", func() error {
		var op AEADOp
		op.EncryptSetup(c, ccm, values.AlgCCM)
		return op.SetLengths(-1, 0)
	}(), values.ErrInvalidArgument)
}

func TestAEADOpGenerateNonce(t *testing.T) {
	c, _ := newSymCore(t, nil)
	id := symImport(t, c, values.KeyTypeChaCha20, values.UsageEncrypt, values.AlgChaCha20Poly1305, bytes.Repeat([]byte{7}, 32))
	var op AEADOp
	wantStatus(t, "setup", op.EncryptSetup(c, id, values.AlgChaCha20Poly1305), nil)
	n, err := op.GenerateNonce([]byte("n"))
	if err != nil || len(n) != 13 || bytes.Equal(n[1:], make([]byte, 12)) {
		t.Fatalf("GenerateNonce = %x, %v (want a random 12-byte nonce after the prefix)", n, err)
	}
	wantStatus(t, "abort", op.Abort(), nil)
}
