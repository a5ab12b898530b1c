package core

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/mlkem"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"math/big"
	"sync"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// asymDispatch is the dispatch layer of the operation tests: standard
// library mechanisms where a published vector checks the core's plumbing
// (ECDSA P-256, RSA OAEP, ECDH, ML-KEM, HKDF, PBKDF2), a keyed toy stream
// for the other key derivations, and a scripted PAKE.
type asymDispatch struct {
	driver.Dispatcher // nil: a call the tests do not expect panics

	mu    sync.Mutex
	calls map[string]int
	// lastInputs records, per step, how the last key derivation setup
	// saw its inputs.
	lastInputs map[values.DerivationStep]driver.InputType
	lastPAKE   asymPAKESeen
	capacity   uint64 // last capacity given to a derivation
}

type asymPAKESeen struct {
	user, peer, context []byte
	contextNil          bool
	role                values.PAKERole
	password            []byte
}

func (d *asymDispatch) count(ep string) {
	d.mu.Lock()
	if d.calls == nil {
		d.calls = make(map[string]int)
	}
	d.calls[ep]++
	d.mu.Unlock()
}

func (d *asymDispatch) called(ep string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.calls[ep]
}

func (d *asymDispatch) Init(driver.HostFactory) error { return nil }
func (d *asymDispatch) Free() error                   { return nil }
func (d *asymDispatch) Drivers() []driver.Info        { return nil }
func (d *asymDispatch) GetRandom([]byte) error        { return driver.ErrNotSupported }

func (d *asymDispatch) ImportKey(a values.Attributes, data, dst []byte) ([]byte, int, error) {
	bits := a.Bits
	if bits == 0 {
		bits = 8 * len(data)
	}
	return append(dst, data...), bits, nil
}

func (d *asymDispatch) ExportPublicKey(a values.Attributes, key, dst []byte) ([]byte, error) {
	switch {
	case a.Type.IsPublicKey():
		return append(dst, key...), nil
	case a.Type == values.KeyTypeMLKEMKeyPair:
		dk, err := mlkem.NewDecapsulationKey768(key)
		if err != nil {
			return nil, err
		}
		return append(dst, dk.EncapsulationKey().Bytes()...), nil
	}
	k, err := asymECDHKey(a, key)
	if err != nil {
		return nil, err
	}
	return append(dst, k.PublicKey().Bytes()...), nil
}

func asymECDHKey(a values.Attributes, key []byte) (*ecdh.PrivateKey, error) {
	switch a.Type.ECCFamily() {
	case values.ECCFamilySECPR1:
		return ecdh.P256().NewPrivateKey(key)
	case values.ECCFamilyMontgomery:
		return ecdh.X25519().NewPrivateKey(key)
	}
	return nil, fmt.Errorf("test: no ECDH for %v: %w", a.Type, values.ErrNotSupported)
}

func (d *asymDispatch) HashCompute(alg values.Algorithm, input, dst []byte) ([]byte, error) {
	d.count("hash_compute")
	var h hash.Hash
	switch alg {
	case values.AlgSHA256:
		h = sha256.New()
	case values.AlgSHA384:
		h = sha512.New384()
	default:
		return nil, fmt.Errorf("test: no %v: %w", alg, values.ErrNotSupported)
	}
	h.Write(input)
	return h.Sum(dst), nil
}

// ECDSA over P-256, the key pair's material being the private scalar and
// the public key's the uncompressed point, as in the PSA export formats.

func asymECDSAPublic(a values.Attributes, key []byte) (*ecdsa.PublicKey, error) {
	if a.Type.IsPublicKey() {
		return ecdsa.ParseUncompressedPublicKey(elliptic.P256(), key)
	}
	priv, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), key)
	if err != nil {
		return nil, err
	}
	return &priv.PublicKey, nil
}

func (d *asymDispatch) SignHash(a values.Attributes, key []byte, alg values.Algorithm, h, dst []byte) ([]byte, error) {
	d.count("sign_hash")
	if !alg.IsECDSA() {
		return nil, fmt.Errorf("test: sign_hash with %v: %w", alg, values.ErrNotSupported)
	}
	priv, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), key)
	if err != nil {
		return nil, fmt.Errorf("test: %v: %w", err, values.ErrInvalidArgument)
	}
	r, s, err := ecdsa.Sign(rand.Reader, priv, h)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 64)
	r.FillBytes(out[:32])
	s.FillBytes(out[32:])
	return append(dst, out...), nil
}

