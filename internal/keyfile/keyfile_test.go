package keyfile

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gopsa/psa/storage"
	"github.com/gopsa/psa/values"
)

// The test data comes from TF-PSA-Crypto's test suites, kept beside the
// main checkout.
func testsuitesDir() string {
	if d := os.Getenv("GOPSA_TESTSUITES"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "testsuites")
}

type dataCase struct {
	desc string
	fn   string
	args []string
}

// readData returns the cases of a .data file that call one of fns.
func readData(t *testing.T, name string, fns ...string) []dataCase {
	t.Helper()
	path := filepath.Join(testsuitesDir(), "mbedtls", name)
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("TF-PSA-Crypto test data not available (%v); set GOPSA_TESTSUITES", err)
	}
	defer f.Close()
	var cases []dataCase
	var desc string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			desc = ""
		case strings.HasPrefix(line, "depends_on:"):
		case desc == "":
			desc = line
		default:
			fields := strings.Split(line, ":")
			for _, fn := range fns {
				if fields[0] == fn {
					cases = append(cases, dataCase{desc: desc, fn: fn, args: fields[1:]})
				}
			}
			desc = ""
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatalf("%s: no %v cases", path, fns)
	}
	return cases
}

// mbedtlsOnly are the names of the test data that are Mbed TLS's, not
// the Crypto API's: the algorithm categories (appendix B.1.1), which the
// persistent key test data uses as algorithms.
var mbedtlsOnly = map[string]values.Algorithm{
	"PSA_ALG_CATEGORY_SIGN":                  0x06000000,
	"PSA_ALG_CATEGORY_ASYMMETRIC_ENCRYPTION": 0x07000000,
}

func parseAlg(s string) (values.Algorithm, error) {
	if a, ok := mbedtlsOnly[strings.TrimSpace(s)]; ok {
		return a, nil
	}
	return values.ParseAlgorithm(s)
}

func argHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Trim(s, `"`))
	if err != nil {
		t.Fatalf("bad hex argument %q: %v", s, err)
	}
	return b
}

// keyFromArgs evaluates the lifetime, type, bits, usage, alg and alg2
// arguments of a test case with the values package's parsers.
func keyFromArgs(args []string) (Key, error) {
	lifetime, err := values.ParseLifetime(args[0])
	if err != nil {
		return Key{}, err
	}
	typ, err := values.ParseKeyType(args[1])
	if err != nil {
		return Key{}, err
	}
	bits, err := strconv.ParseUint(strings.TrimSpace(args[2]), 0, 16)
	if err != nil {
		return Key{}, err
	}
	usage, err := values.ParseKeyUsage(args[3])
	if err != nil {
		return Key{}, err
	}
	alg, err := parseAlg(args[4])
	if err != nil {
		return Key{}, err
	}
	alg2, err := parseAlg(args[5])
	if err != nil {
		return Key{}, err
	}
	return Key{Lifetime: lifetime, Type: typ, Bits: values.KeyBits(bits), Usage: usage, Alg: alg, Alg2: alg2}, nil
}

func sameKey(a, b Key) bool {
	return a.Lifetime == b.Lifetime && a.Type == b.Type && a.Bits == b.Bits && a.Usage == b.Usage &&
		a.Alg == b.Alg && a.Alg2 == b.Alg2 && bytes.Equal(a.Material, b.Material)
}

// TestPersistentKeySuite runs format_storage_data_check and
// parse_storage_data_check of test_suite_psa_crypto_persistent_key.data.
func TestPersistentKeySuite(t *testing.T) {
	cases := readData(t, "test_suite_psa_crypto_persistent_key.data",
		"format_storage_data_check", "parse_storage_data_check")
	if len(cases) < 9 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.desc, func(t *testing.T) {
			switch c.fn {
			case "format_storage_data_check":
				// material, expected file, lifetime, type, bits, usage, alg, alg2
				k, err := keyFromArgs(c.args[2:])
				if err != nil {
					t.Fatal(err)
				}
				k.Material = argHex(t, c.args[0])
				got, err := Encode(&k)
				if err != nil {
					t.Fatal(err)
				}
				if want := argHex(t, c.args[1]); !bytes.Equal(got, want) {
					t.Fatalf("Encode = %x\nwant     %x", got, want)
				}
			case "parse_storage_data_check":
				// file, expected material, lifetime, type, bits, usage, alg, alg2, status
				k, err := Decode(argHex(t, c.args[0]))
				if status := c.args[8]; status != "PSA_SUCCESS" {
					want := map[string]error{"PSA_ERROR_DATA_INVALID": values.ErrDataInvalid}[status]
					if want == nil {
						t.Fatalf("unexpected status %s in test data", status)
					}
					if !errors.Is(err, want) {
						t.Fatalf("Decode error %v, want %v", err, status)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				want, err := keyFromArgs(c.args[2:])
				if err != nil {
					t.Fatal(err)
				}
				want.Material = argHex(t, c.args[1])
				if !sameKey(k, want) {
					t.Fatalf("Decode = %+v\nwant     %+v", k, want)
				}
			}
		})
	}
}

