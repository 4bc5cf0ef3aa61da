package reports

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"acmeconform/catalog"
)

func TestBuildVerdicts(t *testing.T) {
	r := fixtureReport(t)
	got := map[reqTarget]Verdict{}
	for _, q := range r.Requirements {
		got[reqTarget{q.ID, q.Target}] = q.Verdict
	}
	tests := []struct {
		name, id, target string
		want             Verdict
	}{
		{"passed MUST", "nonce-single-use", targetMock, VerdictPass},
		{"failed MUST", "nonce-single-use", targetPebble, VerdictFail},
		{"failed SHOULD warns", "nonce-on-error", targetPebble, VerdictWarn},
		{"uncovered on one target only", "nonce-on-error", targetMock, VerdictNotCovered},
		{"all covering specs skipped", "content-type-415", targetPebble, VerdictSkip},
		{"failed MAY informs", "order-retry-after", targetMock, VerdictInfo},
		{"interrupted spec is an error", "ari-replaces", targetMock, VerdictError},
		{"failed POLICY fails", "eab-required", targetMock, VerdictFail},
		{"one failing client spec fails", "client-post-as-get", targetMock, VerdictFail},
		{"no spec at all", "key-change", targetMock, VerdictNotCovered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if v := got[reqTarget{tt.id, tt.target}]; v != tt.want {
				t.Errorf("%s on %s: verdict %q, want %q", tt.id, tt.target, v, tt.want)
			}
		})
	}
	if n, want := len(r.Requirements), 10*2; n != want {
		t.Errorf("%d requirement entries, want %d (one per requirement and target)", n, want)
	}
}

func TestBuildRules(t *testing.T) {
	pass := Spec{Name: "a", Target: targetMock, State: StatePassed}
	tests := []struct {
		name   string
		level  string
		states []string
		want   Verdict
	}{
		{"pass and skip is pass", "MUST", []string{StatePassed, StateSkipped}, VerdictPass},
		{"fail outweighs pass", "MUST", []string{StatePassed, StateFailed}, VerdictFail},
		{"fail outweighs error", "SHOULD", []string{StateAborted, StateFailed}, VerdictWarn},
		{"error outweighs pass", "MUST", []string{StatePassed, StateAborted}, VerdictError},
		{"pending counts as skipped", "MUST", []string{StatePending}, VerdictSkip},
		{"panicked is a failure", "MAY", []string{StatePanicked}, VerdictInfo},
		{"timeout is a failure", "POLICY", []string{StateTimedout}, VerdictFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat := oneReqCatalog(t, tt.level)
			var specs []Spec
			for i, st := range tt.states {
				s := pass
				s.Name, s.State, s.Requirements = string(rune('a'+i)), st, []string{"r"}
				specs = append(specs, s)
			}
			r, err := Build(cat, Report{Targets: []Target{{Name: targetMock}}}, specs)
			if err != nil {
				t.Fatal(err)
			}
			if v := r.Requirements[0].Verdict; v != tt.want {
				t.Errorf("verdict %q, want %q", v, tt.want)
			}
		})
	}
}

func TestBuildRefusesBadSpecs(t *testing.T) {
	meta := Report{Targets: []Target{{Name: targetMock}}}
	tests := []struct {
		name    string
		spec    Spec
		wantIs  error
		mention string
	}{
		{"unknown requirement", Spec{Name: "s1", Target: targetMock, State: StatePassed,
			Requirements: []string{"r", "no-such-req"}}, ErrUnknownRequirement, "no-such-req"},
		{"unknown target", Spec{Name: "s2", Target: "elsewhere", State: StatePassed,
			Requirements: []string{"r"}}, nil, `"elsewhere"`},
		{"unknown state", Spec{Name: "s3", Target: targetMock, State: "weird",
			Requirements: []string{"r"}}, nil, `"weird"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Build(oneReqCatalog(t, "MUST"), meta, []Spec{tt.spec})
			if err == nil {
				t.Fatal("Build accepted the spec")
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %v does not wrap %v", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.mention) || !strings.Contains(err.Error(),
				tt.spec.Name) {
				t.Errorf("error %q should name %s and the spec %q", err, tt.mention, tt.spec.Name)
			}
		})
	}
}

func TestBuildEvidenceAndOrder(t *testing.T) {
	r := fixtureReport(t)
	for i := 1; i < len(r.Specs); i++ {
		if compareSpecs(r.Specs[i-1], r.Specs[i]) > 0 {
			t.Fatalf("specs not sorted at %d: %q after %q", i, r.Specs[i].Name, r.Specs[i-1].Name)
		}
	}
	for i := 1; i < len(r.Requirements); i++ {
		a, b := r.Requirements[i-1], r.Requirements[i]
		if a.ID > b.ID || (a.ID == b.ID && a.Target >= b.Target) {
			t.Fatalf("requirements not sorted at %d: %s/%s", i, b.ID, b.Target)
		}
	}
	q := find(t, r, "eab-required", targetMock)
	names := []string{}
	for _, e := range q.Evidence {
		if e.Spec != "account needs EAB" {
			t.Errorf("evidence %q names spec %q", e.Name, e.Spec)
		}
		names = append(names, e.Name)
	}
	if want := []string{"failure", "credential", "account key"}; !slices.Equal(names, want) {
		t.Errorf("evidence %v, want %v", names, want)
	}
	if p := find(t, r, "eab-required", targetPebble); len(p.Evidence) != 0 {
		t.Errorf("a passing requirement carries evidence: %v", p.Evidence)
	}
}

func TestSummaryAndExitCode(t *testing.T) {
	r := fixtureReport(t)
	s := r.Summarize()
	want := Counts{VerdictPass: 4, VerdictFail: 3, VerdictWarn: 2, VerdictInfo: 1,
		VerdictSkip: 1, VerdictError: 1, VerdictNotCovered: 8}
	for _, v := range Verdicts() {
		if s.ByVerdict[v] != want[v] {
			t.Errorf("%s: %d, want %d", v, s.ByVerdict[v], want[v])
		}
	}
	if s.ByLevel["MUST"][VerdictFail] != 2 || s.ByLevel["POLICY"][VerdictFail] != 1 {
		t.Errorf("fails by level: %v", s.ByLevel)
	}
	if !r.MustFailed() || r.ExitCode() != ExitFail || s.Verdict != VerdictFail {
		t.Errorf("MustFailed %v, exit %d, verdict %s; want true, 1, fail",
			r.MustFailed(), r.ExitCode(), s.Verdict)
	}

	ok, err := Build(fixtureCatalog(t), fixtureMeta(), fixtureSpecs()[:1])
	if err != nil {
		t.Fatal(err)
	}
	if ok.MustFailed() || ok.ExitCode() != ExitPass {
		t.Errorf("a passing run: MustFailed %v, exit %d", ok.MustFailed(), ok.ExitCode())
	}
	ok.InfraError = "pebble did not start"
	if ok.ExitCode() != ExitInfra || ok.Overall() != VerdictError {
		t.Errorf("an infrastructure error: exit %d, verdict %s", ok.ExitCode(), ok.Overall())
	}
}

func oneReqCatalog(t testing.TB, level string) *catalog.Catalog {
	t.Helper()
	c, err := catalog.New([]catalog.Requirement{{ID: "r", Source: "RFC 8555", Section: "1",
		Level: catalog.Level(level), Summary: "r"}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func find(t *testing.T, r *Report, id, target string) Requirement {
	t.Helper()
	for _, q := range r.Requirements {
		if q.ID == id && q.Target == target {
			return q
		}
	}
	t.Fatalf("no entry for %s on %s", id, target)
	return Requirement{}
}
