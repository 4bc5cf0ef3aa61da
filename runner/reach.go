package runner

import (
	"fmt"

	"github.com/onsi/ginkgo/v2/types"
)

// unreached tells a setup mistake from non-conformance: when specs failed
// and the external target never queried the mock DNS server, or never
// fetched from the http-01 responder, the failures say nothing about the
// server, so the run is an infrastructure error (exit code 3) naming what
// to point where.
func (s *stack) unreached(cfg Config, r types.Report) error {
	failed := 0
	for _, sp := range r.SpecReports {
		if sp.State.Is(types.SpecStateFailureStates) {
			failed++
		}
	}
	if failed == 0 {
		return nil
	}
	if len(s.servers) == 0 {
		return s.externalClientReach(cfg, failed)
	}
	t := s.servers[0]
	switch {
	case t.DNS != nil && s.dnsQueries.Load() == 0:
		return &InfraError{Err: fmt.Errorf("%d specs failed, but the server under test never "+
			"queried the mock DNS server on %s: make it resolve through that address "+
			"(or pass the address it uses with --dns-addr)", failed, cfg.DNSAddr)}
	case t.HTTP01 != nil && s.httpRequests.Load() == 0:
		return &InfraError{Err: fmt.Errorf("%d specs failed, but the server under test never "+
			"reached the http-01 responder on %s: set its http-01 port to that port "+
			"(or pass --http01-addr 127.0.0.1:PORT with the port it uses, "+
			"or --challenges dns-01)", failed, cfg.HTTP01Addr)}
	}
	return nil
}
