package dnsmock_test

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"acmeconform/dnsmock"
)

func TestFaults(t *testing.T) {
	s := startServer(t, dnsmock.Config{})
	tests := []struct {
		name  string
		fault dnsmock.Fault
		proto string
		qtype uint16
		rcode int
		tc    bool
		count int // answers expected
	}{
		{"servfail", dnsmock.Fault{Kind: dnsmock.FaultServfail}, "udp", dns.TypeA,
			dns.RcodeServerFailure, false, 0},
		{"refused", dnsmock.Fault{Kind: dnsmock.FaultRefused}, "tcp", dns.TypeA,
			dns.RcodeRefused, false, 0},
		{"nxdomain", dnsmock.Fault{Kind: dnsmock.FaultNXDomain}, "udp", dns.TypeA,
			dns.RcodeNameError, false, 0},
		{"truncate over UDP", dnsmock.Fault{Kind: dnsmock.FaultTruncate}, "udp", dns.TypeA,
			dns.RcodeSuccess, true, 0},
		{"truncate spares TCP", dnsmock.Fault{Kind: dnsmock.FaultTruncate}, "tcp", dns.TypeA,
			dns.RcodeSuccess, false, 1},
		{"delay", dnsmock.Fault{Kind: dnsmock.FaultDelay, Delay: 200 * time.Millisecond},
			"udp", dns.TypeA, dns.RcodeSuccess, false, 1},
		{"other type unaffected", dnsmock.Fault{Kind: dnsmock.FaultServfail,
			Qtype: dns.TypeTXT}, "udp", dns.TypeA, dns.RcodeSuccess, false, 1},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := fmt.Sprintf("f%d.fault.test", i)
			must(t, s.SetA(name, netip.MustParseAddr("192.0.2.7")))
			must(t, s.SetFault(name, tt.fault))
			start := time.Now()
			r := query(t, s, tt.proto, name, tt.qtype)
			if r.Rcode != tt.rcode || r.Truncated != tt.tc || len(r.Answer) != tt.count {
				t.Fatalf("rcode %s tc %v answers %d", dns.RcodeToString[r.Rcode], r.Truncated,
					len(r.Answer))
			}
			if tt.fault.Delay > 0 && time.Since(start) < tt.fault.Delay {
				t.Errorf("answer came before the delay")
			}
			wantFault := tt.fault.Kind
			if tt.fault.Qtype != 0 && tt.fault.Qtype != tt.qtype {
				wantFault = ""
			}
			if h := s.History(name, 0); len(h) != 1 || h[0].Fault != wantFault {
				t.Errorf("history %+v", h)
			}
			must(t, s.ClearFault(name))
			if r := query(t, s, tt.proto, name, dns.TypeA); r.Rcode != dns.RcodeSuccess {
				t.Errorf("after ClearFault: %s", dns.RcodeToString[r.Rcode])
			}
		})
	}
}

func TestFaultNoAnswer(t *testing.T) {
	s := startServer(t, dnsmock.Config{})
	must(t, s.SetFault("silent.fault.test", dnsmock.Fault{Kind: dnsmock.FaultNoAnswer}))
	c := &dns.Client{Timeout: 300 * time.Millisecond}
	_, _, err := c.Exchange(new(dns.Msg).SetQuestion("silent.fault.test.", dns.TypeA), s.Addr())
	if err == nil || !strings.Contains(err.Error(), "timeout") {
		t.Fatalf("want a timeout, got %v", err)
	}
	if h := s.History("silent.fault.test", dns.TypeA); len(h) != 1 || h[0].Rcode != "" {
		t.Errorf("history %+v", h)
	}
}

func TestFailureRateIsSeeded(t *testing.T) {
	sequence := func(seed int64) []int {
		s := startServer(t, dnsmock.Config{FailureRate: 0.5, Seed: seed, DefaultIPv4: "127.0.0.1"})
		var rcodes []int
		for range 40 {
			rcodes = append(rcodes, query(t, s, "udp", "r.fault.test", dns.TypeA).Rcode)
		}
		return rcodes
	}
	a, b, c := sequence(7), sequence(7), sequence(8)
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different failures:\n%v\n%v", a, b)
	}
	if slices.Equal(a, c) {
		t.Errorf("different seeds, same failures: %v", a)
	}
	fails := 0
	for _, rc := range a {
		if rc == dns.RcodeServerFailure {
			fails++
		}
	}
	if fails == 0 || fails == len(a) {
		t.Errorf("rate 0.5 failed %d of %d", fails, len(a))
	}
}

func TestBadFault(t *testing.T) {
	s := startServer(t, dnsmock.Config{})
	for _, f := range []dnsmock.Fault{{Kind: "explode"}, {Kind: dnsmock.FaultDelay}} {
		if err := s.SetFault("x.test", f); err == nil {
			t.Errorf("fault %+v accepted", f)
		}
	}
	if err := s.SetFailureRate(1.5); err == nil {
		t.Error("rate 1.5 accepted")
	}
}
