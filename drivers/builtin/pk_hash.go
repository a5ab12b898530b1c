package builtin

import (
	"crypto"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"fmt"
	"hash"

	"github.com/gopsa/psa/values"
)

// The hash algorithms as the public-key mechanisms see them: a length to
// check sign_hash inputs against, an implementation to hash messages with
// (when Go has one), the crypto.Hash that crypto/rsa and crypto/ecdsa
// want, and the object identifiers that some signature encodings embed.
// A hash-and-sign algorithm is supported when its hash is: a hash that
// gopsa cannot compute (MD2, MD4, SM3) makes the algorithm
// values.ErrNotSupported even with sign_hash, which would only need its
// length, so that an algorithm is supported or not whatever the entry
// point (the C reference behaves the same).

type pkHash struct {
	alg  values.Algorithm
	size int
	// ch is the standard library's identifier, 0 if it has none.
	ch crypto.Hash
	// newHash returns a hash.Hash, nil for the SHAKE-based hashes (which
	// sum computes) and for the hashes that gopsa does not implement.
	newHash func() hash.Hash
	// oid is the DER content of the algorithm's OBJECT IDENTIFIER, as in
	// Table 15 (RSA PKCS#1 v1.5) and Tables 17 and 18 (HashSLH-DSA and
	// HashML-DSA) of the specification, without tag and length; nil if it
	// has none there.
	oid []byte
	// preHashOK reports whether the hash is in Tables 17 and 18, the
	// hashes that HashML-DSA and HashSLH-DSA may use.
	preHashOK bool
}

// shakeSum returns a function that computes n bytes of a SHAKE output.
func shakeSum(newXOF func() *sha3.SHAKE, n int) func(dst, msg []byte) []byte {
	return func(dst, msg []byte) []byte {
		x := newXOF()
		x.Write(msg)
		out := append(dst, make([]byte, n)...)
		x.Read(out[len(dst):])
		return out
	}
}

// crypto/rsa's PSS needs the hash registered with package crypto; the
// standard library registers every hash it implements but RIPEMD-160,
// which only the deprecated golang.org/x/crypto/ripemd160 registers. The
// builtin driver registers its own when nothing else did, so that
// PSA_ALG_RSA_PSS(PSA_ALG_RIPEMD160) works as in the C reference.
func init() {
	if !crypto.RIPEMD160.Available() {
		crypto.RegisterHash(crypto.RIPEMD160, newRIPEMD160Hash)
	}
}

var pkHashes = []pkHash{
	{alg: values.AlgMD2, size: 16, oid: []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x02}},
	{alg: values.AlgMD4, size: 16, oid: []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x04}},
	{alg: values.AlgMD5, size: 16, ch: crypto.MD5, newHash: md5.New, oid: []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05}},
	{alg: values.AlgRIPEMD160, size: 20, ch: crypto.RIPEMD160, newHash: newRIPEMD160Hash, oid: []byte{0x2b, 0x24, 0x03, 0x02, 0x01}},
	{alg: values.AlgSHA1, size: 20, ch: crypto.SHA1, newHash: sha1.New, oid: []byte{0x2b, 0x0e, 0x03, 0x02, 0x1a}},
	{alg: values.AlgSHA224, size: 28, ch: crypto.SHA224, newHash: sha256.New224, oid: nistHashOID(4)},
	{alg: values.AlgSHA256, size: 32, ch: crypto.SHA256, newHash: sha256.New, oid: nistHashOID(1), preHashOK: true},
	{alg: values.AlgSHA384, size: 48, ch: crypto.SHA384, newHash: sha512.New384, oid: nistHashOID(2), preHashOK: true},
	{alg: values.AlgSHA512, size: 64, ch: crypto.SHA512, newHash: sha512.New, oid: nistHashOID(3), preHashOK: true},
	{alg: values.AlgSHA512_224, size: 28, ch: crypto.SHA512_224, newHash: sha512.New512_224, oid: nistHashOID(5)},
	{alg: values.AlgSHA512_256, size: 32, ch: crypto.SHA512_256, newHash: sha512.New512_256, oid: nistHashOID(6), preHashOK: true},
	{alg: values.AlgSHA3_224, size: 28, ch: crypto.SHA3_224, newHash: func() hash.Hash { return sha3.New224() }, oid: nistHashOID(7)},
	{alg: values.AlgSHA3_256, size: 32, ch: crypto.SHA3_256, newHash: func() hash.Hash { return sha3.New256() }, oid: nistHashOID(8), preHashOK: true},
	{alg: values.AlgSHA3_384, size: 48, ch: crypto.SHA3_384, newHash: func() hash.Hash { return sha3.New384() }, oid: nistHashOID(9), preHashOK: true},
	{alg: values.AlgSHA3_512, size: 64, ch: crypto.SHA3_512, newHash: func() hash.Hash { return sha3.New512() }, oid: nistHashOID(10), preHashOK: true},
	{alg: values.AlgSHAKE128_256, size: 32, oid: nistHashOID(11), preHashOK: true},
	{alg: values.AlgSHAKE256_512, size: 64, oid: nistHashOID(12), preHashOK: true},
	{alg: values.AlgSM3, size: 32, oid: []byte{0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x78}, preHashOK: true},
}

