//go:build linux

package storage_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gopsa/psa/internal/keyfile"
	"github.com/gopsa/psa/storage"
	"github.com/gopsa/psa/values"
)

const (
	// crashKills is how many times TestCrash kills a writer; -short
	// lowers it to crashKillsShort.
	crashKills      = 200
	crashKillsShort = 20
	// crashUIDs is the number of uids the child writes to: few, so that
	// items are replaced and removed often.
	crashUIDs = 12

	crashDirEnv  = "GOPSA_STORAGE_CRASH_DIR"
	crashSeedEnv = "GOPSA_STORAGE_CRASH_SEED"
)

// TestCrash re-executes the test binary as a child that writes and removes
// key files in a Dir as fast as it can, reporting each operation before it
// starts and after it returns, and kills it with SIGKILL at a random
// moment. It then checks that every operation that returned is in the
// directory, that only the one in flight may have gone either way, and
// that no file is torn. The directory is kept from one kill to the next,
// so later children also start from the leftovers of earlier crashes.
//
// SIGKILL tests atomicity against a process crash; the fsyncs that make
// the result durable against power loss are not exercised by it.
func TestCrash(t *testing.T) {
	kills := crashKills
	if testing.Short() {
		kills = crashKillsShort
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0))
	model := map[storage.UID]string{} // uid -> hex SHA-256 of its content
	var ops, inflight, staleTemp int
	for round := range kills {
		seed := rng.Uint64()
		events := runCrashChild(t, dir, seed, time.Duration(rng.IntN(20000))*time.Microsecond)
		want, pending, n := replay(t, model, events)
		ops += n
		if pending != nil {
			inflight++
		}
		staleTemp += countTemp(t, dir)
		got := checkCrashDir(t, dir)
		for uid := range union(want, got) {
			w, wok := want[uid]
			g, gok := got[uid]
			if w == g && wok == gok {
				continue
			}
			if pending != nil && pending.uid == uid {
				if pending.remove && !gok || !pending.remove && gok && g == pending.hash {
					continue
				}
			}
			t.Fatalf("round %d (seed %d): uid %d is %s, want %s (in flight: %+v)",
				round, seed, uid, describe(g, gok), describe(w, wok), pending)
		}
		model = got
	}
	t.Logf("%d kills, %d operations completed, %d kills with an operation in flight, %d stale temporary files cleaned",
		kills, ops, inflight, staleTemp)
	if ops < kills/2 {
		t.Errorf("only %d operations completed in %d runs: the kills come too early to test anything", ops, kills)
	}
}

type crashEvent struct {
	begin, remove bool
	uid           storage.UID
	hash          string
}

func runCrashChild(t *testing.T, dir string, seed uint64, delay time.Duration) []crashEvent {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, crashSeedEnv+"="+strconv.FormatUint(seed, 10))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	if !sc.Scan() || sc.Text() != "ready" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child did not start: %q, %v", sc.Text(), sc.Err())
	}
	timer := time.AfterFunc(delay, func() { cmd.Process.Signal(syscall.SIGKILL) })
	defer timer.Stop()
	var events []crashEvent
	for sc.Scan() {
		events = append(events, parseCrashEvent(t, sc.Text()))
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child did not die of SIGKILL: %v", err)
	}
	return events
}

func parseCrashEvent(t *testing.T, line string) crashEvent {
	f := strings.Fields(line)
	var e crashEvent
	if len(f) > 0 && f[0] == "begin" {
		e.begin = true
		f = f[1:]
	}
	if len(f) < 2 {
		t.Fatalf("bad line from child: %q", line)
	}
	uid, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil {
		t.Fatalf("bad line from child: %q", line)
	}
	e.uid = storage.UID(uid)
	switch {
	case f[0] == "set" && len(f) == 3:
		e.hash = f[2]
	case (f[0] == "remove" || f[0] == "removed" || f[0] == "absent") && len(f) == 2:
		e.remove = true
	default:
		t.Fatalf("bad line from child: %q", line)
	}
	return e
}

