package mockca

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/miekg/dns"

	"acmeconform/acme"
)

func caaRR(flag uint8, tag, value string) *dns.CAA {
	return &dns.CAA{Flag: flag, Tag: tag, Value: value}
}

// TestCAATable checks the RFC 8659 and RFC 8657 rules against the atlas
// identity "atlas.invalid".
func TestCAATable(t *testing.T) {
	d := startTestDNS(t)
	p, _ := LoadProfile("atlas")
	s, err := New(Config{DNSServer: d.addr, Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	const acct = "https://127.0.0.1/account/abc"
	tests := []struct {
		name   string
		at     string     // where the records are published
		recs   []*dns.CAA // records at "at"
		alias  string     // when set, the ordered name is a CNAME to "at"
		order  string     // the ordered name
		method string     // the validation method
		want   acme.ProblemType
	}{
		{"no records", "", nil, "", "none.example", "dns-01", ""},
		{"issue for us", "us.example", []*dns.CAA{caaRR(0, "issue", "atlas.invalid")}, "",
			"us.example", "dns-01", ""},
		{"issue for us in capitals", "caps.example",
			[]*dns.CAA{caaRR(0, "ISSUE", "Atlas.Invalid")}, "", "caps.example", "dns-01", ""},
		{"issue for another CA", "other.example",
			[]*dns.CAA{caaRR(0, "issue", "ca.example.net")}, "", "other.example", "dns-01",
			acme.ProblemCAA},
		{"empty issue forbids everyone", "none-may.example",
			[]*dns.CAA{caaRR(0, "issue", ";")}, "", "none-may.example", "dns-01", acme.ProblemCAA},
		{"issuewild only, plain name", "wo.example",
			[]*dns.CAA{caaRR(0, "issuewild", "ca.example.net")}, "", "wo.example", "dns-01", ""},
		{"issuewild only, wildcard for another CA", "wo2.example",
			[]*dns.CAA{caaRR(0, "issuewild", "ca.example.net")}, "", "*.wo2.example", "dns-01",
			acme.ProblemCAA},
		{"issuewild for us overrides issue", "ww.example", []*dns.CAA{
			caaRR(0, "issue", "ca.example.net"), caaRR(0, "issuewild", "atlas.invalid")}, "",
			"*.ww.example", "dns-01", ""},
		{"wildcard falls back to issue", "wf.example",
			[]*dns.CAA{caaRR(0, "issue", "ca.example.net")}, "", "*.wf.example", "dns-01",
			acme.ProblemCAA},
		{"wildcard under issue for us", "wu.example",
			[]*dns.CAA{caaRR(0, "issue", "atlas.invalid")}, "", "*.wu.example", "dns-01", ""},
		{"iodef only", "io.example", []*dns.CAA{caaRR(0, "iodef", "mailto:a@io.example")},
			"", "*.io.example", "dns-01", ""},
		{"critical unknown tag", "crit.example", []*dns.CAA{
			caaRR(0, "issue", "atlas.invalid"), caaRR(128, "future", "x")}, "",
			"crit.example", "dns-01", acme.ProblemCAA},
		{"non-critical unknown tag", "noncrit.example", []*dns.CAA{
			caaRR(0, "issue", "atlas.invalid"), caaRR(0, "future", "x")}, "",
			"noncrit.example", "dns-01", ""},
		{"accounturi match", "am.example",
			[]*dns.CAA{caaRR(0, "issue", "atlas.invalid; accounturi="+acct)}, "",
			"am.example", "dns-01", ""},
		{"accounturi mismatch", "amm.example",
			[]*dns.CAA{caaRR(0, "issue", "atlas.invalid; accounturi="+acct+"x")}, "",
			"amm.example", "dns-01", acme.ProblemCAA},
		{"validationmethods includes the method", "vm.example",
			[]*dns.CAA{caaRR(0, "issue", "atlas.invalid; validationmethods=http-01,dns-01")},
			"", "vm.example", "dns-01", ""},
		{"validationmethods excludes the method", "vmx.example",
			[]*dns.CAA{caaRR(0, "issue", "atlas.invalid; validationmethods=http-01")}, "",
			"vmx.example", "dns-01", acme.ProblemCAA},
		{"parent's records apply", "parent.example",
			[]*dns.CAA{caaRR(0, "issue", "ca.example.net")}, "", "www.parent.example",
			"http-01", acme.ProblemCAA},
		{"CNAME at the name to a forbidding target", "target.example.net",
			[]*dns.CAA{caaRR(0, "issue", "ca.example.net")}, "alias.example", "alias.example",
			"dns-01", acme.ProblemCAA},
		{"CNAME at the name to a permitting target", "good-target.example.net",
			[]*dns.CAA{caaRR(0, "issue", "atlas.invalid")}, "alias2.example", "alias2.example",
			"dns-01", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.at != "" {
				d.setCAA(tt.at, tt.recs...)
			}
			if tt.alias != "" {
				d.setCNAME(tt.alias, tt.at)
			}
			base, wild := trimWildcard(tt.order), tt.order != trimWildcard(tt.order)
			job := validationJob{typ: tt.method, acctURL: acct, wildcard: wild,
				ident: acme.Identifier{Type: acme.IdentifierDNS, Value: base}}
			p := s.checkCAA(context.Background(), job)
			checkCAAProblem(t, p, tt.want, tt.order)
		})
	}
}

// checkCAAProblem checks p against the wanted type and, for a refusal, a
// subproblem naming the identifier.
func checkCAAProblem(t *testing.T, p *acme.Problem, want acme.ProblemType, name string) {
	t.Helper()
	switch {
	case want == "" && p != nil:
		t.Fatalf("refused: %v", p)
	case want == "":
	case p == nil:
		t.Fatal("allowed, want a caa problem")
	case p.Identifier != nil:
		t.Fatalf("top-level identifier in %+v (RFC 8555 §6.7.1)", p)
	case p.Type != want || len(p.Subproblems) != 1:
		t.Fatalf("got %+v, want %s with one subproblem", p, want)
	case p.Subproblems[0].Identifier == nil || p.Subproblems[0].Identifier.Value != name:
		t.Fatalf("subproblem %+v does not name %s", p.Subproblems[0], name)
	}
}

func TestCAARecheckAtFinalize(t *testing.T) {
	e, clock := startPolicyEnv(t, "atlas", nil)
	mk := mint(t, e)
	rc := boundClient(t, e, mk)
	rc.validateWith(e, "recheck.example.com", acme.ChallengeDNS01)
	validated := clock.Now()
	e.dns.setCAA("recheck.example.com", caaRR(0, "issue", "ca.example.net"))

	clock.Set(validated.Add(8 * time.Hour))
	_, o := rc.newOrder("recheck.example.com")
	csr, _ := csrFor(t, "recheck.example.com")
	resp := rc.finalize(o, csr)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("finalize within 8 h of the CAA check: HTTP %d", resp.StatusCode)
	}

	clock.Advance(time.Second)
	u, o := rc.newOrder("recheck.example.com")
	p := expectProblem(t, rc.finalize(o, csr), acme.ProblemCAA.DefaultStatus(), acme.ProblemCAA)
	checkCAAProblem(t, p, acme.ProblemCAA, "recheck.example.com")
	var after acme.Order
	decode(t, rc.post(u, nil), &after)
	if after.Status != acme.StatusReady {
		t.Errorf("order after a CAA refusal is %s, want ready", after.Status)
	}
}