func (d *asymDispatch) VerifyHash(a values.Attributes, key []byte, alg values.Algorithm, h, sig []byte) error {
	d.count("verify_hash")
	pub, err := asymECDSAPublic(a, key)
	if err != nil {
		return fmt.Errorf("test: %v: %w", err, values.ErrInvalidArgument)
	}
	if len(sig) != 64 || !ecdsa.Verify(pub, h, new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return fmt.Errorf("test: bad signature: %w", values.ErrInvalidSignature)
	}
	return nil
}

// The message entry points are absent, as in a driver that declares only
// sign_hash: the core hashes.

func (d *asymDispatch) SignMessage(values.Attributes, []byte, values.Algorithm, []byte, []byte) ([]byte, error) {
	d.count("sign_message")
	return nil, fmt.Errorf("test: sign_message: %w", driver.ErrNotSupported)
}

func (d *asymDispatch) VerifyMessage(values.Attributes, []byte, values.Algorithm, []byte, []byte) error {
	d.count("verify_message")
	return fmt.Errorf("test: verify_message: %w", driver.ErrNotSupported)
}

// RSA, with key material in the PKCS#1 formats of the PSA export format.

func (d *asymDispatch) AsymmetricEncrypt(a values.Attributes, key []byte, alg values.Algorithm, input, salt, dst []byte) ([]byte, error) {
	d.count("asymmetric_encrypt")
	var pub *rsa.PublicKey
	if a.Type.IsPublicKey() {
		p, err := x509.ParsePKCS1PublicKey(key)
		if err != nil {
			return nil, err
		}
		pub = p
	} else {
		p, err := x509.ParsePKCS1PrivateKey(key)
		if err != nil {
			return nil, err
		}
		pub = &p.PublicKey
	}
	out, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, pub, input, salt)
	if err != nil {
		return nil, err
	}
	return append(dst, out...), nil
}

func (d *asymDispatch) AsymmetricDecrypt(a values.Attributes, key []byte, alg values.Algorithm, input, salt, dst []byte) ([]byte, error) {
	d.count("asymmetric_decrypt")
	p, err := x509.ParsePKCS1PrivateKey(key)
	if err != nil {
		return nil, err
	}
	out, err := rsa.DecryptOAEP(sha256.New(), nil, p, input, salt)
	if err != nil {
		return nil, fmt.Errorf("test: %v: %w", err, values.ErrInvalidPadding)
	}
	return append(dst, out...), nil
}

func (d *asymDispatch) KeyAgreement(a values.Attributes, key []byte, alg values.Algorithm, peer, dst []byte) ([]byte, error) {
	d.count("key_agreement")
	if alg != values.AlgECDH {
		return nil, fmt.Errorf("test: %v: %w", alg, values.ErrNotSupported)
	}
	k, err := asymECDHKey(a, key)
	if err != nil {
		return nil, err
	}
	pub, err := k.Curve().NewPublicKey(peer)
	if err != nil {
		return nil, fmt.Errorf("test: peer key: %v: %w", err, values.ErrInvalidArgument)
	}
	secret, err := k.ECDH(pub)
	if err != nil {
		return nil, err
	}
	return append(dst, secret...), nil
}

func (d *asymDispatch) KeyAgreementToKey(values.Attributes, []byte, values.Algorithm, []byte, values.Attributes, []byte) ([]byte, error) {
	return nil, driver.ErrNotSupported
}

// ML-KEM-768, with the 64-byte seed as key pair material.

func (d *asymDispatch) Encapsulate(a values.Attributes, key []byte, alg values.Algorithm, dst []byte) ([]byte, []byte, error) {
	d.count("encapsulate")
	ek := key
	if a.Type.IsKeyPair() {
		dk, err := mlkem.NewDecapsulationKey768(key)
		if err != nil {
			return nil, nil, err
		}
		ek = dk.EncapsulationKey().Bytes()
	}
	pub, err := mlkem.NewEncapsulationKey768(ek)
	if err != nil {
		return nil, nil, err
	}
	secret, ct := pub.Encapsulate()
	return append(dst, ct...), secret, nil
}

