package dnsmock

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// challengePath is where RFC 8555 §8.3 puts http-01 key authorizations.
const challengePath = "/.well-known/acme-challenge/"

// ErrBadToken reports a token that cannot appear in the challenge path.
var ErrBadToken = errors.New("dnsmock: invalid token")

// ResponderConfig configures an http-01 Responder.
type ResponderConfig struct {
	// Addr is the listen address. "" means 127.0.0.1:0; a CA validating
	// against it needs the port it expects (80 for RFC 8555 §8.3).
	Addr string
	// Logger receives debug records. nil discards them.
	Logger *slog.Logger
	// OnRequest, when set, is called for every request that reaches the
	// responder, before it is answered.
	OnRequest func(*http.Request)
}

// Responder serves http-01 key authorizations, for every host or for one.
type Responder struct {
	cfg ResponderConfig
	log *slog.Logger

	mu     sync.RWMutex
	tokens map[string]string // host + "/" + token; host "" matches any host
	srv    *http.Server
	addr   string
}

// NewResponder returns a responder that is not yet listening.
func NewResponder(cfg ResponderConfig) (*Responder, error) {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if _, _, err := net.SplitHostPort(cfg.Addr); err != nil {
		return nil, fmt.Errorf("new http-01 responder: %w", err)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Responder{cfg: cfg, log: cfg.Logger, tokens: map[string]string{}}, nil
}

// Start binds the listener and serves in the background.
func (r *Responder) Start() error {
	ln, err := net.Listen("tcp", r.cfg.Addr)
	if err != nil {
		return fmt.Errorf("start http-01 responder: %w", err)
	}
	r.mu.Lock()
	r.srv = &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second}
	r.addr = ln.Addr().String()
	srv := r.srv
	r.mu.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			r.log.Error("dnsmock: http-01 responder stopped", "err", err)
		}
	}()
	return nil
}

// Close stops the listener.
func (r *Responder) Close() error {
	r.mu.Lock()
	srv := r.srv
	r.srv = nil
	r.mu.Unlock()
	if srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("close http-01 responder: %w", err)
	}
	return nil
}

// Addr returns host:port of the listener ("" before Start).
func (r *Responder) Addr() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.addr
}

// AddToken serves keyAuth for token on every host.
func (r *Responder) AddToken(_ context.Context, token, keyAuth string) error {
	return r.AddHostToken("", token, keyAuth)
}

// RemoveToken stops serving token on every host.
func (r *Responder) RemoveToken(_ context.Context, token string) error {
	return r.RemoveHostToken("", token)
}

// AddHostToken serves keyAuth for token only to requests whose Host is
// host; host tokens win over tokens for every host.
func (r *Responder) AddHostToken(host, token, keyAuth string) error {
	if token == "" || strings.ContainsAny(token, "/?#") {
		return fmt.Errorf("add http-01 token: %w: %q", ErrBadToken, token)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tokens[hostKey(host)+"/"+token] = keyAuth
	return nil
}

// RemoveHostToken removes a token added with AddHostToken.
func (r *Responder) RemoveHostToken(host, token string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.tokens, hostKey(host)+"/"+token)
	return nil
}

// ServeHTTP answers GET /.well-known/acme-challenge/TOKEN with the key
// authorization as text/plain (RFC 8555 §8.3); anything else is 404.
func (r *Responder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if r.cfg.OnRequest != nil {
		r.cfg.OnRequest(req)
	}
	token, ok := strings.CutPrefix(req.URL.Path, challengePath)
	if !ok || (req.Method != http.MethodGet && req.Method != http.MethodHead) {
		http.NotFound(w, req)
		return
	}
	host := req.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	r.mu.RLock()
	body, found := r.tokens[hostKey(host)+"/"+token]
	if !found {
		body, found = r.tokens["/"+token]
	}
	r.mu.RUnlock()
	r.log.Debug("dnsmock: http-01 request", "host", host, "token", token, "found", found)
	if !found {
		http.NotFound(w, req)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte(body))
}

func hostKey(host string) string {
	return strings.TrimSuffix(strings.ToLower(host), ".")
}
