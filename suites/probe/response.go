package probe

import (
	"errors"
	"mime"
	"net/http"
	"strings"

	"acmeconform/acme"
)

// Response is one HTTP response, its body read in full up to the client's
// bound.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	// Truncated is set when the body was longer than the bound.
	Truncated bool
	// SentNonce is the nonce the signed request carried, if any.
	SentNonce string
}

// Err returns nil for a status below 400 and otherwise the error that
// acme.ParseProblem makes of the response: a *acme.Problem for a problem
// document, an error wrapping acme.ErrNotProblem for anything else.
func (r *Response) Err() error {
	if r.Status < 400 {
		return nil
	}
	return acme.ParseProblem(r.Status, r.Header.Get("Content-Type"), r.Body)
}

// Problem returns the problem document of an error response, or nil when
// the response is not an error or not a problem document.
func (r *Response) Problem() *acme.Problem {
	var p *acme.Problem
	if errors.As(r.Err(), &p) {
		return p
	}
	return nil
}

// ProblemType returns the problem type of an error response, or "" when
// there is none.
func (r *Response) ProblemType() acme.ProblemType {
	if p := r.Problem(); p != nil {
		return p.Type
	}
	return ""
}

// Decode unmarshals the JSON body into v.
func (r *Response) Decode(v any) error { return decodeJSON(r.Body, v) }

// MediaType returns the Content-Type without parameters, lowercased.
func (r *Response) MediaType() string {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return mt
}

// Location returns the Location header.
func (r *Response) Location() string { return r.Header.Get(acme.HeaderLocation) }

// Nonce returns the Replay-Nonce header.
func (r *Response) Nonce() string { return r.Header.Get(acme.HeaderNonce) }

// Links returns the targets of every Link header with relation rel
// (RFC 8288), e.g. "index", "up", "alternate", "next".
func (r *Response) Links(rel string) []string {
	var out []string
	for _, v := range r.Header.Values("Link") {
		for _, l := range ParseLinks(v) {
			if l.Has(rel) {
				out = append(out, l.URL)
			}
		}
	}
	return out
}

// Link is one entry of a Link header.
type Link struct {
	URL  string
	Rels []string
}

// Has reports whether the link carries relation rel.
func (l Link) Has(rel string) bool {
	for _, r := range l.Rels {
		if strings.EqualFold(r, rel) {
			return true
		}
	}
	return false
}

// ParseLinks parses one Link header value leniently (RFC 8288): entries
// `<url>; rel="a b"` separated by commas. Entries whose target holds a
// bracket are dropped.
func ParseLinks(v string) []Link {
	var out []Link
	for {
		start := strings.IndexByte(v, '<')
		if start < 0 {
			return out
		}
		rest := v[start+1:]
		end := strings.IndexByte(rest, '>')
		if end < 0 {
			return out
		}
		target, params := rest[:end], rest[end+1:]
		v = ""
		if next := strings.IndexByte(params, '<'); next >= 0 {
			params, v = params[:next], params[next:]
		}
		if strings.ContainsAny(target, "<>") {
			continue
		}
		out = append(out, Link{URL: target, Rels: linkRels(params)})
	}
}

// linkRels returns the relation types of one entry's parameters.
func linkRels(params string) []string {
	var rels []string
	for _, p := range strings.Split(params, ";") {
		k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "rel") {
			val = strings.Trim(strings.TrimSpace(strings.TrimRight(val, ", ")), `"`)
			rels = append(rels, strings.Fields(val)...)
		}
	}
	return rels
}
