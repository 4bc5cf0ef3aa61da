package runner

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/onsi/ginkgo/v2"

	"acmeconform/catalog"
	"acmeconform/reports"
	"acmeconform/suites/server"
)

// Result is the outcome of a run.
type Result struct {
	Report  *reports.Report
	Summary string   // the Markdown summary
	Files   []string // the reports written
}

// Run performs one run. It may be called once per process: Ginkgo runs one
// suite per process. A requirement failure is not an error: it shows in
// Result.Report. Errors are *ConfigError or *InfraError.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	cat, err := catalog.Default()
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	started := time.Now().UTC()
	st, err := setup(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer st.close()

	if cfg.Progress != nil {
		fmt.Fprintf(cfg.Progress, "acmeconform %s: seed %d, target %s\n",
			cfg.Version, cfg.Seed, st.targets[0].Directory)
	}
	define(cfg, st)
	gr, runErr := runSpecs(cfg)

	meta := reports.Report{
		Tool: "acmeconform", ToolVersion: cfg.Version, Targets: st.targets,
		Seed: cfg.Seed, Shard: cfg.Shard, StartedAt: started, Duration: time.Since(started),
		Clients: clientsFrom(gr),
	}
	if runErr == nil && cfg.Directory != "" {
		runErr = st.unreached(cfg, gr)
	}
	if runErr != nil {
		meta.InfraError = runErr.Error()
	}
	rep, err := reports.Build(cat, meta, specResults(gr))
	if err != nil {
		return nil, fmt.Errorf("build report: %w", err)
	}
	for _, s := range st.secrets() {
		rep.AddSecret(s)
	}
	res, err := write(cfg, rep)
	if err == nil && runErr != nil {
		err = runErr
	}
	return res, err
}

func setup(ctx context.Context, cfg Config) (*stack, error) {
	if cfg.Directory == "" {
		return embedded(ctx, cfg)
	}
	return external(ctx, cfg)
}

// define registers the selected suites, each under a container labelled
// with its target so reports can tell targets apart.
func define(cfg Config, st *stack) {
	for _, t := range st.servers {
		if !cfg.runs(SuiteServer) {
			break
		}
		ginkgo.Describe(t.Name, ginkgo.Label(labelTarget+t.Name), func() { server.Define(t) })
	}
	if cfg.runs(SuiteClients) && st.clients != nil {
		st.clients.define()
	}
}

// write renders every report format into cfg.OutDir and the Markdown
// summary into the result.
func write(cfg Config, rep *reports.Report) (*Result, error) {
	var md bytes.Buffer
	if err := reports.WriteMarkdown(&md, rep); err != nil {
		return nil, fmt.Errorf("render summary: %w", err)
	}
	res := &Result{Report: rep, Summary: md.String()}
	if cfg.OutDir == "" {
		return res, nil
	}
	files, err := reports.WriteFiles(cfg.OutDir, rep)
	res.Files = files
	if err != nil {
		return res, &InfraError{Err: err}
	}
	return res, nil
}
