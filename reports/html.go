package reports

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

//go:embed report.html.tmpl
var htmlTemplateText string

// htmlView is what the HTML template renders; every list is ordered so the
// page is the same for the same report.
type htmlView struct {
	R         *Report
	Verdict   Verdict
	Sentence  string
	StartedAt string
	Duration  string
	Verdicts  []Verdict
	Levels    []string
	Counts    []countRow
	Sources   []htmlGroup
	Matrix    Matrix
	Rows      []matrixRow
	Failures  []Requirement
	// ClientFailures lists the client scenarios that did not pass.
	ClientFailures []htmlClientFailure
	// Robustness is the client-by-quirk matrix of the robustness scenarios.
	Robustness robustView
}

type countRow struct {
	Name  string
	Total int
	Cells []int
}

// htmlGroup groups the requirement matrix by source, then by section.
type htmlGroup struct {
	Name     string
	Sections []htmlSection
}

type htmlSection struct {
	Name string
	Rows []htmlReqRow
}

// htmlReqRow is one requirement with its verdict on each target.
type htmlReqRow struct {
	ID, Level, Summary string
	Verdicts           []Verdict // one per target, in Report.Targets order
}

// Classes lists the row's distinct verdicts for the filter script.
func (r htmlReqRow) Classes() string {
	var vs []string
	for _, v := range r.Verdicts {
		if !slices.Contains(vs, string(v)) {
			vs = append(vs, string(v))
		}
	}
	return strings.Join(vs, " ")
}

type matrixRow struct {
	Target Target
	Client Client
	Cells  []matrixCell
}

// matrixCell is one client and scenario; Anchor names its failure fold.
type matrixCell struct {
	Verdict Verdict
	Anchor  string
}

// htmlClientFailure folds the evidence of one client in one scenario that
// did not pass, over every target.
type htmlClientFailure struct {
	Anchor, Client, Scenario string
	Verdict                  Verdict
	Targets                  []string
	Evidence                 []Evidence
}

func clientAnchor(client, scenario string) string {
	return "client-" + client + "-" + scenario
}

// WriteHTML writes a single self-contained HTML page (inline style and
// script, no external assets): the verdict, the counts, the requirement
// matrix by source and section, the client-by-scenario matrix, the
// client-by-quirk robustness matrix, and every
// failure with its evidence folded, with filters by verdict and level.
func WriteHTML(w io.Writer, r *Report) error {
	tmpl, err := template.New("report").Parse(htmlTemplateText)
	if err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	if err := tmpl.Execute(w, newHTMLView(r.redacted())); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	return nil
}

func newHTMLView(r *Report) htmlView {
	sum := r.Summarize()
	v := htmlView{
		R: r, Verdict: sum.Verdict, Verdicts: Verdicts(), Levels: Levels(),
		Sentence: verdictSentence(r, sum, func(s string) string { return s }),
		Matrix:   r.ClientMatrix(),
	}
	if !r.StartedAt.IsZero() {
		v.StartedAt = r.StartedAt.UTC().Format(time.RFC3339)
		v.Duration = r.Duration.Round(time.Millisecond).String()
	}
	for _, l := range v.Levels {
		if c, ok := sum.ByLevel[l]; ok {
			v.Counts = append(v.Counts, newCountRow(l, c))
		}
	}
	v.Counts = append(v.Counts, newCountRow("all", sum.ByVerdict))
	v.Sources = r.htmlSources()
	v.Rows = matrixRows(v.Matrix)
	v.Robustness = newRobustView(r.RobustnessMatrix())
	v.ClientFailures = r.clientFailures()
	for _, q := range r.Requirements {
		if severity(q.Verdict) >= severity(VerdictInfo) {
			q.Evidence = clipEvidence(q.Evidence)
			v.Failures = append(v.Failures, q)
		}
	}
	slices.SortStableFunc(v.Failures, func(a, b Requirement) int {
		return severity(b.Verdict) - severity(a.Verdict)
	})
	return v
}

