package pkcs11

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	p11 "github.com/miekg/pkcs11"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// Location is the PSA key location of the driver's keys (the "location"
// of driver.json): a vendor-defined location, so that it cannot collide
// with a location that the specification assigns.
const Location values.Location = 0x800011

const (
	defaultMaxSessions   = 8
	defaultRetryInterval = 250 * time.Millisecond
)

// Driver is the PKCS#11 opaque driver: one token of one PKCS#11 module.
// Create it with New or Open, and give it to the dispatch of a build that
// includes drivers/pkcs11/driver.json; the instance calls Init and Free.
//
// A Driver serves one PSA instance at a time, and should be the only user
// of its module in the process: PKCS#11 has one login state per token per
// process, and recovery from a token removal re-initializes the module.
// Its methods are safe for concurrent use.
type Driver struct {
	cfg        Config
	configured bool

	// callMu is held for reading by every call into the module and for
	// writing by C_Finalize, which PKCS#11 forbids while other calls are
	// in progress.
	callMu sync.RWMutex
	cur    atomic.Pointer[conn]

	mu      sync.Mutex // guards what follows; taken to (re)connect
	mod     *p11.Ctx
	rand    io.Reader
	closed  bool
	fatal   error // a refused login: never retried, so as not to lock the PIN
	lastErr error
	lastTry time.Time
}

// New returns a driver for the token that cfg describes. It checks cfg
// but loads nothing: the module is loaded and the token opened by Init.
func New(cfg Config) (*Driver, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	cfg.BuiltinKeys = slices.Clone(cfg.BuiltinKeys)
	if cfg.MaxSessions == 0 {
		cfg.MaxSessions = defaultMaxSessions
	}
	if cfg.RetryInterval == 0 {
		cfg.RetryInterval = defaultRetryInterval
	}
	return &Driver{cfg: cfg, configured: true}, nil
}

// Open returns a driver configured by the file at path (see ParseConfig):
// the function the command-line tool calls.
func Open(path string) (*Driver, error) {
	cfg, err := LoadConfig(path)
	if err != nil {
		return nil, err
	}
	return New(cfg)
}

// BuiltinKeyIDs lists the identifiers of the configured built-in keys.
// The driver's slot number of a built-in key is its identifier, so an
// application registers each one with
// psa.WithBuiltinKey(id, pkcs11.Location, uint64(id)).
func (d *Driver) BuiltinKeyIDs() []values.KeyID {
	ids := make([]values.KeyID, len(d.cfg.BuiltinKeys))
	for i, b := range d.cfg.BuiltinKeys {
		ids[i] = b.ID
	}
	return ids
}

// Init is the "init" entry point: it loads the module, finds the token and
// logs in.
func (d *Driver) Init(h driver.Host) error {
	if !d.configured {
		return fmt.Errorf("pkcs11: the driver is not configured: give the dispatch a *pkcs11.Driver made by pkcs11.New or pkcs11.Open: %w", values.ErrBadState)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.mod != nil || d.closed {
		return fmt.Errorf("pkcs11: the driver is already in use by a PSA instance; create one Driver per instance: %w", values.ErrBadState)
	}
	d.rand = h.Rand()
	mod := p11.New(d.cfg.Module)
	if mod == nil {
		return fmt.Errorf("pkcs11: cannot load the PKCS#11 module %q (missing file, or not a PKCS#11 library): %w", d.cfg.Module, values.ErrCommunicationFailure)
	}
	d.mod = mod
	c, err := d.connect()
	if err != nil {
		_ = mod.Finalize()
		mod.Destroy()
		d.mod = nil
		return err
	}
	d.cur.Store(c)
	return nil
}

// Free is the "free" entry point: it logs out, closes the sessions and
// unloads the module. Volatile keys, which are session objects, are
// destroyed with the sessions.
func (d *Driver) Free() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed || d.mod == nil {
		d.closed = true
		return nil
	}
	d.closed = true
	d.callMu.Lock()
	defer d.callMu.Unlock()
	var err error
	if c := d.cur.Swap(nil); c != nil {
		c.broken.Store(true)
		_ = d.mod.Logout(c.owner)
		if e := d.mod.CloseAllSessions(c.slot); e != nil {
			err = opError("C_CloseAllSessions", noMech, e)
		}
	}
	if e := d.mod.Finalize(); e != nil && err == nil {
		if rv, _ := ckr(e); rv != p11.CKR_CRYPTOKI_NOT_INITIALIZED {
			err = opError("C_Finalize", noMech, e)
		}
	}
	d.mod.Destroy()
	d.mod = nil
	return err
}

