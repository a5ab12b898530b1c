package pkcs11

import (
	"crypto/ecdh"
	"encoding/asn1"
	"encoding/binary"
	"encoding/hex"
	"fmt"

	p11 "github.com/miekg/pkcs11"

	"github.com/gopsa/psa/values"
)

// The PKCS#11 key types of PSA key types.

// ckkOf returns the PKCS#11 key type (CKK_...) of the objects that hold a
// key of PSA type t, and whether the driver handles t at all.
func ckkOf(t values.KeyType) (uint, bool) {
	switch {
	case t == values.KeyTypeAES:
		return p11.CKK_AES, true
	case t == values.KeyTypeHMAC:
		return p11.CKK_GENERIC_SECRET, true
	case t.IsRSA():
		return p11.CKK_RSA, true
	case t.IsECC() && t.ECCFamily() == values.ECCFamilySECPR1:
		return p11.CKK_EC, true
	}
	return 0, false
}

// ckkMatches reports whether an object of PKCS#11 key type ckk can hold a
// key of PSA type t: ckkOf's type, or for HMAC keys, the hash-specific
// HMAC key types that existing tokens use.
func ckkMatches(t values.KeyType, ckk uint) bool {
	if want, ok := ckkOf(t); ok && want == ckk {
		return true
	}
	if t == values.KeyTypeHMAC {
		switch ckk {
		case p11.CKK_SHA_1_HMAC, p11.CKK_SHA224_HMAC, p11.CKK_SHA256_HMAC, p11.CKK_SHA384_HMAC, p11.CKK_SHA512_HMAC:
			return true
		}
	}
	return false
}

// Object classes, as indices of the handle cache.
const (
	clsSecret = iota
	clsPrivate
	clsPublic
)

var classes = [...]uint{clsSecret: p11.CKO_SECRET_KEY, clsPrivate: p11.CKO_PRIVATE_KEY, clsPublic: p11.CKO_PUBLIC_KEY}
var classNames = [...]string{clsSecret: "secret key", clsPrivate: "private key", clsPublic: "public key"}

// keyClass is the class of the object that does a key's private or
// secret operations.
func keyClass(t values.KeyType) int {
	switch {
	case t.IsKeyPair():
		return clsPrivate
	case t.IsPublicKey():
		return clsPublic
	}
	return clsSecret
}

func handleIndex(r *keyRef, cls int) int {
	i := cls * 4
	if r.token {
		i += 2
	}
	if r.byLabel {
		i++
	}
	return i
}

// The curves the driver handles: PSA_ECC_FAMILY_SECP_R1 at these sizes.
type curve struct {
	bits int
	oid  []byte // CKA_EC_PARAMS: the DER OBJECT IDENTIFIER of the named curve
	ecdh ecdh.Curve
}

var curves = []curve{
	{256, []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}, ecdh.P256()}, // prime256v1
	{384, []byte{0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22}, ecdh.P384()},                   // secp384r1
	{521, []byte{0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23}, ecdh.P521()},                   // secp521r1
}

func curveBits(bits int) (*curve, error) {
	for i := range curves {
		if curves[i].bits == bits {
			return &curves[i], nil
		}
	}
	return nil, fmt.Errorf("pkcs11: %d-bit SECP_R1 curves are not supported (want 256, 384 or 521): %w", bits, values.ErrNotSupported)
}

func (c *curve) size() int { return (c.bits + 7) / 8 }

// pointDER wraps an uncompressed point in the DER OCTET STRING that
// CKA_EC_POINT holds.
func pointDER(point []byte) []byte {
	b, _ := asn1.Marshal(point) // a []byte always marshals
	return b
}

// pointOf extracts the uncompressed point from a CKA_EC_POINT value, which
// is a DER OCTET STRING, or for some tokens the raw point.
func pointOf(v []byte, c *curve) ([]byte, error) {
	n := 1 + 2*c.size()
	if len(v) == n && v[0] == 4 {
		return v, nil
	}
	var p []byte
	if rest, err := asn1.Unmarshal(v, &p); err == nil && len(rest) == 0 && len(p) == n && p[0] == 4 {
		return p, nil
	}
	return nil, fmt.Errorf("pkcs11: the token's CKA_EC_POINT (%d bytes) is not an uncompressed %d-bit point: %w", len(v), c.bits, values.ErrCorruptionDetected)
}

