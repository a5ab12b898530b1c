package keywrap_test

import (
	"crypto/aes"
	"encoding/hex"
	"fmt"

	"github.com/gopsa/psa/internal/keywrap"
)

func ExampleWrap() {
	// RFC 3394 section 4.1: wrap 128 bits of key data with a 128-bit KEK.
	kek, _ := hex.DecodeString("000102030405060708090a0b0c0d0e0f")
	key, _ := hex.DecodeString("00112233445566778899aabbccddeeff")
	block, err := aes.NewCipher(kek)
	if err != nil {
		panic(err)
	}
	wrapped, err := keywrap.Wrap(block, nil, key)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%x\n", wrapped)

	unwrapped, err := keywrap.Unwrap(block, nil, wrapped)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%x\n", unwrapped)
	// Output:
	// 1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5
	// 00112233445566778899aabbccddeeff
}

func ExampleUnwrapPad() {
	// RFC 5649 section 6: unwrap a 7-byte key wrapped with padding.
	kek, _ := hex.DecodeString("5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8")
	wrapped, _ := hex.DecodeString("afbeb0f07dfbf5419200f2ccb50bb24f")
	block, err := aes.NewCipher(kek)
	if err != nil {
		panic(err)
	}
	key, err := keywrap.UnwrapPad(block, nil, wrapped)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%x\n", key)

	wrapped[0] ^= 1
	_, err = keywrap.UnwrapPad(block, nil, wrapped)
	fmt.Println(err)
	// Output:
	// 466f7250617369
	// keywrap: integrity check failed
}
