package builtin

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/xts"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// Properties: multi-part equals single-part for every split, the streaming
// AEADs equal the one-shot implementations, the hand-written modes equal
// independent implementations, update output lengths follow
// PSA_CIPHER_UPDATE_OUTPUT_SIZE, errors carry the right status, and the
// entry points are safe for concurrent use.

func symRandom(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// symCipherCases lists every supported cipher algorithm with a key.
func symCipherCases() []struct {
	alg values.Algorithm
	kt  values.KeyType
	key []byte
} {
	type c = struct {
		alg values.Algorithm
		kt  values.KeyType
		key []byte
	}
	var out []c
	blockKeys := []struct {
		kt   values.KeyType
		size int
	}{
		{values.KeyTypeAES, 16}, {values.KeyTypeAES, 24}, {values.KeyTypeAES, 32},
		{values.KeyTypeARIA, 16}, {values.KeyTypeARIA, 32}, {values.KeyTypeCamellia, 16}, {values.KeyTypeCamellia, 24},
		{values.KeyTypeDES, 8}, {values.KeyTypeDES, 16}, {values.KeyTypeDES, 24},
	}
	for _, k := range blockKeys {
		for _, alg := range []values.Algorithm{values.AlgECBNoPadding, values.AlgCBCNoPadding, values.AlgCBCPKCS7, values.AlgCTR, values.AlgCFB, values.AlgOFB} {
			out = append(out, c{alg, k.kt, symRandom(k.size)})
		}
		if k.kt != values.KeyTypeDES {
			out = append(out, c{values.AlgCCMStarNoTag, k.kt, symRandom(k.size)})
			out = append(out, c{values.AlgXTS, k.kt, symRandom(2 * k.size)})
		}
	}
	out = append(out,
		c{values.AlgStreamCipher, values.KeyTypeChaCha20, symRandom(32)},
		c{values.AlgStreamCipher, values.KeyTypeXChaCha20, symRandom(32)},
		c{values.AlgStreamCipher, values.KeyTypeARC4, symRandom(16)})
	return out
}

// symWantUpdate is the output length an update must give in a mode, as
// the C reference does: whole blocks for ECB and CBC, and for CBC-PKCS7
// decryption and XTS, the last block held back.
func symWantUpdate(alg values.Algorithm, bs int, decrypt bool, before, n int) int {
	total := before + n
	var out int
	switch alg {
	case values.AlgECBNoPadding, values.AlgCBCNoPadding:
		out = total / bs * bs
	case values.AlgCBCPKCS7:
		out = total / bs * bs
		if decrypt && total%bs == 0 && total > 0 {
			out -= bs
		}
	case values.AlgXTS:
		out = 0
		if total >= bs {
			out = (total - bs) / bs * bs
		}
	default:
		return n
	}
	// Bytes released before this update.
	prev := symWantUpdateTotal(alg, bs, decrypt, before)
	return out - prev
}

func symWantUpdateTotal(alg values.Algorithm, bs int, decrypt bool, total int) int {
	switch alg {
	case values.AlgECBNoPadding, values.AlgCBCNoPadding:
		return total / bs * bs
	case values.AlgCBCPKCS7:
		out := total / bs * bs
		if decrypt && total%bs == 0 && total > 0 {
			out -= bs
		}
		return out
	case values.AlgXTS:
		if total >= 16 {
			return (total - 16) / 16 * 16
		}
		return 0
	}
	return total
}

func TestSymCipherSplits(t *testing.T) {
	d := new(Driver)
	for _, tc := range symCipherCases() {
		attrs := symAttrs(tc.kt, tc.key)
		t.Run(fmt.Sprintf("%v/%v-%d", tc.alg, tc.kt, 8*len(tc.key)), func(t *testing.T) {
			bs := values.BlockCipherBlockLength(tc.kt)
			iv := symRandom(values.CipherIVLength(tc.kt, tc.alg))
			lengths := []int{0, 1, bs - 1, bs, bs + 1, 2*bs + 3, 3 * bs, 50}
			for _, n := range lengths {
				if n < 0 {
					continue
				}
				aligned := tc.alg == values.AlgECBNoPadding || tc.alg == values.AlgCBCNoPadding
				if aligned && n%bs != 0 || tc.alg == values.AlgXTS && n < 16 {
					continue
				}
				pt := symRandom(n)
				ct, err := d.CipherEncrypt(attrs, tc.key, tc.alg, iv, pt, nil)
				if err != nil {
					t.Fatalf("encrypt %d bytes: %v", n, err)
				}
				back, err := d.CipherDecrypt(attrs, tc.key, tc.alg, append(bytes.Clone(iv), ct...), nil)
				if err != nil || !bytes.Equal(back, pt) {
					t.Fatalf("decrypt %d bytes: %x, %v", n, back, err)
				}
				for _, decrypt := range []bool{false, true} {
					in, want := pt, ct
					if decrypt {
						in, want = ct, pt
					}
					for i := 0; i <= len(in); i++ {
						for j := i; j <= len(in); j += 1 + len(in)/5 {
							got := symCipherSplit(t, d, attrs, tc.key, tc.alg, decrypt, iv, in, bs, i, j)
							if !bytes.Equal(got, want) {
								t.Fatalf("decrypt=%v, %d bytes split at %d and %d: %x, want %x", decrypt, n, i, j, got, want)
							}
						}
					}
				}
			}
		})
	}
}

func symCipherSplit(t *testing.T, d *Driver, attrs values.Attributes, key []byte, alg values.Algorithm, decrypt bool, iv, in []byte, bs, i, j int) []byte {
	t.Helper()
	var op driver.CipherOperation
	var err error
	if decrypt {
		op, err = d.CipherDecryptSetup(attrs, key, alg)
	} else {
		op, err = d.CipherEncryptSetup(attrs, key, alg)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(iv) > 0 {
		if err := op.SetIV(iv); err != nil {
			t.Fatal(err)
		}
	}
	var out []byte
	prev := 0
	for _, s := range []int{i, j, len(in)} {
		n := len(out)
		out, err = op.Update(in[prev:s], out)
		if err != nil {
			t.Fatal(err)
		}
		if want := symWantUpdate(alg, bs, decrypt, prev, s-prev); len(out)-n != want {
			t.Fatalf("update of %d bytes after %d gave %d, want %d", s-prev, prev, len(out)-n, want)
		}
		prev = s
	}
	out, err = op.Finish(out)
	if err != nil {
		t.Fatalf("finish: %v", err)
	}
	return out
}

// TestSymModesMatchStandardLibrary compares the hand-written CFB, OFB and
// XTS with independent implementations: the standard library's deprecated
// CFB and OFB, and golang.org/x/crypto/xts (whole sectors).
func TestSymModesMatchStandardLibrary(t *testing.T) {
	d := new(Driver)
	key := symRandom(16)
	b, _ := aes.NewCipher(key)
	attrs := symAttrs(values.KeyTypeAES, key)
	for n := 0; n < 100; n += 7 {
		pt, iv := symRandom(n), symRandom(16)
		want := make([]byte, n)
		cipher.NewCFBEncrypter(b, iv).XORKeyStream(want, pt) //lint:ignore SA1019 independent reference for the test
		got, err := d.CipherEncrypt(attrs, key, values.AlgCFB, iv, pt, nil)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("CFB %d bytes: %x, %v; want %x", n, got, err, want)
		}
		cipher.NewOFB(b, iv).XORKeyStream(want, pt) //lint:ignore SA1019 independent reference for the test
		got, err = d.CipherEncrypt(attrs, key, values.AlgOFB, iv, pt, nil)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("OFB %d bytes: %x, %v; want %x", n, got, err, want)
		}
	}
	xkey := symRandom(32)
	ref, err := xts.NewCipher(aes.NewCipher, xkey)
	if err != nil {
		t.Fatal(err)
	}
	for n := 16; n <= 128; n += 16 {
		pt := symRandom(n)
		sector := mrand.Uint64()
		var iv [16]byte
		binary.LittleEndian.PutUint64(iv[:], sector)
		want := make([]byte, n)
		ref.Encrypt(want, pt, sector)
		got, err := d.CipherEncrypt(symAttrs(values.KeyTypeAES, xkey), xkey, values.AlgXTS, iv[:], pt, nil)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("XTS %d bytes: %x, %v; want %x", n, got, err, want)
		}
	}
}

