package mockca

import (
	"bytes"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"

	"github.com/go-jose/go-jose/v4"

	"acmeconform/acme"
)

// allowedAlgs is the JWS algorithm allow-list for account and certificate
// keys (RFC 8555 §6.2: no "none", no MAC algorithms).
var allowedAlgs = []jose.SignatureAlgorithm{
	jose.RS256, jose.ES256, jose.ES384, jose.ES512, jose.EdDSA,
}

// flatJWS is the flattened JSON serialization ACME requires (RFC 8555
// §6.2). Unknown members such as an unprotected "header" are refused.
type flatJWS struct {
	Protected string `json:"protected"`
	Payload   string `json:"payload"`
	Signature string `json:"signature"`
}

// protectedHeader holds the protected header fields ACME uses (§6.2, §6.4,
// §6.5).
type protectedHeader struct {
	Alg   string          `json:"alg"`
	Nonce string          `json:"nonce"`
	URL   string          `json:"url"`
	KID   string          `json:"kid"`
	JWK   json.RawMessage `json:"jwk"`
	Crit  json.RawMessage `json:"crit"`
	B64   json.RawMessage `json:"b64"`
}

// parsedJWS is a JWS whose structure and header passed the stateless
// checks; its signature is not verified yet.
type parsedJWS struct {
	raw    []byte
	hdr    protectedHeader
	jwk    *jose.JSONWebKey // parsed from hdr.JWK when present
	signed *jose.JSONWebSignature
}

// malformed is a shorthand for a malformed problem.
func malformed(format string, args ...any) *acme.Problem {
	return acme.NewProblem(acme.ProblemMalformed, format, args...)
}

// parseJWS performs every check that needs no server state: the flattened
// serialization, base64url fields, the protected header, the algorithm
// allow-list and exactly one of jwk and kid. It never panics on any input.
func parseJWS(body []byte) (*parsedJWS, error) {
	var f flatJWS
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, malformed("request body is not a flattened JWS: %v", err)
	}
	if dec.More() {
		return nil, malformed("trailing data after the JWS")
	}
	if f.Protected == "" || f.Signature == "" {
		return nil, malformed("JWS lacks a protected header or signature")
	}
	hb, err := base64.RawURLEncoding.DecodeString(f.Protected)
	if err != nil {
		return nil, malformed("protected header is not base64url: %v", err)
	}
	if _, err := base64.RawURLEncoding.DecodeString(f.Payload); err != nil {
		return nil, malformed("payload is not base64url: %v", err)
	}
	p := &parsedJWS{raw: body}
	if err := json.Unmarshal(hb, &p.hdr); err != nil {
		return nil, malformed("protected header is not JSON: %v", err)
	}
	if err := p.checkHeader(); err != nil {
		return nil, err
	}
	p.signed, err = jose.ParseSignedJSON(string(body), allowedAlgs)
	if err != nil {
		return nil, malformed("parse JWS: %v", err)
	}
	return p, nil
}

// checkHeader applies the header rules of RFC 8555 §6.2.
func (p *parsedJWS) checkHeader() error {
	if !algAllowed(p.hdr.Alg) {
		pr := acme.NewProblem(acme.ProblemBadSignatureAlgorithm,
			"JWS algorithm %q is not supported", p.hdr.Alg)
		for _, a := range allowedAlgs {
			pr.Algorithms = append(pr.Algorithms, string(a))
		}
		return pr
	}
	if p.hdr.Crit != nil || p.hdr.B64 != nil {
		// ACME uses plain JWS: no critical extensions, no unencoded payload.
		return malformed("JWS must not use crit or b64 header parameters")
	}
	hasJWK := len(p.hdr.JWK) > 0 && string(p.hdr.JWK) != "null"
	if hasJWK == (p.hdr.KID != "") {
		return malformed("JWS must carry exactly one of jwk and kid")
	}
	if p.hdr.URL == "" {
		return malformed("JWS protected header lacks url")
	}
	if !hasJWK {
		return nil
	}
	var k jose.JSONWebKey
	if err := k.UnmarshalJSON(p.hdr.JWK); err != nil {
		return acme.NewProblem(acme.ProblemBadPublicKey, "jwk: %v", err)
	}
	if err := checkAccountKey(&k); err != nil {
		return err
	}
	p.jwk = &k
	return nil
}

