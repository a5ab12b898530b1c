package mbedtls

import "github.com/gopsa/psa/internal/conformance/suite"

// opFailPorts registers the Go ports of the test functions of the generated op_fail suites.
func (h *harness) opFailPorts() map[string]func(*suite.T, suite.Args) {
	return map[string]func(*suite.T, suite.Args){
		"psa_crypto_op_fail.hash_fail":                  h.opFailHash,
		"psa_crypto_op_fail.mac_fail":                   h.opFailMAC,
		"psa_crypto_op_fail.cipher_fail":                h.opFailCipher,
		"psa_crypto_op_fail.aead_fail":                  h.opFailAEAD,
		"psa_crypto_op_fail.sign_fail":                  h.opFailSign,
		"psa_crypto_op_fail.asymmetric_encryption_fail": h.opFailAsymmetricEncryption,
		"psa_crypto_op_fail.key_derivation_fail":        h.opFailKeyDerivation,
		"psa_crypto_op_fail.key_agreement_fail":         h.opFailKeyAgreement,
	}
}
