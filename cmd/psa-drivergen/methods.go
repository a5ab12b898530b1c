package main

import "strings"

// routing says how the dispatch chooses the driver of a call.
type routing int

const (
	// byKey: the location of attrs (an existing pKey, or the key being
	// created) selects the opaque driver; local keys go to the
	// transparent drivers whose capability matches pAlg, attrs.Type and
	// attrs.Bits.
	byKey routing = iota + 1
	// byAlg: no key; the transparent drivers whose capability matches
	// alg.
	byAlg
	// byDerivedKey: "derive_key", transparent drivers matched on the
	// derived key's type and size.
	byDerivedKey
	// byDerivation: the location of the secret input, when it is a key.
	byDerivation
	// byPassword: the location of the PAKE password key.
	byPassword
	// byResume: HashResume, routed as hash_setup to drivers whose type
	// also implements driver.HashResumer.
	byResume
	// Entry points with a flow of their own.
	destroyKey
	allocateKey
	builtinKey
	getRandom
	getEntropy
)

// param is a parameter of an entry point method.
type param struct{ name, typ string }

// method is a method of driver.Dispatcher that dispatches one entry point.
type method struct {
	name    string // Go method name, in driver.Dispatcher and in the driver's default
	ep      string // entry point name in descriptions
	iface   string // interface of package driver that declares the driver's method
	params  []param
	results []string
	route   routing
}

func prm(name, typ string) param { return param{name, typ} }

var (
	pAttrs = prm("attrs", "values.Attributes")
	pKey   = prm("key", "[]byte")
	pAlg   = prm("alg", "values.Algorithm")
	pDst   = prm("dst", "[]byte")
)

func byteParams(names ...string) []param {
	out := make([]param, len(names))
	for i, n := range names {
		out[i] = prm(n, "[]byte")
	}
	return out
}

func plist(groups ...any) []param {
	var out []param
	for _, g := range groups {
		switch g := g.(type) {
		case param:
			out = append(out, g)
		case []param:
			out = append(out, g...)
		}
	}
	return out
}

var (
	bytesErr = []string{"[]byte", "error"}
	onlyErr  = []string{"error"}
)

