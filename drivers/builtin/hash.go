package builtin

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding"
	"encoding/binary"
	"fmt"
	"hash"

	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/blake2s"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// Hashes: hash_compute and the hash_multipart family (setup, update,
// finish, clone, suspend, resume).
//
// Supported: MD5, RIPEMD-160, SHA-1, SHA-224, SHA-256, SHA-256/192,
// SHA-384, SHA-512, SHA-512/224, SHA-512/256, SHA3-224/256/384/512,
// SHAKE128/256, SHAKE256/192, SHAKE256/256, SHAKE256/512, BLAKE2s-256 and
// BLAKE2b-512. Not supported (values.ErrNotSupported): MD2, MD4 (no
// maintained Go implementation; both are broken), SM3 (no maintained Go
// module available), Ascon-Hash256 (no Go implementation of NIST SP
// 800-232; circl's ascon package is the earlier Ascon v1.2), BLAKE2sp and
// BLAKE2bp (no Go implementation) and AES-MMO-Zigbee.
//
// Suspend and resume use the hash suspend state format of the
// specification (section 10.2.5), which is defined for MD5, RIPEMD-160,
// SHA-1 and the SHA-2 family except SHA-256/192; the other algorithms
// answer values.ErrNotSupported.

// hashInfo describes a supported hash algorithm.
type hashInfo struct {
	alg  values.Algorithm
	size int
	// new returns a fresh hash; nil for the SHAKE-based hashes, which use
	// shake instead.
	new   func() hash.Hash
	shake func() *sha3.SHAKE
	// suspend is the layout of the hash suspend state, nil if the
	// specification defines none.
	suspend *suspendLayout
}

// suspendLayout is the algorithm-specific part of the hash suspend state
// format: the size of the input_length field and of the state words, and
// their byte order.
type suspendLayout struct {
	lengthField  int  // bytes of input_length: 8 or 16
	words        int  // number of state words
	wordSize     int  // 4 or 8
	littleEndian bool // MD5 and RIPEMD-160
	block        int  // hash block size
}

func (l *suspendLayout) stateLen() int { return l.words * l.wordSize }

var (
	layoutMD5    = &suspendLayout{8, 4, 4, true, 64}
	layoutRMD160 = &suspendLayout{8, 5, 4, true, 64}
	layoutSHA1   = &suspendLayout{8, 5, 4, false, 64}
	layoutSHA256 = &suspendLayout{8, 8, 4, false, 64}
	layoutSHA512 = &suspendLayout{16, 8, 8, false, 128}
)

func newBLAKE2b512() hash.Hash {
	h, _ := blake2b.New512(nil) // cannot fail without a key
	return h
}

func newBLAKE2s256() hash.Hash {
	h, _ := blake2s.New256(nil) // cannot fail without a key
	return h
}

func newRIPEMD160Hash() hash.Hash { return newRIPEMD160() }

var hashInfos = map[values.Algorithm]*hashInfo{
	values.AlgMD5:            {values.AlgMD5, md5.Size, md5.New, nil, layoutMD5},
	values.AlgRIPEMD160:      {values.AlgRIPEMD160, rmdSize, newRIPEMD160Hash, nil, layoutRMD160},
	values.AlgSHA1:           {values.AlgSHA1, sha1.Size, sha1.New, nil, layoutSHA1},
	values.AlgSHA224:         {values.AlgSHA224, sha256.Size224, sha256.New224, nil, layoutSHA256},
	values.AlgSHA256:         {values.AlgSHA256, sha256.Size, sha256.New, nil, layoutSHA256},
	values.AlgSHA256_192:     {values.AlgSHA256_192, 24, sha256.New, nil, nil},
	values.AlgSHA384:         {values.AlgSHA384, sha512.Size384, sha512.New384, nil, layoutSHA512},
	values.AlgSHA512:         {values.AlgSHA512, sha512.Size, sha512.New, nil, layoutSHA512},
	values.AlgSHA512_224:     {values.AlgSHA512_224, sha512.Size224, sha512.New512_224, nil, layoutSHA512},
	values.AlgSHA512_256:     {values.AlgSHA512_256, sha512.Size256, sha512.New512_256, nil, layoutSHA512},
	values.AlgSHA3_224:       {values.AlgSHA3_224, 28, func() hash.Hash { return sha3.New224() }, nil, nil},
	values.AlgSHA3_256:       {values.AlgSHA3_256, 32, func() hash.Hash { return sha3.New256() }, nil, nil},
	values.AlgSHA3_384:       {values.AlgSHA3_384, 48, func() hash.Hash { return sha3.New384() }, nil, nil},
	values.AlgSHA3_512:       {values.AlgSHA3_512, 64, func() hash.Hash { return sha3.New512() }, nil, nil},
	values.AlgSHAKE128_256:   {values.AlgSHAKE128_256, 32, nil, sha3.NewSHAKE128, nil},
	values.AlgSHAKE256_192:   {values.AlgSHAKE256_192, 24, nil, sha3.NewSHAKE256, nil},
	values.AlgSHAKE256_256:   {values.AlgSHAKE256_256, 32, nil, sha3.NewSHAKE256, nil},
	values.AlgSHAKE256_512:   {values.AlgSHAKE256_512, 64, nil, sha3.NewSHAKE256, nil},
	values.AlgBLAKE2bHash512: {values.AlgBLAKE2bHash512, blake2b.Size, newBLAKE2b512, nil, nil},
	values.AlgBLAKE2sHash256: {values.AlgBLAKE2sHash256, blake2s.Size, newBLAKE2s256, nil, nil},
}

