package main

import (
	"flag"
	"slices"
	"testing"
)

func TestListFlag(t *testing.T) {
	var got []string
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.Var(listFlag{&got}, "client-manifest", "")
	err := parseFlags(fs, []string{"--client-manifest", "a.yaml,b.yaml",
		"--client-manifest", "c.yaml"}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.yaml", "b.yaml", "c.yaml"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	got = nil
	fs = flag.NewFlagSet("run", flag.ContinueOnError)
	fs.Var(listFlag{&got}, "client-manifest", "")
	env := map[string]string{"ACMECONFORM_CLIENT_MANIFEST": "d.yaml, e.yaml"}
	if err := parseFlags(fs, nil, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if want := []string{"d.yaml", "e.yaml"}; !slices.Equal(got, want) {
		t.Errorf("from the environment: got %q, want %q", got, want)
	}
}
