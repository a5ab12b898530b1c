package builtin

import (
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"io"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"

	"github.com/gopsa/psa/values"
)

// RSA key sizes the builtin driver supports. Import accepts older and
// larger keys than generation produces; crypto/rsa itself refuses to use
// keys under 1024 bits.
const (
	rsaMinImportBits   = 512
	rsaMaxImportBits   = 8192
	rsaMinGenerateBits = 1024
	rsaMaxGenerateBits = 4096
	rsaMaxExponent     = 1<<31 - 1 // crypto/rsa's limit
)

// rsaKeyDER holds the integers of an RSAPrivateKey.
type rsaKeyDER struct {
	n, e, d, p, q, dp, dq, qinv *big.Int
}

func parseRSAPrivateKey(der []byte) (*rsaKeyDER, error) {
	in := cryptobyte.String(der)
	var seq cryptobyte.String
	if !in.ReadASN1(&seq, asn1.SEQUENCE) {
		return nil, fmt.Errorf("the data is not a DER SEQUENCE (want a PKCS #1 RSAPrivateKey): %w", values.ErrInvalidArgument)
	}
	if !in.Empty() {
		return nil, fmt.Errorf("%d bytes of trailing data after the RSAPrivateKey: %w", len(in), values.ErrInvalidArgument)
	}
	var version int64
	if !seq.ReadASN1Integer(&version) {
		return nil, fmt.Errorf("malformed RSAPrivateKey version: %w", values.ErrInvalidArgument)
	}
	if version != 0 {
		return nil, fmt.Errorf("RSAPrivateKey version %d is not supported (want 0: two primes): %w", version, values.ErrInvalidArgument)
	}
	k := &rsaKeyDER{}
	fields := []struct {
		name string
		v    **big.Int
	}{
		{"modulus", &k.n}, {"publicExponent", &k.e}, {"privateExponent", &k.d},
		{"prime1", &k.p}, {"prime2", &k.q}, {"exponent1", &k.dp},
		{"exponent2", &k.dq}, {"coefficient", &k.qinv},
	}
	for _, f := range fields {
		*f.v = new(big.Int)
		if !seq.ReadASN1Integer(*f.v) {
			return nil, fmt.Errorf("malformed or missing RSAPrivateKey %s (want a DER INTEGER): %w", f.name, values.ErrInvalidArgument)
		}
		if (*f.v).Sign() <= 0 {
			return nil, fmt.Errorf("RSAPrivateKey %s is not positive: %w", f.name, values.ErrInvalidArgument)
		}
	}
	if !seq.Empty() {
		return nil, fmt.Errorf("unexpected fields after the RSAPrivateKey coefficient (version 0 has none): %w", values.ErrInvalidArgument)
	}
	return k, nil
}

// parseRSAPublicKey reads a DER RSAPublicKey without allocating: it
// returns the big-endian magnitudes of the modulus and the exponent,
// without leading zeros.
func parseRSAPublicKey(der []byte) (n, e []byte, err error) {
	in := cryptobyte.String(der)
	var seq cryptobyte.String
	if !in.ReadASN1(&seq, asn1.SEQUENCE) {
		return nil, nil, fmt.Errorf("the data is not a DER RSAPublicKey SEQUENCE { modulus INTEGER, publicExponent INTEGER }: %w", values.ErrInvalidArgument)
	}
	if n, err = readASN1Unsigned(&seq, "RSAPublicKey modulus"); err != nil {
		return nil, nil, err
	}
	if e, err = readASN1Unsigned(&seq, "RSAPublicKey publicExponent"); err != nil {
		return nil, nil, err
	}
	if !seq.Empty() {
		return nil, nil, fmt.Errorf("unexpected fields after the RSAPublicKey exponent (is it a key pair?): %w", values.ErrInvalidArgument)
	}
	if !in.Empty() {
		return nil, nil, fmt.Errorf("%d bytes of trailing data after the RSAPublicKey: %w", len(in), values.ErrInvalidArgument)
	}
	return n, e, nil
}

// readASN1Unsigned reads a DER INTEGER that must be positive and returns
// its magnitude. DER requires the minimal encoding: a leading zero byte
// only before a byte with its top bit set.
func readASN1Unsigned(s *cryptobyte.String, name string) ([]byte, error) {
	var v cryptobyte.String
	if !s.ReadASN1(&v, asn1.INTEGER) || len(v) == 0 {
		return nil, fmt.Errorf("malformed or missing %s (want a DER INTEGER): %w", name, values.ErrInvalidArgument)
	}
	if v[0]&0x80 != 0 {
		return nil, fmt.Errorf("%s is negative: %w", name, values.ErrInvalidArgument)
	}
	if len(v) > 1 && v[0] == 0 && v[1]&0x80 == 0 {
		return nil, fmt.Errorf("%s is not minimally encoded (DER): %w", name, values.ErrInvalidArgument)
	}
	if v[0] == 0 {
		v = v[1:]
	}
	if len(v) == 0 {
		return nil, fmt.Errorf("%s is zero: %w", name, values.ErrInvalidArgument)
	}
	return v, nil
}

