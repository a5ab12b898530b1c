package psa_test

import (
	"bytes"
	"fmt"
	"log"
	"testing"

	"github.com/gopsa/psa"
)

// FIPS 202 SHAKE vectors for the empty message (NIST example values).
var xofVectors = []struct {
	alg psa.Algorithm
	msg string
	out string
}{
	{psa.AlgSHAKE128, "", "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26"},
	{psa.AlgSHAKE256, "", "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762fd75dc4ddd8c0f200cb05019d67b592f6fc821c49479ab48640292eacb3b7c4be"},
}

func TestXOFVectors(t *testing.T) {
	c := symNew(t)
	for _, v := range xofVectors {
		t.Run(v.alg.String(), func(t *testing.T) {
			want := symHex(v.out)
			// The output in one call, and in pieces of every size.
			for step := 1; step <= len(want); step++ {
				var op psa.XOFOperation
				symWant(t, "setup", c.XOFSetup(&op, v.alg), nil)
				symWant(t, "update", op.Update([]byte(v.msg)), nil)
				got := make([]byte, len(want))
				for i := 0; i < len(got); i += step {
					symWant(t, "output", op.Output(got[i:min(i+step, len(got))]), nil)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("output in %d-byte steps = %x, want %x", step, got, want)
				}
				symWant(t, "update after output", op.Update(nil), psa.ErrBadState)
				symWant(t, "abort", op.Abort(), nil)
			}
		})
	}
}

func TestXOFStates(t *testing.T) {
	c := symNew(t)
	var op psa.XOFOperation
	symWant(t, "update inactive", op.Update(nil), psa.ErrBadState)
	symWant(t, "output inactive", op.Output(make([]byte, 1)), psa.ErrBadState)
	symWant(t, "context inactive", op.SetContext(nil), psa.ErrBadState)
	symWant(t, "setup with a hash", c.XOFSetup(&op, psa.AlgSHA256), psa.ErrInvalidArgument)
	symWant(t, "setup", c.XOFSetup(&op, psa.AlgSHAKE128), nil)
	symWant(t, "setup twice", c.XOFSetup(&op, psa.AlgSHAKE128), psa.ErrBadState)
	symWant(t, "update after BAD_STATE", op.Update(nil), psa.ErrBadState)
	symWant(t, "setup", c.XOFSetup(&op, psa.AlgSHAKE128), nil)
	symWant(t, "context for SHAKE", op.SetContext([]byte("c")), psa.ErrInvalidArgument)
	symWant(t, "output after error", op.Output(make([]byte, 1)), psa.ErrBadState)
	symWant(t, "abort", op.Abort(), nil)
	symWant(t, "abort twice", op.Abort(), nil)
}

func ExampleCrypto_XOFSetup() {
	c, err := psa.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	var op psa.XOFOperation
	if err := c.XOFSetup(&op, psa.AlgSHAKE256); err != nil {
		log.Fatal(err)
	}
	defer op.Abort() // an XOF operation ends only with Abort
	if err := op.Update([]byte("")); err != nil {
		log.Fatal(err)
	}
	out := make([]byte, 16)
	if err := op.Output(out); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%x\n", out)
	// Output:
	// 46b9dd2b0ba88d13233b3feb743eeb24
}
