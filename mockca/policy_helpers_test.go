package mockca

import (
	"crypto/sha256"
	"net/http"
	"testing"
	"time"

	"acmeconform/acme"
)

// policyStart is the fixed date policy tests start at.
var policyStart = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

// startPolicyEnv starts a CA with a built-in profile, changed by mutate,
// on a fixed clock at policyStart.
func startPolicyEnv(t *testing.T, name string, mutate func(*Profile)) (*testEnv, *FixedClock) {
	t.Helper()
	p, err := LoadProfile(name)
	if err != nil {
		t.Fatal(err)
	}
	if mutate != nil {
		mutate(p)
	}
	clock := NewFixedClock(policyStart)
	e := startEnv(t, func(c *Config) { c.Profile, c.Clock = p, clock })
	return e, clock
}

// mint creates a credential and its first MAC key.
func mint(t *testing.T, e *testEnv) MACKey {
	t.Helper()
	mk, err := e.ca.NewEABKey("test")
	if err != nil {
		t.Fatal(err)
	}
	return mk
}

// registerEAB posts newAccount bound with mk; the caller reads the answer.
func (rc *rawClient) registerEAB(mk MACKey, extra map[string]any) *http.Response {
	rc.t.Helper()
	key, err := DecodeMACKey(mk.HMACKey)
	if err != nil {
		rc.t.Fatal(err)
	}
	payload := map[string]any{"termsOfServiceAgreed": true,
		"externalAccountBinding": eabJWS(rc, "HS256", mk.KID, key, sha256.New)}
	for k, v := range extra {
		payload[k] = v
	}
	return rc.post(rc.dir.NewAccount, payload)
}

// boundClient returns a registered client bound through mk.
func boundClient(t *testing.T, e *testEnv, mk MACKey) *rawClient {
	t.Helper()
	rc := newRawClient(t, e)
	resp := rc.registerEAB(mk, nil)
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("newAccount with EAB: %v", problemOf(t, resp))
	}
	rc.kid = resp.Header.Get(acme.HeaderLocation)
	return rc
}

// authzStates returns the status and challenge count of each of the
// order's authorizations.
func (rc *rawClient) authzStates(o acme.Order) []acme.Authorization {
	rc.t.Helper()
	var out []acme.Authorization
	for _, u := range o.Authorizations {
		var az acme.Authorization
		decode(rc.t, rc.post(u, nil), &az)
		out = append(out, az)
	}
	return out
}

// validateWith orders name and proves it with challenge type typ through
// the test DNS or http-01 responder, waiting until it is valid. It
// returns the authorization URL.
func (rc *rawClient) validateWith(e *testEnv, name, typ string) string {
	rc.t.Helper()
	_, o := rc.newOrder(name)
	az := rc.authzStates(o)[0]
	for _, c := range az.Challenges {
		if c.Type != typ {
			continue
		}
		ka := rc.keyAuth(c.Token)
		switch typ {
		case acme.ChallengeHTTP01:
			e.http.set(c.Token, ka)
		case acme.ChallengeDNS01:
			e.dns.setTXT("_acme-challenge."+az.Identifier.Value, dnsTXTValue(ka))
		}
		rc.post(c.URL, struct{}{}).Body.Close()
		rc.waitStatus(o.Authorizations[0], acme.StatusValid)
		return o.Authorizations[0]
	}
	rc.t.Fatalf("no %s challenge for %s: %+v", typ, name, az)
	return ""
}
