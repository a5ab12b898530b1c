package values

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// This test runs the metadata cases of the C reference implementation
// (TF-PSA-Crypto 1.0.0, testdata/test_suite_psa_crypto_metadata.data):
// algorithm and key type classification, hash, MAC and tag lengths, key
// agreement decomposition and lifetimes. The checks follow what each test
// function of test_suite_psa_crypto_metadata.function asserts.

var algFlags = map[string]func(Algorithm) bool{
	"ALG_IS_VENDOR_DEFINED":            Algorithm.IsVendorDefined,
	"ALG_IS_HMAC":                      Algorithm.IsHMAC,
	"ALG_IS_BLOCK_CIPHER_MAC":          Algorithm.IsBlockCipherMAC,
	"ALG_IS_STREAM_CIPHER":             Algorithm.IsStreamCipher,
	"ALG_IS_RSA_PKCS1V15_SIGN":         Algorithm.IsRSAPKCS1v15Sign,
	"ALG_IS_RSA_PSS":                   Algorithm.IsRSAPSS,
	"ALG_IS_RSA_PSS_ANY_SALT":          Algorithm.IsRSAPSSAnySalt,
	"ALG_IS_RSA_PSS_STANDARD_SALT":     Algorithm.IsRSAPSSStandardSalt,
	"ALG_IS_ML_DSA":                    Algorithm.IsMLDSA,
	"ALG_IS_HASH_ML_DSA":               Algorithm.IsHashMLDSA,
	"ALG_IS_DETERMINISTIC_HASH_ML_DSA": Algorithm.IsDeterministicHashMLDSA,
	"ALG_IS_HEDGED_HASH_ML_DSA":        Algorithm.IsHedgedHashMLDSA,
	"ALG_IS_ECDSA":                     Algorithm.IsECDSA,
	"ALG_IS_DETERMINISTIC_ECDSA":       Algorithm.IsDeterministicECDSA,
	"ALG_IS_RANDOMIZED_ECDSA":          Algorithm.IsRandomizedECDSA,
	"ALG_IS_HASH_EDDSA":                Algorithm.IsHashEdDSA,
	"ALG_IS_SIGN_HASH":                 Algorithm.IsSignHash,
	"ALG_IS_HASH_AND_SIGN":             Algorithm.IsHashAndSign,
	"ALG_IS_RSA_OAEP":                  Algorithm.IsRSAOAEP,
	"ALG_IS_HKDF":                      Algorithm.IsHKDF,
	"ALG_IS_HKDF_EXTRACT":              Algorithm.IsHKDFExtract,
	"ALG_IS_HKDF_EXPAND":               Algorithm.IsHKDFExpand,
	"ALG_IS_FFDH":                      Algorithm.IsFFDH,
	"ALG_IS_ECDH":                      Algorithm.IsECDH,
	"ALG_IS_WILDCARD":                  Algorithm.IsWildcard,
	"ALG_IS_RAW_KEY_AGREEMENT":         Algorithm.IsRawKeyAgreement,
	"ALG_IS_AEAD_ON_BLOCK_CIPHER":      Algorithm.IsAEADOnBlockCipher,
	"ALG_IS_TLS12_PRF":                 Algorithm.IsTLS12PRF,
	"ALG_IS_TLS12_PSK_TO_MS":           Algorithm.IsTLS12PSKToMS,
	// Checked only for ECDSA algorithms, see classify.
	"ALG_ECDSA_IS_DETERMINISTIC": Algorithm.IsDeterministicECDSA,
}

var keyTypeFlags = map[string]func(KeyType) bool{
	"KEY_TYPE_IS_VENDOR_DEFINED": KeyType.IsVendorDefined,
	"KEY_TYPE_IS_UNSTRUCTURED":   KeyType.IsUnstructured,
	"KEY_TYPE_IS_PUBLIC_KEY":     KeyType.IsPublicKey,
	"KEY_TYPE_IS_KEY_PAIR":       KeyType.IsKeyPair,
	"KEY_TYPE_IS_RSA":            KeyType.IsRSA,
	"KEY_TYPE_IS_ML_DSA":         KeyType.IsMLDSA,
	"KEY_TYPE_IS_ECC":            KeyType.IsECC,
	"KEY_TYPE_IS_DH":             KeyType.IsDH,
}