func matrixRows(m Matrix) []matrixRow {
	var rows []matrixRow
	for _, r := range m.Rows {
		row := matrixRow{Target: r.Target, Client: r.Client}
		for _, sc := range m.Scenarios {
			cell := matrixCell{Verdict: r.Cells[sc]}
			if severity(cell.Verdict) >= severity(VerdictInfo) {
				cell.Anchor = clientAnchor(r.Client.Name, sc)
			}
			row.Cells = append(row.Cells, cell)
		}
		rows = append(rows, row)
	}
	return rows
}

// clientFailures gathers, per client and scenario, the targets where it did
// not pass and the evidence left there.
func (r *Report) clientFailures() []htmlClientFailure {
	var out []htmlClientFailure
	index := map[string]int{}
	for _, c := range r.ClientResults() {
		if severity(c.Verdict) < severity(VerdictInfo) {
			continue
		}
		a := clientAnchor(c.Client, c.Scenario)
		i, ok := index[a]
		if !ok {
			i = len(out)
			index[a] = i
			out = append(out, htmlClientFailure{Anchor: a, Client: c.Client, Scenario: c.Scenario})
		}
		f := &out[i]
		f.Verdict = worse(f.Verdict, c.Verdict)
		f.Targets = append(f.Targets, c.Target)
		f.Evidence = append(f.Evidence, clipEvidence(c.Evidence())...)
	}
	slices.SortFunc(out, func(a, b htmlClientFailure) int {
		return strings.Compare(a.Anchor, b.Anchor)
	})
	return out
}

func newCountRow(name string, c Counts) countRow {
	row := countRow{Name: name}
	for _, v := range Verdicts() {
		row.Cells = append(row.Cells, c[v])
		row.Total += c[v]
	}
	return row
}

// htmlSources groups requirement entries by source and section, with one
// verdict column per target.
func (r *Report) htmlSources() []htmlGroup {
	col := map[string]int{}
	for i, t := range r.Targets {
		col[t.Name] = i
	}
	rows := map[string]*htmlReqRow{}
	var order []Requirement
	for _, q := range r.Requirements {
		row := rows[q.ID]
		if row == nil {
			row = &htmlReqRow{ID: q.ID, Level: q.Level, Summary: q.Summary,
				Verdicts: make([]Verdict, len(r.Targets))}
			rows[q.ID] = row
			order = append(order, q)
		}
		if i, ok := col[q.Target]; ok {
			row.Verdicts[i] = q.Verdict
		}
	}
	slices.SortFunc(order, compareBySection)
	var out []htmlGroup
	for _, q := range order {
		if len(out) == 0 || out[len(out)-1].Name != q.Source {
			out = append(out, htmlGroup{Name: q.Source})
		}
		src := &out[len(out)-1]
		if len(src.Sections) == 0 || src.Sections[len(src.Sections)-1].Name != q.Section {
			src.Sections = append(src.Sections, htmlSection{Name: q.Section})
		}
		sec := &src.Sections[len(src.Sections)-1]
		sec.Rows = append(sec.Rows, *rows[q.ID])
	}
	return out
}

// compareBySection orders requirements by source, section and id.
func compareBySection(a, b Requirement) int {
	if c := strings.Compare(a.Source, b.Source); c != 0 {
		return c
	}
	if c := compareSections(a.Section, b.Section); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// compareSections orders section numbers as a reader expects: 6.5 before
// 6.10, numbers before names.
func compareSections(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		an, aerr := strconv.Atoi(as[i])
		bn, berr := strconv.Atoi(bs[i])
		switch {
		case aerr == nil && berr == nil && an != bn:
			return an - bn
		case aerr == nil && berr != nil:
			return -1
		case aerr != nil && berr == nil:
			return 1
		case aerr != nil && as[i] != bs[i]:
			return strings.Compare(as[i], bs[i])
		}
	}
	return len(as) - len(bs)
}
