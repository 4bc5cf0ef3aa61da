package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"acmeconform/clients/manifest"
)

func clientsCmd(_ context.Context, env *cliEnv, args []string) int {
	if len(args) < 2 || args[0] != "validate" {
		fmt.Fprintln(env.stderr, "Usage: acmeconform clients validate FILE...\n\n"+
			"  validate  check client manifests (docs/byo-client.md) without running them:\n"+
			"            every mistake is shown with its file, line and field\n\n"+
			"Example:\n  acmeconform clients validate docs/examples/lego-manifest.yaml")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return exitOK
		}
		return exitUsage
	}
	code := exitOK
	for _, f := range args[1:] {
		m, err := manifest.Load(f)
		if err != nil {
			fmt.Fprintln(env.stderr, err)
			code = exitUsage
			continue
		}
		image := m.Image
		if m.Build != "" {
			image = "built by acmeconform: " + m.Build
		}
		fmt.Fprintf(env.stdout, "%s: client %s (image %s), %d scenarios: %s\n", f, m.Name,
			image, len(m.Scenarios), strings.Join(slices.Sorted(maps.Keys(m.Scenarios)), ", "))
	}
	return code
}