func flagSet(t *testing.T, s string, known map[string]bool) map[string]bool {
	t.Helper()
	set := map[string]bool{}
	if strings.TrimSpace(s) == "0" {
		return set
	}
	for _, f := range strings.Split(s, "|") {
		f = strings.TrimSpace(f)
		if !known[f] {
			t.Fatalf("unknown flag %q", f)
		}
		set[f] = true
	}
	return set
}

func keysOf[V any](m map[string]V) map[string]bool {
	k := map[string]bool{}
	for n := range m {
		k[n] = true
	}
	return k
}

type metaCase struct {
	t    *testing.T
	name string
}

func (c metaCase) alg(s string) Algorithm {
	if s == "PSA_ALG_CATEGORY_KEY_DERIVATION" {
		return algCatKDF // an Mbed TLS name for the bare category
	}
	a, err := ParseAlgorithm(s)
	if err != nil {
		c.t.Fatalf("%s: %v", c.name, err)
	}
	return a
}

func (c metaCase) keyType(s string) KeyType {
	k, err := ParseKeyType(s)
	if err != nil {
		c.t.Fatalf("%s: %v", c.name, err)
	}
	return k
}

func (c metaCase) num(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		c.t.Fatalf("%s: %v", c.name, err)
	}
	return n
}

func (c metaCase) check(ok bool, format string, args ...any) {
	if !ok {
		c.t.Errorf(c.name+": "+format, args...)
	}
}

// category checks that exactly the category predicate want holds.
func (c metaCase) category(a Algorithm, want string) {
	cats := map[string]func(Algorithm) bool{
		"hash": Algorithm.IsHash, "mac": Algorithm.IsMAC, "cipher": Algorithm.IsCipher,
		"aead": Algorithm.IsAEAD, "sign": Algorithm.IsSign, "asym": Algorithm.IsAsymmetricEncryption,
		"ka": Algorithm.IsKeyAgreement, "kdf": Algorithm.IsKeyDerivation, "pake": Algorithm.IsPAKE,
		"xof": Algorithm.IsXOF,
	}
	for n, f := range cats {
		c.check(f(a) == (n == want), "%v: category %s is %v", a, n, f(a))
	}
}

func (c metaCase) classify(a Algorithm, flags map[string]bool) {
	for n, f := range algFlags {
		if n == "ALG_ECDSA_IS_DETERMINISTIC" && !a.IsECDSA() {
			continue
		}
		c.check(f(a) == flags[n], "%v: %s is %v, want %v", a, n, f(a), flags[n])
	}
}

func (c metaCase) classifyKeyType(k KeyType, flags map[string]bool) {
	for n, f := range keyTypeFlags {
		c.check(f(k) == flags[n], "%v: %s is %v, want %v", k, n, f(k), flags[n])
	}
	c.check(k.IsAsymmetric() == (k.IsPublicKey() || k.IsKeyPair()), "%v: IsAsymmetric", k)
	c.check(k.IsECCKeyPair() == (k.IsECC() && k.IsKeyPair()), "%v: IsECCKeyPair", k)
	c.check(k.IsECCPublicKey() == (k.IsECC() && k.IsPublicKey()), "%v: IsECCPublicKey", k)
	c.check(k.IsDHKeyPair() == (k.IsDH() && k.IsKeyPair()), "%v: IsDHKeyPair", k)
	c.check(k.IsDHPublicKey() == (k.IsDH() && k.IsPublicKey()), "%v: IsDHPublicKey", k)
}