// algAllowed reports whether alg is on the allow-list.
func algAllowed(alg string) bool {
	for _, a := range allowedAlgs {
		if string(a) == alg {
			return true
		}
	}
	return false
}

// checkAccountKey refuses private, symmetric and weak keys (badPublicKey).
func checkAccountKey(k *jose.JSONWebKey) error {
	if !k.Valid() || !k.IsPublic() {
		return acme.NewProblem(acme.ProblemBadPublicKey, "jwk must be a valid public key")
	}
	if rk, ok := k.Key.(*rsa.PublicKey); ok && rk.N.BitLen() < 2048 {
		return acme.NewProblem(acme.ProblemBadPublicKey,
			"RSA key of %d bits is too small (minimum 2048)", rk.N.BitLen())
	}
	return nil
}

// authenticate applies the request rules of RFC 8555 §6 to a POST and
// returns the verified request.
func (s *Server) authenticate(mode authMode, r *http.Request) (*request, error) {
	body, err := s.readBody(r)
	if err != nil {
		return nil, err
	}
	p, err := s.misParseJWS(r, body)
	if err != nil {
		return nil, err
	}
	req := &request{http: r, url: "https://" + r.Host + r.URL.RequestURI(), jws: p}
	if p.hdr.URL != req.url && !s.misbehaves(MisURLIgnored) {
		// RFC 8555 §6.4: a url that differs from the request URL is
		// rejected as unauthorized.
		return nil, acme.NewProblem(acme.ProblemUnauthorized,
			"JWS url %q does not match the request URL %q", p.hdr.URL, req.url)
	}
	if err := s.resolveKey(mode, req); err != nil {
		return nil, err
	}
	payload, err := s.misVerify(req)
	if err != nil {
		return nil, malformed("JWS signature does not verify")
	}
	if err := s.misCheckNonce(req, p.hdr.Nonce); err != nil {
		return nil, err
	}
	req.payload, req.postAsGet = payload, len(payload) == 0
	return req, nil
}

// resolveKey picks the verifying key: the jwk where the endpoint allows it,
// otherwise the key of the account named by kid (RFC 8555 §6.2).
func (s *Server) resolveKey(mode authMode, req *request) error {
	p := req.jws
	if p.jwk != nil {
		if mode == authKID && s.misbehaves(MisJWKForKID) {
			return s.misAccountByJWK(req)
		}
		if mode != authJWK && mode != authEither {
			return malformed("this resource requires kid, not jwk")
		}
		req.key = p.jwk
		return nil
	}
	if mode == authJWK && !s.misbehaves(MisNewAccountKID) {
		return malformed("newAccount requires jwk, not kid")
	}
	id, ok := s.accountIDOf(p.hdr.KID)
	if !ok {
		return acme.NewProblem(acme.ProblemAccountDoesNotExist,
			"kid %q is not an account URL", p.hdr.KID)
	}
	s.store.mu.Lock()
	acct := s.store.accounts[id]
	var key *jose.JSONWebKey
	var status acme.Status
	if acct != nil {
		key, status = acct.key, acct.status
	}
	s.store.mu.Unlock()
	if acct == nil {
		return acme.NewProblem(acme.ProblemAccountDoesNotExist, "no account at %q", p.hdr.KID)
	}
	if status != acme.StatusValid {
		return accountNotValid(status)
	}
	req.key, req.acctID = key, id
	return nil
}

// accountNotValid refuses a request of an account that is no longer valid.
// RFC 8555 §7.3.6: a POST or POST-as-GET from a deactivated account gets
// 401 Unauthorized with type unauthorized (not the type's usual 403).
func accountNotValid(status acme.Status) *acme.Problem {
	p := acme.NewProblem(acme.ProblemUnauthorized, "account is %s", status)
	p.Status = http.StatusUnauthorized
	return p
}
