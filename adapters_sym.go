package psa

import (
	"crypto/cipher"
	"fmt"
	"hash"

	"github.com/gopsa/psa/values"
)

// NewHash returns a hash.Hash that computes alg with the instance's
// drivers. Sum does not disturb the running computation (it finishes a
// copy), and the result also implements hash.Cloner.
//
// hash.Hash has no room for errors. A driver failure in Write, which the
// standard library's hashes never have, is returned by Write and by every
// later Write, and makes Sum panic; Reset clears it. Like the standard
// library's hashes, the result is not safe for concurrent use.
func (c *Crypto) NewHash(alg Algorithm) (hash.Hash, error) {
	h := &hashAdapter{c: c, alg: alg}
	if err := c.HashSetup(&h.op, alg); err != nil {
		return nil, err
	}
	return h, nil
}

type hashAdapter struct {
	c   *Crypto
	alg Algorithm
	op  HashOperation
	err error // the failure that aborted op, until Reset
}

func (h *hashAdapter) Write(p []byte) (int, error) {
	if h.err != nil {
		return 0, h.err
	}
	if err := h.op.Update(p); err != nil {
		h.err = err
		return 0, err
	}
	return len(p), nil
}

func (h *hashAdapter) Sum(b []byte) []byte {
	if h.err != nil {
		panic(fmt.Sprintf("psa: Sum of a hash whose computation failed: %v", h.err))
	}
	var t HashOperation
	if err := h.op.Clone(&t); err != nil {
		panic(fmt.Sprintf("psa: Sum: %v", err))
	}
	out, err := t.Finish(b)
	if err != nil {
		panic(fmt.Sprintf("psa: Sum: %v", err))
	}
	return out
}

func (h *hashAdapter) Reset() {
	h.op.Abort()
	h.err = h.c.HashSetup(&h.op, h.alg)
}

func (h *hashAdapter) Size() int      { return values.HashLength(h.alg) }
func (h *hashAdapter) BlockSize() int { return max(values.HashBlockLength(h.alg), 1) }

func (h *hashAdapter) Clone() (hash.Cloner, error) {
	if h.err != nil {
		return nil, h.err
	}
	n := &hashAdapter{c: h.c, alg: h.alg}
	if err := h.op.Clone(&n.op); err != nil {
		return nil, err
	}
	return n, nil
}

// NewMAC returns a hash.Hash that computes the MAC alg with key, which
// needs UsageSignMessage; Sum appends the MAC. Sum does not disturb the
// running computation: it finishes a copy of the MAC operation when the
// driver can copy one, and otherwise the adapter keeps the message in
// memory and Sum computes the MAC in one call. Verify MACs with MACVerify
// or a verify operation rather than comparing Sum's output.
//
// Errors are handled as by NewHash's result: a failure (the key was
// destroyed, for instance) is returned by Write and makes Sum panic.
// The result is not safe for concurrent use.
func (c *Crypto) NewMAC(key KeyID, alg Algorithm) (hash.Hash, error) {
	attrs, err := c.KeyAttributes(key)
	if err != nil {
		return nil, fmt.Errorf("new mac: %w", err)
	}
	m := &macAdapter{c: c, key: key, alg: alg, size: values.MACLength(attrs.Type, attrs.Bits, alg)}
	switch {
	case alg.IsHMAC():
		m.block = values.HashBlockLength(alg.HMACHash())
	default:
		m.block = values.BlockCipherBlockLength(attrs.Type)
	}
	if err := m.setup(); err != nil {
		return nil, err
	}
	return m, nil
}

type macAdapter struct {
	c           *Crypto
	key         KeyID
	alg         Algorithm
	size, block int
	op          MACOperation
	buffered    bool   // the driver cannot copy the operation: msg holds the message
	msg         []byte // the message so far, when buffered
	err         error
}

func (m *macAdapter) setup() error {
	if err := m.c.MACSignSetup(&m.op, m.key, m.alg); err != nil {
		return err
	}
	m.buffered = !m.op.op.CanClone()
	if m.buffered {
		// Setup checked the policy and the driver's support; the
		// single-part call in Sum does the work.
		m.op.Abort()
	}
	return nil
}

