package builtin

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"math/big"
	"testing"

	"github.com/gopsa/psa/values"
)

func pkRSAKey(t testing.TB, bits int) (pkKey, *rsa.PrivateKey) {
	t.Helper()
	k := pkGenerate(t, values.KeyTypeRSAKeyPair, bits)
	priv, err := x509.ParsePKCS1PrivateKey(k.buf)
	if err != nil {
		t.Fatal(err)
	}
	return k, priv
}

// TestRSAAgainstCryptoRSA cross-checks the driver's RSA signatures with
// crypto/rsa used directly: PKCS#1 v1.5 signatures are deterministic and
// must be identical; PSS signatures must verify with the salt length the
// specification prescribes.
func TestRSAAgainstCryptoRSA(t *testing.T) {
	var d Driver
	key, priv := pkRSAKey(t, 2048)
	pub := key.public(t)
	msg := []byte("RSA cross-check")
	hashes := []struct {
		alg values.Algorithm
		ch  crypto.Hash
	}{
		{values.AlgSHA1, crypto.SHA1}, {values.AlgSHA224, crypto.SHA224}, {values.AlgSHA256, crypto.SHA256},
		{values.AlgSHA384, crypto.SHA384}, {values.AlgSHA512, crypto.SHA512}, {values.AlgSHA512_256, crypto.SHA512_256},
		{values.AlgSHA3_256, crypto.SHA3_256}, {values.AlgSHA3_512, crypto.SHA3_512},
	}
	for _, h := range hashes {
		hh := h.ch.New()
		hh.Write(msg)
		digest := hh.Sum(nil)

		alg := values.AlgRSAPKCS1v15Sign(h.alg)
		sig, err := d.SignMessage(key.attrs, key.buf, alg, msg, nil)
		pkWantStatus(t, alg.String(), err, values.Success)
		want, err := rsa.SignPKCS1v15(nil, priv, h.ch, digest)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(sig, want) {
			t.Errorf("%v: the signature differs from crypto/rsa's", alg)
		}
		pkWantStatus(t, "verify "+alg.String(), d.VerifyHash(pub.attrs, pub.buf, alg, digest, want), values.Success)

		for _, alg := range []values.Algorithm{values.AlgRSAPSS(h.alg), values.AlgRSAPSSAnySalt(h.alg)} {
			sig, err := d.SignHash(key.attrs, key.buf, alg, digest, nil)
			pkWantStatus(t, alg.String(), err, values.Success)
			salt := min(h.ch.Size(), (2047+7)/8-h.ch.Size()-2)
			if err := rsa.VerifyPSS(&priv.PublicKey, h.ch, digest, sig, &rsa.PSSOptions{SaltLength: salt}); err != nil {
				t.Errorf("%v: crypto/rsa rejects the signature with salt length %d: %v", alg, salt, err)
			}
			pkWantStatus(t, "verify "+alg.String(), d.VerifyMessage(pub.attrs, pub.buf, alg, msg, sig), values.Success)
		}
	}

	// RIPEMD-160, which crypto/rsa lacks, through the driver's DigestInfo
	// (OID 1.3.36.3.2.1, Table 15).
	alg := values.AlgRSAPKCS1v15Sign(values.AlgRIPEMD160)
	sig, err := d.SignMessage(key.attrs, key.buf, alg, msg, nil)
	pkWantStatus(t, alg.String(), err, values.Success)
	pkWantStatus(t, "verify "+alg.String(), d.VerifyMessage(pub.attrs, pub.buf, alg, msg, sig), values.Success)
}

