package values

import "math"

// Size functions follow the size macros of the specification: each
// returns a buffer size in bytes that is sufficient for the operation,
// and 0 when the combination of parameters is not recognized or not
// valid. They are pure arithmetic on the encodings and do not allocate.
//
// Where the specification leaves a limit to the implementation, gopsa
// covers every mechanism of PSA Crypto API 1.5 with these key sizes:
// RSA and finite-field Diffie-Hellman keys up to 8192 bits, elliptic
// curves up to 571 bits (sect571k1/r1), ML-DSA-87, ML-KEM-1024 and the
// SLH-DSA 256f parameter sets.
const (
	maxRSAKeyBits = 8192
	maxDHKeyBits  = 8192
	maxECCKeyBits = 571
)

// BitsToBytes returns the number of bytes needed to hold bits bits
// (PSA_BITS_TO_BYTES).
func BitsToBytes(bits int) int { return (bits + 7) / 8 }

// BytesToBits returns the number of bits in n bytes (PSA_BYTES_TO_BITS).
func BytesToBits(n int) int { return n * 8 }

// HashMaxSize is the largest hash output (PSA_HASH_MAX_SIZE): 64 bytes,
// for SHA-512, SHA3-512, SHAKE256/512 and BLAKE2b(p)-512.
const HashMaxSize = 64

// HashLength returns the output length of the hash algorithm alg, or of
// the hash of an HMAC algorithm (PSA_HASH_LENGTH), or 0 if alg is neither.
func HashLength(alg Algorithm) int {
	if alg.IsHMAC() {
		alg = alg.Hash()
	}
	switch alg {
	case AlgMD2, AlgMD4, AlgMD5, AlgAESMMOZigbee:
		return 16
	case AlgRIPEMD160, AlgSHA1:
		return 20
	case AlgSHA256_192, AlgSHAKE256_192:
		return 24
	case AlgSHA224, AlgSHA512_224, AlgSHA3_224:
		return 28
	case AlgSHA256, AlgSHA512_256, AlgSHA3_256, AlgSM3, AlgSHAKE128_256, AlgSHAKE256_256,
		AlgAsconHash256, AlgBLAKE2sHash256, AlgBLAKE2spHash256:
		return 32
	case AlgSHA384, AlgSHA3_384:
		return 48
	case AlgSHA512, AlgSHA3_512, AlgSHAKE256_512, AlgBLAKE2bHash512, AlgBLAKE2bpHash512:
		return 64
	}
	return 0
}

// HashBlockLength returns the input block size of the hash algorithm alg,
// or of the hash of an HMAC algorithm (PSA_HASH_BLOCK_LENGTH), or 0 if
// alg is neither. For the SHA-3 family this is the HMAC block size of the
// specification (the sponge rate); for SHAKE and Ascon, which have no
// HMAC block size, it is the sponge rate.
func HashBlockLength(alg Algorithm) int {
	if alg.IsHMAC() {
		alg = alg.Hash()
	}
	switch alg {
	case AlgAsconHash256:
		return 8
	case AlgMD2, AlgAESMMOZigbee:
		return 16
	case AlgMD4, AlgMD5, AlgRIPEMD160, AlgSHA1, AlgSHA224, AlgSHA256, AlgSHA256_192, AlgSM3,
		AlgBLAKE2sHash256, AlgBLAKE2spHash256:
		return 64
	case AlgSHA3_512:
		return 72
	case AlgSHA3_384:
		return 104
	case AlgSHA384, AlgSHA512, AlgSHA512_224, AlgSHA512_256, AlgBLAKE2bHash512, AlgBLAKE2bpHash512:
		return 128
	case AlgSHA3_256, AlgSHAKE256_512, AlgSHAKE256_192, AlgSHAKE256_256:
		return 136
	case AlgSHA3_224:
		return 144
	case AlgSHAKE128_256:
		return 168
	}
	return 0
}

// HashSuspendAlgorithmFieldLength is the size of the algorithm field of a
// hash suspend state (PSA_HASH_SUSPEND_ALGORITHM_FIELD_LENGTH).
const HashSuspendAlgorithmFieldLength = 4

// HashSuspendInputLengthFieldLength returns the size of the input-length
// field of the suspend state of alg
// (PSA_HASH_SUSPEND_INPUT_LENGTH_FIELD_LENGTH), or 0 if alg cannot be
// suspended.
func HashSuspendInputLengthFieldLength(alg Algorithm) int {
	switch alg {
	case AlgMD2:
		return 1
	case AlgMD4, AlgMD5, AlgRIPEMD160, AlgSHA1, AlgSHA224, AlgSHA256:
		return 8
	case AlgSHA384, AlgSHA512, AlgSHA512_224, AlgSHA512_256:
		return 16
	}
	return 0
}

