package builtin

import (
	"crypto/cipher"
	"crypto/rc4"
	"encoding/binary"
	"fmt"

	"golang.org/x/crypto/chacha20"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/internal/ccm"
	"github.com/gopsa/psa/values"
)

// Unauthenticated ciphers: cipher_encrypt, cipher_decrypt and the
// cipher_encrypt_multipart and cipher_decrypt_multipart families.
//
// Supported: ECB without padding, CBC without padding and with PKCS #7
// padding, CTR, CFB (full-block segments), OFB and XTS (IEEE 1619, with
// ciphertext stealing, 128-bit block ciphers only) over AES, ARIA, Camellia
// and DES (single DES, two- and three-key Triple-DES); CCM* without tag
// over AES, ARIA and Camellia; and the stream ciphers ChaCha20 (IVs of 12
// bytes, 16 bytes with a leading little-endian block counter, or 8 bytes
// for the original 64-bit-nonce variant), XChaCha20 (IVs of 24 bytes, or
// 32 with a leading 64-bit counter) and ARC4. SM4 is not supported.
//
// Multi-part output follows PSA_CIPHER_UPDATE_OUTPUT_SIZE: stream modes
// (CTR, CFB, OFB, CCM*, stream ciphers) return as many bytes as they
// receive; ECB and CBC return whole blocks and hold back a partial block;
// CBC-PKCS7 decryption also holds back the last whole block until Finish,
// which removes the padding; XTS holds back the last whole block and any
// partial block for ciphertext stealing.
//
// The counters of the ChaCha20 variants are 32 bits wide in the Go
// implementation: a message that would run the counter past 2^32 blocks
// from its start is values.ErrInvalidArgument for the RFC 8439 variant
// (whose counter is 32 bits) and values.ErrNotSupported for the 64-bit
// counters of the original variant and of XChaCha20 (256 GiB from the
// start of the counter's low word).

type cipherMode uint8

const (
	modeECB cipherMode = iota + 1
	modeCBC
	modeCBCPKCS7
	modeCTR
	modeCFB
	modeOFB
	modeXTS
	modeCCMStar
	modeChaCha20
	modeXChaCha20
	modeARC4
)

// cipherOperation is an unauthenticated encryption or decryption, used for
// both the multi-part families and the single-part entry points.
type cipherOperation struct {
	op      string // for messages: "cipher encrypt", ...
	alg     values.Algorithm
	mode    cipherMode
	decrypt bool
	bs      int // block size; 1 for stream ciphers

	block cipher.Block // block modes
	key   []byte       // ChaCha20 and XChaCha20: a copy, wiped at the end
	ivSet bool

	// Block-buffered modes (ECB, CBC, XTS): pending input, up to two
	// blocks. A slice rather than an array in the struct, so that handing
	// it to the cipher's methods does not move the whole operation to the
	// heap in the single-part entry points.
	buf      []byte
	n        int
	cbc      cipher.BlockMode
	xts      *xtsState
	tweakKey cipher.Block // XTS: encrypts the IV into the first tweak

	// Stream modes.
	stream cipher.Stream
	ccm    *ccm.StarNoTag
	// left counts the bytes a ChaCha20 stream may still produce before
	// its 32-bit block counter would wrap; limitErr is the error then.
	left     uint64
	limitErr error
}

// CipherEncryptSetup is the "cipher_encrypt_setup" entry point.
func (d *Driver) CipherEncryptSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (driver.CipherOperation, error) {
	o := new(cipherOperation)
	if err := o.setup("cipher encrypt setup", attrs, key, alg, false); err != nil {
		return nil, err
	}
	return o, nil
}

// CipherDecryptSetup is the "cipher_decrypt_setup" entry point.
func (d *Driver) CipherDecryptSetup(attrs values.Attributes, key []byte, alg values.Algorithm) (driver.CipherOperation, error) {
	o := new(cipherOperation)
	if err := o.setup("cipher decrypt setup", attrs, key, alg, true); err != nil {
		return nil, err
	}
	return o, nil
}

// CipherEncrypt is the "cipher_encrypt" entry point: it encrypts input with
// the IV that the core chose and appends the ciphertext alone to dst.
func (d *Driver) CipherEncrypt(attrs values.Attributes, key []byte, alg values.Algorithm, iv, input, dst []byte) ([]byte, error) {
	var o cipherOperation
	if err := o.setup("cipher encrypt", attrs, key, alg, false); err != nil {
		return nil, err
	}
	defer o.Abort()
	if o.needsIV() || len(iv) != 0 {
		if err := o.SetIV(iv); err != nil {
			return nil, err
		}
	}
	if (o.mode == modeECB || o.mode == modeCBC) && len(input)%o.bs != 0 {
		return nil, o.alignmentError(len(input))
	}
	return o.oneShot(input, dst)
}

