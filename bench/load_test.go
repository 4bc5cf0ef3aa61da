package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/acme"
)

var (
	loadClients  = flag.Int("load-clients", 200, "concurrent clients of TestLoadMockCA")
	loadDuration = flag.Duration("load-duration", 0,
		"how long TestLoadMockCA keeps issuing; 0 means one issuance per client")
)

// checker is a transport that checks every response of the CA against the
// rules every ACME response follows, and remembers the first violation.
type checker struct {
	next http.RoundTripper
	mu   sync.Mutex
	bad  []string
	n    int
}

// RoundTrip implements http.RoundTripper.
func (c *checker) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	problem := checkResponse(req, resp, body)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	if problem != "" && len(c.bad) < 20 {
		c.bad = append(c.bad, fmt.Sprintf("%s %s: HTTP %d: %s", req.Method, req.URL.Path,
			resp.StatusCode, problem))
	}
	return resp, nil
}

// checkResponse returns what is wrong with one response, or "".
func checkResponse(req *http.Request, resp *http.Response, body []byte) string {
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	switch {
	case resp.StatusCode >= 500:
		return "server error"
	case req.Method == http.MethodPost && resp.Header.Get("Replay-Nonce") == "":
		return "no Replay-Nonce (RFC 8555 §6.5)"
	case resp.StatusCode >= 400:
		var p struct{ Type string }
		if ct != "application/problem+json" || json.Unmarshal(body, &p) != nil ||
			!strings.HasPrefix(p.Type, "urn:ietf:params:acme:error:") {
			return "error without an ACME problem document (RFC 8555 §6.7)"
		}
	case ct == "application/pem-certificate-chain":
		if !bytes.HasPrefix(body, []byte("-----BEGIN CERTIFICATE-----")) {
			return "certificate chain is not PEM (RFC 8555 §7.4.2)"
		}
	case req.Method == http.MethodPost || req.Method == http.MethodGet:
		if ct != "application/json" || !json.Valid(body) {
			return fmt.Sprintf("body of type %q is not JSON", ct)
		}
	}
	return ""
}

// loadClient issues with one account and records the orders it made.
type loadClient struct {
	w      *worker
	orders []string
	issued int
	err    error
}

// run issues once, or until deadline when it is set.
func (lc *loadClient) run(ctx context.Context, id int, deadline time.Time) {
	for seq := 0; seq == 0 || time.Now().Before(deadline); seq++ {
		name := fmt.Sprintf("c%d-%d.load.bench.test", id, seq)
		o, err := lc.w.plain.AuthorizeOrder(ctx, acme.DomainIDs(name))
		if err != nil {
			lc.err = fmt.Errorf("new order for %s: %w", name, err)
			return
		}
		lc.orders = append(lc.orders, o.URI)
		if err := lc.w.finish(ctx, o, name); err != nil {
			lc.err = err
			return
		}
		lc.issued++
	}
}

// TestLoadMockCA runs many clients at once against an in-process mock CA
// (under -race in make test): every response must be a valid ACME
// response, every order must end valid, and no order may be lost or
// handed to two clients.
func TestLoadMockCA(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	tgt, resp := inProcess(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute+*loadDuration)
	defer cancel()
	chk := &checker{next: transport(tgt.pool, *loadClients)}
	clients := make([]*loadClient, *loadClients)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			w, err := newWorker(ctx, i, tgt, chk, time.Millisecond, resp)
			clients[i] = &loadClient{w: w, err: err}
		})
	}
	wg.Wait()
	deadline := time.Now().Add(*loadDuration)
	for i, lc := range clients {
		if lc.err == nil {
			wg.Go(func() { lc.run(ctx, i, deadline) })
		}
	}
	wg.Wait()
	accountFor(ctx, t, clients)
	chk.mu.Lock()
	defer chk.mu.Unlock()
	t.Logf("%d responses checked", chk.n)
	if len(chk.bad) > 0 {
		t.Errorf("%d invalid responses of %d, first: %q", len(chk.bad), chk.n, chk.bad)
	}
}

// accountFor checks every client finished and every order it created is
// its own, unique and valid on the server.
func accountFor(ctx context.Context, t *testing.T, clients []*loadClient) {
	seen := map[string]int{}
	total := 0
	for i, lc := range clients {
		if lc.err != nil {
			t.Errorf("client %d: %v", i, lc.err)
			continue
		}
		for _, u := range lc.orders {
			if j, dup := seen[u]; dup {
				t.Errorf("order %s handed to clients %d and %d", u, j, i)
			}
			seen[u] = i
			o, err := lc.w.plain.GetOrder(ctx, u)
			if err != nil || o.Status != acme.StatusValid {
				t.Errorf("client %d order %s: %v, status %v", i, u, err, o)
			}
		}
		total += lc.issued
		if lc.issued != len(lc.orders) {
			t.Errorf("client %d: %d orders, %d certificates", i, len(lc.orders), lc.issued)
		}
	}
	t.Logf("%d clients, %d orders, %d certificates", len(clients), len(seen), total)
}