// methods lists the dispatched methods of driver.Dispatcher, in the
// order of its declaration. Init, Free, Drivers and Route are generated
// apart.
var methods = []method{
	{"ImportKey", "import_key", "KeyImporter", plist(pAttrs, byteParams("data", "dst")), []string{"[]byte", "int", "error"}, byKey},
	{"GenerateKey", "generate_key", "KeyGenerator", plist(pAttrs, prm("params", "driver.ProductionParameters"), pDst), bytesErr, byKey},
	{"ExportKey", "export_key", "KeyExporter", plist(pAttrs, pKey, pDst), bytesErr, byKey},
	{"ExportPublicKey", "export_public_key", "PublicKeyExporter", plist(pAttrs, pKey, pDst), bytesErr, byKey},
	{"CopyKey", "copy_key", "KeyCopier", plist(pAttrs, pKey, pDst), bytesErr, byKey},
	{"DestroyKey", "destroy_key", "KeyDestroyer", plist(pAttrs, pKey), onlyErr, destroyKey},
	{"AllocateKey", "allocate_key", "KeyAllocator", plist(pAttrs, pDst), bytesErr, allocateKey},
	{"GetBuiltinKey", "get_builtin_key", "BuiltinKeyGetter", plist(prm("slot", "driver.SlotNumber"), prm("lifetime", "values.Lifetime"), pDst),
		[]string{"values.Attributes", "[]byte", "error"}, builtinKey},
	{"DeriveKey", "derive_key", "KeyDeriver", plist(pAttrs, prm("stream", "io.Reader"), pDst), bytesErr, byDerivedKey},

	{"HashCompute", "hash_compute", "HashComputer", plist(pAlg, byteParams("input", "dst")), bytesErr, byAlg},
	{"HashSetup", "hash_setup", "HashMultipart", plist(pAlg), []string{"driver.HashOperation", "error"}, byAlg},
	{"HashResume", "hash_setup", "", plist(pAlg, prm("state", "[]byte")), []string{"driver.HashOperation", "error"}, byResume},
	{"XOFSetup", "xof_setup", "XOFMultipart", plist(pAlg), []string{"driver.XOFOperation", "error"}, byAlg},
	{"MACCompute", "mac_compute", "MACComputer", plist(pAttrs, pKey, pAlg, byteParams("input", "dst")), bytesErr, byKey},
	{"MACVerify", "mac_verify", "MACVerifier", plist(pAttrs, pKey, pAlg, byteParams("input", "mac")), onlyErr, byKey},
	{"MACSignSetup", "mac_sign_setup", "MACMultipart", plist(pAttrs, pKey, pAlg), []string{"driver.MACOperation", "error"}, byKey},
	{"MACVerifySetup", "mac_verify_setup", "MACVerifyMultipart", plist(pAttrs, pKey, pAlg), []string{"driver.MACOperation", "error"}, byKey},
	{"CipherEncrypt", "cipher_encrypt", "CipherEncrypter", plist(pAttrs, pKey, pAlg, byteParams("iv", "input", "dst")), bytesErr, byKey},
	{"CipherDecrypt", "cipher_decrypt", "CipherDecrypter", plist(pAttrs, pKey, pAlg, byteParams("input", "dst")), bytesErr, byKey},
	{"CipherEncryptSetup", "cipher_encrypt_setup", "CipherEncryptMultipart", plist(pAttrs, pKey, pAlg), []string{"driver.CipherOperation", "error"}, byKey},
	{"CipherDecryptSetup", "cipher_decrypt_setup", "CipherDecryptMultipart", plist(pAttrs, pKey, pAlg), []string{"driver.CipherOperation", "error"}, byKey},
	{"AEADEncrypt", "aead_encrypt", "AEADEncrypter", plist(pAttrs, pKey, pAlg, byteParams("nonce", "ad", "plaintext", "dst")), bytesErr, byKey},
	{"AEADDecrypt", "aead_decrypt", "AEADDecrypter", plist(pAttrs, pKey, pAlg, byteParams("nonce", "ad", "ciphertext", "dst")), bytesErr, byKey},
	{"AEADEncryptSetup", "aead_encrypt_setup", "AEADEncryptMultipart", plist(pAttrs, pKey, pAlg), []string{"driver.AEADOperation", "error"}, byKey},
	{"AEADDecryptSetup", "aead_decrypt_setup", "AEADDecryptMultipart", plist(pAttrs, pKey, pAlg), []string{"driver.AEADOperation", "error"}, byKey},
	{"SignHash", "sign_hash", "HashSigner", plist(pAttrs, pKey, pAlg, byteParams("hash", "dst")), bytesErr, byKey},
	{"VerifyHash", "verify_hash", "HashVerifier", plist(pAttrs, pKey, pAlg, byteParams("hash", "signature")), onlyErr, byKey},
	{"SignMessage", "sign_message", "MessageSigner", plist(pAttrs, pKey, pAlg, byteParams("message", "dst")), bytesErr, byKey},
	{"VerifyMessage", "verify_message", "MessageVerifier", plist(pAttrs, pKey, pAlg, byteParams("message", "signature")), onlyErr, byKey},
	{"AsymmetricEncrypt", "asymmetric_encrypt", "AsymmetricEncrypter", plist(pAttrs, pKey, pAlg, byteParams("input", "salt", "dst")), bytesErr, byKey},
	{"AsymmetricDecrypt", "asymmetric_decrypt", "AsymmetricDecrypter", plist(pAttrs, pKey, pAlg, byteParams("input", "salt", "dst")), bytesErr, byKey},
	{"KeyAgreement", "key_agreement", "KeyAgreer", plist(pAttrs, pKey, pAlg, byteParams("peer", "dst")), bytesErr, byKey},
	{"KeyAgreementToKey", "key_agreement_to_key", "KeyAgreementToKeyer",
		plist(pAttrs, pKey, pAlg, prm("peer", "[]byte"), prm("secretAttrs", "values.Attributes"), pDst), bytesErr, byKey},
	{"Encapsulate", "encapsulate", "Encapsulator", plist(pAttrs, pKey, pAlg, pDst), []string{"[]byte", "[]byte", "error"}, byKey},
	{"Decapsulate", "decapsulate", "Decapsulator", plist(pAttrs, pKey, pAlg, byteParams("ciphertext", "dst")), bytesErr, byKey},
	{"WrapKey", "wrap_key", "KeyWrapper", plist(pAttrs, pKey, pAlg, byteParams("data", "dst")), bytesErr, byKey},
	{"UnwrapKey", "unwrap_key", "KeyUnwrapper", plist(pAttrs, pKey, pAlg, byteParams("wrapped", "dst")), bytesErr, byKey},
	{"KeyDerivationSetup", "key_derivation_setup", "KeyDerivation", plist(pAlg, prm("inputs", "driver.DerivationInputs")),
		[]string{"driver.DerivationOperation", "error"}, byDerivation},
	{"PAKESetup", "pake_setup", "PAKE", plist(prm("inputs", "driver.PAKEInputs")), []string{"driver.PAKEOperation", "error"}, byPassword},

	{"GetRandom", "get_random", "", plist(prm("out", "[]byte")), onlyErr, getRandom},
	{"GetEntropy", "get_entropy", "EntropySource", plist(prm("flags", "driver.EntropyFlags"), prm("out", "[]byte")), []string{"int", "error"}, getEntropy},
}

