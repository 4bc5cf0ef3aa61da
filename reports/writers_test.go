package reports

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"regexp"
	"strings"
	"testing"
)

func TestJUnitParsesWithCounts(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, fixtureReport(t)); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name     string `xml:"name,attr"`
			Tests    int    `xml:"tests,attr"`
			Failures int    `xml:"failures,attr"`
			Errors   int    `xml:"errors,attr"`
			Skipped  int    `xml:"skipped,attr"`
			Cases    []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
				Error   *struct{} `xml:"error"`
				Skipped *struct{} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("JUnit is not XML: %v", err)
	}
	// 10 requirements on each of 2 targets, plus 8 client scenarios on the mock CA.
	want := map[string][4]int{ // tests, failures, errors, skipped
		targetMock:   {18, 3, 1, 3},
		targetPebble: {10, 1, 0, 7},
	}
	if len(doc.Suites) != 2 || doc.Tests != 28 || doc.Failures != 4 {
		t.Fatalf("%d suites, %d tests, %d failures; want 2, 28, 4",
			len(doc.Suites), doc.Tests, doc.Failures)
	}
	for _, s := range doc.Suites {
		var counted [4]int
		for _, c := range s.Cases {
			counted[0]++
			switch {
			case c.Failure != nil:
				counted[1]++
			case c.Error != nil:
				counted[2]++
			case c.Skipped != nil:
				counted[3]++
			}
		}
		attrs := [4]int{s.Tests, s.Failures, s.Errors, s.Skipped}
		if counted != want[s.Name] || attrs != want[s.Name] {
			t.Errorf("suite %s: cases %v, attributes %v, want %v", s.Name, counted, attrs,
				want[s.Name])
		}
	}
	if !strings.Contains(buf.String(), `name="certbot/http-01"`) {
		t.Error("no testcase named client/scenario")
	}
}

func TestJUnitCleansControlCharacters(t *testing.T) {
	r := fixtureReport(t)
	r.Requirements[0].Verdict = VerdictFail
	r.Requirements[0].Evidence = []Evidence{{Name: "body", Value: "bin\x00\x1b]]>ary"}}
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, r); err != nil {
		t.Fatal(err)
	}
	var v any
	if err := xml.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatalf("JUnit with control characters is not XML: %v", err)
	}
}

// externalRef finds references a browser would fetch: src, href, action,
// CSS url() and @import with an absolute or protocol-relative URL.
var externalRef = regexp.MustCompile(`(?i)(?:src|href|action|srcset)\s*=\s*["']?\s*` +
	`(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import`)

func TestHTMLSelfContained(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, fixtureReport(t)); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	if m := externalRef.FindString(html); m != "" {
		t.Errorf("HTML references an external asset: %q", m)
	}
	if strings.Contains(html, "<link") || strings.Contains(html, "<script src") {
		t.Error("HTML links an external stylesheet or script")
	}
	for _, want := range []string{`<span id="overall">fail</span>`, `id="clients"`,
		"<details", `name="verdict"`, "<td>4.35.2</td>", "§7.4.2"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if m := externalRef.FindString(`<img src="https://cdn.example/x.png">`); m == "" {
		t.Error("the external-reference check cannot fail")
	}
}

func TestHTMLEscapesEvidence(t *testing.T) {
	r := fixtureReport(t)
	r.Requirements[0].Verdict = VerdictFail
	r.Requirements[0].Evidence = []Evidence{{Name: "body", Value: "<script>alert(1)</script>"}}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "<script>alert(1)") {
		t.Error("evidence reached the page unescaped")
	}
}

func TestJSONRoundTrip(t *testing.T) {
	r := fixtureReport(t)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := WriteJSON(&again, back); err != nil {
		t.Fatal(err)
	}
	var first bytes.Buffer
	_ = WriteJSON(&first, r)
	if !bytes.Equal(first.Bytes(), again.Bytes()) {
		t.Errorf("read and written again, the report changed:\n%s",
			firstDiff(first.String(), again.String()))
	}
	if back.StartedAt != r.StartedAt || back.Duration != r.Duration {
		t.Error("times did not survive the round trip")
	}
}

func TestReadJSONRefuses(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		wantIs  error
		mention string
	}{
		{"other version", `{"schemaVersion":"2","requirements":[]}`, ErrSchemaVersion, `"2"`},
		{"no version", `{"requirements":[]}`, ErrSchemaVersion, "schemaVersion"},
		{"not JSON", `<xml/>`, nil, "invalid"},
		{"trailing data", `{"schemaVersion":"1"} {}`, nil, "after the report"},
		{"unknown verdict", `{"schemaVersion":"1","requirements":[{"id":"a","target":"t",` +
			`"verdict":"great"}]}`, nil, `"great"`},
		{"duplicate entry", `{"schemaVersion":"1","requirements":[{"id":"a","target":"t",` +
			`"verdict":"pass"},{"id":"a","target":"t","verdict":"fail"}]}`, nil, "twice"},
		{"unknown state", `{"schemaVersion":"1","specs":[{"name":"s","state":"odd"}]}`,
			nil, `"odd"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tt.doc))
			if err == nil {
				t.Fatal("ReadJSON accepted it")
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %v does not wrap %v", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error %q does not mention %s", err, tt.mention)
			}
		})
	}
}

func FuzzReadJSON(f *testing.F) {
	// A small seed: the fuzz engine slows to a crawl on seeds of many KB.
	small, err := Build(oneReqCatalog(f, "MUST"), Report{Targets: []Target{{Name: "t"}}},
		[]Spec{{Name: "s", Target: "t", Client: "c", Scenario: "x", State: StateFailed,
			Requirements: []string{"r"}, Evidence: []Evidence{{Name: "e", Value: "v"}}}})
	if err != nil {
		f.Fatal(err)
	}
	seed, err := json.Marshal(small)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"schemaVersion":"1"}`))
	f.Add([]byte(`{"schemaVersion":"1","requirements":[{"id":"a","target":"t"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ReadJSON(bytes.NewReader(b))
		if err != nil {
			return
		}
		// Whatever was accepted renders in every format.
		for _, w := range []func(*bytes.Buffer, *Report) error{
			func(b *bytes.Buffer, r *Report) error { return WriteJSON(b, r) },
			func(b *bytes.Buffer, r *Report) error { return WriteJUnit(b, r) },
			func(b *bytes.Buffer, r *Report) error { return WriteMarkdown(b, r) },
			func(b *bytes.Buffer, r *Report) error { return WriteHTML(b, r) },
		} {
			var out bytes.Buffer
			if err := w(&out, r); err != nil {
				t.Fatalf("accepted report does not render: %v", err)
			}
		}
	})
}
