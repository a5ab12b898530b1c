package builtin

import (
	"bytes"
	"crypto/ecdh"
	"crypto/mlkem"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"sync"
	"testing"

	circlmlkem768 "github.com/cloudflare/circl/kem/mlkem/mlkem768"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var (
	x25519Pair  = values.KeyTypeECCKeyPair(values.ECCFamilyMontgomery)
	edPair      = values.KeyTypeECCKeyPair(values.ECCFamilyTwistedEdwards)
	edPublic    = values.KeyTypeECCPublicKey(values.ECCFamilyTwistedEdwards)
	secpR1Pair  = values.KeyTypeECCKeyPair(values.ECCFamilySECPR1)
	secpR1Pub   = values.KeyTypeECCPublicKey(values.ECCFamilySECPR1)
	secpK1Pair  = values.KeyTypeECCKeyPair(values.ECCFamilySECPK1)
	bpPair      = values.KeyTypeECCKeyPair(values.ECCFamilyBrainpoolPR1)
	dhPair      = values.KeyTypeDHKeyPair(values.DHFamilyRFC7919)
	dhPublic    = values.KeyTypeDHPublicKey(values.DHFamilyRFC7919)
	spake2pPair = values.KeyTypeSPAKE2PKeyPair(values.ECCFamilySECPR1)
)

// TestPublicKeyVectors checks export_public_key against the published
// vectors of RFC 7748 §6 (X25519, X448) and RFC 8032 §7 (Ed25519, Ed448).
func TestPublicKeyVectors(t *testing.T) {
	tests := []struct {
		name      string
		typ       values.KeyType
		priv, pub string
		bits      int
	}{
		{"RFC 7748 6.1 Alice", x25519Pair,
			"77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
			"8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", 255},
		{"RFC 7748 6.1 Bob", x25519Pair,
			"5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
			"de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", 255},
		{"RFC 7748 6.2 Alice", x25519Pair,
			"9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b",
			"9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0", 448},
		{"RFC 7748 6.2 Bob", x25519Pair,
			"1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d",
			"3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609", 448},
		{"RFC 8032 7.1 test 1", edPair,
			"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
			"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", 255},
		{"RFC 8032 7.1 test 2", edPair,
			"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
			"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", 255},
		{"RFC 8032 7.4 blank", edPair,
			"6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3528c8a3fcc2f044e39a3fc5b94492f8f032e7549a20098f95b",
			"5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180", 448},
	}
	d := new(Driver)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			key, bits, err := d.ImportKey(values.Attributes{Type: tc.typ}, mustHex(t, tc.priv), nil)
			if err != nil {
				t.Fatal(err)
			}
			if bits != tc.bits {
				t.Errorf("bits = %d, want %d", bits, tc.bits)
			}
			pub, err := d.ExportPublicKey(values.Attributes{Type: tc.typ, Bits: bits}, key, nil)
			if err != nil {
				t.Fatal(err)
			}
			if want := mustHex(t, tc.pub); !bytes.Equal(pub, want) {
				t.Errorf("public key = %x, want %x", pub, want)
			}
			if _, _, err := d.ImportKey(values.Attributes{Type: tc.typ.PublicKeyOfKeyPair(), Bits: bits}, pub, nil); err != nil {
				t.Errorf("import of the public key: %v", err)
			}
		})
	}
}

