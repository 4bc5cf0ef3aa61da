package clients_test

import (
	"slices"
	"strings"
	"testing"

	"acmeconform/catalog"
	"acmeconform/mockca"
	suite "acmeconform/suites/clients"
)

// TestRobustScenariosCoverQuirks checks that every quirk of the mock CA has
// one robustness scenario, each tied to a client requirement of the
// catalog, and that every scenario names a quirk the mock CA knows.
func TestRobustScenariosCoverQuirks(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	var have []string
	for _, sc := range suite.RobustScenarios() {
		if slices.Contains(have, sc.Quirk) {
			t.Errorf("quirk %s has two scenarios", sc.Quirk)
		}
		have = append(have, sc.Quirk)
		if _, err := mockca.ParseQuirks(sc.Quirk); err != nil {
			t.Errorf("scenario %q: %v", sc.Title, err)
		}
		req, ok := cat.Get(sc.Requirement)
		if !ok || req.Side != "client" {
			t.Errorf("scenario %s: requirement %s is not a client requirement of the catalog",
				sc.Quirk, sc.Requirement)
		}
		if len(sc.Title) > 80 || strings.TrimSpace(sc.Title) == "" {
			t.Errorf("scenario %s: title %q, want 1 to 80 characters", sc.Quirk, sc.Title)
		}
	}
	for _, q := range mockca.Quirks() {
		if !slices.Contains(have, string(q.Name)) {
			t.Errorf("mock CA quirk %s has no robustness scenario", q.Name)
		}
	}
}
