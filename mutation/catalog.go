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
	ew.printf("\nA misbehaviour that keeps an order from ready, or from valid after\n" +
		"finalize, fails the spec of that requirement alone: the shared flows return a\n" +
		"precondition error, and every other spec that needed a ready order or a\n" +
		"certificate is skipped as inconclusive. An order still processing when the\n" +
		"suite's poll timeout runs out (`run --poll-timeout`, 30 seconds by default)\n" +
		"counts as stalled; each spec that needs a certificate waits that long on its\n" +
		"own evidence, so the mutation check runs the suite with a 3-second timeout.\n")
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