// checkRSAPublic applies the checks common to public keys and key pairs
// to the magnitudes of n and e: an odd modulus of a supported size and a
// usable public exponent.
func checkRSAPublic(n, e []byte, minBits, maxBits int) (bits int, err error) {
	if n[len(n)-1]&1 == 0 {
		return 0, fmt.Errorf("the modulus must be odd: %w", values.ErrInvalidArgument)
	}
	bits = 8*(len(n)-1) + bitsLen8(n[0])
	if bits%8 != 0 || bits < minBits || bits > maxBits {
		return 0, fmt.Errorf("a %d-bit modulus is not supported (want a multiple of 8 from %d to %d bits): %w", bits, minBits, maxBits, values.ErrNotSupported)
	}
	if err := checkRSAExponent(e); err != nil {
		return 0, err
	}
	return bits, nil
}

func bitsLen8(b byte) int {
	n := 0
	for ; b != 0; b >>= 1 {
		n++
	}
	return n
}

// checkRSAExponent checks the magnitude of a public exponent, big-endian
// without leading zeros.
func checkRSAExponent(e []byte) error {
	odd := len(e) > 0 && e[len(e)-1]&1 == 1
	if len(e) > 8 {
		if !odd {
			return fmt.Errorf("public exponent 0x%x is not valid (want an odd integer greater than 1): %w", e, values.ErrInvalidArgument)
		}
		return fmt.Errorf("public exponent 0x%x is larger than the builtin driver supports (at most 2^31-1): %w", e, values.ErrNotSupported)
	}
	var v uint64
	for _, b := range e {
		v = v<<8 | uint64(b)
	}
	if !odd || v <= 1 {
		return fmt.Errorf("public exponent %d is not valid (want an odd integer greater than 1): %w", v, values.ErrInvalidArgument)
	}
	if v > rsaMaxExponent {
		return fmt.Errorf("public exponent %d is larger than the builtin driver supports (at most 2^31-1): %w", v, values.ErrNotSupported)
	}
	return nil
}

func importRSA(attrs values.Attributes, data, dst []byte) ([]byte, int, error) {
	if attrs.Type.IsPublicKey() {
		n, e, err := parseRSAPublicKey(data)
		if err != nil {
			return nil, 0, fmt.Errorf("import RSA public key: %w", err)
		}
		bits, err := checkRSAPublic(n, e, rsaMinImportBits, rsaMaxImportBits)
		if err != nil {
			return nil, 0, fmt.Errorf("import RSA public key: %w", err)
		}
		if err := checkBits("import", attrs, bits); err != nil {
			return nil, 0, err
		}
		return append(dst, data...), bits, nil
	}
	k, err := parseRSAPrivateKey(data)
	if err != nil {
		return nil, 0, fmt.Errorf("import RSA key pair: %w", err)
	}
	bits, err := checkRSAPublic(k.n.Bytes(), k.e.Bytes(), rsaMinImportBits, rsaMaxImportBits)
	if err != nil {
		return nil, 0, fmt.Errorf("import RSA key pair: %w", err)
	}
	if err := checkBits("import", attrs, bits); err != nil {
		return nil, 0, err
	}
	priv := &rsa.PrivateKey{
		PublicKey: rsa.PublicKey{N: k.n, E: int(k.e.Int64())},
		D:         k.d,
		Primes:    []*big.Int{k.p, k.q},
		Precomputed: rsa.PrecomputedValues{
			Dp: k.dp, Dq: k.dq, Qinv: k.qinv,
		},
	}
	// crypto/rsa checks n = pq, the private exponent against both primes
	// and the CRT values, in constant time.
	if err := priv.Validate(); err != nil {
		return nil, 0, fmt.Errorf("import RSA key pair: inconsistent key components (%v): %w", err, values.ErrInvalidArgument)
	}
	// The strict DER parse above accepts only the canonical encoding.
	return append(dst, data...), bits, nil
}

func exportPublicRSA(key, dst []byte) ([]byte, error) {
	k, err := parseRSAPrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("export RSA public key: %w", err)
	}
	return appendRSAPublicKey(dst, k.n, k.e), nil
}

