package mockca

import (
	"context"
	"time"

	"acmeconform/acme"
)

// validationJob is what a validation needs, copied out of the store so no
// lock is held during network I/O.
type validationJob struct {
	chalID   string
	authzID  string
	typ      string
	token    string
	keyAuth  string // RFC 8555 §8.1: token "." thumbprint(account key)
	ident    acme.Identifier
	wildcard bool
	acctURL  string // for CAA accounturi (RFC 8657)
}

// validationJob builds the job for c. Caller holds the lock.
func (s *Server) validationJob(req *request, c *challenge, a *authz) validationJob {
	thumb, _ := thumbprint(req.key)
	return validationJob{chalID: c.id, authzID: a.id, typ: c.typ, token: c.token,
		keyAuth: c.token + "." + thumb, ident: a.ident, wildcard: a.wildcard,
		acctURL: s.accountURL(a.accountID)}
}

// startValidation validates in the background and records the outcome;
// the returned channel is closed once it is recorded.
func (s *Server) startValidation(job validationJob) <-chan struct{} {
	done := make(chan struct{})
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(done)
		ctx, cancel := context.WithTimeout(s.ctx, s.cfg.ValidationTimeout)
		defer cancel()
		var err *acme.Problem
		if !s.dice.get().AlwaysValid {
			if err = s.validate(ctx, job); err == nil {
				err = s.checkCAA(ctx, job)
			}
		}
		s.finishValidation(job, err)
	}()
	return done
}

// validate runs the check of the challenge type.
func (s *Server) validate(ctx context.Context, job validationJob) *acme.Problem {
	switch job.typ {
	case acme.ChallengeHTTP01:
		return s.validateHTTP01(ctx, job)
	case acme.ChallengeDNS01:
		return s.validateDNS01(ctx, job)
	case acme.ChallengeTLSALPN01:
		return s.validateTLSALPN01(ctx, job)
	}
	return acme.NewProblem(acme.ProblemServerInternal, "unknown challenge type %q", job.typ)
}

// finishValidation records the outcome on the challenge and its
// authorization (RFC 8555 §7.1.6: one failed challenge invalidates the
// authorization).
func (s *Server) finishValidation(job validationJob, p *acme.Problem) {
	now := s.clock.Now()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	c, a := s.store.chals[job.chalID], s.store.authzs[job.authzID]
	if c == nil || a == nil {
		return // dropped by reset or retention
	}
	a.touched = now
	if p != nil {
		s.log.Debug("validation failed", "type", job.typ, "name", job.ident.Value, "err", p.Detail)
		c.status, c.err = acme.StatusInvalid, p
		if a.status == acme.StatusPending {
			a.status = acme.StatusInvalid
		}
		return
	}
	c.status, c.validated = acme.StatusValid, timePtr(now)
	if a.status != acme.StatusPending {
		return // deactivated or expired meanwhile
	}
	a.status, a.validated, a.method = acme.StatusValid, now, job.typ
	a.caaChecked = now // startValidation checked CAA with the challenge
	a.expires = now.Add(s.validAuthzLifetime())
	s.recordValidation(a)
}

// validAuthzLifetime is how long a valid authorization stays valid.
func (s *Server) validAuthzLifetime() time.Duration {
	if w := s.profile.reuseWindow(s.clock.Now()); w > 0 {
		return w
	}
	return s.profile.PendingAuthzLifetime
}
