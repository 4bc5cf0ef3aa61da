package main

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// hostileHandlers are directory servers that break HTTP or JSON in the
// ways a broken or malicious ACME server might. done is closed when the
// test ends, so handlers that stall let the test server close.
func hostileHandlers(done <-chan struct{}) map[string]http.HandlerFunc {
	stall := func(r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}
	return map[string]http.HandlerFunc{
		"huge body": func(w http.ResponseWriter, r *http.Request) {
			const size = 1 << 30
			w.Header().Set("Content-Length", strconv.Itoa(size))
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"newNonce":"x","pad":"`))
			chunk := []byte(strings.Repeat("a", 1<<16))
			for sent := 0; sent < size-(1<<16); sent += len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		},
		"endless response": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			chunk := []byte(strings.Repeat(" ", 1<<12))
			for {
				if _, err := w.Write(chunk); err != nil {
					return
				}
				w.(http.Flusher).Flush()
			}
		},
		"redirect loop": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path, http.StatusFound)
		},
		"invalid JSON": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"newNonce": "http://x/nonce", "newAccount": `))
		},
		"slow headers": func(w http.ResponseWriter, r *http.Request) {
			stall(r)
		},
		"slow body": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"newNonce":`))
			w.(http.Flusher).Flush()
			stall(r)
		},
	}
}

// TestRunSurvivesHostileDirectory runs the server suite against each
// hostile directory: every run must end quickly with exit code 3 and one
// line naming the directory URL, never hang or crash.
func TestRunSurvivesHostileDirectory(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary once per hostile server")
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	for name, h := range hostileHandlers(done) {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h)
			t.Cleanup(srv.Close)
			dir := srv.URL + "/dir"
			res := runBinary(t, 2*time.Minute, "run", "--directory", dir,
				"--suite", "server", "--out", t.TempDir())
			if res.code != exitInfra {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", res.code, exitInfra, res.stderr)
			}
			if res.elapsed > 30*time.Second {
				t.Errorf("took %s to give up on a hostile directory", res.elapsed)
			}
			lines := strings.Split(strings.TrimSpace(res.stderr), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], dir) {
				t.Errorf("want one line naming %s, got:\n%s", dir, res.stderr)
			}
			t.Logf("%s: %s", res.elapsed.Round(time.Millisecond), lines[0])
		})
	}
}
