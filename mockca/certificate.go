package mockca

import (
	"fmt"
	"strconv"

	"acmeconform/acme"
)

// postCertificate serves the chain as application/pem-certificate-chain
// (RFC 8555 §7.4.2): the leaf then the intermediate of the chosen chain,
// with Link rel="alternate" to every other chain.
func (s *Server) postCertificate(req *request) (*response, error) {
	if !req.postAsGet {
		return nil, malformed("a certificate is fetched with POST-as-GET (empty payload)")
	}
	id := req.http.PathValue("id")
	s.store.mu.Lock()
	c := s.store.certs[id]
	var owner string
	if c != nil {
		owner = c.accountID
	}
	s.store.mu.Unlock()
	if c == nil {
		return nil, notFoundProblem("certificate")
	}
	if owner != req.acctID {
		return nil, acme.NewProblem(acme.ProblemUnauthorized, "certificate belongs to another account")
	}
	n := 0
	if v := req.http.PathValue("n"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			return nil, notFoundProblem("alternate chain")
		}
	}
	s.pkiMu.RLock()
	defer s.pkiMu.RUnlock()
	offered := s.offeredChains(req.acctID)
	if n >= offered {
		return nil, notFoundProblem("alternate chain")
	}
	body := append(pemCert(c.der), pemCert(s.pki.chains[n].intermediate.der)...)
	resp := &response{raw: body, ctype: acme.MediaPEMChain}
	for i := range offered {
		if i != n {
			resp.links = append(resp.links, link(s.chainURL(id, i), "alternate"))
		}
	}
	return resp, nil
}

// offeredChains is how many chains a certificate comes in: the default
// and the configured alternates, or every chain the CA holds (at least one
// alternate) while the alternate chains quirk is on. Caller holds pkiMu.
func (s *Server) offeredChains(acctID string) int {
	if s.mis.quirks.on(string(QuirkAltChains), acctID) {
		return len(s.pki.chains)
	}
	return min(max(s.cfg.AlternateRoots, 0)+1, len(s.pki.chains))
}

// chainURL is the URL of chain n of certificate id; 0 is the default.
func (s *Server) chainURL(id string, n int) string {
	if n == 0 {
		return s.url(pathCert + id)
	}
	return s.url(fmt.Sprintf("%s%s/alt/%d", pathCert, id, n))
}
