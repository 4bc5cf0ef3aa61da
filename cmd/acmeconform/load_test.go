package main

import (
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// loadFigures matches the load spec's evidence line.
var loadFigures = regexp.MustCompile(`(\d+) workers for [^:]+: (\d+) issued \(([\d.]+)/s\), ` +
	`p50 [^,]+, p99 [^,]+, (\d+) stalls`)

// TestRunLoadSuite runs the load spec alone against the embedded mock CA:
// it must report its figures as evidence, with issuances and no stall.
func TestRunLoadSuite(t *testing.T) {
	if testing.Short() {
		t.Skip("ten seconds of load per embedded target")
	}
	out := filepath.Join(t.TempDir(), "out")
	res := runBinary(t, 3*time.Minute, "run", "--suite", "server", "--label-filter", "load",
		"--profile", "letsencrypt", "--out", out, "--seed", "3")
	if res.code != exitOK {
		t.Fatalf("exit code %d; stdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	rep := readReport(t, out)
	var found int
	for _, s := range rep.Specs {
		for _, e := range s.Evidence {
			m := loadFigures.FindStringSubmatch(e.Value)
			if e.Name != "load" || m == nil {
				continue
			}
			found++
			if m[2] == "0" || m[4] != "0" {
				t.Errorf("load figures: %s", e.Value)
			}
			t.Logf("%s: %s", s.Target, e.Value)
		}
	}
	if found == 0 {
		t.Fatalf("no load figures in the report; stdout:\n%s", res.stdout)
	}
}
