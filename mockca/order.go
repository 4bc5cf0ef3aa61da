package mockca

import (
	"net/http"
	"time"

	"acmeconform/acme"
)

// postNewOrder creates an order (RFC 8555 §7.4) with one authorization per
// identifier, reusing valid ones where the reuse knob and window allow.
func (s *Server) postNewOrder(req *request) (*response, error) {
	var p acme.NewOrderRequest
	if req.postAsGet {
		return nil, malformed("newOrder needs a payload")
	}
	if err := decodePayload(req.payload, &p); err != nil {
		return nil, err
	}
	ids, err := s.checkIdentifiers(p.Identifiers)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	o := &order{id: newID(), accountID: req.acctID, status: acme.StatusPending,
		expires: now.Add(s.profile.OrderLifetime), identifiers: ids, touched: now}
	if err := s.orderOptions(&p, o); err != nil {
		return nil, err
	}
	if err := s.checkRateLimit(req.acctID, now); err != nil {
		return nil, err
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if err := s.claimReplaces(req.acctID, o.replaces); err != nil {
		return nil, err
	}
	for _, id := range ids {
		o.authzIDs = append(o.authzIDs, s.authzFor(req.acctID, id, now).id)
	}
	s.store.orders[o.id] = o
	acct := s.store.accounts[req.acctID]
	acct.orders = append(acct.orders, o.id)
	s.store.gc(now, s.cfg.Retention)
	return &response{status: http.StatusCreated, body: s.orderObject(o, now),
		location: s.url(pathOrder + o.id)}, nil
}

// orderOptions applies notBefore/notAfter, profile and replaces.
func (s *Server) orderOptions(p *acme.NewOrderRequest, o *order) error {
	var err error
	if o.notBefore, err = parseOrderTime("notBefore", p.NotBefore); err != nil {
		return err
	}
	if o.notAfter, err = parseOrderTime("notAfter", p.NotAfter); err != nil {
		return err
	}
	if o.notBefore != nil && o.notAfter != nil && !o.notAfter.After(*o.notBefore) {
		return malformed("notAfter must be after notBefore")
	}
	o.profile = s.profile.DefaultOrderProfile
	if p.Profile != "" {
		if _, ok := s.profile.OrderProfiles[p.Profile]; !ok && !s.misbehaves(MisProfileUnknownOK) {
			return acme.NewProblem(acme.ProblemInvalidProfile, "profile %q is not offered", p.Profile)
		}
		o.profile = p.Profile
	}
	o.replaces = p.Replaces
	return nil
}

// parseOrderTime parses an optional RFC 3339 date of newOrder.
func parseOrderTime(field, v string) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, malformed("%s is not an RFC 3339 date: %v", field, err)
	}
	return timePtr(t), nil
}

// postOrder answers POST-as-GET on an order (RFC 8555 §7.1.3).
func (s *Server) postOrder(req *request) (*response, error) {
	if !req.postAsGet {
		return nil, malformed("an order is read with POST-as-GET (empty payload)")
	}
	now := s.clock.Now()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	o, err := s.ownOrder(req)
	if err != nil {
		return nil, err
	}
	resp := &response{body: s.orderObject(o, now)}
	if o.status == acme.StatusProcessing {
		resp.retryAfter = s.profile.RetryAfter
	}
	return resp, nil
}

// ownOrder returns the order named in the path if the account owns it.
// Caller holds the store lock.
func (s *Server) ownOrder(req *request) (*order, error) {
	o := s.store.orders[req.http.PathValue("id")]
	if o == nil {
		return nil, notFoundProblem("order")
	}
	if o.accountID != req.acctID && !s.misbehavesReq(req, MisOrderOtherAccount) {
		return nil, acme.NewProblem(acme.ProblemUnauthorized, "order belongs to another account")
	}
	return o, nil
}

// notFoundProblem is a malformed problem with status 404.
func notFoundProblem(what string) *acme.Problem {
	p := malformed("no such %s", what)
	p.Status = http.StatusNotFound
	return p
}

// refreshOrder applies the time- and authorization-driven transitions of
// RFC 8555 §7.1.6 lazily, when the order is read. Caller holds the lock.
func (s *Server) refreshOrder(o *order, now time.Time) {
	if o.status != acme.StatusPending && o.status != acme.StatusReady {
		return
	}
	if now.After(o.expires) {
		o.status, o.touched = acme.StatusInvalid, now
		o.err = acme.NewProblem(acme.ProblemMalformed, "order expired")
		return
	}
	allValid := true
	for _, id := range o.authzIDs {
		a := s.store.authzs[id]
		if a == nil {
			allValid = false
			continue
		}
		s.refreshAuthz(a, now)
		switch a.status {
		case acme.StatusValid:
		case acme.StatusPending:
			allValid = false
		default:
			o.status, o.touched = acme.StatusInvalid, now
			o.err = s.authzError(a)
			return
		}
	}
	if allValid && o.status == acme.StatusPending {
		o.status, o.touched = acme.StatusReady, now
	}
}

// orderObject renders o after refreshing it. Caller holds the lock.
func (s *Server) orderObject(o *order, now time.Time) acme.Order {
	s.refreshOrder(o, now)
	out := acme.Order{
		Status:      o.status,
		Expires:     timePtr(o.expires),
		Identifiers: o.identifiers,
		NotBefore:   o.notBefore,
		NotAfter:    o.notAfter,
		Error:       liftIdentifier(o.err),
		Finalize:    s.url(pathOrder + o.id + "/finalize"),
		Profile:     o.profile,
		Replaces:    o.replaces,
	}
	out.Authorizations = make([]string, len(o.authzIDs))
	for i, id := range o.authzIDs {
		out.Authorizations[i] = s.url(pathAuthz + id)
	}
	if o.certID != "" {
		out.Certificate = s.url(pathCert + o.certID)
	}
	return out
}
