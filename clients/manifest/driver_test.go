package manifest_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"acmeconform/clients"
	"acmeconform/clients/clientstest"
	"acmeconform/clients/manifest"
)

const example = "../../docs/examples/lego-manifest.yaml"

func legoDriver(t *testing.T, rec *clientstest.Recorder) *manifest.Driver {
	t.Helper()
	m, err := manifest.Load(example)
	if err != nil {
		t.Fatal(err)
	}
	return manifest.New(m, clients.Config{Runner: rec})
}

func request(scenario string, domains ...string) clients.Request {
	return clients.Request{
		Target: clients.Target{DirectoryURL: "https://10.9.0.1:14000/dir",
			CACertFile: "/work/ca.pem", DNSAddr: "10.9.0.1:53", HTTP01Port: 5002},
		Dir: "/work/state", Email: "admin@example.com", Domains: domains,
		Scenario: scenario,
	}
}

func TestDriverCommand(t *testing.T) {
	rec := &clientstest.Recorder{}
	d := legoDriver(t, rec)
	req := request("key-rsa", "a.example.com", "b.example.com")
	req.Key = clients.KeyRSA2048
	req.EAB = &clients.EAB{KID: "kid-1", HMACKey: "bWFj"}
	if _, err := d.Obtain(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	cmd := rec.Commands()[0]
	want := []string{"/usr/local/bin/lego", "--server=https://10.9.0.1:14000/dir",
		"--accept-tos", "--path=/work/state/.lego", "--email=admin@example.com",
		"--eab", "--kid=kid-1", "--hmac=bWFj", "--key-type=rsa2048",
		"--domains", "a.example.com", "--domains", "b.example.com",
		"--http", "--http.port=127.0.0.1:5002", "run"}
	if !slices.Equal(cmd.Argv, want) {
		t.Errorf("argv\n%q\nwant\n%q", cmd.Argv, want)
	}
	if !slices.Contains(cmd.Env, "LEGO_CA_CERTIFICATES=/work/ca.pem") {
		t.Errorf("env %q lacks the trust root", cmd.Env)
	}
	for _, e := range cmd.Env {
		if strings.HasPrefix(e, "RFC2136_TSIG") {
			t.Errorf("env %q: a TSIG variable without a TSIG key", e)
		}
	}
	wantCollect := []string{"/work/state/.lego/certificates/a.example.com.crt",
		"/work/state/.lego/certificates/a.example.com.key",
		"/work/state/.lego/accounts/*/admin@example.com/account.json"}
	if !slices.Equal(cmd.Collect, wantCollect) || cmd.Dir != "/work/state" {
		t.Errorf("collect %q in %s, want %q", cmd.Collect, cmd.Dir, wantCollect)
	}
}

func TestDriverLeavesOutGroupsWithoutValues(t *testing.T) {
	rec := &clientstest.Recorder{}
	req := request("wildcard", "w.example.com", "*.w.example.com")
	req.Target.TSIG = &clients.TSIG{Name: "acme-update.", Algorithm: "hmac-sha256",
		Secret: "c2VjcmV0"}
	if _, err := legoDriver(t, rec).Obtain(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	cmd := rec.Commands()[0]
	for _, a := range cmd.Argv {
		if strings.HasPrefix(a, "--eab") || strings.HasPrefix(a, "--key-type") {
			t.Errorf("argv %q holds %s, whose group has no value", cmd.Argv, a)
		}
	}
	for _, e := range []string{"RFC2136_TSIG_KEY=acme-update.",
		"RFC2136_TSIG_ALGORITHM=hmac-sha256.", "RFC2136_NAMESERVER=10.9.0.1:53"} {
		if !slices.Contains(cmd.Env, e) {
			t.Errorf("env %q lacks %s", cmd.Env, e)
		}
	}
	if !slices.Contains(cmd.Collect, "/work/state/.lego/certificates/w.example.com.crt") {
		t.Errorf("collect %q", cmd.Collect)
	}
}

func TestDriverReadsOutputs(t *testing.T) {
	chain := "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
	rec := &clientstest.Recorder{Result: func(cmd clients.Command) clients.Result {
		return clients.Result{Files: map[string][]byte{
			"/work/state/.lego/certificates/r.example.com.crt": []byte(chain),
			"/work/state/.lego/accounts/10.9.0.1_14000/admin@example.com/account.json": []byte(
				`{"registration":{"uri":"https://10.9.0.1:14000/acme/acct/7"}}`),
		}}
	}}
	out, err := legoDriver(t, rec).Register(context.Background(), request("register",
		"r.example.com"))
	if err != nil {
		t.Fatal(err)
	}
	if string(out.Chain) != chain {
		t.Errorf("chain %q", out.Chain)
	}
	if out.Account != "https://10.9.0.1:14000/acme/acct/7" {
		t.Errorf("account %q", out.Account)
	}
}

func TestDriverScenarioWithoutCommand(t *testing.T) {
	d := legoDriver(t, &clientstest.Recorder{})
	if c := d.Capabilities(); !c.EAB || !c.PreferredChain {
		t.Errorf("capabilities %+v: the example names {eab_kid} and {preferred_chain}", c)
	}
	if err := d.CanRun("revoke"); err != nil {
		t.Errorf("revoke: %v", err)
	}
	err := d.CanRun("profile")
	if err == nil || err.Error() != "manifest gives no command for profile" {
		t.Errorf("profile: %v", err)
	}
	if _, err := d.Renew(context.Background(), request("http-01", "x.test")); !errors.Is(err,
		clients.ErrUnsupported) {
		t.Errorf("renew in a scenario that only obtains: %v", err)
	}
}

func TestDriverVersion(t *testing.T) {
	clientstest.CheckVersion(t, func(rec *clientstest.Recorder) clients.Driver {
		return legoDriver(t, rec)
	}, []clientstest.VersionCase{
		{Name: "release", Output: "lego version v4.35.2 linux/amd64\n", Want: "v4.35.2"},
		{Name: "failed", Output: "lego version v4.35.2\n", Exit: 2, WantErr: true},
	})
}

func TestDriverCertFromStdout(t *testing.T) {
	m, err := manifest.Parse([]byte(`name: printer
version: "2.0"
image: printer:2
outputs: {cert: stdout}
scenarios:
  http-01: [printer, "{domains}"]
`), "printer.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pem := "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
	rec := &clientstest.Recorder{Result: func(clients.Command) clients.Result {
		return clients.Result{Output: []byte("issued:\n" + pem + "done\n")}
	}}
	d := manifest.New(m, clients.Config{Runner: rec})
	out, err := d.Obtain(context.Background(), request("http-01", "p.test"))
	if err != nil || string(out.Chain) != pem {
		t.Errorf("chain %q, %v", out.Chain, err)
	}
	if v, err := d.Version(context.Background()); v != "2.0" || err != nil {
		t.Errorf("version %q, %v", v, err)
	}
}

func TestDriverRobustFamily(t *testing.T) {
	rec := &clientstest.Recorder{}
	d := legoDriver(t, rec)
	if err := d.CanRun("robust-badnonce-on-first-post"); err != nil {
		t.Fatalf("a robustness scenario: %v", err)
	}
	req := request("robust-directory-without-meta", "q.example.com")
	if _, err := d.Obtain(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if got := rec.Commands()[0].Argv; got[len(got)-1] != "run" {
		t.Errorf("argv %q, want the http-01 command", got)
	}
}

func TestDriverTrustPath(t *testing.T) {
	ca := filepath.Join(t.TempDir(), "ca.pem")
	pem := "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
	if err := os.WriteFile(ca, []byte(pem), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Parse([]byte(`name: t
version: "1"
image: t:1
trust: {path: /etc/t/ca.pem, system: true}
outputs: {cert: stdout}
scenarios:
  http-01: [t, --ca, "{ca_bundle}", "{domains}"]
`), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rec := &clientstest.Recorder{}
	req := request("http-01", "t.test")
	req.Target.CACertFile = ca
	if _, err := manifest.New(m, clients.Config{Runner: rec}).Obtain(context.Background(),
		req); err != nil {
		t.Fatal(err)
	}
	cmd := rec.Commands()[0]
	if !slices.Equal(cmd.Argv, []string{"t", "--ca", "/etc/t/ca.pem", "t.test"}) ||
		cmd.SystemTrust != "/etc/t/ca.pem" {
		t.Errorf("argv %q, system trust %q", cmd.Argv, cmd.SystemTrust)
	}
	if len(cmd.Files) != 1 || cmd.Files[0].Path != "/etc/t/ca.pem" ||
		string(cmd.Files[0].Data) != pem {
		t.Errorf("files %+v, want the trust root at /etc/t/ca.pem", cmd.Files)
	}
}
