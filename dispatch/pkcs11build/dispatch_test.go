package pkcs11build

import (
	"crypto/rand"
	"errors"
	"io"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/drivers/pkcs11"
	"github.com/gopsa/psa/internal/dispatch/dispatchtest"
	"github.com/gopsa/psa/values"
)

func TestGeneratedIsCurrent(t *testing.T) {
	dispatchtest.CheckGenerated(t, "gen.go", "dispatch/pkcs11build")
}

// TestRouting checks, without a token, that keys at the driver's location
// reach the PKCS#11 driver and that its description declares the location
// the package exports.
func TestRouting(t *testing.T) {
	d, err := New()
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, info := range d.Drivers() {
		if info.Name == "pkcs11" {
			found = true
			if !info.Opaque || info.Location != pkcs11.Location {
				t.Errorf("pkcs11 driver info = %+v, want opaque at location %#x", info, uint32(pkcs11.Location))
			}
		}
	}
	if !found {
		t.Fatalf("Drivers() = %+v: no pkcs11 driver", d.Drivers())
	}
	lt := values.LifetimeFromPersistenceAndLocation(values.PersistenceDefault, pkcs11.Location)
	ecc := values.Attributes{Lifetime: lt, Type: values.KeyTypeECCKeyPair(values.ECCFamilySECPR1), Bits: 256}
	for _, tc := range []struct {
		ep    string
		attrs values.Attributes
		alg   values.Algorithm
		want  string
	}{
		{"sign_hash", ecc, values.AlgECDSA(values.AlgSHA256), "pkcs11"},
		{"generate_key", ecc, 0, "pkcs11"},
		{"sign_hash", ecc, values.AlgDeterministicECDSA(values.AlgSHA256), ""},
		{"import_key", values.Attributes{Type: values.KeyTypeAES, Bits: 128}, 0, "builtin"},
	} {
		if got := d.Route(tc.ep, tc.attrs, tc.alg); got != tc.want {
			t.Errorf("Route(%s, %v, %v) = %q, want %q", tc.ep, tc.attrs.Type, tc.alg, got, tc.want)
		}
	}
	// A zero-value driver (none given to New) refuses to start, and says
	// how to configure it.
	if _, err := d.SignHash(ecc, nil, values.AlgECDSA(values.AlgSHA256), make([]byte, 32), nil); err == nil {
		t.Error("SignHash with an unconfigured driver succeeded")
	}
	if err := d.Init(hosts{}); !errors.Is(err, values.ErrBadState) {
		t.Errorf("Init with an unconfigured driver: %v, want ErrBadState", err)
	}
}

type hosts struct{}

func (hosts) Host(string, int) (driver.Host, error) { return host{}, nil }

type host struct{}

func (host) Rand() io.Reader                      { return rand.Reader }
func (host) PersistentState() []byte              { return nil }
func (host) CommitPersistentState(int, int) error { return nil }
