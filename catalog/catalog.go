// Package catalog is the requirement catalog: every observable requirement of
// RFC 8555, its companions and the mock CA's policy profiles, each with an
// id, its source, its level and a one-line summary. Specs reference catalog
// ids through labels ("req:ID"); reports aggregate verdicts by them.
package catalog

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Level is the strength of a requirement.
type Level string

// Requirement levels (RFC 2119 keywords, plus policies of a CA profile).
const (
	LevelMust   Level = "MUST"
	LevelShould Level = "SHOULD"
	LevelMay    Level = "MAY"
	LevelPolicy Level = "POLICY"
)

// LabelPrefix starts the Ginkgo label that ties a spec to a requirement.
const LabelPrefix = "req:"

// Requirement is one catalog entry.
type Requirement struct {
	ID      string `yaml:"id" json:"id"`
	Source  string `yaml:"source" json:"source"`   // e.g. "RFC 8555"
	Section string `yaml:"section" json:"section"` // e.g. "6.5"
	Level   Level  `yaml:"level" json:"level"`
	Summary string `yaml:"summary" json:"summary"`
	Side    string `yaml:"side,omitempty" json:"side,omitempty"` // server or client
}

// Label returns the Ginkgo label for the requirement.
func (r Requirement) Label() string { return LabelPrefix + r.ID }

// Catalog is the loaded set of requirements, sorted by id.
type Catalog struct {
	Requirements []Requirement
	byID         map[string]int
}

//go:embed data/*.yaml
var data embed.FS

// Default returns the catalog shipped with acmeconform.
func Default() (*Catalog, error) {
	files, err := fs.Glob(data, "data/*.yaml")
	if err != nil {
		return nil, err
	}
	var all []Requirement
	for _, f := range files {
		b, err := data.ReadFile(f)
		if err != nil {
			return nil, err
		}
		reqs, err := Parse(f, b)
		if err != nil {
			return nil, err
		}
		all = append(all, reqs...)
	}
	return New(all)
}

// Parse decodes one catalog file: a YAML list of requirements. Errors name
// the file and line.
func Parse(name string, b []byte) ([]Requirement, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var reqs []Requirement
	if err := dec.Decode(&reqs); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for i, r := range reqs {
		if err := r.validate(); err != nil {
			line := 0
			if len(doc.Content) > 0 && i < len(doc.Content[0].Content) {
				line = doc.Content[0].Content[i].Line
			}
			return nil, fmt.Errorf("%s:%d: requirement %d: %w", name, line, i+1, err)
		}
	}
	return reqs, nil
}

func (r Requirement) validate() error {
	switch {
	case r.ID == "":
		return fmt.Errorf("field id: empty")
	case strings.ContainsAny(r.ID, "&|!,()/ "):
		return fmt.Errorf("field id: %q has a character labels cannot hold", r.ID)
	case r.Source == "" || r.Section == "":
		return fmt.Errorf("fields source and section: %s needs both", r.ID)
	case r.Summary == "":
		return fmt.Errorf("field summary: %s has none", r.ID)
	}
	switch r.Level {
	case LevelMust, LevelShould, LevelMay, LevelPolicy:
		return nil
	}
	return fmt.Errorf("field level: %s has %q, want MUST, SHOULD, MAY or POLICY", r.ID, r.Level)
}

// New builds a catalog, refusing duplicate ids.
func New(reqs []Requirement) (*Catalog, error) {
	sort.Slice(reqs, func(i, j int) bool { return reqs[i].ID < reqs[j].ID })
	c := &Catalog{Requirements: reqs, byID: make(map[string]int, len(reqs))}
	for i, r := range reqs {
		if _, dup := c.byID[r.ID]; dup {
			return nil, fmt.Errorf("catalog: duplicate id %s", r.ID)
		}
		c.byID[r.ID] = i
	}
	return c, nil
}

// Get returns the requirement with the given id.
func (c *Catalog) Get(id string) (Requirement, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Requirement{}, false
	}
	return c.Requirements[i], true
}

// IDsFromLabels returns the requirement ids named by a spec's labels.
func IDsFromLabels(labels []string) []string {
	var ids []string
	for _, l := range labels {
		if id, ok := strings.CutPrefix(l, LabelPrefix); ok {
			ids = append(ids, id)
		}
	}
	return ids
}
