package builtin

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// Published test vectors (testdata/sym/vectors.json, each with its
// source), run through every entry point of their mechanism: single-part,
// multi-part with every split of the input, clone and suspend/resume for
// hashes, and tampering for the authenticated modes.

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

type symAlgName values.Algorithm

func (a *symAlgName) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := values.ParseAlgorithm(s)
	*a = symAlgName(v)
	return err
}

type symKeyTypeName values.KeyType

func (k *symKeyTypeName) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := values.ParseKeyType(s)
	*k = symKeyTypeName(v)
	return err
}

type symVectors struct {
	Hash []struct {
		Src     string
		Alg     symAlgName
		Msg, MD hexBytes
	}
	XOF []struct {
		Src      string
		Alg      symAlgName
		Msg, Out hexBytes
	}
	MAC []struct {
		Src           string
		Alg           symAlgName
		KeyType       symKeyTypeName `json:"key_type"`
		Key, Msg, MAC hexBytes
	}
	Cipher []struct {
		Src             string
		Alg             symAlgName
		KeyType         symKeyTypeName `json:"key_type"`
		Key, IV, PT, CT hexBytes
	}
	AEAD []struct {
		Src                    string
		Alg                    symAlgName
		KeyType                symKeyTypeName `json:"key_type"`
		Key, Nonce, AD, PT, CT hexBytes
	}
	Wrap []struct {
		Src                string
		Alg                symAlgName
		KeyType            symKeyTypeName `json:"key_type"`
		Key, Data, Wrapped hexBytes
	}
}

func loadSymVectors(t *testing.T) *symVectors {
	t.Helper()
	b, err := os.ReadFile("testdata/sym/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v symVectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

func TestSymHashVectors(t *testing.T) {
	d := new(Driver)
	for _, v := range loadSymVectors(t).Hash {
		alg := values.Algorithm(v.Alg)
		t.Run(fmt.Sprintf("%v/%s", alg, v.Src), func(t *testing.T) {
			got, err := d.HashCompute(alg, v.Msg, []byte{0xff})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, append([]byte{0xff}, v.MD...)) {
				t.Errorf("hash compute = %x, want ff%x", got, v.MD)
			}
			if n := values.HashLength(alg); n != len(v.MD) {
				t.Errorf("PSA_HASH_LENGTH = %d, want %d", n, len(v.MD))
			}
			for split := 0; split <= len(v.Msg); split++ {
				op, err := d.HashSetup(alg)
				if err != nil {
					t.Fatal(err)
				}
				op.Update(v.Msg[:split])
				clone, err := op.Clone()
				if err != nil {
					t.Fatal(err)
				}
				// Resume from a suspend state where the format exists.
				var resumed driver.HashOperation
				if _, ok := op.(driver.HashSuspender); ok && values.HashSuspendOutputSize(alg) > 0 {
					c, _ := op.Clone()
					state, err := c.(driver.HashSuspender).Suspend(nil)
					if err != nil {
						t.Fatalf("suspend: %v", err)
					}
					if len(state) > values.HashSuspendOutputSize(alg) {
						t.Errorf("suspend state of %d bytes exceeds PSA_HASH_SUSPEND_OUTPUT_SIZE %d", len(state), values.HashSuspendOutputSize(alg))
					}
					if resumed, err = d.HashResume(alg, state); err != nil {
						t.Fatalf("resume: %v", err)
					}
				}
				op.Update(v.Msg[split:])
				clone.Update(v.Msg[split:])
				for name, o := range map[string]driver.HashOperation{"original": op, "clone": clone, "resumed": resumed} {
					if o == nil {
						continue
					}
					if name == "resumed" {
						o.Update(v.Msg[split:])
					}
					got, err := o.Finish(nil)
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got, v.MD) {
						t.Errorf("split at %d, %s: %x, want %x", split, name, got, v.MD)
					}
				}
			}
		})
	}
}

func TestSymXOFVectors(t *testing.T) {
	d := new(Driver)
	for _, v := range loadSymVectors(t).XOF {
		alg := values.Algorithm(v.Alg)
		t.Run(fmt.Sprintf("%v", alg), func(t *testing.T) {
			for _, step := range []int{1, 7, len(v.Out)} {
				op, err := d.XOFSetup(alg)
				if err != nil {
					t.Fatal(err)
				}
				if err := op.SetContext([]byte("ctx")); !errors.Is(err, values.ErrInvalidArgument) {
					t.Errorf("SetContext on %v: got %v, want INVALID_ARGUMENT", alg, err)
				}
				op.Update(v.Msg)
				var got []byte
				for len(got) < len(v.Out) {
					out := make([]byte, min(step, len(v.Out)-len(got)))
					if err := op.Output(out); err != nil {
						t.Fatal(err)
					}
					got = append(got, out...)
				}
				if !bytes.Equal(got, v.Out) {
					t.Errorf("output in pieces of %d: %x, want %x", step, got, v.Out)
				}
			}
		})
	}
}

