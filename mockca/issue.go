package mockca

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"net"
	"time"

	"acmeconform/acme"
)

// issue signs a leaf for csr's key naming the order's identifiers, with the
// validity of the order's profile (or the order's notBefore/notAfter when
// inside it). It holds no store lock.
func (s *Server) issue(csr *x509.CertificateRequest, o orderSnapshot) (*x509.Certificate, error) {
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	nb := now.Add(-time.Minute)
	if o.notBefore != nil && o.notBefore.After(nb) {
		nb = *o.notBefore
	}
	// RFC 5280 §4.1.2.5 counts notAfter inclusively: the last second of a
	// certificate valid for d is nb+d-1s, so d is never exceeded.
	na := nb.Add(s.profile.validityAt(o.profile, now) - time.Second)
	if o.notAfter != nil && o.notAfter.Before(na) {
		na = *o.notAfter
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		NotBefore:             nb,
		NotAfter:              na,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	if _, ok := csr.PublicKey.(*rsa.PublicKey); ok {
		tmpl.KeyUsage |= x509.KeyUsageKeyEncipherment
	}
	setNames(tmpl, o.identifiers)
	s.misCertTemplate(o, tmpl)
	s.pkiMu.RLock()
	parent := s.pki.chains[0].intermediate
	s.pkiMu.RUnlock()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent.cert, csr.PublicKey, s.pki.key)
	if err != nil {
		return nil, fmt.Errorf("issue: %w", err)
	}
	return x509.ParseCertificate(der)
}

// setNames puts every identifier in the SAN extension and the first dns
// name that fits into the subject CN.
func setNames(tmpl *x509.Certificate, ids []acme.Identifier) {
	for _, id := range ids {
		switch id.Type {
		case acme.IdentifierDNS:
			tmpl.DNSNames = append(tmpl.DNSNames, id.Value)
			if tmpl.Subject.CommonName == "" && len(id.Value) <= 64 {
				tmpl.Subject = pkix.Name{CommonName: id.Value}
			}
		case acme.IdentifierIP:
			tmpl.IPAddresses = append(tmpl.IPAddresses, net.ParseIP(id.Value))
		}
	}
}
