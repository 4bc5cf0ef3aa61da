package reports

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"acmeconform/catalog"
)

// Spec states, as Ginkgo names them (types.SpecState.String()).
const (
	StatePassed      = "passed"
	StateFailed      = "failed"
	StateSkipped     = "skipped"
	StatePending     = "pending"
	StatePanicked    = "panicked"
	StateTimedout    = "timedout"
	StateInterrupted = "interrupted"
	StateAborted     = "aborted"
	StateInvalid     = "invalid"
)

// ErrUnknownRequirement is wrapped by Build when a spec references a
// requirement id the catalog does not hold.
var ErrUnknownRequirement = errors.New("requirement not in catalog")

// outcome is what one spec says about the requirements it covers, ordered by
// precedence: a failure outweighs an error, which outweighs a pass.
type outcome int

const (
	outcomeSkipped outcome = iota
	outcomePassed
	outcomeError
	outcomeFailed
)

// specOutcome maps a Ginkgo spec state to an outcome.
func specOutcome(state string) (outcome, error) {
	switch state {
	case StatePassed:
		return outcomePassed, nil
	case StateSkipped, StatePending:
		return outcomeSkipped, nil
	case StateFailed, StatePanicked, StateTimedout:
		return outcomeFailed, nil
	case StateInterrupted, StateAborted, StateInvalid:
		return outcomeError, nil
	}
	return 0, fmt.Errorf("unknown spec state %q", state)
}

// failVerdict is the verdict of a failed requirement of the given level: a
// broken MUST or policy fails the run, a SHOULD warns, a MAY informs.
func failVerdict(level string) Verdict {
	switch catalog.Level(level) {
	case catalog.LevelShould:
		return VerdictWarn
	case catalog.LevelMay:
		return VerdictInfo
	}
	return VerdictFail
}

// verdictOf turns the strongest outcome of the covering specs into a verdict.
func verdictOf(o outcome, covered bool, level string) Verdict {
	switch {
	case !covered:
		return VerdictNotCovered
	case o == outcomeFailed:
		return failVerdict(level)
	case o == outcomeError:
		return VerdictError
	case o == outcomePassed:
		return VerdictPass
	}
	return VerdictSkip
}

// Build aggregates per-spec results into a report. meta supplies the run's
// description (tool, targets, seed, shard, times, clients, infrastructure
// error); its Requirements and Specs are replaced. The result holds one
// requirement entry per catalog requirement and target in meta.Targets.
//
// Every spec must name one of meta.Targets (a client spec names the CA its
// client ran against). Build refuses specs that name an unknown requirement
// (the error wraps ErrUnknownRequirement and lists every such spec), an
// unknown target or an unknown state.
func Build(cat *catalog.Catalog, meta Report, specs []Spec) (*Report, error) {
	if cat == nil {
		return nil, errors.New("build report: no catalog")
	}
	r := meta
	r.SchemaVersion = SchemaVersion
	r.Targets = append([]Target{}, meta.Targets...)
	r.Clients = slices.Clone(meta.Clients)
	r.Specs = cloneSpecs(specs)
	sortSpecs(r.Specs)
	slices.SortFunc(r.Targets, func(a, b Target) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortFunc(r.Clients, compareClients)

	reqs, err := aggregate(cat, r.Targets, r.Specs)
	if err != nil {
		return nil, fmt.Errorf("build report: %w", err)
	}
	r.Requirements = reqs
	return &r, nil
}

// coverage collects the specs that cover one requirement on one target.
type coverage struct {
	best     outcome
	covered  bool
	specs    []string
	evidence []Evidence
}

type reqTarget struct{ id, target string }

// aggregate computes the requirement entries from sorted specs.
func aggregate(cat *catalog.Catalog, targets []Target, specs []Spec) ([]Requirement, error) {
	known := make(map[string]bool, len(targets))
	for _, t := range targets {
		known[t.Name] = true
	}
	cov := map[reqTarget]*coverage{}
	var errs []error
	for _, s := range specs {
		if err := cover(cat, known, cov, s); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	out := make([]Requirement, 0, len(cat.Requirements)*len(targets))
	for _, cr := range cat.Requirements {
		for _, t := range targets {
			// A target faced by one side of the protocol is judged only on
			// that side's requirements, unless a spec covered another.
			c := cov[reqTarget{cr.ID, t.Name}]
			if t.Side != "" && cr.Side != "" && cr.Side != t.Side && c == nil {
				continue
			}
			out = append(out, entry(cr, t.Name, c))
		}
	}
	return out, nil
}

// cover records what spec s says about each requirement it references.
func cover(cat *catalog.Catalog, known map[string]bool, cov map[reqTarget]*coverage,
	s Spec) error {
	o, err := specOutcome(s.State)
	if err != nil {
		return fmt.Errorf("spec %q: %w", s.Name, err)
	}
	if !known[s.Target] {
		return fmt.Errorf("spec %q: target %q is not among the report's targets",
			s.Name, s.Target)
	}
	var unknown []string
	for _, id := range s.Requirements {
		if _, ok := cat.Get(id); !ok {
			unknown = append(unknown, id)
			continue
		}
		k := reqTarget{id, s.Target}
		c := cov[k]
		if c == nil {
			c = &coverage{}
			cov[k] = c
		}
		c.add(s, o)
	}
	if len(unknown) > 0 {
		return fmt.Errorf("spec %q references %s: %w",
			s.Name, strings.Join(unknown, ", "), ErrUnknownRequirement)
	}
	return nil
}

func (c *coverage) add(s Spec, o outcome) {
	c.covered = true
	c.best = max(c.best, o)
	if !slices.Contains(c.specs, s.Name) {
		c.specs = append(c.specs, s.Name)
	}
	if o != outcomeFailed && o != outcomeError {
		return
	}
	if s.Message != "" {
		c.evidence = append(c.evidence, Evidence{Spec: s.Name, Name: "failure", Value: s.Message})
	}
	for _, e := range s.Evidence {
		e.Spec = s.Name
		c.evidence = append(c.evidence, e)
	}
}

// entry builds the requirement entry of cr on target from its coverage.
func entry(cr catalog.Requirement, target string, c *coverage) Requirement {
	r := Requirement{
		ID: cr.ID, Source: cr.Source, Section: cr.Section, Level: string(cr.Level),
		Summary: cr.Summary, Side: cr.Side, Target: target,
		Verdict: VerdictNotCovered,
	}
	if c == nil {
		return r
	}
	r.Verdict = verdictOf(c.best, c.covered, r.Level)
	r.Specs = slices.Sorted(slices.Values(c.specs))
	r.Evidence = slices.Clone(c.evidence)
	return r
}

// compareSpecs orders specs by name, then target, client and scenario.
func compareSpecs(a, b Spec) int {
	return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Target, b.Target),
		cmp.Compare(a.Client, b.Client), cmp.Compare(a.Scenario, b.Scenario))
}

func sortSpecs(s []Spec) { slices.SortStableFunc(s, compareSpecs) }

func compareClients(a, b Client) int {
	return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Version, b.Version),
		cmp.Compare(a.Mode, b.Mode))
}

// cloneSpecs deep-copies specs so the report never aliases the caller's data.
func cloneSpecs(specs []Spec) []Spec {
	out := make([]Spec, len(specs))
	for i, s := range specs {
		s.Requirements = slices.Clone(s.Requirements)
		s.Labels = slices.Clone(s.Labels)
		s.Evidence = slices.Clone(s.Evidence)
		out[i] = s
	}
	return out
}
