package core

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/gopsa/psa/driver"
	"github.com/gopsa/psa/values"
)

var (
	kdfHKDF256   = values.AlgHKDF(values.AlgSHA256)
	kdfPBKDF2256 = values.AlgPBKDF2HMAC(values.AlgSHA256)
)

// kdfVectors are RFC 5869 (HKDF-SHA-256, test cases 1 to 3) and RFC 7914
// §11 (PBKDF2-HMAC-SHA-256), given through the core to a driver that
// computes with the standard library: they check that every input reaches
// the driver as the step it was given for.
var kdfVectors = []struct {
	name               string
	alg                values.Algorithm
	salt, secret, info string
	cost               uint64
	okm                string
}{
	{"RFC 5869 case 1", kdfHKDF256, "000102030405060708090a0b0c", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "f0f1f2f3f4f5f6f7f8f9", 0,
		"3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
	{"RFC 5869 case 2", kdfHKDF256,
		"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f",
		"b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", 0,
		"b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"},
	{"RFC 5869 case 3", kdfHKDF256, "", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", 0,
		"8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
	{"RFC 7914 PBKDF2-HMAC-SHA-256", kdfPBKDF2256, "73616c74", "706173737764", "", 1,
		"55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"},
}

func TestKDFVectors(t *testing.T) {
	c, d := newAsymCore(t)
	for _, v := range kdfVectors {
		for _, asKey := range []bool{false, true} {
			name := v.name
			if asKey {
				name += ", secret as a key"
			}
			t.Run(name, func(t *testing.T) {
				var op KDFOp
				if err := op.Setup(c, v.alg); err != nil {
					t.Fatal(err)
				}
				defer op.Abort()
				secretStep, secretType := values.DerivationInputSecret, values.KeyTypeDerive
				if v.alg.IsPBKDF2HMAC() {
					secretStep, secretType = values.DerivationInputPassword, values.KeyTypePassword
					asymWant(t, "cost", op.InputInteger(values.DerivationInputCost, v.cost), nil)
				}
				if v.salt != "" || v.alg.IsPBKDF2HMAC() {
					asymWant(t, "salt", op.InputBytes(values.DerivationInputSalt, asymHex(t, v.salt)), nil)
				}
				if asKey {
					id := asymImport(t, c, values.Attributes{Type: secretType, Usage: values.UsageDerive, Alg: v.alg}, asymHex(t, v.secret))
					asymWant(t, "secret key", op.InputKey(secretStep, id), nil)
				} else {
					asymWant(t, "secret", op.InputBytes(secretStep, asymHex(t, v.secret)), nil)
				}
				if v.alg.IsHKDF() {
					asymWant(t, "info", op.InputBytes(values.DerivationInputInfo, asymHex(t, v.info)), nil)
				}
				want := asymHex(t, v.okm)
				// Read in two parts: the stream continues.
				got := make([]byte, len(want))
				asymWant(t, "output 1", op.OutputBytes(got[:7]), nil)
				asymWant(t, "output 2", op.OutputBytes(got[7:]), nil)
				if !bytes.Equal(got, want) {
					t.Errorf("output %x, want %x", got, want)
				}
				wantType := driver.InputBytes
				if asKey {
					wantType = driver.InputKey
				}
				if seen := d.lastInputs[secretStep]; seen != wantType {
					t.Errorf("the driver saw the secret as input type %d, want %d", seen, wantType)
				}
			})
		}
	}
}

// TestKDFDeriveInput runs the derive_input cases of the C reference's test
// suite: the input rules of each algorithm (order, repetition, bytes or
// key, key types) and the permission to output bytes or keys.
func TestKDFDeriveInput(t *testing.T) {
	f, err := os.Open("testdata/derive_input.data")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	desc, n := "", 0
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "# "):
			desc = line[2:]
			continue
		case !strings.HasPrefix(line, "derive_input:"):
			continue
		}
		n++
		fields := strings.Split(strings.TrimPrefix(line, "derive_input:"), ":")
		if len(fields) != 15 {
			t.Fatalf("%s: %d fields, want 15", desc, len(fields))
		}
		t.Run(desc, func(t *testing.T) { kdfDeriveInputCase(t, fields) })
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 104 {
		t.Errorf("ran %d cases, want the 104 of the suite", n)
	}
}

