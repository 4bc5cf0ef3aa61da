package mockca

import (
	"encoding/json"
	"net/http"

	"github.com/go-jose/go-jose/v4"

	"acmeconform/acme"
)

// keyChangeInner is the payload of the inner JWS of a key rollover.
type keyChangeInner struct {
	Account string          `json:"account"`
	OldKey  json.RawMessage `json:"oldKey"`
}

// postKeyChange rolls the account over to a new key (RFC 8555 §7.3.5). The
// outer JWS is signed by the old key (kid); the inner one by the new key
// (jwk) with the same url and no nonce; its payload names the account and
// the old key. A new key already in use gets 409 with that account's
// Location.
func (s *Server) postKeyChange(req *request) (*response, error) {
	inner, err := parseJWS(req.payload)
	if err != nil {
		return nil, err
	}
	if inner.jwk == nil {
		return nil, malformed("the inner JWS must carry the new key as jwk")
	}
	if inner.hdr.URL != req.url && !s.misbehavesReq(req, MisKeyChangeInnerURL) {
		return nil, malformed("the inner JWS url must equal the outer url")
	}
	if inner.hdr.Nonce != "" {
		return nil, malformed("the inner JWS must not carry a nonce")
	}
	payload, err := s.misInnerVerify(req, inner)
	if err != nil {
		return nil, malformed("the inner JWS signature does not verify")
	}
	var kc keyChangeInner
	if err := decodePayload(payload, &kc); err != nil {
		return nil, err
	}
	if kc.Account != req.jws.hdr.KID && !s.misbehavesReq(req, MisKeyChangeAccount) {
		return nil, acme.NewProblem(acme.ProblemUnauthorized, "inner account is not the outer kid")
	}
	var old jose.JSONWebKey
	if err := old.UnmarshalJSON(kc.OldKey); err != nil {
		return nil, malformed("oldKey is not a JWK: %v", err)
	}
	return s.rollKey(req, &old, inner.jwk)
}

// rollKey swaps the account key after the last checks under the lock.
func (s *Server) rollKey(req *request, old, newKey *jose.JSONWebKey) (*response, error) {
	oldThumb, err1 := thumbprint(old)
	newThumb, err2 := thumbprint(newKey)
	if err1 != nil || err2 != nil {
		return nil, malformed("cannot compute key thumbprints")
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	a := s.store.accounts[req.acctID]
	if a.thumb != oldThumb && !s.misbehavesReq(req, MisKeyChangeOldKey) {
		return nil, acme.NewProblem(acme.ProblemUnauthorized, "oldKey is not the account's key")
	}
	if other, ok := s.store.byThumb[newThumb]; ok {
		p := malformed("the new key is already in use by an account")
		p.Status = http.StatusConflict
		return &response{problem: p, location: s.accountURL(other)}, nil
	}
	delete(s.store.byThumb, a.thumb)
	a.key, a.thumb = newKey, newThumb
	s.store.byThumb[newThumb] = a.id
	return &response{body: s.accountObject(a)}, nil
}
