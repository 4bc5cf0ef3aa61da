package mockca

import (
	"fmt"
	"testing"
	"time"

	"acmeconform/acme"
)

// BenchmarkPolicyAuthzManyValidations measures the reuse lookup newOrder
// makes under the store lock for a name the customer never validated, as
// the customer's validations grow, and recording one more validation.
func BenchmarkPolicyAuthzManyValidations(b *testing.B) {
	for _, n := range []int{100, 10000, 100000} {
		prof, err := LoadProfile("letsencrypt") // validations shared by the customer
		if err != nil {
			b.Fatal(err)
		}
		s, err := New(Config{Profile: prof})
		if err != nil {
			b.Fatal(err)
		}
		acct := &account{id: "busy"}
		s.store.accounts[acct.id] = acct
		now := time.Now()
		for i := range n {
			s.recordValidation(&authz{id: newID(), accountID: acct.id, status: acme.StatusValid,
				ident: dnsID(fmt.Sprintf("n%d.bench.test", i)), method: acme.ChallengeHTTP01,
				validated: now})
		}
		b.Run(fmt.Sprintf("lookup/%d", n), func(b *testing.B) {
			id := dnsID("new.bench.test")
			for b.Loop() {
				s.store.mu.Lock()
				if s.policyAuthz(acct.id, id, now) != nil {
					b.Fatal("found a validation for a name never validated")
				}
				s.store.mu.Unlock()
			}
		})
		b.Run(fmt.Sprintf("record/%d", n), func(b *testing.B) {
			a := &authz{id: newID(), accountID: acct.id, status: acme.StatusValid,
				ident: dnsID("again.bench.test"), method: acme.ChallengeHTTP01, validated: now}
			for b.Loop() {
				s.store.mu.Lock()
				s.recordValidation(a)
				s.store.mu.Unlock()
			}
		})
	}
}
