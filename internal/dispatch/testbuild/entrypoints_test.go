package testbuild

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/driver/manifest"
	"github.com/gopsa/psa/drivers/builtin"
	"github.com/gopsa/psa/drivers/testdriver"
	"github.com/gopsa/psa/storage"
	"github.com/gopsa/psa/values"
)

// prepare sets up on b what one call of an entry point needs (keys with
// lifetime lt, an operation in the right state) and returns that call, so
// that the hit counts and the forced error concern it alone.
type prepare func(t *testing.T, b *build, lt values.Lifetime) (call func() error)

// epRow is how TestEveryEntryPoint reaches one entry point of the
// catalogue. A proof row has a prepare for each driver type that may
// declare the entry point: local reaches the transparent test driver with
// a key in local storage, opaque the opaque test driver with a key in its
// location. An absent or gap row has check instead, which asserts that its
// claim still holds, so that the row cannot outlive it.
type epRow struct {
	ep  string
	via string // how the row reaches the entry point, for the log

	local, opaque prepare
	// realErr is the status that the unforced call ends with instead of
	// success (realWhy says why); the call must still reach the driver.
	realErr values.Status
	realWhy string

	// absent says why the test drivers do not implement ep, which is
	// allowed only where the builtin driver lacks it too.
	absent string
	// gap says what the test drivers lack although the builtin driver
	// has it: a gap to close, which the test reports.
	gap   string
	check func(t *testing.T, b *build)
	// noError marks an entry point without an error result (a
	// notification): there is no forced phase.
	noError bool
}

// TestEveryEntryPoint calls every entry point of the catalogue
// (manifest.EntryPoints) through the generated dispatch of the test build,
// through the public psa API wherever the API reaches it, and checks that
// the call reaches the test driver of the key's location (its hit count
// grows, the other test driver's does not) and that an error forced there
// reaches the caller unchanged (errors.Is). Entry points the test drivers
// do not implement are logged with the reason, and gaps (the builtin
// driver has the mechanism, the test drivers do not) are logged as GAP.
func TestEveryEntryPoint(t *testing.T) {
	rows := map[string]epRow{}
	for _, r := range entryPointRows() {
		if _, dup := rows[r.ep]; dup {
			t.Errorf("two rows for entry point %q", r.ep)
		}
		rows[r.ep] = r
	}
	var proven, absent, gaps []string
	for _, e := range manifest.EntryPoints() {
		r, ok := rows[e.Name]
		if !ok {
			t.Errorf("entry point %q of the catalogue has no row in entryPointRows: add one that calls it through the test drivers", e.Name)
			continue
		}
		delete(rows, e.Name)
		if err := r.consistent(e); err != nil {
			t.Errorf("row %q: %v", e.Name, err)
			continue
		}
		t.Run(e.Name, func(t *testing.T) { r.run(t, e) })
		switch {
		case r.gap != "":
			gaps = append(gaps, fmt.Sprintf("%s: %s", e.Name, r.gap))
		case r.absent != "":
			absent = append(absent, fmt.Sprintf("%s: %s", e.Name, r.absent))
		default:
			var where []string
			if r.local != nil {
				where = append(where, "local")
			}
			if r.opaque != nil {
				where = append(where, "test_opaque")
			}
			proven = append(proven, fmt.Sprintf("%s (%s; %s)", e.Name, strings.Join(where, ", "), r.via))
		}
	}
	for _, e := range notifications {
		r, ok := rows[e.Name]
		if !ok {
			t.Errorf("dispatch notification %q has no row in entryPointRows", e.Name)
			continue
		}
		delete(rows, e.Name)
		t.Run(e.Name, func(t *testing.T) { r.run(t, e) })
		if r.gap != "" {
			gaps = append(gaps, fmt.Sprintf("%s: %s", e.Name, r.gap))
		}
	}
	for ep := range rows {
		t.Errorf("row %q names no entry point of the catalogue: remove it", ep)
	}
	t.Logf("%d entry points proven through the test drivers:\n  %s", len(proven), strings.Join(proven, "\n  "))
	t.Logf("%d entry points not in the test drivers:\n  %s", len(absent), strings.Join(absent, "\n  "))
	if len(gaps) > 0 {
		t.Logf("%d GAPS (the builtin driver has the mechanism, the test drivers do not reach it):\n  GAP %s",
			len(gaps), strings.Join(gaps, "\n  GAP "))
	}
}

// consistent checks the row against the catalogue: a proof for each
// driver type that may declare the entry point, and none for the others.
func (r epRow) consistent(e manifest.EntryPoint) error {
	if r.absent != "" || r.gap != "" {
		if r.check == nil {
			return errors.New("an absent or gap row needs a check of its claim")
		}
		if r.local != nil || r.opaque != nil {
			return errors.New("an absent or gap row has no proof")
		}
		return nil
	}
	switch {
	case e.Transparent != (r.local != nil):
		return fmt.Errorf("transparent drivers may declare it: %v, but the row has a local proof: %v", e.Transparent, r.local != nil)
	case e.Opaque != (r.opaque != nil):
		return fmt.Errorf("opaque drivers may declare it: %v, but the row has a test_opaque proof: %v", e.Opaque, r.opaque != nil)
	}
	return nil
}

func (r epRow) run(t *testing.T, e manifest.EntryPoint) {
	if r.check != nil {
		r.check(t, newBuild(t, true))
		switch {
		case r.gap != "":
			t.Logf("GAP: %s", r.gap)
		case r.absent != "":
			t.Logf("not in the test drivers: %s", r.absent)
		}
		return
	}
	for _, loc := range []struct {
		name        string
		p           prepare
		lt          values.Lifetime
		hooks, peer func(*build) *testdriver.Hooks
	}{
		{"local", r.local, values.LifetimeVolatile, trHooks, opHooks},
		{"test_opaque", r.opaque, opaqueLifetime, opHooks, trHooks},
	} {
		if loc.p == nil {
			continue
		}
		t.Run(loc.name, func(t *testing.T) {
			t.Run("real", func(t *testing.T) {
				b := newBuild(t, true)
				call := loc.p(t, b, loc.lt)
				h, other := loc.hooks(b), loc.peer(b)
				before, otherBefore := h.Hits(e.Name), other.Hits(e.Name)
				err := call()
				switch {
				case r.realErr == values.Success && err != nil:
					t.Errorf("%s: %v", r.via, err)
				case r.realErr != values.Success && !errors.Is(err, r.realErr):
					t.Errorf("%s: %v, want %v (%s)", r.via, err, r.realErr, r.realWhy)
				}
				if h.Hits(e.Name) <= before {
					t.Errorf("%s did not reach %s of the test driver (hits %d before and after; all hits: %v)",
						r.via, e.Name, before, h.AllHits())
				}
				if !e.Broadcast && other.Hits(e.Name) != otherBefore {
					t.Errorf("%s reached %s of the other test driver too (all hits: %v)", r.via, e.Name, other.AllHits())
				}
			})
			t.Run("forced", func(t *testing.T) {
				if r.noError {
					t.Skipf("%s returns no error: nothing to force", e.Name)
				}
				b := newBuild(t, true)
				call := loc.p(t, b, loc.lt)
				h := loc.hooks(b)
				forced := fmt.Errorf("%s forced to fail by TestEveryEntryPoint: %w", e.Name, values.ErrHardwareFailure)
				before := h.Hits(e.Name)
				h.Force(e.Name, forced)
				err := call()
				h.Force(e.Name, nil)
				if !errors.Is(err, forced) {
					t.Errorf("%s with %s forced to fail: %v, want the forced error", r.via, e.Name, err)
				}
				if h.Hits(e.Name) <= before {
					t.Errorf("%s did not reach %s of the test driver (all hits: %v)", r.via, e.Name, h.AllHits())
				}
			})
		})
	}
}

// notifications are the calls of the generated dispatch that are not
// entry points of descriptions, and so not in the catalogue: the dispatch
// forwards them to every driver whose type has the method.
var notifications = []manifest.EntryPoint{
	{Name: "forget_key", Transparent: true, Opaque: true, Broadcast: true, Extension: true, Method: "ForgetKey"},
}

func trHooks(b *build) *testdriver.Hooks { return &b.tr.Hooks }
func opHooks(b *build) *testdriver.Hooks { return &b.op.Hooks }

