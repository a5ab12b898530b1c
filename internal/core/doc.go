// Package core is the part of gopsa that owns keys: the key slots of an
// instance, their policy, their lifetimes and persistence, and the checks
// that run before any driver is called. It calls drivers only through a
// driver.Dispatcher.
//
// # Key identifiers
//
// The specification reserves 0x00000001–0x3fffffff for the application's
// persistent keys and 0x40000000–0x7fffffff for the implementation. gopsa
// splits the latter as follows (the built-in range is the one TF-PSA-Crypto
// uses, so identifiers stay valid across the two):
//
//	0x40000000–0x7fefffff  persistent keys of the implementation (applications
//	                       create theirs in the user range, as in TF-PSA-Crypto)
//	0x7ff00000–0x7ffeffff  volatile keys, allocated by the core
//	0x7fff0000–0x7fffefff  built-in keys of opaque drivers
//	0x7ffff000–0x7fffffff  reserved
//
// # Key slots and destruction
//
// A slot is immutable once published: attributes and key buffer never
// change. An operation holds a slot only for the duration of a driver call
// (multi-part operations keep what they need in their driver's operation
// object). Destroying or purging a key removes it from the table at once,
// so that no new use can start, and wipes the key buffer when the last use
// in progress ends. Wiping is best effort: it zeroes the core's buffer, but
// copies that the Go runtime or a driver made (expanded key schedules, for
// instance) are beyond its reach until they are garbage collected.
//
// # Persistent keys
//
// Persistent keys are stored in a storage.Store in the key file format of
// TF-PSA-Crypto (package keyfile), one item per key identifier. They are
// loaded on first use and cached; at most Config.CacheSize persistent keys
// stay in memory, and an unused cached key is evicted (at random) to make
// room. Volatile keys are never evicted.
package core