// CipherDecrypt is the "cipher_decrypt" entry point: input is the IV (of
// the algorithm's default length, PSA_CIPHER_IV_LENGTH) followed by the
// ciphertext. Nothing is appended on error; a bad CBC-PKCS7 padding is
// values.ErrInvalidPadding.
func (d *Driver) CipherDecrypt(attrs values.Attributes, key []byte, alg values.Algorithm, input, dst []byte) ([]byte, error) {
	var o cipherOperation
	if err := o.setup("cipher decrypt", attrs, key, alg, true); err != nil {
		return nil, err
	}
	defer o.Abort()
	ivLen := o.defaultIVLength()
	if len(input) < ivLen {
		return nil, fmt.Errorf("cipher decrypt: the input (%d bytes) is shorter than the %d-byte IV of %v: %w", len(input), ivLen, alg, values.ErrInvalidArgument)
	}
	if ivLen > 0 {
		if err := o.SetIV(input[:ivLen]); err != nil {
			return nil, err
		}
	}
	ct := input[ivLen:]
	switch o.mode {
	case modeECB, modeCBC:
		if len(ct)%o.bs != 0 {
			return nil, o.alignmentError(len(ct))
		}
	case modeCBCPKCS7:
		if len(ct) == 0 || len(ct)%o.bs != 0 {
			return nil, fmt.Errorf("cipher decrypt: %v ciphertext must be a positive multiple of %d bytes, got %d: %w", alg, o.bs, len(ct), values.ErrInvalidArgument)
		}
	}
	return o.oneShot(ct, dst)
}

// oneShot runs Update and Finish, and appends nothing on error.
func (o *cipherOperation) oneShot(input, dst []byte) ([]byte, error) {
	out, err := o.Update(input, dst)
	if err == nil {
		out, err = o.Finish(out)
	}
	if err != nil {
		if o.decrypt && cap(dst) > len(dst) {
			clear(dst[len(dst):cap(dst)][:min(cap(dst)-len(dst), len(input))])
		}
		return nil, err
	}
	return out, nil
}

// setup validates the algorithm and the key and prepares the cipher. It is
// the one place where unauthenticated ciphers are built.
func (o *cipherOperation) setup(op string, attrs values.Attributes, key []byte, alg values.Algorithm, decrypt bool) error {
	o.op, o.alg, o.decrypt = op, alg, decrypt
	if !alg.IsCipher() {
		return fmt.Errorf("%s: %v is not an unauthenticated cipher algorithm: %w", op, alg, values.ErrInvalidArgument)
	}
	t := attrs.Type
	switch alg {
	case values.AlgECBNoPadding:
		o.mode = modeECB
	case values.AlgCBCNoPadding:
		o.mode = modeCBC
	case values.AlgCBCPKCS7:
		o.mode = modeCBCPKCS7
	case values.AlgCTR:
		o.mode = modeCTR
	case values.AlgCFB:
		o.mode = modeCFB
	case values.AlgOFB:
		o.mode = modeOFB
	case values.AlgXTS:
		return o.setupXTS(op, t, key)
	case values.AlgCCMStarNoTag:
		o.mode, o.bs = modeCCMStar, 1
		b, err := keyBlock128(op, t, key)
		o.block = b
		return err
	case values.AlgStreamCipher:
		return o.setupStream(op, t, key)
	default:
		return fmt.Errorf("%s: cipher algorithm %v is not supported by the builtin driver: %w", op, alg, values.ErrNotSupported)
	}
	o.ivSet = o.mode == modeECB // ECB takes no IV
	if !isBlockCipherKey(t) {
		return fmt.Errorf("%s: %v needs a block cipher key (AES, ARIA, Camellia or DES), not %v: %w", op, alg, t, values.ErrInvalidArgument)
	}
	b, err := keyBlock(op, t, key)
	if err != nil {
		return err
	}
	o.block, o.bs = b, b.BlockSize()
	if o.mode == modeCTR || o.mode == modeCFB || o.mode == modeOFB {
		o.bs = 1 // stream modes: output as long as the input
	} else {
		o.buf = make([]byte, 2*o.bs)
	}
	return nil
}

