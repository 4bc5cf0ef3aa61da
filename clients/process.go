package clients

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// DefaultPath is the PATH a ProcessRunner gives clients when its Config
// names none; hook scripts need sh and curl from it.
const DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// ProcessConfig configures a ProcessRunner.
type ProcessConfig struct {
	// Path is the PATH clients see; empty means DefaultPath.
	Path string
	// KillGrace is how long a cancelled client may take to exit after
	// SIGTERM before it is killed; zero means 5 seconds.
	KillGrace time.Duration
	// Unshare is the unshare(1) binary used to give a command its own
	// view of the system CA bundle (Command.SystemTrust); empty means
	// /usr/bin/unshare. It needs root, as bind mounts do.
	Unshare string
	// SystemBundle is the system CA bundle path that SystemTrust hides;
	// empty means /etc/ssl/certs/ca-certificates.crt.
	SystemBundle string
	// Logger receives one line per command; nil discards.
	Logger *slog.Logger
}

// ProcessRunner runs clients as local processes, each in its own process
// group so that a cancelled run leaves no child behind.
type ProcessRunner struct {
	cfg ProcessConfig
	log *slog.Logger
}

// NewProcess returns a ProcessRunner.
func NewProcess(cfg ProcessConfig) *ProcessRunner {
	if cfg.Path == "" {
		cfg.Path = DefaultPath
	}
	if cfg.KillGrace == 0 {
		cfg.KillGrace = 5 * time.Second
	}
	if cfg.Unshare == "" {
		cfg.Unshare = "/usr/bin/unshare"
	}
	if cfg.SystemBundle == "" {
		cfg.SystemBundle = "/etc/ssl/certs/ca-certificates.crt"
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &ProcessRunner{cfg: cfg, log: log}
}

// Mode reports ModeProcess.
func (p *ProcessRunner) Mode() Mode { return ModeProcess }

// Run writes cmd.Files, runs cmd.Argv in cmd.Dir and collects the output.
func (p *ProcessRunner) Run(ctx context.Context, cmd Command) (Result, error) {
	if len(cmd.Argv) == 0 {
		return Result{}, errors.New("run client: empty argv")
	}
	if err := writeFiles(cmd.Dir, cmd.Dirs, cmd.Files); err != nil {
		return Result{}, err
	}
	if cmd.Webroot != "" {
		stop, err := serveWebroot(cmd.Webroot, cmd.WebrootPort)
		if err != nil {
			return Result{}, err
		}
		defer stop()
	}

	argv := p.argv(cmd)
	c := exec.CommandContext(ctx, argv[0], argv[1:]...)
	c.Dir = cmd.Dir
	if c.Dir == "" {
		c.Dir = "/" // never the caller's directory, which may go away
	}
	c.Env = p.environ(cmd)
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, &out
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	c.Cancel = func() error { return syscall.Kill(-c.Process.Pid, syscall.SIGTERM) }
	c.WaitDelay = p.cfg.KillGrace

	start := time.Now()
	err := c.Run()
	res := Result{ExitCode: -1, Output: out.Bytes()}
	if c.ProcessState != nil {
		res.ExitCode = c.ProcessState.ExitCode()
	}
	p.log.Debug("client ran", "argv", cmd.Argv[0], "exit", res.ExitCode,
		"duration", time.Since(start))
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return res, fmt.Errorf("run %s: %w", filepath.Base(cmd.Argv[0]), err)
	}

	res.Files = collect(cmd.Collect)
	return res, nil
}

// argv returns the command line, wrapped so that the command sees
// cmd.SystemTrust as the system bundle when one is set: a private mount
// namespace with the file bind-mounted over the bundle.
func (p *ProcessRunner) argv(cmd Command) []string {
	if cmd.SystemTrust == "" {
		return cmd.Argv
	}
	const script = `mount --bind "$1" "$2" && shift 2 && exec "$@"`
	wrap := []string{p.cfg.Unshare, "--mount", "--propagation", "private",
		"/bin/sh", "-c", script, "sh", cmd.SystemTrust, p.cfg.SystemBundle}
	return append(wrap, cmd.Argv...)
}

func (p *ProcessRunner) environ(cmd Command) []string {
	env := []string{"PATH=" + p.cfg.Path, "HOME=" + cmd.Dir, "LC_ALL=C.UTF-8"}
	return append(env, cmd.Env...)
}

func writeFiles(dir string, dirs []string, files []File) error {
	for _, d := range append([]string{dir}, dirs...) {
		if d == "" {
			continue
		}
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("prepare client dir: %w", err)
		}
	}
	for _, f := range files {
		perm := f.Perm
		if perm == 0 {
			perm = 0o600
		}
		if err := os.MkdirAll(filepath.Dir(f.Path), 0o700); err != nil {
			return fmt.Errorf("prepare client file: %w", err)
		}
		if err := os.WriteFile(f.Path, f.Data, perm); err != nil {
			return fmt.Errorf("prepare client file: %w", err)
		}
	}
	return nil
}

// collect reads the files named by paths, expanding glob patterns.
func collect(paths []string) map[string][]byte {
	files := make(map[string][]byte, len(paths))
	for _, pattern := range paths {
		matches, err := filepath.Glob(pattern)
		if err != nil {
			continue
		}
		for _, path := range matches {
			if b, err := os.ReadFile(path); err == nil {
				files[path] = b
			}
		}
	}
	return files
}
