package values

import "testing"

var (
	benchAlg  = AlgKeyAgreement(AlgECDH, AlgHKDF(AlgSHA256))
	benchText = "PSA_ALG_KEY_AGREEMENT(PSA_ALG_ECDH, PSA_ALG_HKDF(PSA_ALG_SHA_256))"
	sinkBool  bool
	sinkInt   int
	sinkAlg   Algorithm
	sinkStr   string
)

func BenchmarkAlgorithmString(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkStr = benchAlg.String()
	}
}

func BenchmarkParseAlgorithm(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		a, err := ParseAlgorithm(benchText)
		if err != nil {
			b.Fatal(err)
		}
		sinkAlg = a
	}
}

func BenchmarkPredicates(b *testing.B) {
	b.ReportAllocs()
	a := AlgAEADWithShortenedTag(AlgCCM, 8)
	for b.Loop() {
		sinkBool = a.IsAEAD() && a.IsAEADOnBlockCipher() && !a.IsWildcard() && !a.IsHashAndSign() && !a.IsSignHash()
	}
}

func BenchmarkPermits(b *testing.B) {
	b.ReportAllocs()
	policy := AlgAtLeastThisLengthMAC(AlgHMAC(AlgSHA256), 20)
	req := AlgTruncatedMAC(AlgHMAC(AlgSHA256), 24)
	for b.Loop() {
		sinkBool = policy.PermitsWithKey(req, KeyTypeHMAC, 256)
	}
}

func BenchmarkSizes(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkInt = AEADEncryptOutputSize(KeyTypeAES, AlgGCM, 1024) + SignOutputSize(KeyTypeECCKeyPair(ECCFamilySECPR1), 256, AlgECDSA(AlgSHA256)) +
			MACLength(KeyTypeHMAC, 256, AlgHMAC(AlgSHA256))
	}
}
