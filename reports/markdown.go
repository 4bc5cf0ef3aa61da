package reports

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
)

// markdownMaxRows bounds the failure table so the summary fits a CI job
// summary page; the HTML and JSON reports hold every row.
const markdownMaxRows = 50

// WriteMarkdown writes a short summary for a CI job page: the overall
// verdict, counts by level and verdict, the failed MUSTs and warnings, and
// the client-by-scenario and robustness matrices when clients ran.
func WriteMarkdown(w io.Writer, r *Report) error {
	red := r.redacted()
	bw := bufio.NewWriter(w)
	sum := red.Summarize()
	fmt.Fprintf(bw, "# %s report: %s\n\n", orDefault(red.Tool, "acmeconform"),
		strings.ToUpper(string(sum.Verdict)))
	fmt.Fprintf(bw, "**%s**: %s\n\n", strings.ToUpper(string(sum.Verdict)),
		verdictSentence(red, sum, func(s string) string { return mdText(s, 300) }))
	red.markdownRun(bw)
	markdownCounts(bw, sum)
	red.markdownFailures(bw)
	red.markdownClients(bw)
	red.markdownRobustness(bw)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write Markdown report: %w", err)
	}
	return nil
}

// verdictSentence says in one sentence why the run got its verdict; clean
// prepares the infrastructure error for the output format.
func verdictSentence(r *Report, s Summary, clean func(string) string) string {
	targets := plural(len(r.Targets), "target")
	switch {
	case r.InfraError != "":
		return "the run could not complete: " + clean(r.InfraError)
	case s.Verdict == VerdictFail:
		return fmt.Sprintf("%s failed on %s (%s warned).",
			plural(s.ByVerdict[VerdictFail], "MUST or policy requirement"), targets,
			plural(s.ByVerdict[VerdictWarn], "SHOULD"))
	case s.Verdict == VerdictError:
		return fmt.Sprintf("%s could not be checked on %s.",
			plural(s.ByVerdict[VerdictError], "requirement"), targets)
	case s.ByVerdict[VerdictPass]+s.ByVerdict[VerdictWarn]+s.ByVerdict[VerdictInfo] == 0:
		return fmt.Sprintf("no requirement was checked on %s (%s skipped, %s not covered).",
			targets, plural(s.ByVerdict[VerdictSkip], "requirement"),
			plural(s.ByVerdict[VerdictNotCovered], "requirement"))
	}
	return fmt.Sprintf("every MUST and policy requirement that ran passed on %s "+
		"(%s warned, %s not covered).", targets,
		plural(s.ByVerdict[VerdictWarn], "SHOULD"), plural(s.ByVerdict[VerdictNotCovered],
			"requirement"))
}

