// Package yamldoc helps read YAML documents that users write by hand:
// it finds the line of every field, so that a mistake is reported as
// file:line: field: what is wrong, and turns the YAML library's errors
// into short messages.
package yamldoc

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Lines records the line of every mapping key and sequence item under n
// by its dotted path ("csr.keyTypes[1]", "scenarios.renew.obtain[0]");
// below an alias, the lines are those at its anchor.
func Lines(n *yaml.Node, prefix string, out map[string]int) {
	lines(n, prefix, out, map[*yaml.Node]bool{})
}

// lines is Lines with the aliases being followed, so that an alias to a
// node that holds it (a cycle) is not followed again.
func lines(n *yaml.Node, prefix string, out map[string]int, open map[*yaml.Node]bool) {
	if len(out) >= MaxLines {
		return // nested aliases can stand for more than any real document holds
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			lines(c, prefix, out, open)
		}
	case yaml.AliasNode:
		// What an alias (*name) stands for is written at its anchor.
		if n.Alias != nil && !open[n.Alias] {
			open[n.Alias] = true
			lines(n.Alias, prefix, out, open)
			delete(open, n.Alias)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := n.Content[i].Value
			if prefix != "" {
				p = prefix + "." + p
			}
			out[p] = n.Content[i].Line
			lines(n.Content[i+1], p, out, open)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", prefix, i)
			out[p] = c.Line
			lines(c, p, out, open)
		}
	}
}

// MaxLines bounds the paths Lines records: aliases of aliases (a "billion
// laughs" document) would otherwise take exponential time and memory.
const MaxLines = 100_000

// unknownFieldRE matches the YAML library's unknown-field message.
var unknownFieldRE = regexp.MustCompile(`field (\S+) not found in type [^\n]*`)

// Msg strips the library's prefix from a YAML error and names unknown
// fields plainly.
func Msg(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	msg = unknownFieldRE.ReplaceAllString(msg, "unknown field $1")
	return strings.ReplaceAll(msg, "\n  ", "; ")
}

// Error is a mistake in a document: the file, the line (0 when unknown),
// the field's dotted path and what is wrong.
type Error struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *Error) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc += ":" + strconv.Itoa(e.Line)
	}
	if e.Field == "" {
		return loc + ": " + e.Msg
	}
	return loc + ": " + e.Field + ": " + e.Msg
}
