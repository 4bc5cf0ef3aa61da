package caddy_test

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/miekg/dns"

	"acmeconform/clients"
	"acmeconform/clients/caddy"
	"acmeconform/dnsmock"
	"acmeconform/dnsmock/dnsmocktest"
	"acmeconform/internal/ports/portstest"
	"acmeconform/mockca"
	"acmeconform/mockca/mockcatest"
)

// TestDNS01Wildcard runs the Caddy of bin/ (make tools; skipped without
// it) against the mock CA and the mock DNS server: a wildcard alone, by
// dns-01, the record added and deleted by TSIG-signed updates and looked
// up by Caddy at the mock DNS server before the CA validates it.
func TestDNS01Wildcard(t *testing.T) {
	bin, err := filepath.Abs(filepath.Join("..", "..", "bin", "caddy"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("no Caddy built from tools/ (make tools): %v", err)
	}
	tsig := &clients.TSIG{Name: "acme-update.", Algorithm: "hmac-sha256",
		Secret: "c2VjcmV0LXRzaWcta2V5LWZvci10ZXN0cw=="}
	dnsSrv, target := startServers(t, tsig)

	req := clients.Request{Dir: t.TempDir(), Domains: []string{"*.wild.acmeconform.test"},
		Challenge: clients.ChallengeDNS01, Target: target}
	out, err := caddy.New(clients.Config{Binary: bin}).Obtain(t.Context(), req)
	if err != nil || out.ExitCode != 0 {
		t.Fatalf("Obtain: %v, exit %d\n%s", err, out.ExitCode, out.Output)
	}
	block, _ := pem.Decode(out.Chain)
	if block == nil {
		t.Fatalf("no PEM chain stored: %q", out.Chain)
	}
	leaf, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(leaf.DNSNames, req.Domains) {
		t.Errorf("SANs %v, want %v", leaf.DNSNames, req.Domains)
	}

	var added, deleted int
	for _, u := range dnsSrv.Updates() {
		if u.Key != tsig.Name || u.Rcode != "NOERROR" {
			t.Errorf("update %+v, want one signed with %s and applied", u, tsig.Name)
		}
		added, deleted = added+u.Added, deleted+u.Deleted
	}
	if added != 1 || deleted != 1 {
		t.Errorf("updates added %d and deleted %d records, want 1 and 1", added, deleted)
	}
	// The CA's validation is one lookup; Caddy's propagation check adds more.
	if n := len(dnsSrv.History("_acme-challenge.wild.acmeconform.test.", dns.TypeTXT)); n < 2 {
		t.Errorf("%d TXT lookups of the challenge name, want Caddy's and the CA's", n)
	}
}

// startServers starts the mock DNS server, taking updates signed with
// tsig, and the mock CA (profile letsencrypt: no EAB) resolving through it.
func startServers(t *testing.T, tsig *clients.TSIG) (*dnsmock.Server, clients.Target) {
	t.Helper()
	dnsSrv := dnsmocktest.Start(t, dnsmock.Config{DefaultIPv4: "127.0.0.1",
		TSIGKeys: map[string]string{tsig.Name: tsig.Algorithm + ":" + tsig.Secret}})
	// Caddy listens on the http-01 port and the two above it: a block
	// below the ephemeral range, where no outgoing connection takes one.
	httpPort := portstest.Block(t, 3)
	ca := mockcatest.Start(t, mockca.Config{DNSServer: dnsSrv.Addr(), HTTP01Port: httpPort,
		TLSALPN01Port: portstest.Loopback(t), Profile: mockcatest.Profile(t, "letsencrypt"),
		Seed: 1})
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, ca.TLSRootPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	return dnsSrv, clients.Target{DirectoryURL: ca.DirectoryURL(), CACertFile: caFile,
		DNSAddr: dnsSrv.Addr(), HTTP01Port: httpPort, TSIG: tsig}
}
