package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	drivers "acmeconform/clients"
	"acmeconform/clients/all"
	"acmeconform/dnsmock"
	"acmeconform/images"
	"acmeconform/mockca"
)

// Client modes accepted in Config.ClientMode.
const (
	ClientModeProcess   = "process"
	ClientModeContainer = "container"
)

// runPrefix starts the id of every run's containers and network; a sweep
// removes only those, leaving other users of the engine alone.
const runPrefix = "acmeconform-run-"

// cleanupTimeout bounds the removal of a run's containers and network,
// which runs on a fresh context also after an interrupt.
const cleanupTimeout = time.Minute

// clientInContainer is where one client lives in container mode: its
// image and the binary's path there.
type clientInContainer struct {
	name, image, binary string
	// shell: the image has /bin/sh and busybox (a manifest says so).
	shell bool
}

// containerClients lists the clients container mode runs, in the order
// of drivers.Names.
func containerClients() []clientInContainer {
	return []clientInContainer{
		{name: "lego", image: images.NameLego, binary: "/usr/local/bin/lego"},
		{name: "certbot", image: images.NameDebian, binary: "/usr/bin/certbot"},
		{name: "dehydrated", image: images.NameDebian, binary: "/usr/bin/dehydrated"},
		{name: "uacme", image: images.NameDebian, binary: "/usr/bin/uacme"},
		{name: "caddy", image: images.NameCaddy, binary: "/usr/local/bin/caddy"},
	}
}

// containerRun is what container mode started: the run's network, the
// servers bound to its gateway and the relay of http-01 connections.
type containerRun struct {
	id    string
	nw    *images.Network
	dns   *dnsmock.Server
	relay *relay
}

// startContainerRun sweeps what earlier runs left (newContainerRun),
// then creates the run's network and starts the mock DNS server on its gateway, port 53 (the
// engine forwards the containers' lookups there only), and the http-01
// relay. Everything is removed by the stack's closers, also on SIGINT.
func (s *stack) startContainerRun(ctx context.Context, cfg Config) (*containerRun, error) {
	run, err := s.newContainerRun(ctx, cfg)
	if err != nil {
		return nil, err
	}
	nw, err := images.NewNetwork(ctx, run.id)
	if err != nil {
		return nil, &InfraError{Err: err}
	}
	run.nw = nw
	gw := nw.Gateway.String()
	if run.dns, err = s.startGatewayDNS(cfg, gw); err != nil {
		return nil, err
	}
	if run.relay, err = startRelay(net.JoinHostPort(gw, "0")); err != nil {
		return nil, &InfraError{Err: err}
	}
	s.closers = append(s.closers, run.relay.Close)
	return run, nil
}

// newContainerRun names a run's containers, sweeps what earlier runs left
// (unless this is one shard of several, which share the engine) and makes
// the stack remove the run's containers and network when it closes.
func (s *stack) newContainerRun(ctx context.Context, cfg Config) (*containerRun, error) {
	run := &containerRun{id: fmt.Sprintf("%s%d-%d", runPrefix, os.Getpid(), time.Now().UnixNano())}
	if cfg.Shard == "" {
		opts := images.SweepOptions{Keep: []string{run.id}, RunPrefix: runPrefix}
		if _, err := images.Sweep(ctx, opts); err != nil {
			return nil, &InfraError{Err: fmt.Errorf("sweep containers: %w", err)}
		}
	}
	s.closers = append(s.closers, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		_, err := images.RemoveRun(ctx, run.id)
		return err
	})
	return run, nil
}

// startGatewayDNS starts a mock DNS server for the clients on the
// gateway; every name answers the gateway, where the relay listens.
func (s *stack) startGatewayDNS(cfg Config, gw string) (*dnsmock.Server, error) {
	keys := map[string]string{}
	if s.tsig != nil {
		keys[s.tsig.Name] = s.tsig.Algorithm + ":" + s.tsig.Secret
	}
	d, err := dnsmock.New(dnsmock.Config{
		Addr: net.JoinHostPort(gw, "53"), APIAddr: net.JoinHostPort(gw, "0"),
		UnprotectedAPI: true, // the run's own Docker network: the clients' DNS hooks
		DefaultIPv4:    gw, Seed: cfg.Seed, Logger: logger(cfg), TSIGKeys: keys,
	})
	if err != nil {
		return nil, fmt.Errorf("mock DNS: %w", err)
	}
	if err := d.Start(); err != nil {
		return nil, &InfraError{Err: fmt.Errorf("mock DNS on %s:53: %w", gw, err)}
	}
	s.closers = append(s.closers, d.Close)
	return d, nil
}

