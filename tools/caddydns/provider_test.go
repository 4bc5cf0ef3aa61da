package caddydns

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
)

const (
	testKeyName = "acme-update."
	testSecret  = "c2VjcmV0LXRzaWcta2V5LWZvci10ZXN0cw=="
)

// updateServer is a DNS server on 127.0.0.1 that applies TSIG-signed
// updates of TXT records to one zone and refuses everything else.
type updateServer struct {
	addr  string
	zone  string
	mu    sync.Mutex
	txt   map[string][]string // owner name -> values, each joined from its strings
	rcode int                 // answered to every update when not zero
}

func startUpdateServer(t *testing.T, zone string) *updateServer {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &updateServer{addr: pc.LocalAddr().String(), zone: zone, txt: map[string][]string{}}
	srv := &dns.Server{PacketConn: pc, Handler: s,
		TsigSecret: map[string]string{testKeyName: testSecret},
		// The default filter answers NOTIMP to every UPDATE.
		MsgAcceptFunc: func(dns.Header) dns.MsgAcceptAction { return dns.MsgAccept }}
	started := make(chan struct{})
	srv.NotifyStartedFunc = func() { close(started) }
	go func() { _ = srv.ActivateAndServe() }()
	<-started
	t.Cleanup(func() { _ = srv.Shutdown() })
	return s
}

func (s *updateServer) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	resp := new(dns.Msg)
	resp.SetReply(req)
	switch {
	case req.IsTsig() == nil || w.TsigStatus() != nil:
		resp.Rcode = dns.RcodeNotAuth
	case req.Opcode != dns.OpcodeUpdate || len(req.Question) != 1 ||
		req.Question[0].Name != s.zone:
		resp.Rcode = dns.RcodeRefused
	default:
		resp.Rcode = s.apply(req.Ns)
	}
	// RFC 8945 §5.3.2: an answer to an unknown key is not signed.
	if t := req.IsTsig(); t != nil && t.Hdr.Name == testKeyName {
		resp.SetTsig(t.Hdr.Name, t.Algorithm, fudge, time.Now().Unix())
	}
	_ = w.WriteMsg(resp)
}

// apply follows RFC 2136 §3.4.2 for TXT records: class IN adds a value,
// class NONE deletes one, class ANY deletes them all. With s.rcode set,
// nothing changes and that is the answer.
func (s *updateServer) apply(updates []dns.RR) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rcode != 0 {
		return s.rcode
	}
	for _, rr := range updates {
		h := rr.Header()
		switch h.Class {
		case dns.ClassINET:
			v := strings.Join(rr.(*dns.TXT).Txt, "")
			if !slices.Contains(s.txt[h.Name], v) {
				s.txt[h.Name] = append(s.txt[h.Name], v)
			}
		case dns.ClassNONE:
			v := strings.Join(rr.(*dns.TXT).Txt, "")
			s.txt[h.Name] = slices.DeleteFunc(s.txt[h.Name], func(x string) bool { return x == v })
		case dns.ClassANY:
			delete(s.txt, h.Name)
		}
	}
	return dns.RcodeSuccess
}

func (s *updateServer) setRcode(rcode int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rcode = rcode
}

func (s *updateServer) values(name string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.txt[name])
}

func newProvider(addr string) *Provider {
	return &Provider{Server: addr, KeyName: "Acme-Update", KeyAlg: "hmac-sha256", Key: testSecret}
}

func txt(name, text string) libdns.Record { return libdns.TXT{Name: name, Text: text} }

func TestAppendAndDelete(t *testing.T) {
	ctx := context.Background()
	srv := startUpdateServer(t, "example.test.")
	p := newProvider(srv.addr)
	const owner = "_acme-challenge.www.example.test."

	long := strings.Repeat("x", 300)
	got, err := p.AppendRecords(ctx, "example.test.", []libdns.Record{
		txt("_acme-challenge.www", "token-a"), txt("_acme-challenge.www", long)})
	if err != nil {
		t.Fatalf("AppendRecords: %v", err)
	}
	if len(got) != 2 || got[0].(libdns.TXT).TTL != defaultTTL {
		t.Errorf("AppendRecords returned %v, want two TXT records with TTL %v", got, defaultTTL)
	}
	if _, err := p.AppendRecords(ctx, "example.test",
		[]libdns.Record{txt("_acme-challenge.www", "token-b")}); err != nil {
		t.Fatalf("AppendRecords to a zone without the trailing dot: %v", err)
	}
	if v := srv.values(owner); !slices.Equal(v, []string{"token-a", long, "token-b"}) {
		t.Fatalf("after adding: %q, want token-a, the long value and token-b", v)
	}

	if _, err := p.DeleteRecords(ctx, "example.test.",
		[]libdns.Record{txt("_acme-challenge.www", "token-a")}); err != nil {
		t.Fatalf("DeleteRecords: %v", err)
	}
	if v := srv.values(owner); !slices.Equal(v, []string{long, "token-b"}) {
		t.Fatalf("after deleting one value: %q, want the other two", v)
	}
	if _, err := p.DeleteRecords(ctx, "example.test.",
		[]libdns.Record{libdns.RR{Name: "_acme-challenge.www"}}); err != nil {
		t.Fatalf("DeleteRecords of the whole set: %v", err)
	}
	if v := srv.values(owner); len(v) != 0 {
		t.Fatalf("after deleting the set: %q, want none", v)
	}
}

