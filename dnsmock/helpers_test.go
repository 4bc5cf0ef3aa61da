package dnsmock_test

import (
	"context"
	"testing"
	"time"

	"github.com/miekg/dns"

	"acmeconform/dnsmock"
	"acmeconform/dnsmock/dnsmocktest"
	"acmeconform/suites"
)

var (
	_ suites.DNSControl    = (*dnsmock.Server)(nil)
	_ suites.DNSControl    = (*dnsmock.Client)(nil)
	_ suites.HTTP01Control = (*dnsmock.Responder)(nil)
)

// startServer starts a server on loopback and stops it when the test ends.
func startServer(t testing.TB, cfg dnsmock.Config) *dnsmock.Server {
	t.Helper()
	return dnsmocktest.Start(t, cfg)
}

// query asks one question over proto and fails the test on transport errors.
func query(t testing.TB, s *dnsmock.Server, proto, name string, qtype uint16) *dns.Msg {
	t.Helper()
	m := new(dns.Msg).SetQuestion(dns.Fqdn(name), qtype)
	return exchange(t, s, proto, m)
}

func exchange(t testing.TB, s *dnsmock.Server, proto string, m *dns.Msg) *dns.Msg {
	t.Helper()
	c := &dns.Client{Net: proto, Timeout: 5 * time.Second}
	r, _, err := c.Exchange(m, s.Addr())
	if err != nil {
		t.Fatalf("exchange %s over %s: %v", m.Question[0].String(), proto, err)
	}
	return r
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func bg() context.Context { return context.Background() }

// rdata returns the answer records as text without owner and TTL.
func rdata(rrs []dns.RR) []string {
	var out []string
	for _, rr := range rrs {
		h := rr.Header().String()
		out = append(out, rr.String()[len(h):])
	}
	return out
}
