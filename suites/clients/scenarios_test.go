package clients_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	drivers "acmeconform/clients"
	suite "acmeconform/suites/clients"
)

// scenarioLabel matches a literal "scenario:NAME" label in the suite's
// source.
var scenarioLabel = regexp.MustCompile(`"scenario:([a-z0-9-]+)"`)

// TestScenarioNamesInStep checks that drivers.Scenarios, which manifests
// name scenarios by, knows every scenario the suite labels and lists no
// other.
func TestScenarioNamesInStep(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var labelled []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range scenarioLabel.FindAllSubmatch(b, -1) {
			labelled = append(labelled, string(m[1]))
		}
	}
	for _, sc := range suite.RobustScenarios() {
		labelled = append(labelled, suite.ScenarioRobustPrefix+sc.Quirk)
	}
	for _, name := range labelled {
		if _, ok := drivers.LookupScenario(name); !ok {
			t.Errorf("the suite labels scenario %q, which drivers.Scenarios lacks", name)
		}
	}
	for _, sc := range drivers.Scenarios() {
		name := sc.Name
		if name == drivers.ScenarioRobust {
			name += "-" + suite.RobustScenarios()[0].Quirk
		}
		if !slices.Contains(labelled, name) {
			t.Errorf("drivers.Scenarios lists %q, which no spec of the suite labels", name)
		}
	}
}
