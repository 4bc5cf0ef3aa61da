package mockca

import (
	"encoding/json"
	"net/http"
	"net/mail"
	"strings"

	"acmeconform/acme"
)

// newAccountPayload is the newAccount body with the binding kept raw.
type newAccountPayload struct {
	Contact                []string        `json:"contact"`
	TermsOfServiceAgreed   bool            `json:"termsOfServiceAgreed"`
	OnlyReturnExisting     bool            `json:"onlyReturnExisting"`
	ExternalAccountBinding json.RawMessage `json:"externalAccountBinding"`
}

// postNewAccount creates an account or finds the one of this key (RFC 8555
// §7.3, §7.3.1, §7.3.4).
func (s *Server) postNewAccount(req *request) (*response, error) {
	var p newAccountPayload
	if err := decodePayload(req.payload, &p); err != nil {
		return nil, err
	}
	thumb, err := thumbprint(req.key)
	if err != nil {
		return nil, acme.NewProblem(acme.ProblemBadPublicKey, "jwk thumbprint: %v", err)
	}
	if resp, err := s.existingAccount(thumb); resp != nil || err != nil {
		return resp, err // §7.3: an existing key gets 200 and its Location
	}
	if p.OnlyReturnExisting && !s.misbehaves(MisLookupCreates) {
		return nil, acme.NewProblem(acme.ProblemAccountDoesNotExist, "no account for this key")
	}
	if err := s.checkContacts(p.Contact); err != nil {
		return nil, err
	}
	if s.profile.RequireTOSAgreement && !p.TermsOfServiceAgreed {
		return nil, malformed("termsOfServiceAgreed must be true")
	}
	acct := &account{id: newID(), key: req.key, thumb: thumb, status: acme.StatusValid,
		contact: p.Contact, tos: p.TermsOfServiceAgreed}
	kid, err := s.bindEAB(req, &p, acct)
	if err != nil {
		return nil, err
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if id, ok := s.store.byThumb[thumb]; ok { // lost a race with the same key
		return &response{body: s.accountObject(s.store.accounts[id]),
			location: s.accountURL(id)}, nil
	}
	// The key's use is counted only now that the account is created.
	if acct.customer, err = s.bindCredential(kid, acct.id); err != nil {
		return nil, err
	}
	s.store.accounts[acct.id] = acct
	s.store.byThumb[thumb] = acct.id
	return &response{status: http.StatusCreated, body: s.accountObject(acct),
		location: s.accountURL(acct.id)}, nil
}

// bindEAB verifies the external account binding when present and demands
// one when the profile requires it (RFC 8555 §7.3.4). It returns the
// binding's key id, "" when there is no binding.
func (s *Server) bindEAB(req *request, p *newAccountPayload, acct *account) (string, error) {
	if len(p.ExternalAccountBinding) == 0 || string(p.ExternalAccountBinding) == "null" {
		if s.profile.EABRequired {
			return "", acme.NewProblem(acme.ProblemExternalAccountRequired,
				"this CA requires an external account binding")
		}
		return "", nil
	}
	kid, err := s.misVerifyEAB(p.ExternalAccountBinding, req.url, req.key,
		s.accountURL(acct.id))
	if err != nil {
		return "", err
	}
	acct.eab = p.ExternalAccountBinding
	return kid, nil
}

// existingAccount returns a 200 response for the account of thumb, if
// any. The key of a deactivated account is refused like its kid requests
// (RFC 8555 §7.3.6).
func (s *Server) existingAccount(thumb string) (*response, error) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	id, ok := s.store.byThumb[thumb]
	if !ok {
		return nil, nil
	}
	a := s.store.accounts[id]
	if a.status != acme.StatusValid {
		return nil, accountNotValid(a.status)
	}
	return &response{body: s.accountObject(a), location: s.accountURL(id)}, nil
}

// checkContacts accepts mailto: URIs with one plain address each (RFC 8555
// §7.3: unsupportedContact for other schemes, invalidContact otherwise).
func (s *Server) checkContacts(contacts []string) error {
	for _, c := range contacts {
		addr, ok := strings.CutPrefix(c, "mailto:")
		if !ok {
			return acme.NewProblem(acme.ProblemUnsupportedContact,
				"contact %q: only mailto: is supported", c)
		}
		a, err := mail.ParseAddress(addr)
		if err != nil || a.Address != addr || a.Name != "" || strings.ContainsAny(addr, "?,") {
			return acme.NewProblem(acme.ProblemInvalidContact,
				"contact %q is not a single plain e-mail address", c)
		}
	}
	return nil
}

// accountObject renders a. Caller holds the store lock.
func (s *Server) accountObject(a *account) acme.Account {
	return acme.Account{
		Status:                 a.status,
		Contact:                a.contact,
		TermsOfServiceAgreed:   a.tos,
		Orders:                 s.accountURL(a.id) + "/orders",
		ExternalAccountBinding: a.eab,
	}
}

// accountUpdate is the payload of an account update (RFC 8555 §7.3.2,
// §7.3.6). Any status other than "deactivated" is ignored, as are orders
// and termsOfServiceAgreed (§7.3.2: the server MUST ignore them).
type accountUpdate struct {
	Contact *[]string   `json:"contact"`
	Status  acme.Status `json:"status"`
}

// postAccount reads (POST-as-GET), updates or deactivates the account.
func (s *Server) postAccount(req *request) (*response, error) {
	id := req.http.PathValue("id")
	if id != req.acctID {
		return nil, acme.NewProblem(acme.ProblemUnauthorized, "kid does not match the account URL")
	}
	var u accountUpdate
	if !req.postAsGet {
		if err := decodePayload(req.payload, &u); err != nil {
			return nil, err
		}
		if u.Contact != nil {
			if err := s.checkContacts(*u.Contact); err != nil {
				return nil, err
			}
		}
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	a := s.store.accounts[id]
	if u.Contact != nil {
		a.contact = *u.Contact
	}
	if u.Status == acme.StatusDeactivated {
		s.deactivateAccount(a)
	}
	return &response{body: s.accountObject(a)}, nil
}

// deactivateAccount deactivates a and its pending authorizations (RFC 8555
// §7.3.6: the server SHOULD cancel pending operations). Caller holds lock.
func (s *Server) deactivateAccount(a *account) {
	a.status = acme.StatusDeactivated
	for _, id := range a.authzs {
		if az := s.store.authzs[id]; az != nil && az.status == acme.StatusPending {
			az.status = acme.StatusDeactivated
		}
	}
}
