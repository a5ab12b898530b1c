package builtin

import (
	"bytes"
	"crypto/mlkem"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/cloudflare/circl/kem/mlkem/mlkem512"
	"github.com/cloudflare/circl/sign/mldsa/mldsa44"
	"github.com/cloudflare/circl/sign/mldsa/mldsa65"
	"github.com/cloudflare/circl/sign/mldsa/mldsa87"
	"github.com/cloudflare/circl/sign/slhdsa"

	"github.com/gopsa/psa/values"
)

// Post-quantum key types. Key pairs are stored as the seeds that the
// specification makes their export format (ML-KEM: d || z; ML-DSA: ξ;
// SLH-DSA: the four n-byte values); public keys are computed from them on
// export. ML-KEM-768 and -1024 use crypto/mlkem; ML-KEM-512, ML-DSA and
// SLH-DSA use github.com/cloudflare/circl.

const (
	mlkemSeedSize = 64
	mldsaSeedSize = 32
)

func mlkemPublicSize(bits int) int {
	switch bits {
	case 512:
		return mlkem512.PublicKeySize
	case 768:
		return mlkem.EncapsulationKeySize768
	case 1024:
		return mlkem.EncapsulationKeySize1024
	}
	return 0
}

func mldsaPublicSize(bits int) int {
	switch bits {
	case 128:
		return mldsa44.PublicKeySize
	case 192:
		return mldsa65.PublicKeySize
	case 256:
		return mldsa87.PublicKeySize
	}
	return 0
}

// pqcBits finds the parameter set of a PQC key: from attrs.Bits when set,
// else from the length of a public key. A key-pair seed has the same
// length for every parameter set, so its size must be given.
func pqcBits(op string, attrs values.Attributes, n int, seedSize int, publicSize func(int) int, sets []int, family string) (int, error) {
	t := attrs.Type
	if attrs.Bits != 0 {
		if publicSize(attrs.Bits) == 0 {
			return 0, fmt.Errorf("%s %v key: %d bits is not an %s parameter set (want one of %v): %w", op, t, attrs.Bits, family, sets, values.ErrInvalidArgument)
		}
		want := seedSize
		if t.IsPublicKey() {
			want = publicSize(attrs.Bits)
		}
		if n != want {
			return 0, fmt.Errorf("%s %v key: %d bytes is not a valid %s-%d key (want %d): %w", op, t, n, family, attrs.Bits, want, values.ErrInvalidArgument)
		}
		return attrs.Bits, nil
	}
	if t.IsKeyPair() {
		return 0, fmt.Errorf("%s %v key: a %d-byte seed does not say which parameter set it is for; set the key size (one of %v): %w", op, t, seedSize, sets, values.ErrInvalidArgument)
	}
	var want []int
	for _, b := range sets {
		if publicSize(b) == n {
			return b, nil
		}
		want = append(want, publicSize(b))
	}
	return 0, fmt.Errorf("%s %v key: %d bytes is not the length of an %s public key (want one of %v): %w", op, t, n, family, want, values.ErrInvalidArgument)
}

func importMLKEM(attrs values.Attributes, data, dst []byte) ([]byte, int, error) {
	bits, err := pqcBits("import", attrs, len(data), mlkemSeedSize, mlkemPublicSize, []int{512, 768, 1024}, "ML-KEM")
	if err != nil {
		return nil, 0, err
	}
	if attrs.Type.IsPublicKey() {
		if err := checkMLKEMPublic(bits, data); err != nil {
			return nil, 0, err
		}
	}
	// Every 64-byte string is a valid seed.
	return append(dst, data...), bits, nil
}

// checkMLKEMPublic runs the encapsulation key check of FIPS 203 §7.2:
// every coefficient must be reduced modulo q.
func checkMLKEMPublic(bits int, ek []byte) error {
	var err error
	switch bits {
	case 512:
		var pk mlkem512.PublicKey
		err = pk.Unpack(ek)
	case 768:
		_, err = mlkem.NewEncapsulationKey768(ek)
	case 1024:
		_, err = mlkem.NewEncapsulationKey1024(ek)
	}
	if err != nil {
		return fmt.Errorf("import ML-KEM public key: not a valid ML-KEM-%d encapsulation key (coefficients must be less than q, FIPS 203 §7.2): %w", bits, values.ErrInvalidArgument)
	}
	return nil
}

