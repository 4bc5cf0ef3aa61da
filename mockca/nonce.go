package mockca

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"sync"

	"acmeconform/acme"
)

// nonces holds the outstanding nonces: each is redeemable once (RFC 8555
// §6.5). A ring bounds the set; the oldest nonces are forgotten first.
type nonces struct {
	mu   sync.Mutex
	live map[string]struct{}
	ring []string
	next int
}

func newNonces(max int) *nonces {
	return &nonces{live: make(map[string]struct{}, 1024), ring: make([]string, max)}
}

// issue returns a fresh nonce: 128 random bits, base64url.
func (n *nonces) issue() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	v := base64.RawURLEncoding.EncodeToString(b[:])
	n.mu.Lock()
	defer n.mu.Unlock()
	if old := n.ring[n.next]; old != "" {
		delete(n.live, old)
	}
	n.ring[n.next] = v
	n.next = (n.next + 1) % len(n.ring)
	n.live[v] = struct{}{}
	return v
}

// redeem consumes v and reports whether it was outstanding.
func (n *nonces) redeem(v string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if _, ok := n.live[v]; !ok {
		return false
	}
	delete(n.live, v)
	return true
}

// reset forgets every nonce.
func (n *nonces) reset() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.live = make(map[string]struct{}, 1024)
	clear(n.ring)
	n.next = 0
}

// checkNonce redeems the JWS nonce (RFC 8555 §6.5). A badNonce response
// carries the fresh Replay-Nonce the front end puts on every response
// (§6.5.1). The NonceRejectPercent knob refuses some valid nonces too.
func (s *Server) checkNonce(v string) error {
	if v == "" {
		return acme.NewProblem(acme.ProblemBadNonce, "JWS has no nonce")
	}
	if !s.nonces.redeem(v) {
		return acme.NewProblem(acme.ProblemBadNonce, "nonce %q is unknown or already used", v)
	}
	if s.dice.roll(func(k Knobs) int { return k.NonceRejectPercent }) {
		return acme.NewProblem(acme.ProblemBadNonce, "nonce rejected by the nonce knob")
	}
	return nil
}

// getNonce answers newNonce: HEAD 200, GET 204 (RFC 8555 §7.2). The nonce
// itself and Cache-Control: no-store come from the front end.
func (s *Server) getNonce(r *http.Request) (*response, error) {
	if r.Method == http.MethodHead {
		return &response{status: http.StatusOK}, nil
	}
	return &response{status: http.StatusNoContent}, nil
}