func TestSymMACVectors(t *testing.T) {
	d := new(Driver)
	for _, v := range loadSymVectors(t).MAC {
		alg := values.Algorithm(v.Alg)
		attrs := symAttrs(values.KeyType(v.KeyType), v.Key)
		t.Run(fmt.Sprintf("%v/%s", alg, v.Src), func(t *testing.T) {
			got, err := d.MACCompute(attrs, v.Key, alg, v.Msg, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, v.MAC) {
				t.Errorf("mac compute = %x, want %x", got, v.MAC)
			}
			if err := d.MACVerify(attrs, v.Key, alg, v.Msg, v.MAC); err != nil {
				t.Errorf("mac verify: %v", err)
			}
			bad := bytes.Clone(v.MAC)
			bad[len(bad)-1] ^= 0x80
			if err := d.MACVerify(attrs, v.Key, alg, v.Msg, bad); !errors.Is(err, values.ErrInvalidSignature) {
				t.Errorf("mac verify of a wrong MAC: %v, want INVALID_SIGNATURE", err)
			}
			for split := 0; split <= len(v.Msg); split++ {
				op, err := d.MACSignSetup(attrs, v.Key, alg)
				if err != nil {
					t.Fatal(err)
				}
				op.Update(v.Msg[:split])
				op.Update(v.Msg[split:])
				got, err := op.SignFinish(nil)
				if err != nil || !bytes.Equal(got, v.MAC) {
					t.Errorf("split at %d: %x, %v", split, got, err)
				}
				vop, err := d.MACVerifySetup(attrs, v.Key, alg)
				if err != nil {
					t.Fatal(err)
				}
				vop.Update(v.Msg[:split])
				vop.Update(v.Msg[split:])
				if err := vop.VerifyFinish(v.MAC); err != nil {
					t.Errorf("verify, split at %d: %v", split, err)
				}
			}
		})
	}
}

// symCipherParts runs a multi-part cipher operation over input split at
// the given points and checks each update's output length against
// PSA_CIPHER_UPDATE_OUTPUT_SIZE.
func symCipherParts(t *testing.T, op driver.CipherOperation, kt values.KeyType, alg values.Algorithm, iv, input []byte, splits ...int) []byte {
	t.Helper()
	if len(iv) > 0 {
		if err := op.SetIV(iv); err != nil {
			t.Fatal(err)
		}
	}
	var out []byte
	prev := 0
	for _, s := range append(splits, len(input)) {
		n := len(out)
		var err error
		if out, err = op.Update(input[prev:s], out); err != nil {
			t.Fatal(err)
		}
		if max := values.CipherUpdateOutputSize(kt, alg, s-prev); len(out)-n > max {
			t.Errorf("update of %d bytes gave %d, more than PSA_CIPHER_UPDATE_OUTPUT_SIZE %d", s-prev, len(out)-n, max)
		}
		prev = s
	}
	n := len(out)
	out, err := op.Finish(out)
	if err != nil {
		t.Fatal(err)
	}
	if max := values.CipherFinishOutputSize(kt, alg); len(out)-n > max {
		t.Errorf("finish gave %d bytes, more than PSA_CIPHER_FINISH_OUTPUT_SIZE %d", len(out)-n, max)
	}
	return out
}

func TestSymCipherVectors(t *testing.T) {
	d := new(Driver)
	for _, v := range loadSymVectors(t).Cipher {
		alg, kt := values.Algorithm(v.Alg), values.KeyType(v.KeyType)
		attrs := symAttrs(kt, v.Key)
		t.Run(fmt.Sprintf("%v/%s", alg, v.Src), func(t *testing.T) {
			got, err := d.CipherEncrypt(attrs, v.Key, alg, v.IV, v.PT, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, v.CT) {
				t.Errorf("cipher encrypt:\n got %x\nwant %x", got, v.CT)
			}
			// Single-part decryption takes the IV of the default length;
			// the vectors with another IV form go through multi-part only.
			if len(v.IV) == values.CipherIVLength(kt, alg) {
				got, err = d.CipherDecrypt(attrs, v.Key, alg, append(bytes.Clone(v.IV), v.CT...), nil)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, v.PT) {
					t.Errorf("cipher decrypt:\n got %x\nwant %x", got, v.PT)
				}
			}
			for split := 0; split <= len(v.PT); split++ {
				enc, err := d.CipherEncryptSetup(attrs, v.Key, alg)
				if err != nil {
					t.Fatal(err)
				}
				if got := symCipherParts(t, enc, kt, alg, v.IV, v.PT, split); !bytes.Equal(got, v.CT) {
					t.Errorf("encrypt split at %d: %x", split, got)
				}
				dec, err := d.CipherDecryptSetup(attrs, v.Key, alg)
				if err != nil {
					t.Fatal(err)
				}
				if got := symCipherParts(t, dec, kt, alg, v.IV, v.CT, split); !bytes.Equal(got, v.PT) {
					t.Errorf("decrypt split at %d: %x", split, got)
				}
			}
		})
	}
}

