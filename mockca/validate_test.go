package mockca

import (
	"net"
	"testing"

	"github.com/miekg/dns"

	"acmeconform/acme"
)

// challengeOutcome orders name, answers its typ challenge after setup has
// published whatever it likes, and returns the settled challenge.
func challengeOutcome(t *testing.T, rc *rawClient, id acme.Identifier, typ string,
	setup func(token, keyAuth string)) acme.Challenge {
	t.Helper()
	resp := rc.post(rc.dir.NewOrder, acme.NewOrderRequest{Identifiers: []acme.Identifier{id}})
	var o acme.Order
	decode(t, resp, &o)
	if len(o.Authorizations) == 0 {
		t.Fatalf("order without authorizations: %+v", o)
	}
	var az acme.Authorization
	decode(t, rc.post(o.Authorizations[0], nil), &az)
	for _, c := range az.Challenges {
		if c.Type != typ {
			continue
		}
		setup(c.Token, rc.keyAuth(c.Token))
		rc.post(c.URL, struct{}{}).Body.Close()
		rc.waitSettled(c.URL)
		var got acme.Challenge
		decode(t, rc.post(c.URL, nil), &got)
		return got
	}
	t.Fatalf("no %s challenge offered for %v", typ, id)
	return acme.Challenge{}
}

// waitSettled polls a challenge until it is valid or invalid.
func (rc *rawClient) waitSettled(url string) {
	rc.t.Helper()
	for range 500 {
		var c acme.Challenge
		decode(rc.t, rc.post(url, nil), &c)
		if c.Status == acme.StatusValid || c.Status == acme.StatusInvalid {
			return
		}
	}
	rc.t.Fatalf("challenge %s never settled", url)
}

func TestValidationOutcomes(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	dnsID := func(n string) acme.Identifier { return acme.Identifier{Type: "dns", Value: n} }
	e.dns.setNX("nx.example.com")
	e.dns.setCNAME("_acme-challenge.alias.example.com", "target.validation.example")
	tests := []struct {
		name  string
		id    acme.Identifier
		typ   string
		setup func(token, ka string)
		want  acme.ProblemType // "" means valid
	}{
		{"http-01 plain", dnsID("h.example.com"), "http-01",
			func(tok, ka string) { e.http.set(tok, ka) }, ""},
		{"http-01 redirect", dnsID("r.example.com"), "http-01", func(tok, ka string) {
			e.http.set(tok, "redirect:http://r.example.com/moved/"+tok+"-moved")
			e.http.set(tok+"-moved", ka)
		}, ""},
		{"http-01 redirect loop", dnsID("loop.example.com"), "http-01", func(tok, ka string) {
			e.http.set(tok, "redirect:http://loop.example.com/moved/"+tok)
		}, acme.ProblemConnection},
		{"http-01 ip identifier", acme.Identifier{Type: "ip", Value: "127.0.0.1"}, "http-01",
			func(tok, ka string) { e.http.set(tok, ka) }, ""},
		{"http-01 not found", dnsID("nf.example.com"), "http-01",
			func(string, string) {}, acme.ProblemUnauthorized},
		{"http-01 NXDOMAIN", dnsID("nx.example.com"), "http-01",
			func(tok, ka string) { e.http.set(tok, ka) }, acme.ProblemDNS},
		{"dns-01 through CNAME", dnsID("alias.example.com"), "dns-01", func(tok, ka string) {
			e.dns.setTXT("target.validation.example", dns01Value(ka))
		}, ""},
		{"dns-01 no record", dnsID("empty.example.com"), "dns-01",
			func(string, string) {}, acme.ProblemUnauthorized},
		{"dns-01 wrong value", dnsID("wrong.example.com"), "dns-01", func(tok, ka string) {
			e.dns.setTXT("_acme-challenge.wrong.example.com", "nope")
		}, acme.ProblemIncorrectResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := challengeOutcome(t, rc, tt.id, tt.typ, tt.setup)
			checkOutcome(t, c, tt.want)
		})
	}
}