// HashSuspendHashStateFieldLength returns the size of the hash-state
// field of the suspend state of alg
// (PSA_HASH_SUSPEND_HASH_STATE_FIELD_LENGTH), or 0 if alg cannot be
// suspended.
func HashSuspendHashStateFieldLength(alg Algorithm) int {
	switch alg {
	case AlgMD2, AlgSHA384, AlgSHA512, AlgSHA512_224, AlgSHA512_256:
		return 64
	case AlgMD4, AlgMD5:
		return 16
	case AlgRIPEMD160, AlgSHA1:
		return 20
	case AlgSHA224, AlgSHA256:
		return 32
	}
	return 0
}

// HashSuspendOutputSize returns a sufficient buffer size for the suspend
// state of alg (PSA_HASH_SUSPEND_OUTPUT_SIZE), or 0 if alg cannot be
// suspended.
func HashSuspendOutputSize(alg Algorithm) int {
	in := HashSuspendInputLengthFieldLength(alg)
	if in == 0 {
		return 0
	}
	return HashSuspendAlgorithmFieldLength + in + HashSuspendHashStateFieldLength(alg) +
		HashBlockLength(alg) - 1
}

// HashSuspendOutputMaxSize is a sufficient suspend state buffer for every
// hash algorithm (PSA_HASH_SUSPEND_OUTPUT_MAX_SIZE): that of SHA-512.
const HashSuspendOutputMaxSize = HashSuspendAlgorithmFieldLength + 16 + 64 + 128 - 1

// MACMaxSize is the largest MAC (PSA_MAC_MAX_SIZE): 64 bytes, for HMAC
// with a 64-byte hash and BLAKE2b MAC.
const MACMaxSize = 64

// MACLength returns the length of the MAC that alg computes with a key of
// type keyType (PSA_MAC_LENGTH): the truncated length for a truncated
// MAC or a wildcard, the full length otherwise. It returns 0 if alg is
// not a MAC of the specification or keyType cannot compute it. The key
// size does not affect any MAC length of the specification.
func MACLength(keyType KeyType, bits int, alg Algorithm) int {
	if !alg.IsMAC() {
		return 0
	}
	full := fullMACLength(keyType, alg)
	if full == 0 {
		return 0
	}
	if n := alg.lengthField(); n != 0 {
		return n
	}
	return full
}

// fullMACLength returns the untruncated MAC length of alg with keyType,
// or 0 if they do not go together.
func fullMACLength(keyType KeyType, alg Algorithm) int {
	switch base := AlgFullLengthMAC(alg); {
	case base.IsHMAC():
		if keyType != KeyTypeHMAC {
			return 0
		}
		return HashLength(base.Hash())
	case base.IsBLAKE2MAC():
		if keyType != KeyTypeBLAKE2 || !base.Hash().IsBLAKE2Hash() {
			return 0
		}
		return HashLength(base.Hash())
	case base == AlgCBCMAC || base == AlgCMAC:
		return blockCipherSize(keyType)
	}
	return 0
}

// BlockCipherBlockLength returns the block size of the cipher key type
// keyType, or 1 for a stream cipher (PSA_BLOCK_CIPHER_BLOCK_LENGTH): 2 to
// the power of the BLK field of a symmetric key type. It returns 0 for a
// key type that is not symmetric.
func BlockCipherBlockLength(keyType KeyType) int {
	if keyType&keyTypeCategoryMask != keyTypeCatSymmetric {
		return 0
	}
	return 1 << (keyType >> 8 & 7)
}

// blockCipherSize returns the block size of a block cipher key type of
// the specification, or 0 for any other key type: sizes for an unknown
// cipher are 0, as the size macros require.
func blockCipherSize(keyType KeyType) int {
	switch keyType {
	case KeyTypeDES:
		return 8
	case KeyTypeAES, KeyTypeARIA, KeyTypeCamellia, KeyTypeSM4:
		return 16
	}
	return 0
}

// BlockCipherBlockMaxSize is the largest block (PSA_BLOCK_CIPHER_BLOCK_MAX_SIZE):
// 16 bytes, for AES, ARIA, Camellia and SM4.
const BlockCipherBlockMaxSize = 16

// cipherIV returns the IV length of the cipher alg with keyType, and
// whether they go together.
func cipherIV(keyType KeyType, alg Algorithm) (iv int, ok bool) {
	block := blockCipherSize(keyType)
	switch alg {
	case AlgECBNoPadding:
		return 0, block != 0
	case AlgCBCNoPadding, AlgCBCPKCS7, AlgCFB, AlgOFB, AlgCTR, AlgXTS:
		return block, block != 0
	case AlgCCMStarNoTag:
		return 13, block == 16
	case AlgStreamCipher:
		switch keyType {
		case KeyTypeChaCha20:
			return 12, true
		case KeyTypeXChaCha20:
			return 24, true
		case KeyTypeARC4:
			return 0, true
		}
	}
	return 0, false
}

