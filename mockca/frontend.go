package mockca

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"acmeconform/acme"
)

// authMode says which key header a POST endpoint accepts (RFC 8555 §6.2).
type authMode int

const (
	authNone   authMode = iota // no POST
	authKID                    // kid only: every resource of an account
	authJWK                    // jwk only: newAccount
	authEither                 // kid or jwk: revokeCert (§7.6)
)

// endpoint is one ACME resource: what GET does, if anything, and what an
// authenticated POST does.
type endpoint struct {
	get  func(r *http.Request) (*response, error)
	auth authMode
	post func(req *request) (*response, error)
	// postAsGet serves a kid-signed POST-as-GET with get: RFC 8555 §6.3
	// has the directory and newNonce allow it as well as GET.
	postAsGet bool
	// missing marks the catch-all: every method gets 404.
	missing bool
	// only, when set, says whether the endpoint answers now; when it does
	// not, the path is missing (the account URL quirk moves accounts).
	only func() bool
}

// request is a POST whose JWS passed every rule of RFC 8555 §6.
type request struct {
	http      *http.Request
	url       string
	payload   []byte
	postAsGet bool // empty payload (RFC 8555 §6.3)
	key       *jose.JSONWebKey
	acctID    string // set when signed with kid
	jws       *parsedJWS
}

// response is what a handler returns; the front end writes it.
type response struct {
	status     int
	body       any    // encoded as JSON unless raw is set
	raw        []byte // written as is with contentType
	ctype      string
	location   string
	links      []string // complete Link header values
	retryAfter time.Duration
	allow      string
	problem    *acme.Problem
}

// link formats one Link header value (RFC 8288).
func link(url, rel string) string { return fmt.Sprintf("<%s>;rel=%q", url, rel) }

// wrap applies the rules every ACME response shares: a fresh Replay-Nonce on
// every response including errors (RFC 8555 §6.5), Link rel="index" (§7.1),
// no caching, CORS for browser clients (§6.1), the method check with Allow,
// and problem documents for every error (§6.7).
func (s *Server) wrap(ep endpoint) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set(acme.HeaderNonce, s.nonces.issue())
		h.Set("Cache-Control", "no-store")
		h.Add("Link", link(s.DirectoryURL(), "index"))
		setCORS(h)
		resp, err := s.dispatch(ep, r)
		if err != nil {
			resp = s.errorResponse(r, err)
		}
		resp = s.misbehaveResponse(h, r, resp)
		s.write(w, r, resp)
	})
}

// dispatch runs the endpoint's handler for the request method. Plain GET is
// only for the directory, newNonce and renewalInfo (RFC 8555 §6.3, RFC 9773);
// a CORS preflight gets the methods the endpoint takes; everything else is
// 405 with Allow.
func (s *Server) dispatch(ep endpoint, r *http.Request) (*response, error) {
	if ep.missing || (ep.only != nil && !ep.only()) {
		return s.notFound(r)
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		if ep.get != nil {
			return ep.get(r)
		}
	case http.MethodPost:
		if ep.post != nil {
			req, err := s.authenticate(ep.auth, r)
			if err != nil {
				return nil, err
			}
			return ep.post(req)
		}
		if ep.postAsGet {
			return s.readAsPost(ep, r)
		}
	case http.MethodOptions:
		return &response{status: http.StatusNoContent, allow: ep.methods()}, nil
	}
	p := acme.NewProblem(acme.ProblemMalformed, "method %s not allowed", r.Method)
	p.Status = http.StatusMethodNotAllowed
	return &response{problem: p, allow: ep.methods()}, nil
}

// methods is the Allow header value of the endpoint.
func (ep endpoint) methods() string {
	switch {
	case ep.get != nil && ep.postAsGet:
		return "GET, HEAD, POST"
	case ep.get != nil:
		return "GET, HEAD"
	}
	return "POST"
}

