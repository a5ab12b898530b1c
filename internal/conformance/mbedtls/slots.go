package mbedtls

import (
	"github.com/gopsa/psa"
	"github.com/gopsa/psa/internal/conformance/suite"
	"github.com/gopsa/psa/values"
)

// Ports of test_suite_psa_crypto_slot_management.function: key lifecycles
// across destroy, purge and restart, creation failures and copies between
// lifetimes. Restarting is closing the instance and opening another on the
// same key store, gopsa's psa_crypto_free and psa_crypto_init.

// Invalidation methods and reopen policies of the slot management suite.
const (
	invalidateByDestroying = iota
	invalidateByPurging
	invalidateByShutdown
	invalidateByDestroyingWithShutdown
	invalidateByPurgingWithShutdown
)

const (
	keepOpen = iota
	purgeBefore
	purgeAfter
)

var slotSymbols = map[string]int64{
	"INVALIDATE_BY_DESTROYING":               invalidateByDestroying,
	"INVALIDATE_BY_PURGING":                  invalidateByPurging,
	"INVALIDATE_BY_SHUTDOWN":                 invalidateByShutdown,
	"INVALIDATE_BY_DESTROYING_WITH_SHUTDOWN": invalidateByDestroyingWithShutdown,
	"INVALIDATE_BY_PURGING_WITH_SHUTDOWN":    invalidateByPurgingWithShutdown,
	"KEEP_OPEN":                              keepOpen,
	"PURGE_BEFORE":                           purgeBefore,
	"PURGE_AFTER":                            purgeAfter,
}

// invalidate is invalidate_key then invalidate_psa.
func (in *instance) invalidate(t *suite.T, method int, id values.KeyID) {
	t.Helper()
	switch method {
	case invalidateByDestroying, invalidateByDestroyingWithShutdown:
		must(t, "destroy", in.c.DestroyKey(id))
	case invalidateByPurging, invalidateByPurgingWithShutdown:
		must(t, "purge", in.c.PurgeKey(id))
	case invalidateByShutdown:
	default:
		t.Fatalf("unknown invalidation method %d", method)
	}
	switch method {
	case invalidateByShutdown, invalidateByDestroyingWithShutdown, invalidateByPurgingWithShutdown:
		in.restart()
	}
}

func (h *harness) transientSlotLifecycle(t *suite.T, a suite.Args) {
	in := h.newInstance(t)
	kt := keyType(a, 3)
	attrs := psa.Attributes{Usage: values.KeyUsage(a.Uint32(1)), Alg: alg(a, 2), Type: kt}
	id, err := in.c.ImportKey(attrs, a.Bytes(4))
	must(t, "import", err)
	check(t, id != values.KeyIDNull, "import returned the null key id")
	got, err := in.c.KeyAttributes(id)
	must(t, "get attributes", err)
	equal(t, "type", got.Type, kt)
	// Purging a volatile key does not destroy it.
	must(t, "purge", in.c.PurgeKey(id))
	got, err = in.c.KeyAttributes(id)
	must(t, "get attributes after purge", err)
	equal(t, "type after purge", got.Type, kt)
	t.Step(2)
	in.invalidate(t, a.Int(5), id)
	_, err = in.c.KeyAttributes(id)
	wantStatus(t, "get attributes of the invalidated key", err, values.ErrInvalidHandle)
}

func (h *harness) persistentSlotLifecycle(t *suite.T, a suite.Args) {
	in := h.newInstance(t)
	lt, id := values.Lifetime(a.Uint32(0)), values.KeyID(a.Uint32(2))
	usage, data := values.KeyUsage(a.Uint32(3)), a.Bytes(7)
	var attrs psa.Attributes
	setID(&attrs, id)
	setLifetime(&attrs, lt)
	attrs.Type, attrs.Usage, attrs.Alg, attrs.Alg2 = keyType(a, 6), usage, alg(a, 4), alg(a, 5)
	returned, err := in.c.ImportKey(attrs, data)
	must(t, "import "+describe(attrs), err)
	equal(t, "returned key id", returned, id)
	var got psa.Attributes
	for range 2 {
		got, err = in.c.KeyAttributes(id)
		must(t, "get attributes", err)
		equal(t, "lifetime", got.Lifetime, lt)
		equal(t, "key id", got.ID, id)
		equal(t, "usage", got.Usage, updateUsage(usage))
		equal(t, "algorithm", got.Alg, attrs.Alg)
		equal(t, "enrolment algorithm", got.Alg2, attrs.Alg2)
		equal(t, "type", got.Type, attrs.Type)
	}
	t.Step(2)
	method := a.Int(8)
	t.Cleanup(func() { in.c.DestroyKey(id) })
	in.invalidate(t, method, id)
	switch method {
	case invalidateByDestroying, invalidateByDestroyingWithShutdown:
		_, err := in.c.KeyAttributes(id)
		wantStatus(t, "get attributes of the destroyed key", err, values.ErrInvalidHandle)
		return
	}
	read, err := in.c.KeyAttributes(id)
	must(t, "get attributes again", err)
	equal(t, "attributes read again", read, got)
	out, err := in.c.ExportKey(id, nil)
	if usage&values.UsageExport != 0 {
		must(t, "export", err)
		equalBytes(t, "exported key", out, data)
	} else {
		wantStatus(t, "export without USAGE_EXPORT", err, values.ErrNotPermitted)
	}
}