func exportPublicMLKEM(attrs values.Attributes, key, dst []byte) ([]byte, error) {
	if len(key) != mlkemSeedSize {
		return nil, fmt.Errorf("export ML-KEM public key: %d bytes is not an ML-KEM seed (want %d): %w", len(key), mlkemSeedSize, values.ErrInvalidArgument)
	}
	switch attrs.Bits {
	case 512:
		pk, _ := mlkem512.NewKeyFromSeed(key)
		b, _ := pk.MarshalBinary()
		return append(dst, b...), nil
	case 768:
		dk, err := mlkem.NewDecapsulationKey768(key)
		if err != nil {
			return nil, fmt.Errorf("export ML-KEM public key: %v: %w", err, values.ErrInvalidArgument)
		}
		return append(dst, dk.EncapsulationKey().Bytes()...), nil
	case 1024:
		dk, err := mlkem.NewDecapsulationKey1024(key)
		if err != nil {
			return nil, fmt.Errorf("export ML-KEM public key: %v: %w", err, values.ErrInvalidArgument)
		}
		return append(dst, dk.EncapsulationKey().Bytes()...), nil
	}
	return nil, fmt.Errorf("export ML-KEM public key: %d bits is not an ML-KEM parameter set (want 512, 768 or 1024): %w", attrs.Bits, values.ErrInvalidArgument)
}

func produceMLKEM(op string, attrs values.Attributes, r io.Reader, dst []byte) ([]byte, error) {
	if mlkemPublicSize(attrs.Bits) == 0 {
		return nil, fmt.Errorf("%s ML-KEM key: %d bits is not an ML-KEM parameter set (want 512, 768 or 1024): %w", op, attrs.Bits, values.ErrInvalidArgument)
	}
	// d, then z (FIPS 203 §7.1 and the PSA key derivation).
	return appendDrawn(r, mlkemSeedSize, dst)
}

func importMLDSA(attrs values.Attributes, data, dst []byte) ([]byte, int, error) {
	bits, err := pqcBits("import", attrs, len(data), mldsaSeedSize, mldsaPublicSize, []int{128, 192, 256}, "ML-DSA")
	if err != nil {
		return nil, 0, err
	}
	// Every 32-byte seed is valid, and FIPS 204 defines no check of a
	// public key beyond its length: any (ρ, t1) encoding decodes.
	return append(dst, data...), bits, nil
}

func exportPublicMLDSA(attrs values.Attributes, key, dst []byte) ([]byte, error) {
	if len(key) != mldsaSeedSize {
		return nil, fmt.Errorf("export ML-DSA public key: %d bytes is not an ML-DSA seed (want %d): %w", len(key), mldsaSeedSize, values.ErrInvalidArgument)
	}
	seed := (*[mldsaSeedSize]byte)(key)
	switch attrs.Bits {
	case 128:
		pk, _ := mldsa44.NewKeyFromSeed(seed)
		return append(dst, pk.Bytes()...), nil
	case 192:
		pk, _ := mldsa65.NewKeyFromSeed(seed)
		return append(dst, pk.Bytes()...), nil
	case 256:
		pk, _ := mldsa87.NewKeyFromSeed(seed)
		return append(dst, pk.Bytes()...), nil
	}
	return nil, fmt.Errorf("export ML-DSA public key: %d bits is not an ML-DSA parameter set (want 128, 192 or 256): %w", attrs.Bits, values.ErrInvalidArgument)
}

func produceMLDSA(op string, attrs values.Attributes, r io.Reader, dst []byte) ([]byte, error) {
	if mldsaPublicSize(attrs.Bits) == 0 {
		return nil, fmt.Errorf("%s ML-DSA key: %d bits is not an ML-DSA parameter set (want 128, 192 or 256): %w", op, attrs.Bits, values.ErrInvalidArgument)
	}
	return appendDrawn(r, mldsaSeedSize, dst)
}

