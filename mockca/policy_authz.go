package mockca

import (
	"strings"
	"time"

	"acmeconform/acme"
)

// policyState is the policy layer's state on a Server: the credential
// store and the customers' validations. validations is guarded by the
// object store's lock.
type policyState struct {
	creds       *credentialStore
	validations map[string]*validationSet // by customer
}

func newPolicyState() *policyState {
	return &policyState{creds: newCredentialStore(), validations: map[string]*validationSet{}}
}

// validationRecord is a customer's proof of control of a name: it
// outlives the authorization objects, which retention drops.
type validationRecord struct {
	authzID    string // the authorization that proved it
	ident      acme.Identifier
	wildcard   bool
	method     string
	validated  time.Time
	caaChecked time.Time
	// withdrawn is set when an authorization carrying this validation for
	// the same name was deactivated (RFC 8555 §7.5.2).
	withdrawn bool
	seq       uint64 // order of recording within the customer's set
	dropped   bool   // replaced or past the reuse window
}

// customerOf returns who owns an account's validations: the API
// credential it was bound through, or the account itself. Caller holds
// the store lock.
func (s *Server) customerOf(acctID string) string {
	if a := s.store.accounts[acctID]; a != nil && a.customer != "" {
		return a.customer
	}
	return "account:" + acctID
}

// recordValidation remembers a's successful validation for its customer,
// replacing an older record of the same name and dropping records past
// the reuse window. Caller holds the store lock.
func (s *Server) recordValidation(a *authz) {
	cust := s.customerOf(a.accountID)
	vs := s.policy.validations[cust]
	if vs == nil {
		vs = newValidationSet()
		s.policy.validations[cust] = vs
	}
	vs.add(&validationRecord{authzID: a.id, ident: a.ident, wildcard: a.wildcard,
		method: a.method, validated: a.validated, caaChecked: a.caaChecked},
		s.profile.reuseWindow(a.validated))
}

// resetValidations forgets every customer's validations (Server.Reset).
// API credentials and their MAC keys stay: they stand for the customer
// portal, which a reset of the ACME objects does not touch.
func (s *Server) resetValidations() {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	s.policy.validations = map[string]*validationSet{}
}

// policyAuthz returns a valid authorization for id without a challenge
// when the account's customer holds a validation that covers it within
// the profile's reuse window: the same name (validation scope "customer")
// or a parent validated by a subdomain bypass method. It returns nil when
// a fresh validation is needed. Caller holds the store lock.
func (s *Server) policyAuthz(acctID string, id acme.Identifier, now time.Time) *authz {
	if !s.profile.sharesValidations() && len(s.profile.SubdomainBypass) == 0 {
		return nil
	}
	window := s.misReuseWindow(acctID, s.profile.reuseWindow(now))
	if window <= 0 {
		return nil
	}
	base, wild := strings.CutPrefix(id.Value, "*.")
	want := acme.Identifier{Type: id.Type, Value: base}
	vs := s.policy.validations[s.customerOf(acctID)]
	if vs == nil {
		return nil
	}
	var best *validationRecord
	exact := false
	vs.covering(want, func(r *validationRecord) {
		if now.Sub(r.validated) > window || s.withdrawn(r) {
			return
		}
		same := s.profile.sharesValidations() && r.ident == want && r.wildcard == wild
		if !same && !s.bypasses(r, want, wild) {
			return
		}
		// The latest validation wins; of equals, the one recorded first.
		if best == nil || r.validated.After(best.validated) ||
			r.validated.Equal(best.validated) && r.seq < best.seq {
			best, exact = r, same
		}
	})
	if best == nil {
		return nil
	}
	return s.reusedAuthz(acctID, want, wild, best, exact, window, now)
}

// reusedAuthz stores a valid authorization of the account that carries
// the record's validation. A bypassed name has had no CAA check of its
// own, so finalize checks it.
func (s *Server) reusedAuthz(acctID string, id acme.Identifier, wild bool, r *validationRecord,
	exact bool, window time.Duration, now time.Time) *authz {
	a := &authz{id: newID(), accountID: acctID, ident: id, wildcard: wild,
		status: acme.StatusValid, expires: r.validated.Add(window), validated: r.validated,
		method: r.method, touched: now}
	if exact {
		a.caaChecked, a.origin = r.caaChecked, r.authzID
	}
	s.store.authzs[a.id] = a
	s.store.accounts[acctID].addAuthz(a)
	return a
}

// withdrawn reports whether the record's authorization was deactivated
// (RFC 8555 §7.5.2), which gives the validation up.
func (s *Server) withdrawn(r *validationRecord) bool {
	if r.withdrawn {
		return true
	}
	a := s.store.authzs[r.authzID]
	return a != nil && a.status == acme.StatusDeactivated
}

// bypasses reports whether record r covers a name below the validated one:
// its method proves control of the whole domain (dns-01 in atlas), and the
// name is a strict subdomain or the validated name's wildcard. A child's
// validation never covers its parent or a sibling.
func (s *Server) bypasses(r *validationRecord, id acme.Identifier, wild bool) bool {
	if id.Type != acme.IdentifierDNS || r.ident.Type != acme.IdentifierDNS ||
		!s.misBypasses(r.method) {
		return false
	}
	return strings.HasSuffix(id.Value, "."+r.ident.Value) || (wild && id.Value == r.ident.Value)
}

// withdrawValidation gives up the customer's validation of a's name when a
// is deactivated (RFC 8555 §7.5.2: the client relinquishes its
// authorization for the identifier). A reused authorization stands for the
// validation it was copied from; one that a parent's validation covered
// leaves the parent's in place. Caller holds the store lock.
func (s *Server) withdrawValidation(a *authz) {
	src := a.id
	if a.origin != "" {
		src = a.origin
	}
	if vs := s.policy.validations[s.customerOf(a.accountID)]; vs != nil {
		if r := vs.byAuthz[src]; r != nil {
			r.withdrawn = true
		}
	}
}
