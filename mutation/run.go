package mutation

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"acmeconform/reports"
)

// failing are the verdicts that count as the suite blaming a requirement.
var failing = []reports.Verdict{reports.VerdictFail, reports.VerdictWarn,
	reports.VerdictInfo, reports.VerdictError}

// runSuite runs the server suite once against the embedded mock CA with
// profile and misbehaviour (both may be empty) and returns the ids of the
// requirements it blamed, sorted.
func runSuite(ctx context.Context, cfg Config, profile, misbehave string) ([]string, error) {
	name := "baseline-" + profile
	if misbehave != "" {
		name = misbehave
	}
	out := filepath.Join(cfg.WorkDir, name)
	if err := os.RemoveAll(out); err != nil {
		return nil, err
	}
	args := []string{"run", "--suite", "server", "--quiet", "--out", out,
		"--seed", fmt.Sprint(cfg.Seed), "--timeout", cfg.RunTimeout.String(), "--profile", profile,
		"--poll-timeout", cfg.PollTimeout.String()}
	if misbehave != "" {
		args = append(args, "--misbehave", misbehave)
	}
	if err := runBinary(ctx, cfg.Binary, cfg.RunTimeout, args); err != nil {
		return nil, fmt.Errorf("run %s: %w", name, err)
	}
	return readFailures(filepath.Join(out, "report.json"))
}

// runBinary runs acmeconform with args; exit code 1 (a requirement
// failed) is no error.
func runBinary(ctx context.Context, bin string, timeout time.Duration, args []string) error {
	ctx, cancel := context.WithTimeout(ctx, timeout+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = cleanEnv()
	output, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && (!errors.As(err, &exit) || exit.ExitCode() != 1) {
		return fmt.Errorf("%w: %s", err, lastLines(output, 5))
	}
	return nil
}

// readReport reads a JSON report that must be complete.
func readReport(path string) (*reports.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	defer f.Close()
	rep, err := reports.ReadJSON(f)
	if err != nil {
		return nil, fmt.Errorf("read report %s: %w", path, err)
	}
	if rep.InfraError != "" {
		return nil, fmt.Errorf("report %s: %s", path, rep.InfraError)
	}
	return rep, nil
}

// readFailures reads a report and lists the requirements it blames.
func readFailures(path string) ([]string, error) {
	rep, err := readReport(path)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, r := range rep.Requirements {
		if slices.Contains(failing, r.Verdict) && !slices.Contains(ids, r.ID) {
			ids = append(ids, r.ID)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// cleanEnv is the environment without the ACMECONFORM_ variables, which
// would change the runs behind the check's back.
func cleanEnv() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "ACMECONFORM_")
	})
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
