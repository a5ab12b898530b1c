package builtin

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/gopsa/psa/values"
)

// Benchmarks of the single-part entry points, each next to the standard
// library (or x/crypto) on the same input: "stdlib" reuses a prepared
// cipher, "stdlib-setup" prepares it on every call as the driver must
// (each call receives the raw key), which isolates the cost of cipher
// construction from the cost of the dispatch-free driver path.
//
//	go test -run XXX -bench BenchmarkSym -benchmem ./drivers/builtin

func BenchmarkSymSHA256(b *testing.B) {
	d := new(Driver)
	for _, n := range []int{64, 16 << 10} {
		in := make([]byte, n)
		out := make([]byte, 0, 32)
		b.Run("size="+sizeName(n)+"/impl=driver", func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := d.HashCompute(values.AlgSHA256, in, out); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("size="+sizeName(n)+"/impl=stdlib", func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				s := sha256.Sum256(in)
				_ = append(out, s[:]...)
			}
		})
	}
}

func BenchmarkSymHMACSHA256(b *testing.B) {
	d := new(Driver)
	key := make([]byte, 32)
	attrs := symAttrs(values.KeyTypeHMAC, key)
	alg := values.AlgHMAC(values.AlgSHA256)
	in := make([]byte, 1024)
	out := make([]byte, 0, 32)
	b.Run("size=1KiB/impl=driver", func(b *testing.B) {
		b.SetBytes(1024)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.MACCompute(attrs, key, alg, in, out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("size=1KiB/impl=stdlib-setup", func(b *testing.B) {
		b.SetBytes(1024)
		b.ReportAllocs()
		for b.Loop() {
			h := hmac.New(sha256.New, key)
			h.Write(in)
			h.Sum(out)
		}
	})
	b.Run("size=1KiB/impl=stdlib", func(b *testing.B) {
		b.SetBytes(1024)
		b.ReportAllocs()
		h := hmac.New(sha256.New, key)
		for b.Loop() {
			h.Reset()
			h.Write(in)
			h.Sum(out)
		}
	})
}

func BenchmarkSymAES128GCM(b *testing.B) {
	d := new(Driver)
	key := make([]byte, 16)
	attrs := symAttrs(values.KeyTypeAES, key)
	nonce := make([]byte, 12)
	for _, n := range []int{64, 16 << 10} {
		in := make([]byte, n)
		out := make([]byte, 0, n+16)
		b.Run("size="+sizeName(n)+"/impl=driver", func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := d.AEADEncrypt(attrs, key, values.AlgGCM, nonce, nil, in, out); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("size="+sizeName(n)+"/impl=stdlib-setup", func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				blk, _ := aes.NewCipher(key)
				g, _ := cipher.NewGCM(blk)
				g.Seal(out, nonce, in, nil)
			}
		})
		b.Run("size="+sizeName(n)+"/impl=stdlib", func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			blk, _ := aes.NewCipher(key)
			g, _ := cipher.NewGCM(blk)
			for b.Loop() {
				g.Seal(out, nonce, in, nil)
			}
		})
	}
	// The streaming GCM of multi-part operations, for comparison.
	in := make([]byte, 16<<10)
	out := make([]byte, 0, len(in))
	b.Run("size=16KiB/impl=driver-multipart", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for b.Loop() {
			op, _ := d.AEADEncryptSetup(attrs, key, values.AlgGCM)
			op.SetNonce(nonce)
			o, _ := op.Update(in, out)
			op.Finish(o, nil)
		}
	})
}

func BenchmarkSymChaCha20Poly1305(b *testing.B) {
	d := new(Driver)
	key := make([]byte, 32)
	attrs := symAttrs(values.KeyTypeChaCha20, key)
	nonce := make([]byte, 12)
	in := make([]byte, 16<<10)
	out := make([]byte, 0, len(in)+16)
	b.Run("size=16KiB/impl=driver", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.AEADEncrypt(attrs, key, values.AlgChaCha20Poly1305, nonce, nil, in, out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("size=16KiB/impl=stdlib-setup", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for b.Loop() {
			a, _ := chacha20poly1305.New(key)
			a.Seal(out, nonce, in, nil)
		}
	})
	b.Run("size=16KiB/impl=stdlib", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		a, _ := chacha20poly1305.New(key)
		for b.Loop() {
			a.Seal(out, nonce, in, nil)
		}
	})
	b.Run("size=16KiB/impl=driver-multipart", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for b.Loop() {
			op, _ := d.AEADEncryptSetup(attrs, key, values.AlgChaCha20Poly1305)
			op.SetNonce(nonce)
			o, _ := op.Update(in, out)
			op.Finish(o, nil)
		}
	})
}

func BenchmarkSymAES128CTR(b *testing.B) {
	d := new(Driver)
	key := make([]byte, 16)
	attrs := symAttrs(values.KeyTypeAES, key)
	iv := make([]byte, 16)
	in := make([]byte, 16<<10)
	out := make([]byte, 0, len(in))
	b.Run("size=16KiB/impl=driver", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.CipherEncrypt(attrs, key, values.AlgCTR, iv, in, out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("size=16KiB/impl=stdlib-setup", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for b.Loop() {
			blk, _ := aes.NewCipher(key)
			cipher.NewCTR(blk, iv).XORKeyStream(out[:len(in)], in)
		}
	})
	b.Run("size=16KiB/impl=stdlib", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		blk, _ := aes.NewCipher(key)
		for b.Loop() {
			cipher.NewCTR(blk, iv).XORKeyStream(out[:len(in)], in)
		}
	})
}

func sizeName(n int) string {
	if n >= 1024 {
		return itoa(n>>10) + "KiB"
	}
	return itoa(n) + "B"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
