package reports

import (
	"testing"

	"acmeconform/catalog"
)

// A target faced by clients is judged on client requirements only, unless
// a spec covered another.
func TestBuildPairsTargetsWithTheirSide(t *testing.T) {
	cat, err := catalog.New([]catalog.Requirement{
		{ID: "srv", Source: "RFC 8555", Section: "6.5", Level: catalog.LevelMust, Summary: "s", Side: "server"},
		{ID: "cli", Source: "RFC 8555", Section: "7.3.4", Level: catalog.LevelMust, Summary: "c", Side: "client"},
	})
	if err != nil {
		t.Fatal(err)
	}
	meta := Report{Targets: []Target{
		{Name: "ca", Side: "server"}, {Name: "clients", Side: "client"}, {Name: "any"},
	}}
	r, err := Build(cat, meta, []Spec{{Name: "x", Target: "clients", Requirements: []string{"srv"}, State: "passed"}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Verdict{}
	for _, q := range r.Requirements {
		got[q.ID+"@"+q.Target] = q.Verdict
	}
	want := map[string]Verdict{
		"srv@ca": VerdictNotCovered, "srv@clients": VerdictPass, "srv@any": VerdictNotCovered,
		"cli@clients": VerdictNotCovered, "cli@any": VerdictNotCovered,
	}
	if len(got) != len(want) {
		t.Errorf("entries %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s, want %s", k, got[k], v)
		}
	}
}
