package builtin_test

import (
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/drivers/builtin"
	"github.com/gopsa/psa/values"
)

// Encrypt and authenticate with AES-128-GCM (test case 2 of the GCM
// specification), then show that a modified ciphertext is rejected.
func ExampleDriver_AEADEncrypt() {
	var d builtin.Driver
	key := make([]byte, 16)
	attrs := values.Attributes{Type: values.KeyTypeAES, Bits: 128}
	nonce := make([]byte, 12)

	ct, err := d.AEADEncrypt(attrs, key, values.AlgGCM, nonce, nil, make([]byte, 16), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(hex.EncodeToString(ct))

	ct[0] ^= 1
	_, err = d.AEADDecrypt(attrs, key, values.AlgGCM, nonce, nil, ct, nil)
	fmt.Println(errors.Is(err, values.ErrInvalidSignature))
	// Output:
	// 0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf
	// true
}

// Hash a message in two parts with a suspension in between: the suspend
// state (the format of the specification) can be stored and resumed
// later, by this or another implementation.
func ExampleDriver_HashResume() {
	var d builtin.Driver
	op, _ := d.HashSetup(values.AlgSHA256)
	op.Update([]byte("ab"))
	state, err := op.(driver.HashSuspender).Suspend(nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(state), "bytes of state")

	op, err = d.HashResume(values.AlgSHA256, state)
	if err != nil {
		fmt.Println(err)
		return
	}
	op.Update([]byte("c"))
	sum, _ := op.Finish(nil)
	fmt.Println(hex.EncodeToString(sum))
	// Output:
	// 46 bytes of state
	// ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
}

// Decrypt AES-128-CBC with PKCS #7 padding in pieces: each update returns
// whole blocks and holds back the last one, whose padding Finish removes.
func ExampleDriver_CipherDecryptSetup() {
	var d builtin.Driver
	key, _ := hex.DecodeString("2b7e151628aed2a6abf7158809cf4f3c")
	attrs := values.Attributes{Type: values.KeyTypeAES, Bits: 128}
	iv := make([]byte, 16)
	ct, _ := d.CipherEncrypt(attrs, key, values.AlgCBCPKCS7, iv, []byte("sixteen byte msg"), nil)

	op, err := d.CipherDecryptSetup(attrs, key, values.AlgCBCPKCS7)
	if err != nil {
		fmt.Println(err)
		return
	}
	op.SetIV(iv)
	out, _ := op.Update(ct[:20], nil)
	fmt.Println(len(out))
	out, _ = op.Update(ct[20:], out)
	fmt.Println(len(out))
	out, err = op.Finish(out)
	fmt.Printf("%q %v\n", out, err)
	// Output:
	// 16
	// 16
	// "sixteen byte msg" <nil>
}
