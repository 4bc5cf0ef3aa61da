package mutation

import (
	"context"
	"errors"
	"flag"

	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"acmeconform/catalog"
	"acmeconform/mockca"
	"acmeconform/reports"
)

var all = flag.Bool("mutation.all", false, "check every misbehaviour, not a sample")

func TestJudge(t *testing.T) {
	m := mockca.MisbehaviourInfo{Name: "x", Requirement: "req-a"}
	tests := []struct {
		name     string
		baseline []string
		failed   []string
		err      error
		want     string
	}{
		{"only its requirement", nil, []string{"req-a"}, nil, VerdictKilled},
		{"baseline failures do not count", []string{"req-b"}, []string{"req-a", "req-b"}, nil,
			VerdictKilled},
		{"missed", nil, nil, nil, VerdictEscaped},
		{"missed among others", nil, []string{"req-b"}, nil, VerdictEscaped},
		{"others too", nil, []string{"req-a", "req-c"}, nil, VerdictOverBlamed},
		{"fails on the baseline", []string{"req-a"}, []string{"req-a"}, nil, VerdictMasked},
		{"run failed", nil, nil, errors.New("boom"), VerdictError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := judge(m, tt.baseline, tt.failed, tt.err); got.Verdict != tt.want {
				t.Errorf("verdict %s, want %s (failed %v)", got.Verdict, tt.want, got.Failed)
			}
		})
	}
}

func TestForEachBoundsParallelism(t *testing.T) {
	var running, peak atomic.Int32
	var done atomic.Int32
	forEach(20, 2, func(int) {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(time.Millisecond) // hold the slot so overlaps can show
		running.Add(-1)
		done.Add(1)
	})
	if done.Load() != 20 || peak.Load() > 2 {
		t.Fatalf("ran %d of 20 with up to %d at once, want all with at most 2", done.Load(),
			peak.Load())
	}
}

// TestMisbehavioursNameCatalogRequirements keeps the table honest: every
// misbehaviour names one server requirement of the catalog.
func TestMisbehavioursNameCatalogRequirements(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	ms := mockca.Misbehaviours()
	if len(ms) < 40 {
		t.Errorf("%d misbehaviours, want at least 40", len(ms))
	}
	for _, m := range ms {
		if _, ok := cat.Get(m.Requirement); !ok {
			t.Errorf("%s names %q, which is not in the catalog", m.Name, m.Requirement)
		}
	}
}

// TestKillRate runs the mutation check on a sample of misbehaviours (all
// with -mutation.all) and requires every one to be killed cleanly.
func TestKillRate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the server suite many times")
	}
	bin := buildBinary(t)
	ms := mockca.Misbehaviours()
	if !*all {
		ms = sample(ms, 8)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	res, err := Run(ctx, Config{Binary: bin, Misbehaviours: ms, Progress: testWriter{t}})
	if err != nil {
		t.Fatal(err)
	}
	for p, b := range res.Baselines {
		if len(b) > 0 {
			t.Logf("the well-behaved mock CA (%s) fails %v", p, b)
		}
	}
	for _, o := range res.Outcomes {
		if o.Verdict != VerdictKilled {
			t.Errorf("%s (breaks %s): %s, failed %v %s", o.Misbehaviour.Name,
				o.Misbehaviour.Requirement, o.Verdict, o.Failed, o.Err)
		}
	}
	t.Logf("kill rate %.1f %% over %d misbehaviours", 100*res.KillRate(), len(res.Outcomes))
}

// built is the acmeconform binary the slow tests share.
var built struct {
	once sync.Once
	dir  string
	err  error
	out  []byte
}

// buildBinary builds acmeconform once for the package's tests.
func buildBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "acmeconform-mutation-bin"); built.err != nil {
			return
		}
		build := exec.Command("go", "build", "-o", built.dir, "../cmd/acmeconform")
		built.out, built.err = build.CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("build acmeconform: %v\n%s", built.err, built.out)
	}
	return filepath.Join(built.dir, "acmeconform")
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if built.dir != "" {
		_ = os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// sample picks n misbehaviours spread over the list, always including one
// of a profile other than the default so both baselines run.
func sample(ms []mockca.MisbehaviourInfo, n int) []mockca.MisbehaviourInfo {
	var out []mockca.MisbehaviourInfo
	for i := 0; i < len(ms) && len(out) < n-1; i += max(len(ms)/(n-1), 1) {
		out = append(out, ms[i])
	}
	if i := slices.IndexFunc(ms, func(m mockca.MisbehaviourInfo) bool {
		return m.Profile != ""
	}); i >= 0 && !slices.Contains(out, ms[i]) {
		out = append(out, ms[i])
	}
	return out
}

// testWriter sends progress lines to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(string(b[:len(b)-min(len(b), 1)]))
	return len(b), nil
}

func TestCompareFindsUnstableVerdicts(t *testing.T) {
	runs := []map[string]reports.Verdict{
		{"t a": reports.VerdictPass, "t b": reports.VerdictFail},
		{"t a": reports.VerdictPass, "t b": reports.VerdictPass},
		{"t a": reports.VerdictPass},
	}
	res := &FlakeResult{Unstable: map[string][]reports.Verdict{}}
	compare(res, runs)
	if len(res.Unstable) != 1 || len(res.Unstable["t b"]) != 3 {
		t.Fatalf("unstable = %v, want only t b", res.Unstable)
	}
}

// TestFlakeShort is the short form of the flake check: three runs of the
// server suite with random seeds give identical verdicts.
func TestFlakeShort(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the server suite several times")
	}
	bin := buildBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	res, err := Flake(ctx, FlakeConfig{Binary: bin, Runs: 3, Seed: 1,
		Progress: testWriter{t}})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range res.Unstable {
		t.Errorf("verdict of %s differs between seeds %v: %v", k, res.Seeds, v)
	}
}
