package runner

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	drivers "acmeconform/clients"
	"acmeconform/dnsmock"
	"acmeconform/mockca"
	"acmeconform/reports"
	"acmeconform/suites"
)

// requestTimeout bounds every request the harness sends to a target.
const requestTimeout = 30 * time.Second

// maxDirectoryBytes bounds the directory body read by the start-up check.
const maxDirectoryBytes = 1 << 20

// stack is what a run started: the targets the suites face and the
// servers to close afterwards.
type stack struct {
	servers []*suites.Target // the server suite's targets
	clients *clientTarget    // the client suite's target, when it runs
	targets []reports.Target
	closers []func() error
	tsig    *drivers.TSIG // the key clients sign RFC 2136 updates with
	// clientEAB is the MAC key the clients of an external run bind with.
	clientEAB string
	// dnsQueries and httpRequests count what reached the mock DNS server
	// and the http-01 responder, to tell a target that cannot reach the
	// harness from one that fails requirements.
	dnsQueries, httpRequests atomic.Int64
}

func (s *stack) close() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		_ = s.closers[i]()
	}
}

func logger(cfg Config) *slog.Logger {
	if cfg.Logger != nil {
		return cfg.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// startDNS starts the mock DNS server every target resolves the harness's
// names through; every name answers 127.0.0.1 unless a spec says otherwise.
func (s *stack) startDNS(cfg Config, addr string) (*dnsmock.Server, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	s.tsig = &drivers.TSIG{Name: "acmeconform-update.", Algorithm: "hmac-sha256",
		Secret: base64.StdEncoding.EncodeToString(secret)}
	dns, err := dnsmock.New(dnsmock.Config{
		Addr: addr, DefaultIPv4: "127.0.0.1", Seed: cfg.Seed, Logger: logger(cfg),
		TSIGKeys: map[string]string{s.tsig.Name: s.tsig.Algorithm + ":" + s.tsig.Secret},
		OnQuery:  func(dnsmock.QueryEvent) { s.dnsQueries.Add(1) },
	})
	if err != nil {
		return nil, fmt.Errorf("mock DNS: %w", err)
	}
	if err := dns.Start(); err != nil {
		return nil, &InfraError{Err: fmt.Errorf("mock DNS on %s: %w", addr, err)}
	}
	s.closers = append(s.closers, dns.Close)
	return dns, nil
}

// startResponder starts an http-01 responder.
func (s *stack) startResponder(addr string) (*dnsmock.Responder, error) {
	r, err := dnsmock.NewResponder(dnsmock.ResponderConfig{
		Addr: addr, OnRequest: func(*http.Request) { s.httpRequests.Add(1) },
	})
	if err != nil {
		return nil, fmt.Errorf("http-01 responder: %w", err)
	}
	if err := r.Start(); err != nil {
		return nil, &InfraError{Err: fmt.Errorf("http-01 responder on %s: %w", addr, err)}
	}
	s.closers = append(s.closers, r.Close)
	return r, nil
}

// startCA starts an embedded mock CA with the named profile that
// validates http-01 on http01Port.
func (s *stack) startCA(cfg Config, profile, dnsAddr string, http01Port int) (*mockca.Server, error) {
	prof, mis, err := caOptions(cfg, profile)
	if err != nil {
		return nil, err
	}
	ca, err := mockca.New(mockca.Config{
		Addr:       "127.0.0.1:0",
		DNSServer:  dnsAddr,
		HTTP01Port: http01Port,
		Seed:       cfg.Seed,
		Logger:     logger(cfg),
		Profile:    prof,
		Misbehave:  mis,
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

// embedded starts the mock DNS server, an http-01 responder and a mock CA
// for the server suite, and one more mock CA for the client suite (the
// clients serve http-01 on a port of their own).
func embedded(ctx context.Context, cfg Config) (*stack, error) {
	s := &stack{}
	ok := false
	defer func() {
		if !ok {
			s.close()
		}
	}()
	dns, err := s.startDNS(cfg, "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	for _, profile := range cfg.profiles() {
		if !cfg.runs(SuiteServer) {
			break
		}
		if err := s.embeddedServerTarget(cfg, profile, dns); err != nil {
			return nil, err
		}
	}
	if cfg.runs(SuiteClients) {
		if err := s.embeddedClientTarget(ctx, cfg, dns); err != nil {
			return nil, err
		}
	}
	ok = true
	return s, nil
}

// embeddedServerTarget starts a mock CA with one profile and an http-01
// responder of its own for the server suite.
func (s *stack) embeddedServerTarget(cfg Config, profile string, dns *dnsmock.Server) error {
	resp, err := s.startResponder("127.0.0.1:0")
	if err != nil {
		return err
	}
	ca, err := s.startCA(cfg, profile, dns.Addr(), portOf(resp.Addr()))
	if err != nil {
		return err
	}
	roots, err := poolFromPEM(ca.TLSRootPEM())
	if err != nil {
		return err
	}
	issuers, err := poolFromPEM(ca.IssuerRootsPEM())
	if err != nil {
		return err
	}
	t := &suites.Target{
		Name:          "mockca-" + profile,
		DirectoryURL:  ca.DirectoryURL(),
		Roots:         roots,
		HTTPClient:    httpClient(roots),
		DNS:           dnsControl{dns},
		HTTP01:        resp,
		Domain:        cfg.Domain,
		ManagementURL: ca.ManagementURL(),
		IssuerRoots:   issuers,
		PollTimeout:   cfg.PollTimeout,
	}
	if ca.Profile().EABRequired {
		if err := useEAB(t, ca); err != nil {
			return &InfraError{Err: err}
		}
	}
	s.servers = append(s.servers, t)
	s.targets = append(s.targets, embeddedTarget(t.Name, profile, "server"))
	return nil
}

// embeddedTarget describes an embedded mock CA for reports. Its address
// changes from run to run, so the report names the profile instead: the
// reports of shards run in different processes then agree.
func embeddedTarget(name, profile, side string) reports.Target {
	return reports.Target{Name: name, Directory: "embedded mock CA, profile " + profile,
		Mode: "embedded", Side: side}
}

// external connects to an ACME server someone else runs, after checking
// that its directory answers, and starts the DNS server it resolves
// through; the server suite gets an http-01 responder, the client suite
// the clients, which answer http-01 themselves.
func external(ctx context.Context, cfg Config) (*stack, error) {
	roots, err := loadRoots(cfg.CACertFile)
	if err != nil {
		return nil, err
	}
	hc := httpClient(roots)
	if err := checkDirectory(ctx, hc, cfg.Directory); err != nil {
		return nil, err
	}
	s := &stack{}
	ok := false
	defer func() {
		if !ok {
			s.close()
		}
	}()
	dns, err := s.startDNS(cfg, cfg.DNSAddr)
	if err != nil {
		return nil, err
	}
	if cfg.runs(SuiteServer) {
		if err := s.externalServerTarget(cfg, roots, hc, dns); err != nil {
			return nil, err
		}
	}
	if cfg.runs(SuiteClients) {
		if err := s.externalClientTarget(ctx, cfg, dns); err != nil {
			return nil, err
		}
	}
	ok = true
	return s, nil
}

// externalServerTarget starts the http-01 responder the external server
// validates against and registers it for the server suite.
func (s *stack) externalServerTarget(cfg Config, roots *x509.CertPool, hc *http.Client,
	dns *dnsmock.Server) error {
	resp, err := s.startResponder(cfg.HTTP01Addr)
	if err != nil {
		return err
	}
	t := &suites.Target{
		Name: "external", DirectoryURL: cfg.Directory, Roots: roots, HTTPClient: hc,
		DNS: dnsControl{dns}, HTTP01: resp, Domain: cfg.Domain,
		ValidatedNames: cfg.ValidatedNames, PollTimeout: cfg.PollTimeout,
	}
	if cfg.EABKID != "" {
		t.EAB = &suites.EAB{KID: cfg.EABKID, HMACKey: cfg.EABHMAC}
	}
	// Specs answer only the challenge types the target can reach us by;
	// those needing another skip with the reason.
	if !cfg.reaches("http-01") {
		t.HTTP01 = nil
	}
	if !cfg.reaches("dns-01") {
		t.DNS = nil
	}
	s.servers = append(s.servers, t)
	s.targets = append(s.targets, reports.Target{
		Name: "external", Directory: cfg.Directory, Mode: "external", Side: "server",
	})
	return nil
}

// checkDirectory fails fast, naming the URL, when the directory does not
// answer with JSON within a few seconds.
func checkDirectory(ctx context.Context, hc *http.Client, dir string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, dir, nil)
	if err != nil {
		return &ConfigError{Err: fmt.Errorf("directory %s: %w", dir, err)}
	}
	res, err := hc.Do(req)
	if err != nil {
		var unknown x509.UnknownAuthorityError
		var hostname x509.HostnameError
		switch {
		case errors.As(err, &unknown):
			return &InfraError{Err: fmt.Errorf("directory %s: its HTTPS certificate is not trusted; "+
				"pass the server's TLS root with --ca-cert", dir)}
		case errors.As(err, &hostname):
			return &InfraError{Err: fmt.Errorf("directory %s: %w", dir, hostname)}
		}
		return &InfraError{Err: fmt.Errorf("directory %s unreachable: %w", dir, unwrapURL(err))}
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxDirectoryBytes+1))
	switch {
	case res.StatusCode != http.StatusOK:
		return &InfraError{Err: fmt.Errorf("directory %s answered HTTP %d", dir, res.StatusCode)}
	case err != nil:
		return &InfraError{Err: fmt.Errorf("directory %s: reading the body: %w", dir, err)}
	case len(body) > maxDirectoryBytes:
		return &InfraError{Err: fmt.Errorf("directory %s: body larger than %d bytes",
			dir, maxDirectoryBytes)}
	}
	// RFC 8555 §7.1.1: the directory is a JSON object. Anything else
	// leaves no resource to test.
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		return &InfraError{Err: fmt.Errorf("directory %s is not a JSON object", dir)}
	}
	return nil
}

func unwrapURL(err error) error {
	var op *net.OpError
	if errors.As(err, &op) {
		return op
	}
	return err
}

func loadRoots(file string) (*x509.CertPool, error) {
	if file == "" {
		return nil, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, &ConfigError{Err: fmt.Errorf("--ca-cert: %w", err)}
	}
	pool, err := poolFromPEM(b)
	if err != nil {
		return nil, &ConfigError{Err: fmt.Errorf("--ca-cert %s: %w", file, err)}
	}
	return pool, nil
}

func poolFromPEM(b []byte) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, errors.New("no PEM certificate found")
	}
	return pool, nil
}

// httpClient trusts roots (system roots when nil) and bounds every request.
func httpClient(roots *x509.CertPool) *http.Client {
	tr := &http.Transport{
		TLSClientConfig:       &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: requestTimeout,
		MaxIdleConnsPerHost:   16,
		Proxy:                 nil,
	}
	return &http.Client{Transport: tr, Timeout: requestTimeout}
}

func portOf(addr string) int {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return 0
	}
	var n int
	fmt.Sscanf(p, "%d", &n)
	return n
}