// replay applies the completed events to the model and returns the
// expected state and the operation in flight at the kill, if any.
func replay(t *testing.T, model map[storage.UID]string, events []crashEvent) (map[storage.UID]string, *crashEvent, int) {
	want := make(map[storage.UID]string, len(model))
	for k, v := range model {
		want[k] = v
	}
	var pending *crashEvent
	done := 0
	for i, e := range events {
		if e.begin {
			if pending != nil {
				t.Fatalf("child began %+v before finishing %+v", e, pending)
			}
			pending = &events[i]
			continue
		}
		if pending == nil || pending.uid != e.uid || pending.remove != e.remove || pending.hash != e.hash {
			t.Fatalf("child finished %+v, but began %+v", e, pending)
		}
		pending = nil
		done++
		if e.remove {
			delete(want, e.uid)
		} else {
			want[e.uid] = e.hash
		}
	}
	return want, pending, done
}

func countTemp(t *testing.T, dir string) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".gopsa-tmp-") {
			n++
		}
	}
	return n
}

// checkCrashDir opens the directory as a restarted process would and
// checks every file in it: no temporary file survives OpenDir, every item
// reads back whole and is a valid key file, and nothing else is there.
func checkCrashDir(t *testing.T, dir string) map[storage.UID]string {
	t.Helper()
	d, err := storage.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[storage.UID]string{}
	for _, e := range entries {
		name := e.Name()
		if name == ".gopsa.lock" {
			continue
		}
		uid, err := strconv.ParseUint(strings.TrimSuffix(name, ".psa_its"), 16, 64)
		if err != nil || storage.FileName(storage.UID(uid)) != name {
			t.Fatalf("unexpected file %s in the store after OpenDir", filepath.Join(dir, name))
		}
		data, err := storage.ReadAll(d, storage.UID(uid))
		if err != nil {
			t.Fatalf("torn item: %v", err)
		}
		if _, err := keyfile.Decode(data); err != nil {
			t.Fatalf("item %d is not a valid key file: %v", uid, err)
		}
		sum := sha256.Sum256(data)
		got[storage.UID(uid)] = hex.EncodeToString(sum[:])
	}
	return got
}

func union(a, b map[storage.UID]string) map[storage.UID]bool {
	u := make(map[storage.UID]bool, len(a)+len(b))
	for k := range a {
		u[k] = true
	}
	for k := range b {
		u[k] = true
	}
	return u
}

func describe(hash string, present bool) string {
	if !present {
		return "absent"
	}
	return "content " + hash[:16] + "…"
}

// TestCrashChild is the child process of TestCrash.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("child process of TestCrash")
	}
	seed, err := strconv.ParseUint(os.Getenv(crashSeedEnv), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	d, err := storage.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	// One write(2) per line: a pipe write this short is atomic, so the
	// parent never sees half a line.
	say := func(format string, args ...any) { fmt.Fprintf(os.Stdout, format+"\n", args...) }
	say("ready")
	stop := time.Now().Add(30 * time.Second) // in case the parent is gone
	for time.Now().Before(stop) {
		uid := storage.UID(1 + rng.IntN(crashUIDs))
		if rng.IntN(4) == 0 {
			say("begin remove %d", uid)
			switch err := d.Remove(uid); {
			case err == nil:
				say("removed %d", uid)
			case errors.Is(err, values.ErrDoesNotExist):
				say("absent %d", uid)
			default:
				t.Fatal(err)
			}
			continue
		}
		k := keyfile.Key{
			Lifetime: values.Lifetime(rng.Uint32()),
			Type:     values.KeyType(rng.Uint32()),
			Bits:     values.KeyBits(rng.Uint32()),
			Usage:    values.KeyUsage(rng.Uint32()),
			Alg:      values.Algorithm(rng.Uint32()),
			Alg2:     values.Algorithm(rng.Uint32()),
			Material: make([]byte, 1+rng.IntN(4096)),
		}
		for i := range k.Material {
			k.Material[i] = byte(rng.Uint32())
		}
		data, err := keyfile.Encode(&k)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		h := hex.EncodeToString(sum[:])
		say("begin set %d %s", uid, h)
		if err := d.Set(uid, data, storage.FlagNone); err != nil {
			t.Fatal(err)
		}
		say("set %d %s", uid, h)
	}
}
