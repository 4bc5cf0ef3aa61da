package mockca

import (
	"testing"

	"acmeconform/acme"
)

func TestFinalizeBeforeReady(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	u, o := rc.newOrder("pending.example.com")
	csr, _ := csrFor(t, "pending.example.com")
	// RFC 8555 §7.4: 403 orderNotReady, and the order stays pending.
	expectProblem(t, rc.finalize(o, csr), 403, acme.ProblemOrderNotReady)
	var got acme.Order
	decode(t, rc.post(u, nil), &got)
	if got.Status != acme.StatusPending {
		t.Fatalf("order is %s after refused finalize, want pending", got.Status)
	}
}

func TestAuthzDeactivationInvalidatesOrder(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	u, o := rc.newOrder("deact.example.com")
	var az acme.Authorization
	decode(t, rc.post(o.Authorizations[0], map[string]string{"status": "deactivated"}), &az)
	if az.Status != acme.StatusDeactivated {
		t.Fatalf("authz is %s, want deactivated", az.Status)
	}
	expectProblem(t, rc.post(o.Authorizations[0], map[string]string{"status": "deactivated"}),
		400, acme.ProblemMalformed)
	var got acme.Order
	decode(t, rc.post(u, nil), &got)
	if got.Status != acme.StatusInvalid || got.Error == nil {
		t.Fatalf("order is %s (error %v), want invalid with error", got.Status, got.Error)
	}
	// A new order for the same name gets a usable authorization (case C14).
	_, o2 := rc.newOrder("deact.example.com")
	decode(t, rc.post(o2.Authorizations[0], nil), &az)
	if az.Status != acme.StatusPending {
		t.Fatalf("new order's authz is %s, want pending", az.Status)
	}
}

func TestChallengeFailureInvalidatesAuthz(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	u, o := rc.newOrder("wrong.example.com")
	var az acme.Authorization
	decode(t, rc.post(o.Authorizations[0], nil), &az)
	for _, c := range az.Challenges {
		if c.Type == acme.ChallengeHTTP01 {
			e.http.set(c.Token, "not-the-key-authorization")
			resp := rc.post(c.URL, struct{}{})
			if up := linkRel(resp.Header, "up"); up != o.Authorizations[0] {
				t.Errorf("challenge Link up = %q, want the authorization", up)
			}
			resp.Body.Close()
		}
	}
	rc.waitStatus(o.Authorizations[0], acme.StatusInvalid)
	decode(t, rc.post(o.Authorizations[0], nil), &az)
	var failed *acme.Problem
	for _, c := range az.Challenges {
		if c.Error != nil {
			failed = c.Error
		}
	}
	if failed == nil || failed.Type != acme.ProblemIncorrectResponse {
		t.Fatalf("challenge error %v, want incorrectResponse", failed)
	}
	rc.waitStatus(u, acme.StatusInvalid)
	// RFC 8555 §7.1.6: a new order for the name gets a usable
	// authorization, never the failed one.
	_, o2 := rc.newOrder("wrong.example.com")
	decode(t, rc.post(o2.Authorizations[0], nil), &az)
	if az.Status != acme.StatusPending {
		t.Fatalf("new order's authz is %s, want pending", az.Status)
	}
}

func TestIdentifierChecks(t *testing.T) {
	e := startEnv(t, func(c *Config) {
		p := DefaultProfile()
		p.DomainBlocklist = []string{"blocked.example"}
		c.Profile = &p
	})
	rc := newRawClient(t, e)
	rc.register()
	tests := []struct {
		name string
		ids  []acme.Identifier
		typ  acme.ProblemType
		subs int
	}{
		{"trailing dot", dnsIDs("example.com."), acme.ProblemRejectedIdentifier, 1},
		{"U-label", dnsIDs("bücher.example"), acme.ProblemRejectedIdentifier, 1},
		{"bad A-label", dnsIDs("xn--zz-.example"), acme.ProblemRejectedIdentifier, 1},
		{"bad punycode", dnsIDs("xn--a.example"), acme.ProblemRejectedIdentifier, 1},
		{"inner wildcard", dnsIDs("a.*.example.com"), acme.ProblemRejectedIdentifier, 1},
		{"single label", dnsIDs("localhost"), acme.ProblemRejectedIdentifier, 1},
		{"blocked subdomain", dnsIDs("www.blocked.example"), acme.ProblemRejectedIdentifier, 1},
		{"non-canonical ip", []acme.Identifier{{Type: "ip", Value: "::0:1"}},
			acme.ProblemRejectedIdentifier, 1},
		{"unknown type", []acme.Identifier{{Type: "email", Value: "a@b.example"}},
			acme.ProblemUnsupportedIdentifier, 1},
		{"two bad names", dnsIDs("a..example", "b.example."), acme.ProblemRejectedIdentifier, 2},
		{"no identifiers", nil, acme.ProblemMalformed, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := rc.post(rc.dir.NewOrder, acme.NewOrderRequest{Identifiers: tt.ids})
			p := expectProblem(t, resp, 400, tt.typ)
			if len(p.Subproblems) != tt.subs {
				t.Fatalf("%d subproblems, want %d", len(p.Subproblems), tt.subs)
			}
			// RFC 8555 §6.7.1: each refused identifier is named in a
			// subproblem, never at the top level (problemOf checks that).
			for i, sp := range p.Subproblems {
				if sp.Identifier == nil || *sp.Identifier != tt.ids[i] {
					t.Errorf("subproblem %d names %v, want %v", i, sp.Identifier, tt.ids[i])
				}
			}
		})
	}
	t.Run("mixed case is one lowercased identifier", func(t *testing.T) {
		_, o := rc.newOrder("MiXed.Example.com", "mixed.example.com")
		if len(o.Identifiers) != 1 || o.Identifiers[0].Value != "mixed.example.com" {
			t.Fatalf("identifiers %v", o.Identifiers)
		}
	})
}

// dnsIDs builds dns identifiers.
func dnsIDs(names ...string) []acme.Identifier {
	var out []acme.Identifier
	for _, n := range names {
		out = append(out, acme.Identifier{Type: acme.IdentifierDNS, Value: n})
	}
	return out
}
