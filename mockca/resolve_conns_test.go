package mockca

import (
	"context"
	"net"
	"sync"
	"testing"

	"github.com/miekg/dns"
)

// startDNS answers every A question with 127.0.0.1 on a loopback UDP
// port and counts the distinct source addresses it heard from.
func startDNS(tb testing.TB) (addr string, sources func() int) {
	tb.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	seen := make(chan string, 1<<16)
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(
		func(w dns.ResponseWriter, r *dns.Msg) {
			select {
			case seen <- w.RemoteAddr().String():
			default: // a benchmark's many queries; the count is for tests
			}
			m := new(dns.Msg).SetReply(r)
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: r.Question[0].Name,
				Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: net.IPv4(127, 0, 0, 1)})
			w.WriteMsg(m)
		})}
	go srv.ActivateAndServe()
	tb.Cleanup(func() { srv.Shutdown() })
	return pc.LocalAddr().String(), func() int {
		distinct := map[string]bool{}
		for len(seen) > 0 {
			distinct[<-seen] = true
		}
		return len(distinct)
	}
}

func TestQueriesReuseSockets(t *testing.T) {
	addr, sources := startDNS(t)
	s, err := New(Config{DNSServer: addr})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for range 20 {
		rrs, p := s.lookupRR(context.Background(), "reuse.test", dns.TypeA)
		if p != nil || len(rrs) != 1 {
			t.Fatalf("lookup: %v, %d records", p, len(rrs))
		}
	}
	if n := sources(); n != 1 {
		t.Errorf("20 queries in a row came from %d sockets, want 1", n)
	}
}

// BenchmarkDNSQuery measures one A lookup as validation makes it.
func BenchmarkDNSQuery(b *testing.B) {
	addr, _ := startDNS(b)
	s, err := New(Config{DNSServer: addr})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		if _, p := s.lookupRR(context.Background(), "bench.test", dns.TypeA); p != nil {
			b.Fatal(p)
		}
	}
}

func TestQueryAsksAgainAfterALostDatagram(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	heard := 0
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(
		func(w dns.ResponseWriter, r *dns.Msg) {
			mu.Lock()
			heard++
			first := heard == 1
			mu.Unlock()
			if first {
				return // lost, as in a full receive buffer
			}
			m := new(dns.Msg).SetReply(r)
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: r.Question[0].Name,
				Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: net.IPv4(127, 0, 0, 1)})
			w.WriteMsg(m)
		})}
	go srv.ActivateAndServe()
	defer srv.Shutdown()
	s, err := New(Config{DNSServer: pc.LocalAddr().String()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rrs, p := s.lookupRR(context.Background(), "lost.test", dns.TypeA)
	if p != nil || len(rrs) != 1 {
		t.Fatalf("lookup after a lost datagram: %v, %d records", p, len(rrs))
	}
	mu.Lock()
	defer mu.Unlock()
	if heard != 2 {
		t.Errorf("server heard %d queries, want 2", heard)
	}
}
