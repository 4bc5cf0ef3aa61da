package dnsmock_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"acmeconform/dnsmock"
)

func TestTruncationAndTCPFallback(t *testing.T) {
	s := startServer(t, dnsmock.Config{})
	name := "_acme-challenge.big.test"
	var want []string
	for i := range 20 {
		v := fmt.Sprintf("%02d-%s", i, strings.Repeat("x", 30))
		want = append(want, `"`+v+`"`)
		must(t, s.AddTXT(bg(), name, v))
	}
	r := query(t, s, "udp", name, dns.TypeTXT)
	if !r.Truncated {
		t.Fatalf("UDP answer of %d records not truncated", len(r.Answer))
	}
	edns := new(dns.Msg).SetQuestion(name+".", dns.TypeTXT).SetEdns0(4096, false)
	if r := exchange(t, s, "udp", edns); r.Truncated || len(r.Answer) != 20 || r.IsEdns0() == nil {
		t.Fatalf("EDNS0 4096: tc=%v answers=%d opt=%v", r.Truncated, len(r.Answer), r.IsEdns0())
	}
	if r := query(t, s, "tcp", name, dns.TypeTXT); r.Truncated || len(r.Answer) != 20 {
		t.Fatalf("TCP: tc=%v answers=%d", r.Truncated, len(r.Answer))
	}
	// dig retries over TCP on its own when it sees TC (RFC 7766 §5).
	got := dig(t, s, false, "+noedns", "TXT", name)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("dig after TC: %d values", len(got))
	}
}

func TestEDNS(t *testing.T) {
	s := startServer(t, dnsmock.Config{DefaultIPv4: "127.0.0.1"})
	m := new(dns.Msg).SetQuestion("e.test.", dns.TypeA).SetEdns0(1400, true)
	r := exchange(t, s, "udp", m)
	opt := r.IsEdns0()
	if opt == nil || !opt.Do() || opt.Version() != 0 {
		t.Fatalf("reply OPT %v", opt)
	}
	m.IsEdns0().SetVersion(1)
	if r := exchange(t, s, "udp", m); r.Rcode != dns.RcodeBadVers {
		t.Fatalf("EDNS version 1: rcode %s, want BADVERS", dns.RcodeToString[r.Rcode])
	}
}

func TestLongTXTSplit(t *testing.T) {
	s := startServer(t, dnsmock.Config{})
	long := strings.Repeat("a", 300) + `\`
	must(t, s.AddTXT(bg(), "long.test", long))
	r := query(t, s, "tcp", "long.test", dns.TypeTXT)
	if len(r.Answer) != 1 {
		t.Fatalf("answers %v", r.Answer)
	}
	txt := r.Answer[0].(*dns.TXT).Txt
	if len(txt) != 2 || len(txt[0]) != 255 {
		t.Fatalf("strings %d, first %d octets", len(txt), len(txt[0]))
	}
}

func TestRejectsOddRequests(t *testing.T) {
	s := startServer(t, dnsmock.Config{})
	tests := []struct {
		name  string
		msg   *dns.Msg
		rcode int
	}{
		{"NOTIFY", func() *dns.Msg {
			m := new(dns.Msg).SetQuestion("x.test.", dns.TypeSOA)
			m.Opcode = dns.OpcodeNotify
			return m
		}(), dns.RcodeNotImplemented},
		{"class CHAOS", func() *dns.Msg {
			m := new(dns.Msg).SetQuestion("version.bind.", dns.TypeTXT)
			m.Question[0].Qclass = dns.ClassCHAOS
			return m
		}(), dns.RcodeRefused},
		{"AXFR", new(dns.Msg).SetQuestion("x.test.", dns.TypeAXFR), dns.RcodeRefused},
		{"two questions", func() *dns.Msg {
			m := new(dns.Msg).SetQuestion("x.test.", dns.TypeA)
			m.Question = append(m.Question, m.Question[0])
			return m
		}(), dns.RcodeFormatError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := exchange(t, s, "tcp", tt.msg); r.Rcode != tt.rcode {
				t.Fatalf("rcode %s, want %s", dns.RcodeToString[r.Rcode],
					dns.RcodeToString[tt.rcode])
			}
		})
	}
}

func TestHistoryLimit(t *testing.T) {
	s := startServer(t, dnsmock.Config{HistoryLimit: 20, DefaultIPv4: "127.0.0.1"})
	for i := range 25 {
		query(t, s, "udp", fmt.Sprintf("h%d.limit.test", i), dns.TypeA)
	}
	h := s.History("", 0)
	if len(h) > 20 || len(h) < 15 || h[len(h)-1].Name != "h24.limit.test." {
		t.Fatalf("history of %d, last %+v", len(h), h[len(h)-1])
	}
	s.ClearHistory("")
	if h := s.History("", 0); len(h) != 0 {
		t.Fatalf("after clear: %d", len(h))
	}
}
