package mockca

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"acmeconform/acme"
)

// postRevoke revokes a certificate (RFC 8555 §7.6). A kid request is
// authorised for the issuing account or an account holding valid
// authorizations for every name; a jwk request must be signed by the
// certificate's own key.
func (s *Server) postRevoke(req *request) (*response, error) {
	var p acme.RevokeRequest
	if err := decodePayload(req.payload, &p); err != nil {
		return nil, err
	}
	der, err := base64.RawURLEncoding.DecodeString(p.Certificate)
	if err != nil {
		return nil, malformed("certificate must be base64url-encoded DER without padding")
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, malformed("certificate does not parse: %v", err)
	}
	reason := 0
	if p.Reason != nil {
		reason = *p.Reason
	}
	if !slices.Contains(s.profile.RevocationReasons, reason) && !s.misReasonExcused(req, reason) {
		return nil, acme.NewProblem(acme.ProblemBadRevocationReason,
			"reason %d is not allowed; allowed reason codes: %s", reason,
			joinInts(s.profile.RevocationReasons))
	}
	now := s.clock.Now()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	c := s.store.certs[s.store.bySerial[leaf.SerialNumber.Text(16)]]
	if c == nil || !bytes.Equal(c.der, der) {
		p := malformed("certificate was not issued by this CA")
		p.Status = 404
		return nil, p
	}
	if err := s.mayRevoke(req, c, now); err != nil && !s.misbehavesReq(req, MisRevokeAnyone) {
		return nil, err
	}
	if c.revoked {
		return nil, acme.NewProblem(acme.ProblemAlreadyRevoked, "certificate is already revoked")
	}
	if now.After(c.notAfter) {
		return nil, acme.NewProblem(acme.ProblemUnauthorized, "certificate is expired")
	}
	c.revoked, c.reason, c.revokedAt = true, reason, now
	return &response{}, nil
}

// mayRevoke checks the requester's authority over c. Caller holds the lock.
func (s *Server) mayRevoke(req *request, c *certificate, now time.Time) error {
	leaf, err := c.leaf()
	if err != nil {
		return acme.NewProblem(acme.ProblemServerInternal, "stored certificate: %v", err)
	}
	if req.acctID == "" {
		kt, err1 := thumbprint(&jose.JSONWebKey{Key: leaf.PublicKey})
		rt, err2 := thumbprint(req.key)
		if err1 != nil || err2 != nil || kt != rt {
			return acme.NewProblem(acme.ProblemUnauthorized,
				"jwk is not the certificate's key")
		}
		return nil
	}
	if c.accountID == req.acctID || s.holdsAuthzFor(req.acctID, leaf, now) {
		return nil
	}
	return acme.NewProblem(acme.ProblemUnauthorized,
		"account neither issued the certificate nor holds authorizations for its names")
}

// holdsAuthzFor reports whether the account has valid authorizations for
// every name of leaf. Caller holds the lock.
func (s *Server) holdsAuthzFor(acctID string, leaf *x509.Certificate, now time.Time) bool {
	var ids []acme.Identifier
	for _, n := range leaf.DNSNames {
		ids = append(ids, acme.Identifier{Type: acme.IdentifierDNS, Value: n})
	}
	for _, ip := range leaf.IPAddresses {
		ids = append(ids, acme.Identifier{Type: acme.IdentifierIP, Value: ip.String()})
	}
	for _, id := range ids {
		if s.validAuthz(acctID, id, now) == nil {
			return false
		}
	}
	return len(ids) > 0
}

// joinInts formats a list of reason codes.
func joinInts(v []int) string {
	parts := make([]string, len(v))
	for i, n := range v {
		parts[i] = fmt.Sprint(n)
	}
	return strings.Join(parts, ", ")
}
