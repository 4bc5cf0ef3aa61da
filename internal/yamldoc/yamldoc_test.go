package yamldoc

import (
	"errors"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestLines(t *testing.T) {
	var root yaml.Node
	doc := "name: a\nscenarios:\n  renew:\n    obtain: [x, y]\n    renew:\n      - z\n"
	if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	Lines(&root, "", got)
	for field, want := range map[string]int{"name": 1, "scenarios.renew": 3,
		"scenarios.renew.obtain[1]": 4, "scenarios.renew.renew[0]": 6} {
		if got[field] != want {
			t.Errorf("%s: line %d, want %d", field, got[field], want)
		}
	}
}

func TestMsg(t *testing.T) {
	type doc struct {
		Name string `yaml:"name"`
	}
	var d doc
	dec := yaml.NewDecoder(strings.NewReader("name: a\nnmae: b\n"))
	dec.KnownFields(true)
	err := dec.Decode(&d)
	if got, want := Msg(err), "line 2: unknown field nmae"; got != want {
		t.Errorf("Msg = %q, want %q", got, want)
	}
	e := &Error{File: "f.yaml", Line: 2, Field: "nmae", Msg: "unknown"}
	if e.Error() != "f.yaml:2: nmae: unknown" || (&Error{File: "f", Msg: "m"}).Error() != "f: m" {
		t.Errorf("Error() = %q", e.Error())
	}
	if errors.Unwrap(e) != nil {
		t.Error("Error wraps something")
	}
}

func TestLinesFollowAliases(t *testing.T) {
	var root yaml.Node
	doc := "a: &x\n  - p\n  - q\nb: *x\n"
	if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	Lines(&root, "", got)
	if got["b[1]"] != 3 || got["b"] != 4 {
		t.Errorf("b[1] on line %d, b on %d; want 3 (the anchor's) and 4", got["b[1]"], got["b"])
	}
}
