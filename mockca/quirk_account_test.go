package mockca

import (
	"net/http"
	"strings"
	"testing"

	"acmeconform/acme"
)

// TestQuirkAccountElsewhere checks that the account URL quirk moves
// accounts to a path unrelated to newAccount's, that the Location header
// names it and kid must be it, and that the usual paths answer 404
// meanwhile.
func TestQuirkAccountElsewhere(t *testing.T) {
	e, rc := quirkEnv(t, QuirkAccountElsewhere, false)
	rc.register()
	if !strings.HasPrefix(rc.kid, e.ca.url(pathAccountElsewhere)) {
		t.Fatalf("Location %q, want it under %s", rc.kid, pathAccountElsewhere)
	}
	var acct acme.Account
	decode(t, rc.post(rc.kid, nil), &acct)
	if !strings.HasPrefix(acct.Orders, rc.kid+"/") {
		t.Errorf("orders URL %q is not under the account URL %q", acct.Orders, rc.kid)
	}
	_, o, _ := rc.issue(e, "elsewhere.acmeconform.test")
	if o.Status != acme.StatusValid {
		t.Fatalf("order is %s, want valid", o.Status)
	}

	usual := strings.Replace(rc.kid, pathAccountElsewhere, pathAccount, 1)
	if got := rc.post(usual, nil); got.StatusCode != http.StatusNotFound {
		t.Errorf("POST to %s: HTTP %d, want 404 while the quirk is on", usual, got.StatusCode)
	}
	moved := rc.kid
	rc.kid = usual
	expectProblem(t, rc.post(rc.dir.NewOrder, acme.NewOrderRequest{Identifiers: []acme.Identifier{
		{Type: acme.IdentifierDNS, Value: "usual.acmeconform.test"}}}),
		http.StatusBadRequest, acme.ProblemAccountDoesNotExist)

	if err := e.ca.SetQuirks(nil); err != nil {
		t.Fatal(err)
	}
	if got := rc.post(usual, nil); got.StatusCode != http.StatusOK {
		t.Errorf("POST to %s: HTTP %d, want 200 once the quirk is off", usual, got.StatusCode)
	}
	rc.kid = moved
	expectProblem(t, rc.post(rc.dir.NewOrder, acme.NewOrderRequest{Identifiers: []acme.Identifier{
		{Type: acme.IdentifierDNS, Value: "moved.acmeconform.test"}}}),
		http.StatusBadRequest, acme.ProblemAccountDoesNotExist)
}

// TestQuirkAlternateChains checks that a CA configured without alternate
// roots offers none until the quirk is on, and then links to a chain with
// the same leaf under another root.
func TestQuirkAlternateChains(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	_, o, _ := rc.issue(e, "alt.acmeconform.test")
	if alts := alternates(t, rc, o.Certificate); len(alts) != 0 {
		t.Fatalf("alternates %v offered with the quirk off", alts)
	}
	if err := e.ca.SetQuirks([]Quirk{QuirkAltChains}); err != nil {
		t.Fatal(err)
	}
	alts := alternates(t, rc, o.Certificate)
	if len(alts) != 1 {
		t.Fatalf("alternates %v, want one", alts)
	}
	def, alt := rc.chain(o.Certificate), rc.chain(alts[0])
	if !def[0].Equal(alt[0]) {
		t.Error("the alternate chain starts with another leaf")
	}
	top := alt[len(alt)-1]
	deftop := def[len(def)-1]
	if top.Issuer.CommonName != "mockca root 1" || deftop.Issuer.CommonName != "mockca root 0" {
		t.Errorf("alternate chain issued by %q, default by %q; want mockca root 1 and 0",
			top.Issuer.CommonName, deftop.Issuer.CommonName)
	}
}

// alternates returns the rel="alternate" links of a certificate URL.
func alternates(t *testing.T, rc *rawClient, certURL string) []string {
	t.Helper()
	resp := rc.post(certURL, nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("certificate: HTTP %d", resp.StatusCode)
	}
	var out []string
	for _, v := range resp.Header.Values("Link") {
		var u, rel string
		if n, _ := sscanLink(v, &u, &rel); n == 2 && rel == "alternate" {
			out = append(out, u)
		}
	}
	return out
}