func TestMontgomeryImportClamps(t *testing.T) {
	d := new(Driver)
	in := bytes.Repeat([]byte{0xff}, 32)
	key, _, err := d.ImportKey(values.Attributes{Type: x25519Pair}, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Repeat([]byte{0xff}, 32)
	want[0], want[31] = 0xf8, 0x7f
	if !bytes.Equal(key, want) {
		t.Errorf("stored key = %x, want the clamped %x", key, want)
	}
	if in[0] != 0xff {
		t.Error("ImportKey modified its input")
	}
}

func TestDES(t *testing.T) {
	d := new(Driver)
	good := mustHex(t, "0123456789abcdef") // every byte has odd parity
	bad := mustHex(t, "0023456789abcdef")
	for _, tc := range []struct {
		data []byte
		want error
	}{
		{good, nil},
		{append(bytes.Clone(good), mustHex(t, "fedcba9876543211")...), values.ErrInvalidArgument}, // 0x11: even parity
		{bad, values.ErrInvalidArgument},
		{bytes.Repeat(good, 2), nil},
		{bytes.Repeat(good, 3), nil},
		{bytes.Repeat(good, 4), values.ErrInvalidArgument},
		{good[:7], values.ErrInvalidArgument},
		// A weak key has valid parity: import accepts it, as the key
		// format requires parity only.
		{mustHex(t, "0101010101010101"), nil},
	} {
		_, bits, err := d.ImportKey(values.Attributes{Type: values.KeyTypeDES}, tc.data, nil)
		if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
			t.Errorf("import %x: %v, want %v", tc.data, err, tc.want)
		}
		if err == nil && bits != 8*len(tc.data) {
			t.Errorf("import %x: bits %d", tc.data, bits)
		}
	}

	// Derivation sets parity and draws again after a weak key: the
	// stream holds a weak key (parity bits wrong), a semi-weak key, and
	// then a good key.
	stream := bytes.NewReader(mustHex(t, "0000000000000000"+"011f011f010e010e"+"0022446688aaccee"+"1133557799bbddff"))
	key, err := d.DeriveKey(values.Attributes{Type: values.KeyTypeDES, Bits: 128}, stream, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := mustHex(t, "0123456789abcdef"+"1032547698badcfe")
	if !bytes.Equal(key, want) {
		t.Errorf("derived DES key = %x, want %x", key, want)
	}
	for _, w := range desWeakKeys {
		if checkDESParity(w[:]) != nil {
			t.Errorf("weak key %x has bad parity in the table", w)
		}
	}
}

// TestGenerateRoundTrip generates a key of every type and size the driver
// supports, imports it back and checks that its public key imports.
func TestGenerateRoundTrip(t *testing.T) {
	d := new(Driver)
	type gen struct {
		t    values.KeyType
		bits int
	}
	var cases []gen
	for _, ty := range []values.KeyType{values.KeyTypeAES, values.KeyTypeARIA, values.KeyTypeCamellia, values.KeyTypeSM4,
		values.KeyTypeDES, values.KeyTypeChaCha20, values.KeyTypeXChaCha20, values.KeyTypeAscon} {
		for _, b := range symmetricSizes(ty) {
			cases = append(cases, gen{ty, b})
		}
	}
	cases = append(cases, gen{values.KeyTypeHMAC, 256}, gen{values.KeyTypeRawData, 8}, gen{values.KeyTypeDerive, 520},
		gen{values.KeyTypePassword, 64}, gen{values.KeyTypePasswordHash, 256}, gen{values.KeyTypePepper, 128},
		gen{values.KeyTypeBLAKE2, 512}, gen{values.KeyTypeARC4, 40})
	for _, c := range eccCurves() {
		cases = append(cases, gen{values.KeyTypeECCKeyPair(c.family), c.bits})
	}
	cases = append(cases, gen{dhPair, 2048}, gen{values.KeyTypeDHKeyPair(values.DHFamilyRFC3526), 3072})
	for _, b := range []int{512, 768, 1024} {
		cases = append(cases, gen{values.KeyTypeMLKEMKeyPair, b})
	}
	for _, b := range []int{128, 192, 256} {
		cases = append(cases, gen{values.KeyTypeMLDSAKeyPair, b})
	}
	cases = append(cases, gen{values.KeyTypeSLHDSAKeyPair(values.SLHDSAFamilySHA2F), 128},
		gen{values.KeyTypeSLHDSAKeyPair(values.SLHDSAFamilySHAKEF), 192})
	if !testing.Short() {
		cases = append(cases, gen{values.KeyTypeRSAKeyPair, 1024}, gen{values.KeyTypeSLHDSAKeyPair(values.SLHDSAFamilySHA2S), 128})
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%v/%d", c.t, c.bits), func(t *testing.T) {
			t.Parallel()
			attrs := values.Attributes{Type: c.t, Bits: c.bits}
			prefix := []byte("prefix")
			key, err := d.GenerateKey(attrs, driver.ProductionParameters{}, bytes.Clone(prefix))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(key, prefix) {
				t.Fatal("GenerateKey did not append to dst")
			}
			key = key[len(prefix):]
			again, bits, err := d.ImportKey(values.Attributes{Type: c.t}, key, nil)
			if c.t.IsMLKEM() || c.t.IsMLDSA() {
				// A seed does not identify its parameter set.
				again, bits, err = d.ImportKey(attrs, key, nil)
			}
			if err != nil || bits != c.bits || !bytes.Equal(again, key) {
				t.Fatalf("import of the generated key: %d bits, %v; want %d bits and the same key", bits, err, c.bits)
			}
			if !c.t.IsKeyPair() {
				return
			}
			pub, err := d.ExportPublicKey(attrs, key, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, pbits, err := d.ImportKey(values.Attributes{Type: c.t.PublicKeyOfKeyPair()}, pub, nil); err != nil || pbits != c.bits {
				t.Fatalf("import of the public key: %d bits, %v", pbits, err)
			}
		})
	}
}

