package mockca

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/miekg/dns"

	"acmeconform/acme"
)

// validateDNS01 looks up TXT at _acme-challenge.NAME, following CNAMEs, and
// succeeds when any value of the RRset equals base64url(SHA-256(keyAuth))
// (RFC 8555 §8.4).
func (s *Server) validateDNS01(ctx context.Context, job validationJob) *acme.Problem {
	sum := sha256.Sum256([]byte(job.keyAuth))
	want := base64.RawURLEncoding.EncodeToString(sum[:])
	name := "_acme-challenge." + job.ident.Value
	rrs, p := s.lookupRR(ctx, name, dns.TypeTXT)
	if p != nil {
		return p
	}
	if len(rrs) == 0 {
		return acme.NewProblem(acme.ProblemUnauthorized, "no TXT record found at %s", name)
	}
	for _, rr := range s.misTXT(job, rrs) {
		if strings.Join(rr.(*dns.TXT).Txt, "") == want {
			return nil
		}
	}
	return acme.NewProblem(acme.ProblemIncorrectResponse,
		"none of the %d TXT records at %s holds the expected value", len(rrs), name)
}
