package mockca

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"acmeconform/acme"
)

// misExchange is one response on its way out, with what the misbehaviour
// rules need to know about it.
type misExchange struct {
	h    http.Header
	r    *http.Request
	resp *response
	req  *misRequest
	on   func(Misbehaviour) bool
}

// misbehaveResponse applies the switched-on response misbehaviours to
// resp just before the front end writes it. h holds the headers the front
// end has set so far (Replay-Nonce, Link rel=index, Cache-Control).
func (s *Server) misbehaveResponse(h http.Header, r *http.Request, resp *response) *response {
	v, _ := s.mis.inflight.LoadAndDelete(r)
	if !s.mis.active() && !s.mis.quirks.active() {
		return resp
	}
	mr, _ := v.(*misRequest)
	if mr == nil {
		mr = &misRequest{}
	}
	x := &misExchange{h: h, r: r, resp: resp, req: mr,
		on: func(m Misbehaviour) bool { return s.mis.is(m, mr.acctID) }}
	s.misHeaders(x)
	if resp.problem != nil {
		s.misProblem(x)
	} else {
		s.misNonce(x)
		s.misAccount(x)
		s.misOrder(x)
		s.misAuthz(x)
		s.misOther(x)
	}
	s.misCAAType(x)
	s.quirkResponse(x)
	return x.resp
}

// misHeaders breaks the headers every response shares (RFC 8555 §6.5,
// §7.1).
func (s *Server) misHeaders(x *misExchange) {
	p := x.resp.problem
	switch {
	case p != nil && p.Type == acme.ProblemBadNonce && x.on(MisBadNonceStale):
		x.h.Set(acme.HeaderNonce, newToken())
	case p != nil && p.Type != acme.ProblemBadNonce && x.on(MisNonceNotOnError):
		x.h.Del(acme.HeaderNonce)
	case p == nil && x.r.Method == http.MethodPost && x.on(MisNonceNotOnSuccess):
		x.h.Del(acme.HeaderNonce)
	}
	if x.on(MisNoIndexLink) {
		x.h.Del("Link")
	}
	if x.on(MisNoUpLink) {
		x.resp.links = slices.DeleteFunc(slices.Clone(x.resp.links),
			func(l string) bool { return strings.HasSuffix(l, `rel="up"`) })
	}
}

// misProblem changes the status, type or detail of error responses.
func (s *Server) misProblem(x *misExchange) {
	p, path := x.resp.problem, x.r.URL.Path
	retype := func(t acme.ProblemType) { p.Type, p.Status = t, t.DefaultStatus() }
	switch {
	case len(x.req.payload) > 0 && x.req.payload[0] != '{' && x.on(MisNonObjectPayload500):
		x.resp = &response{problem: acme.NewProblem(acme.ProblemServerInternal, "internal error")}
	case p.Status == http.StatusUnsupportedMediaType && x.on(MisContentType400):
		p.Status = http.StatusBadRequest
	case p.Type == acme.ProblemBadSignatureAlgorithm && x.on(MisBadSigAlgNoList):
		p.Algorithms = nil
	case p.Type == acme.ProblemBadPublicKey && x.on(MisWeakKeyMalformed):
		retype(acme.ProblemMalformed)
	case p.Status == http.StatusMethodNotAllowed && x.on(MisGet404):
		p.Status, x.resp.allow = http.StatusNotFound, ""
	case p.Type == acme.ProblemUnsupportedContact && x.on(MisContactScheme):
		retype(acme.ProblemInvalidContact)
	case p.Type == acme.ProblemInvalidContact && x.on(MisContactInvalid):
		retype(acme.ProblemMalformed)
	case p.Type == acme.ProblemOrderNotReady && x.on(MisFinalizeEarly400):
		p.Status = http.StatusBadRequest
	case p.Type == acme.ProblemAlreadyRevoked && x.on(MisRevokeTwice):
		x.resp = &response{}
	case p.Type == acme.ProblemBadRevocationReason && x.on(MisRevokeReasonUnlisted):
		p.Detail = "this reason code is not allowed"
	case path == pathRevoke && p.Type == acme.ProblemMalformed &&
		p.Status == http.StatusBadRequest && x.on(MisRevokeGarbage500):
		x.resp = &response{problem: acme.NewProblem(acme.ProblemServerInternal, "internal error")}
	case strings.HasSuffix(path, "/finalize") && p.Type == acme.ProblemMalformed &&
		x.on(MisCSRGarbage500):
		x.resp = &response{problem: acme.NewProblem(acme.ProblemServerInternal, "internal error")}
	case strings.HasSuffix(path, "/finalize") && p.Type == acme.ProblemBadCSR &&
		x.on(MisBadCSRInvalidates):
		s.misInvalidateOrder(x.r.PathValue("id"))
	case path == pathKeyChange && p.Status == http.StatusConflict && x.on(MisKeyChangeNoLoc):
		x.resp.location = ""
	case strings.HasPrefix(path, pathRenewalInfo) && x.on(MisARIBadCertIDWindow):
		now := s.clock.Now().UTC()
		var ri acme.RenewalInfo
		ri.SuggestedWindow.Start, ri.SuggestedWindow.End = now, now.Add(24*time.Hour)
		x.resp = &response{body: ri, retryAfter: ariRetryAfter}
	}
}