// connect initializes the module and opens the token. It is called with
// d.mu held and no connection current.
func (d *Driver) connect() (*conn, error) {
	if err := d.mod.Initialize(); err != nil {
		if rv, _ := ckr(err); rv != p11.CKR_CRYPTOKI_ALREADY_INITIALIZED {
			return nil, opError("C_Initialize", noMech, err)
		}
	}
	slot, err := d.findSlot()
	if err != nil {
		return nil, err
	}
	c := &conn{
		mod:  d.mod,
		slot: slot,
		idle: make(chan p11.SessionHandle, d.cfg.MaxSessions),
		open: make(chan struct{}, d.cfg.MaxSessions),
	}
	for i := range c.handles {
		c.handles[i] = make(map[string]p11.ObjectHandle)
	}
	mechs, err := d.mod.GetMechanismList(slot)
	if err != nil {
		return nil, opError("C_GetMechanismList", noMech, err)
	}
	c.mechs = make(map[uint]bool, len(mechs))
	for _, m := range mechs {
		c.mechs[m.Mechanism] = true
	}
	if c.owner, err = c.openSession(); err != nil {
		return nil, err
	}
	if err := d.login(c); err != nil {
		_ = d.mod.CloseAllSessions(slot)
		return nil, err
	}
	return c, nil
}

func (d *Driver) findSlot() (uint, error) {
	slots, err := d.mod.GetSlotList(true)
	if err != nil {
		return 0, opError("C_GetSlotList", noMech, err)
	}
	want, what := "", ""
	switch {
	case d.cfg.TokenLabel != "":
		want, what = d.cfg.TokenLabel, "label"
	case d.cfg.TokenSerial != "":
		want, what = d.cfg.TokenSerial, "serial number"
	default:
		if slices.Contains(slots, d.cfg.Slot) {
			return d.cfg.Slot, nil
		}
		return 0, fmt.Errorf("pkcs11: no token in slot %d (slots with a token: %v): %w", d.cfg.Slot, slots, values.ErrCommunicationFailure)
	}
	var found []string
	for _, s := range slots {
		ti, err := d.mod.GetTokenInfo(s)
		if err != nil {
			continue // removed since C_GetSlotList
		}
		got := ti.Label
		if what != "label" {
			got = ti.SerialNumber
		}
		got = trimPadding(got)
		if got == want {
			return s, nil
		}
		found = append(found, fmt.Sprintf("%q", trimPadding(ti.Label)))
	}
	return 0, fmt.Errorf("pkcs11: no token with %s %q in module %s (tokens present: %v): %w",
		what, want, d.cfg.Module, found, values.ErrCommunicationFailure)
}

func trimPadding(s string) string {
	return string(bytes.TrimRight([]byte(s), " \x00"))
}

