package interop

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/go-acme/lego/v5/acme/api"
	"github.com/go-acme/lego/v5/certificate"
	"github.com/go-acme/lego/v5/lego"
)

// renewByARI reads the CA's suggested window through lego (RFC 9773 §4.2),
// moves the CA's clock past it, renews with the old certificate named in
// "replaces" (§5) and checks the order the CA created.
func renewByARI(t *testing.T, e *env, c *lego.Client, old *certificate.Resource,
	leaf *x509.Certificate, domain string) (*certificate.Resource, *x509.Certificate) {
	t.Helper()
	ri, err := c.Certificate.GetRenewalInfo(t.Context(), leaf)
	if err != nil {
		t.Fatalf("renewal info: %v", err)
	}
	w := ri.SuggestedWindow
	if !w.Start.Before(w.End) || w.Start.Before(leaf.NotBefore) || w.End.After(leaf.NotAfter) {
		t.Fatalf("window %v..%v outside the certificate's life", w.Start, w.End)
	}
	if at := ri.ShouldRenewAt(e.clock.Now(), 0); at != nil {
		t.Fatalf("lego would renew a fresh certificate at %v", at)
	}

	e.clock.Advance(w.End.Sub(e.clock.Now()) + time.Minute)
	ri, err = c.Certificate.GetRenewalInfo(t.Context(), leaf)
	if err != nil {
		t.Fatalf("renewal info: %v", err)
	}
	if ri.ShouldRenewAt(e.clock.Now(), 0) == nil {
		t.Fatal("lego does not renew once the window has passed")
	}

	res, err := c.Certificate.Renew(t.Context(), *old,
		&certificate.RenewOptions{Bundle: true, UseARICertID: true})
	if err != nil {
		t.Fatalf("renew: %v", err)
	}
	leaf2 := e.verifyLeaf(t, res.Certificate, domain)
	if leaf2.SerialNumber.Cmp(leaf.SerialNumber) == 0 {
		t.Fatal("renewal returned the old certificate")
	}
	checkReplaces(t, e, leaf)
	return res, leaf2
}

// checkReplaces checks that the last order the CA created, and every later
// copy the CA sent, names leaf in "replaces" by its RFC 9773 §4.1 certID.
func checkReplaces(t *testing.T, e *env, leaf *x509.Certificate) {
	t.Helper()
	want := ariCertID(leaf)
	if got, err := api.MakeARICertID(leaf); err != nil || got != want {
		t.Fatalf("lego's certID %q (%v), want %q", got, err, want)
	}
	created, later := e.rec.lastCreated()
	if created.Replaces != want {
		t.Fatalf("new order replaces %q, want %q", created.Replaces, want)
	}
	if len(later) == 0 {
		t.Fatal("no later copy of the renewal order")
	}
	for _, o := range later {
		if o.Replaces != want {
			t.Fatalf("order (%s) replaces %q later, want %q", o.Status, o.Replaces, want)
		}
	}
}
