package values

import (
	"strings"
	"testing"
)

// TestSizes checks size functions against values stated in the
// specification and in the standards it cites (FIPS 203/204/205, RFC 8032,
// RFC 7748, SEC 1, RFC 8554, RFC 8391).
func TestSizes(t *testing.T) {
	ecc := KeyTypeECCKeyPair
	cases := []struct {
		name      string
		got, want int
	}{
		{"HashLength(SHA-256)", HashLength(AlgSHA256), 32},
		{"HashLength(HMAC-SHA-384)", HashLength(AlgHMAC(AlgSHA384)), 48},
		{"HashLength(SHAKE256/192)", HashLength(AlgSHAKE256_192), 24},
		{"HashLength(BLAKE2bp)", HashLength(AlgBLAKE2bpHash512), 64},
		{"HashLength(ANY_HASH)", HashLength(AlgAnyHash), 0},
		{"HashLength(CMAC)", HashLength(AlgCMAC), 0},
		{"HashBlockLength(SHA3-256)", HashBlockLength(AlgSHA3_256), 136},
		{"HashBlockLength(SM3)", HashBlockLength(AlgSM3), 64},
		{"HashBlockLength(MD2)", HashBlockLength(AlgMD2), 16},
		// Hash suspend state field sizes table of section 10.2.5.
		{"suspend SHA-256", HashSuspendOutputSize(AlgSHA256), 4 + 8 + 32 + 63},
		{"suspend SHA-512/224", HashSuspendOutputSize(AlgSHA512_224), 4 + 16 + 64 + 127},
		{"suspend MD2", HashSuspendOutputSize(AlgMD2), 4 + 1 + 64 + 15},
		{"suspend SHA3-256", HashSuspendOutputSize(AlgSHA3_256), 0},
		{"MACLength(HMAC key, HMAC-SHA-256)", MACLength(KeyTypeHMAC, 256, AlgHMAC(AlgSHA256)), 32},
		{"MACLength(AES key, HMAC)", MACLength(KeyTypeAES, 128, AlgHMAC(AlgSHA256)), 0},
		{"MACLength(DES, CMAC)", MACLength(KeyTypeDES, 64, AlgCMAC), 8},
		{"MACLength(AES, CMAC/10)", MACLength(KeyTypeAES, 128, AlgTruncatedMAC(AlgCMAC, 10)), 10},
		{"MACLength(ChaCha20, CMAC)", MACLength(KeyTypeChaCha20, 256, AlgCMAC), 0},
		{"MACLength(BLAKE2, BLAKE2s MAC)", MACLength(KeyTypeBLAKE2, 256, AlgBLAKE2MAC(AlgBLAKE2sHash256)), 32},
		{"MACLength(BLAKE2, BLAKE2b MAC)", MACLength(KeyTypeBLAKE2, 256, AlgBLAKE2MAC(AlgBLAKE2bHash512)), 64},
		{"BlockCipherBlockLength(DES)", BlockCipherBlockLength(KeyTypeDES), 8},
		{"BlockCipherBlockLength(SM4)", BlockCipherBlockLength(KeyTypeSM4), 16},
		{"BlockCipherBlockLength(XChaCha20)", BlockCipherBlockLength(KeyTypeXChaCha20), 1},
		{"BlockCipherBlockLength(HMAC)", BlockCipherBlockLength(KeyTypeHMAC), 0},
		// Cipher: IVs from section 10.5 (block size for CBC/CTR/CFB/OFB/XTS,
		// 13 for CCM*, 12 for ChaCha20, 24 for XChaCha20, none for ECB/ARC4).
		{"IV AES-CBC", CipherIVLength(KeyTypeAES, AlgCBCPKCS7), 16},
		{"IV DES-CTR", CipherIVLength(KeyTypeDES, AlgCTR), 8},
		{"IV AES-ECB", CipherIVLength(KeyTypeAES, AlgECBNoPadding), 0},
		{"IV CCM*", CipherIVLength(KeyTypeAES, AlgCCMStarNoTag), 13},
		{"IV ChaCha20", CipherIVLength(KeyTypeChaCha20, AlgStreamCipher), 12},
		{"IV XChaCha20", CipherIVLength(KeyTypeXChaCha20, AlgStreamCipher), 24},
		{"IV AES stream", CipherIVLength(KeyTypeAES, AlgStreamCipher), 0},
		{"encrypt AES-CBC-PKCS7 16", CipherEncryptOutputSize(KeyTypeAES, AlgCBCPKCS7, 16), 16 + 32},
		{"encrypt AES-CBC-PKCS7 15", CipherEncryptOutputSize(KeyTypeAES, AlgCBCPKCS7, 15), 16 + 16},
		{"encrypt AES-CTR 5", CipherEncryptOutputSize(KeyTypeAES, AlgCTR, 5), 16 + 5},
		{"encrypt ChaCha20 with CTR", CipherEncryptOutputSize(KeyTypeChaCha20, AlgCTR, 5), 0},
		{"decrypt AES-CBC 48", CipherDecryptOutputSize(KeyTypeAES, AlgCBCPKCS7, 48), 32},
		{"decrypt AES-CBC 8", CipherDecryptOutputSize(KeyTypeAES, AlgCBCPKCS7, 8), 0},
		{"finish AES-CBC-PKCS7", CipherFinishOutputSize(KeyTypeAES, AlgCBCPKCS7), 16},
		{"finish AES-CTR", CipherFinishOutputSize(KeyTypeAES, AlgCTR), 0},
		// AEAD: nonces and tags from section 10.6.1.
		{"nonce CCM", AEADNonceLength(KeyTypeAES, AlgCCM), 13},
		{"nonce GCM/8", AEADNonceLength(KeyTypeARIA, AlgAEADWithShortenedTag(AlgGCM, 8)), 12},
		{"nonce ChaChaPoly", AEADNonceLength(KeyTypeChaCha20, AlgChaCha20Poly1305), 12},
		{"nonce XChaChaPoly", AEADNonceLength(KeyTypeXChaCha20, AlgXChaCha20Poly1305), 24},
		{"nonce Ascon", AEADNonceLength(KeyTypeAscon, AlgAsconAEAD128), 16},
		{"nonce GCM with DES", AEADNonceLength(KeyTypeDES, AlgGCM), 0},
		{"tag CCM/8", AEADTagLength(KeyTypeAES, 128, AlgAEADWithShortenedTag(AlgCCM, 8)), 8},
		{"tag ChaChaPoly with AES", AEADTagLength(KeyTypeAES, 256, AlgChaCha20Poly1305), 0},
		{"AEAD encrypt GCM 100", AEADEncryptOutputSize(KeyTypeAES, AlgGCM, 100), 116},
		{"AEAD decrypt GCM 100", AEADDecryptOutputSize(KeyTypeAES, AlgGCM, 100), 84},
		{"AEAD decrypt GCM 10", AEADDecryptOutputSize(KeyTypeAES, AlgGCM, 10), 0},
		{"AEAD update GCM 17", AEADUpdateOutputSize(KeyTypeAES, AlgGCM, 17), 32},
		{"AEAD update ChaChaPoly 17", AEADUpdateOutputSize(KeyTypeChaCha20, AlgChaCha20Poly1305, 17), 17},
		{"AEAD finish CCM", AEADFinishOutputSize(KeyTypeAES, AlgCCM), 16},
		{"AEAD verify ChaChaPoly", AEADVerifyOutputSize(KeyTypeChaCha20, AlgChaCha20Poly1305), 0},
		// Export formats of section 9.5.
		{"export AES-256", ExportKeyOutputSize(KeyTypeAES, 256), 32},
		{"export P-256 pair", ExportKeyOutputSize(ecc(ECCFamilySECPR1), 256), 32},
		{"export P-521 public", ExportPublicKeyOutputSize(ecc(ECCFamilySECPR1), 521), 133},
		{"export X25519 public", ExportPublicKeyOutputSize(ecc(ECCFamilyMontgomery), 255), 32},
		{"export X448 pair", ExportKeyOutputSize(ecc(ECCFamilyMontgomery), 448), 56},
		{"export Ed25519 public", ExportPublicKeyOutputSize(ecc(ECCFamilyTwistedEdwards), 255), 32},
		{"export Ed448 pair", ExportKeyOutputSize(ecc(ECCFamilyTwistedEdwards), 448), 57},
		{"export ML-DSA-44 pair (seed)", ExportKeyOutputSize(KeyTypeMLDSAKeyPair, 128), 32},
		{"export ML-DSA-65 public", ExportPublicKeyOutputSize(KeyTypeMLDSAKeyPair, 192), 1952},
		{"export ML-DSA-87 public", ExportKeyOutputSize(KeyTypeMLDSAPublicKey, 256), 2592},
		{"export ML-DSA bad size", ExportKeyOutputSize(KeyTypeMLDSAPublicKey, 512), 0},
		{"export ML-KEM-768 pair (d||z)", ExportKeyOutputSize(KeyTypeMLKEMKeyPair, 768), 64},
		{"export ML-KEM-512 public", ExportKeyOutputSize(KeyTypeMLKEMPublicKey, 512), 800},
		{"export ML-KEM-1024 public", ExportPublicKeyOutputSize(KeyTypeMLKEMKeyPair, 1024), 1568},
		{"export SLH-DSA-128 pair", ExportKeyOutputSize(KeyTypeSLHDSAKeyPair(SLHDSAFamilySHA2S), 128), 64},
		{"export SLH-DSA-256 public", ExportPublicKeyOutputSize(KeyTypeSLHDSAKeyPair(SLHDSAFamilySHAKEF), 256), 64},
		{"export LMS SHA-256", ExportKeyOutputSize(KeyTypeLMSPublicKey, 256), 56},
		{"export HSS SHA-256/192", ExportKeyOutputSize(KeyTypeHSSPublicKey, 192), 52},
		{"export XMSS SHA-256", ExportKeyOutputSize(KeyTypeXMSSPublicKey, 256), 68},
		{"export SPAKE2+ P-256 pair", ExportKeyOutputSize(KeyTypeSPAKE2PKeyPair(ECCFamilySECPR1), 256), 64},
		{"export SPAKE2+ P-256 public", ExportPublicKeyOutputSize(KeyTypeSPAKE2PKeyPair(ECCFamilySECPR1), 256), 32 + 65},
		{"export WPA3-SAE P-256 token", ExportKeyOutputSize(KeyTypeWPA3SAEECC(ECCFamilySECPR1), 256), 64},
		{"export DH-2048", ExportKeyOutputSize(KeyTypeDHKeyPair(DHFamilyRFC7919), 2048), 256},
		{"export public of AES", ExportPublicKeyOutputSize(KeyTypeAES, 128), 0},
		// Signatures.
		{"sign RSA-2048 PSS", SignOutputSize(KeyTypeRSAKeyPair, 2048, AlgRSAPSS(AlgSHA256)), 256},
		{"sign P-384 ECDSA", SignOutputSize(ecc(ECCFamilySECPR1), 384, AlgECDSA(AlgSHA384)), 96},
		{"sign P-521 ECDSA", SignOutputSize(ecc(ECCFamilySECPR1), 521, AlgECDSAAny), 132},
		{"sign Ed25519", SignOutputSize(ecc(ECCFamilyTwistedEdwards), 255, AlgPureEdDSA), 64},
		{"sign Ed448ph", SignOutputSize(ecc(ECCFamilyTwistedEdwards), 448, AlgEd448ph), 114},
		{"sign ECDSA with Edwards", SignOutputSize(ecc(ECCFamilyTwistedEdwards), 255, AlgECDSAAny), 0},
		{"sign ML-DSA-44", SignOutputSize(KeyTypeMLDSAKeyPair, 128, AlgMLDSA), 2420},
		{"sign ML-DSA-65", SignOutputSize(KeyTypeMLDSAKeyPair, 192, AlgHashMLDSA(AlgSHA512)), 3309},
		{"sign ML-DSA-87", SignOutputSize(KeyTypeMLDSAKeyPair, 256, AlgDeterministicMLDSA), 4627},
		{"sign SLH-DSA-128s", SignOutputSize(KeyTypeSLHDSAKeyPair(SLHDSAFamilySHA2S), 128, AlgSLHDSA), 7856},
		{"sign SLH-DSA-128f", SignOutputSize(KeyTypeSLHDSAKeyPair(SLHDSAFamilySHAKEF), 128, AlgSLHDSA), 17088},
		{"sign SLH-DSA-192s", SignOutputSize(KeyTypeSLHDSAKeyPair(SLHDSAFamilySHAKES), 192, AlgSLHDSA), 16224},
		{"sign SLH-DSA-192f", SignOutputSize(KeyTypeSLHDSAKeyPair(SLHDSAFamilySHA2F), 192, AlgSLHDSA), 35664},
		{"sign SLH-DSA-256s", SignOutputSize(KeyTypeSLHDSAKeyPair(SLHDSAFamilySHA2S), 256, AlgHashSLHDSA(AlgSHA512)), 29792},
		{"sign SLH-DSA-256f", SignOutputSize(KeyTypeSLHDSAKeyPair(SLHDSAFamilySHAKEF), 256, AlgSLHDSA), 49856},
		{"sign LMS", SignOutputSize(KeyTypeLMSPublicKey, 256, AlgLMS), 0},
		// Asymmetric encryption (RFC 8017: k-11 and k-2hLen-2).
		{"encrypt RSA-2048", AsymmetricEncryptOutputSize(KeyTypeRSAPublicKey, 2048, AlgRSAOAEP(AlgSHA256)), 256},
		{"decrypt RSA-2048 PKCS1", AsymmetricDecryptOutputSize(KeyTypeRSAKeyPair, 2048, AlgRSAPKCS1v15Crypt), 245},
		{"decrypt RSA-2048 OAEP-SHA256", AsymmetricDecryptOutputSize(KeyTypeRSAKeyPair, 2048, AlgRSAOAEP(AlgSHA256)), 190},
		{"decrypt RSA-512 OAEP-SHA512", AsymmetricDecryptOutputSize(KeyTypeRSAKeyPair, 512, AlgRSAOAEP(AlgSHA512)), 0},
		// Key agreement and encapsulation.
		{"ECDH P-256", RawKeyAgreementOutputSize(ecc(ECCFamilySECPR1), 256), 32},
		{"X448", RawKeyAgreementOutputSize(ecc(ECCFamilyMontgomery), 448), 56},
		{"FFDH 3072", RawKeyAgreementOutputSize(KeyTypeDHKeyPair(DHFamilyRFC7919), 3072), 384},
		{"ECDH Edwards", RawKeyAgreementOutputSize(ecc(ECCFamilyTwistedEdwards), 255), 0},
		{"ECIES P-256", EncapsulateCiphertextSize(KeyTypeECCPublicKey(ECCFamilySECPR1), 256, AlgECIESSEC1), 65},
		{"ECIES X25519", EncapsulateCiphertextSize(ecc(ECCFamilyMontgomery), 255, AlgECIESSEC1), 32},
		{"ML-KEM-512", EncapsulateCiphertextSize(KeyTypeMLKEMPublicKey, 512, AlgMLKEM), 768},
		{"ML-KEM-768", EncapsulateCiphertextSize(KeyTypeMLKEMPublicKey, 768, AlgMLKEM), 1088},
		{"ML-KEM-1024", EncapsulateCiphertextSize(KeyTypeMLKEMKeyPair, 1024, AlgMLKEM), 1568},
		// Key wrapping (RFC 3394/5649: 8-byte integrity block).
		{"KW AES-128 key", WrapKeyOutputSize(KeyTypeAES, AlgKW, KeyTypeAES, 128), 24},
		{"KWP 20-byte HMAC key", WrapKeyOutputSize(KeyTypeAES, AlgKWP, KeyTypeHMAC, 160), 32},
		{"KW with DES", WrapKeyOutputSize(KeyTypeDES, AlgKW, KeyTypeAES, 128), 0},
		// PAKE.
		{"J-PAKE P-256 key share", PAKEOutputSize(AlgJPAKE(AlgSHA256), PAKEPrimitiveOf(PAKEPrimitiveTypeECC, PAKEFamily(ECCFamilySECPR1), 256), PAKEStepKeyShare), 65},
		{"J-PAKE P-256 ZK proof", PAKEInputSize(AlgJPAKE(AlgSHA256), PAKEPrimitiveOf(PAKEPrimitiveTypeECC, PAKEFamily(ECCFamilySECPR1), 256), PAKEStepZKProof), 32},
		{"SPAKE2+ HMAC confirm", PAKEOutputSize(AlgSPAKE2PHMAC(AlgSHA256), PAKEPrimitiveOf(PAKEPrimitiveTypeECC, PAKEFamily(ECCFamilySECPR1), 256), PAKEStepConfirm), 32},
		{"SPAKE2+ CMAC confirm", PAKEOutputSize(AlgSPAKE2PCMAC(AlgSHA256), PAKEPrimitiveOf(PAKEPrimitiveTypeECC, PAKEFamily(ECCFamilySECPR1), 256), PAKEStepConfirm), 16},
		{"WPA3-SAE P-256 commit", PAKEOutputSize(AlgWPA3SAEFixed(AlgSHA256), PAKEPrimitiveOf(PAKEPrimitiveTypeECC, PAKEFamily(ECCFamilySECPR1), 256), PAKEStepCommit), 96},
		{"WPA3-SAE confirm", PAKEOutputSize(AlgWPA3SAEGDH(AlgSHA256), PAKEPrimitiveOf(PAKEPrimitiveTypeECC, PAKEFamily(ECCFamilySECPR1), 256), PAKEStepConfirm), 34},
		{"WPA3-SAE key id", PAKEOutputSize(AlgWPA3SAEFixed(AlgSHA256), PAKEPrimitiveOf(PAKEPrimitiveTypeECC, PAKEFamily(ECCFamilySECPR1), 256), PAKEStepKeyID), 16},
		{"WPA3-SAE key id input", PAKEInputSize(AlgWPA3SAEFixed(AlgSHA256), PAKEPrimitiveOf(PAKEPrimitiveTypeECC, PAKEFamily(ECCFamilySECPR1), 256), PAKEStepKeyID), 0},
		{"J-PAKE without primitive", PAKEOutputSize(AlgJPAKE(AlgSHA256), 0, PAKEStepKeyShare), 0},
		{"BitsToBytes(521)", BitsToBytes(521), 66},
		{"BytesToBits(66)", BytesToBits(66), 528},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
}

// TestMaxSizes checks that each *MaxSize constant bounds its size
// function over every key type and size of the specification.
func TestMaxSizes(t *testing.T) {
	type keySize struct {
		t    KeyType
		bits []int
	}
	eccBits := map[ECCFamily][]int{
		ECCFamilySECPK1: {192, 225, 256}, ECCFamilySECPR1: {192, 224, 256, 384, 521},
		ECCFamilySECPR2: {160}, ECCFamilySECTK1: {163, 233, 239, 283, 409, 571},
		ECCFamilySECTR1: {163, 233, 283, 409, 571}, ECCFamilySECTR2: {163},
		ECCFamilyBrainpoolPR1: {160, 192, 224, 256, 320, 384, 512}, ECCFamilyFRP: {256},
		ECCFamilyMontgomery: {255, 448}, ECCFamilyTwistedEdwards: {255, 448},
	}
	var keys []keySize
	for f, bits := range eccBits {
		keys = append(keys, keySize{KeyTypeECCKeyPair(f), bits}, keySize{KeyTypeSPAKE2PKeyPair(f), bits})
	}
	for _, f := range []DHFamily{DHFamilyRFC7919, DHFamilyRFC3526} {
		keys = append(keys, keySize{KeyTypeDHKeyPair(f), []int{1536, 2048, 3072, 4096, 6144, 8192}})
	}
	for _, f := range []SLHDSAFamily{SLHDSAFamilySHA2S, SLHDSAFamilySHA2F, SLHDSAFamilySHAKES, SLHDSAFamilySHAKEF} {
		keys = append(keys, keySize{KeyTypeSLHDSAKeyPair(f), []int{128, 192, 256}})
	}
	keys = append(keys,
		keySize{KeyTypeRSAKeyPair, []int{1024, 2048, 3072, 4096, 8192}},
		keySize{KeyTypeMLDSAKeyPair, []int{128, 192, 256}},
		keySize{KeyTypeMLKEMKeyPair, []int{512, 768, 1024}},
		keySize{KeyTypeLMSPublicKey, []int{192, 256}}, keySize{KeyTypeHSSPublicKey, []int{192, 256}},
		keySize{KeyTypeXMSSPublicKey, []int{192, 256}}, keySize{KeyTypeXMSSMTPublicKey, []int{192, 256}},
	)
	var signAlgs []Algorithm
	for _, a := range testAlgorithms() {
		if a.IsSign() && !a.IsVendorDefined() {
			signAlgs = append(signAlgs, a)
		}
	}
	maxPair, maxPub, maxSig, maxKA, maxKEM, maxEnc, maxDec := 0, 0, 0, 0, 0, 0, 0
	for _, k := range keys {
		for _, b := range k.bits {
			if k.t.IsKeyPair() {
				maxPair = max(maxPair, ExportKeyOutputSize(k.t, b))
				if w := WrapKeyOutputSize(KeyTypeAES, AlgKWP, k.t, b); w > WrapKeyPairMaxSize {
					t.Errorf("WrapKeyOutputSize(%v, %d) = %d > WrapKeyPairMaxSize", k.t, b, w)
				}
			}
			maxPub = max(maxPub, ExportPublicKeyOutputSize(k.t, b))
			if ExportPublicKeyOutputSize(k.t, b) == 0 {
				t.Errorf("no public key size for %v, %d bits", k.t, b)
			}
			for _, a := range signAlgs {
				maxSig = max(maxSig, SignOutputSize(k.t, b, a))
			}
			maxKA = max(maxKA, RawKeyAgreementOutputSize(k.t, b))
			maxKEM = max(maxKEM, EncapsulateCiphertextSize(k.t, b, AlgECIESSEC1), EncapsulateCiphertextSize(k.t, b, AlgMLKEM))
			maxEnc = max(maxEnc, AsymmetricEncryptOutputSize(k.t, b, AlgRSAPKCS1v15Crypt))
			maxDec = max(maxDec, AsymmetricDecryptOutputSize(k.t, b, AlgRSAPKCS1v15Crypt))
		}
	}
	bounds := []struct {
		name      string
		got, want int
	}{
		{"ExportKeyPairMaxSize", maxPair, ExportKeyPairMaxSize},
		{"ExportPublicKeyMaxSize", maxPub, ExportPublicKeyMaxSize},
		{"SignatureMaxSize", maxSig, SignatureMaxSize},
		{"RawKeyAgreementOutputMaxSize", maxKA, RawKeyAgreementOutputMaxSize},
		{"EncapsulateCiphertextMaxSize", maxKEM, EncapsulateCiphertextMaxSize},
		{"AsymmetricEncryptOutputMaxSize", maxEnc, AsymmetricEncryptOutputMaxSize},
		{"AsymmetricDecryptOutputMaxSize", maxDec, AsymmetricDecryptOutputMaxSize},
	}
	for _, b := range bounds {
		// Each maximum is tight: the largest mechanism reaches it.
		if b.got != b.want {
			t.Errorf("largest size is %d, %s is %d", b.got, b.name, b.want)
		}
	}
	if ExportAsymmetricKeyMaxSize < max(maxPair, maxPub) {
		t.Error("ExportAsymmetricKeyMaxSize too small")
	}
	var algs []Algorithm
	for _, a := range testAlgorithms() {
		if !strings.HasPrefix(a.String(), "0x") {
			algs = append(algs, a)
		}
	}
	var symmetric []KeyType
	for _, e := range keyTypeNames.entries {
		if e.value.IsUnstructured() {
			symmetric = append(symmetric, e.value)
		}
	}
	symmetric = append(symmetric, 0x2700, 0x27fe, 0x1700)
	for _, a := range algs {
		if n := HashLength(a); n > HashMaxSize {
			t.Errorf("HashLength(%v) = %d", a, n)
		}
		if n := HashSuspendOutputSize(a); n > HashSuspendOutputMaxSize {
			t.Errorf("HashSuspendOutputSize(%v) = %d", a, n)
		}
		for _, k := range symmetric {
			if n := MACLength(k, 256, a); n > MACMaxSize && a.lengthField() == 0 {
				t.Errorf("MACLength(%v, %v) = %d", k, a, n)
			}
			for _, in := range []int{0, 1, 15, 16, 17, 1000} {
				checkBound(t, "CipherEncryptOutputSize", CipherEncryptOutputSize(k, a, in), CipherEncryptOutputMaxSize(in))
				checkBound(t, "CipherDecryptOutputSize", CipherDecryptOutputSize(k, a, in), CipherDecryptOutputMaxSize(in))
				checkBound(t, "CipherUpdateOutputSize", CipherUpdateOutputSize(k, a, in), CipherUpdateOutputMaxSize(in))
				if a.lengthField() <= AEADTagMaxSize {
					checkBound(t, "AEADEncryptOutputSize", AEADEncryptOutputSize(k, a, in), AEADEncryptOutputMaxSize(in))
				}
				checkBound(t, "AEADDecryptOutputSize", AEADDecryptOutputSize(k, a, in), AEADDecryptOutputMaxSize(in))
				checkBound(t, "AEADUpdateOutputSize", AEADUpdateOutputSize(k, a, in), AEADUpdateOutputMaxSize(in))
			}
			checkBound(t, "CipherIVLength", CipherIVLength(k, a), CipherIVMaxSize)
			checkBound(t, "CipherFinishOutputSize", CipherFinishOutputSize(k, a), CipherFinishOutputMaxSize)
			checkBound(t, "AEADNonceLength", AEADNonceLength(k, a), AEADNonceMaxSize)
			checkBound(t, "AEADFinishOutputSize", AEADFinishOutputSize(k, a), AEADFinishOutputMaxSize)
			checkBound(t, "AEADVerifyOutputSize", AEADVerifyOutputSize(k, a), AEADVerifyOutputMaxSize)
		}
	}
	for _, e := range keyTypeNames.entries {
		checkBound(t, "BlockCipherBlockLength", BlockCipherBlockLength(e.value), BlockCipherBlockMaxSize)
	}
}

func checkBound(t *testing.T, name string, got, max int) {
	t.Helper()
	if got > max {
		t.Errorf("%s = %d above its maximum %d", name, got, max)
	}
}

func TestSizeFunctionsDoNotAllocate(t *testing.T) {
	alg := AlgAEADWithShortenedTag(AlgCCM, 8)
	n := testing.AllocsPerRun(100, func() {
		_ = HashLength(AlgSHA256) + MACLength(KeyTypeAES, 128, AlgCMAC) +
			AEADEncryptOutputSize(KeyTypeAES, alg, 100) + SignOutputSize(KeyTypeMLDSAKeyPair, 192, AlgMLDSA) +
			ExportKeyOutputSize(KeyTypeRSAKeyPair, 2048) + CipherEncryptOutputSize(KeyTypeAES, AlgCBCPKCS7, 33)
		_ = alg.IsAEAD() && alg.IsAEADOnBlockCipher() && !alg.IsWildcard() && alg.IsHashAndSign()
		_ = AlgECDSA(AlgAnyHash).Permits(AlgECDSA(AlgSHA256))
	})
	if n != 0 {
		t.Errorf("%v allocations", n)
	}
}