// login logs the user in on the owner session, which stays open so that
// the login lasts (PKCS#11 logs out when the last session closes).
func (d *Driver) login(c *conn) error {
	if d.cfg.PIN == nil {
		return nil
	}
	pin, err := d.cfg.PIN()
	if err != nil {
		return err
	}
	defer clear(pin)
	if err := d.mod.Login(c.owner, p11.CKU_USER, string(pin)); err != nil {
		rv, _ := ckr(err)
		if rv == p11.CKR_USER_ALREADY_LOGGED_IN {
			return nil
		}
		err = opError("C_Login", noMech, err)
		switch rv {
		case p11.CKR_PIN_INCORRECT, p11.CKR_PIN_LOCKED, p11.CKR_PIN_EXPIRED, p11.CKR_PIN_INVALID, p11.CKR_PIN_LEN_RANGE:
			d.fatal = fmt.Errorf("%w (not retried, so as not to lock the PIN: create a new driver with the right PIN)", err)
		}
		return err
	}
	return nil
}

// reconnect replaces the connection old, which failed: it re-initializes
// the module and opens the token again. Concurrent callers share one
// attempt; attempts are at least RetryInterval apart.
func (d *Driver) reconnect(old *conn, cause error) (*conn, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch {
	case !d.configured:
		return nil, fmt.Errorf("pkcs11: the driver is not configured: give the dispatch a *pkcs11.Driver made by pkcs11.New or pkcs11.Open: %w", values.ErrBadState)
	case d.closed:
		return nil, fmt.Errorf("pkcs11: the driver is closed: %w", values.ErrBadState)
	case d.mod == nil:
		return nil, fmt.Errorf("pkcs11: the driver is not initialized (Init not called): %w", values.ErrBadState)
	}
	if d.fatal != nil {
		return nil, d.fatal
	}
	if c := d.cur.Load(); c != nil && c != old && !c.broken.Load() {
		return c, nil // another goroutine reconnected
	}
	if d.lastErr != nil && time.Since(d.lastTry) < d.cfg.RetryInterval {
		return nil, d.lastErr
	}
	d.lastTry = time.Now()
	d.callMu.Lock()
	if c := d.cur.Swap(nil); c != nil {
		c.broken.Store(true)
		_ = d.mod.CloseAllSessions(c.slot)
	}
	_ = d.mod.Finalize()
	c, err := d.connect()
	d.callMu.Unlock()
	if err != nil {
		err = unavailable(cause, err)
		d.lastErr = err
		return nil, err
	}
	d.lastErr = nil
	d.cur.Store(c)
	return c, nil
}

// unavailable describes a failed reconnection. It is a communication
// failure, unless the token refused the login (PSA_ERROR_NOT_PERMITTED).
func unavailable(cause, err error) error {
	what := "the token is unavailable"
	if cause != nil {
		what = fmt.Sprintf("the token is unavailable (%v)", cause)
	}
	if driver.StatusOf(err) == values.ErrNotPermitted {
		return fmt.Errorf("pkcs11: %s, and logging in again failed: %w", what, err)
	}
	return fmt.Errorf("pkcs11: %s, and reconnecting failed: %v: %w", what, err, values.ErrCommunicationFailure)
}

// conn is one connection to the token, from C_Initialize to the next
// re-initialization: its sessions and the object handles found in them.
type conn struct {
	mod    *p11.Ctx
	slot   uint
	mechs  map[uint]bool // read-only after connect
	broken atomic.Bool

	// owner holds the login and the session objects (volatile keys),
	// which live as long as the session that created them.
	ownerMu sync.Mutex
	owner   p11.SessionHandle

	idle chan p11.SessionHandle // sessions ready for use
	open chan struct{}          // one token per session opened for the pool

	hmu sync.RWMutex
	// handles caches object handles by CKA_ID (or CKA_LABEL), per
	// class and naming attribute (see handleIndex).
	handles [2 * 3 * 2]map[string]p11.ObjectHandle
}

func (c *conn) openSession() (p11.SessionHandle, error) {
	s, err := c.mod.OpenSession(c.slot, p11.CKF_SERIAL_SESSION|p11.CKF_RW_SESSION)
	if rv, _ := ckr(err); rv == p11.CKR_TOKEN_WRITE_PROTECTED {
		s, err = c.mod.OpenSession(c.slot, p11.CKF_SERIAL_SESSION)
	}
	if err != nil {
		return 0, opError("C_OpenSession", noMech, err)
	}
	return s, nil
}

