package clients

import (
	"context"
	"io/fs"
)

// Mode names an execution backend in reports.
type Mode string

// Execution modes.
const (
	ModeProcess   Mode = "process"
	ModeContainer Mode = "container"
)

// File is a file a Command needs in place before it starts.
type File struct {
	// Path is absolute, as the client sees it.
	Path string
	Data []byte
	// Perm defaults to 0o600 when zero.
	Perm fs.FileMode
}

// Command is one invocation of a client.
type Command struct {
	// Argv is the program and its arguments; Argv[0] is the client binary.
	Argv []string
	// Env holds KEY=VALUE pairs. Nothing else from the caller's environment
	// reaches the client except what the backend needs to run at all.
	Env []string
	// Dir is the working directory; the backend creates it.
	Dir string
	// Dirs are created (with parents) before the command starts.
	Dirs []string
	// Files are written before the command starts.
	Files []File
	// Collect lists files read back after the command ends; an entry may
	// be a glob pattern (path.Match syntax). Missing files are left out of
	// Result.Files without error.
	Collect []string
	// SystemTrust, when set, is a PEM file the command sees as the
	// system's CA bundle, for clients that trust nothing else; the real
	// bundle is left untouched.
	SystemTrust string
	// Webroot, when set, is a directory served over plain HTTP on
	// 127.0.0.1:WebrootPort while the command runs, for clients that
	// answer http-01 by writing files instead of listening themselves.
	Webroot     string
	WebrootPort int
}

// Result is what a finished Command left behind.
type Result struct {
	// ExitCode is the client's exit status; -1 when it was killed.
	ExitCode int
	// Output is stdout and stderr interleaved as the client wrote them.
	Output []byte
	// Files maps each collected path that existed to its contents.
	Files map[string][]byte
}

// Runner is an execution backend: run this argv with this environment and
// these files, return the exit code and the output. A non-nil error means
// the backend failed (the client could not be started); a client that ran
// and failed reports it through Result.ExitCode.
type Runner interface {
	Run(ctx context.Context, cmd Command) (Result, error)
	// Mode names the backend for reports.
	Mode() Mode
}
