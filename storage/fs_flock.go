//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package storage

import (
	"errors"
	"os"
	"syscall"
)

func lockFile(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			return err
		}
	}
}

func unlockFile(f *os.File) {
	// Closing the file would release the lock as well; an error here
	// cannot leave the lock held by a live descriptor we still use.
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}

func syncDir(dir *os.File) error { return dir.Sync() }

func isNoSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}
