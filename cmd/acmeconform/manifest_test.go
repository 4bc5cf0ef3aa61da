package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunManifestClientInContainers runs lego and certbot through the
// example client manifests, not their built-in drivers, in containers
// against the embedded mock CA: the scenarios the manifests give commands
// for pass, the others are skipped with the manifest's reason, and the
// report names the clients and their versions.
func TestRunManifestClientInContainers(t *testing.T) {
	requireEngine(t)
	example, err := filepath.Abs(filepath.Join("..", "..", "docs", "examples",
		"lego-manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// A second client whose image the engine lacks: nothing is pulled, and
	// the client is skipped saying so.
	ghost := filepath.Join(dir, "ghost.yaml")
	if err := os.WriteFile(ghost, []byte("name: ghost\nversion: \"0.1\"\n"+
		"image: acmeconform-test/ghost:0.1\noutputs: {cert: stdout}\n"+
		"scenarios:\n  http-01: [ghost, \"{domains}\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	certbot := filepath.Join(filepath.Dir(example), "certbot-manifest.yaml")
	filter := "client:lego-manifest || client:certbot-manifest || " +
		"client:ghost && scenario:http-01"
	args := append(containerArgs(t, dir, filter),
		"--client-manifest", example+","+ghost, "--client-manifest", certbot)
	res := runBinary(t, 20*time.Minute, args...)
	t.Logf("run took %s", res.elapsed.Round(time.Millisecond))
	if res.code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	rep := readReport(t, dir)
	states, messages := map[string]string{}, map[string]string{}
	certbotStates := map[string]string{}
	for _, s := range rep.Specs {
		if s.Client == "certbot-manifest" {
			certbotStates[s.Scenario] = s.State
			continue
		}
		if s.Client == "ghost" {
			if s.State != "skipped" || !strings.Contains(s.Message, "is not built") {
				t.Errorf("ghost %s: %s (%q), want skipped: not built", s.Scenario, s.State,
					s.Message)
			}
			continue
		}
		states[s.Scenario], messages[s.Scenario] = s.State, s.Message
	}
	for _, want := range []string{"register", "eab", "eab-spoiled", "http-01", "dns-01",
		"dns-01-rfc2136", "wildcard", "wildcard-alone", "key-rsa", "key-ecdsa", "chain", "csr-eku",
		"renew", "renew-reuse", "parent-reuse", "revoke", "robust-directory-without-meta",
		"robust-alternate-chains"} {
		if states[want] != "passed" {
			t.Errorf("scenario %s: %q, want passed", want, states[want])
		}
	}
	for _, want := range []string{"ari", "eab-padded"} {
		reason := "manifest gives no command for " + want
		if states[want] != "skipped" || !strings.Contains(messages[want], reason) {
			t.Errorf("scenario %s without a command: %s (%q), want skipped: %s", want,
				states[want], messages[want], reason)
		}
	}
	// certbot in the Debian image: a shell, hooks calling the DNS API, an
	// RFC 2136 credentials file written by sh, symbolic links read back.
	for _, want := range []string{"register", "eab", "http-01", "dns-01", "dns-01-rfc2136",
		"wildcard", "wildcard-alone", "key-rsa", "chain", "renew", "revoke"} {
		if certbotStates[want] != "passed" {
			t.Errorf("certbot-manifest %s: %q, want passed", want, certbotStates[want])
		}
	}
	versions := map[string]string{}
	for _, c := range rep.Clients {
		if c.Mode == "container" {
			versions[c.Name] = c.Version
		}
	}
	if len(rep.Clients) != 2 || !strings.HasPrefix(versions["lego-manifest"], "v4.") ||
		!strings.HasPrefix(versions["certbot-manifest"], "2.") {
		t.Errorf("clients %+v, want lego-manifest v4 and certbot-manifest 2.x in containers",
			rep.Clients)
	}
	if left := leftovers(t); len(left) > 0 {
		t.Errorf("the run left %v", left)
	}
}