// hashByLow indexes hashInfos by the low byte of the algorithm, which
// tells the hashes apart (their encodings are 0x020000xx): an array load
// and one comparison, where a map lookup hashes the key. Every call with
// a hash takes this path, so the map's cost showed on short messages.
// The map stays the reference: lookupHash falls back to it.
var hashByLow = func() (t [256]*hashInfo) {
	for alg, h := range hashInfos {
		t[alg&0xff] = h
	}
	return t
}()

// lookupHash returns the description of the hash algorithm alg, or an
// error that says why the builtin driver cannot compute it.
func lookupHash(op string, alg values.Algorithm) (*hashInfo, error) {
	if h := hashByLow[alg&0xff]; h != nil && h.alg == alg {
		return h, nil
	}
	if h, ok := hashInfos[alg]; ok {
		return h, nil
	}
	switch {
	case alg == values.AlgAnyHash:
		return nil, fmt.Errorf("%s: %v is a policy wildcard, not a hash algorithm: %w", op, alg, values.ErrNotSupported)
	case !alg.IsHash():
		return nil, fmt.Errorf("%s: %v is not a hash algorithm: %w", op, alg, values.ErrInvalidArgument)
	}
	var why string
	switch alg {
	case values.AlgMD2, values.AlgMD4:
		why = "it is broken and has no maintained Go implementation"
	case values.AlgSM3:
		why = "no maintained Go implementation is available"
	case values.AlgAsconHash256:
		why = "no Go implementation of NIST SP 800-232 is available"
	case values.AlgBLAKE2spHash256, values.AlgBLAKE2bpHash512:
		why = "no Go implementation of the parallel BLAKE2 variants is available"
	case values.AlgAESMMOZigbee:
		why = "it is only used by Zigbee and not implemented"
	default:
		why = "it is not a hash algorithm of the specification"
	}
	return nil, fmt.Errorf("%s: hash algorithm %v is not supported by the builtin driver (%s): %w", op, alg, why, values.ErrNotSupported)
}

// HashCompute is the "hash_compute" entry point: it appends the hash of
// input to dst. It allocates nothing beyond the output for MD5, SHA-1, the
// SHA-2 and SHA-3 families and BLAKE2.
func (d *Driver) HashCompute(alg values.Algorithm, input, dst []byte) ([]byte, error) {
	info, err := lookupHash("hash", alg)
	if err != nil {
		return nil, err
	}
	return info.sum(input, dst), nil
}

// sum appends the hash of input to dst, using the packages' one-shot
// functions where they exist: they keep the state on the stack.
func (info *hashInfo) sum(input, dst []byte) []byte {
	switch info.alg {
	case values.AlgMD5:
		s := md5.Sum(input)
		return append(dst, s[:]...)
	case values.AlgSHA1:
		s := sha1.Sum(input)
		return append(dst, s[:]...)
	case values.AlgSHA224:
		s := sha256.Sum224(input)
		return append(dst, s[:]...)
	case values.AlgSHA256, values.AlgSHA256_192:
		s := sha256.Sum256(input)
		return append(dst, s[:info.size]...)
	case values.AlgSHA384:
		s := sha512.Sum384(input)
		return append(dst, s[:]...)
	case values.AlgSHA512:
		s := sha512.Sum512(input)
		return append(dst, s[:]...)
	case values.AlgSHA512_224:
		s := sha512.Sum512_224(input)
		return append(dst, s[:]...)
	case values.AlgSHA512_256:
		s := sha512.Sum512_256(input)
		return append(dst, s[:]...)
	case values.AlgSHA3_224:
		s := sha3.Sum224(input)
		return append(dst, s[:]...)
	case values.AlgSHA3_256:
		s := sha3.Sum256(input)
		return append(dst, s[:]...)
	case values.AlgSHA3_384:
		s := sha3.Sum384(input)
		return append(dst, s[:]...)
	case values.AlgSHA3_512:
		s := sha3.Sum512(input)
		return append(dst, s[:]...)
	case values.AlgBLAKE2bHash512:
		s := blake2b.Sum512(input)
		return append(dst, s[:]...)
	case values.AlgBLAKE2sHash256:
		s := blake2s.Sum256(input)
		return append(dst, s[:]...)
	}
	op := info.start()
	op.Update(input)
	out, _ := op.Finish(dst)
	return out
}

