package builtin_test

import (
	"encoding/hex"
	"fmt"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/drivers/builtin"
	"github.com/gopsa/psa/values"
)

// derivationInputs is a driver.DerivationInputs holding direct inputs, as
// the core would collect them from psa_key_derivation_input_bytes.
type derivationInputs map[values.DerivationStep][]byte

func (m derivationInputs) Type(step values.DerivationStep) driver.InputType {
	if _, ok := m[step]; ok {
		return driver.InputBytes
	}
	return driver.InputOmitted
}

func (m derivationInputs) Bytes(step values.DerivationStep) ([]byte, error) {
	if b, ok := m[step]; ok {
		return b, nil
	}
	return nil, values.ErrInvalidArgument
}

func (m derivationInputs) Key(values.DerivationStep) (values.Attributes, []byte, error) {
	return values.Attributes{}, nil, values.ErrInvalidArgument
}

func (m derivationInputs) Integer(values.DerivationStep) (uint64, error) {
	return 0, values.ErrInvalidArgument
}

// Derive the output of RFC 5869 test case A.1 with HKDF-SHA-256, read in
// two pieces: the second read continues the stream.
func ExampleDriver_KeyDerivationSetup() {
	unhex := func(s string) []byte { b, _ := hex.DecodeString(s); return b }
	inputs := derivationInputs{
		values.DerivationInputSalt:   unhex("000102030405060708090a0b0c"),
		values.DerivationInputSecret: unhex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
		values.DerivationInputInfo:   unhex("f0f1f2f3f4f5f6f7f8f9"),
	}
	var d builtin.Driver
	op, err := d.KeyDerivationSetup(values.AlgHKDF(values.AlgSHA256), inputs)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer op.Abort()

	key := make([]byte, 32)
	nonce := make([]byte, 10)
	if err := op.OutputBytes(key); err != nil {
		fmt.Println(err)
		return
	}
	if err := op.OutputBytes(nonce); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%x\n%x\n", key, nonce)
	// Output:
	// 3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf
	// 34007208d5b887185865
}
