package storage_test

import (
	"testing"

	"github.com/gopsa/psa/storage"
)

// The Dir numbers are dominated by the file system: Set syncs the file and
// the directory, Get opens and reads one file.

func BenchmarkSet100(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			s := be.open(b)
			data := make([]byte, 100)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if err := s.Set(storage.UID(1+i%16), data, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkGet100(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			s := be.open(b)
			data := make([]byte, 100)
			if err := s.Set(1, data, 0); err != nil {
				b.Fatal(err)
			}
			dst := make([]byte, len(data))
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Get(1, 0, dst); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
