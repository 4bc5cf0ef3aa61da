package mockca

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"slices"
	"strings"

	"github.com/go-jose/go-jose/v4"

	"acmeconform/acme"
)

// oidExtKeyUsage is the extended key usage extension (RFC 5280 §4.2.1.12).
var oidExtKeyUsage = asn1.ObjectIdentifier{2, 5, 29, 37}

// csrSigAlgs are the CSR signature algorithms accepted: RSA or ECDSA with
// SHA-2, and Ed25519 when the profile allows Ed25519 keys.
var csrSigAlgs = []x509.SignatureAlgorithm{
	x509.SHA256WithRSA, x509.SHA384WithRSA, x509.SHA512WithRSA,
	x509.ECDSAWithSHA256, x509.ECDSAWithSHA384, x509.ECDSAWithSHA512, x509.PureEd25519,
}

// badCSR is a shorthand for a badCSR problem (RFC 8555 §7.4).
func badCSR(format string, args ...any) *acme.Problem {
	return acme.NewProblem(acme.ProblemBadCSR, format, args...)
}

// parseCSR parses and checks a CSR against the profile and the order's
// identifiers; every refusal is badCSR with a detail naming the rule.
func (s *Server) parseCSR(der []byte, want []acme.Identifier) (*x509.CertificateRequest, error) {
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		return nil, badCSR("CSR is not a valid PKCS#10 request: %v", err)
	}
	if err := s.checkCSRPolicy(csr); err != nil { // key, signature algorithm, EKU
		return nil, err
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, badCSR("CSR signature does not verify: %v", err)
	}
	if err := s.checkCSRKeyNotAccount(csr); err != nil {
		return nil, err
	}
	if err := checkCSRNames(csr, want); err != nil {
		return nil, err
	}
	return csr, nil
}

// keyType names a public key as the profile lists it.
func keyType(pub any) string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("rsa%d", k.N.BitLen())
	case *ecdsa.PublicKey:
		return "p" + strings.TrimPrefix(k.Curve.Params().Name, "P-")
	case ed25519.PublicKey:
		return "ed25519"
	}
	return fmt.Sprintf("%T", pub)
}

// checkCSRKeyNotAccount refuses a CSR whose key is an account key (RFC 8555
// §11.1: account and certificate keys must differ).
func (s *Server) checkCSRKeyNotAccount(csr *x509.CertificateRequest) error {
	t, err := thumbprint(&jose.JSONWebKey{Key: csr.PublicKey})
	if err != nil {
		return nil // key types JOSE cannot express cannot be account keys
	}
	s.store.mu.Lock()
	_, used := s.store.byThumb[t]
	s.store.mu.Unlock()
	if used {
		return badCSR("CSR key is an account key; certificate keys must differ (RFC 8555 §11.1)")
	}
	return nil
}

// checkCSRNames checks that the CSR's names (CN plus SANs) are exactly the
// order's identifiers (RFC 8555 §7.4), ignoring case.
func checkCSRNames(csr *x509.CertificateRequest, want []acme.Identifier) error {
	if len(csr.EmailAddresses) > 0 || len(csr.URIs) > 0 {
		return badCSR("CSR carries e-mail or URI SANs, which this CA does not issue")
	}
	got := map[acme.Identifier]bool{}
	if cn := csr.Subject.CommonName; cn != "" {
		got[csrNameIdentifier(cn)] = true
	}
	for _, n := range csr.DNSNames {
		got[acme.Identifier{Type: acme.IdentifierDNS, Value: strings.ToLower(n)}] = true
	}
	for _, ip := range csr.IPAddresses {
		got[acme.Identifier{Type: acme.IdentifierIP, Value: ip.String()}] = true
	}
	var missing, extra []string
	wantSet := map[acme.Identifier]bool{}
	for _, id := range want {
		wantSet[id] = true
		if !got[id] {
			missing = append(missing, id.Value)
		}
	}
	for id := range got {
		if !wantSet[id] {
			extra = append(extra, id.Value)
		}
	}
	if len(missing)+len(extra) > 0 {
		slices.Sort(extra)
		return badCSR("CSR names must equal the order identifiers: missing [%s], extra [%s]",
			strings.Join(missing, ", "), strings.Join(extra, ", "))
	}
	return nil
}

// csrNameIdentifier reads a common name as a dns or ip identifier.
func csrNameIdentifier(cn string) acme.Identifier {
	id, p := checkIdentifier(acme.Identifier{Type: acme.IdentifierIP, Value: cn})
	if p == nil {
		return id
	}
	return acme.Identifier{Type: acme.IdentifierDNS, Value: strings.ToLower(cn)}
}
