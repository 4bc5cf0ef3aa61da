package mockca

import (
	"strings"
	"time"

	"acmeconform/acme"
)

// authzFor returns an authorization for id: a reused valid one of the same
// account when the profile's reuse window and the reuse knob allow it,
// otherwise a new pending one (RFC 8555 §7.4). Caller holds the lock.
func (s *Server) authzFor(acctID string, id acme.Identifier, now time.Time) *authz {
	if a := s.policyAuthz(acctID, id, now); a != nil {
		return a // the customer's validation covers it (policy_authz.go)
	}
	if a := s.reusableAuthz(acctID, id, now); a != nil &&
		s.dice.roll(func(k Knobs) int { return k.AuthzReusePercent }) {
		return a
	}
	a := &authz{id: newID(), accountID: acctID, ident: id, status: acme.StatusPending,
		expires: now.Add(s.profile.PendingAuthzLifetime), touched: now}
	if base, ok := strings.CutPrefix(id.Value, "*."); ok {
		a.ident.Value, a.wildcard = base, true
	}
	for _, t := range s.challengeTypes(a) {
		c := &challenge{id: newID(), authzID: a.id, typ: t, token: newToken(),
			status: acme.StatusPending}
		s.store.chals[c.id] = c
		a.challIDs = append(a.challIDs, c.id)
	}
	s.store.authzs[a.id] = a
	s.store.accounts[acctID].addAuthz(a)
	return a
}

// reusableAuthz finds a valid, unexpired authorization of the account for
// the same identifier (wildcard flag included) within the reuse window.
func (s *Server) reusableAuthz(acctID string, id acme.Identifier, now time.Time) *authz {
	window := s.profile.reuseWindow(now)
	if window <= 0 {
		return nil
	}
	a := s.validAuthz(acctID, id, now)
	if a == nil || now.Sub(a.validated) > window {
		return nil
	}
	return a
}

// validAuthz returns the account's newest valid authorization for id.
// Caller holds the lock.
func (s *Server) validAuthz(acctID string, id acme.Identifier, now time.Time) *authz {
	base, wildcard := strings.CutPrefix(id.Value, "*.")
	var best *authz
	key := authzKey(acme.Identifier{Type: id.Type, Value: base}, wildcard)
	for _, aid := range s.store.accounts[acctID].byIdent[key] {
		a := s.store.authzs[aid]
		if a == nil || a.ident.Type != id.Type || a.ident.Value != base || a.wildcard != wildcard {
			continue
		}
		s.refreshAuthz(a, now)
		if a.status == acme.StatusValid && (best == nil || a.validated.After(best.validated)) {
			best = a
		}
	}
	return best
}

// challengeTypes returns the challenges offered for a: dns-01 only for a
// wildcard (RFC 8555 §7.1.3), no dns-01 for IP addresses (RFC 8738 §7).
func (s *Server) challengeTypes(a *authz) []string {
	var out []string
	for _, t := range s.profile.ChallengeTypes {
		switch {
		case a.wildcard && t != acme.ChallengeDNS01:
		case a.ident.Type == acme.IdentifierIP && t == acme.ChallengeDNS01:
		default:
			out = append(out, t)
		}
	}
	return s.misChallengeTypes(a, out)
}

// refreshAuthz expires a pending or valid authorization whose time is up
// (RFC 8555 §7.1.6). Caller holds the lock.
func (s *Server) refreshAuthz(a *authz, now time.Time) {
	if (a.status == acme.StatusPending || a.status == acme.StatusValid) && now.After(a.expires) {
		a.status, a.touched = acme.StatusExpired, now
	}
}

// authzError explains why an authorization made its order invalid.
func (s *Server) authzError(a *authz) *acme.Problem {
	for _, cid := range a.challIDs {
		if c := s.store.chals[cid]; c != nil && c.err != nil {
			return c.err
		}
	}
	return acme.NewProblem(acme.ProblemUnauthorized,
		"authorization for %s is %s", a.ident.Value, a.status)
}

// authzObject renders a. Caller holds the lock.
func (s *Server) authzObject(a *authz, now time.Time) acme.Authorization {
	s.refreshAuthz(a, now)
	out := acme.Authorization{Identifier: a.ident, Status: a.status,
		Expires: timePtr(a.expires), Wildcard: a.wildcard, Challenges: []acme.Challenge{}}
	for _, cid := range a.challIDs {
		if c := s.store.chals[cid]; c != nil {
			out.Challenges = append(out.Challenges, s.challengeObject(c))
		}
	}
	return out
}

// authzUpdate is the payload that deactivates an authorization (§7.5.2).
type authzUpdate struct {
	Status acme.Status `json:"status"`
}

// postAuthz reads an authorization (POST-as-GET) or deactivates it
// (RFC 8555 §7.5.2: only pending or valid ones).
func (s *Server) postAuthz(req *request) (*response, error) {
	var u authzUpdate
	if !req.postAsGet {
		if err := decodePayload(req.payload, &u); err != nil {
			return nil, err
		}
		if u.Status != acme.StatusDeactivated {
			return nil, malformed("an authorization can only be updated to deactivated")
		}
	}
	now := s.clock.Now()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	a := s.store.authzs[req.http.PathValue("id")]
	if a == nil {
		return nil, notFoundProblem("authorization")
	}
	if a.accountID != req.acctID && !s.misbehavesReq(req, MisAuthzOtherAccount) {
		return nil, acme.NewProblem(acme.ProblemUnauthorized, "authorization belongs to another account")
	}
	s.refreshAuthz(a, now)
	if u.Status == acme.StatusDeactivated {
		if a.status != acme.StatusPending && a.status != acme.StatusValid {
			return nil, malformed("cannot deactivate an authorization that is %s", a.status)
		}
		a.status, a.touched = acme.StatusDeactivated, now
		s.withdrawValidation(a)
	}
	resp := &response{body: s.authzObject(a, now)}
	if a.status == acme.StatusPending && s.authzProcessing(a) {
		resp.retryAfter = s.profile.RetryAfter
	}
	return resp, nil
}

// authzProcessing reports whether a challenge of a is being validated.
func (s *Server) authzProcessing(a *authz) bool {
	for _, cid := range a.challIDs {
		if c := s.store.chals[cid]; c != nil && c.status == acme.StatusProcessing {
			return true
		}
	}
	return false
}
