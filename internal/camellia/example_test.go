package camellia_test

import (
	"encoding/hex"
	"fmt"

	"github.com/gopsa/psa/internal/camellia"
)

func ExampleNewCipher() {
	// The Camellia-128 example of RFC 3713 appendix A.
	key, _ := hex.DecodeString("0123456789abcdeffedcba9876543210")
	block, err := camellia.NewCipher(key)
	if err != nil {
		panic(err)
	}
	plaintext, _ := hex.DecodeString("0123456789abcdeffedcba9876543210")
	ciphertext := make([]byte, camellia.BlockSize)
	block.Encrypt(ciphertext, plaintext)
	fmt.Printf("%x\n", ciphertext)
	// Output: 67673138549669730857065648eabe43
}