// start returns a new operation for info.
func (info *hashInfo) start() *hashOperation {
	o := &hashOperation{info: info}
	if info.shake != nil {
		o.x = info.shake()
	} else {
		o.h = info.new()
	}
	return o
}

// HashSetup is the "hash_setup" entry point of the "hash_multipart"
// family.
func (d *Driver) HashSetup(alg values.Algorithm) (driver.HashOperation, error) {
	info, err := lookupHash("hash setup", alg)
	if err != nil {
		return nil, err
	}
	return info.start(), nil
}

// hashOperation is a multi-part hash. The core serialises calls on it.
type hashOperation struct {
	info *hashInfo
	h    hash.Hash   // every hash but the SHAKE-based ones
	x    *sha3.SHAKE // SHAKE128/256, SHAKE256/192, /256, /512
}

// Update absorbs input.
func (o *hashOperation) Update(input []byte) error {
	if o.x != nil {
		o.x.Write(input)
	} else {
		o.h.Write(input)
	}
	return nil
}

// Finish appends the hash to dst.
func (o *hashOperation) Finish(dst []byte) ([]byte, error) {
	n := o.info.size
	if o.x != nil {
		out := append(dst, make([]byte, n)...)
		o.x.Read(out[len(dst):])
		return out, nil
	}
	// SHA-256/192 is the first 24 bytes of SHA-256: the rest is wiped
	// from dst's spare capacity.
	out := o.h.Sum(dst)
	clear(out[len(dst)+n:])
	return out[:len(dst)+n], nil
}

// Clone returns an independent copy of the operation.
func (o *hashOperation) Clone() (driver.HashOperation, error) {
	c := &hashOperation{info: o.info}
	if o.x != nil {
		c.x = o.info.shake()
		if err := copyState(c.x, o.x); err != nil {
			return nil, err
		}
		return c, nil
	}
	if cl, ok := o.h.(hash.Cloner); ok {
		h, err := cl.Clone()
		if err != nil {
			return nil, fmt.Errorf("hash clone: %v: %w", err, values.ErrCorruptionDetected)
		}
		c.h = h
		return c, nil
	}
	c.h = o.info.new()
	if err := copyState(c.h, o.h); err != nil {
		return nil, err
	}
	return c, nil
}

// copyState copies a hash's state through its binary marshalling (the
// x/crypto BLAKE2 digests and SHAKE offer no Clone).
func copyState(dst, src any) error {
	m, ok1 := src.(encoding.BinaryMarshaler)
	u, ok2 := dst.(encoding.BinaryUnmarshaler)
	if !ok1 || !ok2 {
		return fmt.Errorf("hash clone: the hash implementation cannot copy its state: %w", values.ErrNotSupported)
	}
	b, err := m.MarshalBinary()
	if err == nil {
		err = u.UnmarshalBinary(b)
	}
	if err != nil {
		return fmt.Errorf("hash clone: %v: %w", err, values.ErrCorruptionDetected)
	}
	return nil
}

// Abort releases the operation.
func (o *hashOperation) Abort() error {
	o.h, o.x = nil, nil
	return nil
}

// Suspend appends the hash suspend state of the specification
// (algorithm || input_length || hash_state || unprocessed_input) to dst.
// It answers values.ErrNotSupported for algorithms that have no suspend
// state format (SHA-3, SHAKE, BLAKE2, SHA-256/192).
func (o *hashOperation) Suspend(dst []byte) ([]byte, error) {
	l := o.info.suspend
	if l == nil {
		return nil, fmt.Errorf("hash suspend: the specification defines no suspend state for %v: %w", o.info.alg, values.ErrNotSupported)
	}
	state, partial, n, err := o.state()
	if err != nil {
		return nil, err
	}
	out := binary.BigEndian.AppendUint32(dst, uint32(o.info.alg))
	if l.lengthField == 16 {
		out = binary.BigEndian.AppendUint64(out, 0)
	}
	out = binary.BigEndian.AppendUint64(out, n)
	out = appendWords(out, state, l)
	return append(out, partial...), nil
}

