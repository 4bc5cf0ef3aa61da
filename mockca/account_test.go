package mockca

import (
	"net/http"
	"testing"

	"acmeconform/acme"
)

func TestNewAccountRules(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()

	t.Run("existing key gets 200 and the same Location", func(t *testing.T) {
		kid := rc.kid
		rc.kid = ""
		defer func() { rc.kid = kid }()
		resp := rc.post(rc.dir.NewAccount, map[string]any{})
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get(acme.HeaderLocation) != kid {
			t.Fatalf("HTTP %d Location %q, want 200 %q", resp.StatusCode,
				resp.Header.Get(acme.HeaderLocation), kid)
		}
	})
	t.Run("onlyReturnExisting with an unknown key", func(t *testing.T) {
		fresh := newRawClient(t, e)
		resp := fresh.post(fresh.dir.NewAccount, map[string]any{"onlyReturnExisting": true})
		expectProblem(t, resp, 400, acme.ProblemAccountDoesNotExist)
	})
	contacts := []struct {
		name    string
		contact string
		typ     acme.ProblemType
	}{
		{"tel scheme", "tel:+123", acme.ProblemUnsupportedContact},
		{"two addresses", "mailto:a@example.com,b@example.com", acme.ProblemInvalidContact},
		{"hfields", "mailto:a@example.com?subject=x", acme.ProblemInvalidContact},
		{"no at sign", "mailto:nobody", acme.ProblemInvalidContact},
	}
	for _, tt := range contacts {
		t.Run("contact "+tt.name, func(t *testing.T) {
			fresh := newRawClient(t, e)
			resp := fresh.post(fresh.dir.NewAccount,
				map[string]any{"contact": []string{tt.contact}})
			expectProblem(t, resp, 400, tt.typ)
		})
	}
}

func TestAccountUpdateAndDeactivation(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	var a acme.Account
	decode(t, rc.post(rc.kid, map[string]any{"contact": []string{"mailto:ops@example.com"}}), &a)
	if len(a.Contact) != 1 || a.Contact[0] != "mailto:ops@example.com" {
		t.Fatalf("contact after update: %v", a.Contact)
	}
	decode(t, rc.post(rc.kid, nil), &a) // POST-as-GET reads, changes nothing
	if a.Status != acme.StatusValid || len(a.Contact) != 1 || a.Orders == "" {
		t.Fatalf("account after read: %+v", a)
	}
	decode(t, rc.post(rc.kid, map[string]any{"status": "revoked"}), &a) // §7.3.2: ignored
	if a.Status != acme.StatusValid {
		t.Fatalf("status %s after an update to revoked, want it ignored", a.Status)
	}
	decode(t, rc.post(rc.kid, map[string]any{"status": "deactivated"}), &a)
	if a.Status != acme.StatusDeactivated {
		t.Fatalf("status %s after deactivation", a.Status)
	}
	// RFC 8555 §7.3.6: every later request of the account, by kid or by
	// its key on newAccount, gets 401 with type unauthorized.
	kid := rc.kid
	refused := []struct {
		name string
		do   func() *http.Response
	}{
		{"newOrder", func() *http.Response {
			return rc.post(rc.dir.NewOrder, acme.NewOrderRequest{
				Identifiers: []acme.Identifier{{Type: "dns", Value: "a.example.com"}}})
		}},
		{"POST-as-GET of the account", func() *http.Response { return rc.post(kid, nil) }},
		{"POST-as-GET of the directory", func() *http.Response {
			return rc.post(e.ca.DirectoryURL(), nil)
		}},
		{"newAccount with the key", func() *http.Response {
			rc.kid = ""
			defer func() { rc.kid = kid }()
			return rc.post(rc.dir.NewAccount, map[string]any{"termsOfServiceAgreed": true})
		}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			expectProblem(t, tt.do(), http.StatusUnauthorized, acme.ProblemUnauthorized)
		})
	}
}

// TestTermsOfServiceRequired checks RFC 8555 §7.3: a CA that names terms
// of service refuses newAccount without termsOfServiceAgreed, in every
// built-in profile that names terms.
func TestTermsOfServiceRequired(t *testing.T) {
	for _, name := range append(ProfileNames(), "") {
		t.Run("profile "+name, func(t *testing.T) {
			e := startEnv(t, func(c *Config) {
				if name != "" {
					p, err := LoadProfile(name)
					if err != nil {
						t.Fatal(err)
					}
					p.EABRequired = false // reach the terms check
					c.Profile = p
				}
			})
			rc := newRawClient(t, e)
			if rc.dir.Meta == nil || rc.dir.Meta.TermsOfService == "" {
				t.Fatal("the profile names no terms of service")
			}
			for _, payload := range []map[string]any{{}, {"termsOfServiceAgreed": false}} {
				expectProblem(t, rc.post(rc.dir.NewAccount, payload), 400, acme.ProblemMalformed)
			}
			rc.register()
		})
	}
}

func TestOrdersListPagination(t *testing.T) {
	e := startEnv(t, func(c *Config) { c.OrdersPerPage = 2 })
	rc := newRawClient(t, e)
	rc.register()
	want := map[string]bool{}
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		u, _ := rc.newOrder(n + ".example.com")
		want[u] = true
	}
	var a acme.Account
	decode(t, rc.post(rc.kid, nil), &a)
	next, pages := a.Orders, 0
	for next != "" {
		resp := rc.post(next, nil)
		next = linkRel(resp.Header, "next")
		var l acme.OrdersList
		decode(t, resp, &l)
		pages++
		if len(l.Orders) > 2 {
			t.Fatalf("page %d has %d orders", pages, len(l.Orders))
		}
		for _, u := range l.Orders {
			delete(want, u)
		}
	}
	if pages != 3 || len(want) != 0 {
		t.Fatalf("%d pages, %d orders missing", pages, len(want))
	}
}

// linkRel returns the URL of the Link header with relation rel.
func linkRel(h http.Header, rel string) string {
	for _, v := range h.Values("Link") {
		var url, r string
		if n, _ := sscanLink(v, &url, &r); n == 2 && r == rel {
			return url
		}
	}
	return ""
}