// CipherIVLength returns the default IV length of the cipher alg with a
// key of type keyType (PSA_CIPHER_IV_LENGTH), or 0 if the cipher takes no
// IV or the two do not go together.
func CipherIVLength(keyType KeyType, alg Algorithm) int {
	iv, _ := cipherIV(keyType, alg)
	return iv
}

// CipherIVMaxSize is the largest cipher IV (PSA_CIPHER_IV_MAX_SIZE): 24
// bytes, for XChaCha20.
const CipherIVMaxSize = 24

// CipherEncryptOutputSize returns a sufficient output size for a
// single-part encryption of n bytes, IV included
// (PSA_CIPHER_ENCRYPT_OUTPUT_SIZE), or 0 if keyType and alg do not go
// together.
func CipherEncryptOutputSize(keyType KeyType, alg Algorithm, n int) int {
	iv, ok := cipherIV(keyType, alg)
	if !ok {
		return 0
	}
	if alg == AlgCBCPKCS7 {
		block := blockCipherSize(keyType)
		return iv + (n/block+1)*block
	}
	return iv + n
}

// CipherEncryptOutputMaxSize returns a sufficient output size for a
// single-part encryption of n bytes with any cipher
// (PSA_CIPHER_ENCRYPT_OUTPUT_MAX_SIZE).
func CipherEncryptOutputMaxSize(n int) int { return n + BlockCipherBlockMaxSize + CipherIVMaxSize }

// CipherDecryptOutputSize returns a sufficient output size for a
// single-part decryption of n bytes, IV included
// (PSA_CIPHER_DECRYPT_OUTPUT_SIZE), or 0 if keyType and alg do not go
// together or n is shorter than the IV.
func CipherDecryptOutputSize(keyType KeyType, alg Algorithm, n int) int {
	iv, ok := cipherIV(keyType, alg)
	if !ok || n < iv {
		return 0
	}
	return n - iv
}

// CipherDecryptOutputMaxSize returns a sufficient output size for a
// single-part decryption of n bytes with any cipher
// (PSA_CIPHER_DECRYPT_OUTPUT_MAX_SIZE).
func CipherDecryptOutputMaxSize(n int) int { return n }

// CipherUpdateOutputSize returns a sufficient output size for one update
// of n bytes in a multi-part cipher operation
// (PSA_CIPHER_UPDATE_OUTPUT_SIZE): block modes may release up to one
// buffered block (two for XTS, which holds back the last full block for
// ciphertext stealing).
func CipherUpdateOutputSize(keyType KeyType, alg Algorithm, n int) int {
	if _, ok := cipherIV(keyType, alg); !ok {
		return 0
	}
	switch alg {
	case AlgECBNoPadding, AlgCBCNoPadding, AlgCBCPKCS7:
		return n + blockCipherSize(keyType)
	case AlgXTS:
		return n + 2*blockCipherSize(keyType)
	}
	return n
}

// CipherUpdateOutputMaxSize returns a sufficient output size for one
// update of n bytes with any cipher (PSA_CIPHER_UPDATE_OUTPUT_MAX_SIZE).
func CipherUpdateOutputMaxSize(n int) int { return n + 2*BlockCipherBlockMaxSize }

// CipherFinishOutputSize returns a sufficient output size for finishing a
// multi-part cipher operation (PSA_CIPHER_FINISH_OUTPUT_SIZE).
func CipherFinishOutputSize(keyType KeyType, alg Algorithm) int {
	if _, ok := cipherIV(keyType, alg); !ok {
		return 0
	}
	switch alg {
	case AlgCBCPKCS7:
		return blockCipherSize(keyType)
	case AlgXTS:
		return 2 * blockCipherSize(keyType)
	}
	return 0
}

// CipherFinishOutputMaxSize is a sufficient output size for finishing any
// multi-part cipher operation (PSA_CIPHER_FINISH_OUTPUT_MAX_SIZE).
const CipherFinishOutputMaxSize = 2 * BlockCipherBlockMaxSize

// aeadNonce returns the default nonce length of the AEAD alg with keyType,
// or 0 if they do not go together.
func aeadNonce(keyType KeyType, alg Algorithm) int {
	switch AlgAEADWithDefaultLengthTag(alg) {
	case AlgCCM:
		if blockCipherSize(keyType) == 16 {
			return 13
		}
	case AlgGCM:
		if blockCipherSize(keyType) == 16 {
			return 12
		}
	case AlgChaCha20Poly1305:
		if keyType == KeyTypeChaCha20 {
			return 12
		}
	case AlgXChaCha20Poly1305:
		if keyType == KeyTypeXChaCha20 {
			return 24
		}
	case AlgAsconAEAD128:
		if keyType == KeyTypeAscon {
			return 16
		}
	}
	return 0
}

