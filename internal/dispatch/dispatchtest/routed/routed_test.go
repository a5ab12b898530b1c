package routed

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/driver/manifest"
	"github.com/gopsa/psa/internal/dispatch/dispatchtest"
	"github.com/gopsa/psa/values"
)

// build is a generated Dispatch over test drivers that share a journal.
type build struct {
	*Dispatch
	j    *dispatchtest.Journal
	a    *dispatchtest.A
	b    *dispatchtest.B
	c    *dispatchtest.C
	rng  *dispatchtest.RNG
	se   *dispatchtest.SE
	se2  *dispatchtest.SE2
	last *dispatchtest.Last
}

func newBuild(t testing.TB) *build {
	t.Helper()
	j := new(dispatchtest.Journal)
	core := func(name string) dispatchtest.Core { return dispatchtest.Core{Name: name, Journal: j} }
	b := &build{
		j:    j,
		a:    &dispatchtest.A{Core: core("a")},
		b:    &dispatchtest.B{Core: core("b")},
		c:    &dispatchtest.C{Core: core("c")},
		rng:  &dispatchtest.RNG{Core: core("rng")},
		se:   &dispatchtest.SE{Core: core("se")},
		se2:  &dispatchtest.SE2{Core: core("se2")},
		last: &dispatchtest.Last{Core: core("last")},
	}
	d, err := New(b.last, b.se2, b.se, b.rng, b.c, b.b, b.a)
	if err != nil {
		t.Fatal(err)
	}
	b.Dispatch = d
	return b
}

const (
	locSE      values.Location = 0x800001
	locSE2     values.Location = 0x800002
	locUnknown values.Location = 0x800003
)

func key(t values.KeyType, bits int, loc values.Location) values.Attributes {
	return values.Attributes{
		Type:     t,
		Bits:     bits,
		Lifetime: values.LifetimeFromPersistenceAndLocation(values.PersistenceDefault, loc),
	}
}

var (
	p256    = key(values.KeyTypeECCKeyPair(values.ECCFamilySECPR1), 256, 0)
	p384    = key(values.KeyTypeECCKeyPair(values.ECCFamilySECPR1), 384, 0)
	aes128  = key(values.KeyTypeAES, 128, 0)
	aes256  = key(values.KeyTypeAES, 256, 0)
	hmacKey = key(values.KeyTypeHMAC, 256, 0)
	rsa2048 = key(values.KeyTypeRSAKeyPair, 2048, 0)
	ecdsa   = values.AlgECDSA(values.AlgSHA256)
)

var errOther = fmt.Errorf("dispatchtest: a failure: %w", values.ErrHardwareFailure)

// errWrappedNotSupported wraps ErrNotSupported, as a driver with a message would.
var errWrappedNotSupported = fmt.Errorf("not this one: %w", driver.ErrNotSupported)

