package probe

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"acmeconform/acme"
)

func TestResponseBodyIsBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("x", 5000)))
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{DirectoryURL: srv.URL, MaxResponseBytes: 1000, RecordBytes: 100})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Get(context.Background(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Truncated || len(resp.Body) != 1000 {
		t.Errorf("Truncated = %v, len = %d; want true, 1000", resp.Truncated, len(resp.Body))
	}
	rec := c.Exchanges()[0].ResponseBody
	if !strings.Contains(rec, "more bytes") || len(rec) > 200 {
		t.Errorf("recorded body not bounded: %d bytes", len(rec))
	}
}

func TestRequestIsBoundedInTime(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	c, err := New(Config{DirectoryURL: srv.URL, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Get(context.Background(), srv.URL)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want a deadline error", err)
	}
	if got := c.Exchanges(); len(got) != 1 || got[0].Err == "" {
		t.Errorf("failed exchange not recorded: %+v", got)
	}
}

func TestErrorsComeFromParseProblem(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		ctype      string
		body       string
		wantType   acme.ProblemType
		notProblem bool
	}{
		{"problem", 400, "application/problem+json",
			`{"type":"urn:ietf:params:acme:error:badNonce"}`, acme.ProblemBadNonce, false},
		{"html error page", 500, "text/html", "<h1>oops</h1>", "", true},
		{"success", 200, "application/json", "{}", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Response{Status: tt.status, Header: http.Header{"Content-Type": {tt.ctype}},
				Body: []byte(tt.body)}
			if got := r.ProblemType(); got != tt.wantType {
				t.Errorf("ProblemType = %q, want %q", got, tt.wantType)
			}
			if got := errors.Is(r.Err(), acme.ErrNotProblem); got != tt.notProblem {
				t.Errorf("Err = %v, not-problem %v, want %v", r.Err(), got, tt.notProblem)
			}
		})
	}
}

func TestRecordRedactsSecrets(t *testing.T) {
	f := newFakeCA(t)
	c := newTestClient(t, f)
	const secret = "c2VjcmV0LW1hYy1rZXktZm9yLXRlc3Rz"
	c.AddSecret(secret)
	payload := `{"note":"` + secret + `","jwk":{"kty":"oct","k":"c3ltbWV0cmlj","d":"cHJpdg"}}`
	_, err := c.Post(context.Background(), Request{URL: f.url("/sink"),
		Key: MustKey(jose.ES256), Payload: []byte(payload)})
	if err != nil {
		t.Fatal(err)
	}
	text := c.Transcript(0)
	for _, leak := range []string{secret, "c3ltbWV0cmlj", "cHJpdg"} {
		if strings.Contains(text, leak) {
			t.Errorf("transcript leaks %q:\n%s", leak, text)
		}
	}
	if !strings.Contains(text, Redacted) || !strings.Contains(text, `"kty":"oct"`) {
		t.Errorf("transcript lost the redacted structure:\n%s", text)
	}
}

func TestNoncePool(t *testing.T) {
	f := newFakeCA(t)
	c := newTestClient(t, f)
	ctx := context.Background()
	resp, err := c.Post(ctx, Request{URL: f.url("/sink"), Key: MustKey(jose.ES256)})
	if err != nil {
		t.Fatal(err)
	}
	n, err := c.Nonce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != resp.Nonce() {
		t.Errorf("pool gave %q, want the response's %q", n, resp.Nonce())
	}
	if c.LastUsedNonce() != resp.SentNonce || resp.SentNonce == "" {
		t.Errorf("LastUsedNonce = %q, SentNonce = %q", c.LastUsedNonce(), resp.SentNonce)
	}
}

func TestNonceReusedNeedsAnEarlierRequest(t *testing.T) {
	f := newFakeCA(t)
	c := newTestClient(t, f)
	_, err := c.Post(context.Background(), Request{URL: f.url("/sink"),
		Key: MustKey(jose.ES256), Variant: VariantNonceReused})
	if !errors.Is(err, errNoUsedNonce) {
		t.Errorf("err = %v, want errNoUsedNonce", err)
	}
}

func TestNewRefusesEmptyDirectory(t *testing.T) {
	if _, err := New(Config{}); err == nil {
		t.Error("New accepted an empty DirectoryURL")
	}
}
