// Package ccm implements Counter with CBC-MAC (CCM) authenticated encryption
// as defined in NIST SP 800-38C and RFC 3610, and its CCM* variant of IEEE
// 802.15.4 (which adds a zero-length tag), over any block cipher with a
// 128-bit block.
//
// CCM takes a nonce of 7 to 13 bytes and a tag of 4, 6, 8, 10, 12, 14 or 16
// bytes. The nonce length N fixes the length field L = 15 - N, which limits
// the plaintext to 2^(8L) - 1 bytes (see MaxLength). A tag size of 0 selects
// CCM* without authentication: the output is the CTR-mode encryption of the
// plaintext, the additional data is ignored, and decryption cannot detect
// modification.
//
// The package offers three forms:
//
//   - New returns a cipher.AEAD-compatible single-part AEAD.
//   - NewEncrypter and NewDecrypter return streaming operations for a
//     multi-part PSA AEAD operation. CCM authenticates the lengths first, so
//     both lengths are declared up front (psa_aead_set_lengths) and the data
//     then flows through without being buffered.
//   - NewStarNoTag returns the CCM* cipher without tag
//     (PSA_ALG_CCM_STAR_NO_TAG), whose length need not be known in advance.
//
// Errors wrap the exported sentinels: ErrParameters for an unusable block
// cipher, nonce size or tag size; ErrLength for data longer than the nonce
// allows or different from the declared lengths; ErrState for a call on a
// finished operation; and ErrOpen, returned unwrapped, when authentication
// fails.
//
// An AEAD is safe for concurrent use if its cipher.Block is (those of the
// standard library and of gopsa are). An Encrypter, Decrypter or StarNoTag is
// a single operation and is not safe for concurrent use.
package ccm

import (
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"
	"unsafe"
)

const (
	// BlockSize is the block size CCM requires of its cipher, in bytes.
	BlockSize = 16
	// MinNonceSize and MaxNonceSize bound the nonce length in bytes.
	MinNonceSize = 7
	MaxNonceSize = 13
	// MaxTagSize is the longest (and default) CCM tag, in bytes.
	MaxTagSize = 16
)

var (
	// ErrOpen is returned when the tag does not authenticate the
	// ciphertext and additional data.
	ErrOpen = errors.New("ccm: message authentication failed")

	// ErrParameters is wrapped by the errors for a block cipher, nonce size
	// or tag size that CCM does not accept.
	ErrParameters = errors.New("ccm: invalid parameters")

	// ErrLength is wrapped by the errors for data that is too long for the
	// nonce size, shorter than the tag, or different from the lengths
	// declared to NewEncrypter or NewDecrypter.
	ErrLength = errors.New("ccm: invalid length")

	// ErrState is wrapped by the error for a call on an operation that has
	// already finished.
	ErrState = errors.New("ccm: operation already finished")
)

// MaxLength returns the longest plaintext, in bytes, that CCM can process
// with a nonce of nonceSize bytes: 2^(8(15-nonceSize)) - 1, capped at the
// largest int. It returns 0 for a nonce size outside [7, 13].
func MaxLength(nonceSize int) int {
	if nonceSize < MinNonceSize || nonceSize > MaxNonceSize {
		return 0
	}
	l := 15 - nonceSize
	if 8*l >= 63 {
		return math.MaxInt
	}
	return 1<<(8*l) - 1
}

func checkParams(b cipher.Block, nonceSize, tagSize int) error {
	if bs := b.BlockSize(); bs != BlockSize {
		return fmt.Errorf("%w: block size is %d bytes (want 16)", ErrParameters, bs)
	}
	if nonceSize < MinNonceSize || nonceSize > MaxNonceSize {
		return fmt.Errorf("%w: nonce is %d bytes (want 7 to 13)", ErrParameters, nonceSize)
	}
	if tagSize != 0 && (tagSize < 4 || tagSize > MaxTagSize || tagSize%2 != 0) {
		return fmt.Errorf("%w: tag is %d bytes (want 4, 6, 8, 10, 12, 14 or 16, or 0 for CCM* without tag)", ErrParameters, tagSize)
	}
	return nil
}

