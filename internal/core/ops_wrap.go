package core

import (
	"fmt"

	"github.com/gopsa/psa/values"
)

func wrapCheckAlg(what string, alg values.Algorithm) error {
	if !alg.IsKeyWrap() {
		return fmt.Errorf("%s: %v is not a key-wrapping algorithm: %w", what, alg, values.ErrInvalidArgument)
	}
	return nil
}

// WrapKey wraps key id with wrappingKey and appends the result to dst
// (psa_wrap_key). The wrapping key needs UsageWrap and must permit alg; the
// key to wrap needs UsageExport (a public key too: wrapping is an export
// that the policy must allow). The key data is the export format of its
// type, as psa_export_key gives it. On error dst is returned unchanged.
func (c *Core) WrapKey(wrappingKey values.KeyID, alg values.Algorithm, id values.KeyID, dst []byte) ([]byte, error) {
	const what = "wrap key"
	if err := wrapCheckAlg(what, alg); err != nil {
		return dst, err
	}
	w, err := c.Use(wrappingKey, values.UsageWrap, alg)
	if err != nil {
		return dst, fmt.Errorf("%s: wrapping key: %w", what, err)
	}
	defer c.Release(w)
	k, err := c.Use(id, values.UsageExport, 0)
	if err != nil {
		return dst, fmt.Errorf("%s: key to wrap: %w", what, err)
	}
	defer c.Release(k)
	data := k.Key
	if opaque(&k.Attrs) {
		data, err = c.disp.ExportKey(k.Attrs, k.Key, nil)
		if err != nil {
			return dst, fmt.Errorf("%s: export key 0x%08x from location 0x%06x: %w",
				what, uint32(id), uint32(k.Attrs.Lifetime.Location()), err)
		}
		defer clear(data)
	}
	out, err := c.disp.WrapKey(w.Attrs, w.Key, alg, data, dst)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// UnwrapKey unwraps data with wrappingKey and creates a key with attrs
// from the result (psa_unwrap_key), as Import would from the plain key
// data. The wrapping key needs UsageUnwrap and must permit alg. Data that
// fails the integrity check is ErrInvalidSignature.
func (c *Core) UnwrapKey(attrs values.Attributes, wrappingKey values.KeyID, alg values.Algorithm, data []byte) (values.KeyID, error) {
	const what = "unwrap key"
	if err := wrapCheckAlg(what, alg); err != nil {
		return 0, err
	}
	w, err := c.Use(wrappingKey, values.UsageUnwrap, alg)
	if err != nil {
		return 0, fmt.Errorf("%s: wrapping key: %w", what, err)
	}
	plain, err := c.disp.UnwrapKey(w.Attrs, w.Key, alg, data, nil)
	c.Release(w)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	defer clear(plain)
	if len(plain) == 0 {
		// The specification: reject a key whose determined size is 0.
		return 0, fmt.Errorf("%s: the wrapped key data is empty: %w", what, values.ErrInvalidArgument)
	}
	return c.ImportAs(what, attrs, plain)
}
