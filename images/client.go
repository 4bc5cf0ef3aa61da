package images

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/netip"
	"slices"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/network"
)

// ClientSpec describes a long-lived client container. Its first process
// idles, and each step of a scenario is run in it with Client.Exec.
type ClientSpec struct {
	// RunID labels the container, so that Sweep can find it.
	RunID string
	// Image is the image reference to run, usually Image.Ref. The image must
	// be in the engine already: nothing is pulled.
	Image string
	// Network is the run's network the container joins.
	Network *Network
	// HostNetwork shares the host's network stack instead of joining
	// Network (which stays nil): the container reaches servers on the
	// host's loopback and they reach it, as for an ACME server run on
	// 127.0.0.1. Servers in the container must then bind loopback too.
	HostNetwork bool
	// Alias is the container's name on the network and its host name.
	Alias string
	// Env is set in the container and in every Exec.
	Env map[string]string
	// DNS are the name servers the engine's resolver in the container
	// forwards to, on port 53. Put the network's gateway here when the mock
	// DNS server listens on Gateway:53. Empty keeps the engine's default.
	DNS []netip.Addr
	// Hosts are extra name-to-address entries for the container's
	// /etc/hosts, for example the mock CA's name to the gateway, so that the
	// CA's name does not depend on the mock DNS server.
	Hosts map[string]netip.Addr
	// Files are copied into the container before it starts.
	Files []File
	// Logger receives the container library's messages. Nil discards.
	Logger *slog.Logger
}

// File is a file put into a container.
type File struct {
	// Path is the absolute path in the container.
	Path string
	// Data is the content.
	Data []byte
	// Mode is the permission bits; zero means 0644.
	Mode int64
}

// Client is a running client container.
type Client struct {
	// Alias is the container's name on the run's network.
	Alias string
	// IP is the container's address on the run's network; the CA reaches the
	// client's challenge servers there. With HostNetwork it is 127.0.0.1.
	IP netip.Addr

	c      *testcontainers.DockerContainer
	docker *testcontainers.DockerClient
}

// RunClient starts a client container on the run's network.
func RunClient(ctx context.Context, spec ClientSpec) (*Client, error) {
	if err := spec.validate(); err != nil {
		return nil, err
	}
	docker, err := dockerClient(ctx)
	if err != nil {
		return nil, err
	}
	cl, err := startClient(ctx, docker, spec)
	if err != nil {
		return nil, errors.Join(err, docker.Close())
	}
	return cl, nil
}

// startClient starts the container of a validated spec.
func startClient(ctx context.Context, docker *testcontainers.DockerClient,
	spec ClientSpec) (*Client, error) {
	if err := imagePresent(ctx, docker, spec.Image); err != nil {
		return nil, err
	}
	labels := runLabels(spec.RunID)
	labels[LabelClient] = spec.Alias
	opts := []testcontainers.ContainerCustomizer{
		testcontainers.WithLogger(tcLogger{logger(spec.Logger)}),
		testcontainers.WithLabels(labels),
		testcontainers.WithEnv(spec.Env),
		testcontainers.WithConfigModifier(func(cfg *container.Config) {
			if !spec.HostNetwork {
				cfg.Hostname = spec.Alias
			}
		}),
		testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) {
			if spec.HostNetwork {
				hc.NetworkMode = "host"
			}
			hc.DNS = spec.DNS
			for _, name := range slices.Sorted(maps.Keys(spec.Hosts)) {
				hc.ExtraHosts = append(hc.ExtraHosts, name+":"+spec.Hosts[name].String())
			}
		}),
	}
	if !spec.HostNetwork {
		opts = append(opts, network.WithNetwork([]string{spec.Alias}, spec.Network.nw))
	}
	for _, f := range spec.Files {
		opts = append(opts, withFile(f))
	}
	c, err := testcontainers.Run(ctx, spec.Image, opts...)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("run client %s: %w", spec.Alias, err), terminate(c))
	}
	cl := &Client{Alias: spec.Alias, c: c, docker: docker}
	if spec.HostNetwork {
		cl.IP = netip.MustParseAddr("127.0.0.1")
		return cl, nil
	}
	if cl.IP, err = containerIP(ctx, c, spec.Network.Name); err != nil {
		return nil, errors.Join(err, terminate(c))
	}
	return cl, nil
}

// validate reports the first missing field of a ClientSpec.
func (s ClientSpec) validate() error {
	switch {
	case s.RunID == "":
		return errors.New("run client: empty RunID")
	case s.Image == "":
		return errors.New("run client: empty Image")
	case s.Network == nil && !s.HostNetwork:
		return errors.New("run client: nil Network")
	case s.Network != nil && s.HostNetwork:
		return errors.New("run client: Network and HostNetwork exclude each other")
	case s.Alias == "":
		return errors.New("run client: empty Alias")
	}
	return nil
}

// imagePresent fails unless the engine holds ref. The container library
// would otherwise try to pull a missing image from a registry.
func imagePresent(ctx context.Context, docker *testcontainers.DockerClient, ref string) error {
	if _, err := docker.ImageInspect(ctx, ref); err != nil {
		if cerrdefs.IsNotFound(err) {
			return fmt.Errorf("run client: image %s is not built: %w", ref, ErrNoImage)
		}
		return fmt.Errorf("run client: inspect image %s: %w", ref, err)
	}
	return nil
}

// withFile copies one file into the container at creation.
func withFile(f File) testcontainers.CustomizeRequestOption {
	mode := f.Mode
	if mode == 0 {
		mode = 0o644
	}
	return testcontainers.WithFiles(testcontainers.ContainerFile{
		Reader: bytes.NewReader(f.Data), ContainerFilePath: f.Path, FileMode: mode,
	})
}

// containerIP returns the container's address on the named network.
func containerIP(ctx context.Context, c *testcontainers.DockerContainer,
	nw string) (netip.Addr, error) {
	info, err := c.Inspect(ctx)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("inspect client: %w", err)
	}
	if ep, ok := info.NetworkSettings.Networks[nw]; ok && ep.IPAddress.IsValid() {
		return ep.IPAddress, nil
	}
	return netip.Addr{}, fmt.Errorf("inspect client: no address on network %s", nw)
}

// terminate removes a container that may be nil.
func terminate(c *testcontainers.DockerContainer) error {
	if c == nil {
		return nil
	}
	return testcontainers.TerminateContainer(c)
}

// Terminate stops and removes the container.
func (cl *Client) Terminate(ctx context.Context) error {
	err := cl.c.Terminate(ctx)
	if err != nil {
		err = fmt.Errorf("terminate client %s: %w", cl.Alias, err)
	}
	return errors.Join(err, cl.docker.Close())
}

// ID returns the Docker id of the container.
func (cl *Client) ID() string {
	return cl.c.GetContainerID()
}

// tcLogger hands the container library's messages to a slog.Logger.
type tcLogger struct{ l *slog.Logger }

// Printf logs one message at debug level.
func (t tcLogger) Printf(format string, v ...any) {
	t.l.Debug(fmt.Sprintf(format, v...))
}

// logger returns l, or a logger that discards when l is nil.
func logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return l
}
