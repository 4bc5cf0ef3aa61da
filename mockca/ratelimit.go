package mockca

import (
	"time"

	"acmeconform/acme"
)

// checkRateLimit counts newOrder requests per account in a sliding window
// and answers rateLimited with Retry-After past the knob's limit (RFC 8555
// §6.6).
func (s *Server) checkRateLimit(acctID string, now time.Time) error {
	k := s.dice.get()
	if k.RateLimitNewOrders <= 0 {
		return nil
	}
	window := k.RateLimitWindow
	if window <= 0 {
		window = time.Hour
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	times := s.store.rate[acctID]
	kept := times[:0]
	for _, t := range times {
		if now.Sub(t) < window {
			kept = append(kept, t)
		}
	}
	if len(kept) >= k.RateLimitNewOrders {
		s.store.rate[acctID] = kept
		p := acme.NewProblem(acme.ProblemRateLimited,
			"more than %d new orders within %s", k.RateLimitNewOrders, window)
		return &rateLimitError{p: p, retryAfter: window - now.Sub(kept[0])}
	}
	s.store.rate[acctID] = append(kept, now)
	return nil
}

// rateLimitError carries the Retry-After of a rateLimited problem.
type rateLimitError struct {
	p          *acme.Problem
	retryAfter time.Duration
}

func (e *rateLimitError) Error() string { return e.p.Error() }
func (e *rateLimitError) Unwrap() error { return e.p }
