package reports

import (
	"reflect"
	"testing"
)

func TestIsRobust(t *testing.T) {
	tests := []struct {
		name string
		in   ClientResult
		want bool
	}{
		{"scenario prefix", ClientResult{Scenario: "robust-directory-without-meta"}, true},
		{"label only", ClientResult{Scenario: "odd", Specs: []Spec{
			{Labels: []string{"client:lego", "robustness"}}}}, true},
		{"ordinary scenario", ClientResult{Scenario: "http-01", Specs: []Spec{
			{Labels: []string{"client:lego", "scenario:http-01"}}}}, false},
		{"prefix inside the name", ClientResult{Scenario: "not-robust-x"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isRobust(tt.in); got != tt.want {
				t.Errorf("isRobust = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRobustnessMatrix(t *testing.T) {
	m := fixtureReport(t).RobustnessMatrix()
	var names, versions []string
	for _, row := range m.Rows {
		names, versions = append(names, row.Client.Name), append(versions, row.Client.Version)
		if row.Target.Name != targetMock || row.Target.Directory == "" {
			t.Errorf("%s row names target %+v, want %s with its directory",
				row.Client.Name, row.Target, targetMock)
		}
	}
	if want := []string{"certbot", "lego"}; !reflect.DeepEqual(names, want) {
		t.Errorf("clients %v, want %v", names, want)
	}
	if want := []string{"2.1.0", "4.35.2"}; !reflect.DeepEqual(versions, want) {
		t.Errorf("versions %v, want %v", versions, want)
	}
	want := []string{"robust-badnonce-on-first-post", "robust-order-processing-3s"}
	if !reflect.DeepEqual(m.Scenarios, want) {
		t.Errorf("scenarios %v, want %v (ordinary scenarios left out)", m.Scenarios, want)
	}
	cells := []struct {
		client, scenario string
		want             Verdict
	}{
		{"lego", "robust-badnonce-on-first-post", VerdictPass},
		{"certbot", "robust-badnonce-on-first-post", VerdictWarn}, // a SHOULD broken
		{"lego", "robust-order-processing-3s", VerdictPass},
		{"certbot", "robust-order-processing-3s", ""}, // did not run
	}
	for _, c := range cells {
		if got := m.Cell(targetMock, c.client, c.scenario); got != c.want {
			t.Errorf("%s × %s = %q, want %q", c.client, c.scenario, got, c.want)
		}
	}
}

func TestRobustnessMatrixEmptyWithoutScenarios(t *testing.T) {
	r, err := Build(fixtureCatalog(t), fixtureMeta(), fixtureSpecs()[:9])
	if err != nil {
		t.Fatal(err)
	}
	if m := r.RobustnessMatrix(); len(m.Rows) != 0 || len(m.Scenarios) != 0 {
		t.Errorf("matrix of a run without robustness scenarios: %+v", m)
	}
}
