package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	tclog "github.com/testcontainers/testcontainers-go/log"

	"acmeconform/mockca"
	"acmeconform/runner"
)

func runCmd(ctx context.Context, env *cliEnv, args []string) int {
	fs := newFlagSet(env, "run",
		"Probe an ACME directory for conformance and drive real ACME clients against the\n"+
			"embedded mock CA or the directory; write JSON, JUnit, Markdown and HTML reports.",
		"acmeconform run                          # embedded mock CA: server and client suites",
		"acmeconform run --directory https://127.0.0.1:14000/dir --ca-cert pebble.minica.pem",
		"acmeconform run --suite clients --directory https://127.0.0.1:14000/dir "+
			"--ca-cert pebble.minica.pem --dns-addr 127.0.0.1:8053 --http01-addr 127.0.0.1:5002",
		"acmeconform run --label-filter 'level:MUST && rfc8555:6.5' --out out/",
		"acmeconform run --shard 2/3 --seed 42 --out shard2/")
	var cfg runner.Config
	var suites, timeout string
	var quiet, verbose bool
	var shardIndex, shards, procs int
	fs.StringVar(&cfg.Directory, "directory", "",
		"ACME directory URL of an external server (default: embedded mock CA)")
	fs.StringVar(&cfg.CACertFile, "ca-cert", "",
		"PEM file trusting the external server's HTTPS certificate")
	fs.StringVar(&suites, "suite", "",
		"comma-separated suites: server, clients (default: both embedded, server external)")
	fs.StringVar(&cfg.LabelFilter, "label-filter", "",
		"Ginkgo label filter, e.g. 'level:MUST && !slow'")
	fs.StringVar(&cfg.OutDir, "out", "out", "directory for the reports")
	fs.Int64Var(&cfg.Seed, "seed", 0,
		"seed for spec order and random decisions (default: random, printed)")
	fs.StringVar(&cfg.Shard, "shard", "", "run shard i of n, e.g. 2/3")
	fs.IntVar(&shardIndex, "shard-index", -1,
		"0-based shard index, with --shards (as a Kubernetes Indexed Job numbers pods)")
	fs.IntVar(&shards, "shards", 0, "number of shards, with --shard-index")
	fs.IntVar(&procs, "procs", 1,
		"run as this many shard processes at once and merge their reports (embedded target)")
	fs.StringVar(&timeout, "timeout", "30m", "bound on the whole run")
	fs.DurationVar(&cfg.PollTimeout, "poll-timeout", 30*time.Second,
		"server suite: how long to wait for an authorization or order to change state;\n"+
			"an order still processing after it fails order-finalize-valid")
	fs.StringVar(&cfg.Profile, "profile", "", "policy profile of the embedded mock CA")
	fs.StringVar(&cfg.Domain, "domain", "", "zone for test names (default acmeconform.test)")
	fs.StringVar(&cfg.HTTP01Addr, "http01-addr", "",
		"for an external server: where it fetches http-01 answers, from the responder "+
			"or, for --suite clients, the clients on its port (default 127.0.0.1:5002)")
	fs.StringVar(&cfg.DNSAddr, "dns-addr", "",
		"listen address of the mock DNS server for an external server (default 127.0.0.1:8053)")
	fs.StringVar(&cfg.EABKID, "eab-kid", "", "EAB key id for an external server that requires EAB")
	fs.StringVar(&cfg.EABHMAC, "eab-hmac", "", "EAB HMAC key (base64url) for an external server")
	fs.StringVar(&cfg.LegoPath, "lego", "",
		"lego binary for the client suite (default: bin/lego or lego on PATH)")
	fs.StringVar(&cfg.CaddyPath, "caddy", "",
		"caddy binary for the client suite in process mode (default: bin/caddy or caddy on PATH)")
	fs.StringVar(&cfg.ClientMode, "client-mode", "",
		"how the client suite runs clients: process (local binaries, the default) or container\n"+
			"(built images; the default with --client-manifest)")
	fs.Var(listFlag{&cfg.ClientManifests}, "client-manifest",
		"a client manifest `file` adding a client without a driver (docs/byo-client.md);\n"+
			"repeatable or comma-separated")
	fs.StringVar(&cfg.ToolsDir, "tools", "tools",
		"the pinned tools module, for --client-mode container")
	challenges := fs.String("challenges", "",
		"for an external server: challenge types it can reach us by (http-01,dns-01, or none)")
	validated := fs.String("validated-names", "",
		"for an external server: names it has validated already for the harness's accounts")
	misbehave := fs.String("misbehave", "",
		"comma-separated mock CA misbehaviours to switch on (checks the suite itself)")
	fs.BoolVar(&quiet, "quiet", false, "print only the result")
	fs.BoolVar(&verbose, "verbose", false,
		"print every spec's detailed output and the servers' logs")
	if err := parseFlags(fs, args, env.getenv); err != nil {
		return flagExit(env, "run", err)
	}
	if procs > 1 {
		if cfg.Directory != "" || cfg.Shard != "" || shards > 0 {
			return flagExit(env, "run", usagef("--procs runs the embedded target only, without --shard"))
		}
		return runProcs(ctx, env, args, procs, cfg.OutDir, cfg.Seed)
	}
	d, err := time.ParseDuration(timeout)
	if err != nil {
		return flagExit(env, "run", usagef("--timeout %q: %v", timeout, err))
	}
	cfg.Timeout = d
	if shards > 0 || shardIndex >= 0 {
		if cfg.Shard != "" || shards < 1 || shardIndex < 0 || shardIndex >= shards {
			return flagExit(env, "run", usagef("--shard-index %d --shards %d: want 0 <= index < shards, "+
				"and not together with --shard", shardIndex, shards))
		}
		cfg.Shard = fmt.Sprintf("%d/%d", shardIndex+1, shards)
	}
	if *challenges != "" {
		cfg.Challenges = strings.Split(*challenges, ",")
	}
	if *validated != "" {
		for n := range strings.SplitSeq(*validated, ",") {
			cfg.ValidatedNames = append(cfg.ValidatedNames, strings.TrimSpace(n))
		}
	}
	if suites != "" {
		cfg.Suites = strings.Split(suites, ",")
	}
	if _, err := mockca.ParseMisbehaviours(*misbehave); err != nil {
		return flagExit(env, "run", usagef("--misbehave: %v", err))
	} else if *misbehave != "" {
		cfg.Misbehave = strings.Split(*misbehave, ",")
	}
	if cfg.LegoPath == "" {
		cfg.LegoPath = findBinary("lego")
	}
	if cfg.CaddyPath == "" {
		cfg.CaddyPath = findBinary("caddy")
	}
	if cfg.ClientMode == runner.ClientModeContainer ||
		cfg.ClientMode == "" && len(cfg.ClientManifests) > 0 {
		if err := containerMode(&cfg); err != nil {
			return flagExit(env, "run", err)
		}
	}
	cfg.Version = version
	if !quiet {
		cfg.Progress = env.stdout
	}
	if verbose {
		cfg.SpecLog = env.stderr
		cfg.Logger = slog.New(slog.NewTextHandler(env.stderr, nil))
	}
	res, err := runner.Run(ctx, cfg)
	return runExit(env, res, err)
}

