package mutation

import (
	"fmt"
	"io"
)

// Clean reports whether every misbehaviour was killed and no baseline
// failed a requirement.
func (r *Result) Clean() bool {
	for _, b := range r.Baselines {
		if len(b) > 0 {
			return false
		}
	}
	return len(r.Outcomes) > 0 && len(r.With(VerdictKilled)) == len(r.Outcomes)
}

// WriteSummary prints the kill rate, the baselines' failures and every
// misbehaviour that was not killed.
func WriteSummary(w io.Writer, r *Result) {
	killed := len(r.With(VerdictKilled))
	fmt.Fprintf(w, "kill rate: %.1f %% (%d of %d misbehaviours)\n",
		100*r.KillRate(), killed, len(r.Outcomes))
	for _, p := range sortedKeys(boolKeys(r.Baselines)) {
		if b := r.Baselines[p]; len(b) > 0 {
			fmt.Fprintf(w, "baseline %s fails: %v\n", p, b)
		}
	}
	for _, v := range []string{VerdictEscaped, VerdictOverBlamed, VerdictMasked, VerdictError} {
		for _, o := range r.With(v) {
			m := o.Misbehaviour
			fmt.Fprintf(w, "%s: %s (breaks %s): failed %v %s\n", v, m.Name, m.Requirement,
				o.Failed, o.Err)
		}
	}
}

func boolKeys(m map[string][]string) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}
