package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gopsa/psa/values"
)

// The on-disk layout is TF-PSA-Crypto's stdio ITS backend
// (library/psa_its_file.c): the file "%016x.psa_its" of the uid holds a
// 16-byte header, the magic "PSA\0ITS\0", the data size and the create
// flags as 32-bit little-endian numbers, and then the data.
const (
	itsMagic      = "PSA\x00ITS\x00"
	itsHeaderSize = len(itsMagic) + 4 + 4
	itsSuffix     = ".psa_its"
	itsNameLen    = 16 + len(itsSuffix)

	// tempPrefix names gopsa's temporary files. It cannot be mistaken for
	// an item file, and a leading dot keeps it out of casual listings.
	tempPrefix = ".gopsa-tmp-"
	// cTempName is the temporary file of the C backend, which the storage
	// specification says may be deleted if present.
	cTempName = "tempfile" + itsSuffix
	// lockName is the advisory lock file shared by the processes that use
	// the directory through this package.
	lockName = ".gopsa.lock"
)

// Dir is a Store that keeps each item in its own file in a directory,
// byte-compatible with the stdio ITS backend of TF-PSA-Crypto and Mbed TLS:
// the same file names, header and layout, so that a key store directory
// moves between the two.
//
// Set writes a temporary file in the directory, syncs it to stable
// storage, renames it over the item's file and syncs the directory, so
// that a crash or power loss at any point leaves the old item or the new
// one, never a torn file; Remove syncs the directory too. A call that
// returns nil has committed its change. Files a crash left behind are
// removed by the next OpenDir. Files that are damaged, truncated or not
// ITS files give values.ErrDataCorrupt naming the file.
//
// A Dir is safe for concurrent use by multiple goroutines. Across
// processes, on systems with flock (Linux, macOS, the BSDs), every Set and
// Remove holds an advisory lock on the file ".gopsa.lock" in the
// directory, so processes that use the same directory through this
// package do not lose a write-once item or each other's temporary files;
// readers need no lock, since a file is only ever replaced whole. The C
// implementation does not take that lock: do not let it write the same
// directory while a gopsa process does.
type Dir struct {
	path   string
	dir    *os.File // kept open to sync the directory after a rename
	lock   *os.File // the flock target
	mu     sync.Mutex
	closed atomic.Bool
	// fault, when set by a test, is called before each step of a write
	// and stands in for that step's error if it returns one.
	fault func(step string) error
}

var (
	_ Store  = (*Dir)(nil)
	_ Lister = (*Dir)(nil)
)

// OpenDir opens the directory store at path, creating the directory with
// permissions 0700 if it does not exist (an existing directory keeps its
// permissions). It removes the temporary files that an interrupted Set
// left behind. The caller must Close the Dir when done.
func OpenDir(path string) (*Dir, error) {
	if path == "" {
		return nil, fmt.Errorf("storage: open directory: empty path: %w", values.ErrInvalidArgument)
	}
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, fmt.Errorf("storage: open directory %s: %w: %w", path, values.ErrStorageFailure, err)
	}
	dir, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("storage: open directory %s: %w: %w", path, values.ErrStorageFailure, err)
	}
	if st, err := dir.Stat(); err != nil || !st.IsDir() {
		dir.Close()
		if err == nil {
			err = errors.New("not a directory")
		}
		return nil, fmt.Errorf("storage: open directory %s: %w: %w", path, values.ErrStorageFailure, err)
	}
	lockPath := filepath.Join(path, lockName)
	lock, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		dir.Close()
		return nil, fmt.Errorf("storage: open lock file %s: %w: %w", lockPath, values.ErrStorageFailure, err)
	}
	d := &Dir{path: path, dir: dir, lock: lock}
	if err := d.cleanTemp(); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// Path returns the directory the store lives in.
func (d *Dir) Path() string { return d.path }

// Close releases the directory and the lock file. Calls on a closed Dir
// fail with values.ErrBadState. Close is idempotent.
func (d *Dir) Close() error {
	if d.closed.Swap(true) {
		return nil
	}
	// Wait for a write in progress so that its files are not closed under it.
	d.mu.Lock()
	defer d.mu.Unlock()
	return errors.Join(d.dir.Close(), d.lock.Close())
}