// driverMethods are the entry points that are methods of the driver type
// without a dispatched method of their own: their signatures, for the
// compile-time assertions.
var driverMethods = []method{
	{"Init", "init", "Initializer", plist(prm("h", "driver.Host")), onlyErr, 0},
	{"Free", "free", "Freer", nil, onlyErr, 0},
	{"InitRandom", "init_random", "", nil, onlyErr, 0},
	{"AddEntropy", "add_entropy", "", plist(prm("entropy", "[]byte")), onlyErr, 0},
	{"GetRandom", "get_random", "", plist(prm("out", "[]byte")), onlyErr, 0},
}

// lookupMethod returns the method of the driver type that implements the
// entry point ep, if ep is one (rather than a method of an operation
// object, such as "hash_update").
func lookupMethod(ep string) (method, bool) {
	for _, m := range driverMethods {
		if m.ep == ep {
			return m, true
		}
	}
	for _, m := range methods {
		if m.ep == ep && m.route != byResume {
			return m, true
		}
	}
	return method{}, false
}

// paramList renders the parameters for a declaration.
func (m method) paramList() string {
	var parts []string
	for i, q := range m.params {
		if i+1 < len(m.params) && m.params[i+1].typ == q.typ {
			parts = append(parts, q.name)
		} else {
			parts = append(parts, q.name+" "+q.typ)
		}
	}
	return strings.Join(parts, ", ")
}

// args renders the parameter names for a call.
func (m method) args() string {
	parts := make([]string, len(m.params))
	for i, q := range m.params {
		parts[i] = q.name
	}
	return strings.Join(parts, ", ")
}

// resultList renders the results for a declaration.
func (m method) resultList() string {
	if len(m.results) == 1 {
		return m.results[0]
	}
	return "(" + strings.Join(m.results, ", ") + ")"
}

// signature renders the method's signature without its name, as in an
// interface type: (values.Algorithm, []byte, []byte) ([]byte, error).
func (m method) signature() string {
	types := make([]string, len(m.params))
	for i, q := range m.params {
		types[i] = q.typ
	}
	return "(" + strings.Join(types, ", ") + ") " + m.resultList()
}

// resultVars names variables for the results: r0, r1, ..., err.
func (m method) resultVars() string {
	parts := make([]string, len(m.results))
	for i := range m.results {
		parts[i] = "r" + string(rune('0'+i))
	}
	parts[len(parts)-1] = "err"
	return strings.Join(parts, ", ")
}

// failure renders a return of zero results and the error expression e.
func (m method) failure(e string) string {
	parts := make([]string, len(m.results))
	for i, t := range m.results {
		switch {
		case t == "error":
			parts[i] = e
		case t == "int":
			parts[i] = "0"
		case t == "values.Attributes":
			parts[i] = "values.Attributes{}"
		default:
			parts[i] = "nil"
		}
	}
	return "return " + strings.Join(parts, ", ")
}