// nistHashOID returns the OID 2.16.840.1.101.3.4.2.n (NIST hash
// algorithms).
func nistHashOID(n byte) []byte {
	return []byte{0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, n}
}

var (
	shake128x256 = shakeSum(sha3.NewSHAKE128, 32)
	shake256x512 = shakeSum(sha3.NewSHAKE256, 64)
)

// lookupPKHash returns the description of the hash algorithm h of a
// public-key algorithm alg: values.ErrInvalidArgument if h is not a hash
// algorithm (the wildcard PSA_ALG_ANY_HASH included: it only belongs in
// policies), values.ErrNotSupported if gopsa cannot compute it.
func lookupPKHash(op string, alg, h values.Algorithm) (*pkHash, error) {
	if h == values.AlgAnyHash {
		return nil, fmt.Errorf("%s: %v: PSA_ALG_ANY_HASH is a wildcard for key policies, not an algorithm to compute (name a hash): %w", op, alg, values.ErrInvalidArgument)
	}
	if !h.IsHash() {
		return nil, fmt.Errorf("%s: %v does not name a hash algorithm: %w", op, alg, values.ErrInvalidArgument)
	}
	for i := range pkHashes {
		if pkHashes[i].alg == h && pkHashes[i].canCompute() {
			return &pkHashes[i], nil
		}
	}
	return nil, fmt.Errorf("%s: %v: the builtin driver does not implement the hash %v: %w", op, alg, h, values.ErrNotSupported)
}

// canCompute reports whether gopsa can compute the hash.
func (h *pkHash) canCompute() bool {
	return h.newHash != nil || h.alg == values.AlgSHAKE128_256 || h.alg == values.AlgSHAKE256_512
}

// sum appends the hash of msg to dst. The caller has checked canCompute.
func (h *pkHash) sum(dst, msg []byte) []byte {
	switch h.alg {
	case values.AlgSHAKE128_256:
		return shake128x256(dst, msg)
	case values.AlgSHAKE256_512:
		return shake256x512(dst, msg)
	case values.AlgSHA256:
		s := sha256.Sum256(msg)
		return append(dst, s[:]...)
	case values.AlgSHA384:
		s := sha512.Sum384(msg)
		return append(dst, s[:]...)
	case values.AlgSHA512:
		s := sha512.Sum512(msg)
		return append(dst, s[:]...)
	}
	hh := h.newHash()
	hh.Write(msg)
	return hh.Sum(dst)
}

// digest hashes a message for sign_message and verify_message:
// values.ErrNotSupported if gopsa cannot compute the hash.
func (h *pkHash) digest(op string, alg values.Algorithm, msg []byte) ([]byte, error) {
	if !h.canCompute() {
		return nil, fmt.Errorf("%s: %v: the builtin driver cannot compute %v (a hash computed elsewhere can go through sign_hash or verify_hash): %w", op, alg, h.alg, values.ErrNotSupported)
	}
	var buf [64]byte
	return h.sum(buf[:0], msg), nil
}

// checkHashInput checks that the input of sign_hash or verify_hash has the
// length of the algorithm's hash.
func (h *pkHash) checkHashInput(op string, alg values.Algorithm, in []byte) error {
	if len(in) != h.size {
		return fmt.Errorf("%s: %v: a %d-byte hash is not a %v hash (want %d bytes): %w", op, alg, len(in), h.alg, h.size, values.ErrInvalidArgument)
	}
	return nil
}

// digestInfo appends the DER DigestInfo of RFC 8017 §9.2 step 2 for the
// hash value d: SEQUENCE { SEQUENCE { OID, NULL }, OCTET STRING d }.
func (h *pkHash) digestInfo(dst, d []byte) []byte {
	n := len(h.oid)
	dst = append(dst, 0x30, byte(8+n+len(d)), 0x30, byte(4+n), 0x06, byte(n))
	dst = append(dst, h.oid...)
	dst = append(dst, 0x05, 0x00, 0x04, byte(len(d)))
	return append(dst, d...)
}
