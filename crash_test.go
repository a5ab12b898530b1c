//go:build linux

package psa_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gopsa/psa"
)

const (
	keyCrashKills      = 200
	keyCrashKillsShort = 20
	keyCrashIDs        = 16 // few identifiers: keys are created and destroyed over each other
	keyCrashDirEnv     = "GOPSA_KEY_CRASH_DIR"
	keyCrashSeedEnv    = "GOPSA_KEY_CRASH_SEED"
)

// keyCrashMaterial is the key of identifier id in generation gen: the
// parent can tell which creation a key file holds.
func keyCrashMaterial(id psa.KeyID, gen uint64) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%08x%024x", uint32(id), gen)
	return b.Bytes() // 32 bytes: an HMAC key
}

// TestKeyStoreCrash kills, at random moments, a child process that creates
// and destroys persistent keys through the public API, at least 200 times,
// and checks after each kill that every key the child reported created is
// intact, that every key it reported destroyed is gone, and that nothing in
// the key store is half-written: a new instance lists and loads every key.
// Only the operation in flight at the kill may have gone either way.
func TestKeyStoreCrash(t *testing.T) {
	kills := keyCrashKills
	if testing.Short() {
		kills = keyCrashKillsShort
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	model := map[psa.KeyID][]byte{}
	var created, destroyed int
	for round := range kills {
		seed := rng.Uint64()
		cmd := exec.Command(os.Args[0], "-test.run=^TestKeyStoreCrashChild$", "-test.v=false")
		cmd.Env = append(os.Environ(), keyCrashDirEnv+"="+dir, keyCrashSeedEnv+"="+strconv.FormatUint(seed, 10))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1024)
		go func() {
			s := bufio.NewScanner(out)
			for s.Scan() {
				lines <- s.Text()
			}
			close(lines)
		}()
		// Let the child get going (instance open, a few operations), then
		// kill it wherever it is.
		deadline := time.After(time.Duration(5+rng.IntN(40)) * time.Millisecond)
		var pending string
		var events []string
	read:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					break read
				}
				events = append(events, l)
			case <-deadline:
				cmd.Process.Signal(syscall.SIGKILL)
				deadline = nil
			}
		}
		cmd.Wait()
		// Replay: "start ..." announces an operation, "done ..." reports it returned.
		for _, e := range events {
			f := strings.Fields(e)
			switch f[0] {
			case "start":
				pending = e
			case "done":
				pending = ""
				id64, _ := strconv.ParseUint(f[2], 10, 32)
				id := psa.KeyID(id64)
				switch f[1] {
				case "create":
					gen, _ := strconv.ParseUint(f[3], 10, 64)
					model[id] = keyCrashMaterial(id, gen)
					created++
				case "destroy":
					delete(model, id)
					destroyed++
				}
			}
		}
		checkKeyStore(t, round, dir, model, pending)
	}
	t.Logf("%d kills, %d creations and %d destructions reported complete", kills, created, destroyed)
	if created == 0 || destroyed == 0 {
		t.Fatalf("the child never completed a creation and a destruction: the test did not test anything")
	}
}

func checkKeyStore(t *testing.T, round int, dir string, model map[psa.KeyID][]byte, pending string) {
	t.Helper()
	c, err := psa.New(psa.WithKeyDir(dir))
	if err != nil {
		t.Fatalf("round %d: reopen: %v", round, err)
	}
	defer c.Close()
	ids, err := c.PersistentKeys()
	if err != nil {
		t.Fatalf("round %d: list: %v", round, err)
	}
	var pendingID psa.KeyID
	var pendingCreate bool
	var pendingMaterial []byte
	if f := strings.Fields(pending); len(f) == 4 {
		id64, _ := strconv.ParseUint(f[2], 10, 32)
		pendingID = psa.KeyID(id64)
		pendingCreate = f[1] == "create"
		if pendingCreate {
			gen, _ := strconv.ParseUint(f[3], 10, 64)
			pendingMaterial = keyCrashMaterial(pendingID, gen)
		}
	}
	present := map[psa.KeyID]bool{}
	for _, id := range ids {
		present[id] = true
		k, err := c.ExportKey(id, nil)
		if err != nil {
			t.Fatalf("round %d: key %d is in the store but does not load: %v", round, id, err)
		}
		want, ok := model[id]
		switch {
		case ok && bytes.Equal(k, want):
		case id == pendingID && pendingCreate && bytes.Equal(k, pendingMaterial):
			model[id] = pendingMaterial // the creation in flight completed
		case id == pendingID && !pendingCreate && ok && bytes.Equal(k, want):
		default:
			t.Fatalf("round %d: key %d holds %q, want %q (in flight: %q)", round, id, k, want, pending)
		}
	}
	for id := range model {
		if present[id] {
			continue
		}
		if id == pendingID && !pendingCreate {
			delete(model, id) // the destruction in flight completed
			continue
		}
		t.Fatalf("round %d: key %d was reported created but is missing (in flight: %q)", round, id, pending)
	}
}

// TestKeyStoreCrashChild is the child of TestKeyStoreCrash; it does nothing
// in a normal test run.
func TestKeyStoreCrashChild(t *testing.T) {
	dir := os.Getenv(keyCrashDirEnv)
	if dir == "" {
		t.Skip("child process of TestKeyStoreCrash")
	}
	seed, _ := strconv.ParseUint(os.Getenv(keyCrashSeedEnv), 10, 64)
	rng := rand.New(rand.NewPCG(seed, 2))
	c, err := psa.New(psa.WithKeyDir(dir))
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	say := func(s string) { w.WriteString(s + "\n"); w.Flush() }
	for {
		id := psa.KeyID(1 + rng.IntN(keyCrashIDs))
		gen := rng.Uint64()
		if rng.IntN(2) == 0 {
			say(fmt.Sprintf("start create %d %d", id, gen))
			_, err := c.ImportKey(psa.Attributes{
				ID: id, Lifetime: psa.LifetimePersistent, Type: psa.KeyTypeHMAC,
				Usage: psa.UsageExport | psa.UsageSignMessage, Alg: psa.AlgHMAC(psa.AlgSHA256),
			}, keyCrashMaterial(id, gen))
			switch {
			case err == nil:
				say(fmt.Sprintf("done create %d %d", id, gen))
			case errors.Is(err, psa.ErrAlreadyExists):
				say("done nothing 0 0")
			default:
				say("error " + err.Error())
				os.Exit(1)
			}
		} else {
			say(fmt.Sprintf("start destroy %d 0", id))
			err := c.DestroyKey(id)
			switch {
			case err == nil:
				say(fmt.Sprintf("done destroy %d 0", id))
			case errors.Is(err, psa.ErrInvalidHandle):
				say("done nothing 0 0")
			default:
				say("error " + err.Error())
				os.Exit(1)
			}
		}
	}
}
