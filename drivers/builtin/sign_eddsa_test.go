//go:build !gopsa_no_builtin_ecc

package builtin

import (
	"bufio"
	"bytes"
	"crypto/sha3"
	"crypto/sha512"
	"os"
	"strings"
	"testing"

	"github.com/gopsa/psa/values"
)

type pkEdDSAVector struct {
	scheme                string
	secret, pub, msg, ctx []byte
	sig                   []byte
	hasCtx                bool
}

func pkReadRFC8032(t *testing.T) []pkEdDSAVector {
	t.Helper()
	f, err := os.Open("testdata/pk/rfc8032.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	field := func(s string) []byte {
		if s == "-" {
			return nil
		}
		return pkUnhex(t, s, 0)
	}
	var vs []pkEdDSAVector
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) == 0 || strings.HasPrefix(fs[0], "#") {
			continue
		}
		vs = append(vs, pkEdDSAVector{scheme: fs[0], secret: field(fs[1]), pub: field(fs[2]), msg: field(fs[3]), ctx: field(fs[4]), sig: field(fs[5]), hasCtx: fs[4] != "-"})
	}
	if len(vs) != 16 {
		t.Fatalf("read %d vectors, want 16", len(vs))
	}
	return vs
}

// TestRFC8032 runs the vectors of RFC 8032 §7 through the EdDSA code with
// their contexts, and through the entry points when the context is empty
// (the entry points have no context argument).
func TestRFC8032(t *testing.T) {
	var d Driver
	for i, v := range pkReadRFC8032(t) {
		t.Run(v.scheme+"/"+string(rune('a'+i)), func(t *testing.T) {
			bits := 255
			if strings.HasPrefix(v.scheme, "Ed448") {
				bits = 448
			}
			key := pkImport(t, pkEdwards, 0, v.secret)
			if key.attrs.Bits != bits {
				t.Fatalf("imported a %d-bit key, want %d", key.attrs.Bits, bits)
			}
			pub := key.public(t)
			if !bytes.Equal(pub.buf, v.pub) {
				t.Fatalf("public key %x, want %x", pub.buf, v.pub)
			}
			var alg values.Algorithm
			in := v.msg // what eddsaKey.sign takes: the message or PH(M)
			switch v.scheme {
			case "Ed25519":
				alg = values.AlgPureEdDSA
			case "Ed25519ctx":
				alg = values.AlgEdDSACtx
			case "Ed448":
				alg = values.AlgPureEdDSA
				if v.hasCtx {
					alg = values.AlgEdDSACtx
				}
			case "Ed25519ph":
				alg = values.AlgEd25519ph
				s := sha512.Sum512(v.msg)
				in = s[:]
			case "Ed448ph":
				alg = values.AlgEd448ph
				in = sha3.SumSHAKE256(v.msg, 64)
			}
			k, err := parseEdDSAKey("test", key.attrs, alg, key.buf)
			pkWantStatus(t, "parse", err, values.Success)
			sig, err := k.sign(alg, in, v.ctx, nil)
			pkWantStatus(t, "sign", err, values.Success)
			if !bytes.Equal(sig, v.sig) {
				t.Fatalf("signature %x\nwant      %x", sig, v.sig)
			}
			kp, _ := parseEdDSAKey("test", pub.attrs, alg, pub.buf)
			pkWantStatus(t, "verify", kp.verify(alg, in, v.ctx, v.sig), values.Success)
			bad := append([]byte(nil), v.sig...)
			bad[0] ^= 0x80
			pkWantStatus(t, "verify tampered", kp.verify(alg, in, v.ctx, bad), values.ErrInvalidSignature)
			if len(v.ctx) > 0 {
				pkWantStatus(t, "verify without context", kp.verify(alg, in, nil, v.sig), values.ErrInvalidSignature)
			}

			if v.hasCtx {
				return
			}
			got, err := d.SignMessage(key.attrs, key.buf, alg, v.msg, nil)
			pkWantStatus(t, "SignMessage", err, values.Success)
			if !bytes.Equal(got, v.sig) {
				t.Errorf("SignMessage = %x\nwant          %x", got, v.sig)
			}
			pkWantStatus(t, "VerifyMessage", d.VerifyMessage(pub.attrs, pub.buf, alg, v.msg, v.sig), values.Success)
			if alg.IsHashEdDSA() {
				got, err := d.SignHash(key.attrs, key.buf, alg, in, nil)
				pkWantStatus(t, "SignHash", err, values.Success)
				if !bytes.Equal(got, v.sig) {
					t.Errorf("SignHash = %x\nwant       %x", got, v.sig)
				}
				pkWantStatus(t, "VerifyHash", d.VerifyHash(pub.attrs, pub.buf, alg, in, v.sig), values.Success)
			} else {
				_, err := d.SignHash(key.attrs, key.buf, alg, in, nil)
				pkWantStatus(t, "SignHash with a pure algorithm", err, values.ErrInvalidArgument)
			}
		})
	}
}