// TestSymAEADStreamingMatchesOneShot checks the streaming GCM and
// ChaCha20-Poly1305 against the standard library and x/crypto for every
// split of additional data and text.
func TestSymAEADStreamingMatchesOneShot(t *testing.T) {
	d := new(Driver)
	aesKey := symRandom(16)
	block, _ := aes.NewCipher(aesKey)
	chachaKey := symRandom(32)
	type ref struct {
		name  string
		alg   values.Algorithm
		kt    values.KeyType
		key   []byte
		nonce []byte
		aead  cipher.AEAD
	}
	var refs []ref
	for _, nl := range []int{1, 8, 12, 13, 16, 60} {
		g, err := cipher.NewGCMWithNonceSize(block, nl)
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, ref{fmt.Sprintf("GCM nonce %d", nl), values.AlgGCM, values.KeyTypeAES, aesKey, symRandom(nl), g})
	}
	for _, tl := range []int{12, 13, 14, 15} {
		g, _ := cipher.NewGCMWithTagSize(block, tl)
		refs = append(refs, ref{fmt.Sprintf("GCM tag %d", tl), values.AlgAEADWithShortenedTag(values.AlgGCM, tl), values.KeyTypeAES, aesKey, symRandom(12), g})
	}
	cp, _ := chacha20poly1305.New(chachaKey)
	xcp, _ := chacha20poly1305.NewX(chachaKey)
	refs = append(refs,
		ref{"ChaCha20-Poly1305", values.AlgChaCha20Poly1305, values.KeyTypeChaCha20, chachaKey, symRandom(12), cp},
		ref{"XChaCha20-Poly1305", values.AlgXChaCha20Poly1305, values.KeyTypeXChaCha20, chachaKey, symRandom(24), xcp})
	for _, r := range refs {
		attrs := symAttrs(r.kt, r.key)
		t.Run(r.name, func(t *testing.T) {
			for _, n := range []int{0, 1, 15, 16, 17, 64, 100} {
				pt, ad := symRandom(n), symRandom(n%23)
				want := r.aead.Seal(nil, r.nonce, pt, ad)
				tl := r.aead.Overhead()
				for i := 0; i <= n; i += 1 + n/7 {
					for _, a := range []int{0, len(ad) / 3, len(ad)} {
						got, err := symAEADRun(d, attrs, r.key, r.alg, false, r.nonce, [][]byte{ad[:a], ad[a:]}, [][]byte{pt[:i], pt[i:]}, nil, i%3)
						if err != nil || !bytes.Equal(got, want) {
							t.Fatalf("%d bytes split at %d (ad at %d): %x, %v; want %x", n, i, a, got, err, want)
						}
						back, err := symAEADRun(d, attrs, r.key, r.alg, true, r.nonce, [][]byte{ad[:a], ad[a:]}, [][]byte{want[:i], want[i:n]}, want[n:], i%3)
						if err != nil || !bytes.Equal(back, pt) {
							t.Fatalf("decrypt %d bytes split at %d: %x, %v", n, i, back, err)
						}
					}
				}
				// The streaming GCM serves the parameters the standard
				// library does not take: compare it through the
				// single-part entry point too.
				got, err := d.AEADEncrypt(attrs, r.key, r.alg, r.nonce, ad, pt, nil)
				if err != nil || !bytes.Equal(got, want) {
					t.Fatalf("single-part: %x, %v", got, err)
				}
				if r.kt == values.KeyTypeAES {
					g := newGCMStream(block, r.nonce, false)
					out := make([]byte, n)
					g.addAD(ad)
					g.crypt(out, pt)
					var tag [16]byte
					g.sum(&tag)
					if !bytes.Equal(append(out, tag[:tl]...), want) {
						t.Fatalf("streaming GCM differs from the standard library for %d bytes", n)
					}
				}
			}
		})
	}
}