// Test data of the rows. The AES key and the secp256r1 key (p256Key) are
// those of the other tests of the package; the RSA key and the ECDH peer
// are made once per run.
var (
	aesKey  = mustHex("2b7e151628aed2a6abf7158809cf4f3c")
	hmacKey = mustHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b")
	message = []byte("every entry point")
	hkdf256 = values.AlgHKDF(values.AlgSHA256)
	hmac256 = values.AlgHMAC(values.AlgSHA256)
	oaep256 = values.AlgRSAOAEP(values.AlgSHA256)

	rsaKey = sync.OnceValues(func() ([]byte, error) {
		k, err := rsa.GenerateKey(rand.Reader, 1024)
		if err != nil {
			return nil, err
		}
		return x509.MarshalPKCS1PrivateKey(k), nil
	})
	ecdhPeer = sync.OnceValues(func() ([]byte, error) {
		k, err := ecdh.P256().GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		return k.PublicKey().Bytes(), nil
	})
)

// importAt imports a key with the attributes a at lifetime lt.
func importAt(t *testing.T, b *build, lt values.Lifetime, a values.Attributes, data []byte) psa.KeyID {
	t.Helper()
	a.Lifetime = lt
	id, err := b.c.ImportKey(a, data)
	if err != nil {
		t.Fatalf("import %v at location %#x: %v", a.Type, uint32(lt.Location()), err)
	}
	return id
}