// state returns the chaining value as big-endian words, the buffered
// partial block and the total input length of the operation.
func (o *hashOperation) state() (stateBE, partial []byte, n uint64, err error) {
	l := o.info.suspend
	if r, ok := o.h.(*ripemd160); ok {
		var s []byte
		for _, w := range r.s {
			s = binary.BigEndian.AppendUint32(s, w)
		}
		return s, r.x[:r.nx], r.len, nil
	}
	m, ok := o.h.(encoding.BinaryMarshaler)
	if !ok {
		return nil, nil, 0, fmt.Errorf("hash suspend: the %v implementation does not expose its state: %w", o.info.alg, values.ErrNotSupported)
	}
	b, err := m.MarshalBinary()
	if err != nil || len(b) != goStateLen(l) {
		return nil, nil, 0, fmt.Errorf("hash suspend: unexpected state format of the Go %v implementation: %w", o.info.alg, values.ErrNotSupported)
	}
	n = binary.BigEndian.Uint64(b[len(b)-8:])
	s := b[4 : 4+l.stateLen()]
	p := b[4+l.stateLen():][:n%uint64(l.block)]
	return s, p, n, nil
}

// goStateLen is the length of the encoding.BinaryMarshaler state of the
// standard library's MD5, SHA-1 and SHA-2: a 4-byte magic, the state
// words big-endian, the block buffer and the length in bytes (uint64).
func goStateLen(l *suspendLayout) int { return 4 + l.stateLen() + l.block + 8 }

// appendWords appends the big-endian words of s in the byte order of l.
func appendWords(dst, s []byte, l *suspendLayout) []byte {
	if !l.littleEndian {
		return append(dst, s...)
	}
	for i := 0; i < len(s); i += l.wordSize {
		for j := l.wordSize - 1; j >= 0; j-- {
			dst = append(dst, s[i+j])
		}
	}
	return dst
}

// HashResume is the "hash_resume" entry point: it restarts a hash from a
// suspend state that Suspend (or any implementation of the
// specification) produced. A malformed state, or one for another
// algorithm, is values.ErrInvalidArgument.
func (d *Driver) HashResume(alg values.Algorithm, state []byte) (driver.HashOperation, error) {
	info, err := lookupHash("hash resume", alg)
	if err != nil {
		return nil, err
	}
	l := info.suspend
	if l == nil {
		return nil, fmt.Errorf("hash resume: the specification defines no suspend state for %v: %w", alg, values.ErrNotSupported)
	}
	fixed := 4 + l.lengthField + l.stateLen()
	if len(state) < fixed {
		return nil, fmt.Errorf("hash resume: a %v suspend state is at least %d bytes, got %d: %w", alg, fixed, len(state), values.ErrInvalidArgument)
	}
	if got := values.Algorithm(binary.BigEndian.Uint32(state)); got != alg {
		return nil, fmt.Errorf("hash resume: the suspend state is for %v, not %v: %w", got, alg, values.ErrInvalidArgument)
	}
	lf := state[4 : 4+l.lengthField]
	if l.lengthField == 16 {
		if binary.BigEndian.Uint64(lf) != 0 {
			return nil, fmt.Errorf("hash resume: input lengths of 2^64 bytes or more are not supported: %w", values.ErrNotSupported)
		}
		lf = lf[8:]
	}
	n := binary.BigEndian.Uint64(lf)
	partial := state[fixed:]
	if want := int(n % uint64(l.block)); len(partial) != want {
		return nil, fmt.Errorf("hash resume: a %v suspend state with input_length %d carries %d unprocessed bytes, got %d: %w", alg, n, want, len(partial), values.ErrInvalidArgument)
	}
	if n >= 1<<61 {
		return nil, fmt.Errorf("hash resume: input_length %d is beyond what %v can hash (2^61 bytes): %w", n, alg, values.ErrInvalidArgument)
	}
	// The state words in big-endian order, whatever the format's order.
	words := appendWords(nil, state[4+l.lengthField:fixed], l)
	o := info.start()
	if r, ok := o.h.(*ripemd160); ok {
		for i := range r.s {
			r.s[i] = binary.BigEndian.Uint32(words[4*i:])
		}
		r.nx = copy(r.x[:], partial)
		r.len = n
		return o, nil
	}
	u, ok1 := o.h.(encoding.BinaryUnmarshaler)
	m, ok2 := o.h.(encoding.BinaryMarshaler)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("hash resume: the %v implementation cannot restore its state: %w", alg, values.ErrNotSupported)
	}
	fresh, err := m.MarshalBinary()
	if err != nil || len(fresh) != goStateLen(l) {
		return nil, fmt.Errorf("hash resume: unexpected state format of the Go %v implementation: %w", alg, values.ErrNotSupported)
	}
	b := append(fresh[:4:4], words...)
	b = append(b, partial...)
	b = append(b, make([]byte, l.block-len(partial))...)
	b = binary.BigEndian.AppendUint64(b, n)
	if err := u.UnmarshalBinary(b); err != nil {
		return nil, fmt.Errorf("hash resume: %v: %w", err, values.ErrInvalidArgument)
	}
	return o, nil
}