func kdfStatus(t *testing.T, s string) error {
	t.Helper()
	st, err := values.ParseStatus(s)
	if err != nil {
		t.Fatal(err)
	}
	if st == values.Success {
		return nil
	}
	return st
}

func kdfDeriveInputCase(t *testing.T, f []string) {
	c, _ := newAsymCore(t)
	alg, err := values.ParseAlgorithm(f[0])
	if err != nil {
		t.Fatal(err)
	}
	var op KDFOp
	defer op.Abort()
	if alg != 0 {
		if err := op.Setup(c, alg); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		stepName, typ, data, status := f[1+4*i], f[2+4*i], strings.Trim(f[3+4*i], `"`), f[4+4*i]
		if stepName == "0" {
			continue
		}
		step, err := values.ParseDerivationStep(stepName)
		if err != nil {
			t.Fatal(err)
		}
		b := asymHex(t, data)
		switch typ {
		case "PSA_KEY_TYPE_NONE":
			err = op.InputBytes(step, b)
		case "INPUT_INTEGER":
			v, perr := strconv.ParseUint(data, 16, 64)
			if perr != nil {
				t.Fatal(perr)
			}
			err = op.InputInteger(step, v)
		default:
			kt, perr := values.ParseKeyType(typ)
			if perr != nil {
				t.Fatal(perr)
			}
			id := asymImport(t, c, values.Attributes{Type: kt, Usage: values.UsageDerive, Alg: alg}, b)
			if kt.IsKeyPair() && step == values.DerivationInputSecret {
				// A key pair as the secret: a key agreement with itself.
				pub, perr := c.ExportPublic(id, nil)
				if perr != nil {
					t.Fatal(perr)
				}
				err = op.KeyAgreement(step, id, pub)
			} else {
				err = op.InputKey(step, id)
			}
		}
		asymWant(t, "input "+strconv.Itoa(i+1)+" ("+stepName+")", err, kdfStatus(t, status))
	}
	var outErr error
	if f[13] == "PSA_KEY_TYPE_NONE" {
		outErr = op.OutputBytes(make([]byte, 1))
	} else {
		kt, perr := values.ParseKeyType(f[13])
		if perr != nil {
			t.Fatal(perr)
		}
		_, outErr = op.OutputKey(values.Attributes{Type: kt, Bits: 8}, driver.ProductionParameters{})
	}
	asymWant(t, "output", outErr, kdfStatus(t, f[14]))
}

func kdfReady(t *testing.T, c *Core, op *KDFOp) {
	t.Helper()
	if err := op.Setup(c, kdfHKDF256); err != nil {
		t.Fatal(err)
	}
	if err := op.InputBytes(values.DerivationInputSecret, []byte("secret")); err != nil {
		t.Fatal(err)
	}
	if err := op.InputBytes(values.DerivationInputInfo, nil); err != nil {
		t.Fatal(err)
	}
}