// startGatewayCA starts the client suite's mock CA on the run's gateway,
// with a TLS certificate for the gateway's address.
func (s *stack) startGatewayCA(cfg Config, profile string,
	run *containerRun) (*mockca.Server, error) {
	prof, mis, err := caOptions(cfg, profile)
	if err != nil {
		return nil, err
	}
	gw := run.nw.Gateway.String()
	ca, err := mockca.New(mockca.Config{
		Addr: net.JoinHostPort(gw, "0"), DNSServer: run.dns.Addr(),
		HTTP01Port: run.relay.Port(), TLSHosts: []string{gw},
		Seed: cfg.Seed, Logger: logger(cfg), Profile: prof, Misbehave: mis,
	})
	if err != nil {
		return nil, &ConfigError{Err: fmt.Errorf("mock CA: %w", err)}
	}
	if err := ca.Start(); err != nil {
		return nil, &InfraError{Err: fmt.Errorf("start mock CA: %w", err)}
	}
	s.closers = append(s.closers, ca.Close)
	return ca, nil
}

// containerDrivers builds the images the clients need, starts one
// container per client and returns a driver for each. A client whose
// image or container cannot be had gets a driver that says why, so the
// suite skips it with the reason.
func (s *stack) containerDrivers(ctx context.Context, cfg Config, run *containerRun,
	caFile string, caPEM []byte) ([]drivers.Driver, error) {
	m, err := images.New(ctx, images.Config{ToolsDir: cfg.ToolsDir, Logger: logger(cfg)})
	if err != nil {
		return nil, &InfraError{Err: err}
	}
	defer m.Close()
	built := map[string]images.Image{}
	failed := map[string]error{}
	var out []drivers.Driver
	for _, c := range containerClients() {
		if _, ok := built[c.image]; !ok && failed[c.image] == nil {
			img, err := m.Build(ctx, c.image)
			built[c.image], failed[c.image] = img, err
		}
		var r drivers.Runner = brokenRunner{err: failed[c.image]}
		if failed[c.image] == nil {
			r, err = s.startClient(ctx, cfg, run, c, built[c.image].Ref, caFile, caPEM)
			if err != nil {
				r = brokenRunner{err: err}
			}
		}
		bins := all.Binaries{}
		switch c.name {
		case "lego":
			bins.Lego = c.binary
		case "certbot":
			bins.Certbot = c.binary
		case "dehydrated":
			bins.Dehydrated = c.binary
		case "uacme":
			bins.Uacme = c.binary
		case "caddy":
			bins.Caddy = c.binary
		}
		out = append(out, all.Drivers(bins, drivers.Config{Runner: r, Logger: cfg.Logger})...)
	}
	return append(out, s.manifestDrivers(ctx, cfg, run, m, caFile, caPEM)...), nil
}

// startClient starts the container of one client on the run's network,
// resolving through the mock DNS server, and returns its runner.
func (s *stack) startClient(ctx context.Context, cfg Config, run *containerRun,
	c clientInContainer, ref, caFile string, caPEM []byte) (drivers.Runner, error) {
	spec := images.ClientSpec{RunID: run.id, Image: ref, Alias: c.name, Logger: cfg.Logger}
	if run.nw == nil { // an external server on the host: share its network stack
		spec.HostNetwork = true
	} else {
		spec.Network, spec.DNS = run.nw, []netip.Addr{run.nw.Gateway}
	}
	cl, err := images.RunClient(ctx, spec)
	if err != nil {
		return nil, err
	}
	s.closers = append(s.closers, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		return cl.Terminate(ctx)
	})
	ccfg := drivers.ContainerConfig{Container: cl, Shell: c.shell || c.image == images.NameDebian,
		Logger: cfg.Logger}
	if caFile != "" {
		ccfg.Share = []drivers.File{{Path: caFile, Data: caPEM, Perm: 0o644}}
	}
	if run.relay != nil {
		ccfg.BeforeRun = func(context.Context) error {
			run.relay.To(cl.IP)
			return nil
		}
	} else {
		ccfg.ListenHost = "127.0.0.1" // on the host's stack: loopback only
	}
	return drivers.NewContainer(ccfg), nil
}

