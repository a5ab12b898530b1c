package cmac_test

import (
	"crypto/aes"
	"crypto/subtle"
	"encoding/hex"
	"fmt"

	"github.com/gopsa/psa/internal/cmac"
)

func ExampleNew() {
	// Example 2 of RFC 4493 section 4 (AES-CMAC of one block).
	key, _ := hex.DecodeString("2b7e151628aed2a6abf7158809cf4f3c")
	msg, _ := hex.DecodeString("6bc1bee22e409f96e93d7e117393172a")
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err)
	}
	h, err := cmac.New(block)
	if err != nil {
		panic(err)
	}
	h.Write(msg)
	tag := h.Sum(nil)
	fmt.Printf("%x\n", tag)

	// A verifier recomputes the tag and compares in constant time; a PSA
	// truncated MAC compares a prefix.
	received, _ := hex.DecodeString("070a16b46b4d4144")
	fmt.Println(subtle.ConstantTimeCompare(tag[:len(received)], received) == 1)
	// Output:
	// 070a16b46b4d4144f79bdd9dd04a287c
	// true
}