// AEADNonceLength returns the default nonce length of the AEAD alg with a
// key of type keyType (PSA_AEAD_NONCE_LENGTH), or 0 if they do not go
// together.
func AEADNonceLength(keyType KeyType, alg Algorithm) int { return aeadNonce(keyType, alg) }

// AEADNonceMaxSize is the largest default AEAD nonce
// (PSA_AEAD_NONCE_MAX_SIZE): 24 bytes, for XChaCha20-Poly1305.
const AEADNonceMaxSize = 24

// AEADTagLength returns the tag length of the AEAD alg with a key of type
// keyType (PSA_AEAD_TAG_LENGTH), or 0 if they do not go together.
func AEADTagLength(keyType KeyType, bits int, alg Algorithm) int {
	if aeadNonce(keyType, alg) == 0 {
		return 0
	}
	return alg.lengthField()
}

// AEADTagMaxSize is the largest AEAD tag (PSA_AEAD_TAG_MAX_SIZE).
const AEADTagMaxSize = 16

// AEADEncryptOutputSize returns a sufficient output size for a
// single-part AEAD encryption of n bytes: ciphertext and tag
// (PSA_AEAD_ENCRYPT_OUTPUT_SIZE), or 0 if keyType and alg do not go
// together.
func AEADEncryptOutputSize(keyType KeyType, alg Algorithm, n int) int {
	if aeadNonce(keyType, alg) == 0 {
		return 0
	}
	return n + alg.lengthField()
}

// AEADEncryptOutputMaxSize returns a sufficient output size for a
// single-part AEAD encryption of n bytes with any AEAD
// (PSA_AEAD_ENCRYPT_OUTPUT_MAX_SIZE).
func AEADEncryptOutputMaxSize(n int) int { return n + AEADTagMaxSize }

// AEADDecryptOutputSize returns a sufficient output size for a
// single-part AEAD decryption of n bytes of ciphertext and tag
// (PSA_AEAD_DECRYPT_OUTPUT_SIZE), or 0 if keyType and alg do not go
// together or n is shorter than the tag.
func AEADDecryptOutputSize(keyType KeyType, alg Algorithm, n int) int {
	tag := AEADTagLength(keyType, 0, alg)
	if aeadNonce(keyType, alg) == 0 || n < tag {
		return 0
	}
	return n - tag
}

// AEADDecryptOutputMaxSize returns a sufficient output size for a
// single-part AEAD decryption of n bytes with any AEAD
// (PSA_AEAD_DECRYPT_OUTPUT_MAX_SIZE).
func AEADDecryptOutputMaxSize(n int) int { return n }

// AEADUpdateOutputSize returns a sufficient output size for one update of
// n bytes in a multi-part AEAD operation (PSA_AEAD_UPDATE_OUTPUT_SIZE):
// an AEAD on a block cipher may release buffered input, up to n rounded
// up to whole blocks.
func AEADUpdateOutputSize(keyType KeyType, alg Algorithm, n int) int {
	if aeadNonce(keyType, alg) == 0 {
		return 0
	}
	if alg.IsAEADOnBlockCipher() {
		block := blockCipherSize(keyType)
		return (n + block - 1) / block * block
	}
	return n
}

// AEADUpdateOutputMaxSize returns a sufficient output size for one update
// of n bytes with any AEAD (PSA_AEAD_UPDATE_OUTPUT_MAX_SIZE).
func AEADUpdateOutputMaxSize(n int) int {
	return (n + BlockCipherBlockMaxSize - 1) / BlockCipherBlockMaxSize * BlockCipherBlockMaxSize
}

// AEADFinishOutputSize returns a sufficient ciphertext size for finishing
// a multi-part AEAD encryption (PSA_AEAD_FINISH_OUTPUT_SIZE): the
// buffered partial block of an AEAD on a block cipher.
func AEADFinishOutputSize(keyType KeyType, alg Algorithm) int {
	if aeadNonce(keyType, alg) == 0 || !alg.IsAEADOnBlockCipher() {
		return 0
	}
	return blockCipherSize(keyType)
}

// AEADFinishOutputMaxSize is a sufficient size for finishing any AEAD
// encryption (PSA_AEAD_FINISH_OUTPUT_MAX_SIZE).
const AEADFinishOutputMaxSize = BlockCipherBlockMaxSize

