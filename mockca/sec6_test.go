package mockca

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"acmeconform/acme"
)

// orderPayload is a valid newOrder payload.
var orderPayload = []byte(`{"identifiers":[{"type":"dns","value":"x.example.com"}]}`)

// TestSharedRules walks through every RFC 8555 §6 rule the front end
// enforces and checks the problem type, the status and the headers every
// error must carry.
func TestSharedRules(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tests := []struct {
		name   string
		do     func() *http.Response
		status int
		typ    acme.ProblemType
	}{
		{"content type application/json", func() *http.Response {
			return rc.sendType(rc.dir.NewOrder, "application/json",
				es256(rc.key, rc.header(rc.dir.NewOrder), orderPayload))
		}, 415, acme.ProblemMalformed},
		{"no content type", func() *http.Response {
			return rc.sendType(rc.dir.NewOrder, "", es256(rc.key, rc.header(rc.dir.NewOrder), orderPayload))
		}, 415, acme.ProblemMalformed},
		{"alg none", func() *http.Response {
			return rc.send(rc.dir.NewOrder, withHeader(rc, rc.dir.NewOrder, "alg", "none"))
		}, 400, acme.ProblemBadSignatureAlgorithm},
		{"alg HS256", func() *http.Response {
			return rc.send(rc.dir.NewOrder, withHeader(rc, rc.dir.NewOrder, "alg", "HS256"))
		}, 400, acme.ProblemBadSignatureAlgorithm},
		{"url differs from request URL", func() *http.Response {
			return rc.send(rc.dir.NewOrder, withHeader(rc, rc.dir.NewOrder, "url", rc.dir.NewAccount))
		}, 403, acme.ProblemUnauthorized},
		{"no url", func() *http.Response {
			return rc.send(rc.dir.NewOrder, withHeader(rc, rc.dir.NewOrder, "url", nil))
		}, 400, acme.ProblemMalformed},
		{"nonce reused", func() *http.Response {
			body := es256(rc.key, rc.header(rc.dir.NewOrder), orderPayload)
			rc.send(rc.dir.NewOrder, body).Body.Close()
			return rc.send(rc.dir.NewOrder, body)
		}, 400, acme.ProblemBadNonce},
		{"nonce unknown", func() *http.Response {
			return rc.send(rc.dir.NewOrder, withHeader(rc, rc.dir.NewOrder, "nonce", "bm9ub25jZQ"))
		}, 400, acme.ProblemBadNonce},
		{"nonce missing", func() *http.Response {
			return rc.send(rc.dir.NewOrder, withHeader(rc, rc.dir.NewOrder, "nonce", nil))
		}, 400, acme.ProblemBadNonce},
		{"jwk and kid", func() *http.Response {
			return rc.send(rc.dir.NewOrder, withHeader(rc, rc.dir.NewOrder, "jwk", jwkJSON(rc.key)))
		}, 400, acme.ProblemMalformed},
		{"neither jwk nor kid", func() *http.Response {
			return rc.send(rc.dir.NewOrder, withHeader(rc, rc.dir.NewOrder, "kid", nil))
		}, 400, acme.ProblemMalformed},
		{"jwk on newOrder", func() *http.Response {
			h := rc.header(rc.dir.NewOrder)
			delete(h, "kid")
			h["jwk"] = jwkJSON(rc.key)
			return rc.send(rc.dir.NewOrder, es256(rc.key, h, orderPayload))
		}, 400, acme.ProblemMalformed},
		{"kid on newAccount", func() *http.Response {
			return rc.send(rc.dir.NewAccount, es256(rc.key, rc.header(rc.dir.NewAccount), []byte(`{}`)))
		}, 400, acme.ProblemMalformed},
		{"unknown kid", func() *http.Response {
			return rc.send(rc.dir.NewOrder, withHeader(rc, rc.dir.NewOrder, "kid",
				strings.Replace(rc.kid, "/account/", "/account/x", 1)))
		}, 400, acme.ProblemAccountDoesNotExist},
		{"signature by another key", func() *http.Response {
			return rc.send(rc.dir.NewOrder, es256(other, rc.header(rc.dir.NewOrder), orderPayload))
		}, 400, acme.ProblemMalformed},
		{"unprotected header", func() *http.Response {
			var m map[string]any
			_ = json.Unmarshal(es256(rc.key, rc.header(rc.dir.NewOrder), orderPayload), &m)
			m["header"] = map[string]string{"kid": rc.kid}
			b, _ := json.Marshal(m)
			return rc.send(rc.dir.NewOrder, b)
		}, 400, acme.ProblemMalformed},
		{"b64 header", func() *http.Response {
			return rc.send(rc.dir.NewOrder, withHeader(rc, rc.dir.NewOrder, "b64", false))
		}, 400, acme.ProblemMalformed},
		{"compact serialization", func() *http.Response {
			return rc.send(rc.dir.NewOrder, []byte("eyJhbGciOiJFUzI1NiJ9.e30.c2ln"))
		}, 400, acme.ProblemMalformed},
		{"body too large", func() *http.Response {
			return rc.send(rc.dir.NewOrder, bytes.Repeat([]byte("a"), 70<<10))
		}, 413, acme.ProblemMalformed},
		{"payload not JSON", func() *http.Response {
			return rc.send(rc.dir.NewOrder, es256(rc.key, rc.header(rc.dir.NewOrder), []byte("nope")))
		}, 400, acme.ProblemMalformed},
		{"private key as jwk", func() *http.Response {
			k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			priv, _ := json.Marshal(jwkPrivate(k))
			h := map[string]any{"alg": "ES256", "nonce": rc.nonce(), "url": rc.dir.NewAccount,
				"jwk": json.RawMessage(priv)}
			return rc.send(rc.dir.NewAccount, es256(k, h, []byte(`{}`)))
		}, 400, acme.ProblemBadPublicKey},
		{"GET on newOrder", func() *http.Response {
			resp, _ := rc.http.Get(rc.dir.NewOrder)
			return resp
		}, 405, acme.ProblemMalformed},
		{"POST on renewalInfo", func() *http.Response {
			// The directory and newNonce take POST-as-GET (RFC 8555 §6.3,
			// frontend_test.go); renewalInfo is read with GET only.
			return rc.post(rc.dir.RenewalInfo+"/a.b", nil)
		}, 405, acme.ProblemMalformed},
		{"unknown path", func() *http.Response {
			return rc.post(rc.dir.NewOrder+"/nothing", nil)
		}, 404, acme.ProblemMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := tt.do()
			checkErrorHeaders(t, resp)
			p := problemOf(t, resp)
			if resp.StatusCode != tt.status || p.Type != tt.typ {
				t.Fatalf("got HTTP %d %s (%s), want %d %s", resp.StatusCode, p.Type.Short(),
					p.Detail, tt.status, tt.typ.Short())
			}
			if resp.StatusCode == 405 && resp.Header.Get("Allow") == "" {
				t.Errorf("405 without Allow")
			}
			if tt.typ == acme.ProblemBadSignatureAlgorithm && len(p.Algorithms) == 0 {
				t.Errorf("badSignatureAlgorithm without algorithms")
			}
		})
	}
}

