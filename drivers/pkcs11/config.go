package pkcs11

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gopsa/psa/values"
)

// Config says which token the driver uses and how it logs in.
type Config struct {
	// Module is the path of the PKCS#11 module (shared library), such as
	// /usr/lib/softhsm/libsofthsm2.so.
	Module string

	// The token is the one whose label is TokenLabel, or, if TokenLabel is
	// empty, whose serial number is TokenSerial, or, if both are empty,
	// the one in slot Slot. Labels and serial numbers are compared after
	// removing the space padding of CK_TOKEN_INFO.
	TokenLabel  string
	TokenSerial string
	Slot        uint

	// PIN gives the user PIN. It is called each time the driver logs in:
	// in Init, and after the token comes back from a removal. A nil PIN
	// logs in with no PIN (a token with a protected authentication path,
	// or one that needs no login).
	PIN PINSource

	// MaxSessions bounds the number of sessions the driver opens for
	// operations (one more holds the login and the volatile keys).
	// 0 means 8.
	MaxSessions int

	// RetryInterval is the least time between two attempts to reconnect
	// to a token that went away: calls made sooner fail at once with the
	// previous attempt's error. 0 means 250ms.
	RetryInterval time.Duration

	// BuiltinKeys are objects already on the token that the application
	// uses as PSA built-in keys.
	BuiltinKeys []BuiltinKey
}

// BuiltinKey maps a PSA key identifier in the built-in range
// (0x7fff0000–0x7fffefff) to an object on the token, found by its
// CKA_LABEL or CKA_ID (exactly one of the two).
type BuiltinKey struct {
	ID    values.KeyID
	Label string
	CKAID []byte

	// Usage is the key's PSA usage policy; 0 means the usage that the
	// object's attributes allow (CKA_SIGN, CKA_DECRYPT, ...).
	Usage values.KeyUsage
	// Alg and Alg2 are the permitted algorithms. Alg 0 means the
	// default for the object's type: ECDSA(ANY_HASH) for an EC key with
	// CKA_SIGN (and ECDH as Alg2 with CKA_DERIVE), PKCS#1 v1.5 signature
	// with PSS as Alg2 for an RSA key with CKA_SIGN; none otherwise.
	Alg, Alg2 values.Algorithm
}

// A PINSource returns the user PIN. The driver does not keep the PIN
// after logging in.
type PINSource func() ([]byte, error)

// PINFromEnv reads the PIN from environment variable name.
func PINFromEnv(name string) PINSource {
	return func() ([]byte, error) {
		v, ok := os.LookupEnv(name)
		if !ok {
			return nil, fmt.Errorf("pkcs11: the PIN environment variable %s is not set: %w", name, values.ErrNotPermitted)
		}
		return []byte(v), nil
	}
}

// PINFromFile reads the PIN from a file, without a final newline.
func PINFromFile(path string) PINSource {
	return func() ([]byte, error) {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("pkcs11: read the PIN file: %v: %w", err, values.ErrNotPermitted)
		}
		return bytes.TrimRight(b, "\r\n"), nil
	}
}

// PINString returns a fixed PIN, for a PIN the application obtained
// itself (a prompt, a secret manager).
func PINString(pin string) PINSource {
	return func() ([]byte, error) { return []byte(pin), nil }
}

// BuiltinRange is the range of PSA key identifiers that built-in keys use.
const (
	BuiltinMin values.KeyID = 0x7fff0000
	BuiltinMax values.KeyID = 0x7fffefff
)

func (c *Config) check() error {
	if c.Module == "" {
		return fmt.Errorf("pkcs11: no module: set the path of the PKCS#11 library: %w", values.ErrInvalidArgument)
	}
	if c.MaxSessions < 0 {
		return fmt.Errorf("pkcs11: max sessions %d: want a positive number, or 0 for the default: %w", c.MaxSessions, values.ErrInvalidArgument)
	}
	if c.RetryInterval < 0 {
		return fmt.Errorf("pkcs11: retry interval %v: want a positive duration, or 0 for the default: %w", c.RetryInterval, values.ErrInvalidArgument)
	}
	seen := make(map[values.KeyID]bool)
	for i, b := range c.BuiltinKeys {
		if b.ID < BuiltinMin || b.ID > BuiltinMax {
			return fmt.Errorf("pkcs11: built-in key %d: identifier 0x%08x is outside the built-in range 0x%08x-0x%08x: %w",
				i, uint32(b.ID), uint32(BuiltinMin), uint32(BuiltinMax), values.ErrInvalidArgument)
		}
		if seen[b.ID] {
			return fmt.Errorf("pkcs11: built-in key 0x%08x is listed twice: %w", uint32(b.ID), values.ErrInvalidArgument)
		}
		seen[b.ID] = true
		if (b.Label == "") == (len(b.CKAID) == 0) {
			return fmt.Errorf("pkcs11: built-in key 0x%08x: give exactly one of a label and a CKA_ID: %w", uint32(b.ID), values.ErrInvalidArgument)
		}
		if len(b.Label) > maxObjectName || len(b.CKAID) > maxObjectName {
			return fmt.Errorf("pkcs11: built-in key 0x%08x: label or CKA_ID longer than %d bytes: %w", uint32(b.ID), maxObjectName, values.ErrInvalidArgument)
		}
	}
	return nil
}

// fileConfig is the JSON form of Config.
type fileConfig struct {
	Module        string           `json:"module"`
	TokenLabel    string           `json:"token_label"`
	TokenSerial   string           `json:"token_serial"`
	Slot          *uint            `json:"slot"`
	PINEnv        string           `json:"pin_env"`
	PINFile       string           `json:"pin_file"`
	MaxSessions   int              `json:"max_sessions"`
	RetryInterval string           `json:"retry_interval"`
	BuiltinKeys   []fileBuiltinKey `json:"builtin_keys"`
}

