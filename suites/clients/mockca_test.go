package clients_test

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	drivers "acmeconform/clients"
	"acmeconform/dnsmock"
	"acmeconform/mockca"
	suite "acmeconform/suites/clients"
)

// Problem types the mock CA refuses with (RFC 8555 §6.7).
const (
	unauthorized = "urn:ietf:params:acme:error:unauthorized"
	badCSR       = "urn:ietf:params:acme:error:badCSR"
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
	profile, err := mockca.LoadProfile("atlas")
	if err != nil {
		t.Fatal(err)
	}
	httpPort := freePort(t)
	ca, err := mockca.New(mockca.Config{
		DNSServer: dnsSrv.Addr(), HTTP01Port: httpPort, TLSALPN01Port: freePort(t),
		Profile: profile, Seed: 1, Knobs: mockca.Knobs{AuthzReusePercent: 100},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ca.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ca.Close() })

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
	useMockCAControls(ca, profile)
}

// startDNS starts dnsmock answering 127.0.0.1 for every name and taking
// updates signed with tsig.
func startDNS(t *testing.T, tsig *drivers.TSIG) *dnsmock.Server {
	dnsSrv, err := dnsmock.New(dnsmock.Config{
		DefaultIPv4: "127.0.0.1",
		TSIGKeys:    map[string]string{tsig.Name: tsig.Algorithm + ":" + tsig.Secret},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := dnsSrv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dnsSrv.Close() })
	return dnsSrv
}

// useMockCAControls points env at the mock CA's credential store, its
// certificate status, its renewal information and its policy.
func useMockCAControls(ca *mockca.Server, profile *mockca.Profile) {
	env.MintEAB = func(context.Context) (*drivers.EAB, error) {
		k, err := ca.NewEABKey("client suite")
		if err != nil {
			return nil, err
		}
		return &drivers.EAB{KID: k.KID, HMACKey: k.HMACKey}, nil
	}
	env.SpoiledEAB = func(context.Context) (*drivers.EAB, suite.Refusal, error) {
		return supersededKey(ca)
	}
	env.EKURefusal = &suite.Refusal{Type: badCSR, Detail: "extended key usages"}
	env.Revoked = func(_ context.Context, cert *x509.Certificate) (bool, error) {
		st, ok := ca.CertStatus(cert.SerialNumber.Text(16))
		return ok && st.Status == "Revoked", nil
	}
	env.SetRenewalWindow = func(ctx context.Context, cert *x509.Certificate,
		start, end time.Time) error {
		return setRenewalWindow(ctx, ca.ManagementURL()+"/set-renewal-info/", map[string]any{
			"serial": cert.SerialNumber.Text(16), "ariResponse": ariWindow(start, end),
		})
	}
	env.ShortProfile = shortProfile(profile)
	env.Features = suite.Features{AuthzReuse: true, ParentDNSReuse: true}
}

// supersededKey issues two MAC keys for one credential and returns the
// first, which the second has replaced: the atlas policy keeps one live
// MAC key per credential.
func supersededKey(ca *mockca.Server) (*drivers.EAB, suite.Refusal, error) {
	cred, err := ca.NewCredential("client suite, replaced key")
	if err != nil {
		return nil, suite.Refusal{}, err
	}
	old, err := ca.IssueMACKey(cred.ID, cred.Secret)
	if err != nil {
		return nil, suite.Refusal{}, err
	}
	if _, err := ca.IssueMACKey(cred.ID, cred.Secret); err != nil {
		return nil, suite.Refusal{}, err
	}
	return &drivers.EAB{KID: old.KID, HMACKey: old.HMACKey},
		suite.Refusal{Type: unauthorized, Detail: old.KID}, nil
}

// shortProfile returns the order profile of p with the shortest validity
// below p's default, or nil when it has none.
func shortProfile(p *mockca.Profile) *suite.Profile {
	var best *suite.Profile
	for name, op := range p.OrderProfiles {
		if op.Validity <= 0 || op.Validity >= p.CertValidity {
			continue
		}
		if best == nil || op.Validity < best.MaxValidity {
			best = &suite.Profile{Name: name, MaxValidity: op.Validity}
		}
	}
	return best
}