// TestRouting checks which drivers a call reaches, in which order, and what
// it returns, for the routing rules of the specification.
func TestRouting(t *testing.T) {
	tests := []struct {
		name  string
		setup func(b *build)
		call  func(b *build) ([]byte, error)
		calls []string
		out   string // the driver whose output is returned
		err   error  // errors.Is target; nil for success
	}{
		{
			name:  "first matching driver in list order",
			call:  func(b *build) ([]byte, error) { return b.SignHash(p256, nil, ecdsa, nil, nil) },
			calls: []string{"a.SignHash"},
			out:   "a",
		},
		{
			name:  "fallback passes ErrNotSupported on to the next match",
			setup: func(b *build) { b.a.Answer = driver.ErrNotSupported },
			call:  func(b *build) ([]byte, error) { return b.SignHash(p256, nil, ecdsa, nil, nil) },
			calls: []string{"a.SignHash", "b.SignDigest"},
			out:   "b",
		},
		{
			name:  "fallback recognises a wrapped ErrNotSupported",
			setup: func(b *build) { b.a.Answer = errWrappedNotSupported; b.b.Answer = errWrappedNotSupported },
			call:  func(b *build) ([]byte, error) { return b.SignHash(p256, nil, ecdsa, nil, nil) },
			calls: []string{"a.SignHash", "b.SignDigest", "last.SignHash"},
			out:   "last",
		},
		{
			name:  "another error from a fallback capability is final",
			setup: func(b *build) { b.a.Answer = errOther },
			call:  func(b *build) ([]byte, error) { return b.SignHash(p256, nil, ecdsa, nil, nil) },
			calls: []string{"a.SignHash"},
			err:   values.ErrHardwareFailure,
		},
		{
			name:  "key size filter",
			call:  func(b *build) ([]byte, error) { return b.SignHash(p384, nil, ecdsa, nil, nil) },
			calls: []string{"b.SignDigest"},
			out:   "b",
		},
		{
			name: "algorithm wildcard does not cover another scheme",
			call: func(b *build) ([]byte, error) {
				return b.SignHash(p256, nil, values.AlgDeterministicECDSA(values.AlgSHA256), nil, nil)
			},
			calls: []string{"b.SignDigest"},
			out:   "b",
		},
		{
			name: "key type filter",
			call: func(b *build) ([]byte, error) {
				return b.SignHash(rsa2048, nil, values.AlgRSAPSS(values.AlgSHA256), nil, nil)
			},
			calls: []string{"last.SignHash"},
			out:   "last",
		},
		{
			name:  "without fallback ErrNotSupported is final",
			setup: func(b *build) { b.a.Answer = driver.ErrNotSupported },
			call: func(b *build) ([]byte, error) {
				return b.MACCompute(hmacKey, nil, values.AlgHMAC(values.AlgSHA256), nil, nil)
			},
			calls: []string{"a.MACCompute"},
			err:   driver.ErrNotSupported,
		},
		{
			name: "MAC wildcard permits a longer truncation",
			call: func(b *build) ([]byte, error) {
				return b.MACCompute(aes128, nil, values.AlgTruncatedMAC(values.AlgCMAC, 14), nil, nil)
			},
			calls: []string{"c.MACCompute"},
			out:   "c",
		},
		{
			name: "MAC wildcard refuses a shorter truncation",
			call: func(b *build) ([]byte, error) {
				return b.MACCompute(aes128, nil, values.AlgTruncatedMAC(values.AlgCMAC, 8), nil, nil)
			},
			calls: []string{"last.MACCompute"},
			out:   "last",
		},
		{
			name:  "MAC wildcard permits the full length, known from the key",
			call:  func(b *build) ([]byte, error) { return b.MACCompute(aes128, nil, values.AlgCMAC, nil, nil) },
			calls: []string{"c.MACCompute"},
			out:   "c",
		},
		{
			name:  "capability with fallback",
			setup: func(b *build) { b.b.Answer = driver.ErrNotSupported },
			call:  func(b *build) ([]byte, error) { return b.AEADEncrypt(aes128, nil, values.AlgGCM, nil, nil, nil, nil) },
			calls: []string{"b.AEADEncrypt", "last.AEADEncrypt"},
			out:   "last",
		},
		{
			name:  "capability of the same driver without fallback",
			setup: func(b *build) { b.b.Answer = driver.ErrNotSupported },
			call:  func(b *build) ([]byte, error) { return b.AEADEncrypt(aes256, nil, values.AlgGCM, nil, nil, nil, nil) },
			calls: []string{"b.AEADEncrypt"},
			err:   driver.ErrNotSupported,
		},
		{
			name:  "opaque key goes to the driver of its location",
			call:  func(b *build) ([]byte, error) { return b.SignHash(key(p256.Type, 256, locSE), nil, ecdsa, nil, nil) },
			calls: []string{"se.SignHash"},
			out:   "se",
		},
		{
			name: "opaque driver with no filters",
			call: func(b *build) ([]byte, error) {
				return b.SignHash(key(rsa2048.Type, 2048, locSE2), nil, ecdsa, nil, nil)
			},
			calls: []string{"se2.SignHash"},
			out:   "se2",
		},
		{
			name: "opaque driver whose capability does not match: no fallback",
			call: func(b *build) ([]byte, error) {
				return b.SignHash(key(rsa2048.Type, 2048, locSE), nil, ecdsa, nil, nil)
			},
			err: driver.ErrNotSupported,
		},
		{
			name: "opaque driver that lacks the entry point",
			call: func(b *build) ([]byte, error) {
				return b.MACCompute(key(values.KeyTypeHMAC, 256, locSE), nil, values.AlgHMAC(values.AlgSHA256), nil, nil)
			},
			err: driver.ErrNotSupported,
		},
		{
			name: "location without a driver",
			call: func(b *build) ([]byte, error) {
				return b.SignHash(key(p256.Type, 256, locUnknown), nil, ecdsa, nil, nil)
			},
			err: driver.ErrNotSupported,
		},
		{
			name:  "hash by algorithm, fallback to a driver without fallback",
			setup: func(b *build) { b.a.Answer = driver.ErrNotSupported; b.b.Answer = driver.ErrNotSupported },
			call:  func(b *build) ([]byte, error) { return b.HashCompute(values.AlgSHA256, nil, nil) },
			calls: []string{"a.HashCompute", "b.HashCompute"},
			err:   driver.ErrNotSupported,
		},
		{
			name:  "hash another algorithm",
			call:  func(b *build) ([]byte, error) { return b.HashCompute(values.AlgSHA3_512, nil, nil) },
			calls: []string{"last.HashCompute"},
			out:   "last",
		},
		{
			name: "import with the size from the data: size filters do not apply",
			call: func(b *build) ([]byte, error) {
				k, _, err := b.ImportKey(key(p384.Type, 0, 0), nil, nil)
				return k, err
			},
			calls: []string{"a.ImportKey"},
			out:   "a",
		},
		{
			name:  "import with a size the filter refuses",
			call:  func(b *build) ([]byte, error) { k, _, err := b.ImportKey(p384, nil, nil); return k, err },
			calls: []string{"last.ImportKey"},
			out:   "last",
		},
		{
			name: "import into a secure element",
			call: func(b *build) ([]byte, error) {
				k, _, err := b.ImportKey(key(p384.Type, 0, locSE2), nil, nil)
				return k, err
			},
			calls: []string{"se2.ImportKey"},
			out:   "se2",
		},
		{
			name:  "derive_key by derived type and size",
			call:  func(b *build) ([]byte, error) { return b.DeriveKey(p256, nil, nil) },
			calls: []string{"c.DeriveKey"},
			out:   "c",
		},
		{
			name: "derive_key with no driver",
			call: func(b *build) ([]byte, error) { return b.DeriveKey(rsa2048, nil, nil) },
			err:  driver.ErrNotSupported,
		},
		{
			name: "export_key of a local key is the core's job",
			call: func(b *build) ([]byte, error) { return b.ExportKey(aes128, nil, nil) },
			err:  driver.ErrNotSupported,
		},
		{
			name:  "export_key of an opaque key",
			call:  func(b *build) ([]byte, error) { return b.ExportKey(key(values.KeyTypeAES, 128, locSE), nil, nil) },
			calls: []string{"se.ExportKey"},
			out:   "se",
		},
		{
			name:  "allocate_key in a secure element with storage",
			call:  func(b *build) ([]byte, error) { return b.AllocateKey(key(values.KeyTypeAES, 128, locSE), nil) },
			calls: []string{"se.AllocateKey"},
			out:   "se",
		},
		{
			name: "allocate_key in a secure element without storage",
			call: func(b *build) ([]byte, error) { return b.AllocateKey(key(values.KeyTypeAES, 128, locSE2), nil) },
			err:  driver.ErrNotSupported,
		},
		{
			name: "allocate_key in local storage",
			call: func(b *build) ([]byte, error) { return b.AllocateKey(aes128, nil) },
			err:  driver.ErrNotSupported,
		},
		{
			name: "XOF without a driver",
			call: func(b *build) ([]byte, error) { _, err := b.XOFSetup(values.AlgSHAKE256); return nil, err },
			err:  driver.ErrNotSupported,
		},
		{
			name: "built-in key of an opaque driver",
			call: func(b *build) ([]byte, error) {
				_, k, err := b.GetBuiltinKey(7, values.LifetimeFromPersistenceAndLocation(values.PersistenceDefault, locSE), nil)
				return k, err
			},
			calls: []string{"se.GetBuiltinKey"},
			out:   "se",
		},
		{
			name: "built-in key of a driver without get_builtin_key",
			call: func(b *build) ([]byte, error) {
				_, k, err := b.GetBuiltinKey(7, values.LifetimeFromPersistenceAndLocation(values.PersistenceDefault, locSE2), nil)
				return k, err
			},
			err: driver.ErrNotSupported,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBuild(t)
			if tt.setup != nil {
				tt.setup(b)
			}
			out, err := tt.call(b)
			if got := b.j.Calls(); !slices.Equal(got, tt.calls) {
				t.Errorf("calls = %q, want %q", got, tt.calls)
			}
			switch {
			case tt.err == nil && err != nil:
				t.Fatalf("error %v, want success", err)
			case tt.err != nil && !errors.Is(err, tt.err):
				t.Fatalf("error %v, want one that wraps %v", err, tt.err)
			case tt.err == nil && string(out) != tt.out:
				t.Errorf("output %q, want %q", out, tt.out)
			}
		})
	}
}