// TestStorageFormatSave checks Encode against the key_storage_save cases
// of the current storage format: the exact bytes TF-PSA-Crypto stores.
func TestStorageFormatSave(t *testing.T) {
	var cases []dataCase
	for _, name := range []string{"test_suite_psa_crypto_storage_format.current.data", "test_suite_psa_crypto_storage_format.misc.data"} {
		cases = append(cases, readData(t, name, "key_storage_save")...)
	}
	for _, c := range cases {
		// lifetime, type, bits, usage, alg, alg2, material, representation
		k, err := keyFromArgs(c.args)
		if err != nil {
			t.Errorf("%s: %v", c.desc, err)
			continue
		}
		// The C core stores the usage with its implied flags.
		k.Usage = k.Usage.WithImplied()
		k.Material = argHex(t, c.args[6])
		want := argHex(t, c.args[7])
		got, err := Encode(&k)
		if err != nil {
			t.Errorf("%s: Encode: %v", c.desc, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: Encode = %x\nwant %x", c.desc, got, want)
		}
		back, err := Decode(want)
		if err != nil || !sameKey(back, k) {
			t.Errorf("%s: Decode = %+v, %v\nwant %+v", c.desc, back, err, k)
		}
	}
	t.Logf("%d key_storage_save cases", len(cases))
	if len(cases) < 1000 {
		t.Errorf("only %d key_storage_save cases found", len(cases))
	}
}

// TestStorageFormatRead decodes the key files of the key_storage_read
// cases: files that earlier versions wrote and that must still load.
func TestStorageFormatRead(t *testing.T) {
	cases := readData(t, "test_suite_psa_crypto_storage_format.v0.data", "key_storage_read")
	checked := 0
	for _, c := range cases {
		// lifetime, type, bits, usage, alg, alg2, material, representation, flags
		if strings.Contains(c.args[8], "OVERSIZED") {
			continue // the C test builds those files itself
		}
		want, err := keyFromArgs(c.args)
		if err != nil {
			t.Errorf("%s: %v", c.desc, err)
			continue
		}
		want.Material = argHex(t, c.args[6])
		got, err := Decode(argHex(t, c.args[7]))
		if err != nil {
			t.Errorf("%s: Decode: %v", c.desc, err)
			continue
		}
		// Files from before the usage extension rule lack the implied
		// flags; the core adds them on load, as the C core does.
		got.Usage, want.Usage = got.Usage.WithImplied(), want.Usage.WithImplied()
		if !sameKey(got, want) {
			t.Errorf("%s: Decode = %+v\nwant %+v", c.desc, got, want)
		}
		checked++
	}
	t.Logf("%d of %d key_storage_read cases checked", checked, len(cases))
	if checked < 1000 {
		t.Errorf("only %d of %d key_storage_read cases checked", checked, len(cases))
	}
}

func TestDecodeErrors(t *testing.T) {
	good, err := Encode(&Key{Lifetime: 1, Type: 0x2400, Bits: 128, Usage: 0x300, Alg: 0x05500200, Material: bytes.Repeat([]byte{7}, 16)})
	if err != nil {
		t.Fatal(err)
	}
	mod := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	tests := []struct {
		name string
		data []byte
		msg  string
	}{
		{"empty", nil, "too short"},
		{"header only", good[:HeaderSize], "past the end"},
		{"short header", good[:HeaderSize-1], "too short"},
		{"bad magic", mod(func(b []byte) []byte { b[3] = 1; return b }), "not a key file"},
		{"ITS magic", mod(func(b []byte) []byte { copy(b, "PSA\x00ITS\x00"); return b }), "not a key file"},
		{"version 1", mod(func(b []byte) []byte { b[8] = 1; return b }), "version 1"},
		{"truncated material", good[:len(good)-1], "past the end"},
		{"trailing byte", append(bytes.Clone(good), 0), "1 bytes of trailing data"},
		{"no material", mod(func(b []byte) []byte { b[32] = 0; return b[:HeaderSize] }), "no key material"},
		{"material too large", mod(func(b []byte) []byte {
			b[32], b[33] = 0x00, 0x20 // 8192
			return append(b[:HeaderSize], make([]byte, 8192)...)
		}), "more than a key file holds"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, err := Decode(tc.data)
			if !errors.Is(err, values.ErrDataInvalid) {
				t.Fatalf("Decode error %v, want PSA_ERROR_DATA_INVALID", err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not say %q", err, tc.msg)
			}
			if k.Material != nil {
				t.Errorf("failed Decode returned material")
			}
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	_, err := Encode(&Key{Type: 0x1001})
	if !errors.Is(err, values.ErrInvalidArgument) {
		t.Errorf("Encode without material: %v, want PSA_ERROR_INVALID_ARGUMENT", err)
	}
	_, err = Encode(&Key{Type: 0x1001, Material: make([]byte, MaxMaterialSize+1)})
	if !errors.Is(err, values.ErrInsufficientStorage) {
		t.Errorf("Encode of oversized material: %v, want PSA_ERROR_INSUFFICIENT_STORAGE", err)
	}
	if _, err := Encode(&Key{Type: 0x1001, Material: make([]byte, MaxMaterialSize)}); err != nil {
		t.Errorf("Encode of MaxMaterialSize bytes: %v", err)
	}
	prefix := []byte("prefix")
	out, err := Append(prefix, &Key{Material: []byte{1}})
	if err != nil || !bytes.HasPrefix(out, prefix) || len(out) != len(prefix)+HeaderSize+1 {
		t.Errorf("Append = %x, %v", out, err)
	}
}

func TestDecodeCopiesMaterial(t *testing.T) {
	data, err := Encode(&Key{Material: []byte("secret")})
	if err != nil {
		t.Fatal(err)
	}
	k, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	clear(data)
	if string(k.Material) != "secret" {
		t.Fatalf("Material aliases the file buffer: %q", k.Material)
	}
}

func FuzzDecode(f *testing.F) {
	seed, _ := Encode(&Key{Lifetime: 1, Type: 0x2400, Bits: 128, Usage: 0x300, Alg: 0x05500200, Material: make([]byte, 16)})
	f.Add(seed)
	f.Add([]byte(Magic))
	f.Add(append([]byte(Magic), make([]byte, 28)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := Decode(data)
		if err != nil {
			if !errors.Is(err, values.ErrDataInvalid) {
				t.Fatalf("Decode error without PSA_ERROR_DATA_INVALID: %v", err)
			}
			return
		}
		// Whatever decodes re-encodes to the same bytes.
		again, err := Encode(&k)
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("Encode(Decode(%x)) = %x, %v", data, again, err)
		}
	})
}

func FuzzRoundTrip(f *testing.F) {
	f.Add(uint32(1), uint16(0x2400), uint16(128), uint32(0x300), uint32(0x05500200), uint32(0), []byte("0123456789abcdef"))
	f.Add(uint32(0x80000101), uint16(0x7001), uint16(2048), uint32(0x3c01), uint32(0x06000209), uint32(0x06000309), []byte{1})
	f.Fuzz(func(t *testing.T, lifetime uint32, typ, bits uint16, usage, alg, alg2 uint32, material []byte) {
		k := Key{values.Lifetime(lifetime), values.KeyType(typ), values.KeyBits(bits),
			values.KeyUsage(usage), values.Algorithm(alg), values.Algorithm(alg2), material}
		data, err := Encode(&k)
		if len(material) == 0 || len(material) > MaxMaterialSize {
			if err == nil {
				t.Fatalf("Encode accepted %d bytes of material", len(material))
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(data) != HeaderSize+len(material) {
			t.Fatalf("encoded %d bytes, want %d", len(data), HeaderSize+len(material))
		}
		back, err := Decode(data)
		if err != nil || !sameKey(back, k) {
			t.Fatalf("Decode(Encode(%+v)) = %+v, %v", k, back, err)
		}
	})
}

func TestUIDMapping(t *testing.T) {
	tests := []struct {
		id  values.KeyID
		ok  bool
		uid uint64
	}{
		{0, false, 0},
		{1, true, 1},
		{0x3fffffff, true, 0x3fffffff},
		{0x40000000, true, 0x40000000},
		{0x7fffffff, true, 0x7fffffff},
		{0x80000000, false, 0},
		{0xffffff52, false, 0},
		{0xffffffff, false, 0},
	}
	for _, tc := range tests {
		uid, err := UID(tc.id)
		if tc.ok != (err == nil) || uint64(uid) != tc.uid {
			t.Errorf("UID(%#x) = %v, %v", uint32(tc.id), uid, err)
			continue
		}
		if !tc.ok {
			if !errors.Is(err, values.ErrInvalidArgument) {
				t.Errorf("UID(%#x) error %v, want PSA_ERROR_INVALID_ARGUMENT", uint32(tc.id), err)
			}
			continue
		}
		if id, ok := KeyID(uid); !ok || id != tc.id {
			t.Errorf("KeyID(%v) = %#x, %v", uid, uint32(id), ok)
		}
	}
	for _, uid := range []uint64{0, uint64(RandomSeedUID), uint64(TransactionUID), uint64(ReservedUIDMin), 1 << 32, 0x80000000} {
		if id, ok := KeyID(storage.UID(uid)); ok {
			t.Errorf("KeyID(%#x) = %#x, want not a key file", uid, uint32(id))
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	k := Key{Lifetime: 1, Type: 0x2400, Bits: 256, Usage: 0x300, Alg: 0x05500200, Material: make([]byte, 32)}
	buf := make([]byte, 0, HeaderSize+32)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Append(buf[:0], &k); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	data, _ := Encode(&Key{Lifetime: 1, Type: 0x2400, Bits: 256, Usage: 0x300, Alg: 0x05500200, Material: make([]byte, 32)})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}
