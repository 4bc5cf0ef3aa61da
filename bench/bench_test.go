package bench

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// buildServe builds the acmeconform command into a temporary directory
// with links to the pinned tools in ../bin that exist, and says which
// comparisons can run.
func buildServe(t *testing.T) (dir string, pebble, lego bool) {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build acmeconform with")
	}
	dir = t.TempDir()
	out, err := exec.Command(gobin, "build", "-o", filepath.Join(dir, "acmeconform"),
		"acmeconform/cmd/acmeconform").CombinedOutput()
	if err != nil {
		t.Fatalf("build acmeconform: %v\n%s", err, out)
	}
	have := map[string]bool{}
	for _, name := range []string{"pebble", "pebble-challtestsrv", "lego"} {
		src, err := filepath.Abs(filepath.Join("..", "bin", name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(src); err == nil {
			have[name] = os.Symlink(src, filepath.Join(dir, name)) == nil
		}
	}
	return dir, have["pebble"] && have["pebble-challtestsrv"], have["lego"]
}

// TestQuickRun runs the whole program in its smoke form: it checks that
// every phase produces figures and the table renders, not how fast
// anything is.
func TestQuickRun(t *testing.T) {
	if testing.Short() {
		t.Skip("starts servers as child processes")
	}
	dir, pebble, lego := buildServe(t)
	cfg := Quick(dir)
	cfg.SkipPebble, cfg.SkipLego = !pebble, !lego
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Notes) > 0 {
		t.Errorf("phases failed: %q", res.Notes)
	}
	for _, n := range cfg.Workers {
		m := res.level("mockca", n)
		if m == nil || m.Issued == 0 || m.Errors+m.Stalls > 0 {
			t.Errorf("mockca at %d workers: %+v", n, m)
		}
		if pebble && res.level("pebble", n) == nil {
			t.Errorf("pebble at %d workers not measured", n)
		}
	}
	checkPhases(t, res, cfg, pebble, lego)
	var md bytes.Buffer
	res.Markdown(&md, cfg)
	for _, want := range []string{"| measure |", "issuances/s", "DNS queries/s", "start-up",
		"RSS MiB"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, md.String())
		}
	}
}

func checkPhases(t *testing.T, res *Result, cfg Config, pebble, lego bool) {
	t.Helper()
	if d := res.dns("dnsmock"); d == nil || d.Queries == 0 || d.Errors > 0 {
		t.Errorf("dnsmock query rate: %+v", d)
	}
	if s := res.startup("mockca"); s == nil || s.Median <= 0 {
		t.Errorf("mockca start-up: %+v", s)
	}
	if pebble && res.dns("pebble-challtestsrv") == nil {
		t.Error("pebble-challtestsrv not measured")
	}
	if l := res.lego("mockca"); lego && (l == nil || l.Err != "") {
		t.Errorf("lego against mockca: %+v", l)
	}
	m := res.Memory
	if m == nil || len(m.Samples) != memChunks || m.Errors+m.Stalls > 0 {
		t.Fatalf("memory phase: %+v", m)
	}
	if got := m.Samples[memChunks-1].Issued; got != cfg.MemIssuances {
		t.Errorf("memory phase issued %d, want %d", got, cfg.MemIssuances)
	}
}
