package builtin

import (
	"crypto/cipher"
	"crypto/subtle"
	"errors"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/internal/ccm"
	"github.com/gopsa/psa/values"
)

// Authenticated encryption: aead_encrypt, aead_decrypt and the
// aead_encrypt_multipart and aead_decrypt_multipart families.
//
// Supported: GCM (nonces of 1 byte or more, tags of 4, 8 and 12 to 16
// bytes) and CCM (nonces of 7 to 13 bytes, tags of 4 to 16 bytes in steps
// of 2) over AES, ARIA and Camellia; ChaCha20-Poly1305 with a 12-byte
// nonce and XChaCha20-Poly1305 with a 24-byte nonce, both with their
// 16-byte tag only. Not supported: the 8-byte-nonce variant of
// ChaCha20-Poly1305 (optional in the specification), Ascon-AEAD128 (no Go
// implementation of NIST SP 800-232) and SM4.
//
// Single-part operations use the standard library's and x/crypto's
// one-shot AEADs where they accept the parameters (GCM: a 12-byte nonce
// with a 12- to 16-byte tag, or any nonce with a 16-byte tag), and the
// streaming implementations otherwise. Multi-part operations stream: GCM
// and ChaCha20-Poly1305 are built from their parts (see sym_gcm.go and
// sym_chachapoly.go) and CCM uses internal/ccm's streaming form, which
// needs the lengths (SetLengths) before any data. Decryption's Update
// returns plaintext before the tag is checked, as a PSA multi-part
// decryption does; single-part decryption releases nothing on failure.

type aeadKind uint8

const (
	aeadGCM aeadKind = iota + 1
	aeadCCM
	aeadChaChaPoly
	aeadXChaChaPoly
)

// aeadParams is a validated AEAD request: the algorithm, its tag length and
// the keyed primitive.
type aeadParams struct {
	alg    values.Algorithm
	kind   aeadKind
	tagLen int
	block  cipher.Block // GCM, CCM
	gcm    cipher.AEAD  // GCM with a 12-byte nonce and a 16-byte tag
	key    []byte       // ChaCha20-Poly1305 variants
}

// aeadTagLength extracts the tag length of an AEAD algorithm, as
// PSA_ALG_AEAD_GET_TAG_LENGTH does.
func aeadTagLength(alg values.Algorithm) int { return int(alg>>16) & 0x3f }

// newAEAD validates alg and the key. It is the one place where AEAD
// primitives are built.
func newAEAD(op string, attrs values.Attributes, key []byte, alg values.Algorithm) (aeadParams, error) {
	p := aeadParams{alg: alg}
	if !alg.IsAEAD() {
		return p, fmt.Errorf("%s: %v is not an AEAD algorithm: %w", op, alg, values.ErrInvalidArgument)
	}
	if alg.IsWildcard() {
		return p, fmt.Errorf("%s: %v is a policy wildcard, not an AEAD algorithm: %w", op, alg, values.ErrInvalidArgument)
	}
	base := values.AlgAEADWithDefaultLengthTag(alg)
	p.tagLen = aeadTagLength(alg)
	t := attrs.Type
	var tagOK bool
	switch base {
	case values.AlgGCM:
		p.kind = aeadGCM
		tagOK = p.tagLen == 4 || p.tagLen == 8 || p.tagLen >= 12 && p.tagLen <= 16
	case values.AlgCCM:
		p.kind = aeadCCM
		tagOK = p.tagLen >= 4 && p.tagLen <= 16 && p.tagLen%2 == 0
	case values.AlgChaCha20Poly1305, values.AlgXChaCha20Poly1305:
		p.kind, tagOK = aeadChaChaPoly, p.tagLen == 16
		want := values.KeyTypeChaCha20
		if base == values.AlgXChaCha20Poly1305 {
			p.kind, want = aeadXChaChaPoly, values.KeyTypeXChaCha20
		}
		if !tagOK {
			return p, fmt.Errorf("%s: %v has a 16-byte tag only, not %d: %w", op, base, p.tagLen, values.ErrInvalidArgument)
		}
		if t != want {
			return p, fmt.Errorf("%s: %v needs a %v key, not %v: %w", op, base, want, t, values.ErrInvalidArgument)
		}
		if len(key) != chacha20poly1305.KeySize {
			return p, fmt.Errorf("%s: a %v key is 256 bits, got %d: %w", op, t, 8*len(key), values.ErrInvalidArgument)
		}
		p.key = key
		return p, nil
	case values.AlgAsconAEAD128:
		return p, fmt.Errorf("%s: %v is not supported by the builtin driver (no Go implementation of NIST SP 800-232 is available): %w", op, base, values.ErrNotSupported)
	default:
		return p, fmt.Errorf("%s: AEAD algorithm %v is not supported by the builtin driver: %w", op, alg, values.ErrNotSupported)
	}
	if !tagOK {
		want := "4, 8, 12, 13, 14, 15 or 16"
		if p.kind == aeadCCM {
			want = "4, 6, 8, 10, 12, 14 or 16"
		}
		return p, fmt.Errorf("%s: a %d-byte tag is not valid for %v (want %s): %w", op, p.tagLen, base, want, values.ErrInvalidArgument)
	}
	if !isBlockCipherKey(t) {
		return p, fmt.Errorf("%s: %v needs a 128-bit block cipher key (AES, ARIA or Camellia), not %v: %w", op, base, t, values.ErrInvalidArgument)
	}
	if p.kind == aeadGCM {
		g, err := gcmKey(op, t, key)
		p.block, p.gcm = g.block, g.gcm
		return p, err
	}
	b, err := keyBlock128(op, t, key)
	if err != nil {
		return p, err
	}
	p.block = b
	return p, nil
}

