package interop

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"net/http"
	"testing"
	"time"

	"acmeconform/acme"

	legoacme "github.com/go-acme/lego/v5/acme"
	"github.com/go-acme/lego/v5/certcrypto"
	"github.com/go-acme/lego/v5/certificate"
	"github.com/go-acme/lego/v5/lego"
	"github.com/go-acme/lego/v5/registration"
)

// Revocation reason codes (RFC 5280 §5.3.1).
const (
	reasonKeyCompromise uint = 1
	reasonSuperseded    uint = 4
)

// TestLegoV5Lifecycle drives the lego v5 library through registration,
// http-01 issuance, an ARI renewal that names the old certificate in
// "replaces" (RFC 9773 §5), revocation by account key, key rollover
// (RFC 8555 §7.3.5) and account deactivation (§7.3.6).
func TestLegoV5Lifecycle(t *testing.T) {
	e := startEnv(t)
	const domain = "lego5.example.com"
	u := &user{email: "ops@example.com", key: newKey(t)}
	c := e.newClient(t, u)
	register(t, c, u)

	first, leaf := obtain(t, e, c, domain)
	second, leaf2 := renewByARI(t, e, c, first, leaf, domain)

	// Naming the old certificate again is refused with alreadyReplaced: the
	// CA kept the first claim (RFC 9773 §5). lego then orders without
	// "replaces", as §5 allows.
	third, err := c.Certificate.Renew(t.Context(), *first,
		&certificate.RenewOptions{Bundle: true, UseARICertID: true})
	if err != nil {
		t.Fatalf("second renewal of the same certificate: %v", err)
	}
	if !e.rec.sawProblem(http.StatusConflict, acme.ProblemAlreadyReplaced) {
		t.Fatal("the CA accepted a second order replacing the same certificate")
	}
	if o, _ := e.rec.lastCreated(); o.Replaces != "" {
		t.Fatalf("retried order replaces %q, want none", o.Replaces)
	}
	e.verifyLeaf(t, third.Certificate, domain)

	reason := reasonSuperseded
	if err := c.Certificate.RevokeWithReason(t.Context(), first.Certificate, &reason); err != nil {
		t.Fatalf("revoke with the account key: %v", err)
	}
	wantRevoked(t, e, leaf, reasonSuperseded)
	if st := e.status(t, leaf2); st.Status != "Valid" {
		t.Fatalf("renewed certificate is %q after revoking the old one", st.Status)
	}
	// A revoked certificate's window lies in the past (renew at once).
	ri, err := c.Certificate.GetRenewalInfo(t.Context(), leaf)
	if err != nil {
		t.Fatal(err)
	}
	if !ri.SuggestedWindow.End.Before(e.clock.Now()) {
		t.Errorf("revoked certificate's window ends %v, after now", ri.SuggestedWindow.End)
	}

	rollOver(t, e, c, u)
	// The client signs with the new key from here on: revoking works.
	if err := c.Certificate.Revoke(t.Context(), second.Certificate); err != nil {
		t.Fatalf("revoke after key rollover: %v", err)
	}
	if st := e.status(t, leaf2); st.Status != "Revoked" {
		t.Fatalf("certificate is %q after revocation", st.Status)
	}

	deactivate(t, e, c, u, domain)
}

// TestLegoV5RevokeWithCertificateKey revokes with a JWS signed by the
// certificate's own key (RFC 8555 §7.6) after a stranger account without
// authorization for the name was refused.
func TestLegoV5RevokeWithCertificateKey(t *testing.T) {
	e := startEnv(t)
	const domain = "certkey.example.com"
	owner := &user{email: "owner@example.com", key: newKey(t)}
	oc := e.newClient(t, owner)
	register(t, oc, owner)
	res, leaf := obtain(t, e, oc, domain)

	stranger := &user{email: "stranger@example.com", key: newKey(t)}
	sc := e.newClient(t, stranger)
	register(t, sc, stranger)
	err := sc.Certificate.Revoke(t.Context(), res.Certificate)
	wantProblem(t, err, http.StatusForbidden, acme.ProblemUnauthorized)
	if st := e.status(t, leaf); st.Status != "Valid" {
		t.Fatalf("a stranger's revocation left the certificate %q", st.Status)
	}

	certKey, err := certcrypto.ParsePEMPrivateKey(res.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	// No registration: lego signs with a jwk header instead of a kid.
	kc := e.newClient(t, &user{key: certKey})
	reason := reasonKeyCompromise
	if err := kc.Certificate.RevokeWithReason(t.Context(), res.Certificate, &reason); err != nil {
		t.Fatalf("revoke with the certificate key: %v", err)
	}
	wantRevoked(t, e, leaf, reasonKeyCompromise)
	err = kc.Certificate.Revoke(t.Context(), res.Certificate)
	wantProblem(t, err, http.StatusBadRequest, acme.ProblemAlreadyRevoked)
}

// newKey returns a fresh P-256 key.
func newKey(t *testing.T) crypto.Signer {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// register creates u's account and remembers its URL.
func register(t *testing.T, c *lego.Client, u *user) {
	t.Helper()
	reg, err := c.Registration.Register(t.Context(),
		registration.RegisterOptions{TermsOfServiceAgreed: true})
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	if reg.Status != legoacme.StatusValid || reg.Location == "" {
		t.Fatalf("new account status %q at %q", reg.Status, reg.Location)
	}
	u.reg = reg
}

// obtain gets a certificate for domain by http-01 and checks its chain.
func obtain(t *testing.T, e *env, c *lego.Client, domain string) (*certificate.Resource,
	*x509.Certificate) {
	t.Helper()
	res, err := c.Certificate.Obtain(t.Context(),
		certificate.ObtainRequest{Domains: []string{domain}, Bundle: true,
			KeyType: certcrypto.EC256})
	if err != nil {
		t.Fatalf("obtain %s: %v", domain, err)
	}
	leaf := e.verifyLeaf(t, res.Certificate, domain)
	if st := e.status(t, leaf); st.Status != "Valid" {
		t.Fatalf("new certificate is %q", st.Status)
	}
	return res, leaf
}

// ariCertID is the RFC 9773 §4.1 identifier, computed independently of
// the client: base64url(AKI keyIdentifier) "." base64url(serial DER bytes).
func ariCertID(leaf *x509.Certificate) string {
	return base64.RawURLEncoding.EncodeToString(leaf.AuthorityKeyId) + "." +
		base64.RawURLEncoding.EncodeToString(leaf.SerialNumber.Bytes())
}

// wantProblem checks that err is an ACME problem of the given status and
// type.
func wantProblem(t *testing.T, err error, status int, typ acme.ProblemType) {
	t.Helper()
	var pd *legoacme.ProblemDetails
	if !errors.As(err, &pd) {
		t.Fatalf("want %d %s, got %v", status, typ, err)
	}
	if pd.HTTPStatus != status || pd.Type != string(typ) {
		t.Fatalf("want %d %s, got %d %s (%s)", status, typ, pd.HTTPStatus, pd.Type, pd.Detail)
	}
}

// wantRevoked checks the CA's record of a revocation.
func wantRevoked(t *testing.T, e *env, leaf *x509.Certificate, reason uint) {
	t.Helper()
	st := e.status(t, leaf)
	if st.Status != "Revoked" || st.Reason == nil || *st.Reason != int(reason) {
		t.Fatalf("certificate status %q reason %v, want Revoked with reason %d",
			st.Status, st.Reason, reason)
	}
	if st.RevokedAt == nil || st.RevokedAt.After(e.clock.Now().Add(time.Second)) {
		t.Fatalf("revokedAt %v", st.RevokedAt)
	}
}
