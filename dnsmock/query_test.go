package dnsmock_test

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/miekg/dns"

	"acmeconform/dnsmock"
)

func TestQueryAnswers(t *testing.T) {
	s := startServer(t, dnsmock.Config{Zones: []string{"example.test"}, TTL: 30})
	must(t, s.SetA("www.example.test", netip.MustParseAddr("192.0.2.1"),
		netip.MustParseAddr("192.0.2.2")))
	must(t, s.SetAAAA("www.example.test", netip.MustParseAddr("2001:db8::1")))
	must(t, s.AddTXT(bg(), "_acme-challenge.example.test.", "one"))
	must(t, s.AddTXT(bg(), "_acme-challenge.example.test", "two"))
	must(t, s.AddCAA("example.test", 128, "issue", "ca.test; validationmethods=dns-01"))
	must(t, s.SetCNAME("alias.example.test", "alias2.example.test"))
	must(t, s.SetCNAME("alias2.example.test", "www.example.test"))
	must(t, s.SetCNAME("dangling.example.test", "nowhere.example.test"))
	must(t, s.AddTXT(bg(), "_acme-challenge.test.example.test", "deep"))

	tests := []struct {
		name    string
		qname   string
		qtype   uint16
		rcode   int
		answer  []string
		soaAuth bool
	}{
		{"A set", "www.example.test", dns.TypeA, dns.RcodeSuccess,
			[]string{"192.0.2.1", "192.0.2.2"}, false},
		{"AAAA", "WWW.Example.test", dns.TypeAAAA, dns.RcodeSuccess,
			[]string{"2001:db8::1"}, false},
		{"TXT set", "_acme-challenge.example.test", dns.TypeTXT, dns.RcodeSuccess,
			[]string{`"one"`, `"two"`}, false},
		{"CAA", "example.test", dns.TypeCAA, dns.RcodeSuccess,
			[]string{`128 issue "ca.test; validationmethods=dns-01"`}, false},
		{"SOA at apex", "example.test", dns.TypeSOA, dns.RcodeSuccess,
			[]string{"ns1.example.test. hostmaster.example.test."}, false},
		{"NS at apex", "example.test", dns.TypeNS, dns.RcodeSuccess,
			[]string{"ns1.example.test."}, false},
		{"NS host address", "ns1.example.test", dns.TypeA, dns.RcodeSuccess,
			[]string{"127.0.0.1"}, false},
		{"NODATA", "www.example.test", dns.TypeTXT, dns.RcodeSuccess, nil, true},
		{"NODATA empty non-terminal", "test.example.test", dns.TypeA, dns.RcodeSuccess,
			nil, true},
		{"NXDOMAIN", "missing.example.test", dns.TypeTXT, dns.RcodeNameError, nil, true},
		{"SOA below apex is NODATA", "www.example.test", dns.TypeSOA, dns.RcodeSuccess,
			nil, true},
		{"CNAME chain", "alias.example.test", dns.TypeA, dns.RcodeSuccess,
			[]string{"alias2.example.test.", "www.example.test.", "192.0.2.1", "192.0.2.2"},
			false},
		{"CNAME itself", "alias.example.test", dns.TypeCNAME, dns.RcodeSuccess,
			[]string{"alias2.example.test."}, false},
		{"CNAME to nothing", "dangling.example.test", dns.TypeA, dns.RcodeNameError,
			[]string{"nowhere.example.test."}, true},
	}
	for _, proto := range []string{"udp", "tcp"} {
		for _, tt := range tests {
			t.Run(proto+"/"+tt.name, func(t *testing.T) {
				r := query(t, s, proto, tt.qname, tt.qtype)
				checkReply(t, r, tt.rcode, tt.answer, tt.soaAuth)
			})
		}
	}
}

func checkReply(t *testing.T, r *dns.Msg, rcode int, answer []string, soaAuth bool) {
	t.Helper()
	if r.Rcode != rcode {
		t.Fatalf("rcode %s, want %s", dns.RcodeToString[r.Rcode], dns.RcodeToString[rcode])
	}
	if !r.Authoritative {
		t.Error("AA bit not set")
	}
	got := rdata(r.Answer)
	for i := range got {
		if i < len(answer) && len(got[i]) > len(answer[i]) && answer[i] != "" &&
			got[i][:len(answer[i])] == answer[i] {
			got[i] = answer[i] // SOA: compare the prefix only
		}
	}
	slices.Sort(got)
	want := slices.Clone(answer)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("answer %q, want %q", got, want)
	}
	hasSOA := len(r.Ns) == 1 && r.Ns[0].Header().Rrtype == dns.TypeSOA
	if hasSOA != soaAuth {
		t.Errorf("authority %v, want SOA: %v", r.Ns, soaAuth)
	}
}

func TestOwnerNameKeepsQuestionCase(t *testing.T) {
	s := startServer(t, dnsmock.Config{})
	must(t, s.SetA("mixed.example.test", netip.MustParseAddr("192.0.2.9")))
	r := query(t, s, "udp", "MiXeD.Example.TEST", dns.TypeA)
	if len(r.Answer) != 1 || r.Answer[0].Header().Name != "MiXeD.Example.TEST." {
		t.Fatalf("answer %v", r.Answer)
	}
}

func TestImplicitZonesAndDefaultAddress(t *testing.T) {
	s := startServer(t, dnsmock.Config{DefaultIPv4: "127.0.0.1"})
	must(t, s.AddTXT(bg(), "_acme-challenge.www.other.test", "v"))

	tests := []struct {
		name   string
		qname  string
		qtype  uint16
		answer []string
		soa    bool
	}{
		{"apex of implicit zone", "other.test", dns.TypeSOA,
			[]string{"ns1.other.test. hostmaster.other.test."}, false},
		{"no SOA below apex", "www.other.test", dns.TypeSOA, nil, true},
		{"default A", "anything.else.test", dns.TypeA, []string{"127.0.0.1"}, false},
		{"default makes names exist", "anything.else.test", dns.TypeTXT, nil, true},
		{"stored TXT", "_acme-challenge.www.other.test", dns.TypeTXT, []string{`"v"`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := query(t, s, "udp", tt.qname, tt.qtype)
			checkReply(t, r, dns.RcodeSuccess, tt.answer, tt.soa)
		})
	}
	r := query(t, s, "udp", "www.other.test", dns.TypeSOA)
	if r.Ns[0].Header().Name != "other.test." {
		t.Errorf("authority SOA owner %q, want the apex", r.Ns[0].Header().Name)
	}
}
