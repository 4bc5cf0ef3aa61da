package mockca

import (
	"context"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"acmeconform/acme"
)

// caaCritical is the issuer-critical flag of a CAA record (RFC 8659 §4.1).
const caaCritical = 128

// checkCAA decides whether CAA lets this CA issue for name (RFC 8659 §3,
// §4): the closest non-empty CAA RRset up the tree is relevant; an unknown
// critical tag forbids issuance; issuewild governs wildcards when present,
// issue otherwise; no relevant issue records means no restriction. The
// RFC 8657 parameters accounturi and validationmethods are honoured. A
// profile with no CAAIdentities skips the check.
//
// A refusal is a caa problem, a failed lookup a dns problem, each with one
// subproblem naming the identifier (RFC 8555 §6.7.1).
func (s *Server) checkCAA(ctx context.Context, job validationJob) *acme.Problem {
	if len(s.profile.CAAIdentities) == 0 || job.ident.Type != acme.IdentifierDNS {
		return nil // CAA is defined for domain names only (RFC 8659 §3)
	}
	p := s.caaVerdict(ctx, job)
	if p == nil {
		return nil
	}
	id := job.ident
	if job.wildcard {
		id.Value = "*." + id.Value
	}
	// A refusal or a failed lookup names the identifier in a subproblem
	// (RFC 8555 §6.7.1).
	return aboutIdentifier(p, id)
}

// caaVerdict applies the CAA rules to one name.
func (s *Server) caaVerdict(ctx context.Context, job validationJob) *acme.Problem {
	rrs, p := s.misRelevantCAA(ctx, job)
	if p != nil || len(rrs) == 0 {
		return p
	}
	var issue, wild []*dns.CAA
	for _, rr := range rrs {
		switch strings.ToLower(rr.Tag) {
		case "issue":
			issue = append(issue, rr)
		case "issuewild":
			wild = append(wild, rr)
		case "iodef":
		default:
			if rr.Flag&caaCritical != 0 {
				return acme.NewProblem(acme.ProblemCAA,
					"CAA for %s has an unknown critical tag %q", job.ident.Value, rr.Tag)
			}
		}
	}
	set := issue
	if job.wildcard && len(wild) > 0 {
		set = wild
	}
	if len(set) == 0 {
		return nil
	}
	for _, rr := range set {
		if s.caaPermits(rr.Value, job) {
			return nil
		}
	}
	return acme.NewProblem(acme.ProblemCAA, "CAA records for %s forbid issuance by %s",
		job.ident.Value, strings.Join(s.profile.CAAIdentities, ", "))
}

// relevantCAA climbs from name towards the root and returns the first
// non-empty CAA RRset (RFC 8659 §3).
func (s *Server) relevantCAA(ctx context.Context, name string) ([]*dns.CAA, *acme.Problem) {
	labels := strings.Split(strings.TrimSuffix(name, "."), ".")
	for i := range labels {
		rrs, p := s.lookupRR(ctx, strings.Join(labels[i:], "."), dns.TypeCAA)
		if p != nil {
			return nil, p
		}
		var out []*dns.CAA
		for _, rr := range rrs {
			out = append(out, rr.(*dns.CAA))
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	return nil, nil
}

// caaPermits reports whether one issue/issuewild value names this CA and
// its parameters allow this account and method (RFC 8659 §4.2, RFC 8657).
func (s *Server) caaPermits(value string, job validationJob) bool {
	parts := strings.Split(value, ";")
	domain := strings.ToLower(strings.TrimSpace(parts[0]))
	if domain == "" || !slices.Contains(lower(s.profile.CAAIdentities), domain) {
		return false
	}
	for _, param := range parts[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(param), "=")
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "accounturi":
			if strings.TrimSpace(v) != job.acctURL {
				return false
			}
		case "validationmethods":
			if !slices.Contains(strings.Split(strings.TrimSpace(v), ","), job.typ) {
				return false
			}
		}
	}
	return true
}

// lower returns the lowercased strings.
func lower(v []string) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = strings.ToLower(s)
	}
	return out
}
