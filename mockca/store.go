package mockca

import (
	"crypto/x509"
	"slices"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"

	"acmeconform/acme"
)

// account is the stored form of an ACME account (RFC 8555 §7.1.2).
type account struct {
	id      string
	key     *jose.JSONWebKey
	thumb   string
	status  acme.Status
	contact []string
	tos     bool
	eab     any // the binding's JWS as received, echoed in the object
	orders  []string
	authzs  []string // the account's authorizations, in creation order
	// byIdent files the same authorizations under authzKey, so a reuse
	// lookup reads only those for its identifier (see addAuthz).
	byIdent map[string][]string
	// customer owns the account's validations: the API credential it was
	// bound through (policy_authz.go); "" means the account itself.
	customer string
}

// order is the stored form of an order (RFC 8555 §7.1.3).
type order struct {
	id          string
	accountID   string
	status      acme.Status
	expires     time.Time
	identifiers []acme.Identifier
	notBefore   *time.Time
	notAfter    *time.Time
	authzIDs    []string
	certID      string
	err         *acme.Problem
	profile     string
	replaces    string
	touched     time.Time // last change, for retention
}

// authz is the stored form of an authorization (RFC 8555 §7.1.4).
type authz struct {
	id        string
	accountID string
	ident     acme.Identifier
	wildcard  bool
	status    acme.Status
	expires   time.Time
	challIDs  []string
	validated time.Time
	method    string // challenge type that validated it
	touched   time.Time
	// caaChecked is when CAA last allowed issuance for the name; zero
	// when it never was checked for it (caa_recheck.go).
	caaChecked time.Time
	// origin is the authorization whose validation of the same name this
	// reused one carries (policy_authz.go); "" for one validated itself.
	origin string
}

// challenge is the stored form of a challenge (RFC 8555 §7.1.5).
type challenge struct {
	id        string
	authzID   string
	typ       string
	token     string
	status    acme.Status
	validated *time.Time
	err       *acme.Problem
}

// certificate is an issued certificate and its revocation state.
type certificate struct {
	id        string
	accountID string
	orderID   string
	// der is the certificate as issued. It is kept instead of the parsed
	// form, which took half of the heap per retained certificate; the
	// rare paths that need more than the fields below parse it (leaf).
	der       []byte
	notBefore time.Time
	notAfter  time.Time
	aki       []byte // authority key identifier, for ARI certIDs
	serial    string // lower-case hex
	revoked   bool
	reason    int
	revokedAt time.Time
	replaced  bool // a later order named it in "replaces" (RFC 9773 §5)
	ariWindow *acme.RenewalInfo
	ariRaw    []byte // management override of the ARI response
}

// newCertificate files the fields of an issued leaf that the store reads
// often; leaf parses the rest on demand.
func newCertificate(id, accountID, orderID string, leaf *x509.Certificate) *certificate {
	return &certificate{id: id, accountID: accountID, orderID: orderID, der: leaf.Raw,
		notBefore: leaf.NotBefore, notAfter: leaf.NotAfter,
		aki: slices.Clone(leaf.AuthorityKeyId), serial: leaf.SerialNumber.Text(16)}
}

// leaf parses the certificate. It parsed once when issued, so an error
// here means the stored bytes were damaged.
func (c *certificate) leaf() (*x509.Certificate, error) {
	return x509.ParseCertificate(c.der)
}

// store keeps every object in memory. One mutex guards all maps; it is
// held only for map reads and writes, never across crypto or network I/O.
type store struct {
	mu       sync.Mutex
	accounts map[string]*account
	byThumb  map[string]string
	orders   map[string]*order
	authzs   map[string]*authz
	chals    map[string]*challenge
	certs    map[string]*certificate
	bySerial map[string]string
	rate     map[string][]time.Time // newOrder times per account
	lastGC   time.Time
}

func newStore() *store {
	return &store{
		accounts: map[string]*account{},
		byThumb:  map[string]string{},
		orders:   map[string]*order{},
		authzs:   map[string]*authz{},
		chals:    map[string]*challenge{},
		certs:    map[string]*certificate{},
		bySerial: map[string]string{},
		rate:     map[string][]time.Time{},
	}
}

// reset drops every object.
func (st *store) reset() {
	fresh := newStore()
	st.mu.Lock()
	defer st.mu.Unlock()
	st.accounts, st.byThumb = fresh.accounts, fresh.byThumb
	st.orders, st.authzs, st.chals = fresh.orders, fresh.authzs, fresh.chals
	st.certs, st.bySerial, st.rate = fresh.certs, fresh.bySerial, fresh.rate
}

// gc drops finished orders and the authorizations and challenges no live
// order uses once they are older than retention. Caller holds mu.
func (st *store) gc(now time.Time, retention time.Duration) {
	if now.Sub(st.lastGC) < retention/10 {
		return
	}
	st.lastGC = now
	live := map[string]bool{}
	for id, o := range st.orders {
		if now.Sub(o.touched) > retention && o.status != acme.StatusProcessing {
			delete(st.orders, id)
			continue
		}
		for _, a := range o.authzIDs {
			live[a] = true
		}
	}
	for id, a := range st.authzs {
		if live[id] || now.Sub(a.touched) <= retention {
			continue
		}
		for _, c := range a.challIDs {
			delete(st.chals, c)
		}
		delete(st.authzs, id)
	}
	for id, c := range st.certs {
		if now.Sub(c.notAfter) > retention {
			delete(st.bySerial, c.serial)
			delete(st.certs, id)
		}
	}
	for _, acct := range st.accounts {
		kept := acct.orders[:0]
		for _, o := range acct.orders {
			if _, ok := st.orders[o]; ok {
				kept = append(kept, o)
			}
		}
		acct.orders = kept
		acct.pruneAuthzs(st.authzs)
	}
}

// authzKey is the identifier of an authorization as byIdent files it.
func authzKey(id acme.Identifier, wildcard bool) string {
	if wildcard {
		return id.Type + ":*." + id.Value
	}
	return id.Type + ":" + id.Value
}

// addAuthz files a under its account. Reuse lookups on newOrder used to
// scan every authorization of the account under the store lock, so a
// busy account slowed every request down as it grew. Caller holds mu.
func (acct *account) addAuthz(a *authz) {
	acct.authzs = append(acct.authzs, a.id)
	if acct.byIdent == nil {
		acct.byIdent = map[string][]string{}
	}
	k := authzKey(a.ident, a.wildcard)
	acct.byIdent[k] = append(acct.byIdent[k], a.id)
}

// pruneAuthzs forgets the authorizations no longer in live. Caller holds
// mu.
func (acct *account) pruneAuthzs(live map[string]*authz) {
	keep := func(ids []string) []string {
		kept := ids[:0]
		for _, id := range ids {
			if _, ok := live[id]; ok {
				kept = append(kept, id)
			}
		}
		return kept
	}
	acct.authzs = keep(acct.authzs)
	for k, ids := range acct.byIdent {
		if ids = keep(ids); len(ids) == 0 {
			delete(acct.byIdent, k)
		} else {
			acct.byIdent[k] = ids
		}
	}
}
