package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"acmeconform/reports"
)

func reportCmd(ctx context.Context, env *cliEnv, args []string) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(env.stderr, "Usage: acmeconform report render|merge [flags] FILE...\n\n"+
			"  render  re-render a JSON compliance report as JSON, JUnit, Markdown and HTML\n"+
			"  merge   merge the JSON reports of shards into the report of the whole run\n"+
			"\n"+
			"Examples:\n"+
			"  acmeconform report render --out html/ out/report.json\n"+
			"  acmeconform report merge --out merged/ shard1/report.json shard2/report.json shard3/report.json")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return exitOK
		}
		return exitUsage
	}
	switch args[0] {
	case "render":
		return reportRender(env, args[1:], false)
	case "merge":
		return reportRender(env, args[1:], true)
	}
	fmt.Fprintf(env.stderr, "acmeconform report: unknown subcommand %q (want render or merge)\n", args[0])
	return exitUsage
}

// reportRender reads JSON reports, merges them when asked (or when several
// are given) and writes every format into --out. The exit code follows the
// report's verdict, as `run` would have.
func reportRender(env *cliEnv, args []string, merge bool) int {
	name := "report render"
	if merge {
		name = "report merge"
	}
	fs := newFlagSet(env, name, "Render or merge JSON compliance reports.",
		"acmeconform "+name+" --out merged/ a/report.json b/report.json")
	out := fs.String("out", "out", "directory for the rendered reports")
	if err := parseFlagsArgs(fs, args, env.getenv); err != nil {
		return flagExit(env, name, err)
	}
	if fs.NArg() == 0 || (!merge && fs.NArg() > 1) {
		return flagExit(env, name, usagef("want %s", map[bool]string{
			false: "one JSON report", true: "one or more JSON reports"}[merge]))
	}
	var reps []*reports.Report
	for _, path := range fs.Args() {
		r, err := readReportFile(path)
		if err != nil {
			return flagExit(env, name, usagef("%v", err))
		}
		reps = append(reps, r)
	}
	rep := reps[0]
	if merge {
		var err error
		if rep, err = reports.Merge(reps...); err != nil {
			return flagExit(env, name, usagef("merge: %v", err))
		}
	}
	files, err := reports.WriteFiles(*out, rep)
	if err != nil {
		fmt.Fprintf(env.stderr, "acmeconform %s: %v\n", name, err)
		return exitInfra
	}
	fmt.Fprintf(env.stdout, "%s verdict: %s\nreports: %s\n", name, rep.Overall(), strings.Join(files, ", "))
	return rep.ExitCode()
}

func readReportFile(path string) (*reports.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := reports.ReadJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}