func (o *cipherOperation) setupXTS(op string, t values.KeyType, key []byte) error {
	o.mode, o.bs = modeXTS, 16
	if t == values.KeyTypeDES {
		return fmt.Errorf("%s: XTS needs a 128-bit block cipher (AES, ARIA or Camellia), not DES: %w", op, values.ErrInvalidArgument)
	}
	if !isBlockCipherKey(t) {
		return fmt.Errorf("%s: XTS needs a block cipher key (AES, ARIA or Camellia), not %v: %w", op, t, values.ErrInvalidArgument)
	}
	if n := len(key); n != 32 && n != 48 && n != 64 {
		return fmt.Errorf("%s: XTS takes two %v keys in one: 256, 384 or 512 bits, got %d: %w", op, t, 8*n, values.ErrInvalidArgument)
	}
	// The two halves are prepared together, under the whole key buffer:
	// the cache keeps only whole key buffers (see cache.go).
	x, err := prepared(key, prepKind{what: prepXTS, t: t}, func(key []byte) (xtsKeys, error) {
		h := len(key) / 2
		data, err := newBlock128(op, t, key[:h])
		if err != nil {
			return xtsKeys{}, err
		}
		tweak, err := newBlock128(op, t, key[h:])
		return xtsKeys{data, tweak}, err
	})
	if err != nil {
		return err
	}
	data, tweak := x.data, x.tweak
	o.block, o.tweakKey = data, tweak
	o.xts = &xtsState{data: data}
	o.buf = make([]byte, 32)
	return nil
}

// xtsKeys is the data and tweak ciphers of an XTS key.
type xtsKeys struct{ data, tweak cipher.Block }

func (o *cipherOperation) setupStream(op string, t values.KeyType, key []byte) error {
	o.bs = 1
	switch t {
	case values.KeyTypeChaCha20, values.KeyTypeXChaCha20:
		if len(key) != chacha20.KeySize {
			return fmt.Errorf("%s: a %v key is 256 bits, got %d: %w", op, t, 8*len(key), values.ErrInvalidArgument)
		}
		o.mode = modeChaCha20
		if t == values.KeyTypeXChaCha20 {
			o.mode = modeXChaCha20
		}
		o.key = append(o.key[:0], key...)
		return nil
	case values.KeyTypeARC4:
		if len(key) < 5 || len(key) > 256 {
			return fmt.Errorf("%s: an ARC4 key is 40 to 2048 bits, got %d: %w", op, 8*len(key), values.ErrInvalidArgument)
		}
		c, err := rc4.NewCipher(key)
		if err != nil {
			return fmt.Errorf("%s: %v: %w", op, err, values.ErrInvalidArgument)
		}
		o.mode, o.stream, o.ivSet = modeARC4, c, true
		return nil
	}
	return fmt.Errorf("%s: %v needs a stream cipher key (ChaCha20, XChaCha20 or ARC4), not %v: %w", op, values.AlgStreamCipher, t, values.ErrInvalidArgument)
}

// needsIV reports whether the mode takes an IV.
func (o *cipherOperation) needsIV() bool { return o.mode != modeECB && o.mode != modeARC4 }

// defaultIVLength is PSA_CIPHER_IV_LENGTH for the operation.
func (o *cipherOperation) defaultIVLength() int {
	switch o.mode {
	case modeECB, modeARC4:
		return 0
	case modeCCMStar:
		return 13
	case modeChaCha20:
		return 12
	case modeXChaCha20:
		return 24
	}
	return o.block.BlockSize()
}

func (o *cipherOperation) alignmentError(n int) error {
	return fmt.Errorf("%s: %v input must be a multiple of the %d-byte block, got %d bytes: %w", o.op, o.alg, o.bs, n, values.ErrInvalidArgument)
}

