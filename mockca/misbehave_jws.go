package mockca

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	"github.com/go-jose/go-jose/v4"

	"acmeconform/acme"
)

// misRequest is what the front end learnt about an authenticated request,
// kept until its response is written.
type misRequest struct {
	acctID  string
	jwk     bool // signed with an embedded key, not kid
	payload []byte
	key     *jose.JSONWebKey
}

// usedNonces remembers the last redeemed nonces, so that a reused nonce
// can be told from one the CA never issued.
type usedNonces struct {
	mu   sync.Mutex
	set  map[string]bool
	ring [4096]string
	next int
}

func (u *usedNonces) add(v string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.set == nil {
		u.set = map[string]bool{}
	}
	delete(u.set, u.ring[u.next])
	u.ring[u.next] = v
	u.next = (u.next + 1) % len(u.ring)
	u.set[v] = true
}

func (u *usedNonces) has(v string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.set[v]
}

// kidAccount returns the account id a kid names, "" for none.
func (s *Server) kidAccount(kid string) string {
	id, _ := s.accountIDOf(kid)
	return id
}

// misParseJWS is parseJWS with the relaxations of the JWS misbehaviours:
// a JWS the strict parser refuses is parsed again leniently when a
// switched-on misbehaviour excuses its defect.
func (s *Server) misParseJWS(r *http.Request, body []byte) (*parsedJWS, error) {
	p, err := parseJWS(body)
	if !s.mis.active() {
		return p, err
	}
	if err == nil {
		if p.jwk != nil && s.misbehaves(MisEdDSARefused) {
			if _, ed := p.jwk.Key.(ed25519.PublicKey); ed {
				return nil, acme.NewProblem(acme.ProblemBadPublicKey, "Ed25519 keys are refused")
			}
		}
		return p, nil
	}
	if lp := s.lenientJWS(r, body); lp != nil {
		return lp, nil
	}
	return nil, err
}

// lenientJWS parses body with only the rules no switched-on misbehaviour
// excuses; nil means the JWS is refused anyway.
func (s *Server) lenientJWS(r *http.Request, body []byte) *parsedJWS {
	var f flatJWS
	if json.Unmarshal(body, &f) != nil || f.Protected == "" {
		return nil
	}
	var hdr protectedHeader
	hb, err := base64.RawURLEncoding.DecodeString(f.Protected)
	if err != nil && s.mis.is(MisBase64Lenient, "") {
		f.Protected, f.Payload = keepBase64URL(f.Protected), keepBase64URL(f.Payload)
		f.Signature = keepBase64URL(f.Signature)
		clean, _ := json.Marshal(f)
		if p, err := parseJWS(clean); err == nil {
			return p
		}
		return nil
	}
	if err != nil || json.Unmarshal(hb, &hdr) != nil {
		return nil
	}
	acct := s.kidAccount(hdr.KID)
	on := func(m Misbehaviour) bool { return s.mis.is(m, acct) }
	p := &parsedJWS{raw: body, hdr: hdr}
	hasJWK := len(hdr.JWK) > 0 && string(hdr.JWK) != "null"
	switch {
	case hdr.Alg == "none" && on(MisAlgNone):
	case strings.HasPrefix(hdr.Alg, "HS") && r.URL.Path == pathNewOrder && on(MisAlgMACNewOrder):
	case hdr.URL == "" && algAllowed(hdr.Alg) && on(MisURLOptional):
		p.hdr.URL = "https://" + r.Host + r.URL.RequestURI()
	case hasJWK && hdr.KID != "" && algAllowed(hdr.Alg) && on(MisJWKAndKID):
		p.hdr.JWK = nil
	default:
		return nil
	}
	if p.hdr.KID == "" {
		return nil // the relaxed paths serve kid requests only
	}
	if algAllowed(hdr.Alg) {
		if p.signed, err = jose.ParseSignedJSON(string(body), allowedAlgs); err != nil {
			return nil
		}
	}
	return p
}

// keepBase64URL drops every character outside the base64url alphabet.
func keepBase64URL(v string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') ||
			(r >= 'A' && r <= 'Z') {
			return r
		}
		return -1
	}, v)
}

