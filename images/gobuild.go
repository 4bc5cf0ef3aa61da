package images

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// idleSource is the source of the first process of every client container.
//
//go:embed internal/idle/main.go
var idleSource []byte

// idleBinary is where the idle process sits in every image.
const idleBinary = "/usr/local/bin/acmeconform-idle"

// goCommand runs the go command in dir and returns its trimmed output.
func (m *Manager) goCommand(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, m.cfg.GoCommand, args...)
	cmd.Dir = dir
	cmd.Env = append(cmd.Environ(),
		"CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH, "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go %s: %w: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// goVersion returns the version of the Go toolchain that builds the tools.
func (m *Manager) goVersion(ctx context.Context) (string, error) {
	return m.goCommand(ctx, m.cfg.ToolsDir, "env", "GOVERSION")
}

// moduleVersion returns the version the tools module pins for module.
func (m *Manager) moduleVersion(ctx context.Context, module string) (string, error) {
	return m.goCommand(ctx, m.cfg.ToolsDir, "list", "-m", "-f", "{{.Version}}", module)
}

// buildTool builds the command of r from the tools module as a static
// binary, linking version into r.versionVar when r names one.
func (m *Manager) buildTool(ctx context.Context, r recipe, version, out string) error {
	m.log.InfoContext(ctx, "building static binary", "package", r.goPackage)
	ldflags := "-s -w"
	if r.versionVar != "" {
		ldflags += " -X " + r.versionVar + "=" + version
	}
	_, err := m.goCommand(ctx, m.cfg.ToolsDir,
		"build", "-trimpath", "-ldflags="+ldflags, "-o", out, r.goPackage)
	return err
}

// buildIdle builds the idle process from its embedded source, in a module of
// its own that has no dependencies, and returns the binary's path in dir.
func (m *Manager) buildIdle(ctx context.Context, dir string) (string, error) {
	src := filepath.Join(dir, "idle-src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", fmt.Errorf("build idle: %w", err)
	}
	files := map[string][]byte{
		"go.mod":  []byte("module acmeconform-idle\n\ngo 1.22\n"),
		"main.go": idleSource,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(src, name), data, 0o644); err != nil {
			return "", fmt.Errorf("build idle: %w", err)
		}
	}
	out := filepath.Join(dir, "acmeconform-idle")
	_, err := m.goCommand(ctx, src, "build", "-trimpath", "-ldflags=-s -w", "-o", out, ".")
	if err != nil {
		return "", fmt.Errorf("build idle: %w", err)
	}
	return out, nil
}