func (r *Report) markdownRun(w io.Writer) {
	for _, t := range r.Targets {
		fmt.Fprintf(w, "- Target `%s`: %s", mdText(t.Name, 60), mdText(t.Directory, 200))
		if t.Mode != "" {
			fmt.Fprintf(w, " (%s)", t.Mode)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "- Seed %d", r.Seed)
	if r.Shard != "" {
		fmt.Fprintf(w, ", shard %s", r.Shard)
	}
	fmt.Fprintf(w, ", %s\n", strings.TrimSpace(orDefault(r.Tool, "acmeconform")+" "+r.ToolVersion))
	if !r.StartedAt.IsZero() {
		fmt.Fprintf(w, "- Started %s, took %s\n", r.StartedAt.UTC().Format(time.RFC3339),
			r.Duration.Round(time.Millisecond))
	}
	fmt.Fprintln(w)
}

func markdownCounts(w io.Writer, s Summary) {
	verdicts := Verdicts()
	fmt.Fprint(w, "| level | total |")
	for _, v := range verdicts {
		fmt.Fprintf(w, " %s |", v)
	}
	fmt.Fprint(w, "\n|---|---:|", strings.Repeat("---:|", len(verdicts)), "\n")
	row := func(name string, c Counts) {
		total := 0
		for _, n := range c {
			total += n
		}
		fmt.Fprintf(w, "| %s | %d |", name, total)
		for _, v := range verdicts {
			fmt.Fprintf(w, " %d |", c[v])
		}
		fmt.Fprintln(w)
	}
	for _, l := range Levels() {
		if c, ok := s.ByLevel[l]; ok {
			row(l, c)
		}
	}
	row("**all**", s.ByVerdict)
	fmt.Fprintln(w)
}

func (r *Report) markdownFailures(w io.Writer) {
	var rows []Requirement
	for _, q := range r.Requirements {
		if q.Verdict == VerdictFail || q.Verdict == VerdictError || q.Verdict == VerdictWarn {
			rows = append(rows, q)
		}
	}
	if len(rows) == 0 {
		return
	}
	// Worst first, so a cut table still shows every failed MUST it can.
	slices.SortStableFunc(rows, func(a, b Requirement) int {
		return severity(b.Verdict) - severity(a.Verdict)
	})
	fmt.Fprint(w, "## Failed MUSTs and warnings\n\n")
	fmt.Fprint(w, "| verdict | requirement | level | section | target | observed |\n")
	fmt.Fprint(w, "|---|---|---|---|---|---|\n")
	for i, q := range rows {
		if i == markdownMaxRows {
			fmt.Fprintf(w, "\n… and %d more; the HTML and JSON reports list them all.\n",
				len(rows)-i)
			break
		}
		fmt.Fprintf(w, "| %s | `%s` | %s | %s §%s | `%s` | %s |\n", q.Verdict,
			mdText(q.ID, 80), mdText(q.Level, 10), mdText(q.Source, 40), mdText(q.Section, 20),
			mdText(q.Target, 60), mdText(firstFailure(q), 120))
	}
	fmt.Fprintln(w)
}

// firstFailure is the first line of a requirement's first failure message,
// or its summary when no spec left one.
func firstFailure(q Requirement) string {
	for _, e := range q.Evidence {
		if e.Name == "failure" && strings.TrimSpace(e.Value) != "" {
			return oneLine(e.Value, 160)
		}
	}
	return q.Summary
}

// goTypeTag matches the type annotations Gomega puts before values.
var goTypeTag = regexp.MustCompile(`<[^<>\n]{1,60}>: `)

// oneLine folds a multi-line failure message ("HTTP status / Expected /
// <int>: 403 / to equal / <int>: 401") into one line of at most limit
// characters ("HTTP status Expected 403 to equal 401").
func oneLine(msg string, limit int) string {
	msg = goTypeTag.ReplaceAllString(msg, "")
	line := strings.Join(strings.Fields(msg), " ")
	if len(line) > limit {
		line = line[:limit-1] + "…"
	}
	return line
}

func (r *Report) markdownClients(w io.Writer) {
	m := r.ClientMatrix()
	if len(m.Rows) == 0 {
		return
	}
	fmt.Fprint(w, "## Clients\n\n| target | client | version |")
	for _, sc := range m.Scenarios {
		fmt.Fprintf(w, " %s |", mdText(sc, 40))
	}
	fmt.Fprint(w, "\n|---|---|---|", strings.Repeat("---|", len(m.Scenarios)), "\n")
	markdownRows(w, m)
}

// markdownRows writes one table row per target and client: the target's
// name and directory, the client, its version and one verdict per
// scenario ("–" where it did not run).
func markdownRows(w io.Writer, m Matrix) {
	for _, row := range m.Rows {
		fmt.Fprintf(w, "| `%s` %s | %s | %s |", mdText(row.Target.Name, 60),
			mdText(row.Target.Directory, 100), mdText(row.Client.Name, 40),
			mdText(row.Client.Version, 40))
		for _, sc := range m.Scenarios {
			fmt.Fprintf(w, " %s |", orDefault(string(row.Cells[sc]), "–"))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
}

// mdText makes s safe inside a Markdown table cell: one line, no pipes, no
// HTML, at most limit runes.
func mdText(s string, limit int) string {
	s = strings.Join(strings.Fields(s), " ")
	if rs := []rune(s); len(rs) > limit {
		s = string(rs[:limit-1]) + "…"
	}
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "`", "'").Replace(s)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