// misInvalidateOrder makes the order invalid after a refused CSR.
func (s *Server) misInvalidateOrder(id string) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if o := s.store.orders[id]; o != nil && o.status == acme.StatusReady {
		o.status = acme.StatusInvalid
		o.err = badCSR("the order was finalized with a bad CSR")
	}
}

// misNonce breaks newNonce (RFC 8555 §7.2).
func (s *Server) misNonce(x *misExchange) {
	if x.r.URL.Path != pathNonce {
		return
	}
	if x.on(MisNonceCacheable) {
		x.h.Set("Cache-Control", "public, max-age=60")
	}
	switch {
	case x.r.Method == http.MethodGet && x.on(MisNonceGet200):
		x.resp.status = http.StatusOK
	case x.r.Method == http.MethodHead && x.on(MisNonceHead204):
		x.resp.status = http.StatusNoContent
	}
}

// misOther breaks the directory, certificates, renewal information and
// key rollover.
func (s *Server) misOther(x *misExchange) {
	path := x.r.URL.Path
	switch {
	case path == pathDirectory && x.on(MisDirectoryPlain):
		x.resp.raw, _ = json.Marshal(x.resp.body)
		x.resp.ctype = "text/plain"
	case path == pathDirectory && x.on(MisDirectoryHTTP):
		m := toJSONMap(x.resp.body)
		m["mirror"] = strings.Replace(s.DirectoryURL(), "https://", "http://", 1)
		x.resp.body = m
	case strings.HasPrefix(path, pathCert) && x.resp.raw != nil && x.on(MisChainExtraCert):
		x.resp.raw = append(slices.Clone(x.resp.raw), s.tlsRootPEM...)
	case strings.HasSuffix(path, "/orders") && x.on(MisOrdersTruncated):
		if l, ok := x.resp.body.(acme.OrdersList); ok && len(l.Orders) > 2 {
			x.resp.body = acme.OrdersList{Orders: l.Orders[:2]}
			x.resp.links = nil
		}
	case strings.HasPrefix(path, pathRenewalInfo) && x.on(MisARINoRetryAfter):
		x.resp.retryAfter = 0
	case path == pathKeyChange && x.req.key != nil && x.on(MisKeyChangeKeepsOld):
		if b, err := x.req.key.MarshalJSON(); err == nil {
			s.mis.mu.Lock()
			s.mis.oldKeys[x.req.acctID] = string(b)
			s.mis.mu.Unlock()
		}
	}
}

// toJSONMap turns a JSON-encodable value into a map of its members.
func toJSONMap(v any) map[string]any {
	m := map[string]any{}
	if b, err := json.Marshal(v); err == nil {
		_ = json.Unmarshal(b, &m)
	}
	return m
}
