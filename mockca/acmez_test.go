package mockca

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"testing"
	"time"

	"github.com/mholt/acmez/v3"
	acmezacme "github.com/mholt/acmez/v3/acme"
)

// acmezSolver answers http-01 through the test responder.
type acmezSolver struct{ http *testHTTP01 }

func (s acmezSolver) Present(_ context.Context, c acmezacme.Challenge) error {
	s.http.set(c.Token, c.KeyAuthorization)
	return nil
}

func (s acmezSolver) CleanUp(context.Context, acmezacme.Challenge) error { return nil }

// TestAcmezLifecycle drives mholt/acmez: account, issuance, ARI, key
// rollover, revocation by the certificate key and account deactivation.
func TestAcmezLifecycle(t *testing.T) {
	e := startEnv(t, nil)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(e.ca.TLSRootPEM())
	client := acmez.Client{
		Client: &acmezacme.Client{Directory: e.ca.DirectoryURL(), HTTPClient: &http.Client{
			Timeout:   10 * time.Second,
			Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}},
		ChallengeSolvers: map[string]acmez.Solver{acmezacme.ChallengeTypeHTTP01: acmezSolver{e.http}},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	acctKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	acct, err := client.NewAccount(ctx, acmezacme.Account{TermsOfServiceAgreed: true,
		Contact: []string{"mailto:ops@example.com"}, PrivateKey: acctKey})
	if err != nil {
		t.Fatalf("new account: %v", err)
	}
	certKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	certs, err := client.ObtainCertificateForSANs(ctx, acct, certKey, []string{"acmez.example.com"})
	if err != nil {
		t.Fatalf("obtain: %v", err)
	}
	leaf := parsePEMBytes(t, certs[0].ChainPEM)[0]
	if _, err := client.GetRenewalInfo(ctx, leaf); err != nil {
		t.Fatalf("renewal info: %v", err)
	}
	newKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if acct, err = client.AccountKeyRollover(ctx, acct, newKey); err != nil {
		t.Fatalf("key rollover: %v", err)
	}
	if err := client.RevokeCertificate(ctx, acct, leaf, certKey, 1); err != nil {
		t.Fatalf("revoke by certificate key: %v", err)
	}
	if st, _ := e.ca.CertStatus(leaf.SerialNumber.Text(16)); st.Status != "Revoked" {
		t.Fatalf("certificate is %q after revocation", st.Status)
	}
	acct.Status = "deactivated"
	if acct, err = client.UpdateAccount(ctx, acct); err != nil || acct.Status != "deactivated" {
		t.Fatalf("deactivate: %v (status %q)", err, acct.Status)
	}
}