// hostNetworkDrivers runs the clients in containers on the host's network
// stack, for an external server on the host: the containers reach its
// loopback directory and our mock DNS server, and it reaches the
// clients' http-01 servers on 127.0.0.1. No network of the run's own is
// made; the containers carry the run's labels and are removed with it.
func (s *stack) hostNetworkDrivers(ctx context.Context, cfg Config,
	caFile string) ([]drivers.Driver, error) {
	run, err := s.newContainerRun(ctx, cfg)
	if err != nil {
		return nil, err
	}
	var caPEM []byte
	if caFile != "" {
		if caPEM, err = os.ReadFile(caFile); err != nil {
			return nil, configErr("--ca-cert: %v", err)
		}
	}
	return s.containerDrivers(ctx, cfg, run, caFile, caPEM)
}

// brokenRunner stands for a client that cannot run in this mode.
type brokenRunner struct{ err error }

func (b brokenRunner) Run(context.Context, drivers.Command) (drivers.Result, error) {
	return drivers.Result{ExitCode: -1}, b.err
}

func (b brokenRunner) Mode() drivers.Mode { return drivers.ModeContainer }

// relay forwards the CA's http-01 connections (RFC 8555 §8.3), which reach
// the gateway because every name resolves there, to the same port of the
// client container that runs at the moment. Clients run one at a time.
type relay struct {
	ln     net.Listener
	target atomic.Pointer[netip.Addr]
	done   chan struct{}
}

func startRelay(addr string) (*relay, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("http-01 relay: %w", err)
	}
	r := &relay{ln: ln, done: make(chan struct{})}
	go r.serve()
	return r, nil
}

// Port is the port the relay listens on, which clients also listen on.
func (r *relay) Port() int { return r.ln.Addr().(*net.TCPAddr).Port }

// To sends the following connections to ip.
func (r *relay) To(ip netip.Addr) { r.target.Store(&ip) }

// Close stops accepting connections.
func (r *relay) Close() error {
	err := r.ln.Close()
	<-r.done
	return err
}

func (r *relay) serve() {
	defer close(r.done)
	for {
		c, err := r.ln.Accept()
		if err != nil {
			return
		}
		go r.forward(c)
	}
}

// forward copies one connection both ways to the current client.
func (r *relay) forward(in net.Conn) {
	defer in.Close()
	ip := r.target.Load()
	if ip == nil {
		return
	}
	addr := net.JoinHostPort(ip.String(), strconv.Itoa(r.Port()))
	out, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return
	}
	defer out.Close()
	done := make(chan error, 1)
	go func() { done <- copyClose(out, in) }()
	_ = copyClose(in, out)
	<-done
}

// copyClose copies src to dst, then half-closes dst for writing.
func copyClose(dst, src net.Conn) error {
	_, err := io.Copy(dst, src)
	if tc, ok := dst.(*net.TCPConn); ok {
		err = errors.Join(err, tc.CloseWrite())
	}
	return err
}

// containerClientTarget runs the client suite's clients in containers
// against a mock CA and a DNS server on the run's network gateway.
func (s *stack) containerClientTarget(ctx context.Context, cfg Config, profile string) error {
	run, err := s.startContainerRun(ctx, cfg)
	if err != nil {
		return err
	}
	ca, err := s.startGatewayCA(cfg, profile, run)
	if err != nil {
		return err
	}
	env, err := s.clientEnv(cfg, profile, ca, run.dns, run.relay.Port())
	if err != nil {
		return err
	}
	env.Drivers, err = s.containerDrivers(ctx, cfg, run, env.CACertFile, ca.TLSRootPEM())
	if err != nil {
		return err
	}
	s.addClientTarget(env, ca, profile)
	return nil
}
