package mockca

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"net/http"
	"testing"
	"time"

	"golang.org/x/crypto/acme"
)

// newACMEClient returns an x/crypto/acme client trusting the CA's TLS root.
func newACMEClient(t *testing.T, e *testEnv) *acme.Client {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(e.ca.TLSRootPEM()) {
		t.Fatal("TLS root PEM does not parse")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &acme.Client{
		Key:          key,
		DirectoryURL: e.ca.DirectoryURL(),
		HTTPClient: &http.Client{Timeout: 10 * time.Second,
			Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}},
	}
}

// obtain runs an order for names through challenge type chal and returns
// the chain and the certificate key.
func obtain(t *testing.T, e *testEnv, c *acme.Client, chal string,
	names ...string) ([][]byte, crypto.Signer) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	o, err := c.AuthorizeOrder(ctx, acme.DomainIDs(names...))
	if err != nil {
		t.Fatalf("new order: %v", err)
	}
	for _, u := range o.AuthzURLs {
		solve(ctx, t, e, c, u, chal)
	}
	if o, err = c.WaitOrder(ctx, o.URI); err != nil {
		t.Fatalf("wait order: %v", err)
	}
	if o.Status != acme.StatusReady {
		t.Fatalf("order status %s, want ready", o.Status)
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	csr, err := x509.CreateCertificateRequest(rand.Reader,
		&x509.CertificateRequest{Subject: pkix.Name{CommonName: names[0]}, DNSNames: names}, key)
	if err != nil {
		t.Fatal(err)
	}
	der, _, err := c.CreateOrderCert(ctx, o.FinalizeURL, csr, true)
	if err != nil {
		t.Fatalf("finalize: %v", err)
	}
	return der, key
}

// solve publishes the response to one authorization's challenge and waits.
func solve(ctx context.Context, t *testing.T, e *testEnv, c *acme.Client, u, typ string) {
	t.Helper()
	z, err := c.GetAuthorization(ctx, u)
	if err != nil {
		t.Fatalf("get authz: %v", err)
	}
	for _, ch := range z.Challenges {
		if ch.Type != typ {
			continue
		}
		switch typ {
		case "http-01":
			ka, _ := c.HTTP01ChallengeResponse(ch.Token)
			e.http.set(ch.Token, ka)
		case "dns-01":
			v, _ := c.DNS01ChallengeRecord(ch.Token)
			e.dns.setTXT("_acme-challenge."+z.Identifier.Value, "unrelated", v)
		}
		if _, err := c.Accept(ctx, ch); err != nil {
			t.Fatalf("accept: %v", err)
		}
		if _, err := c.WaitAuthorization(ctx, u); err != nil {
			t.Fatalf("wait authz: %v", err)
		}
		return
	}
	t.Fatalf("authorization offers no %s challenge", typ)
}

// verifyChain checks der (leaf first) against the CA's issuer roots.
func verifyChain(t *testing.T, e *testEnv, der [][]byte, name string) *x509.Certificate {
	t.Helper()
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(e.ca.IssuerRootsPEM())
	inter := x509.NewCertPool()
	leaf, err := x509.ParseCertificate(der[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range der[1:] {
		c, _ := x509.ParseCertificate(d)
		inter.AddCert(c)
	}
	_, err = leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, DNSName: name,
		CurrentTime: e.ca.Clock().Now()})
	if err != nil {
		t.Fatalf("chain does not verify: %v", err)
	}
	return leaf
}

func TestHappyPath(t *testing.T) {
	tests := []struct {
		name  string
		chal  string
		names []string
	}{
		{name: "http-01", chal: "http-01", names: []string{"a.example.com", "b.example.com"}},
		{name: "dns-01 wildcard", chal: "dns-01", names: []string{"example.org", "*.example.org"}},
	}
	e := startEnv(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newACMEClient(t, e)
			ctx := context.Background()
			if _, err := c.Register(ctx, &acme.Account{}, acme.AcceptTOS); err != nil {
				t.Fatalf("register: %v", err)
			}
			der, key := obtain(t, e, c, tt.chal, tt.names...)
			leaf := verifyChain(t, e, der, tt.names[0])
			if len(der) != 2 {
				t.Errorf("chain has %d certificates, want leaf and intermediate", len(der))
			}
			// Revoke once with the certificate key (jwk), then again with the
			// account key (kid). The client hides alreadyRevoked, so check
			// that the first reason is kept.
			if err := c.RevokeCert(ctx, key, der[0], acme.CRLReasonKeyCompromise); err != nil {
				t.Fatalf("revoke by certificate key: %v", err)
			}
			st, ok := e.ca.CertStatus(leaf.SerialNumber.Text(16))
			if !ok || st.Status != "Revoked" || *st.Reason != 1 {
				t.Fatalf("cert status %+v, want Revoked reason 1", st)
			}
			if err := c.RevokeCert(ctx, nil, der[0], acme.CRLReasonUnspecified); err != nil {
				t.Fatalf("second revoke: %v", err)
			}
			if st, _ := e.ca.CertStatus(leaf.SerialNumber.Text(16)); *st.Reason != 1 {
				t.Fatalf("second revoke changed the reason to %d", *st.Reason)
			}
		})
	}
}

func TestRevokeByAccountKey(t *testing.T) {
	e := startEnv(t, nil)
	c := newACMEClient(t, e)
	ctx := context.Background()
	if _, err := c.Register(ctx, &acme.Account{}, acme.AcceptTOS); err != nil {
		t.Fatal(err)
	}
	der, _ := obtain(t, e, c, "http-01", "kid.example.com")
	if err := c.RevokeCert(ctx, nil, der[0], acme.CRLReasonSuperseded); err != nil {
		t.Fatalf("revoke by account key: %v", err)
	}
	leaf, _ := x509.ParseCertificate(der[0])
	if st, _ := e.ca.CertStatus(leaf.SerialNumber.Text(16)); st.Status != "Revoked" {
		t.Fatalf("status %q, want Revoked", st.Status)
	}
}