func TestSymHashSuspendFormat(t *testing.T) {
	d := new(Driver)
	// The chaining values before any input are the initial values of the
	// standards, in the byte order of the suspend state format.
	cases := []struct {
		alg  values.Algorithm
		iv   string
		lenF int
	}{
		{values.AlgMD5, "0123456789abcdeffedcba9876543210", 8},
		{values.AlgRIPEMD160, "0123456789abcdeffedcba9876543210f0e1d2c3", 8},
		{values.AlgSHA1, "67452301efcdab8998badcfe10325476c3d2e1f0", 8},
		{values.AlgSHA224, "c1059ed8367cd5073070dd17f70e5939ffc00b316858151164f98fa7befa4fa4", 8},
		{values.AlgSHA256, "6a09e667bb67ae853c6ef372a54ff53a510e527f9b05688c1f83d9ab5be0cd19", 8},
		{values.AlgSHA512, "6a09e667f3bcc908bb67ae8584caa73b3c6ef372fe94f82ba54ff53a5f1d36f1510e527fade682d19b05688c2b3e6c1f1f83d9abfb41bd6b5be0cd19137e2179", 16},
	}
	for _, c := range cases {
		t.Run(c.alg.String(), func(t *testing.T) {
			op, _ := d.HashSetup(c.alg)
			op.Update([]byte("abc"))
			state, err := op.(driver.HashSuspender).Suspend(nil)
			if err != nil {
				t.Fatal(err)
			}
			var want []byte
			want = binary.BigEndian.AppendUint32(want, uint32(c.alg))
			want = append(want, make([]byte, c.lenF-1)...)
			want = append(want, 3)
			iv, _ := hex.DecodeString(c.iv)
			want = append(want, iv...)
			want = append(want, "abc"...)
			if !bytes.Equal(state, want) {
				t.Fatalf("suspend state\n got %x\nwant %x", state, want)
			}
			r, err := d.HashResume(c.alg, state)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := r.Finish(nil)
			ref, _ := d.HashCompute(c.alg, []byte("abc"), nil)
			if !bytes.Equal(got, ref) {
				t.Errorf("resumed hash %x, want %x", got, ref)
			}
			// Malformed states.
			for name, bad := range map[string][]byte{
				"truncated":       state[:len(state)-1],
				"extra byte":      append(bytes.Clone(state), 0),
				"other algorithm": append(binary.BigEndian.AppendUint32(nil, uint32(values.AlgSHA384)), state[4:]...),
				"empty":           nil,
			} {
				if _, err := d.HashResume(c.alg, bad); !errors.Is(err, values.ErrInvalidArgument) {
					t.Errorf("%s: %v, want INVALID_ARGUMENT", name, err)
				}
			}
		})
	}
	for _, alg := range []values.Algorithm{values.AlgSHA3_256, values.AlgSHAKE256_512, values.AlgBLAKE2bHash512, values.AlgSHA256_192} {
		op, _ := d.HashSetup(alg)
		if _, err := op.(driver.HashSuspender).Suspend(nil); !errors.Is(err, values.ErrNotSupported) {
			t.Errorf("suspend %v: %v, want NOT_SUPPORTED", alg, err)
		}
	}
}

