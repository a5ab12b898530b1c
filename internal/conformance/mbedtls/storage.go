package mbedtls

import (
	"github.com/gopsa/psa"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/internal/keyfile"
	"github.com/gopsa/psa/storage"
	"github.com/gopsa/psa/values"
)

// Ports of test_suite_psa_crypto_storage_format.function and
// test_suite_psa_crypto_persistent_key.function: the key file format of
// the Mbed TLS storage specification, which gopsa keeps byte for byte so
// that key stores move between the two.

// Flags of key_storage_read.
const (
	flagExercise     = 1 << 0
	flagReadOnly     = 1 << 1
	flagOversizedKey = 1 << 2
)

// storageAttrs decodes the attributes that the storage format functions
// take first: lifetime, type, bits, usage, alg, alg2, for key id 1. As
// psa_set_key_usage_flags does in C, the usage gets its implied flags: a
// key file of an older version may lack them, and the key must have them
// once loaded.
func storageAttrs(a suite.Args) psa.Attributes {
	var attrs psa.Attributes
	setLifetime(&attrs, values.Lifetime(a.Uint32(0)))
	setID(&attrs, 1)
	attrs.Type, attrs.Bits, attrs.Usage = keyType(a, 1), a.Int(2), updateUsage(values.KeyUsage(a.Uint32(3)))
	attrs.Alg, attrs.Alg2 = alg(a, 4), alg(a, 5)
	return attrs
}

// keyStorageSave creates a persistent key and checks the exact bytes of its
// key file (forward compatibility: a later version must read them).
func (h *harness) keyStorageSave(t *suite.T, a suite.Args) {
	in := h.newInstance(t)
	attrs := storageAttrs(a)
	id, err := in.c.ImportKey(attrs, a.Bytes(6))
	must(t, "import "+describe(attrs), err)
	equal(t, "key id", id, attrs.ID)
	uid, err := keyfile.UID(id)
	must(t, "uid of the key file", err)
	file, err := storage.ReadAll(in.store, uid)
	must(t, "read the key file", err)
	equalBytes(t, "key file", file, a.Bytes(7))
}

// keyStorageRead writes a key file of an earlier version and checks that
// the key it holds has the expected attributes and material, and works
// (backward compatibility).
func (h *harness) keyStorageRead(t *suite.T, a suite.Args) {
	in := h.newInstance(t)
	want := storageAttrs(a)
	material, file, flags := a.Bytes(6), a.Bytes(7), a.Int(8)
	if flags&flagOversizedKey != 0 {
		t.Skipf(suite.SkipCOnly, "TEST_FLAG_OVERSIZED_KEY tests the C static key slot buffers")
	}
	id := want.ID
	must(t, "write the key file", in.store.Set(storage.UID(id), file, 0))

	got, err := in.c.KeyAttributes(id)
	must(t, "get attributes", err)
	equal(t, "key id", got.ID, id)
	equal(t, "lifetime", got.Lifetime, want.Lifetime)
	equal(t, "type", got.Type, want.Type)
	equal(t, "bits", got.Bits, want.Bits)
	equal(t, "usage", got.Usage, want.Usage)
	equal(t, "algorithm", got.Alg, want.Alg)
	equal(t, "enrolment algorithm", got.Alg2, want.Alg2)
	if want.Usage&values.UsageExport != 0 || want.Type.IsPublicKey() {
		out, err := in.c.ExportKey(id, nil)
		must(t, "export", err)
		equalBytes(t, "exported key", out, material)
	}
	var later *pending
	if flags&flagExercise != 0 {
		later = exerciseKey(t, in.c, id, want.Usage, want.Alg)
	}
	if flags&flagReadOnly != 0 {
		wantStatus(t, "destroy a read-only key", in.c.DestroyKey(id), values.ErrNotPermitted)
	} else {
		must(t, "destroy", in.c.DestroyKey(id))
		_, err := in.store.Info(storage.UID(id))
		wantStatus(t, "key file after destroy", err, values.ErrDoesNotExist)
	}
	skipIfPending(t, later)
}

// formatStorageDataCheck maps psa_format_key_data_for_storage to
// keyfile.Encode.
func formatStorageDataCheck(t *suite.T, a suite.Args) {
	k := keyfile.Key{
		Lifetime: values.Lifetime(a.Uint32(2)), Type: keyType(a, 3), Bits: values.KeyBits(a.Uint32(4)),
		Usage: values.KeyUsage(a.Uint32(5)), Alg: alg(a, 6), Alg2: alg(a, 7), Material: a.Bytes(0),
	}
	file, err := keyfile.Encode(&k)
	must(t, "encode", err)
	equalBytes(t, "key file", file, a.Bytes(1))
}

