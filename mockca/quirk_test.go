package mockca

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"acmeconform/acme"
)

func TestParseQuirks(t *testing.T) {
	if got, err := ParseQuirks("directory-without-meta, pretty-json-unknown-fields"); err != nil ||
		len(got) != 2 {
		t.Fatalf("ParseQuirks = %v, %v", got, err)
	}
	if _, err := ParseQuirks("nonce-reuse-accepted"); err == nil {
		t.Fatal("a misbehaviour was taken for a quirk")
	}
	if _, err := New(Config{Quirks: []Quirk{"no-such-quirk"}}); err == nil {
		t.Fatal("New accepted an unknown quirk")
	}
}

// quirkEnv starts a CA with one quirk and a client; register says whether
// the client gets an account first (before the quirk is switched on).
func quirkEnv(t *testing.T, q Quirk, register bool) (*testEnv, *rawClient) {
	t.Helper()
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	if register {
		rc.register()
	}
	if err := e.ca.SetQuirks([]Quirk{q}); err != nil {
		t.Fatal(err)
	}
	return e, rc
}

// newOrderTwice sends newOrder twice and returns both responses.
func newOrderTwice(rc *rawClient) (*http.Response, *http.Response) {
	body := acme.NewOrderRequest{Identifiers: []acme.Identifier{
		{Type: acme.IdentifierDNS, Value: "quirk.acmeconform.test"}}}
	first := rc.post(rc.dir.NewOrder, body)
	first.Body.Close()
	again := rc.post(rc.dir.NewOrder, body)
	again.Body.Close()
	return first, again
}

func TestQuirksRefuseOnceWithRetryAfter(t *testing.T) {
	tests := []struct {
		name   string
		quirk  Quirk
		status int
		typ    acme.ProblemType
		date   bool
	}{
		{"503", QuirkUnavailable, http.StatusServiceUnavailable, acme.ProblemServerInternal, false},
		{"429 seconds", QuirkRateLimitSecs, http.StatusTooManyRequests, acme.ProblemRateLimited, false},
		{"429 date", QuirkRateLimitDate, http.StatusTooManyRequests, acme.ProblemRateLimited, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rc := quirkEnv(t, tt.quirk, true)
			first, again := newOrderTwice(rc)
			if first.StatusCode != tt.status || again.StatusCode != http.StatusCreated {
				t.Fatalf("newOrder answered %d then %d, want %d then 201", first.StatusCode,
					again.StatusCode, tt.status)
			}
			ra := first.Header.Get("Retry-After")
			_, dateErr := http.ParseTime(ra)
			if tt.date != (dateErr == nil) || ra == "" {
				t.Errorf("Retry-After %q, want an HTTP date: %v", ra, tt.date)
			}
		})
	}
}

func TestQuirkBadNonceOnFirstPost(t *testing.T) {
	_, rc := quirkEnv(t, QuirkBadNonceFirst, false)
	body := map[string]any{"termsOfServiceAgreed": true}
	first := rc.post(rc.dir.NewAccount, body)
	p := problemOf(t, first)
	if first.StatusCode != http.StatusBadRequest || p.Type != acme.ProblemBadNonce {
		t.Fatalf("first POST: HTTP %d %v, want badNonce", first.StatusCode, p)
	}
	again := rc.post(rc.dir.NewAccount, body) // uses the badNonce answer's nonce
	again.Body.Close()
	if again.StatusCode != http.StatusCreated {
		t.Fatalf("retry: HTTP %d, want 201", again.StatusCode)
	}
}

func TestQuirkDirectoryShapes(t *testing.T) {
	tests := []struct {
		name  string
		quirk Quirk
		want  func(body string) bool
	}{
		{"no meta", QuirkNoMeta, func(b string) bool { return !strings.Contains(b, `"meta"`) }},
		{"pretty with unknown members", QuirkPrettyJSON, func(b string) bool {
			return strings.Contains(b, "\n    \"") && strings.Contains(b, "acmeconformNote")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, rc := quirkEnv(t, tt.quirk, false)
			resp, err := rc.http.Get(e.ca.DirectoryURL())
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !tt.want(string(b)) {
				t.Errorf("directory: %s", b)
			}
		})
	}
}

func TestQuirkValidAuthorizationsAndMediaParameters(t *testing.T) {
	e, rc := quirkEnv(t, QuirkAuthzValid, true)
	if err := e.ca.SetAccountQuirks(rc.kid, []Quirk{QuirkCertMediaParam}); err != nil {
		t.Fatal(err)
	}
	u, o := rc.newOrder("valid.acmeconform.test")
	if o.Status != acme.StatusReady {
		t.Fatalf("order is %s, want ready at once", o.Status)
	}
	csr, _ := csrFor(t, "valid.acmeconform.test")
	rc.finalize(o, csr).Body.Close()
	deadline := time.Now().Add(10 * time.Second)
	for o.Status != acme.StatusValid && time.Now().Before(deadline) {
		decode(t, rc.post(u, nil), &o)
	}
	resp := rc.post(o.Certificate, nil)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != acme.MediaPEMChain+"; charset=utf-8" {
		t.Errorf("certificate content type %q, want parameters", ct)
	}
}

func TestQuirkSlowFinalize(t *testing.T) {
	e, rc := quirkEnv(t, QuirkSlowFinalize, true)
	u, o := rc.newOrder("slow.acmeconform.test")
	rc.authorize(e, o)
	rc.waitStatus(u, acme.StatusReady)
	csr, _ := csrFor(t, "slow.acmeconform.test")
	resp := rc.finalize(o, csr)
	decode(t, resp, &o)
	if o.Status != acme.StatusProcessing {
		t.Fatalf("finalized order is %s, want processing", o.Status)
	}
	rc.waitStatus(u, acme.StatusValid)
}