func TestServerRefuses(t *testing.T) {
	ctx := context.Background()
	srv := startUpdateServer(t, "example.test.")
	recs := []libdns.Record{txt("_acme-challenge", "v")}
	tests := []struct {
		name   string
		p      *Provider
		zone   string
		rcode  int
		answer string
	}{
		{name: "wrong key", p: &Provider{Server: srv.addr, KeyName: testKeyName,
			Key: "d3Jvbmcta2V5"}, zone: "example.test.", answer: "bad authentication"},
		{name: "unknown key name", p: &Provider{Server: srv.addr, KeyName: "other.",
			Key: testSecret}, zone: "example.test.", answer: "NOTAUTH"},
		{name: "zone not served", p: newProvider(srv.addr), zone: "other.test.",
			answer: "REFUSED"},
		{name: "server failure", p: newProvider(srv.addr), zone: "example.test.",
			rcode: dns.RcodeServerFailure, answer: "SERVFAIL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv.setRcode(tc.rcode)
			defer srv.setRcode(0)
			_, err := tc.p.AppendRecords(ctx, tc.zone, recs)
			// An answer signed with another secret fails its check before
			// its rcode is read.
			if err == nil || !strings.Contains(err.Error(), tc.answer) &&
				!errors.Is(err, dns.ErrAuth) {
				t.Errorf("AppendRecords error %v, want %s", err, tc.answer)
			}
		})
	}
}

func TestUnsupportedRecords(t *testing.T) {
	p := newProvider("127.0.0.1:1")
	a := libdns.RR{Name: "www", Type: "A", Data: "192.0.2.1"}
	if _, err := p.AppendRecords(context.Background(), "example.test.",
		[]libdns.Record{a}); !errors.Is(err, ErrUnsupportedRecord) {
		t.Errorf("AppendRecords(A) error %v, want ErrUnsupportedRecord", err)
	}
	if _, err := p.AppendRecords(context.Background(), "example.test.",
		[]libdns.Record{txt("www", "")}); err == nil {
		t.Error("AppendRecords of an empty TXT record succeeded")
	}
}

func TestValidate(t *testing.T) {
	ok := func() Provider { return *newProvider("192.0.2.53") }
	tests := []struct {
		name    string
		edit    func(*Provider)
		wantErr string
	}{
		{name: "complete, port defaulted", edit: func(*Provider) {}},
		{name: "algorithm defaulted", edit: func(p *Provider) { p.KeyAlg = "" }},
		{name: "algorithm with dot", edit: func(p *Provider) { p.KeyAlg = "HMAC-SHA512." }},
		{name: "no server", edit: func(p *Provider) { p.Server = "" }, wantErr: "server"},
		{name: "no key name", edit: func(p *Provider) { p.KeyName = "" }, wantErr: "key_name"},
		{name: "no key", edit: func(p *Provider) { p.Key = "" }, wantErr: "key is"},
		{name: "key not base64", edit: func(p *Provider) { p.Key = "not base64!" },
			wantErr: "base64"},
		{name: "unknown algorithm", edit: func(p *Provider) { p.KeyAlg = "hmac-md4" },
			wantErr: "key_alg"},
		{name: "bad port", edit: func(p *Provider) { p.Server = "ns.test:dns" },
			wantErr: "server"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := ok()
			tc.edit(&p)
			err := p.Validate()
			if tc.wantErr == "" && err != nil || tc.wantErr != "" &&
				(err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("Validate() = %v, want error containing %q", err, tc.wantErr)
			}
		})
	}
}
