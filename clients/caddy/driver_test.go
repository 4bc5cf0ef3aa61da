package caddy_test

import (
	"context"
	"flag"
	"path"
	"strings"
	"testing"

	"acmeconform/clients"
	"acmeconform/clients/caddy"
	"acmeconform/clients/clientstest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func newDriver(rec *clientstest.Recorder) clients.Driver {
	return caddy.New(clients.Config{Binary: "/usr/bin/caddy", Runner: rec})
}

// TestCommands checks the command lines, files and environment the driver
// builds for each operation against golden files.
func TestCommands(t *testing.T) {
	clientstest.CheckCommands(t, newDriver, *update)
}

// versionOutput is what the client prints for "version".
const versionOutput = "v2.11.9 h1:abc=\n"

func TestVersion(t *testing.T) {
	clientstest.CheckVersion(t, newDriver, []clientstest.VersionCase{
		{Name: "release", Output: versionOutput, Want: "v2.11.9"},
		{Name: "bare", Output: "v2.11.9\n", Want: "v2.11.9"},
		{Name: "after a log line", Output: "{\"level\":\"warn\"}\nv2.11.9\n", Want: "v2.11.9"},
		{Name: "failing", Output: versionOutput, Exit: 1, WantErr: true},
	})
}

// TestObtainOutcome checks how the driver reads Caddy's storage and log.
func TestObtainOutcome(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		wantExit int
		wantOut  string
	}{
		{name: "issued", wantExit: 0, wantOut: "obtained", files: map[string]string{
			"/s/data/certificates/ca/a.test/a.test.crt": "CHAIN",
			"/s/caddy.log": "obtained",
		}},
		{name: "refused", wantExit: 1, wantOut: "urn:ietf:params:acme:error:unauthorized",
			files: map[string]string{"/s/caddy.log": "could not get certificate from issuer: " +
				"urn:ietf:params:acme:error:unauthorized"}},
		{name: "not running", wantExit: 1, wantOut: "not running"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &clientstest.Recorder{Result: func(cmd clients.Command) clients.Result {
				files := map[string][]byte{}
				for _, pattern := range cmd.Collect {
					for p, b := range tc.files {
						if ok, _ := path.Match(pattern, p); ok {
							files[p] = []byte(b)
						}
					}
				}
				return clients.Result{Files: files}
			}}
			req := clients.Request{Dir: "/s", Domains: []string{"a.test"},
				Challenge: clients.ChallengeHTTP01, Target: clients.Target{
					DirectoryURL: "https://ca.test/dir", HTTP01Port: 5002}}
			out, err := newDriver(rec).Obtain(context.Background(), req)
			if err != nil {
				t.Fatalf("Obtain: %v", err)
			}
			if out.ExitCode != tc.wantExit || !strings.Contains(out.Output, tc.wantOut) {
				t.Errorf("exit %d output %q, want %d and %q", out.ExitCode, out.Output,
					tc.wantExit, tc.wantOut)
			}
			if last := rec.Commands()[len(rec.Commands())-1]; last.Argv[1] != "stop" {
				t.Errorf("last command %v, want caddy stop", last.Argv)
			}
		})
	}
}

// TestDNS01Resolvers checks that for dns-01 Caddy publishes through the
// run's DNS server with the run's TSIG key and resolves through that
// server alone: with no resolvers given, Caddy would look up the zone and
// check propagation through the system's resolvers or public ones.
func TestDNS01Resolvers(t *testing.T) {
	tsig := &clients.TSIG{Name: "k.", Algorithm: "hmac-sha512", Secret: "c2VjcmV0"}
	tests := []struct {
		name    string
		target  clients.Target
		want    []string
		wantErr bool
	}{
		{name: "run's server and key", target: clients.Target{DNSAddr: "172.18.0.1:53",
			TSIG: tsig}, want: []string{`server "172.18.0.1:53"`, `key_name "k."`,
			`key_alg "hmac-sha512"`, `key "c2VjcmV0"`}},
		{name: "no TSIG key", target: clients.Target{DNSAddr: "172.18.0.1:53"}, wantErr: true},
		{name: "no DNS server", target: clients.Target{TSIG: tsig}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &clientstest.Recorder{}
			tc.target.DirectoryURL, tc.target.HTTP01Port = "https://ca.test/dir", 5002
			req := clients.Request{Dir: "/s", Domains: []string{"a.test"},
				Challenge: clients.ChallengeDNS01, Target: tc.target}
			_, err := newDriver(rec).Obtain(context.Background(), req)
			if tc.wantErr {
				if err == nil || len(rec.Commands()) != 0 {
					t.Fatalf("Obtain = %v after %d commands, want an error and none",
						err, len(rec.Commands()))
				}
				return
			}
			if err != nil {
				t.Fatalf("Obtain: %v", err)
			}
			conf := string(rec.Commands()[0].Files[0].Data)
			var resolvers []string
			for line := range strings.Lines(conf) {
				if f := strings.Fields(line); len(f) > 0 && f[0] == "resolvers" {
					resolvers = append(resolvers, f[1:]...)
				}
			}
			if len(resolvers) != 1 || resolvers[0] != `"`+tc.target.DNSAddr+`"` {
				t.Errorf("resolvers %q, want the run's DNS server %s only", resolvers,
					tc.target.DNSAddr)
			}
			for _, w := range append(tc.want, "dns rfc2136 {", "disable_http_challenge") {
				if !strings.Contains(conf, w) {
					t.Errorf("Caddyfile lacks %q:\n%s", w, conf)
				}
			}
		})
	}
}
