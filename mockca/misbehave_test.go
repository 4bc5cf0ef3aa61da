package mockca

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"acmeconform/acme"
)

func TestParseMisbehaviours(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    int
		wantErr bool
	}{
		{name: "empty", in: "", want: 0},
		{name: "one", in: "nonce-reuse-accepted", want: 1},
		{name: "two with spaces", in: " nonce-reuse-accepted , link-index-missing,", want: 2},
		{name: "unknown", in: "nonce-reuse-accepted,no-such-thing", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMisbehaviours(tt.in)
			if (err != nil) != tt.wantErr || len(got) != tt.want {
				t.Fatalf("ParseMisbehaviours(%q) = %v, %v", tt.in, got, err)
			}
		})
	}
}

func TestMisbehaviourTable(t *testing.T) {
	seen := map[Misbehaviour]bool{}
	for _, m := range Misbehaviours() {
		if seen[m.Name] || m.Requirement == "" || m.Description == "" ||
			strings.Contains(m.Description, "\n") {
			t.Errorf("misbehaviour %+v: duplicate or incomplete", m)
		}
		seen[m.Name] = true
	}
	if len(seen) < 40 {
		t.Errorf("%d misbehaviours, want at least 40", len(seen))
	}
}

func TestNewRefusesUnknownMisbehaviour(t *testing.T) {
	if _, err := New(Config{Misbehave: []Misbehaviour{"no-such-thing"}}); err == nil {
		t.Fatal("New accepted an unknown misbehaviour")
	}
}

// reuseNonce sends a POST-as-GET of rc's account twice with one nonce and
// returns the status of the second.
func reuseNonce(t *testing.T, rc *rawClient) int {
	t.Helper()
	h := rc.header(rc.kid)
	first := rc.send(rc.kid, es256(rc.key, h, nil))
	first.Body.Close()
	again := rc.send(rc.kid, es256(rc.key, h, nil))
	again.Body.Close()
	return again.StatusCode
}

func TestMisbehaviourScopes(t *testing.T) {
	e := startEnv(t, nil)
	a, b := newRawClient(t, e), newRawClient(t, e)
	a.register()
	b.register()
	if got := reuseNonce(t, a); got != http.StatusBadRequest {
		t.Fatalf("well-behaved CA answered a reused nonce with %d", got)
	}
	if err := e.ca.SetAccountMisbehaviours(a.kid, []Misbehaviour{MisNonceReuse}); err != nil {
		t.Fatal(err)
	}
	if got := reuseNonce(t, a); got != http.StatusOK {
		t.Errorf("account with nonce-reuse-accepted: reused nonce got %d, want 200", got)
	}
	if got := reuseNonce(t, b); got != http.StatusBadRequest {
		t.Errorf("other account: reused nonce got %d, want 400", got)
	}
	if err := e.ca.SetMisbehaviours([]Misbehaviour{MisNonceReuse}); err != nil {
		t.Fatal(err)
	}
	if got := reuseNonce(t, b); got != http.StatusOK {
		t.Errorf("CA-wide nonce-reuse-accepted: reused nonce got %d, want 200", got)
	}
}

func TestManagementMisbehaviours(t *testing.T) {
	e := startEnv(t, nil)
	url := e.ca.ManagementURL() + "/misbehaviours"
	post := func(body string) (int, misbehaviourState) {
		resp, err := http.Post(url, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var st misbehaviourState
		_ = json.NewDecoder(resp.Body).Decode(&st)
		return resp.StatusCode, st
	}
	if code, _ := post(`{"names":["no-such-thing"]}`); code != http.StatusBadRequest {
		t.Errorf("unknown name: HTTP %d, want 400", code)
	}
	code, st := post(`{"names":["link-index-missing"]}`)
	if code != http.StatusOK || len(st.Enabled) != 1 || len(st.Available) < 40 {
		t.Fatalf("switch on: HTTP %d, state %+v", code, st)
	}
	resp, err := newRawClient(t, e).http.Head(e.ca.DirectoryURL())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if l := resp.Header.Get("Link"); l != "" {
		t.Errorf("link-index-missing on, yet Link: %s", l)
	}
	if code, st = post(`{"names":[],"account":"acct-1"}`); code != http.StatusOK ||
		len(st.Accounts) != 0 {
		t.Errorf("clear an account: HTTP %d, state %+v", code, st)
	}
}

func TestResponseMisbehaviours(t *testing.T) {
	tests := []struct {
		name  string
		mis   Misbehaviour
		check func(resp *http.Response) bool
	}{
		{"newNonce GET 200", MisNonceGet200,
			func(r *http.Response) bool { return r.StatusCode == http.StatusOK }},
		{"newNonce cacheable", MisNonceCacheable, func(r *http.Response) bool {
			return !strings.Contains(r.Header.Get("Cache-Control"), "no-store")
		}},
		{"no index link", MisNoIndexLink,
			func(r *http.Response) bool { return r.Header.Get("Link") == "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := startEnv(t, func(c *Config) { c.Misbehave = []Misbehaviour{tt.mis} })
			rc := newRawClient(t, e)
			resp, err := rc.http.Get(rc.dir.NewNonce)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if !tt.check(resp) {
				t.Errorf("%s on, yet HTTP %d %v", tt.mis, resp.StatusCode, resp.Header)
			}
		})
	}
}

func TestDirectoryMisbehaviours(t *testing.T) {
	e := startEnv(t, func(c *Config) { c.Misbehave = []Misbehaviour{MisDirectoryHTTP} })
	rc := newRawClient(t, e)
	resp, err := rc.http.Get(e.ca.DirectoryURL())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	if !strings.Contains(buf.String(), `"http://`) || resp.Header.Get("Content-Type") !=
		acme.MediaJSON {
		t.Errorf("directory-http-url on, yet %s %s", resp.Header.Get("Content-Type"), buf.String())
	}
}