// TestKDFCapacity checks the capacity rules: 255 hash lengths for HKDF,
// only decreasing, and ErrInsufficientData without the error state.
func TestKDFCapacity(t *testing.T) {
	c, d := newAsymCore(t)
	var op KDFOp
	kdfReady(t, c, &op)
	if n, err := op.Capacity(); err != nil || n != 255*32 {
		t.Fatalf("initial capacity %d, %v; want %d", n, err, 255*32)
	}
	asymWant(t, "raise capacity", op.SetCapacity(255*32+1), values.ErrInvalidArgument)
	asymWant(t, "set capacity", op.SetCapacity(40), nil)
	asymWant(t, "unlimited keeps it", op.SetCapacity(values.KeyDerivationUnlimitedCapacity), nil)
	if n, _ := op.Capacity(); n != 40 {
		t.Fatalf("capacity %d after SetCapacity(40), want 40", n)
	}
	out := make([]byte, 30)
	asymWant(t, "output 30", op.OutputBytes(out), nil)
	if d.capacity != 40 {
		t.Errorf("the driver was given capacity %d, want 40", d.capacity)
	}
	asymWant(t, "output 11 of 10", op.OutputBytes(make([]byte, 11)), values.ErrInsufficientData)
	if n, err := op.Capacity(); err != nil || n != 0 {
		t.Errorf("capacity after INSUFFICIENT_DATA: %d, %v; want 0 and an active operation", n, err)
	}
	asymWant(t, "output 0 at capacity 0", op.OutputBytes(nil), nil)
	asymWant(t, "output 1 at capacity 0", op.OutputBytes(out[:1]), values.ErrInsufficientData)
	asymWant(t, "abort", op.Abort(), nil)
	_, err := op.Capacity()
	asymWant(t, "capacity of an inactive operation", err, values.ErrBadState)

	// SP 800-108 reads the capacity as its output length: it is given to
	// the driver at setup and cannot change afterwards.
	alg := values.AlgSP800_108CounterHMAC(values.AlgSHA256)
	asymWant(t, "setup SP 800-108", op.Setup(c, alg), nil)
	if n, _ := op.Capacity(); n != 1<<29-1 {
		t.Errorf("SP 800-108 capacity %d, want 2^29-1", n)
	}
	key := asymImport(t, c, values.Attributes{Type: values.KeyTypeHMAC, Usage: values.UsageDerive, Alg: alg}, make([]byte, 32))
	asymWant(t, "secret", op.InputKey(values.DerivationInputSecret, key), nil)
	asymWant(t, "capacity before output", op.SetCapacity(64), nil)
	asymWant(t, "output", op.OutputBytes(out[:16]), nil)
	if d.capacity != 64 {
		t.Errorf("the driver was given capacity %d, want 64", d.capacity)
	}
	asymWant(t, "capacity after output", op.SetCapacity(32), values.ErrBadState)
	asymWant(t, "then the error state", op.OutputBytes(out[:1]), values.ErrBadState)
	op.Abort()
}

// TestKDFStates checks the error state: after a failure, everything but
// Abort fails with ErrBadState, and Abort makes the operation reusable.
func TestKDFStates(t *testing.T) {
	c, d := newAsymCore(t)
	var op KDFOp
	asymWant(t, "input before setup", op.InputBytes(values.DerivationInputSecret, nil), values.ErrBadState)
	asymWant(t, "output before setup", op.OutputBytes(make([]byte, 1)), values.ErrBadState)
	asymWant(t, "abort before setup", op.Abort(), nil)
	asymWant(t, "setup with a hash", op.Setup(c, values.AlgSHA256), values.ErrInvalidArgument)
	asymWant(t, "setup with a wildcard", op.Setup(c, values.AlgHKDF(values.AlgAnyHash)), values.ErrInvalidArgument)
	asymWant(t, "setup with a standalone agreement", op.Setup(c, values.AlgECDH), values.ErrInvalidArgument)
	kdfReady(t, c, &op)
	asymWant(t, "setup twice", op.Setup(c, kdfHKDF256), values.ErrBadState)
	if op.Algorithm() != kdfHKDF256 {
		t.Errorf("a second setup changed the operation")
	}
	asymWant(t, "output", op.OutputBytes(make([]byte, 8)), nil)
	asymWant(t, "input after output", op.InputBytes(values.DerivationInputSalt, nil), values.ErrBadState)
	aborts := d.called("key_derivation_abort")
	if aborts != 1 {
		t.Errorf("the driver operation was aborted %d times on entering the error state, want 1", aborts)
	}
	for name, err := range map[string]error{
		"capacity":     op.SetCapacity(1),
		"output bytes": op.OutputBytes(make([]byte, 1)),
		"verify bytes": op.VerifyBytes(nil),
		"input":        op.InputBytes(values.DerivationInputInfo, nil),
	} {
		asymWant(t, name+" in the error state", err, values.ErrBadState)
	}
	_, err := op.OutputKey(values.Attributes{Type: values.KeyTypeDerive, Bits: 8}, driver.ProductionParameters{})
	asymWant(t, "output key in the error state", err, values.ErrBadState)
	asymWant(t, "setup in the error state", op.Setup(c, kdfHKDF256), values.ErrBadState)
	asymWant(t, "abort", op.Abort(), nil)
	if d.called("key_derivation_abort") != aborts {
		t.Error("Abort called the driver again after the error state released it")
	}
	asymWant(t, "abort twice", op.Abort(), nil)
	// Reuse: the same value derives the same output again.
	var first, second [16]byte
	for _, out := range []*[16]byte{&first, &second} {
		kdfReady(t, c, &op)
		asymWant(t, "output", op.OutputBytes(out[:]), nil)
		asymWant(t, "abort", op.Abort(), nil)
	}
	if first != second {
		t.Error("a reused operation derived another output")
	}
}

