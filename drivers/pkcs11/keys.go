package pkcs11

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"math/big"

	p11 "github.com/miekg/pkcs11"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// AllocateKey is the "allocate_key" entry point: it chooses the CKA_ID of
// a new key and returns the key context that designates it, which the core
// saves before the key is created.
func (d *Driver) AllocateKey(attrs values.Attributes, dst []byte) ([]byte, error) {
	ckk, ok := ckkOf(attrs.Type)
	if !ok {
		return nil, unsupportedType(attrs.Type)
	}
	id, err := d.randomBytes(idSize)
	if err != nil {
		return nil, err
	}
	return appendContext(dst, keyRef{token: !attrs.Lifetime.IsVolatile(), ckk: ckk, name: id}), nil
}

// newRef returns the reference of a key being created: the one that
// AllocateKey chose for it, which the core passes back as the creation
// entry point's dst, or a new one.
func (d *Driver) newRef(attrs *values.Attributes, allocated []byte) (keyRef, error) {
	ckk, ok := ckkOf(attrs.Type)
	if !ok {
		return keyRef{}, unsupportedType(attrs.Type)
	}
	token := !attrs.Lifetime.IsVolatile()
	ctx := allocated
	if ctx != nil {
		if r, err := parseContext(attrs, ctx); err == nil && r.token == token && !r.byLabel {
			return r, nil
		}
	}
	id, err := d.randomBytes(idSize)
	if err != nil {
		return keyRef{}, err
	}
	return keyRef{token: token, ckk: ckk, name: id}, nil
}

func unsupportedType(t values.KeyType) error {
	return fmt.Errorf("pkcs11: %v keys are not supported (the driver handles AES, HMAC, RSA and SECP_R1 ECC keys): %w", t, values.ErrNotSupported)
}

// template builds the attributes of a new object of class cls holding a
// key with attrs, mapping the PSA policy onto PKCS#11 attributes.
func template(attrs *values.Attributes, r *keyRef, cls int) []*p11.Attribute {
	u := attrs.Usage
	sign := u&(values.UsageSignHash|values.UsageSignMessage) != 0
	verify := u&(values.UsageVerifyHash|values.UsageVerifyMessage) != 0
	encrypt := u&values.UsageEncrypt != 0
	decrypt := u&values.UsageDecrypt != 0
	derive := u&values.UsageDerive != 0
	export := u&values.UsageExport != 0
	label := "psa volatile key"
	if r.token {
		label = fmt.Sprintf("psa key 0x%08x", uint32(attrs.ID))
	}
	t := []*p11.Attribute{
		p11.NewAttribute(p11.CKA_CLASS, classes[cls]),
		p11.NewAttribute(p11.CKA_KEY_TYPE, r.ckk),
		p11.NewAttribute(p11.CKA_TOKEN, r.token),
		p11.NewAttribute(p11.CKA_ID, r.name),
		p11.NewAttribute(p11.CKA_LABEL, label),
	}
	// Every capability attribute is set, false where the policy says
	// no: tokens default some of them to true (SoftHSM2 gives a new
	// private key CKA_DECRYPT and CKA_UNWRAP).
	isRSA, isAES := r.ckk == p11.CKK_RSA, r.ckk == p11.CKK_AES
	switch cls {
	case clsPublic:
		return append(t, p11.NewAttribute(p11.CKA_PRIVATE, false),
			p11.NewAttribute(p11.CKA_VERIFY, verify || sign),
			p11.NewAttribute(p11.CKA_ENCRYPT, isRSA && (encrypt || decrypt)),
			p11.NewAttribute(p11.CKA_VERIFY_RECOVER, false),
			p11.NewAttribute(p11.CKA_WRAP, false))
	case clsPrivate:
		t = append(t, p11.NewAttribute(p11.CKA_SIGN, sign),
			p11.NewAttribute(p11.CKA_DECRYPT, isRSA && decrypt),
			p11.NewAttribute(p11.CKA_DERIVE, r.ckk == p11.CKK_EC && derive),
			p11.NewAttribute(p11.CKA_SIGN_RECOVER, false),
			p11.NewAttribute(p11.CKA_UNWRAP, false))
	case clsSecret:
		t = append(t, p11.NewAttribute(p11.CKA_SIGN, sign), p11.NewAttribute(p11.CKA_VERIFY, verify),
			p11.NewAttribute(p11.CKA_ENCRYPT, isAES && encrypt), p11.NewAttribute(p11.CKA_DECRYPT, isAES && decrypt),
			p11.NewAttribute(p11.CKA_DERIVE, derive),
			p11.NewAttribute(p11.CKA_WRAP, false), p11.NewAttribute(p11.CKA_UNWRAP, false))
	}
	return append(t,
		p11.NewAttribute(p11.CKA_PRIVATE, true),
		p11.NewAttribute(p11.CKA_SENSITIVE, !export),
		p11.NewAttribute(p11.CKA_EXTRACTABLE, export),
		p11.NewAttribute(p11.CKA_MODIFIABLE, false))
}

