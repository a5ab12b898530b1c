package main

import (
	"fmt"

	"github.com/gopsa/psa"
	"github.com/gopsa/psa/dispatch/pkcs11build"
	"github.com/gopsa/psa/drivers/pkcs11"
)

// openInstance opens an instance on the key store in dir ("" for none),
// with the PKCS#11 driver configured by the file pkcs11Config when it is
// not empty: its keys live in the token at location pkcs11.Location
// (0x800011), and its built-in keys are registered under their
// identifiers.
func openInstance(dir, pkcs11Config string) (*psa.Crypto, error) {
	var opts []psa.Option
	if dir != "" {
		opts = append(opts, psa.WithKeyDir(dir))
	}
	if pkcs11Config != "" {
		drv, err := pkcs11.Open(pkcs11Config)
		if err != nil {
			return nil, fmt.Errorf("--pkcs11 %s: %w", pkcs11Config, err)
		}
		d, err := pkcs11build.New(drv)
		if err != nil {
			return nil, err
		}
		opts = append(opts, psa.WithDispatch(d))
		for _, id := range drv.BuiltinKeyIDs() {
			opts = append(opts, psa.WithBuiltinKey(id, pkcs11.Location, uint64(id)))
		}
	}
	return psa.New(opts...)
}