// FileName returns the name of the file that holds the item uid in a
// directory store, "%016x.psa_its" as TF-PSA-Crypto names it.
func FileName(uid UID) string {
	var b [itsNameLen]byte
	const hex = "0123456789abcdef"
	for i := 15; i >= 0; i-- {
		b[i] = hex[uid&0xf]
		uid >>= 4
	}
	copy(b[16:], itsSuffix)
	return string(b[:])
}

// parseFileName is the inverse of FileName; it reports false for any other
// name, including upper-case hexadecimal, which the C backend never writes.
func parseFileName(name string) (UID, bool) {
	if len(name) != itsNameLen || !strings.HasSuffix(name, itsSuffix) {
		return 0, false
	}
	var uid UID
	for _, c := range name[:16] {
		switch {
		case '0' <= c && c <= '9':
			uid = uid<<4 | UID(c-'0')
		case 'a' <= c && c <= 'f':
			uid = uid<<4 | UID(c-'a'+10)
		default:
			return 0, false
		}
	}
	return uid, true
}

func (d *Dir) file(uid UID) string { return filepath.Join(d.path, FileName(uid)) }

func (d *Dir) checkOpen(op string, uid UID) error {
	if d.closed.Load() {
		return fmt.Errorf("storage: %s %v: directory store %s is closed: %w", op, uid, d.path, values.ErrBadState)
	}
	return checkUID(op, uid)
}

// Set implements Store.
func (d *Dir) Set(uid UID, data []byte, flags CreateFlags) error {
	if err := d.checkOpen("set", uid); err != nil {
		return err
	}
	if err := checkSize(uid, len(data)); err != nil {
		return err
	}
	name := d.file(uid)
	unlock, err := d.lockWrite("set", uid)
	if err != nil {
		return err
	}
	defer unlock()

	if err := d.checkWritable("set", uid, name); err != nil {
		return err
	}

	buf := make([]byte, itsHeaderSize+len(data))
	copy(buf, itsMagic)
	binary.LittleEndian.PutUint32(buf[8:], uint32(len(data)))
	binary.LittleEndian.PutUint32(buf[12:], uint32(flags))
	copy(buf[itsHeaderSize:], data)
	err = d.writeFile(name, buf)
	clear(buf) // the data is often a key
	if err != nil {
		return fmt.Errorf("storage: set %v: %w", uid, err)
	}
	return nil
}

// checkWritable refuses to replace or remove a write-once item. A file
// whose header cannot be read carries no trustworthy flags, so it may be
// replaced or removed: that is the only way out of a damaged store, and
// the C backend allows it too.
func (d *Dir) checkWritable(op string, uid UID, name string) error {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("storage: %s %v: %s: %w: %w", op, uid, name, values.ErrStorageFailure, err)
	}
	defer f.Close()
	info, err := readHeader(f, name)
	if errors.Is(err, values.ErrDataCorrupt) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("storage: %s %v: %w", op, uid, err)
	}
	if info.Flags&FlagWriteOnce != 0 {
		return fmt.Errorf("storage: %s %v: item is write-once (%s): %w", op, uid, name, values.ErrNotPermitted)
	}
	return nil
}

// writeFile atomically replaces name with content; the error it returns
// names the step and the file that failed.
func (d *Dir) writeFile(name string, content []byte) (err error) {
	var tmp *os.File
	if err = d.step("create"); err == nil {
		tmp, err = os.CreateTemp(d.path, tempPrefix+"*")
	}
	if err != nil {
		return writeError("create temporary file in", d.path, err)
	}
	tmpName := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()
	if err = d.step("write"); err == nil {
		_, err = tmp.Write(content)
	}
	if err != nil {
		return writeError("write", tmpName, err)
	}
	if err = d.step("sync"); err == nil {
		err = tmp.Sync()
	}
	if err != nil {
		return writeError("sync", tmpName, err)
	}
	if err = d.step("close"); err == nil {
		err = tmp.Close()
	}
	if err != nil {
		return writeError("close", tmpName, err)
	}
	if err = d.step("rename"); err == nil {
		err = os.Rename(tmpName, name)
	}
	if err != nil {
		return writeError("rename "+tmpName+" to", name, err)
	}
	// The rename is done: from here on the temporary file is gone and the
	// new content is in place, though perhaps not yet durable.
	if serr := d.syncDir(); serr != nil {
		return fmt.Errorf("%s replaced, but syncing the directory failed, so the change may not survive a crash: %w: %w",
			name, values.ErrStorageFailure, serr)
	}
	return nil
}

