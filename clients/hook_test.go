package clients

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

func TestDNSHookFuncsRefusesBadURLs(t *testing.T) {
	tests := []struct {
		name string
		url  string
	}{
		{name: "empty", url: ""},
		{name: "no scheme", url: "127.0.0.1:8055"},
		{name: "other scheme", url: "ftp://127.0.0.1:8055"},
		{name: "no host", url: "http://"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := DNSHookFuncs(tc.url); err == nil {
				t.Fatalf("DNSHookFuncs(%q) = nil error", tc.url)
			}
		})
	}
}

// TestDNSHookFuncsCallsAPI runs the shell functions against a recording
// API server and checks the requests they make.
func TestDNSHookFuncsCallsAPI(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	var mu sync.Mutex
	var got []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Method+" "+r.URL.Path+" "+string(b))
		mu.Unlock()
	}))
	defer api.Close()

	funcs, err := DNSHookFuncs(api.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	script := funcs + `set_txt _acme-challenge.a.example.com abc-_1
set_txt _acme-challenge.a.example.com. def
clear_txt _acme-challenge.a.example.com
`
	if out, err := exec.Command("sh", "-c", script).CombinedOutput(); err != nil {
		t.Fatalf("hook script: %v\n%s", err, out)
	}
	want := []string{
		`POST /set-txt {"host":"_acme-challenge.a.example.com.","value":"abc-_1"}`,
		`POST /set-txt {"host":"_acme-challenge.a.example.com.","value":"def"}`,
		`POST /clear-txt {"host":"_acme-challenge.a.example.com."}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestShellQuote(t *testing.T) {
	tests := []struct{ name, in string }{
		{name: "plain", in: "abc"},
		{name: "spaces", in: "a b  c"},
		{name: "quote", in: `it's "x" $HOME`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := exec.Command("sh", "-c", "printf '%s' "+ShellQuote(tc.in)).Output()
			if err != nil || string(out) != tc.in {
				t.Fatalf("sh printed %q (%v), want %q", out, err, tc.in)
			}
		})
	}
}
