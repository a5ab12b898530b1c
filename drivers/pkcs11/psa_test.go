package pkcs11_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/dispatch/pkcs11build"
	"github.com/gopsa/psa/drivers/pkcs11"
	"github.com/gopsa/psa/values"
)

var (
	tokenLT = values.LifetimeFromPersistenceAndLocation(values.PersistenceDefault, pkcs11.Location)
	tokenVT = values.LifetimeFromPersistenceAndLocation(values.PersistenceVolatile, pkcs11.Location)
	p256    = values.KeyTypeECCKeyPair(values.ECCFamilySECPR1)
)

// open returns a PSA instance whose keys at pkcs11.Location live in the
// token, with the key store in dir. It is closed when the test ends, or
// earlier by the returned function.
func open(t testing.TB, dir string, cfg pkcs11.Config) (*psa.Crypto, func()) {
	t.Helper()
	drv, err := pkcs11.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d, err := pkcs11build.New(drv)
	if err != nil {
		t.Fatal(err)
	}
	opts := []psa.Option{psa.WithDispatch(d), psa.WithKeyDir(dir)}
	for _, id := range drv.BuiltinKeyIDs() {
		opts = append(opts, psa.WithBuiltinKey(id, pkcs11.Location, uint64(id)))
	}
	c, err := psa.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	closeFn := func() {
		once.Do(func() {
			if err := c.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
	t.Cleanup(closeFn)
	return c, closeFn
}

// TestPSAPersistentKey creates a persistent key in the token through the
// PSA API and uses it from a new instance on the same key store and token,
// as a restarted program does.
func TestPSAPersistentKey(t *testing.T) {
	cfg := pkcs11.TestConfig(t)
	dir := t.TempDir()
	c, closeC := open(t, dir, cfg)
	alg := psa.AlgECDSA(psa.AlgSHA256)
	id, err := c.GenerateKey(psa.Attributes{ID: 0x2a, Lifetime: tokenLT, Type: p256, Bits: 256,
		Usage: psa.UsageSignHash | psa.UsageVerifyHash, Alg: alg})
	if err != nil {
		t.Fatal(err)
	}
	pub, err := c.ExportPublicKey(id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ExportKey(id, nil); !errors.Is(err, psa.ErrNotPermitted) {
		t.Errorf("export a key without UsageExport: %v, want ErrNotPermitted", err)
	}
	closeC()

	c2, _ := open(t, dir, cfg)
	a, err := c2.KeyAttributes(id)
	if err != nil || a.Lifetime != tokenLT || a.Bits != 256 {
		t.Fatalf("after a restart: %+v, %v", a, err)
	}
	pub2, err := c2.ExportPublicKey(id, nil)
	if err != nil || !bytes.Equal(pub, pub2) {
		t.Fatalf("after a restart the public key is %x (%v), was %x", pub2, err, pub)
	}
	h := sha256.Sum256([]byte("persistent"))
	sig, err := c2.SignHash(id, alg, h[:], nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c2.VerifyHash(id, alg, h[:], sig); err != nil {
		t.Error(err)
	}
	// The core enforces the policy before the token sees the request.
	if _, err := c2.SignHash(id, psa.AlgECDSA(psa.AlgSHA384), make([]byte, 48), nil); !errors.Is(err, psa.ErrNotPermitted) {
		t.Errorf("sign with an algorithm the policy does not permit: %v, want ErrNotPermitted", err)
	}
	if _, err := c2.RawKeyAgreement(psa.AlgECDH, id, pub, nil); !errors.Is(err, psa.ErrNotPermitted) {
		t.Errorf("ECDH with a signing key: %v, want ErrNotPermitted", err)
	}
	if err := c2.DestroyKey(id); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.SignHash(id, alg, h[:], nil); err == nil {
		t.Error("a destroyed key still signs")
	}
}

// TestPSAOperations runs each operation family through the PSA API on
// keys in the token.
func TestPSAOperations(t *testing.T) {
	c, _ := open(t, t.TempDir(), pkcs11.TestConfig(t))
	// ECDH.
	id, err := c.GenerateKey(psa.Attributes{Lifetime: tokenVT, Type: p256, Bits: 256, Usage: psa.UsageDerive, Alg: psa.AlgECDH})
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := c.ExportPublicKey(id, nil)
	peer, _ := ecdh.P256().GenerateKey(rand.Reader)
	got, err := c.RawKeyAgreement(psa.AlgECDH, id, peer.PublicKey().Bytes(), nil)
	tokenPub, _ := ecdh.P256().NewPublicKey(pub)
	want, _ := peer.ECDH(tokenPub)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("ECDH: %x, %v; want %x", got, err, want)
	}
	// AES-GCM and AES-CBC, with a key imported into the token.
	key := bytes.Repeat([]byte{0x42}, 16)
	aes, err := c.ImportKey(psa.Attributes{Lifetime: tokenVT, Type: psa.KeyTypeAES, Usage: psa.UsageEncrypt | psa.UsageDecrypt, Alg: psa.AlgGCM}, key)
	if err != nil {
		t.Fatal(err)
	}
	nonce := make([]byte, 12)
	ct, err := c.AEADEncrypt(aes, psa.AlgGCM, nonce, []byte("ad"), []byte("hello"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := c.AEADDecrypt(aes, psa.AlgGCM, nonce, []byte("ad"), ct, nil); err != nil || string(pt) != "hello" {
		t.Errorf("GCM round trip: %q, %v", pt, err)
	}
	ct[0] ^= 1
	if _, err := c.AEADDecrypt(aes, psa.AlgGCM, nonce, []byte("ad"), ct, nil); !errors.Is(err, psa.ErrInvalidSignature) {
		t.Errorf("GCM with a corrupted ciphertext: %v, want ErrInvalidSignature", err)
	}
	if _, err := c.CipherEncrypt(aes, psa.AlgCBCNoPadding, make([]byte, 16), nil); !errors.Is(err, psa.ErrNotPermitted) {
		t.Errorf("CBC with a GCM key: %v, want ErrNotPermitted", err)
	}
	// HMAC (SoftHSM2 wants keys at least as long as the hash).
	hk, err := c.GenerateKey(psa.Attributes{Lifetime: tokenVT, Type: psa.KeyTypeHMAC, Bits: 256,
		Usage: psa.UsageSignMessage | psa.UsageVerifyMessage, Alg: psa.AlgHMAC(psa.AlgSHA256)})
	if err != nil {
		t.Fatal(err)
	}
	mac, err := c.MACCompute(hk, psa.AlgHMAC(psa.AlgSHA256), []byte("data"), nil)
	if err != nil || len(mac) != 32 {
		t.Fatalf("HMAC: %x, %v", mac, err)
	}
	if err := c.MACVerify(hk, psa.AlgHMAC(psa.AlgSHA256), []byte("data"), mac); err != nil {
		t.Error(err)
	}
}

// TestPSABuiltinKey uses a token object as a PSA built-in key.
func TestPSABuiltinKey(t *testing.T) {
	cfg := pkcs11.TestConfig(t)
	dir := t.TempDir()
	c, closeC := open(t, dir, cfg)
	id, err := c.GenerateKey(psa.Attributes{ID: 0x77, Lifetime: tokenLT, Type: p256, Bits: 256,
		Usage: psa.UsageSignHash | psa.UsageVerifyHash, Alg: psa.AlgECDSA(psa.AlgAnyHash)})
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := c.ExportPublicKey(id, nil)
	closeC()

	cfg.BuiltinKeys = []pkcs11.BuiltinKey{{ID: 0x7fff0100, Label: "psa key 0x00000077", Alg: psa.AlgECDSA(psa.AlgSHA256)}}
	c2, closeC2 := open(t, t.TempDir(), cfg)
	a, err := c2.KeyAttributes(0x7fff0100)
	if err != nil {
		t.Fatal(err)
	}
	if a.Type != p256 || a.Bits != 256 || a.Lifetime.Persistence() != psa.PersistenceReadOnly || a.Alg != psa.AlgECDSA(psa.AlgSHA256) {
		t.Errorf("built-in key attributes %+v", a)
	}
	if got, err := c2.ExportPublicKey(0x7fff0100, nil); err != nil || !bytes.Equal(got, pub) {
		t.Errorf("built-in public key %x, %v; want %x", got, err, pub)
	}
	h := sha256.Sum256([]byte("built-in"))
	sig, err := c2.SignHash(0x7fff0100, psa.AlgECDSA(psa.AlgSHA256), h[:], nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c2.VerifyHash(0x7fff0100, psa.AlgECDSA(psa.AlgSHA256), h[:], sig); err != nil {
		t.Error(err)
	}
	if err := c2.DestroyKey(0x7fff0100); !errors.Is(err, psa.ErrNotPermitted) {
		t.Errorf("destroy a built-in key: %v, want ErrNotPermitted", err)
	}
	closeC2()
	c3, _ := open(t, dir, pkcs11.TestConfig(t))
	if err := c3.DestroyKey(id); err != nil {
		t.Error(err)
	}
}

// TestTLSWithTokenKey runs a TLS 1.3 handshake on loopback whose server
// key is generated in the token and never leaves it: crypto/tls signs
// through psa's crypto.Signer, which signs with psa_sign_hash in the
// token.
func TestTLSWithTokenKey(t *testing.T) {
	c, _ := open(t, t.TempDir(), pkcs11.TestConfig(t))
	id, err := c.GenerateKey(psa.Attributes{Lifetime: tokenVT, Type: p256, Bits: 256,
		Usage: psa.UsageSignHash, Alg: psa.AlgECDSA(psa.AlgAnyHash)})
	if err != nil {
		t.Fatal(err)
	}
	signer, err := c.Signer(id)
	if err != nil {
		t.Fatal(err)
	}
	counting := &countingSigner{Signer: signer}
	cert := selfSigned(t, counting, "token.test")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	srv := tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{cert.Raw}, PrivateKey: counting}}})
	done := make(chan error, 1)
	go func() {
		conn, err := srv.Accept()
		if err != nil {
			done <- err
			return
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		_, err = io.Copy(conn, io.LimitReader(conn, 5))
		done <- err
	}()
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d := tls.Dialer{Config: &tls.Config{RootCAs: pool, ServerName: "token.test", MinVersion: tls.VersionTLS13}}
	conn, err := d.DialContext(ctx, "tcp", ln.Addr().String())
	if err != nil {
		t.Fatalf("handshake: %v", err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	echo := make([]byte, 5)
	if _, err := io.ReadFull(conn, echo); err != nil || string(echo) != "hello" {
		t.Fatalf("echo %q, %v", echo, err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// One signature for the certificate, one for CertificateVerify.
	if n := counting.n.Load(); n != 2 {
		t.Errorf("the token signed %d times, want 2", n)
	}
	if st := conn.(*tls.Conn).ConnectionState(); st.Version != tls.VersionTLS13 || len(st.PeerCertificates) != 1 {
		t.Errorf("connection state: version %x, %d certificates", st.Version, len(st.PeerCertificates))
	}
}

type countingSigner struct {
	crypto.Signer
	n atomic.Int32
}

func (s *countingSigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	s.n.Add(1)
	return s.Signer.Sign(r, digest, opts)
}

func selfSigned(t testing.TB, key crypto.Signer, name string) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: name},
		DNSNames:     []string{name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// BenchmarkSignP256 compares an ECDSA P-256 signature in the token through
// the PSA API (core, generated dispatch, driver, session pool) with the
// same signature through direct PKCS#11 calls on one session.
func BenchmarkSignP256(b *testing.B) {
	cfg := pkcs11.TestConfig(b)
	drv, err := pkcs11.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	disp, err := pkcs11build.New(drv)
	if err != nil {
		b.Fatal(err)
	}
	c, err := psa.New(psa.WithDispatch(disp), psa.WithKeyDir(b.TempDir()))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	alg := psa.AlgECDSA(psa.AlgSHA256)
	id, err := c.GenerateKey(psa.Attributes{ID: 0xbe4c, Lifetime: tokenLT, Type: p256, Bits: 256, Usage: psa.UsageSignHash, Alg: alg})
	if err != nil {
		b.Fatal(err)
	}
	defer c.DestroyKey(id)
	hash := sha256.Sum256([]byte("benchmark"))
	raw := pkcs11.RawSigner(b, drv, fmt.Sprintf("psa key 0x%08x", uint32(id)))
	dst := make([]byte, 0, 64)
	b.Run("gopsa", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.SignHash(id, alg, hash[:], dst); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := raw(hash[:]); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The two, interleaved, so that a change of load on the machine
	// affects both alike; overhead-% compares the medians.
	b.Run("interleaved", func(b *testing.B) {
		var tg, tr []time.Duration
		for b.Loop() {
			t0 := time.Now()
			if _, err := c.SignHash(id, alg, hash[:], dst); err != nil {
				b.Fatal(err)
			}
			t1 := time.Now()
			if _, err := raw(hash[:]); err != nil {
				b.Fatal(err)
			}
			tg, tr = append(tg, t1.Sub(t0)), append(tr, time.Since(t1))
		}
		mg, mr := median(tg), median(tr)
		b.ReportMetric(float64(mg.Nanoseconds()), "gopsa-ns/op")
		b.ReportMetric(float64(mr.Nanoseconds()), "raw-ns/op")
		b.ReportMetric(100*float64(mg-mr)/float64(mr), "overhead-%")
	})
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}