func (m *macAdapter) Write(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	if m.buffered {
		m.msg = append(m.msg, p...)
		return len(p), nil
	}
	if err := m.op.Update(p); err != nil {
		m.err = err
		return 0, err
	}
	return len(p), nil
}

func (m *macAdapter) Sum(b []byte) []byte {
	if m.err != nil {
		panic(fmt.Sprintf("psa: Sum of a MAC whose computation failed: %v", m.err))
	}
	if m.buffered {
		out, err := m.c.MACCompute(m.key, m.alg, m.msg, b)
		if err != nil {
			panic(fmt.Sprintf("psa: MAC Sum: %v", err))
		}
		return out
	}
	var t MACOperation
	if err := m.op.op.CloneTo(&t.op); err != nil {
		panic(fmt.Sprintf("psa: MAC Sum: %v", err))
	}
	out, err := t.SignFinish(b)
	if err != nil {
		panic(fmt.Sprintf("psa: MAC Sum: %v", err))
	}
	return out
}

func (m *macAdapter) Reset() {
	m.op.Abort()
	clear(m.msg)
	m.msg = m.msg[:0]
	m.err = m.setup()
}

func (m *macAdapter) Size() int      { return m.size }
func (m *macAdapter) BlockSize() int { return max(m.block, 1) }

// AEAD returns a cipher.AEAD that encrypts and decrypts with key and the
// AEAD algorithm alg, calling AEADEncrypt and AEADDecrypt: the key needs
// UsageEncrypt to Seal and UsageDecrypt to Open. AEAD checks that the key
// exists and that its policy permits alg.
//
// cipher.AEAD's Seal returns no error: like the standard library's
// implementations, it panics on misuse, such as a nonce of the wrong
// length, and also on any other failure (a key without UsageEncrypt, a
// key destroyed since). Open returns errors; inauthentic data is an error
// wrapping ErrInvalidSignature. As with the standard library, dst may be
// plaintext[:0] (or ciphertext[:0] for Open) but must not otherwise
// overlap the input. The result is safe for concurrent use.
func (c *Crypto) AEAD(key KeyID, alg Algorithm) (cipher.AEAD, error) {
	const what = "aead adapter"
	if !alg.IsAEAD() || alg.IsWildcard() {
		return nil, fmt.Errorf("%s: %v is not a specific AEAD algorithm: %w", what, alg, ErrInvalidArgument)
	}
	// Usage 0: the permitted algorithm alone; Seal and Open check
	// their own usage flags.
	s, err := c.core.Use(key, 0, alg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	attrs := s.Attrs
	c.core.Release(s)
	a := &aeadAdapter{
		c: c, key: key, alg: alg,
		nonce:    values.AEADNonceLength(attrs.Type, alg),
		overhead: values.AEADTagLength(attrs.Type, attrs.Bits, alg),
	}
	if a.nonce == 0 || a.overhead == 0 {
		return nil, fmt.Errorf("%s: a %v key cannot be used with %v: %w", what, attrs.Type, alg, ErrInvalidArgument)
	}
	return a, nil
}

type aeadAdapter struct {
	c               *Crypto
	key             KeyID
	alg             Algorithm
	nonce, overhead int
}

func (a *aeadAdapter) NonceSize() int { return a.nonce }
func (a *aeadAdapter) Overhead() int  { return a.overhead }

func (a *aeadAdapter) Seal(dst, nonce, plaintext, additionalData []byte) []byte {
	if len(nonce) != a.nonce {
		panic(fmt.Sprintf("psa: AEAD Seal: %d-byte nonce, want %d for %v", len(nonce), a.nonce, a.alg))
	}
	out, err := a.c.AEADEncrypt(a.key, a.alg, nonce, additionalData, plaintext, dst)
	if err != nil {
		panic(fmt.Sprintf("psa: AEAD Seal: %v", err))
	}
	return out
}

func (a *aeadAdapter) Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error) {
	if len(nonce) != a.nonce {
		panic(fmt.Sprintf("psa: AEAD Open: %d-byte nonce, want %d for %v", len(nonce), a.nonce, a.alg))
	}
	out, err := a.c.AEADDecrypt(a.key, a.alg, nonce, additionalData, ciphertext, dst)
	if err != nil {
		return nil, err
	}
	return out, nil
}
