package mutation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"acmeconform/reports"
)

// FlakeConfig configures a flake check: the server suite run several
// times against the well-behaved mock CA, each time with another seed
// (spec order and the mock CA's random decisions).
type FlakeConfig struct {
	// Binary is the acmeconform executable that runs the suite.
	Binary string
	// Runs is the number of runs; 0 means 20.
	Runs int
	// Seed draws the runs' seeds; 0 means 1.
	Seed int64
	// Profile is passed to --profile; "" runs the runner's default
	// profiles.
	Profile string
	// Parallel bounds the runs in flight; 0 means 2.
	Parallel int
	// WorkDir receives one report folder per run; "" uses a temporary
	// directory that is removed afterwards.
	WorkDir string
	// RunTimeout bounds one run; 0 means 3 minutes.
	RunTimeout time.Duration
	// Progress receives one line per finished run; nil is silent.
	Progress io.Writer
}

// FlakeResult is the outcome of a flake check.
type FlakeResult struct {
	// Seeds are the seeds of the runs, in run order.
	Seeds []int64
	// Unstable maps "target requirement" to the verdict of each run, for
	// every requirement whose verdict was not the same in all runs.
	Unstable map[string][]reports.Verdict
}

// Flake runs the suite cfg.Runs times and compares the verdicts.
func Flake(ctx context.Context, cfg FlakeConfig) (*FlakeResult, error) {
	cfg, cleanup, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	defer cleanup()
	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 0))
	res := &FlakeResult{Unstable: map[string][]reports.Verdict{}}
	for range cfg.Runs {
		res.Seeds = append(res.Seeds, 1+rng.Int64N(1_000_000_000))
	}
	verdicts := make([]map[string]reports.Verdict, cfg.Runs)
	var mu sync.Mutex
	var errs error
	forEach(cfg.Runs, cfg.Parallel, func(i int) {
		v, err := flakeRun(ctx, cfg, i, res.Seeds[i])
		mu.Lock()
		defer mu.Unlock()
		verdicts[i], errs = v, errors.Join(errs, err)
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "flake run %d seed %d: %d requirements\n", i+1,
				res.Seeds[i], len(v))
		}
	})
	if errs != nil {
		return res, errs
	}
	compare(res, verdicts)
	return res, nil
}

// compare records every key whose verdict differs between runs.
func compare(res *FlakeResult, verdicts []map[string]reports.Verdict) {
	keys := map[string]bool{}
	for _, v := range verdicts {
		for k := range v {
			keys[k] = true
		}
	}
	for k := range keys {
		var seen []reports.Verdict
		for _, v := range verdicts {
			seen = append(seen, v[k])
		}
		if slices.ContainsFunc(seen, func(x reports.Verdict) bool { return x != seen[0] }) {
			res.Unstable[k] = seen
		}
	}
}

// flakeRun runs the suite once and returns its verdicts by target and
// requirement.
func flakeRun(ctx context.Context, cfg FlakeConfig, i int, seed int64) (
	map[string]reports.Verdict, error) {
	out := filepath.Join(cfg.WorkDir, fmt.Sprintf("flake-%02d", i+1))
	args := []string{"run", "--suite", "server", "--quiet", "--out", out,
		"--seed", fmt.Sprint(seed), "--timeout", cfg.RunTimeout.String()}
	if cfg.Profile != "" {
		args = append(args, "--profile", cfg.Profile)
	}
	if err := runBinary(ctx, cfg.Binary, cfg.RunTimeout, args); err != nil {
		return nil, fmt.Errorf("flake run %d (seed %d): %w", i+1, seed, err)
	}
	rep, err := readReport(filepath.Join(out, "report.json"))
	if err != nil {
		return nil, err
	}
	v := map[string]reports.Verdict{}
	for _, r := range rep.Requirements {
		v[r.Target+" "+r.ID] = r.Verdict
	}
	return v, nil
}

func (cfg FlakeConfig) withDefaults() (FlakeConfig, func(), error) {
	m := Config{Binary: cfg.Binary, Seed: cfg.Seed, Parallel: cfg.Parallel,
		WorkDir: cfg.WorkDir, RunTimeout: cfg.RunTimeout}
	m, cleanup, err := m.withDefaults()
	if cfg.Runs <= 0 {
		cfg.Runs = 20
	}
	cfg.Seed, cfg.Parallel, cfg.WorkDir, cfg.RunTimeout = m.Seed, m.Parallel, m.WorkDir,
		m.RunTimeout
	return cfg, cleanup, err
}

// WriteFlakeSummary prints whether the verdicts were stable.
func WriteFlakeSummary(w io.Writer, r *FlakeResult) {
	if len(r.Unstable) == 0 {
		fmt.Fprintf(w, "flake check: identical verdicts in %d runs\n", len(r.Seeds))
		return
	}
	fmt.Fprintf(w, "flake check: %d verdicts differ across %d runs (seeds %v)\n",
		len(r.Unstable), len(r.Seeds), r.Seeds)
	keys := make([]string, 0, len(r.Unstable))
	for k := range r.Unstable {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "unstable: %s %v\n", k, r.Unstable[k])
	}
}