func (c metaCase) keyTypeCase(k KeyType, flags map[string]bool) {
	c.classifyKeyType(k, flags)
	if flags["KEY_TYPE_IS_PUBLIC_KEY"] {
		pair := k.KeyPairOfPublicKey()
		pf := map[string]bool{}
		for f := range flags {
			pf[f] = true
		}
		delete(pf, "KEY_TYPE_IS_PUBLIC_KEY")
		pf["KEY_TYPE_IS_KEY_PAIR"] = true
		c.check(pair.PublicKeyOfKeyPair() == k && k.PublicKeyOfKeyPair() == k, "%v: public/pair round trip", k)
		c.classifyKeyType(pair, pf)
	}
	if flags["KEY_TYPE_IS_KEY_PAIR"] {
		pub := k.PublicKeyOfKeyPair()
		pf := map[string]bool{}
		for f := range flags {
			pf[f] = true
		}
		delete(pf, "KEY_TYPE_IS_KEY_PAIR")
		pf["KEY_TYPE_IS_PUBLIC_KEY"] = true
		c.check(pub.KeyPairOfPublicKey() == k && k.KeyPairOfPublicKey() == k, "%v: pair/public round trip", k)
		c.classifyKeyType(pub, pf)
	}
}

func (c metaCase) macCore(a Algorithm, flags map[string]bool, kt KeyType, bits, length int) {
	c.category(a, "mac")
	c.classify(a, flags)
	c.check(MACLength(kt, bits, a) == length, "MACLength(%v, %d, %v) = %d, want %d", kt, bits, a, MACLength(kt, bits, a), length)
}

func (c metaCase) macAlgorithm(a Algorithm, flags map[string]bool, length int, kt KeyType, bits int) {
	c.macCore(a, flags, kt, bits, length)
	c.check(AlgFullLengthMAC(a) == a, "full length of %v", a)
	c.check(length <= MACMaxSize, "length above MACMaxSize")
	for n := 1; n <= length; n++ {
		tr := AlgTruncatedMAC(a, n)
		c.macCore(tr, flags, kt, bits, n)
		c.check(AlgFullLengthMAC(tr) == a, "full length of %v", tr)
		for _, m := range []int{1, length - 1, length} {
			c.check(AlgTruncatedMAC(tr, m) == AlgTruncatedMAC(a, m), "retruncate %v to %d", tr, m)
			c.check(AlgTruncatedMAC(AlgAtLeastThisLengthMAC(tr, n), m) == AlgTruncatedMAC(a, m), "truncate wildcard to %d", m)
		}
		w := AlgAtLeastThisLengthMAC(a, n)
		wf := map[string]bool{"ALG_IS_WILDCARD": true}
		for f := range flags {
			wf[f] = true
		}
		c.macCore(w, wf, kt, bits, n)
		c.check(AlgFullLengthMAC(w) == a, "full length of %v", w)
		for _, m := range []int{1, length - 1, length} {
			c.check(AlgAtLeastThisLengthMAC(w, m) == AlgAtLeastThisLengthMAC(a, m), "rewildcard %v to %d", w, m)
			c.check(AlgAtLeastThisLengthMAC(AlgTruncatedMAC(w, n), m) == AlgAtLeastThisLengthMAC(a, m), "wildcard truncation to %d", m)
		}
	}
}

func (c metaCase) aeadCore(a Algorithm, flags map[string]bool, kt KeyType, bits, tag int) {
	c.category(a, "aead")
	c.classify(a, flags)
	c.check(AEADTagLength(kt, bits, a) == tag, "AEADTagLength(%v, %d, %v) = %d, want %d", kt, bits, a, AEADTagLength(kt, bits, a), tag)
}

