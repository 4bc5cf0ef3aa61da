package mockca

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"hash"

	"github.com/go-jose/go-jose/v4"

	"acmeconform/acme"
)

// EABKeyLookup returns the MAC key bound to an external account key id
// (RFC 8555 §7.3.4). The key is the decoded bytes, not base64. An error
// refuses the binding with unauthorized; a policy layer uses it for
// expired, exhausted or unknown credentials. accountURL is the URL the new
// account will get, for layers that record bindings.
type EABKeyLookup func(kid, accountURL string) ([]byte, error)

// eabHashes maps the MAC algorithms an EAB may use to their hash.
var eabHashes = map[string]func() hash.Hash{
	"HS256": sha256.New,
	"HS384": sha512.New384,
	"HS512": sha512.New,
}

// verifyEAB checks an externalAccountBinding (RFC 8555 §7.3.4): a flattened
// JWS whose protected header has a MAC alg, the CA-issued kid, no nonce and
// the outer url; whose payload is the account's JWK; and whose MAC verifies
// under the key the lookup returns. It returns the kid.
func (s *Server) verifyEAB(raw json.RawMessage, outerURL string, acctKey *jose.JSONWebKey,
	acctURL string) (string, error) {
	var f flatJWS
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return "", malformed("externalAccountBinding is not a flattened JWS: %v", err)
	}
	hdr, err := eabHeader(f.Protected, outerURL)
	if err != nil {
		return "", err
	}
	if err := eabPayloadMatches(f.Payload, acctKey); err != nil &&
		!s.misbehaves(MisEABKeyMismatch) {
		return "", err
	}
	if s.eab == nil {
		return "", acme.NewProblem(acme.ProblemUnauthorized, "no external account keys are configured")
	}
	key, err := s.eab(hdr.KID, acctURL)
	if err != nil {
		return "", acme.NewProblem(acme.ProblemUnauthorized,
			"external account key %q refused: %v", hdr.KID, err)
	}
	sig, err := base64.RawURLEncoding.DecodeString(f.Signature)
	if err != nil {
		return "", malformed("externalAccountBinding signature is not base64url: %v", err)
	}
	mac := hmac.New(eabHashes[hdr.Alg], key)
	mac.Write([]byte(f.Protected + "." + f.Payload))
	if !hmac.Equal(mac.Sum(nil), sig) && !s.misbehaves(MisEABMACUnchecked) {
		return "", acme.NewProblem(acme.ProblemUnauthorized,
			"externalAccountBinding MAC does not verify for key %q", hdr.KID)
	}
	return hdr.KID, nil
}

// eabHeader decodes and checks the binding's protected header.
func eabHeader(protected, outerURL string) (protectedHeader, error) {
	var hdr protectedHeader
	hb, err := base64.RawURLEncoding.DecodeString(protected)
	if err != nil {
		return hdr, malformed("externalAccountBinding header is not base64url: %v", err)
	}
	if err := json.Unmarshal(hb, &hdr); err != nil {
		return hdr, malformed("externalAccountBinding header is not JSON: %v", err)
	}
	if _, ok := eabHashes[hdr.Alg]; !ok {
		return hdr, malformed("externalAccountBinding alg %q is not HS256, HS384 or HS512", hdr.Alg)
	}
	switch {
	case hdr.KID == "":
		return hdr, malformed("externalAccountBinding header lacks kid")
	case hdr.Nonce != "":
		return hdr, malformed("externalAccountBinding header must not carry a nonce")
	case hdr.URL != outerURL:
		return hdr, malformed("externalAccountBinding url must equal the newAccount url")
	}
	return hdr, nil
}

// eabPayloadMatches checks that the binding signs the account's own key.
func eabPayloadMatches(payload string, acctKey *jose.JSONWebKey) error {
	pb, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return malformed("externalAccountBinding payload is not base64url: %v", err)
	}
	var k jose.JSONWebKey
	if err := k.UnmarshalJSON(pb); err != nil {
		return malformed("externalAccountBinding payload is not a JWK: %v", err)
	}
	a, err1 := thumbprint(&k)
	b, err2 := thumbprint(acctKey)
	if err1 != nil || err2 != nil || a != b {
		return acme.NewProblem(acme.ProblemUnauthorized,
			"externalAccountBinding payload is not the account key")
	}
	return nil
}

// thumbprint returns the RFC 7638 SHA-256 thumbprint, base64url.
func thumbprint(k *jose.JSONWebKey) (string, error) {
	b, err := k.Thumbprint(crypto256)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