// parseStorageDataCheck maps psa_parse_key_data_from_storage to
// keyfile.Decode.
func parseStorageDataCheck(t *suite.T, a suite.Args) {
	k, err := keyfile.Decode(a.Bytes(0))
	wantStatus(t, "decode", err, values.Status(a.Int(8)))
	if err != nil {
		return
	}
	equal(t, "lifetime", k.Lifetime, values.Lifetime(a.Uint32(2)))
	equal(t, "type", k.Type, keyType(a, 3))
	equal(t, "bits", k.Bits, values.KeyBits(a.Uint32(4)))
	equal(t, "usage", k.Usage, values.KeyUsage(a.Uint32(5)))
	equal(t, "algorithm", k.Alg, alg(a, 6))
	equal(t, "enrolment algorithm", k.Alg2, alg(a, 7))
	equalBytes(t, "material", k.Material, a.Bytes(1))
}

func (h *harness) saveLargePersistentKey(t *suite.T, a suite.Args) {
	in := h.newInstance(t)
	var attrs psa.Attributes
	setID(&attrs, 42)
	attrs.Type = values.KeyTypeRawData
	id, err := in.c.ImportKey(attrs, make([]byte, a.Int(0)))
	wantStatus(t, "import", err, values.Status(a.Int(1)))
	if err == nil {
		must(t, "destroy", in.c.DestroyKey(id))
	}
}

func (h *harness) persistentKeyDestroy(t *suite.T, a suite.Args) {
	in := h.newInstance(t)
	id := values.KeyID(a.Uint32(1))
	var attrs psa.Attributes
	setID(&attrs, id)
	attrs.Type = keyType(a, 3)
	_, err := in.c.ImportKey(attrs, a.Bytes(4))
	must(t, "import", err)
	if a.Int(2) != 0 {
		must(t, "purge", in.c.PurgeKey(id))
		in.restart()
	}
	check(t, in.inStorage(id), "key %#x is not in storage", uint32(id))
	must(t, "destroy", in.c.DestroyKey(id))
	check(t, !in.inStorage(id), "key %#x is still in storage after destroy", uint32(id))
	in.restart()
	setID(&attrs, id)
	attrs.Type = keyType(a, 5)
	_, err = in.c.ImportKey(attrs, a.Bytes(6))
	must(t, "import a second key with the same id", err)
	must(t, "destroy the second key", in.c.DestroyKey(id))
}

func (h *harness) persistentKeyImport(t *suite.T, a suite.Args) {
	in := h.newInstance(t)
	id, kt := values.KeyID(a.Uint32(1)), keyType(a, 2)
	var attrs psa.Attributes
	setID(&attrs, id)
	attrs.Type = kt
	got, err := in.c.ImportKey(attrs, a.Bytes(3))
	wantStatus(t, "import", err, values.Status(a.Int(5)))
	if err != nil {
		equal(t, "returned key id", got, values.KeyIDNull)
		check(t, !in.inStorage(id), "a failed import left key %#x in storage", uint32(id))
		return
	}
	equal(t, "returned key id", got, id)
	if a.Int(4) != 0 {
		must(t, "purge", in.c.PurgeKey(id))
		in.restart()
	}
	ka, err := in.c.KeyAttributes(id)
	must(t, "get attributes", err)
	equal(t, "key id", ka.ID, id)
	equal(t, "lifetime", ka.Lifetime, values.LifetimePersistent)
	equal(t, "type", ka.Type, kt)
	equal(t, "usage", ka.Usage, values.KeyUsage(0))
	equal(t, "algorithm", ka.Alg, values.AlgNone)
	must(t, "destroy", in.c.DestroyKey(id))
}

func (h *harness) importExportPersistentKey(t *suite.T, a suite.Args) {
	in := h.newInstance(t)
	const id values.KeyID = 42
	data, kt, bits := a.Bytes(0), keyType(a, 1), a.Int(2)
	var attrs psa.Attributes
	setID(&attrs, id)
	attrs.Type, attrs.Usage = kt, values.UsageExport
	_, err := in.c.ImportKey(attrs, data)
	must(t, "import", err)
	if a.Int(3) != 0 {
		must(t, "purge", in.c.PurgeKey(id))
		in.restart()
	}
	got, err := in.c.KeyAttributes(id)
	must(t, "get attributes", err)
	equal(t, "key id", got.ID, id)
	equal(t, "lifetime", got.Lifetime, values.LifetimePersistent)
	equal(t, "type", got.Type, kt)
	equal(t, "bits", got.Bits, bits)
	equal(t, "usage", got.Usage, values.UsageExport)
	equal(t, "algorithm", got.Alg, values.AlgNone)
	check(t, in.inStorage(id), "key %#x is not in storage", uint32(id))
	if a.Int(4) != 0 {
		// The key stays usable from memory when its file disappears.
		in.removeFromStorage(id)
	}
	out, err := in.c.ExportKey(id, nil)
	must(t, "export", err)
	equalBytes(t, "exported key", out, data)
	must(t, "destroy", in.c.DestroyKey(id))
	check(t, !in.inStorage(id), "key %#x is still in storage after destroy", uint32(id))
}

func (h *harness) destroyNonexistent(t *suite.T, a suite.Args) {
	in := h.newInstance(t)
	wantStatus(t, "destroy", in.c.DestroyKey(values.KeyID(a.Uint32(0))), values.Status(a.Int(1)))
}