// TestKDFPolicy is the policy matrix of input_key and the outputs: DERIVE
// for outputs, VERIFY_DERIVATION for verification only, and the
// operation's algorithm.
func TestKDFPolicy(t *testing.T) {
	c, _ := newAsymCore(t)
	secret := []byte("a derivation key")
	tests := []struct {
		name                 string
		usage                values.KeyUsage
		policy               values.Algorithm
		input, bytes, verify error
	}{
		{"DERIVE", values.UsageDerive, kdfHKDF256, nil, nil, nil},
		{"no usage", values.UsageExport, kdfHKDF256, values.ErrNotPermitted, values.ErrBadState, values.ErrBadState},
		{"VERIFY_DERIVATION only", values.UsageVerifyDerivation, kdfHKDF256, nil, values.ErrNotPermitted, nil},
		{"other hash", values.UsageDerive, values.AlgHKDF(values.AlgSHA384), values.ErrNotPermitted, values.ErrBadState, values.ErrBadState},
		{"other KDF", values.UsageDerive, values.AlgTLS12PRF(values.AlgSHA256), values.ErrNotPermitted, values.ErrBadState, values.ErrBadState},
	}
	var ref [16]byte
	{
		var op KDFOp
		op.Setup(c, kdfHKDF256)
		op.InputBytes(values.DerivationInputSecret, secret)
		op.InputBytes(values.DerivationInputInfo, nil)
		op.OutputBytes(ref[:])
		op.Abort()
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := asymImport(t, c, values.Attributes{Type: values.KeyTypeDerive, Usage: tt.usage, Alg: tt.policy}, secret)
			for _, verify := range []bool{false, true} {
				var op KDFOp
				op.Setup(c, kdfHKDF256)
				asymWant(t, "input key", op.InputKey(values.DerivationInputSecret, id), tt.input)
				if tt.input == nil {
					asymWant(t, "info", op.InputBytes(values.DerivationInputInfo, nil), nil)
				}
				if verify {
					asymWant(t, "verify bytes", op.VerifyBytes(ref[:]), tt.verify)
				} else {
					var out [16]byte
					asymWant(t, "output bytes", op.OutputBytes(out[:]), tt.bytes)
				}
				op.Abort()
			}
		})
	}
}