type fileBuiltinKey struct {
	ID        string `json:"id"`
	Label     string `json:"label"`
	CKAID     string `json:"cka_id"`
	Usage     string `json:"usage"`
	Algorithm string `json:"algorithm"`
	Alg2      string `json:"algorithm2"`
}

// ParseConfig reads a configuration file's contents, JSON of this form
// (every member but "module" optional):
//
//	{
//	    "module": "/usr/lib/softhsm/libsofthsm2.so",
//	    "token_label": "gopsa",
//	    "token_serial": "c1e4a3000da6928a",
//	    "slot": 0,
//	    "pin_env": "GOPSA_PKCS11_PIN",
//	    "pin_file": "pin.txt",
//	    "max_sessions": 8,
//	    "retry_interval": "250ms",
//	    "builtin_keys": [
//	        {"id": "0x7fff0001", "label": "tls-server",
//	         "usage": "PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_VERIFY_HASH",
//	         "algorithm": "PSA_ALG_ECDSA(PSA_ALG_ANY_HASH)"},
//	        {"id": "0x7fff0002", "cka_id": "0a0b0c0d"}
//	    ]
//	}
//
// The PIN comes from the environment variable "pin_env" or the file
// "pin_file" (at most one of them); a PIN written in the configuration is
// refused. Relative paths are relative to dir. Unknown members are errors,
// so that a misspelt one is not silently ignored.
func ParseConfig(data []byte, dir string) (Config, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return Config{}, fmt.Errorf("pkcs11: config: %v: %w", err, values.ErrInvalidArgument)
	}
	for _, k := range []string{"pin", "user_pin", "so_pin"} {
		if _, ok := raw[k]; ok {
			return Config{}, fmt.Errorf("pkcs11: config: %q: a PIN is not accepted in the configuration; use \"pin_env\" or \"pin_file\": %w", k, values.ErrInvalidArgument)
		}
	}
	var fc fileConfig
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fc); err != nil {
		return Config{}, fmt.Errorf("pkcs11: config: %v (known members: module, token_label, token_serial, slot, pin_env, pin_file, max_sessions, retry_interval, builtin_keys): %w", err, values.ErrInvalidArgument)
	}
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) || dir == "" {
			return p
		}
		return filepath.Join(dir, p)
	}
	cfg := Config{
		Module:      abs(fc.Module),
		TokenLabel:  fc.TokenLabel,
		TokenSerial: fc.TokenSerial,
		MaxSessions: fc.MaxSessions,
	}
	if fc.Slot != nil {
		cfg.Slot = *fc.Slot
	}
	switch {
	case fc.PINEnv != "" && fc.PINFile != "":
		return Config{}, fmt.Errorf("pkcs11: config: both pin_env and pin_file are given; choose one: %w", values.ErrInvalidArgument)
	case fc.PINEnv != "":
		cfg.PIN = PINFromEnv(fc.PINEnv)
	case fc.PINFile != "":
		cfg.PIN = PINFromFile(abs(fc.PINFile))
	}
	if fc.RetryInterval != "" {
		d, err := time.ParseDuration(fc.RetryInterval)
		if err != nil {
			return Config{}, fmt.Errorf("pkcs11: config: retry_interval %q: want a Go duration such as \"250ms\": %w", fc.RetryInterval, values.ErrInvalidArgument)
		}
		cfg.RetryInterval = d
	}
	for i, fb := range fc.BuiltinKeys {
		b, err := fb.parse()
		if err != nil {
			return Config{}, fmt.Errorf("pkcs11: config: builtin_keys[%d]: %w", i, err)
		}
		cfg.BuiltinKeys = append(cfg.BuiltinKeys, b)
	}
	if err := cfg.check(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

func (fb *fileBuiltinKey) parse() (BuiltinKey, error) {
	var b BuiltinKey
	id, err := values.ParseKeyID(fb.ID)
	if err != nil {
		return b, fmt.Errorf("id %q: %w", fb.ID, err)
	}
	b.ID, b.Label = id, fb.Label
	if fb.CKAID != "" {
		if b.CKAID, err = hex.DecodeString(strings.ReplaceAll(fb.CKAID, ":", "")); err != nil {
			return b, fmt.Errorf("cka_id %q: want hexadecimal bytes, such as \"0a0b\" or \"0a:0b\": %w", fb.CKAID, values.ErrInvalidArgument)
		}
	}
	if fb.Usage != "" {
		if b.Usage, err = values.ParseKeyUsage(fb.Usage); err != nil {
			return b, fmt.Errorf("usage: %w", err)
		}
	}
	if fb.Algorithm != "" {
		if b.Alg, err = values.ParseAlgorithm(fb.Algorithm); err != nil {
			return b, fmt.Errorf("algorithm: %w", err)
		}
	}
	if fb.Alg2 != "" {
		if b.Alg2, err = values.ParseAlgorithm(fb.Alg2); err != nil {
			return b, fmt.Errorf("algorithm2: %w", err)
		}
	}
	return b, nil
}

// LoadConfig reads a configuration file (see ParseConfig); relative paths
// in it are relative to the file's directory.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return Config{}, fmt.Errorf("pkcs11: config: %v: %w", err, values.ErrDoesNotExist)
		}
		return Config{}, fmt.Errorf("pkcs11: config: %v: %w", err, values.ErrStorageFailure)
	}
	cfg, err := ParseConfig(data, filepath.Dir(path))
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}
