// Command verifysuite runs the mutation check: the server suite against
// the mock CA with each misbehaviour switched on, and prints the kill rate
// and the misbehaviours the suite missed or over-blamed. With -flake N it
// then runs the suite N times with random seeds and compares the
// verdicts. It exits 1 unless every misbehaviour is killed, the baselines
// are clean and the verdicts are stable.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"acmeconform/mockca"
	"acmeconform/mutation"
)

func main() {
	bin := flag.String("bin", "bin/acmeconform", "acmeconform binary")
	seed := flag.Int64("seed", 1, "seed for every run")
	parallel := flag.Int("parallel", 2, "runs in flight")
	only := flag.String("only", "", "comma-separated misbehaviours (default: all)")
	out := flag.String("out", "", "folder for the run reports (default: temporary)")
	flakeRuns := flag.Int("flake", 0, "then run the suite this many times with random seeds")
	flag.Parse()
	cfg := mutation.Config{Binary: *bin, Seed: *seed, Parallel: *parallel, WorkDir: *out,
		Progress: os.Stdout}
	if *only != "" {
		names, err := mockca.ParseMisbehaviours(*only)
		if err != nil {
			fmt.Fprintln(os.Stderr, "verifysuite:", err)
			os.Exit(2)
		}
		for _, n := range names {
			m, _ := mockca.LookupMisbehaviour(n)
			cfg.Misbehaviours = append(cfg.Misbehaviours, m)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := mutation.Run(ctx, cfg)
	if res != nil {
		fmt.Println()
		mutation.WriteSummary(os.Stdout, res)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "verifysuite:", err)
		os.Exit(3)
	}
	clean := res.Clean()
	if *flakeRuns > 0 {
		fr, err := mutation.Flake(ctx, mutation.FlakeConfig{Binary: *bin, Runs: *flakeRuns,
			Seed: *seed, Parallel: *parallel, WorkDir: *out, Progress: os.Stdout})
		if err != nil {
			fmt.Fprintln(os.Stderr, "verifysuite:", err)
			os.Exit(3)
		}
		mutation.WriteFlakeSummary(os.Stdout, fr)
		clean = clean && len(fr.Unstable) == 0
	}
	if !clean {
		os.Exit(1)
	}
}