// gcmKeyState is a key prepared for GCM: its block cipher, and the
// standard library's GCM with the usual 12-byte nonce and 16-byte tag, so
// that a call with those costs one cache lookup.
type gcmKeyState struct {
	block cipher.Block
	gcm   cipher.AEAD
}

// gcmKey prepares the key buffer of an entry point for GCM, once per key.
func gcmKey(op string, t values.KeyType, key []byte) (gcmKeyState, error) {
	if t == values.KeyTypeDES {
		_, err := newBlock128(op, t, key) // the error
		return gcmKeyState{}, err
	}
	return prepared(key, prepKind{what: prepGCMKey, t: t}, func(key []byte) (gcmKeyState, error) {
		b, err := newBlock(op, t, key)
		if err != nil {
			return gcmKeyState{}, err
		}
		g, err := cipher.NewGCM(b)
		if err != nil {
			return gcmKeyState{}, fmt.Errorf("%s: %v: %w", op, err, values.ErrInvalidArgument)
		}
		return gcmKeyState{b, g}, nil
	})
}

// checkNonce checks the nonce length.
func (p *aeadParams) checkNonce(op string, nonce []byte) error {
	n := len(nonce)
	switch p.kind {
	case aeadGCM:
		if n == 0 {
			return fmt.Errorf("%s: GCM needs a nonce of at least 1 byte (12 recommended): %w", op, values.ErrInvalidArgument)
		}
	case aeadCCM:
		if n < ccm.MinNonceSize || n > ccm.MaxNonceSize {
			return fmt.Errorf("%s: a %d-byte nonce is not valid for CCM (want 7 to 13 bytes): %w", op, n, values.ErrInvalidArgument)
		}
	case aeadChaChaPoly:
		if n == 8 {
			return fmt.Errorf("%s: the 8-byte-nonce variant of ChaCha20-Poly1305 is not supported (use a 12-byte nonce): %w", op, values.ErrNotSupported)
		}
		if n != chacha20poly1305.NonceSize {
			return fmt.Errorf("%s: a %d-byte nonce is not valid for ChaCha20-Poly1305 (want 12 bytes): %w", op, n, values.ErrInvalidArgument)
		}
	case aeadXChaChaPoly:
		if n != chacha20poly1305.NonceSizeX {
			return fmt.Errorf("%s: a %d-byte nonce is not valid for XChaCha20-Poly1305 (want 24 bytes): %w", op, n, values.ErrInvalidArgument)
		}
	}
	return nil
}