func TestSymErrors(t *testing.T) {
	d := new(Driver)
	aes128 := symRandom(16)
	aesAttrs := symAttrs(values.KeyTypeAES, aes128)
	chacha := symRandom(32)
	chachaAttrs := symAttrs(values.KeyTypeChaCha20, chacha)
	cases := []struct {
		name string
		err  func() error
		want values.Status
		msg  string
	}{
		{"unknown hash", func() error { _, err := d.HashCompute(values.AlgSM3, nil, nil); return err }, values.ErrNotSupported, "SM3"},
		{"not a hash", func() error { _, err := d.HashSetup(values.AlgCTR); return err }, values.ErrInvalidArgument, "not a hash"},
		{"HMAC over SHAKE", func() error {
			_, err := d.MACCompute(symAttrs(values.KeyTypeHMAC, aes128), aes128, values.AlgHMAC(values.AlgSHAKE256_512), nil, nil)
			return err
		}, values.ErrNotSupported, "HMAC block size"},
		{"HMAC with an AES key", func() error {
			_, err := d.MACCompute(aesAttrs, aes128, values.AlgHMAC(values.AlgSHA256), nil, nil)
			return err
		}, values.ErrInvalidArgument, "needs a PSA_KEY_TYPE_HMAC key"},
		{"MAC truncated too much", func() error {
			_, err := d.MACCompute(aesAttrs, aes128, values.AlgTruncatedMAC(values.AlgCMAC, 2), nil, nil)
			return err
		}, values.ErrNotSupported, "at least 4"},
		{"MAC truncated beyond its length", func() error {
			_, err := d.MACCompute(aesAttrs, aes128, values.AlgTruncatedMAC(values.AlgCMAC, 17), nil, nil)
			return err
		}, values.ErrInvalidArgument, "longer than the 16-byte MAC"},
		{"CBC IV too short", func() error {
			_, err := d.CipherEncrypt(aesAttrs, aes128, values.AlgCBCNoPadding, make([]byte, 8), make([]byte, 16), nil)
			return err
		}, values.ErrInvalidArgument, "want 16 bytes"},
		{"ECB unaligned", func() error {
			_, err := d.CipherEncrypt(aesAttrs, aes128, values.AlgECBNoPadding, nil, make([]byte, 17), nil)
			return err
		}, values.ErrInvalidArgument, "multiple of the 16-byte block"},
		{"XTS with a 128-bit key", func() error {
			_, err := d.CipherEncryptSetup(aesAttrs, aes128, values.AlgXTS)
			return err
		}, values.ErrInvalidArgument, "two"},
		{"ChaCha20 IV of 10 bytes", func() error {
			op, _ := d.CipherEncryptSetup(chachaAttrs, chacha, values.AlgStreamCipher)
			return op.SetIV(make([]byte, 10))
		}, values.ErrInvalidArgument, "12 bytes"},
		{"ChaCha20 counter wraps", func() error {
			op, _ := d.CipherEncryptSetup(chachaAttrs, chacha, values.AlgStreamCipher)
			op.SetIV(append([]byte{0xff, 0xff, 0xff, 0xff}, make([]byte, 12)...))
			if _, err := op.Update(make([]byte, 64), nil); err != nil {
				return fmt.Errorf("the last block should pass: %v", err)
			}
			_, err := op.Update(make([]byte, 1), nil)
			return err
		}, values.ErrInvalidArgument, "past 2^32"},
		{"SM4", func() error {
			_, err := d.CipherEncryptSetup(symAttrs(values.KeyTypeSM4, aes128), aes128, values.AlgCTR)
			return err
		}, values.ErrNotSupported, "SM4"},
		{"GCM tag of 10 bytes", func() error {
			_, err := d.AEADEncryptSetup(aesAttrs, aes128, values.AlgAEADWithShortenedTag(values.AlgGCM, 10))
			return err
		}, values.ErrInvalidArgument, "4, 8, 12, 13, 14, 15 or 16"},
		{"GCM with DES", func() error {
			k := symRandom(24)
			_, err := d.AEADEncrypt(symAttrs(values.KeyTypeDES, k), k, values.AlgGCM, make([]byte, 12), nil, nil, nil)
			return err
		}, values.ErrInvalidArgument, "128-bit block"},
		{"8-byte ChaCha20-Poly1305 nonce", func() error {
			_, err := d.AEADEncrypt(chachaAttrs, chacha, values.AlgChaCha20Poly1305, make([]byte, 8), nil, nil, nil)
			return err
		}, values.ErrNotSupported, "8-byte-nonce"},
		{"CCM without lengths", func() error {
			op, _ := d.AEADEncryptSetup(aesAttrs, aes128, values.AlgCCM)
			op.SetNonce(make([]byte, 13))
			return op.UpdateAD([]byte("x"))
		}, values.ErrBadState, "needs the lengths"},
		{"AEAD text beyond the declared length", func() error {
			op, _ := d.AEADEncryptSetup(aesAttrs, aes128, values.AlgGCM)
			op.SetNonce(make([]byte, 12))
			op.SetLengths(0, 4)
			_, err := op.Update(make([]byte, 5), nil)
			return err
		}, values.ErrInvalidArgument, "exceed the 4 declared"},
		{"AEAD text short of the declared length", func() error {
			op, _ := d.AEADEncryptSetup(aesAttrs, aes128, values.AlgGCM)
			op.SetNonce(make([]byte, 12))
			op.SetLengths(0, 4)
			op.Update(make([]byte, 3), nil)
			_, _, err := op.Finish(nil, nil)
			return err
		}, values.ErrInvalidArgument, "4 declared"},
		{"CCM nonce of 6 bytes", func() error {
			_, err := d.AEADEncrypt(aesAttrs, aes128, values.AlgCCM, make([]byte, 6), nil, nil, nil)
			return err
		}, values.ErrInvalidArgument, "7 to 13"},
		{"KW of 12 bytes", func() error {
			_, err := d.WrapKey(aesAttrs, aes128, values.AlgKW, make([]byte, 12), nil)
			return err
		}, values.ErrInvalidArgument, "use KWP"},
		{"XOF update after output", func() error {
			op, _ := d.XOFSetup(values.AlgSHAKE128)
			op.Output(make([]byte, 1))
			return op.Update([]byte("x"))
		}, values.ErrBadState, "output has started"},
		{"XOF Ascon", func() error { _, err := d.XOFSetup(values.AlgAsconXOF128); return err }, values.ErrNotSupported, "SP 800-232"},
	}
	for _, c := range cases {
		err := c.err()
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
			continue
		}
		if !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %q does not say %q", c.name, err, c.msg)
		}
	}
}