// onceData returns the test data that f makes once.
func onceData(t *testing.T, f func() ([]byte, error)) []byte {
	t.Helper()
	b, err := f()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// must returns v, or ends the test with err: must(f())(t).
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func mustOK(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func aesAt(t *testing.T, b *build, lt values.Lifetime, alg values.Algorithm, usage values.KeyUsage) psa.KeyID {
	return importAt(t, b, lt, values.Attributes{Type: values.KeyTypeAES, Usage: usage, Alg: alg}, aesKey)
}

func hmacAt(t *testing.T, b *build, lt values.Lifetime) psa.KeyID {
	return importAt(t, b, lt, values.Attributes{Type: values.KeyTypeHMAC,
		Usage: values.UsageSignMessage | values.UsageVerifyMessage, Alg: hmac256}, hmacKey)
}

func p256At(t *testing.T, b *build, lt values.Lifetime, usage values.KeyUsage, alg values.Algorithm) psa.KeyID {
	return importAt(t, b, lt, values.Attributes{Type: p256Pair, Usage: usage, Alg: alg}, p256Key)
}

func rsaAt(t *testing.T, b *build, lt values.Lifetime) psa.KeyID {
	return importAt(t, b, lt, values.Attributes{Type: values.KeyTypeRSAKeyPair,
		Usage: values.UsageEncrypt | values.UsageDecrypt, Alg: oaep256}, onceData(t, rsaKey))
}

func mlkemAt(t *testing.T, b *build, lt values.Lifetime) psa.KeyID {
	t.Helper()
	id, err := b.c.GenerateKey(values.Attributes{Lifetime: lt, Type: values.KeyTypeMLKEMKeyPair, Bits: 768,
		Usage: values.UsageEncrypt | values.UsageDecrypt, Alg: values.AlgMLKEM})
	mustOK(t, "generate ML-KEM-768 key", err)
	return id
}

// sharedSecret are the attributes of the key that a key encapsulation
// makes.
var sharedSecret = values.Attributes{Type: values.KeyTypeDerive, Usage: values.UsageDerive, Alg: hkdf256}

// hkdfWith starts an HKDF-SHA-256 derivation whose secret is a key at
// lifetime lt.
func hkdfWith(t *testing.T, b *build, lt values.Lifetime) *psa.KeyDerivationOperation {
	t.Helper()
	secret := importAt(t, b, lt, values.Attributes{Type: values.KeyTypeDerive, Usage: values.UsageDerive, Alg: hkdf256}, hmacKey)
	op := new(psa.KeyDerivationOperation)
	t.Cleanup(func() { op.Abort() })
	mustOK(t, "key derivation setup", b.c.KeyDerivationSetup(op, hkdf256))
	mustOK(t, "salt", op.InputBytes(values.DerivationInputSalt, []byte("salt")))
	mustOK(t, "secret", op.InputKey(values.DerivationInputSecret, secret))
	mustOK(t, "info", op.InputBytes(values.DerivationInputInfo, []byte("info")))
	return op
}

var jpakeSuite = values.PAKECipherSuite{
	Algorithm:       values.AlgJPAKE(values.AlgSHA256),
	Primitive:       values.PAKEPrimitiveOf(values.PAKEPrimitiveTypeECC, values.PAKEFamily(values.ECCFamilySECPR1), 256),
	KeyConfirmation: values.PAKEUnconfirmedKey,
}

// derivationInputs are the initial inputs of an HKDF-SHA-256 derivation
// without salt, for the rows that call the dispatch's KeyDerivationSetup
// directly: the secret is bytes, or a key buffer when secretAttrs is set.
type derivationInputs struct {
	secretAttrs  values.Attributes
	secret, info []byte
}

func (in derivationInputs) Type(step values.DerivationStep) driver.InputType {
	switch step {
	case values.DerivationInputSecret:
		if in.secretAttrs.Type != 0 {
			return driver.InputKey
		}
		return driver.InputBytes
	case values.DerivationInputInfo:
		return driver.InputBytes
	case values.DerivationInputSalt:
		return driver.InputOmitted
	}
	return driver.InputInvalid
}

func (in derivationInputs) Bytes(step values.DerivationStep) ([]byte, error) {
	switch {
	case in.Type(step) != driver.InputBytes:
		return nil, fmt.Errorf("step %v was not given as bytes: %w", step, values.ErrInvalidArgument)
	case step == values.DerivationInputSecret:
		return in.secret, nil
	}
	return in.info, nil
}

func (in derivationInputs) Key(step values.DerivationStep) (values.Attributes, []byte, error) {
	if in.Type(step) != driver.InputKey {
		return values.Attributes{}, nil, fmt.Errorf("step %v was not given as a key: %w", step, values.ErrInvalidArgument)
	}
	return in.secretAttrs, in.secret, nil
}

func (in derivationInputs) Integer(step values.DerivationStep) (uint64, error) {
	return 0, fmt.Errorf("step %v was not given as an integer: %w", step, values.ErrInvalidArgument)
}

// inputsAt are derivation inputs whose secret is a key at lifetime lt:
// for an opaque location, a key context that the opaque test driver made.
func inputsAt(t *testing.T, b *build, lt values.Lifetime) derivationInputs {
	t.Helper()
	info := []byte("info")
	if lt.Location() == values.LocationLocalStorage {
		return derivationInputs{secret: hmacKey, info: info}
	}
	a := values.Attributes{Lifetime: lt, Type: values.KeyTypeDerive, Usage: values.UsageDerive, Alg: hkdf256}
	ctx, bits, err := b.op.ImportKey(a, hmacKey, nil)
	mustOK(t, "opaque test driver: import the secret", err)
	a.Bits = bits
	return derivationInputs{secretAttrs: a, secret: ctx, info: info}
}

// opaqueContext has the opaque test driver make the key context of an AES
// key, and returns the attributes it is bound to.
func opaqueContext(t *testing.T, b *build, alg values.Algorithm) (values.Attributes, []byte) {
	t.Helper()
	a := values.Attributes{Lifetime: opaqueLifetime, Type: values.KeyTypeAES, Alg: alg,
		Usage: values.UsageEncrypt | values.UsageDecrypt}
	ctx, bits, err := b.op.ImportKey(a, aesKey, nil)
	mustOK(t, "opaque test driver: import", err)
	a.Bits = bits
	return a, ctx
}

func implements[T any](v any) bool {
	_, ok := v.(T)
	return ok
}

// hasMethod reports whether v's type has an exported method called name.
func hasMethod(v any, name string) bool {
	_, ok := reflect.TypeOf(v).MethodByName(name)
	return ok
}

// lacksMethod checks the claim of an absent row whose entry point is a
// method of the driver type: neither the test drivers nor the builtin
// driver have method name.
func lacksMethod(name string) func(t *testing.T, b *build) {
	return func(t *testing.T, b *build) {
		for _, d := range []struct {
			what string
			v    any
		}{{"the transparent test driver", b.tr}, {"the opaque test driver", b.op}, {"the second opaque test driver", b.op2}} {
			if hasMethod(d.v, name) {
				t.Errorf("%s has a %s method now: turn this row into a proof", d.what, name)
			}
		}
		if hasMethod(new(builtin.Driver), name) {
			t.Errorf("the builtin driver has a %s method, but the test drivers do not: a gap to close", name)
		}
	}
}

// pakeStatus is the status of the first PAKE step in the test build: the
// test drivers compute PAKE with the builtin driver, so it is
// ErrNotSupported while the builtin driver has no PAKE.
func pakeStatus() values.Status {
	if implements[driver.PAKE](new(builtin.Driver)) {
		return values.Success
	}
	return values.ErrNotSupported
}

// entryPointRows is the table of TestEveryEntryPoint, in catalogue order.
func entryPointRows() []epRow {
	return []epRow{
		// Single-part operations.
		{ep: "hash_compute", via: "c.HashCompute",
			local: func(t *testing.T, b *build, lt values.Lifetime) func() error {
				return func() error {
					h, err := b.c.HashCompute(values.AlgSHA256, message, nil)
					if want := sha256.Sum256(message); err == nil && !bytes.Equal(h, want[:]) {
						t.Errorf("SHA-256 = %x, want %x", h, want)
					}
					return err
				}
			}},
		{ep: "mac_compute", via: "c.MACCompute", local: macCompute, opaque: macCompute},
		{ep: "mac_verify", via: "c.MACVerify", local: macVerify, opaque: macVerify},
		{ep: "cipher_encrypt", via: "c.CipherEncrypt", local: cipherEncrypt, opaque: cipherEncrypt},
		{ep: "cipher_decrypt", via: "c.CipherDecrypt", local: cipherDecrypt, opaque: cipherDecrypt},
		{ep: "aead_encrypt", via: "c.AEADEncrypt", local: aeadEncrypt, opaque: aeadEncrypt},
		{ep: "aead_decrypt", via: "c.AEADDecrypt", local: aeadDecrypt, opaque: aeadDecrypt},
		{ep: "asymmetric_encrypt", via: "c.AsymmetricEncrypt", local: asymEncrypt, opaque: asymEncrypt},
		{ep: "asymmetric_decrypt", via: "c.AsymmetricDecrypt", local: asymDecrypt, opaque: asymDecrypt},
		{ep: "sign_hash", via: "c.SignHash", local: signHash, opaque: signHash},
		{ep: "verify_hash", via: "c.VerifyHash", local: verifyHash, opaque: verifyHash},
		{ep: "sign_message", via: "c.SignMessage", local: signMessage, opaque: signMessage},
		{ep: "verify_message", via: "c.VerifyMessage", local: verifyMessage, opaque: verifyMessage},
		{ep: "key_agreement", via: "c.RawKeyAgreement", local: rawAgreement, opaque: rawAgreement},
		{ep: "key_agreement_to_key", via: "c.KeyAgreement into the private key's location",
			opaque: func(t *testing.T, b *build, lt values.Lifetime) func() error {
				k := p256At(t, b, lt, values.UsageDerive, values.AlgECDH)
				peer := onceData(t, ecdhPeer)
				a := sharedSecret
				a.Lifetime = lt
				return func() error {
					_, err := b.c.KeyAgreement(k, peer, values.AlgECDH, a)
					return err
				}
			}},
		{ep: "encapsulate", via: "c.Encapsulate", local: encapsulate, opaque: encapsulate},
		{ep: "decapsulate", via: "c.Decapsulate", local: decapsulate, opaque: decapsulate},
		{ep: "wrap_key", via: "c.WrapKey", local: wrapKey, opaque: wrapKey},
		{ep: "unwrap_key", via: "c.UnwrapKey", local: unwrapKey, opaque: unwrapKey},

		// Hash.
		{ep: "hash_setup", via: "c.HashSetup", local: func(t *testing.T, b *build, lt values.Lifetime) func() error {
			op := new(psa.HashOperation)
			t.Cleanup(func() { op.Abort() })
			return func() error { return b.c.HashSetup(op, values.AlgSHA256) }
		}},
		{ep: "hash_update", via: "HashOperation.Update", local: hashOp(func(op *psa.HashOperation) error { return op.Update(message) })},
		{ep: "hash_finish", via: "HashOperation.Finish", local: hashOp(func(op *psa.HashOperation) error {
			_, err := op.Finish(nil)
			return err
		})},
		{ep: "hash_clone", via: "HashOperation.Clone", local: hashOp(func(op *psa.HashOperation) error {
			var clone psa.HashOperation
			defer clone.Abort()
			return op.Clone(&clone)
		})},
		{ep: "hash_abort", via: "HashOperation.Abort", local: hashOp((*psa.HashOperation).Abort)},
		{ep: "hash_suspend", via: "HashOperation.Suspend", local: hashOp(func(op *psa.HashOperation) error {
			_, err := op.Suspend(nil)
			return err
		})},
		{ep: "hash_resume", via: "c.HashResume", local: func(t *testing.T, b *build, lt values.Lifetime) func() error {
			var op psa.HashOperation
			mustOK(t, "hash setup", b.c.HashSetup(&op, values.AlgSHA256))
			mustOK(t, "hash update", op.Update(message))
			state := must(op.Suspend(nil))(t)
			resumed := new(psa.HashOperation)
			t.Cleanup(func() { resumed.Abort() })
			return func() error { return b.c.HashResume(resumed, state) }
		}},

		// MAC.
		{ep: "mac_sign_setup", via: "c.MACSignSetup", local: macSetup(true), opaque: macSetup(true)},
		{ep: "mac_verify_setup", via: "c.MACVerifySetup", local: macSetup(false), opaque: macSetup(false)},
		{ep: "mac_update", via: "MACOperation.Update", local: macOp(true, macUpdate), opaque: macOp(true, macUpdate)},
		{ep: "mac_sign_finish", via: "MACOperation.SignFinish", local: macOp(true, macSignFinish), opaque: macOp(true, macSignFinish)},
		{ep: "mac_verify_finish", via: "MACOperation.VerifyFinish", local: macVerifyFinish, opaque: macVerifyFinish},
		{ep: "mac_abort", via: "MACOperation.Abort", local: macOp(true, macAbort), opaque: macOp(true, macAbort)},

		// Cipher.
		{ep: "cipher_encrypt_setup", via: "c.CipherEncryptSetup", local: cipherSetup(true), opaque: cipherSetup(true)},
		{ep: "cipher_decrypt_setup", via: "c.CipherDecryptSetup", local: cipherSetup(false), opaque: cipherSetup(false)},
		{ep: "cipher_generate_iv", via: "CipherOperation.GenerateIV",
			absent: "optional opaque member (gopsa extension): the opaque test drivers' cipher operations do not implement driver.IVGenerator, so psa_cipher_generate_iv has the core make the IV and pass it with cipher_set_iv; the builtin driver is transparent and cannot have it",
			check:  cipherGenerateIV},
		{ep: "cipher_set_iv", via: "CipherOperation.SetIV", local: cipherOp(0), opaque: cipherOp(0)},
		{ep: "cipher_update", via: "CipherOperation.Update", local: cipherOp(1), opaque: cipherOp(1)},
		{ep: "cipher_finish", via: "CipherOperation.Finish", local: cipherOp(2), opaque: cipherOp(2)},
		{ep: "cipher_abort", via: "CipherOperation.Abort", local: cipherOp(3), opaque: cipherOp(3)},

		// AEAD.
		{ep: "aead_encrypt_setup", via: "c.AEADEncryptSetup", local: aeadSetup, opaque: aeadSetup},
		{ep: "aead_decrypt_setup", via: "c.AEADDecryptSetup", local: aeadDecryptOp(0), opaque: aeadDecryptOp(0)},
		{ep: "aead_generate_nonce", via: "AEADOperation.GenerateNonce",
			absent: "optional opaque member (gopsa extension): the opaque test drivers' AEAD operations do not implement driver.NonceGenerator, so psa_aead_generate_nonce has the core make the nonce and pass it with aead_set_nonce; the builtin driver is transparent and cannot have it",
			check:  aeadGenerateNonce},
		{ep: "aead_set_nonce", via: "AEADOperation.SetNonce", local: aeadOp(1), opaque: aeadOp(1)},
		{ep: "aead_set_lengths", via: "AEADOperation.SetLengths", local: aeadOp(0), opaque: aeadOp(0)},
		{ep: "aead_update_ad", via: "AEADOperation.UpdateAD", local: aeadOp(2), opaque: aeadOp(2)},
		{ep: "aead_update", via: "AEADOperation.Update", local: aeadOp(3), opaque: aeadOp(3)},
		{ep: "aead_finish", via: "AEADOperation.Finish", local: aeadOp(4), opaque: aeadOp(4)},
		{ep: "aead_verify", via: "AEADOperation.Verify", local: aeadDecryptOp(1), opaque: aeadDecryptOp(1)},
		{ep: "aead_abort", via: "AEADOperation.Abort", local: aeadOp(5), opaque: aeadOp(5)},

		// XOF.
		{ep: "xof_setup", via: "c.XOFSetup", local: func(t *testing.T, b *build, lt values.Lifetime) func() error {
			op := new(psa.XOFOperation)
			t.Cleanup(func() { op.Abort() })
			return func() error { return b.c.XOFSetup(op, values.AlgSHAKE128) }
		}},
		{ep: "xof_set_context", via: "dispatch: XOFSetup, then SetContext on the operation",
			realErr: values.ErrInvalidArgument,
			realWhy: "the API reaches xof_set_context only for an XOF with a context (Ascon-CXOF128), which neither the test drivers nor the builtin driver have; SHAKE128's operation refuses a context",
			local: func(t *testing.T, b *build, lt values.Lifetime) func() error {
				op := must(b.disp.XOFSetup(values.AlgSHAKE128))(t)
				t.Cleanup(func() { op.Abort() })
				return func() error { return op.SetContext([]byte("context")) }
			}},
		{ep: "xof_update", via: "XOFOperation.Update", local: xofOp(func(op *psa.XOFOperation) error { return op.Update(message) })},
		{ep: "xof_output", via: "XOFOperation.Output", local: xofOp(func(op *psa.XOFOperation) error { return op.Output(make([]byte, 32)) })},
		{ep: "xof_abort", via: "XOFOperation.Abort", local: xofOp((*psa.XOFOperation).Abort)},

		// Key derivation.
		{ep: "key_derivation_setup", via: "KeyDerivationOperation.OutputBytes (the core sets the driver up at the first output)",
			local: kdfSetup, opaque: kdfSetup},
		{ep: "key_derivation_input_step", via: "dispatch: KeyDerivationSetup, then InputStep on the operation",
			realErr: values.ErrInvalidArgument,
			realWhy: "the core passes every input at setup and never calls input_step; no algorithm of the API has long inputs, so the builtin driver's operation refuses one",
			local:   kdfInputStep, opaque: kdfInputStep},
		{ep: "key_derivation_output_bytes", via: "KeyDerivationOperation.OutputBytes", local: kdfOp(kdfOutput), opaque: kdfOp(kdfOutput)},
		{ep: "key_derivation_output_key",
			absent: "optional opaque member: the opaque test driver's derivation operations do not implement driver.DerivationKeyOutputter, so the core derives bytes (key_derivation_output_bytes) and imports them into the location (import_key); the builtin driver is transparent and cannot have it",
			check:  kdfOutputKey},
		{ep: "key_derivation_verify_bytes",
			absent: "optional opaque member: the opaque test driver's derivation operations do not implement driver.DerivationVerifier, so the core derives the bytes (key_derivation_output_bytes) and compares them itself; the builtin driver is transparent and cannot have it",
			check:  kdfVerify},
		{ep: "key_derivation_verify_key",
			absent: "optional opaque member: as key_derivation_verify_bytes (driver.DerivationVerifier)",
			check:  kdfVerify},
		{ep: "key_derivation_set_capacity", via: "KeyDerivationOperation.SetCapacity (the core passes each change on)",
			opaque: kdfOp(kdfSetCapacity)},
		{ep: "key_derivation_abort", via: "KeyDerivationOperation.Abort", local: kdfOp(kdfAbort), opaque: kdfOp(kdfAbort)},
		{ep: "derive_key", via: "KeyDerivationOperation.OutputKey of a secp256r1 key pair", local: deriveKey},

		// PAKE.
		{ep: "pake_setup", via: "PAKEOperation.Output (the core sets the driver up at the first step)",
			realErr: pakeStatus(), realWhy: "the test drivers compute PAKE with the builtin driver; in a build without its PAKE, pake_setup answers NOT_SUPPORTED",
			local: pakeSetup, opaque: pakeSetup},
		{ep: "pake_output", via: "PAKEOperation.Output", local: pakeOutput, opaque: pakeOutput},
		{ep: "pake_input", via: "PAKEOperation.Input", local: pakeInput, opaque: pakeInput},
		{ep: "pake_get_implicit_key", via: "PAKEOperation.SharedKey", local: pakeSharedKey, opaque: pakeSharedKey},
		{ep: "pake_abort", via: "PAKEOperation.Abort", local: pakeAbort, opaque: pakeAbort},

		// Key management.
		{ep: "import_key", via: "c.ImportKey", local: importKey, opaque: importKey},
		{ep: "export_key", via: "c.ExportKey", opaque: func(t *testing.T, b *build, lt values.Lifetime) func() error {
			k := aesAt(t, b, lt, values.AlgCTR, values.UsageExport)
			return func() error {
				out, err := b.c.ExportKey(k, nil)
				if err == nil && !bytes.Equal(out, aesKey) {
					t.Errorf("exported %x, want %x", out, aesKey)
				}
				return err
			}
		}},
		{ep: "export_public_key", via: "c.ExportPublicKey", local: exportPublic, opaque: exportPublic},
		{ep: "generate_key", via: "c.GenerateKey", local: generateKey, opaque: generateKey},
		{ep: "copy_key", via: "c.CopyKey inside the location", opaque: func(t *testing.T, b *build, lt values.Lifetime) func() error {
			k := aesAt(t, b, lt, values.AlgCTR, values.UsageCopy|values.UsageExport)
			return func() error {
				_, err := b.c.CopyKey(k, values.Attributes{Lifetime: lt, Usage: values.UsageExport, Alg: values.AlgCTR})
				return err
			}
		}},
		{ep: "destroy_key",
			absent: "the opaque test drivers are secure elements without storage: nothing to destroy, so the core deletes the key context itself; the builtin driver is transparent and cannot have it",
			check:  destroyKey},
		{ep: "allocate_key",
			absent: "the opaque test drivers are secure elements without storage: keys need no allocation step; the builtin driver is transparent and cannot have it",
			check:  allocateKey},
		{ep: "get_builtin_key", via: "c.KeyAttributes of a built-in key ID", opaque: func(t *testing.T, b *build, lt values.Lifetime) func() error {
			return func() error {
				a, err := b.c.KeyAttributes(builtinMin)
				if err == nil && (a.Type != values.KeyTypeAES || a.Lifetime.Location() != testdriver.Location) {
					t.Errorf("built-in key attributes %+v, want an AES key at location %#x", a, uint32(testdriver.Location))
				}
				return err
			}
		}},

		// Random generation and entropy.
		{ep: "init_random", absent: "no driver of the test build is a random generator (driver.RandomGenerator): the core uses its own random source", check: randomCheck("init_random")},
		{ep: "add_entropy", absent: "no driver of the test build is a random generator (driver.RandomGenerator): the core uses its own random source", check: randomCheck("add_entropy")},
		{ep: "get_random", absent: "no driver of the test build is a random generator (driver.RandomGenerator): the core uses its own random source", check: randomCheck("get_random")},
		{ep: "get_entropy", absent: "no driver of the test build is an entropy source (driver.EntropySource)", check: entropyCheck},

		// A notification of the dispatch, not an entry point of
		// descriptions.
		{ep: "forget_key", via: "c.DestroyKey (the core wipes the key buffer and notifies every driver)",
			local: forgetKey, opaque: forgetKey, noError: true},

		// Driver life cycle.
		{ep: "init", via: "psa.New", local: newInstance, opaque: newInstance},
		{ep: "free", via: "c.Close", local: closeInstance, opaque: closeInstance},
	}
}

func macCompute(t *testing.T, b *build, lt values.Lifetime) func() error {
	k := hmacAt(t, b, lt)
	return func() error {
		_, err := b.c.MACCompute(k, hmac256, message, nil)
		return err
	}
}

func macVerify(t *testing.T, b *build, lt values.Lifetime) func() error {
	k := hmacAt(t, b, lt)
	mac := must(b.c.MACCompute(k, hmac256, message, nil))(t)
	return func() error { return b.c.MACVerify(k, hmac256, message, mac) }
}

func cipherEncrypt(t *testing.T, b *build, lt values.Lifetime) func() error {
	k := aesAt(t, b, lt, values.AlgCTR, values.UsageEncrypt)
	return func() error {
		_, err := b.c.CipherEncrypt(k, values.AlgCTR, message, nil)
		return err
	}
}

func cipherDecrypt(t *testing.T, b *build, lt values.Lifetime) func() error {
	k := aesAt(t, b, lt, values.AlgCTR, values.UsageEncrypt|values.UsageDecrypt)
	ct := must(b.c.CipherEncrypt(k, values.AlgCTR, message, nil))(t)
	return func() error {
		pt, err := b.c.CipherDecrypt(k, values.AlgCTR, ct, nil)
		if err == nil && !bytes.Equal(pt, message) {
			t.Errorf("decrypted %q, want %q", pt, message)
		}
		return err
	}
}

var nonce12 = make([]byte, 12)

func aeadEncrypt(t *testing.T, b *build, lt values.Lifetime) func() error {
	k := aesAt(t, b, lt, values.AlgGCM, values.UsageEncrypt)
	return func() error {
		_, err := b.c.AEADEncrypt(k, values.AlgGCM, nonce12, nil, message, nil)
		return err
	}
}

func aeadDecrypt(t *testing.T, b *build, lt values.Lifetime) func() error {
	k := aesAt(t, b, lt, values.AlgGCM, values.UsageEncrypt|values.UsageDecrypt)
	ct := must(b.c.AEADEncrypt(k, values.AlgGCM, nonce12, nil, message, nil))(t)
	return func() error {
		pt, err := b.c.AEADDecrypt(k, values.AlgGCM, nonce12, nil, ct, nil)
		if err == nil && !bytes.Equal(pt, message) {
			t.Errorf("decrypted %q, want %q", pt, message)
		}
		return err
	}
}

func asymEncrypt(t *testing.T, b *build, lt values.Lifetime) func() error {
	k := rsaAt(t, b, lt)
	return func() error {
		_, err := b.c.AsymmetricEncrypt(k, oaep256, message, nil, nil)
		return err
	}
}

func asymDecrypt(t *testing.T, b *build, lt values.Lifetime) func() error {
	k := rsaAt(t, b, lt)
	ct := must(b.c.AsymmetricEncrypt(k, oaep256, message, nil, nil))(t)
	return func() error {
		pt, err := b.c.AsymmetricDecrypt(k, oaep256, ct, nil, nil)
		if err == nil && !bytes.Equal(pt, message) {
			t.Errorf("decrypted %q, want %q", pt, message)
		}
		return err
	}
}

var messageHash = sha256.Sum256(message)

func signHash(t *testing.T, b *build, lt values.Lifetime) func() error {
	k := p256At(t, b, lt, values.UsageSignHash, ecdsa256)
	return func() error {
		_, err := b.c.SignHash(k, ecdsa256, messageHash[:], nil)
		return err
	}
}

func verifyHash(t *testing.T, b *build, lt values.Lifetime) func() error {
	k := p256At(t, b, lt, values.UsageSignHash|values.UsageVerifyHash, ecdsa256)
	sig := must(b.c.SignHash(k, ecdsa256, messageHash[:], nil))(t)
	return func() error { return b.c.VerifyHash(k, ecdsa256, messageHash[:], sig) }
}

func signMessage(t *testing.T, b *build, lt values.Lifetime) func() error {
	k := p256At(t, b, lt, values.UsageSignMessage, ecdsa256)
	return func() error {
		_, err := b.c.SignMessage(k, ecdsa256, message, nil)
		return err
	}
}

func verifyMessage(t *testing.T, b *build, lt values.Lifetime) func() error {
	k := p256At(t, b, lt, values.UsageSignMessage|values.UsageVerifyMessage, ecdsa256)
	sig := must(b.c.SignMessage(k, ecdsa256, message, nil))(t)
	return func() error { return b.c.VerifyMessage(k, ecdsa256, message, sig) }
}

func rawAgreement(t *testing.T, b *build, lt values.Lifetime) func() error {
	k := p256At(t, b, lt, values.UsageDerive, values.AlgECDH)
	peer := onceData(t, ecdhPeer)
	return func() error {
		_, err := b.c.RawKeyAgreement(values.AlgECDH, k, peer, nil)
		return err
	}
}

func encapsulate(t *testing.T, b *build, lt values.Lifetime) func() error {
	k := mlkemAt(t, b, lt)
	return func() error {
		_, _, err := b.c.Encapsulate(k, values.AlgMLKEM, sharedSecret)
		return err
	}
}

func decapsulate(t *testing.T, b *build, lt values.Lifetime) func() error {
	k := mlkemAt(t, b, lt)
	a := sharedSecret
	a.Usage |= values.UsageExport
	sent, ct, err := b.c.Encapsulate(k, values.AlgMLKEM, a)
	mustOK(t, "encapsulate", err)
	return func() error {
		got, err := b.c.Decapsulate(k, values.AlgMLKEM, ct, a)
		if err == nil {
			s1, _ := b.c.ExportKey(sent, nil)
			s2, _ := b.c.ExportKey(got, nil)
			if len(s1) == 0 || !bytes.Equal(s1, s2) {
				t.Errorf("decapsulated secret %x, encapsulated %x", s2, s1)
			}
		}
		return err
	}
}

// wrapping returns a key-wrapping key at lt and a local AES key to wrap.
func wrapping(t *testing.T, b *build, lt values.Lifetime) (wk, k psa.KeyID) {
	wk = aesAt(t, b, lt, values.AlgKW, values.UsageWrap|values.UsageUnwrap)
	k = aesAt(t, b, values.LifetimeVolatile, values.AlgCTR, values.UsageExport)
	return wk, k
}

func wrapKey(t *testing.T, b *build, lt values.Lifetime) func() error {
	wk, k := wrapping(t, b, lt)
	return func() error {
		_, err := b.c.WrapKey(wk, values.AlgKW, k, nil)
		return err
	}
}

func unwrapKey(t *testing.T, b *build, lt values.Lifetime) func() error {
	wk, k := wrapping(t, b, lt)
	wrapped := must(b.c.WrapKey(wk, values.AlgKW, k, nil))(t)
	return func() error {
		id, err := b.c.UnwrapKey(values.Attributes{Type: values.KeyTypeAES, Usage: values.UsageExport}, wk, values.AlgKW, wrapped)
		if err == nil {
			if got, _ := b.c.ExportKey(id, nil); !bytes.Equal(got, aesKey) {
				t.Errorf("unwrapped %x, want %x", got, aesKey)
			}
		}
		return err
	}
}

// hashOp sets up a SHA-256 operation with some input and calls step on it.
func hashOp(step func(*psa.HashOperation) error) prepare {
	return func(t *testing.T, b *build, lt values.Lifetime) func() error {
		op := new(psa.HashOperation)
		t.Cleanup(func() { op.Abort() })
		mustOK(t, "hash setup", b.c.HashSetup(op, values.AlgSHA256))
		mustOK(t, "hash update", op.Update(message[:4]))
		return func() error { return step(op) }
	}
}

func macSetup(sign bool) prepare {
	return func(t *testing.T, b *build, lt values.Lifetime) func() error {
		k := hmacAt(t, b, lt)
		op := new(psa.MACOperation)
		t.Cleanup(func() { op.Abort() })
		if sign {
			return func() error { return b.c.MACSignSetup(op, k, hmac256) }
		}
		return func() error { return b.c.MACVerifySetup(op, k, hmac256) }
	}
}

// macOp sets up a MAC operation (sign or verify) and calls step on it.
func macOp(sign bool, step func(*psa.MACOperation, *testing.T) error) prepare {
	return func(t *testing.T, b *build, lt values.Lifetime) func() error {
		k := hmacAt(t, b, lt)
		op := new(psa.MACOperation)
		t.Cleanup(func() { op.Abort() })
		if sign {
			mustOK(t, "mac sign setup", b.c.MACSignSetup(op, k, hmac256))
		} else {
			mustOK(t, "mac verify setup", b.c.MACVerifySetup(op, k, hmac256))
		}
		return func() error { return step(op, t) }
	}
}

func macUpdate(op *psa.MACOperation, t *testing.T) error { return op.Update(message) }
func macAbort(op *psa.MACOperation, t *testing.T) error  { return op.Abort() }

func macSignFinish(op *psa.MACOperation, t *testing.T) error {
	mustOK(t, "mac update", op.Update(message))
	_, err := op.SignFinish(nil)
	return err
}

func macVerifyFinish(t *testing.T, b *build, lt values.Lifetime) func() error {
	k := hmacAt(t, b, lt)
	mac := must(b.c.MACCompute(k, hmac256, message, nil))(t)
	op := new(psa.MACOperation)
	t.Cleanup(func() { op.Abort() })
	mustOK(t, "mac verify setup", b.c.MACVerifySetup(op, k, hmac256))
	mustOK(t, "mac update", op.Update(message))
	return func() error { return op.VerifyFinish(mac) }
}

func cipherSetup(encrypt bool) prepare {
	return func(t *testing.T, b *build, lt values.Lifetime) func() error {
		k := aesAt(t, b, lt, values.AlgCTR, values.UsageEncrypt|values.UsageDecrypt)
		op := new(psa.CipherOperation)
		t.Cleanup(func() { op.Abort() })
		if encrypt {
			return func() error { return b.c.CipherEncryptSetup(op, k, values.AlgCTR) }
		}
		return func() error { return b.c.CipherDecryptSetup(op, k, values.AlgCTR) }
	}
}

// cipherOp sets up an AES-CTR encryption, does the steps before step n
// (0 set_iv, 1 update, 2 finish, 3 abort) and returns step n.
func cipherOp(n int) prepare {
	return func(t *testing.T, b *build, lt values.Lifetime) func() error {
		k := aesAt(t, b, lt, values.AlgCTR, values.UsageEncrypt)
		op := new(psa.CipherOperation)
		t.Cleanup(func() { op.Abort() })
		mustOK(t, "cipher encrypt setup", b.c.CipherEncryptSetup(op, k, values.AlgCTR))
		steps := []func() error{
			func() error { return op.SetIV(make([]byte, 16)) },
			func() error {
				_, err := op.Update(message, nil)
				return err
			},
			func() error {
				_, err := op.Finish(nil)
				return err
			},
			op.Abort,
		}
		done := n
		if n == 3 {
			done = 2 // abort an operation in progress
		}
		for _, s := range steps[:done] {
			mustOK(t, "cipher step", s())
		}
		return steps[n]
	}
}

func aeadSetup(t *testing.T, b *build, lt values.Lifetime) func() error {
	k := aesAt(t, b, lt, values.AlgGCM, values.UsageEncrypt)
	op := new(psa.AEADOperation)
	t.Cleanup(func() { op.Abort() })
	return func() error { return b.c.AEADEncryptSetup(op, k, values.AlgGCM) }
}

// aeadOp sets up an AES-GCM encryption, does the steps before step n (0
// set_lengths, 1 set_nonce, 2 update_ad, 3 update, 4 finish; 5 is abort
// after update) and returns step n.
func aeadOp(n int) prepare {
	return func(t *testing.T, b *build, lt values.Lifetime) func() error {
		k := aesAt(t, b, lt, values.AlgGCM, values.UsageEncrypt)
		op := new(psa.AEADOperation)
		t.Cleanup(func() { op.Abort() })
		mustOK(t, "aead encrypt setup", b.c.AEADEncryptSetup(op, k, values.AlgGCM))
		ad := []byte("ad")
		steps := []func() error{
			func() error { return op.SetLengths(len(ad), len(message)) },
			func() error { return op.SetNonce(nonce12) },
			func() error { return op.UpdateAD(ad) },
			func() error {
				_, err := op.Update(message, nil)
				return err
			},
			func() error {
				_, _, err := op.Finish(nil, nil)
				return err
			},
		}
		steps = append(steps, op.Abort)
		done := n
		if n == 5 {
			done = 4 // abort an operation in progress
		}
		for _, s := range steps[:done] {
			mustOK(t, "aead step", s())
		}
		return steps[n]
	}
}

// aeadDecryptOp returns the setup of an AES-GCM decryption (n 0), or sets
// one up and decrypts, returning the verification of the tag (n 1).
func aeadDecryptOp(n int) prepare {
	return func(t *testing.T, b *build, lt values.Lifetime) func() error {
		k := aesAt(t, b, lt, values.AlgGCM, values.UsageEncrypt|values.UsageDecrypt)
		sealed := must(b.c.AEADEncrypt(k, values.AlgGCM, nonce12, nil, message, nil))(t)
		ct, tag := sealed[:len(message)], sealed[len(message):]
		op := new(psa.AEADOperation)
		t.Cleanup(func() { op.Abort() })
		if n == 0 {
			return func() error { return b.c.AEADDecryptSetup(op, k, values.AlgGCM) }
		}
		mustOK(t, "aead decrypt setup", b.c.AEADDecryptSetup(op, k, values.AlgGCM))
		mustOK(t, "aead set nonce", op.SetNonce(nonce12))
		pt := must(op.Update(ct, nil))(t)
		return func() error {
			out, err := op.Verify(pt, tag)
			if err == nil && !bytes.Equal(out, message) {
				t.Errorf("decrypted %q, want %q", out, message)
			}
			return err
		}
	}
}

// xofOp sets up SHAKE128 with some input and calls step on it.
func xofOp(step func(*psa.XOFOperation) error) prepare {
	return func(t *testing.T, b *build, lt values.Lifetime) func() error {
		op := new(psa.XOFOperation)
		t.Cleanup(func() { op.Abort() })
		mustOK(t, "xof setup", b.c.XOFSetup(op, values.AlgSHAKE128))
		mustOK(t, "xof update", op.Update(message[:4]))
		return func() error { return step(op) }
	}
}

func kdfSetup(t *testing.T, b *build, lt values.Lifetime) func() error {
	op := hkdfWith(t, b, lt)
	return func() error { return op.OutputBytes(make([]byte, 16)) }
}

// kdfOp starts an HKDF derivation with its secret at lt, outputs a first
// part (which sets the driver up) and calls step.
func kdfOp(step func(*psa.KeyDerivationOperation) error) prepare {
	return func(t *testing.T, b *build, lt values.Lifetime) func() error {
		op := hkdfWith(t, b, lt)
		mustOK(t, "first output", op.OutputBytes(make([]byte, 16)))
		return func() error { return step(op) }
	}
}

func kdfOutput(op *psa.KeyDerivationOperation) error { return op.OutputBytes(make([]byte, 16)) }
func kdfAbort(op *psa.KeyDerivationOperation) error  { return op.Abort() }

func kdfInputStep(t *testing.T, b *build, lt values.Lifetime) func() error {
	op := must(b.disp.KeyDerivationSetup(hkdf256, inputsAt(t, b, lt)))(t)
	t.Cleanup(func() { op.Abort() })
	return func() error { return op.InputStep(values.DerivationInputInfo, []byte("more info")) }
}

func pakeSetup(t *testing.T, b *build, lt values.Lifetime) func() error {
	op := jpakeParty(t, b, lt, "client", "server")
	return func() error {
		_, err := op.Output(values.PAKEStepKeyShare, nil)
		return err
	}
}

// needPAKE skips a PAKE member's proof while the builtin driver, with
// which the test drivers compute, has no PAKE.
func needPAKE(t *testing.T) {
	t.Helper()
	if pakeStatus() != values.Success {
		t.Skip("the test drivers compute PAKE with the builtin driver, which has no PAKE yet: pake_setup fails, so there is no operation to call this on")
	}
}

// jpakeParty sets up one party of a J-PAKE exchange with a password key
// at lt; the core calls pake_setup at its first step.
func jpakeParty(t *testing.T, b *build, lt values.Lifetime, user, peer string) *psa.PAKEOperation {
	t.Helper()
	pw := importAt(t, b, lt, values.Attributes{Type: values.KeyTypePassword, Usage: values.UsageDerive, Alg: jpakeSuite.Algorithm}, []byte("password"))
	op := new(psa.PAKEOperation)
	t.Cleanup(func() { op.Abort() })
	mustOK(t, "pake setup", b.c.PAKESetup(op, pw, jpakeSuite))
	mustOK(t, "pake user", op.SetUser([]byte(user)))
	mustOK(t, "pake peer", op.SetPeer([]byte(peer)))
	return op
}

// The J-PAKE rounds: two Schnorr-proven key shares, then one.
var (
	jpakeRound1 = []values.PAKEStep{values.PAKEStepKeyShare, values.PAKEStepZKPublic, values.PAKEStepZKProof,
		values.PAKEStepKeyShare, values.PAKEStepZKPublic, values.PAKEStepZKProof}
	jpakeRound2 = jpakeRound1[:3]
)

func pakeOutputs(t *testing.T, op *psa.PAKEOperation, steps []values.PAKEStep) [][]byte {
	t.Helper()
	out := make([][]byte, len(steps))
	for i, s := range steps {
		out[i] = must(op.Output(s, nil))(t)
	}
	return out
}

func pakeInputs(t *testing.T, op *psa.PAKEOperation, steps []values.PAKEStep, in [][]byte) {
	t.Helper()
	for i, s := range steps {
		mustOK(t, fmt.Sprintf("pake input %v", s), op.Input(s, in[i]))
	}
}

// jpakeExchange runs the exchange of client and server up to the last
// input of the client, which it returns.
func jpakeExchange(t *testing.T, client, server *psa.PAKEOperation) (last func() error) {
	t.Helper()
	c1, s1 := pakeOutputs(t, client, jpakeRound1), pakeOutputs(t, server, jpakeRound1)
	pakeInputs(t, client, jpakeRound1, s1)
	pakeInputs(t, server, jpakeRound1, c1)
	c2, s2 := pakeOutputs(t, client, jpakeRound2), pakeOutputs(t, server, jpakeRound2)
	pakeInputs(t, server, jpakeRound2, c2)
	pakeInputs(t, client, jpakeRound2[:2], s2[:2])
	return func() error { return client.Input(jpakeRound2[2], s2[2]) }
}

func pakeOutput(t *testing.T, b *build, lt values.Lifetime) func() error {
	needPAKE(t)
	op := jpakeParty(t, b, lt, "client", "server")
	_ = must(op.Output(values.PAKEStepKeyShare, nil))(t)
	return func() error {
		_, err := op.Output(values.PAKEStepZKPublic, nil)
		return err
	}
}

func pakeInput(t *testing.T, b *build, lt values.Lifetime) func() error {
	needPAKE(t)
	return jpakeExchange(t, jpakeParty(t, b, lt, "client", "server"), jpakeParty(t, b, lt, "server", "client"))
}

func pakeSharedKey(t *testing.T, b *build, lt values.Lifetime) func() error {
	needPAKE(t)
	client, server := jpakeParty(t, b, lt, "client", "server"), jpakeParty(t, b, lt, "server", "client")
	mustOK(t, "last input", jpakeExchange(t, client, server)())
	a := values.Attributes{Type: values.KeyTypeDerive, Usage: values.UsageDerive | values.UsageExport, Alg: hkdf256}
	sk := must(server.SharedKey(a))(t)
	return func() error {
		ck, err := client.SharedKey(a)
		if err == nil {
			s1, _ := b.c.ExportKey(ck, nil)
			s2, _ := b.c.ExportKey(sk, nil)
			if len(s1) == 0 || !bytes.Equal(s1, s2) {
				t.Errorf("the client's shared secret %x differs from the server's %x", s1, s2)
			}
		}
		return err
	}
}

func pakeAbort(t *testing.T, b *build, lt values.Lifetime) func() error {
	needPAKE(t)
	op := jpakeParty(t, b, lt, "client", "server")
	_ = must(op.Output(values.PAKEStepKeyShare, nil))(t)
	return op.Abort
}

func importKey(t *testing.T, b *build, lt values.Lifetime) func() error {
	return func() error {
		_, err := b.c.ImportKey(values.Attributes{Lifetime: lt, Type: values.KeyTypeAES, Usage: values.UsageEncrypt, Alg: values.AlgCTR}, aesKey)
		return err
	}
}

func exportPublic(t *testing.T, b *build, lt values.Lifetime) func() error {
	k := p256At(t, b, lt, values.UsageSignHash, ecdsa256)
	return func() error {
		pub, err := b.c.ExportPublicKey(k, nil)
		if err == nil && (len(pub) != 65 || pub[0] != 4) {
			t.Errorf("public key %x, want an uncompressed secp256r1 point", pub)
		}
		return err
	}
}

func generateKey(t *testing.T, b *build, lt values.Lifetime) func() error {
	return func() error {
		_, err := b.c.GenerateKey(values.Attributes{Lifetime: lt, Type: values.KeyTypeAES, Bits: 128, Usage: values.UsageEncrypt, Alg: values.AlgCTR})
		return err
	}
}

// newInstance returns the creation of a second instance over the same
// drivers: psa.New calls every driver's init.
func newInstance(t *testing.T, b *build, lt values.Lifetime) func() error {
	d, err := New(b.tr, b.op, b.op2)
	mustOK(t, "dispatch", err)
	return func() error {
		c, err := psa.New(psa.WithDispatch(d), psa.WithKeyStore(storage.NewMemory()))
		if err == nil {
			err = c.Close()
		}
		return err
	}
}

func closeInstance(t *testing.T, b *build, lt values.Lifetime) func() error {
	return b.c.Close
}

// Checks of the absent and gap rows.

func cipherGenerateIV(t *testing.T, b *build) {
	a, ctx := opaqueContext(t, b, values.AlgCTR)
	dop := must(b.op.CipherEncryptSetup(a, ctx, values.AlgCTR))(t)
	defer dop.Abort()
	if implements[driver.IVGenerator](dop) {
		t.Errorf("the opaque test driver's cipher operations implement driver.IVGenerator now: turn this row into a proof")
	}
	k := aesAt(t, b, opaqueLifetime, values.AlgCTR, values.UsageEncrypt)
	b.resetHooks()
	var op psa.CipherOperation
	defer op.Abort()
	mustOK(t, "cipher encrypt setup", b.c.CipherEncryptSetup(&op, k, values.AlgCTR))
	iv, err := op.GenerateIV(nil)
	if err != nil || len(iv) != 16 {
		t.Errorf("GenerateIV on an opaque key = %x, %v; want a 16-byte IV", iv, err)
	}
	wantHits(t, &b.op.Hooks, "cipher_set_iv", 1)
}

func aeadGenerateNonce(t *testing.T, b *build) {
	a, ctx := opaqueContext(t, b, values.AlgGCM)
	dop := must(b.op.AEADEncryptSetup(a, ctx, values.AlgGCM))(t)
	defer dop.Abort()
	if implements[driver.NonceGenerator](dop) {
		t.Errorf("the opaque test driver's AEAD operations implement driver.NonceGenerator now: turn this row into a proof")
	}
	k := aesAt(t, b, opaqueLifetime, values.AlgGCM, values.UsageEncrypt)
	b.resetHooks()
	var op psa.AEADOperation
	defer op.Abort()
	mustOK(t, "aead encrypt setup", b.c.AEADEncryptSetup(&op, k, values.AlgGCM))
	n, err := op.GenerateNonce(nil)
	if err != nil || len(n) != 12 {
		t.Errorf("GenerateNonce on an opaque key = %x, %v; want a 12-byte nonce", n, err)
	}
	wantHits(t, &b.op.Hooks, "aead_set_nonce", 1)
}

// opaqueDerivation is a derivation operation of the opaque test driver,
// called directly.
func opaqueDerivation(t *testing.T, b *build) driver.DerivationOperation {
	op := must(b.op.KeyDerivationSetup(hkdf256, inputsAt(t, b, opaqueLifetime)))(t)
	t.Cleanup(func() { op.Abort() })
	return op
}

func kdfOutputKey(t *testing.T, b *build) {
	if implements[driver.DerivationKeyOutputter](opaqueDerivation(t, b)) {
		t.Errorf("the opaque test driver's derivation operations implement driver.DerivationKeyOutputter now: turn this row into a proof")
	}
	op := hkdfWith(t, b, opaqueLifetime)
	b.resetHooks()
	_, err := op.OutputKey(values.Attributes{Lifetime: opaqueLifetime, Type: values.KeyTypeAES, Bits: 128, Usage: values.UsageEncrypt, Alg: values.AlgCTR})
	mustOK(t, "derive an AES key into test_opaque", err)
	wantHits(t, &b.op.Hooks, "key_derivation_output_bytes", 1)
	wantHits(t, &b.op.Hooks, "import_key", 1)
}

func kdfVerify(t *testing.T, b *build) {
	if implements[driver.DerivationVerifier](opaqueDerivation(t, b)) {
		t.Errorf("the opaque test driver's derivation operations implement driver.DerivationVerifier now: turn this row into a proof")
	}
	want := make([]byte, 16)
	mustOK(t, "output", hkdfWith(t, b, opaqueLifetime).OutputBytes(want))
	op := hkdfWith(t, b, opaqueLifetime)
	b.resetHooks()
	mustOK(t, "verify bytes", op.VerifyBytes(want))
	wantHits(t, &b.op.Hooks, "key_derivation_output_bytes", 1)
}

func kdfSetCapacity(op *psa.KeyDerivationOperation) error { return op.SetCapacity(100) }

func deriveKey(t *testing.T, b *build, lt values.Lifetime) func() error {
	op := hkdfWith(t, b, lt)
	return func() error {
		_, err := op.OutputKey(values.Attributes{Type: p256Pair, Bits: 256, Usage: values.UsageSignHash, Alg: ecdsa256})
		return err
	}
}

func destroyKey(t *testing.T, b *build) {
	for _, d := range []any{b.op, b.op2} {
		if implements[driver.KeyDestroyer](d) {
			t.Errorf("%T implements driver.KeyDestroyer now: turn this row into a proof", d)
		}
	}
	k := aesAt(t, b, opaqueLifetime, values.AlgCTR, values.UsageEncrypt)
	b.resetHooks()
	mustOK(t, "destroy an opaque key", b.c.DestroyKey(k))
	if n := b.op.TotalHits() - b.op.Hits("forget_key"); n != 0 {
		t.Errorf("destroying a key of a driver without storage called it: %v", b.op.AllHits())
	}
	if _, err := b.c.KeyAttributes(k); !errors.Is(err, values.ErrInvalidHandle) {
		t.Errorf("attributes of the destroyed key: %v, want ErrInvalidHandle", err)
	}
}

func allocateKey(t *testing.T, b *build) {
	for _, d := range []any{b.op, b.op2} {
		if implements[driver.KeyAllocator](d) {
			t.Errorf("%T implements driver.KeyAllocator now: turn this row into a proof", d)
		}
	}
	_, err := b.disp.AllocateKey(values.Attributes{Lifetime: opaqueLifetime, Type: values.KeyTypeAES, Bits: 128}, nil)
	if !errors.Is(err, values.ErrNotSupported) {
		t.Errorf("dispatch AllocateKey at test_opaque: %v, want ErrNotSupported (no allocation step)", err)
	}
}

// randomCheck is the check of the random generation entry points: no
// driver of the build has them, the dispatch says so, and the core uses
// its own source.
func randomCheck(ep string) func(t *testing.T, b *build) {
	return func(t *testing.T, b *build) {
		lacksMethod(manifest.GoName(ep))(t, b)
		for _, d := range []any{b.tr, new(builtin.Driver)} {
			if implements[driver.RandomGenerator](d) {
				t.Errorf("%T is a driver.RandomGenerator now: turn this row into a proof", d)
			}
		}
		if err := b.disp.GetRandom(make([]byte, 16)); !errors.Is(err, values.ErrNotSupported) {
			t.Errorf("dispatch GetRandom: %v, want ErrNotSupported (no random generator driver)", err)
		}
		out := make([]byte, 32)
		mustOK(t, "generate random", b.c.GenerateRandom(out))
		if bytes.Equal(out, make([]byte, 32)) {
			t.Errorf("GenerateRandom gave 32 zero bytes")
		}
	}
}

func forgetKey(t *testing.T, b *build, lt values.Lifetime) func() error {
	k := aesAt(t, b, lt, values.AlgCTR, values.UsageEncrypt)
	return func() error { return b.c.DestroyKey(k) }
}

func entropyCheck(t *testing.T, b *build) {
	for _, d := range []any{b.tr, b.op, b.op2, new(builtin.Driver)} {
		if implements[driver.EntropySource](d) {
			t.Errorf("%T is a driver.EntropySource now: turn this row into a proof", d)
		}
	}
	if _, err := b.disp.GetEntropy(0, make([]byte, 32)); !errors.Is(err, values.ErrNotSupported) {
		t.Errorf("dispatch GetEntropy: %v, want ErrNotSupported (no entropy source driver)", err)
	}
}

// TestEntryPointsDoc checks that docs/entry-points.md has a row for every
// entry point of the catalogue, with the driver types of the catalogue and
// the proof of TestEveryEntryPoint, and that the README's section links it
// and names every family: the documentation cannot drift from the code.
func TestEntryPointsDoc(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	doc, err := os.ReadFile(filepath.Join(root, "docs", "entry-points.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{}
	for line := range strings.Lines(string(doc)) {
		cells := tableCells(line)
		if len(cells) < 5 || !strings.HasPrefix(cells[0], "`") {
			continue
		}
		ep, _, _ := strings.Cut(cells[0][1:], "`")
		if _, dup := rows[ep]; dup {
			t.Errorf("docs/entry-points.md: two rows for %s", ep)
		}
		rows[ep] = cells
	}
	table := map[string]epRow{}
	for _, r := range entryPointRows() {
		table[r.ep] = r
	}
	for _, e := range append(manifest.EntryPoints(), notifications...) {
		cells, ok := rows[e.Name]
		if !ok {
			t.Errorf("docs/entry-points.md has no row for entry point `%s` of the catalogue", e.Name)
			continue
		}
		delete(rows, e.Name)
		if want := driverTypes(e); cells[1] != want {
			t.Errorf("docs/entry-points.md, `%s`: driver types %q, want %q as in the catalogue", e.Name, cells[1], want)
		}
		if !strings.Contains(cells[2], "driver.") && !strings.Contains(cells[2], "none") {
			t.Errorf("docs/entry-points.md, `%s`: Go interface %q names no interface of package driver", e.Name, cells[2])
		}
		r := table[e.Name]
		proof := cells[4]
		if !strings.Contains(proof, "TestEveryEntryPoint/"+e.Name) {
			t.Errorf("docs/entry-points.md, `%s`: proven by %q, want it to name TestEveryEntryPoint/%s", e.Name, proof, e.Name)
		}
		switch {
		case r.gap != "" && !strings.Contains(proof, "gap"):
			t.Errorf("docs/entry-points.md, `%s`: the test reports a gap, the doc does not (%q)", e.Name, proof)
		case r.absent != "" && !strings.Contains(proof, "not in the test drivers"):
			t.Errorf("docs/entry-points.md, `%s`: the test drivers do not implement it, the doc does not say so (%q)", e.Name, proof)
		case r.absent == "" && r.gap == "" && (strings.Contains(proof, "not in the test drivers") || strings.Contains(proof, "gap")):
			t.Errorf("docs/entry-points.md, `%s`: the test proves it, but the doc says otherwise (%q)", e.Name, proof)
		}
	}
	for ep := range rows {
		t.Errorf("docs/entry-points.md has a row for `%s`, which is not in the catalogue", ep)
	}

	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Driver entry points\n")
	if !ok {
		t.Fatal(`README.md has no "## Driver entry points" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	if !strings.Contains(section, "(docs/entry-points.md)") {
		t.Errorf("the README's driver entry points section does not link docs/entry-points.md")
	}
	for _, f := range manifest.Families() {
		if !strings.Contains(section, "`"+f.Name+"`") {
			t.Errorf("the README's driver entry points section does not name the family `%s`", f.Name)
		}
	}
}

// tableCells splits a Markdown table row into its trimmed cells; nil for
// other lines.
func tableCells(line string) []string {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "|") || !strings.HasSuffix(line, "|") {
		return nil
	}
	cells := strings.Split(line[1:len(line)-1], "|")
	for i, c := range cells {
		cells[i] = strings.TrimSpace(c)
	}
	return cells
}

// driverTypes is the driver types column of docs/entry-points.md.
func driverTypes(e manifest.EntryPoint) string {
	switch {
	case e.Transparent && e.Opaque:
		return "both"
	case e.Transparent:
		return "transparent"
	}
	return "opaque"
}