// state is one CCM computation: the CBC-MAC over the formatted input
// (SP 800-38C section 6.1) and the CTR keystream, run side by side so that
// data can be processed in pieces of any size.
type state struct {
	b       cipher.Block
	tagSize int
	// mac is the CBC-MAC chaining value with the first macN bytes of the
	// next input block already XORed in.
	mac  [BlockSize]byte
	macN int
	// ctr is the next counter block, ks the current keystream block, of
	// which ksN bytes are used.
	ctr [BlockSize]byte
	ks  [BlockSize]byte
	ksN int
	// s0 = E(A_0) masks the tag.
	s0               [BlockSize]byte
	adLeft, dataLeft uint64
	finished         bool
}

// init starts a computation. The caller has checked the parameters with
// checkParams; init checks the lengths.
func (s *state) init(b cipher.Block, nonce []byte, adLen, dataLen, tagSize int) error {
	if adLen < 0 || dataLen < 0 {
		return fmt.Errorf("%w: negative length", ErrLength)
	}
	if max := MaxLength(len(nonce)); dataLen > max {
		return fmt.Errorf("%w: %d bytes of data is too long for a %d-byte nonce (at most %d)", ErrLength, dataLen, len(nonce), max)
	}
	l := 15 - len(nonce)
	*s = state{b: b, tagSize: tagSize, adLeft: uint64(adLen), dataLeft: uint64(dataLen), ksN: BlockSize}

	// A_i = flags(L-1) || nonce || i, with i in the last L bytes.
	s.ctr[0] = byte(l - 1)
	copy(s.ctr[1:], nonce)
	b.Encrypt(s.s0[:], s.ctr[:])
	s.ctr[BlockSize-1] = 1

	if tagSize == 0 {
		return nil
	}
	// B_0 = flags || nonce || Q, flags = Adata | (M-2)/2 | L-1.
	flags := byte((tagSize-2)/2<<3 | (l - 1))
	if adLen > 0 {
		flags |= 1 << 6
	}
	s.mac[0] = flags
	copy(s.mac[1:], nonce)
	q := uint64(dataLen)
	for i := BlockSize - 1; i > len(nonce); i-- {
		s.mac[i] = byte(q)
		q >>= 8
	}
	b.Encrypt(s.mac[:], s.mac[:])

	// The encoding of the additional data's length starts the next block.
	if adLen > 0 {
		var hdr [10]byte
		var n int
		switch a := uint64(adLen); {
		case a < 1<<16-1<<8:
			binary.BigEndian.PutUint16(hdr[:], uint16(a))
			n = 2
		case a <= math.MaxUint32:
			hdr[0], hdr[1] = 0xff, 0xfe
			binary.BigEndian.PutUint32(hdr[2:], uint32(a))
			n = 6
		default:
			hdr[0], hdr[1] = 0xff, 0xff
			binary.BigEndian.PutUint64(hdr[2:], a)
			n = 10
		}
		s.absorb(hdr[:n])
	}
	return nil
}

// absorb feeds p to the CBC-MAC.
func (s *state) absorb(p []byte) {
	if s.macN > 0 {
		n := subtle.XORBytes(s.mac[s.macN:], s.mac[s.macN:], p)
		s.macN += n
		p = p[n:]
		if s.macN < BlockSize {
			return
		}
		s.b.Encrypt(s.mac[:], s.mac[:])
		s.macN = 0
	}
	for len(p) >= BlockSize {
		subtle.XORBytes(s.mac[:], s.mac[:], p[:BlockSize])
		s.b.Encrypt(s.mac[:], s.mac[:])
		p = p[BlockSize:]
	}
	s.macN = subtle.XORBytes(s.mac[:len(p)], s.mac[:len(p)], p)
}

// pad ends a zero-padded section of the CBC-MAC input.
func (s *state) pad() {
	if s.macN > 0 {
		s.b.Encrypt(s.mac[:], s.mac[:])
		s.macN = 0
	}
}

