package builtin

import (
	"crypto/aes"
	"crypto/hmac"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"hash"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/internal/cmac"
	"github.com/gopsa/psa/values"
)

// PBKDF2 (RFC 8018 §5.2), computed block by block so that the stream can
// be read in any pieces: crypto/pbkdf2.Key produces a fixed length in one
// call, and its blocks are the same as these (the tests check it).

// pbkdf2MaxCost is the largest iteration count the builtin driver accepts
// (PSA_VENDOR_PBKDF2_MAX_ITERATIONS in Mbed TLS): the block counter and
// the count are both 32-bit in RFC 8018.
const pbkdf2MaxCost = 1<<32 - 1

// pbkdf2Stream produces T_1 || T_2 || ... with T_i = U_1 ^ ... ^ U_c,
// U_1 = PRF(P, S || INT(i)), U_j = PRF(P, U_{j-1}).
type pbkdf2Stream struct {
	prf  hash.Hash // keyed with the password
	salt []byte
	cost uint64
	ctr  uint32
	be   [4]byte // INT(i); a field so that passing it to the PRF does not allocate
	u, t []byte
}

// newPBKDF2 sets up PSA_ALG_PBKDF2_HMAC and
// PSA_ALG_PBKDF2_AES_CMAC_PRF_128: cost (an integer), salt (the
// concatenation of the salt inputs), password.
func newPBKDF2(in kdfInputs) (kdfGenerator, error) {
	cost, err := pbkdf2Cost(in)
	if err != nil {
		return nil, err
	}
	salt, _, err := in.bytes(values.DerivationInputSalt, true)
	if err != nil {
		return nil, err
	}
	password, _, err := in.bytes(values.DerivationInputPassword, true)
	if err != nil {
		return nil, err
	}
	var prf hash.Hash
	if in.alg == values.AlgPBKDF2AESCMACPRF128 {
		if prf, err = aesCMACPRF128(password); err != nil {
			return nil, fmt.Errorf("key derivation %v: %w", in.alg, err)
		}
	} else {
		h, _, err := kdfHash(in.alg)
		if err != nil {
			return nil, err
		}
		prf = hmac.New(h, password)
	}
	size := prf.Size()
	return &pbkdf2Stream{
		prf:  prf,
		salt: append([]byte(nil), salt...),
		cost: cost,
		u:    make([]byte, 0, size),
		t:    make([]byte, size),
	}, nil
}

func pbkdf2Cost(in kdfInputs) (uint64, error) {
	step := values.DerivationInputCost
	if t := in.in.Type(step); t != driver.InputInteger {
		if t == driver.InputBytes || t == driver.InputKey {
			return 0, fmt.Errorf("key derivation %v: the cost must be an integer input: %w", in.alg, values.ErrInvalidArgument)
		}
		return 0, fmt.Errorf("key derivation %v: the required input %v is missing: %w", in.alg, step, values.ErrBadState)
	}
	cost, err := in.in.Integer(step)
	if err != nil {
		return 0, fmt.Errorf("key derivation %v: reading %v: %w", in.alg, step, err)
	}
	switch {
	case cost == 0:
		return 0, fmt.Errorf("key derivation %v: the iteration count is 0 (want at least 1): %w", in.alg, values.ErrInvalidArgument)
	case cost > pbkdf2MaxCost:
		return 0, fmt.Errorf("key derivation %v: the iteration count %d is above the builtin driver's limit of %d: %w", in.alg, cost, uint64(pbkdf2MaxCost), values.ErrNotSupported)
	}
	return cost, nil
}

// aesCMACPRF128 returns AES-CMAC-PRF-128 (RFC 4615) keyed with a key of
// any length: a 16-byte key is the AES key, any other is first reduced to
// AES-CMAC(0^128, key).
func aesCMACPRF128(key []byte) (hash.Hash, error) {
	var k [16]byte
	defer clear(k[:])
	if len(key) == len(k) {
		copy(k[:], key)
	} else {
		b, err := aes.NewCipher(k[:]) // the zero key
		if err != nil {
			return nil, err
		}
		m, err := cmac.New(b)
		if err != nil {
			return nil, err
		}
		m.Write(key)
		m.Sum(k[:0])
	}
	b, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, err
	}
	return cmac.New(b)
}

// maxLen: the block counter is 32 bits.
func (g *pbkdf2Stream) maxLen() uint64 { return (1<<32 - 1) * uint64(len(g.t)) }

func (g *pbkdf2Stream) next() []byte {
	g.ctr++
	binary.BigEndian.PutUint32(g.be[:], g.ctr)
	g.prf.Reset()
	g.prf.Write(g.salt)
	g.prf.Write(g.be[:])
	g.u = g.prf.Sum(g.u[:0])
	copy(g.t, g.u)
	for j := uint64(1); j < g.cost; j++ {
		g.prf.Reset()
		g.prf.Write(g.u)
		g.u = g.prf.Sum(g.u[:0])
		subtle.XORBytes(g.t, g.t, g.u)
	}
	return g.t
}

func (g *pbkdf2Stream) wipe() {
	clear(g.u[:cap(g.u)])
	clear(g.t)
	g.prf.Reset()
}
