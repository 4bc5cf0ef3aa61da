package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ErrSchemaVersion is wrapped by ReadJSON when a report has a schema version
// this tool does not read.
var ErrSchemaVersion = errors.New("unsupported report schema version")

// maxReportBytes bounds what ReadJSON accepts, so a hostile file cannot
// exhaust memory.
const maxReportBytes = 256 << 20

// jsonDocument is the JSON compliance report: the report and, for readers
// that want only the outcome, its summary.
type jsonDocument struct {
	*Report
	Summary Summary `json:"summary"`
}

// WriteJSON writes the JSON compliance report (schema version
// SchemaVersion), indented, with secrets redacted. The "summary" member is
// derived from the requirements; ReadJSON ignores it.
func WriteJSON(w io.Writer, r *Report) error {
	red := r.redacted()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(jsonDocument{Report: red, Summary: red.Summarize()}); err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	return nil
}

// ReadJSON reads a JSON compliance report written by WriteJSON. It refuses a
// document of another schema version (the error wraps ErrSchemaVersion),
// trailing data, and entries that break the report's invariants.
func ReadJSON(rd io.Reader) (*Report, error) {
	dec := json.NewDecoder(io.LimitReader(rd, maxReportBytes))
	var probe struct {
		SchemaVersion *string `json:"schemaVersion"`
	}
	raw := json.RawMessage{}
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("read JSON report: %w", err)
	}
	if err := dec.Decode(new(json.RawMessage)); err != io.EOF {
		return nil, errors.New("read JSON report: data after the report")
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, fmt.Errorf("read JSON report: %w", err)
	}
	switch {
	case probe.SchemaVersion == nil:
		return nil, fmt.Errorf("read JSON report: no schemaVersion: %w", ErrSchemaVersion)
	case *probe.SchemaVersion != SchemaVersion:
		return nil, fmt.Errorf("read JSON report: schemaVersion %q, want %q: %w",
			*probe.SchemaVersion, SchemaVersion, ErrSchemaVersion)
	}
	var r Report
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("read JSON report: %w", err)
	}
	if err := r.check(); err != nil {
		return nil, fmt.Errorf("read JSON report: %w", err)
	}
	return &r, nil
}

// check verifies what a reader relies on: known verdicts and a requirement
// entry for each id and target at most once.
func (r *Report) check() error {
	seen := map[reqTarget]bool{}
	for i, q := range r.Requirements {
		if q.ID == "" || q.Target == "" {
			return fmt.Errorf("requirement %d: id and target are required", i+1)
		}
		if !knownVerdict(q.Verdict) {
			return fmt.Errorf("requirement %s on %s: unknown verdict %q", q.ID, q.Target, q.Verdict)
		}
		k := reqTarget{q.ID, q.Target}
		if seen[k] {
			return fmt.Errorf("requirement %s on %s appears twice", q.ID, q.Target)
		}
		seen[k] = true
	}
	for i, s := range r.Specs {
		if _, err := specOutcome(s.State); err != nil {
			return fmt.Errorf("spec %d (%q): %w", i+1, s.Name, err)
		}
	}
	return nil
}

func knownVerdict(v Verdict) bool {
	for _, k := range Verdicts() {
		if v == k {
			return true
		}
	}
	return false
}