func (c metaCase) aeadAlgorithm(a Algorithm, flags map[string]bool, tag int, kt KeyType, bits int) {
	c.aeadCore(a, flags, kt, bits, tag)
	for n := 1; n <= tag; n++ {
		tr := AlgAEADWithShortenedTag(a, n)
		c.aeadCore(tr, flags, kt, bits, n)
		c.check(AlgAEADWithDefaultLengthTag(tr) == a, "default of %v", tr)
		for _, m := range []int{1, tag - 1, tag} {
			c.check(AlgAEADWithShortenedTag(tr, m) == AlgAEADWithShortenedTag(a, m), "reshorten %v", tr)
			c.check(AlgAEADWithShortenedTag(AlgAEADWithAtLeastThisLengthTag(tr, n), m) == AlgAEADWithShortenedTag(a, m), "shorten wildcard")
		}
		w := AlgAEADWithAtLeastThisLengthTag(a, n)
		wf := map[string]bool{"ALG_IS_WILDCARD": true}
		for f := range flags {
			wf[f] = true
		}
		c.aeadCore(w, wf, kt, bits, n)
		c.check(AlgAEADWithDefaultLengthTag(w) == a, "default of %v", w)
		for _, m := range []int{1, tag - 1, tag} {
			c.check(AlgAEADWithAtLeastThisLengthTag(w, m) == AlgAEADWithAtLeastThisLengthTag(a, m), "rewildcard")
			c.check(AlgAEADWithAtLeastThisLengthTag(AlgAEADWithShortenedTag(w, n), m) == AlgAEADWithAtLeastThisLengthTag(a, m), "wildcard of shortened")
		}
	}
}

