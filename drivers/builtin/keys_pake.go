package builtin

import (
	"fmt"
	"io"

	"filippo.io/bigmod"

	"github.com/gopsa/psa/values"
)

// SPAKE2+ keys (w0 || w1 and w0 || L) and WPA3-SAE password tokens, over
// the Weierstrass curves of keys_ecc.go. SPAKE2+ over the Edwards curves
// is not supported: the specification's "standard formats" for Edwards
// keys are seeds, not the scalars SPAKE2+ needs.

// spake2pCurve finds the Weierstrass curve of a SPAKE2+ key whose two
// halves are each half of n bytes (key pair: two scalars; public key: a
// scalar and a point).
func spake2pCurve(op string, attrs values.Attributes, n int) (*eccCurve, error) {
	t := attrs.Type
	f := t.SPAKE2PFamily()
	size := func(c *eccCurve) int {
		if t.IsKeyPair() {
			return 2 * c.privSize
		}
		return c.privSize + c.pubSize
	}
	c, err := curveForData(op, attrs, f, n, size, "SPAKE2+ key")
	if err != nil {
		return nil, err
	}
	if c.kind != weierstrassCurve {
		return nil, fmt.Errorf("%s %v key: SPAKE2+ over %s is not supported by the builtin driver: %w", op, t, c.name, values.ErrNotSupported)
	}
	return c, nil
}

func importSPAKE2P(attrs values.Attributes, data, dst []byte) ([]byte, int, error) {
	c, err := spake2pCurve("import", attrs, len(data))
	if err != nil {
		return nil, 0, err
	}
	w0 := data[:c.privSize]
	if err := c.checkScalar(w0); err != nil {
		return nil, 0, fmt.Errorf("import SPAKE2+ key: w0: %w", err)
	}
	if attrs.Type.IsKeyPair() {
		if err := c.checkScalar(data[c.privSize:]); err != nil {
			return nil, 0, fmt.Errorf("import SPAKE2+ key: w1: %w", err)
		}
	} else if err := c.checkPublic(data[c.privSize:]); err != nil {
		return nil, 0, fmt.Errorf("import SPAKE2+ key: L: %w", err)
	}
	return append(dst, data...), c.bits, nil
}

// exportPublicSPAKE2P appends w0 || L with L = w1·G (RFC 9383 §3.2).
func exportPublicSPAKE2P(attrs values.Attributes, key, dst []byte) ([]byte, error) {
	c, err := spake2pCurve("export public", attrs, len(key))
	if err != nil {
		return nil, err
	}
	out := append(dst, key[:c.privSize]...)
	out, err = c.publicKey(key[c.privSize:], out)
	if err != nil {
		return nil, fmt.Errorf("export SPAKE2+ public key: %w", err)
	}
	return out, nil
}

// produceSPAKE2P follows the SPAKE2+ registration (RFC 9383 §3.2, as the
// specification's key derivation section gives it): draw w0s and w1s of
// ⌈log2(n)/8⌉ + 8 bytes each and reduce them modulo the group order n, in
// constant time.
func produceSPAKE2P(op string, attrs values.Attributes, r io.Reader, dst []byte) ([]byte, error) {
	t := attrs.Type
	c, err := findCurve(op, t, t.SPAKE2PFamily(), attrs.Bits)
	if err != nil {
		return nil, err
	}
	if c.kind != weierstrassCurve {
		return nil, fmt.Errorf("%s %v key: SPAKE2+ over %s is not supported by the builtin driver: %w", op, t, c.name, values.ErrNotSupported)
	}
	n := c.order()
	l := n.Size() + 8
	// A modulus above every l-byte value, so that SetBytes accepts any
	// draw; Mod then reduces it modulo n.
	wide := make([]byte, l+1)
	wide[0], wide[l] = 1, 1
	big, err := bigmod.NewModulus(wide)
	if err != nil {
		return nil, fmt.Errorf("%s SPAKE2+ key: %v: %w", op, err, values.ErrCorruptionDetected)
	}
	buf := make([]byte, l)
	defer wipe(buf)
	out := dst
	for i := 0; i < 2; i++ {
		if err := readFull(r, buf); err != nil {
			return nil, err
		}
		ws, _ := bigmod.NewNat().SetBytes(buf, big)
		w := bigmod.NewNat().Mod(ws, n)
		if w.IsZero() == 1 {
			// Probability 2^-(8·size): the draw cannot make a key.
			return nil, fmt.Errorf("%s SPAKE2+ key: w%d reduced to zero: %w", op, i, values.ErrGenericError)
		}
		b := w.Bytes(n)
		out = append(out, b...)
		wipe(b)
	}
	return out, nil
}

func importWPA3SAE(attrs values.Attributes, data, dst []byte) ([]byte, int, error) {
	t := attrs.Type
	if t.IsWPA3SAEDH() {
		a := attrs
		a.Type = values.KeyTypeDHPublicKey(t.WPA3SAEDHFamily())
		g, err := dhGroupForData("import", a, len(data))
		if err != nil {
			return nil, 0, fmt.Errorf("import %v token: %w", t, err)
		}
		// The token is a group element y in [1, p-1].
		if err := g.checkPrivate(data); err != nil {
			return nil, 0, fmt.Errorf("import %v token: the element is not in [1, p-1] for %s: %w", t, g.name, values.ErrInvalidArgument)
		}
		return append(dst, data...), g.bits, nil
	}
	// x || y, each ⌈m/8⌉ bytes: the uncompressed point without its 0x04.
	c, err := curveForData("import", attrs, t.WPA3SAEECCFamily(), len(data), func(c *eccCurve) int { return c.pubSize - 1 }, "WPA3-SAE token")
	if err != nil {
		return nil, 0, err
	}
	if c.kind != weierstrassCurve {
		return nil, 0, fmt.Errorf("import %v token: WPA3-SAE over %s is not defined: %w", t, c.name, values.ErrNotSupported)
	}
	pt := make([]byte, 0, c.pubSize)
	pt = append(append(pt, 4), data...)
	if err := c.checkPublic(pt); err != nil {
		return nil, 0, fmt.Errorf("import %v token: %w", t, err)
	}
	return append(dst, data...), c.bits, nil
}