// AEADVerifyOutputSize returns a sufficient plaintext size for finishing
// a multi-part AEAD decryption (PSA_AEAD_VERIFY_OUTPUT_SIZE).
func AEADVerifyOutputSize(keyType KeyType, alg Algorithm) int {
	return AEADFinishOutputSize(keyType, alg)
}

// AEADVerifyOutputMaxSize is a sufficient size for finishing any AEAD
// decryption (PSA_AEAD_VERIFY_OUTPUT_MAX_SIZE).
const AEADVerifyOutputMaxSize = BlockCipherBlockMaxSize

// derIntegerMaxSize bounds the DER encoding of a non-negative integer of
// at most bits bits: tag, up to 3 length bytes, a sign byte and the value.
func derIntegerMaxSize(bits int) int { return 1 + 3 + 1 + BitsToBytes(bits) }

// rsaKeyPairSize bounds the RSAPrivateKey DER of a bits-bit modulus: a
// SEQUENCE header, the version, n, e and d of at most bits bits, and the
// five CRT values of at most bits/2+1 bits.
func rsaKeyPairSize(bits int) int {
	return 4 + 3 + 3*derIntegerMaxSize(bits) + 5*derIntegerMaxSize(bits/2+1)
}

// rsaPublicKeySize bounds the RSAPublicKey DER of a bits-bit modulus: a
// SEQUENCE header, n and e, which is smaller than n.
func rsaPublicKeySize(bits int) int { return 4 + 2*derIntegerMaxSize(bits) }

// eccPrivateKeySize returns the private key size of a curve of family f
// with bits bits.
func eccPrivateKeySize(f ECCFamily, bits int) int {
	if f == ECCFamilyTwistedEdwards && bits == 448 {
		return 57 // an Ed448 private key carries an extra byte
	}
	return BitsToBytes(bits)
}

// eccPublicKeySize returns the public key size of a curve of family f
// with bits bits: an uncompressed point on a Weierstrass curve, one
// coordinate on a Montgomery or Edwards curve.
func eccPublicKeySize(f ECCFamily, bits int) int {
	switch f {
	case ECCFamilyMontgomery:
		return BitsToBytes(bits)
	case ECCFamilyTwistedEdwards:
		return eccPrivateKeySize(f, bits)
	}
	return 1 + 2*BitsToBytes(bits)
}

func isWeierstrass(f ECCFamily) bool {
	return f != ECCFamilyMontgomery && f != ECCFamilyTwistedEdwards
}

// mldsaSizes returns the public key and signature sizes of the ML-DSA
// parameter set of strength bits (FIPS 204, table 2).
func mldsaSizes(bits int) (pub, sig int) {
	switch bits {
	case 128:
		return 1312, 2420
	case 192:
		return 1952, 3309
	case 256:
		return 2592, 4627
	}
	return 0, 0
}

// mlkemSizes returns the encapsulation key and ciphertext sizes of the
// ML-KEM parameter set bits (FIPS 203, table 3).
func mlkemSizes(bits int) (pub, ct int) {
	switch bits {
	case 512:
		return 800, 768
	case 768:
		return 1184, 1088
	case 1024:
		return 1568, 1568
	}
	return 0, 0
}

// slhdsaSignatureSize returns the signature size of the SLH-DSA parameter
// set of family f and security parameter bits (FIPS 205, table 2).
func slhdsaSignatureSize(f SLHDSAFamily, bits int) int {
	fast := f == SLHDSAFamilySHA2F || f == SLHDSAFamilySHAKEF
	small := f == SLHDSAFamilySHA2S || f == SLHDSAFamilySHAKES
	switch {
	case small && bits == 128:
		return 7856
	case fast && bits == 128:
		return 17088
	case small && bits == 192:
		return 16224
	case fast && bits == 192:
		return 35664
	case small && bits == 256:
		return 29792
	case fast && bits == 256:
		return 49856
	}
	return 0
}

func slhdsaN(bits int) int {
	switch bits {
	case 128, 192, 256:
		return bits / 8
	}
	return 0
}

func hashBasedN(bits int) int {
	switch bits {
	case 192, 256:
		return bits / 8
	}
	return 0
}