// ulong decodes a CK_ULONG attribute value (native byte order, the size of
// the module's unsigned long).
func ulong(b []byte) (uint, bool) {
	switch len(b) {
	case 8:
		return uint(binary.NativeEndian.Uint64(b)), true
	case 4:
		return uint(binary.NativeEndian.Uint32(b)), true
	}
	return 0, false
}

// describe names an object for error messages.
func (r *keyRef) describe() string {
	if r.byLabel {
		return fmt.Sprintf("CKA_LABEL %q", r.name)
	}
	return "CKA_ID " + hex.EncodeToString(r.name)
}

// findTemplate selects the object of class cls that r designates.
func findTemplate(r *keyRef, cls int) []*p11.Attribute {
	name := p11.NewAttribute(p11.CKA_ID, r.name)
	if r.byLabel {
		name = p11.NewAttribute(p11.CKA_LABEL, r.name)
	}
	return []*p11.Attribute{
		p11.NewAttribute(p11.CKA_CLASS, classes[cls]),
		p11.NewAttribute(p11.CKA_TOKEN, r.token),
		p11.NewAttribute(p11.CKA_KEY_TYPE, r.ckk),
		name,
	}
}

// findObjects lists the objects that match template.
func (cl *call) findObjects(template []*p11.Attribute) ([]p11.ObjectHandle, error) {
	mod := cl.c.mod
	if err := mod.FindObjectsInit(cl.s, template); err != nil {
		return nil, opError("C_FindObjectsInit", noMech, err)
	}
	var all []p11.ObjectHandle
	for {
		hs, _, err := mod.FindObjects(cl.s, 16)
		if err != nil {
			_ = mod.FindObjectsFinal(cl.s)
			return nil, opError("C_FindObjects", noMech, err)
		}
		if len(hs) == 0 {
			break
		}
		all = append(all, hs...)
	}
	if err := mod.FindObjectsFinal(cl.s); err != nil {
		return nil, opError("C_FindObjectsFinal", noMech, err)
	}
	return all, nil
}

// object returns the handle of the object of class cls that r designates,
// from the connection's cache or by searching the token.
func (cl *call) object(r *keyRef, cls int) (p11.ObjectHandle, error) {
	c := cl.c
	m := c.handles[handleIndex(r, cls)]
	c.hmu.RLock()
	h, ok := m[string(r.name)]
	c.hmu.RUnlock()
	if ok {
		return h, nil
	}
	hs, err := cl.findObjects(findTemplate(r, cls))
	if err != nil {
		return 0, err
	}
	switch len(hs) {
	case 0:
		hint := ""
		if !r.token {
			hint = " (a volatile key does not survive a reconnection to the token)"
		}
		return 0, fmt.Errorf("pkcs11: no %s object with %s on the token%s: %w", classNames[cls], r.describe(), hint, values.ErrDoesNotExist)
	case 1:
	default:
		return 0, fmt.Errorf("pkcs11: %d %s objects have %s, which must designate one: %w", len(hs), classNames[cls], r.describe(), values.ErrDataInvalid)
	}
	c.hmu.Lock()
	m[string(r.name)] = hs[0]
	c.hmu.Unlock()
	return hs[0], nil
}

func (c *conn) forgetHandles() {
	c.hmu.Lock()
	for _, m := range c.handles {
		clear(m)
	}
	c.hmu.Unlock()
}

func (c *conn) forget(r *keyRef) {
	c.hmu.Lock()
	for cls := range classes {
		delete(c.handles[handleIndex(r, cls)], string(r.name))
	}
	c.hmu.Unlock()
}

// attr reads one attribute of an object.
func (cl *call) attr(h p11.ObjectHandle, typ uint) ([]byte, error) {
	as, err := cl.c.mod.GetAttributeValue(cl.s, h, []*p11.Attribute{p11.NewAttribute(typ, nil)})
	if err != nil {
		return nil, opError("C_GetAttributeValue", noMech, err)
	}
	return as[0].Value, nil
}

// boolAttr reads a CK_BBOOL attribute; an attribute the object lacks
// reads as false.
func (cl *call) boolAttr(h p11.ObjectHandle, typ uint) bool {
	v, err := cl.attr(h, typ)
	return err == nil && len(v) == 1 && v[0] != 0
}
