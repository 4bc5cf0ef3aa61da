package mockca

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"acmeconform/acme"
)

// payloadHarness drives the ACME handlers in process with correctly signed
// requests, so fuzzed bytes reach the payload decoding of each resource
// rather than stopping at signature checks.
type payloadHarness struct {
	s        *Server
	h        http.Handler
	key      *ecdsa.PrivateKey // the account's key
	newKey   *ecdsa.PrivateKey // signs newAccount and inner keyChange JWSs
	kid      string
	order    string
	authz    string
	chall    string
	finalize string
}

const fuzzBase = "https://ca.test"

func newPayloadHarness(t testing.TB) *payloadHarness {
	t.Helper()
	s, err := New(Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	s.base = fuzzBase
	p := &payloadHarness{s: s, h: s.routes()}
	p.key, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p.newKey, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	w := p.post(pathNewAccount, p.key, false, []byte(`{"termsOfServiceAgreed":true}`))
	p.kid = w.Header().Get(acme.HeaderLocation)
	w = p.post(pathNewOrder, p.key, true,
		[]byte(`{"identifiers":[{"type":"dns","value":"fuzz.example"}]}`))
	var o acme.Order
	if err := json.Unmarshal(w.Body.Bytes(), &o); err != nil || len(o.Authorizations) == 0 {
		t.Fatalf("newOrder: HTTP %d %s", w.Code, w.Body.String())
	}
	p.order = w.Header().Get(acme.HeaderLocation)
	p.finalize, p.authz = o.Finalize, o.Authorizations[0]
	w = p.post(strings.TrimPrefix(p.authz, fuzzBase), p.key, true, nil)
	var a acme.Authorization
	if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil || len(a.Challenges) == 0 {
		t.Fatalf("authz: HTTP %d %s", w.Code, w.Body.String())
	}
	p.chall = a.Challenges[0].URL
	return p
}

// post signs payload (nil: POST-as-GET) for path with key, by kid or jwk,
// and runs it through the handler.
func (p *payloadHarness) post(path string, key *ecdsa.PrivateKey, byKID bool,
	payload []byte) *httptest.ResponseRecorder {
	h := map[string]any{"alg": "ES256", "nonce": p.s.nonces.issue(), "url": fuzzBase + path}
	if byKID {
		h["kid"] = p.kid
	} else {
		h["jwk"] = jwkJSON(key)
	}
	body := es256(key, h, payload)
	r := httptest.NewRequest(http.MethodPost, fuzzBase+path, bytes.NewReader(body))
	r.Header.Set("Content-Type", acme.MediaJOSE)
	w := httptest.NewRecorder()
	p.h.ServeHTTP(w, r)
	return w
}

// innerKeyChange wraps payload in an inner JWS signed by the new key, as
// RFC 8555 §7.3.5 requires.
func (p *payloadHarness) innerKeyChange(payload []byte) []byte {
	h := map[string]any{"alg": "ES256", "url": fuzzBase + pathKeyChange, "jwk": jwkJSON(p.newKey)}
	return es256(p.newKey, h, payload)
}

// send delivers payload to resource which (modulo the resource count).
func (p *payloadHarness) send(which uint8, payload []byte) *httptest.ResponseRecorder {
	path := func(u string) string { return strings.TrimPrefix(u, fuzzBase) }
	switch which % 8 {
	case 0:
		return p.post(pathNewAccount, p.newKey, false, payload)
	case 1:
		return p.post(path(p.kid), p.key, true, payload)
	case 2:
		return p.post(pathNewOrder, p.key, true, payload)
	case 3:
		return p.post(path(p.finalize), p.key, true, payload)
	case 4:
		return p.post(pathRevoke, p.key, true, payload)
	case 5:
		return p.post(pathKeyChange, p.key, true, payload)
	case 6:
		return p.post(pathKeyChange, p.key, true, p.innerKeyChange(payload))
	default:
		return p.post(path(p.chall), p.key, true, payload)
	}
}

// payloadSeeds are valid and nearly valid payloads of each resource.
func payloadSeeds() []string {
	return []string{
		`{"termsOfServiceAgreed":true,"contact":["mailto:a@example.org"]}`,
		`{"onlyReturnExisting":true}`,
		`{"status":"deactivated"}`,
		`{"contact":[1,2]}`,
		`{"identifiers":[{"type":"dns","value":"*.a.example"}],"notBefore":"2020-01-01T00:00:00Z"}`,
		`{"identifiers":[{"type":"ip","value":"127.0.0.1"}],"profile":"x"}`,
		`{"identifiers":null}`,
		`{"csr":"MAA"}`,
		`{"csr":"===="}`,
		`{"certificate":"MAMCAQA","reason":1}`,
		`{"certificate":"","reason":-1}`,
		`{"account":"https://ca.test/acct/x","oldKey":{"kty":"EC","crv":"P-256"}}`,
		`{"protected":"e30","payload":"","signature":""}`,
		`{}`, `[]`, `null`, `"x"`, `1e999`, ``,
	}
}

// FuzzResourcePayloads sends arbitrary payloads, correctly signed, to
// newAccount, account update, newOrder, finalize, revokeCert, keyChange
// (outer and inner payload) and a challenge: no payload may produce a 5xx,
// and every refusal must be a problem document (RFC 8555 §6.7).
func FuzzResourcePayloads(f *testing.F) {
	p := newPayloadHarness(f)
	for i := range 8 {
		for _, s := range payloadSeeds() {
			f.Add(uint8(i), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, payload []byte) {
		w := p.send(which, payload)
		if w.Code >= 500 {
			t.Fatalf("resource %d: HTTP %d: %s", which%8, w.Code, w.Body.String())
		}
		ct := w.Header().Get("Content-Type")
		if w.Code >= 400 && !strings.HasPrefix(ct, acme.MediaProblem) {
			t.Fatalf("resource %d: HTTP %d with %q: %s", which%8, w.Code, ct, w.Body.String())
		}
	})
}

// TestPayloadHarnessReachesHandlers checks that the fuzz harness's
// requests pass authentication, so the fuzzed bytes reach the decoders.
func TestPayloadHarnessReachesHandlers(t *testing.T) {
	p := newPayloadHarness(t)
	tests := []struct {
		name    string
		which   uint8
		payload string
		status  int
		problem acme.ProblemType
	}{
		{"newOrder", 2, `{"identifiers":[{"type":"dns","value":"b.example"}]}`, 201, ""},
		{"newAccount lookup", 0, `{"onlyReturnExisting":true}`, 400,
			acme.ProblemAccountDoesNotExist},
		{"finalize bad json", 3, `[`, 400, acme.ProblemMalformed},
		{"keyChange inner bad json", 6, `[`, 400, acme.ProblemMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := p.send(tc.which, []byte(tc.payload))
			if w.Code != tc.status || !strings.Contains(w.Body.String(), string(tc.problem)) {
				t.Fatalf("HTTP %d %s, want %d %s", w.Code, w.Body.String(), tc.status, tc.problem)
			}
		})
	}
}
