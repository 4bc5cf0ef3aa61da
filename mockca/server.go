package mockca

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is a running mock CA: the ACME HTTPS API and the management API.
type Server struct {
	cfg     Config
	log     *slog.Logger
	clock   Clock
	profile *Profile
	dice    *dice
	store   *store
	nonces  *nonces
	eab     EABKeyLookup
	policy  *policyState // credentials and customers' validations
	mis     *misbehaviours

	httpClient *http.Client // http-01 validation
	dnsConns   dnsConns     // UDP sockets to the DNS server, kept between queries

	pkiMu sync.RWMutex
	pki   *hierarchy

	tlsCert    tls.Certificate
	tlsRootPEM []byte

	base     string // https://127.0.0.1:PORT
	mgmtBase string
	acmeSrv  *http.Server
	mgmtSrv  *http.Server

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New builds a Server from cfg: it generates the TLS certificate and the
// issuing hierarchy but binds nothing until Start.
func New(cfg Config) (*Server, error) {
	cfg = cfg.withDefaults()
	mis, err := newMisbehaviours(cfg.Misbehave, cfg.Quirks)
	if err != nil {
		return nil, fmt.Errorf("new mockca: %w", err)
	}
	s := &Server{
		mis:     mis,
		cfg:     cfg,
		log:     cfg.Logger,
		clock:   cfg.Clock,
		profile: cfg.Profile,
		dice:    newDice(cfg.Seed, cfg.Knobs),
		store:   newStore(),
		nonces:  newNonces(cfg.MaxNonces),
		policy:  newPolicyState(),
	}
	s.eab = s.eabLookup(cfg.EABKeys)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.httpClient = s.httpValidator()
	// One alternate root at least, for the alternate chains quirk.
	h, err := newHierarchy(s.clock.Now(), max(cfg.AlternateRoots, 1))
	if err != nil {
		return nil, fmt.Errorf("new mockca: %w", err)
	}
	s.pki = h
	if cfg.TLSCertificate != nil {
		s.tlsCert, s.tlsRootPEM = *cfg.TLSCertificate, cfg.TLSCertificateRootPEM
		return s, nil
	}
	s.tlsCert, s.tlsRootPEM, err = newTLSCert(time.Now(), cfg.TLSHosts...)
	if err != nil {
		return nil, fmt.Errorf("new mockca: TLS certificate: %w", err)
	}
	return s, nil
}

// Start binds the ACME and management listeners and serves both in the
// background.
func (s *Server) Start() error {
	if err := s.checkManagementAddr(); err != nil {
		return fmt.Errorf("start mockca: management listener: %w", err)
	}
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("start mockca: listen %s: %w", s.cfg.Addr, err)
	}
	mln, err := net.Listen("tcp", s.cfg.ManagementAddr)
	if err != nil {
		ln.Close()
		return fmt.Errorf("start mockca: listen %s: %w", s.cfg.ManagementAddr, err)
	}
	s.base = baseURL(s.cfg.ExternalURL, ln.Addr().(*net.TCPAddr))
	s.mgmtBase = "http://" + mln.Addr().String()
	s.acmeSrv = &http.Server{
		Handler:           s.routes(),
		ReadHeaderTimeout: 10 * time.Second,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{s.tlsCert}},
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	s.mgmtSrv = &http.Server{Handler: s.managementRoutes(), ReadHeaderTimeout: 10 * time.Second}
	s.serve(func() error { return s.acmeSrv.ServeTLS(ln, "", "") })
	s.serve(func() error { return s.mgmtSrv.Serve(mln) })
	s.log.Info("mockca started", "directory", s.DirectoryURL(),
		"management", s.mgmtBase, "seed", s.cfg.Seed)
	return nil
}

func (s *Server) serve(run func() error) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := run(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("mockca listener stopped", "err", err)
		}
	}()
}

// Close stops both listeners and waits for background work to end.
func (s *Server) Close() error {
	s.cancel()
	var errs []error
	if s.acmeSrv != nil {
		errs = append(errs, s.acmeSrv.Close())
	}
	if s.mgmtSrv != nil {
		errs = append(errs, s.mgmtSrv.Close())
	}
	s.wg.Wait()
	s.dnsConns.close()
	return errors.Join(errs...)
}

// DirectoryURL returns the ACME directory URL, valid after Start.
func (s *Server) DirectoryURL() string { return s.base + pathDirectory }

// ManagementURL returns the management API base URL, valid after Start.
func (s *Server) ManagementURL() string { return s.mgmtBase }

// TLSRootPEM returns the trust anchor of the ACME API's HTTPS certificate.
func (s *Server) TLSRootPEM() []byte { return append([]byte(nil), s.tlsRootPEM...) }

// IssuerRootsPEM returns the roots issued certificates chain to, default
// chain first, then the alternates: the configured ones, or the one the
// alternate chains quirk offers.
func (s *Server) IssuerRootsPEM() []byte {
	s.pkiMu.RLock()
	defer s.pkiMu.RUnlock()
	var out []byte
	for _, c := range s.pki.chains {
		out = append(out, pemCert(c.root.der)...)
	}
	return out
}

// Clock returns the CA's clock.
func (s *Server) Clock() Clock { return s.clock }

// Profile returns a copy of the policy profile the CA runs with.
func (s *Server) Profile() Profile { return *s.profile }

// Knobs returns the current behaviour knobs.
func (s *Server) Knobs() Knobs { return s.dice.get() }

// SetKnobs replaces the behaviour knobs.
func (s *Server) SetKnobs(k Knobs) { s.dice.set(k) }

// Reset drops every account, order, authorization, certificate and nonce
// and reseeds the random source, keeping keys, roots and knobs.
func (s *Server) Reset() {
	s.store.reset()
	s.resetValidations()
	s.nonces.reset()
	s.dice.mu.Lock()
	s.dice.reseed()
	s.dice.mu.Unlock()
}

// requireLoopback refuses a listen address that is not on loopback.
func requireLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("address %q is not loopback", addr)
	}
	return nil
}

// baseURL is the prefix of every resource URL: the configured external URL,
// or https://ADDR with a wildcard listen address shown as 127.0.0.1.
func baseURL(external string, addr *net.TCPAddr) string {
	if external != "" {
		return strings.TrimSuffix(external, "/")
	}
	ip := addr.IP
	if ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return "https://" + net.JoinHostPort(ip.String(), strconv.Itoa(addr.Port))
}
