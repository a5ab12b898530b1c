package driver

// RandomGenerator is the random generation family of a transparent driver:
// init_random, add_entropy, get_random. When a build has one, it replaces
// the core's default random source (the operating system's).
type RandomGenerator interface {
	// InitRandom is called once, before any other call of the family.
	InitRandom() error
	// AddEntropy injects entropy; the core calls it with at least the
	// description's "initial_entropy_size" bytes before the first
	// GetRandom.
	AddEntropy(entropy []byte) error
	// GetRandom fills out with random bytes.
	GetRandom(out []byte) error
}

// EntropySource is "get_entropy": it fills out with data holding at least
// the returned number of bits of entropy (at least 1 on success). With
// EntropyNonBlock it may return values.ErrInsufficientEntropy instead of
// blocking; an unknown flag is ErrNotSupported.
type EntropySource interface {
	GetEntropy(flags EntropyFlags, out []byte) (estimateBits int, err error)
}