func TestKDFOutputKey(t *testing.T) {
	c, d := newAsymCore(t)
	var op KDFOp
	secret := asymImport(t, c, values.Attributes{Type: values.KeyTypeDerive, Usage: values.UsageDerive, Alg: kdfHKDF256}, []byte("secret"))
	setup := func() {
		t.Helper()
		op.Abort()
		asymWant(t, "setup", op.Setup(c, kdfHKDF256), nil)
		asymWant(t, "secret", op.InputKey(values.DerivationInputSecret, secret), nil)
		asymWant(t, "info", op.InputBytes(values.DerivationInputInfo, nil), nil)
	}
	setup()
	var ref [64]byte
	asymWant(t, "reference output", op.OutputBytes(ref[:]), nil)

	// A raw key is the next bytes of output.
	setup()
	aes, err := op.OutputKey(values.Attributes{Type: values.KeyTypeAES, Bits: 128, Usage: values.UsageExport}, driver.ProductionParameters{})
	asymWant(t, "AES key", err, nil)
	if got, _ := c.Export(aes, nil); !bytes.Equal(got, ref[:16]) {
		t.Errorf("AES key %x, want the first 16 bytes of output %x", got, ref[:16])
	}
	// A cooked key comes from derive_key, reading the stream that follows.
	before := d.called("derive_key")
	ecc, err := op.OutputKey(values.Attributes{Type: asymECCPair, Bits: 256, Usage: values.UsageExport}, driver.ProductionParameters{})
	asymWant(t, "ECC key", err, nil)
	got, _ := c.Export(ecc, nil)
	want := bytes.Clone(ref[16:48])
	for i := range want {
		want[i] = ^want[i]
	}
	if d.called("derive_key") != before+1 || !bytes.Equal(got, want) {
		t.Errorf("ECC key %x, want derive_key's key from output bytes 16 to 48", got)
	}
	if n, _ := op.Capacity(); n != 255*32-48 {
		t.Errorf("capacity %d after 48 bytes, want %d", n, 255*32-48)
	}
	_, err = op.OutputKey(values.Attributes{Type: asymECCPublic, Bits: 256}, driver.ProductionParameters{})
	asymWant(t, "public key", err, values.ErrInvalidArgument)
	setup()
	_, err = op.OutputKey(values.Attributes{Type: values.KeyTypeAES}, driver.ProductionParameters{})
	asymWant(t, "no size", err, values.ErrInvalidArgument)
	setup()
	_, err = op.OutputKey(values.Attributes{Type: values.KeyTypeAES, Bits: 128}, driver.ProductionParameters{Flags: 1})
	asymWant(t, "custom parameters", err, values.ErrInvalidArgument) // defined for RSA only
	setup()
	_, err = op.OutputKey(values.Attributes{Type: values.KeyTypePasswordHash, Bits: 128, Alg: values.AlgHKDF(values.AlgSHA384)}, driver.ProductionParameters{})
	asymWant(t, "password hash with another algorithm", err, values.ErrInvalidArgument)
	setup()
	op.SetCapacity(10)
	_, err = op.OutputKey(values.Attributes{Type: values.KeyTypeAES, Bits: 128}, driver.ProductionParameters{})
	asymWant(t, "beyond the capacity", err, values.ErrInsufficientData)
	if n, err := op.Capacity(); n != 0 || err != nil {
		t.Errorf("capacity %d, %v after INSUFFICIENT_DATA, want 0 and an active operation", n, err)
	}
	op.Abort()
}

