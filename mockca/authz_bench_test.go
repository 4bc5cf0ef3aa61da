package mockca

import (
	"fmt"
	"testing"
	"time"

	"acmeconform/acme"
)

// BenchmarkReuseLookupBusyAccount measures the authorization reuse lookup
// newOrder makes under the store lock (RFC 8555 §7.4) for a name the
// account has never validated, as the account's authorizations grow.
func BenchmarkReuseLookupBusyAccount(b *testing.B) {
	for _, n := range []int{100, 10000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s, err := New(Config{})
			if err != nil {
				b.Fatal(err)
			}
			acct := &account{id: "busy"}
			s.store.accounts[acct.id] = acct
			now := time.Now()
			for i := range n {
				a := &authz{id: newID(), accountID: acct.id, status: acme.StatusValid,
					ident:     acme.Identifier{Type: acme.IdentifierDNS, Value: fmt.Sprintf("n%d.test", i)},
					validated: now, expires: now.Add(time.Hour), touched: now}
				s.store.authzs[a.id] = a
				acct.addAuthz(a)
			}
			id := acme.Identifier{Type: acme.IdentifierDNS, Value: "new.test"}
			for b.Loop() {
				s.store.mu.Lock()
				if s.validAuthz(acct.id, id, now) != nil {
					b.Fatal("found an authorization for a name never validated")
				}
				s.store.mu.Unlock()
			}
		})
	}
}
