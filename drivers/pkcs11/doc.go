// Package pkcs11 is an opaque PSA driver for PKCS#11 tokens: hardware
// security modules, smart cards, and software tokens such as SoftHSM2.
// Keys whose lifetime has location Location are created in the token
// and used there; their key material never reaches the PSA core unless
// the key's policy allows export.
//
// # Configuration
//
// A Driver is made by New from a Config (module path, token label, serial
// number or slot, PIN source), or by Open from a JSON configuration file
// (ParseConfig documents the format; a PIN is never accepted in it: it
// comes from an environment variable, a file, or a PINSource callback).
// The driver is then given to a dispatch generated for a driver list that
// includes drivers/pkcs11/driver.json, and that dispatch to psa.New:
//
//	drv, err := pkcs11.Open("/etc/gopsa/pkcs11.json")
//	disp, err := pkcs11build.New(drv) // or another build's dispatch
//	opts := []psa.Option{psa.WithDispatch(disp), psa.WithKeyDir(dir)}
//	for _, id := range drv.BuiltinKeyIDs() {
//		opts = append(opts, psa.WithBuiltinKey(id, pkcs11.Location, uint64(id)))
//	}
//	c, err := psa.New(opts...)
//
// psa.WithDriver is for the drivers of the default build, which does not
// include this one: the PKCS#11 binding needs cgo, and a default build
// should not.
//
// # Keys
//
// A key is one PKCS#11 object (a secret key) or two (the private and the
// public key of a key pair) with the same random 16-byte CKA_ID, which
// allocate_key chooses before the key is created. The key context that
// the core stores holds the CKA_ID, the PKCS#11 key type and whether the
// key is a token object; it holds no secret and no PIN. Persistent keys
// are token objects (CKA_TOKEN true) and survive restarts of the program
// and of the token; volatile keys are session objects, which the token
// destroys when the driver closes its sessions.
//
// The PSA policy becomes PKCS#11 attributes: PSA_KEY_USAGE_SIGN_* sets
// CKA_SIGN, VERIFY_* CKA_VERIFY, ENCRYPT CKA_ENCRYPT, DECRYPT CKA_DECRYPT,
// DERIVE CKA_DERIVE; PSA_KEY_USAGE_EXPORT sets CKA_EXTRACTABLE and clears
// CKA_SENSITIVE, its absence the reverse; every other capability
// attribute (CKA_WRAP, CKA_UNWRAP, ...) is false and objects are not
// modifiable. The core enforces the policy first; the token enforces it
// again.
//
// Objects already on a token are used as PSA built-in keys by listing
// them in Config.BuiltinKeys (by CKA_LABEL or CKA_ID). Their slot number is
// their key identifier; their type and size come from the token, their
// policy from the configuration or from the object's attributes.
//
// # Operations
//
// In the token: key generation and import (AES, HMAC, RSA, SECP_R1
// P-256/P-384/P-521), ECDSA and RSA PKCS#1 v1.5 and PSS signatures and
// their verification, RSA PKCS#1 v1.5 and OAEP encryption and decryption,
// ECDH, AES ECB, CBC, CBC-PKCS#7, CTR and GCM, HMAC and AES-CMAC, export
// (of what the policy allows) and destruction. Verification of RSA PSS
// with any salt length, which PKCS#11 cannot express, and of RSA keys
// without a public key object, is done in software with the public key.
// sign_message hashes in software and signs the hash in the token.
// Deterministic ECDSA is not available (CKM_ECDSA is randomized). What the
// driver or the token cannot do is refused with PSA_ERROR_NOT_SUPPORTED
// naming the mechanism (CKM_...) or the key type.
//
// # Errors and recovery
//
// A failed PKCS#11 call is an *Error naming the function, the mechanism
// and the return value (CKR_...), wrapping a PSA status: a removed token
// or a lost session is PSA_ERROR_COMMUNICATION_FAILURE, a refused login
// or an operation the object's attributes forbid PSA_ERROR_NOT_PERMITTED.
// When the session or the token is lost, the driver re-initializes the
// module, finds the token again by its label, serial number or slot, logs
// in again and repeats the call once; while the token stays away, calls
// fail with PSA_ERROR_COMMUNICATION_FAILURE and reconnection is attempted
// at most every Config.RetryInterval. A refused PIN is never retried, so
// as not to lock the token.
//
// # Concurrency
//
// A Driver is safe for concurrent use. Each call takes a session of its
// own from a pool of at most Config.MaxSessions, since a PKCS#11 session
// runs one operation at a time; object handles are cached per connection.
// One more session, opened at Init, holds the login and the volatile keys.
// A Driver serves one PSA instance, and should be the only user of its
// module in the process (PKCS#11 keeps one login state per process, and
// recovery re-initializes the module).
//
// The binding is github.com/miekg/pkcs11 (cgo, loads the module with
// dlopen): the maintained low-level Go binding, thin enough that the driver
// controls sessions, templates and errors itself.
package pkcs11
