// Package reports turns the results of a run into the documents people and
// CI systems read: a versioned JSON compliance report, JUnit XML, a Markdown
// summary and a single-file HTML report. It also merges shard reports.
package reports

import "time"

// SchemaVersion is the version of the JSON compliance report. Bump it when a
// field changes meaning or disappears; adding a field keeps the version.
const SchemaVersion = "1"

// Verdict is the outcome of one requirement (or one spec).
type Verdict string

// Verdicts. A requirement no spec exercised is VerdictNotCovered, never passed.
const (
	VerdictPass       Verdict = "pass"
	VerdictFail       Verdict = "fail"
	VerdictWarn       Verdict = "warn" // a SHOULD that failed
	VerdictInfo       Verdict = "info" // a MAY that failed or an informational result
	VerdictSkip       Verdict = "skipped"
	VerdictNotCovered Verdict = "not-covered"
	VerdictError      Verdict = "error" // the target or the harness failed
)

// Report is one run's compliance report.
type Report struct {
	SchemaVersion string        `json:"schemaVersion"`
	Tool          string        `json:"tool"`
	ToolVersion   string        `json:"toolVersion"`
	Targets       []Target      `json:"targets"`
	Seed          int64         `json:"seed"`
	Shard         string        `json:"shard,omitempty"` // "i/n" or empty
	StartedAt     time.Time     `json:"startedAt"`
	Duration      time.Duration `json:"duration"`
	Clients       []Client      `json:"clients,omitempty"`
	// Requirements holds one entry per catalog requirement and target,
	// sorted by requirement id then target.
	Requirements []Requirement `json:"requirements"`
	// Specs holds every spec that ran or was skipped, sorted by name.
	Specs []Spec `json:"specs"`
	// InfraError, when set, says why the run could not complete.
	InfraError string `json:"infraError,omitempty"`

	// secrets holds values the writers redact; it is never serialised.
	secrets Redactor
}

// Target is an ACME server the run faced.
type Target struct {
	Name      string `json:"name"`
	Directory string `json:"directory"`
	Mode      string `json:"mode,omitempty"` // "embedded", "external", "process", "container"
	// Side is "server" when the server suite faced the target and
	// "client" when real clients did; the report then lists only that
	// side's requirements for it. Empty lists every requirement.
	Side string `json:"side,omitempty"`
}

// Client is a real ACME client that the run drove.
type Client struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Mode    string `json:"mode"` // "process" or "container"
}

// Requirement is the aggregated verdict of one catalog requirement on one
// target.
type Requirement struct {
	ID      string   `json:"id"`
	Source  string   `json:"source"`
	Section string   `json:"section"`
	Level   string   `json:"level"`
	Summary string   `json:"summary"`
	Side    string   `json:"side,omitempty"` // "server" or "client"
	Target  string   `json:"target"`
	Verdict Verdict  `json:"verdict"`
	Specs   []string `json:"specs,omitempty"`
	// Evidence holds what the failing specs observed (HTTP exchanges with
	// secrets redacted, client output).
	Evidence []Evidence `json:"evidence,omitempty"`
}

// Spec is the result of one Ginkgo spec.
type Spec struct {
	Name         string        `json:"name"`
	Target       string        `json:"target"`
	Client       string        `json:"client,omitempty"`
	Scenario     string        `json:"scenario,omitempty"`
	Requirements []string      `json:"requirements,omitempty"`
	Labels       []string      `json:"labels,omitempty"`
	State        string        `json:"state"` // passed, failed, skipped, ...
	Message      string        `json:"message,omitempty"`
	Duration     time.Duration `json:"duration"`
	Evidence     []Evidence    `json:"evidence,omitempty"`
}

// Evidence is one named piece of what a spec observed.
type Evidence struct {
	// Spec names the spec that observed it; set on requirement evidence.
	Spec  string `json:"spec,omitempty"`
	Name  string `json:"name"`
	Value string `json:"value"`
}
