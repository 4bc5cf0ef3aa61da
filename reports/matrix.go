package reports

import (
	"cmp"
	"slices"
	"time"

	"acmeconform/catalog"
)

// severity orders verdicts from harmless to worst, for combining several.
func severity(v Verdict) int {
	switch v {
	case VerdictFail:
		return 6
	case VerdictError:
		return 5
	case VerdictWarn:
		return 4
	case VerdictInfo:
		return 3
	case VerdictPass:
		return 2
	case VerdictSkip:
		return 1
	}
	return 0
}

func worse(a, b Verdict) Verdict {
	if severity(b) > severity(a) {
		return b
	}
	return a
}

// levelRank orders levels by strength; a spec takes its strongest level.
func levelRank(l string) int {
	switch catalog.Level(l) {
	case catalog.LevelMust:
		return 4
	case catalog.LevelPolicy:
		return 3
	case catalog.LevelShould:
		return 2
	case catalog.LevelMay:
		return 1
	}
	return 0
}

// specLevel is the strongest level among the requirements a spec covers;
// a spec tied to no known requirement counts as a MUST.
func specLevel(levels map[string]string, s Spec) string {
	best := ""
	for _, id := range s.Requirements {
		if l := levels[id]; levelRank(l) > levelRank(best) {
			best = l
		}
	}
	if best == "" {
		return string(catalog.LevelMust)
	}
	return best
}

// specVerdict is the verdict of one spec at its level.
func specVerdict(levels map[string]string, s Spec) Verdict {
	o, err := specOutcome(s.State)
	if err != nil {
		return VerdictError
	}
	return verdictOf(o, true, specLevel(levels, s))
}

func (r *Report) levels() map[string]string {
	m := make(map[string]string, len(r.Requirements))
	for _, q := range r.Requirements {
		m[q.ID] = q.Level
	}
	return m
}

// ClientResult is the combined result of the specs that drove one client
// through one scenario against one target.
type ClientResult struct {
	Target   string
	Client   string
	Scenario string
	Verdict  Verdict
	Duration time.Duration
	Specs    []Spec
}

// Evidence returns what the specs of a client result left behind that did
// not pass: their messages (named by state) and their evidence.
func (c ClientResult) Evidence() []Evidence {
	var ev []Evidence
	for _, s := range c.Specs {
		if s.State == StatePassed {
			continue
		}
		if s.Message != "" {
			ev = append(ev, Evidence{Spec: s.Name, Name: s.State, Value: s.Message})
		}
		for _, e := range s.Evidence {
			e.Spec = s.Name
			ev = append(ev, e)
		}
	}
	return ev
}

// ClientResults groups the client specs by target, client and scenario,
// sorted in that order. A spec without a scenario is its own scenario.
func (r *Report) ClientResults() []ClientResult {
	levels := r.levels()
	var out []ClientResult
	index := map[[3]string]int{}
	for _, s := range r.Specs {
		if s.Client == "" {
			continue
		}
		k := [3]string{s.Target, s.Client, cmp.Or(s.Scenario, s.Name)}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, ClientResult{Target: k[0], Client: k[1], Scenario: k[2]})
		}
		c := &out[i]
		c.Verdict = worse(c.Verdict, specVerdict(levels, s))
		c.Duration += s.Duration
		c.Specs = append(c.Specs, s)
	}
	slices.SortFunc(out, func(a, b ClientResult) int {
		return cmp.Or(cmp.Compare(a.Target, b.Target), cmp.Compare(a.Client, b.Client),
			cmp.Compare(a.Scenario, b.Scenario))
	})
	return out
}

// Matrix is the client-by-scenario matrix of a run. A client that ran
// against several targets (several endpoints, or shards of runs against
// different servers merged into one report) has one row per target, so
// every verdict stays beside the endpoint it was reached on.
type Matrix struct {
	// Rows holds one row per target and client, sorted by target name,
	// then client; a client missing from Report.Clients has an empty
	// version.
	Rows []MatrixRow
	// Scenarios holds one column per scenario, sorted.
	Scenarios []string
}

// MatrixRow is one client's results against one target.
type MatrixRow struct {
	// Target is the ACME server the client faced, with its directory.
	Target Target
	Client Client
	// Cells holds the verdict of each scenario the client ran there.
	Cells map[string]Verdict
}

// Cell returns the verdict of client in scenario against target, or ""
// when it did not run there.
func (m Matrix) Cell(target, client, scenario string) Verdict {
	for _, r := range m.Rows {
		if r.Target.Name == target && r.Client.Name == client {
			return r.Cells[scenario]
		}
	}
	return ""
}

// ClientMatrix returns the client-by-scenario matrix; it is empty when no
// client ran.
func (r *Report) ClientMatrix() Matrix {
	return r.matrixOf(func(ClientResult) bool { return true })
}

// matrixOf builds the matrix of the client results keep selects.
func (r *Report) matrixOf(keep func(ClientResult) bool) Matrix {
	var m Matrix
	index := map[[2]string]int{}
	for _, c := range r.ClientResults() {
		if !keep(c) {
			continue
		}
		k := [2]string{c.Target, c.Client}
		i, ok := index[k]
		if !ok {
			i = len(m.Rows)
			index[k] = i
			m.Rows = append(m.Rows, MatrixRow{Target: r.target(c.Target), Client: r.client(c.Client),
				Cells: map[string]Verdict{}})
		}
		m.Rows[i].Cells[c.Scenario] = worse(m.Rows[i].Cells[c.Scenario], c.Verdict)
		if !slices.Contains(m.Scenarios, c.Scenario) {
			m.Scenarios = append(m.Scenarios, c.Scenario)
		}
	}
	slices.SortFunc(m.Rows, func(a, b MatrixRow) int {
		return cmp.Or(cmp.Compare(a.Target.Name, b.Target.Name), compareClients(a.Client, b.Client))
	})
	slices.Sort(m.Scenarios)
	return m
}

// target returns the description of the named target.
func (r *Report) target(name string) Target {
	for _, t := range r.Targets {
		if t.Name == name {
			return t
		}
	}
	return Target{Name: name}
}

// client returns the description of the named client.
func (r *Report) client(name string) Client {
	for _, c := range r.Clients {
		if c.Name == name {
			return c
		}
	}
	return Client{Name: name}
}

// specsOf returns the specs behind a requirement entry.
func (r *Report) specsOf(q Requirement) []Spec {
	var out []Spec
	for _, s := range r.Specs {
		if s.Target == q.Target && slices.Contains(s.Requirements, q.ID) {
			out = append(out, s)
		}
	}
	return out
}