func (d *asymDispatch) Decapsulate(a values.Attributes, key []byte, alg values.Algorithm, ct, dst []byte) ([]byte, error) {
	d.count("decapsulate")
	dk, err := mlkem.NewDecapsulationKey768(key)
	if err != nil {
		return nil, err
	}
	secret, err := dk.Decapsulate(ct)
	if err != nil {
		return nil, fmt.Errorf("test: %v: %w", err, values.ErrInvalidArgument)
	}
	return append(dst, secret...), nil
}

// Key derivation: HKDF and PBKDF2-HMAC with the standard library, and for
// the other algorithms a stream keyed by every input, which is enough to
// check what the core passes.

func (d *asymDispatch) KeyDerivationSetup(alg values.Algorithm, in driver.DerivationInputs) (driver.DerivationOperation, error) {
	d.count("key_derivation_setup")
	seen := make(map[values.DerivationStep]driver.InputType)
	get := func(step values.DerivationStep) []byte {
		t := in.Type(step)
		seen[step] = t
		switch t {
		case driver.InputBytes:
			b, _ := in.Bytes(step)
			return bytes.Clone(b)
		case driver.InputKey:
			_, k, _ := in.Key(step)
			return bytes.Clone(k)
		case driver.InputInteger:
			n, _ := in.Integer(step)
			return binary.BigEndian.AppendUint64(nil, n)
		}
		return nil
	}
	steps := []values.DerivationStep{
		values.DerivationInputSecret, values.DerivationInputPassword, values.DerivationInputOtherSecret,
		values.DerivationInputLabel, values.DerivationInputSalt, values.DerivationInputInfo,
		values.DerivationInputSeed, values.DerivationInputCost, values.DerivationInputContext,
	}
	all := make(map[values.DerivationStep][]byte)
	for _, s := range steps {
		all[s] = get(s)
	}
	d.mu.Lock()
	d.lastInputs = seen
	d.mu.Unlock()
	op := &asymKDF{d: d}
	switch {
	case alg == values.AlgHKDF(values.AlgSHA256):
		prk, err := hkdf.Extract(sha256.New, all[values.DerivationInputSecret], all[values.DerivationInputSalt])
		if err != nil {
			return nil, err
		}
		op.stream, err = hkdf.Expand(sha256.New, prk, string(all[values.DerivationInputInfo]), 255*32)
		if err != nil {
			return nil, err
		}
	case alg == values.AlgPBKDF2HMAC(values.AlgSHA256):
		cost, _ := in.Integer(values.DerivationInputCost)
		op.pbkdf2 = func(n int) ([]byte, error) {
			return pbkdf2.Key(sha256.New, string(all[values.DerivationInputPassword]), all[values.DerivationInputSalt], int(cost), n)
		}
	default:
		h := sha256.New()
		fmt.Fprintf(h, "%08x", uint32(alg))
		for _, s := range steps {
			fmt.Fprintf(h, "%04x%x;", uint16(s), all[s])
		}
		op.key = h.Sum(nil)
	}
	return op, nil
}

type asymKDF struct {
	d      *asymDispatch
	stream []byte                      // precomputed output
	pbkdf2 func(n int) ([]byte, error) // output prefix of n bytes
	key    []byte                      // toy stream key
	pos    int
}

func (k *asymKDF) SetCapacity(n uint64) error {
	k.d.mu.Lock()
	k.d.capacity = n
	k.d.mu.Unlock()
	return nil
}

func (k *asymKDF) InputStep(values.DerivationStep, []byte) error { return values.ErrNotSupported }
func (k *asymKDF) Abort() error                                  { k.d.count("key_derivation_abort"); return nil }

func (k *asymKDF) OutputBytes(out []byte) error {
	switch {
	case k.stream != nil:
		copy(out, k.stream[k.pos:])
	case k.pbkdf2 != nil:
		b, err := k.pbkdf2(k.pos + len(out))
		if err != nil {
			return err
		}
		copy(out, b[k.pos:])
	default:
		for i := range out {
			p := k.pos + i
			var blk [4]byte
			binary.BigEndian.PutUint32(blk[:], uint32(p/32))
			sum := sha256.Sum256(append(append([]byte{}, k.key...), blk[:]...))
			out[i] = sum[p%32]
		}
	}
	k.pos += len(out)
	return nil
}

