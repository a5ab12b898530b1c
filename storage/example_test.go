package storage_test

import (
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/gopsa/psa/storage"
	"github.com/gopsa/psa/values"
)

func ExampleOpenDir() {
	dir, err := os.MkdirTemp("", "keystore")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	s, err := storage.OpenDir(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	if err := s.Set(1, []byte("hello"), storage.FlagNone); err != nil {
		log.Fatal(err)
	}
	data, err := storage.ReadAll(s, 1)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s is in %s\n", data, storage.FileName(1))

	if err := s.Remove(1); err != nil {
		log.Fatal(err)
	}
	_, err = s.Info(1)
	fmt.Println(errors.Is(err, values.ErrDoesNotExist))
	// Output:
	// hello is in 0000000000000001.psa_its
	// true
}

func ExampleMemory_writeOnce() {
	s := storage.NewMemory()
	if err := s.Set(0xffffff52, []byte("seed"), storage.FlagWriteOnce); err != nil {
		log.Fatal(err)
	}
	err := s.Set(0xffffff52, []byte("other seed"), storage.FlagNone)
	fmt.Println(errors.Is(err, values.ErrNotPermitted))
	// Output: true
}
