package mockca

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// Knobs are the behaviour switches tests turn at run time through the
// management API or Server.SetKnobs. The zero value is a well-behaved CA.
type Knobs struct {
	// NonceRejectPercent is the share (0..100) of valid nonces refused with
	// badNonce, decided by the seeded source (RFC 8555 §6.5 retry paths).
	NonceRejectPercent int `json:"nonceRejectPercent"`
	// AuthzReusePercent is the share (0..100) of newOrder identifiers that
	// reuse a valid authorization of the same account when one exists
	// within the profile's reuse window. 100 always reuses, 0 never does.
	AuthzReusePercent int `json:"authzReusePercent"`
	// FinalizeDelay keeps an order "processing" this long after finalize
	// before the certificate is issued (RFC 8555 §7.4 asynchronous
	// finalize). Zero issues within the finalize request.
	FinalizeDelay time.Duration `json:"finalizeDelay"`
	// RateLimitNewOrders caps newOrder requests per account within
	// RateLimitWindow; more get 429 rateLimited with Retry-After (RFC 8555
	// §6.6). Zero disables the limit.
	RateLimitNewOrders int `json:"rateLimitNewOrders"`
	// RateLimitWindow is the window of RateLimitNewOrders; zero means 1 h.
	RateLimitWindow time.Duration `json:"rateLimitWindow"`
	// AlwaysValid makes every challenge valid without network I/O.
	AlwaysValid bool `json:"alwaysValid"`
}

// knobsJSON is the wire form of Knobs: durations as Go duration strings.
type knobsJSON struct {
	NonceRejectPercent int    `json:"nonceRejectPercent"`
	AuthzReusePercent  int    `json:"authzReusePercent"`
	FinalizeDelay      string `json:"finalizeDelay"`
	RateLimitNewOrders int    `json:"rateLimitNewOrders"`
	RateLimitWindow    string `json:"rateLimitWindow"`
	AlwaysValid        bool   `json:"alwaysValid"`
}

// MarshalJSON writes durations as strings such as "1.5s".
func (k Knobs) MarshalJSON() ([]byte, error) {
	return json.Marshal(knobsJSON{k.NonceRejectPercent, k.AuthzReusePercent,
		k.FinalizeDelay.String(), k.RateLimitNewOrders, k.RateLimitWindow.String(), k.AlwaysValid})
}

// UnmarshalJSON reads durations as strings such as "1.5s"; fields left
// out keep their current value.
func (k *Knobs) UnmarshalJSON(b []byte) error {
	w := knobsJSON{k.NonceRejectPercent, k.AuthzReusePercent, k.FinalizeDelay.String(),
		k.RateLimitNewOrders, k.RateLimitWindow.String(), k.AlwaysValid}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	fd, err1 := time.ParseDuration(w.FinalizeDelay)
	rw, err2 := time.ParseDuration(w.RateLimitWindow)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("knobs: durations must look like \"2s\": %v %v", err1, err2)
	}
	if w.NonceRejectPercent < 0 || w.NonceRejectPercent > 100 ||
		w.AuthzReusePercent < 0 || w.AuthzReusePercent > 100 {
		return fmt.Errorf("knobs: percentages must be within 0..100")
	}
	*k = Knobs{w.NonceRejectPercent, w.AuthzReusePercent, fd, w.RateLimitNewOrders, rw,
		w.AlwaysValid}
	return nil
}

// dice holds the seeded source of random decisions and the live knobs.
type dice struct {
	mu    sync.Mutex
	seed  int64
	rng   *rand.Rand
	knobs Knobs
}

func newDice(seed int64, k Knobs) *dice {
	d := &dice{seed: seed, knobs: k}
	d.reseed()
	return d
}

func (d *dice) reseed() {
	var s [32]byte
	u := uint64(d.seed)
	for i := 0; i < 8; i++ {
		s[i] = byte(u >> (8 * i))
	}
	d.rng = rand.New(rand.NewChaCha8(s))
}

// get returns a copy of the knobs.
func (d *dice) get() Knobs {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.knobs
}

// set replaces the knobs.
func (d *dice) set(k Knobs) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.knobs = k
}

// roll returns true with the given percent chance, drawing from the seeded
// source. 0 never draws true and 100 always does.
func (d *dice) roll(percent func(Knobs) int) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	p := percent(d.knobs)
	if p <= 0 {
		return false
	}
	if p >= 100 {
		return true
	}
	return d.rng.IntN(100) < p
}

// Seed returns the seed of the random source of the knobs.
func (s *Server) Seed() int64 {
	s.dice.mu.Lock()
	defer s.dice.mu.Unlock()
	return s.dice.seed
}

// SetSeed restarts the random source of the knobs from seed, so the same
// sequence of requests meets the same decisions again.
func (s *Server) SetSeed(seed int64) {
	s.dice.mu.Lock()
	defer s.dice.mu.Unlock()
	s.dice.seed = seed
	s.dice.reseed()
	s.log.Info("mockca seed set", "seed", seed)
}
