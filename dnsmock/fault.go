package dnsmock

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// FaultKind names a fault the server injects into answers for one name.
type FaultKind string

// Faults a name can carry.
const (
	// FaultServfail answers SERVFAIL (RFC 1035 §4.1.1 rcode 2).
	FaultServfail FaultKind = "servfail"
	// FaultRefused answers REFUSED (rcode 5).
	FaultRefused FaultKind = "refused"
	// FaultNXDomain answers NXDOMAIN whatever is stored.
	FaultNXDomain FaultKind = "nxdomain"
	// FaultNoAnswer sends nothing back, so the client times out.
	FaultNoAnswer FaultKind = "noanswer"
	// FaultDelay holds the normal answer back for Fault.Delay.
	FaultDelay FaultKind = "delay"
	// FaultTruncate answers over UDP with TC set and no records, so the
	// client retries over TCP (RFC 7766 §5), where the answer is normal.
	FaultTruncate FaultKind = "truncate"
)

// ErrBadFault reports a fault that cannot be applied.
var ErrBadFault = errors.New("dnsmock: invalid fault")

// Fault is injected into the answers for one name.
type Fault struct {
	// Kind is what goes wrong.
	Kind FaultKind `json:"kind"`
	// Qtype limits the fault to one question type; 0 means every type.
	Qtype uint16 `json:"qtype,omitempty"`
	// Delay is how long FaultDelay holds the answer back.
	Delay time.Duration `json:"delay,omitempty"`
}

func (f Fault) validate() error {
	switch f.Kind {
	case FaultServfail, FaultRefused, FaultNXDomain, FaultNoAnswer, FaultTruncate:
		return nil
	case FaultDelay:
		if f.Delay <= 0 || f.Delay > time.Minute {
			return fmt.Errorf("%w: delay %s outside (0, 1m]", ErrBadFault, f.Delay)
		}
		return nil
	}
	return fmt.Errorf("%w: unknown kind %q", ErrBadFault, f.Kind)
}

// faults holds the per-name faults and the seeded random failure rate.
type faults struct {
	mu     sync.Mutex
	byName map[string]Fault
	rate   float64
	rng    *rand.Rand
}

func newFaults(rate float64, seed int64) *faults {
	return &faults{
		byName: map[string]Fault{},
		rate:   rate,
		rng:    rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15)),
	}
}

// pick returns the fault for a question, if any. The random draw happens
// for every query, so a seed replays the same sequence of failures.
func (f *faults) pick(name string, qtype uint16) (Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rate > 0 && f.rng.Float64() < f.rate {
		return Fault{Kind: FaultServfail}, true
	}
	ft, ok := f.byName[name]
	if !ok || (ft.Qtype != 0 && ft.Qtype != qtype) {
		return Fault{}, false
	}
	return ft, true
}

// SetFault injects f into every answer for name until ClearFault.
func (s *Server) SetFault(name string, f Fault) error {
	n, err := canonical(name)
	if err != nil {
		return fmt.Errorf("set fault: %w", err)
	}
	if err := f.validate(); err != nil {
		return fmt.Errorf("set fault: %w", err)
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.byName[n] = f
	return nil
}

// ClearFault removes the fault of name; "" removes every per-name fault.
func (s *Server) ClearFault(name string) error {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if name == "" {
		clear(s.faults.byName)
		return nil
	}
	n, err := canonical(name)
	if err != nil {
		return fmt.Errorf("clear fault: %w", err)
	}
	delete(s.faults.byName, n)
	return nil
}

// SetFailureRate changes Config.FailureRate. The generator keeps its state.
func (s *Server) SetFailureRate(rate float64) error {
	if rate < 0 || rate > 1 || rate != rate {
		return fmt.Errorf("set failure rate: %w: %v outside [0, 1]", ErrBadFault, rate)
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.rate = rate
	return nil
}
