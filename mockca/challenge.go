package mockca

import (
	"bytes"
	"time"

	"acmeconform/acme"
)

// challengeObject renders c. Caller holds the lock.
func (s *Server) challengeObject(c *challenge) acme.Challenge {
	return acme.Challenge{Type: c.typ, URL: s.url(pathChallenge + c.id), Status: c.status,
		Token: c.token, Validated: c.validated, Error: liftIdentifier(c.err)}
}

// validationGrace is how long the response to a challenge waits for its
// validation to finish, so that a client sees the outcome at once instead
// of polling after Retry-After (RFC 8555 §7.5.1 lets the response carry
// the challenge in any state). A slower validation is answered
// "processing", with Retry-After, as before.
const validationGrace = 200 * time.Millisecond

// postChallenge reads a challenge (POST-as-GET) or, with the payload "{}",
// asks the server to validate it (RFC 8555 §7.5.1). Validation runs in the
// background; the response waits for it up to validationGrace.
func (s *Server) postChallenge(req *request) (*response, error) {
	resp, done, err := s.answerChallenge(req)
	if err != nil || done == nil {
		return resp, err
	}
	t := time.NewTimer(validationGrace)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		return resp, nil
	case <-s.ctx.Done():
		return resp, nil
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if c := s.store.chals[req.http.PathValue("id")]; c != nil {
		resp.body = s.challengeObject(c)
		if c.status != acme.StatusProcessing {
			resp.retryAfter = 0
		}
	}
	return resp, nil
}

// answerChallenge renders the challenge and starts its validation when
// asked to; done is closed once that validation has finished, nil when
// none started.
func (s *Server) answerChallenge(req *request) (resp *response, done <-chan struct{}, err error) {
	if !req.postAsGet && !bytes.Equal(bytes.TrimSpace(req.payload), []byte("{}")) {
		return nil, nil, malformed(`a challenge response must be the empty object "{}"`)
	}
	now := s.clock.Now()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	c := s.store.chals[req.http.PathValue("id")]
	if c == nil {
		return nil, nil, notFoundProblem("challenge")
	}
	a := s.store.authzs[c.authzID]
	if a == nil || a.accountID != req.acctID {
		return nil, nil, acme.NewProblem(acme.ProblemUnauthorized,
			"challenge belongs to another account")
	}
	s.refreshAuthz(a, now)
	resp = &response{links: []string{link(s.url(pathAuthz+a.id), "up")}}
	if !req.postAsGet && c.status == acme.StatusPending {
		if a.status != acme.StatusPending {
			return nil, nil, malformed("authorization is %s; its challenges cannot be answered",
				a.status)
		}
		c.status = acme.StatusProcessing
		done = s.startValidation(s.validationJob(req, c, a))
	}
	if c.status == acme.StatusProcessing {
		resp.retryAfter = s.profile.RetryAfter
	}
	resp.body = s.challengeObject(c)
	return resp, done, nil
}
