package clients_test

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
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

// eabStore hands out EAB credentials the mock CA accepts.
type eabStore struct {
	mu   sync.Mutex
	keys map[string][]byte
	n    int
}

func (s *eabStore) lookup(kid, _ string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := s.keys[kid]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("unknown key id %q", kid)
}

func (s *eabStore) mint(context.Context) (*drivers.EAB, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	kid := fmt.Sprintf("kid-%d", s.n)
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	s.keys[kid] = key
	return &drivers.EAB{KID: kid, HMACKey: b64url(key)}, nil
}

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

// useMockCA starts dnsmock and the mock CA (EAB required, CSRs with EKUs
// refused, valid authorizations always reused) and points env at them.
func useMockCA(t *testing.T) {
	tsig := &drivers.TSIG{Name: "acme-update.", Algorithm: "hmac-sha256", Secret: randomB64()}
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

	profile := mockca.DefaultProfile()
	profile.EABRequired = true
	profile.RejectCSREKU = true
	eabs := &eabStore{keys: map[string][]byte{}}
	httpPort := freePort(t)
	ca, err := mockca.New(mockca.Config{
		DNSServer: dnsSrv.Addr(), HTTP01Port: httpPort, TLSALPN01Port: freePort(t),
		Profile: &profile, EABKeys: eabs.lookup, Seed: 1,
		Knobs: mockca.Knobs{AuthzReusePercent: 100},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ca.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ca.Close() })

	dir := t.TempDir()
	caFile := filepath.Join(dir, "mockca-tls-root.pem")
	if err := os.WriteFile(caFile, ca.TLSRootPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	env.Target = "mockca"
	env.DirectoryURL = ca.DirectoryURL()
	env.CACertFile = caFile
	env.IssuerRootsPEM = ca.IssuerRootsPEM()
	env.DNSAddr = dnsSrv.Addr()
	env.DNSAPIURL = dnsSrv.APIURL()
	env.HTTP01Port = httpPort
	env.TSIG = tsig
	env.MintEAB = eabs.mint
	env.SpoiledEAB = func(context.Context) (*drivers.EAB, suite.Refusal, error) {
		return &drivers.EAB{KID: "replaced-kid", HMACKey: randomKey()},
			suite.Refusal{Type: unauthorized, Detail: "replaced-kid"}, nil
	}
	env.EKURefusal = &suite.Refusal{Type: badCSR, Detail: "extended key usages"}
	env.DNSQueries = func(_ context.Context, name, qtype string) (int, error) {
		return len(dnsSrv.History(name, dns.StringToType[strings.ToUpper(qtype)])), nil
	}
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
	env.ShortProfile = &suite.Profile{Name: "shortlived", MaxValidity: 6 * 24 * time.Hour}
	env.Features = suite.Features{AuthzReuse: true}
}
