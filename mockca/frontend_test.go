package mockca

import (
	"net/http"
	"strings"
	"testing"

	"acmeconform/acme"
)

// TestPostAsGetOnGetResources checks RFC 8555 §6.3: the directory and
// newNonce allow POST-as-GET as well as GET; a POST with a payload or
// without a valid account is refused like any other.
func TestPostAsGetOnGetResources(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	t.Run("directory", func(t *testing.T) {
		resp := rc.post(e.ca.DirectoryURL(), nil)
		var d acme.Directory
		status := resp.StatusCode
		decode(t, resp, &d)
		if status != http.StatusOK || d.NewOrder != rc.dir.NewOrder {
			t.Fatalf("HTTP %d, newOrder %q, want 200 %q", status, d.NewOrder, rc.dir.NewOrder)
		}
	})
	t.Run("newNonce", func(t *testing.T) {
		resp := rc.post(rc.dir.NewNonce, nil)
		resp.Body.Close()
		if resp.StatusCode >= 300 || resp.Header.Get(acme.HeaderNonce) == "" {
			t.Fatalf("HTTP %d, Replay-Nonce %q", resp.StatusCode, resp.Header.Get(acme.HeaderNonce))
		}
	})
	refused := []struct {
		name   string
		do     func() *http.Response
		status int
		typ    acme.ProblemType
	}{
		{"directory with a payload", func() *http.Response {
			return rc.post(e.ca.DirectoryURL(), map[string]any{})
		}, 400, acme.ProblemMalformed},
		{"directory signed with jwk", func() *http.Response {
			h := rc.header(e.ca.DirectoryURL())
			delete(h, "kid")
			h["jwk"] = jwkJSON(rc.key)
			return rc.send(e.ca.DirectoryURL(), es256(rc.key, h, nil))
		}, 400, acme.ProblemMalformed},
		{"directory with a made-up nonce", func() *http.Response {
			u := e.ca.DirectoryURL()
			return rc.send(u, withHeader(rc, u, "nonce", "bm9uZQ"))
		}, 400, acme.ProblemBadNonce},
		{"renewalInfo stays GET only", func() *http.Response {
			return rc.post(rc.dir.RenewalInfo+"/x.y", nil)
		}, 405, acme.ProblemMalformed},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			expectProblem(t, tt.do(), tt.status, tt.typ)
		})
	}
}

// TestCORS checks RFC 8555 §6.1: every response lets browser clients of
// any origin read it, and a preflight names the methods of the resource.
func TestCORS(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	for _, resp := range []*http.Response{
		get(t, rc, e.ca.DirectoryURL()),
		rc.post(rc.kid, nil),
		rc.post(rc.dir.NewOrder, map[string]any{}), // an error
	} {
		resp.Body.Close()
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("%s: Access-Control-Allow-Origin %q", resp.Request.URL, got)
		}
		exposed := resp.Header.Get("Access-Control-Expose-Headers")
		for _, h := range []string{"Replay-Nonce", "Link", "Location"} {
			if !strings.Contains(exposed, h) {
				t.Errorf("%s: %s not exposed (%q)", resp.Request.URL, h, exposed)
			}
		}
	}
	tests := []struct {
		name, url, methods string
	}{
		{"directory", e.ca.DirectoryURL(), "GET, HEAD, POST"},
		{"newOrder", rc.dir.NewOrder, "POST"},
	}
	for _, tt := range tests {
		t.Run("preflight "+tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodOptions, tt.url, nil)
			req.Header.Set("Origin", "https://client.example")
			req.Header.Set("Access-Control-Request-Method", "POST")
			resp, err := rc.http.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			h := resp.Header
			if resp.StatusCode != http.StatusNoContent ||
				h.Get("Access-Control-Allow-Methods") != tt.methods ||
				!strings.Contains(h.Get("Access-Control-Allow-Headers"), "Content-Type") {
				t.Fatalf("HTTP %d, methods %q, headers %q", resp.StatusCode,
					h.Get("Access-Control-Allow-Methods"), h.Get("Access-Control-Allow-Headers"))
			}
		})
	}
}

// get sends a plain GET.
func get(t *testing.T, rc *rawClient, url string) *http.Response {
	t.Helper()
	resp, err := rc.http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}