func TestKDFVerify(t *testing.T) {
	c, _ := newAsymCore(t)
	pw := []byte("correct horse")
	var op KDFOp
	setup := func() {
		t.Helper()
		op.Abort()
		asymWant(t, "setup", op.Setup(c, kdfPBKDF2256), nil)
		asymWant(t, "cost", op.InputInteger(values.DerivationInputCost, 2), nil)
		asymWant(t, "salt", op.InputBytes(values.DerivationInputSalt, []byte("salt")), nil)
		asymWant(t, "password", op.InputBytes(values.DerivationInputPassword, pw), nil)
	}
	setup()
	var ref [32]byte
	asymWant(t, "output", op.OutputBytes(ref[:]), nil)
	setup()
	asymWant(t, "verify", op.VerifyBytes(ref[:]), nil)
	setup()
	bad := ref
	bad[31] ^= 1
	asymWant(t, "verify a wrong value", op.VerifyBytes(bad[:]), values.ErrInvalidSignature)
	asymWant(t, "then the error state", op.VerifyBytes(ref[:]), values.ErrBadState)

	hashKey := asymImport(t, c, values.Attributes{Type: values.KeyTypePasswordHash, Usage: values.UsageVerifyDerivation, Alg: kdfPBKDF2256}, ref[:])
	setup()
	asymWant(t, "verify key", op.VerifyKey(hashKey), nil)
	wrongType := asymImport(t, c, values.Attributes{Type: values.KeyTypeRawData, Usage: values.UsageVerifyDerivation, Alg: kdfPBKDF2256}, ref[:])
	setup()
	asymWant(t, "verify a raw key", op.VerifyKey(wrongType), values.ErrInvalidArgument)
	noUsage := asymImport(t, c, values.Attributes{Type: values.KeyTypePasswordHash, Usage: values.UsageDerive, Alg: kdfPBKDF2256}, ref[:])
	setup()
	asymWant(t, "verify key without VERIFY_DERIVATION", op.VerifyKey(noUsage), values.ErrNotPermitted)
	otherAlg := asymImport(t, c, values.Attributes{Type: values.KeyTypePasswordHash, Usage: values.UsageVerifyDerivation, Alg: kdfHKDF256}, ref[:])
	setup()
	asymWant(t, "verify key of another algorithm", op.VerifyKey(otherAlg), values.ErrNotPermitted)
	op.Abort()
}

// TestKDFKeyAgreement derives from an X25519 shared secret (RFC 7748)
// with HKDF: the result must equal HKDF over the known secret.
func TestKDFKeyAgreement(t *testing.T) {
	c, _ := newAsymCore(t)
	alg := values.AlgKeyAgreement(values.AlgECDH, kdfHKDF256)
	priv := asymImport(t, c, values.Attributes{Type: asymX25519, Bits: 255, Usage: values.UsageDerive, Alg: values.AlgECDH}, asymHex(t, asymX25519Alice))
	var op, ref KDFOp
	asymWant(t, "setup", op.Setup(c, alg), nil)
	asymWant(t, "agreement", op.KeyAgreement(values.DerivationInputSecret, priv, asymHex(t, asymX25519BobP)), nil)
	asymWant(t, "info", op.InputBytes(values.DerivationInputInfo, []byte("info")), nil)
	asymWant(t, "setup", ref.Setup(c, kdfHKDF256), nil)
	asymWant(t, "secret", ref.InputBytes(values.DerivationInputSecret, asymHex(t, asymX25519K)), nil)
	asymWant(t, "info", ref.InputBytes(values.DerivationInputInfo, []byte("info")), nil)
	var a, b [42]byte
	asymWant(t, "output", op.OutputBytes(a[:]), nil)
	asymWant(t, "reference", ref.OutputBytes(b[:]), nil)
	if a != b {
		t.Errorf("derived %x from the agreement, want %x", a, b)
	}
	op.Abort()
	ref.Abort()
	// A key agreement makes output_key possible; a plain HKDF operation
	// refuses it.
	asymWant(t, "setup", op.Setup(c, alg), nil)
	asymWant(t, "agreement", op.KeyAgreement(values.DerivationInputSecret, priv, asymHex(t, asymX25519BobP)), nil)
	asymWant(t, "info", op.InputBytes(values.DerivationInputInfo, nil), nil)
	_, err := op.OutputKey(values.Attributes{Type: values.KeyTypeHMAC, Bits: 256}, driver.ProductionParameters{})
	asymWant(t, "output key", err, nil)
	op.Abort()
	asymWant(t, "setup", op.Setup(c, kdfHKDF256), nil)
	asymWant(t, "agreement without a KA algorithm", op.KeyAgreement(values.DerivationInputSecret, priv, asymHex(t, asymX25519BobP)), values.ErrInvalidArgument)
	op.Abort()
	noDerive := asymImport(t, c, values.Attributes{Type: asymX25519, Bits: 255, Usage: values.UsageExport, Alg: values.AlgECDH}, asymHex(t, asymX25519Alice))
	asymWant(t, "setup", op.Setup(c, alg), nil)
	asymWant(t, "agreement without DERIVE", op.KeyAgreement(values.DerivationInputSecret, noDerive, asymHex(t, asymX25519BobP)), values.ErrNotPermitted)
	op.Abort()
	asymWant(t, "setup", op.Setup(c, alg), nil)
	asymWant(t, "agreement into info", op.KeyAgreement(values.DerivationInputInfo, priv, asymHex(t, asymX25519BobP)), values.ErrInvalidArgument)
	op.Abort()
}

