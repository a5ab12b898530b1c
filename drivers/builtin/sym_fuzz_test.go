package builtin

import (
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

// Fuzz targets: decryption, verification, unwrapping and hash resumption
// take attacker-controlled input and must answer with an error, never a
// panic, whatever the input and parameters.

var symFuzzAlgs = []values.Algorithm{
	values.AlgECBNoPadding, values.AlgCBCNoPadding, values.AlgCBCPKCS7, values.AlgCTR, values.AlgCFB,
	values.AlgOFB, values.AlgXTS, values.AlgCCMStarNoTag, values.AlgStreamCipher,
}

var symFuzzKeyTypes = []values.KeyType{
	values.KeyTypeAES, values.KeyTypeARIA, values.KeyTypeCamellia, values.KeyTypeDES,
	values.KeyTypeChaCha20, values.KeyTypeXChaCha20, values.KeyTypeARC4, values.KeyTypeHMAC, values.KeyTypeSM4,
}

func FuzzSymCipherDecrypt(f *testing.F) {
	f.Add(uint8(2), uint8(0), []byte("0123456789abcdef"), []byte("0123456789abcdef0123456789abcdef"), uint16(5))
	f.Add(uint8(8), uint8(4), make([]byte, 32), make([]byte, 40), uint16(12))
	f.Fuzz(func(t *testing.T, a, k uint8, key, input []byte, split uint16) {
		d := new(Driver)
		alg := symFuzzAlgs[int(a)%len(symFuzzAlgs)]
		attrs := symAttrs(symFuzzKeyTypes[int(k)%len(symFuzzKeyTypes)], key)
		out, err := d.CipherDecrypt(attrs, key, alg, input, nil)
		if err != nil && out != nil {
			t.Fatal("output appended on error")
		}
		if err != nil && driver.StatusOf(err) == values.ErrGenericError {
			t.Fatalf("error without a PSA status: %v", err)
		}
		op, err := d.CipherDecryptSetup(attrs, key, alg)
		if err != nil {
			return
		}
		s := int(split) % (len(input) + 1)
		if op.SetIV(input[:min(s, 32)]) != nil {
			return
		}
		if _, err := op.Update(input[s:], nil); err == nil {
			op.Finish(nil)
		}
	})
}

func FuzzSymAEADDecrypt(f *testing.F) {
	f.Add(uint8(0), make([]byte, 16), make([]byte, 12), []byte("ad"), make([]byte, 20), uint8(16))
	f.Fuzz(func(t *testing.T, a uint8, key, nonce, ad, ct []byte, tag uint8) {
		d := new(Driver)
		bases := []values.Algorithm{values.AlgGCM, values.AlgCCM, values.AlgChaCha20Poly1305, values.AlgXChaCha20Poly1305}
		alg := values.AlgAEADWithShortenedTag(bases[int(a)%len(bases)], int(tag%20))
		kt := []values.KeyType{values.KeyTypeAES, values.KeyTypeAES, values.KeyTypeChaCha20, values.KeyTypeXChaCha20}[int(a)%4]
		attrs := symAttrs(kt, key)
		dst := make([]byte, 0, 8)
		out, err := d.AEADDecrypt(attrs, key, alg, nonce, ad, ct, dst)
		if err != nil && out != nil {
			t.Fatal("output appended on error")
		}
		op, err := d.AEADDecryptSetup(attrs, key, alg)
		if err != nil {
			return
		}
		op.SetLengths(len(ad), len(ct)/2)
		if op.SetNonce(nonce) != nil {
			return
		}
		op.UpdateAD(ad)
		op.Update(ct[:len(ct)/2], nil)
		op.Verify(nil, ct[len(ct)/2:])
	})
}

func FuzzSymMACVerify(f *testing.F) {
	f.Add(uint32(values.AlgHMAC(values.AlgSHA256)), uint8(7), make([]byte, 16), []byte("msg"), make([]byte, 32))
	f.Add(uint32(values.AlgCMAC), uint8(0), make([]byte, 16), []byte("msg"), make([]byte, 16))
	f.Fuzz(func(t *testing.T, alg uint32, k uint8, key, msg, mac []byte) {
		d := new(Driver)
		attrs := symAttrs(symFuzzKeyTypes[int(k)%len(symFuzzKeyTypes)], key)
		err := d.MACVerify(attrs, key, values.Algorithm(alg), msg, mac)
		if err == nil {
			// Accepting is only possible with the right MAC.
			want, err := d.MACCompute(attrs, key, values.Algorithm(alg), msg, nil)
			if err != nil || string(want) != string(mac) {
				t.Fatalf("verify accepted a MAC that compute does not produce")
			}
		}
	})
}

func FuzzSymUnwrapKey(f *testing.F) {
	f.Add(false, make([]byte, 16), make([]byte, 24))
	f.Add(true, make([]byte, 32), make([]byte, 16))
	f.Fuzz(func(t *testing.T, pad bool, key, wrapped []byte) {
		d := new(Driver)
		alg := values.AlgKW
		if pad {
			alg = values.AlgKWP
		}
		out, err := d.UnwrapKey(symAttrs(values.KeyTypeAES, key), key, alg, wrapped, nil)
		if err != nil && out != nil {
			t.Fatal("output appended on error")
		}
	})
}

func FuzzSymHashResume(f *testing.F) {
	f.Add(uint32(values.AlgSHA256), []byte{2, 0, 0, 9})
	f.Fuzz(func(t *testing.T, alg uint32, state []byte) {
		d := new(Driver)
		op, err := d.HashResume(values.Algorithm(alg), state)
		if err != nil {
			return
		}
		op.Update(state)
		if _, err := op.Finish(nil); err != nil {
			t.Fatal(err)
		}
	})
}
