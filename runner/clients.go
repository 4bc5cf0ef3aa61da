package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/miekg/dns"
	"github.com/onsi/ginkgo/v2"

	drivers "acmeconform/clients"
	"acmeconform/clients/all"
	"acmeconform/dnsmock"
	"acmeconform/internal/ports"
	"acmeconform/mockca"
	clientsuite "acmeconform/suites/clients"
)

// clientTarget is the ACME server the client suite's real clients face
// (an embedded mock CA or an external directory), and the environment the
// suite reads.
type clientTarget struct {
	env     *clientsuite.Env
	drivers []drivers.Driver
}

func (c *clientTarget) define() {
	label := labelTarget + c.env.Target
	ginkgo.Describe(c.env.Target, ginkgo.Label(label), func() { clientsuite.Define(c.env) })
}

// embeddedClientTarget starts a mock CA of its own for the clients: they
// serve http-01 themselves, on a port the CA validates and no responder
// of the server suite holds. In container mode the clients, the CA and
// a DNS server of their own live on a Docker network of the run's own.
func (s *stack) embeddedClientTarget(ctx context.Context, cfg Config, dnsSrv *dnsmock.Server) error {
	profile := cfg.profiles()[0]
	if cfg.ClientMode == ClientModeContainer {
		return s.containerClientTarget(ctx, cfg, profile)
	}
	// Clients listen on a block of ports from here (Caddy: http-01, HTTPS,
	// admin), kept out of the range outgoing connections take theirs from.
	port, err := ports.Block(clientPorts)
	if err != nil {
		return &InfraError{Err: fmt.Errorf("client http-01 port: %w", err)}
	}
	ca, err := s.startCA(cfg, profile, dnsSrv.Addr(), port)
	if err != nil {
		return err
	}
	env, err := s.clientEnv(cfg, profile, ca, dnsSrv, port)
	if err != nil {
		return err
	}
	env.Drivers = clientDrivers(cfg)
	s.addClientTarget(env, ca, profile)
	return nil
}

// clientEnv writes the CA's trust root into the work directory and fills
// a client-suite Env for the CA, the DNS server and the http-01 port.
func (s *stack) clientEnv(cfg Config, profile string, ca *mockca.Server,
	dnsSrv *dnsmock.Server, port int) (*clientsuite.Env, error) {
	work, err := workDir(cfg, s)
	if err != nil {
		return nil, err
	}
	caFile := filepath.Join(work, "tls-root.pem")
	if err := os.WriteFile(caFile, ca.TLSRootPEM(), 0o644); err != nil {
		return nil, &InfraError{Err: fmt.Errorf("write trust root: %w", err)}
	}
	// Renewal scenarios expect a valid authorization to be reused.
	k := ca.Knobs()
	k.AuthzReusePercent = 100
	ca.SetKnobs(k)
	return &clientsuite.Env{
		Target:         "clients-mockca-" + profile,
		DirectoryURL:   ca.DirectoryURL(),
		CACertFile:     caFile,
		IssuerRootsPEM: ca.IssuerRootsPEM(),
		DNSAddr:        dnsSrv.Addr(),
		DNSAPIURL:      dnsSrv.APIURL(),
		HTTP01Port:     port,
		TSIG:           s.tsig,
		Domain:         cfg.Domain,
		WorkDir:        work,
		DNSQueries:     dnsQueries(dnsSrv),
	}, nil
}

// addClientTarget gives env the CA's controls and registers it.
func (s *stack) addClientTarget(env *clientsuite.Env, ca *mockca.Server, profile string) {
	MockCAClientControls(env, ca)
	s.clients = &clientTarget{env: env, drivers: env.Drivers}
	s.targets = append(s.targets, embeddedTarget(env.Target, profile, "client"))
}

// clientDrivers returns a driver for lego (built from the tools module)
// and for the clients Debian's packages install; a client whose binary is
// missing is skipped by the suite with the reason.
func clientDrivers(cfg Config) []drivers.Driver {
	bins := all.DebianBinaries()
	bins.Lego, bins.Caddy = cfg.LegoPath, cfg.CaddyPath
	return all.Drivers(bins, drivers.Config{Logger: cfg.Logger})
}

func workDir(cfg Config, s *stack) (string, error) {
	if cfg.WorkDir != "" {
		return cfg.WorkDir, os.MkdirAll(cfg.WorkDir, 0o755)
	}
	dir, err := os.MkdirTemp("", "acmeconform-clients")
	if err != nil {
		return "", &InfraError{Err: fmt.Errorf("work dir: %w", err)}
	}
	s.closers = append(s.closers, func() error { return os.RemoveAll(dir) })
	return dir, nil
}

func dnsQueries(d *dnsmock.Server) func(context.Context, string, string) (int, error) {
	return func(_ context.Context, name, qtype string) (int, error) {
		t, ok := dns.StringToType[strings.ToUpper(qtype)]
		if !ok {
			return 0, fmt.Errorf("unknown query type %q", qtype)
		}
		return len(d.History(name, t)), nil
	}
}

// clientPorts is how many ports from the http-01 port on a client may
// listen on.
const clientPorts = 3

// secrets lists the values no report may show (EAB HMAC keys).
func (s *stack) secrets() []string {
	var out []string
	for _, t := range s.servers {
		if t.EAB != nil {
			out = append(out, t.EAB.HMACKey)
		}
	}
	if s.tsig != nil {
		out = append(out, s.tsig.Secret)
	}
	if s.clientEAB != "" {
		out = append(out, s.clientEAB)
	}
	return out
}
