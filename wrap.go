package psa

// WrapKey wraps key with wrappingKey and the key-wrapping algorithm alg
// (AlgKW or AlgKWP), and appends the wrapped key to dst (psa_wrap_key).
// The data wrapped is the key in the export format of its type, as
// ExportKey gives it. The wrapping key needs UsageWrap and a policy that
// permits alg; the key to wrap needs UsageExport. On error dst is returned
// unchanged.
func (c *Crypto) WrapKey(wrappingKey KeyID, alg Algorithm, key KeyID, dst []byte) ([]byte, error) {
	return c.core.WrapKey(wrappingKey, alg, key, dst)
}

// UnwrapKey unwraps data with wrappingKey and alg, and creates a key from
// the result with the type, policy and lifetime of attrs, as ImportKey
// would (psa_unwrap_key). attrs.Bits may be 0; otherwise it must match the
// unwrapped key. The wrapping key needs UsageUnwrap and a policy that
// permits alg. Data that fails the integrity check is an error wrapping
// ErrInvalidSignature.
func (c *Crypto) UnwrapKey(attrs Attributes, wrappingKey KeyID, alg Algorithm, data []byte) (KeyID, error) {
	return c.core.UnwrapKey(attrs, wrappingKey, alg, data)
}