// creator returns the function that creates objects for r: session objects
// (volatile keys) in the owner session, which outlives the pool's
// sessions, and token objects in the call's session.
func (cl *call) create(r *keyRef, f func(s p11.SessionHandle) error) error {
	if r.token {
		return f(cl.s)
	}
	return cl.withOwner(f)
}

// GenerateKey is the "generate_key" entry point: the key is generated in
// the token and never leaves it (unless its policy allows export).
func (d *Driver) GenerateKey(attrs values.Attributes, params driver.ProductionParameters, dst []byte) ([]byte, error) {
	r, err := d.newRef(&attrs, dst)
	if err != nil {
		return nil, err
	}
	if params.Flags != 0 {
		return nil, fmt.Errorf("pkcs11: generate key: production flags 0x%x: none are supported: %w", params.Flags, values.ErrNotSupported)
	}
	if len(params.Data) != 0 && r.ckk != p11.CKK_RSA {
		return nil, fmt.Errorf("pkcs11: generate key: production parameters are only for RSA keys (the public exponent): %w", values.ErrInvalidArgument)
	}
	var mech uint
	var pub, priv []*p11.Attribute
	switch r.ckk {
	case p11.CKK_AES:
		if attrs.Bits != 128 && attrs.Bits != 192 && attrs.Bits != 256 {
			return nil, fmt.Errorf("pkcs11: generate key: %d-bit AES keys do not exist (want 128, 192 or 256): %w", attrs.Bits, values.ErrInvalidArgument)
		}
		mech, priv = p11.CKM_AES_KEY_GEN, template(&attrs, &r, clsSecret)
		priv = append(priv, p11.NewAttribute(p11.CKA_VALUE_LEN, attrs.Bits/8))
	case p11.CKK_GENERIC_SECRET:
		if attrs.Bits%8 != 0 {
			return nil, fmt.Errorf("pkcs11: generate key: %d bits is not a whole number of bytes: %w", attrs.Bits, values.ErrInvalidArgument)
		}
		mech, priv = p11.CKM_GENERIC_SECRET_KEY_GEN, template(&attrs, &r, clsSecret)
		priv = append(priv, p11.NewAttribute(p11.CKA_VALUE_LEN, attrs.Bits/8))
	case p11.CKK_EC:
		c, err := curveBits(attrs.Bits)
		if err != nil {
			return nil, err
		}
		mech = p11.CKM_EC_KEY_PAIR_GEN
		pub = append(template(&attrs, &r, clsPublic), p11.NewAttribute(p11.CKA_EC_PARAMS, c.oid))
		priv = template(&attrs, &r, clsPrivate)
	case p11.CKK_RSA:
		e := params.Data
		if len(e) == 0 {
			e = []byte{1, 0, 1}
		}
		mech = p11.CKM_RSA_PKCS_KEY_PAIR_GEN
		pub = append(template(&attrs, &r, clsPublic),
			p11.NewAttribute(p11.CKA_MODULUS_BITS, attrs.Bits),
			p11.NewAttribute(p11.CKA_PUBLIC_EXPONENT, e))
		priv = template(&attrs, &r, clsPrivate)
	}
	_, err = do(d, func(cl *call) (struct{}, error) {
		if err := cl.c.supports(mech); err != nil {
			return struct{}{}, err
		}
		m := []*p11.Mechanism{p11.NewMechanism(mech, nil)}
		return struct{}{}, cl.create(&r, func(s p11.SessionHandle) error {
			var err error
			if pub != nil {
				_, _, err = cl.c.mod.GenerateKeyPair(s, m, pub, priv)
				if err != nil {
					return opError("C_GenerateKeyPair", mech, err)
				}
				return nil
			}
			if _, err = cl.c.mod.GenerateKey(s, m, priv); err != nil {
				return opError("C_GenerateKey", mech, err)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("pkcs11: generate %d-bit %v: %w", attrs.Bits, attrs.Type, err)
	}
	return appendContext(nil, r), nil
}

// ImportKey is the "import_key" entry point: the key material, in the PSA
// export format of its type, becomes objects on the token
// (C_CreateObject), where the token allows it.
func (d *Driver) ImportKey(attrs values.Attributes, data, dst []byte) ([]byte, int, error) {
	if _, ok := ckkOf(attrs.Type); !ok {
		return nil, 0, unsupportedType(attrs.Type)
	}
	objs, bits, err := importTemplates(&attrs, data)
	if err != nil {
		return nil, 0, fmt.Errorf("pkcs11: import %v: %w", attrs.Type, err)
	}
	if attrs.Bits != 0 && attrs.Bits != bits {
		return nil, 0, fmt.Errorf("pkcs11: import %v: the data is a %d-bit key, not %d bits: %w", attrs.Type, bits, attrs.Bits, values.ErrInvalidArgument)
	}
	attrs.Bits = bits
	r, err := d.newRef(&attrs, dst)
	if err != nil {
		return nil, 0, err
	}
	_, err = do(d, func(cl *call) (struct{}, error) {
		return struct{}{}, cl.create(&r, func(s p11.SessionHandle) error {
			var made []p11.ObjectHandle
			for _, o := range objs {
				h, err := cl.c.mod.CreateObject(s, append(template(&attrs, &r, o.cls), o.material...))
				if err != nil {
					for _, h := range made {
						_ = cl.c.mod.DestroyObject(s, h)
					}
					return opError("C_CreateObject", noMech, err)
				}
				made = append(made, h)
			}
			return nil
		})
	})
	for _, o := range objs {
		for _, a := range o.material {
			if secretAttr(a.Type) {
				clear(a.Value) // NewAttribute does not copy, so only the copies made for it
			}
		}
	}
	if err != nil {
		return nil, 0, fmt.Errorf("pkcs11: import %d-bit %v: %w", bits, attrs.Type, err)
	}
	return appendContext(nil, r), bits, nil
}

// secretAttr reports whether an attribute of an imported key holds
// secret key material, which the driver wipes after the import.
func secretAttr(typ uint) bool {
	switch typ {
	case p11.CKA_VALUE, p11.CKA_PRIVATE_EXPONENT, p11.CKA_PRIME_1, p11.CKA_PRIME_2,
		p11.CKA_EXPONENT_1, p11.CKA_EXPONENT_2, p11.CKA_COEFFICIENT:
		return true
	}
	return false
}

// importObject is one object to create for an imported key: its class and
// its key material attributes.
type importObject struct {
	cls      int
	material []*p11.Attribute
}

// importTemplates validates data, in the export format of attrs.Type, and
// returns the objects that hold it and the key size.
func importTemplates(attrs *values.Attributes, data []byte) ([]importObject, int, error) {
	t := attrs.Type
	value := func(b []byte) *p11.Attribute { return p11.NewAttribute(p11.CKA_VALUE, bytes.Clone(b)) }
	switch {
	case t == values.KeyTypeAES:
		if n := len(data); n != 16 && n != 24 && n != 32 {
			return nil, 0, fmt.Errorf("%d bytes is not an AES key (want 16, 24 or 32): %w", n, values.ErrInvalidArgument)
		}
		return []importObject{{clsSecret, []*p11.Attribute{value(data)}}}, 8 * len(data), nil
	case t == values.KeyTypeHMAC:
		return []importObject{{clsSecret, []*p11.Attribute{value(data)}}}, 8 * len(data), nil
	case t.IsECCKeyPair():
		c, err := curveForPrivate(attrs.Bits, len(data))
		if err != nil {
			return nil, 0, err
		}
		k, err := c.ecdh.NewPrivateKey(data)
		if err != nil {
			return nil, 0, fmt.Errorf("%d bytes is not a valid secp%dr1 private key (want a scalar in [1, n-1], %d bytes big-endian): %w",
				len(data), c.bits, c.size(), values.ErrInvalidArgument)
		}
		return []importObject{
			{clsPrivate, []*p11.Attribute{p11.NewAttribute(p11.CKA_EC_PARAMS, c.oid), value(data)}},
			{clsPublic, []*p11.Attribute{p11.NewAttribute(p11.CKA_EC_PARAMS, c.oid), p11.NewAttribute(p11.CKA_EC_POINT, pointDER(k.PublicKey().Bytes()))}},
		}, c.bits, nil
	case t.IsECCPublicKey():
		c, err := curveForPublic(attrs.Bits, len(data))
		if err != nil {
			return nil, 0, err
		}
		if _, err := c.ecdh.NewPublicKey(data); err != nil {
			return nil, 0, fmt.Errorf("%d bytes is not a valid secp%dr1 public key (want an uncompressed point 04||x||y on the curve): %w",
				len(data), c.bits, values.ErrInvalidArgument)
		}
		return []importObject{{clsPublic, []*p11.Attribute{p11.NewAttribute(p11.CKA_EC_PARAMS, c.oid), p11.NewAttribute(p11.CKA_EC_POINT, pointDER(data))}}}, c.bits, nil
	case t == values.KeyTypeRSAKeyPair:
		k, err := x509.ParsePKCS1PrivateKey(data)
		if err != nil {
			return nil, 0, fmt.Errorf("not an RSA private key in PKCS#1 RSAPrivateKey DER form: %v: %w", err, values.ErrInvalidArgument)
		}
		if len(k.Primes) != 2 {
			return nil, 0, fmt.Errorf("multi-prime RSA keys (%d primes) are not supported: %w", len(k.Primes), values.ErrNotSupported)
		}
		k.Precompute()
		e := big.NewInt(int64(k.E)).Bytes()
		return []importObject{
			{clsPrivate, []*p11.Attribute{
				p11.NewAttribute(p11.CKA_MODULUS, k.N.Bytes()),
				p11.NewAttribute(p11.CKA_PUBLIC_EXPONENT, e),
				p11.NewAttribute(p11.CKA_PRIVATE_EXPONENT, k.D.Bytes()),
				p11.NewAttribute(p11.CKA_PRIME_1, k.Primes[0].Bytes()),
				p11.NewAttribute(p11.CKA_PRIME_2, k.Primes[1].Bytes()),
				p11.NewAttribute(p11.CKA_EXPONENT_1, k.Precomputed.Dp.Bytes()),
				p11.NewAttribute(p11.CKA_EXPONENT_2, k.Precomputed.Dq.Bytes()),
				p11.NewAttribute(p11.CKA_COEFFICIENT, k.Precomputed.Qinv.Bytes()),
			}},
			{clsPublic, []*p11.Attribute{p11.NewAttribute(p11.CKA_MODULUS, k.N.Bytes()), p11.NewAttribute(p11.CKA_PUBLIC_EXPONENT, e)}},
		}, k.N.BitLen(), nil
	case t == values.KeyTypeRSAPublicKey:
		k, err := x509.ParsePKCS1PublicKey(data)
		if err != nil {
			return nil, 0, fmt.Errorf("not an RSA public key in PKCS#1 RSAPublicKey DER form: %v: %w", err, values.ErrInvalidArgument)
		}
		return []importObject{{clsPublic, []*p11.Attribute{
			p11.NewAttribute(p11.CKA_MODULUS, k.N.Bytes()),
			p11.NewAttribute(p11.CKA_PUBLIC_EXPONENT, big.NewInt(int64(k.E)).Bytes()),
		}}}, k.N.BitLen(), nil
	}
	return nil, 0, unsupportedType(t)
}

func curveForPrivate(bits, n int) (*curve, error) {
	for i := range curves {
		c := &curves[i]
		if n == c.size() && (bits == 0 || bits == c.bits) {
			return c, nil
		}
	}
	return nil, fmt.Errorf("%d bytes is not a SECP_R1 private key of a supported size (want 32, 48 or 66 bytes for 256, 384 or 521 bits): %w", n, values.ErrInvalidArgument)
}

func curveForPublic(bits, n int) (*curve, error) {
	for i := range curves {
		c := &curves[i]
		if n == 1+2*c.size() && (bits == 0 || bits == c.bits) {
			return c, nil
		}
	}
	return nil, fmt.Errorf("%d bytes is not an uncompressed SECP_R1 public key of a supported size (want 65, 97 or 133 bytes): %w", n, values.ErrInvalidArgument)
}

// ExportPublicKey is the "export_public_key" entry point.
func (d *Driver) ExportPublicKey(attrs values.Attributes, key, dst []byte) ([]byte, error) {
	r, err := parseContext(&attrs, key)
	if err != nil {
		return nil, err
	}
	if !attrs.Type.IsAsymmetric() {
		return nil, fmt.Errorf("pkcs11: export public key: a %v has no public key: %w", attrs.Type, values.ErrInvalidArgument)
	}
	return do(d, func(cl *call) ([]byte, error) { return cl.publicKey(&attrs, &r, dst) })
}

// publicKey appends the public key of r in its PSA export format.
func (cl *call) publicKey(attrs *values.Attributes, r *keyRef, dst []byte) ([]byte, error) {
	h, err := cl.object(r, clsPublic)
	if err != nil && attrs.Type.IsKeyPair() && r.ckk == p11.CKK_RSA {
		// A private RSA key object also holds the public key.
		h, err = cl.object(r, clsPrivate)
	}
	if err != nil {
		return nil, err
	}
	switch r.ckk {
	case p11.CKK_EC:
		c, err := curveBits(attrs.Bits)
		if err != nil {
			return nil, err
		}
		v, err := cl.attr(h, p11.CKA_EC_POINT)
		if err != nil {
			return nil, err
		}
		p, err := pointOf(v, c)
		if err != nil {
			return nil, err
		}
		return append(dst, p...), nil
	case p11.CKK_RSA:
		n, err := cl.attr(h, p11.CKA_MODULUS)
		if err != nil {
			return nil, err
		}
		e, err := cl.attr(h, p11.CKA_PUBLIC_EXPONENT)
		if err != nil {
			return nil, err
		}
		der, err := asn1.Marshal(struct{ N, E *big.Int }{new(big.Int).SetBytes(n), new(big.Int).SetBytes(e)})
		if err != nil {
			return nil, fmt.Errorf("pkcs11: encode RSA public key: %v: %w", err, values.ErrCorruptionDetected)
		}
		return append(dst, der...), nil
	}
	return nil, unsupportedType(attrs.Type)
}

// ExportKey is the "export_key" entry point. The token releases the key
// material only if the key was created with PSA_KEY_USAGE_EXPORT
// (CKA_EXTRACTABLE true, CKA_SENSITIVE false); otherwise it answers
// CKR_ATTRIBUTE_SENSITIVE, reported as PSA_ERROR_NOT_PERMITTED.
func (d *Driver) ExportKey(attrs values.Attributes, key, dst []byte) ([]byte, error) {
	r, err := parseContext(&attrs, key)
	if err != nil {
		return nil, err
	}
	if attrs.Type.IsPublicKey() {
		return do(d, func(cl *call) ([]byte, error) { return cl.publicKey(&attrs, &r, dst) })
	}
	return do(d, func(cl *call) ([]byte, error) {
		h, err := cl.object(&r, keyClass(attrs.Type))
		if err != nil {
			return nil, err
		}
		switch r.ckk {
		case p11.CKK_EC:
			c, err := curveBits(attrs.Bits)
			if err != nil {
				return nil, err
			}
			v, err := cl.attr(h, p11.CKA_VALUE)
			if err != nil {
				return nil, err
			}
			defer clear(v)
			if len(v) > c.size() {
				return nil, fmt.Errorf("pkcs11: the token's %d-byte EC private value is too long for secp%dr1: %w", len(v), c.bits, values.ErrCorruptionDetected)
			}
			dst = append(dst, make([]byte, c.size()-len(v))...)
			return append(dst, v...), nil
		case p11.CKK_RSA:
			return cl.rsaPrivate(h, dst)
		default:
			v, err := cl.attr(h, p11.CKA_VALUE)
			if err != nil {
				return nil, err
			}
			defer clear(v)
			return append(dst, v...), nil
		}
	})
}

// rsaPrivate appends the PKCS#1 RSAPrivateKey encoding of a private RSA
// key object.
func (cl *call) rsaPrivate(h p11.ObjectHandle, dst []byte) ([]byte, error) {
	types := []uint{p11.CKA_MODULUS, p11.CKA_PUBLIC_EXPONENT, p11.CKA_PRIVATE_EXPONENT, p11.CKA_PRIME_1,
		p11.CKA_PRIME_2, p11.CKA_EXPONENT_1, p11.CKA_EXPONENT_2, p11.CKA_COEFFICIENT}
	ints := make([]*big.Int, len(types))
	for i, t := range types {
		v, err := cl.attr(h, t)
		if err != nil {
			return nil, err
		}
		ints[i] = new(big.Int).SetBytes(v)
		clear(v)
	}
	der, err := asn1.Marshal(struct {
		Version                         int
		N, E, D, P, Q, Dp, Dq, Coeffcnt *big.Int
	}{0, ints[0], ints[1], ints[2], ints[3], ints[4], ints[5], ints[6], ints[7]})
	for _, n := range ints {
		n.SetInt64(0)
	}
	if err != nil {
		return nil, fmt.Errorf("pkcs11: encode RSA private key: %v: %w", err, values.ErrCorruptionDetected)
	}
	defer clear(der)
	return append(dst, der...), nil
}

// DestroyKey is the "destroy_key" entry point: it destroys every object
// of the key (both halves of a key pair). A key whose objects are already
// gone, or were never created, is destroyed without error.
func (d *Driver) DestroyKey(attrs values.Attributes, key []byte) error {
	r, err := parseContext(&attrs, key)
	if err != nil {
		return err
	}
	if r.byLabel {
		return fmt.Errorf("pkcs11: key 0x%08x is a built-in key, which the driver does not destroy: %w", uint32(attrs.ID), values.ErrNotPermitted)
	}
	_, err = do(d, func(cl *call) (struct{}, error) {
		tmpl := []*p11.Attribute{p11.NewAttribute(p11.CKA_TOKEN, r.token), p11.NewAttribute(p11.CKA_ID, r.name)}
		hs, err := cl.findObjects(tmpl)
		if err != nil {
			return struct{}{}, err
		}
		cl.c.forget(&r)
		for _, h := range hs {
			if err := cl.c.mod.DestroyObject(cl.s, h); err != nil {
				if rv, _ := ckr(err); rv == p11.CKR_OBJECT_HANDLE_INVALID {
					continue // destroyed meanwhile
				}
				return struct{}{}, opError("C_DestroyObject", noMech, err)
			}
		}
		return struct{}{}, nil
	})
	if err != nil {
		return fmt.Errorf("pkcs11: destroy key 0x%08x (%s): %w", uint32(attrs.ID), r.describe(), err)
	}
	return nil
}

// GetBuiltinKey is the "get_builtin_key" entry point. The slot number of a
// built-in key is its PSA key identifier (Config.BuiltinKeys); the key's
// type and size come from the object on the token, its policy from the
// configuration or, by default, from the object's attributes.
func (d *Driver) GetBuiltinKey(slot driver.SlotNumber, lifetime values.Lifetime, dst []byte) (values.Attributes, []byte, error) {
	var bk *BuiltinKey
	for i := range d.cfg.BuiltinKeys {
		if uint64(d.cfg.BuiltinKeys[i].ID) == uint64(slot) {
			bk = &d.cfg.BuiltinKeys[i]
		}
	}
	if bk == nil {
		return values.Attributes{}, nil, fmt.Errorf("pkcs11: no built-in key 0x%08x in the configuration: %w", uint64(slot), values.ErrDoesNotExist)
	}
	r := keyRef{token: true, name: bk.CKAID}
	if bk.Label != "" {
		r.byLabel, r.name = true, []byte(bk.Label)
	}
	type result struct {
		attrs values.Attributes
		key   []byte
	}
	res, err := do(d, func(cl *call) (result, error) {
		a, k, err := cl.builtin(bk, r, lifetime, dst)
		return result{a, k}, err
	})
	return res.attrs, res.key, err
}

func (cl *call) builtin(bk *BuiltinKey, r keyRef, lifetime values.Lifetime, dst []byte) (values.Attributes, []byte, error) {
	name := p11.NewAttribute(p11.CKA_ID, r.name)
	if r.byLabel {
		name = p11.NewAttribute(p11.CKA_LABEL, r.name)
	}
	var h p11.ObjectHandle
	cls := -1
	for _, c := range []int{clsPrivate, clsSecret, clsPublic} {
		hs, err := cl.findObjects([]*p11.Attribute{p11.NewAttribute(p11.CKA_CLASS, classes[c]), p11.NewAttribute(p11.CKA_TOKEN, true), name})
		if err != nil {
			return values.Attributes{}, nil, err
		}
		if len(hs) > 1 {
			return values.Attributes{}, nil, fmt.Errorf("pkcs11: built-in key 0x%08x: %d %s objects have %s: %w", uint32(bk.ID), len(hs), classNames[c], r.describe(), values.ErrDataInvalid)
		}
		if len(hs) == 1 {
			h, cls = hs[0], c
			break
		}
	}
	if cls < 0 {
		return values.Attributes{}, nil, fmt.Errorf("pkcs11: built-in key 0x%08x: no key object with %s on the token: %w", uint32(bk.ID), r.describe(), values.ErrDoesNotExist)
	}
	v, err := cl.attr(h, p11.CKA_KEY_TYPE)
	if err != nil {
		return values.Attributes{}, nil, err
	}
	r.ckk, _ = ulong(v)
	a := values.Attributes{Lifetime: lifetime, Usage: bk.Usage, Alg: bk.Alg, Alg2: bk.Alg2}
	switch r.ckk {
	case p11.CKK_EC:
		params, err := cl.attr(h, p11.CKA_EC_PARAMS)
		if err != nil {
			return values.Attributes{}, nil, err
		}
		var c *curve
		for i := range curves {
			if bytes.Equal(curves[i].oid, params) {
				c = &curves[i]
			}
		}
		if c == nil {
			return values.Attributes{}, nil, fmt.Errorf("pkcs11: built-in key 0x%08x: the EC key's curve (CKA_EC_PARAMS %x) is not supported (want P-256, P-384 or P-521 by OID): %w", uint32(bk.ID), params, values.ErrNotSupported)
		}
		a.Bits = c.bits
		a.Type = values.KeyTypeECCPublicKey(values.ECCFamilySECPR1)
		if cls == clsPrivate {
			a.Type = values.KeyTypeECCKeyPair(values.ECCFamilySECPR1)
		}
	case p11.CKK_RSA:
		n, err := cl.attr(h, p11.CKA_MODULUS)
		if err != nil {
			return values.Attributes{}, nil, err
		}
		a.Bits = new(big.Int).SetBytes(n).BitLen()
		a.Type = values.KeyTypeRSAPublicKey
		if cls == clsPrivate {
			a.Type = values.KeyTypeRSAKeyPair
		}
	case p11.CKK_AES, p11.CKK_GENERIC_SECRET, p11.CKK_SHA_1_HMAC, p11.CKK_SHA224_HMAC, p11.CKK_SHA256_HMAC, p11.CKK_SHA384_HMAC, p11.CKK_SHA512_HMAC:
		v, err := cl.attr(h, p11.CKA_VALUE_LEN)
		if err != nil {
			return values.Attributes{}, nil, err
		}
		n, _ := ulong(v)
		a.Bits = 8 * int(n)
		a.Type = values.KeyTypeHMAC
		if r.ckk == p11.CKK_AES {
			a.Type = values.KeyTypeAES
		}
	default:
		return values.Attributes{}, nil, fmt.Errorf("pkcs11: built-in key 0x%08x: PKCS#11 key type 0x%x is not supported (want CKK_EC, CKK_RSA, CKK_AES or an HMAC key): %w", uint32(bk.ID), r.ckk, values.ErrNotSupported)
	}
	if a.Usage == 0 {
		a.Usage = cl.usageOf(h, cls)
	}
	if a.Alg == 0 {
		a.Alg, a.Alg2 = defaultAlgs(r.ckk, a.Usage)
	}
	return a, appendContext(dst, r), nil
}

// usageOf derives a PSA usage policy from an object's attributes.
func (cl *call) usageOf(h p11.ObjectHandle, cls int) values.KeyUsage {
	var u values.KeyUsage
	if cls != clsPublic && cl.boolAttr(h, p11.CKA_SIGN) {
		u |= values.UsageSignHash | values.UsageSignMessage
		if cls == clsPrivate {
			u |= values.UsageVerifyHash | values.UsageVerifyMessage
		}
	}
	if cls != clsPrivate && cl.boolAttr(h, p11.CKA_VERIFY) {
		u |= values.UsageVerifyHash | values.UsageVerifyMessage
	}
	if cls != clsPrivate && cl.boolAttr(h, p11.CKA_ENCRYPT) {
		u |= values.UsageEncrypt
	}
	if cls != clsPublic && cl.boolAttr(h, p11.CKA_DECRYPT) {
		u |= values.UsageDecrypt
	}
	if cls != clsPublic && cl.boolAttr(h, p11.CKA_DERIVE) {
		u |= values.UsageDerive
	}
	if cls != clsPublic && cl.boolAttr(h, p11.CKA_EXTRACTABLE) && !cl.boolAttr(h, p11.CKA_SENSITIVE) {
		u |= values.UsageExport
	}
	return u
}

func defaultAlgs(ckk uint, u values.KeyUsage) (values.Algorithm, values.Algorithm) {
	sign := u&(values.UsageSignHash|values.UsageVerifyHash) != 0
	switch ckk {
	case p11.CKK_EC:
		switch {
		case sign && u&values.UsageDerive != 0:
			return values.AlgECDSA(values.AlgAnyHash), values.AlgECDH
		case sign:
			return values.AlgECDSA(values.AlgAnyHash), 0
		case u&values.UsageDerive != 0:
			return values.AlgECDH, 0
		}
	case p11.CKK_RSA:
		if sign {
			return values.AlgRSAPKCS1v15Sign(values.AlgAnyHash), values.AlgRSAPSS(values.AlgAnyHash)
		}
	}
	return 0, 0
}
