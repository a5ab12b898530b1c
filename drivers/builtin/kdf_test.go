package builtin

import (
	"bufio"
	"bytes"
	"crypto/aes"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/internal/cmac"
	"github.com/gopsa/psa/values"
)

// kdfInput is one input of a derivation as the core would hold it.
type kdfInput struct {
	kind    driver.InputType
	data    []byte
	keyType values.KeyType
	n       uint64
}

// kdfTestInputs is a driver.DerivationInputs over a map, playing the
// core's part. Absent steps are reported as omitted.
type kdfTestInputs map[values.DerivationStep]kdfInput

func (m kdfTestInputs) Type(step values.DerivationStep) driver.InputType {
	if in, ok := m[step]; ok {
		return in.kind
	}
	return driver.InputOmitted
}

func (m kdfTestInputs) Bytes(step values.DerivationStep) ([]byte, error) {
	if in, ok := m[step]; ok && in.kind == driver.InputBytes {
		return in.data, nil
	}
	return nil, values.ErrInvalidArgument
}

func (m kdfTestInputs) Key(step values.DerivationStep) (values.Attributes, []byte, error) {
	if in, ok := m[step]; ok && in.kind == driver.InputKey {
		return values.Attributes{Type: in.keyType, Bits: 8 * len(in.data), Usage: values.UsageDerive}, in.data, nil
	}
	return values.Attributes{}, nil, values.ErrInvalidArgument
}

func (m kdfTestInputs) Integer(step values.DerivationStep) (uint64, error) {
	if in, ok := m[step]; ok && in.kind == driver.InputInteger {
		return in.n, nil
	}
	return 0, values.ErrInvalidArgument
}

func kdfBytes(b []byte) kdfInput { return kdfInput{kind: driver.InputBytes, data: b} }
func kdfKey(t values.KeyType, b []byte) kdfInput {
	return kdfInput{kind: driver.InputKey, keyType: t, data: b}
}
func kdfInt(n uint64) kdfInput { return kdfInput{kind: driver.InputInteger, n: n} }

func kdfHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// kdfReadVectors reads a testdata/kdf file of "name = value" records
// separated by blank lines; '#' starts a comment line.
func kdfReadVectors(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "kdf", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var (
		recs []map[string]string
		cur  map[string]string
	)
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "#"):
		case line == "":
			if cur != nil {
				recs = append(recs, cur)
				cur = nil
			}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				t.Fatalf("%s: bad line %q", name, line)
			}
			if cur == nil {
				cur = map[string]string{}
			}
			cur[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	if cur != nil {
		recs = append(recs, cur)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(recs) == 0 {
		t.Fatalf("%s: no vectors", name)
	}
	return recs
}

var kdfHashByName = map[string]values.Algorithm{
	"SHA-1":   values.AlgSHA1,
	"SHA-256": values.AlgSHA256,
	"SHA-384": values.AlgSHA384,
	"SHA-512": values.AlgSHA512,
}

// kdfDerive sets up alg on in, sets the capacity if capacity > 0, and
// reads n bytes in one call.
func kdfDerive(t *testing.T, alg values.Algorithm, in kdfTestInputs, capacity uint64, n int) []byte {
	t.Helper()
	var d Driver
	op, err := d.KeyDerivationSetup(alg, in)
	if err != nil {
		t.Fatalf("setup %v: %v", alg, err)
	}
	defer op.Abort()
	if capacity > 0 {
		if err := op.(driver.DerivationCapacitySetter).SetCapacity(capacity); err != nil {
			t.Fatalf("set capacity %d: %v", capacity, err)
		}
	}
	out := make([]byte, n)
	if err := op.OutputBytes(out); err != nil {
		t.Fatalf("output %d bytes of %v: %v", n, alg, err)
	}
	return out
}

func TestKDFHKDFRFC5869(t *testing.T) {
	for i, v := range kdfReadVectors(t, "rfc5869.txt") {
		t.Run(fmt.Sprintf("A.%d", i+1), func(t *testing.T) {
			h := kdfHashByName[v["hash"]]
			ikm, salt, info := kdfHex(t, v["ikm"]), kdfHex(t, v["salt"]), kdfHex(t, v["info"])
			prk, okm := kdfHex(t, v["prk"]), kdfHex(t, v["okm"])

			got := kdfDerive(t, values.AlgHKDF(h), kdfTestInputs{
				values.DerivationInputSalt:   kdfBytes(salt),
				values.DerivationInputSecret: kdfKey(values.KeyTypeDerive, ikm),
				values.DerivationInputInfo:   kdfBytes(info),
			}, 0, len(okm))
			if !bytes.Equal(got, okm) {
				t.Errorf("HKDF = %x, want %x", got, okm)
			}
			if len(salt) == 0 {
				// An omitted salt is HashLen zero bytes, like an empty one.
				got := kdfDerive(t, values.AlgHKDF(h), kdfTestInputs{
					values.DerivationInputSecret: kdfBytes(ikm),
					values.DerivationInputInfo:   kdfBytes(info),
				}, 0, len(okm))
				if !bytes.Equal(got, okm) {
					t.Errorf("HKDF without salt = %x, want %x", got, okm)
				}
			}
			got = kdfDerive(t, values.AlgHKDFExtract(h), kdfTestInputs{
				values.DerivationInputSalt:   kdfBytes(salt),
				values.DerivationInputSecret: kdfBytes(ikm),
			}, 0, len(prk))
			if !bytes.Equal(got, prk) {
				t.Errorf("HKDF-Extract = %x, want %x", got, prk)
			}
			got = kdfDerive(t, values.AlgHKDFExpand(h), kdfTestInputs{
				values.DerivationInputSecret: kdfKey(values.KeyTypeDerive, prk),
				values.DerivationInputInfo:   kdfKey(values.KeyTypeRawData, info),
			}, 0, len(okm))
			if !bytes.Equal(got, okm) {
				t.Errorf("HKDF-Expand = %x, want %x", got, okm)
			}
		})
	}
}

// The whole HKDF stream, 255 blocks, is crypto/hkdf's for every hash size.
func TestKDFHKDFFullStreamMatchesCryptoHKDF(t *testing.T) {
	for _, h := range []struct {
		alg values.Algorithm
		new func() hash.Hash
	}{{values.AlgSHA1, sha1.New}, {values.AlgSHA256, sha256.New}, {values.AlgSHA512, sha512.New}} {
		ikm, salt, info := []byte("input keying material"), []byte("salt"), []byte("info")
		n := 255 * h.new().Size()
		want, err := hkdf.Key(h.new, ikm, salt, string(info), n)
		if err != nil {
			t.Fatal(err)
		}
		got := kdfDerive(t, values.AlgHKDF(h.alg), kdfTestInputs{
			values.DerivationInputSalt:   kdfBytes(salt),
			values.DerivationInputSecret: kdfBytes(ikm),
			values.DerivationInputInfo:   kdfBytes(info),
		}, 0, n)
		if !bytes.Equal(got, want) {
			t.Errorf("%v: stream differs from crypto/hkdf.Key", h.alg)
		}
	}
}

// kdfSlow reports why a test with this iteration count is skipped.
func kdfSlow(cost uint64) string {
	const slow = 1 << 20
	switch {
	case cost < slow:
		return ""
	case testing.Short():
		return fmt.Sprintf("%d iterations: skipped in -short mode", cost)
	case kdfRaceEnabled:
		return fmt.Sprintf("%d iterations: skipped under the race detector", cost)
	}
	return ""
}

func TestKDFPBKDF2HMACVectors(t *testing.T) {
	for _, v := range kdfReadVectors(t, "pbkdf2_hmac.txt") {
		cost, _ := strconv.ParseUint(v["cost"], 10, 64)
		name := fmt.Sprintf("%s/%d/%s", v["hash"], cost, v["salt"])
		t.Run(name, func(t *testing.T) {
			if why := kdfSlow(cost); why != "" {
				t.Skip(why)
			}
			h := kdfHashByName[v["hash"]]
			pw, salt, dk := kdfHex(t, v["password"]), kdfHex(t, v["salt"]), kdfHex(t, v["dk"])
			got := kdfDerive(t, values.AlgPBKDF2HMAC(h), kdfTestInputs{
				values.DerivationInputCost:     kdfInt(cost),
				values.DerivationInputSalt:     kdfBytes(salt),
				values.DerivationInputPassword: kdfKey(values.KeyTypePassword, pw),
			}, 0, len(dk))
			if !bytes.Equal(got, dk) {
				t.Errorf("PBKDF2 = %x, want %x", got, dk)
			}
			if cost >= 1<<20 {
				return // the cross-check below would double a long run
			}
			// crypto/pbkdf2 agrees, so the vector file is read right.
			newHash := map[values.Algorithm]func() hash.Hash{values.AlgSHA1: sha1.New, values.AlgSHA256: sha256.New}[h]
			ref, err := pbkdf2.Key(newHash, string(pw), salt, int(cost), len(dk))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(ref, dk) {
				t.Errorf("crypto/pbkdf2 = %x, want %x", ref, dk)
			}
		})
	}
}

// PBKDF2's blocks are crypto/pbkdf2's well past the first block, for a
// hash whose size does not divide the read sizes.
func TestKDFPBKDF2MatchesCryptoPBKDF2(t *testing.T) {
	pw, salt := []byte("correct horse"), []byte("battery staple")
	const cost, n = 3, 10*48 + 7
	want, err := pbkdf2.Key(sha512.New384, string(pw), salt, cost, n)
	if err != nil {
		t.Fatal(err)
	}
	got := kdfDerive(t, values.AlgPBKDF2HMAC(values.AlgSHA384), kdfTestInputs{
		values.DerivationInputCost:     kdfInt(cost),
		values.DerivationInputSalt:     kdfKey(values.KeyTypePepper, salt),
		values.DerivationInputPassword: kdfBytes(pw),
	}, 0, n)
	if !bytes.Equal(got, want) {
		t.Errorf("PBKDF2-HMAC-SHA-384 differs from crypto/pbkdf2")
	}
}

func TestKDFAESCMACPRF128RFC4615(t *testing.T) {
	for _, v := range kdfReadVectors(t, "aes_cmac_prf_128.txt") {
		key := kdfHex(t, v["key"])
		prf, err := aesCMACPRF128(key)
		if err != nil {
			t.Fatal(err)
		}
		prf.Write(kdfHex(t, v["message"]))
		if got, want := prf.Sum(nil), kdfHex(t, v["prf"]); !bytes.Equal(got, want) {
			t.Errorf("AES-CMAC-PRF-128 with a %d-byte key = %x, want %x", len(key), got, want)
		}
	}
}

func TestKDFPBKDF2AESCMACPRF128(t *testing.T) {
	for _, v := range kdfReadVectors(t, "pbkdf2_aes_cmac_prf_128.txt") {
		cost, _ := strconv.ParseUint(v["cost"], 10, 64)
		dk := kdfHex(t, v["dk"])
		got := kdfDerive(t, values.AlgPBKDF2AESCMACPRF128, kdfTestInputs{
			values.DerivationInputCost:     kdfInt(cost),
			values.DerivationInputSalt:     kdfBytes(kdfHex(t, v["salt"])),
			values.DerivationInputPassword: kdfBytes(kdfHex(t, v["password"])),
		}, 0, len(dk))
		if !bytes.Equal(got, dk) {
			t.Errorf("PBKDF2-AES-CMAC-PRF-128 = %x, want %x", got, dk)
		}
	}
}

// kdfCAVPPRF returns the PRF of a CAVP KBKDF record.
func kdfCAVPPRF(t *testing.T, name string, key []byte) hash.Hash {
	t.Helper()
	switch name {
	case "CMAC_AES128", "CMAC_AES192", "CMAC_AES256":
		b, err := aes.NewCipher(key)
		if err != nil {
			t.Fatal(err)
		}
		m, err := cmac.New(b)
		if err != nil {
			t.Fatal(err)
		}
		return m
	case "HMAC_SHA256":
		return hmac.New(sha256.New, key)
	case "HMAC_SHA384":
		return hmac.New(sha512.New384, key)
	case "HMAC_SHA512":
		return hmac.New(sha512.New, key)
	}
	t.Fatalf("unknown PRF %s", name)
	return nil
}

// The counter loop against NIST's vectors, whose fixed input is free-form
// and so cannot be expressed as a PSA label and context: the generator is
// built with the CAVP fixed input directly.
func TestKDFSP800108CounterCAVP(t *testing.T) {
	for _, v := range kdfReadVectors(t, "sp800_108_counter_cavp.txt") {
		prf := kdfCAVPPRF(t, v["prf"], kdfHex(t, v["key"]))
		want := kdfHex(t, v["out"])
		g := &sp800108Counter{prf: prf, fixed: kdfHex(t, v["fixed"]), started: true, length: uint64(len(want))}
		op := &kdfOperation{alg: values.AlgSP800_108CounterCMAC, gen: g, limit: g.maxLen()}
		got := make([]byte, len(want))
		// Odd pieces: the blocks must join up.
		for off := 0; off < len(got); off += 7 {
			if err := op.OutputBytes(got[off:min(off+7, len(got))]); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s key %s: %x, want %x", v["prf"], v["key"], got, want)
		}
	}
}

// The specification's encoding of label, context and L, through the entry
// points, with the inputs given in each accepted form.
func TestKDFSP800108CounterPSA(t *testing.T) {
	for _, v := range kdfReadVectors(t, "sp800_108_counter_psa.txt") {
		key, label, context := kdfHex(t, v["key"]), kdfHex(t, v["label"]), kdfHex(t, v["context"])
		want := kdfHex(t, v["out"])
		var alg values.Algorithm
		var secrets []kdfInput
		if strings.HasPrefix(v["prf"], "CMAC") {
			alg = values.AlgSP800_108CounterCMAC
			secrets = []kdfInput{kdfKey(values.KeyTypeAES, key)}
		} else {
			alg = values.AlgSP800_108CounterHMAC(values.AlgSHA256)
			secrets = []kdfInput{kdfBytes(key), kdfKey(values.KeyTypeHMAC, key), kdfKey(values.KeyTypeDerive, key)}
		}
		for _, secret := range secrets {
			in := kdfTestInputs{values.DerivationInputSecret: secret}
			if len(label) > 0 {
				in[values.DerivationInputLabel] = kdfKey(values.KeyTypeRawData, label)
			}
			if len(context) > 0 {
				in[values.DerivationInputContext] = kdfBytes(context)
			}
			got := kdfDerive(t, alg, in, uint64(len(want)), len(want))
			if !bytes.Equal(got, want) {
				t.Errorf("%v key %x label %q context %q: %x, want %x", alg, key, label, context, got, want)
			}
		}
	}
}

// L enters every block: the same inputs with another capacity give
// another stream, and without SetCapacity the capacity is 2^29-1.
func TestKDFSP800108CapacityIsInput(t *testing.T) {
	in := kdfTestInputs{values.DerivationInputSecret: kdfBytes([]byte("key"))}
	alg := values.AlgSP800_108CounterHMAC(values.AlgSHA256)
	a := kdfDerive(t, alg, in, 32, 32)
	b := kdfDerive(t, alg, in, 64, 32)
	if bytes.Equal(a, b) {
		t.Error("capacity 32 and 64 give the same first block")
	}
	dflt := kdfDerive(t, alg, in, 0, 32)
	max := kdfDerive(t, alg, in, sp800108InitialCapacity, 32)
	if !bytes.Equal(dflt, max) {
		t.Error("without SetCapacity the output is not that of capacity 2^29-1")
	}
	// Check the first block by hand: HMAC(K, [1]_4 || 0x00 || [256]_4).
	m := hmac.New(sha256.New, []byte("key"))
	m.Write([]byte{0, 0, 0, 1, 0, 0, 0, 1, 0})
	if want := m.Sum(nil); !bytes.Equal(a, want) {
		t.Errorf("first block %x, want %x", a, want)
	}
}

// kdfStreamCases are derivations whose whole stream the split tests read.
func kdfStreamCases() []struct {
	name string
	alg  values.Algorithm
	in   kdfTestInputs
	cap  uint64 // capacity to set, 0 for none
	n    int    // bytes to read
} {
	secret := []byte("0123456789abcdef0123456789abcdef")
	return []struct {
		name string
		alg  values.Algorithm
		in   kdfTestInputs
		cap  uint64
		n    int
	}{
		{"HKDF-SHA-256", values.AlgHKDF(values.AlgSHA256), kdfTestInputs{
			values.DerivationInputSecret: kdfBytes(secret), values.DerivationInputInfo: kdfBytes([]byte("i"))}, 0, 255 * 32},
		{"HKDF-Expand-SHA-384", values.AlgHKDFExpand(values.AlgSHA384), kdfTestInputs{
			values.DerivationInputSecret: kdfBytes(bytes.Repeat(secret, 2)[:48]), values.DerivationInputInfo: kdfBytes(nil)}, 0, 1000},
		{"HKDF-Extract-SHA3-256", values.AlgHKDFExtract(values.AlgSHA3_256), kdfTestInputs{
			values.DerivationInputSalt: kdfBytes(nil), values.DerivationInputSecret: kdfBytes(secret)}, 0, 32},
		{"TLS12-PRF-SHA-256", values.AlgTLS12PRF(values.AlgSHA256), kdfTestInputs{
			values.DerivationInputSeed: kdfBytes([]byte("seed")), values.DerivationInputSecret: kdfBytes(secret),
			values.DerivationInputLabel: kdfBytes([]byte("key expansion"))}, 0, 1000},
		{"TLS12-PSK-to-MS-SHA-384", values.AlgTLS12PSKToMS(values.AlgSHA384), kdfTestInputs{
			values.DerivationInputSeed: kdfBytes([]byte("seed")), values.DerivationInputSecret: kdfBytes(secret),
			values.DerivationInputOtherSecret: kdfBytes([]byte("ecdh")),
			values.DerivationInputLabel:       kdfBytes([]byte("master secret"))}, 0, 200},
		{"PBKDF2-HMAC-SHA-1", values.AlgPBKDF2HMAC(values.AlgSHA1), kdfTestInputs{
			values.DerivationInputCost: kdfInt(3), values.DerivationInputSalt: kdfBytes([]byte("salt")),
			values.DerivationInputPassword: kdfBytes([]byte("pw"))}, 0, 333},
		{"PBKDF2-AES-CMAC-PRF-128", values.AlgPBKDF2AESCMACPRF128, kdfTestInputs{
			values.DerivationInputCost: kdfInt(2), values.DerivationInputSalt: kdfBytes([]byte("salt")),
			values.DerivationInputPassword: kdfBytes([]byte("pw"))}, 0, 333},
		{"SP800-108-HMAC-SHA-512", values.AlgSP800_108CounterHMAC(values.AlgSHA512), kdfTestInputs{
			values.DerivationInputSecret: kdfBytes(secret), values.DerivationInputLabel: kdfBytes([]byte("l")),
			values.DerivationInputContext: kdfBytes([]byte("c"))}, 700, 700},
		{"SP800-108-CMAC-ARIA", values.AlgSP800_108CounterCMAC, kdfTestInputs{
			values.DerivationInputSecret: kdfKey(values.KeyTypeARIA, secret[:24])}, 300, 300},
		{"SP800-108-CMAC-Camellia", values.AlgSP800_108CounterCMAC, kdfTestInputs{
			values.DerivationInputSecret: kdfKey(values.KeyTypeCamellia, secret)}, 300, 300},
	}
}

// The stream is the same however the output is split.
func TestKDFStreamSplitInvariant(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range kdfStreamCases() {
		t.Run(c.name, func(t *testing.T) {
			whole := kdfDerive(t, c.alg, c.in, c.cap, c.n)
			for trial := 0; trial < 20; trial++ {
				var d Driver
				op, err := d.KeyDerivationSetup(c.alg, c.in)
				if err != nil {
					t.Fatal(err)
				}
				if c.cap > 0 {
					if err := op.(driver.DerivationCapacitySetter).SetCapacity(c.cap); err != nil {
						t.Fatal(err)
					}
				}
				got := make([]byte, 0, c.n)
				var sizes []int
				for len(got) < c.n {
					k := rng.IntN(min(c.n-len(got), 100) + 1) // includes empty reads
					if trial == 0 {
						k = 1
					}
					part := make([]byte, k)
					if err := op.OutputBytes(part); err != nil {
						t.Fatalf("reads %v: %v", sizes, err)
					}
					sizes = append(sizes, k)
					got = append(got, part...)
				}
				if !bytes.Equal(got, whole) {
					t.Fatalf("reads %v give another stream", sizes)
				}
				// The stream ends where it should, without output.
				extra := []byte{0x5a}
				if err := op.OutputBytes(extra); c.cap > 0 || c.n == 255*32 || c.n == 32 {
					if !errors.Is(err, values.ErrInsufficientData) || extra[0] != 0x5a {
						t.Errorf("read past the end: %v, %x", err, extra)
					}
				}
				op.Abort()
			}
		})
	}
}

func TestKDFTLS12PSKPremasterSecret(t *testing.T) {
	psk := []byte{1, 2, 3}
	for _, c := range []struct {
		name  string
		other *kdfInput
		want  []byte
	}{
		{"plain PSK", nil, []byte{0, 3, 0, 0, 0, 0, 3, 1, 2, 3}},
		{"ECDHE-PSK", &kdfInput{kind: driver.InputBytes, data: []byte{9, 9}}, []byte{0, 2, 9, 9, 0, 3, 1, 2, 3}},
		{"DERIVE key", &kdfInput{kind: driver.InputKey, keyType: values.KeyTypeDerive, data: []byte{7}}, []byte{0, 1, 7, 0, 3, 1, 2, 3}},
		{"empty other secret", &kdfInput{kind: driver.InputBytes, data: []byte{}}, []byte{0, 0, 0, 3, 1, 2, 3}},
	} {
		in := kdfTestInputs{}
		if c.other != nil {
			in[values.DerivationInputOtherSecret] = *c.other
		}
		got, err := tls12PSKPremasterSecret(kdfInputs{alg: values.AlgTLS12PSKToMS(values.AlgSHA256), in: in}, psk)
		if err != nil || !bytes.Equal(got, c.want) {
			t.Errorf("%s: %x, %v; want %x", c.name, got, err, c.want)
		}
		// PSK-to-MS is the TLS 1.2 PRF keyed with that premaster secret.
		base := kdfTestInputs{
			values.DerivationInputSeed:   kdfBytes([]byte("seed")),
			values.DerivationInputLabel:  kdfBytes([]byte("master secret")),
			values.DerivationInputSecret: kdfBytes(psk),
		}
		if c.other != nil {
			base[values.DerivationInputOtherSecret] = *c.other
		}
		ms := kdfDerive(t, values.AlgTLS12PSKToMS(values.AlgSHA256), base, 0, 48)
		base[values.DerivationInputSecret] = kdfBytes(c.want)
		delete(base, values.DerivationInputOtherSecret)
		prf := kdfDerive(t, values.AlgTLS12PRF(values.AlgSHA256), base, 0, 48)
		if !bytes.Equal(ms, prf) {
			t.Errorf("%s: PSK-to-MS is not the PRF of the premaster secret", c.name)
		}
	}
}

func TestKDFECJPAKEToPMS(t *testing.T) {
	point := make([]byte, 65)
	point[0] = 4
	for i := 1; i < 65; i++ {
		point[i] = byte(i)
	}
	want := sha256.Sum256(point[1:33])
	var d Driver
	op, err := d.KeyDerivationSetup(values.AlgTLS12ECJPAKEToPMS, kdfTestInputs{values.DerivationInputSecret: kdfBytes(point)})
	if err != nil {
		t.Fatal(err)
	}
	if err := op.OutputBytes(make([]byte, 16)); !errors.Is(err, values.ErrInvalidArgument) {
		t.Errorf("16-byte read: %v, want INVALID_ARGUMENT", err)
	}
	got := make([]byte, 32)
	if err := op.OutputBytes(got); err != nil || !bytes.Equal(got, want[:]) {
		t.Errorf("PMS = %x, %v; want %x", got, err, want)
	}
	if err := op.OutputBytes(got); !errors.Is(err, values.ErrInsufficientData) {
		t.Errorf("second read: %v, want INSUFFICIENT_DATA", err)
	}
}

// Every error wraps the right status and explains itself.
func TestKDFSetupErrors(t *testing.T) {
	secret := kdfBytes([]byte("secret"))
	hkdf := func(in kdfTestInputs) kdfTestInputs { return in }
	for _, c := range []struct {
		name string
		alg  values.Algorithm
		in   kdfTestInputs
		want values.Status
		msg  string // part of the message
	}{
		{"not a KDF", values.AlgHMAC(values.AlgSHA256), nil, values.ErrInvalidArgument, "not a key-derivation algorithm"},
		{"unknown KDF", values.Algorithm(0x08000f00), nil, values.ErrNotSupported, "not supported"},
		{"unsupported hash", values.AlgHKDF(values.AlgSM3), hkdf(kdfTestInputs{values.DerivationInputSecret: secret}), values.ErrNotSupported, "SM3"},
		{"WPA3-SAE H2E", values.AlgWPA3SAEH2E(values.AlgSHA256), nil, values.ErrNotSupported, "WPA3-SAE"},
		{"missing secret", values.AlgHKDF(values.AlgSHA256), kdfTestInputs{values.DerivationInputInfo: kdfBytes(nil)}, values.ErrBadState, "missing"},
		{"missing info", values.AlgHKDF(values.AlgSHA256), kdfTestInputs{values.DerivationInputSecret: secret}, values.ErrBadState, "INFO"},
		{"secret as RAW_DATA key", values.AlgHKDF(values.AlgSHA256), kdfTestInputs{
			values.DerivationInputSecret: kdfKey(values.KeyTypeRawData, []byte("k")), values.DerivationInputInfo: kdfBytes(nil)},
			values.ErrInvalidArgument, "PSA_KEY_TYPE_DERIVE"},
		{"salt as DERIVE key", values.AlgHKDF(values.AlgSHA256), kdfTestInputs{
			values.DerivationInputSalt:   kdfKey(values.KeyTypeDerive, []byte("k")),
			values.DerivationInputSecret: secret, values.DerivationInputInfo: kdfBytes(nil)},
			values.ErrInvalidArgument, "PSA_KEY_TYPE_PEPPER"},
		{"secret as integer", values.AlgHKDF(values.AlgSHA256), kdfTestInputs{
			values.DerivationInputSecret: kdfInt(3), values.DerivationInputInfo: kdfBytes(nil)},
			values.ErrInvalidArgument, "not an integer"},
		{"HKDF-Expand short PRK", values.AlgHKDFExpand(values.AlgSHA256), kdfTestInputs{
			values.DerivationInputSecret: kdfBytes(make([]byte, 31)), values.DerivationInputInfo: kdfBytes(nil)},
			values.ErrInvalidArgument, "want 32"},
		{"PSK too long", values.AlgTLS12PSKToMS(values.AlgSHA256), kdfTestInputs{
			values.DerivationInputSeed: kdfBytes(nil), values.DerivationInputLabel: kdfBytes(nil),
			values.DerivationInputSecret: kdfBytes(make([]byte, values.TLS12PSKToMSPSKMaxSize+1))},
			values.ErrInvalidArgument, "at most 128"},
		{"other secret as RAW_DATA key", values.AlgTLS12PSKToMS(values.AlgSHA256), kdfTestInputs{
			values.DerivationInputSeed: kdfBytes(nil), values.DerivationInputLabel: kdfBytes(nil),
			values.DerivationInputSecret:      secret,
			values.DerivationInputOtherSecret: kdfKey(values.KeyTypeRawData, []byte{1})},
			values.ErrInvalidArgument, "OTHER_SECRET"},
		{"PBKDF2 cost 0", values.AlgPBKDF2HMAC(values.AlgSHA256), kdfTestInputs{
			values.DerivationInputCost: kdfInt(0), values.DerivationInputSalt: kdfBytes(nil), values.DerivationInputPassword: secret},
			values.ErrInvalidArgument, "at least 1"},
		{"PBKDF2 cost too high", values.AlgPBKDF2AESCMACPRF128, kdfTestInputs{
			values.DerivationInputCost: kdfInt(1 << 32), values.DerivationInputSalt: kdfBytes(nil), values.DerivationInputPassword: secret},
			values.ErrNotSupported, "limit"},
		{"PBKDF2 cost as bytes", values.AlgPBKDF2HMAC(values.AlgSHA256), kdfTestInputs{
			values.DerivationInputCost: kdfBytes([]byte{1}), values.DerivationInputSalt: kdfBytes(nil), values.DerivationInputPassword: secret},
			values.ErrInvalidArgument, "integer"},
		{"PBKDF2 no salt", values.AlgPBKDF2HMAC(values.AlgSHA256), kdfTestInputs{
			values.DerivationInputCost: kdfInt(1), values.DerivationInputPassword: secret},
			values.ErrBadState, "SALT"},
		{"PBKDF2 password as RAW_DATA", values.AlgPBKDF2HMAC(values.AlgSHA256), kdfTestInputs{
			values.DerivationInputCost: kdfInt(1), values.DerivationInputSalt: kdfBytes(nil),
			values.DerivationInputPassword: kdfKey(values.KeyTypeRawData, []byte("pw"))},
			values.ErrInvalidArgument, "PSA_KEY_TYPE_PASSWORD"},
		{"SP800-108 label with zero", values.AlgSP800_108CounterHMAC(values.AlgSHA256), kdfTestInputs{
			values.DerivationInputSecret: secret, values.DerivationInputLabel: kdfBytes([]byte("a\x00b"))},
			values.ErrInvalidArgument, "offset 1"},
		{"SP800-108 HMAC secret as AES key", values.AlgSP800_108CounterHMAC(values.AlgSHA256), kdfTestInputs{
			values.DerivationInputSecret: kdfKey(values.KeyTypeAES, make([]byte, 16))},
			values.ErrInvalidArgument, "PSA_KEY_TYPE_HMAC"},
		{"SP800-108 CMAC secret as bytes", values.AlgSP800_108CounterCMAC, kdfTestInputs{
			values.DerivationInputSecret: kdfBytes(make([]byte, 16))},
			values.ErrInvalidArgument, "not a direct input"},
		{"SP800-108 CMAC DERIVE key", values.AlgSP800_108CounterCMAC, kdfTestInputs{
			values.DerivationInputSecret: kdfKey(values.KeyTypeDerive, make([]byte, 16))},
			values.ErrInvalidArgument, "AES, ARIA, Camellia or SM4"},
		{"SP800-108 CMAC SM4", values.AlgSP800_108CounterCMAC, kdfTestInputs{
			values.DerivationInputSecret: kdfKey(values.KeyTypeSM4, make([]byte, 16))},
			values.ErrNotSupported, "SM4"},
		{"SP800-108 CMAC bad AES size", values.AlgSP800_108CounterCMAC, kdfTestInputs{
			values.DerivationInputSecret: kdfKey(values.KeyTypeAES, make([]byte, 17))},
			values.ErrInvalidArgument, "136-bit"},
		{"ECJPAKE short", values.AlgTLS12ECJPAKEToPMS, kdfTestInputs{values.DerivationInputSecret: kdfBytes(make([]byte, 64))},
			values.ErrInvalidArgument, "65 bytes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.in == nil {
				c.in = kdfTestInputs{}
			}
			var d Driver
			_, err := d.KeyDerivationSetup(c.alg, c.in)
			if !errors.Is(err, c.want) {
				t.Fatalf("error %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q does not say %q", err, c.msg)
			}
		})
	}
}

