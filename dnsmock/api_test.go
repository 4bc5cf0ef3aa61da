package dnsmock_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"acmeconform/dnsmock"
)

func post(t *testing.T, url, body string) (int, string) {
	t.Helper()
	return call(t, http.MethodPost, url, body)
}

func call(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	must(t, err)
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestPebbleEndpoints drives the endpoints shared with Pebble's challenge
// test server with the bodies that server documents.
func TestPebbleEndpoints(t *testing.T) {
	s := startServer(t, dnsmock.Config{HTTP01Addr: "127.0.0.1:0"})
	api := s.APIURL()
	steps := []struct {
		name  string
		path  string
		body  string
		check func(t *testing.T)
	}{
		{"set-txt", "/set-txt", `{"host":"_acme-challenge.p.test.","value":"a"}`,
			wantRdata(s, "_acme-challenge.p.test", dns.TypeTXT, `"a"`)},
		{"clear-txt", "/clear-txt", `{"host":"_acme-challenge.p.test."}`,
			wantRdata(s, "_acme-challenge.p.test", dns.TypeTXT)},
		{"add-a", "/add-a", `{"host":"p.test.","addresses":["192.0.2.1","192.0.2.2"]}`,
			wantRdata(s, "p.test", dns.TypeA, "192.0.2.1", "192.0.2.2")},
		{"clear-a", "/clear-a", `{"host":"p.test."}`, wantRdata(s, "p.test", dns.TypeA)},
		{"add-aaaa", "/add-aaaa", `{"host":"p.test.","addresses":["2001:db8::5"]}`,
			wantRdata(s, "p.test", dns.TypeAAAA, "2001:db8::5")},
		{"clear-aaaa", "/clear-aaaa", `{"host":"p.test."}`,
			wantRdata(s, "p.test", dns.TypeAAAA)},
		{"add-caa", "/add-caa",
			`{"host":"p.test.","policies":[{"tag":"issue","value":"ca.test"},` +
				`{"tag":"tbs","value":"x","flag":128}]}`,
			wantRdata(s, "p.test", dns.TypeCAA, `0 issue "ca.test"`, `128 tbs "x"`)},
		{"clear-caa", "/clear-caa", `{"host":"p.test."}`, wantRdata(s, "p.test", dns.TypeCAA)},
		{"set-cname", "/set-cname", `{"host":"c.p.test.","target":"t.p.test."}`,
			wantRdata(s, "c.p.test", dns.TypeCNAME, "t.p.test.")},
		{"clear-cname", "/clear-cname", `{"host":"c.p.test."}`,
			wantRdata(s, "c.p.test", dns.TypeCNAME)},
		{"set-default-ipv4", "/set-default-ipv4", `{"ip":"10.0.0.9"}`,
			wantRdata(s, "any.p.test", dns.TypeA, "10.0.0.9")},
		{"set-servfail", "/set-servfail", `{"host":"any.p.test."}`, wantRcode(s,
			"any.p.test", dns.RcodeServerFailure)},
		{"clear-servfail", "/clear-servfail", `{"host":"any.p.test."}`, wantRcode(s,
			"any.p.test", dns.RcodeSuccess)},
		{"add-http01", "/add-http01", `{"token":"tok","content":"tok.thumb"}`,
			wantHTTP01(s, "tok", "tok.thumb")},
		{"del-http01", "/del-http01", `{"token":"tok"}`, wantHTTP01(s, "tok", "")},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if code, body := post(t, api+st.path, st.body); code != http.StatusOK {
				t.Fatalf("status %d: %s", code, body)
			}
			st.check(t)
		})
	}
}

func TestPebbleHistory(t *testing.T) {
	s := startServer(t, dnsmock.Config{})
	query(t, s, "udp", "h.test", dns.TypeTXT)
	query(t, s, "tcp", "other.test", dns.TypeA)
	code, body := post(t, s.APIURL()+"/dns-request-history", `{"host":"h.test."}`)
	var events []struct {
		Question dns.Question
		Proto    string `json:"proto"`
		Time     time.Time
	}
	must(t, json.Unmarshal([]byte(body), &events))
	if code != http.StatusOK || len(events) != 1 || events[0].Question.Qtype != dns.TypeTXT ||
		events[0].Proto != "udp" || events[0].Time.IsZero() {
		t.Fatalf("status %d, history %s", code, body)
	}
	post(t, s.APIURL()+"/clear-request-history", `{"host":"h.test.","type":"dns"}`)
	if h := s.History("h.test", 0); len(h) != 0 {
		t.Errorf("history after clear: %v", h)
	}
	if h := s.History("", 0); len(h) != 1 {
		t.Errorf("other names' history lost: %v", h)
	}
}

