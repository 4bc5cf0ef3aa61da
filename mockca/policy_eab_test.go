package mockca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"strings"
	"sync"
	"testing"

	"acmeconform/acme"
)

// expectRefusal checks resp is a problem of typ whose detail contains want.
func expectRefusal(t *testing.T, resp *http.Response, typ acme.ProblemType, want string) {
	t.Helper()
	p := expectProblem(t, resp, typ.DefaultStatus(), typ)
	if !strings.Contains(p.Detail, want) {
		t.Errorf("detail %q does not say %q", p.Detail, want)
	}
}

// bindings reads the number of accounts bound through mk's key.
func bindings(t *testing.T, e *testEnv, mk MACKey) int {
	t.Helper()
	card, err := e.ca.CredentialCard(mk.CredentialID)
	if err != nil {
		t.Fatal(err)
	}
	return card.MACKey.Bindings
}

func TestEABRefusals(t *testing.T) {
	e, clock := startPolicyEnv(t, "atlas", func(p *Profile) { p.MACKeyMaxBindings = 1 })
	t.Run("no binding", func(t *testing.T) {
		rc := newRawClient(t, e)
		resp := rc.post(rc.dir.NewAccount, map[string]any{"termsOfServiceAgreed": true})
		expectRefusal(t, resp, acme.ProblemExternalAccountRequired, "external account binding")
	})
	t.Run("unknown key", func(t *testing.T) {
		mk := mint(t, e)
		mk.KID = "kid-nonesuch"
		expectRefusal(t, newRawClient(t, e).registerEAB(mk, nil), acme.ProblemUnauthorized,
			"unknown")
	})
	t.Run("used up", func(t *testing.T) {
		mk := mint(t, e)
		boundClient(t, e, mk)
		expectRefusal(t, newRawClient(t, e).registerEAB(mk, nil), acme.ProblemUnauthorized,
			"used for all")
	})
	t.Run("superseded", func(t *testing.T) {
		c, _ := e.ca.NewCredential("rotate")
		old, _ := e.ca.IssueMACKey(c.ID, c.Secret)
		if _, err := e.ca.IssueMACKey(c.ID, c.Secret); err != nil {
			t.Fatal(err)
		}
		expectRefusal(t, newRawClient(t, e).registerEAB(old, nil), acme.ProblemUnauthorized,
			"replaced by a newer MAC key")
	})
	t.Run("expired", func(t *testing.T) {
		mk := mint(t, e)
		clock.Advance(30*day + 1)
		expectRefusal(t, newRawClient(t, e).registerEAB(mk, nil), acme.ProblemUnauthorized,
			"expired")
	})
}

func TestEABUsesOnlyCreatedAccounts(t *testing.T) {
	e, _ := startPolicyEnv(t, "atlas", nil)
	mk := mint(t, e)
	rc := newRawClient(t, e)
	e.ca.SetKnobs(Knobs{NonceRejectPercent: 100})
	expectProblem(t, rc.registerEAB(mk, nil), 400, acme.ProblemBadNonce)
	e.ca.SetKnobs(Knobs{})
	expectProblem(t, rc.registerEAB(mk, map[string]any{"contact": []string{"tel:1"}}),
		400, acme.ProblemUnsupportedContact)
	if n := bindings(t, e, mk); n != 0 {
		t.Fatalf("badNonce and a refused request used %d bindings", n)
	}
	resp := rc.registerEAB(mk, nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("newAccount: HTTP %d", resp.StatusCode)
	}
	again := rc.registerEAB(mk, nil)
	again.Body.Close()
	if again.StatusCode != http.StatusOK || bindings(t, e, mk) != 1 {
		t.Fatalf("existing key: HTTP %d, %d bindings", again.StatusCode, bindings(t, e, mk))
	}
	t.Run("onlyReturnExisting needs no binding", func(t *testing.T) {
		known := rc.post(rc.dir.NewAccount, map[string]any{"onlyReturnExisting": true})
		known.Body.Close()
		if known.StatusCode != http.StatusOK {
			t.Errorf("known key: HTTP %d", known.StatusCode)
		}
		other := newRawClient(t, e)
		expectProblem(t, other.post(other.dir.NewAccount,
			map[string]any{"onlyReturnExisting": true}), 400, acme.ProblemAccountDoesNotExist)
	})
}

func TestEABConcurrentBinders(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 1000 accounts")
	}
	e, _ := startPolicyEnv(t, "atlas", nil)
	mk := mint(t, e)
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for range 50 {
		rc := newRawClient(t, e)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 21 {
				rc.key, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
				resp := rc.registerEAB(mk, nil)
				resp.Body.Close()
				mu.Lock()
				statuses[resp.StatusCode]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if statuses[http.StatusCreated] != 1000 || bindings(t, e, mk) != 1000 {
		t.Fatalf("answers %v, %d bindings; want exactly 1000 created", statuses,
			bindings(t, e, mk))
	}
	refused := acme.ProblemUnauthorized.DefaultStatus()
	if statuses[refused] != 50 {
		t.Errorf("answers %v; want 50 refusals with HTTP %d", statuses, refused)
	}
}
