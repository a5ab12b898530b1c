package values

// Version of the PSA Certified Crypto API that this package implements.
const (
	CryptoAPIVersionMajor = 1
	CryptoAPIVersionMinor = 5
)

// Key-derivation input steps. Their values are implementation-defined;
// gopsa uses those of Mbed TLS, so that test data and stored operations
// agree.
const (
	DerivationInputSecret      DerivationStep = 0x0101
	DerivationInputPassword    DerivationStep = 0x0102
	DerivationInputOtherSecret DerivationStep = 0x0103
	DerivationInputLabel       DerivationStep = 0x0201
	DerivationInputSalt        DerivationStep = 0x0202
	DerivationInputInfo        DerivationStep = 0x0203
	DerivationInputSeed        DerivationStep = 0x0204
	DerivationInputCost        DerivationStep = 0x0205
	DerivationInputContext     DerivationStep = 0x0206
)

// PAKE primitive types.
const (
	PAKEPrimitiveTypeECC PAKEPrimitiveType = 0x01
	PAKEPrimitiveTypeDH  PAKEPrimitiveType = 0x02
)

// Key confirmation settings of a PAKE cipher suite.
const (
	PAKEConfirmedKey   = 0
	PAKEUnconfirmedKey = 1
)

// PAKE roles.
const (
	PAKERoleNone   PAKERole = 0x00
	PAKERoleFirst  PAKERole = 0x01
	PAKERoleSecond PAKERole = 0x02
	PAKERoleClient PAKERole = 0x11
	PAKERoleServer PAKERole = 0x12
)

// PAKE steps.
const (
	PAKEStepKeyShare     PAKEStep = 0x01
	PAKEStepZKPublic     PAKEStep = 0x02
	PAKEStepZKProof      PAKEStep = 0x03
	PAKEStepConfirm      PAKEStep = 0x04
	PAKEStepSalt         PAKEStep = 0x05
	PAKEStepCommit       PAKEStep = 0x06
	PAKEStepConfirmCount PAKEStep = 0x07
	PAKEStepKeyID        PAKEStep = 0x08
)

// PAKEPrimitiveOf returns the primitive of type t, family f and size bits
// (PSA_PAKE_PRIMITIVE), or 0 if bits does not fit in 16 bits. For
// PAKEPrimitiveTypeECC, f is an ECCFamily and bits the curve size; for
// PAKEPrimitiveTypeDH, f is a DHFamily and bits the group size.
func PAKEPrimitiveOf(t PAKEPrimitiveType, f PAKEFamily, bits int) PAKEPrimitive {
	if bits < 0 || bits > 0xffff {
		return 0
	}
	return PAKEPrimitive(t)<<24 | PAKEPrimitive(f)<<16 | PAKEPrimitive(bits)
}

// Type returns the primitive type of p (PSA_PAKE_PRIMITIVE_GET_TYPE).
func (p PAKEPrimitive) Type() PAKEPrimitiveType { return PAKEPrimitiveType(p >> 24) }

// Family returns the family of p (PSA_PAKE_PRIMITIVE_GET_FAMILY).
func (p PAKEPrimitive) Family() PAKEFamily { return PAKEFamily(p >> 16) }

// Bits returns the size in bits of p (PSA_PAKE_PRIMITIVE_GET_BITS).
func (p PAKEPrimitive) Bits() int { return int(p & 0xffff) }