// SetIV sets the IV and starts the cipher.
func (o *cipherOperation) SetIV(iv []byte) error {
	if !o.needsIV() {
		return fmt.Errorf("%s: %v does not use an IV: %w", o.op, o.alg, values.ErrBadState)
	}
	if o.ivSet {
		return fmt.Errorf("%s: the IV is already set: %w", o.op, values.ErrBadState)
	}
	var bs int
	if o.block != nil {
		bs = o.block.BlockSize()
	}
	badLength := func(want string) error {
		return fmt.Errorf("%s: a %d-byte IV is not valid for %v (want %s): %w", o.op, len(iv), o.alg, want, values.ErrInvalidArgument)
	}
	switch o.mode {
	case modeCBC, modeCBCPKCS7, modeCFB, modeOFB, modeXTS:
		if len(iv) != bs {
			return badLength(fmt.Sprintf("%d bytes, the block size", bs))
		}
	case modeCTR:
		if len(iv) == 0 || len(iv) > bs {
			return badLength(fmt.Sprintf("1 to %d bytes", bs))
		}
	case modeCCMStar:
		// 13 bytes is the length the specification requires; shorter
		// IVs are optional and, as in the C reference, not accepted.
		if len(iv) != ccm.MaxNonceSize {
			return badLength("13 bytes")
		}
	case modeChaCha20:
		if len(iv) != 8 && len(iv) != 12 && len(iv) != 16 {
			return badLength("12 bytes, 16 bytes with a counter, or 8 bytes for the original ChaCha20")
		}
	case modeXChaCha20:
		if len(iv) != 24 && len(iv) != 32 {
			return badLength("24 bytes, or 32 bytes with a counter")
		}
	}
	switch o.mode {
	case modeCBC, modeCBCPKCS7:
		if o.decrypt {
			o.cbc = cipher.NewCBCDecrypter(o.block, iv)
		} else {
			o.cbc = cipher.NewCBCEncrypter(o.block, iv)
		}
	case modeCTR:
		if len(iv) < bs {
			iv = append(iv[:len(iv):len(iv)], make([]byte, bs-len(iv))...) // padded with zeros
		}
		o.stream = cipher.NewCTR(o.block, iv)
	case modeCFB:
		o.stream = newCFB(o.block, iv, o.decrypt)
	case modeOFB:
		o.stream = newOFB(o.block, iv)
	case modeXTS:
		o.tweakKey.Encrypt(o.xts.t[:], iv)
		o.tweakKey = nil
	case modeCCMStar:
		s, err := ccm.NewStarNoTag(o.block, iv)
		if err != nil {
			return fmt.Errorf("%s: %v: %w", o.op, err, values.ErrInvalidArgument)
		}
		o.ccm = s
	case modeChaCha20, modeXChaCha20:
		if err := o.startChaCha(iv); err != nil {
			return err
		}
	}
	o.ivSet = true
	return nil
}

// startChaCha maps the IV forms of the specification onto the RFC 8439
// cipher of x/crypto/chacha20: a 96-bit nonce and a 32-bit counter.
func (o *cipherOperation) startChaCha(iv []byte) error {
	key := o.key
	var nonce [12]byte
	var counter uint32
	o.limitErr = fmt.Errorf("%s: the input would run the 32-bit ChaCha20 block counter past 2^32: %w", o.op, values.ErrInvalidArgument)
	switch len(iv) {
	case 12:
		copy(nonce[:], iv)
	case 16:
		counter = binary.LittleEndian.Uint32(iv)
		copy(nonce[:], iv[4:])
	case 8:
		// The original ChaCha20: words 12-13 are a 64-bit counter that
		// starts at 0, words 14-15 the nonce; the high counter word is
		// the first nonce word of RFC 8439.
		copy(nonce[4:], iv)
		o.limitErr = fmt.Errorf("%s: messages longer than 256 GiB are not supported with the 64-bit-nonce ChaCha20: %w", o.op, values.ErrNotSupported)
	case 24, 32:
		// XChaCha20: a subkey from HChaCha20 over the first 16 nonce
		// bytes, then ChaCha20 with a 64-bit counter (low word 12, high
		// word 13) and the last 8 nonce bytes.
		var c uint64
		if len(iv) == 32 {
			c, iv = binary.LittleEndian.Uint64(iv), iv[8:]
		}
		sub, err := chacha20.HChaCha20(key, iv[:16])
		if err != nil {
			return fmt.Errorf("%s: %v: %w", o.op, err, values.ErrInvalidArgument)
		}
		defer clear(sub)
		key = sub
		counter = uint32(c)
		binary.LittleEndian.PutUint32(nonce[:4], uint32(c>>32))
		copy(nonce[4:], iv[16:24])
		o.limitErr = fmt.Errorf("%s: the input would carry the XChaCha20 block counter into its high word, which is not supported: %w", o.op, values.ErrNotSupported)
	}
	c, err := chacha20.NewUnauthenticatedCipher(key, nonce[:])
	if err != nil {
		return fmt.Errorf("%s: %v: %w", o.op, err, values.ErrInvalidArgument)
	}
	c.SetCounter(counter)
	o.stream = c
	o.left = (1<<32 - uint64(counter)) * 64
	return nil
}

// Update appends the output that input makes available to dst.
func (o *cipherOperation) Update(input, dst []byte) ([]byte, error) {
	if !o.ivSet {
		return nil, fmt.Errorf("%s: the IV must be set before any data: %w", o.op, values.ErrBadState)
	}
	switch o.mode {
	case modeECB, modeCBC, modeCBCPKCS7, modeXTS:
		return o.updateBlocks(input, dst), nil
	}
	out, tail := sliceForAppend(dst, len(input))
	switch o.mode {
	case modeCCMStar:
		if err := o.ccm.XORKeyStream(tail, input); err != nil {
			return nil, fmt.Errorf("%s: %v: %w", o.op, err, values.ErrInvalidArgument)
		}
	case modeChaCha20, modeXChaCha20:
		if uint64(len(input)) > o.left {
			return nil, o.limitErr
		}
		o.left -= uint64(len(input))
		o.stream.XORKeyStream(tail, input)
	default:
		o.stream.XORKeyStream(tail, input)
	}
	return out, nil
}

