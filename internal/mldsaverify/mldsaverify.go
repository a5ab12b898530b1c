// Package mldsaverify verifies ML-DSA signatures (FIPS 204) given the
// message representative μ: the part of ML-DSA.Verify_internal (FIPS 204
// Algorithm 8) that follows the computation of μ. It exists for
// HashML-DSA, whose μ is built from a pre-hash (FIPS 204 Algorithm 5):
// filippo.io/mldsa and circl verify pure ML-DSA only.
//
// Verification handles public data only and is not constant time. The
// functions are safe for concurrent use.
package mldsaverify

import (
	"crypto/sha3"
	"crypto/subtle"
	"errors"
	"fmt"
)

const (
	n = 256
	q = 8380417
	d = 13
)

// Params is an ML-DSA parameter set (FIPS 204 Table 1).
type Params struct {
	Name           string
	k, l, tau      int
	gamma1, gamma2 int
	beta, omega    int
	lambda         int
}

// The parameter sets of FIPS 204.
var (
	MLDSA44 = &Params{Name: "ML-DSA-44", k: 4, l: 4, tau: 39, gamma1: 1 << 17, gamma2: (q - 1) / 88, beta: 78, omega: 80, lambda: 128}
	MLDSA65 = &Params{Name: "ML-DSA-65", k: 6, l: 5, tau: 49, gamma1: 1 << 19, gamma2: (q - 1) / 32, beta: 196, omega: 55, lambda: 192}
	MLDSA87 = &Params{Name: "ML-DSA-87", k: 8, l: 7, tau: 60, gamma1: 1 << 19, gamma2: (q - 1) / 32, beta: 120, omega: 75, lambda: 256}
)

// zBits is the width of an encoded coefficient of z: bitlen(2γ1 - 1).
func (p *Params) zBits() int { return bitLen(2*p.gamma1 - 1) }

// w1Bits is the width of an encoded coefficient of w1:
// bitlen((q-1)/(2γ2) - 1).
func (p *Params) w1Bits() int { return bitLen((q-1)/(2*p.gamma2) - 1) }

// PublicKeySize is the size of an encoded public key: ρ and t1.
func (p *Params) PublicKeySize() int { return 32 + 32*10*p.k }

// SignatureSize is the size of an encoded signature: c̃, z and h.
func (p *Params) SignatureSize() int { return p.lambda/4 + 32*p.zBits()*p.l + p.omega + p.k }

func bitLen(x int) int {
	b := 0
	for ; x > 0; x >>= 1 {
		b++
	}
	return b
}

// ErrInvalid is returned, wrapped with details, for a malformed public key
// or signature and for a signature that does not verify.
var ErrInvalid = errors.New("mldsaverify: invalid signature")

type poly [n]uint32 // coefficients in [0, q)

// zetas[i] = 1753^BitRev8(i) mod q (FIPS 204 Appendix B).
var zetas = func() (z [256]uint32) {
	for i := range z {
		r := 0
		for b := 0; b < 8; b++ {
			r |= (i >> b & 1) << (7 - b)
		}
		z[i] = uint32(powMod(1753, r))
	}
	return z
}()

func powMod(b, e int) int {
	r, x := 1, b%q
	for ; e > 0; e >>= 1 {
		if e&1 == 1 {
			r = r * x % q
		}
		x = x * x % q
	}
	return r
}

func mulMod(a, b uint32) uint32 { return uint32(uint64(a) * uint64(b) % q) }
func addMod(a, b uint32) uint32 { return (a + b) % q }
func subMod(a, b uint32) uint32 { return (a + q - b) % q }

// ntt is FIPS 204 Algorithm 41.
func (w *poly) ntt() {
	m := 0
	for length := 128; length >= 1; length /= 2 {
		for start := 0; start < n; start += 2 * length {
			m++
			z := zetas[m]
			for j := start; j < start+length; j++ {
				t := mulMod(z, w[j+length])
				w[j+length] = subMod(w[j], t)
				w[j] = addMod(w[j], t)
			}
		}
	}
}

