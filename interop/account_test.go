package interop

import (
	"net/http"
	"testing"

	"acmeconform/acme"

	"github.com/go-acme/lego/v5/certcrypto"

	"github.com/go-acme/lego/v5/certificate"
	"github.com/go-acme/lego/v5/lego"
)

// rollOver replaces u's account key (RFC 8555 §7.3.5) and checks that the
// CA finds the account by the new key only.
func rollOver(t *testing.T, e *env, c *lego.Client, u *user) {
	t.Helper()
	oldKey, next := u.key, newKey(t)
	if err := c.Registration.KeyRollover(t.Context(), next); err != nil {
		t.Fatalf("key rollover: %v", err)
	}
	u.key = next
	found, err := e.newClient(t, &user{key: next}).Registration.ResolveAccountByKey(t.Context())
	if err != nil {
		t.Fatalf("account by new key: %v", err)
	}
	if found.Location != u.reg.Location {
		t.Fatalf("new key finds account %q, want %q", found.Location, u.reg.Location)
	}
	_, err = e.newClient(t, &user{key: oldKey}).Registration.ResolveAccountByKey(t.Context())
	wantProblem(t, err, http.StatusBadRequest, acme.ProblemAccountDoesNotExist)
}

// deactivate deactivates u's account (RFC 8555 §7.3.6) and checks that
// every later request of it, by kid or by key, gets 401 unauthorized.
func deactivate(t *testing.T, e *env, c *lego.Client, u *user, domain string) {
	t.Helper()
	if err := c.Registration.DeleteRegistration(t.Context()); err != nil {
		t.Fatalf("deactivate: %v", err)
	}
	_, err := c.Registration.QueryRegistration(t.Context())
	wantProblem(t, err, http.StatusUnauthorized, acme.ProblemUnauthorized)
	_, err = c.Certificate.Obtain(t.Context(),
		certificate.ObtainRequest{Domains: []string{domain},
			KeyType: certcrypto.EC256})
	wantProblem(t, err, http.StatusUnauthorized, acme.ProblemUnauthorized)
	_, err = e.newClient(t, &user{key: u.key}).Registration.ResolveAccountByKey(t.Context())
	wantProblem(t, err, http.StatusUnauthorized, acme.ProblemUnauthorized)
}
