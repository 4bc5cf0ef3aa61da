package mockca

import (
	"testing"
	"time"

	"acmeconform/acme"
)

// orderStates orders name and returns the status and challenge count of
// its authorization.
func orderStates(rc *rawClient, name string) (acme.Status, int) {
	rc.t.Helper()
	_, o := rc.newOrder(name)
	az := rc.authzStates(o)[0]
	return az.Status, len(az.Challenges)
}

func TestValidationReuseWindow(t *testing.T) {
	e, clock := startPolicyEnv(t, "atlas", nil)
	mk := mint(t, e)
	first := boundClient(t, e, mk)
	first.validateWith(e, "reuse.example.com", acme.ChallengeHTTP01)
	validated := clock.Now()

	second := boundClient(t, e, mk) // another account of the same customer
	other := boundClient(t, e, mint(t, e))
	if st, _ := orderStates(other, "reuse.example.com"); st != acme.StatusPending {
		t.Errorf("another customer's account got a %s authorization", st)
	}
	clock.Set(validated.Add(397 * day))
	if st, n := orderStates(second, "reuse.example.com"); st != acme.StatusValid || n != 0 {
		t.Errorf("at 397 days: %s with %d challenges, want valid with none", st, n)
	}
	clock.Advance(time.Second)
	if st, _ := orderStates(second, "reuse.example.com"); st != acme.StatusPending {
		t.Errorf("at 397 days and 1 s: %s, want a fresh validation", st)
	}
}

func TestReusedOrderIssues(t *testing.T) {
	e, _ := startPolicyEnv(t, "atlas", nil)
	mk := mint(t, e)
	boundClient(t, e, mk).validateWith(e, "issue.example.com", acme.ChallengeDNS01)
	rc := boundClient(t, e, mk)
	_, o := rc.newOrder("issue.example.com", "www.issue.example.com")
	if o.Status != acme.StatusReady {
		t.Fatalf("order of validated names is %s, want ready", o.Status)
	}
}

func TestSubdomainBypass(t *testing.T) {
	tests := []struct {
		name      string
		validated string
		method    string
		ordered   string
		want      acme.Status
	}{
		{"dns-01 parent covers a subdomain", "p1.example.com", acme.ChallengeDNS01,
			"sub.p1.example.com", acme.StatusValid},
		{"dns-01 parent covers a deeper name", "p2.example.com", acme.ChallengeDNS01,
			"a.b.p2.example.com", acme.StatusValid},
		{"dns-01 parent covers its wildcard", "p3.example.com", acme.ChallengeDNS01,
			"*.p3.example.com", acme.StatusValid},
		{"dns-01 parent covers a deeper wildcard", "p4.example.com", acme.ChallengeDNS01,
			"*.x.p4.example.com", acme.StatusValid},
		{"http-01 parent covers nothing below", "p5.example.com", acme.ChallengeHTTP01,
			"sub.p5.example.com", acme.StatusPending},
		{"http-01 parent does not cover its wildcard", "p6.example.com", acme.ChallengeHTTP01,
			"*.p6.example.com", acme.StatusPending},
		{"child never covers its parent", "c.p7.example.com", acme.ChallengeDNS01,
			"p7.example.com", acme.StatusPending},
		{"child never covers a sibling", "c.p8.example.com", acme.ChallengeDNS01,
			"d.p8.example.com", acme.StatusPending},
		{"suffix is not a parent", "p9.example.com", acme.ChallengeDNS01,
			"xp9.example.com", acme.StatusPending},
	}
	e, _ := startPolicyEnv(t, "atlas", nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mk := mint(t, e)
			boundClient(t, e, mk).validateWith(e, tt.validated, tt.method)
			st, n := orderStates(boundClient(t, e, mk), tt.ordered)
			if st != tt.want {
				t.Errorf("%s after %s of %s: %s, want %s", tt.ordered, tt.method, tt.validated,
					st, tt.want)
			}
			if st == acme.StatusValid && n != 0 {
				t.Errorf("a bypassed authorization lists %d challenges", n)
			}
		})
	}
}

func TestDeactivatedValidationIsNotReused(t *testing.T) {
	e, _ := startPolicyEnv(t, "atlas", nil)
	mk := mint(t, e)
	rc := boundClient(t, e, mk)
	u := rc.validateWith(e, "gone.example.com", acme.ChallengeDNS01)
	// RFC 8555 §7.5.2: deactivating the authorization gives the
	// validation up, for every account of the customer.
	resp := rc.post(u, map[string]string{"status": "deactivated"})
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("deactivate: HTTP %d", resp.StatusCode)
	}
	other := boundClient(t, e, mk)
	for _, name := range []string{"gone.example.com", "sub.gone.example.com"} {
		if st, _ := orderStates(other, name); st != acme.StatusPending {
			t.Errorf("%s after deactivation: %s, want pending", name, st)
		}
	}
}

// TestDeactivatedReuseIsNotReused checks that deactivating a reused
// authorization gives the validation up as deactivating the original does
// (RFC 8555 §7.5.2), while one covered by its parent's dns-01 validation
// leaves the parent's validation in place.
func TestDeactivatedReuseIsNotReused(t *testing.T) {
	e, _ := startPolicyEnv(t, "atlas", nil)
	mk := mint(t, e)
	rc := boundClient(t, e, mk)
	rc.validateWith(e, "copy.example.com", acme.ChallengeDNS01)
	tests := []struct {
		name string
		want acme.Status
	}{
		{"sub.copy.example.com", acme.StatusValid}, // the parent still covers it
		{"copy.example.com", acme.StatusPending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, o := rc.newOrder(tt.name)
			az := rc.authzStates(o)[0]
			if az.Status != acme.StatusValid {
				t.Fatalf("first order: authorization %s, want valid", az.Status)
			}
			resp := rc.post(o.Authorizations[0], map[string]string{"status": "deactivated"})
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("deactivate: HTTP %d", resp.StatusCode)
			}
			if st, _ := orderStates(boundClient(t, e, mk), tt.name); st != tt.want {
				t.Errorf("after deactivating the reused authorization: %s, want %s", st, tt.want)
			}
		})
	}
}

func TestAccountScopeKeepsKnobReuse(t *testing.T) {
	e := startEnv(t, func(c *Config) { c.Knobs.AlwaysValid = true })
	rc := newRawClient(t, e)
	rc.register()
	rc.validateWith(e, "knob.example.com", acme.ChallengeHTTP01)
	if st, _ := orderStates(rc, "knob.example.com"); st != acme.StatusPending {
		t.Errorf("default profile with reuse knob 0 reused: %s", st)
	}
}
