package bench

import (
	"io"
	"path/filepath"
	"time"
)

// Config configures a benchmark run. The zero value of every field is
// usable and its meaning is given in the field's comment.
type Config struct {
	// BinDir holds acmeconform, pebble, pebble-challtestsrv and lego;
	// "" means "bin".
	BinDir string
	// Workers are the concurrency levels of the issuance phase; nil means
	// 1, 4, 16, 64 and 256.
	Workers []int
	// LevelTime bounds the time of one concurrency level; 0 means 6 s.
	LevelTime time.Duration
	// LevelIssuances bounds the issuances of one level; 0 means 4000.
	LevelIssuances int
	// StallTimeout is how long one issuance may take before it counts as a
	// stall (no answer); 0 means 10 s.
	StallTimeout time.Duration
	// PollDelay is the client's first wait before it polls a pending or
	// processing object again, doubled on each further poll up to 32 times
	// its value; 0 means 1 ms.
	PollDelay time.Duration
	// MemIssuances is the number of issuances of the memory phase; 0 means
	// 100000, a negative value skips the phase.
	MemIssuances int
	// MemWorkers is the concurrency of the memory phase; 0 means 16.
	MemWorkers int
	// DNSTime is how long each DNS server is queried; 0 means 3 s.
	DNSTime time.Duration
	// StartRuns is how many times each server is started to time its
	// start-up; 0 means 5.
	StartRuns int
	// SkipPebble leaves out every Pebble and pebble-challtestsrv figure.
	SkipPebble bool
	// SkipLego leaves out the lego phase.
	SkipLego bool
	// ServeArgs are added to every `acmeconform serve` command line, such
	// as --pprof to profile the mock CA under the benchmark's load.
	ServeArgs []string
	// Progress receives one line per step; nil discards them.
	Progress io.Writer
}

// Quick returns a configuration for a smoke run that checks the program
// works end to end in a few seconds; its figures mean nothing.
func Quick(binDir string) Config {
	return Config{
		BinDir: binDir, Workers: []int{1, 4}, LevelTime: 300 * time.Millisecond,
		LevelIssuances: 20, StallTimeout: 10 * time.Second, MemIssuances: 200,
		MemWorkers: 4, DNSTime: 200 * time.Millisecond, StartRuns: 1,
	}
}

// withDefaults returns cfg with zero fields replaced by their defaults.
func (cfg Config) withDefaults() Config {
	if cfg.BinDir == "" {
		cfg.BinDir = "bin"
	}
	if cfg.Workers == nil {
		cfg.Workers = []int{1, 4, 16, 64, 256}
	}
	if cfg.LevelTime <= 0 {
		cfg.LevelTime = 6 * time.Second
	}
	if cfg.LevelIssuances <= 0 {
		cfg.LevelIssuances = 4000
	}
	if cfg.StallTimeout <= 0 {
		cfg.StallTimeout = 10 * time.Second
	}
	if cfg.PollDelay <= 0 {
		cfg.PollDelay = time.Millisecond
	}
	if cfg.MemIssuances == 0 {
		cfg.MemIssuances = 100000
	}
	if cfg.MemWorkers <= 0 {
		cfg.MemWorkers = 16
	}
	if cfg.DNSTime <= 0 {
		cfg.DNSTime = 3 * time.Second
	}
	if cfg.StartRuns <= 0 {
		cfg.StartRuns = 5
	}
	if cfg.Progress == nil {
		cfg.Progress = io.Discard
	}
	return cfg
}

// bin returns the path of the named binary.
func (cfg Config) bin(name string) string { return filepath.Join(cfg.BinDir, name) }
