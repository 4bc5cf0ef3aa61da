package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"acmeconform/internal/ports/portstest"
	"acmeconform/reports"
)

// pebbleScenarios keeps the test short: every client registers, binds
// its account with the run's one EAB key and obtains a certificate by
// http-01; lego also by dns-01 and renews; two scenarios that need
// controls the run lacks show their skips. uacme's http-01 is left out:
// uacme 1.7.4 gives up on an authorization holding a challenge without a
// token, and Pebble offers one (dns-persist-01) in every authorization.
const pebbleScenarios = "(scenario:register || scenario:eab || scenario:http-01 || " +
	"scenario:ari || (client:lego && (scenario:dns-01 || scenario:renew || " +
	"scenario:robust-order-processing-3s))) && !(client:uacme && scenario:http-01)"

// TestRunClientsAgainstPebble drives the real clients against a Pebble
// the test starts, resolving through the run's mock DNS server, through
// `acmeconform run --suite clients --directory`: the certificates issue,
// what the run cannot do with a server it does not control is skipped
// with the reason, and the report names the endpoint of every client row.
func TestRunClientsAgainstPebble(t *testing.T) {
	lego := repoBin(t, "lego")
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	hmac := base64.RawURLEncoding.EncodeToString(key)
	p := startPebbleWith(t, pebbleOptions{eabKID: "kid-e2e", eabHMAC: hmac, retryAfter: 1})
	out := filepath.Join(p.dir, "out")
	res := runBinary(t, 5*time.Minute, "run", "--suite", "clients",
		"--directory", p.directory, "--ca-cert", p.tlsRoot,
		"--dns-addr", fmt.Sprintf("127.0.0.1:%d", p.dnsPort),
		"--http01-addr", fmt.Sprintf("127.0.0.1:%d", p.httpPort),
		"--eab-kid", "kid-e2e", "--eab-hmac", hmac, "--lego", lego,
		"--label-filter", pebbleScenarios, "--out", out, "--seed", "11")
	if res.code != exitOK {
		t.Fatalf("exit code %d; stdout:\n%s\nstderr:\n%s\npebble:\n%s",
			res.code, res.stdout, res.stderr, p.log)
	}
	rep := readReport(t, out)
	if len(rep.Targets) != 1 || rep.Targets[0].Directory != p.directory ||
		rep.Targets[0].Side != "client" {
		t.Fatalf("targets %+v, want the one client target at %s", rep.Targets, p.directory)
	}
	target := rep.Targets[0].Name
	results := map[string]map[string]reports.ClientResult{}
	for _, c := range rep.ClientResults() {
		if c.Target != target {
			t.Errorf("%s %s ran against %q, not %q", c.Client, c.Scenario, c.Target, target)
		}
		if results[c.Client] == nil {
			results[c.Client] = map[string]reports.ClientResult{}
		}
		results[c.Client][c.Scenario] = c
	}
	for _, name := range installedClients() {
		checkClientOnPebble(t, name, results[name])
	}
	checkEndpointShown(t, out, target, p.directory)
	assertNoSecrets(t, runOutputs(t, res, out), encodings(key)...)
	t.Logf("run took %s", res.elapsed)
}

// installedClients lists lego and the Debian-packaged clients present.
func installedClients() []string {
	names := []string{"lego"}
	for _, n := range []string{"certbot", "dehydrated", "uacme"} {
		if _, err := exec.LookPath(n); err == nil {
			names = append(names, n)
		}
	}
	return names
}

// checkClientOnPebble: the certificates issue, and every scenario that
// needs a control Pebble's run does not give is skipped with the reason.
func checkClientOnPebble(t *testing.T, name string, got map[string]reports.ClientResult) {
	t.Helper()
	if len(got) == 0 {
		t.Errorf("%s: no results against Pebble", name)
		return
	}
	want := map[string]reports.Verdict{"register": reports.VerdictPass,
		"eab": reports.VerdictSkip, "ari": reports.VerdictSkip}
	if name != "uacme" {
		want["http-01"] = reports.VerdictPass
	}
	if name == "lego" {
		want["dns-01"], want["renew"] = reports.VerdictPass, reports.VerdictPass
		want["robust-order-processing-3s"] = reports.VerdictSkip
	}
	for sc, v := range want {
		if got[sc].Verdict != v {
			t.Errorf("%s %s: %q, want %q: %+v", name, sc, got[sc].Verdict, v, got[sc].Evidence())
		}
	}
	var line []string
	for sc, r := range got {
		line = append(line, fmt.Sprintf("%s=%s(%s)", sc, r.Verdict, r.Duration.Round(time.Second/10)))
		for _, s := range r.Specs {
			if s.State == reports.StateSkipped && strings.TrimSpace(s.Message) == "" {
				t.Errorf("%s %s skipped without a reason", name, sc)
			}
		}
		if r.Verdict != reports.VerdictPass && r.Verdict != reports.VerdictSkip {
			t.Errorf("%s %s: %s: %+v", name, sc, r.Verdict, r.Evidence())
		}
	}
	t.Logf("%s: %s", name, strings.Join(line, " "))
}