// invNTT is FIPS 204 Algorithm 42.
func (w *poly) invNTT() {
	m := 256
	for length := 1; length < n; length *= 2 {
		for start := 0; start < n; start += 2 * length {
			m--
			z := q - zetas[m]
			for j := start; j < start+length; j++ {
				t := w[j]
				w[j] = addMod(t, w[j+length])
				w[j+length] = mulMod(z, subMod(t, w[j+length]))
			}
		}
	}
	const f = 8347681 // 256⁻¹ mod q
	for j := range w {
		w[j] = mulMod(f, w[j])
	}
}

// bitReader reads little-endian bit fields (FIPS 204 BitsToInteger over
// BytesToBits).
type bitReader struct {
	b   []byte
	pos int
}

func (r *bitReader) read(bits int) int {
	v := 0
	for i := 0; i < bits; i++ {
		v |= int(r.b[r.pos/8]>>(r.pos%8)&1) << i
		r.pos++
	}
	return v
}

// expandA returns the entry (r, s) of Â (FIPS 204 Algorithms 32 and 30).
func expandA(rho []byte, r, s int) *poly {
	x := sha3.NewSHAKE128()
	x.Write(rho)
	x.Write([]byte{byte(s), byte(r)})
	var a poly
	var buf [3 * 56]byte
	for j := 0; j < n; {
		x.Read(buf[:])
		for i := 0; i+3 <= len(buf) && j < n; i += 3 {
			v := uint32(buf[i]) | uint32(buf[i+1])<<8 | uint32(buf[i+2]&0x7f)<<16
			if v < q {
				a[j] = v
				j++
			}
		}
	}
	return &a
}

// sampleInBall is FIPS 204 Algorithm 29.
func sampleInBall(ctilde []byte, tau int) *poly {
	x := sha3.NewSHAKE256()
	x.Write(ctilde)
	var s [8]byte
	x.Read(s[:])
	var c poly
	var one [1]byte
	for i := n - tau; i < n; i++ {
		var j int
		for {
			x.Read(one[:])
			if j = int(one[0]); j <= i {
				break
			}
		}
		c[i] = c[j]
		bit := i + tau - n
		if s[bit/8]>>(bit%8)&1 == 1 {
			c[j] = q - 1
		} else {
			c[j] = 1
		}
	}
	return &c
}

// decompose is FIPS 204 Algorithm 36; it returns r1 and r0 (centered).
func (p *Params) decompose(r uint32) (int, int) {
	rp := int(r)
	g2 := 2 * p.gamma2
	r0 := rp % g2
	if r0 > p.gamma2 {
		r0 -= g2
	}
	if rp-r0 == q-1 {
		return 0, r0 - 1
	}
	return (rp - r0) / g2, r0
}

// useHint is FIPS 204 Algorithm 40.
func (p *Params) useHint(h bool, r uint32) int {
	m := (q - 1) / (2 * p.gamma2)
	r1, r0 := p.decompose(r)
	if !h {
		return r1
	}
	if r0 > 0 {
		return (r1 + 1) % m
	}
	return (r1 - 1 + m) % m
}

