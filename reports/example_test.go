package reports_test

import (
	"fmt"
	"os"
	"time"

	"acmeconform/catalog"
	"acmeconform/reports"
)

func exampleCatalog() *catalog.Catalog {
	cat, err := catalog.New([]catalog.Requirement{
		{ID: "nonce-single-use", Source: "RFC 8555", Section: "6.5", Level: catalog.LevelMust,
			Summary: "A nonce is accepted once."},
		{ID: "key-change", Source: "RFC 8555", Section: "7.3.5", Level: catalog.LevelMust,
			Summary: "An account key can be rolled over."},
	})
	if err != nil {
		panic(err)
	}
	return cat
}

// A runner builds the report from the spec results, registers the secrets
// it handed out, writes the documents and exits with the report's code.
func ExampleBuild() {
	meta := reports.Report{
		Tool: "acmeconform", ToolVersion: "v0.1.0", Seed: 7,
		Targets:   []reports.Target{{Name: "pebble", Directory: "https://127.0.0.1:14000/dir"}},
		StartedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
	specs := []reports.Spec{{
		Name: "nonce is single use", Target: "pebble", State: reports.StateFailed,
		Requirements: []string{"nonce-single-use"},
		Message:      "second use of a nonce was accepted",
		Evidence:     []reports.Evidence{{Name: "request", Value: "Authorization: Bearer abc"}},
	}}
	r, err := reports.Build(exampleCatalog(), meta, specs)
	if err != nil {
		fmt.Println(err)
		return
	}
	r.AddSecret("the-eab-mac-key")
	for _, q := range r.Requirements {
		fmt.Println(q.ID, q.Target, q.Verdict)
	}
	fmt.Println("exit code", r.ExitCode())
	// Output:
	// key-change pebble not-covered
	// nonce-single-use pebble fail
	// exit code 1
}

// Shard reports, read back from their JSON files, merge into the report of
// the whole run.
func ExampleMerge() {
	cat := exampleCatalog()
	meta := reports.Report{Seed: 7, Targets: []reports.Target{{Name: "pebble"}}}
	one, _ := reports.Build(cat, meta, []reports.Spec{{Name: "a", Target: "pebble",
		State: reports.StatePassed, Requirements: []string{"nonce-single-use"}}})
	two, _ := reports.Build(cat, meta, []reports.Spec{{Name: "b", Target: "pebble",
		State: reports.StatePassed, Requirements: []string{"key-change"}}})
	all, err := reports.Merge(one, two)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := all.Summarize()
	fmt.Println(s.Verdict, s.ByVerdict[reports.VerdictPass], "passed")
	// Output: pass 2 passed
}

func ExampleWriteMarkdown() {
	r, _ := reports.Build(exampleCatalog(), reports.Report{
		Targets: []reports.Target{{Name: "pebble", Directory: "https://127.0.0.1:14000/dir"}},
	}, nil)
	_ = reports.WriteMarkdown(os.Stdout, r)
	// Output:
	// # acmeconform report: PASS
	//
	// **PASS**: no requirement was checked on 1 target (0 requirements skipped, 2 requirements not covered).
	//
	// - Target `pebble`: https://127.0.0.1:14000/dir
	// - Seed 0, acmeconform
	//
	// | level | total | fail | error | warn | info | pass | skipped | not-covered |
	// |---|---:|---:|---:|---:|---:|---:|---:|---:|
	// | MUST | 2 | 0 | 0 | 0 | 0 | 0 | 0 | 2 |
	// | **all** | 2 | 0 | 0 | 0 | 0 | 0 | 0 | 2 |
}
