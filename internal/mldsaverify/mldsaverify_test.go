package mldsaverify

import (
	"compress/gzip"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"filippo.io/mldsa"
)

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.NewDecoder(zr).Decode(v); err != nil {
		t.Fatal(err)
	}
}

type hexBytes []byte

func (h *hexBytes) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := hex.DecodeString(s)
	*h = v
	return err
}

// TestACVPSigVer runs the NIST ACVP ML-DSA sigVer vectors (FIPS 204,
// internal interface: the message is M'), 15 per parameter set, valid
// and invalid.
func TestACVPSigVer(t *testing.T) {
	var prompt struct {
		TestGroups []struct {
			TgID         int      `json:"tgId"`
			ParameterSet string   `json:"parameterSet"`
			PK           hexBytes `json:"pk"`
			Tests        []struct {
				TcID      int      `json:"tcId"`
				Message   hexBytes `json:"message"`
				Signature hexBytes `json:"signature"`
			} `json:"tests"`
		} `json:"testGroups"`
	}
	var expected struct {
		TestGroups []struct {
			TgID  int `json:"tgId"`
			Tests []struct {
				TcID       int  `json:"tcId"`
				TestPassed bool `json:"testPassed"`
			} `json:"tests"`
		} `json:"testGroups"`
	}
	readJSON(t, "testdata/acvp-sigver-prompt.json.gz", &prompt)
	readJSON(t, "testdata/acvp-sigver-expected.json.gz", &expected)
	want := map[[2]int]bool{}
	for _, g := range expected.TestGroups {
		for _, tc := range g.Tests {
			want[[2]int{g.TgID, tc.TcID}] = tc.TestPassed
		}
	}
	params := map[string]*Params{"ML-DSA-44": MLDSA44, "ML-DSA-65": MLDSA65, "ML-DSA-87": MLDSA87}
	var valid, invalid int
	for _, g := range prompt.TestGroups {
		p := params[g.ParameterSet]
		if p == nil {
			t.Fatalf("group %d: unknown parameter set %q", g.TgID, g.ParameterSet)
		}
		for _, tc := range g.Tests {
			w, ok := want[[2]int{g.TgID, tc.TcID}]
			if !ok {
				t.Fatalf("no expected result for %d/%d", g.TgID, tc.TcID)
			}
			err := Verify(p, g.PK, Mu(g.PK, tc.Message), tc.Signature)
			if (err == nil) != w {
				t.Errorf("%s tcId %d: Verify = %v, want valid = %v", p.Name, tc.TcID, err, w)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("%s tcId %d: error %v does not wrap ErrInvalid", p.Name, tc.TcID, err)
			}
			if w {
				valid++
			} else {
				invalid++
			}
		}
	}
	if valid == 0 || invalid == 0 {
		t.Fatalf("%d valid and %d invalid vectors: the test data is incomplete", valid, invalid)
	}
}

// TestCrossCheck verifies pure ML-DSA signatures of filippo.io/mldsa,
// with μ built as ML-DSA.Verify builds it: M' = 0 || |ctx| || ctx || M.
func TestCrossCheck(t *testing.T) {
	sets := []struct {
		p  *Params
		fp mldsa.Parameters
	}{{MLDSA44, mldsa.MLDSA44()}, {MLDSA65, mldsa.MLDSA65()}, {MLDSA87, mldsa.MLDSA87()}}
	for _, s := range sets {
		t.Run(s.p.Name, func(t *testing.T) {
			seed := make([]byte, 32)
			seed[0] = byte(s.p.k)
			sk, err := mldsa.NewPrivateKey(s.fp, seed)
			if err != nil {
				t.Fatal(err)
			}
			pk := sk.PublicKey().Bytes()
			if len(pk) != s.p.PublicKeySize() {
				t.Fatalf("public key size %d, want %d", len(pk), s.p.PublicKeySize())
			}
			msg := []byte("message")
			ctx := "context"
			for _, det := range []bool{false, true} {
				var sig []byte
				if det {
					sig, err = sk.SignDeterministic(msg, &mldsa.Options{Context: ctx})
				} else {
					sig, err = sk.Sign(nil, msg, &mldsa.Options{Context: ctx})
				}
				if err != nil {
					t.Fatal(err)
				}
				mu := Mu(pk, []byte{0, byte(len(ctx))}, []byte(ctx), msg)
				if err := Verify(s.p, pk, mu, sig); err != nil {
					t.Fatalf("deterministic=%v: %v", det, err)
				}
				// Another context, a flipped bit in each part of the
				// signature: all rejected.
				if Verify(s.p, pk, Mu(pk, []byte{0, 0}, msg), sig) == nil {
					t.Error("accepted with another context")
				}
				for _, i := range []int{0, s.p.lambda / 4, len(sig) - s.p.omega - s.p.k - 1, len(sig) - 1} {
					bad := append([]byte(nil), sig...)
					bad[i] ^= 1
					if Verify(s.p, pk, mu, bad) == nil {
						t.Errorf("accepted with byte %d flipped", i)
					}
				}
			}
		})
	}
}

func FuzzVerify(f *testing.F) {
	sk, _ := mldsa.NewPrivateKey(mldsa.MLDSA44(), make([]byte, 32))
	pk := sk.PublicKey().Bytes()
	sig, _ := sk.SignDeterministic([]byte("m"), nil)
	f.Add(pk, sig)
	f.Fuzz(func(t *testing.T, pk, sig []byte) {
		Verify(MLDSA44, pk, make([]byte, 64), sig) // must not panic
	})
}

func BenchmarkVerify65(b *testing.B) {
	sk, _ := mldsa.NewPrivateKey(mldsa.MLDSA65(), make([]byte, 32))
	pk := sk.PublicKey().Bytes()
	sig, _ := sk.SignDeterministic([]byte("m"), nil)
	mu := Mu(pk, []byte{0, 0}, []byte("m"))
	b.ReportAllocs()
	for b.Loop() {
		if err := Verify(MLDSA65, pk, mu, sig); err != nil {
			b.Fatal(err)
		}
	}
}
