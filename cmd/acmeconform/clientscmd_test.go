package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestClientsValidate(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	doc := "name: x\nversion: \"1\"\nimage: x\noutputs: {cert: stdout}\n" +
		"scenarios:\n  http-01: [x, \"{domian}\"]\n"
	if err := os.WriteFile(bad, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		code       int
		out, errOf string
	}{
		{"valid", []string{"validate", "../../docs/examples/lego-manifest.yaml"}, exitOK,
			"client lego-manifest (image built by acmeconform: lego), 17 scenarios", ""},
		{"invalid", []string{"validate", bad}, exitUsage, "",
			bad + ":6: scenarios.http-01[1]: unknown placeholder {domian}"},
		{"no file", []string{"validate"}, exitUsage, "", "Usage: acmeconform clients validate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			env := &cliEnv{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
			code := clientsCmd(context.Background(), env, tt.args)
			if code != tt.code || !strings.Contains(stdout.String(), tt.out) ||
				!strings.Contains(stderr.String(), tt.errOf) {
				t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, stdout.String(), stderr.String())
			}
		})
	}
}
