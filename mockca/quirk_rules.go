package mockca

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"acmeconform/acme"
)

// quirkRequest answers a request the way a switched-on quirk wants before
// any handler sees it: a badNonce, a 503 or a 429.
func (s *Server) quirkRequest(req *request) error {
	q := s.mis.quirks
	if !q.active() {
		return nil
	}
	if thumb, err := thumbprint(req.key); err == nil &&
		q.once(QuirkBadNonceFirst, req.acctID, thumb) {
		return acme.NewProblem(acme.ProblemBadNonce, "retry with the nonce of this response")
	}
	if req.http.URL.Path != pathNewOrder || req.acctID == "" {
		return nil
	}
	limited := acme.NewProblem(acme.ProblemRateLimited, "too many new orders; retry later")
	switch {
	case q.once(QuirkUnavailable, req.acctID, req.acctID):
		p := acme.NewProblem(acme.ProblemServerInternal, "temporarily unavailable; retry later")
		p.Status = http.StatusServiceUnavailable
		return &rateLimitError{p: p, retryAfter: time.Second}
	case q.once(QuirkRateLimitSecs, req.acctID, req.acctID):
		return &rateLimitError{p: limited, retryAfter: time.Second}
	case q.once(QuirkRateLimitDate, req.acctID, req.acctID):
		return &rateLimitError{p: limited} // quirkResponse adds the date
	}
	return nil
}

// quirkResponse reshapes a response the way the switched-on quirks want.
func (s *Server) quirkResponse(x *misExchange) {
	q := s.mis.quirks
	on := func(n Quirk) bool { return q.on(string(n), x.req.acctID) }
	p := x.resp.problem
	if p != nil {
		if p.Type == acme.ProblemRateLimited && x.resp.retryAfter == 0 && on(QuirkRateLimitDate) {
			at := s.clock.Now().Add(2 * time.Second).UTC()
			x.h.Set("Retry-After", at.Format(http.TimeFormat))
		}
		return
	}
	path := x.r.URL.Path
	if d, ok := x.resp.body.(acme.Directory); ok && on(QuirkNoMeta) {
		d.Meta = nil
		x.resp.body = d
	}
	if path == pathNewOrder && x.resp.status == http.StatusCreated && on(QuirkAuthzValid) {
		s.quirkValidate(x)
	}
	if strings.HasPrefix(path, pathCert) && x.resp.ctype == acme.MediaPEMChain &&
		on(QuirkCertMediaParam) {
		x.resp.ctype += "; charset=utf-8"
	}
	if x.resp.body != nil && x.resp.raw == nil && on(QuirkPrettyJSON) {
		m := toJSONMap(x.resp.body)
		m["acmeconformNote"] = map[string]any{"unknown": true, "members": []int{1, 2}}
		x.resp.raw, _ = json.MarshalIndent(m, "", "    ")
		x.resp.ctype = acme.MediaJSON
	}
}

// quirkFinalizeDelay is how long a finalized order stays processing: the
// FinalizeDelay knob, or at least 3 seconds with the slow finalize quirk.
func (s *Server) quirkFinalizeDelay(req *request) time.Duration {
	d := s.dice.get().FinalizeDelay
	if s.mis.quirks.on(string(QuirkSlowFinalize), req.acctID) {
		d = max(d, 3*time.Second)
	}
	return d
}

// quirkValidate makes every authorization of a new order valid, as if the
// account had validated the names before, and shows the order ready.
func (s *Server) quirkValidate(x *misExchange) {
	id := strings.TrimPrefix(x.resp.location, s.url(pathOrder))
	now := s.clock.Now()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	o := s.store.orders[id]
	if o == nil {
		return
	}
	for _, aid := range o.authzIDs {
		a := s.store.authzs[aid]
		if a == nil || a.status != acme.StatusPending || len(a.challIDs) == 0 {
			continue
		}
		c := s.store.chals[a.challIDs[0]]
		c.status, c.validated = acme.StatusValid, &now
		a.status, a.validated, a.method, a.touched = acme.StatusValid, now, c.typ, now
	}
	x.resp.body = s.orderObject(o, now)
}