// appendDrawn appends n bytes read from r.
func appendDrawn(r io.Reader, n int, dst []byte) ([]byte, error) {
	out := append(dst, make([]byte, n)...)
	if err := readFull(r, out[len(dst):]); err != nil {
		wipe(out[len(dst):])
		return nil, err
	}
	return out, nil
}

// slhdsaID returns circl's identifier of the SLH-DSA parameter set of
// family f with security parameter n = bits/8.
func slhdsaID(op string, t values.KeyType, bits int) (slhdsa.ID, error) {
	ids := map[values.SLHDSAFamily][3]slhdsa.ID{
		values.SLHDSAFamilySHA2S:  {slhdsa.SHA2_128s, slhdsa.SHA2_192s, slhdsa.SHA2_256s},
		values.SLHDSAFamilySHA2F:  {slhdsa.SHA2_128f, slhdsa.SHA2_192f, slhdsa.SHA2_256f},
		values.SLHDSAFamilySHAKES: {slhdsa.SHAKE_128s, slhdsa.SHAKE_192s, slhdsa.SHAKE_256s},
		values.SLHDSAFamilySHAKEF: {slhdsa.SHAKE_128f, slhdsa.SHAKE_192f, slhdsa.SHAKE_256f},
	}
	set, ok := ids[t.SLHDSAFamily()]
	if !ok {
		return 0, fmt.Errorf("%s %v key: unknown SLH-DSA family 0x%02x: %w", op, t, uint8(t.SLHDSAFamily()), values.ErrNotSupported)
	}
	switch bits {
	case 128:
		return set[0], nil
	case 192:
		return set[1], nil
	case 256:
		return set[2], nil
	}
	return 0, fmt.Errorf("%s %v key: %d bits is not an SLH-DSA security level (want 128, 192 or 256): %w", op, t, bits, values.ErrInvalidArgument)
}

func importSLHDSA(attrs values.Attributes, data, dst []byte) ([]byte, int, error) {
	t := attrs.Type
	parts := 2 // PK.seed || PK.root
	if t.IsKeyPair() {
		parts = 4 // SK.seed || SK.prf || PK.seed || PK.root
	}
	if len(data)%parts != 0 || (len(data)/parts != 16 && len(data)/parts != 24 && len(data)/parts != 32) {
		return nil, 0, fmt.Errorf("import %v key: %d bytes is not %d n-byte values with n = 16, 24 or 32 (want %d, %d or %d bytes): %w", t, len(data), parts, 16*parts, 24*parts, 32*parts, values.ErrInvalidArgument)
	}
	bits := 8 * len(data) / parts
	if err := checkBits("import", attrs, bits); err != nil {
		return nil, 0, err
	}
	id, err := slhdsaID("import", t, bits)
	if err != nil {
		return nil, 0, err
	}
	if t.IsKeyPair() {
		// PK.root is a function of the three seeds (FIPS 205 §9.1):
		// recompute it so that a key pair whose halves do not match is
		// rejected here rather than producing signatures that never
		// verify.
		n := bits / 8
		_, priv, err := slhdsa.GenerateKey(bytes.NewReader(data[:3*n]), id)
		if err != nil {
			return nil, 0, fmt.Errorf("import %v key: %v: %w", t, err, values.ErrInvalidArgument)
		}
		want, _ := priv.MarshalBinary()
		defer wipe(want)
		if !bytes.Equal(want[3*n:], data[3*n:]) {
			return nil, 0, fmt.Errorf("import %v key: PK.root does not match the seeds (FIPS 205 §9.1): %w", t, values.ErrInvalidArgument)
		}
	}
	return append(dst, data...), bits, nil
}

