package builtin

import (
	"fmt"
	"io"
	"math/big"
	"sync"

	"filippo.io/bigmod"

	"github.com/gopsa/psa/values"
)

// dhGroup is a finite-field Diffie-Hellman group with generator 2.
type dhGroup struct {
	name   string
	family values.DHFamily
	bits   int
	size   int // bytes of p
	p      *bigmod.Modulus
	pInt   *big.Int
}

var dhGroups = sync.OnceValue(func() []*dhGroup {
	var groups []*dhGroup
	add := func(name string, f values.DHFamily, hexPrime string) {
		p, ok := new(big.Int).SetString(hexPrime, 16)
		if !ok {
			panic("builtin: bad DH prime " + name)
		}
		m, err := bigmod.NewModulus(p.Bytes())
		if err != nil {
			panic("builtin: bad DH prime " + name)
		}
		groups = append(groups, &dhGroup{name: name, family: f, bits: p.BitLen(), size: m.Size(), p: m, pInt: p})
	}
	add("ffdhe2048", values.DHFamilyRFC7919, ffdhe2048Prime)
	add("ffdhe3072", values.DHFamilyRFC7919, ffdhe3072Prime)
	add("ffdhe4096", values.DHFamilyRFC7919, ffdhe4096Prime)
	add("ffdhe6144", values.DHFamilyRFC7919, ffdhe6144Prime)
	add("ffdhe8192", values.DHFamilyRFC7919, ffdhe8192Prime)
	add("MODP-2048", values.DHFamilyRFC3526, modp2048Prime)
	add("MODP-3072", values.DHFamilyRFC3526, modp3072Prime)
	add("MODP-4096", values.DHFamilyRFC3526, modp4096Prime)
	add("MODP-6144", values.DHFamilyRFC3526, modp6144Prime)
	add("MODP-8192", values.DHFamilyRFC3526, modp8192Prime)
	return groups
})

// dhFamilySizes are the group sizes that the specification defines.
var dhFamilySizes = map[values.DHFamily][]int{
	values.DHFamilyRFC7919: {2048, 3072, 4096, 6144, 8192},
	values.DHFamilyRFC3526: {2048, 3072, 4096, 6144, 8192},
}

func findDHGroup(op string, t values.KeyType, f values.DHFamily, bits int) (*dhGroup, error) {
	sizes, ok := dhFamilySizes[f]
	if !ok {
		return nil, fmt.Errorf("%s %v key: unknown Diffie-Hellman group family 0x%02x: %w", op, t, uint8(f), values.ErrNotSupported)
	}
	for _, g := range dhGroups() {
		if g.family == f && g.bits == bits {
			return g, nil
		}
	}
	return nil, fmt.Errorf("%s %v key: %d bits is not a group of this family (want one of %v): %w", op, t, bits, sizes, values.ErrNotSupported)
}

// dhGroupForData finds the group from the length of a key, or from
// attrs.Bits when it is set; both are the byte size of p.
func dhGroupForData(op string, attrs values.Attributes, n int) (*dhGroup, error) {
	t := attrs.Type
	bits := attrs.Bits
	if bits == 0 {
		bits = 8 * n
	}
	g, err := findDHGroup(op, t, t.DHFamily(), bits)
	if err != nil {
		if attrs.Bits == 0 {
			return nil, fmt.Errorf("%s %v key: %d bytes is not the size of a group of this family (want one of %v bits, as a big-endian string of the prime's length): %w", op, t, n, dhFamilySizes[t.DHFamily()], values.ErrInvalidArgument)
		}
		return nil, err
	}
	if g.size != n {
		return nil, fmt.Errorf("%s %v key: %d bytes is not a valid %s key (want %d, leading zeros included): %w", op, t, n, g.name, g.size, values.ErrInvalidArgument)
	}
	return g, nil
}

func importDH(attrs values.Attributes, data, dst []byte) ([]byte, int, error) {
	g, err := dhGroupForData("import", attrs, len(data))
	if err != nil {
		return nil, 0, err
	}
	if attrs.Type.IsKeyPair() {
		if err := g.checkPrivate(data); err != nil {
			return nil, 0, fmt.Errorf("import DH key pair: %w", err)
		}
	} else if err := g.checkPublic(data); err != nil {
		return nil, 0, fmt.Errorf("import DH public key: %w", err)
	}
	return append(dst, data...), g.bits, nil
}

// checkPrivate checks 1 ≤ x ≤ p-1, the range of the specification's
// private keys, in constant time.
func (g *dhGroup) checkPrivate(x []byte) error {
	k, err := bigmod.NewNat().SetBytes(x, g.p)
	if err != nil || k.IsZero() == 1 {
		return fmt.Errorf("the private value is not in [1, p-1] for %s: %w", g.name, values.ErrInvalidArgument)
	}
	return nil
}

// checkPublic checks 2 ≤ y ≤ p-2 (RFC 7919 §5.1, SP 800-56A §5.6.2.3.1):
// 0, 1 and p-1 would reveal or fix the shared secret.
func (g *dhGroup) checkPublic(y []byte) error {
	v := new(big.Int).SetBytes(y)
	max := new(big.Int).Sub(g.pInt, big.NewInt(2))
	if v.Cmp(big.NewInt(2)) < 0 || v.Cmp(max) > 0 {
		return fmt.Errorf("the public value is not in [2, p-2] for %s: %w", g.name, values.ErrInvalidArgument)
	}
	return nil
}

// publicKey appends y = 2^x mod p, big-endian, in the byte size of p.
func (g *dhGroup) publicKey(x, dst []byte) []byte {
	base := bigmod.NewNat().ExpandFor(g.p)
	base.Bits()[0] = 2
	y := bigmod.NewNat().Exp(base, x, g.p)
	return append(dst, y.Bytes(g.p)...)
}

func exportPublicDH(attrs values.Attributes, key, dst []byte) ([]byte, error) {
	g, err := dhGroupForData("export public", attrs, len(key))
	if err != nil {
		return nil, err
	}
	if err := g.checkPrivate(key); err != nil {
		return nil, fmt.Errorf("export DH public key: %w", err)
	}
	return g.publicKey(key, dst), nil
}

func produceDH(op string, attrs values.Attributes, r io.Reader, dst []byte) ([]byte, error) {
	t := attrs.Type
	g, err := findDHGroup(op, t, t.DHFamily(), attrs.Bits)
	if err != nil {
		return nil, err
	}
	return appendScalar(r, g.p, dst)
}
