package main

import (
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/values"
)

// keyFlags are the flags of the key subcommands.
type keyFlags struct {
	fs                      *flag.FlagSet
	store, pkcs11           string
	typ, usage, alg, lt, id string
	bits                    int
	hexData, file           string
	public                  bool
}

func newKeyFlags(name string) *keyFlags {
	k := &keyFlags{fs: flag.NewFlagSet("psa key "+name, flag.ContinueOnError)}
	k.fs.SetOutput(io.Discard)
	k.fs.StringVar(&k.store, "store", "", "key store directory (default $XDG_DATA_HOME/gopsa/keys)")
	k.fs.StringVar(&k.pkcs11, "pkcs11", "", "PKCS#11 driver configuration file (JSON): keys at its location live in the token")
	k.fs.StringVar(&k.typ, "type", "", "key type, e.g. PSA_KEY_TYPE_AES")
	k.fs.IntVar(&k.bits, "bits", 0, "key size in bits")
	k.fs.StringVar(&k.usage, "usage", "PSA_KEY_USAGE_EXPORT", "usage flags, e.g. 'PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_VERIFY_HASH'")
	k.fs.StringVar(&k.alg, "alg", "0", "permitted algorithm, e.g. PSA_ALG_ECDSA(PSA_ALG_ANY_HASH)")
	k.fs.StringVar(&k.lt, "lifetime", "PSA_KEY_LIFETIME_PERSISTENT", "key lifetime")
	k.fs.StringVar(&k.id, "id", "", "key identifier (decimal or 0x hex)")
	k.fs.StringVar(&k.hexData, "hex", "", "key data in hex (import)")
	k.fs.StringVar(&k.file, "file", "", "file with the key data (import)")
	k.fs.BoolVar(&k.public, "public", false, "export the public key (export)")
	return k
}

func (k *keyFlags) parse(args []string) error {
	if err := k.fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if k.fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s: unexpected argument %q", k.fs.Name(), k.fs.Arg(0))}
	}
	return nil
}

func (k *keyFlags) open() (*psa.Crypto, error) {
	dir := k.store
	if dir == "" {
		var err error
		if dir, err = defaultStore(); err != nil {
			return nil, err
		}
	}
	return openInstance(dir, k.pkcs11)
}

func (k *keyFlags) keyID() (psa.KeyID, error) {
	if k.id == "" {
		return 0, usageError{k.fs.Name() + ": --id is required"}
	}
	v, err := strconv.ParseUint(k.id, 0, 32)
	if err != nil {
		return 0, usageError{fmt.Sprintf("%s: --id %q: want a key identifier such as 1 or 0x1", k.fs.Name(), k.id)}
	}
	return psa.KeyID(v), nil
}

func (k *keyFlags) attributes(needID bool) (psa.Attributes, error) {
	var a psa.Attributes
	var err error
	if k.typ == "" {
		return a, usageError{k.fs.Name() + ": --type is required"}
	}
	if a.Type, err = values.ParseKeyType(k.typ); err != nil {
		return a, err
	}
	if a.Usage, err = values.ParseKeyUsage(k.usage); err != nil {
		return a, err
	}
	if a.Alg, err = values.ParseAlgorithm(k.alg); err != nil {
		return a, err
	}
	if a.Lifetime, err = values.ParseLifetime(k.lt); err != nil {
		return a, err
	}
	a.Bits = k.bits
	if !a.Lifetime.IsVolatile() {
		if k.id == "" && needID {
			return a, usageError{k.fs.Name() + ": a persistent key needs --id"}
		}
		if a.ID, err = k.keyID(); err != nil {
			return a, err
		}
	}
	return a, nil
}

func keyCommand(sub string, args []string, out io.Writer) error {
	k := newKeyFlags(sub)
	if err := k.parse(args); err != nil {
		return err
	}
	switch sub {
	case "generate", "import":
		attrs, err := k.attributes(true)
		if err != nil {
			return err
		}
		c, err := k.open()
		if err != nil {
			return err
		}
		defer c.Close()
		var id psa.KeyID
		if sub == "generate" {
			id, err = c.GenerateKey(attrs)
		} else {
			var data []byte
			if data, err = k.keyData(); err != nil {
				return err
			}
			id, err = c.ImportKey(attrs, data)
			clear(data)
		}
		if err != nil {
			return err
		}
		return printInfo(out, c, id)
	case "export", "info", "destroy":
		id, err := k.keyID()
		if err != nil {
			return err
		}
		c, err := k.open()
		if err != nil {
			return err
		}
		defer c.Close()
		switch sub {
		case "info":
			return printInfo(out, c, id)
		case "destroy":
			if err := c.DestroyKey(id); err != nil {
				return err
			}
			fmt.Fprintf(out, "destroyed key 0x%08x\n", uint32(id))
			return nil
		}
		var data []byte
		if k.public {
			data, err = c.ExportPublicKey(id, nil)
		} else {
			data, err = c.ExportKey(id, nil)
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(out, hex.EncodeToString(data))
		clear(data)
		return nil
	case "list":
		c, err := k.open()
		if err != nil {
			return err
		}
		defer c.Close()
		ids, err := c.PersistentKeys()
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := printInfo(out, c, id); err != nil {
				fmt.Fprintf(out, "0x%08x  error: %v\n", uint32(id), err)
			}
		}
		return nil
	}
	return usageError{fmt.Sprintf("psa key: unknown subcommand %q", sub)}
}

func (k *keyFlags) keyData() ([]byte, error) {
	switch {
	case k.hexData != "" && k.file != "":
		return nil, usageError{"psa key import: give --hex or --file, not both"}
	case k.hexData != "":
		b, err := hex.DecodeString(k.hexData)
		if err != nil {
			return nil, usageError{fmt.Sprintf("psa key import: --hex: %v", err)}
		}
		return b, nil
	case k.file != "":
		return os.ReadFile(k.file)
	}
	return nil, usageError{"psa key import: --hex or --file is required"}
}

func printInfo(out io.Writer, c *psa.Crypto, id psa.KeyID) error {
	a, err := c.KeyAttributes(id)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "0x%08x  %v  %d bits\n", uint32(id), a.Type, a.Bits)
	fmt.Fprintf(out, "            lifetime %v\n            usage    %v\n            alg      %v\n", a.Lifetime, a.Usage, a.Alg)
	return nil
}