// TestKDFInputsView checks what a driver sees: omitted optional steps,
// invalid steps, and a clear error from the wrong accessor.
func TestKDFInputsView(t *testing.T) {
	c, _ := newAsymCore(t)
	var op KDFOp
	asymWant(t, "setup", op.Setup(c, kdfHKDF256), nil)
	asymWant(t, "secret", op.InputBytes(values.DerivationInputSecret, []byte("s")), nil)
	v := kdfInputs{&op}
	for step, want := range map[values.DerivationStep]driver.InputType{
		values.DerivationInputSecret: driver.InputBytes,
		values.DerivationInputSalt:   driver.InputOmitted,
		values.DerivationInputInfo:   driver.InputOmitted, // required, but not yet given

		values.DerivationInputLabel: driver.InputInvalid,
	} {
		if got := v.Type(step); got != want {
			t.Errorf("Type(%v) = %d, want %d", step, got, want)
		}
	}
	if _, _, err := v.Key(values.DerivationInputSecret); !asymIsStatus(err, values.ErrInvalidArgument) {
		t.Errorf("Key of a bytes input: %v, want INVALID_ARGUMENT", err)
	}
	if b, err := v.Bytes(values.DerivationInputSecret); err != nil || string(b) != "s" {
		t.Errorf("Bytes = %q, %v", b, err)
	}
	op.Abort()
}

// asymNopDispatch measures the core's own cost: its signature and key
// derivation do no cryptography.
type asymNopDispatch struct{ asymDispatch }

func (d *asymNopDispatch) SignHash(_ values.Attributes, _ []byte, _ values.Algorithm, _, dst []byte) ([]byte, error) {
	return append(dst, make([]byte, 64)...), nil
}

func (d *asymNopDispatch) KeyDerivationSetup(values.Algorithm, driver.DerivationInputs) (driver.DerivationOperation, error) {
	return asymNopKDF{}, nil
}

type asymNopKDF struct{}

func (asymNopKDF) InputStep(values.DerivationStep, []byte) error { return nil }
func (asymNopKDF) OutputBytes(out []byte) error                  { clear(out); return nil }
func (asymNopKDF) Abort() error                                  { return nil }

func newAsymNopCore(b *testing.B) *Core {
	c, err := New(Config{Dispatch: &asymNopDispatch{}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return c
}

// BenchmarkKDFCore is a whole HKDF operation (setup, two inputs, output,
// abort) through the core over a driver that does nothing: it allocates
// nothing once the operation's buffers exist.
func BenchmarkKDFCore(b *testing.B) {
	c := newAsymNopCore(b)
	var op KDFOp
	secret, out := make([]byte, 32), make([]byte, 32)
	b.ReportAllocs()
	for b.Loop() {
		op.Setup(c, kdfHKDF256)
		op.InputBytes(values.DerivationInputSecret, secret)
		op.InputBytes(values.DerivationInputInfo, nil)
		op.OutputBytes(out)
		op.Abort()
	}
}

// BenchmarkSignHashCore is SignHash through the core (policy, checks,
// dispatch) over a driver that does nothing.
func BenchmarkSignHashCore(b *testing.B) {
	c := newAsymNopCore(b)
	id := asymImport(b, c, values.Attributes{Type: asymECCPair, Bits: 256, Usage: values.UsageSignHash, Alg: asymECDSA256}, make([]byte, 32))
	h, dst := make([]byte, 32), make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		c.SignHash(id, asymECDSA256, h, dst)
	}
}