// xorKeyStream XORs the CTR keystream into dst. The counter only ever
// increments the last L bytes because the length checks keep it below
// 2^(8L).
func (s *state) xorKeyStream(dst, src []byte) {
	for len(src) > 0 {
		if s.ksN == BlockSize {
			s.b.Encrypt(s.ks[:], s.ctr[:])
			s.ksN = 0
			c := binary.BigEndian.Uint64(s.ctr[8:])
			binary.BigEndian.PutUint64(s.ctr[8:], c+1)
		}
		n := subtle.XORBytes(dst, src, s.ks[s.ksN:])
		s.ksN += n
		dst, src = dst[n:], src[n:]
	}
}

func (s *state) addAD(ad []byte) error {
	if s.finished {
		return ErrState
	}
	if uint64(len(ad)) > s.adLeft {
		return fmt.Errorf("%w: %d bytes of additional data, but only %d of the declared length remain", ErrLength, len(ad), s.adLeft)
	}
	if len(ad) == 0 {
		return nil
	}
	if s.tagSize > 0 {
		s.absorb(ad)
	}
	s.adLeft -= uint64(len(ad))
	if s.adLeft == 0 && s.tagSize > 0 {
		s.pad()
	}
	return nil
}

func (s *state) checkData(n int) error {
	if s.finished {
		return ErrState
	}
	if s.adLeft != 0 {
		return fmt.Errorf("%w: %d bytes of the declared additional data are missing", ErrLength, s.adLeft)
	}
	if uint64(n) > s.dataLeft {
		return fmt.Errorf("%w: %d bytes of data, but only %d of the declared length remain", ErrLength, n, s.dataLeft)
	}
	return nil
}

func (s *state) encrypt(dst, src []byte) {
	s.dataLeft -= uint64(len(src))
	if s.tagSize > 0 && s.macN == 0 && s.ksN == BlockSize {
		n := s.blocks(dst, src, false)
		dst, src = dst[n:], src[n:]
	}
	if s.tagSize > 0 {
		s.absorb(src)
	}
	s.xorKeyStream(dst, src)
}

func (s *state) decrypt(dst, src []byte) {
	s.dataLeft -= uint64(len(src))
	if s.tagSize > 0 && s.macN == 0 && s.ksN == BlockSize {
		n := s.blocks(dst, src, true)
		dst, src = dst[n:], src[n:]
	}
	s.xorKeyStream(dst, src)
	if s.tagSize > 0 {
		s.absorb(dst[:len(src)])
	}
}

// blocks is the bulk path for block-aligned MAC and keystream positions: it
// processes the whole blocks of src and returns how many bytes it consumed.
// Reading each block into registers before writing dst keeps exact overlap
// safe.
func (s *state) blocks(dst, src []byte, decrypt bool) int {
	n := len(src) / BlockSize * BlockSize
	dst = dst[:n]
	src = src[:n]
	le := binary.LittleEndian
	for i := 0; i < n; i += BlockSize {
		s.b.Encrypt(s.ks[:], s.ctr[:])
		c := binary.BigEndian.Uint64(s.ctr[8:])
		binary.BigEndian.PutUint64(s.ctr[8:], c+1)
		in0, in1 := le.Uint64(src[i:]), le.Uint64(src[i+8:])
		out0, out1 := in0^le.Uint64(s.ks[0:]), in1^le.Uint64(s.ks[8:])
		le.PutUint64(dst[i:], out0)
		le.PutUint64(dst[i+8:], out1)
		p0, p1 := in0, in1
		if decrypt {
			p0, p1 = out0, out1
		}
		le.PutUint64(s.mac[0:], le.Uint64(s.mac[0:])^p0)
		le.PutUint64(s.mac[8:], le.Uint64(s.mac[8:])^p1)
		s.b.Encrypt(s.mac[:], s.mac[:])
	}
	return n
}