// readAsPost serves a POST-as-GET (RFC 8555 §6.3) to a resource that is
// read with GET: it is authenticated like any account request, and a
// non-empty payload is refused since the resource cannot be changed.
func (s *Server) readAsPost(ep endpoint, r *http.Request) (*response, error) {
	req, err := s.authenticate(authKID, r)
	if err != nil {
		return nil, err
	}
	if !req.postAsGet {
		return nil, malformed("%s is read with POST-as-GET: the payload must be empty",
			r.URL.Path)
	}
	return ep.get(r)
}

// notFound answers paths that name no resource.
func (s *Server) notFound(r *http.Request) (*response, error) {
	p := acme.NewProblem(acme.ProblemMalformed, "no such resource: %s", r.URL.Path)
	p.Status = http.StatusNotFound
	return &response{problem: p}, nil
}

// errorResponse turns an error into a problem response. A *acme.Problem
// anywhere in the chain is shown as is; anything else is a serverInternal
// whose detail never echoes the cause.
func (s *Server) errorResponse(r *http.Request, err error) *response {
	var rl *rateLimitError
	if errors.As(err, &rl) {
		return &response{problem: rl.p, retryAfter: rl.retryAfter}
	}
	var p *acme.Problem
	if errors.As(err, &p) {
		if p.Status == 0 {
			p.Status = p.Type.DefaultStatus()
		}
		return &response{problem: liftIdentifier(p)}
	}
	s.log.Error("request failed", "path", r.URL.Path, "err", err)
	return &response{problem: acme.NewProblem(acme.ProblemServerInternal, "internal error")}
}

// write sends resp.
func (s *Server) write(w http.ResponseWriter, r *http.Request, resp *response) {
	h := w.Header()
	for _, l := range resp.links {
		h.Add("Link", l)
	}
	if resp.location != "" {
		h.Set(acme.HeaderLocation, resp.location)
	}
	if resp.retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(int((resp.retryAfter+time.Second-1)/time.Second)))
	}
	if resp.allow != "" {
		h.Set("Allow", resp.allow)
	}
	if r.Method == http.MethodOptions && resp.problem == nil {
		setPreflight(h, resp.allow)
	}
	body, ctype, status := resp.encode()
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// encode returns the body bytes, content type and status of resp.
func (resp *response) encode() ([]byte, string, int) {
	if resp.problem != nil {
		b, _ := json.Marshal(resp.problem)
		return b, acme.MediaProblem, resp.problem.Status
	}
	status := resp.status
	if status == 0 {
		status = http.StatusOK
	}
	if resp.raw != nil {
		return resp.raw, resp.ctype, status
	}
	if resp.body == nil {
		return nil, "", status
	}
	b, err := json.Marshal(resp.body)
	if err != nil {
		p := acme.NewProblem(acme.ProblemServerInternal, "internal error")
		b, _ = json.Marshal(p)
		return b, acme.MediaProblem, p.Status
	}
	return b, acme.MediaJSON, status
}

// readBody enforces the content type (RFC 8555 §6.2: 415 otherwise) and the
// body size limit (Config.MaxBodyBytes: 413 beyond it).
func (s *Server) readBody(r *http.Request) ([]byte, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !strings.EqualFold(mt, acme.MediaJOSE) {
		p := acme.NewProblem(acme.ProblemMalformed,
			"Content-Type must be %s", acme.MediaJOSE)
		p.Status = http.StatusUnsupportedMediaType
		return nil, p
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, s.misBodyLimit()+1))
	if err != nil {
		return nil, acme.NewProblem(acme.ProblemMalformed, "read body: %v", err)
	}
	if int64(len(body)) > s.misBodyLimit() {
		p := acme.NewProblem(acme.ProblemMalformed,
			"request body larger than %d bytes", s.cfg.MaxBodyBytes)
		p.Status = http.StatusRequestEntityTooLarge
		return nil, p
	}
	return body, nil
}