// DeriveKey derives a "cooked" key: it reads the key's byte length and
// inverts it, so that tests can tell it from raw output.
func (d *asymDispatch) DeriveKey(a values.Attributes, stream io.Reader, dst []byte) ([]byte, error) {
	d.count("derive_key")
	b := make([]byte, values.BitsToBytes(a.Bits))
	if _, err := io.ReadFull(stream, b); err != nil {
		return nil, err
	}
	for i := range b {
		b[i] = ^b[i]
	}
	return append(dst, b...), nil
}

func (d *asymDispatch) PAKESetup(in driver.PAKEInputs) (driver.PAKEOperation, error) {
	d.count("pake_setup")
	_, pw := in.Password()
	d.mu.Lock()
	d.lastPAKE = asymPAKESeen{
		user: bytes.Clone(in.User()), peer: bytes.Clone(in.Peer()),
		context: bytes.Clone(in.Context()), contextNil: in.Context() == nil,
		role: in.Role(), password: bytes.Clone(pw),
	}
	d.mu.Unlock()
	if bytes.Equal(pw, []byte("wrong type")) {
		return nil, fmt.Errorf("test: key not suited to the suite: %w", values.ErrInvalidArgument)
	}
	return &asymPAKE{d: d, pw: bytes.Clone(pw)}, nil
}

// asymPAKE outputs the step number; an input of 0xee fails verification.
type asymPAKE struct {
	d  *asymDispatch
	pw []byte
}

func (p *asymPAKE) Output(step values.PAKEStep, dst []byte) ([]byte, error) {
	return append(dst, byte(step)), nil
}

func (p *asymPAKE) Input(step values.PAKEStep, in []byte) error {
	if len(in) > 0 && in[0] == 0xee {
		return fmt.Errorf("test: proof does not verify: %w", values.ErrInvalidSignature)
	}
	return nil
}

func (p *asymPAKE) SharedKey(dst []byte) ([]byte, error) {
	s := sha256.Sum256(p.pw)
	return append(dst, s[:]...), nil
}

func (p *asymPAKE) Abort() error { p.d.count("pake_abort"); return nil }

// newAsymCore returns a core over asymDispatch.
func newAsymCore(t testing.TB) (*Core, *asymDispatch) {
	t.Helper()
	d := &asymDispatch{}
	c, err := New(Config{Dispatch: d})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, d
}

func asymImport(t testing.TB, c *Core, a values.Attributes, data []byte) values.KeyID {
	t.Helper()
	id, err := c.Import(a, data)
	if err != nil {
		t.Fatalf("import %v: %v", a.Type, err)
	}
	return id
}

// asymWant fails the test unless err carries want (nil for success).
func asymWant(t testing.TB, what string, err error, want error) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Errorf("%s: %v, want success", what, err)
	case want != nil && !errors.Is(err, want):
		t.Errorf("%s: %v, want %v", what, err, want)
	}
}

var (
	asymRSAOnce sync.Once
	asymRSAKey  *rsa.PrivateKey
)

func asymRSA(t testing.TB) *rsa.PrivateKey {
	asymRSAOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		asymRSAKey = k
	})
	return asymRSAKey
}

var asymOAEP = values.AlgRSAOAEP(values.AlgSHA256)

