package testdriver

import (
	"slices"
	"sync"
)

// Hooks instrument a driver's entry points, like the hooks structures of
// the C reference's test drivers: every entry point counts its calls, and
// a test can force an entry point to fail with a given error or to return
// a given output instead of computing.
//
// Entry points are named as in driver descriptions: "sign_hash",
// "hash_update", "cipher_finish", "pake_output". A member of a multi-part
// family (hash_update, mac_sign_finish, ...) is counted and forced on its
// own, separately from the family's setup entry point.
//
// The zero value counts and forces nothing. Hooks are safe for concurrent
// use; a forced answer applies to every later call until it is cleared.
type Hooks struct {
	mu     sync.Mutex
	hits   map[string]int
	forced map[string]error
	output map[string][]byte
}

// Force makes entry point ep fail with err, without computing anything,
// until Force(ep, nil) or Reset. The error reaches the caller unchanged:
// forcing values.ErrNotSupported from a capability with fallback passes
// the call on to the next driver.
func (h *Hooks) Force(ep string, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err == nil {
		delete(h.forced, ep)
		return
	}
	if h.forced == nil {
		h.forced = make(map[string]error)
	}
	h.forced[ep] = err
}

// ForceOutput makes entry point ep succeed with out as its output,
// without computing, until ForceOutput(ep, nil) or Reset. It applies to
// entry points whose output is bytes (key buffers, signatures, MACs,
// ciphertexts, shared secrets, operation outputs); for the others it only
// counts. A forced error takes precedence.
func (h *Hooks) ForceOutput(ep string, out []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if out == nil {
		delete(h.output, ep)
		return
	}
	if h.output == nil {
		h.output = make(map[string][]byte)
	}
	h.output[ep] = slices.Clone(out)
}

// Hits returns the number of calls of entry point ep since the last Reset,
// including calls that a forced answer ended.
func (h *Hooks) Hits(ep string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.hits[ep]
}

// AllHits returns the call counts of every entry point called since the
// last Reset.
func (h *Hooks) AllHits() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[string]int, len(h.hits))
	for ep, n := range h.hits {
		out[ep] = n
	}
	return out
}

// TotalHits returns the number of calls of all entry points since the last
// Reset.
func (h *Hooks) TotalHits() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, c := range h.hits {
		n += c
	}
	return n
}

// Reset forgets the counts and clears every forced answer.
func (h *Hooks) Reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	clear(h.hits)
	clear(h.forced)
	clear(h.output)
}

// enter counts a call of ep and returns its forced answer: the error to
// return, or else the output to return (nil if none).
func (h *Hooks) enter(ep string) (out []byte, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.hits == nil {
		h.hits = make(map[string]int)
	}
	h.hits[ep]++
	if err := h.forced[ep]; err != nil {
		return nil, err
	}
	return h.output[ep], nil
}

// hit counts a call of ep and returns its forced error.
func (h *Hooks) hit(ep string) error {
	_, err := h.enter(ep)
	return err
}
