package mockca

import (
	"context"
	"time"

	"acmeconform/acme"
)

// caaRecheck is one authorization of an order whose CAA check is stale.
type caaRecheck struct {
	authzID string
	job     validationJob
}

// recheckCAA checks CAA again at finalize for every authorization of the
// order whose last CAA check is older than the profile's CAARecheckAge, or
// that never had one (names covered by another name's validation). The
// CA/Browser Forum Baseline Requirements §3.2.2.8 want CAA checked within
// 8 hours of issuance. Refusals are one caa problem with a subproblem per
// identifier (RFC 8555 §6.7.1); the order stays ready.
func (s *Server) recheckCAA(ctx context.Context, orderID string) error {
	if len(s.profile.CAAIdentities) == 0 || s.dice.get().AlwaysValid {
		return nil
	}
	jobs := s.staleCAA(orderID, s.clock.Now())
	if len(jobs) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ValidationTimeout)
	defer cancel()
	var subs []acme.Problem
	var passed []string
	for _, j := range jobs {
		p := s.checkCAA(ctx, j.job)
		switch {
		case p == nil:
			passed = append(passed, j.authzID)
		case len(p.Subproblems) > 0:
			subs = append(subs, p.Subproblems...)
		default:
			subs = append(subs, *p)
		}
	}
	s.markCAAChecked(passed, s.clock.Now())
	if len(subs) == 0 {
		return nil
	}
	return recheckProblem(subs)
}

// recheckProblem is caa when CAA refused every failing identifier, and
// compound (RFC 8555 §6.7.1) when a lookup failed too.
func recheckProblem(subs []acme.Problem) *acme.Problem {
	typ := acme.ProblemCAA
	for _, p := range subs {
		if p.Type != acme.ProblemCAA {
			typ = acme.ProblemCompound
		}
	}
	top := acme.NewProblem(typ,
		"CAA checked again at finalize forbids issuance for %d identifier(s)", len(subs))
	if len(subs) == 1 && typ == acme.ProblemCAA {
		top.Detail = subs[0].Detail
	}
	top.Subproblems = subs
	return top
}

// staleCAA lists the order's authorizations that need a CAA check.
func (s *Server) staleCAA(orderID string, now time.Time) []caaRecheck {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	o := s.store.orders[orderID]
	if o == nil {
		return nil
	}
	age := s.profile.CAARecheckAge
	var out []caaRecheck
	for _, id := range o.authzIDs {
		a := s.store.authzs[id]
		if a == nil {
			continue
		}
		if !a.caaChecked.IsZero() && (age <= 0 || now.Sub(a.caaChecked) <= age) {
			continue
		}
		out = append(out, caaRecheck{authzID: a.id, job: validationJob{authzID: a.id,
			typ: a.method, ident: a.ident, wildcard: a.wildcard,
			acctURL: s.accountURL(a.accountID)}})
	}
	return out
}

// markCAAChecked records a passed CAA check on the authorizations.
func (s *Server) markCAAChecked(ids []string, now time.Time) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	for _, id := range ids {
		if a := s.store.authzs[id]; a != nil {
			a.caaChecked = now
		}
	}
}
