//go:build gopsa_no_builtin_ecc

package builtin

import (
	"crypto/elliptic"
	"fmt"
	"io"

	"filippo.io/bigmod"

	"github.com/gopsa/psa/internal/weierstrass"
	"github.com/gopsa/psa/values"
)

// This file replaces keys_ecc.go, sign_ecdsa.go and sign_eddsa.go in
// builds with -tags gopsa_no_builtin_ecc: every ECC request answers
// ErrNotSupported, so that an ECC driver must provide ECC.

type curveKind int

const (
	weierstrassCurve curveKind = iota
	montgomeryCurve
	edwardsCurve
)

type eccCurve struct {
	name     string
	family   values.ECCFamily
	bits     int
	kind     curveKind
	privSize int
	pubSize  int
	nist     elliptic.Curve
	order    func() *bigmod.Modulus
}

func errNoECC(op string) error {
	return fmt.Errorf("%s: elliptic-curve cryptography is not built in (gopsa_no_builtin_ecc): %w", op, values.ErrNotSupported)
}

func findCurve(op string, t values.KeyType, f values.ECCFamily, bits int) (*eccCurve, error) {
	return nil, errNoECC(op)
}

func curveForData(op string, attrs values.Attributes, f values.ECCFamily, n int, size func(*eccCurve) int, what string) (*eccCurve, error) {
	return nil, errNoECC(op)
}

func importECC(attrs values.Attributes, data, dst []byte) ([]byte, int, error) {
	return nil, 0, errNoECC("import")
}

func exportPublicECC(attrs values.Attributes, key, dst []byte) ([]byte, error) {
	return nil, errNoECC("export public key")
}

func produceECC(op string, attrs values.Attributes, r io.Reader, dst []byte) ([]byte, error) {
	return nil, errNoECC(op)
}

func (c *eccCurve) arithmetic() *weierstrass.Curve          { return nil }
func (c *eccCurve) checkScalar(d []byte) error              { return errNoECC("check key") }
func (c *eccCurve) checkPublic(p []byte) error              { return errNoECC("check key") }
func (c *eccCurve) publicKey(d, dst []byte) ([]byte, error) { return nil, errNoECC("public key") }

type ecdsaKey struct{}

func parseECDSAKey(op string, attrs values.Attributes, alg values.Algorithm, key []byte) (*ecdsaKey, error) {
	return nil, errNoECC(op)
}

func (k *ecdsaKey) sign(rand io.Reader, alg values.Algorithm, h *pkHash, digest, dst []byte) ([]byte, error) {
	return nil, errNoECC("sign")
}

func (k *ecdsaKey) verify(alg values.Algorithm, digest, sig []byte) error { return errNoECC("verify") }

type eddsaKey struct{}

func parseEdDSAKey(op string, attrs values.Attributes, alg values.Algorithm, key []byte) (*eddsaKey, error) {
	return nil, errNoECC(op)
}

func (k *eddsaKey) sign(alg values.Algorithm, in, ctx, dst []byte) ([]byte, error) {
	return nil, errNoECC("sign")
}

func (k *eddsaKey) verify(alg values.Algorithm, in, ctx, sig []byte) error { return errNoECC("verify") }