// session returns a session for one goroutine's exclusive use: PKCS#11
// lets a session run one operation at a time.
func (c *conn) session() (p11.SessionHandle, error) {
	select {
	case s := <-c.idle:
		return s, nil
	default:
	}
	select {
	case s := <-c.idle:
		return s, nil
	case c.open <- struct{}{}:
		s, err := c.openSession()
		if err != nil {
			<-c.open
			return 0, err
		}
		return s, nil
	}
}

func (c *conn) release(s p11.SessionHandle, keep bool) {
	if keep && !c.broken.Load() {
		c.idle <- s
		return
	}
	if !c.broken.Load() {
		_ = c.mod.CloseSession(s)
	}
	<-c.open
}

func (c *conn) supports(mech uint) error {
	if !c.mechs[mech] {
		return fmt.Errorf("pkcs11: the token does not support %s: %w", mechName(mech), values.ErrNotSupported)
	}
	return nil
}

// call is one use of the token: a connection, a session in it, and the
// read lock that keeps the module initialized meanwhile.
type call struct {
	d *Driver
	c *conn
	s p11.SessionHandle
}

// begin starts a call, reconnecting first if the connection failed.
func (d *Driver) begin() (call, error) {
	for {
		c := d.cur.Load()
		if c == nil || c.broken.Load() {
			var err error
			if c, err = d.reconnect(c, nil); err != nil {
				return call{}, err
			}
		}
		d.callMu.RLock()
		if d.cur.Load() != c || c.broken.Load() {
			d.callMu.RUnlock()
			continue
		}
		s, err := c.session()
		if err != nil {
			d.callMu.RUnlock()
			if rv, ok := ckr(err); ok && lost(rv) {
				c.broken.Store(true)
				if _, rerr := d.reconnect(c, err); rerr != nil {
					return call{}, rerr
				}
				continue
			}
			return call{}, err
		}
		return call{d: d, c: c, s: s}, nil
	}
}

// end finishes a call whose outcome is err. It reports whether the call
// should be made again (once the connection was lost and has been
// restored, or once a cached object handle went stale), and the error to
// report otherwise.
func (cl *call) end(err error) (retry bool, _ error) {
	rv, isCKR := ckr(err)
	gone := isCKR && lost(rv)
	cl.c.release(cl.s, !gone)
	cl.d.callMu.RUnlock()
	switch {
	case gone:
		cl.c.broken.Store(true)
		if _, rerr := cl.d.reconnect(cl.c, err); rerr != nil {
			return false, rerr
		}
		return true, err
	case isCKR && (rv == p11.CKR_OBJECT_HANDLE_INVALID || rv == p11.CKR_KEY_HANDLE_INVALID):
		cl.c.forgetHandles()
		return true, err
	}
	return false, err
}

// do runs f in a call, again once if end says so.
func do[T any](d *Driver, f func(cl *call) (T, error)) (T, error) {
	for try := 0; ; try++ {
		cl, err := d.begin()
		if err != nil {
			var zero T
			return zero, err
		}
		r, err := f(&cl)
		if retry, err := cl.end(err); !retry || try > 0 {
			return r, err
		}
	}
}

// withOwner runs f on the owner session, which creates session objects.
func (cl *call) withOwner(f func(s p11.SessionHandle) error) error {
	cl.c.ownerMu.Lock()
	defer cl.c.ownerMu.Unlock()
	return f(cl.c.owner)
}

// rand reads n random bytes from the instance's random source.
func (d *Driver) randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(d.rand, b); err != nil {
		return nil, fmt.Errorf("pkcs11: random source: %v: %w", err, values.ErrInsufficientEntropy)
	}
	return b, nil
}