func TestKDFOperationStates(t *testing.T) {
	var d Driver
	in := kdfTestInputs{values.DerivationInputSecret: kdfBytes([]byte("k"))}
	op, err := d.KeyDerivationSetup(values.AlgSP800_108CounterHMAC(values.AlgSHA256), in)
	if err != nil {
		t.Fatal(err)
	}
	cs := op.(driver.DerivationCapacitySetter)
	if err := cs.SetCapacity(sp800108InitialCapacity + 1); !errors.Is(err, values.ErrInvalidArgument) {
		t.Errorf("capacity above 2^29-1: %v, want INVALID_ARGUMENT", err)
	}
	if err := cs.SetCapacity(40); err != nil {
		t.Fatal(err)
	}
	out := make([]byte, 41)
	if err := op.OutputBytes(out); !errors.Is(err, values.ErrInsufficientData) || out[0] != 0 {
		t.Errorf("41 of 40 bytes: %v (output %x), want INSUFFICIENT_DATA and no output", err, out[:4])
	}
	if err := op.OutputBytes(out[:8]); err != nil {
		t.Fatal(err)
	}
	if err := cs.SetCapacity(16); !errors.Is(err, values.ErrBadState) {
		t.Errorf("capacity after output: %v, want BAD_STATE", err)
	}
	if err := op.InputStep(values.DerivationInputLabel, []byte("x")); !errors.Is(err, values.ErrInvalidArgument) {
		t.Errorf("long input: %v, want INVALID_ARGUMENT", err)
	}
	if err := op.Abort(); err != nil {
		t.Fatal(err)
	}
	if err := op.OutputBytes(out[:1]); !errors.Is(err, values.ErrBadState) {
		t.Errorf("output after abort: %v, want BAD_STATE", err)
	}

	// For the other algorithms SetCapacity bounds the rest of the stream.
	op, err = d.KeyDerivationSetup(values.AlgTLS12PRF(values.AlgSHA256), kdfTestInputs{
		values.DerivationInputSeed: kdfBytes(nil), values.DerivationInputSecret: kdfBytes(nil), values.DerivationInputLabel: kdfBytes(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if err := op.OutputBytes(out[:10]); err != nil {
		t.Fatal(err)
	}
	if err := op.(driver.DerivationCapacitySetter).SetCapacity(5); err != nil {
		t.Fatal(err)
	}
	if err := op.OutputBytes(out[:6]); !errors.Is(err, values.ErrInsufficientData) {
		t.Errorf("6 bytes with 5 left: %v, want INSUFFICIENT_DATA", err)
	}
	if err := op.OutputBytes(out[:5]); err != nil {
		t.Errorf("5 bytes with 5 left: %v", err)
	}
}

// One Driver serves concurrent derivations (run with -race).
func TestKDFConcurrentSetups(t *testing.T) {
	var d Driver
	cases := kdfStreamCases()
	want := make([][]byte, len(cases))
	for i, c := range cases {
		want[i] = kdfDerive(t, c.alg, c.in, c.cap, min(c.n, 64))
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, c := range cases {
				op, err := d.KeyDerivationSetup(c.alg, c.in)
				if err != nil {
					t.Error(err)
					return
				}
				if c.cap > 0 {
					op.(driver.DerivationCapacitySetter).SetCapacity(c.cap)
				}
				got := make([]byte, len(want[i]))
				if err := op.OutputBytes(got); err != nil || !bytes.Equal(got, want[i]) {
					t.Errorf("%s: concurrent output differs (%v)", c.name, err)
				}
				op.Abort()
			}
		}()
	}
	wg.Wait()
}

// Setup and output never panic, whatever the inputs and their forms.
func FuzzKDFSetup(f *testing.F) {
	algs := []values.Algorithm{
		values.AlgHKDF(values.AlgSHA256), values.AlgHKDFExtract(values.AlgSHA1), values.AlgHKDFExpand(values.AlgSHA512),
		values.AlgTLS12PRF(values.AlgSHA384), values.AlgTLS12PSKToMS(values.AlgSHA256), values.AlgTLS12ECJPAKEToPMS,
		values.AlgPBKDF2HMAC(values.AlgSHA256), values.AlgPBKDF2AESCMACPRF128,
		values.AlgSP800_108CounterHMAC(values.AlgSHA256), values.AlgSP800_108CounterCMAC,
	}
	steps := []values.DerivationStep{
		values.DerivationInputSecret, values.DerivationInputOtherSecret, values.DerivationInputPassword,
		values.DerivationInputLabel, values.DerivationInputSalt, values.DerivationInputInfo,
		values.DerivationInputSeed, values.DerivationInputCost, values.DerivationInputContext,
	}
	keyTypes := []values.KeyType{values.KeyTypeDerive, values.KeyTypeRawData, values.KeyTypePassword,
		values.KeyTypePepper, values.KeyTypeHMAC, values.KeyTypeAES, values.KeyTypeSM4, values.KeyTypeDES}
	f.Add(uint8(0), []byte{0x07, 0x12, 0x34, 0x56, 0x78}, uint16(40))
	f.Add(uint8(9), []byte{0x00, 0x10, 0x0f, 0x01, 0x02}, uint16(100))
	f.Fuzz(func(t *testing.T, a uint8, spec []byte, n uint16) {
		alg := algs[int(a)%len(algs)]
		in := kdfTestInputs{}
		// Each input: a byte choosing step and form, a length byte, data.
		for len(spec) >= 2 {
			c, l := spec[0], int(spec[1])
			spec = spec[2:]
			l = min(l, len(spec))
			data := spec[:l]
			spec = spec[l:]
			step := steps[int(c)%len(steps)]
			switch c >> 6 {
			case 0, 1:
				in[step] = kdfBytes(data)
			case 2:
				in[step] = kdfKey(keyTypes[int(c>>3)%len(keyTypes)], data)
			default:
				in[step] = kdfInt(kdfBinaryString(data) % 4) // keep PBKDF2 cheap
			}
		}
		var d Driver
		op, err := d.KeyDerivationSetup(alg, in)
		if err != nil {
			var s values.Status
			if !errors.As(err, &s) {
				t.Fatalf("error without a status: %v", err)
			}
			return
		}
		if cs, ok := op.(driver.DerivationCapacitySetter); ok {
			cs.SetCapacity(uint64(n))
		}
		op.OutputBytes(make([]byte, int(n)%300))
		op.Abort()
	})
}
