// Package mutation proves the server suite's verdicts: it runs the suite
// against the embedded mock CA once with each misbehaviour switched on
// (mockca.Misbehaviours) and checks that the suite fails exactly the
// requirement the misbehaviour breaks, no fewer and no more. A
// misbehaviour the suite misses has escaped; one that makes other
// requirements fail is over-blamed. The kill rate is the share caught
// cleanly.
package mutation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"time"

	"acmeconform/mockca"
)

// Config configures a mutation check.
type Config struct {
	// Binary is the acmeconform executable that runs the suite.
	Binary string
	// WorkDir receives one report folder per run; "" uses a temporary
	// directory that is removed afterwards.
	WorkDir string
	// Seed is passed to every run (spec order and the mock CA's random
	// decisions); 0 means 1.
	Seed int64
	// Parallel bounds the runs in flight; 0 means 2.
	Parallel int
	// Misbehaviours to check; nil means every one mockca offers.
	Misbehaviours []mockca.MisbehaviourInfo
	// Profile is the mock CA profile for misbehaviours that name none;
	// "" means "letsencrypt".
	Profile string
	// RunTimeout bounds one run of the suite; 0 means 3 minutes.
	RunTimeout time.Duration
	// PollTimeout is the suite's wait for a state change (run
	// --poll-timeout); 0 means 3 seconds. The mock CA answers at once, so
	// only a misbehaviour that stalls an order waits it out, once per
	// spec that needs a certificate.
	PollTimeout time.Duration
	// Progress receives one line per finished run; nil is silent.
	Progress io.Writer
}

// Verdicts of one misbehaviour.
const (
	VerdictKilled     = "killed"      // exactly its requirement failed
	VerdictEscaped    = "escaped"     // its requirement did not fail
	VerdictOverBlamed = "over-blamed" // other requirements failed too
	VerdictMasked     = "masked"      // its requirement fails on the baseline already
	VerdictError      = "error"       // the run itself failed
)

// Outcome is the result of one misbehaviour.
type Outcome struct {
	Misbehaviour mockca.MisbehaviourInfo
	Verdict      string
	// Failed lists the requirements that failed beyond the baseline.
	Failed []string
	// Err says why a run failed (VerdictError).
	Err string
}

// Result is the outcome of a mutation check.
type Result struct {
	// Baselines maps each profile to the requirements that fail on the
	// well-behaved mock CA (should be empty).
	Baselines map[string][]string
	Outcomes  []Outcome
}

// KillRate is the share of misbehaviours killed, 0..1.
func (r *Result) KillRate() float64 {
	if len(r.Outcomes) == 0 {
		return 0
	}
	return float64(len(r.With(VerdictKilled))) / float64(len(r.Outcomes))
}

// With returns the outcomes with the given verdict.
func (r *Result) With(verdict string) []Outcome {
	var out []Outcome
	for _, o := range r.Outcomes {
		if o.Verdict == verdict {
			out = append(out, o)
		}
	}
	return out
}

// Run runs the baselines and then every misbehaviour, at most
// cfg.Parallel at a time.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg, cleanup, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	defer cleanup()
	profiles := map[string]bool{}
	for _, m := range cfg.Misbehaviours {
		profiles[cfg.profileOf(m)] = true
	}
	res := &Result{Baselines: map[string][]string{}}
	var mu sync.Mutex
	var runErr error
	forEach(len(profiles), cfg.Parallel, func(i int) {
		p := sortedKeys(profiles)[i]
		failed, err := runSuite(ctx, cfg, p, "")
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			runErr = errors.Join(runErr, fmt.Errorf("baseline %s: %w", p, err))
		}
		res.Baselines[p] = failed
		cfg.progress("baseline %-12s %d failed %v", p, len(failed), failed)
	})
	if runErr != nil {
		return res, runErr
	}
	res.Outcomes = make([]Outcome, len(cfg.Misbehaviours))
	forEach(len(cfg.Misbehaviours), cfg.Parallel, func(i int) {
		m := cfg.Misbehaviours[i]
		failed, err := runSuite(ctx, cfg, cfg.profileOf(m), string(m.Name))
		o := judge(m, res.Baselines[cfg.profileOf(m)], failed, err)
		res.Outcomes[i] = o
		cfg.progress("%-12s %-40s %s %v", o.Verdict, m.Name, m.Requirement, o.Failed)
	})
	return res, nil
}

// judge compares one run's failures with the baseline.
func judge(m mockca.MisbehaviourInfo, baseline, failed []string, err error) Outcome {
	o := Outcome{Misbehaviour: m}
	if err != nil {
		o.Verdict, o.Err = VerdictError, err.Error()
		return o
	}
	for _, id := range failed {
		if !slices.Contains(baseline, id) {
			o.Failed = append(o.Failed, id)
		}
	}
	switch {
	case slices.Contains(baseline, m.Requirement):
		o.Verdict = VerdictMasked
	case !slices.Contains(o.Failed, m.Requirement):
		o.Verdict = VerdictEscaped
	case len(o.Failed) > 1:
		o.Verdict = VerdictOverBlamed
	default:
		o.Verdict = VerdictKilled
	}
	return o
}

func (cfg Config) withDefaults() (Config, func(), error) {
	cleanup := func() {}
	if cfg.Binary == "" {
		return cfg, cleanup, errors.New("mutation: no acmeconform binary given")
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.Parallel <= 0 {
		cfg.Parallel = 2
	}
	if cfg.RunTimeout <= 0 {
		cfg.RunTimeout = 3 * time.Minute
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 3 * time.Second
	}
	if cfg.Profile == "" {
		cfg.Profile = "letsencrypt"
	}
	if cfg.Misbehaviours == nil {
		cfg.Misbehaviours = mockca.Misbehaviours()
	}
	if cfg.WorkDir == "" {
		dir, err := os.MkdirTemp("", "acmeconform-mutation")
		if err != nil {
			return cfg, cleanup, fmt.Errorf("mutation: %w", err)
		}
		cfg.WorkDir, cleanup = dir, func() { _ = os.RemoveAll(dir) }
	}
	return cfg, cleanup, nil
}

func (cfg Config) progress(format string, args ...any) {
	if cfg.Progress != nil {
		fmt.Fprintf(cfg.Progress, format+"\n", args...)
	}
}

// forEach calls fn(0..n-1) with at most limit calls running at once.
func forEach(n, limit int, fn func(i int)) {
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			fn(i)
		}()
	}
	wg.Wait()
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// profileOf is the profile the suite runs with to catch m.
func (cfg Config) profileOf(m mockca.MisbehaviourInfo) string {
	if m.Profile != "" {
		return m.Profile
	}
	return cfg.Profile
}
