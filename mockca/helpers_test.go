package mockca

import (
	"crypto/sha256"
	"encoding/base64"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// testDNS is an in-test DNS server: every A question gets 127.0.0.1, TXT
// answers come from a map that tests fill.
type testDNS struct {
	mu    sync.Mutex
	txt   map[string][]string
	caa   map[string][]*dns.CAA
	cname map[string]string
	nx    map[string]bool
	addr  string
}

func startTestDNS(t testing.TB) *testDNS {
	t.Helper()
	d := &testDNS{txt: map[string][]string{}, caa: map[string][]*dns.CAA{},
		cname: map[string]string{}, nx: map[string]bool{}}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{PacketConn: pc, Handler: d}
	go func() { _ = srv.ActivateAndServe() }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	d.addr = pc.LocalAddr().String()
	return d
}

func (d *testDNS) setTXT(name string, values ...string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.txt[dns.Fqdn(strings.ToLower(name))] = values
}

// setCAA publishes CAA records "flag tag value" at name.
func (d *testDNS) setCAA(name string, recs ...*dns.CAA) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.caa[dns.Fqdn(name)] = recs
}

// setCNAME makes name an alias of target.
func (d *testDNS) setCNAME(name, target string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.cname[dns.Fqdn(name)] = dns.Fqdn(target)
}

// setNX makes name answer NXDOMAIN.
func (d *testDNS) setNX(name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.nx[dns.Fqdn(name)] = true
}

func (d *testDNS) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(r)
	q := r.Question[0]
	name := strings.ToLower(q.Name)
	hdr := dns.RR_Header{Name: q.Name, Class: dns.ClassINET, Rrtype: q.Qtype, Ttl: 0}
	d.mu.Lock()
	defer d.mu.Unlock()
	if target, ok := d.cname[name]; ok {
		hdr.Rrtype = dns.TypeCNAME
		m.Answer = append(m.Answer, &dns.CNAME{Hdr: hdr, Target: target})
		_ = w.WriteMsg(m)
		return
	}
	if d.nx[name] {
		m.Rcode = dns.RcodeNameError
		_ = w.WriteMsg(m)
		return
	}
	switch q.Qtype {
	case dns.TypeA:
		m.Answer = append(m.Answer, &dns.A{Hdr: hdr, A: net.IPv4(127, 0, 0, 1)})
	case dns.TypeTXT:
		for _, v := range d.txt[name] {
			m.Answer = append(m.Answer, &dns.TXT{Hdr: hdr, Txt: []string{v}})
		}
	case dns.TypeCAA:
		for _, c := range d.caa[name] {
			rr := *c
			rr.Hdr = hdr
			m.Answer = append(m.Answer, &rr)
		}
	}
	_ = w.WriteMsg(m)
}

// testHTTP01 serves key authorizations at /.well-known/acme-challenge/.
type testHTTP01 struct {
	mu     sync.Mutex
	tokens map[string]string
	port   int
}

func startTestHTTP01(t testing.TB) *testHTTP01 {
	t.Helper()
	h := &testHTTP01{tokens: map[string]string{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	h.port = ln.Addr().(*net.TCPAddr).Port
	return h
}

func (h *testHTTP01) set(token, keyAuth string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.tokens[token] = keyAuth
}

func (h *testHTTP01) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tok, ok := strings.CutPrefix(r.URL.Path, "/.well-known/acme-challenge/")
	if !ok {
		tok, ok = strings.CutPrefix(r.URL.Path, "/moved/")
	}
	h.mu.Lock()
	v, found := h.tokens[tok]
	h.mu.Unlock()
	if loc, isRedirect := strings.CutPrefix(v, "redirect:"); isRedirect {
		http.Redirect(w, r, loc, http.StatusFound)
		return
	}
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write([]byte(v + "\n"))
}

// testEnv is a started mock CA with its DNS and http-01 responders.
type testEnv struct {
	ca   *Server
	dns  *testDNS
	http *testHTTP01
}

func startEnv(t testing.TB, mutate func(*Config)) *testEnv {
	t.Helper()
	e := &testEnv{dns: startTestDNS(t), http: startTestHTTP01(t)}
	cfg := Config{DNSServer: e.dns.addr, HTTP01Port: e.http.port, Seed: 1}
	if mutate != nil {
		mutate(&cfg)
	}
	ca, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := ca.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ca.Close() })
	e.ca = ca
	return e
}

// dnsTXTValue is base64url(SHA-256(keyAuth)).
func dnsTXTValue(ka string) string {
	sum := sha256.Sum256([]byte(ka))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// dialTCP connects to addr with a short timeout.
func dialTCP(addr string) (net.Conn, error) {
	return net.DialTimeout("tcp", addr, time.Second)
}
