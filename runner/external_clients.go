package runner

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	drivers "acmeconform/clients"
	"acmeconform/dnsmock"
	"acmeconform/reports"
	clientsuite "acmeconform/suites/clients"
)

// externalClientName names the client suite's external target in reports
// and labels after its directory URL (host and path), so that the reports
// of runs against different servers merge with their rows apart; the
// characters a Ginkgo label cannot hold become "_".
func externalClientName(directory string) string {
	name := directory
	if u, err := url.Parse(directory); err == nil {
		name = u.Host + strings.TrimSuffix(u.Path, "/")
	}
	return "clients-" + strings.Map(func(r rune) rune {
		if strings.ContainsRune("&|!,()/ ", r) {
			return '_'
		}
		return r
	}, name)
}

// externalClientTarget points the client suite at an ACME server someone
// else runs. The server resolves through our mock DNS server, where every
// name answers 127.0.0.1, so it reaches the clients' http-01 servers on
// the port of --http01-addr; dns-01 records go into the same DNS server.
// EAB comes from the flags (one key for every account). Scenarios whose
// challenge type --challenges leaves out order --validated-names. The server's
// management controls are unknown, so the scenarios that need them are
// skipped with the reason.
func (s *stack) externalClientTarget(ctx context.Context, cfg Config, dns *dnsmock.Server) error {
	port := portOf(cfg.HTTP01Addr)
	if port == 0 {
		return configErr("--http01-addr %q: want host:port", cfg.HTTP01Addr)
	}
	caFile := ""
	if cfg.CACertFile != "" {
		abs, err := filepath.Abs(cfg.CACertFile)
		if err != nil {
			return configErr("--ca-cert: %v", err)
		}
		caFile = abs
	}
	work, err := workDir(cfg, s)
	if err != nil {
		return err
	}
	env := &clientsuite.Env{
		Target:       externalClientName(cfg.Directory),
		DirectoryURL: cfg.Directory,
		CACertFile:   caFile,
		DNSAddr:      dns.Addr(),
		DNSAPIURL:    dns.APIURL(),
		HTTP01Port:   port,
		TSIG:         s.tsig,
		Domain:       cfg.Domain,
		WorkDir:      work,
		DNSQueries:   dnsQueries(dns),
	}
	if len(cfg.Challenges) > 0 {
		env.Challenges = []drivers.Challenge{}
		for _, ch := range cfg.Challenges {
			if ch != ChallengesNone {
				env.Challenges = append(env.Challenges, drivers.Challenge(ch))
			}
		}
	}
	env.ValidatedNames = cfg.ValidatedNames
	if cfg.EABKID != "" {
		eab := drivers.EAB{KID: cfg.EABKID, HMACKey: cfg.EABHMAC}
		env.MintEAB = func(context.Context) (*drivers.EAB, error) {
			k := eab
			return &k, nil
		}
		env.EABShared = true
		s.clientEAB = cfg.EABHMAC
	}
	env.Drivers = clientDrivers(cfg)
	if cfg.ClientMode == ClientModeContainer {
		if env.Drivers, err = s.hostNetworkDrivers(ctx, cfg, caFile); err != nil {
			return err
		}
	}
	s.clients = &clientTarget{env: env, drivers: env.Drivers}
	s.targets = append(s.targets, reports.Target{
		Name: env.Target, Directory: cfg.Directory, Mode: "external", Side: "client",
	})
	return nil
}

// externalClientReach says which setup the client suite's failures point
// at when the external server never asked our DNS server anything.
func (s *stack) externalClientReach(cfg Config, failed int) error {
	if s.clients == nil || s.dnsQueries.Load() > 0 || !cfg.reachesAny() {
		return nil
	}
	return &InfraError{Err: fmt.Errorf("%d specs failed, but the server under test never "+
		"queried the mock DNS server on %s: start it with that address as its resolver "+
		"(Pebble: -dnsserver %s), or pass the address it uses with --dns-addr",
		failed, cfg.DNSAddr, cfg.DNSAddr)}
}
