package ccm_test

import (
	"crypto/aes"
	"encoding/hex"
	"fmt"

	"github.com/gopsa/psa/internal/ccm"
)

func ExampleNew() {
	// Packet vector #1 of RFC 3610: a 13-byte nonce and an 8-byte tag.
	key, _ := hex.DecodeString("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf")
	nonce, _ := hex.DecodeString("00000003020100a0a1a2a3a4a5")
	header, _ := hex.DecodeString("0001020304050607")
	payload, _ := hex.DecodeString("08090a0b0c0d0e0f101112131415161718191a1b1c1d1e")

	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err)
	}
	aead, err := ccm.New(block, len(nonce), 8)
	if err != nil {
		panic(err)
	}
	sealed := aead.Seal(nil, nonce, payload, header)
	fmt.Printf("%x\n", sealed)

	sealed[0] ^= 1
	_, err = aead.Open(nil, nonce, sealed, header)
	fmt.Println(err)
	// Output:
	// 588c979a61c663d2f066d0c2c0f989806d5f6b61dac38417e8d12cfdf926e0
	// ccm: message authentication failed
}

func ExampleNewEncrypter() {
	// A multi-part encryption: the lengths are declared first, then the
	// additional data and the plaintext arrive in pieces of any size.
	key, _ := hex.DecodeString("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf")
	nonce, _ := hex.DecodeString("00000003020100a0a1a2a3a4a5")
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err)
	}
	enc, err := ccm.NewEncrypter(block, nonce, 8, 23, 8)
	if err != nil {
		panic(err)
	}
	header, _ := hex.DecodeString("0001020304050607")
	if err := enc.AddAD(header); err != nil {
		panic(err)
	}
	var out []byte
	for _, piece := range []string{"08090a0b0c0d0e0f10", "1112131415161718191a1b1c1d1e"} {
		p, _ := hex.DecodeString(piece)
		if out, err = enc.Update(out, p); err != nil {
			panic(err)
		}
	}
	out, err = enc.Finish(out)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%x\n", out)
	// Output: 588c979a61c663d2f066d0c2c0f989806d5f6b61dac38417e8d12cfdf926e0
}