func (h *harness) createExistent(t *suite.T, a suite.Args) {
	in := h.newInstance(t)
	lt, id, policy := values.Lifetime(a.Uint32(0)), values.KeyID(a.Uint32(2)), a.Int(3)
	material1, material2 := []byte("a key"), []byte("b key")
	var attrs psa.Attributes
	setID(&attrs, id)
	setLifetime(&attrs, lt)
	attrs.Type, attrs.Usage = values.KeyTypeRawData, values.UsageExport
	returned, err := in.c.ImportKey(attrs, material1)
	must(t, "import", err)
	equal(t, "returned key id", returned, id)
	t.Cleanup(func() { in.c.DestroyKey(id) })
	if policy == purgeBefore {
		must(t, "purge", in.c.PurgeKey(id))
	}
	returned, err = in.c.ImportKey(attrs, material2)
	wantStatus(t, "import over an existing key", err, values.ErrAlreadyExists)
	equal(t, "returned key id", returned, values.KeyIDNull)
	if policy == purgeAfter {
		must(t, "purge", in.c.PurgeKey(id))
	}
	got, err := in.c.KeyAttributes(id)
	must(t, "get attributes", err)
	equal(t, "key id", got.ID, id)
	equal(t, "lifetime", got.Lifetime, lt)
	equal(t, "type", got.Type, values.KeyTypeRawData)
	equal(t, "bits", got.Bits, values.BytesToBits(len(material1)))
	equal(t, "usage", got.Usage, values.UsageExport)
	equal(t, "algorithm", got.Alg, values.AlgNone)
	out, err := in.c.ExportKey(id, nil)
	must(t, "export", err)
	equalBytes(t, "exported key", out, material1)
}

func (h *harness) createFail(t *suite.T, a suite.Args) {
	in := h.newInstance(t)
	lt, id := values.Lifetime(a.Uint32(0)), values.KeyID(a.Uint32(1))
	var attrs psa.Attributes
	setLifetime(&attrs, lt)
	if lt.IsVolatile() {
		attrs.ID = id // what psa_set_key_id cannot do: an id with a volatile lifetime
	} else {
		setID(&attrs, id)
	}
	attrs.Type = values.KeyTypeRawData
	returned, err := in.c.ImportKey(attrs, []byte{'k'})
	wantStatus(t, "import "+describe(attrs), err, values.Status(a.Int(2)))
	equal(t, "returned key id", returned, values.KeyIDNull)
}

