package values

// PAKECipherSuite is the cipher suite of a PAKE operation
// (psa_pake_cipher_suite_t): the PAKE algorithm, the primitive it runs on,
// and the key confirmation option. The zero value is
// PSA_PAKE_CIPHER_SUITE_INIT.
type PAKECipherSuite struct {
	Algorithm       Algorithm
	Primitive       PAKEPrimitive
	KeyConfirmation uint32
}
