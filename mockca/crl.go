package mockca

import (
	"crypto/rand"
	"crypto/x509"
	"fmt"
	"math/big"
	"time"
)

// crlLifetime is the nextUpdate distance of generated CRLs.
const crlLifetime = 24 * time.Hour

// CRL returns a DER certificate revocation list (RFC 5280 §5) signed by
// the intermediate of chain n, listing every revoked certificate. Each
// call builds a fresh list numbered by the clock.
func (s *Server) CRL(n int) ([]byte, error) {
	s.pkiMu.RLock()
	if n < 0 || n >= len(s.pki.chains) {
		s.pkiMu.RUnlock()
		return nil, fmt.Errorf("crl: no chain %d", n)
	}
	issuer := s.pki.chains[n].intermediate
	s.pkiMu.RUnlock()
	now := s.clock.Now()
	tmpl := &x509.RevocationList{
		Number:     big.NewInt(now.UnixNano()),
		ThisUpdate: now,
		NextUpdate: now.Add(crlLifetime),
	}
	s.store.mu.Lock()
	for _, c := range s.store.certs {
		if c.revoked {
			serial, _ := new(big.Int).SetString(c.serial, 16) // written by Text(16)
			tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries,
				x509.RevocationListEntry{SerialNumber: serial,
					RevocationTime: c.revokedAt, ReasonCode: c.reason})
		}
	}
	s.store.mu.Unlock()
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, issuer.cert, s.pki.key)
	if err != nil {
		return nil, fmt.Errorf("crl: %w", err)
	}
	return der, nil
}
