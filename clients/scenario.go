package clients

import (
	"slices"
	"strings"
)

// Op is one driver operation, as a scenario of the client suite runs it.
type Op string

// The driver operations.
const (
	OpRegister Op = "register"
	OpObtain   Op = "obtain"
	OpRenew    Op = "renew"
	OpRevoke   Op = "revoke"
)

// Scenario is one scenario of the client suite: its name (the value of
// the "scenario:" label) and the operations it runs, in order.
type Scenario struct {
	Name string
	Ops  []Op
}

// Scenarios lists the scenarios of the client suite, the robustness
// scenarios as one (ScenarioRobust). Drivers that run only some of them
// (ScenarioFilter) name them by these names.
func Scenarios() []Scenario {
	reg := []Op{OpRegister}
	get := []Op{OpObtain}
	return []Scenario{
		{"register", reg}, {"eab", reg}, {"eab-padded", reg}, {"eab-spoiled", reg},
		{"http-01", get}, {"dns-01", get}, {"dns-01-rfc2136", get}, {"wildcard", get},
		{"wildcard-alone", get},
		{"key-rsa", get}, {"key-ecdsa", get}, {"chain", get}, {"csr-eku", get},
		{"profile", get}, {"parent-reuse", get},
		{"renew", []Op{OpObtain, OpRenew}}, {"renew-reuse", []Op{OpObtain, OpRenew}},
		{"ari", []Op{OpObtain, OpRenew}},
		{"revoke", []Op{OpObtain, OpRevoke}},
		{ScenarioRobust, get},
	}
}

// ScenarioRobust stands for the robustness scenarios, each called
// "robust-" and the name of the CA quirk it switches on; all of them
// obtain a certificate by http-01 the ordinary way.
const ScenarioRobust = "robust"

// LookupScenario returns the scenario called name; every "robust-QUIRK"
// is a robustness scenario.
func LookupScenario(name string) (Scenario, bool) {
	if q, ok := strings.CutPrefix(name, ScenarioRobust+"-"); ok && q != "" {
		return Scenario{Name: name, Ops: []Op{OpObtain}}, true
	}
	i := slices.IndexFunc(Scenarios(), func(s Scenario) bool { return s.Name == name })
	if i < 0 {
		return Scenario{}, false
	}
	return Scenarios()[i], true
}

// ScenarioFilter is implemented by drivers that run only some scenarios
// (a manifest gives commands for some). The suite asks before anything
// else and skips the scenario with the error as the reason.
type ScenarioFilter interface {
	// CanRun returns nil when the driver runs the named scenario.
	CanRun(scenario string) error
}
