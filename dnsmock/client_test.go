package dnsmock_test

import (
	"io"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/miekg/dns"

	"acmeconform/dnsmock"
)

func TestClient(t *testing.T) {
	s := startServer(t, dnsmock.Config{})
	c := dnsmock.NewClient(s.APIURL()+"/", &http.Client{Timeout: 5 * time.Second})
	name := "_acme-challenge.client.test"

	must(t, c.AddTXT(bg(), name, "one"))
	must(t, c.AddTXT(bg(), name, "two"))
	wantRdata(s, name, dns.TypeTXT, `"one"`, `"two"`)(t)
	must(t, c.ClearTXT(bg(), name))
	wantRdata(s, name, dns.TypeTXT)(t)

	must(t, c.AddA(bg(), "client.test", "192.0.2.44"))
	wantRdata(s, "client.test", dns.TypeA, "192.0.2.44")(t)
	acct := "ca.test; accounturi=https://ca.test/acct/1; validationmethods=dns-01"
	must(t, c.AddCAA(bg(), "client.test", 0, "issue", acct))
	wantRdata(s, "client.test", dns.TypeCAA, `0 issue "`+acct+`"`)(t)
	must(t, c.ClearCAA(bg(), "client.test"))
	wantRdata(s, "client.test", dns.TypeCAA)(t)
	must(t, c.AddRecords(bg(), "client.test. 60 IN TXT \"raw\""))
	wantRdata(s, "client.test", dns.TypeTXT, `"raw"`)(t)

	must(t, c.SetFault(bg(), "client.test", dnsmock.Fault{Kind: dnsmock.FaultRefused,
		Qtype: dns.TypeTXT}))
	if r := query(t, s, "udp", "client.test", dns.TypeTXT); r.Rcode != dns.RcodeRefused {
		t.Fatalf("fault via client: %s", dns.RcodeToString[r.Rcode])
	}
	must(t, c.ClearFault(bg(), ""))

	h, err := c.History(bg(), "client.test", "TXT")
	must(t, err)
	if len(h) < 2 {
		t.Fatalf("history %+v", h)
	}
	must(t, c.ClearHistory(bg(), ""))
	if h, _ := c.History(bg(), "", ""); len(h) != 0 {
		t.Fatalf("history after clear %+v", h)
	}
	if err := c.AddTXT(bg(), "bad..name", "v"); err == nil {
		t.Error("bad name accepted")
	}
}

func TestResponder(t *testing.T) {
	r, err := dnsmock.NewResponder(dnsmock.ResponderConfig{})
	must(t, err)
	must(t, r.Start())
	t.Cleanup(func() { must(t, r.Close()) })
	must(t, r.AddToken(bg(), "any", "any.ka"))
	must(t, r.AddHostToken("a.test", "host", "host.ka"))
	must(t, r.AddHostToken("", "host", "fallback.ka"))
	if err := r.AddToken(bg(), "a/b", "x"); err == nil {
		t.Error("token with a slash accepted")
	}
	tests := []struct {
		name, host, path string
		status           int
		body             string
	}{
		{"any host", "b.test", "/.well-known/acme-challenge/any", 200, "any.ka"},
		{"host token", "A.test:5002", "/.well-known/acme-challenge/host", 200, "host.ka"},
		{"fallback", "c.test", "/.well-known/acme-challenge/host", 200, "fallback.ka"},
		{"unknown token", "a.test", "/.well-known/acme-challenge/nope", 404, ""},
		{"other path", "a.test", "/any", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", "http://"+r.Addr()+tt.path, nil)
			req.Host = tt.host
			resp, err := http.DefaultClient.Do(req)
			must(t, err)
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || (tt.body != "" && string(b) != tt.body) {
				t.Fatalf("status %d body %q", resp.StatusCode, b)
			}
		})
	}
	must(t, r.RemoveToken(bg(), "any"))
	resp, err := http.Get("http://" + r.Addr() + "/.well-known/acme-challenge/any")
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("removed token still served: %d", resp.StatusCode)
	}
}

func TestCAAWithDig(t *testing.T) {
	s := startServer(t, dnsmock.Config{})
	must(t, s.AddCAA("caa.test", 0, "issue", "ca.test; accounturi=https://ca.test/a/1"))
	must(t, s.AddCAA("caa.test", 0, "issuewild", ";"))
	must(t, s.AddCAA("caa.test", 0, "iodef", "mailto:sec@caa.test"))
	must(t, s.AddCAA("caa.test", 128, "future", "x"))
	must(t, s.SetCNAME("alias.caa.test", "caa.test"))
	for _, tcp := range []bool{false, true} {
		got := dig(t, s, tcp, "CAA", "alias.caa.test")
		want := []string{
			`0 iodef "mailto:sec@caa.test"`,
			`0 issue "ca.test; accounturi=https://ca.test/a/1"`,
			`0 issuewild ";"`,
			`128 future "x"`,
			`caa.test.`,
		}
		if !slices.Equal(got, want) {
			t.Errorf("dig CAA via CNAME (tcp=%v): %q", tcp, got)
		}
	}
}