func appendRSAPublicKey(dst []byte, n, e *big.Int) []byte {
	b := cryptobyte.NewBuilder(dst)
	b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1BigInt(n)
		b.AddASN1BigInt(e)
	})
	return b.BytesOrPanic()
}

// generateRSA makes an RSA key pair of attrs.Bits bits. expData is the
// public exponent, big-endian (empty for 65537).
//
// With the default exponent the key comes from crypto/rsa.GenerateKey,
// which is constant time but, since Go 1.26, draws from the operating
// system's random source whatever reader it is given. Other exponents use
// generateRSAWithExponent, which reads r.
func generateRSA(r io.Reader, attrs values.Attributes, expData, dst []byte) ([]byte, error) {
	bits := attrs.Bits
	if bits == 0 {
		return nil, fmt.Errorf("generate RSA key pair: the key size is required (it is 0): %w", values.ErrInvalidArgument)
	}
	if bits%8 != 0 || bits < rsaMinGenerateBits || bits > rsaMaxGenerateBits {
		return nil, fmt.Errorf("generate RSA key pair: %d bits is not supported (want a multiple of 8 from %d to %d): %w", bits, rsaMinGenerateBits, rsaMaxGenerateBits, values.ErrNotSupported)
	}
	e := big.NewInt(65537)
	if len(expData) > 0 {
		e.SetBytes(expData)
	}
	if err := checkRSAExponent(e.Bytes()); err != nil {
		return nil, fmt.Errorf("generate RSA key pair: %w", err)
	}
	var priv *rsa.PrivateKey
	var err error
	if e.Int64() == 65537 {
		priv, err = rsa.GenerateKey(r, bits)
	} else {
		priv, err = generateRSAWithExponent(r, bits, int(e.Int64()))
	}
	if err != nil {
		return nil, fmt.Errorf("generate RSA key pair: %w", err)
	}
	der := x509.MarshalPKCS1PrivateKey(priv)
	out := append(dst, der...)
	wipe(der)
	return out, nil
}

// generateRSAWithExponent generates two primes of bits/2 bits each, with
// their two top bits set so that n has exactly bits bits, p-1 and q-1
// prime to e, and p and q more than 2^(bits/2-100) apart (FIPS 186-5
// A.1.3); d is e⁻¹ mod lcm(p-1, q-1) and must exceed 2^(bits/2). The
// arithmetic is math/big's, which is not constant time.
func generateRSAWithExponent(r io.Reader, bits, e int) (*rsa.PrivateKey, error) {
	E := big.NewInt(int64(e))
	one := big.NewInt(1)
	for {
		p, err := rsaPrime(r, bits/2, E)
		if err != nil {
			return nil, err
		}
		q, err := rsaPrime(r, bits/2, E)
		if err != nil {
			return nil, err
		}
		diff := new(big.Int).Sub(p, q)
		if diff.Abs(diff).BitLen() <= bits/2-100 {
			continue
		}
		n := new(big.Int).Mul(p, q)
		if n.BitLen() != bits {
			continue
		}
		pm1 := new(big.Int).Sub(p, one)
		qm1 := new(big.Int).Sub(q, one)
		g := new(big.Int).GCD(nil, nil, pm1, qm1)
		lambda := new(big.Int).Mul(pm1, qm1)
		lambda.Div(lambda, g)
		d := new(big.Int).ModInverse(E, lambda)
		if d == nil || d.BitLen() <= bits/2 {
			continue
		}
		priv := &rsa.PrivateKey{
			PublicKey: rsa.PublicKey{N: n, E: e},
			D:         d,
			Primes:    []*big.Int{p, q},
		}
		priv.Precompute()
		if err := priv.Validate(); err != nil {
			return nil, err
		}
		return priv, nil
	}
}

// rsaPrime draws probable primes of exactly bits bits (bits a multiple of
// 4) with the two top bits set, until one has p-1 prime to e.
func rsaPrime(r io.Reader, bits int, e *big.Int) (*big.Int, error) {
	buf := make([]byte, (bits+7)/8)
	defer wipe(buf)
	excess := uint(8*len(buf) - bits)
	p := new(big.Int)
	pm1 := new(big.Int)
	g := new(big.Int)
	for {
		if err := readFull(r, buf); err != nil {
			return nil, err
		}
		buf[0] &= 0xff >> excess
		buf[0] |= 0xc0 >> excess
		buf[len(buf)-1] |= 1
		p.SetBytes(buf)
		if !p.ProbablyPrime(20) {
			continue
		}
		pm1.Sub(p, big.NewInt(1))
		if g.GCD(nil, nil, pm1, e).Cmp(big.NewInt(1)) != 0 {
			continue
		}
		return p, nil
	}
}
