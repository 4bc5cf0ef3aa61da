package mockca

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"acmeconform/acme"
)

// misPayload is the part of a request payload the object rules read.
type misPayload struct {
	OnlyReturnExisting bool        `json:"onlyReturnExisting"`
	Contact            []string    `json:"contact"`
	Orders             *string     `json:"orders"`
	Status             acme.Status `json:"status"`
}

func (x *misExchange) payload() misPayload {
	var p misPayload
	_ = json.Unmarshal(x.req.payload, &p) // not an object: every field zero
	return p
}

// misAccount breaks newAccount and the account object (RFC 8555 §7.3).
func (s *Server) misAccount(x *misExchange) {
	acct, ok := x.resp.body.(acme.Account)
	if !ok {
		return
	}
	path, p := x.r.URL.Path, x.payload()
	created := x.resp.status == http.StatusCreated
	switch {
	case path == pathNewAccount && !created && !p.OnlyReturnExisting && len(p.Contact) == 0 &&
		x.on(MisExisting201):
		x.resp.status = http.StatusCreated
	case path == pathNewAccount && !created && len(p.Contact) > 0 && x.on(MisExistingUpdated):
		x.resp.body = s.misUpdateContact(x.resp.location, p.Contact)
	case path == pathNewAccount && !created && p.OnlyReturnExisting && x.on(MisAccountReflects):
		m := toJSONMap(acct)
		_ = json.Unmarshal(x.req.payload, &m)
		x.resp.body = m
		return
	}
	if !strings.HasPrefix(path, s.accountPath()) || strings.HasSuffix(path, "/orders") {
		return
	}
	if p.Status == acme.StatusDeactivated && x.on(MisDeactivateAccountStale) {
		acct.Status = acme.StatusValid
		x.resp.body = acct
	}
	if x.on(MisOrdersWritable) {
		acct = s.misOrdersURL(x.req.acctID, p.Orders, acct)
		x.resp.body = acct
	}
	switch {
	case x.on(MisAccountPlain):
		x.resp.raw, _ = json.Marshal(acct)
		x.resp.ctype = "text/plain"
	case x.on(MisAccountLatin1):
		b, _ := json.Marshal(acct)
		// "caf\xe9" is "café" in Latin-1: not UTF-8 (RFC 8555 §5).
		x.resp.raw = append([]byte("{\"note\":\"caf\xe9\","), bytes.TrimPrefix(b, []byte("{"))...)
		x.resp.ctype = acme.MediaJSON
	}
}

// misUpdateContact applies a newAccount's contact to the existing account
// at location and returns the account object.
func (s *Server) misUpdateContact(location string, contact []string) acme.Account {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	a := s.store.accounts[strings.TrimPrefix(location, s.url(s.accountPath()))]
	if a == nil {
		return acme.Account{}
	}
	a.contact = contact
	return s.accountObject(a)
}

// misOrdersURL records an orders URL the client wrote and shows it.
func (s *Server) misOrdersURL(acctID string, written *string, acct acme.Account) acme.Account {
	s.mis.mu.Lock()
	defer s.mis.mu.Unlock()
	if written != nil && *written != "" {
		s.mis.orders[acctID] = *written
	}
	if u := s.mis.orders[acctID]; u != "" {
		acct.Orders = u
	}
	return acct
}

// misOrder breaks newOrder, finalize and the order object (RFC 8555
// §7.1.3, §7.4, RFC 9773 §5).
func (s *Server) misOrder(x *misExchange) {
	o, ok := x.resp.body.(acme.Order)
	if !ok {
		return
	}
	path := x.r.URL.Path
	if path == pathNewOrder && x.resp.status == http.StatusCreated && x.on(MisNewOrder200) {
		x.resp.status = http.StatusOK
	}
	if o.Status == acme.StatusPending && x.on(MisOrderNoExpires) {
		o.Expires = nil
	}
	if o.Status == acme.StatusInvalid && x.on(MisOrderKeepsPending) &&
		s.misDeactivatedAuthz(x.r.PathValue("id")) {
		o.Status, o.Error = acme.StatusPending, nil
	}
	// The order still takes a finalize; it only never shows ready.
	if o.Status == acme.StatusReady && x.on(MisOrderSkipsReady) {
		o.Status = acme.StatusProcessing
	}
	if strings.HasSuffix(path, "/finalize") && x.on(MisFinalizeStale) {
		o.Status, o.Certificate = acme.StatusReady, ""
	}
	if path != pathNewOrder && x.on(MisReplacesDropped) {
		o.Replaces = ""
	}
	x.resp.body = o
}

// misDeactivatedAuthz reports whether order id has a deactivated
// authorization.
func (s *Server) misDeactivatedAuthz(id string) bool {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	o := s.store.orders[id]
	if o == nil {
		return false
	}
	return slices.ContainsFunc(o.authzIDs, func(aid string) bool {
		a := s.store.authzs[aid]
		return a != nil && a.status == acme.StatusDeactivated
	})
}

// misAuthz breaks authorization and challenge objects (RFC 8555 §7.1.4,
// §7.5.2, §8).
func (s *Server) misAuthz(x *misExchange) {
	switch b := x.resp.body.(type) {
	case acme.Authorization:
		if x.on(MisNoValidated) {
			b.Challenges = slices.Clone(b.Challenges)
			for i := range b.Challenges {
				b.Challenges[i].Validated = nil
			}
		}
		if x.payload().Status == acme.StatusDeactivated && x.on(MisDeactivateStale) {
			b.Status = acme.StatusPending
		}
		if b.Status == acme.StatusValid && x.on(MisValidAuthzNoExpires) {
			b.Expires = nil
		}
		if b.Wildcard && x.on(MisWildcardFieldMissing) {
			b.Wildcard = false
		}
		x.resp.body = b
		if !b.Wildcard && x.on(MisWildcardFalse) {
			m := toJSONMap(b)
			m["wildcard"] = false
			x.resp.body = m
		}
	case acme.Challenge:
		if x.on(MisNoValidated) {
			b.Validated = nil
			x.resp.body = b
		}
	}
}