func (d *Dir) step(name string) error {
	if d.fault == nil {
		return nil
	}
	return d.fault(name)
}

func (d *Dir) syncDir() error {
	if err := d.step("syncdir"); err != nil {
		return err
	}
	return syncDir(d.dir)
}

// writeError classifies a failed write: a full medium is
// ErrInsufficientStorage, anything else ErrStorageFailure.
func writeError(what, name string, err error) error {
	status := values.ErrStorageFailure
	if isNoSpace(err) {
		status = values.ErrInsufficientStorage
	}
	return fmt.Errorf("%s %s: %w: %w", what, name, status, err)
}

// Get implements Store.
func (d *Dir) Get(uid UID, offset int, dst []byte) (int, error) {
	if err := d.checkOpen("get", uid); err != nil {
		return 0, err
	}
	f, info, err := d.open("get", uid)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if err := checkRange(uid, offset, len(dst), info.Size); err != nil {
		return 0, err
	}
	if err := readData(f, dst, offset); err != nil {
		return 0, fmt.Errorf("storage: get %v: %w", uid, err)
	}
	return len(dst), nil
}

// Info implements Store.
func (d *Dir) Info(uid UID) (Info, error) {
	if err := d.checkOpen("info", uid); err != nil {
		return Info{}, err
	}
	f, info, err := d.open("info", uid)
	if err != nil {
		return Info{}, err
	}
	f.Close()
	return info, nil
}

func (d *Dir) readAll(uid UID) ([]byte, Info, error) {
	if err := d.checkOpen("get", uid); err != nil {
		return nil, Info{}, err
	}
	f, info, err := d.open("get", uid)
	if err != nil {
		return nil, Info{}, err
	}
	defer f.Close()
	data := make([]byte, info.Size)
	if err := readData(f, data, 0); err != nil {
		return nil, Info{}, fmt.Errorf("storage: get %v: %w", uid, err)
	}
	return data, info, nil
}

// open opens the file of uid and validates its header. Since files are
// only ever replaced by rename, everything read through the returned file
// belongs to one version of the item.
func (d *Dir) open(op string, uid UID) (*os.File, Info, error) {
	name := d.file(uid)
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, Info{}, fmt.Errorf("storage: %s %v: no such item (%s): %w", op, uid, name, values.ErrDoesNotExist)
	}
	if err != nil {
		return nil, Info{}, fmt.Errorf("storage: %s %v: %s: %w: %w", op, uid, name, values.ErrStorageFailure, err)
	}
	info, err := readHeader(f, name)
	if err != nil {
		f.Close()
		return nil, Info{}, fmt.Errorf("storage: %s %v: %w", op, uid, err)
	}
	return f, info, nil
}

// readHeader reads and checks the ITS header of f, and checks that the
// file holds exactly the data the header announces, so that a truncated
// or extended file is reported rather than read.
func readHeader(f *os.File, name string) (Info, error) {
	var h [itsHeaderSize]byte
	n, err := f.ReadAt(h[:], 0)
	if n < len(h) {
		if err != nil && err != io.EOF {
			return Info{}, fmt.Errorf("%s: %w: %w", name, values.ErrStorageFailure, err)
		}
		return Info{}, fmt.Errorf("%s: truncated header: %d bytes, want %d: %w", name, n, len(h), values.ErrDataCorrupt)
	}
	if string(h[:len(itsMagic)]) != itsMagic {
		return Info{}, fmt.Errorf("%s: not a PSA ITS file (bad magic %q, want %q): %w", name, h[:len(itsMagic)], itsMagic, values.ErrDataCorrupt)
	}
	size := int64(binary.LittleEndian.Uint32(h[8:]))
	st, err := f.Stat()
	if err != nil {
		return Info{}, fmt.Errorf("%s: %w: %w", name, values.ErrStorageFailure, err)
	}
	if got := st.Size() - int64(itsHeaderSize); got != size {
		return Info{}, fmt.Errorf("%s: header announces %d bytes of data, file holds %d: %w", name, size, got, values.ErrDataCorrupt)
	}
	return Info{Size: int(size), Flags: CreateFlags(binary.LittleEndian.Uint32(h[12:]))}, nil
}