func TestSymBadPadding(t *testing.T) {
	d := new(Driver)
	key := symRandom(16)
	attrs := symAttrs(values.KeyTypeAES, key)
	b, _ := aes.NewCipher(key)
	iv := symRandom(16)
	// Blocks whose last plaintext bytes are each invalid padding.
	for _, last := range [][]byte{{0}, {17}, {2, 3}, {0xff}, append(bytes.Repeat([]byte{16}, 15), 15)} {
		pt := symRandom(32)
		copy(pt[32-len(last):], last)
		ct := make([]byte, 32)
		cipher.NewCBCEncrypter(b, iv).CryptBlocks(ct, pt)
		dst := make([]byte, 0, 64)
		out, err := d.CipherDecrypt(attrs, key, values.AlgCBCPKCS7, append(bytes.Clone(iv), ct...), dst)
		if !errors.Is(err, values.ErrInvalidPadding) || out != nil {
			t.Errorf("padding %x: %x, %v; want INVALID_PADDING", last, out, err)
		}
		if !bytes.Equal(dst[:cap(dst)], make([]byte, cap(dst))) {
			t.Errorf("padding %x: a failed decryption left plaintext in dst", last)
		}
	}
}

func TestSymConcurrentUse(t *testing.T) {
	d := new(Driver)
	key := symRandom(16)
	attrs := symAttrs(values.KeyTypeAES, key)
	nonce := symRandom(12)
	want, _ := d.AEADEncrypt(attrs, key, values.AlgGCM, nonce, nil, []byte("message"), nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				got, err := d.AEADEncrypt(attrs, key, values.AlgGCM, nonce, nil, []byte("message"), nil)
				if err != nil || !bytes.Equal(got, want) {
					t.Error("concurrent AEAD encrypt differs")
					return
				}
				if _, err := d.MACCompute(attrs, key, values.AlgCMAC, got, nil); err != nil {
					t.Error(err)
					return
				}
				if _, err := d.HashCompute(values.AlgSHA256, got, nil); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
