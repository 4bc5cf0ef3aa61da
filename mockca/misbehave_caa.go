package mockca

import (
	"context"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"acmeconform/acme"
)

// misRelevantCAA is relevantCAA (RFC 8659 §3) as the CAA misbehaviours
// read it: without climbing, or with records dropped or added.
func (s *Server) misRelevantCAA(ctx context.Context, job validationJob) ([]*dns.CAA,
	*acme.Problem) {
	acct := s.kidAccount(job.acctURL)
	on := func(m Misbehaviour) bool { return s.mis.is(m, acct) }
	var rrs []*dns.CAA
	var p *acme.Problem
	if on(MisCAANoClimb) {
		rrs, p = s.exactCAA(ctx, job.ident.Value)
	} else {
		rrs, p = s.relevantCAA(ctx, job.ident.Value)
	}
	if p != nil || !s.mis.active() {
		return rrs, p
	}
	out := make([]*dns.CAA, 0, len(rrs))
	for _, rr := range rrs {
		c := *rr
		tag := strings.ToLower(c.Tag)
		switch {
		case tag == "issuewild" && on(MisCAAIssuewildIgnored):
			continue
		case on(MisCAACriticalIgnored):
			c.Flag = 0
		case on(MisCAAAccountURIIgnored):
			c.Value = dropCAAParam(c.Value, "accounturi")
		case on(MisCAAMethodsIgnored):
			c.Value = dropCAAParam(c.Value, "validationmethods")
		}
		out = append(out, &c)
	}
	return s.misExtraCAA(job, out, on), nil
}

// misExtraCAA adds a record naming no CA where a misbehaviour reads a
// restriction into the record set.
func (s *Server) misExtraCAA(job validationJob, rrs []*dns.CAA,
	on func(Misbehaviour) bool) []*dns.CAA {
	has := func(tag string) bool {
		return slices.ContainsFunc(rrs, func(rr *dns.CAA) bool {
			return strings.EqualFold(rr.Tag, tag)
		})
	}
	deny := func(tag string) *dns.CAA { return &dns.CAA{Tag: tag, Value: "nobody.invalid"} }
	switch {
	case len(rrs) > 0 && !has("issue") && !has("issuewild") && on(MisCAAIodefRestricts):
		return append(rrs, deny("issue"))
	case job.wildcard && len(rrs) > 0 && !has("issuewild") && on(MisCAANoWildFallback):
		return append(rrs, deny("issuewild"))
	}
	return rrs
}

// exactCAA returns the CAA records at name itself.
func (s *Server) exactCAA(ctx context.Context, name string) ([]*dns.CAA, *acme.Problem) {
	rrs, p := s.lookupRR(ctx, name, dns.TypeCAA)
	var out []*dns.CAA
	for _, rr := range rrs {
		if c, ok := rr.(*dns.CAA); ok {
			out = append(out, c)
		}
	}
	return out, p
}

// dropCAAParam removes one parameter from an issue value (RFC 8657).
func dropCAAParam(value, name string) string {
	parts := strings.Split(value, ";")
	kept := parts[:1]
	for _, p := range parts[1:] {
		k, _, _ := strings.Cut(strings.TrimSpace(p), "=")
		if !strings.EqualFold(strings.TrimSpace(k), name) {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, ";")
}

// uncaa returns p with the caa problem type, also in subproblems, turned
// into unauthorized; other problems are returned as they are.
func uncaa(p *acme.Problem) *acme.Problem {
	if p == nil || (p.Type != acme.ProblemCAA && !slices.ContainsFunc(p.Subproblems,
		func(sp acme.Problem) bool { return sp.Type == acme.ProblemCAA })) {
		return p
	}
	c := *p
	if c.Type == acme.ProblemCAA {
		c.Type = acme.ProblemUnauthorized
	}
	c.Subproblems = slices.Clone(p.Subproblems)
	for i := range c.Subproblems {
		if c.Subproblems[i].Type == acme.ProblemCAA {
			c.Subproblems[i].Type = acme.ProblemUnauthorized
		}
	}
	return &c
}

// misCAAType reports CAA refusals as unauthorized wherever they show: in
// problem responses and in challenge, authorization and order objects.
func (s *Server) misCAAType(x *misExchange) {
	if !x.on(MisCAAUnauthorized) {
		return
	}
	if x.resp.problem != nil {
		x.resp.problem = uncaa(x.resp.problem)
		return
	}
	switch b := x.resp.body.(type) {
	case acme.Challenge:
		b.Error = uncaa(b.Error)
		x.resp.body = b
	case acme.Order:
		b.Error = uncaa(b.Error)
		x.resp.body = b
	case acme.Authorization:
		b.Challenges = slices.Clone(b.Challenges)
		for i := range b.Challenges {
			b.Challenges[i].Error = uncaa(b.Challenges[i].Error)
		}
		x.resp.body = b
	}
}
