package reports

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"acmeconform/catalog"
)

// Merge combines shard reports into the report of the whole run: specs are
// unioned and every requirement verdict is recomputed from the union with the
// rules of Build, so a requirement one shard did not cover takes its verdict
// from the shard that did. The result has no Shard, starts at the earliest
// shard start and lasts until the latest shard end.
//
// Merge refuses reports of another schema version, of different seeds, tools
// or catalogs, targets that share a name but not a directory, and a spec that
// appears in two shards.
func Merge(reports ...*Report) (*Report, error) {
	if len(reports) == 0 {
		return nil, errors.New("merge reports: none given")
	}
	if err := compatible(reports); err != nil {
		return nil, fmt.Errorf("merge reports: %w", err)
	}
	first := reports[0]
	out := Report{
		SchemaVersion: first.SchemaVersion, Tool: first.Tool,
		ToolVersion: first.ToolVersion, Seed: first.Seed,
	}
	cat, err := unionRuns(&out, reports)
	if err != nil {
		return nil, fmt.Errorf("merge reports: %w", err)
	}
	return Build(cat, out, out.Specs)
}

// compatible checks that the shards come from one run of one tool.
func compatible(reports []*Report) error {
	first := reports[0]
	for i, r := range reports {
		if r == nil {
			return fmt.Errorf("report %d is nil", i+1)
		}
		if r.SchemaVersion != SchemaVersion {
			return fmt.Errorf("%s has schema version %q, this tool reads %q",
				shardName(r, i), r.SchemaVersion, SchemaVersion)
		}
		if r.Seed != first.Seed {
			return fmt.Errorf("%s has seed %d, %s has seed %d: shards of one run share a seed",
				shardName(r, i), r.Seed, shardName(first, 0), first.Seed)
		}
		if r.Tool != first.Tool || r.ToolVersion != first.ToolVersion {
			return fmt.Errorf("%s comes from %s %s, %s from %s %s", shardName(r, i),
				r.Tool, r.ToolVersion, shardName(first, 0), first.Tool, first.ToolVersion)
		}
	}
	return nil
}

func shardName(r *Report, i int) string {
	if r.Shard != "" {
		return fmt.Sprintf("report %d (shard %s)", i+1, r.Shard)
	}
	return fmt.Sprintf("report %d", i+1)
}

// unionRuns fills out with the union of the shards' targets, clients, specs,
// times, errors and secrets, and returns the catalog their entries describe.
func unionRuns(out *Report, reports []*Report) (*catalog.Catalog, error) {
	targets := map[string]Target{}
	ran := map[string]string{} // spec key -> report that ran it
	reqs := map[string]catalog.Requirement{}
	var infra []string
	var end time.Time
	for i, r := range reports {
		name := shardName(r, i)
		if err := unionTargets(targets, r.Targets); err != nil {
			return nil, err
		}
		if err := unionSpecs(out, ran, r.Specs, name); err != nil {
			return nil, err
		}
		if err := unionCatalog(reqs, r.Requirements); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for _, c := range r.Clients {
			if !slices.Contains(out.Clients, c) {
				out.Clients = append(out.Clients, c)
			}
		}
		if r.InfraError != "" {
			infra = append(infra, shardLabel(r, i)+": "+r.InfraError)
		}
		if out.StartedAt.IsZero() || r.StartedAt.Before(out.StartedAt) {
			out.StartedAt = r.StartedAt
		}
		end = later(end, r.StartedAt.Add(r.Duration))
		out.secrets.merge(&r.secrets)
	}
	out.Targets = slices.Collect(maps.Values(targets))
	out.Duration = end.Sub(out.StartedAt)
	out.InfraError = strings.Join(infra, "; ")
	return catalog.New(slices.Collect(maps.Values(reqs)))
}

// shardLabel names a report in a merged infrastructure error.
func shardLabel(r *Report, i int) string {
	if r.Shard != "" {
		return "shard " + r.Shard
	}
	return "report " + strconv.Itoa(i+1)
}

// unionSpecs adds specs to out, refusing one that another report ran.
func unionSpecs(out *Report, ran map[string]string, specs []Spec, name string) error {
	for _, s := range specs {
		k := specKey(s)
		if prev, dup := ran[k]; dup {
			return fmt.Errorf("spec %q on %s ran in %s and in %s", s.Name, s.Target, prev, name)
		}
		ran[k] = name
		out.Specs = append(out.Specs, s)
	}
	return nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func unionTargets(into map[string]Target, ts []Target) error {
	for _, t := range ts {
		if prev, ok := into[t.Name]; ok && prev != t {
			return fmt.Errorf("target %q is %s in one report and %s in another",
				t.Name, prev.Directory, t.Directory)
		}
		into[t.Name] = t
	}
	return nil
}

// unionCatalog rebuilds catalog entries from requirement entries; shards
// built from different catalogs disagree and are refused.
func unionCatalog(into map[string]catalog.Requirement, reqs []Requirement) error {
	for _, q := range reqs {
		cr := catalog.Requirement{ID: q.ID, Source: q.Source, Section: q.Section,
			Level: catalog.Level(q.Level), Summary: q.Summary, Side: q.Side}
		if prev, ok := into[q.ID]; ok && prev != cr {
			return fmt.Errorf("requirement %s differs from another report's (other catalog?)",
				q.ID)
		}
		into[q.ID] = cr
	}
	return nil
}

func specKey(s Spec) string {
	return strings.Join([]string{s.Name, s.Target, s.Client, s.Scenario}, "\x00")
}

// merge adds the secrets of other.
func (r *Redactor) merge(other *Redactor) {
	for _, s := range other.secrets {
		r.Add(s)
	}
}
