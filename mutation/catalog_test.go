package mutation

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/misbehaviours.md")

// TestMarkdownIsCurrent keeps docs/misbehaviours.md in step with the
// tables of mockca.
func TestMarkdownIsCurrent(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf); err != nil {
		t.Fatal(err)
	}
	const path = "../docs/misbehaviours.md"
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./mutation -run Markdown -args -update)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("%s is stale; run go test ./mutation -run Markdown -args -update", path)
	}
}
