// Package probe is a low-level ACME client for conformance specs. It signs
// its own JWS (go-jose), can send well-formed requests and every malformed
// variant a server must refuse (see Variant), bounds every request in time
// and size, and records each HTTP exchange, secrets redacted, so that specs
// can attach it as evidence.
package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"acmeconform/acme"
)

// Defaults for the zero values of Config.
const (
	DefaultTimeout          = 10 * time.Second
	DefaultMaxResponseBytes = 1 << 20
	DefaultRecordBytes      = 4 << 10
	DefaultMaxExchanges     = 64
	DefaultOversizeBytes    = 1<<20 + 1
	DefaultUserAgent        = "acmeconform-probe/1"
)

// Config configures a Client. Zero values take the defaults above.
type Config struct {
	// DirectoryURL is the ACME directory (RFC 8555 §7.1.1).
	DirectoryURL string
	// HTTPClient sends every request; nil means a client with system roots.
	HTTPClient *http.Client
	// Timeout bounds each request, connection to last body byte.
	Timeout time.Duration
	// MaxResponseBytes bounds each response body read.
	MaxResponseBytes int64
	// RecordBytes bounds each recorded body in the exchange log.
	RecordBytes int
	// MaxExchanges bounds how many exchanges are kept (the newest win).
	MaxExchanges int
	// OversizeBytes is the payload size VariantOversized reaches.
	OversizeBytes int
	// UserAgent is sent on every request (RFC 8555 §6.1).
	UserAgent string
	// Logger receives debug lines per exchange; nil discards.
	Logger *slog.Logger
}

// Client talks to one ACME server. It is safe for concurrent use.
type Client struct {
	cfg Config
	hc  *http.Client
	log *slog.Logger

	mu       sync.Mutex
	dir      *acme.Directory
	nonces   []string
	lastUsed string
	rec      recorder
}

// New returns a Client for cfg.DirectoryURL.
func New(cfg Config) (*Client, error) {
	if cfg.DirectoryURL == "" {
		return nil, errors.New("probe: DirectoryURL is empty")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.RecordBytes <= 0 {
		cfg.RecordBytes = DefaultRecordBytes
	}
	if cfg.MaxExchanges <= 0 {
		cfg.MaxExchanges = DefaultMaxExchanges
	}
	if cfg.OversizeBytes <= 0 {
		cfg.OversizeBytes = DefaultOversizeBytes
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: cfg.Timeout}
	}
	c := &Client{cfg: cfg, hc: hc, log: log}
	c.rec = recorder{max: cfg.MaxExchanges, bodyLimit: cfg.RecordBytes}
	return c, nil
}

// DirectoryURL returns the directory URL the client was built for.
func (c *Client) DirectoryURL() string { return c.cfg.DirectoryURL }

// Directory fetches the directory once and caches it.
func (c *Client) Directory(ctx context.Context) (*acme.Directory, error) {
	c.mu.Lock()
	d := c.dir
	c.mu.Unlock()
	if d != nil {
		return d, nil
	}
	resp, err := c.Get(ctx, c.cfg.DirectoryURL)
	if err != nil {
		return nil, fmt.Errorf("get directory: %w", err)
	}
	if err := resp.Err(); err != nil {
		return nil, fmt.Errorf("get directory: %w", err)
	}
	d = new(acme.Directory)
	if err := resp.Decode(d); err != nil {
		return nil, fmt.Errorf("get directory: %w", err)
	}
	c.mu.Lock()
	c.dir = d
	c.mu.Unlock()
	return d, nil
}

// Get sends an unauthenticated GET (allowed for the directory and newNonce,
// RFC 8555 §6.3).
func (c *Client) Get(ctx context.Context, url string) (*Response, error) {
	return c.Do(ctx, http.MethodGet, url, "", nil, nil)
}

// Head sends a HEAD request.
func (c *Client) Head(ctx context.Context, url string) (*Response, error) {
	return c.Do(ctx, http.MethodHead, url, "", nil, nil)
}

// Do sends one request with a bounded time and response size, records the
// exchange and keeps any Replay-Nonce for later requests. A non-empty
// contentType sets the Content-Type header.
func (c *Client) Do(ctx context.Context, method, url, contentType string, body []byte,
	header http.Header) (*Response, error) {
	return c.do(ctx, method, url, contentType, body, header, true)
}

func (c *Client) do(ctx context.Context, method, url, contentType string, body []byte,
	header http.Header, pool bool) (*Response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, url, err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	start := time.Now()
	resp, err := c.send(req)
	c.record(req, body, resp, err, time.Since(start))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, url, err)
	}
	if n := resp.Nonce(); n != "" && pool {
		c.mu.Lock()
		c.nonces = append(c.nonces, n)
		c.mu.Unlock()
	}
	return resp, nil
}

func (c *Client) send(req *http.Request) (*Response, error) {
	hr, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer hr.Body.Close()
	b, err := io.ReadAll(io.LimitReader(hr.Body, c.cfg.MaxResponseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	r := &Response{Status: hr.StatusCode, Header: hr.Header, Body: b}
	if int64(len(b)) > c.cfg.MaxResponseBytes {
		r.Body, r.Truncated = b[:c.cfg.MaxResponseBytes], true
	}
	return r, nil
}

// Nonce returns an unused nonce: the newest one a response carried, or a
// fresh one from newNonce (RFC 8555 §7.2).
func (c *Client) Nonce(ctx context.Context) (string, error) {
	c.mu.Lock()
	if n := len(c.nonces); n > 0 {
		nonce := c.nonces[n-1]
		c.nonces = c.nonces[:n-1]
		c.mu.Unlock()
		return nonce, nil
	}
	c.mu.Unlock()
	return c.FreshNonce(ctx)
}

// dropNonce removes n from the pool, so that a nonce a caller used
// explicitly is not handed out again.
func (c *Client) dropNonce(n string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, m := range c.nonces {
		if m == n {
			c.nonces = append(c.nonces[:i], c.nonces[i+1:]...)
			return
		}
	}
}

// FreshNonce asks newNonce for a nonce with HEAD and returns it without
// pooling it.
func (c *Client) FreshNonce(ctx context.Context) (string, error) {
	dir, err := c.Directory(ctx)
	if err != nil {
		return "", err
	}
	resp, err := c.do(ctx, http.MethodHead, dir.NewNonce, "", nil, nil, false)
	if err != nil {
		return "", fmt.Errorf("new nonce: %w", err)
	}
	n := resp.Nonce()
	if n == "" {
		return "", fmt.Errorf("new nonce: HTTP %d without %s", resp.Status, acme.HeaderNonce)
	}
	return n, nil
}

// LastUsedNonce returns the nonce the last signed request carried.
func (c *Client) LastUsedNonce() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastUsed
}

// decodeJSON unmarshals a JSON body the server returned.
func decodeJSON(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode response: %w", err)
	}
	return nil
}