func TestCAACheckedForBypassedNames(t *testing.T) {
	e, _ := startPolicyEnv(t, "atlas", nil)
	rc := boundClient(t, e, mint(t, e))
	rc.validateWith(e, "bp.example.com", acme.ChallengeDNS01)
	e.dns.setCAA("sub.bp.example.com", caaRR(0, "issue", "ca.example.net"))
	_, o := rc.newOrder("sub.bp.example.com", "ok.bp.example.com")
	if o.Status != acme.StatusReady {
		t.Fatalf("bypassed order is %s, want ready", o.Status)
	}
	csr, _ := csrFor(t, "sub.bp.example.com", "ok.bp.example.com")
	p := expectProblem(t, rc.finalize(o, csr), acme.ProblemCAA.DefaultStatus(), acme.ProblemCAA)
	checkCAAProblem(t, p, acme.ProblemCAA, "sub.bp.example.com")
}

func TestRecheckProblem(t *testing.T) {
	id := func(n string) *acme.Identifier { return &acme.Identifier{Type: "dns", Value: n} }
	caa := acme.Problem{Type: acme.ProblemCAA, Detail: "no", Identifier: id("a.example")}
	dnsErr := acme.Problem{Type: acme.ProblemDNS, Detail: "SERVFAIL", Identifier: id("b.example")}
	tests := []struct {
		name string
		subs []acme.Problem
		want acme.ProblemType
	}{
		{"one refusal", []acme.Problem{caa}, acme.ProblemCAA},
		{"two refusals", []acme.Problem{caa, caa}, acme.ProblemCAA},
		{"refusal and lookup failure", []acme.Problem{caa, dnsErr}, acme.ProblemCompound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := recheckProblem(tt.subs)
			if p.Type != tt.want || len(p.Subproblems) != len(tt.subs) {
				t.Errorf("got %s with %d subproblems", p.Type, len(p.Subproblems))
			}
		})
	}
}

func TestCAASkipsIPAddresses(t *testing.T) {
	p, _ := LoadProfile("atlas")
	s, err := New(Config{Profile: p}) // no DNS server: a lookup would fail
	if err != nil {
		t.Fatal(err)
	}
	job := validationJob{typ: "http-01",
		ident: acme.Identifier{Type: acme.IdentifierIP, Value: "127.0.0.1"}}
	if prob := s.checkCAA(context.Background(), job); prob != nil {
		t.Errorf("CAA checked for an IP address: %v", prob)
	}
	job.ident = acme.Identifier{Type: acme.IdentifierDNS, Value: "x.example"}
	if prob := s.checkCAA(context.Background(), job); prob == nil || prob.Type != acme.ProblemDNS {
		t.Errorf("dns name without a DNS server: %v, want a dns problem", prob)
	}
}