func (s *state) checkFinish() error {
	if s.finished {
		return ErrState
	}
	if s.adLeft != 0 || s.dataLeft != 0 {
		return fmt.Errorf("%w: %d bytes of additional data and %d bytes of data are missing", ErrLength, s.adLeft, s.dataLeft)
	}
	return nil
}

// tag writes the tag (the CBC-MAC masked with E(A_0)) to t[:tagSize].
func (s *state) tag(t []byte) {
	s.pad()
	subtle.XORBytes(t[:s.tagSize], s.mac[:s.tagSize], s.s0[:s.tagSize])
	s.finished = true
}

// wipe clears the secret-dependent parts of the state.
func (s *state) wipe() {
	f := s.finished
	*s = state{finished: f}
}

// AEAD is CCM with a fixed nonce size and tag size. It implements
// cipher.AEAD.
type AEAD struct {
	b                  cipher.Block
	nonceSize, tagSize int
}

var _ cipher.AEAD = (*AEAD)(nil)

// New returns CCM over the 128-bit block cipher b with the given nonce size
// (7 to 13 bytes) and tag size (4, 6, 8, 10, 12, 14 or 16 bytes, or 0 for
// CCM* without authentication). Other parameters return an error wrapping
// ErrParameters.
func New(b cipher.Block, nonceSize, tagSize int) (*AEAD, error) {
	if err := checkParams(b, nonceSize, tagSize); err != nil {
		return nil, err
	}
	return &AEAD{b: b, nonceSize: nonceSize, tagSize: tagSize}, nil
}

// NonceSize returns the nonce size given to New.
func (a *AEAD) NonceSize() int { return a.nonceSize }

// Overhead returns the tag size given to New.
func (a *AEAD) Overhead() int { return a.tagSize }

var statePool = sync.Pool{New: func() any { return new(state) }}

// Seal encrypts and authenticates plaintext and additional data, appends the
// ciphertext and tag to dst, and returns the updated slice. As for any
// cipher.AEAD, it panics if the nonce is not NonceSize() bytes long, if
// plaintext is longer than MaxLength(NonceSize()), or if the output overlaps
// plaintext other than exactly; callers that handle untrusted parameters
// check these first.
func (a *AEAD) Seal(dst, nonce, plaintext, additionalData []byte) []byte {
	if len(nonce) != a.nonceSize {
		panic("ccm: incorrect nonce length given to CCM")
	}
	if len(plaintext) > MaxLength(a.nonceSize) {
		panic("ccm: plaintext too long for the nonce size")
	}
	ret, out := sliceForAppend(dst, len(plaintext)+a.tagSize)
	if inexactOverlap(out, plaintext) {
		panic("ccm: invalid buffer overlap")
	}
	s := statePool.Get().(*state)
	defer statePool.Put(s)
	defer s.wipe()
	if err := s.init(a.b, nonce, len(additionalData), len(plaintext), a.tagSize); err != nil {
		panic(err) // unreachable: the lengths were checked above
	}
	s.addAD(additionalData)
	s.encrypt(out, plaintext)
	s.tag(out[len(plaintext):])
	return ret
}

// Open decrypts and authenticates ciphertext (which ends with the tag) and
// additional data and, on success, appends the plaintext to dst and returns
// the updated slice. If authentication fails it returns ErrOpen and leaves no
// plaintext in dst's spare capacity. A nonce of the wrong size returns an
// error wrapping ErrParameters; a ciphertext shorter than the tag or longer
// than the nonce size allows, one wrapping ErrLength. dst may overlap
// ciphertext exactly (in-place decryption) or not at all.
func (a *AEAD) Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error) {
	if len(nonce) != a.nonceSize {
		return nil, fmt.Errorf("%w: nonce is %d bytes (want %d)", ErrParameters, len(nonce), a.nonceSize)
	}
	if len(ciphertext) < a.tagSize {
		return nil, fmt.Errorf("%w: ciphertext is %d bytes, shorter than the %d-byte tag", ErrLength, len(ciphertext), a.tagSize)
	}
	n := len(ciphertext) - a.tagSize
	ret, out := sliceForAppend(dst, n)
	if inexactOverlap(out, ciphertext) {
		return nil, fmt.Errorf("%w: output overlaps the ciphertext other than exactly", ErrParameters)
	}
	s := statePool.Get().(*state)
	defer statePool.Put(s)
	defer s.wipe()
	if err := s.init(a.b, nonce, len(additionalData), n, a.tagSize); err != nil {
		return nil, err
	}
	s.addAD(additionalData)
	s.decrypt(out, ciphertext[:n])
	var want [MaxTagSize]byte
	s.tag(want[:])
	if subtle.ConstantTimeCompare(want[:a.tagSize], ciphertext[n:]) != 1 {
		clear(out)
		return nil, ErrOpen
	}
	return ret, nil
}

