package storage

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gopsa/psa/values"
)

func mustOpen(t *testing.T, path string) *Dir {
	t.Helper()
	d, err := OpenDir(path)
	if err != nil {
		t.Fatalf("OpenDir(%s): %v", path, err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if want == nil && err != nil || want != nil && !errors.Is(err, want) {
		t.Fatalf("%s: error %v, want %v", what, err, want)
	}
}

func TestFileName(t *testing.T) {
	tests := []struct {
		uid  UID
		name string
	}{
		{1, "0000000000000001.psa_its"},
		{0xffffff52, "00000000ffffff52.psa_its"},
		{0x0123456789abcdef, "0123456789abcdef.psa_its"},
		{1<<64 - 1, "ffffffffffffffff.psa_its"},
	}
	for _, tc := range tests {
		if got := FileName(tc.uid); got != tc.name {
			t.Errorf("FileName(%v) = %q, want %q", tc.uid, got, tc.name)
		}
		if uid, ok := parseFileName(tc.name); !ok || uid != tc.uid {
			t.Errorf("parseFileName(%q) = %v, %v", tc.name, uid, ok)
		}
	}
	for _, bad := range []string{
		"0123456789ABCDEF.psa_its", "123.psa_its", "0000000000000001.psa_itz",
		"000000000000000g.psa_its", "tempfile.psa_its", ".gopsa.lock", "00000000000000001.psa_its",
	} {
		if uid, ok := parseFileName(bad); ok {
			t.Errorf("parseFileName(%q) = %v, want no item", bad, uid)
		}
	}
}

// TestDirFormat checks the bytes on disk against the layout of
// TF-PSA-Crypto's psa_its_file.c, in both directions.
func TestDirFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys")
	d := mustOpen(t, path)
	const uid = 0x0102030405060708
	if err := d.Set(uid, []byte("abc"), 0x12345678); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(path, "0102030405060708.psa_its")
	got, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte("PSA\x00ITS\x00" + "\x03\x00\x00\x00" + "\x78\x56\x34\x12" + "abc")
	if !bytes.Equal(got, want) {
		t.Fatalf("file content %x, want %x", got, want)
	}
	if runtime.GOOS != "windows" {
		if st, _ := os.Stat(path); st.Mode().Perm() != 0o700 {
			t.Errorf("directory mode %v, want 0700", st.Mode().Perm())
		}
		if st, _ := os.Stat(name); st.Mode().Perm() != 0o600 {
			t.Errorf("file mode %v, want 0600", st.Mode().Perm())
		}
	}

	// A file as the C backend writes it: a write-once random seed.
	seed := bytes.Repeat([]byte{0x5a}, 64)
	c := append([]byte("PSA\x00ITS\x00\x40\x00\x00\x00\x01\x00\x00\x00"), seed...)
	if err := os.WriteFile(filepath.Join(path, "00000000ffffff52.psa_its"), c, 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := d.Info(0xffffff52)
	if err != nil || info != (Info{Size: 64, Flags: FlagWriteOnce}) {
		t.Fatalf("Info of C file = %+v, %v", info, err)
	}
	if data, err := ReadAll(d, 0xffffff52); err != nil || !bytes.Equal(data, seed) {
		t.Fatalf("ReadAll of C file = %x, %v", data, err)
	}
	wantErr(t, "overwrite C write-once file", d.Set(0xffffff52, nil, 0), values.ErrNotPermitted)
}

func TestDirCorruptFiles(t *testing.T) {
	header := func(size, flags uint32) string {
		return "PSA\x00ITS\x00" + string([]byte{byte(size), byte(size >> 8), byte(size >> 16), byte(size >> 24),
			byte(flags), byte(flags >> 8), byte(flags >> 16), byte(flags >> 24)})
	}
	tests := []struct {
		name    string
		content string
		want    error
		msg     string
	}{
		{"empty", "", values.ErrDataCorrupt, "truncated header"},
		{"short header", header(0, 0)[:15], values.ErrDataCorrupt, "truncated header"},
		{"bad magic", "PSA\x00KEY\x00" + header(3, 0)[8:] + "abc", values.ErrDataCorrupt, "bad magic"},
		{"truncated data", header(10, 0) + "abc", values.ErrDataCorrupt, "announces 10 bytes"},
		{"trailing data", header(3, 0) + "abcdef", values.ErrDataCorrupt, "announces 3 bytes"},
		{"huge size", header(0xffffffff, 0) + "abc", values.ErrDataCorrupt, "announces 4294967295 bytes"},
		{"foreign", "hello, world\n", values.ErrDataCorrupt, "truncated header"},
		{"foreign long", "#!/bin/sh\necho this is not a key store\n", values.ErrDataCorrupt, "bad magic"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustOpen(t, t.TempDir())
			const uid = 42
			name := filepath.Join(d.Path(), FileName(uid))
			if err := os.WriteFile(name, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := d.Info(uid)
			wantErr(t, "Info", err, tc.want)
			if !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("Info error %q does not name %s or say %q", err, name, tc.msg)
			}
			_, err = d.Get(uid, 0, nil)
			wantErr(t, "Get", err, tc.want)
			_, err = ReadAll(d, uid)
			wantErr(t, "ReadAll", err, tc.want)
			// A damaged file can be replaced.
			wantErr(t, "Set", d.Set(uid, []byte("new"), 0), nil)
			if data, err := ReadAll(d, uid); err != nil || string(data) != "new" {
				t.Fatalf("after Set: %q, %v", data, err)
			}
		})
	}
	t.Run("directory in place of a file", func(t *testing.T) {
		d := mustOpen(t, t.TempDir())
		if err := os.Mkdir(filepath.Join(d.Path(), FileName(5)), 0o700); err != nil {
			t.Fatal(err)
		}
		_, err := d.Info(5)
		if !errors.Is(err, values.ErrStorageFailure) && !errors.Is(err, values.ErrDataCorrupt) {
			t.Fatalf("Info = %v, want a storage failure or corrupt data", err)
		}
		if uids, err := d.UIDs(); err != nil || len(uids) != 0 {
			t.Fatalf("UIDs() = %v, %v; want none", uids, err)
		}
	})
}

func TestDirCleansTempFiles(t *testing.T) {
	path := t.TempDir()
	for _, n := range []string{tempPrefix + "123456", cTempName, "notes.txt"} {
		if err := os.WriteFile(filepath.Join(path, n), []byte("junk"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	d := mustOpen(t, path)
	for _, n := range []string{tempPrefix + "123456", cTempName} {
		if _, err := os.Stat(filepath.Join(path, n)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("stale temporary file %s survived OpenDir: %v", n, err)
		}
	}
	if _, err := os.Stat(filepath.Join(path, "notes.txt")); err != nil {
		t.Errorf("OpenDir removed a file that is not its own: %v", err)
	}
	if uids, err := d.UIDs(); err != nil || len(uids) != 0 {
		t.Errorf("UIDs() = %v, %v; want none", uids, err)
	}
}

func TestDirWriteOnceSurvivesReopen(t *testing.T) {
	path := t.TempDir()
	d, err := OpenDir(path)
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, "Set", d.Set(9, []byte("forever"), FlagWriteOnce), nil)
	wantErr(t, "Close", d.Close(), nil)
	wantErr(t, "Set after Close", d.Set(9, nil, 0), values.ErrBadState)
	_, err = d.Info(9)
	wantErr(t, "Info after Close", err, values.ErrBadState)
	wantErr(t, "second Close", d.Close(), nil)

	d = mustOpen(t, path)
	wantErr(t, "Set after reopen", d.Set(9, []byte("changed"), 0), values.ErrNotPermitted)
	wantErr(t, "Remove after reopen", d.Remove(9), values.ErrNotPermitted)
	if data, err := ReadAll(d, 9); err != nil || string(data) != "forever" {
		t.Fatalf("ReadAll = %q, %v", data, err)
	}
}

func TestOpenDirErrors(t *testing.T) {
	_, err := OpenDir("")
	wantErr(t, "empty path", err, values.ErrInvalidArgument)
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = OpenDir(file)
	wantErr(t, "path is a file", err, values.ErrStorageFailure)
	if !strings.Contains(err.Error(), file) {
		t.Errorf("error %q does not name %s", err, file)
	}
}

// TestDirWriteFaults makes each step of the write path fail and checks
// that the old item is intact, no temporary file is left and the error
// has the right status.
func TestDirWriteFaults(t *testing.T) {
	errIO := syscall.EIO
	tests := []struct {
		step string
		err  error
		want error
	}{
		{"create", errIO, values.ErrStorageFailure},
		{"create", syscall.ENOSPC, values.ErrInsufficientStorage},
		{"write", errIO, values.ErrStorageFailure},
		{"write", syscall.ENOSPC, values.ErrInsufficientStorage},
		{"sync", errIO, values.ErrStorageFailure},
		{"sync", syscall.ENOSPC, values.ErrInsufficientStorage},
		{"close", errIO, values.ErrStorageFailure},
		{"rename", errIO, values.ErrStorageFailure},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s/%v", tc.step, tc.err), func(t *testing.T) {
			d := mustOpen(t, t.TempDir())
			old := []byte("old content")
			wantErr(t, "Set", d.Set(3, old, FlagNoConfidentiality), nil)
			d.fault = func(step string) error {
				if step == tc.step {
					return tc.err
				}
				return nil
			}
			err := d.Set(3, []byte("new content, longer than the old"), 0)
			wantErr(t, "faulty Set", err, tc.want)
			if !errors.Is(err, tc.err) {
				t.Errorf("error %v does not wrap the cause %v", err, tc.err)
			}
			d.fault = nil
			if data, err := ReadAll(d, 3); err != nil || !bytes.Equal(data, old) {
				t.Fatalf("after failed Set: %q, %v; want the old content", data, err)
			}
			if info, _ := d.Info(3); info.Flags != FlagNoConfidentiality {
				t.Fatalf("after failed Set: flags %#x", info.Flags)
			}
			assertNoTemp(t, d.Path())
			// The store still works.
			wantErr(t, "Set after fault", d.Set(3, []byte("next"), 0), nil)
		})
	}

	t.Run("syncdir", func(t *testing.T) {
		d := mustOpen(t, t.TempDir())
		d.fault = func(step string) error {
			if step == "syncdir" {
				return errIO
			}
			return nil
		}
		err := d.Set(3, []byte("new"), 0)
		wantErr(t, "Set", err, values.ErrStorageFailure)
		if !strings.Contains(err.Error(), "may not survive a crash") {
			t.Errorf("error %q does not say the change may be lost", err)
		}
		// The rename happened: the new content is what a reader sees.
		d.fault = nil
		if data, err := ReadAll(d, 3); err != nil || string(data) != "new" {
			t.Fatalf("after Set: %q, %v", data, err)
		}
		d.fault = func(step string) error {
			if step == "syncdir" {
				return errIO
			}
			return nil
		}
		wantErr(t, "Remove", d.Remove(3), values.ErrStorageFailure)
		assertNoTemp(t, d.Path())
	})
}

// TestDirReadOnly uses the file system's own refusal rather than a hook.
func TestDirReadOnly(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs a user that directory permissions apply to (not root, not Windows)")
	}
	path := t.TempDir()
	d := mustOpen(t, path)
	wantErr(t, "Set", d.Set(1, []byte("old"), 0), nil)
	if err := os.Chmod(path, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(path, 0o700)
	wantErr(t, "Set in read-only directory", d.Set(1, []byte("new"), 0), values.ErrStorageFailure)
	wantErr(t, "Remove in read-only directory", d.Remove(1), values.ErrStorageFailure)
	if data, err := ReadAll(d, 1); err != nil || string(data) != "old" {
		t.Fatalf("after failed Set: %q, %v", data, err)
	}
}

func assertNoTemp(t *testing.T, path string) {
	t.Helper()
	entries, err := os.ReadDir(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempPrefix) {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

const lockChildEnv = "GOPSA_STORAGE_LOCK_CHILD"

// TestDirLockAcrossProcesses holds the directory's write lock and checks
// that another process cannot write until it is released.
func TestDirLockAcrossProcesses(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" && !strings.HasSuffix(runtime.GOOS, "bsd") {
		t.Skip("no flock on " + runtime.GOOS)
	}
	d := mustOpen(t, t.TempDir())
	unlock, err := d.lockWrite("test", 0)
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release := func() { once.Do(unlock) }
	defer release() // before Close, which waits for the mutex
	cmd := exec.Command(os.Args[0], "-test.run=^TestDirLockChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), lockChildEnv+"="+d.Path())
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case l := <-lines:
		t.Fatalf("child wrote while the lock was held: %q", l)
	case <-time.After(500 * time.Millisecond):
	}
	release()
	deadline := time.After(20 * time.Second)
	for done := false; !done; {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("child exited without writing")
			}
			done = l == "child: set done"
		case <-deadline:
			t.Fatal("child did not write after the lock was released")
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
	if data, err := ReadAll(d, 77); err != nil || string(data) != "from the child" {
		t.Fatalf("item written by the child: %q, %v", data, err)
	}
}

// TestDirLockChild is the child process of TestDirLockAcrossProcesses.
func TestDirLockChild(t *testing.T) {
	path := os.Getenv(lockChildEnv)
	if path == "" {
		t.Skip("child process of TestDirLockAcrossProcesses")
	}
	d, err := OpenDir(path) // blocks on the lock to clean temporary files
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Set(77, []byte("from the child"), 0); err != nil {
		t.Fatal(err)
	}
	fmt.Println("child: set done")
}
