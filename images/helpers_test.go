package images

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// requireDocker skips the test when no Docker engine answers, and turns the
// reaper off: its image would have to be pulled, and nothing can be.
func requireDocker(t *testing.T) {
	t.Helper()
	t.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	docker, err := dockerClient(ctx)
	if err != nil {
		t.Skipf("skipped: no Docker engine answers (%v)", err)
	}
	docker.Close()
}

// testManager returns a Manager building from the repository's tools module.
func testManager(t *testing.T) *Manager {
	t.Helper()
	requireDocker(t)
	tools, err := filepath.Abs(filepath.Join("..", "tools"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(t.Context(), Config{
		WorkDir:  filepath.Join(os.TempDir(), "acmeconform-images-test"),
		ToolsDir: tools,
		Logger:   slog.New(slog.NewTextHandler(t.Output(), nil)),
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// buildImage builds one image, or finds it built, and logs how long it took.
func buildImage(t *testing.T, m *Manager, name string) Image {
	t.Helper()
	start := time.Now()
	img, err := m.Build(t.Context(), name)
	if err != nil {
		t.Fatalf("Build(%s): %v", name, err)
	}
	t.Logf("image %s: %s, %.1f MB, build call took %s", name, img.Ref,
		float64(img.Size)/1e6, time.Since(start).Round(time.Millisecond))
	return img
}

// runClient starts a client container that is terminated when the test ends.
func runClient(t *testing.T, spec ClientSpec) *Client {
	t.Helper()
	cl, err := RunClient(t.Context(), spec)
	if err != nil {
		t.Fatalf("RunClient(%s): %v", spec.Alias, err)
	}
	t.Cleanup(func() {
		if err := cl.Terminate(context.Background()); err != nil {
			t.Errorf("Terminate: %v", err)
		}
	})
	return cl
}

// newNetwork creates a run network that is removed when the test ends,
// after the containers (cleanups run last-in first-out).
func newNetwork(t *testing.T, runID string) *Network {
	t.Helper()
	nw, err := NewNetwork(t.Context(), runID)
	if err != nil {
		t.Fatalf("NewNetwork: %v", err)
	}
	t.Cleanup(func() {
		if err := nw.Remove(context.Background()); err != nil {
			t.Errorf("Remove network: %v", err)
		}
	})
	return nw
}

// mustExec runs a command and fails the test unless it exits 0.
func mustExec(t *testing.T, cl *Client, cmd ...string) string {
	t.Helper()
	res, err := cl.Exec(t.Context(), ExecRequest{Cmd: cmd})
	if err != nil {
		t.Fatalf("Exec %v: %v", cmd, err)
	}
	if res.ExitCode != 0 {
		t.Fatalf("Exec %v: exit %d: %s", cmd, res.ExitCode, res.Output)
	}
	return string(res.Output)
}

// testRunID returns a run id unique to this test and this moment.
func testRunID(t *testing.T) string {
	name := strings.NewReplacer("/", "-", " ", "-").Replace(strings.ToLower(t.Name()))
	return fmt.Sprintf("%s-%d", name, time.Now().UnixNano())
}