// TestErrorMessages checks that a call no driver serves says which entry
// point, mechanism or location was refused.
func TestErrorMessages(t *testing.T) {
	b := newBuild(t)
	tests := []struct {
		err  error
		want []string
	}{
		{second(b.DeriveKey(rsa2048, nil, nil)), []string{"derive_key", "2048-bit", "PSA_KEY_TYPE_RSA_KEY_PAIR"}},
		{second(b.SignHash(key(p256.Type, 256, locUnknown), nil, ecdsa, nil, nil)), []string{"sign_hash", "0x800003"}},
		{second(b.SignHash(key(rsa2048.Type, 2048, locSE), nil, ecdsa, nil, nil)), []string{"sign_hash", `"se"`, "0x800001"}},
		{second(b.ExportKey(aes128, nil, nil)), []string{"export_key", "local"}},
	}
	for _, tt := range tests {
		for _, w := range tt.want {
			if tt.err == nil || !strings.Contains(tt.err.Error(), w) {
				t.Errorf("error %v does not mention %s", tt.err, w)
			}
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestDestroyKey(t *testing.T) {
	tests := []struct {
		loc   values.Location
		calls []string
		err   error
	}{
		{0, nil, nil},
		{locSE, []string{"se.DestroyKey"}, nil},
		{locSE2, nil, nil}, // no storage: nothing for the driver to do
		{locUnknown, nil, driver.ErrNotSupported},
	}
	for _, tt := range tests {
		b := newBuild(t)
		err := b.DestroyKey(key(values.KeyTypeAES, 128, tt.loc), nil)
		if got := b.j.Calls(); !slices.Equal(got, tt.calls) {
			t.Errorf("location %#x: calls = %q, want %q", tt.loc, got, tt.calls)
		}
		if tt.err == nil && err != nil || tt.err != nil && !errors.Is(err, tt.err) {
			t.Errorf("location %#x: error %v, want %v", tt.loc, err, tt.err)
		}
	}
}

// inputs are key derivation inputs whose secret is bytes or a key.
type inputs struct {
	secret *values.Attributes
}

func (in inputs) Type(step values.DerivationStep) driver.InputType {
	if step != values.DerivationInputSecret {
		return driver.InputOmitted
	}
	if in.secret != nil {
		return driver.InputKey
	}
	return driver.InputBytes
}
func (in inputs) Bytes(step values.DerivationStep) ([]byte, error) { return []byte("secret"), nil }
func (in inputs) Key(step values.DerivationStep) (values.Attributes, []byte, error) {
	if in.secret == nil {
		return values.Attributes{}, nil, values.ErrInvalidArgument
	}
	return *in.secret, nil, nil
}
func (in inputs) Integer(step values.DerivationStep) (uint64, error) {
	return 0, values.ErrInvalidArgument
}

func TestKeyDerivationRouting(t *testing.T) {
	hkdf256, hkdf384 := values.AlgHKDF(values.AlgSHA256), values.AlgHKDF(values.AlgSHA384)
	seKey := key(values.KeyTypeDerive, 256, locSE)
	localKey := key(values.KeyTypeDerive, 256, 0)
	se2Key := key(values.KeyTypeDerive, 256, locSE2)
	tests := []struct {
		name  string
		alg   values.Algorithm
		in    inputs
		setup func(*build)
		calls []string
		err   error
	}{
		{"secret as bytes", hkdf256, inputs{}, nil, []string{"a.KeyDerivationSetup"}, nil},
		{"secret as a local key", hkdf256, inputs{&localKey}, nil, []string{"a.KeyDerivationSetup"}, nil},
		{"fallback", hkdf256, inputs{&localKey}, func(b *build) { b.a.Answer = driver.ErrNotSupported },
			[]string{"a.KeyDerivationSetup", "last.KeyDerivationSetup"}, nil},
		{"another algorithm", hkdf384, inputs{}, nil, []string{"last.KeyDerivationSetup"}, nil},
		{"secret in a secure element", hkdf256, inputs{&seKey}, nil, []string{"se.KeyDerivationSetup"}, nil},
		// The core then exports the secret and derives in the clear.
		{"secure element without the algorithm", hkdf384, inputs{&seKey}, nil, nil, driver.ErrNotSupported},
		{"secure element without key derivation", hkdf256, inputs{&se2Key}, nil, nil, driver.ErrNotSupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBuild(t)
			if tt.setup != nil {
				tt.setup(b)
			}
			_, err := b.KeyDerivationSetup(tt.alg, tt.in)
			if got := b.j.Calls(); !slices.Equal(got, tt.calls) {
				t.Errorf("calls = %q, want %q", got, tt.calls)
			}
			if tt.err == nil && err != nil || tt.err != nil && !errors.Is(err, tt.err) {
				t.Errorf("error %v, want %v", err, tt.err)
			}
		})
	}
}

type pakeInputs struct {
	password values.Attributes
	alg      values.Algorithm
}

func (p pakeInputs) Password() (values.Attributes, []byte) { return p.password, nil }
func (p pakeInputs) User() []byte                          { return nil }
func (p pakeInputs) Peer() []byte                          { return nil }
func (p pakeInputs) Context() []byte                       { return nil }
func (p pakeInputs) Role() values.PAKERole                 { return values.PAKERoleClient }
func (p pakeInputs) Suite() values.PAKECipherSuite {
	return values.PAKECipherSuite{Algorithm: p.alg}
}

func TestPAKERouting(t *testing.T) {
	jpake := values.AlgJPAKE(values.AlgSHA256)
	password := key(values.KeyTypePassword, 128, 0)
	tests := []struct {
		name  string
		in    pakeInputs
		setup func(*build)
		calls []string
	}{
		{"local password", pakeInputs{password, jpake}, nil, []string{"c.PAKESetup"}},
		{"fallback", pakeInputs{password, jpake}, func(b *build) { b.c.Answer = driver.ErrNotSupported }, []string{"c.PAKESetup", "last.PAKESetup"}},
		{"other algorithm", pakeInputs{password, values.AlgJPAKE(values.AlgSHA384)}, nil, []string{"last.PAKESetup"}},
		{"password in a secure element", pakeInputs{key(values.KeyTypePassword, 128, locSE), jpake}, nil, []string{"se.PAKESetup"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBuild(t)
			if tt.setup != nil {
				tt.setup(b)
			}
			b.PAKESetup(tt.in)
			if got := b.j.Calls(); !slices.Equal(got, tt.calls) {
				t.Errorf("calls = %q, want %q", got, tt.calls)
			}
		})
	}
}

// hosts is a driver.HostFactory that records what it was asked.
type hosts struct {
	asked []string
	fail  string
}

func (h *hosts) Host(name string, size int) (driver.Host, error) {
	h.asked = append(h.asked, fmt.Sprintf("%s/%d", name, size))
	if name == h.fail {
		return nil, values.ErrStorageFailure
	}
	return nil, nil
}

func TestInit(t *testing.T) {
	b := newBuild(t)
	b.a.Entropy = 64
	b.rng.Entropy = 64
	h := new(hosts)
	if err := b.Init(h); err != nil {
		t.Fatal(err)
	}
	// Every init in list order, then the random generator's setup, whose
	// 16 bytes of entropy come from the two entropy sources.
	want := []string{"a.Init", "se.Init", "last.Init", "rng.InitRandom", "a.GetEntropy", "rng.GetEntropy", "rng.AddEntropy(16)"}
	if got := b.j.Calls(); !slices.Equal(got, want) {
		t.Errorf("calls = %q, want %q", got, want)
	}
	if want := []string{"a/0", "se/16", "last/0"}; !slices.Equal(h.asked, want) {
		t.Errorf("hosts asked for %q, want %q", h.asked, want)
	}

	// The first failure stops Init and names the driver.
	b = newBuild(t)
	b.se.Fail = map[string]error{"Init": errOther}
	err := b.Init(new(hosts))
	if !errors.Is(err, values.ErrHardwareFailure) || !strings.Contains(err.Error(), `"se"`) {
		t.Errorf("Init error %v, want the failure of \"se\"", err)
	}
	if got, want := b.j.Calls(), []string{"a.Init", "se.Init"}; !slices.Equal(got, want) {
		t.Errorf("calls = %q, want %q", got, want)
	}

	b = newBuild(t)
	err = b.Init(&hosts{fail: "last"})
	if !errors.Is(err, values.ErrStorageFailure) || !strings.Contains(err.Error(), `"last"`) {
		t.Errorf("Init error %v, want the host failure of \"last\"", err)
	}

	// Entropy sources that never deliver enough fail the seeding.
	b = newBuild(t)
	err = b.Init(new(hosts))
	if !errors.Is(err, values.ErrInsufficientEntropy) {
		t.Errorf("Init with no entropy: error %v, want ErrInsufficientEntropy", err)
	}
}

func TestFree(t *testing.T) {
	b := newBuild(t)
	b.a.Fail = map[string]error{"Free": errOther}
	b.last.Fail = map[string]error{"Free": values.ErrCommunicationFailure}
	err := b.Free()
	if got, want := b.j.Calls(), []string{"a.Free", "last.Free"}; !slices.Equal(got, want) {
		t.Errorf("calls = %q, want %q", got, want)
	}
	if !errors.Is(err, values.ErrHardwareFailure) || !errors.Is(err, values.ErrCommunicationFailure) {
		t.Errorf("Free error %v, want both failures", err)
	}
}

func TestGetRandom(t *testing.T) {
	b := newBuild(t)
	b.a.Entropy, b.rng.Entropy = 1024, 1024
	out := make([]byte, 8)
	if err := b.GetRandom(out); err != nil {
		t.Fatal(err)
	}
	if got, want := b.j.Calls(), []string{"rng.GetRandom"}; !slices.Equal(got, want) {
		t.Errorf("calls = %q, want %q", got, want)
	}

	// A driver out of entropy is reseeded with reseed_entropy_size
	// bytes, then asked again.
	b.rng.Fail = map[string]error{"GetRandom": fmt.Errorf("empty: %w", values.ErrInsufficientEntropy)}
	err := b.GetRandom(out)
	if !errors.Is(err, values.ErrInsufficientEntropy) {
		t.Errorf("error %v, want ErrInsufficientEntropy", err)
	}
	want := []string{"rng.GetRandom", "a.GetEntropy", "rng.GetEntropy", "rng.AddEntropy(48)", "rng.GetRandom"}
	if got := b.j.Calls(); !slices.Equal(got, want) {
		t.Errorf("calls = %q, want %q", got, want)
	}

	// A fallback capability's ErrNotSupported tells the core to use its
	// own source.
	b.rng.Fail = map[string]error{"GetRandom": driver.ErrNotSupported}
	if err := b.GetRandom(out); !errors.Is(err, driver.ErrNotSupported) {
		t.Errorf("error %v, want ErrNotSupported", err)
	}
}

func TestGetEntropy(t *testing.T) {
	b := newBuild(t)
	b.a.Entropy, b.rng.Entropy = 10, 20
	out := make([]byte, 4)
	bits, err := b.GetEntropy(0, out)
	if err != nil || bits != 20 {
		t.Fatalf("GetEntropy = %d, %v; want 20 bits (the best source)", bits, err)
	}
	// Each source XORs its name's first byte plus the index into a
	// cleared buffer; the result combines both.
	for i, x := range out {
		if want := ('a' + byte(i)) ^ ('r' + byte(i)); x != want {
			t.Errorf("out[%d] = %#x, want %#x", i, x, want)
		}
	}
	b.a.Answer = errOther
	if bits, err := b.GetEntropy(0, out); err != nil || bits != 20 {
		t.Errorf("with a failing source: %d, %v; want 20 bits from the other", bits, err)
	}
	b.rng.Answer = values.ErrInsufficientEntropy
	if _, err := b.GetEntropy(driver.EntropyNonBlock, out); !errors.Is(err, values.ErrHardwareFailure) {
		t.Errorf("with every source failing: %v, want the first failure", err)
	}
}

func TestRoute(t *testing.T) {
	b := newBuild(t)
	tests := []struct {
		ep    string
		attrs values.Attributes
		alg   values.Algorithm
		want  string
	}{
		{"sign_hash", p256, ecdsa, "a"},
		{"sign_hash", p384, ecdsa, "b"},
		{"sign_hash", rsa2048, values.AlgRSAPSS(values.AlgSHA256), "last"},
		{"sign_hash", key(p256.Type, 256, locSE), ecdsa, "se"},
		{"sign_hash", key(rsa2048.Type, 2048, locSE), ecdsa, ""},
		{"sign_hash", key(p256.Type, 256, locUnknown), ecdsa, ""},
		{"mac_multipart", hmacKey, values.AlgHMAC(values.AlgSHA256), "a"},
		{"mac_sign_setup", hmacKey, values.AlgHMAC(values.AlgSHA256), "a"},
		{"hash_compute", values.Attributes{}, values.AlgSHA384, "b"},
		{"key_derivation_setup", values.Attributes{}, values.AlgHKDF(values.AlgSHA256), "a"},
		{"key_derivation", key(values.KeyTypeDerive, 256, locSE), values.AlgHKDF(values.AlgSHA256), "se"},
		{"derive_key", p256, 0, "c"},
		{"destroy_key", key(values.KeyTypeAES, 128, locSE), 0, "se"},
		{"destroy_key", aes128, 0, ""},
		{"get_builtin_key", key(0, 0, locSE), 0, "se"},
		{"init", values.Attributes{}, 0, "a"},
		{"get_entropy", values.Attributes{}, 0, "a"},
		{"get_random", values.Attributes{}, 0, "rng"},
		{"random", values.Attributes{}, 0, "rng"},
		{"xof_setup", values.Attributes{}, values.AlgSHAKE256, ""},
		{"no_such_entry_point", p256, ecdsa, ""},
	}
	for _, tt := range tests {
		if got := b.Route(tt.ep, tt.attrs, tt.alg); got != tt.want {
			t.Errorf("Route(%q, %v bits %d at %#x, %v) = %q, want %q", tt.ep, tt.attrs.Type, tt.attrs.Bits,
				tt.attrs.Lifetime.Location(), tt.alg, got, tt.want)
		}
	}
	if calls := b.j.Calls(); len(calls) != 0 {
		t.Errorf("Route called drivers: %q", calls)
	}
}

func TestDrivers(t *testing.T) {
	b := newBuild(t)
	infos := b.Drivers()
	var names []string
	for _, in := range infos {
		names = append(names, in.Name)
	}
	if want := []string{"a", "b", "c", "rng", "se", "se2", "last"}; !slices.Equal(names, want) {
		t.Fatalf("drivers %q, want the list order %q", names, want)
	}
	se := infos[4]
	if !se.Opaque || se.Location != locSE || se.PersistentStateSize != 16 {
		t.Errorf("se described as %+v", se)
	}
	if c := infos[0].Capabilities[1]; !slices.Equal(c.Algorithms, []string{"PSA_ALG_ECDSA(PSA_ALG_ANY_HASH)"}) ||
		!slices.Equal(c.KeySizes, []int{256}) || !c.Fallback {
		t.Errorf("a's second capability described as %+v", c)
	}
	infos[0].Name = "changed"
	if b.Drivers()[0].Name != "a" {
		t.Error("Drivers returns shared state")
	}
}

func TestNew(t *testing.T) {
	configured := &dispatchtest.A{Core: dispatchtest.Core{Name: "configured", Journal: new(dispatchtest.Journal)}}
	d, err := New(configured)
	if err != nil {
		t.Fatal(err)
	}
	if out, _ := d.SignHash(p256, nil, ecdsa, nil, nil); string(out) != "configured" {
		t.Errorf("the configured driver was not used: output %q", out)
	}
	// Drivers that were not given are allocated.
	if _, err := d.SignHash(rsa2048, nil, values.AlgRSAPSS(values.AlgSHA256), nil, nil); err != nil {
		t.Errorf("the allocated driver failed: %v", err)
	}

	for _, args := range [][]any{
		{struct{}{}},
		{(*dispatchtest.A)(nil)},
		{configured, &dispatchtest.A{}},
		{dispatchtest.A{}},
	} {
		_, err := New(args...)
		if !errors.Is(err, values.ErrInvalidArgument) {
			t.Errorf("New(%T...) error %v, want ErrInvalidArgument", args[0], err)
		}
	}
	_, err = New(42)
	if err == nil || !strings.Contains(err.Error(), "int") || !strings.Contains(err.Error(), "*dispatchtest.A") {
		t.Errorf("New(42): error %v, want one naming int and the accepted types", err)
	}
}

// TestConcurrent runs calls from many goroutines, for the race detector.
func TestConcurrent(t *testing.T) {
	b := newBuild(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				b.SignHash(p256, nil, ecdsa, nil, nil)
				b.HashCompute(values.AlgSHA256, nil, nil)
				b.Route("sign_hash", p256, ecdsa)
			}
		})
	}
	wg.Wait()
	if n := len(b.j.Calls()); n != 8*100*2 {
		t.Errorf("%d calls recorded, want %d", n, 8*100*2)
	}
}

