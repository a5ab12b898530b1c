package pkcs11

import (
	"errors"
	"fmt"
	"strings"

	p11 "github.com/miekg/pkcs11"

	"github.com/gopsa/psa/values"
)

// Error is a PKCS#11 function that failed: its name, the mechanism
// when it takes one, and the return value (CKR_...). It wraps the PSA
// status that reports it, so errors.Is(err, values.ErrNotPermitted) and
// errors.As(err, &e) both work.
type Error struct {
	Func      string // "C_Sign"
	Mechanism string // "CKM_ECDSA", or "" for a function without one
	Code      uint   // the CK_RV
	Status    values.Status
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("pkcs11: ")
	b.WriteString(e.Func)
	if e.Mechanism != "" {
		b.WriteString(" with ")
		b.WriteString(e.Mechanism)
	}
	b.WriteString(": ")
	b.WriteString(ckrName(e.Code))
	if e.Status == values.ErrNotSupported && e.Mechanism != "" {
		b.WriteString(": the token does not support this")
	}
	b.WriteString(": ")
	b.WriteString(e.Status.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Status }

// ckr returns the PKCS#11 return value that err carries, and whether it
// carries one.
func ckr(err error) (uint, bool) {
	if err == nil {
		return 0, false
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code, true
	}
	var pe p11.Error
	if errors.As(err, &pe) {
		return uint(pe), true
	}
	return 0, false
}

// ckrName is the name of a PKCS#11 return value with its number, as in
// "CKR_DEVICE_REMOVED (0x32)".
func ckrName(rv uint) string {
	// The binding's Error text is "pkcs11: 0x32: CKR_DEVICE_REMOVED".
	s := p11.Error(rv).Error()
	if i := strings.LastIndex(s, ": "); i >= 0 && strings.HasPrefix(s[i+2:], "CKR_") {
		return fmt.Sprintf("%s (0x%x)", s[i+2:], rv)
	}
	return fmt.Sprintf("CKR 0x%x", rv)
}

// lost reports whether rv means that the session, the login or the token
// itself is gone, so that the driver must reconnect before the next call.
func lost(rv uint) bool {
	switch rv {
	case p11.CKR_DEVICE_REMOVED, p11.CKR_DEVICE_ERROR, p11.CKR_TOKEN_NOT_PRESENT,
		p11.CKR_TOKEN_NOT_RECOGNIZED, p11.CKR_SESSION_HANDLE_INVALID, p11.CKR_SESSION_CLOSED,
		p11.CKR_CRYPTOKI_NOT_INITIALIZED, p11.CKR_SLOT_ID_INVALID, p11.CKR_USER_NOT_LOGGED_IN:
		return true
	}
	return false
}

// statusOf maps a PKCS#11 return value to the PSA status that reports it.
func statusOf(rv uint) values.Status {
	switch rv {
	case p11.CKR_DEVICE_REMOVED, p11.CKR_DEVICE_ERROR, p11.CKR_TOKEN_NOT_PRESENT,
		p11.CKR_TOKEN_NOT_RECOGNIZED, p11.CKR_SESSION_HANDLE_INVALID, p11.CKR_SESSION_CLOSED,
		p11.CKR_CRYPTOKI_NOT_INITIALIZED, p11.CKR_SLOT_ID_INVALID, p11.CKR_SESSION_COUNT,
		p11.CKR_FUNCTION_CANCELED:
		return values.ErrCommunicationFailure
	case p11.CKR_PIN_INCORRECT, p11.CKR_PIN_LOCKED, p11.CKR_PIN_EXPIRED, p11.CKR_PIN_INVALID,
		p11.CKR_PIN_LEN_RANGE, p11.CKR_USER_NOT_LOGGED_IN, p11.CKR_USER_PIN_NOT_INITIALIZED,
		p11.CKR_KEY_FUNCTION_NOT_PERMITTED, p11.CKR_ATTRIBUTE_SENSITIVE, p11.CKR_KEY_UNEXTRACTABLE,
		p11.CKR_KEY_NOT_WRAPPABLE, p11.CKR_ACTION_PROHIBITED, p11.CKR_TOKEN_WRITE_PROTECTED,
		p11.CKR_SESSION_READ_ONLY:
		return values.ErrNotPermitted
	case p11.CKR_MECHANISM_INVALID, p11.CKR_MECHANISM_PARAM_INVALID, p11.CKR_FUNCTION_NOT_SUPPORTED,
		p11.CKR_KEY_SIZE_RANGE, p11.CKR_KEY_TYPE_INCONSISTENT, p11.CKR_TEMPLATE_INCONSISTENT,
		p11.CKR_TEMPLATE_INCOMPLETE, p11.CKR_ATTRIBUTE_TYPE_INVALID, p11.CKR_ATTRIBUTE_VALUE_INVALID,
		p11.CKR_DOMAIN_PARAMS_INVALID, p11.CKR_CURVE_NOT_SUPPORTED:
		return values.ErrNotSupported
	case p11.CKR_SIGNATURE_INVALID, p11.CKR_SIGNATURE_LEN_RANGE:
		return values.ErrInvalidSignature
	case p11.CKR_ENCRYPTED_DATA_INVALID, p11.CKR_ENCRYPTED_DATA_LEN_RANGE:
		return values.ErrInvalidPadding
	case p11.CKR_DATA_INVALID, p11.CKR_DATA_LEN_RANGE, p11.CKR_ARGUMENTS_BAD:
		return values.ErrInvalidArgument
	case p11.CKR_OBJECT_HANDLE_INVALID, p11.CKR_KEY_HANDLE_INVALID:
		return values.ErrDoesNotExist
	case p11.CKR_HOST_MEMORY:
		return values.ErrInsufficientMemory
	case p11.CKR_DEVICE_MEMORY:
		return values.ErrInsufficientStorage
	}
	return values.ErrHardwareFailure
}

// opError describes a failed PKCS#11 call (an *Error), or wraps err
// when it is not a PKCS#11 return value.
func opError(fn string, mech uint, err error) error {
	rv, ok := ckr(err)
	if !ok {
		return fmt.Errorf("pkcs11: %s: %w", fn, err)
	}
	e := &Error{Func: fn, Code: rv, Status: statusOf(rv)}
	if mech != noMech {
		e.Mechanism = mechName(mech)
		// The driver checks the arguments before calling the token, so
		// bad arguments to an operation's setup are parameters that the
		// token does not take (SoftHSM2 says so of OAEP with SHA-2).
		if rv == p11.CKR_ARGUMENTS_BAD && strings.HasSuffix(fn, "Init") {
			e.Status = values.ErrNotSupported
		}
	}
	return e
}

// noMech marks a PKCS#11 call that takes no mechanism.
const noMech = ^uint(0)

var mechNames = map[uint]string{
	p11.CKM_RSA_PKCS_KEY_PAIR_GEN:  "CKM_RSA_PKCS_KEY_PAIR_GEN",
	p11.CKM_RSA_PKCS:               "CKM_RSA_PKCS",
	p11.CKM_RSA_PKCS_OAEP:          "CKM_RSA_PKCS_OAEP",
	p11.CKM_RSA_PKCS_PSS:           "CKM_RSA_PKCS_PSS",
	p11.CKM_EC_KEY_PAIR_GEN:        "CKM_EC_KEY_PAIR_GEN",
	p11.CKM_ECDSA:                  "CKM_ECDSA",
	p11.CKM_ECDH1_DERIVE:           "CKM_ECDH1_DERIVE",
	p11.CKM_AES_KEY_GEN:            "CKM_AES_KEY_GEN",
	p11.CKM_AES_ECB:                "CKM_AES_ECB",
	p11.CKM_AES_CBC:                "CKM_AES_CBC",
	p11.CKM_AES_CBC_PAD:            "CKM_AES_CBC_PAD",
	p11.CKM_AES_CTR:                "CKM_AES_CTR",
	p11.CKM_AES_GCM:                "CKM_AES_GCM",
	p11.CKM_AES_CMAC:               "CKM_AES_CMAC",
	p11.CKM_GENERIC_SECRET_KEY_GEN: "CKM_GENERIC_SECRET_KEY_GEN",
	p11.CKM_SHA_1_HMAC:             "CKM_SHA_1_HMAC",
	p11.CKM_SHA224_HMAC:            "CKM_SHA224_HMAC",
	p11.CKM_SHA256_HMAC:            "CKM_SHA256_HMAC",
	p11.CKM_SHA384_HMAC:            "CKM_SHA384_HMAC",
	p11.CKM_SHA512_HMAC:            "CKM_SHA512_HMAC",
	p11.CKM_SHA_1:                  "CKM_SHA_1",
	p11.CKM_SHA224:                 "CKM_SHA224",
	p11.CKM_SHA256:                 "CKM_SHA256",
	p11.CKM_SHA384:                 "CKM_SHA384",
	p11.CKM_SHA512:                 "CKM_SHA512",
}

func mechName(m uint) string {
	if n := mechNames[m]; n != "" {
		return n
	}
	return fmt.Sprintf("mechanism 0x%x", m)
}