func exportPublicSLHDSA(attrs values.Attributes, key, dst []byte) ([]byte, error) {
	n := attrs.Bits / 8
	if len(key) != 4*n || n == 0 {
		return nil, fmt.Errorf("export SLH-DSA public key: %d bytes is not a %d-bit SLH-DSA key pair (want %d): %w", len(key), attrs.Bits, 4*n, values.ErrInvalidArgument)
	}
	return append(dst, key[2*n:]...), nil
}

// produceSLHDSA draws SK.seed, SK.prf and PK.seed, n bytes each, and
// computes PK.root (slh_keygen_internal, FIPS 205 §9.1).
func produceSLHDSA(op string, attrs values.Attributes, r io.Reader, dst []byte) ([]byte, error) {
	id, err := slhdsaID(op, attrs.Type, attrs.Bits)
	if err != nil {
		return nil, err
	}
	n := attrs.Bits / 8
	seeds := make([]byte, 3*n)
	defer wipe(seeds)
	if err := readFull(r, seeds); err != nil {
		return nil, err
	}
	_, priv, err := slhdsa.GenerateKey(bytes.NewReader(seeds), id)
	if err != nil {
		return nil, fmt.Errorf("%s SLH-DSA key: %v: %w", op, err, values.ErrCorruptionDetected)
	}
	b, _ := priv.MarshalBinary()
	out := append(dst, b...)
	wipe(b)
	return out, nil
}

// Stateful hash-based signature public keys (import only: the
// specification defines no key pairs for them).

// lmsParams returns the hash output size m of an LMS type (RFC 8554 §5.1
// and SP 800-208 §4) and whether it is SHAKE-based.
func lmsParams(typ uint32) (m int, shake, ok bool) {
	switch {
	case typ >= 0x05 && typ <= 0x09:
		return 32, false, true // LMS_SHA256_M32_H5..H25
	case typ >= 0x0a && typ <= 0x0e:
		return 24, false, true // LMS_SHA256_M24_H5..H25
	case typ >= 0x0f && typ <= 0x13:
		return 32, true, true // LMS_SHAKE_M32_H5..H25
	case typ >= 0x14 && typ <= 0x18:
		return 24, true, true // LMS_SHAKE_M24_H5..H25
	}
	return 0, false, false
}

// lmotsParams returns the hash output size n of an LM-OTS type.
func lmotsParams(typ uint32) (n int, shake, ok bool) {
	switch {
	case typ >= 1 && typ <= 4:
		return 32, false, true // LMOTS_SHA256_N32_W1..W8
	case typ >= 5 && typ <= 8:
		return 24, false, true // LMOTS_SHA256_N24_W1..W8
	case typ >= 9 && typ <= 12:
		return 32, true, true // LMOTS_SHAKE_N32_W1..W8
	case typ >= 13 && typ <= 16:
		return 24, true, true // LMOTS_SHAKE_N24_W1..W8
	}
	return 0, false, false
}

// parseLMSPublicKey checks an lms_public_key (RFC 8554 §3 and §5.3):
// u32str(type) || u32str(otstype) || I (16 bytes) || T[1] (m bytes), with
// LMS and LM-OTS parameter sets that use the same hash function and
// output size (SP 800-208 §4). It returns the key size in bits (8m).
func parseLMSPublicKey(b []byte) (int, error) {
	if len(b) < 8 {
		return 0, fmt.Errorf("%d bytes is too short for an lms_public_key (want 8 + 16 + m): %w", len(b), values.ErrInvalidArgument)
	}
	typ, ots := binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:])
	m, shake, ok := lmsParams(typ)
	if !ok {
		return 0, fmt.Errorf("LMS type 0x%08x is not a parameter set of RFC 8554 or SP 800-208 (want 0x05 to 0x18): %w", typ, values.ErrNotSupported)
	}
	n, otsShake, ok := lmotsParams(ots)
	if !ok {
		return 0, fmt.Errorf("LM-OTS type 0x%08x is not a parameter set of RFC 8554 or SP 800-208 (want 0x01 to 0x10): %w", ots, values.ErrNotSupported)
	}
	if n != m || shake != otsShake {
		return 0, fmt.Errorf("LMS type 0x%08x and LM-OTS type 0x%08x use different hash functions (SP 800-208 §4 requires the same): %w", typ, ots, values.ErrInvalidArgument)
	}
	if want := 8 + 16 + m; len(b) != want {
		return 0, fmt.Errorf("%d bytes is not a valid lms_public_key for type 0x%08x (want %d): %w", len(b), typ, want, values.ErrInvalidArgument)
	}
	return 8 * m, nil
}