func TestAPIBadInput(t *testing.T) {
	s := startServer(t, dnsmock.Config{})
	api := s.APIURL()
	tests := []struct {
		name, method, path, body string
		status                   int
	}{
		{"broken JSON", "POST", "/set-txt", `{"host":`, 400},
		{"bad name", "POST", "/set-txt", `{"host":"a..b","value":"v"}`, 400},
		{"bad address", "POST", "/add-a", `{"host":"a.test","addresses":["999.1.1.1"]}`, 400},
		{"IPv6 as A", "POST", "/add-a", `{"host":"a.test","addresses":["::1"]}`, 400},
		{"bad record", "POST", "/records", `{"records":["a.test. IN A nope"]}`, 400},
		{"SOA record", "POST", "/records", `{"records":["a.test. IN SOA a. b. 1 2 3 4 5"]}`, 400},
		{"bad fault", "POST", "/faults", `{"name":"a.test","kind":"boom"}`, 400},
		{"bad rate", "POST", "/failure-rate", `{"rate":2}`, 400},
		{"CAA tag too long", "POST", "/add-caa", `{"host":"a.test","policies":[{"tag":"` +
			strings.Repeat("t", 300) + `","value":"v"}]}`, 400},
		{"bad type", "GET", "/history?type=NOPE", ``, 400},
		{"GET on POST endpoint", "GET", "/set-txt", ``, 405},
		{"no responder", "POST", "/add-http01", `{"token":"t","content":"c"}`, 409},
		{"unknown history type", "POST", "/clear-request-history", `{"type":"tlsalpn"}`, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := call(t, tt.method, api+tt.path, tt.body)
			if code != tt.status {
				t.Fatalf("status %d, want %d: %s", code, tt.status, body)
			}
		})
	}
}

func TestNativeEndpoints(t *testing.T) {
	s := startServer(t, dnsmock.Config{})
	api := s.APIURL()
	body, _ := json.Marshal(map[string][]string{"records": {
		"mx.n.test. 120 IN MX 10 mail.n.test.", "n.test. IN CAA 0 issue \"ca.test\""}})
	if code, b := call(t, "POST", api+"/records", string(body)); code != 204 {
		t.Fatalf("add records: %d %s", code, b)
	}
	r := query(t, s, "udp", "mx.n.test", dns.TypeMX)
	if len(r.Answer) != 1 || r.Answer[0].Header().Ttl != 120 {
		t.Fatalf("MX answer %v", r.Answer)
	}
	if code, _ := post(t, api+"/ttl", `{"name":"mx.n.test","type":"MX","ttl":5}`); code != 204 {
		t.Fatalf("set ttl: %d", code)
	}
	if r := query(t, s, "udp", "mx.n.test", dns.TypeMX); r.Answer[0].Header().Ttl != 5 {
		t.Fatalf("TTL after /ttl: %v", r.Answer)
	}
	_, list := call(t, "GET", api+"/records?name=mx.n.test", "")
	if !strings.Contains(list, "MX\\t10 mail.n.test.") {
		t.Errorf("GET /records: %s", list)
	}
	if code, _ := call(t, "DELETE", api+"/records?name=mx.n.test&type=MX", ""); code != 204 {
		t.Fatalf("delete: %d", code)
	}
	if r := query(t, s, "udp", "mx.n.test", dns.TypeMX); r.Rcode != dns.RcodeNameError {
		t.Errorf("after delete: %s", dns.RcodeToString[r.Rcode])
	}
}

func wantRdata(s *dnsmock.Server, name string, qtype uint16, want ...string) func(*testing.T) {
	return func(t *testing.T) {
		t.Helper()
		r := query(t, s, "udp", name, qtype)
		var got []string
		for _, rr := range r.Answer {
			if rr.Header().Rrtype == qtype {
				got = append(got, rdata([]dns.RR{rr})...)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s %s = %q, want %q", name, dns.TypeToString[qtype], got, want)
		}
	}
}

func wantRcode(s *dnsmock.Server, name string, rcode int) func(*testing.T) {
	return func(t *testing.T) {
		t.Helper()
		if r := query(t, s, "udp", name, dns.TypeA); r.Rcode != rcode {
			t.Errorf("rcode %s, want %s", dns.RcodeToString[r.Rcode], dns.RcodeToString[rcode])
		}
	}
}

func wantHTTP01(s *dnsmock.Server, token, body string) func(*testing.T) {
	return func(t *testing.T) {
		t.Helper()
		url := "http://" + s.HTTP01().Addr() + "/.well-known/acme-challenge/" + token
		resp, err := http.Get(url)
		must(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if body == "" && resp.StatusCode != http.StatusNotFound ||
			body != "" && !bytes.Equal(b, []byte(body)) {
			t.Errorf("http-01 %s: status %d body %q, want %q", token, resp.StatusCode, b, body)
		}
	}
}
