package images

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"

	tcexec "github.com/testcontainers/testcontainers-go/exec"
)

// ExecRequest is one command run in a client container.
type ExecRequest struct {
	// Cmd is the program and its arguments; it is not passed to a shell.
	Cmd []string
	// Env adds to the container's environment for this command.
	Env map[string]string
	// Dir is the working directory; empty means the image's, /work.
	Dir string
}

// ExecResult is the outcome of an ExecRequest.
type ExecResult struct {
	// ExitCode is the command's exit status.
	ExitCode int
	// Output is the command's standard output and standard error, in the
	// order the command wrote them.
	Output []byte
}

// Exec runs a command in the container and waits for it. A command that
// runs and fails is not an error: read ExitCode. A command that must outlive
// Exec (a web server for http-01) has to put itself in the background, as
// "busybox httpd" and "caddy start" do; the container's first process reaps
// it when it exits.
func (cl *Client) Exec(ctx context.Context, req ExecRequest) (ExecResult, error) {
	if len(req.Cmd) == 0 {
		return ExecResult{}, fmt.Errorf("exec in %s: empty command", cl.Alias)
	}
	opts := []tcexec.ProcessOption{tcexec.Multiplexed()}
	if len(req.Env) > 0 {
		opts = append(opts, tcexec.WithEnv(envList(req.Env)))
	}
	if req.Dir != "" {
		opts = append(opts, tcexec.WithWorkingDir(req.Dir))
	}
	code, r, err := cl.c.Exec(ctx, req.Cmd, opts...)
	if err != nil {
		return ExecResult{}, fmt.Errorf("exec %s in %s: %w", req.Cmd[0], cl.Alias, err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return ExecResult{}, fmt.Errorf("exec %s in %s: read output: %w", req.Cmd[0], cl.Alias, err)
	}
	return ExecResult{ExitCode: code, Output: out}, nil
}

// envList turns an environment map into sorted KEY=value entries.
func envList(env map[string]string) []string {
	out := make([]string, 0, len(env))
	for _, k := range slices.Sorted(maps.Keys(env)) {
		out = append(out, k+"="+env[k])
	}
	return out
}