// updateBlocks runs a block-buffered mode on as much input as it may
// release now, and buffers the rest.
func (o *cipherOperation) updateBlocks(input, dst []byte) []byte {
	bs := o.bs
	total := o.n + len(input)
	keep := total % bs
	switch {
	case o.mode == modeCBCPKCS7 && o.decrypt && keep == 0 && total > 0:
		keep = bs // the last block carries the padding
	case o.mode == modeXTS && total >= bs:
		keep += bs // the last whole block may take part in stealing
	}
	process := total - keep
	out, tail := sliceForAppend(dst, process)
	for o.n > 0 && process > 0 {
		if o.n < bs {
			c := copy(o.buf[o.n:bs], input)
			o.n += c
			input = input[c:]
		}
		o.cryptBlocks(tail[:bs], o.buf[:bs])
		tail, process = tail[bs:], process-bs
		o.n = copy(o.buf[:], o.buf[bs:o.n])
	}
	o.cryptBlocks(tail[:process], input[:process])
	o.n += copy(o.buf[o.n:], input[process:])
	return out
}

// cryptBlocks runs the block mode over whole blocks.
func (o *cipherOperation) cryptBlocks(dst, src []byte) {
	if len(src) == 0 {
		return
	}
	switch o.mode {
	case modeECB:
		bs := o.bs
		for i := 0; i < len(src); i += bs {
			if o.decrypt {
				o.block.Decrypt(dst[i:i+bs], src[i:i+bs])
			} else {
				o.block.Encrypt(dst[i:i+bs], src[i:i+bs])
			}
		}
	case modeCBC, modeCBCPKCS7:
		o.cbc.CryptBlocks(dst, src)
	case modeXTS:
		o.xts.blocks(dst, src, o.decrypt)
	}
}

// Finish appends the remaining output: for CBC-PKCS7 encryption the
// padded last block, for decryption the last block without its padding.
func (o *cipherOperation) Finish(dst []byte) ([]byte, error) {
	if !o.ivSet {
		return nil, fmt.Errorf("%s: the IV must be set before finishing: %w", o.op, values.ErrBadState)
	}
	defer o.Abort()
	bs := o.bs
	switch o.mode {
	case modeECB, modeCBC:
		if o.n != 0 {
			return nil, fmt.Errorf("%s: %v input must be a multiple of the %d-byte block (%d bytes left over): %w", o.op, o.alg, bs, o.n, values.ErrInvalidArgument)
		}
	case modeCBCPKCS7:
		if !o.decrypt {
			p := byte(bs - o.n)
			for i := o.n; i < bs; i++ {
				o.buf[i] = p
			}
			out, tail := sliceForAppend(dst, bs)
			o.cbc.CryptBlocks(tail, o.buf[:bs])
			return out, nil
		}
		if o.n != bs {
			return nil, fmt.Errorf("%s: %v ciphertext must be a positive multiple of the %d-byte block: %w", o.op, o.alg, bs, values.ErrInvalidArgument)
		}
		last := o.buf[:bs]
		o.cbc.CryptBlocks(last, last)
		n := pkcs7Unpad(last)
		if n < 0 {
			return nil, fmt.Errorf("%s: the PKCS #7 padding is not valid: %w", o.op, values.ErrInvalidPadding)
		}
		return append(dst, last[:n]...), nil
	case modeXTS:
		if o.n < bs {
			return nil, fmt.Errorf("%s: XTS needs at least one whole %d-byte block of input, got %d bytes: %w", o.op, bs, o.n, values.ErrInvalidArgument)
		}
		out, tail := sliceForAppend(dst, o.n)
		o.xts.final(tail, o.buf[:o.n], o.decrypt)
		return out, nil
	}
	return dst, nil
}

// Abort wipes what the operation holds.
func (o *cipherOperation) Abort() error {
	clear(o.key)
	clear(o.buf)
	o.key, o.block, o.cbc, o.stream, o.ccm, o.xts, o.tweakKey = nil, nil, nil, nil, nil, nil, nil
	o.n = 0
	return nil
}

// sliceForAppend extends in by n bytes, returning the whole slice and the
// n-byte tail (as the standard library's AEADs do).
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
