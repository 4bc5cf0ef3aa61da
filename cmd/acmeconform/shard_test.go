package main

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"acmeconform/reports"
)

// TestShardsMergeIntoTheWholeRun runs the server suite whole and as three
// shard processes, merges the shards with `report merge`, and expects the
// same specs and the same requirement verdicts.
func TestShardsMergeIntoTheWholeRun(t *testing.T) {
	dir := t.TempDir()
	common := []string{"run", "--suite", "server", "--seed", "11", "--quiet"}
	whole := filepath.Join(dir, "whole")
	if res := runBinary(t, 3*time.Minute, append(common, "--out", whole)...); res.code > exitMustFail {
		t.Fatalf("whole run: exit %d\n%s", res.code, res.stderr)
	}
	var shardFiles []string
	for i := 1; i <= 3; i++ {
		out := filepath.Join(dir, fmt.Sprintf("shard%d", i))
		args := append(common, "--out", out, "--shard", fmt.Sprintf("%d/3", i))
		if res := runBinary(t, 3*time.Minute, args...); res.code > exitMustFail {
			t.Fatalf("shard %d: exit %d\n%s", i, res.code, res.stderr)
		}
		shardFiles = append(shardFiles, filepath.Join(out, "report.json"))
	}
	merged := filepath.Join(dir, "merged")
	res := runBinary(t, time.Minute, append([]string{"report", "merge", "--out", merged}, shardFiles...)...)
	if res.code > exitMustFail {
		t.Fatalf("merge: exit %d\n%s", res.code, res.stderr)
	}
	want, got := readReport(t, whole), readReport(t, merged)
	if !reflect.DeepEqual(specStates(want), specStates(got)) {
		t.Errorf("merged specs differ from the whole run:\nwhole  %v\nmerged %v", specStates(want), specStates(got))
	}
	if !reflect.DeepEqual(verdicts(want), verdicts(got)) {
		t.Errorf("merged verdicts differ:\nwhole  %v\nmerged %v", verdicts(want), verdicts(got))
	}
	if len(want.Specs) == 0 {
		t.Fatal("the whole run ran no spec")
	}

	// --procs 3 does the same split and merge itself.
	procs := filepath.Join(dir, "procs")
	if res := runBinary(t, 3*time.Minute, append(common, "--out", procs, "--procs", "3")...); res.code > exitMustFail {
		t.Fatalf("--procs run: exit %d\n%s", res.code, res.stderr)
	}
	if got := readReport(t, procs); !reflect.DeepEqual(verdicts(want), verdicts(got)) {
		t.Errorf("--procs verdicts differ:\nwhole %v\nprocs %v", verdicts(want), verdicts(got))
	}
}

func specStates(r *reports.Report) map[string]string {
	m := map[string]string{}
	for _, s := range r.Specs {
		m[s.Name] = s.State
	}
	return m
}

func verdicts(r *reports.Report) map[string]reports.Verdict {
	m := map[string]reports.Verdict{}
	for _, q := range r.Requirements {
		m[q.ID+"@"+q.Target] = q.Verdict
	}
	return m
}
