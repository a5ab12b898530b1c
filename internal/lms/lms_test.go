package lms

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
)

type vector struct {
	name          string
	pub, msg, sig []byte
}

// readVectors reads testdata/rfc8554.txt: the test cases of RFC 8554
// Appendix F, whose messages end with a newline.
func readVectors(t testing.TB) []vector {
	t.Helper()
	f, err := os.Open("testdata/rfc8554.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vs []vector
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ": ")
		if !ok || strings.HasPrefix(k, "#") {
			continue
		}
		switch k {
		case "name":
			vs = append(vs, vector{name: v})
		case "msg":
			vs[len(vs)-1].msg = []byte(v + "\n")
		case "pub", "sig":
			b, err := hex.DecodeString(v)
			if err != nil {
				t.Fatalf("%s: %v", k, err)
			}
			if k == "pub" {
				vs[len(vs)-1].pub = b
			} else {
				vs[len(vs)-1].sig = b
			}
		}
	}
	if len(vs) != 2 {
		t.Fatalf("read %d test cases, want 2", len(vs))
	}
	return vs
}

func TestRFC8554Vectors(t *testing.T) {
	for _, v := range readVectors(t) {
		t.Run(v.name, func(t *testing.T) {
			if err := VerifyHSS(v.pub, v.msg, v.sig); err != nil {
				t.Fatalf("VerifyHSS: %v", err)
			}
			// The last LMS signature of the HSS signature is a plain LMS
			// signature by the last signed public key: verify it alone.
			rest := v.sig[4:]
			sn, _ := lmsSignatureLength(rest)
			pn, _ := publicKeyLength(rest[sn:])
			child := rest[sn : sn+pn]
			if err := VerifyLMS(child, v.msg, rest[sn+pn:]); err != nil {
				t.Errorf("VerifyLMS on the second level: %v", err)
			}
		})
	}
}

func TestRejections(t *testing.T) {
	v := readVectors(t)[0]
	flip := func(b []byte, i int) []byte {
		c := append([]byte(nil), b...)
		c[i] ^= 1
		return c
	}
	tests := []struct {
		name          string
		pub, msg, sig []byte
	}{
		{"message changed", v.pub, flip(v.msg, 0), v.sig},
		{"C changed", v.pub, v.msg, flip(v.sig, 12)},
		{"y changed", v.pub, v.msg, flip(v.sig, 100)},
		{"path changed", v.pub, v.msg, flip(v.sig, len(v.sig)-1)},
		{"root changed", flip(v.pub, len(v.pub)-1), v.msg, v.sig},
		{"identifier changed", flip(v.pub, 10), v.msg, v.sig},
		{"truncated", v.pub, v.msg, v.sig[:len(v.sig)-1]},
		{"trailing byte", v.pub, v.msg, append(append([]byte(nil), v.sig...), 0)},
		{"empty", v.pub, v.msg, nil},
		{"wrong level count", v.pub, v.msg, append(binary.BigEndian.AppendUint32(nil, 0), v.sig[4:]...)},
		{"L = 0", append([]byte{0, 0, 0, 0}, v.pub[4:]...), v.msg, v.sig},
		{"L = 9", append([]byte{0, 0, 0, 9}, v.pub[4:]...), v.msg, v.sig},
		{"unknown LMS type", append(append([]byte(nil), v.pub[:4]...), append([]byte{0, 0, 0, 0x30}, v.pub[8:]...)...), v.msg, v.sig},
		{"q out of range", v.pub, v.msg, func() []byte { s := append([]byte(nil), v.sig...); s[7] = 0x40; return s }()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := VerifyHSS(tc.pub, tc.msg, tc.sig)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("VerifyHSS = %v, want an error wrapping ErrInvalid", err)
			}
		})
	}
}

func TestParameterSets(t *testing.T) {
	// RFC 8554 Table 1 and SP 800-208 Table 2: p and ls of every LM-OTS
	// type.
	want := map[uint32][2]int{
		1: {265, 7}, 2: {133, 6}, 3: {67, 4}, 4: {34, 0},
		5: {200, 8}, 6: {101, 6}, 7: {51, 4}, 8: {26, 0},
		9: {265, 7}, 10: {133, 6}, 11: {67, 4}, 12: {34, 0},
		13: {200, 8}, 14: {101, 6}, 15: {51, 4}, 16: {26, 0},
	}
	for typ, pl := range want {
		p, ok := otsType(typ)
		if !ok || p.p != pl[0] || p.ls != pl[1] {
			t.Errorf("LM-OTS type %d: p = %d, ls = %d, want %d, %d", typ, p.p, p.ls, pl[0], pl[1])
		}
	}
	for _, bad := range []uint32{0, 17, 0xffffffff} {
		if _, ok := otsType(bad); ok {
			t.Errorf("LM-OTS type %d accepted", bad)
		}
	}
	if p, ok := lmsType(0x18); !ok || p.m != 24 || p.h != 25 || !p.shake {
		t.Errorf("LMS type 0x18 = %+v, want LMS_SHAKE_M24_H25", p)
	}
}

func FuzzVerifyHSS(f *testing.F) {
	v := readVectors(f)[0]
	f.Add(v.pub, v.msg, v.sig)
	f.Add(v.pub[:4], []byte{}, v.sig[:40])
	f.Fuzz(func(t *testing.T, pub, msg, sig []byte) {
		VerifyHSS(pub, msg, sig) // must not panic
		VerifyLMS(pub, msg, sig)
	})
}

func BenchmarkVerifyHSS(b *testing.B) {
	v := readVectors(b)[1]
	b.ReportAllocs()
	for b.Loop() {
		if err := VerifyHSS(v.pub, v.msg, v.sig); err != nil {
			b.Fatal(err)
		}
	}
}
