package psa

import "github.com/gopsa/psa/driver"

// KeyAttributes returns the attributes of key id (psa_get_key_attributes).
func (c *Crypto) KeyAttributes(id KeyID) (Attributes, error) {
	return c.core.Attributes(id)
}

// ImportKey creates a key from data in the export format of attrs.Type
// (psa_import_key). attrs.Bits may be 0 to take the size from the data.
// For a volatile key (the default lifetime) leave attrs.ID zero; the
// returned identifier is allocated. For a persistent key, set attrs.ID and
// attrs.Lifetime.
func (c *Crypto) ImportKey(attrs Attributes, data []byte) (KeyID, error) {
	return c.core.Import(attrs, data)
}

// GenerateKey creates a random key of type attrs.Type and size attrs.Bits
// (psa_generate_key).
func (c *Crypto) GenerateKey(attrs Attributes) (KeyID, error) {
	return c.core.Generate(attrs, driver.ProductionParameters{})
}

// GenerateKeyCustom is GenerateKey with custom production parameters
// (psa_generate_key_custom): for an RSA key pair, data is the public
// exponent in big-endian order.
func (c *Crypto) GenerateKeyCustom(attrs Attributes, flags uint32, data []byte) (KeyID, error) {
	return c.core.Generate(attrs, driver.ProductionParameters{Flags: flags, Data: data})
}

// ExportKey appends the key material of id, in the export format of its
// type, to dst (psa_export_key). The key needs UsageExport, unless it is a
// public key.
func (c *Crypto) ExportKey(id KeyID, dst []byte) ([]byte, error) { return c.core.Export(id, dst) }

// ExportPublicKey appends the public key of an asymmetric key to dst
// (psa_export_public_key).
func (c *Crypto) ExportPublicKey(id KeyID, dst []byte) ([]byte, error) {
	return c.core.ExportPublic(id, dst)
}

// CopyKey copies key src to a new key whose lifetime and identifier are
// those of attrs and whose policy is the intersection of attrs's and the
// source's (psa_copy_key). The source needs UsageCopy.
func (c *Crypto) CopyKey(src KeyID, attrs Attributes) (KeyID, error) { return c.core.Copy(src, attrs) }

// DestroyKey destroys a key: in memory, in the key store and in a secure
// element (psa_destroy_key). The core's copy of the key material is wiped
// as soon as no operation uses it.
func (c *Crypto) DestroyKey(id KeyID) error { return c.core.Destroy(id) }

// PurgeKey removes a persistent key from memory; it stays in the key store
// (psa_purge_key).
func (c *Crypto) PurgeKey(id KeyID) error { return c.core.Purge(id) }

// PersistentKeys lists the identifiers of the persistent keys in the key
// store, in increasing order.
func (c *Crypto) PersistentKeys() ([]KeyID, error) { return c.core.PersistentKeys() }