// TestGenerateUsesRandomSource checks that generation reads the
// instance's random source: the same source gives the same key.
func TestGenerateUsesRandomSource(t *testing.T) {
	for _, attrs := range []values.Attributes{
		{Type: secpR1Pair, Bits: 256},
		{Type: bpPair, Bits: 384},
		{Type: values.KeyTypeAES, Bits: 128},
		{Type: dhPair, Bits: 2048},
		{Type: values.KeyTypeMLDSAKeyPair, Bits: 128},
	} {
		k1, err := (&Driver{rand: newDetRand(1)}).GenerateKey(attrs, driver.ProductionParameters{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		k2, _ := (&Driver{rand: newDetRand(1)}).GenerateKey(attrs, driver.ProductionParameters{}, nil)
		k3, _ := (&Driver{rand: newDetRand(2)}).GenerateKey(attrs, driver.ProductionParameters{}, nil)
		if !bytes.Equal(k1, k2) || bytes.Equal(k1, k3) {
			t.Errorf("%v: generation does not follow the random source", attrs.Type)
		}
	}
}

// detRand is a deterministic stream for tests (SHAKE would do as well:
// this only needs to differ per seed).
type detRand struct{ ctr uint64 }

func newDetRand(seed uint64) *detRand { return &detRand{ctr: seed << 32} }

func (r *detRand) Read(p []byte) (int, error) {
	for i := range p {
		r.ctr = r.ctr*6364136223846793005 + 1442695040888963407
		p[i] = byte(r.ctr >> 56)
	}
	return len(p), nil
}

func TestRSACustomExponent(t *testing.T) {
	if testing.Short() {
		t.Skip("RSA generation is slow")
	}
	d := &Driver{rand: newDetRand(7)}
	key, err := d.GenerateKey(values.Attributes{Type: values.KeyTypeRSAKeyPair, Bits: 1024}, driver.ProductionParameters{Data: []byte{3}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := x509.ParsePKCS1PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if priv.E != 3 || priv.N.BitLen() != 1024 {
		t.Fatalf("e = %d, %d bits", priv.E, priv.N.BitLen())
	}
	// The key works: sign and verify with crypto/rsa.
	digest := make([]byte, 32)
	sig, err := rsa.SignPKCS1v15(nil, priv, 0, digest)
	if err != nil {
		t.Fatal(err)
	}
	if err := rsa.VerifyPKCS1v15(&priv.PublicKey, 0, digest, sig); err != nil {
		t.Fatal(err)
	}
}

func TestRSAImportRejectsInconsistentKey(t *testing.T) {
	priv, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	d := new(Driver)
	good := x509.MarshalPKCS1PrivateKey(priv)
	if _, bits, err := d.ImportKey(values.Attributes{Type: values.KeyTypeRSAKeyPair}, good, nil); err != nil || bits != 1024 {
		t.Fatalf("import of a good key: %d, %v", bits, err)
	}
	pub, err := d.ExportPublicKey(values.Attributes{Type: values.KeyTypeRSAKeyPair, Bits: 1024}, good, nil)
	if err != nil || !bytes.Equal(pub, x509.MarshalPKCS1PublicKey(&priv.PublicKey)) {
		t.Fatalf("export public: %x, %v", pub, err)
	}
	// Tamper with each CRT value in turn.
	for i, tamper := range []func(k *rsa.PrivateKey){
		func(k *rsa.PrivateKey) { k.Precomputed.Dp = new(big.Int).Add(k.Precomputed.Dp, big.NewInt(2)) },
		func(k *rsa.PrivateKey) { k.Precomputed.Qinv = new(big.Int).Add(k.Precomputed.Qinv, big.NewInt(1)) },
		func(k *rsa.PrivateKey) { k.D = new(big.Int).Add(k.D, big.NewInt(2)) },
	} {
		k := *priv
		tamper(&k)
		der := marshalRSAPrivateKeyRaw(&k)
		if _, _, err := d.ImportKey(values.Attributes{Type: values.KeyTypeRSAKeyPair}, der, nil); !errors.Is(err, values.ErrInvalidArgument) {
			t.Errorf("tampered key %d: %v, want INVALID_ARGUMENT", i, err)
		}
	}
}

// marshalRSAPrivateKeyRaw encodes the fields as they are, without the
// recomputation x509.MarshalPKCS1PrivateKey does.
func marshalRSAPrivateKeyRaw(k *rsa.PrivateKey) []byte {
	body := []byte{0x02, 0x01, 0x00}
	for _, v := range []*big.Int{k.N, big.NewInt(int64(k.E)), k.D, k.Primes[0], k.Primes[1], k.Precomputed.Dp, k.Precomputed.Dq, k.Precomputed.Qinv} {
		body = appendDERInt(body, v)
	}
	return appendDERSeq(nil, body)
}

func TestMLKEMAgainstCircl(t *testing.T) {
	// crypto/mlkem and circl agree on the public key of a seed.
	d := new(Driver)
	seed := make([]byte, 64)
	rand.Read(seed)
	pub, err := d.ExportPublicKey(values.Attributes{Type: values.KeyTypeMLKEMKeyPair, Bits: 768}, seed, nil)
	if err != nil {
		t.Fatal(err)
	}
	cpk, _ := circlmlkem768.NewKeyFromSeed(seed)
	want, _ := cpk.MarshalBinary()
	if !bytes.Equal(pub, want) {
		t.Error("ML-KEM-768 public key differs from circl's")
	}
	// An encapsulation key with a coefficient ≥ q fails the FIPS 203
	// check.
	bad := bytes.Clone(pub)
	bad[0], bad[1] = 0xff, 0xff
	if _, _, err := d.ImportKey(values.Attributes{Type: values.KeyTypeMLKEMPublicKey}, bad, nil); !errors.Is(err, values.ErrInvalidArgument) {
		t.Errorf("import of an unreduced key: %v", err)
	}
	if _, err := mlkem.NewEncapsulationKey768(pub); err != nil {
		t.Fatal(err)
	}
}

func TestSLHDSARejectsWrongRoot(t *testing.T) {
	d := new(Driver)
	typ := values.KeyTypeSLHDSAKeyPair(values.SLHDSAFamilySHAKEF)
	key, err := d.GenerateKey(values.Attributes{Type: typ, Bits: 128}, driver.ProductionParameters{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	key[len(key)-1] ^= 1
	if _, _, err := d.ImportKey(values.Attributes{Type: typ}, key, nil); !errors.Is(err, values.ErrInvalidArgument) {
		t.Errorf("import with a wrong PK.root: %v", err)
	}
}

func TestSPAKE2P(t *testing.T) {
	d := new(Driver)
	attrs := values.Attributes{Type: spake2pPair, Bits: 256}
	key, err := d.DeriveKey(attrs, newDetRand(3), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != 64 {
		t.Fatalf("key pair is %d bytes, want 64", len(key))
	}
	pub, err := d.ExportPublicKey(attrs, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	// L = w1·G
	w1, _ := ecdh.P256().NewPrivateKey(key[32:])
	if !bytes.Equal(pub[:32], key[:32]) || !bytes.Equal(pub[32:], w1.PublicKey().Bytes()) {
		t.Errorf("public key = %x, want w0 || w1·G", pub)
	}
	if _, bits, err := d.ImportKey(values.Attributes{Type: spake2pPair.PublicKeyOfKeyPair()}, pub, nil); err != nil || bits != 256 {
		t.Errorf("import public: %d, %v", bits, err)
	}
	// The derivation reduces 40-byte draws modulo n.
	stream := bytes.NewReader(append(bytes.Repeat([]byte{0xff}, 40), bytes.Repeat([]byte{0x01}, 40)...))
	key, err = d.DeriveKey(attrs, stream, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := ecdhOrderP256()
	for i, draw := range [][]byte{bytes.Repeat([]byte{0xff}, 40), bytes.Repeat([]byte{0x01}, 40)} {
		want := new(big.Int).Mod(new(big.Int).SetBytes(draw), n).FillBytes(make([]byte, 32))
		if !bytes.Equal(key[32*i:32*i+32], want) {
			t.Errorf("w%d = %x, want %x", i, key[32*i:32*i+32], want)
		}
	}
}

func ecdhOrderP256() *big.Int {
	n, _ := new(big.Int).SetString("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16)
	return n
}

func TestDHPrimes(t *testing.T) {
	// The primes are safe primes whose top and bottom 64 bits are set
	// (RFC 7919 appendix A, RFC 3526). Primality of 8192-bit numbers is
	// slow to test: only the smaller groups are checked in -short mode.
	for _, g := range dhGroups() {
		p := g.pInt
		top := new(big.Int).Rsh(p, uint(p.BitLen()-64))
		low := new(big.Int).And(p, new(big.Int).SetUint64(^uint64(0)))
		if top.Uint64() != ^uint64(0) || low.Uint64() != ^uint64(0) {
			t.Errorf("%s: top or bottom 64 bits are not all ones", g.name)
		}
		if p.BitLen() != g.bits || g.bits%8 != 0 {
			t.Errorf("%s: %d bits", g.name, p.BitLen())
		}
		if testing.Short() && g.bits > 2048 {
			continue
		}
		q := new(big.Int).Rsh(p, 1)
		if !p.ProbablyPrime(1) || !q.ProbablyPrime(1) {
			t.Errorf("%s: not a safe prime", g.name)
		}
	}
}

// TestImportRejects lists malformed keys of every family with the status
// and a fragment of the message that explains the problem.
func TestImportRejects(t *testing.T) {
	p256Pub, _ := ecdh.P256().GenerateKey(rand.Reader)
	offCurve := p256Pub.PublicKey().Bytes()
	offCurve[64] ^= 1
	p, _ := new(big.Int).SetString(ffdhe2048Prime, 16)
	pm1 := new(big.Int).Sub(p, big.NewInt(1)).FillBytes(make([]byte, 256))
	one := big.NewInt(1).FillBytes(make([]byte, 256))
	lms := func(typ, ots uint32, m int) []byte {
		b := binary.BigEndian.AppendUint32(nil, typ)
		b = binary.BigEndian.AppendUint32(b, ots)
		return append(b, make([]byte, 16+m)...)
	}
	xmss := func(oid uint32, n int) []byte {
		return append(binary.BigEndian.AppendUint32(nil, oid), make([]byte, 2*n)...)
	}
	tests := []struct {
		name string
		typ  values.KeyType
		bits int
		data []byte
		want values.Status
		msg  string
	}{
		{"empty raw", values.KeyTypeRawData, 0, nil, values.ErrInvalidArgument, "size 0"},
		{"AES 17 bytes", values.KeyTypeAES, 0, make([]byte, 17), values.ErrInvalidArgument, "want one of"},
		{"AES bits mismatch", values.KeyTypeAES, 256, make([]byte, 16), values.ErrInvalidArgument, "ask for 256 bits"},
		{"ChaCha20 16 bytes", values.KeyTypeChaCha20, 0, make([]byte, 16), values.ErrInvalidArgument, "[256]"},
		{"BLAKE2 65 bytes", values.KeyTypeBLAKE2, 0, make([]byte, 65), values.ErrInvalidArgument, "too long"},
		{"raw too large", values.KeyTypeRawData, 0, make([]byte, maxRawBytes+1), values.ErrNotSupported, "at most"},
		{"P-256 31 bytes", secpR1Pair, 0, make([]byte, 31), values.ErrInvalidArgument, "not the length"},
		{"P-256 with bits, 31 bytes", secpR1Pair, 256, make([]byte, 31), values.ErrInvalidArgument, "31 bytes is not a valid secp256r1 private key (want 32)"},
		{"P-256 zero", secpR1Pair, 0, make([]byte, 32), values.ErrInvalidArgument, "must not be zero"},
		{"P-256 n", secpR1Pair, 0, ecdhOrderP256().Bytes(), values.ErrInvalidArgument, "less than the curve order"},
		{"P-256 off curve", secpR1Pub, 0, offCurve, values.ErrInvalidArgument, "uncompressed point"},
		{"P-256 compressed", secpR1Pub, 0, append([]byte{2}, offCurve[1:33]...), values.ErrInvalidArgument, "not the length"},
		{"secp256k1 off curve", values.KeyTypeECCPublicKey(values.ECCFamilySECPK1), 0, append([]byte{4}, make([]byte, 64)...), values.ErrInvalidArgument, "not on the curve"},
		{"secp256k1 zero", secpK1Pair, 0, make([]byte, 32), values.ErrInvalidArgument, "must not be zero"},
		{"Ed25519 bad point", edPublic, 0, mustHex(t, "0200000000000000000000000000000000000000000000000000000000000000"), values.ErrInvalidArgument, "does not decode"},
		{"Ed448 bad length", edPublic, 0, make([]byte, 56), values.ErrInvalidArgument, "not the length"},
		{"SECT curve", values.KeyTypeECCKeyPair(values.ECCFamilySECTK1), 0, make([]byte, 21), values.ErrNotSupported, "not supported"},
		{"DH x = 0", dhPair, 0, make([]byte, 256), values.ErrInvalidArgument, "[1, p-1]"},
		{"DH y = 1", dhPublic, 0, one, values.ErrInvalidArgument, "[2, p-2]"},
		{"DH y = p-1", dhPublic, 0, pm1, values.ErrInvalidArgument, "[2, p-2]"},
		{"DH 1024", dhPublic, 1024, make([]byte, 128), values.ErrNotSupported, "not a group"},
		{"RSA garbage", values.KeyTypeRSAPublicKey, 0, []byte{0x30, 0x03, 0x02, 0x01, 0x01}, values.ErrInvalidArgument, "RSAPublicKey"},
		{"RSA even e", values.KeyTypeRSAPublicKey, 0, appendRSAPublicKey(nil, new(big.Int).SetBytes(bytes.Repeat([]byte{0xc5}, 128)), big.NewInt(65536)), values.ErrInvalidArgument, "odd integer"},
		{"RSA trailing", values.KeyTypeRSAPublicKey, 0, append(appendRSAPublicKey(nil, new(big.Int).SetBytes(bytes.Repeat([]byte{0xc5}, 128)), big.NewInt(3)), 0), values.ErrInvalidArgument, "trailing"},
		{"ML-KEM seed without size", values.KeyTypeMLKEMKeyPair, 0, make([]byte, 64), values.ErrInvalidArgument, "set the key size"},
		{"ML-KEM public 801", values.KeyTypeMLKEMPublicKey, 0, make([]byte, 801), values.ErrInvalidArgument, "[800 1184 1568]"},
		{"ML-DSA size 100", values.KeyTypeMLDSAKeyPair, 100, make([]byte, 32), values.ErrInvalidArgument, "parameter set"},
		{"SLH-DSA 40 bytes", values.KeyTypeSLHDSAPublicKey(values.SLHDSAFamilySHA2S), 0, make([]byte, 40), values.ErrInvalidArgument, "n = 16, 24 or 32"},
		{"LMS mixed hashes", values.KeyTypeLMSPublicKey, 0, lms(0x05, 0x09, 32), values.ErrInvalidArgument, "different hash"},
		{"LMS truncated", values.KeyTypeLMSPublicKey, 0, lms(0x05, 0x01, 32)[:55], values.ErrInvalidArgument, "want 56"},
		{"LMS unknown type", values.KeyTypeLMSPublicKey, 0, lms(0x30, 0x01, 32), values.ErrNotSupported, "not a parameter set"},
		{"HSS L = 9", values.KeyTypeHSSPublicKey, 0, append([]byte{0, 0, 0, 9}, lms(0x05, 0x01, 32)...), values.ErrInvalidArgument, "1 to 8"},
		{"XMSS SHA-512", values.KeyTypeXMSSPublicKey, 0, xmss(0x04, 64), values.ErrNotSupported, "not a supported"},
		{"XMSS^MT wrong length", values.KeyTypeXMSSMTPublicKey, 0, xmss(0x21, 32), values.ErrInvalidArgument, "want 52"},
		{"SPAKE2+ w1 = 0", spake2pPair, 0, append(bytes.Repeat([]byte{1}, 32), make([]byte, 32)...), values.ErrInvalidArgument, "w1"},
		{"WPA3-SAE DH 0", values.KeyTypeWPA3SAEDH(values.DHFamilyRFC7919), 0, make([]byte, 256), values.ErrInvalidArgument, "[1, p-1]"},
		{"WPA3-SAE ECC off curve", values.KeyTypeWPA3SAEECC(values.ECCFamilySECPR1), 0, offCurve[1:], values.ErrInvalidArgument, "uncompressed point"},
		{"no type", values.KeyTypeNone, 0, []byte{1}, values.ErrNotSupported, "no key type"},
	}
	d := new(Driver)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := d.ImportKey(values.Attributes{Type: tc.typ, Bits: tc.bits}, tc.data, nil)
			if out != nil {
				t.Error("output on error")
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not explain %q", err, tc.msg)
			}
		})
	}
}

func TestImportAccepts(t *testing.T) {
	lms := func(typ, ots uint32, m int) []byte {
		b := binary.BigEndian.AppendUint32(nil, typ)
		b = binary.BigEndian.AppendUint32(b, ots)
		return append(b, make([]byte, 16+m)...)
	}
	d := new(Driver)
	for _, tc := range []struct {
		typ  values.KeyType
		data []byte
		bits int
	}{
		{values.KeyTypeLMSPublicKey, lms(0x05, 0x01, 32), 256},
		{values.KeyTypeLMSPublicKey, lms(0x14, 0x0d, 24), 192},
		{values.KeyTypeHSSPublicKey, append([]byte{0, 0, 0, 2}, lms(0x0a, 0x05, 24)...), 192},
		{values.KeyTypeXMSSPublicKey, append([]byte{0, 0, 0, 0x13}, make([]byte, 48)...), 192},
		{values.KeyTypeXMSSMTPublicKey, append([]byte{0, 0, 0, 0x01}, make([]byte, 64)...), 256},
		{values.KeyTypeAscon, make([]byte, 32), 256},
		{values.KeyTypeARC4, make([]byte, 5), 40},
		{values.KeyTypeAES, make([]byte, 64), 512},
	} {
		_, bits, err := d.ImportKey(values.Attributes{Type: tc.typ}, tc.data, nil)
		if err != nil || bits != tc.bits {
			t.Errorf("%v %x: %d bits, %v; want %d", tc.typ, tc.data, bits, err, tc.bits)
		}
	}
}

func TestGenerateRejects(t *testing.T) {
	d := new(Driver)
	for _, tc := range []struct {
		attrs  values.Attributes
		params driver.ProductionParameters
		want   values.Status
	}{
		{values.Attributes{Type: secpR1Pub, Bits: 256}, driver.ProductionParameters{}, values.ErrInvalidArgument},
		{values.Attributes{Type: values.KeyTypeAES, Bits: 0}, driver.ProductionParameters{}, values.ErrInvalidArgument},
		{values.Attributes{Type: values.KeyTypeAES, Bits: 128}, driver.ProductionParameters{Flags: 1}, values.ErrInvalidArgument},
		{values.Attributes{Type: values.KeyTypeAES, Bits: 128}, driver.ProductionParameters{Data: []byte{1}}, values.ErrInvalidArgument},
		{values.Attributes{Type: values.KeyTypeRSAKeyPair, Bits: 1025}, driver.ProductionParameters{}, values.ErrNotSupported},
		{values.Attributes{Type: values.KeyTypeRSAKeyPair, Bits: 1024}, driver.ProductionParameters{Data: []byte{4}}, values.ErrInvalidArgument},
		{values.Attributes{Type: values.KeyTypeRSAKeyPair, Bits: 1024}, driver.ProductionParameters{Data: []byte{0x80, 0, 0, 1}}, values.ErrNotSupported},
		{values.Attributes{Type: values.KeyTypeECCKeyPair(values.ECCFamilyFRP), Bits: 256}, driver.ProductionParameters{}, values.ErrNotSupported},
		{values.Attributes{Type: values.KeyTypeWPA3SAEECC(values.ECCFamilySECPR1), Bits: 256}, driver.ProductionParameters{}, values.ErrInvalidArgument},
		{values.Attributes{Type: values.KeyTypeMLKEMKeyPair, Bits: 256}, driver.ProductionParameters{}, values.ErrInvalidArgument},
	} {
		_, err := d.GenerateKey(tc.attrs, tc.params, nil)
		if !errors.Is(err, tc.want) {
			t.Errorf("generate %v/%d %+v: %v, want %v", tc.attrs.Type, tc.attrs.Bits, tc.params, err, tc.want)
		}
	}
}

func TestDeriveStreamError(t *testing.T) {
	d := new(Driver)
	boom := errors.New("stream failed")
	for _, attrs := range []values.Attributes{
		{Type: values.KeyTypeAES, Bits: 128},
		{Type: values.KeyTypeDES, Bits: 192},
		{Type: secpR1Pair, Bits: 256},
		{Type: dhPair, Bits: 2048},
		{Type: values.KeyTypeSLHDSAKeyPair(values.SLHDSAFamilySHA2F), Bits: 128},
	} {
		_, err := d.DeriveKey(attrs, io.MultiReader(bytes.NewReader([]byte{1, 2, 3}), errReader{boom}), nil)
		if !errors.Is(err, boom) {
			t.Errorf("%v: %v, want the stream's error", attrs.Type, err)
		}
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestConcurrentUse(t *testing.T) {
	d := new(Driver)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, c := range []values.Attributes{{Type: bpPair, Bits: 256}, {Type: secpK1Pair, Bits: 256}, {Type: secpR1Pair, Bits: 384}} {
				key, err := d.GenerateKey(c, driver.ProductionParameters{}, nil)
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := d.ExportPublicKey(c, key, nil); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}

// FuzzImportKey checks that ImportKey never panics and that whatever it
// accepts is stable: importing the stored key again gives the same key.
func FuzzImportKey(f *testing.F) {
	types := []values.KeyType{
		values.KeyTypeRawData, values.KeyTypeAES, values.KeyTypeDES, values.KeyTypeChaCha20,
		values.KeyTypeRSAKeyPair, values.KeyTypeRSAPublicKey,
		secpR1Pair, secpR1Pub, secpK1Pair, values.KeyTypeECCPublicKey(values.ECCFamilySECPK1),
		bpPair, values.KeyTypeECCPublicKey(values.ECCFamilyBrainpoolPR1),
		x25519Pair, values.KeyTypeECCPublicKey(values.ECCFamilyMontgomery), edPair, edPublic,
		dhPair, dhPublic, values.KeyTypeMLKEMKeyPair, values.KeyTypeMLKEMPublicKey,
		values.KeyTypeMLDSAKeyPair, values.KeyTypeMLDSAPublicKey,
		values.KeyTypeSLHDSAPublicKey(values.SLHDSAFamilySHA2F),
		values.KeyTypeLMSPublicKey, values.KeyTypeHSSPublicKey, values.KeyTypeXMSSPublicKey, values.KeyTypeXMSSMTPublicKey,
		spake2pPair, values.KeyTypeSPAKE2PPublicKey(values.ECCFamilySECPR1),
		values.KeyTypeWPA3SAEECC(values.ECCFamilySECPR1), values.KeyTypeWPA3SAEDH(values.DHFamilyRFC7919),
	}
	f.Add(uint8(0), uint16(0), []byte{1})
	f.Add(uint8(4), uint16(0), x509.MarshalPKCS1PublicKey(&rsa.PublicKey{N: new(big.Int).SetBytes(bytes.Repeat([]byte{0xc5}, 128)), E: 3}))
	f.Add(uint8(7), uint16(256), append([]byte{4}, make([]byte, 64)...))
	f.Add(uint8(20), uint16(0), make([]byte, 800))
	f.Add(uint8(23), uint16(0), []byte{0, 0, 0, 5, 0, 0, 0, 1})
	d := new(Driver)
	f.Fuzz(func(t *testing.T, which uint8, bits uint16, data []byte) {
		typ := types[int(which)%len(types)]
		attrs := values.Attributes{Type: typ, Bits: int(bits) % 1100}
		key, got, err := d.ImportKey(attrs, data, nil)
		if err != nil {
			if driver.StatusOf(err) == values.ErrGenericError {
				t.Fatalf("error without a PSA status: %v", err)
			}
			return
		}
		again, got2, err := d.ImportKey(values.Attributes{Type: typ, Bits: got}, key, nil)
		if err != nil || got2 != got || !bytes.Equal(again, key) {
			t.Fatalf("%v: re-import of %x: %v", typ, key, err)
		}
	})
}

func BenchmarkImportP256PrivateKey(b *testing.B) {
	k, _ := ecdh.P256().GenerateKey(rand.Reader)
	data := k.Bytes()
	d := new(Driver)
	dst := make([]byte, 0, 32)
	attrs := values.Attributes{Type: secpR1Pair}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := d.ImportKey(attrs, data, dst); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkImportRSA2048PublicKey(b *testing.B) {
	priv, _ := rsa.GenerateKey(rand.Reader, 2048)
	data := x509.MarshalPKCS1PublicKey(&priv.PublicKey)
	d := new(Driver)
	dst := make([]byte, 0, len(data))
	attrs := values.Attributes{Type: values.KeyTypeRSAPublicKey}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := d.ImportKey(attrs, data, dst); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExportPublicKey(b *testing.B) {
	d := new(Driver)
	for _, attrs := range []values.Attributes{
		{Type: secpR1Pair, Bits: 256},
		{Type: secpK1Pair, Bits: 256},
		{Type: bpPair, Bits: 256},
		{Type: x25519Pair, Bits: 255},
	} {
		key, err := d.GenerateKey(attrs, driver.ProductionParameters{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%v-%d", attrs.Type, attrs.Bits), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := d.ExportPublicKey(attrs, key, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
