package images

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/testcontainers/testcontainers-go"
)

// ErrUnknown is returned for an image or client name acmeconform does not know.
var ErrUnknown = errors.New("unknown name")

// ErrNoImage is returned by RunClient for an image the engine does not hold;
// nothing is ever pulled, so build it with Manager.Build first.
var ErrNoImage = errors.New("image not in the Docker engine")

// Config configures a Manager. The zero value of each field is documented
// with it; ToolsDir is required.
type Config struct {
	// WorkDir holds the binaries and root file systems made while building;
	// each build works in a directory of its own there and removes it when
	// done. Empty means "acmeconform-images" under the system's temporary
	// directory. Finished images live in the Docker engine only.
	WorkDir string
	// ToolsDir is the pinned tools module the Go clients are built from.
	ToolsDir string
	// AptSources are the apt source files (deb822 ".sources" or one-line
	// ".list") the Debian image is built from. Empty means the machine's own,
	// as found by SystemAptSources.
	AptSources []string
	// CABundle is the PEM bundle copied into the FROM-scratch images as
	// /etc/ssl/certs/ca-certificates.crt. Empty means the machine's
	// /etc/ssl/certs/ca-certificates.crt.
	CABundle string
	// GoCommand is the go command used to build. Empty means "go".
	GoCommand string
	// Mmdebstrap is the mmdebstrap command. Empty means "mmdebstrap".
	Mmdebstrap string
	// Logger receives progress. Nil discards.
	Logger *slog.Logger
}

// Image is a built image as the Docker engine holds it.
type Image struct {
	// Name is the image's name in acmeconform ("lego", "caddy", "debian").
	Name string
	// Ref is the reference to run, "acmeconform/<name>:<input hash>".
	Ref string
	// Inputs is the hash of the build inputs the image was made from.
	Inputs string
	// Clients are the ACME clients the image holds.
	Clients []string
	// Versions maps each client (and for Debian, each package of interest)
	// to the version baked into the image.
	Versions map[string]string
	// Size is the image's size in bytes.
	Size int64
	// Created is when the image was made.
	Created time.Time
	// Current is false for an image whose inputs have changed since it was
	// built; Prune removes such images.
	Current bool
}

// Manager builds, lists and prunes acmeconform's client images.
type Manager struct {
	cfg    Config
	log    *slog.Logger
	docker *testcontainers.DockerClient
}

// New returns a Manager connected to the Docker engine that testcontainers
// finds (DOCKER_HOST or the default socket).
func New(ctx context.Context, cfg Config) (*Manager, error) {
	if cfg.ToolsDir == "" {
		return nil, errors.New("images: Config.ToolsDir is required")
	}
	if cfg.WorkDir == "" {
		cfg.WorkDir = filepath.Join(os.TempDir(), "acmeconform-images")
	}
	if cfg.CABundle == "" {
		cfg.CABundle = "/etc/ssl/certs/ca-certificates.crt"
	}
	if cfg.GoCommand == "" {
		cfg.GoCommand = "go"
	}
	if cfg.Mmdebstrap == "" {
		cfg.Mmdebstrap = "mmdebstrap"
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	docker, err := dockerClient(ctx)
	if err != nil {
		return nil, err
	}
	return &Manager{cfg: cfg, log: log, docker: docker}, nil
}

// Close releases the connection to the Docker engine.
func (m *Manager) Close() error {
	return m.docker.Close()
}

// dockerClient connects to the engine testcontainers would use.
func dockerClient(ctx context.Context) (*testcontainers.DockerClient, error) {
	docker, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect to docker: %w", err)
	}
	return docker, nil
}