// checkTextLength checks the total plaintext length against the limit of
// the algorithm (and, for CCM, of the nonce length).
func (p *aeadParams) checkTextLength(op string, n uint64, nonceLen int) error {
	var limit uint64
	switch p.kind {
	case aeadGCM:
		limit = gcmMaxText
	case aeadCCM:
		limit = uint64(ccm.MaxLength(nonceLen))
	default:
		limit = chachaPolyMaxText
	}
	if n > limit {
		return fmt.Errorf("%s: %d bytes of text is more than %v can process (at most %d with this nonce): %w", op, n, p.alg, limit, values.ErrInvalidArgument)
	}
	return nil
}

// oneShot returns the standard library's (or x/crypto's) AEAD for the
// parameters, or nil when only the streaming implementation accepts them.
// It is prepared once per key buffer (of type t), nonce length and tag
// length: a cipher.AEAD is safe for concurrent use.
func (p *aeadParams) oneShot(t values.KeyType, key []byte, nonceLen int) (cipher.AEAD, error) {
	if p.gcm != nil && nonceLen == 12 && p.tagLen == 16 {
		return p.gcm, nil
	}
	if p.kind == aeadGCM && !(nonceLen == 12 && p.tagLen >= 12) && p.tagLen != 16 {
		return nil, nil
	}
	kind := prepKind{what: prepAEAD, t: t, a: int(p.kind), b: nonceLen<<8 | p.tagLen}
	return prepared(key, kind, func(key []byte) (cipher.AEAD, error) {
		switch p.kind {
		case aeadGCM:
			switch {
			case nonceLen == 12 && p.tagLen == 16:
				return cipher.NewGCM(p.block)
			case nonceLen == 12:
				return cipher.NewGCMWithTagSize(p.block, p.tagLen)
			}
			return cipher.NewGCMWithNonceSize(p.block, nonceLen)
		case aeadCCM:
			return ccm.New(p.block, nonceLen, p.tagLen)
		case aeadChaChaPoly:
			return chacha20poly1305.New(key)
		}
		return chacha20poly1305.NewX(key)
	})
}

// gcmFast returns the key's prepared standard GCM for the most common
// single-part call, which it recognises with a few comparisons instead of
// newAEAD's general validation: PSA_ALG_GCM (16-byte tag) with an AES key,
// a 12-byte nonce and textLen bytes of text within GCM's limit. It returns
// nil for any other call, and when preparing the key fails: the general
// path then handles the call and reports the error.
func gcmFast(t values.KeyType, key []byte, alg values.Algorithm, nonceLen, textLen int) cipher.AEAD {
	if alg != values.AlgGCM || t != values.KeyTypeAES || nonceLen != 12 || uint64(textLen) > gcmMaxText {
		return nil
	}
	g, err := gcmKey("aead", t, key)
	if err != nil {
		return nil
	}
	return g.gcm
}

// AEADEncrypt is the "aead_encrypt" entry point: it appends the ciphertext
// and the tag to dst.
func (d *Driver) AEADEncrypt(attrs values.Attributes, key []byte, alg values.Algorithm, nonce, ad, plaintext, dst []byte) ([]byte, error) {
	const op = "aead encrypt"
	if a := gcmFast(attrs.Type, key, alg, len(nonce), len(plaintext)); a != nil {
		return a.Seal(dst, nonce, plaintext, ad), nil
	}
	p, err := newAEAD(op, attrs, key, alg)
	if err != nil {
		return nil, err
	}
	if err := p.checkNonce(op, nonce); err != nil {
		return nil, err
	}
	if err := p.checkTextLength(op, uint64(len(plaintext)), len(nonce)); err != nil {
		return nil, err
	}
	a, err := p.oneShot(attrs.Type, key, len(nonce))
	if err != nil {
		return nil, fmt.Errorf("%s: %v: %w", op, err, values.ErrInvalidArgument)
	}
	if a != nil {
		return a.Seal(dst, nonce, plaintext, ad), nil
	}
	g := newGCMStream(p.block, nonce, false)
	defer g.wipe()
	out, tail := sliceForAppend(dst, len(plaintext)+p.tagLen)
	g.addAD(ad)
	g.crypt(tail, plaintext)
	var tag [16]byte
	g.sum(&tag)
	copy(tail[len(plaintext):], tag[:p.tagLen])
	return out, nil
}

