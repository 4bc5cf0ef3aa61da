package mockca

import (
	"crypto/ed25519"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"slices"
	"time"

	"github.com/go-jose/go-jose/v4"

	"acmeconform/acme"
)

// misVerifyEAB is verifyEAB that, with MisEABURLUnchecked, takes the
// binding's own url instead of the outer one (RFC 8555 §7.3.4).
func (s *Server) misVerifyEAB(raw json.RawMessage, outerURL string, acctKey *jose.JSONWebKey,
	acctURL string) (string, error) {
	kid, err := s.verifyEAB(raw, outerURL, acctKey, acctURL)
	if err == nil || !s.misbehaves(MisEABURLUnchecked) {
		return kid, err
	}
	var f flatJWS
	var hdr protectedHeader
	if json.Unmarshal(raw, &f) != nil {
		return kid, err
	}
	hb, derr := base64.RawURLEncoding.DecodeString(f.Protected)
	if derr != nil || json.Unmarshal(hb, &hdr) != nil || hdr.URL == "" || hdr.URL == outerURL {
		return kid, err
	}
	return s.verifyEAB(raw, hdr.URL, acctKey, acctURL)
}

// misChallengeTypes adds challenges the profile would not offer for a.
func (s *Server) misChallengeTypes(a *authz, out []string) []string {
	add := func(t string) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if a.ident.Type == acme.IdentifierIP && s.mis.is(MisIPDNS01, a.accountID) {
		add(acme.ChallengeDNS01)
	}
	if a.ident.Type == acme.IdentifierDNS && !a.wildcard &&
		s.mis.is(MisTLSALPNOffered, a.accountID) {
		add(acme.ChallengeTLSALPN01)
	}
	return out
}

// misCertMore breaks the certificate's IP SANs and validity.
func (s *Server) misCertMore(o orderSnapshot, tmpl *x509.Certificate) {
	if len(tmpl.IPAddresses) > 0 && s.mis.is(MisIPAsDNSName, o.accountID) {
		for _, ip := range tmpl.IPAddresses {
			tmpl.DNSNames = append(tmpl.DNSNames, ip.String())
		}
		tmpl.IPAddresses = nil
	}
	if o.notAfter == nil && s.mis.is(MisValidity398, o.accountID) {
		tmpl.NotAfter = tmpl.NotBefore.Add(398 * 24 * time.Hour)
	}
}

// csrMoreExcused reports whether a policy misbehaviour accepts c, whose
// names, signature and key are otherwise right.
func csrMoreExcused(c *x509.CertificateRequest, on func(Misbehaviour) bool) bool {
	_, ed := c.PublicKey.(ed25519.PublicKey)
	hasEKU := slices.ContainsFunc(c.Extensions, func(e pkix.Extension) bool {
		return e.Id.Equal(oidExtKeyUsage)
	})
	return (ed && on(MisCSREd25519)) || (hasEKU && on(MisCSREKUAccepted))
}

// oidSAN is the subjectAltName extension (RFC 5280 §4.2.1.6).
var oidSAN = asn1.ObjectIdentifier{2, 5, 29, 17}

// misCSRShape refuses a good CSR with a misbehaviour that misreads it:
// names found only in a SAN extension that comes first.
func (s *Server) misCSRShape(req *request, c *x509.CertificateRequest) error {
	if len(c.Extensions) > 0 && !c.Extensions[0].Id.Equal(oidSAN) &&
		s.misbehavesReq(req, MisSANFirstOnly) {
		return acme.NewProblem(acme.ProblemRejectedIdentifier, "CSR names no identifier")
	}
	return nil
}

// misRevokeReason refuses the keyCompromise reason with
// MisKeyCompromiseRefused, before anything is revoked.
func (s *Server) misRevokeReason(req *request) error {
	if req.http.URL.Path != pathRevoke || !s.misbehavesReq(req, MisKeyCompromiseRefused) {
		return nil
	}
	v, _ := s.mis.inflight.Load(req.http)
	mr, _ := v.(*misRequest)
	var p acme.RevokeRequest
	if mr == nil || json.Unmarshal(mr.payload, &p) != nil || p.Reason == nil || *p.Reason != 1 {
		return nil
	}
	return acme.NewProblem(acme.ProblemBadRevocationReason, "keyCompromise is not accepted")
}
