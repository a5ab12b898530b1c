// Package builtin is gopsa's software implementation of every mechanism of
// the PSA Certified Crypto API 1.5, as a transparent driver: the dispatch
// reaches it like any other driver, through its description (driver.json),
// and falls back to it when the drivers before it in the list answer
// ErrNotSupported.
//
// It is built on the Go standard library, golang.org/x/crypto and
// github.com/cloudflare/circl; gopsa's internal packages implement what none
// of those has (ARIA, Camellia, CMAC, CCM, AES key wrap).
package builtin

import (
	"crypto/rand"
	"io"

	"github.com/gopsa/psa/driver"
)

// Driver is the builtin software driver. The zero value uses the operating
// system's random source; Init replaces it with the instance's. A Driver is
// safe for concurrent use.
type Driver struct {
	rand io.Reader
}

// Init is the "init" entry point: it takes the instance's random source.
func (d *Driver) Init(h driver.Host) error {
	d.rand = h.Rand()
	return nil
}

// random returns the random source to use.
func (d *Driver) random() io.Reader {
	if d.rand == nil {
		return rand.Reader
	}
	return d.rand
}
