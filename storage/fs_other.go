//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package storage

import (
	"errors"
	"os"
	"syscall"
)

// Without flock, writers are serialized within the process only; the Dir
// documentation says so.
func lockFile(*os.File) error { return nil }

func unlockFile(*os.File) {}

// Directories cannot be synced portably elsewhere (Windows refuses it);
// there the rename itself is what the file system makes durable.
func syncDir(*os.File) error { return nil }

func isNoSpace(err error) bool { return errors.Is(err, syscall.ENOSPC) }