// TestEd25519ctxCrossCheck compares the Ed25519ctx and Ed25519ph code of
// this package with crypto/ed25519 (which has both, for non-empty
// contexts), and checks PSA_ALG_EDDSA_CTX with the empty context against
// the specification's note that it differs from PSA_ALG_PURE_EDDSA.
func TestEd25519ctxCrossCheck(t *testing.T) {
	var d Driver
	key := pkGenerate(t, pkEdwards, 255)
	pub := key.public(t)
	msg := []byte("cross check")
	k, _ := parseEdDSAKey("test", key.attrs, values.AlgEdDSACtx, key.buf)
	for _, ctx := range [][]byte{[]byte("a"), bytes.Repeat([]byte{7}, 255)} {
		sig, _ := k.sign(values.AlgEdDSACtx, msg, ctx, nil)
		ph := sha512.Sum512(msg)
		if err := k.verify(values.AlgEdDSACtx, msg, ctx, sig); err != nil {
			t.Fatal(err)
		}
		// Ed25519ph through crypto/ed25519 and through ed25519DomSign.
		want, _ := k.sign(values.AlgEd25519ph, ph[:], ctx, nil)
		if got := ed25519DomSign(k.seed, k.public(), ph[:], 1, ctx, nil); !bytes.Equal(got, want) {
			t.Errorf("Ed25519ph with a %d-byte context differs from crypto/ed25519", len(ctx))
		}
	}
	ctxSig, err := d.SignMessage(key.attrs, key.buf, values.AlgEdDSACtx, msg, nil)
	pkWantStatus(t, "EDDSA_CTX", err, values.Success)
	pureSig, _ := d.SignMessage(key.attrs, key.buf, values.AlgPureEdDSA, msg, nil)
	if bytes.Equal(ctxSig, pureSig) {
		t.Error("Ed25519ctx with an empty context gives the Ed25519 signature")
	}
	pkWantStatus(t, "verify EDDSA_CTX", d.VerifyMessage(pub.attrs, pub.buf, values.AlgEdDSACtx, msg, ctxSig), values.Success)
	pkWantStatus(t, "cross-verify", d.VerifyMessage(pub.attrs, pub.buf, values.AlgPureEdDSA, msg, ctxSig), values.ErrInvalidSignature)
}

func TestEdDSAErrors(t *testing.T) {
	var d Driver
	k255 := pkGenerate(t, pkEdwards, 255)
	k448 := pkGenerate(t, pkEdwards, 448)
	p256 := pkGenerate(t, pkSECPR1, 256)
	h := make([]byte, 64)
	tests := []struct {
		name string
		err  error
		want values.Status
	}{
		{"Ed448ph with a 255-bit key", pkErr(d.SignHash(k255.attrs, k255.buf, values.AlgEd448ph, h, nil)), values.ErrInvalidArgument},
		{"Ed25519ph with a 448-bit key", pkErr(d.SignHash(k448.attrs, k448.buf, values.AlgEd25519ph, h, nil)), values.ErrInvalidArgument},
		{"Ed25519ph short hash", pkErr(d.SignHash(k255.attrs, k255.buf, values.AlgEd25519ph, h[:32], nil)), values.ErrInvalidArgument},
		{"pure EdDSA sign_hash", pkErr(d.SignHash(k448.attrs, k448.buf, values.AlgPureEdDSA, h, nil)), values.ErrInvalidArgument},
		{"EdDSA with a Weierstrass key", pkErr(d.SignMessage(p256.attrs, p256.buf, values.AlgPureEdDSA, h, nil)), values.ErrInvalidArgument},
		{"short signature", d.VerifyMessage(k255.attrs, k255.buf, values.AlgPureEdDSA, h, h), values.ErrInvalidSignature},
		{"Ed448 short signature", d.VerifyMessage(k448.attrs, k448.buf, values.AlgPureEdDSA, h, h), values.ErrInvalidSignature},
		{"Ed448ph non-canonical S", d.VerifyHash(k448.attrs, k448.buf, values.AlgEd448ph, h, bytes.Repeat([]byte{0xff}, 114)), values.ErrInvalidSignature},
	}
	for _, tc := range tests {
		pkWantStatus(t, tc.name, tc.err, tc.want)
	}
}
