package dnsmock_test

import (
	"net"
	"testing"

	"github.com/miekg/dns"

	"acmeconform/dnsmock"
)

// fakeWriter captures what the handler writes, in place of a socket.
type fakeWriter struct {
	tcp  bool
	msgs []*dns.Msg
	raw  [][]byte
}

func (w *fakeWriter) LocalAddr() net.Addr {
	return &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 53}
}
func (w *fakeWriter) RemoteAddr() net.Addr {
	if w.tcp {
		return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 4000}
	}
	return &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 4000}
}
func (w *fakeWriter) WriteMsg(m *dns.Msg) error   { w.msgs = append(w.msgs, m); return nil }
func (w *fakeWriter) Write(b []byte) (int, error) { w.raw = append(w.raw, b); return len(b), nil }
func (w *fakeWriter) Close() error                { return nil }
func (w *fakeWriter) TsigStatus() error           { return nil }
func (w *fakeWriter) TsigTimersOnly(bool)         {}
func (w *fakeWriter) Hijack()                     {}

func fuzzSeeds() [][]byte {
	q := new(dns.Msg).SetQuestion("_acme-challenge.fuzz.test.", dns.TypeTXT).SetEdns0(4096, true)
	u := txtUpdate("fuzz.test.", "_acme-challenge.fuzz.test.", "v")
	u.RemoveRRset([]dns.RR{&dns.A{Hdr: dns.RR_Header{Name: "a.fuzz.test.", Rrtype: dns.TypeA}}})
	u.NameUsed([]dns.RR{&dns.ANY{Hdr: dns.RR_Header{Name: "fuzz.test."}}})
	c := new(dns.Msg).SetQuestion("alias.fuzz.test.", dns.TypeANY)
	var out [][]byte
	for _, m := range []*dns.Msg{q, u, c} {
		b, _ := m.Pack()
		out = append(out, b)
	}
	return append(out, []byte{0, 1, 2}, nil)
}

// FuzzServeDNS feeds arbitrary packets to the handler: every message that
// unpacks must be answered with a message that packs again, or not at all,
// and nothing may panic.
func FuzzServeDNS(f *testing.F) {
	for _, seed := range fuzzSeeds() {
		f.Add(seed, false)
	}
	s, err := dnsmock.New(dnsmock.Config{AllowUnsignedUpdates: true, DefaultIPv4: "127.0.0.1",
		HistoryLimit: 100})
	if err != nil {
		f.Fatal(err)
	}
	must(f, s.SetCNAME("alias.fuzz.test", "loop.fuzz.test"))
	must(f, s.SetCNAME("loop.fuzz.test", "alias.fuzz.test"))
	must(f, s.AddCAA("fuzz.test", 128, "issue", "ca.test"))
	f.Fuzz(func(t *testing.T, packet []byte, tcp bool) {
		req := new(dns.Msg)
		if err := req.Unpack(packet); err != nil {
			return
		}
		w := &fakeWriter{tcp: tcp}
		s.ServeDNS(w, req)
		if len(w.msgs)+len(w.raw) > 1 {
			t.Fatalf("%d replies to one request", len(w.msgs)+len(w.raw))
		}
		for _, m := range w.msgs {
			if _, err := m.Pack(); err != nil {
				t.Fatalf("reply does not pack: %v\n%v", err, m)
			}
		}
	})
}
