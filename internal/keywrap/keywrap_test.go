package keywrap

import (
	"bufio"
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
)

// readVectors parses a testdata file of lines "name=hex name=hex ...";
// lines starting with # are comments.
func readVectors(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vs []map[string]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		v := map[string]string{}
		for _, field := range strings.Fields(line) {
			k, val, ok := strings.Cut(field, "=")
			if !ok {
				t.Fatalf("%s: malformed field %q", path, field)
			}
			v[k] = val
		}
		vs = append(vs, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatalf("%s: no vectors", path)
	}
	return vs
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newAES(t testing.TB, key []byte) cipher.Block {
	t.Helper()
	b, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type wrapFunc func(cipher.Block, []byte, []byte) ([]byte, error)

func modeFuncs(t *testing.T, mode string) (wrapFunc, wrapFunc) {
	switch mode {
	case "kw":
		return Wrap, Unwrap
	case "kwp":
		return WrapPad, UnwrapPad
	}
	t.Fatalf("unknown mode %q", mode)
	return nil, nil
}

func TestVectors(t *testing.T) {
	for _, v := range readVectors(t, "testdata/vectors.txt") {
		t.Run(v["src"], func(t *testing.T) {
			b := newAES(t, unhex(t, v["key"]))
			wrap, unwrap := modeFuncs(t, v["mode"])
			ct := unhex(t, v["ct"])
			if v["fail"] != "" {
				got, err := unwrap(b, nil, ct)
				if err != ErrUnwrap || got != nil {
					t.Fatalf("unwrap = %x, %v; want nil, ErrUnwrap", got, err)
				}
				return
			}
			pt := unhex(t, v["pt"])
			got, err := wrap(b, nil, pt)
			if err != nil || !bytes.Equal(got, ct) {
				t.Errorf("wrap = %x, %v; want %x", got, err, ct)
			}
			got, err = unwrap(b, nil, ct)
			if err != nil || !bytes.Equal(got, pt) {
				t.Errorf("unwrap = %x, %v; want %x", got, err, pt)
			}
			// Appending to a prefix, and in place over the input.
			prefix := []byte("prefix")
			got, err = wrap(b, prefix, pt)
			if err != nil || !bytes.Equal(got[:6], prefix) || !bytes.Equal(got[6:], ct) {
				t.Errorf("wrap with prefix = %x, %v", got, err)
			}
			buf := make([]byte, len(ct)+16)
			copy(buf, pt)
			got, err = wrap(b, buf[:0], buf[:len(pt)])
			if err != nil || !bytes.Equal(got, ct) {
				t.Errorf("in-place wrap = %x, %v; want %x", got, err, ct)
			}
			got, err = unwrap(b, buf[:0], buf[:len(ct)])
			if err != nil || !bytes.Equal(got, pt) {
				t.Errorf("in-place unwrap = %x, %v; want %x", got, err, pt)
			}
		})
	}
}

// TestTamper flips every bit of published ciphertexts: each must fail the
// integrity check and leave nothing in the output buffer.
func TestTamper(t *testing.T) {
	for _, v := range readVectors(t, "testdata/vectors.txt") {
		if v["fail"] != "" {
			continue
		}
		b := newAES(t, unhex(t, v["key"]))
		_, unwrap := modeFuncs(t, v["mode"])
		ct := unhex(t, v["ct"])
		for i := 0; i < len(ct)*8; i++ {
			bad := bytes.Clone(ct)
			bad[i/8] ^= 1 << (i % 8)
			dst := make([]byte, 0, len(ct))
			got, err := unwrap(b, dst, bad)
			if err != ErrUnwrap || got != nil {
				t.Fatalf("%s bit %d: unwrap = %x, %v; want ErrUnwrap", v["src"], i, got, err)
			}
			if spare := dst[:cap(dst)]; !bytes.Equal(spare, make([]byte, len(spare))) {
				t.Fatalf("%s bit %d: unwrapped data left in dst: %x", v["src"], i, spare)
			}
		}
	}
}

// sealKWP builds a KWP ciphertext around an arbitrary first semiblock and
// padded plaintext, to reach the checks that an honest WrapPad never fails.
func sealKWP(b cipher.Block, a [8]byte, padded []byte) []byte {
	out := append(a[:], padded...)
	if len(padded) == 8 {
		b.Encrypt(out, out)
	} else {
		wrap(b, out)
	}
	return out
}

func TestUnwrapPadChecks(t *testing.T) {
	b := newAES(t, make([]byte, 16))
	aiv := func(prefix [4]byte, mli uint32) [8]byte {
		var a [8]byte
		copy(a[:], prefix[:])
		binary.BigEndian.PutUint32(a[4:], mli)
		return a
	}
	good := [4]byte{0xa6, 0x59, 0x59, 0xa6}
	tests := []struct {
		name   string
		a      [8]byte
		padded []byte
		want   []byte // nil: ErrUnwrap
	}{
		{"valid 5 of 8", aiv(good, 5), []byte{1, 2, 3, 4, 5, 0, 0, 0}, []byte{1, 2, 3, 4, 5}},
		{"valid 8 of 8", aiv(good, 8), []byte{1, 2, 3, 4, 5, 6, 7, 8}, []byte{1, 2, 3, 4, 5, 6, 7, 8}},
		{"valid 9 of 16", aiv(good, 9), append(bytes.Repeat([]byte{7}, 9), 0, 0, 0, 0, 0, 0, 0), bytes.Repeat([]byte{7}, 9)},
		{"wrong prefix", aiv([4]byte{0xa6, 0xa6, 0xa6, 0xa6}, 8), make([]byte, 8), nil},
		{"length zero", aiv(good, 0), make([]byte, 8), nil},
		{"length beyond data", aiv(good, 9), make([]byte, 8), nil},
		{"length a semiblock short", aiv(good, 8), make([]byte, 16), nil},
		{"length huge", aiv(good, 0xffffffff), make([]byte, 16), nil},
		{"nonzero padding", aiv(good, 5), []byte{1, 2, 3, 4, 5, 0, 1, 0}, nil},
		{"nonzero last padding byte", aiv(good, 9), append(bytes.Repeat([]byte{7}, 9), 0, 0, 0, 0, 0, 0, 1), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := sealKWP(b, tt.a, tt.padded)
			got, err := UnwrapPad(b, nil, ct)
			if tt.want == nil {
				if err != ErrUnwrap || got != nil {
					t.Errorf("UnwrapPad = %x, %v; want ErrUnwrap", got, err)
				}
				return
			}
			if err != nil || !bytes.Equal(got, tt.want) {
				t.Errorf("UnwrapPad = %x, %v; want %x", got, err, tt.want)
			}
		})
	}
}

func TestLengthErrors(t *testing.T) {
	b := newAES(t, make([]byte, 16))
	tests := []struct {
		name string
		f    wrapFunc
		n    int
	}{
		{"Wrap 0", Wrap, 0},
		{"Wrap 8", Wrap, 8},
		{"Wrap 17", Wrap, 17},
		{"Wrap 21", Wrap, 21},
		{"Unwrap 0", Unwrap, 0},
		{"Unwrap 16", Unwrap, 16},
		{"Unwrap 26", Unwrap, 26},
		{"WrapPad 0", WrapPad, 0},
		{"UnwrapPad 0", UnwrapPad, 0},
		{"UnwrapPad 8", UnwrapPad, 8},
		{"UnwrapPad 22", UnwrapPad, 22},
	}
	for _, tt := range tests {
		got, err := tt.f(b, nil, make([]byte, tt.n))
		if !errors.Is(err, ErrLength) || got != nil {
			t.Errorf("%s: %x, %v; want an ErrLength error", tt.name, got, err)
		}
	}
}

type desLikeBlock struct{}

func (desLikeBlock) BlockSize() int          { return 8 }
func (desLikeBlock) Encrypt(dst, src []byte) { copy(dst, src[:8]) }
func (desLikeBlock) Decrypt(dst, src []byte) { copy(dst, src[:8]) }

func TestBlockSizeError(t *testing.T) {
	for name, f := range map[string]wrapFunc{"Wrap": Wrap, "Unwrap": Unwrap, "WrapPad": WrapPad, "UnwrapPad": UnwrapPad} {
		if _, err := f(desLikeBlock{}, nil, make([]byte, 32)); !errors.Is(err, ErrBlockSize) {
			t.Errorf("%s with an 8-byte block: %v, want ErrBlockSize", name, err)
		}
	}
}

func TestRoundTripLengths(t *testing.T) {
	b := newAES(t, bytes.Repeat([]byte{0x42}, 32))
	for n := 1; n <= 80; n++ {
		pt := make([]byte, n)
		for i := range pt {
			pt[i] = byte(i * 13)
		}
		ct, err := WrapPad(b, nil, pt)
		if err != nil || len(ct) != (n+7)/8*8+8 {
			t.Fatalf("WrapPad(%d bytes) = %d bytes, %v", n, len(ct), err)
		}
		got, err := UnwrapPad(b, nil, ct)
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("UnwrapPad round trip of %d bytes = %x, %v", n, got, err)
		}
		if n%8 == 0 && n >= 16 {
			ct, err := Wrap(b, nil, pt)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Unwrap(b, nil, ct)
			if err != nil || !bytes.Equal(got, pt) {
				t.Fatalf("Unwrap round trip of %d bytes = %x, %v", n, got, err)
			}
		}
	}
}

