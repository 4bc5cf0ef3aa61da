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
	if n >= len(s.pki.chains) {
		return nil, notFoundProblem("alternate chain")
	}
	body := append(pemCert(c.leaf.Raw), pemCert(s.pki.chains[n].intermediate.der)...)
	resp := &response{raw: body, ctype: acme.MediaPEMChain}
	for i := range s.pki.chains {
		if i != n {
			resp.links = append(resp.links, link(s.chainURL(id, i), "alternate"))
		}
	}
	return resp, nil
}

// chainURL is the URL of chain n of certificate id; 0 is the default.
func (s *Server) chainURL(id string, n int) string {
	if n == 0 {
		return s.url(pathCert + id)
	}
	return s.url(fmt.Sprintf("%s%s/alt/%d", pathCert, id, n))
}
