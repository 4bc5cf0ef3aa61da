package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"acmeconform/reports"
)

// runProcs runs the same run as n shard processes of this executable at
// once and merges their reports into outDir, which is what --procs does:
// Ginkgo runs one suite per process, so parallel specs need processes.
func runProcs(ctx context.Context, env *cliEnv, args []string, n int, outDir string, seed int64) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(env.stderr, "acmeconform run: %v\n", err)
		return exitInfra
	}
	if seed == 0 {
		seed = time.Now().UnixNano() % 1_000_000_000
	}
	fmt.Fprintf(env.stdout, "acmeconform %s: seed %d, %d processes\n", version, seed, n)
	codes := make([]int, n)
	files := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		dir := filepath.Join(outDir, fmt.Sprintf("shard-%d", i+1))
		files[i] = filepath.Join(dir, "report.json")
		child := append(append([]string{}, args...), "--procs", "1", "--quiet",
			"--shard", fmt.Sprintf("%d/%d", i+1, n), "--seed", fmt.Sprint(seed), "--out", dir)
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = runChild(ctx, env, exe, child)
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c == exitUsage || c == exitInfra {
			fmt.Fprintf(env.stderr, "acmeconform run: shard %d/%d exited %d\n", i+1, n, c)
			return c
		}
	}
	return mergeShards(env, files, outDir)
}

func runChild(ctx context.Context, env *cliEnv, exe string, args []string) int {
	cmd := exec.CommandContext(ctx, exe, append([]string{"run"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if stderr.Len() > 0 {
		fmt.Fprint(env.stderr, stderr.String())
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		fmt.Fprintf(env.stderr, "acmeconform run: %v\n", err)
		return exitInfra
	}
	return exitOK
}

// mergeShards merges the shard reports, writes every format and prints the
// summary, as a single run would.
func mergeShards(env *cliEnv, files []string, outDir string) int {
	var reps []*reports.Report
	for _, f := range files {
		r, err := readReportFile(f)
		if err != nil {
			fmt.Fprintf(env.stderr, "acmeconform run: %v\n", err)
			return exitInfra
		}
		reps = append(reps, r)
	}
	rep, err := reports.Merge(reps...)
	if err != nil {
		fmt.Fprintf(env.stderr, "acmeconform run: merge shards: %v\n", err)
		return exitInfra
	}
	written, err := reports.WriteFiles(outDir, rep)
	if err != nil {
		fmt.Fprintf(env.stderr, "acmeconform run: %v\n", err)
		return exitInfra
	}
	if err := reports.WriteMarkdown(env.stdout, rep); err != nil {
		return exitInfra
	}
	fmt.Fprintf(env.stdout, "\nreports: %s\n", strings.Join(written, ", "))
	return rep.ExitCode()
}
