package mockca

import (
	"fmt"
	"testing"
	"time"

	"acmeconform/acme"
)

func dnsID(v string) acme.Identifier { return acme.Identifier{Type: acme.IdentifierDNS, Value: v} }

// covered lists the authorization ids of the records vs offers for id.
func covered(vs *validationSet, id acme.Identifier) []string {
	var out []string
	vs.covering(id, func(r *validationRecord) { out = append(out, r.authzID) })
	return out
}

func TestValidationSetReplacesPrunesAndFindsParents(t *testing.T) {
	vs := newValidationSet()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	win := 10 * day
	rec := func(id, name, method string, at time.Time) {
		vs.add(&validationRecord{authzID: id, ident: dnsID(name), method: method,
			validated: at}, win)
	}
	rec("a1", "example.com", acme.ChallengeDNS01, t0)
	rec("a2", "www.example.com", acme.ChallengeHTTP01, t0)
	rec("a3", "example.com", acme.ChallengeHTTP01, t0) // another method: kept beside a1
	if got := covered(vs, dnsID("a.www.example.com")); fmt.Sprint(got) != "[a2 a1 a3]" {
		t.Errorf("records for a.www.example.com: %v, want [a2 a1 a3]", got)
	}
	if got := covered(vs, dnsID("example.org")); len(got) != 0 {
		t.Errorf("records for example.org: %v, want none", got)
	}
	rec("a4", "example.com", acme.ChallengeDNS01, t0.Add(day)) // replaces a1
	if got := covered(vs, dnsID("example.com")); fmt.Sprint(got) != "[a3 a4]" {
		t.Errorf("after replacing a1: %v, want [a3 a4]", got)
	}
	if vs.byAuthz["a1"] != nil {
		t.Error("the replaced record is still found by its authorization")
	}
	rec("a5", "late.example.net", acme.ChallengeHTTP01, t0.Add(win+time.Second))
	// a2 and a3 are past the window now; a4 is one day younger and stays.
	if got := covered(vs, dnsID("x.www.example.com")); fmt.Sprint(got) != "[a4]" {
		t.Errorf("after the window passed: %v, want [a4]", got)
	}
	if vs.len() != 2 || len(vs.queue) != 2 {
		t.Errorf("%d records, queue of %d; want 2 and 2", vs.len(), len(vs.queue))
	}
}

func TestValidationSetForgetsReplacedRecords(t *testing.T) {
	vs := newValidationSet()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 1000 {
		vs.add(&validationRecord{authzID: newID(), ident: dnsID("again.example.com"),
			method: acme.ChallengeHTTP01, validated: t0.Add(time.Duration(i) * time.Second)},
			397*day)
	}
	if got := covered(vs, dnsID("again.example.com")); len(got) != 1 {
		t.Errorf("%d records for a name validated 1000 times, want the last one", len(got))
	}
	if vs.len() != 1 || len(vs.queue) > 130 {
		t.Errorf("%d records, queue of %d; want 1 and at most 130", vs.len(), len(vs.queue))
	}
}
