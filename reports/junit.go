package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// The JUnit XML document, in the dialect Jenkins, GitLab and GitHub render.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitOutcome `xml:"failure,omitempty"`
	Error     *junitOutcome `xml:"error,omitempty"`
	Skipped   *junitOutcome `xml:"skipped,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

// junitText is element text kept readable in a CDATA section.
type junitText struct {
	Text string `xml:",cdata"`
}

type junitOutcome struct {
	Message string `xml:"message,attr,omitempty"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",cdata"`
}

// WriteJUnit writes JUnit XML with one testsuite per target, one testcase per
// requirement on that target (named by requirement id) and one per client
// scenario (named client/scenario). A failed MUST or policy is a failure, an
// interrupted spec an error, a skipped or uncovered requirement is skipped. A
// failed SHOULD or MAY does not fail the CI job: its testcase passes and its
// system-out carries the warning and the evidence.
func WriteJUnit(w io.Writer, r *Report) error {
	red := r.redacted()
	doc := junitSuites{Name: red.Tool, Time: seconds(red.Duration)}
	for _, t := range red.Targets {
		s := red.junitSuite(t)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write JUnit report: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write JUnit report: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write JUnit report: %w", err)
	}
	return nil
}

func (r *Report) junitSuite(t Target) junitSuite {
	s := junitSuite{Name: t.Name, Properties: r.junitProperties(t)}
	if !r.StartedAt.IsZero() {
		s.Timestamp = r.StartedAt.UTC().Format("2006-01-02T15:04:05")
	}
	var total time.Duration
	for _, q := range r.Requirements {
		if q.Target != t.Name {
			continue
		}
		specs := r.specsOf(q)
		d := sumDurations(specs)
		total += d
		s.add(junitRequirementCase(q, specs, d))
	}
	for _, c := range r.ClientResults() {
		if c.Target != t.Name {
			continue
		}
		total += c.Duration
		s.add(junitClientCase(c))
	}
	s.Time = seconds(total)
	return s
}

func (s *junitSuite) add(c junitCase) {
	s.Tests++
	switch {
	case c.Failure != nil:
		s.Failures++
	case c.Error != nil:
		s.Errors++
	case c.Skipped != nil:
		s.Skipped++
	}
	s.Cases = append(s.Cases, c)
}

func (r *Report) junitProperties(t Target) []junitProperty {
	props := []junitProperty{
		{"directory", t.Directory}, {"mode", t.Mode},
		{"seed", fmt.Sprint(r.Seed)}, {"shard", r.Shard},
		{"tool", strings.TrimSpace(r.Tool + " " + r.ToolVersion)},
	}
	for _, c := range r.Clients {
		props = append(props, junitProperty{"client:" + c.Name, c.Version})
	}
	if r.InfraError != "" {
		props = append(props, junitProperty{"infraError", r.InfraError})
	}
	out := props[:0]
	for _, p := range props {
		if p.Value != "" {
			out = append(out, p)
		}
	}
	return out
}

func junitRequirementCase(q Requirement, specs []Spec, d time.Duration) junitCase {
	c := junitCase{Name: q.ID, Classname: q.Source + " §" + q.Section, Time: seconds(d)}
	switch q.Verdict {
	case VerdictFail:
		c.Failure = &junitOutcome{Message: q.Level + " failed: " + q.Summary, Type: q.Level,
			Text: evidenceText(q.Evidence)}
	case VerdictError:
		c.Error = &junitOutcome{Message: "could not be checked: " + q.Summary, Type: "error",
			Text: evidenceText(q.Evidence)}
	case VerdictWarn, VerdictInfo:
		c.SystemOut = &junitText{fmt.Sprintf("%s: %s requirement not met: %s\n\n%s",
			q.Verdict, q.Level, q.Summary, evidenceText(q.Evidence))}
	case VerdictSkip:
		c.Skipped = &junitOutcome{Message: "skipped: " + skipReasons(specs)}
	case VerdictNotCovered:
		c.Skipped = &junitOutcome{Message: "not covered: no spec exercises " + q.ID}
	}
	return c
}

func junitClientCase(c ClientResult) junitCase {
	jc := junitCase{Name: c.Client + "/" + c.Scenario, Classname: "client " + c.Client,
		Time: seconds(c.Duration)}
	ev := c.Evidence()
	msg := fmt.Sprintf("%s on scenario %s", c.Client, c.Scenario)
	switch c.Verdict {
	case VerdictFail:
		jc.Failure = &junitOutcome{Message: msg + " failed", Type: "client", Text: evidenceText(ev)}
	case VerdictError:
		jc.Error = &junitOutcome{Message: msg + " could not run", Type: "error",
			Text: evidenceText(ev)}
	case VerdictWarn, VerdictInfo:
		jc.SystemOut = &junitText{fmt.Sprintf("%s: %s failed\n\n%s", c.Verdict, msg,
			evidenceText(ev))}
	case VerdictSkip:
		jc.Skipped = &junitOutcome{Message: "skipped: " + skipReasons(c.Specs)}
	}
	return jc
}

// evidenceText renders evidence as plain text, one titled block each, with
// the characters XML 1.0 cannot hold replaced.
func evidenceText(ev []Evidence) string {
	var b strings.Builder
	for _, e := range ev {
		fmt.Fprintf(&b, "--- %s: %s ---\n%s\n", e.Spec, e.Name,
			strings.TrimRight(clip(e.Value), "\n"))
	}
	return strings.Map(xmlChar, b.String())
}

// xmlChar keeps the characters XML 1.0 allows (its production Char) and
// replaces the others with U+FFFD.
func xmlChar(r rune) rune {
	switch {
	case r == '\t' || r == '\n' || r == '\r',
		r >= 0x20 && r <= 0xD7FF,
		r >= 0xE000 && r <= 0xFFFD,
		r >= 0x10000 && r <= 0x10FFFF:
		return r
	}
	return '\uFFFD'
}

// skipReasons joins the distinct messages of skipped specs.
func skipReasons(specs []Spec) string {
	var reasons []string
	for _, s := range specs {
		if s.Message != "" && !slices.Contains(reasons, s.Message) {
			reasons = append(reasons, s.Message)
		}
	}
	if len(reasons) == 0 {
		return "every covering spec was skipped"
	}
	return strings.Join(reasons, "; ")
}

func sumDurations(specs []Spec) time.Duration {
	var d time.Duration
	for _, s := range specs {
		d += s.Duration
	}
	return d
}

// seconds formats a duration as JUnit wants it: seconds with milliseconds.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}
