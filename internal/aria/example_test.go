package aria_test

import (
	"encoding/hex"
	"fmt"

	"github.com/gopsa/psa/internal/aria"
)

func ExampleNewCipher() {
	// The ARIA-128 example of RFC 5794 appendix A.1.
	key, _ := hex.DecodeString("000102030405060708090a0b0c0d0e0f")
	block, err := aria.NewCipher(key)
	if err != nil {
		panic(err)
	}
	plaintext, _ := hex.DecodeString("00112233445566778899aabbccddeeff")
	ciphertext := make([]byte, aria.BlockSize)
	block.Encrypt(ciphertext, plaintext)
	fmt.Printf("%x\n", ciphertext)
	// Output: d718fbd6ab644c739da95f3be6451778
}