// isBase64URL reports whether v is non-empty unpadded base64url.
func isBase64URL(v string) bool { return v != "" && keepBase64URL(v) == v }

// misVerify verifies the JWS signature, unless a misbehaviour skips the
// check, and remembers the request for the response rules.
func (s *Server) misVerify(req *request) ([]byte, error) {
	p := req.jws
	var payload []byte
	var err error
	switch {
	case p.signed == nil: // only lenientJWS leaves it unset: alg none or a MAC
		var f flatJWS
		if err = json.Unmarshal(p.raw, &f); err == nil {
			payload, err = base64.RawURLEncoding.DecodeString(f.Payload)
		}
	default:
		payload, err = p.signed.Verify(req.key)
		if err != nil {
			payload, err = s.misUnverified(req)
		}
	}
	if err != nil {
		return nil, err
	}
	if s.mis.active() || s.mis.quirks.active() {
		s.mis.inflight.Store(req.http, &misRequest{acctID: req.acctID, jwk: req.acctID == "",
			payload: payload, key: req.key})
	}
	return payload, nil
}

// misUnverified returns the payload of a JWS whose signature did not verify
// when a misbehaviour accepts it: no check at all, or the account's key
// before its last rollover.
func (s *Server) misUnverified(req *request) ([]byte, error) {
	p := req.jws
	if req.http.URL.Path == pathNewOrder && s.misbehavesReq(req, MisSignatureIgnored) {
		return p.signed.UnsafePayloadWithoutVerification(), nil
	}
	if req.acctID != "" && s.misbehavesReq(req, MisKeyChangeKeepsOld) {
		s.mis.mu.Lock()
		old := s.mis.oldKeys[req.acctID]
		s.mis.mu.Unlock()
		var k jose.JSONWebKey
		if old != "" && k.UnmarshalJSON([]byte(old)) == nil {
			return p.signed.Verify(&k)
		}
	}
	return nil, errNotVerified
}

// errNotVerified is the error of a signature no misbehaviour excuses.
var errNotVerified = malformed("JWS signature does not verify")

// misCheckNonce is checkNonce with the nonce misbehaviours, and the
// refusal of certificate-key revocations.
func (s *Server) misCheckNonce(req *request, v string) error {
	if err := s.quirkRequest(req); err != nil {
		return err
	}
	if !s.mis.active() {
		return s.checkNonce(v)
	}
	on := func(m Misbehaviour) bool { return s.misbehavesReq(req, m) }
	path := req.http.URL.Path
	switch {
	case path == pathRevoke && req.acctID == "" && on(MisRevokeCertKeyRefused):
		return acme.NewProblem(acme.ProblemUnauthorized, "revocation needs an account")
	case v == "" && on(MisNonceMissing):
		return nil
	case v != "" && !isBase64URL(v) && on(MisNonceEncoding403):
		return acme.NewProblem(acme.ProblemUnauthorized, "nonce refused")
	}
	if err := s.misRevokeReason(req); err != nil {
		return err
	}
	err := s.checkNonce(v)
	switch {
	case err == nil:
		s.mis.used.add(v)
		return nil
	case v == "":
		return err
	case s.mis.used.has(v):
		if on(MisNonceReuse) {
			return nil
		}
	case isBase64URL(v) && path == pathNewOrder && on(MisNonceUnknownNewOrder):
		return nil
	}
	return err
}

// misAccountByJWK authenticates a request that names its account by the
// account's jwk instead of kid.
func (s *Server) misAccountByJWK(req *request) error {
	thumb, err := thumbprint(req.jws.jwk)
	if err != nil {
		return malformed("this resource requires kid, not jwk")
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	id, ok := s.store.byThumb[thumb]
	if !ok || s.store.accounts[id].status != acme.StatusValid {
		return acme.NewProblem(acme.ProblemAccountDoesNotExist, "no account for this jwk")
	}
	req.key, req.acctID = req.jws.jwk, id
	return nil
}

// misBodyLimit is the request body bound: Config.MaxBodyBytes, or 8 MiB
// when the CA processes bodies of any size.
func (s *Server) misBodyLimit() int64 {
	if s.misbehaves(MisBodyUnbounded) {
		return 8 << 20
	}
	return s.cfg.MaxBodyBytes
}