// AEADDecrypt is the "aead_decrypt" entry point: ciphertext ends with the
// tag. On a tag mismatch it returns values.ErrInvalidSignature and leaves
// no plaintext in dst's spare capacity.
func (d *Driver) AEADDecrypt(attrs values.Attributes, key []byte, alg values.Algorithm, nonce, ad, ciphertext, dst []byte) ([]byte, error) {
	const op = "aead decrypt"
	if len(ciphertext) >= 16 {
		if a := gcmFast(attrs.Type, key, alg, len(nonce), len(ciphertext)-16); a != nil {
			out, err := a.Open(dst, nonce, ciphertext, ad)
			if err != nil {
				return nil, fmt.Errorf("%s: the tag does not authenticate the data: %w", op, values.ErrInvalidSignature)
			}
			return out, nil
		}
	}
	p, err := newAEAD(op, attrs, key, alg)
	if err != nil {
		return nil, err
	}
	if err := p.checkNonce(op, nonce); err != nil {
		return nil, err
	}
	if len(ciphertext) < p.tagLen {
		return nil, fmt.Errorf("%s: the input (%d bytes) is shorter than the %d-byte tag: %w", op, len(ciphertext), p.tagLen, values.ErrInvalidArgument)
	}
	n := len(ciphertext) - p.tagLen
	if err := p.checkTextLength(op, uint64(n), len(nonce)); err != nil {
		return nil, err
	}
	a, err := p.oneShot(attrs.Type, key, len(nonce))
	if err != nil {
		return nil, fmt.Errorf("%s: %v: %w", op, err, values.ErrInvalidArgument)
	}
	if a != nil {
		out, err := a.Open(dst, nonce, ciphertext, ad)
		if err != nil {
			return nil, fmt.Errorf("%s: the tag does not authenticate the data: %w", op, values.ErrInvalidSignature)
		}
		return out, nil
	}
	g := newGCMStream(p.block, nonce, true)
	defer g.wipe()
	out, tail := sliceForAppend(dst, n)
	g.addAD(ad)
	g.crypt(tail, ciphertext[:n])
	var tag [16]byte
	g.sum(&tag)
	if subtle.ConstantTimeCompare(tag[:p.tagLen], ciphertext[n:]) != 1 {
		clear(tail)
		return nil, fmt.Errorf("%s: the tag does not authenticate the data: %w", op, values.ErrInvalidSignature)
	}
	return out, nil
}

// AEADEncryptSetup is the "aead_encrypt_setup" entry point.
func (d *Driver) AEADEncryptSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (driver.AEADOperation, error) {
	return newAEADOperation("aead encrypt", attrs, key, alg, false)
}

// AEADDecryptSetup is the "aead_decrypt_setup" entry point.
func (d *Driver) AEADDecryptSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (driver.AEADOperation, error) {
	return newAEADOperation("aead decrypt", attrs, key, alg, true)
}

func newAEADOperation(op string, attrs values.Attributes, key []byte, alg values.Algorithm, decrypt bool) (*aeadOperation, error) {
	p, err := newAEAD(op+" setup", attrs, key, alg)
	if err != nil {
		return nil, err
	}
	// The key buffer is only valid during the call.
	p.key = append([]byte(nil), p.key...)
	return &aeadOperation{op: op, p: p, decrypt: decrypt}, nil
}

// aeadOperation is a multi-part AEAD operation. The core serialises calls
// on it and enforces their order; the operation checks what concerns the
// mechanism (nonce length, declared lengths, tag).
type aeadOperation struct {
	op      string
	p       aeadParams
	decrypt bool

	nonce      []byte
	lengthsSet bool
	adTotal    uint64
	textTotal  uint64
	adLen      uint64
	textLen    uint64
	inText     bool

	gcm    *gcmStream
	cp     *chachaPolyStream
	ccmEnc *ccm.Encrypter
	ccmDec *ccm.Decrypter
}

// SetNonce sets the nonce.
func (o *aeadOperation) SetNonce(nonce []byte) error {
	op := o.op + " set nonce"
	if o.nonce != nil {
		return fmt.Errorf("%s: the nonce is already set: %w", op, values.ErrBadState)
	}
	if err := o.p.checkNonce(op, nonce); err != nil {
		return err
	}
	if o.lengthsSet {
		if err := o.p.checkTextLength(op, o.textTotal, len(nonce)); err != nil {
			return err
		}
	}
	var err error
	switch o.p.kind {
	case aeadGCM:
		o.gcm = newGCMStream(o.p.block, nonce, o.decrypt)
	case aeadChaChaPoly:
		o.cp, err = newChaChaPoly(o.p.key, nonce, o.decrypt)
	case aeadXChaChaPoly:
		o.cp, err = newXChaChaPoly(o.p.key, nonce, o.decrypt)
	}
	if err != nil {
		return fmt.Errorf("%s: %v: %w", op, err, values.ErrInvalidArgument)
	}
	o.nonce = append([]byte{}, nonce...)
	return nil
}

