package mockca

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"acmeconform/acme"
)

// misParseCSR is parseCSR with the CSR misbehaviours: it accepts CSRs
// whose only defect a switched-on misbehaviour excuses, or refuses good
// ones (RFC 8555 §7.4, §11.1).
func (s *Server) misParseCSR(req *request, der []byte,
	want []acme.Identifier) (*x509.CertificateRequest, error) {
	csr, err := s.parseCSR(der, want)
	if !s.mis.active() {
		return csr, err
	}
	on := func(m Misbehaviour) bool { return s.misbehavesReq(req, m) }
	if err == nil {
		if on(MisCSRCNOnlyRefused) && nameOnlyInCN(csr, want) {
			return nil, badCSR("every name must be a subjectAltName")
		}
		if err := s.misCSRShape(req, csr); err != nil {
			return nil, err
		}
		return csr, nil
	}
	c, perr := x509.ParseCertificateRequest(der)
	switch {
	case perr != nil && (len(der) == 0 || der[0] != 0x30) && on(MisCSRGarbage500):
		// Not even an ASN.1 SEQUENCE (X.690 tag 0x30): no CSR at all.
		return nil, errors.New("parse CSR: " + perr.Error()) // shows as a 500
	case perr != nil:
		return nil, err
	case checkCSRNames(c, want) != nil && on(MisCSRMismatchUnauthorized):
		return nil, acme.NewProblem(acme.ProblemUnauthorized, "CSR names are not authorized")
	case s.csrExcused(c, want, on):
		return c, nil
	}
	return nil, err
}

// csrExcused reports whether a switched-on misbehaviour accepts c.
func (s *Server) csrExcused(c *x509.CertificateRequest, want []acme.Identifier,
	on func(Misbehaviour) bool) bool {
	sigOK := c.CheckSignature() == nil
	policyOK := s.checkCSRPolicy(c) == nil
	ownKey := s.checkCSRKeyNotAccount(c) == nil
	namesOK := checkCSRNames(c, want) == nil
	rk, isRSA := c.PublicKey.(*rsa.PublicKey)
	switch {
	case on(MisCSRExtraNames) && sigOK && policyOK && ownKey && namesCover(c, want):
		return true
	case on(MisCSRAccountKey) && sigOK && policyOK && namesOK:
		return true
	case on(MisCSRWeakKey) && isRSA && rk.N.BitLen() < 2048 && sigOK && ownKey && namesOK:
		return true
	case on(MisCSRSHA1) && c.SignatureAlgorithm == x509.SHA1WithRSA && ownKey && namesOK:
		return true
	case sigOK && ownKey && namesOK && csrMoreExcused(c, on):
		return true
	}
	return false
}

// csrNames returns the CSR's names as identifiers (CN and SANs).
func csrNames(c *x509.CertificateRequest) []acme.Identifier {
	var out []acme.Identifier
	if cn := c.Subject.CommonName; cn != "" {
		out = append(out, csrNameIdentifier(cn))
	}
	for _, n := range c.DNSNames {
		out = append(out, acme.Identifier{Type: acme.IdentifierDNS, Value: strings.ToLower(n)})
	}
	for _, ip := range c.IPAddresses {
		out = append(out, acme.Identifier{Type: acme.IdentifierIP, Value: ip.String()})
	}
	return out
}

// namesCover reports whether the CSR names every identifier of want.
func namesCover(c *x509.CertificateRequest, want []acme.Identifier) bool {
	got := csrNames(c)
	for _, id := range want {
		if !slices.Contains(got, id) {
			return false
		}
	}
	return true
}

// nameOnlyInCN reports whether an identifier appears only as common name.
func nameOnlyInCN(c *x509.CertificateRequest, want []acme.Identifier) bool {
	sans := csrNames(c)
	if c.Subject.CommonName != "" {
		sans = sans[1:]
	}
	for _, id := range want {
		if !slices.Contains(sans, id) {
			return true
		}
	}
	return false
}

// misReasonExcused reports whether a reason code outside the profile's
// list is accepted because only the RFC 5280 range is checked.
func (s *Server) misReasonExcused(req *request, reason int) bool {
	return reason >= 0 && reason <= 10 && s.misbehavesReq(req, MisRevokeReasonUnchecked)
}

// misInnerVerify verifies the inner keyChange JWS (RFC 8555 §7.3.5) unless
// the check is switched off.
func (s *Server) misInnerVerify(req *request, inner *parsedJWS) ([]byte, error) {
	payload, err := inner.signed.Verify(inner.jwk)
	if err != nil && s.misbehavesReq(req, MisKeyChangeInnerSig) {
		return inner.signed.UnsafePayloadWithoutVerification(), nil
	}
	return payload, err
}

// misTXT returns the TXT records dns-01 compares (RFC 8555 §8.4).
func (s *Server) misTXT(job validationJob, rrs []dns.RR) []dns.RR {
	if len(rrs) > 1 && s.mis.is(MisDNS01FirstOnly, s.kidAccount(job.acctURL)) {
		return rrs[:1]
	}
	return rrs
}

// misCertTemplate breaks the certificate about to be issued.
func (s *Server) misCertTemplate(o orderSnapshot, tmpl *x509.Certificate) {
	if n := len(tmpl.DNSNames); n > 1 && s.mis.is(MisCertDropsName, o.accountID) {
		tmpl.DNSNames = tmpl.DNSNames[:n-1]
	}
	s.misCertMore(o, tmpl)
	if s.mis.is(MisSerialShort, o.accountID) {
		v, err := rand.Int(rand.Reader, big.NewInt(1<<31))
		if err == nil {
			tmpl.SerialNumber = v.Add(v, big.NewInt(1<<31))
		}
	}
}

// misReuseWindow is the validation reuse window, a day longer when that
// misbehaviour is on.
func (s *Server) misReuseWindow(acctID string, window time.Duration) time.Duration {
	if window > 0 && s.mis.is(MisReuseOffByDay, acctID) {
		return window + 24*time.Hour
	}
	return window
}

// misBypasses reports whether a validation by method covers subdomains.
func (s *Server) misBypasses(method string) bool {
	if method == acme.ChallengeDNS01 && s.misbehaves(MisNoDNS01Bypass) {
		return false
	}
	return slices.Contains(s.profile.SubdomainBypass, method) ||
		(method == acme.ChallengeHTTP01 && s.misbehaves(MisHTTP01Bypass))
}

// misUncount gives back the use a binding just counted against kid.
func (s *Server) misUncount(kid string) {
	if !s.misbehaves(MisMACUsesUncounted) {
		return
	}
	cs := s.policy.creds
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if k := cs.keys[kid]; k != nil && k.used > 0 {
		k.used--
	}
}