// checkEndpointShown: the Markdown summary's client rows name the target
// and its directory URL.
func checkEndpointShown(t *testing.T, out, target, directory string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, clients, _ := strings.Cut(string(b), "## Clients")
	for _, l := range strings.Split(clients, "\n") {
		if strings.Contains(l, "| lego |") {
			if !strings.Contains(l, target) || !strings.Contains(l, directory) {
				t.Errorf("client row does not name %s at %s: %s", target, directory, l)
			}
			return
		}
	}
	t.Errorf("no lego row in the summary's client matrix:\n%s", clients)
}

// TestRunClientsWithValidatedNames runs the clients against a server that
// cannot reach them (--challenges none), as a remote commercial CA cannot:
// `acmeconform serve` (atlas) validated a name beforehand for the EAB
// customer, and the clients' accounts, bound with the same key, order it
// without a challenge; scenarios that need names of their own are skipped.
func TestRunClientsWithValidatedNames(t *testing.T) {
	lego := repoBin(t, "lego")
	dir := t.TempDir()
	acme, http01 := portstest.Loopback(t), portstest.Loopback(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	serve := exec.CommandContext(ctx, binary, "serve", "--listen", fmt.Sprintf("127.0.0.1:%d", acme),
		"--management", fmt.Sprintf("127.0.0.1:%d", portstest.Loopback(t)),
		"--dns", fmt.Sprintf("127.0.0.1:%d", portstest.Loopback(t)),
		"--dns-api", fmt.Sprintf("127.0.0.1:%d", portstest.Loopback(t)),
		"--http01-port", fmt.Sprint(http01), "--state-dir", dir)
	var out syncBuffer
	serve.Stdout, serve.Stderr = &out, &out
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = serve.Wait() })
	waitListening(t, fmt.Sprintf("127.0.0.1:%d", acme))
	kid, hmac := serveEAB(t, &out)
	directory := fmt.Sprintf("https://127.0.0.1:%d/directory", acme)
	tlsRoot := filepath.Join(dir, "tls-root.pem")

	const name = "validated.acmeconform.test"
	pre := exec.CommandContext(ctx, lego, "--server", directory, "--accept-tos",
		"--email", "dev@example.com", "--path", filepath.Join(dir, "pre"), "--eab", "--kid", kid,
		"--hmac", hmac, "--http", "--http.port", fmt.Sprintf("127.0.0.1:%d", http01),
		"--domains", name, "run")
	pre.Env = append(os.Environ(), "LEGO_CA_CERTIFICATES="+tlsRoot)
	if b, err := pre.CombinedOutput(); err != nil {
		t.Fatalf("validate %s beforehand: %v\n%s", name, err, b)
	}

	rep := filepath.Join(dir, "out")
	res := runBinary(t, 3*time.Minute, "run", "--suite", "clients", "--directory", directory,
		"--ca-cert", tlsRoot, "--challenges", "none", "--validated-names", name,
		"--eab-kid", kid, "--eab-hmac", hmac, "--lego", lego,
		"--dns-addr", fmt.Sprintf("127.0.0.1:%d", portstest.Loopback(t)),
		"--http01-addr", fmt.Sprintf("127.0.0.1:%d", portstest.Loopback(t)),
		"--label-filter", "client:lego && (scenario:http-01 || scenario:renew || scenario:wildcard)",
		"--out", rep, "--seed", "5")
	if res.code != exitOK {
		t.Fatalf("exit code %d; stdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	got := map[string]reports.ClientResult{}
	for _, c := range readReport(t, rep).ClientResults() {
		got[c.Scenario] = c
	}
	for sc, v := range map[string]reports.Verdict{"http-01": reports.VerdictPass,
		"renew": reports.VerdictPass, "wildcard": reports.VerdictSkip} {
		if got[sc].Verdict != v {
			t.Errorf("lego %s: %q, want %q: %+v", sc, got[sc].Verdict, v, got[sc].Evidence())
		}
	}
	for sc, c := range got {
		t.Logf("lego %s: %s in %s", sc, c.Verdict, c.Duration)
	}
	if w := got["wildcard"]; len(w.Specs) != 1 ||
		!strings.Contains(w.Specs[0].Message, "only names validated already") {
		t.Errorf("wildcard skipped without the reason: %+v", w.Specs)
	}
}

// serveEAB reads the MAC key `acmeconform serve` prints from its lego
// command line.
func serveEAB(t *testing.T, out *syncBuffer) (kid, hmac string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		f := strings.Fields(out.String())
		for i := range f {
			if f[i] == "--kid" && i+3 < len(f) && f[i+2] == "--hmac" {
				return f[i+1], f[i+3]
			}
		}
		time.Sleep(50 * time.Millisecond) // serve prints its banner once it listens
	}
	t.Fatalf("serve printed no MAC key:\n%s", out.String())
	return "", ""
}

