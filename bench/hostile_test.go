package bench

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"acmeconform/suites/probe"
)

// hostileBound is how long past the probe's own timeout a request to the
// hostile server may take before the probe counts as hung.
const hostileBound = 5 * time.Second

// hostileServer plays a broken or malicious ACME server on loopback. Its
// handlers block only until the client goes away or the test ends.
func hostileServer(t *testing.T) *httptest.Server {
	t.Helper()
	done := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/huge", hugeBody)
	mux.HandleFunc("/endless", endlessBody)
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/invalid-json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Replay-Nonce", "n1")
		_, _ = w.Write([]byte(`{"newNonce": "https://x/nonce", "newAccount": [}`))
	})
	mux.HandleFunc("/slow-headers", func(w http.ResponseWriter, r *http.Request) {
		select { // never answers: the client must give up on its own
		case <-r.Context().Done():
		case <-done:
		}
	})
	mux.HandleFunc("/endless-header", func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		writeEndlessHeader(buf, done)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { close(done); srv.Close() })
	return srv
}

// hugeBody sends 128 MiB unless the client stops reading first.
func hugeBody(w http.ResponseWriter, r *http.Request) {
	chunk := []byte(strings.Repeat("A", 64<<10))
	for range 2048 {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// endlessBody streams a JSON document that never ends.
func endlessBody(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	for r.Context().Err() == nil {
		if _, err := w.Write([]byte(`{"a":`)); err != nil {
			return
		}
		w.(http.Flusher).Flush()
	}
}

// writeEndlessHeader starts a response whose header line never ends.
func writeEndlessHeader(buf *bufio.ReadWriter, done chan struct{}) {
	_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nX-Endless: ")
	line := strings.Repeat("x", 32<<10)
	for {
		select {
		case <-done:
			return
		default:
		}
		if _, err := buf.WriteString(line); err != nil || buf.Flush() != nil {
			return
		}
	}
}

// TestProbeSurvivesHostileServer sends the probe client to each hostile
// endpoint: every request must end within its timeout (plus slack) with
// an error or a body cut at the size bound, never hang or grow unbounded.
func TestProbeSurvivesHostileServer(t *testing.T) {
	srv := hostileServer(t)
	const timeout, maxBody = time.Second, 64 << 10
	tests := []struct {
		name, path string
		errOK      bool // an error is fine; a response must be cut at the bound
	}{
		{name: "huge body", path: "/huge"},
		{name: "endless body", path: "/endless", errOK: true},
		{name: "redirect loop", path: "/loop", errOK: true},
		{name: "slow headers", path: "/slow-headers", errOK: true},
		{name: "endless header", path: "/endless-header", errOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := probe.New(probe.Config{DirectoryURL: srv.URL + "/invalid-json",
				Timeout: timeout, MaxResponseBytes: maxBody})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			resp, err := c.Get(context.Background(), srv.URL+tt.path)
			if took := time.Since(start); took > timeout+hostileBound {
				t.Errorf("request took %v with a %v timeout", took, timeout)
			}
			switch {
			case err != nil && !tt.errOK:
				t.Errorf("error %v, want a truncated response", err)
			case err == nil && (!resp.Truncated || len(resp.Body) > maxBody):
				t.Errorf("response of %d bytes, truncated %v; want at most %d, truncated",
					len(resp.Body), resp.Truncated, maxBody)
			}
		})
	}
}

// TestProbeRefusesInvalidDirectory checks a directory that is not JSON
// gives an error every time, not a half-filled directory.
func TestProbeRefusesInvalidDirectory(t *testing.T) {
	srv := hostileServer(t)
	c, err := probe.New(probe.Config{DirectoryURL: srv.URL + "/invalid-json",
		Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second call must not find a half-filled cache
		if d, err := c.Directory(context.Background()); err == nil {
			t.Fatalf("directory %+v from invalid JSON", d)
		}
	}
}
