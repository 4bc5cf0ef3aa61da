package bench

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"golang.org/x/crypto/acme"
)

// maxBody bounds how much of a response the pacer reads to find a status.
const maxBody = 1 << 20

// pastDate is an HTTP date in the past: golang.org/x/crypto/acme then polls
// again at once instead of waiting a second, and the pacer does the waiting.
const pastDate = "Mon, 01 Jan 2001 00:00:00 GMT"

// pacer makes golang.org/x/crypto/acme poll promptly: on a pending or
// processing object it waits a short, growing delay and then hands the
// response on with a Retry-After in the past.
type pacer struct {
	next  http.RoundTripper
	first time.Duration

	mu    sync.Mutex
	url   string // the object polled last
	delay time.Duration
}

// RoundTrip implements http.RoundTripper.
func (p *pacer) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := p.next.RoundTrip(req)
	if err != nil || resp.StatusCode >= 300 {
		return resp, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", req.URL, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var obj struct{ Status string }
	if json.Unmarshal(body, &obj) != nil ||
		(obj.Status != "pending" && obj.Status != "processing") {
		return resp, nil
	}
	d := p.nextDelay(req.URL.String())
	select {
	case <-req.Context().Done():
		return nil, req.Context().Err()
	case <-time.After(d):
	}
	resp.Header.Set("Retry-After", pastDate)
	return resp, nil
}

// nextDelay returns the wait before the next poll of url: the first delay,
// doubled on every further poll of the same object, at most 32 times.
func (p *pacer) nextDelay(url string) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if url != p.url {
		p.url, p.delay = url, p.first
		return p.delay
	}
	if p.delay < 32*p.first {
		p.delay *= 2
	}
	return p.delay
}

// transport returns the keep-alive transport all workers of one target
// share, trusting pool.
func transport(pool *x509.CertPool, conns int) *http.Transport {
	return &http.Transport{
		TLSClientConfig:     &tls.Config{RootCAs: pool},
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     30 * time.Second,
	}
}

// worker is one ACME account with two clients sharing its key: plain for
// requests that are not polls, poll for the waits.
type worker struct {
	id      int
	plain   *acme.Client
	poll    *acme.Client
	certKey crypto.Signer
	resp    tokenServer
}

// tokenServer publishes http-01 key authorizations.
type tokenServer interface {
	AddToken(ctx context.Context, token, keyAuth string) error
	RemoveToken(ctx context.Context, token string) error
}

// newWorker registers a fresh account at t.
func newWorker(ctx context.Context, id int, t *target, tr http.RoundTripper,
	poll time.Duration, ts tokenServer) (*worker, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	certKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	w := &worker{id: id, certKey: certKey, resp: ts,
		plain: &acme.Client{Key: key, DirectoryURL: t.dirURL,
			HTTPClient: &http.Client{Transport: tr}, UserAgent: "acmeconform-bench"},
		poll: &acme.Client{Key: key, DirectoryURL: t.dirURL,
			HTTPClient: &http.Client{Transport: &pacer{next: tr, first: poll}},
			UserAgent:  "acmeconform-bench"},
	}
	if _, err := w.plain.Register(ctx, &acme.Account{}, acme.AcceptTOS); err != nil {
		return nil, fmt.Errorf("register account: %w", err)
	}
	w.poll.KID = w.plain.KID
	return w, nil
}
