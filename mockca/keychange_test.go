package mockca

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"testing"

	xacme "golang.org/x/crypto/acme"

	"acmeconform/acme"
)

func TestKeyRolloverWithClient(t *testing.T) {
	e := startEnv(t, nil)
	c := newACMEClient(t, e)
	ctx := context.Background()
	acct, err := c.Register(ctx, &xacme.Account{}, xacme.AcceptTOS)
	if err != nil {
		t.Fatal(err)
	}
	newKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err := c.AccountKeyRollover(ctx, newKey); err != nil {
		t.Fatalf("rollover: %v", err)
	}
	got, err := c.GetReg(ctx, "")
	if err != nil || got.URI != acct.URI {
		t.Fatalf("account with new key: %v %v", got, err)
	}
	old := newACMEClient(t, e)
	if _, err := old.GetReg(ctx, ""); err == nil {
		t.Fatalf("a fresh key should find no account")
	}
	if err := c.DeactivateReg(ctx); err != nil {
		t.Fatalf("deactivate: %v", err)
	}
	if _, err := c.AuthorizeOrder(ctx, xacme.DomainIDs("after.example.com")); err == nil {
		t.Fatal("a deactivated account could still order")
	}
}

func TestKeyRolloverRules(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	taken := newRawClient(t, e)
	taken.register()
	fresh, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	inner := func(key *ecdsa.PrivateKey, nonce bool, url string) json.RawMessage {
		h := map[string]any{"alg": "ES256", "url": url, "jwk": jwkJSON(key)}
		if nonce {
			h["nonce"] = rc.nonce()
		}
		pl, _ := json.Marshal(map[string]any{"account": rc.kid, "oldKey": jwkJSON(rc.key)})
		return es256(key, h, pl)
	}
	tests := []struct {
		name   string
		body   json.RawMessage
		status int
		typ    acme.ProblemType
	}{
		{"inner nonce", inner(fresh, true, rc.dir.KeyChange), 400, acme.ProblemMalformed},
		{"inner url differs", inner(fresh, false, rc.dir.NewOrder), 400, acme.ProblemMalformed},
		{"new key in use", inner(taken.key, false, rc.dir.KeyChange), 409, acme.ProblemMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := rc.send(rc.dir.KeyChange, es256(rc.key, rc.header(rc.dir.KeyChange), tt.body))
			if tt.status == http.StatusConflict && resp.Header.Get(acme.HeaderLocation) != taken.kid {
				t.Errorf("409 Location %q, want %q", resp.Header.Get(acme.HeaderLocation), taken.kid)
			}
			expectProblem(t, resp, tt.status, tt.typ)
		})
	}
}