// xmssParams returns the hash output size of an XMSS (mt == false) or
// XMSS^MT parameter-set OID that the PSA specification admits: SHA-256,
// SHA-256/192, SHAKE256/256 and SHAKE256/192 (RFC 8391 §5.3 and §5.4,
// SP 800-208 §5). The SHA-512 and SHAKE128 sets of RFC 8391 have no PSA
// key size.
func xmssParams(oid uint32, mt bool) (n int, ok bool) {
	if !mt {
		switch {
		case oid >= 0x01 && oid <= 0x03: // XMSS-SHA2_*_256
			return 32, true
		case oid >= 0x0d && oid <= 0x0f: // XMSS-SHA2_*_192
			return 24, true
		case oid >= 0x10 && oid <= 0x12: // XMSS-SHAKE256_*_256
			return 32, true
		case oid >= 0x13 && oid <= 0x15: // XMSS-SHAKE256_*_192
			return 24, true
		}
		return 0, false
	}
	switch {
	case oid >= 0x01 && oid <= 0x08: // XMSSMT-SHA2_*_256
		return 32, true
	case oid >= 0x21 && oid <= 0x28: // XMSSMT-SHA2_*_192
		return 24, true
	case oid >= 0x29 && oid <= 0x30: // XMSSMT-SHAKE256_*_256
		return 32, true
	case oid >= 0x31 && oid <= 0x38: // XMSSMT-SHAKE256_*_192
		return 24, true
	}
	return 0, false
}

func importStatefulHashPublic(attrs values.Attributes, data, dst []byte) ([]byte, int, error) {
	t := attrs.Type
	var bits int
	var err error
	switch t {
	case values.KeyTypeLMSPublicKey:
		bits, err = parseLMSPublicKey(data)
	case values.KeyTypeHSSPublicKey:
		// hss_public_key: u32str(L) || lms_public_key, 1 ≤ L ≤ 8
		// (RFC 8554 §6).
		if len(data) < 4 {
			err = fmt.Errorf("%d bytes is too short for an hss_public_key: %w", len(data), values.ErrInvalidArgument)
			break
		}
		if l := binary.BigEndian.Uint32(data); l < 1 || l > 8 {
			err = fmt.Errorf("HSS levels L = %d is not valid (want 1 to 8): %w", l, values.ErrInvalidArgument)
			break
		}
		bits, err = parseLMSPublicKey(data[4:])
	default:
		// xmss_public_key and xmssmt_public_key: u32str(OID) || root
		// (n bytes) || SEED (n bytes) (RFC 8391 appendices B.3 and C.3).
		mt := t == values.KeyTypeXMSSMTPublicKey
		if len(data) < 4 {
			err = fmt.Errorf("%d bytes is too short for an XMSS public key: %w", len(data), values.ErrInvalidArgument)
			break
		}
		oid := binary.BigEndian.Uint32(data)
		n, ok := xmssParams(oid, mt)
		if !ok {
			err = fmt.Errorf("OID 0x%08x is not a supported parameter set (SHA-256 or SHAKE256 with n = 24 or 32): %w", oid, values.ErrNotSupported)
			break
		}
		if want := 4 + 2*n; len(data) != want {
			err = fmt.Errorf("%d bytes is not a valid public key for OID 0x%08x (want %d): %w", len(data), oid, want, values.ErrInvalidArgument)
			break
		}
		bits = 8 * n
	}
	if err != nil {
		return nil, 0, fmt.Errorf("import %v key: %w", t, err)
	}
	if err := checkBits("import", attrs, bits); err != nil {
		return nil, 0, err
	}
	return append(dst, data...), bits, nil
}
