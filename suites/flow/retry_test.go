package flow

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	jose "github.com/go-jose/go-jose/v4"

	"acmeconform/suites/probe"
)

// flakyNonceCA refuses the first signed request with badNonce and then
// answers with an empty account object; it records the nonces it saw.
type flakyNonceCA struct {
	mu     sync.Mutex
	n      int
	seen   []string
	issued []string
}

func (c *flakyNonceCA) handler(base func() string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/dir", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"newNonce": base() + "/nonce"})
	})
	mux.HandleFunc("/nonce", func(w http.ResponseWriter, _ *http.Request) { c.nonce(w) })
	mux.HandleFunc("/acct", func(w http.ResponseWriter, r *http.Request) {
		var jws probe.JWS
		_ = json.NewDecoder(r.Body).Decode(&jws)
		h, _ := probe.DecodeProtected(mustJSON(jws))
		c.mu.Lock()
		c.seen = append(c.seen, fmt.Sprint(h["nonce"]))
		first := len(c.seen) == 1
		c.mu.Unlock()
		c.nonce(w)
		if first {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"type":"urn:ietf:params:acme:error:badNonce"}`))
			return
		}
		_, _ = w.Write([]byte(`{"status":"valid"}`))
	})
	return mux
}

func (c *flakyNonceCA) nonce(w http.ResponseWriter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	n := fmt.Sprintf("nonce-%d", c.n)
	c.issued = append(c.issued, n)
	w.Header().Set("Replay-Nonce", n)
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func TestFlowRetriesBadNonceWithTheErrorsNonce(t *testing.T) {
	ca := &flakyNonceCA{}
	var srv *httptest.Server
	srv = httptest.NewServer(ca.handler(func() string { return srv.URL }))
	t.Cleanup(srv.Close)
	f := testFlow(t, srv.URL+"/dir")
	acct := &Account{Key: probe.MustKey(jose.ES256), URL: srv.URL + "/acct"}
	got, resp, err := f.FetchAccount(context.Background(), acct)
	if err != nil || got.Status != "valid" {
		t.Fatalf("FetchAccount = %v, %v, %v", got, resp, err)
	}
	ca.mu.Lock()
	defer ca.mu.Unlock()
	if len(ca.seen) != 2 {
		t.Fatalf("server saw %d requests, want 2", len(ca.seen))
	}
	// The retry must carry the nonce the badNonce answer handed out.
	if want := ca.issued[1]; ca.seen[1] != want {
		t.Errorf("retry used nonce %q, want %q from the badNonce answer", ca.seen[1], want)
	}
}
