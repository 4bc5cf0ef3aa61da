package mutation

import (
	"fmt"
	"io"

	"acmeconform/mockca"
)

// WriteMarkdown documents the mock CA's misbehaviours (each with the one
// requirement it breaks) and its quirks (each with the rule that makes it
// legal) as Markdown.
func WriteMarkdown(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("# Misbehaviours and quirks of the mock CA\n\n")
	ew.printf("A misbehaviour is a deliberate defect that breaks exactly one requirement of\n" +
		"the catalog. `make verify-suite` runs the server suite once per misbehaviour\n" +
		"and checks that the suite blames that requirement and no other. Switch them\n" +
		"on with `acmeconform run|serve --misbehave NAME[,NAME]`, `mockca.Config.Misbehave`,\n" +
		"or the management API (`POST /misbehaviours` with `{\"names\": [...]}`, and\n" +
		"`\"account\"` for one account only).\n\n")
	ew.printf("| misbehaviour | breaks | profile | what the CA does |\n|---|---|---|---|\n")
	for _, m := range mockca.Misbehaviours() {
		ew.printf("| `%s` | `%s` | %s | %s |\n", m.Name, m.Requirement, m.Profile, m.Description)
	}
	ew.printf("\nA misbehaviour that keeps an order from ready fails the spec of that\n" +
		"requirement alone: the shared flows return a precondition error, and every\n" +
		"other spec that needed a ready order is skipped as inconclusive. Not among\n" +
		"them: an order that stays processing forever after finalize. The flows cannot\n" +
		"tell it from a slow CA before their 30-second poll timeout, so each issuing\n" +
		"spec would wait that long before skipping, which puts one mutation run past its\n" +
		"budget; remembering the stall across specs would make a verdict rest on another\n" +
		"spec's evidence and on spec order.\n")
	ew.printf("\nA quirk is legal but unusual behaviour that a robust client copes with.\n" +
		"Switch them on with `acmeconform serve --quirk NAME[,NAME]`, `mockca.Config.Quirks`\n" +
		"or `POST /quirks` on the management API.\n\n")
	ew.printf("| quirk | what the CA does | allowed by |\n|---|---|---|\n")
	for _, q := range mockca.Quirks() {
		ew.printf("| `%s` | %s | %s |\n", q.Name, q.Description, q.Allowed)
	}
	return ew.err
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
