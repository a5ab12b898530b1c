// Command psa is the command line of gopsa: it manages the keys of a key
// store and shows what the library does.
//
//	psa demo [--store DIR]           create a key store, make and use keys, say which driver did what
//	psa key generate --type T --bits N [--id ID] [--usage U] [--alg A]
//	psa key import   --type T [--bits N] [--id ID] [--usage U] [--alg A] --hex DATA | --file F
//	psa key export   --id ID [--public]
//	psa key list
//	psa key info     --id ID
//	psa key destroy  --id ID
//	psa drivers                      list the drivers of this build and their capabilities
//	psa drivers check FILE.json...   validate driver descriptions (or a driver list)
//
// Key commands work on the key store in --store DIR, by default
// $XDG_DATA_HOME/gopsa/keys (~/.local/share/gopsa/keys). Types, usage flags
// and algorithms are written with their PSA names, for example
// --type PSA_KEY_TYPE_AES --usage 'PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT'
// --alg PSA_ALG_GCM.
//
// With --pkcs11 CONFIG, the instance also has the PKCS#11 opaque driver,
// configured by a JSON file (see package drivers/pkcs11); keys whose
// lifetime has its location (0x800011) live in the token:
//
//	psa key generate --pkcs11 token.json --id 7 --type 'PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1)' --bits 256 \
//	    --lifetime 'PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION(PSA_KEY_PERSISTENCE_DEFAULT, 0x800011)' \
//	    --usage PSA_KEY_USAGE_SIGN_HASH --alg 'PSA_ALG_ECDSA(PSA_ALG_ANY_HASH)'
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "psa:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg + " (see 'psa help')" }

const usageText = `usage:
  psa demo [--store DIR]
  psa key generate --type TYPE --bits N [--id ID] [--usage FLAGS] [--alg ALG] [--store DIR]
  psa key import --type TYPE [--bits N] [--id ID] [--usage FLAGS] [--alg ALG] (--hex DATA | --file FILE) [--store DIR]
  psa key export --id ID [--public] [--store DIR]
  psa key list [--store DIR]
  psa key info --id ID [--store DIR]
  psa key destroy --id ID [--store DIR]
  psa drivers [--pkcs11 CONFIG]
  psa drivers check FILE.json...

Key commands and drivers take --pkcs11 CONFIG to add a PKCS#11 token (see
drivers/pkcs11: a JSON file naming the module, the token and the PIN source).
`

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return usageError{"no command"}
	}
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usageText)
		return nil
	case "demo":
		return demo(args[1:], stdout)
	case "key":
		if len(args) < 2 {
			return usageError{"psa key: want a subcommand: generate, import, export, list, info or destroy"}
		}
		return keyCommand(args[1], args[2:], stdout)
	case "drivers":
		return drivers(args[1:], stdout)
	}
	return usageError{fmt.Sprintf("unknown command %q", args[0])}
}

// defaultStore is the user's key store directory.
func defaultStore() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "gopsa", "keys"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no --store given and no home directory to default to: %w", err)
	}
	return filepath.Join(home, ".local", "share", "gopsa", "keys"), nil
}
