package pkcs11

import (
	"testing"

	p11 "github.com/miekg/pkcs11"
)

// Hooks for the tests of package pkcs11_test.

var (
	RequireToken = requireToken
	TestConfig   = testConfig
)

func TokenLabel() string { return testEnv.label }

// RawSigner returns a function that signs with CKM_ECDSA through direct
// PKCS#11 calls (C_SignInit, C_Sign) on a session of its own, with the
// private key object labelled label: the baseline of the benchmarks. d
// must be initialized; the session is closed when the test ends.
func RawSigner(tb testing.TB, d *Driver, label string) func(hash []byte) ([]byte, error) {
	c := d.cur.Load()
	mod := c.mod
	s, err := mod.OpenSession(c.slot, p11.CKF_SERIAL_SESSION)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { mod.CloseSession(s) })
	if err := mod.FindObjectsInit(s, []*p11.Attribute{
		p11.NewAttribute(p11.CKA_CLASS, p11.CKO_PRIVATE_KEY),
		p11.NewAttribute(p11.CKA_LABEL, label),
	}); err != nil {
		tb.Fatal(err)
	}
	hs, _, err := mod.FindObjects(s, 2)
	mod.FindObjectsFinal(s)
	if err != nil || len(hs) != 1 {
		tb.Fatalf("find %q: %v, %v", label, hs, err)
	}
	h := hs[0]
	return func(hash []byte) ([]byte, error) {
		if err := mod.SignInit(s, []*p11.Mechanism{p11.NewMechanism(p11.CKM_ECDSA, nil)}, h); err != nil {
			return nil, err
		}
		return mod.Sign(s, hash)
	}
}