// gcmMaxADBytes is the most additional data GCM authenticates: 2^64-1 bits
// (NIST SP 800-38D, section 5.2.1.1).
const gcmMaxADBytes = (1<<64 - 1) / 8

// SetLengths declares the total lengths of additional data and text.
func (o *aeadOperation) SetLengths(adLength, plaintextLength int) error {
	op := o.op + " set lengths"
	if o.lengthsSet || o.adLen > 0 || o.inText {
		return fmt.Errorf("%s: the lengths must be set once, before any data: %w", op, values.ErrBadState)
	}
	if adLength < 0 || plaintextLength < 0 {
		return fmt.Errorf("%s: negative lengths (%d, %d): %w", op, adLength, plaintextLength, values.ErrInvalidArgument)
	}
	if err := o.p.checkTextLength(op, uint64(plaintextLength), max(len(o.nonce), ccm.MinNonceSize)); err != nil {
		return err
	}
	if o.p.kind == aeadGCM && uint64(adLength) > gcmMaxADBytes {
		return fmt.Errorf("%s: %d bytes of additional data, more than GCM's limit of 2^64-1 bits: %w", op, adLength, values.ErrInvalidArgument)
	}
	o.lengthsSet, o.adTotal, o.textTotal = true, uint64(adLength), uint64(plaintextLength)
	return nil
}

// start checks that the operation can take data, and creates the CCM
// operation once the nonce and lengths are known.
func (o *aeadOperation) start(op string) error {
	if o.nonce == nil {
		return fmt.Errorf("%s: the nonce must be set before any data: %w", op, values.ErrBadState)
	}
	if o.p.kind != aeadCCM || o.ccmEnc != nil || o.ccmDec != nil {
		return nil
	}
	if !o.lengthsSet {
		return fmt.Errorf("%s: CCM needs the lengths (psa_aead_set_lengths) before any data: %w", op, values.ErrBadState)
	}
	var err error
	if o.decrypt {
		o.ccmDec, err = ccm.NewDecrypter(o.p.block, o.nonce, int(o.adTotal), int(o.textTotal), o.p.tagLen)
	} else {
		o.ccmEnc, err = ccm.NewEncrypter(o.p.block, o.nonce, int(o.adTotal), int(o.textTotal), o.p.tagLen)
	}
	if err != nil {
		return fmt.Errorf("%s: %v: %w", op, err, values.ErrInvalidArgument)
	}
	return nil
}

// UpdateAD absorbs additional data.
func (o *aeadOperation) UpdateAD(ad []byte) error {
	op := o.op + " update ad"
	if err := o.start(op); err != nil {
		return err
	}
	if o.inText {
		return fmt.Errorf("%s: additional data must come before the text: %w", op, values.ErrBadState)
	}
	n := o.adLen + uint64(len(ad))
	if o.lengthsSet && n > o.adTotal {
		return fmt.Errorf("%s: %d bytes of additional data exceed the %d declared: %w", op, n, o.adTotal, values.ErrInvalidArgument)
	}
	o.adLen = n
	switch {
	case o.gcm != nil:
		o.gcm.addAD(ad)
	case o.cp != nil:
		o.cp.addAD(ad)
	case o.ccmEnc != nil:
		return wrapCCM(op, o.ccmEnc.AddAD(ad))
	case o.ccmDec != nil:
		return wrapCCM(op, o.ccmDec.AddAD(ad))
	}
	return nil
}

