package mockca

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"hash"
	"net/http"
	"testing"

	"acmeconform/acme"
)

// eabJWS builds an external account binding over the client's key.
func eabJWS(rc *rawClient, alg, kid string, key []byte, newHash func() hash.Hash) json.RawMessage {
	ph, _ := json.Marshal(map[string]string{"alg": alg, "kid": kid, "url": rc.dir.NewAccount})
	p := base64.RawURLEncoding.EncodeToString(ph)
	pl := base64.RawURLEncoding.EncodeToString(jwkJSON(rc.key))
	mac := hmac.New(newHash, key)
	mac.Write([]byte(p + "." + pl))
	b, _ := json.Marshal(map[string]string{"protected": p, "payload": pl,
		"signature": base64.RawURLEncoding.EncodeToString(mac.Sum(nil))})
	return b
}

func TestExternalAccountBinding(t *testing.T) {
	macKey := []byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	e := startEnv(t, func(c *Config) {
		p := DefaultProfile()
		p.EABRequired = true
		c.Profile = &p
		c.EABKeys = StaticEABKeys(map[string][]byte{"kid-1": macKey})
	})
	tests := []struct {
		name   string
		eab    func(rc *rawClient) json.RawMessage
		status int
		typ    acme.ProblemType
	}{
		{"missing", func(*rawClient) json.RawMessage { return nil },
			401, acme.ProblemExternalAccountRequired},
		{"HS256", func(rc *rawClient) json.RawMessage {
			return eabJWS(rc, "HS256", "kid-1", macKey, sha256.New)
		}, 201, ""},
		{"HS384", func(rc *rawClient) json.RawMessage {
			return eabJWS(rc, "HS384", "kid-1", macKey, sha512.New384)
		}, 201, ""},
		{"HS512", func(rc *rawClient) json.RawMessage {
			return eabJWS(rc, "HS512", "kid-1", macKey, sha512.New)
		}, 201, ""},
		{"wrong MAC key", func(rc *rawClient) json.RawMessage {
			return eabJWS(rc, "HS256", "kid-1", []byte("wrong"), sha256.New)
		}, 403, acme.ProblemUnauthorized},
		{"unknown kid", func(rc *rawClient) json.RawMessage {
			return eabJWS(rc, "HS256", "kid-9", macKey, sha256.New)
		}, 403, acme.ProblemUnauthorized},
		{"non-MAC alg RS256", func(rc *rawClient) json.RawMessage {
			return eabJWS(rc, "RS256", "kid-1", macKey, sha256.New)
		}, 400, acme.ProblemMalformed},
		{"non-MAC alg ES256", func(rc *rawClient) json.RawMessage {
			return eabJWS(rc, "ES256", "kid-1", macKey, sha256.New)
		}, 400, acme.ProblemMalformed},
		{"alg none", func(rc *rawClient) json.RawMessage {
			return eabJWS(rc, "none", "kid-1", macKey, sha256.New)
		}, 400, acme.ProblemMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newRawClient(t, e)
			payload := map[string]any{"termsOfServiceAgreed": true}
			if b := tt.eab(rc); b != nil {
				payload["externalAccountBinding"] = b
			}
			resp := rc.post(rc.dir.NewAccount, payload)
			if tt.status != http.StatusCreated {
				expectProblem(t, resp, tt.status, tt.typ)
				return
			}
			var a acme.Account
			decode(t, resp, &a)
			if resp.StatusCode != http.StatusCreated || a.ExternalAccountBinding == nil {
				t.Fatalf("HTTP %d, binding %v", resp.StatusCode, a.ExternalAccountBinding)
			}
		})
	}
	t.Run("onlyReturnExisting needs no binding", func(t *testing.T) {
		rc := newRawClient(t, e)
		resp := rc.post(rc.dir.NewAccount, map[string]any{"onlyReturnExisting": true})
		expectProblem(t, resp, 400, acme.ProblemAccountDoesNotExist)
		// A known key is found without a binding: EAB binds at creation.
		resp = rc.post(rc.dir.NewAccount, map[string]any{"termsOfServiceAgreed": true,
			"externalAccountBinding": eabJWS(rc, "HS256", "kid-1", macKey, sha256.New)})
		resp.Body.Close()
		kid := resp.Header.Get(acme.HeaderLocation)
		resp = rc.post(rc.dir.NewAccount, map[string]any{"onlyReturnExisting": true})
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || kid == "" ||
			resp.Header.Get(acme.HeaderLocation) != kid {
			t.Fatalf("lookup: HTTP %d Location %q, want 200 %q", resp.StatusCode,
				resp.Header.Get(acme.HeaderLocation), kid)
		}
	})
}
