package mockca

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
	"net"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"acmeconform/acme"
)

// oidACMEIdentifier is id-pe-acmeIdentifier (RFC 8737 §6.1).
var oidACMEIdentifier = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 31}

// alpnACME is the ALPN protocol of tls-alpn-01 (RFC 8737 §6.2).
const alpnACME = "acme-tls/1"

// validateTLSALPN01 connects to NAME on TLSALPN01Port offering only
// acme-tls/1 and checks the self-signed certificate (RFC 8737 §3): one
// dNSName SAN equal to NAME and a critical acmeIdentifier extension holding
// SHA-256 of the key authorization.
func (s *Server) validateTLSALPN01(ctx context.Context, job validationJob) *acme.Problem {
	name := job.ident.Value
	sni := name
	if job.ident.Type == acme.IdentifierIP {
		sni = reverseName(name) // RFC 8738 §6
	}
	addr := net.JoinHostPort(name, strconv.Itoa(s.cfg.TLSALPN01Port))
	raw, err := s.dialName(ctx, &net.Dialer{}, addr)
	if err != nil {
		if p, ok := err.(*acme.Problem); ok {
			return p
		}
		return acme.NewProblem(acme.ProblemConnection, "connect to %s: %v", addr, err)
	}
	defer raw.Close()
	conn := tls.Client(raw, &tls.Config{ServerName: sni, NextProtos: []string{alpnACME},
		InsecureSkipVerify: true}) //nolint:gosec // RFC 8737: the cert is self-signed
	if err := conn.HandshakeContext(ctx); err != nil {
		return acme.NewProblem(acme.ProblemTLS, "TLS handshake with %s: %v", addr, err)
	}
	st := conn.ConnectionState()
	if st.NegotiatedProtocol != alpnACME || len(st.PeerCertificates) == 0 {
		return acme.NewProblem(acme.ProblemUnauthorized, "%s did not negotiate %s", addr, alpnACME)
	}
	return checkALPNCert(st.PeerCertificates[0], job)
}

// checkALPNCert checks the challenge certificate's SAN and extension.
func checkALPNCert(c *x509.Certificate, job validationJob) *acme.Problem {
	name := job.ident.Value
	okSAN := len(c.DNSNames) == 1 && c.DNSNames[0] == name && len(c.IPAddresses) == 0
	if job.ident.Type == acme.IdentifierIP {
		okSAN = len(c.IPAddresses) == 1 && c.IPAddresses[0].String() == name && len(c.DNSNames) == 0
	}
	if !okSAN {
		return acme.NewProblem(acme.ProblemUnauthorized,
			"challenge certificate must name exactly %s", name)
	}
	want := sha256.Sum256([]byte(job.keyAuth))
	for _, e := range c.Extensions {
		if !e.Id.Equal(oidACMEIdentifier) {
			continue
		}
		var got []byte
		rest, err := asn1.Unmarshal(e.Value, &got)
		if !e.Critical || err != nil || len(rest) != 0 {
			return acme.NewProblem(acme.ProblemUnauthorized,
				"acmeIdentifier extension must be critical and hold an OCTET STRING")
		}
		if !bytes.Equal(got, want[:]) {
			return acme.NewProblem(acme.ProblemIncorrectResponse,
				"acmeIdentifier does not match the key authorization")
		}
		return nil
	}
	return acme.NewProblem(acme.ProblemUnauthorized, "challenge certificate lacks acmeIdentifier")
}

// reverseName returns the in-addr.arpa or ip6.arpa name of an address.
func reverseName(ip string) string {
	r, err := dns.ReverseAddr(ip)
	if err != nil {
		return ip
	}
	return strings.TrimSuffix(r, ".")
}
