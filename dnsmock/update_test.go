package dnsmock_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"acmeconform/dnsmock"
)

func signedExchange(t *testing.T, s *dnsmock.Server, proto string, m *dns.Msg,
	key, alg, secret string) (*dns.Msg, error) {
	t.Helper()
	c := &dns.Client{Net: proto, Timeout: 5 * time.Second}
	if key != "" {
		c.TsigSecret = map[string]string{key: secret}
		m.SetTsig(key, alg, 300, time.Now().Unix())
	}
	r, _, err := c.Exchange(m, s.Addr())
	return r, err
}

func txtUpdate(zone, name, value string) *dns.Msg {
	m := new(dns.Msg).SetUpdate(zone)
	rr := &dns.TXT{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeTXT,
		Class: dns.ClassINET, Ttl: 60}, Txt: []string{value}}
	m.Insert([]dns.RR{rr})
	return m
}

func TestUpdateRcodes(t *testing.T) {
	var (
		mu     sync.Mutex
		events []dnsmock.UpdateEvent
	)
	s := startServer(t, dnsmock.Config{
		Zones:    []string{"zone.test"},
		TSIGKeys: map[string]string{tsigName: tsigSecret},
		OnUpdate: func(ev dnsmock.UpdateEvent) {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, ev)
		},
	})
	name := "_acme-challenge.www.zone.test."
	tests := []struct {
		name  string
		msg   *dns.Msg
		key   string
		rcode int
	}{
		{"signed add", txtUpdate("zone.test.", name, "v"), tsigName, dns.RcodeSuccess},
		{"unsigned", txtUpdate("zone.test.", name, "v"), "", dns.RcodeRefused},
		{"zone not an apex", txtUpdate("www.zone.test.", name, "v"), tsigName,
			dns.RcodeNotAuth},
		{"record outside zone", txtUpdate("zone.test.", "x.other.test.", "v"), tsigName,
			dns.RcodeNotZone},
		{"name in use prerequisite", func() *dns.Msg {
			m := txtUpdate("zone.test.", name, "w")
			m.RRsetNotUsed([]dns.RR{&dns.TXT{Hdr: dns.RR_Header{Name: name,
				Rrtype: dns.TypeTXT}}})
			return m
		}(), tsigName, dns.RcodeYXRrset},
		{"missing name prerequisite", func() *dns.Msg {
			m := txtUpdate("zone.test.", name, "w")
			m.NameUsed([]dns.RR{&dns.ANY{Hdr: dns.RR_Header{Name: "nope.zone.test."}}})
			return m
		}(), tsigName, dns.RcodeNameError},
	}
	for _, proto := range []string{"udp", "tcp"} {
		for _, tt := range tests {
			t.Run(proto+"/"+tt.name, func(t *testing.T) {
				r, err := signedExchange(t, s, proto, tt.msg.Copy(), tt.key, dns.HmacSHA256,
					tsigSecret)
				// miekg/dns refuses to verify any NOTAUTH reply (ErrAuth), so
				// only the reply's rcode is checked there.
				if err != nil && (r == nil || !errors.Is(err, dns.ErrAuth)) {
					t.Fatalf("exchange: %v", err)
				}
				if r.Rcode != tt.rcode {
					t.Fatalf("rcode %s, want %s", dns.RcodeToString[r.Rcode],
						dns.RcodeToString[tt.rcode])
				}
			})
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(events) == 0 || events[0].Key != tsigName || events[0].Added != 1 {
		t.Errorf("OnUpdate events %+v", events)
	}
}

func TestUpdateBadTSIG(t *testing.T) {
	s := startServer(t, dnsmock.Config{TSIGKeys: map[string]string{tsigName: tsigSecret}})
	tests := []struct {
		name   string
		key    string
		secret string
		tsigRc uint16
	}{
		{"unknown key", "other.", tsigSecret, dns.RcodeBadKey},
		{"wrong secret", tsigName, tsig512Value, dns.RcodeBadSig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := txtUpdate("bad.test.", "_acme-challenge.bad.test.", "v")
			r, _ := signedExchange(t, s, "udp", m, tt.key, dns.HmacSHA256, tt.secret)
			if r == nil {
				t.Fatal("no reply")
			}
			if r.Rcode != dns.RcodeNotAuth {
				t.Fatalf("rcode %s, want NOTAUTH", dns.RcodeToString[r.Rcode])
			}
			if ts := r.IsTsig(); ts == nil || ts.Error != tt.tsigRc {
				t.Fatalf("TSIG %v, want error %s", ts, dns.RcodeToString[int(tt.tsigRc)])
			}
		})
	}
	if got := query(t, s, "udp", "_acme-challenge.bad.test", dns.TypeTXT); len(got.Answer) != 0 {
		t.Errorf("refused update was applied: %v", got.Answer)
	}
}

func TestUpdateCNAMERules(t *testing.T) {
	s := startServer(t, dnsmock.Config{AllowUnsignedUpdates: true})
	must(t, s.AddTXT(bg(), "data.cname.test", "x"))
	m := new(dns.Msg).SetUpdate("cname.test.")
	m.Insert([]dns.RR{&dns.CNAME{Hdr: dns.RR_Header{Name: "data.cname.test.",
		Rrtype: dns.TypeCNAME, Class: dns.ClassINET, Ttl: 60}, Target: "x.cname.test."}})
	if r := exchange(t, s, "udp", m); r.Rcode != dns.RcodeSuccess {
		t.Fatalf("rcode %s", dns.RcodeToString[r.Rcode])
	}
	// RFC 2136 §3.4.2.2: a CNAME beside other data is ignored.
	if r := query(t, s, "udp", "data.cname.test", dns.TypeCNAME); len(r.Answer) != 0 {
		t.Errorf("CNAME added beside TXT: %v", r.Answer)
	}
}

func TestSignedQueryGetsSignedReply(t *testing.T) {
	s := startServer(t, dnsmock.Config{TSIGKeys: map[string]string{tsigName: tsigSecret}})
	for _, alg := range []string{dns.HmacSHA256, dns.HmacSHA512} {
		m := new(dns.Msg).SetQuestion("signed.test.", dns.TypeSOA)
		r, err := signedExchange(t, s, "tcp", m, tsigName, alg, tsigSecret)
		if err != nil {
			t.Fatalf("%s: %v", alg, err) // the client verifies the reply's MAC
		}
		if r.IsTsig() == nil || len(r.Answer) != 1 {
			t.Fatalf("%s: reply %v", alg, r)
		}
	}
}

func TestUpdatesAreLogged(t *testing.T) {
	s := startServer(t, dnsmock.Config{TSIGKeys: map[string]string{tsigName: tsigSecret}})
	m := txtUpdate("log.test.", "_acme-challenge.log.test.", "v")
	_, err := signedExchange(t, s, "udp", m, tsigName, dns.HmacSHA256, tsigSecret)
	must(t, err)
	_, _ = signedExchange(t, s, "udp", txtUpdate("log.test.", "x.log.test.", "v"), "", "", "")
	u := s.Updates()
	if len(u) != 2 || u[0].Rcode != "NOERROR" || u[0].Zone != "log.test." ||
		u[1].Rcode != "REFUSED" || u[1].Key != "" {
		t.Fatalf("updates %+v", u)
	}
}
