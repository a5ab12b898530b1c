package core

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/storage"
	"github.com/gopsa/psa/values"
)

// rawDispatch is a dispatch layer for the core's own tests: it imports any
// key as its raw bytes, so that these tests exercise the core alone. The
// generated dispatch and the builtin driver are tested through package psa.
type rawDispatch struct {
	driver.Dispatcher // nil: a call the tests do not expect panics
	inits, frees      int
}

func (d *rawDispatch) Init(driver.HostFactory) error { d.inits++; return nil }
func (d *rawDispatch) Free() error                   { d.frees++; return nil }
func (d *rawDispatch) Drivers() []driver.Info        { return nil }
func (d *rawDispatch) GetRandom([]byte) error        { return driver.ErrNotSupported }
func (d *rawDispatch) ImportKey(a values.Attributes, data, dst []byte) ([]byte, int, error) {
	if data[0] == 0xff {
		return nil, 0, fmt.Errorf("test: bad key: %w", values.ErrInvalidArgument)
	}
	return append(dst, data...), 8 * len(data), nil
}
func (d *rawDispatch) GenerateKey(a values.Attributes, _ driver.ProductionParameters, dst []byte) ([]byte, error) {
	return append(dst, make([]byte, a.Bits/8)...), nil
}

func newCore(t testing.TB, store storage.Store) *Core {
	t.Helper()
	c, err := New(Config{Store: store, Dispatch: &rawDispatch{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

var aesAttrs = values.Attributes{
	Type:  values.KeyTypeAES,
	Usage: values.UsageEncrypt | values.UsageDecrypt | values.UsageExport,
	Alg:   values.AlgCTR,
}

func key16(b byte) []byte { return bytes.Repeat([]byte{b}, 16) }

func TestImportExportDestroy(t *testing.T) {
	c := newCore(t, nil)
	id, err := c.Import(aesAttrs, key16(1))
	if err != nil {
		t.Fatal(err)
	}
	if id < VolatileMin || id > VolatileMax {
		t.Errorf("volatile key got id 0x%08x, outside the volatile range", uint32(id))
	}
	a, err := c.Attributes(id)
	if err != nil {
		t.Fatal(err)
	}
	if a.Bits != 128 || a.Type != values.KeyTypeAES || a.ID != id {
		t.Errorf("attributes = %+v", a)
	}
	out, err := c.Export(id, []byte("x"))
	if err != nil || !bytes.Equal(out, append([]byte("x"), key16(1)...)) {
		t.Fatalf("Export = %x, %v", out, err)
	}
	if err := c.Destroy(id); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Attributes(id); !errors.Is(err, values.ErrInvalidHandle) {
		t.Errorf("after destroy: err = %v, want INVALID_HANDLE", err)
	}
	if err := c.Destroy(id); !errors.Is(err, values.ErrInvalidHandle) {
		t.Errorf("second destroy: err = %v, want INVALID_HANDLE", err)
	}
	if err := c.Destroy(values.KeyIDNull); err != nil {
		t.Errorf("destroy of key 0: %v", err)
	}
}

func TestCreateErrors(t *testing.T) {
	store := storage.NewMemory()
	c := newCore(t, store)
	persistent := func(id values.KeyID) values.Attributes {
		a := aesAttrs
		a.Lifetime, a.ID = values.LifetimePersistent, id
		return a
	}
	tests := []struct {
		name  string
		attrs values.Attributes
		data  []byte
		want  error
	}{
		{"no type", values.Attributes{}, key16(1), values.ErrNotSupported},
		{"unknown usage flag", func() values.Attributes { a := aesAttrs; a.Usage |= 0x40000000; return a }(), key16(1), values.ErrInvalidArgument},
		{"vendor-range id", persistent(values.KeyIDVendorMin), key16(1), values.ErrInvalidArgument},
		{"volatile with id", func() values.Attributes { a := aesAttrs; a.ID = 5; return a }(), key16(1), values.ErrInvalidArgument},
		{"persistent id 0", persistent(0), key16(1), values.ErrInvalidArgument},
		{"persistent volatile-range id", persistent(VolatileMin), key16(1), values.ErrInvalidArgument},
		{"persistent builtin-range id", persistent(BuiltinMin), key16(1), values.ErrInvalidArgument},
		{"read-only", func() values.Attributes {
			a := persistent(1)
			a.Lifetime = values.LifetimeFromPersistenceAndLocation(values.PersistenceReadOnly, 0)
			return a
		}(), key16(1), values.ErrInvalidArgument},
		{"unknown location", func() values.Attributes {
			a := persistent(1)
			a.Lifetime = values.LifetimeFromPersistenceAndLocation(values.PersistenceDefault, 0x800001)
			return a
		}(), key16(1), values.ErrInvalidArgument},
		{"bits mismatch", func() values.Attributes { a := aesAttrs; a.Bits = 256; return a }(), key16(1), values.ErrInvalidArgument},
		{"empty data", aesAttrs, nil, values.ErrInvalidArgument},
		{"driver rejects", aesAttrs, []byte{0xff}, values.ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Import(tt.attrs, tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
	// A failed creation leaves no trace: the identifier can be used.
	if _, err := c.Import(persistent(1), key16(2)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Import(persistent(1), key16(3)); !errors.Is(err, values.ErrAlreadyExists) {
		t.Fatalf("second import: %v, want ALREADY_EXISTS", err)
	}
	if _, err := newCore(t, nil).Import(persistent(1), key16(3)); !errors.Is(err, values.ErrNotSupported) {
		t.Fatalf("persistent key without a store: %v, want NOT_SUPPORTED", err)
	}
}

func TestPersistence(t *testing.T) {
	store := storage.NewMemory()
	c := newCore(t, store)
	a := aesAttrs
	a.Lifetime, a.ID = values.LifetimePersistent, 42
	a.Usage = values.UsageSignHash | values.UsageExport
	if _, err := c.Import(a, key16(7)); err != nil {
		t.Fatal(err)
	}
	if err := c.Purge(42); err != nil {
		t.Fatal(err)
	}
	// A new instance on the same store sees the key, with implied usage.
	c2 := newCore(t, store)
	got, err := c2.Attributes(42)
	if err != nil {
		t.Fatal(err)
	}
	want := values.UsageSignHash | values.UsageSignMessage | values.UsageExport
	if got.Usage != want || got.Bits != 128 || got.Lifetime != values.LifetimePersistent {
		t.Errorf("reloaded attributes = %+v", got)
	}
	out, err := c2.Export(42, nil)
	if err != nil || !bytes.Equal(out, key16(7)) {
		t.Fatalf("reloaded key = %x, %v", out, err)
	}
	if err := c2.Destroy(42); err != nil {
		t.Fatal(err)
	}
	if _, err := newCore(t, store).Attributes(42); !errors.Is(err, values.ErrInvalidHandle) {
		t.Fatalf("destroyed persistent key: %v, want INVALID_HANDLE", err)
	}
}

func TestPolicy(t *testing.T) {
	c := newCore(t, nil)
	a := values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilySECPR1), Usage: values.UsageSignHash,
		Alg: values.AlgECDSA(values.AlgAnyHash)}
	id, err := c.Import(a, key16(1))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		usage values.KeyUsage
		alg   values.Algorithm
		want  error
	}{
		{values.UsageSignHash, values.AlgECDSA(values.AlgSHA256), nil},
		{values.UsageSignMessage, values.AlgECDSA(values.AlgSHA384), nil}, // implied
		{values.UsageVerifyHash, values.AlgECDSA(values.AlgSHA256), values.ErrNotPermitted},
		{values.UsageSignHash, values.AlgDeterministicECDSA(values.AlgSHA256), values.ErrNotPermitted},
		{values.UsageExport, 0, values.ErrNotPermitted},
	}
	for _, tt := range tests {
		s, err := c.Use(id, tt.usage, tt.alg)
		if !errors.Is(err, tt.want) || (tt.want != nil) != (err != nil) {
			t.Errorf("Use(%v, %v) = %v, want %v", tt.usage, tt.alg, err, tt.want)
		}
		if err == nil {
			c.Release(s)
		}
	}
	if _, err := c.Export(id, nil); !errors.Is(err, values.ErrNotPermitted) {
		t.Errorf("export without EXPORT: %v", err)
	}
}

func TestCopy(t *testing.T) {
	c := newCore(t, nil)
	a := values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilySECPR1), Usage: values.UsageSignHash | values.UsageCopy | values.UsageExport,
		Alg: values.AlgECDSA(values.AlgAnyHash)}
	src, err := c.Import(a, key16(9))
	if err != nil {
		t.Fatal(err)
	}
	dst, err := c.Copy(src, values.Attributes{Usage: values.UsageSignHash | values.UsageExport | values.UsageVerifyHash,
		Alg: values.AlgECDSA(values.AlgSHA256)})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := c.Attributes(dst)
	if got.Alg != values.AlgECDSA(values.AlgSHA256) || got.Usage != values.UsageSignHash|values.UsageSignMessage|values.UsageExport {
		t.Errorf("copy policy = %v %v", got.Usage, got.Alg)
	}
	if k, _ := c.Export(dst, nil); !bytes.Equal(k, key16(9)) {
		t.Errorf("copy material = %x", k)
	}
	if _, err := c.Copy(src, values.Attributes{Alg: values.AlgRSAPSS(values.AlgSHA256)}); !errors.Is(err, values.ErrInvalidArgument) {
		t.Errorf("incompatible policies: %v", err)
	}
	if _, err := c.Copy(src, values.Attributes{Type: values.KeyTypeAES}); !errors.Is(err, values.ErrInvalidArgument) {
		t.Errorf("type mismatch: %v", err)
	}
	if _, err := c.Copy(dst, values.Attributes{}); !errors.Is(err, values.ErrNotPermitted) {
		t.Errorf("copy without COPY: %v", err)
	}
}

func TestIntersectAlg(t *testing.T) {
	ccm8 := values.AlgAEADWithAtLeastThisLengthTag(values.AlgCCM, 8)
	ccm12 := values.AlgAEADWithAtLeastThisLengthTag(values.AlgCCM, 12)
	hmac := values.AlgHMAC(values.AlgSHA256)
	tests := []struct{ a, b, want values.Algorithm }{
		{values.AlgCTR, values.AlgCTR, values.AlgCTR},
		{values.AlgCTR, values.AlgCBCNoPadding, 0},
		{values.AlgCTR, 0, 0},
		{values.AlgECDSA(values.AlgAnyHash), values.AlgECDSA(values.AlgSHA256), values.AlgECDSA(values.AlgSHA256)},
		{values.AlgECDSA(values.AlgSHA256), values.AlgECDSA(values.AlgAnyHash), values.AlgECDSA(values.AlgSHA256)},
		{ccm8, ccm12, ccm12},
		{ccm12, ccm8, ccm12},
		{ccm8, values.AlgAEADWithShortenedTag(values.AlgCCM, 10), values.AlgAEADWithShortenedTag(values.AlgCCM, 10)},
		{ccm12, values.AlgAEADWithShortenedTag(values.AlgCCM, 10), 0},
		{values.AlgAtLeastThisLengthMAC(hmac, 10), values.AlgAtLeastThisLengthMAC(hmac, 20), values.AlgAtLeastThisLengthMAC(hmac, 20)},
		{values.AlgAtLeastThisLengthMAC(hmac, 10), values.AlgAEADWithAtLeastThisLengthTag(values.AlgGCM, 12), 0},
	}
	for _, tt := range tests {
		if got := intersectAlg(values.KeyTypeAES, 128, tt.a, tt.b); got != tt.want {
			t.Errorf("intersect(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestDestroyWhileInUse checks that a destroyed key's buffer is wiped only
// once the use in progress ends.
func TestDestroyWhileInUse(t *testing.T) {
	c := newCore(t, nil)
	id, _ := c.Import(aesAttrs, key16(5))
	s, err := c.Use(id, values.UsageEncrypt, values.AlgCTR)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Destroy(id); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(s.Key, key16(5)) {
		t.Fatal("key wiped while in use")
	}
	c.Release(s)
	if !bytes.Equal(s.Key, make([]byte, 16)) {
		t.Fatalf("key not wiped after last use: %x", s.Key)
	}
}

func TestCacheBound(t *testing.T) {
	store := storage.NewMemory()
	c, err := New(Config{Store: store, Dispatch: &rawDispatch{}, CacheSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	a := aesAttrs
	a.Lifetime = values.LifetimePersistent
	for i := 1; i <= 20; i++ {
		a.ID = values.KeyID(i)
		if _, err := c.Import(a, key16(byte(i))); err != nil {
			t.Fatal(err)
		}
	}
	for i := 20; i >= 1; i-- {
		if k, err := c.Export(values.KeyID(i), nil); err != nil || !bytes.Equal(k, key16(byte(i))) {
			t.Fatalf("key %d: %x, %v", i, k, err)
		}
	}
	c.mu.RLock()
	n := c.cached
	c.mu.RUnlock()
	if n > 4 {
		t.Errorf("%d persistent keys cached, bound is 4", n)
	}
}

func TestConcurrent(t *testing.T) {
	store := storage.NewMemory()
	c := newCore(t, store)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := aesAttrs
			for i := range 50 {
				if i%2 == 0 {
					a.Lifetime, a.ID = values.LifetimePersistent, values.KeyID(1000*g+i+1)
				} else {
					a.Lifetime, a.ID = values.LifetimeVolatile, 0
				}
				id, err := c.Import(a, key16(byte(i)))
				if err != nil {
					t.Error(err)
					return
				}
				if k, err := c.Export(id, nil); err != nil || !bytes.Equal(k, key16(byte(i))) {
					t.Errorf("export %x: %x %v", id, k, err)
				}
				if i%3 == 0 {
					_ = c.Purge(id)
				}
				if i%4 == 0 {
					if err := c.Destroy(id); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
}

func TestClose(t *testing.T) {
	d := &rawDispatch{}
	c, _ := New(Config{Dispatch: d})
	id, _ := c.Import(aesAttrs, key16(1))
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Attributes(id); !errors.Is(err, values.ErrBadState) {
		t.Errorf("after close: %v, want BAD_STATE", err)
	}
	if d.inits != 1 || d.frees != 1 {
		t.Errorf("init/free calls = %d/%d", d.inits, d.frees)
	}
}

// BenchmarkUse measures a volatile-key lookup and policy check: the cost
// the core adds to every operation.
func BenchmarkUse(b *testing.B) {
	c := newCore(b, nil)
	id, _ := c.Import(aesAttrs, key16(1))
	b.ReportAllocs()
	for b.Loop() {
		s, err := c.Use(id, values.UsageEncrypt, values.AlgCTR)
		if err != nil {
			b.Fatal(err)
		}
		c.Release(s)
	}
}

// BenchmarkUseAmong10000 uses a random key among 10,000: it must cost the
// same as BenchmarkUse (no linear scan).
func BenchmarkUseAmong10000(b *testing.B) {
	c := newCore(b, nil)
	ids := make([]values.KeyID, 10000)
	for i := range ids {
		ids[i], _ = c.Import(aesAttrs, key16(byte(i%200)))
	}
	r := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	for b.Loop() {
		s, err := c.Use(ids[r.IntN(len(ids))], values.UsageEncrypt, values.AlgCTR)
		if err != nil {
			b.Fatal(err)
		}
		c.Release(s)
	}
}
