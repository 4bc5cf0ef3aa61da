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
	if err := writeFiles(cmd.Dir, cmd.Files); err != nil {
		return Result{}, err
	}

	c := exec.CommandContext(ctx, cmd.Argv[0], cmd.Argv[1:]...)
	c.Dir = cmd.Dir
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

func (p *ProcessRunner) environ(cmd Command) []string {
	env := []string{"PATH=" + p.cfg.Path, "HOME=" + cmd.Dir, "LC_ALL=C.UTF-8"}
	return append(env, cmd.Env...)
}

func writeFiles(dir string, files []File) error {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
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

func collect(paths []string) map[string][]byte {
	files := make(map[string][]byte, len(paths))
	for _, path := range paths {
		if b, err := os.ReadFile(path); err == nil {
			files[path] = b
		}
	}
	return files
}
