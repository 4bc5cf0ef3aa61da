package reports

import "acmeconform/catalog"

// Verdicts returns every verdict in the order the summaries show them.
func Verdicts() []Verdict {
	return []Verdict{
		VerdictFail, VerdictError, VerdictWarn, VerdictInfo,
		VerdictPass, VerdictSkip, VerdictNotCovered,
	}
}

// Levels returns the requirement levels in the order the summaries show them.
func Levels() []string {
	return []string{
		string(catalog.LevelMust), string(catalog.LevelPolicy),
		string(catalog.LevelShould), string(catalog.LevelMay),
	}
}

// Counts holds a number of requirement entries per verdict.
type Counts map[Verdict]int

// Summary counts requirement entries per verdict and per level.
type Summary struct {
	// Verdict is the overall verdict: VerdictError when the run could not
	// complete, VerdictFail when a MUST or policy failed, else VerdictPass.
	Verdict Verdict `json:"verdict"`
	// Total is the number of requirement entries (requirements × targets).
	Total     int               `json:"total"`
	ByVerdict Counts            `json:"byVerdict"`
	ByLevel   map[string]Counts `json:"byLevel"`
}

// Summarize counts the report's requirement entries.
func (r *Report) Summarize() Summary {
	s := Summary{
		Verdict:   r.Overall(),
		Total:     len(r.Requirements),
		ByVerdict: Counts{},
		ByLevel:   map[string]Counts{},
	}
	for _, q := range r.Requirements {
		s.ByVerdict[q.Verdict]++
		if s.ByLevel[q.Level] == nil {
			s.ByLevel[q.Level] = Counts{}
		}
		s.ByLevel[q.Level][q.Verdict]++
	}
	return s
}

// MustFailed reports whether a requirement whose failure fails the run (a
// MUST or a policy of the CA profile) failed on any target.
func (r *Report) MustFailed() bool {
	for _, q := range r.Requirements {
		if q.Verdict == VerdictFail {
			return true
		}
	}
	return false
}

// InfraFailed reports whether the run could not complete: the report carries
// an infrastructure error or a spec was interrupted or aborted.
func (r *Report) InfraFailed() bool {
	if r.InfraError != "" {
		return true
	}
	for _, q := range r.Requirements {
		if q.Verdict == VerdictError {
			return true
		}
	}
	return false
}

// Overall is the verdict of the whole run. An infrastructure error outweighs
// everything, since the other verdicts may be incomplete; a failed MUST
// outweighs an interrupted spec.
func (r *Report) Overall() Verdict {
	switch {
	case r.InfraError != "":
		return VerdictError
	case r.MustFailed():
		return VerdictFail
	case r.InfraFailed():
		return VerdictError
	}
	return VerdictPass
}

// Exit codes of a run, as documented for the command line.
const (
	ExitPass  = 0 // every MUST passed
	ExitFail  = 1 // a MUST or policy failed
	ExitInfra = 3 // the target or the infrastructure failed
)

// ExitCode maps the overall verdict to the documented exit code.
func (r *Report) ExitCode() int {
	switch r.Overall() {
	case VerdictFail:
		return ExitFail
	case VerdictError:
		return ExitInfra
	}
	return ExitPass
}
