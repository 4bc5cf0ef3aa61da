package reports

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// A client that ran against two targets, as after merging the reports of
// runs against two servers, has a row per target with that target's
// verdicts and endpoint, never one row with the worst of both.
func TestClientMatrixKeepsTargetsApart(t *testing.T) {
	meta := fixtureMeta()
	specs := []Spec{
		{Name: "lego http-01 on mock", Target: targetMock, Client: "lego", Scenario: "http-01",
			State: StatePassed, Requirements: []string{"client-post-as-get"}, Duration: time.Second},
		{Name: "lego http-01 on pebble", Target: targetPebble, Client: "lego",
			Scenario: "http-01", State: StateFailed, Message: "lego exited 1",
			Requirements: []string{"client-post-as-get"}, Duration: time.Second},
		{Name: "lego ari on pebble", Target: targetPebble, Client: "lego", Scenario: "ari",
			State: StateSkipped, Message: "the renewal window cannot be set"},
	}
	r, err := Build(fixtureCatalog(t), meta, specs)
	if err != nil {
		t.Fatal(err)
	}
	m := r.ClientMatrix()
	if len(m.Rows) != 2 {
		t.Fatalf("%d rows, want one per target: %+v", len(m.Rows), m.Rows)
	}
	cells := []struct {
		target, scenario string
		want             Verdict
	}{
		{targetMock, "http-01", VerdictPass},
		{targetPebble, "http-01", VerdictFail},
		{targetPebble, "ari", VerdictSkip},
		{targetMock, "ari", ""},
	}
	for _, c := range cells {
		if got := m.Cell(c.target, "lego", c.scenario); got != c.want {
			t.Errorf("lego × %s on %s = %q, want %q", c.scenario, c.target, got, c.want)
		}
	}

	var md bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	_, clients, _ := strings.Cut(md.String(), "## Clients")
	for _, want := range []string{
		"| `mockca/atlas` https://127.0.0.1:8443/directory | lego | 4.35.2 | – | pass |",
		"| `pebble` https://127.0.0.1:14000/dir | lego | 4.35.2 | skipped | fail |",
	} {
		if !strings.Contains(clients, want) {
			t.Errorf("Markdown client matrix lacks row %q:\n%s", want, clients)
		}
	}
	var html bytes.Buffer
	if err := WriteHTML(&html, r); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"https://127.0.0.1:8443/directory", "https://127.0.0.1:14000/dir"} {
		if strings.Count(html.String(), `<span class="meta">`+dir+`</span>`) != 1 {
			t.Errorf("HTML client matrix does not name %s once beside its row", dir)
		}
	}
}