func TestSymAEADVectors(t *testing.T) {
	d := new(Driver)
	for _, v := range loadSymVectors(t).AEAD {
		alg, kt := values.Algorithm(v.Alg), values.KeyType(v.KeyType)
		attrs := symAttrs(kt, v.Key)
		t.Run(fmt.Sprintf("%v/%s", alg, v.Src), func(t *testing.T) {
			got, err := d.AEADEncrypt(attrs, v.Key, alg, v.Nonce, v.AD, v.PT, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, v.CT) {
				t.Errorf("aead encrypt:\n got %x\nwant %x", got, v.CT)
			}
			got, err = d.AEADDecrypt(attrs, v.Key, alg, v.Nonce, v.AD, v.CT, nil)
			if err != nil || !bytes.Equal(got, v.PT) {
				t.Errorf("aead decrypt: %x, %v", got, err)
			}
			for i := range v.CT {
				bad := bytes.Clone(v.CT)
				bad[i] ^= 1
				if _, err := d.AEADDecrypt(attrs, v.Key, alg, v.Nonce, v.AD, bad, nil); !errors.Is(err, values.ErrInvalidSignature) {
					t.Fatalf("byte %d changed: %v, want INVALID_SIGNATURE", i, err)
				}
			}
			tagLen := values.AEADTagLength(kt, attrs.Bits, alg)
			ct, tag := v.CT[:len(v.CT)-tagLen], v.CT[len(v.CT)-tagLen:]
			for split := 0; split <= len(v.PT); split++ {
				for _, adSplit := range []int{0, len(v.AD) / 2} {
					ad := [][]byte{v.AD[:adSplit], v.AD[adSplit:]}
					got, err := symAEADRun(d, attrs, v.Key, alg, false, v.Nonce, ad, [][]byte{v.PT[:split], v.PT[split:]}, nil, 1+split%2)
					if err != nil || !bytes.Equal(got, v.CT) {
						t.Fatalf("encrypt split at %d/%d: %x, %v", adSplit, split, got, err)
					}
					got, err = symAEADRun(d, attrs, v.Key, alg, true, v.Nonce, ad, [][]byte{ct[:split], ct[split:]}, tag, 1+split%2)
					if err != nil || !bytes.Equal(got, v.PT) {
						t.Fatalf("decrypt split at %d/%d: %x, %v", adSplit, split, got, err)
					}
				}
			}
		})
	}
}

func TestSymWrapVectors(t *testing.T) {
	d := new(Driver)
	for _, v := range loadSymVectors(t).Wrap {
		alg, kt := values.Algorithm(v.Alg), values.KeyType(v.KeyType)
		attrs := symAttrs(kt, v.Key)
		t.Run(fmt.Sprintf("%v/%s", alg, v.Src), func(t *testing.T) {
			got, err := d.WrapKey(attrs, v.Key, alg, v.Data, nil)
			if err != nil || !bytes.Equal(got, v.Wrapped) {
				t.Errorf("wrap: %x, %v; want %x", got, err, v.Wrapped)
			}
			if n := values.WrapKeyOutputSize(kt, alg, values.KeyTypeRawData, 8*len(v.Data)); len(v.Wrapped) > n {
				t.Errorf("wrapped %d bytes, more than PSA_WRAP_KEY_OUTPUT_SIZE %d", len(v.Wrapped), n)
			}
			got, err = d.UnwrapKey(attrs, v.Key, alg, v.Wrapped, nil)
			if err != nil || !bytes.Equal(got, v.Data) {
				t.Errorf("unwrap: %x, %v; want %x", got, err, v.Data)
			}
			for i := range v.Wrapped {
				bad := bytes.Clone(v.Wrapped)
				bad[i] ^= 0x10
				dst := make([]byte, 0, 64)
				if got, err := d.UnwrapKey(attrs, v.Key, alg, bad, dst); !errors.Is(err, values.ErrInvalidSignature) || got != nil {
					t.Fatalf("byte %d changed: %x, %v; want INVALID_SIGNATURE", i, got, err)
				}
				if !bytes.Equal(dst[:cap(dst)], make([]byte, cap(dst))) {
					t.Fatalf("a failed unwrap left data in dst: %x", dst[:cap(dst)])
				}
			}
		})
	}
}
