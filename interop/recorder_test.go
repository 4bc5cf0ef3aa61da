package interop

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"acmeconform/acme"
)

// recorder is the client's HTTP transport: it trusts the CA's TLS root and
// keeps every order object (from newOrder, finalize and order reads) and
// every problem document the CA sent, so tests can check what the server
// said even where the client recovers silently.
type recorder struct {
	t        *testing.T
	base     http.RoundTripper
	mu       sync.Mutex
	orders   []seenOrder
	problems []acme.Problem
}

// seenOrder is one order object on the wire.
type seenOrder struct {
	created bool // the answer of newOrder (201)
	order   acme.Order
}

func newRecorder(t *testing.T, tlsRootPEM []byte) *recorder {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(tlsRootPEM) {
		t.Fatal("CA TLS root is not PEM")
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	t.Cleanup(tr.CloseIdleConnections)
	return &recorder{t: t, base: tr}
}

// client returns an HTTP client that goes through the recorder.
func (r *recorder) client() *http.Client {
	return &http.Client{Transport: r, Timeout: 30 * time.Second}
}

// RoundTrip forwards req and records answers to POSTs that hold an order
// or a problem document.
func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	if err != nil || req.Method != http.MethodPost {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	defer r.mu.Unlock()
	if resp.Header.Get("Content-Type") == acme.MediaProblem {
		var p acme.Problem
		if json.Unmarshal(body, &p) == nil {
			p.Status = resp.StatusCode
			r.problems = append(r.problems, p)
		}
		return resp, nil
	}
	var o acme.Order
	if json.Unmarshal(body, &o) == nil && len(o.Identifiers) > 0 && o.Finalize != "" {
		r.orders = append(r.orders, seenOrder{resp.StatusCode == http.StatusCreated, o})
	}
	return resp, nil
}

// sawProblem reports whether the CA answered a POST with status and typ.
func (r *recorder) sawProblem(status int, typ acme.ProblemType) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range r.problems {
		if p.Status == status && p.Type == typ {
			return true
		}
	}
	return false
}

// lastCreated returns the most recent order the CA created and every later
// copy of it (same finalize URL) the CA sent afterwards.
func (r *recorder) lastCreated() (acme.Order, []acme.Order) {
	r.t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.orders) - 1; i >= 0; i-- {
		if !r.orders[i].created {
			continue
		}
		first := r.orders[i].order
		var later []acme.Order
		for _, s := range r.orders[i+1:] {
			if s.order.Finalize == first.Finalize {
				later = append(later, s.order)
			}
		}
		return first, later
	}
	r.t.Fatal("no order recorded")
	return acme.Order{}, nil
}

// decodeJSON reads a 200 JSON answer into v.
func decodeJSON(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d", resp.Request.URL, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}