// ExportKeyOutputSize returns a sufficient buffer size for exporting a key
// of type keyType and size bits (PSA_EXPORT_KEY_OUTPUT_SIZE), or 0 if the
// key type is not recognized or bits is not a valid size for it.
func ExportKeyOutputSize(keyType KeyType, bits int) int {
	if bits <= 0 {
		return 0
	}
	switch {
	case keyType.IsUnstructured():
		return BitsToBytes(bits)
	case keyType.IsWPA3SAEECC():
		return 2 * BitsToBytes(bits)
	case keyType.IsWPA3SAEDH():
		return BitsToBytes(bits)
	case keyType == KeyTypeRSAKeyPair:
		return rsaKeyPairSize(bits)
	case keyType == KeyTypeRSAPublicKey:
		return rsaPublicKeySize(bits)
	case keyType.IsECCKeyPair():
		return eccPrivateKeySize(keyType.ECCFamily(), bits)
	case keyType.IsECCPublicKey():
		return eccPublicKeySize(keyType.ECCFamily(), bits)
	case keyType.IsDH():
		return BitsToBytes(bits)
	case keyType == KeyTypeMLDSAKeyPair:
		if pub, _ := mldsaSizes(bits); pub != 0 {
			return 32
		}
	case keyType == KeyTypeMLDSAPublicKey:
		pub, _ := mldsaSizes(bits)
		return pub
	case keyType == KeyTypeMLKEMKeyPair:
		if pub, _ := mlkemSizes(bits); pub != 0 {
			return 64
		}
	case keyType == KeyTypeMLKEMPublicKey:
		pub, _ := mlkemSizes(bits)
		return pub
	case keyType.IsSLHDSAKeyPair():
		return 4 * slhdsaN(bits)
	case keyType.IsSLHDSAPublicKey():
		return 2 * slhdsaN(bits)
	case keyType == KeyTypeLMSPublicKey:
		if n := hashBasedN(bits); n != 0 {
			return 24 + n // type, otstype, I, T[1]
		}
	case keyType == KeyTypeHSSPublicKey:
		if n := hashBasedN(bits); n != 0 {
			return 28 + n // levels and an LMS public key
		}
	case keyType == KeyTypeXMSSPublicKey || keyType == KeyTypeXMSSMTPublicKey:
		if n := hashBasedN(bits); n != 0 {
			return 4 + 2*n // OID, root, SEED
		}
	case keyType.IsSPAKE2PKeyPair():
		return 2 * eccPrivateKeySize(keyType.SPAKE2PFamily(), bits) // w0 || w1
	case keyType.IsSPAKE2PPublicKey():
		f := keyType.SPAKE2PFamily()
		return eccPrivateKeySize(f, bits) + eccPublicKeySize(f, bits) // w0 || L
	}
	return 0
}

// ExportPublicKeyOutputSize returns a sufficient buffer size for
// exporting the public key of a key of type keyType and size bits
// (PSA_EXPORT_PUBLIC_KEY_OUTPUT_SIZE), or 0 if keyType is not asymmetric.
func ExportPublicKeyOutputSize(keyType KeyType, bits int) int {
	if !keyType.IsAsymmetric() {
		return 0
	}
	return ExportKeyOutputSize(keyType.PublicKeyOfKeyPair(), bits)
}

// Maximum export sizes (PSA_EXPORT_KEY_PAIR_MAX_SIZE,
// PSA_EXPORT_PUBLIC_KEY_MAX_SIZE, PSA_EXPORT_ASYMMETRIC_KEY_MAX_SIZE).
// The largest key pair is an 8192-bit RSA key; the largest public key is
// an ML-DSA-87 key (2592 bytes), ahead of an 8192-bit RSA key.
const (
	ExportKeyPairMaxSize       = 4 + 3 + 3*(5+maxRSAKeyBits/8) + 5*(5+(maxRSAKeyBits/2+1+7)/8)
	ExportPublicKeyMaxSize     = 2592
	ExportAsymmetricKeyMaxSize = ExportKeyPairMaxSize
)

// WrapKeyOutputSize returns a sufficient buffer size for wrapping a key of
// type keyType and size bits with the key-wrapping algorithm alg and a
// wrapping key of type wrapKeyType (PSA_WRAP_KEY_OUTPUT_SIZE), or 0 if
// the combination is not valid. AES-KW and AES-KWP add an 8-byte integrity
// block to the key data padded to a multiple of 8 bytes.
func WrapKeyOutputSize(wrapKeyType KeyType, alg Algorithm, keyType KeyType, bits int) int {
	if alg != AlgKW && alg != AlgKWP || blockCipherSize(wrapKeyType) != 16 {
		return 0
	}
	n := ExportKeyOutputSize(keyType, bits)
	if n == 0 {
		return 0
	}
	return (n+7)/8*8 + 8
}

// WrapKeyPairMaxSize is a sufficient buffer size for wrapping any key pair
// (PSA_WRAP_KEY_PAIR_MAX_SIZE).
const WrapKeyPairMaxSize = (ExportKeyPairMaxSize+7)/8*8 + 8

// KeyDerivationUnlimitedCapacity requests the largest capacity a key
// derivation allows (PSA_KEY_DERIVATION_UNLIMITED_CAPACITY).
const KeyDerivationUnlimitedCapacity = math.MaxInt

