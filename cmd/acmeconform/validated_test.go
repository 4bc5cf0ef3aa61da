package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"acmeconform/dnsmock"
	"acmeconform/dnsmock/dnsmocktest"
	"acmeconform/internal/ports/portstest"
	"acmeconform/mockca"
	"acmeconform/suites"
	"acmeconform/suites/flow"
	"acmeconform/suites/probe"
)

// TestRunValidatedNamesNoChallenges runs the server suite against a mock
// CA with the atlas policy as a remote commercial CA would be run: the
// harness answers no challenge, and names were validated beforehand for
// the customer of the EAB credentials. Issuing specs must pass on those
// names and challenge specs skip, saying no challenge type reaches the
// harness.
func TestRunValidatedNamesNoChallenges(t *testing.T) {
	dir := t.TempDir()
	ca, resp := startAtlasCA(t)
	cred, err := ca.NewCredential("validated names test")
	if err != nil {
		t.Fatal(err)
	}
	key, err := ca.IssueMACKey(cred.ID, cred.Secret)
	if err != nil {
		t.Fatal(err)
	}
	eab := &suites.EAB{KID: key.KID, HMACKey: key.HMACKey}
	names := []string{"a.ext.acmeconform.test", "b.ext.acmeconform.test"}
	prevalidate(t, ca, resp, eab, names)
	root := filepath.Join(dir, "tls-root.pem")
	if err := os.WriteFile(root, ca.TLSRootPEM(), 0o600); err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(dir, "out")
	res := runBinary(t, 3*time.Minute, "run", "--directory", ca.DirectoryURL(),
		"--ca-cert", root, "--eab-kid", eab.KID, "--eab-hmac", eab.HMACKey,
		"--challenges", "none", "--validated-names", strings.Join(names, ","),
		"--domain", "ext.acmeconform.test", "--out", out, "--seed", "3",
		"--dns-addr", "127.0.0.1:"+strconv.Itoa(portstest.Loopback(t)),
		"--http01-addr", "127.0.0.1:"+strconv.Itoa(portstest.Loopback(t)),
		"--label-filter", "req:order-finalize-valid || req:cert-chain-order || "+
			"req:challenge-respond || req:dns01-wrong-value-invalid")
	if res.code != exitOK {
		t.Fatalf("exit code %d, want %d; stdout:\n%s\nstderr:\n%s", res.code, exitOK,
			res.stdout, res.stderr)
	}
	rep := readReport(t, out)
	want := map[string]string{"order-finalize-valid": "passed", "cert-chain-order": "passed",
		"challenge-respond": "skipped", "dns01-wrong-value-invalid": "skipped"}
	seen := map[string]bool{}
	for _, s := range rep.Specs {
		for _, id := range s.Requirements {
			if w, ok := want[id]; ok {
				seen[id] = true
				if s.State != w {
					t.Errorf("%s: %s (%s), want %s", s.Name, s.State, s.Message, w)
				}
				if w == "skipped" && !strings.Contains(s.Message, "no challenge type reaches") {
					t.Errorf("%s skipped for another reason: %s", s.Name, s.Message)
				}
			}
		}
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("no spec of %s ran", id)
		}
	}
}

// startAtlasCA starts a mock CA with the atlas policy that validates
// through a mock DNS server and an http-01 responder of the test's own.
func startAtlasCA(t *testing.T) (*mockca.Server, *dnsmock.Responder) {
	t.Helper()
	dnsPort, httpPort := portstest.Loopback(t), portstest.Loopback(t)
	dnsmocktest.Start(t, dnsmock.Config{Addr: "127.0.0.1:" + strconv.Itoa(dnsPort),
		DefaultIPv4: "127.0.0.1"})
	resp, err := dnsmock.NewResponder(dnsmock.ResponderConfig{
		Addr: "127.0.0.1:" + strconv.Itoa(httpPort)})
	if err != nil {
		t.Fatal(err)
	}
	if err := resp.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = resp.Close() })
	return startEABCA(t, dnsPort, httpPort), resp
}

// prevalidate gets an order for names ready on an account bound with eab,
// as the customer would have done before the run.
func prevalidate(t *testing.T, ca *mockca.Server, resp *dnsmock.Responder, eab *suites.EAB,
	names []string) {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca.TLSRootPEM()) {
		t.Fatal("mock CA TLS root: no PEM certificate")
	}
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool}}}
	target := &suites.Target{DirectoryURL: ca.DirectoryURL(), HTTPClient: hc, HTTP01: resp,
		EAB: eab}
	p, err := probe.New(probe.Config{DirectoryURL: target.DirectoryURL, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	f, err := flow.New(flow.Config{Target: target, Probe: p})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	acct, err := f.NewAccount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ReadyOrder(ctx, acct, names...); err != nil {
		t.Fatalf("validate %v beforehand: %v", names, err)
	}
}
