package p256only

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/driver/manifest"
	"github.com/gopsa/psa/drivers/p256"
	"github.com/gopsa/psa/internal/dispatch/dispatchtest"
	"github.com/gopsa/psa/values"
)

func TestGeneratedIsCurrent(t *testing.T) {
	dispatchtest.CheckGenerated(t, "gen.go", "internal/dispatch/p256only")
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func newCrypto(t *testing.T) *psa.Crypto {
	t.Helper()
	d, err := New(new(p256.Driver))
	if err != nil {
		t.Fatal(err)
	}
	c, err := psa.New(psa.WithDispatch(d))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

var (
	p256Pair   = values.KeyTypeECCKeyPair(values.ECCFamilySECPR1)
	p256Public = values.KeyTypeECCPublicKey(values.ECCFamilySECPR1)
	ecdsa256   = values.AlgECDSA(values.AlgSHA256)
)

// TestSecp256r1 checks that secp256r1 keys, ECDSA and ECDH reach the p256
// driver, with the RFC 5903 ECDH vector.
func TestSecp256r1(t *testing.T) {
	c := newCrypto(t)
	pair := values.Attributes{Type: p256Pair, Bits: 256}
	for _, tt := range []struct {
		ep    string
		attrs values.Attributes
		alg   values.Algorithm
	}{
		{"import_key", pair, 0},
		{"generate_key", pair, 0},
		{"export_public_key", pair, 0},
		{"sign_hash", pair, ecdsa256},
		{"verify_hash", values.Attributes{Type: p256Public, Bits: 256}, ecdsa256},
		{"key_agreement", pair, values.AlgECDH},
	} {
		if got := c.Route(tt.ep, tt.attrs, tt.alg); got != "p256" {
			t.Errorf("Route(%s, %v, %v) = %q, want p256", tt.ep, tt.attrs.Type, tt.alg, got)
		}
	}

	priv := mustHex("c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433")
	peer := mustHex("04d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf6356fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab")
	shared := mustHex("d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de")
	id, err := c.ImportKey(values.Attributes{Type: p256Pair, Usage: values.UsageDerive, Alg: values.AlgECDH}, priv)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.RawKeyAgreement(values.AlgECDH, id, peer, nil); err != nil || !bytes.Equal(got, shared) {
		t.Errorf("ECDH = %x, %v; want %x (RFC 5903 8.1)", got, err, shared)
	}

	signer, err := c.GenerateKey(values.Attributes{Type: p256Pair, Bits: 256,
		Usage: values.UsageSignHash | values.UsageVerifyHash | values.UsageExport, Alg: ecdsa256})
	if err != nil {
		t.Fatal(err)
	}
	hash := sha256.Sum256([]byte("driver-only build"))
	sig, err := c.SignHash(signer, ecdsa256, hash[:], nil)
	if err != nil || len(sig) != 64 {
		t.Fatalf("SignHash = %x, %v", sig, err)
	}
	if err := c.VerifyHash(signer, ecdsa256, hash[:], sig); err != nil {
		t.Error(err)
	}
	pub, err := c.ExportPublicKey(signer, nil)
	if err != nil {
		t.Fatal(err)
	}
	var d p256.Driver
	if err := d.VerifyHash(values.Attributes{Type: p256Public, Bits: 256}, pub, ecdsa256, hash[:], sig); err != nil {
		t.Errorf("the exported public key does not verify the signature: %v", err)
	}
}

// TestOtherCurves checks that, with ECC left out of the builtin driver,
// every other curve and ECC mechanism answers ErrNotSupported, and that
// the rest of the builtin driver is still there.
func TestOtherCurves(t *testing.T) {
	c := newCrypto(t)
	for _, tt := range []struct {
		name  string
		attrs values.Attributes
		data  []byte
	}{
		{"secp384r1", values.Attributes{Type: p256Pair}, bytes.Repeat([]byte{1}, 48)},
		{"secp521r1", values.Attributes{Type: p256Pair}, bytes.Repeat([]byte{1}, 66)},
		{"secp256k1", values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilySECPK1)}, bytes.Repeat([]byte{1}, 32)},
		{"brainpoolP256r1", values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilyBrainpoolPR1)}, bytes.Repeat([]byte{1}, 32)},
		{"X25519", values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilyMontgomery)}, bytes.Repeat([]byte{1}, 32)},
		{"Ed25519", values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilyTwistedEdwards)}, bytes.Repeat([]byte{1}, 32)},
		{"secp384r1 public key", values.Attributes{Type: p256Public}, append([]byte{4}, bytes.Repeat([]byte{1}, 96)...)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := c.ImportKey(tt.attrs, tt.data); !errors.Is(err, values.ErrNotSupported) {
				t.Errorf("import: %v, want ErrNotSupported", err)
			}
		})
	}
	for _, a := range []values.Attributes{
		{Type: p256Pair, Bits: 384},
		{Type: values.KeyTypeECCKeyPair(values.ECCFamilyMontgomery), Bits: 255},
	} {
		if _, err := c.GenerateKey(a); !errors.Is(err, values.ErrNotSupported) {
			t.Errorf("generate a %d-bit %v: %v, want ErrNotSupported", a.Bits, a.Type, err)
		}
	}
	// Deterministic ECDSA: the p256 driver declines, and nothing else
	// signs with ECC.
	det := values.AlgDeterministicECDSA(values.AlgSHA256)
	id, err := c.ImportKey(values.Attributes{Type: p256Pair, Usage: values.UsageSignHash, Alg: det},
		mustHex("49c9a8c18c4b885638c431cf1df1c994131609b580d4fd43a0cab17db2f13eee"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SignHash(id, det, make([]byte, 32), nil); !errors.Is(err, values.ErrNotSupported) {
		t.Errorf("deterministic ECDSA: %v, want ErrNotSupported", err)
	}
	// The rest of the builtin driver is there.
	if _, err := c.ImportKey(values.Attributes{Type: values.KeyTypeAES}, make([]byte, 16)); err != nil {
		t.Errorf("import AES: %v", err)
	}
	if got := c.Route("import_key", values.Attributes{Type: values.KeyTypeRSAKeyPair}, 0); got != "builtin" {
		t.Errorf("Route(import_key, RSA) = %q, want builtin", got)
	}
}

// TestNoECCDescriptionInSync checks that driver_noecc.json declares every
// entry point of driver.json: a capability added to one description and
// not the other would silently disappear from driver-only builds.
func TestNoECCDescriptionInSync(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "drivers", "builtin")
	entryPoints := func(name string) map[string]bool {
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		d, err := manifest.Parse(data, path)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, c := range d.Capabilities {
			for _, ep := range c.EntryPoints {
				out[ep] = true
				if f, ok := manifest.LookupFamily(ep); ok {
					for _, m := range f.Members {
						out[m.Name] = true
					}
				}
			}
		}
		return out
	}
	full, noecc := entryPoints("driver.json"), entryPoints("driver_noecc.json")
	for ep := range full {
		if !noecc[ep] {
			t.Errorf("drivers/builtin/driver.json declares %q and driver_noecc.json does not: add it, without ECC key types and algorithms", ep)
		}
	}
}