// TestNoAllocation checks that routing to a driver allocates nothing.
func TestNoAllocation(t *testing.T) {
	d, err := New(&dispatchtest.A{Core: dispatchtest.Core{Name: "a"}}, &dispatchtest.B{Core: dispatchtest.Core{Name: "b", Answer: driver.ErrNotSupported}})
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]byte, 0, 64)
	for name, f := range map[string]func(){
		"direct":   func() { d.SignHash(p256, nil, ecdsa, nil, dst) },
		"fallback": func() { d.SignHash(p384, nil, ecdsa, nil, dst) }, // b declines, last answers
		"route":    func() { d.Route("sign_hash", p384, ecdsa) },
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocations per call, want 0", name, n)
		}
	}
}

func BenchmarkSignHashRouting(b *testing.B) {
	d, err := New()
	if err != nil {
		b.Fatal(err)
	}
	dst := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		d.SignHash(rsa2048, nil, values.AlgRSAPSS(values.AlgSHA256), nil, dst)
	}
}

func TestGeneratedIsCurrent(t *testing.T) {
	dispatchtest.CheckGenerated(t, "gen.go", "internal/dispatch/dispatchtest/routed")
}

// TestRouteAgreesWithManifest checks the generated conditions against
// manifest.Select, the reference semantics of dispatch, over many
// mechanisms: the driver that Route names is the first that Select gives.
func TestRouteAgreesWithManifest(t *testing.T) {
	drivers, err := manifest.LoadList(filepath.Join("..", "testdata", "routed.json"))
	if err != nil {
		t.Fatal(err)
	}
	d := newBuild(t)
	algs := []values.Algorithm{
		values.AlgSHA256, values.AlgSHA384, values.AlgSHA3_512, values.AlgECDSA(values.AlgSHA256),
		values.AlgDeterministicECDSA(values.AlgSHA384), values.AlgRSAPSS(values.AlgSHA256), values.AlgHMAC(values.AlgSHA256),
		values.AlgCMAC, values.AlgTruncatedMAC(values.AlgCMAC, 14), values.AlgTruncatedMAC(values.AlgCMAC, 8), values.AlgGCM,
		values.AlgCCM, values.AlgHKDF(values.AlgSHA256), values.AlgHKDF(values.AlgSHA384), values.AlgECDH,
		values.AlgKeyAgreement(values.AlgECDH, values.AlgHKDF(values.AlgSHA256)), values.AlgJPAKE(values.AlgSHA256),
	}
	types := []values.KeyType{0, values.KeyTypeAES, values.KeyTypeHMAC, values.KeyTypeDerive, values.KeyTypePassword,
		values.KeyTypeECCKeyPair(values.ECCFamilySECPR1), values.KeyTypeRSAKeyPair}
	sizes := []int{0, 128, 256, 384}
	locs := []values.Location{0, locSE, locSE2, locUnknown}
	checked := 0
	for _, e := range manifest.EntryPoints() {
		if !isRouted(e) {
			continue
		}
		for _, loc := range locs {
			if e.Name == "derive_key" && loc != 0 {
				continue // always transparent: the core imports the result
			}
			for _, alg := range algs {
				for _, kt := range types {
					for _, bits := range sizes {
						// A call with a key knows its type and size, except
						// import_key (size from the data) and a key
						// derivation whose secret is bytes (no key).
						derivation := e.Name == "key_derivation_setup"
						if e.Key && (kt == 0 && !derivation || bits == 0 && !derivation && e.Name != "import_key") {
							continue
						}
						attrs := key(kt, bits, loc)
						// A call without a key has no location (Select
						// would apply it anyway); get_builtin_key routes by
						// the location of its lifetime.
						m := manifest.Mechanism{Alg: alg, KeyType: kt, KeyBits: bits}
						if e.Key || !e.Transparent {
							m.Location = loc
						}
						want := ""
						if sel := manifest.Select(drivers, e.Name, m); len(sel) > 0 {
							want = sel[0].Driver.Prefix
						}
						if got := d.Route(e.Name, attrs, alg); got != want {
							t.Fatalf("Route(%q, %v/%d at %#x, %v) = %q, manifest.Select says %q", e.Name, kt, bits, uint32(loc), alg, got, want)
						}
						checked++
					}
				}
			}
		}
	}
	t.Logf("%d mechanisms checked", checked)
}

// isRouted reports whether Route answers for the entry point: those the
// dispatch chooses a driver for, not the members of a family that act on
// an operation (or, for "random", on the chosen generator).
func isRouted(e manifest.EntryPoint) bool {
	if e.Name == "get_random" || len(e.Families) == 0 {
		return true
	}
	for _, name := range e.Families {
		if f, _ := manifest.LookupFamily(name); f.Setup() == e.Name && name != "random" {
			return true
		}
	}
	return false
}
