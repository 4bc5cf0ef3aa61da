package mockca

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"strings"
	"time"

	"acmeconform/acme"
)

// ariRetryAfter is the polling interval suggested with renewal info
// (RFC 9773 §4.3).
const ariRetryAfter = 6 * time.Hour

// certByID finds the certificate named by an ARI certID,
// base64url(AKI keyIdentifier) "." base64url(serial DER) (RFC 9773 §4.1).
// Caller holds the lock.
func (s *Server) certByID(certID string) (*certificate, *acme.Problem) {
	akiPart, serialPart, ok := strings.Cut(certID, ".")
	aki, err1 := base64.RawURLEncoding.DecodeString(akiPart)
	serial, err2 := base64.RawURLEncoding.DecodeString(serialPart)
	if !ok || err1 != nil || err2 != nil || len(aki) == 0 || len(serial) == 0 {
		return nil, malformed("certID %q is not base64url(AKI).base64url(serial)", certID)
	}
	hex := new(big.Int).SetBytes(serial).Text(16)
	c := s.store.certs[s.store.bySerial[hex]]
	if c == nil || !bytes.Equal(c.aki, aki) {
		return nil, notFoundProblem("certificate for that certID")
	}
	return c, nil
}

// getRenewalInfo answers an ARI request (RFC 9773 §4.2): the suggested
// window covers the last third of the lifetime, or lies in the past once
// the certificate is revoked, so the client renews at once.
func (s *Server) getRenewalInfo(r *http.Request) (*response, error) {
	now := s.clock.Now()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	c, p := s.certByID(r.PathValue("certid"))
	if p != nil {
		return nil, p
	}
	resp := &response{retryAfter: ariRetryAfter}
	if c.ariRaw != nil {
		resp.raw, resp.ctype = c.ariRaw, acme.MediaJSON
		return resp, nil
	}
	var ri acme.RenewalInfo
	nb, na := c.notBefore, c.notAfter
	life := na.Sub(nb)
	ri.SuggestedWindow.Start = nb.Add(life * 2 / 3).UTC()
	ri.SuggestedWindow.End = nb.Add(life * 5 / 6).UTC()
	if c.revoked {
		ri.SuggestedWindow.Start = now.Add(-time.Hour).UTC()
		ri.SuggestedWindow.End = now.Add(-time.Minute).UTC()
	}
	resp.body = ri
	return resp, nil
}

// claimReplaces records that the new order replaces the certificate named
// by certID (RFC 9773 §5): it must be the account's and not yet replaced
// (alreadyReplaced otherwise). Caller holds the lock.
func (s *Server) claimReplaces(acctID, certID string) error {
	if certID == "" {
		return nil
	}
	c, p := s.certByID(certID)
	if p != nil {
		p.Status = http.StatusBadRequest
		return p
	}
	if c.accountID != acctID {
		return acme.NewProblem(acme.ProblemUnauthorized, "replaces names another account's certificate")
	}
	if c.replaced {
		return acme.NewProblem(acme.ProblemAlreadyReplaced, "certificate %s was already replaced", certID)
	}
	c.replaced = true
	return nil
}

// setRenewalInfo overrides the ARI answer for a certificate with raw bytes,
// which need not be valid JSON (to test clients' handling).
func (s *Server) setRenewalInfo(serialHex string, raw json.RawMessage) bool {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	c := s.store.certs[s.store.bySerial[strings.ToLower(serialHex)]]
	if c == nil {
		return false
	}
	c.ariRaw = append([]byte(nil), raw...)
	return true
}