// A server that resolves elsewhere than the run's mock DNS server fails
// the clients' scenarios; the run blames the setup (exit 3, naming the
// address), not the server.
func TestRunClientsBlamesSetupWhenTheServerResolvesElsewhere(t *testing.T) {
	lego := repoBin(t, "lego")
	p := startPebble(t)
	wrong := fmt.Sprintf("127.0.0.1:%d", portstest.Loopback(t))
	out := filepath.Join(p.dir, "out")
	res := runBinary(t, 3*time.Minute, "run", "--suite", "clients", "--quiet",
		"--directory", p.directory, "--ca-cert", p.tlsRoot, "--dns-addr", wrong,
		"--http01-addr", fmt.Sprintf("127.0.0.1:%d", p.httpPort), "--lego", lego,
		"--label-filter", "client:lego && scenario:http-01", "--out", out)
	if res.code != exitInfra {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", res.code, exitInfra, res.stderr)
	}
	if !strings.Contains(res.stderr, "never queried the mock DNS server on "+wrong) {
		t.Errorf("stderr does not name the DNS address:\n%s", res.stderr)
	}
}

// TestRunClientsInContainersAgainstPebble: in container mode against a
// server on the host's loopback the client containers share the host's
// network stack, so lego in its container reaches Pebble, and Pebble the
// http-01 server lego binds on 127.0.0.1.
func TestRunClientsInContainersAgainstPebble(t *testing.T) {
	requireEngine(t)
	p := startPebbleWith(t, pebbleOptions{retryAfter: 1})
	out := filepath.Join(p.dir, "out")
	args := append(containerArgs(t, out, "client:lego && (scenario:http-01 || scenario:dns-01)"),
		"--directory", p.directory, "--ca-cert", p.tlsRoot,
		"--dns-addr", fmt.Sprintf("127.0.0.1:%d", p.dnsPort),
		"--http01-addr", fmt.Sprintf("127.0.0.1:%d", p.httpPort))
	res := runBinary(t, 10*time.Minute, args...)
	t.Logf("run took %s", res.elapsed.Round(time.Millisecond))
	if res.code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s\npebble:\n%s", res.code, res.stdout,
			res.stderr, p.log)
	}
	rep := readReport(t, out)
	passed := map[string]bool{}
	for _, c := range rep.ClientResults() {
		if c.Client == "lego" && c.Verdict == reports.VerdictPass && c.Target == rep.Targets[0].Name {
			passed[c.Scenario] = true
		}
	}
	if !passed["http-01"] || !passed["dns-01"] || rep.Targets[0].Directory != p.directory {
		t.Errorf("lego in a container against %s passed %v; targets %+v", p.directory, passed,
			rep.Targets)
	}
	for _, c := range rep.Clients {
		if c.Name == "lego" && c.Mode != "container" {
			t.Errorf("lego ran in mode %q", c.Mode)
		}
	}
}

// Runs of the clients against two servers merge into one report whose
// client matrix has a row per server, each naming its directory.
func TestMergedClientRunsKeepServersApart(t *testing.T) {
	lego := repoBin(t, "lego")
	dir := t.TempDir()
	var files, dirs []string
	for i := range 2 {
		p := startPebbleWith(t, pebbleOptions{retryAfter: 1})
		out := filepath.Join(dir, fmt.Sprint(i))
		res := runBinary(t, 3*time.Minute, "run", "--suite", "clients", "--quiet",
			"--directory", p.directory, "--ca-cert", p.tlsRoot, "--lego", lego,
			"--dns-addr", fmt.Sprintf("127.0.0.1:%d", p.dnsPort),
			"--http01-addr", fmt.Sprintf("127.0.0.1:%d", p.httpPort),
			"--label-filter", "client:lego && scenario:register", "--seed", "9", "--out", out)
		if res.code != exitOK {
			t.Fatalf("run against %s: exit %d\n%s", p.directory, res.code, res.stderr)
		}
		files, dirs = append(files, filepath.Join(out, "report.json")), append(dirs, p.directory)
	}
	merged := filepath.Join(dir, "merged")
	res := runBinary(t, time.Minute, append([]string{"report", "merge", "--out", merged}, files...)...)
	if res.code != exitOK {
		t.Fatalf("merge: exit %d\n%s", res.code, res.stderr)
	}
	rows := readReport(t, merged).ClientMatrix().Rows
	if len(rows) != 2 || rows[0].Target.Directory == rows[1].Target.Directory {
		t.Fatalf("merged client matrix rows %+v, want lego once per server", rows)
	}
	for _, d := range dirs {
		checkOneRowNames(t, merged, d)
	}
}

// checkOneRowNames: one lego row of the merged summary names dir.
func checkOneRowNames(t *testing.T, out, dir string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, "| lego |") && strings.Contains(l, dir) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d lego rows of the merged summary name %s, want 1:\n%s", n, dir, b)
	}
}