func TestConcurrent(t *testing.T) {
	v := readVectors(t, "testdata/vectors.txt")[5]
	b := newAES(t, unhex(t, v["key"]))
	pt, ct := unhex(t, v["pt"]), unhex(t, v["ct"])
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				got, err := Wrap(b, nil, pt)
				if err != nil || !bytes.Equal(got, ct) {
					t.Error("concurrent Wrap mismatch")
					return
				}
				got, err = Unwrap(b, nil, ct)
				if err != nil || !bytes.Equal(got, pt) {
					t.Error("concurrent Unwrap mismatch")
					return
				}
			}
		}()
	}
	wg.Wait()
}

func FuzzUnwrap(f *testing.F) {
	f.Add(make([]byte, 24), false)
	f.Add(make([]byte, 16), true)
	f.Add(bytes.Repeat([]byte{0xa6}, 40), true)
	b, _ := aes.NewCipher(make([]byte, 16))
	f.Fuzz(func(t *testing.T, ct []byte, pad bool) {
		unwrap := Unwrap
		if pad {
			unwrap = UnwrapPad
		}
		got, err := unwrap(b, nil, ct)
		if err != nil {
			if got != nil {
				t.Fatalf("error %v with output %x", err, got)
			}
			if err != ErrUnwrap && !errors.Is(err, ErrLength) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		// Anything that unwraps must wrap back to the same bytes.
		wrap := Wrap
		if pad {
			wrap = WrapPad
		}
		again, err := wrap(b, nil, got)
		if err != nil || !bytes.Equal(again, ct) {
			t.Fatalf("rewrap = %x, %v; want %x", again, err, ct)
		}
	})
}

func benchmarkWrap(b *testing.B, n int, unwrap bool) {
	blk, _ := aes.NewCipher(make([]byte, 32))
	pt := make([]byte, n)
	ct, _ := Wrap(blk, nil, pt)
	out := make([]byte, 0, n+8)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		if unwrap {
			Unwrap(blk, out[:0], ct)
		} else {
			Wrap(blk, out[:0], pt)
		}
	}
}

func BenchmarkWrap32(b *testing.B)   { benchmarkWrap(b, 32, false) }
func BenchmarkUnwrap32(b *testing.B) { benchmarkWrap(b, 32, true) }
