package server_test

import (
	"context"
	"crypto/x509"
	"fmt"

	"acmeconform/mockca"
	"acmeconform/suites"
)

// startMockCA starts the mock CA with a built-in profile, validating
// through dns, and fills in t. Profiles that demand EAB get credentials
// minted through the CA's Go API.
func startMockCA(t *suites.Target, profile string, dns *testDNS) (*mockca.Server, error) {
	p, err := mockca.LoadProfile(profile)
	if err != nil {
		return nil, err
	}
	ca, err := mockca.New(mockca.Config{DNSServer: dns.srv.Addr(), HTTP01Port: dns.httpPort,
		TLSALPN01Port: dns.alpnPort, Seed: 1, Profile: p, AlternateRoots: 1})
	if err != nil {
		return nil, err
	}
	if err := ca.Start(); err != nil {
		return nil, err
	}
	tls, roots := x509.NewCertPool(), x509.NewCertPool()
	if !tls.AppendCertsFromPEM(ca.TLSRootPEM()) || !roots.AppendCertsFromPEM(ca.IssuerRootsPEM()) {
		_ = ca.Close()
		return nil, fmt.Errorf("mock CA %s: unreadable root PEM", profile)
	}
	t.DirectoryURL, t.Roots, t.IssuerRoots = ca.DirectoryURL(), tls, roots
	t.HTTPClient = httpClient(tls)
	t.HTTP01, t.DNS = dns.responders(), dnsControl{dns.srv}
	t.ManagementURL = ca.ManagementURL()
	if p.EABRequired {
		t.MintEAB = mintEAB(ca)
		if t.EAB, err = t.MintEAB(context.Background()); err != nil {
			_ = ca.Close()
			return nil, err
		}
	}
	return ca, nil
}

// mintEAB returns a MintEAB function: each call creates a credential and
// issues its first MAC key, as a customer would through the CA's portal.
func mintEAB(ca *mockca.Server) func(context.Context) (*suites.EAB, error) {
	return func(context.Context) (*suites.EAB, error) {
		c, err := ca.NewCredential("acmeconform server suite")
		if err != nil {
			return nil, err
		}
		k, err := ca.IssueMACKey(c.ID, c.Secret)
		if err != nil {
			return nil, err
		}
		return &suites.EAB{KID: k.KID, HMACKey: k.HMACKey}, nil
	}
}
