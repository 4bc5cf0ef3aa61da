package clients

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path"
	"strings"
	"sync"
	"time"

	"acmeconform/images"
)

// Container is the part of a running client container a ContainerRunner
// uses; *images.Client implements it.
type Container interface {
	Exec(ctx context.Context, req images.ExecRequest) (images.ExecResult, error)
	CopyIn(ctx context.Context, path string, data []byte, mode int64) error
	CopyOut(ctx context.Context, path string) ([]byte, error)
	CopyTreeOut(ctx context.Context, dir string) (map[string][]byte, error)
	Mkdir(ctx context.Context, dir string, mode int64) error
}

// ContainerConfig configures a ContainerRunner.
type ContainerConfig struct {
	// Container runs the commands; required.
	Container Container
	// Shell is true when the image has /bin/sh and the tools hook scripts
	// call (curl, busybox); FROM-scratch images have none.
	Shell bool
	// Share are files copied into the container at the same path before
	// the first command, such as the CA certificate a command names.
	Share []File
	// BeforeRun, when set, is called before every command, for example to
	// route the CA's http-01 connections to this container.
	BeforeRun func(ctx context.Context) error
	// ListenHost is the address the client's own challenge servers bind;
	// empty means every interface of the container (0.0.0.0). A container
	// on the host's network stack binds 127.0.0.1.
	ListenHost string
	// SystemBundle is the image's system CA bundle; empty means
	// /etc/ssl/certs/ca-certificates.crt.
	SystemBundle string
	// Logger receives one line per command; nil discards.
	Logger *slog.Logger
}

// ContainerRunner runs clients in one long-lived container. Paths mean
// the same inside the container as in the Command: files are copied in at
// their path, collected files are copied out from theirs. Commands of one
// runner run one at a time.
type ContainerRunner struct {
	cfg    ContainerConfig
	log    *slog.Logger
	mu     sync.Mutex
	shared bool
	bundle []byte // the image's own system bundle, read once
}