func TestAsymmetricEncryptDecrypt(t *testing.T) {
	c, _ := newAsymCore(t)
	k := asymRSA(t)
	pair := asymImport(t, c, values.Attributes{Type: values.KeyTypeRSAKeyPair, Bits: 2048,
		Usage: values.UsageEncrypt | values.UsageDecrypt, Alg: asymOAEP}, x509.MarshalPKCS1PrivateKey(k))
	pub := asymImport(t, c, values.Attributes{Type: values.KeyTypeRSAPublicKey, Bits: 2048,
		Usage: values.UsageEncrypt, Alg: asymOAEP}, x509.MarshalPKCS1PublicKey(&k.PublicKey))
	msg, label := []byte("attack at dawn"), []byte("label")
	for _, enc := range []values.KeyID{pair, pub} {
		ct, err := c.AsymmetricEncrypt(enc, asymOAEP, msg, label, []byte("prefix"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(ct, []byte("prefix")) || len(ct) != len("prefix")+256 {
			t.Fatalf("ciphertext of %d bytes, want the prefix and 256 bytes", len(ct))
		}
		pt, err := c.AsymmetricDecrypt(pair, asymOAEP, ct[6:], label, nil)
		if err != nil || !bytes.Equal(pt, msg) {
			t.Errorf("decrypt = %q, %v; want %q", pt, err, msg)
		}
		_, err = c.AsymmetricDecrypt(pair, asymOAEP, ct[6:], []byte("other"), nil)
		asymWant(t, "decrypt with another label", err, values.ErrInvalidPadding)
	}
	_, err := c.AsymmetricDecrypt(pub, asymOAEP, make([]byte, 256), nil, nil)
	asymWant(t, "decrypt with a public key without DECRYPT", err, values.ErrNotPermitted)
	pubDecrypt := asymImport(t, c, values.Attributes{Type: values.KeyTypeRSAPublicKey, Bits: 2048,
		Usage: values.UsageDecrypt, Alg: asymOAEP}, x509.MarshalPKCS1PublicKey(&k.PublicKey))
	_, err = c.AsymmetricDecrypt(pubDecrypt, asymOAEP, make([]byte, 256), nil, nil)
	asymWant(t, "decrypt with a public key", err, values.ErrInvalidArgument)
	_, err = c.AsymmetricEncrypt(pair, values.AlgRSAOAEP(values.AlgAnyHash), msg, nil, nil)
	asymWant(t, "wildcard algorithm", err, values.ErrInvalidArgument)
	_, err = c.AsymmetricEncrypt(pair, values.AlgECDSA(values.AlgSHA256), msg, nil, nil)
	asymWant(t, "signature algorithm", err, values.ErrInvalidArgument)
}

func TestAsymmetricPolicy(t *testing.T) {
	c, d := newAsymCore(t)
	der := x509.MarshalPKCS1PrivateKey(asymRSA(t))
	both := values.UsageEncrypt | values.UsageDecrypt
	ct, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, &asymRSA(t).PublicKey, []byte("m"), nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		usage   values.KeyUsage
		policy  values.Algorithm
		decrypt bool
		want    error
	}{
		{"encrypt", both, asymOAEP, false, nil},
		{"encrypt without ENCRYPT", values.UsageDecrypt, asymOAEP, false, values.ErrNotPermitted},
		{"encrypt, other algorithm", both, values.AlgRSAPKCS1v15Crypt, false, values.ErrNotPermitted},
		{"encrypt, other hash", both, values.AlgRSAOAEP(values.AlgSHA384), false, values.ErrNotPermitted},
		// PSA_ALG_ANY_HASH makes wildcards of signature algorithms only.
		{"encrypt, OAEP(ANY_HASH) policy", both, values.AlgRSAOAEP(values.AlgAnyHash), false, values.ErrNotPermitted},
		{"decrypt", both, asymOAEP, true, nil},
		{"decrypt without DECRYPT", values.UsageEncrypt, asymOAEP, true, values.ErrNotPermitted},
		{"decrypt, other algorithm", both, values.AlgRSAPKCS1v15Crypt, true, values.ErrNotPermitted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := asymImport(t, c, values.Attributes{Type: values.KeyTypeRSAKeyPair, Bits: 2048, Usage: tt.usage, Alg: tt.policy}, der)
			before := d.called("asymmetric_encrypt") + d.called("asymmetric_decrypt")
			if tt.decrypt {
				_, err = c.AsymmetricDecrypt(id, asymOAEP, ct, nil, nil)
			} else {
				_, err = c.AsymmetricEncrypt(id, asymOAEP, []byte("m"), nil, nil)
			}
			asymWant(t, tt.name, err, tt.want)
			after := d.called("asymmetric_encrypt") + d.called("asymmetric_decrypt")
			if tt.want != nil && after != before {
				t.Errorf("the driver was called for a refused operation")
			}
		})
	}
}
