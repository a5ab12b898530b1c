package keyfile_test

import (
	"fmt"
	"log"

	"github.com/gopsa/psa/internal/keyfile"
	"github.com/gopsa/psa/storage"
	"github.com/gopsa/psa/values"
)

func Example() {
	s := storage.NewMemory()

	// An AES-128 key, persistent, for encryption and decryption with GCM.
	k := keyfile.Key{
		Lifetime: values.LifetimePersistent,
		Type:     values.KeyTypeAES,
		Bits:     128,
		Usage:    values.UsageEncrypt | values.UsageDecrypt,
		Alg:      values.AlgGCM,
		Material: []byte("0123456789abcdef"),
	}
	uid, err := keyfile.UID(values.KeyID(42))
	if err != nil {
		log.Fatal(err)
	}
	data, err := keyfile.Encode(&k)
	if err != nil {
		log.Fatal(err)
	}
	if err := s.Set(uid, data, storage.FlagNone); err != nil {
		log.Fatal(err)
	}

	stored, err := storage.ReadAll(s, uid)
	if err != nil {
		log.Fatal(err)
	}
	loaded, err := keyfile.Decode(stored)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d-byte key file, %d-bit key, usage %#x\n", len(stored), loaded.Bits, uint32(loaded.Usage))
	// Output: 52-byte key file, 128-bit key, usage 0x300
}
