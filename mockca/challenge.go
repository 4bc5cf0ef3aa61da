package mockca

import (
	"bytes"

	"acmeconform/acme"
)

// challengeObject renders c. Caller holds the lock.
func (s *Server) challengeObject(c *challenge) acme.Challenge {
	return acme.Challenge{Type: c.typ, URL: s.url(pathChallenge + c.id), Status: c.status,
		Token: c.token, Validated: c.validated, Error: liftIdentifier(c.err)}
}

// postChallenge reads a challenge (POST-as-GET) or, with the payload "{}",
// asks the server to validate it (RFC 8555 §7.5.1). Validation runs in the
// background; the response shows the challenge as processing.
func (s *Server) postChallenge(req *request) (*response, error) {
	if !req.postAsGet && !bytes.Equal(bytes.TrimSpace(req.payload), []byte("{}")) {
		return nil, malformed(`a challenge response must be the empty object "{}"`)
	}
	now := s.clock.Now()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	c := s.store.chals[req.http.PathValue("id")]
	if c == nil {
		return nil, notFoundProblem("challenge")
	}
	a := s.store.authzs[c.authzID]
	if a == nil || a.accountID != req.acctID {
		return nil, acme.NewProblem(acme.ProblemUnauthorized, "challenge belongs to another account")
	}
	s.refreshAuthz(a, now)
	resp := &response{links: []string{link(s.url(pathAuthz+a.id), "up")}}
	if !req.postAsGet && c.status == acme.StatusPending {
		if a.status != acme.StatusPending {
			return nil, malformed("authorization is %s; its challenges cannot be answered", a.status)
		}
		c.status = acme.StatusProcessing
		s.startValidation(s.validationJob(req, c, a))
	}
	if c.status == acme.StatusProcessing {
		resp.retryAfter = s.profile.RetryAfter
	}
	resp.body = s.challengeObject(c)
	return resp, nil
}