// runExit prints the outcome of a run and maps it to an exit code.
func runExit(env *cliEnv, res *runner.Result, err error) int {
	var cfgErr *runner.ConfigError
	switch {
	case errors.As(err, &cfgErr):
		fmt.Fprintf(env.stderr, "acmeconform run: %v\n", err)
		return exitUsage
	case err != nil:
		fmt.Fprintf(env.stderr, "acmeconform run: %v\n", err)
		if res != nil && res.Files != nil {
			fmt.Fprintf(env.stderr, "reports: %s\n", strings.Join(res.Files, ", "))
		}
		return exitInfra
	}
	fmt.Fprintln(env.stdout)
	fmt.Fprint(env.stdout, res.Summary)
	if len(res.Files) > 0 {
		fmt.Fprintf(env.stdout, "\nreports: %s\n", strings.Join(res.Files, ", "))
	}
	if res.Report.MustFailed() {
		return exitMustFail
	}
	return exitOK
}

// findBinary looks for a helper program in ./bin (where `make tools` puts
// it), beside the acmeconform executable, then on PATH; "" when absent.
func findBinary(name string) string {
	cands := []string{filepath.Join("bin", name)}
	if exe, err := os.Executable(); err == nil {
		cands = append(cands, filepath.Join(filepath.Dir(exe), name))
	}
	for _, c := range cands {
		if st, err := os.Stat(c); err == nil && !st.IsDir() {
			if abs, err := filepath.Abs(c); err == nil {
				return abs
			}
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	return ""
}

// containerMode readies the environment for client containers: the
// container library's reaper would have to be pulled, so it is off (the
// run labels and removes what it creates), and its log lines are dropped.
func containerMode(cfg *runner.Config) error {
	abs, err := filepath.Abs(cfg.ToolsDir)
	if err != nil {
		return usagef("--tools %q: %v", cfg.ToolsDir, err)
	}
	cfg.ToolsDir = abs
	tclog.SetDefault(tclog.NewNoopLogger())
	return os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
}
