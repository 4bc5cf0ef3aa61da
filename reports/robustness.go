package reports

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// The client suite marks its robustness scenarios (server behaviour the
// RFCs allow but clients rarely meet) with this label and this scenario
// name prefix; the rest of the scenario name is the CA quirk.
const (
	labelRobustness = "robustness"
	robustPrefix    = "robust-"
)

// isRobust reports whether a client result comes from a robustness
// scenario.
func isRobust(c ClientResult) bool {
	if strings.HasPrefix(c.Scenario, robustPrefix) {
		return true
	}
	return slices.ContainsFunc(c.Specs, func(s Spec) bool {
		return slices.Contains(s.Labels, labelRobustness)
	})
}

// RobustnessMatrix returns the client-by-quirk matrix of the robustness
// scenarios: one row per target and client with its version, one column
// per scenario (named in full, e.g. "robust-order-processing-3s"). It is
// empty when no robustness scenario ran.
func (r *Report) RobustnessMatrix() Matrix {
	return r.matrixOf(isRobust)
}

// quirkName is the column heading of a robustness scenario: the quirk.
func quirkName(scenario string) string {
	return strings.TrimPrefix(scenario, robustPrefix)
}

// robustView is the robustness matrix as the HTML template shows it; a
// cell that did not pass links to the client failure it comes from.
type robustView struct {
	Quirks []string
	Rows   []matrixRow
}

func newRobustView(m Matrix) robustView {
	v := robustView{Rows: matrixRows(m)}
	for _, sc := range m.Scenarios {
		v.Quirks = append(v.Quirks, quirkName(sc))
	}
	return v
}

// markdownRobustness writes the robustness matrix, when robustness
// scenarios ran.
func (r *Report) markdownRobustness(w io.Writer) {
	m := r.RobustnessMatrix()
	if len(m.Rows) == 0 {
		return
	}
	fmt.Fprint(w, "## Robustness\n\nIn each column the client obtains a certificate by "+
		"http-01 while the CA shows one behaviour the RFCs allow but clients rarely meet."+
		"\n\n| target | client | version |")
	for _, sc := range m.Scenarios {
		fmt.Fprintf(w, " %s |", mdText(quirkName(sc), 40))
	}
	fmt.Fprint(w, "\n|---|---|---|", strings.Repeat("---|", len(m.Scenarios)), "\n")
	markdownRows(w, m)
}