func readData(f *os.File, dst []byte, offset int) error {
	n, err := f.ReadAt(dst, int64(itsHeaderSize)+int64(offset))
	if n == len(dst) {
		return nil
	}
	if err == nil || err == io.EOF {
		return fmt.Errorf("%s: file shrank while reading: %w", f.Name(), values.ErrDataCorrupt)
	}
	return fmt.Errorf("%s: %w: %w", f.Name(), values.ErrStorageFailure, err)
}

// Remove implements Store.
func (d *Dir) Remove(uid UID) error {
	if err := d.checkOpen("remove", uid); err != nil {
		return err
	}
	name := d.file(uid)
	unlock, err := d.lockWrite("remove", uid)
	if err != nil {
		return err
	}
	defer unlock()
	if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("storage: remove %v: no such item (%s): %w", uid, name, values.ErrDoesNotExist)
	}
	if err := d.checkWritable("remove", uid, name); err != nil {
		return err
	}
	if err := os.Remove(name); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("storage: remove %v: no such item (%s): %w", uid, name, values.ErrDoesNotExist)
		}
		return fmt.Errorf("storage: remove %v: %s: %w: %w", uid, name, values.ErrStorageFailure, err)
	}
	if err := d.syncDir(); err != nil {
		return fmt.Errorf("storage: remove %v: %s removed, but syncing the directory failed, so the removal may not survive a crash: %w: %w",
			uid, name, values.ErrStorageFailure, err)
	}
	return nil
}

// UIDs implements Lister. Files whose names are not item names are
// ignored.
func (d *Dir) UIDs() ([]UID, error) {
	if d.closed.Load() {
		return nil, fmt.Errorf("storage: list: directory store %s is closed: %w", d.path, values.ErrBadState)
	}
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return nil, fmt.Errorf("storage: list %s: %w: %w", d.path, values.ErrStorageFailure, err)
	}
	var uids []UID
	for _, e := range entries {
		if uid, ok := parseFileName(e.Name()); ok && uid != 0 && e.Type().IsRegular() {
			uids = append(uids, uid)
		}
	}
	slices.Sort(uids)
	return uids, nil
}

// lockWrite serializes writers: the mutex among goroutines, the advisory
// file lock among processes (flock locks belong to the open file, so the
// mutex is needed as well).
func (d *Dir) lockWrite(op string, uid UID) (unlock func(), err error) {
	d.mu.Lock()
	if d.closed.Load() {
		d.mu.Unlock()
		return nil, fmt.Errorf("storage: %s %v: directory store %s is closed: %w", op, uid, d.path, values.ErrBadState)
	}
	if err := lockFile(d.lock); err != nil {
		d.mu.Unlock()
		return nil, fmt.Errorf("storage: %s %v: lock %s: %w: %w", op, uid, d.lock.Name(), values.ErrStorageFailure, err)
	}
	return func() {
		unlockFile(d.lock)
		d.mu.Unlock()
	}, nil
}

// cleanTemp removes the temporary files of writes that a crash
// interrupted. It holds the write lock, so it cannot remove the temporary
// file of a write in progress in another process.
func (d *Dir) cleanTemp() error {
	unlock, err := d.lockWrite("open", 0)
	if err != nil {
		return err
	}
	defer unlock()
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return fmt.Errorf("storage: open directory %s: %w: %w", d.path, values.ErrStorageFailure, err)
	}
	for _, e := range entries {
		if n := e.Name(); (strings.HasPrefix(n, tempPrefix) || n == cTempName) && e.Type().IsRegular() {
			name := filepath.Join(d.path, n)
			if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("storage: open directory %s: remove stale temporary file %s: %w: %w",
					d.path, name, values.ErrStorageFailure, err)
			}
		}
	}
	return nil
}

// String describes the store for logs.
func (d *Dir) String() string { return "storage.Dir(" + strconv.Quote(d.path) + ")" }
