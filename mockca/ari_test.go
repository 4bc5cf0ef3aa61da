package mockca

import (
	"crypto/x509"
	"encoding/base64"
	"net/http"
	"testing"
	"time"

	"acmeconform/acme"
)

// certID is the RFC 9773 §4.1 identifier of leaf.
func certID(leaf *x509.Certificate) string {
	return base64.RawURLEncoding.EncodeToString(leaf.AuthorityKeyId) + "." +
		base64.RawURLEncoding.EncodeToString(leaf.SerialNumber.Bytes())
}

func TestRenewalInfoAndReplaces(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	_, o, _ := rc.issue(e, "ari.example.com")
	leaf := rc.leafOf(o)
	id := certID(leaf)

	resp, err := rc.http.Get(rc.dir.RenewalInfo + "/" + id)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Retry-After") == "" {
		t.Errorf("renewalInfo without Retry-After")
	}
	var ri acme.RenewalInfo
	decode(t, resp, &ri)
	w := ri.SuggestedWindow
	if !w.Start.Before(w.End) || w.Start.Before(leaf.NotBefore) || w.End.After(leaf.NotAfter) {
		t.Fatalf("window %v..%v outside the certificate's life", w.Start, w.End)
	}
	resp, _ = rc.http.Get(rc.dir.RenewalInfo + "/AAAA.AAAA")
	expectProblem(t, resp, http.StatusNotFound, acme.ProblemMalformed)

	req := acme.NewOrderRequest{Identifiers: dnsIDs("ari.example.com"), Replaces: id}
	resp = rc.post(rc.dir.NewOrder, req)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("newOrder with replaces: %v", problemOf(t, resp))
	}
	u := resp.Header.Get(acme.HeaderLocation)
	var created acme.Order
	decode(t, resp, &created)
	if created.Replaces != id {
		t.Fatalf("new order replaces %q, want %q", created.Replaces, id)
	}
	var again acme.Order
	decode(t, rc.post(u, nil), &again) // RFC 9773 §5: kept on later reads
	if again.Replaces != id {
		t.Fatalf("order replaces %q, want %q", again.Replaces, id)
	}
	expectProblem(t, rc.post(rc.dir.NewOrder, req), http.StatusConflict, acme.ProblemAlreadyReplaced)
}

func TestOrderProfiles(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	var dir acme.Directory
	resp, _ := rc.http.Get(e.ca.DirectoryURL())
	decode(t, resp, &dir)
	if dir.Meta == nil || dir.Meta.Profiles["shortlived"] == "" {
		t.Fatalf("directory meta lacks profiles: %+v", dir.Meta)
	}
	bad := acme.NewOrderRequest{Identifiers: dnsIDs("p.example.com"), Profile: "nope"}
	expectProblem(t, rc.post(rc.dir.NewOrder, bad), 400, acme.ProblemInvalidProfile)

	ok := acme.NewOrderRequest{Identifiers: dnsIDs("p.example.com"), Profile: "shortlived"}
	resp = rc.post(rc.dir.NewOrder, ok)
	var o acme.Order
	decode(t, resp, &o)
	if o.Profile != "shortlived" {
		t.Fatalf("order profile %q", o.Profile)
	}
	rc.authorize(e, o)
	csr, _ := csrFor(t, "p.example.com")
	decode(t, rc.finalize(o, csr), &o)
	leaf := rc.leafOf(o)
	// notAfter is inclusive (RFC 5280 §4.1.2.5): six days end one second
	// before notBefore plus six days.
	if life := leaf.NotAfter.Sub(leaf.NotBefore); life != 6*24*time.Hour-time.Second {
		t.Fatalf("shortlived certificate lives %s", life)
	}
}

func TestAlternateChains(t *testing.T) {
	e := startEnv(t, func(c *Config) { c.AlternateRoots = 1 })
	rc := newRawClient(t, e)
	rc.register()
	_, o, _ := rc.issue(e, "alt.example.com")
	resp := rc.post(o.Certificate, nil)
	alt := linkRel(resp.Header, "alternate")
	resp.Body.Close()
	if alt == "" {
		t.Fatal("no Link rel=alternate")
	}
	roots := parsePEMBytes(t, e.ca.IssuerRootsPEM())
	if len(roots) != 2 {
		t.Fatalf("%d issuer roots, want 2", len(roots))
	}
	for i, url := range []string{o.Certificate, alt} {
		chain := rc.chain(url)
		pool := x509.NewCertPool()
		pool.AddCert(roots[i])
		inter := x509.NewCertPool()
		inter.AddCert(chain[1])
		if _, err := chain[0].Verify(x509.VerifyOptions{Roots: pool, Intermediates: inter}); err != nil {
			t.Fatalf("chain %d does not verify under root %d: %v", i, i, err)
		}
	}
}
