package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testFlagSet() (*flag.FlagSet, *string, *int) {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	filter := fs.String("label-filter", "", "")
	seed := fs.Int("seed", 0, "")
	return fs, filter, seed
}

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "acmeconform.yaml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Flags win over the environment, which wins over the config file.
func TestFlagPrecedence(t *testing.T) {
	cfg := writeConfig(t, "label-filter: from-file\nseed: 3\n")
	env := map[string]string{"ACMECONFORM_SEED": "2"}
	fs, filter, seed := testFlagSet()
	err := parseFlags(fs, []string{"--config", cfg, "--label-filter", "from-flag"},
		func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if *filter != "from-flag" || *seed != 2 {
		t.Errorf("label-filter %q seed %d, want from-flag and 2", *filter, *seed)
	}
}

func TestConfigFileErrorsNameFileLineAndKey(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"unknown key", "seed: 1\nlabel-filtre: x\n", []string{":2:", `"label-filtre"`}},
		{"bad value", "label-filter: x\n\nseed: twelve\n", []string{":3:", `"seed"`}},
		{"not a mapping", "- seed\n", []string{":1:", "mapping"}},
		{"broken YAML", "seed: [1,\n", []string{"acmeconform.yaml"}},
		{"nested value", "seed:\n  a: 1\n", []string{":2:", `"seed"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := writeConfig(t, tc.text)
			fs, _, _ := testFlagSet()
			err := parseFlags(fs, []string{"--config", cfg}, func(string) string { return "" })
			if err == nil {
				t.Fatal("no error")
			}
			if _, ok := err.(*usageError); !ok {
				t.Errorf("error %T, want a usage error (exit code 2)", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, cfg) {
				t.Errorf("error %q does not name the file", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}

func TestEnvironmentValueErrorNamesVariable(t *testing.T) {
	fs, _, _ := testFlagSet()
	err := parseFlags(fs, nil, func(k string) string {
		if k == "ACMECONFORM_SEED" {
			return "many"
		}
		return ""
	})
	if err == nil || !strings.Contains(err.Error(), "ACMECONFORM_SEED") {
		t.Fatalf("error %v should name ACMECONFORM_SEED", err)
	}
}

// A command-line value that does not parse is named with the kind of value
// the flag wants, and an unknown flag is named as such.
func TestCommandLineValueErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--seed", "x"}, `--seed: "x" is not an integer`},
		{[]string{"--wait", "5"}, `--wait: "5" is not a duration such as 90s or 30m`},
		{[]string{"--quiet=maybe"}, `--quiet: "maybe" is not true or false`},
		{[]string{"--sede", "1"}, "unknown flag --sede"},
	}
	for _, tc := range tests {
		fs, _, _ := testFlagSet()
		fs.Duration("wait", 0, "")
		fs.Bool("quiet", false, "")
		err := parseFlags(fs, tc.args, func(string) string { return "" })
		if err == nil || err.Error() != tc.want {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.want)
		}
	}
}
