package mockca

import (
	"sync"
	"time"
)

// Clock is the single source of time of the CA: expiry of nonces, orders,
// authorizations and certificates, reuse windows and ARI windows all read
// it.
type Clock interface {
	Now() time.Time
}

// SettableClock is a Clock the management API can set and advance.
type SettableClock interface {
	Clock
	Set(t time.Time)
	Advance(d time.Duration)
}

// OffsetClock follows the real clock shifted by an offset that Set and
// Advance change. It is the default clock of the CA.
type OffsetClock struct {
	mu     sync.Mutex
	offset time.Duration
}

// Now returns the real time plus the offset.
func (c *OffsetClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset).UTC()
}

// Set moves the clock so that Now returns t at this instant.
func (c *OffsetClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = time.Until(t)
}

// Advance moves the clock forward by d (backward when d is negative).
func (c *OffsetClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// FixedClock stands still until Set or Advance moves it. Tests use it for
// exact expiry and reuse windows.
type FixedClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewFixedClock returns a FixedClock reading t.
func NewFixedClock(t time.Time) *FixedClock {
	return &FixedClock{now: t.UTC()}
}

// Now returns the clock's current reading.
func (c *FixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set makes Now return t.
func (c *FixedClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t.UTC()
}

// Advance moves the clock by d.
func (c *FixedClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
