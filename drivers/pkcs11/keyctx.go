package pkcs11

import (
	"fmt"

	"github.com/gopsa/psa/values"
)

// The key context, which the core stores in the key file (persistent keys)
// or in memory (volatile keys), designates an object on the token and
// holds no secret:
//
//	byte 0     version, 1
//	byte 1     flags: ctxToken (a token object, CKA_TOKEN true),
//	           ctxByLabel (the name is a CKA_LABEL, not a CKA_ID)
//	bytes 2-5  the PKCS#11 key type of the object (CKA_KEY_TYPE), big-endian
//	byte 6     n, the length of the name
//	bytes 7-   the name: the object's CKA_ID (or CKA_LABEL)
//
// A key pair is two objects, the private and the public key, with the same
// CKA_ID; a secret key is one object.
const (
	ctxVersion    = 1
	ctxHeaderSize = 7

	ctxToken   = 1 << 0
	ctxByLabel = 1 << 1

	// maxObjectName bounds a CKA_ID or CKA_LABEL in a key context.
	maxObjectName = 255
	// idSize is the length of the random CKA_ID of the keys the driver
	// creates.
	idSize = 16
)

// keyRef is a decoded key context. name aliases the context buffer.
type keyRef struct {
	token   bool
	byLabel bool
	ckk     uint
	name    []byte
}

func appendContext(dst []byte, r keyRef) []byte {
	var flags byte
	if r.token {
		flags |= ctxToken
	}
	if r.byLabel {
		flags |= ctxByLabel
	}
	k := uint32(r.ckk)
	dst = append(dst, ctxVersion, flags, byte(k>>24), byte(k>>16), byte(k>>8), byte(k), byte(len(r.name)))
	return append(dst, r.name...)
}

// parseContext decodes a key context and checks it against the key's
// PSA type.
func parseContext(attrs *values.Attributes, key []byte) (keyRef, error) {
	if len(key) < ctxHeaderSize || key[0] != ctxVersion || key[1]&^(ctxToken|ctxByLabel) != 0 ||
		len(key) != ctxHeaderSize+int(key[6]) || key[6] == 0 {
		return keyRef{}, fmt.Errorf("pkcs11: key 0x%08x: the %d-byte key context is not a PKCS#11 driver key context (version %d): %w",
			uint32(attrs.ID), len(key), ctxVersion, values.ErrDataInvalid)
	}
	r := keyRef{
		token:   key[1]&ctxToken != 0,
		byLabel: key[1]&ctxByLabel != 0,
		ckk:     uint(key[2])<<24 | uint(key[3])<<16 | uint(key[4])<<8 | uint(key[5]),
		name:    key[ctxHeaderSize:],
	}
	if !ckkMatches(attrs.Type, r.ckk) {
		return keyRef{}, fmt.Errorf("pkcs11: key 0x%08x: the key context is for PKCS#11 key type 0x%x, which does not hold a %v: %w",
			uint32(attrs.ID), r.ckk, attrs.Type, values.ErrDataInvalid)
	}
	return r, nil
}