// Encrypter is a multi-part CCM encryption whose lengths are known in
// advance. Call AddAD until all the declared additional data has been given,
// then Update until all the declared plaintext has been given, then Finish.
type Encrypter struct{ s state }

// NewEncrypter starts a CCM encryption over the 128-bit block cipher b with
// the given nonce (7 to 13 bytes), total lengths of additional data and
// plaintext in bytes, and tag size (as for New). The nonce is copied.
func NewEncrypter(b cipher.Block, nonce []byte, adLen, plaintextLen, tagSize int) (*Encrypter, error) {
	if err := checkParams(b, len(nonce), tagSize); err != nil {
		return nil, err
	}
	e := new(Encrypter)
	if err := e.s.init(b, nonce, adLen, plaintextLen, tagSize); err != nil {
		return nil, err
	}
	return e, nil
}

// AddAD authenticates the next piece of additional data. Giving more than
// the declared length returns an error wrapping ErrLength.
func (e *Encrypter) AddAD(ad []byte) error { return e.s.addAD(ad) }

// Update encrypts the next piece of plaintext, appends the ciphertext (of
// the same length) to dst and returns the updated slice. It returns an
// error wrapping ErrLength if some declared additional data is missing or
// the plaintext would exceed the declared length. dst may overlap plaintext
// exactly or not at all.
func (e *Encrypter) Update(dst, plaintext []byte) ([]byte, error) {
	if err := e.s.checkData(len(plaintext)); err != nil {
		return nil, err
	}
	ret, out := sliceForAppend(dst, len(plaintext))
	if inexactOverlap(out, plaintext) {
		return nil, fmt.Errorf("%w: output overlaps the plaintext other than exactly", ErrParameters)
	}
	e.s.encrypt(out, plaintext)
	return ret, nil
}

// Finish appends the tag to dst and returns the updated slice. It returns an
// error wrapping ErrLength if less than the declared data was given. The
// Encrypter cannot be used afterwards.
func (e *Encrypter) Finish(dst []byte) ([]byte, error) {
	if err := e.s.checkFinish(); err != nil {
		return nil, err
	}
	ret, out := sliceForAppend(dst, e.s.tagSize)
	e.s.tag(out)
	e.s.wipe()
	return ret, nil
}

// Decrypter is a multi-part CCM decryption whose lengths are known in
// advance. Call AddAD until all the declared additional data has been given,
// then Update until all the declared ciphertext (without the tag) has been
// given, then Finish with the tag.
//
// Update releases plaintext before the tag is checked, as a PSA multi-part
// AEAD decryption does: the caller must discard all of it if Finish fails.
type Decrypter struct{ s state }

// NewDecrypter starts a CCM decryption over the 128-bit block cipher b with
// the given nonce (7 to 13 bytes), total lengths of additional data and
// plaintext (the ciphertext without its tag) in bytes, and tag size (as for
// New). The nonce is copied.
func NewDecrypter(b cipher.Block, nonce []byte, adLen, plaintextLen, tagSize int) (*Decrypter, error) {
	if err := checkParams(b, len(nonce), tagSize); err != nil {
		return nil, err
	}
	d := new(Decrypter)
	if err := d.s.init(b, nonce, adLen, plaintextLen, tagSize); err != nil {
		return nil, err
	}
	return d, nil
}

