package clients_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"

	drivers "acmeconform/clients"
	"acmeconform/dnsmock"
	"acmeconform/dnsmock/dnsmocktest"
	"acmeconform/internal/ports/portstest"
	"acmeconform/mockca"
	"acmeconform/mockca/mockcatest"
	"acmeconform/runner"
)

// Problem types the mock CA refuses with (RFC 8555 §6.7).
const (
	unauthorized = "urn:ietf:params:acme:error:unauthorized"
)

// randomKey returns a random MAC key, base64url without padding.
func randomKey() string {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return b64url(key)
}

// randomB64 returns a random TSIG secret, standard base64.
func randomB64() string {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return base64.StdEncoding.EncodeToString(key)
}

// useMockCA starts dnsmock and the mock CA with the atlas profile (EAB
// required, CSRs with EKUs refused, a parent's dns-01 covering its
// subdomains, valid authorizations always reused) and points env at them.
func useMockCA(t *testing.T) {
	tsig := &drivers.TSIG{Name: "acme-update.", Algorithm: "hmac-sha256", Secret: randomB64()}
	dnsSrv := startDNS(t, tsig)
	// Caddy listens on the http-01 port and the two above it.
	httpPort := portstest.Block(t, 3)
	ca := mockcatest.Start(t, mockca.Config{
		DNSServer: dnsSrv.Addr(), HTTP01Port: httpPort, TLSALPN01Port: portstest.Loopback(t),
		Profile: mockcatest.Profile(t, "atlas"), Seed: 1,
		Knobs: mockca.Knobs{AuthzReusePercent: 100},
	})

	caFile := filepath.Join(t.TempDir(), "mockca-tls-root.pem")
	if err := os.WriteFile(caFile, ca.TLSRootPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	env.Target, env.DirectoryURL, env.CACertFile = "mockca", ca.DirectoryURL(), caFile
	env.IssuerRootsPEM = ca.IssuerRootsPEM()
	env.DNSAddr, env.DNSAPIURL, env.HTTP01Port, env.TSIG = dnsSrv.Addr(), dnsSrv.APIURL(),
		httpPort, tsig
	env.DNSQueries = func(_ context.Context, name, qtype string) (int, error) {
		return len(dnsSrv.History(name, dns.StringToType[strings.ToUpper(qtype)])), nil
	}
	runner.MockCAClientControls(env, ca)
}

// startDNS starts dnsmock answering 127.0.0.1 for every name and taking
// updates signed with tsig.
func startDNS(t *testing.T, tsig *drivers.TSIG) *dnsmock.Server {
	return dnsmocktest.Start(t, dnsmock.Config{
		DefaultIPv4: "127.0.0.1",
		TSIGKeys:    map[string]string{tsig.Name: tsig.Algorithm + ":" + tsig.Secret},
	})
}