// Verify reports whether sig is a valid signature of the message
// representative μ (64 bytes) under the encoded public key pk, for the
// parameter set p: FIPS 204 Algorithm 8 from step 3 on. It returns nil
// for a valid signature and an error wrapping ErrInvalid otherwise.
func Verify(p *Params, pk, mu, sig []byte) error {
	if len(pk) != p.PublicKeySize() {
		return fmt.Errorf("%w: %d bytes is not an %s public key (want %d)", ErrInvalid, len(pk), p.Name, p.PublicKeySize())
	}
	if len(sig) != p.SignatureSize() {
		return fmt.Errorf("%w: %d bytes is not an %s signature (want %d)", ErrInvalid, len(sig), p.Name, p.SignatureSize())
	}
	if len(mu) != 64 {
		return fmt.Errorf("%w: μ must be 64 bytes, not %d", ErrInvalid, len(mu))
	}
	rho := pk[:32]
	ctilde := sig[:p.lambda/4]

	// z, with the norm check ‖z‖∞ < γ1 - β.
	zr := &bitReader{b: sig[p.lambda/4 : p.lambda/4+32*p.zBits()*p.l]}
	z := make([]poly, p.l)
	for i := range z {
		for j := range z[i] {
			v := p.gamma1 - zr.read(p.zBits())
			if v >= p.gamma1-p.beta || -v >= p.gamma1-p.beta {
				return fmt.Errorf("%w: ‖z‖∞ is not less than γ1 - β", ErrInvalid)
			}
			z[i][j] = uint32((v + q) % q)
		}
		z[i].ntt()
	}

	// h (FIPS 204 Algorithm 21, HintBitUnpack).
	y := sig[len(sig)-p.omega-p.k:]
	h := make([][n]bool, p.k)
	index := 0
	for i := 0; i < p.k; i++ {
		end := int(y[p.omega+i])
		if end < index || end > p.omega {
			return fmt.Errorf("%w: malformed hint", ErrInvalid)
		}
		first := index
		for ; index < end; index++ {
			if index > first && y[index-1] >= y[index] {
				return fmt.Errorf("%w: malformed hint (indices not increasing)", ErrInvalid)
			}
			h[i][y[index]] = true
		}
	}
	for ; index < p.omega; index++ {
		if y[index] != 0 {
			return fmt.Errorf("%w: malformed hint (nonzero padding)", ErrInvalid)
		}
	}

	c := sampleInBall(ctilde, p.tau)
	c.ntt()

	// w'Approx = NTT⁻¹(Â ∘ NTT(z) − NTT(c) ∘ NTT(t1 · 2^d)), then
	// w1' = UseHint(h, w'Approx), encoded as it is hashed.
	t1r := &bitReader{b: pk[32:]}
	out := sha3.NewSHAKE256()
	out.Write(mu)
	w1 := make([]byte, 32*p.w1Bits())
	for i := 0; i < p.k; i++ {
		var t1 poly
		for j := range t1 {
			t1[j] = uint32(t1r.read(10)) << d
		}
		t1.ntt()
		var w poly
		for s := 0; s < p.l; s++ {
			a := expandA(rho, i, s)
			for j := range w {
				w[j] = addMod(w[j], mulMod(a[j], z[s][j]))
			}
		}
		for j := range w {
			w[j] = subMod(w[j], mulMod(c[j], t1[j]))
		}
		w.invNTT()
		clear(w1)
		bits := p.w1Bits()
		for j := range w {
			v := p.useHint(h[i][j], w[j])
			for b := 0; b < bits; b++ {
				pos := j*bits + b
				w1[pos/8] |= byte(v>>b&1) << (pos % 8)
			}
		}
		out.Write(w1)
	}
	ct := make([]byte, p.lambda/4)
	out.Read(ct)
	if subtle.ConstantTimeCompare(ct, ctilde) != 1 {
		return fmt.Errorf("%w: the signature does not match", ErrInvalid)
	}
	return nil
}

// Mu returns μ = SHAKE256(SHAKE256(pk, 64) || mPrime, 64) (FIPS 204
// Algorithm 8 steps 6 and 7), where mPrime is M' as built by the external
// algorithm (ML-DSA.Verify or HashML-DSA.Verify).
func Mu(pk []byte, mPrime ...[]byte) []byte {
	tr := make([]byte, 64)
	x := sha3.NewSHAKE256()
	x.Write(pk)
	x.Read(tr)
	x.Reset()
	x.Write(tr)
	for _, m := range mPrime {
		x.Write(m)
	}
	mu := make([]byte, 64)
	x.Read(mu)
	return mu
}