func (h *harness) copyAcrossLifetimes(t *suite.T, a suite.Args) {
	in := h.newInstance(t)
	var src psa.Attributes
	setID(&src, values.KeyID(a.Uint32(2)))
	setLifetime(&src, values.Lifetime(a.Uint32(0)))
	src.Type, src.Usage, src.Alg, src.Alg2 = keyType(a, 6), values.KeyUsage(a.Uint32(3)), alg(a, 4), alg(a, 5)
	material := a.Bytes(7)
	srcID, err := in.c.ImportKey(src, material)
	must(t, "import the source "+describe(src), err)
	src, err = in.c.KeyAttributes(srcID)
	must(t, "get the source's attributes", err)

	targetLifetime, targetID := values.Lifetime(a.Uint32(8)), values.KeyID(a.Uint32(10))
	var target psa.Attributes
	setID(&target, targetID)
	setLifetime(&target, targetLifetime)
	target.Usage, target.Alg, target.Alg2 = values.KeyUsage(a.Uint32(11)), alg(a, 12), alg(a, 13)
	wantUsage, wantAlg, wantAlg2 := values.KeyUsage(a.Uint32(14)), alg(a, 15), alg(a, 16)

	copied, err := in.c.CopyKey(srcID, target)
	must(t, "copy to "+describe(target), err)
	t.Cleanup(func() { in.c.DestroyKey(copied) })
	must(t, "destroy the source", in.c.DestroyKey(srcID))
	if !targetLifetime.IsVolatile() {
		in.restart()
	}
	got, err := in.c.KeyAttributes(copied)
	must(t, "get the copy's attributes", err)
	if !targetLifetime.IsVolatile() {
		equal(t, "key id", got.ID, targetID)
	}
	equal(t, "lifetime", got.Lifetime, targetLifetime)
	equal(t, "type", got.Type, src.Type)
	equal(t, "bits", got.Bits, src.Bits)
	equal(t, "usage", got.Usage, wantUsage)
	equal(t, "algorithm", got.Alg, wantAlg)
	equal(t, "enrolment algorithm", got.Alg2, wantAlg2)
	out, err := in.c.ExportKey(copied, nil)
	if wantUsage&values.UsageExport != 0 {
		must(t, "export the copy", err)
		equalBytes(t, "exported copy", out, material)
	} else {
		wantStatus(t, "export a copy without USAGE_EXPORT", err, values.ErrNotPermitted)
	}
	must(t, "destroy the copy", in.c.DestroyKey(copied))
}

func (h *harness) copyToOccupied(t *suite.T, a suite.Args) {
	in := h.newInstance(t)
	srcLifetime, srcID := values.Lifetime(a.Uint32(0)), values.KeyID(a.Uint32(1))
	tgtLifetime, tgtID := values.Lifetime(a.Uint32(6)), values.KeyID(a.Uint32(7))
	tgtUsage, tgtMaterial := values.KeyUsage(a.Uint32(8)), a.Bytes(11)
	var attrs psa.Attributes
	if !srcLifetime.IsVolatile() {
		setID(&attrs, srcID)
		setLifetime(&attrs, srcLifetime)
	}
	attrs.Type, attrs.Usage, attrs.Alg = keyType(a, 4), values.KeyUsage(a.Uint32(2)), alg(a, 3)
	source, err := in.c.ImportKey(attrs, a.Bytes(5))
	must(t, "import the source", err)
	t.Cleanup(func() { in.c.DestroyKey(source) })
	target := source
	if tgtID != srcID {
		var ta psa.Attributes
		setID(&ta, tgtID)
		setLifetime(&ta, tgtLifetime)
		ta.Type, ta.Usage, ta.Alg = keyType(a, 10), tgtUsage, alg(a, 9)
		target, err = in.c.ImportKey(ta, tgtMaterial)
		must(t, "import the target", err)
		t.Cleanup(func() { in.c.DestroyKey(target) })
	}
	before, err := in.c.KeyAttributes(target)
	must(t, "get the target's attributes", err)
	setID(&attrs, tgtID)
	setLifetime(&attrs, tgtLifetime)
	copied, err := in.c.CopyKey(source, attrs)
	wantStatus(t, "copy onto an existing key", err, values.ErrAlreadyExists)
	equal(t, "returned key id", copied, values.KeyIDNull)
	after, err := in.c.KeyAttributes(target)
	must(t, "get the target's attributes again", err)
	equal(t, "target attributes", after, before)
	if tgtUsage&values.UsageExport != 0 {
		out, err := in.c.ExportKey(target, nil)
		must(t, "export the target", err)
		equalBytes(t, "exported target", out, tgtMaterial)
	}
}

func (h *harness) manyTransientKeys(t *suite.T, a suite.Args) {
	in := h.newInstance(t)
	n := a.Int(0)
	attrs := psa.Attributes{Type: values.KeyTypeRawData, Usage: values.UsageExport}
	ids := make([]values.KeyID, n)
	seen := make(map[values.KeyID]int, n)
	for i := range ids {
		t.Step(i)
		id, err := in.c.ImportKey(attrs, littleEndianSize(i))
		must(t, "import", err)
		check(t, id != values.KeyIDNull, "import returned the null key id")
		if j, dup := seen[id]; dup {
			t.Fatalf("keys %d and %d have the same id %#x", j, i, uint32(id))
		}
		seen[id], ids[i] = i, id
	}
	for i, id := range ids {
		t.Step(i)
		out, err := in.c.ExportKey(id, nil)
		must(t, "export", err)
		equalBytes(t, "exported key", out, littleEndianSize(i))
		must(t, "destroy", in.c.DestroyKey(id))
	}
}