// NewContainer returns a ContainerRunner.
func NewContainer(cfg ContainerConfig) *ContainerRunner {
	if cfg.SystemBundle == "" {
		cfg.SystemBundle = "/etc/ssl/certs/ca-certificates.crt"
	}
	if cfg.ListenHost == "" {
		cfg.ListenHost = "0.0.0.0"
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &ContainerRunner{cfg: cfg, log: log}
}

// Mode reports ModeContainer.
func (c *ContainerRunner) Mode() Mode { return ModeContainer }

// HasShell reports whether hook scripts can run in the container.
func (c *ContainerRunner) HasShell() bool { return c.cfg.Shell }

// ListenHost is the address a client's own challenge server binds: every
// interface, so that the CA reaches it from outside the container, unless
// the config names another.
func (c *ContainerRunner) ListenHost() string { return c.cfg.ListenHost }

// Run copies cmd's files in, runs cmd.Argv in the container and copies the
// collected files out.
func (c *ContainerRunner) Run(ctx context.Context, cmd Command) (Result, error) {
	if len(cmd.Argv) == 0 {
		return Result{}, errors.New("run client: empty argv")
	}
	if c.cfg.Container == nil {
		return Result{}, errors.New("run client: no container")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.prepare(ctx, cmd); err != nil {
		return Result{}, err
	}
	if c.cfg.BeforeRun != nil {
		if err := c.cfg.BeforeRun(ctx); err != nil {
			return Result{}, fmt.Errorf("run client: %w", err)
		}
	}
	if cmd.SystemTrust != "" {
		restore, err := c.showTrust(ctx, cmd.SystemTrust)
		if err != nil {
			return Result{}, err
		}
		defer restore()
	}
	if cmd.Webroot != "" {
		stop, err := c.serveWebroot(ctx, cmd.Webroot, cmd.WebrootPort)
		if err != nil {
			return Result{}, err
		}
		defer stop()
	}

	start := time.Now()
	res, err := c.cfg.Container.Exec(ctx, images.ExecRequest{
		Cmd: cmd.Argv, Env: c.environ(cmd), Dir: cmp(cmd.Dir, "/"),
	})
	if err != nil {
		return Result{ExitCode: -1}, fmt.Errorf("run %s: %w", path.Base(cmd.Argv[0]), err)
	}
	c.log.Debug("client ran", "argv", cmd.Argv[0], "exit", res.ExitCode,
		"duration", time.Since(start))
	return Result{ExitCode: res.ExitCode, Output: res.Output,
		Files: c.collect(ctx, cmd.Collect)}, nil
}

// prepare copies the shared files in once, then creates cmd's directories
// and writes its files.
func (c *ContainerRunner) prepare(ctx context.Context, cmd Command) error {
	files := cmd.Files
	if !c.shared {
		files = append(append([]File(nil), c.cfg.Share...), files...)
	}
	for _, d := range append([]string{cmd.Dir}, cmd.Dirs...) {
		if d == "" {
			continue
		}
		if err := c.cfg.Container.Mkdir(ctx, d, 0o700); err != nil {
			return fmt.Errorf("prepare client dir: %w", err)
		}
	}
	for _, f := range files {
		perm := int64(f.Perm)
		if perm == 0 {
			perm = 0o600
		}
		if err := c.cfg.Container.CopyIn(ctx, f.Path, f.Data, perm); err != nil {
			return fmt.Errorf("prepare client file: %w", err)
		}
	}
	c.shared = true
	return nil
}

// showTrust puts the PEM file at trust in place of the system bundle and
// returns a function that puts the image's own bundle back.
func (c *ContainerRunner) showTrust(ctx context.Context, trust string) (func(), error) {
	if c.bundle == nil {
		b, err := c.cfg.Container.CopyOut(ctx, c.cfg.SystemBundle)
		if err != nil {
			return nil, fmt.Errorf("system trust: %w", err)
		}
		c.bundle = b
	}
	pem, err := c.cfg.Container.CopyOut(ctx, trust)
	if err != nil {
		return nil, fmt.Errorf("system trust: %w", err)
	}
	if err := c.cfg.Container.CopyIn(ctx, c.cfg.SystemBundle, pem, 0o644); err != nil {
		return nil, fmt.Errorf("system trust: %w", err)
	}
	return func() {
		ctx := context.WithoutCancel(ctx)
		if err := c.cfg.Container.CopyIn(ctx, c.cfg.SystemBundle, c.bundle, 0o644); err != nil {
			c.log.Warn("restore system bundle", "err", err)
		}
	}, nil
}

// serveWebroot starts busybox httpd on the listen host of the container,
// serving dir on port (RFC 8555 §8.3), and returns a function stopping it.
func (c *ContainerRunner) serveWebroot(ctx context.Context, dir string,
	port int) (func(), error) {
	if !c.cfg.Shell {
		return nil, fmt.Errorf("serve webroot: the image has no shell: %w", ErrUnsupported)
	}
	if port <= 0 {
		return nil, fmt.Errorf("serve webroot: port %d", port)
	}
	if err := c.cfg.Container.Mkdir(ctx, dir, 0o755); err != nil {
		return nil, fmt.Errorf("serve webroot: %w", err)
	}
	script := fmt.Sprintf("busybox httpd -f -p %s:%d -h %s </dev/null >/dev/null 2>&1 &"+
		" echo $!", c.cfg.ListenHost, port, ShellQuote(dir))
	res, err := c.cfg.Container.Exec(ctx, images.ExecRequest{Cmd: []string{"/bin/sh", "-c", script}})
	if err != nil {
		return nil, fmt.Errorf("serve webroot: %w", err)
	}
	pid := strings.TrimSpace(string(res.Output))
	if res.ExitCode != 0 || pid == "" {
		return nil, fmt.Errorf("serve webroot: exit %d: %s", res.ExitCode, Head(res.Output, 200))
	}
	return func() {
		ctx := context.WithoutCancel(ctx)
		if _, err := c.cfg.Container.Exec(ctx, images.ExecRequest{
			Cmd: []string{"/bin/sh", "-c", "kill " + pid}}); err != nil {
			c.log.Warn("stop webroot server", "err", err)
		}
	}, nil
}

// environ gives the command its own HOME, as ProcessRunner does, and the
// command's variables as a map.
func (c *ContainerRunner) environ(cmd Command) map[string]string {
	env := map[string]string{"HOME": cmp(cmd.Dir, "/root"), "LC_ALL": "C.UTF-8"}
	for _, kv := range cmd.Env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return env
}

// collect copies the files named by patterns out of the container; a
// pattern with glob characters matches the files under its longest
// directory without any.
func (c *ContainerRunner) collect(ctx context.Context, patterns []string) map[string][]byte {
	files := make(map[string][]byte, len(patterns))
	for _, p := range patterns {
		if !strings.ContainsAny(p, globChars) {
			if b, ok := c.copyOut(ctx, p); ok {
				files[p] = b
			}
			continue
		}
		tree, err := c.cfg.Container.CopyTreeOut(ctx, globRoot(p))
		if err != nil {
			continue
		}
		for name, b := range tree {
			if ok, _ := path.Match(p, name); ok {
				files[name] = b
			}
		}
	}
	return files
}

// copyOut reads one file, following a symbolic link (certbot's live/
// files are links into archive/), which the engine's archive would hand
// over as the link itself.
func (c *ContainerRunner) copyOut(ctx context.Context, p string) ([]byte, bool) {
	b, err := c.cfg.Container.CopyOut(ctx, p)
	if err != nil {
		return nil, false
	}
	if len(b) > 0 || !c.cfg.Shell {
		return b, true
	}
	res, err := c.cfg.Container.Exec(ctx, images.ExecRequest{
		Cmd: []string{"readlink", "-f", "--", p}})
	target := strings.TrimSpace(string(res.Output))
	if err != nil || res.ExitCode != 0 || target == "" || target == p {
		return b, true
	}
	if b, err = c.cfg.Container.CopyOut(ctx, target); err != nil {
		return nil, false
	}
	return b, true
}

const globChars = `*?[\`

// globRoot returns the longest directory of pattern p without glob
// characters.
func globRoot(p string) string {
	dir := path.Dir(p)
	for strings.ContainsAny(dir, globChars) {
		dir = path.Dir(dir)
	}
	return dir
}

// HasShell reports whether r can run the POSIX shell scripts drivers
// write as hooks; runners that do not say are assumed able to.
func HasShell(r Runner) bool {
	if s, ok := r.(interface{ HasShell() bool }); ok {
		return s.HasShell()
	}
	return true
}

// ListenHost returns the address a client's own challenge server should
// bind under r: 127.0.0.1 unless the runner names another.
func ListenHost(r Runner) string {
	if l, ok := r.(interface{ ListenHost() string }); ok {
		return l.ListenHost()
	}
	return "127.0.0.1"
}

func cmp(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