// withHeader signs orderPayload with the usual header, one field changed
// (nil deletes it).
func withHeader(rc *rawClient, url, field string, v any) []byte {
	h := rc.header(url)
	if v == nil {
		delete(h, field)
	} else {
		h[field] = v
	}
	return es256(rc.key, h, orderPayload)
}

// jwkPrivate returns the private JWK of k.
func jwkPrivate(k *ecdsa.PrivateKey) map[string]string {
	var m map[string]string
	b, _ := jwkOf(k).MarshalJSON()
	_ = json.Unmarshal(b, &m)
	return m
}

// checkErrorHeaders checks what every ACME response carries (RFC 8555
// §6.5 Replay-Nonce, §7.1 Link rel="index") and the problem media type.
func checkErrorHeaders(t *testing.T, resp *http.Response) {
	t.Helper()
	if resp.Header.Get(acme.HeaderNonce) == "" {
		t.Errorf("response without Replay-Nonce")
	}
	if !strings.Contains(strings.Join(resp.Header.Values("Link"), ","), `rel="index"`) {
		t.Errorf("response without Link rel=\"index\"")
	}
	if ct := resp.Header.Get("Content-Type"); ct != acme.MediaProblem {
		t.Errorf("content type %q, want %s", ct, acme.MediaProblem)
	}
}