// Update encrypts or decrypts input and appends the output to dst. A
// decryption's output is not authenticated until Verify succeeds.
func (o *aeadOperation) Update(input, dst []byte) ([]byte, error) {
	op := o.op + " update"
	if err := o.start(op); err != nil {
		return nil, err
	}
	if o.lengthsSet && o.adLen != o.adTotal {
		return nil, fmt.Errorf("%s: %d bytes of additional data were given, %d declared: %w", op, o.adLen, o.adTotal, values.ErrInvalidArgument)
	}
	n := o.textLen + uint64(len(input))
	if o.lengthsSet && n > o.textTotal {
		return nil, fmt.Errorf("%s: %d bytes of text exceed the %d declared: %w", op, n, o.textTotal, values.ErrInvalidArgument)
	}
	if err := o.p.checkTextLength(op, n, len(o.nonce)); err != nil {
		return nil, err
	}
	o.textLen, o.inText = n, true
	out, tail := sliceForAppend(dst, len(input))
	var err error
	switch {
	case o.gcm != nil:
		o.gcm.crypt(tail, input)
	case o.cp != nil:
		o.cp.crypt(tail, input)
	case o.ccmEnc != nil:
		_, err = o.ccmEnc.Update(tail[:0], input)
	case o.ccmDec != nil:
		_, err = o.ccmDec.Update(tail[:0], input)
	}
	if err != nil {
		return nil, wrapCCM(op, err)
	}
	return out, nil
}

// complete checks that all the declared data was given.
func (o *aeadOperation) complete(op string) error {
	if err := o.start(op); err != nil {
		return err
	}
	if o.lengthsSet && (o.adLen != o.adTotal || o.textLen != o.textTotal) {
		return fmt.Errorf("%s: %d bytes of additional data and %d of text were given, %d and %d declared: %w", op, o.adLen, o.textLen, o.adTotal, o.textTotal, values.ErrInvalidArgument)
	}
	return nil
}

// Finish ends an encryption: no ciphertext remains (every mode streams),
// and the tag is appended to tag.
func (o *aeadOperation) Finish(dst, tag []byte) ([]byte, []byte, error) {
	op := o.op + " finish"
	if o.decrypt {
		return nil, nil, fmt.Errorf("%s: a decryption ends with Verify: %w", op, values.ErrBadState)
	}
	defer o.Abort()
	if err := o.complete(op); err != nil {
		return nil, nil, err
	}
	var t [16]byte
	switch {
	case o.gcm != nil:
		o.gcm.sum(&t)
	case o.cp != nil:
		o.cp.sum(&t)
	default:
		s, err := o.ccmEnc.Finish(t[:0])
		if err != nil {
			return nil, nil, wrapCCM(op, err)
		}
		copy(t[:], s)
	}
	return dst, append(tag, t[:o.p.tagLen]...), nil
}

// Verify ends a decryption: values.ErrInvalidSignature unless tag
// authenticates the data. The comparison is in constant time.
func (o *aeadOperation) Verify(dst, tag []byte) ([]byte, error) {
	op := o.op + " verify"
	if !o.decrypt {
		return nil, fmt.Errorf("%s: an encryption ends with Finish: %w", op, values.ErrBadState)
	}
	defer o.Abort()
	if err := o.complete(op); err != nil {
		return nil, err
	}
	var t [16]byte
	switch {
	case o.gcm != nil:
		o.gcm.sum(&t)
	case o.cp != nil:
		o.cp.sum(&t)
	default:
		if err := o.ccmDec.Finish(tag); err != nil {
			return nil, wrapCCM(op, err)
		}
		return dst, nil
	}
	if subtle.ConstantTimeCompare(t[:o.p.tagLen], tag) != 1 {
		return nil, fmt.Errorf("%s: the tag does not authenticate the data: %w", op, values.ErrInvalidSignature)
	}
	return dst, nil
}

// Abort wipes the operation's key material.
func (o *aeadOperation) Abort() error {
	if o.gcm != nil {
		o.gcm.wipe()
	}
	clear(o.p.key)
	o.gcm, o.cp, o.ccmEnc, o.ccmDec, o.p.block = nil, nil, nil, nil, nil
	return nil
}

// wrapCCM maps internal/ccm errors to PSA statuses.
func wrapCCM(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ccm.ErrOpen):
		return fmt.Errorf("%s: the tag does not authenticate the data: %w", op, values.ErrInvalidSignature)
	case errors.Is(err, ccm.ErrState):
		return fmt.Errorf("%s: %v: %w", op, err, values.ErrBadState)
	}
	return fmt.Errorf("%s: %v: %w", op, err, values.ErrInvalidArgument)
}
