package reports

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriteConformanceCountsCoverage(t *testing.T) {
	r := &Report{Requirements: []Requirement{
		{ID: "a", Source: "RFC 8555", Section: "6.10", Level: "MUST", Summary: "x", Target: "t1",
			Verdict: VerdictPass, Specs: []string{"s1"}},
		{ID: "b", Source: "RFC 8555", Section: "6.9", Level: "MUST", Summary: "y", Target: "t1",
			Verdict: VerdictNotCovered},
	}}
	var b bytes.Buffer
	if err := WriteConformance(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "| MUST | 2 | 1 (50 %) |") {
		t.Errorf("coverage line missing:\n%s", out)
	}
	if strings.Index(out, "`b`") > strings.Index(out, "`a`") {
		t.Errorf("section 6.9 should come before 6.10:\n%s", out)
	}
	if !strings.Contains(out, "| not-covered |") {
		t.Errorf("uncovered requirement should say not-covered:\n%s", out)
	}
}
