package probe

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

// sent is what one variant put on the wire, decoded as far as possible.
type sent struct {
	contentType string
	body        []byte
	jws         JWS
	header      map[string]any
	headerErr   error
}

func decodeSent(ct string, body []byte) sent {
	s := sent{contentType: ct, body: body}
	if json.Unmarshal(body, &s.jws) == nil {
		s.header, s.headerErr = DecodeProtected(body)
	}
	return s
}

func TestVariants(t *testing.T) {
	const kid = "https://ca.test/acct/1"
	key := MustKey(jose.ES256)
	tests := []struct {
		name    string
		variant Variant
		check   func(t *testing.T, s sent, f *fakeCA, prev string)
	}{
		{"well-formed", VariantNone, func(t *testing.T, s sent, f *fakeCA, _ string) {
			wantType(t, s, "application/jose+json")
			if s.header["alg"] != "ES256" || s.header["kid"] != kid || s.header["jwk"] != nil {
				t.Errorf("header = %v", s.header)
			}
			if !f.wasIssued(s.header["nonce"].(string)) {
				t.Errorf("nonce %v was not issued by the server", s.header["nonce"])
			}
			if _, err := verify(s.body, key); err != nil {
				t.Errorf("signature does not verify: %v", err)
			}
		}},
		{"json content type", VariantContentTypeJSON, func(t *testing.T, s sent, _ *fakeCA, _ string) {
			wantType(t, s, "application/json")
		}},
		{"no content type", VariantContentTypeMissing, func(t *testing.T, s sent, _ *fakeCA, _ string) {
			wantType(t, s, "")
		}},
		{"alg none", VariantAlgNone, func(t *testing.T, s sent, _ *fakeCA, _ string) {
			if s.header["alg"] != "none" || s.jws.Signature != "" {
				t.Errorf("alg %v, signature %q", s.header["alg"], s.jws.Signature)
			}
		}},
		{"hmac", VariantAlgHMAC, func(t *testing.T, s sent, _ *fakeCA, _ string) {
			if s.header["alg"] != "HS256" || s.header["kid"] != kid {
				t.Errorf("header = %v", s.header)
			}
		}},
		{"bad signature", VariantBadSignature, func(t *testing.T, s sent, _ *fakeCA, _ string) {
			if _, err := verify(s.body, key); err == nil {
				t.Error("flipped signature still verifies")
			}
		}},
		{"url mismatch", VariantURLMismatch, func(t *testing.T, s sent, f *fakeCA, _ string) {
			if s.header["url"] == f.url("/sink") || s.header["url"] == nil {
				t.Errorf("url = %v", s.header["url"])
			}
		}},
		{"url missing", VariantURLMissing, func(t *testing.T, s sent, _ *fakeCA, _ string) {
			wantAbsent(t, s, "url")
		}},
		{"nonce reused", VariantNonceReused, func(t *testing.T, s sent, _ *fakeCA, prev string) {
			if s.header["nonce"] != prev {
				t.Errorf("nonce = %v, want the previous %q", s.header["nonce"], prev)
			}
		}},
		{"nonce made up", VariantNonceMadeUp, func(t *testing.T, s sent, f *fakeCA, _ string) {
			n, _ := s.header["nonce"].(string)
			if n == "" || f.wasIssued(n) {
				t.Errorf("nonce = %q", n)
			}
		}},
		{"nonce missing", VariantNonceMissing, func(t *testing.T, s sent, _ *fakeCA, _ string) {
			wantAbsent(t, s, "nonce")
		}},
		{"kid unknown", VariantKIDUnknown, func(t *testing.T, s sent, _ *fakeCA, _ string) {
			k, _ := s.header["kid"].(string)
			if k == kid || !strings.HasPrefix(k, "https://ca.test/acct/") {
				t.Errorf("kid = %q", k)
			}
		}},
		{"jwk and kid", VariantJWKAndKID, func(t *testing.T, s sent, _ *fakeCA, _ string) {
			if s.header["jwk"] == nil || s.header["kid"] != kid {
				t.Errorf("header = %v", s.header)
			}
		}},
		{"jwk for kid", VariantJWKForKID, func(t *testing.T, s sent, _ *fakeCA, _ string) {
			wantAbsent(t, s, "kid")
			if s.header["jwk"] == nil {
				t.Error("no jwk")
			}
		}},
		{"broken base64url", VariantBrokenBase64, func(t *testing.T, s sent, _ *fakeCA, _ string) {
			if _, err := base64.RawURLEncoding.DecodeString(s.jws.Protected); err == nil {
				t.Error("protected header still decodes")
			}
		}},
		{"padded base64url", VariantPaddedBase64, func(t *testing.T, s sent, _ *fakeCA, _ string) {
			if !strings.HasSuffix(s.jws.Signature, "=") {
				t.Errorf("signature %q has no padding", s.jws.Signature)
			}
		}},
		{"wrong json types", VariantWrongJSONTypes, func(t *testing.T, s sent, _ *fakeCA, _ string) {
			var m map[string]any
			if err := json.Unmarshal(s.body, &m); err != nil || m["protected"] != float64(42) {
				t.Errorf("body = %s", s.body)
			}
		}},
		{"not json", VariantNotJSON, func(t *testing.T, s sent, _ *fakeCA, _ string) {
			if json.Valid(s.body) {
				t.Errorf("body is JSON: %s", s.body)
			}
		}},
		{"compact", VariantCompact, func(t *testing.T, s sent, _ *fakeCA, _ string) {
			if bytes.Count(s.body, []byte(".")) != 2 || json.Valid(s.body) {
				t.Errorf("body = %.80s", s.body)
			}
		}},
		{"two signatures", VariantTwoSignatures, func(t *testing.T, s sent, _ *fakeCA, _ string) {
			var g struct {
				Signatures []json.RawMessage `json:"signatures"`
			}
			if json.Unmarshal(s.body, &g) != nil || len(g.Signatures) != 2 {
				t.Errorf("body = %.120s", s.body)
			}
		}},
		{"unprotected header", VariantUnprotectedHeader, func(t *testing.T, s sent, _ *fakeCA,
			_ string) {
			var m map[string]json.RawMessage
			_ = json.Unmarshal(s.body, &m)
			if _, ok := m["header"]; !ok || s.header["kid"] != nil {
				t.Errorf("body = %.120s, protected = %v", s.body, s.header)
			}
		}},
		{"unencoded payload", VariantUnencodedPayload, func(t *testing.T, s sent, _ *fakeCA,
			_ string) {
			if s.header["b64"] != false || s.jws.Payload != `{"a":1}` {
				t.Errorf("protected = %v, payload = %q", s.header, s.jws.Payload)
			}
		}},
		{"oversized", VariantOversized, func(t *testing.T, s sent, _ *fakeCA, _ string) {
			if len(s.body) <= 4096 {
				t.Errorf("body is only %d bytes", len(s.body))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCA(t)
			c := newTestClient(t, f)
			ctx := context.Background()
			first, err := c.Post(ctx, Request{URL: f.url("/sink"), Key: key, KID: kid})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Post(ctx, Request{URL: f.url("/sink"), Key: key, KID: kid,
				Payload: []byte(`{"a":1}`), Variant: tt.variant})
			if err != nil {
				t.Fatal(err)
			}
			r, body := f.last(t)
			tt.check(t, decodeSent(r.Header.Get("Content-Type"), body), f, first.SentNonce)
		})
	}
}

func wantType(t *testing.T, s sent, want string) {
	t.Helper()
	if s.contentType != want {
		t.Errorf("Content-Type = %q, want %q", s.contentType, want)
	}
}

func wantAbsent(t *testing.T, s sent, member string) {
	t.Helper()
	if s.headerErr != nil {
		t.Fatalf("decode header: %v", s.headerErr)
	}
	if _, ok := s.header[member]; ok {
		t.Errorf("header has %s: %v", member, s.header)
	}
}

// verify checks a flattened JWS body against key's public half.
func verify(body []byte, key *Key) ([]byte, error) {
	obj, err := jose.ParseSigned(string(body), []jose.SignatureAlgorithm{key.Alg})
	if err != nil {
		return nil, err
	}
	return obj.Verify(key.Signer.Public())
}

func TestMalformedVariantsAreDistinct(t *testing.T) {
	seen := map[Variant]bool{}
	for _, v := range MalformedVariants() {
		if v == VariantNone || seen[v] {
			t.Errorf("variant %q listed twice or empty", v)
		}
		seen[v] = true
	}
}
