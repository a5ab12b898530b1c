package mbedtls

import "github.com/gopsa/psa/internal/conformance/suite"

// asymPorts registers the Go ports of the signature, asymmetric encryption, key agreement and PAKE test functions.
func (h *harness) asymPorts() map[string]func(*suite.T, suite.Args) {
	return map[string]func(*suite.T, suite.Args){
		"psa_crypto.signature_size":                  asymSignatureSize,
		"psa_crypto.sign_hash_deterministic":         h.asymDeterministic(asymHashSigner),
		"psa_crypto.sign_hash_fail":                  h.asymSignFail(asymHashSigner),
		"psa_crypto.sign_verify_hash":                h.asymSignVerify(asymHashSigner),
		"psa_crypto.verify_hash":                     h.asymVerify(asymHashSigner, false),
		"psa_crypto.verify_hash_fail":                h.asymVerify(asymHashSigner, true),
		"psa_crypto.sign_message_deterministic":      h.asymDeterministic(asymMessageSigner),
		"psa_crypto.sign_message_fail":               h.asymSignFail(asymMessageSigner),
		"psa_crypto.sign_verify_message":             h.asymSignVerify(asymMessageSigner),
		"psa_crypto.verify_message":                  h.asymVerify(asymMessageSigner, false),
		"psa_crypto.verify_message_fail":             h.asymVerify(asymMessageSigner, true),
		"psa_crypto.asymmetric_signature_key_policy": h.asymmetricSignatureKeyPolicy,

		"psa_crypto.asymmetric_encrypt":               h.asymmetricEncrypt,
		"psa_crypto.asymmetric_encrypt_decrypt":       h.asymmetricEncryptDecrypt,
		"psa_crypto.asymmetric_decrypt":               h.asymmetricDecrypt,
		"psa_crypto.asymmetric_decrypt_fail":          h.asymmetricDecryptFail,
		"psa_crypto.asymmetric_encryption_key_policy": h.asymmetricEncryptionKeyPolicy,

		"psa_crypto.key_agreement":            h.agreeKnownAnswer,
		"psa_crypto.key_agreement_setup":      h.agreeSetup,
		"psa_crypto.key_agreement_capacity":   h.agreeCapacity,
		"psa_crypto.key_agreement_output":     h.agreeOutput,
		"psa_crypto.agreement_key_policy":     h.agreePolicy,
		"psa_crypto.raw_agreement_key_policy": h.agreeRawPolicy,

		"psa_crypto_pake.ecjpake_setup":         h.jpakeSetup,
		"psa_crypto_pake.ecjpake_rounds":        h.jpakeRounds,
		"psa_crypto_pake.ecjpake_rounds_inject": h.jpakeRoundsInject,
		"psa_crypto_pake.ecjpake_size_macros":   jpakeSizeMacros,
	}
}
