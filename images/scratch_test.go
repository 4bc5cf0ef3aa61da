package images

import (
	"os"
	"path/filepath"
	"testing"
)

// TestAddSources checks that the source of our own in the tools module is
// an image input: a change to it changes the tag, a change to a test or
// to test data does not.
func TestAddSources(t *testing.T) {
	tools := t.TempDir()
	write := func(rel, data string) {
		t.Helper()
		p := filepath.Join(tools, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tag := func() string {
		t.Helper()
		in := newInputs("caddy")
		for _, dir := range []string{"cmd/caddy", "caddydns"} {
			if err := addSources(in, tools, dir); err != nil {
				t.Fatalf("addSources(%s): %v", dir, err)
			}
		}
		return in.tag()
	}
	write("cmd/caddy/main.go", "package main\n")
	write("caddydns/provider.go", "package caddydns\n")
	base := tag()

	write("caddydns/provider_test.go", "package caddydns\n")
	write("caddydns/testdata/golden", "x")
	write("other/unrelated.go", "package other\n")
	if got := tag(); got != base {
		t.Errorf("a test, test data or another directory changed the tag: %s, want %s", got, base)
	}
	write("caddydns/provider.go", "package caddydns\n\n// changed\n")
	if got := tag(); got == base {
		t.Error("a change to the provider's source left the tag as it was")
	}

	if err := addSources(newInputs("caddy"), tools, "missing"); err == nil {
		t.Error("addSources of a missing directory: no error")
	}
	if err := addSources(newInputs("caddy"), tools, "caddydns/testdata"); err == nil {
		t.Error("addSources of a directory without source: no error")
	}
}