// AddAD authenticates the next piece of additional data. Giving more than
// the declared length returns an error wrapping ErrLength.
func (d *Decrypter) AddAD(ad []byte) error { return d.s.addAD(ad) }

// Update decrypts the next piece of ciphertext (not including the tag),
// appends the unauthenticated plaintext to dst and returns the updated
// slice. Errors are as for Encrypter.Update.
func (d *Decrypter) Update(dst, ciphertext []byte) ([]byte, error) {
	if err := d.s.checkData(len(ciphertext)); err != nil {
		return nil, err
	}
	ret, out := sliceForAppend(dst, len(ciphertext))
	if inexactOverlap(out, ciphertext) {
		return nil, fmt.Errorf("%w: output overlaps the ciphertext other than exactly", ErrParameters)
	}
	d.s.decrypt(out, ciphertext)
	return ret, nil
}

// Finish checks the tag in constant time and returns ErrOpen if it does not
// authenticate the data (including a tag of the wrong length). It returns an
// error wrapping ErrLength if less than the declared data was given. The
// Decrypter cannot be used afterwards.
func (d *Decrypter) Finish(tag []byte) error {
	if err := d.s.checkFinish(); err != nil {
		return err
	}
	var want [MaxTagSize]byte
	n := d.s.tagSize
	d.s.tag(want[:])
	d.s.wipe()
	if subtle.ConstantTimeCompare(want[:n], tag) != 1 {
		return ErrOpen
	}
	return nil
}

// StarNoTag is the CCM* mode without authentication (tag length 0), the
// PSA_ALG_CCM_STAR_NO_TAG cipher: the CTR-mode part of CCM, with counter
// blocks formatted as in CCM and starting at 1. Encryption and decryption
// are the same operation. The total length need not be known in advance.
type StarNoTag struct{ s state }

// NewStarNoTag starts a CCM* encryption or decryption without tag over the
// 128-bit block cipher b with the given nonce (7 to 13 bytes; IEEE 802.15.4
// and Zigbee use 13). The nonce is copied.
func NewStarNoTag(b cipher.Block, nonce []byte) (*StarNoTag, error) {
	if err := checkParams(b, len(nonce), 0); err != nil {
		return nil, err
	}
	c := new(StarNoTag)
	if err := c.s.init(b, nonce, 0, MaxLength(len(nonce)), 0); err != nil {
		return nil, err
	}
	return c, nil
}

// XORKeyStream XORs src with the keystream into dst, which must be at least
// as long as src and may overlap it exactly or not at all. It returns an
// error wrapping ErrLength, and processes nothing, if the total length would
// exceed MaxLength for the nonce size or dst is too short.
func (c *StarNoTag) XORKeyStream(dst, src []byte) error {
	if len(dst) < len(src) {
		return fmt.Errorf("%w: output is %d bytes, shorter than the %d-byte input", ErrLength, len(dst), len(src))
	}
	if err := c.s.checkData(len(src)); err != nil {
		return err
	}
	if inexactOverlap(dst[:len(src)], src) {
		return fmt.Errorf("%w: output overlaps the input other than exactly", ErrParameters)
	}
	c.s.encrypt(dst, src)
	return nil
}

// sliceForAppend extends in by n bytes, reallocating if needed, and returns
// the whole slice and the new n-byte tail.
func sliceForAppend(in []byte, n int) (head, tail []byte) {
	if total := len(in) + n; cap(in) >= total {
		head = in[:total]
	} else {
		head = make([]byte, total)
		copy(head, in)
	}
	tail = head[len(in):]
	return
}

// inexactOverlap reports whether x and y share memory at any
// non-corresponding index. Exact overlap (in-place operation) is allowed.
func inexactOverlap(x, y []byte) bool {
	if len(x) == 0 || len(y) == 0 || &x[0] == &y[0] {
		return false
	}
	x0 := uintptr(unsafe.Pointer(&x[0]))
	y0 := uintptr(unsafe.Pointer(&y[0]))
	return x0 <= y0+uintptr(len(y)-1) && y0 <= x0+uintptr(len(x)-1)
}