// TLS12PSKToMSPSKMaxSize is the longest PSK accepted by
// PSA_ALG_TLS12_PSK_TO_MS (PSA_TLS12_PSK_TO_MS_PSK_MAX_SIZE): 128 bytes,
// twice the 64 that RFC 4279 requires.
const TLS12PSKToMSPSKMaxSize = 128

// TLS12ECJPAKEToPMSOutputSize is the output size of
// PSA_ALG_TLS12_ECJPAKE_TO_PMS (PSA_TLS12_ECJPAKE_TO_PMS_OUTPUT_SIZE).
const TLS12ECJPAKEToPMSOutputSize = 32

// SignOutputSize returns a sufficient signature buffer size for the
// signature algorithm alg with a key of type keyType and size bits
// (PSA_SIGN_OUTPUT_SIZE), or 0 if they do not go together. Key types that
// can only verify (LMS, HSS, XMSS, XMSS^MT) give 0.
func SignOutputSize(keyType KeyType, bits int, alg Algorithm) int {
	if bits <= 0 {
		return 0
	}
	switch {
	case keyType.IsRSA() && (alg.IsRSAPKCS1v15Sign() || alg.IsRSAPSS()):
		return BitsToBytes(bits)
	case keyType.IsECC():
		f := keyType.ECCFamily()
		switch {
		case alg.IsECDSA() && isWeierstrass(f):
			return 2 * BitsToBytes(bits)
		case (alg == AlgPureEdDSA || alg == AlgEdDSACtx || alg.IsHashEdDSA()) && f == ECCFamilyTwistedEdwards:
			return 2 * eccPublicKeySize(f, bits)
		}
	case keyType.IsMLDSA() && (alg.IsMLDSA() || alg.IsHashMLDSA()):
		_, sig := mldsaSizes(bits)
		return sig
	case keyType.IsSLHDSA() && (alg.IsSLHDSA() || alg.IsHashSLHDSA()):
		return slhdsaSignatureSize(keyType.SLHDSAFamily(), bits)
	}
	return 0
}

// SignatureMaxSize is a sufficient signature buffer for every signature
// algorithm (PSA_SIGNATURE_MAX_SIZE): that of SLH-DSA-*-256f, 49856
// bytes.
const SignatureMaxSize = 49856

// AsymmetricEncryptOutputSize returns a sufficient ciphertext size for the
// asymmetric encryption alg with a key of type keyType and size bits
// (PSA_ASYMMETRIC_ENCRYPT_OUTPUT_SIZE), or 0 if they do not go together.
func AsymmetricEncryptOutputSize(keyType KeyType, bits int, alg Algorithm) int {
	if keyType.IsRSA() && (alg == AlgRSAPKCS1v15Crypt || alg.IsRSAOAEP()) && bits > 0 {
		return BitsToBytes(bits)
	}
	return 0
}

// AsymmetricEncryptOutputMaxSize is a sufficient ciphertext size for every
// asymmetric encryption (PSA_ASYMMETRIC_ENCRYPT_OUTPUT_MAX_SIZE).
const AsymmetricEncryptOutputMaxSize = maxRSAKeyBits / 8

// AsymmetricDecryptOutputSize returns a sufficient plaintext size for the
// asymmetric decryption alg with a key of type keyType and size bits
// (PSA_ASYMMETRIC_DECRYPT_OUTPUT_SIZE): the longest message the padding
// leaves room for, or 0 if they do not go together.
func AsymmetricDecryptOutputSize(keyType KeyType, bits int, alg Algorithm) int {
	if !keyType.IsRSA() || bits <= 0 {
		return 0
	}
	k := BitsToBytes(bits)
	overhead := 0
	switch {
	case alg == AlgRSAPKCS1v15Crypt:
		overhead = 11
	case alg.IsRSAOAEP():
		h := HashLength(alg.Hash())
		if h == 0 {
			return 0
		}
		overhead = 2*h + 2
	default:
		return 0
	}
	if k <= overhead {
		return 0
	}
	return k - overhead
}

// AsymmetricDecryptOutputMaxSize is a sufficient plaintext size for every
// asymmetric decryption (PSA_ASYMMETRIC_DECRYPT_OUTPUT_MAX_SIZE).
const AsymmetricDecryptOutputMaxSize = maxRSAKeyBits/8 - 11

// RawKeyAgreementOutputSize returns a sufficient shared-secret size for a
// key agreement with a key of type keyType and size bits
// (PSA_RAW_KEY_AGREEMENT_OUTPUT_SIZE), or 0 if the key type cannot do key
// agreement.
func RawKeyAgreementOutputSize(keyType KeyType, bits int) int {
	if bits <= 0 {
		return 0
	}
	switch {
	case keyType.IsECC() && keyType.ECCFamily() != ECCFamilyTwistedEdwards,
		keyType.IsDH():
		return BitsToBytes(bits)
	}
	return 0
}

