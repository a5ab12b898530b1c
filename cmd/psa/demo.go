package main

import (
	"bytes"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/gopsa/psa"
)

// demo is the main job of the README: a key store, a persistent key pair
// and a volatile key, each used, the store reopened, and every step said
// with the driver that did it.
func demo(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("psa demo", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	store := fs.String("store", "", "key store directory (default: a temporary directory, removed afterwards)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	dir := *store
	if dir == "" {
		tmp, err := os.MkdirTemp("", "gopsa-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	step := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }

	c, err := psa.New(psa.WithKeyDir(dir))
	if err != nil {
		return err
	}
	step("key store: %s", dir)
	for _, d := range c.Drivers() {
		kind := "transparent"
		if d.Opaque {
			kind = fmt.Sprintf("opaque, location 0x%06x", uint32(d.Location))
		}
		step("driver:    %s (%s)", d.Name, kind)
	}

	const id = psa.KeyID(0x2a)
	pair := psa.Attributes{
		ID:       id,
		Lifetime: psa.LifetimePersistent,
		Type:     psa.KeyTypeECCKeyPair(psa.ECCFamilySECPR1),
		Bits:     256,
		Usage:    psa.UsageSignHash | psa.UsageVerifyHash,
		Alg:      psa.AlgECDSA(psa.AlgAnyHash),
	}
	// A demo run on a kept store starts from a clean slate.
	_ = c.DestroyKey(id)
	if _, err := c.GenerateKey(pair); err != nil {
		c.Close()
		return err
	}
	step("generated persistent key 0x%08x: %v, %d bits (driver %s)", uint32(id), pair.Type, pair.Bits,
		c.Route("generate_key", pair, 0))
	pub, err := c.ExportPublicKey(id, nil)
	if err != nil {
		c.Close()
		return err
	}
	step("public key (%d bytes): %s... (driver %s)", len(pub), hex.EncodeToString(pub[:17]), c.Route("export_public_key", pair, 0))
	msg := []byte("signed by a persistent key")
	signAlg := psa.AlgECDSA(psa.AlgSHA256)
	sig, err := c.SignMessage(id, signAlg, msg, nil)
	if err != nil {
		c.Close()
		return err
	}
	step("signed %q with %v: %d-byte signature (driver %s)", msg, signAlg, len(sig), c.Route("sign_hash", pair, signAlg))

	aes := psa.Attributes{Type: psa.KeyTypeAES, Bits: 256, Usage: psa.UsageEncrypt | psa.UsageDecrypt, Alg: psa.AlgGCM}
	vid, err := c.GenerateKey(aes)
	if err != nil {
		c.Close()
		return err
	}
	step("generated volatile key 0x%08x: %v, %d bits (driver %s)", uint32(vid), aes.Type, aes.Bits, c.Route("generate_key", aes, 0))
	nonce := make([]byte, 12)
	if err := c.GenerateRandom(nonce); err != nil {
		c.Close()
		return err
	}
	sealed, err := c.AEADEncrypt(vid, psa.AlgGCM, nonce, nil, []byte("sealed by a volatile key"), nil)
	if err != nil {
		c.Close()
		return err
	}
	opened, err := c.AEADDecrypt(vid, psa.AlgGCM, nonce, nil, sealed, nil)
	if err != nil {
		c.Close()
		return err
	}
	step("encrypted and decrypted %q with %v: %d bytes of ciphertext and tag (driver %s)", opened, psa.AlgGCM, len(sealed),
		c.Route("aead_encrypt", aes, psa.AlgGCM))
	if err := c.Close(); err != nil {
		return err
	}
	step("closed the instance: volatile keys are gone, persistent keys stay in the store")

	c, err = psa.New(psa.WithKeyDir(dir))
	if err != nil {
		return err
	}
	defer c.Close()
	a, err := c.KeyAttributes(id)
	if err != nil {
		return err
	}
	step("reopened the store: key 0x%08x is %v, %d bits, usage %v, algorithm %v", uint32(id), a.Type, a.Bits, a.Usage, a.Alg)
	pub2, err := c.ExportPublicKey(id, nil)
	if err != nil {
		return err
	}
	if !bytes.Equal(pub, pub2) {
		return fmt.Errorf("the reloaded key has another public key: %x, want %x", pub2, pub)
	}
	step("the reloaded key has the same public key")
	if err := c.VerifyMessage(id, signAlg, msg, sig); err != nil {
		return fmt.Errorf("the reloaded key does not verify its own signature: %w", err)
	}
	step("the reloaded key verifies the signature made before the restart (driver %s)", c.Route("verify_hash", a, signAlg))
	if _, err := c.KeyAttributes(vid); err == nil {
		return fmt.Errorf("volatile key 0x%08x survived the restart", uint32(vid))
	}
	if err := c.DestroyKey(id); err != nil {
		return err
	}
	step("destroyed key 0x%08x", uint32(id))
	return nil
}