// checkOutcome compares a settled challenge with the expected problem.
func checkOutcome(t *testing.T, c acme.Challenge, want acme.ProblemType) {
	t.Helper()
	if want == "" {
		if c.Status != acme.StatusValid || c.Validated == nil {
			t.Fatalf("challenge %s (%v), want valid with validated time", c.Status, c.Error)
		}
		return
	}
	if c.Status != acme.StatusInvalid || c.Error == nil || c.Error.Type != want {
		t.Fatalf("challenge %s error %v, want invalid with %s", c.Status, c.Error, want.Short())
	}
}

// dns01Value is the TXT value for a key authorization (RFC 8555 §8.4).
func dns01Value(ka string) string {
	return dnsTXTValue(ka)
}

func TestHTTP01ConnectionRefused(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	e := startEnv(t, func(c *Config) { c.HTTP01Port = closed })
	rc := newRawClient(t, e)
	rc.register()
	c := challengeOutcome(t, rc, acme.Identifier{Type: "dns", Value: "down.example.com"},
		"http-01", func(string, string) {})
	checkOutcome(t, c, acme.ProblemConnection)
}

func TestCAA(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	caa := func(flag uint8, tag, value string) *dns.CAA {
		return &dns.CAA{Flag: flag, Tag: tag, Value: value}
	}
	tests := []struct {
		name string
		at   string
		recs []*dns.CAA
		id   string
		want acme.ProblemType
	}{
		{"issue names us", "a.caa.example", []*dns.CAA{caa(0, "issue", "mockca.invalid")},
			"a.caa.example", ""},
		{"issue names another CA", "b.caa.example", []*dns.CAA{caa(0, "issue", "other.example")},
			"b.caa.example", acme.ProblemCAA},
		{"iodef only", "c.caa.example", []*dns.CAA{caa(0, "iodef", "mailto:x@example.com")},
			"*.c.caa.example", ""},
		{"wildcard falls back to issue", "d.caa.example",
			[]*dns.CAA{caa(0, "issue", "mockca.invalid")}, "*.d.caa.example", ""},
		{"issuewild forbids wildcard", "e.caa.example", []*dns.CAA{
			caa(0, "issue", "mockca.invalid"), caa(0, "issuewild", ";")},
			"*.e.caa.example", acme.ProblemCAA},
		{"critical unknown tag", "f.caa.example", []*dns.CAA{caa(128, "tbs", "x")},
			"f.caa.example", acme.ProblemCAA},
		{"parent record applies", "g.caa.example", []*dns.CAA{caa(0, "issue", "other.example")},
			"www.g.caa.example", acme.ProblemCAA},
		{"accounturi mismatch", "h.caa.example", []*dns.CAA{
			caa(0, "issue", "mockca.invalid; accounturi=https://elsewhere/acct/1")},
			"h.caa.example", acme.ProblemCAA},
		{"accounturi match", "i.caa.example", []*dns.CAA{
			caa(0, "issue", "mockca.invalid; accounturi="+rc.kid)}, "i.caa.example", ""},
		{"validationmethods excludes dns-01", "j.caa.example", []*dns.CAA{
			caa(0, "issue", "mockca.invalid; validationmethods=http-01")},
			"j.caa.example", acme.ProblemCAA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.dns.setCAA(tt.at, tt.recs...)
			id := acme.Identifier{Type: "dns", Value: tt.id}
			c := challengeOutcome(t, rc, id, "dns-01", func(tok, ka string) {
				e.dns.setTXT("_acme-challenge."+trimWildcard(tt.id), dns01Value(ka))
			})
			checkOutcome(t, c, tt.want)
		})
	}
}

// trimWildcard drops a leading "*.".
func trimWildcard(n string) string {
	if len(n) > 2 && n[:2] == "*." {
		return n[2:]
	}
	return n
}