// TestRSAPSSSaltRule checks the salt lengths that PSA_ALG_RSA_PSS accepts
// when verifying: the hash length only, while PSA_ALG_RSA_PSS_ANY_SALT
// accepts any.
func TestRSAPSSSaltRule(t *testing.T) {
	var d Driver
	key, priv := pkRSAKey(t, 1024)
	digest := sha256.Sum256([]byte("salt"))
	for _, salt := range []int{0, 20, 32, 33, 94} {
		sig, err := rsa.SignPSS(rand.Reader, priv, crypto.SHA256, digest[:], &rsa.PSSOptions{SaltLength: salt})
		if salt == 0 {
			sig, err = rsa.SignPSS(rand.Reader, priv, crypto.SHA256, digest[:], &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
			salt = 32
		}
		if err != nil {
			t.Fatal(err)
		}
		want := values.ErrInvalidSignature
		if salt == 32 {
			want = values.Success
		}
		pkWantStatus(t, "PSS", d.VerifyHash(key.attrs, key.buf, values.AlgRSAPSS(values.AlgSHA256), digest[:], sig), want)
		pkWantStatus(t, "PSS any salt", d.VerifyHash(key.attrs, key.buf, values.AlgRSAPSSAnySalt(values.AlgSHA256), digest[:], sig), values.Success)
	}
}

func TestRSAEncryption(t *testing.T) {
	var d Driver
	key, priv := pkRSAKey(t, 2048)
	pub := key.public(t)
	msg := []byte("attack at dawn")
	for _, alg := range []values.Algorithm{
		values.AlgRSAPKCS1v15Crypt, values.AlgRSAOAEP(values.AlgSHA1), values.AlgRSAOAEP(values.AlgSHA256),
		values.AlgRSAOAEP(values.AlgSHA512), values.AlgRSAOAEP(values.AlgSHA3_256),
	} {
		for _, label := range [][]byte{nil, []byte("label")} {
			if alg == values.AlgRSAPKCS1v15Crypt && label != nil {
				_, err := d.AsymmetricEncrypt(pub.attrs, pub.buf, alg, msg, label, nil)
				pkWantStatus(t, "PKCS#1 v1.5 with a salt", err, values.ErrInvalidArgument)
				continue
			}
			ct, err := d.AsymmetricEncrypt(pub.attrs, pub.buf, alg, msg, label, []byte("prefix"))
			pkWantStatus(t, "encrypt "+alg.String(), err, values.Success)
			if !bytes.HasPrefix(ct, []byte("prefix")) || len(ct) != len("prefix")+256 {
				t.Fatalf("%v: output is not appended to dst", alg)
			}
			ct = ct[len("prefix"):]
			pt, err := d.AsymmetricDecrypt(key.attrs, key.buf, alg, ct, label, nil)
			pkWantStatus(t, "decrypt "+alg.String(), err, values.Success)
			if !bytes.Equal(pt, msg) {
				t.Errorf("%v: decrypted %q", alg, pt)
			}
			// crypto/rsa decrypts the driver's ciphertexts too.
			if alg.IsRSAOAEP() {
				h, _ := lookupPKHash("test", alg, alg.Hash())
				if pt, err := rsa.DecryptOAEP(h.newHash(), nil, priv, ct, label); err != nil || !bytes.Equal(pt, msg) {
					t.Errorf("%v: crypto/rsa cannot decrypt: %v", alg, err)
				}
				_, err := d.AsymmetricDecrypt(key.attrs, key.buf, alg, ct, []byte("other"), nil)
				pkWantStatus(t, "wrong label", err, values.ErrInvalidPadding)
			}
			ct[10] ^= 1
			_, err = d.AsymmetricDecrypt(key.attrs, key.buf, alg, ct, label, nil)
			pkWantStatus(t, "corrupted "+alg.String(), err, values.ErrInvalidPadding)
		}
	}
	_, err := d.AsymmetricEncrypt(pub.attrs, pub.buf, values.AlgRSAOAEP(values.AlgSHA512), make([]byte, 256-2*64-1), nil, nil)
	pkWantStatus(t, "OAEP message too long", err, values.ErrInvalidArgument)
	_, err = d.AsymmetricDecrypt(pub.attrs, pub.buf, values.AlgRSAPKCS1v15Crypt, make([]byte, 256), nil, nil)
	pkWantStatus(t, "decrypt with a public key", err, values.ErrInvalidArgument)
	_, err = d.AsymmetricDecrypt(key.attrs, key.buf, values.AlgRSAPKCS1v15Crypt, make([]byte, 255), nil, nil)
	pkWantStatus(t, "short ciphertext", err, values.ErrInvalidArgument)
	_, err = d.AsymmetricEncrypt(pub.attrs, pub.buf, values.AlgRSAPSS(values.AlgSHA256), msg, nil, nil)
	pkWantStatus(t, "signature algorithm", err, values.ErrInvalidArgument)
}

func TestRSAErrors(t *testing.T) {
	var d Driver
	key, _ := pkRSAKey(t, 1024)
	h := make([]byte, 32)
	tests := []struct {
		name string
		err  error
		want values.Status
	}{
		{"raw input too long", pkErr(d.SignHash(key.attrs, key.buf, values.AlgRSAPKCS1v15SignRaw, make([]byte, 118), nil)), values.ErrInvalidArgument},
		{"raw message", pkErr(d.SignMessage(key.attrs, key.buf, values.AlgRSAPKCS1v15SignRaw, h, nil)), values.ErrInvalidArgument},
		{"PSS wildcard", pkErr(d.SignHash(key.attrs, key.buf, values.AlgRSAPSS(values.AlgAnyHash), h, nil)), values.ErrInvalidArgument},
		{"PSS SHAKE", pkErr(d.SignHash(key.attrs, key.buf, values.AlgRSAPSS(values.AlgSHAKE256_512), make([]byte, 64), nil)), values.ErrNotSupported},
		{"MD2", pkErr(d.SignHash(key.attrs, key.buf, values.AlgRSAPKCS1v15Sign(values.AlgMD2), make([]byte, 16), nil)), values.ErrNotSupported},
		{"signature too long", d.VerifyHash(key.attrs, key.buf, values.AlgRSAPKCS1v15Sign(values.AlgSHA256), h, make([]byte, 129)), values.ErrInvalidSignature},
		{"empty signature", d.VerifyHash(key.attrs, key.buf, values.AlgRSAPKCS1v15Sign(values.AlgSHA256), h, nil), values.ErrInvalidSignature},
	}
	for _, tc := range tests {
		pkWantStatus(t, tc.name, tc.err, tc.want)
	}
	// A 512-bit key, which import accepts and crypto/rsa refuses.
	small := pkImport(t, values.KeyTypeRSAKeyPair, 0, pkRSA512(t))
	_, err := d.SignHash(small.attrs, small.buf, values.AlgRSAPKCS1v15SignRaw, h, nil)
	pkWantStatus(t, "512-bit key", err, values.ErrNotSupported)
}

// pkRSA512 builds a 512-bit RSA key pair, which crypto/rsa refuses to
// generate.
func pkRSA512(t testing.TB) []byte {
	t.Helper()
	for {
		p, _ := rand.Prime(rand.Reader, 256)
		q, _ := rand.Prime(rand.Reader, 256)
		n := new(big.Int).Mul(p, q)
		if n.BitLen() != 512 || p.Cmp(q) == 0 {
			continue
		}
		one := big.NewInt(1)
		phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
		d := new(big.Int).ModInverse(big.NewInt(65537), phi)
		if d == nil {
			continue
		}
		k := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n, E: 65537}, D: d, Primes: []*big.Int{p, q}}
		k.Precompute()
		return x509.MarshalPKCS1PrivateKey(k)
	}
}
