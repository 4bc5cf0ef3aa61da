package probe

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// fakeCA is a minimal ACME front door for tests: a directory, a nonce
// source, and a sink that records every POST it gets.
type fakeCA struct {
	srv *httptest.Server

	mu     sync.Mutex
	issued []string
	posts  []*http.Request
	bodies [][]byte
}

func newFakeCA(t *testing.T) *fakeCA {
	t.Helper()
	f := &fakeCA{}
	mux := http.NewServeMux()
	mux.HandleFunc("/dir", f.directory)
	mux.HandleFunc("/nonce", func(w http.ResponseWriter, _ *http.Request) {
		f.nonce(w)
		w.WriteHeader(http.StatusOK)
	})
	mux.HandleFunc("/sink", f.sink)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeCA) url(path string) string { return f.srv.URL + path }

func (f *fakeCA) directory(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{
		"newNonce": f.url("/nonce"), "newAccount": f.url("/sink"), "newOrder": f.url("/sink"),
		"revokeCert": f.url("/sink"), "keyChange": f.url("/sink"),
	})
}

func (f *fakeCA) nonce(w http.ResponseWriter) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := fmt.Sprintf("nonce-%03d", len(f.issued))
	f.issued = append(f.issued, n)
	w.Header().Set("Replay-Nonce", n)
}

func (f *fakeCA) sink(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.posts = append(f.posts, r)
	f.bodies = append(f.bodies, body)
	f.mu.Unlock()
	f.nonce(w)
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write([]byte(`{"type":"urn:ietf:params:acme:error:malformed","detail":"sink"}`))
}

// last returns the last POST the sink saw and its body.
func (f *fakeCA) last(t *testing.T) (*http.Request, []byte) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.posts) == 0 {
		t.Fatal("no POST reached the sink")
	}
	return f.posts[len(f.posts)-1], f.bodies[len(f.bodies)-1]
}

func (f *fakeCA) wasIssued(n string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, i := range f.issued {
		if i == n {
			return true
		}
	}
	return false
}

func newTestClient(t *testing.T, f *fakeCA) *Client {
	t.Helper()
	c, err := New(Config{DirectoryURL: f.url("/dir"), OversizeBytes: 4096})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