// RawKeyAgreementOutputMaxSize is a sufficient shared-secret size for
// every key agreement (PSA_RAW_KEY_AGREEMENT_OUTPUT_MAX_SIZE): that of an
// 8192-bit Diffie-Hellman group.
const RawKeyAgreementOutputMaxSize = maxDHKeyBits / 8

// EncapsulateCiphertextSize returns a sufficient ciphertext size for the
// key encapsulation alg with a key of type keyType and size bits
// (PSA_ENCAPSULATE_CIPHERTEXT_SIZE), or 0 if they do not go together.
// For ECIES the ciphertext is the ephemeral public key.
func EncapsulateCiphertextSize(keyType KeyType, bits int, alg Algorithm) int {
	if bits <= 0 {
		return 0
	}
	switch {
	case alg == AlgECIESSEC1 && keyType.IsECC() && keyType.ECCFamily() != ECCFamilyTwistedEdwards:
		return eccPublicKeySize(keyType.ECCFamily(), bits)
	case alg == AlgMLKEM && keyType.IsMLKEM():
		_, ct := mlkemSizes(bits)
		return ct
	}
	return 0
}

// EncapsulateCiphertextMaxSize is a sufficient ciphertext size for every
// key encapsulation (PSA_ENCAPSULATE_CIPHERTEXT_MAX_SIZE): that of
// ML-KEM-1024.
const EncapsulateCiphertextMaxSize = 1568

// PAKEOutputSize returns a sufficient output size for the step of the
// PAKE alg over primitive (PSA_PAKE_OUTPUT_SIZE), or 0 if the step is not
// an output of alg or the parameters are not recognized.
func PAKEOutputSize(alg Algorithm, primitive PAKEPrimitive, step PAKEStep) int {
	return pakeSize(alg, primitive, step, true)
}

// PAKEInputSize returns a sufficient buffer size for any valid input at
// the step of the PAKE alg over primitive (PSA_PAKE_INPUT_SIZE), or 0 if
// the step is not an input of alg or the parameters are not recognized.
func PAKEInputSize(alg Algorithm, primitive PAKEPrimitive, step PAKEStep) int {
	return pakeSize(alg, primitive, step, false)
}

// pakeSize computes PAKE step sizes from the group: an element is encoded
// as a public key of the group, a scalar as a private key.
func pakeSize(alg Algorithm, p PAKEPrimitive, step PAKEStep, output bool) int {
	bits := p.Bits()
	var element, scalar, coords int
	switch p.Type() {
	case PAKEPrimitiveTypeECC:
		f := ECCFamily(p.Family())
		element = eccPublicKeySize(f, bits)
		scalar = eccPrivateKeySize(f, bits)
		coords = 2 * BitsToBytes(bits)
	case PAKEPrimitiveTypeDH:
		element = BitsToBytes(bits)
		scalar = element
		coords = element
	}
	if bits == 0 || element == 0 {
		return 0
	}
	switch {
	case alg.IsJPAKE():
		switch step {
		case PAKEStepKeyShare, PAKEStepZKPublic:
			return element
		case PAKEStepZKProof:
			return scalar
		}
	case alg.IsSPAKE2P():
		switch step {
		case PAKEStepKeyShare:
			return element
		case PAKEStepConfirm:
			if alg.IsSPAKE2PCMAC() {
				return 16
			}
			return HashLength(alg.Hash())
		}
	case alg.IsWPA3SAE():
		switch step {
		case PAKEStepCommit:
			return scalar + coords // commit-scalar || COMMIT-ELEMENT
		case PAKEStepConfirm:
			return 2 + HashLength(alg.Hash())
		case PAKEStepKeyID:
			if output {
				return 16
			}
		case PAKEStepSalt, PAKEStepConfirmCount:
			if !output {
				if step == PAKEStepConfirmCount {
					return 2
				}
				return PAKESaltMaxSize
			}
		}
	}
	return 0
}

// PAKESaltMaxSize is the longest WPA3-SAE salt gopsa accepts: the
// 802.11 password identifier and MAC addresses fit well within it.
const PAKESaltMaxSize = 256

// PAKEOutputMaxSize is a sufficient output size for every PAKE step
// (PSA_PAKE_OUTPUT_MAX_SIZE): a WPA3-SAE commit over an 8192-bit group.
const PAKEOutputMaxSize = 2 * maxDHKeyBits / 8

// PAKEInputMaxSize is a sufficient input size for every PAKE step
// (PSA_PAKE_INPUT_MAX_SIZE).
const PAKEInputMaxSize = PAKEOutputMaxSize