func TestMbedTLSMetadata(t *testing.T) {
	f, err := os.Open("testdata/test_suite_psa_crypto_metadata.data")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	known := keysOf(algFlags)
	knownKT := keysOf(keyTypeFlags)
	counts := map[string]int{}
	var name string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			name = ""
			continue
		case name == "":
			name = line
			continue
		case strings.HasPrefix(line, "depends_on:"):
			continue
		}
		args := strings.Split(line, ":")
		fn, args := args[0], args[1:]
		c := metaCase{t, name}
		counts[fn]++
		switch fn {
		case "hash_algorithm":
			a, length := c.alg(args[0]), c.num(args[1])
			c.category(a, "hash")
			c.classify(a, nil)
			c.check(AlgHMAC(a).HMACHash() == a, "HMAC hash")
			for _, sig := range []Algorithm{AlgRSAPKCS1v15Sign(a), AlgRSAPSS(a), AlgHashMLDSA(a), AlgDeterministicHashMLDSA(a), AlgECDSA(a), AlgDeterministicECDSA(a), AlgRSAOAEP(a), AlgHKDF(a)} {
				c.check(sig.Hash() == a, "hash of %v", sig)
			}
			c.check(HashLength(a) == length, "HashLength(%v) = %d, want %d", a, HashLength(a), length)
			c.check(length <= HashMaxSize, "length above HashMaxSize")
		case "mac_algorithm":
			c.macAlgorithm(c.alg(args[0]), flagSet(t, args[1], known), c.num(args[2]), c.keyType(args[3]), c.num(args[4]))
		case "hmac_algorithm":
			a, length, block := c.alg(args[0]), c.num(args[1]), c.num(args[2])
			h := a.HMACHash()
			c.check(h.IsHash() && AlgHMAC(h) == a, "HMAC hash of %v", a)
			c.check(HashBlockLength(a) == block, "HashBlockLength(%v) = %d, want %d", a, HashBlockLength(a), block)
			c.macAlgorithm(a, map[string]bool{"ALG_IS_HMAC": true}, length, KeyTypeHMAC, BytesToBits(length))
			for n := 1; n <= length; n++ {
				c.check(AlgTruncatedMAC(a, n).HMACHash() == h, "HMAC hash of truncated")
			}
		case "cipher_algorithm":
			a := c.alg(args[0])
			c.category(a, "cipher")
			c.classify(a, flagSet(t, args[1], known))
		case "aead_algorithm":
			c.aeadAlgorithm(c.alg(args[0]), flagSet(t, args[1], known), c.num(args[2]), c.keyType(args[3]), c.num(args[4]))
		case "asymmetric_signature_algorithm", "asymmetric_signature_wildcard":
			a, flags := c.alg(args[0]), flagSet(t, args[1], known)
			if fn == "asymmetric_signature_wildcard" {
				flags["ALG_IS_WILDCARD"], flags["ALG_IS_SIGN_HASH"], flags["ALG_IS_HASH_AND_SIGN"] = true, true, true
			}
			c.category(a, "sign")
			c.classify(a, flags)
		case "asymmetric_encryption_algorithm":
			a := c.alg(args[0])
			c.category(a, "asym")
			c.classify(a, flagSet(t, args[1], known))
		case "key_derivation_algorithm":
			a := c.alg(args[0])
			c.category(a, "kdf")
			c.classify(a, flagSet(t, args[1], known))
			for _, ka := range []Algorithm{AlgECDH, AlgFFDH} {
				comb := AlgKeyAgreement(ka, a)
				c.check(comb.IsKeyAgreement() && comb.KeyAgreementKDF() == a, "combined %v", comb)
			}
		case "key_agreement_algorithm":
			a := c.alg(args[0])
			c.category(a, "ka")
			c.classify(a, flagSet(t, args[1], known))
			c.check(a.KeyAgreementBase() == c.alg(args[2]), "base of %v", a)
			c.check(a.KeyAgreementKDF() == c.alg(args[3]), "KDF of %v = %#x", a, uint32(a.KeyAgreementKDF()))
		case "pake_algorithm":
			c.category(c.alg(args[0]), "pake")
		case "key_type":
			c.keyTypeCase(c.keyType(args[0]), flagSet(t, args[1], knownKT))
		case "block_cipher_key_type", "stream_cipher_key_type":
			k := c.keyType(args[0])
			c.keyTypeCase(k, map[string]bool{"KEY_TYPE_IS_UNSTRUCTURED": true})
			c.check(k&keyTypeCategoryMask == keyTypeCatSymmetric, "%v is not symmetric", k)
			block := 1
			if fn == "block_cipher_key_type" {
				block = c.num(args[1])
			}
			c.check(BlockCipherBlockLength(k) == block, "BlockCipherBlockLength(%v) = %d", k, BlockCipherBlockLength(k))
		case "ecc_key_family":
			fam, err := ParseECCFamily(args[0])
			c.check(err == nil, "%v", err)
			c.keyTypeCase(KeyTypeECCPublicKey(fam), map[string]bool{"KEY_TYPE_IS_ECC": true, "KEY_TYPE_IS_PUBLIC_KEY": true})
			c.keyTypeCase(KeyTypeECCKeyPair(fam), map[string]bool{"KEY_TYPE_IS_ECC": true, "KEY_TYPE_IS_KEY_PAIR": true})
			c.check(KeyTypeECCKeyPair(fam).ECCFamily() == fam && KeyTypeECCPublicKey(fam).ECCFamily() == fam, "family of %v", fam)
		case "dh_key_family":
			fam, err := ParseDHFamily(args[0])
			c.check(err == nil, "%v", err)
			c.keyTypeCase(KeyTypeDHPublicKey(fam), map[string]bool{"KEY_TYPE_IS_DH": true, "KEY_TYPE_IS_PUBLIC_KEY": true})
			c.keyTypeCase(KeyTypeDHKeyPair(fam), map[string]bool{"KEY_TYPE_IS_DH": true, "KEY_TYPE_IS_KEY_PAIR": true})
			c.check(KeyTypeDHKeyPair(fam).DHFamily() == fam, "family of %v", fam)
		case "lifetime":
			l, err := ParseLifetime(args[0])
			c.check(err == nil, "%v", err)
			flags := flagSet(t, args[1], map[string]bool{"KEY_LIFETIME_IS_VOLATILE": true, "KEY_LIFETIME_IS_READ_ONLY": true})
			p, err1 := ParsePersistence(args[2])
			loc, err2 := ParseLocation(args[3])
			c.check(err1 == nil && err2 == nil, "%v %v", err1, err2)
			c.check(l.IsVolatile() == flags["KEY_LIFETIME_IS_VOLATILE"], "IsVolatile(%v)", l)
			c.check(l.IsReadOnly() == flags["KEY_LIFETIME_IS_READ_ONLY"], "IsReadOnly(%v)", l)
			c.check(l.Persistence() == p && l.Location() == loc, "fields of %v", l)
		default:
			t.Errorf("%s: unknown test function %s", name, fn)
		}
		name = ""
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	if total != 120 {
		t.Errorf("ran %d cases, want 120: %v", total, counts)
	}
}
