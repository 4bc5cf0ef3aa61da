package dnsmock

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// ErrNotStarted is returned by calls that need a started server.
var ErrNotStarted = errors.New("dnsmock: server not started")

// Server is a mock authoritative DNS server with a management API.
type Server struct {
	cfg    Config
	log    *slog.Logger
	st     *store
	faults *faults
	hist   *history
	keys   keyring
	http01 *Responder

	updMu   sync.Mutex
	updates []UpdateEvent

	mu      sync.Mutex
	started bool
	closed  bool
	done    chan struct{}
	udp     *dns.Server
	tcp     *dns.Server
	api     *http.Server
	addr    string
	apiURL  string
}

// New checks cfg and returns a server that is not yet listening.
func New(cfg Config) (*Server, error) {
	cfg = cfg.withDefaults()
	st, err := newStore(cfg.Zones)
	if err != nil {
		return nil, fmt.Errorf("new dnsmock: zones: %w", err)
	}
	if st.defaultV4, err = parseOptionalAddr(cfg.DefaultIPv4, true); err != nil {
		return nil, fmt.Errorf("new dnsmock: DefaultIPv4 %q: %w", cfg.DefaultIPv4, err)
	}
	if st.defaultV6, err = parseOptionalAddr(cfg.DefaultIPv6, false); err != nil {
		return nil, fmt.Errorf("new dnsmock: DefaultIPv6 %q: %w", cfg.DefaultIPv6, err)
	}
	keys, err := newKeyring(cfg.TSIGKeys)
	if err != nil {
		return nil, fmt.Errorf("new dnsmock: %w", err)
	}
	if cfg.FailureRate < 0 || cfg.FailureRate > 1 {
		return nil, fmt.Errorf("new dnsmock: FailureRate %v outside [0, 1]", cfg.FailureRate)
	}
	s := &Server{
		cfg: cfg, log: cfg.Logger, st: st, keys: keys,
		faults: newFaults(cfg.FailureRate, cfg.Seed),
		hist:   &history{limit: cfg.HistoryLimit},
		done:   make(chan struct{}),
	}
	if cfg.HTTP01Addr != "" {
		s.http01, err = NewResponder(ResponderConfig{Addr: cfg.HTTP01Addr, Logger: cfg.Logger})
		if err != nil {
			return nil, fmt.Errorf("new dnsmock: %w", err)
		}
	}
	return s, nil
}

// Start binds UDP and TCP on one port, the management API and, when
// configured, the http-01 responder, and serves them in the background.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started || s.closed {
		return errors.New("dnsmock: already started (a closed server cannot restart)")
	}
	pc, ln, err := listenBoth(s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("start dnsmock: %w", err)
	}
	s.addr = pc.LocalAddr().String()
	if ap, err := netip.ParseAddrPort(s.addr); err == nil && !ap.Addr().IsUnspecified() {
		s.st.selfIP = ap.Addr().Unmap()
	}
	s.udp = s.dnsServer(func(srv *dns.Server) { srv.PacketConn = pc })
	s.tcp = s.dnsServer(func(srv *dns.Server) { srv.Listener = ln })
	if err := s.startAPI(); err != nil {
		pc.Close()
		ln.Close()
		return fmt.Errorf("start dnsmock: %w", err)
	}
	if s.http01 != nil {
		if err := s.http01.Start(); err != nil {
			return fmt.Errorf("start dnsmock: %w", err)
		}
	}
	s.started = true
	s.log.Info("dnsmock: listening", "dns", s.addr, "api", s.apiURL)
	return nil
}

func (s *Server) dnsServer(set func(*dns.Server)) *dns.Server {
	started := make(chan struct{})
	srv := &dns.Server{
		Handler:           s,
		MsgAcceptFunc:     acceptMsg,
		TsigProvider:      s.keys,
		NotifyStartedFunc: func() { close(started) },
		UDPSize:           dns.MaxMsgSize,
		ReadTimeout:       5 * time.Second,
	}
	set(srv)
	go func() {
		if err := srv.ActivateAndServe(); err != nil {
			s.log.Debug("dnsmock: DNS listener stopped", "err", err)
		}
	}()
	<-started // Shutdown before start would fail
	return srv
}

// acceptMsg lets UPDATE through (RFC 2136 messages carry many records),
// which miekg/dns's default filter rejects.
func acceptMsg(dh dns.Header) dns.MsgAcceptAction {
	const qrBit = 1 << 15
	if dh.Bits&qrBit != 0 {
		return dns.MsgIgnore
	}
	switch opcode := int(dh.Bits>>11) & 0xF; opcode {
	case dns.OpcodeQuery, dns.OpcodeUpdate:
		return dns.MsgAccept
	}
	return dns.MsgRejectNotImplemented
}

// listenBoth binds UDP first and then TCP on the same port, retrying with
// another port when a random port is taken for TCP.
func listenBoth(addr string) (net.PacketConn, net.Listener, error) {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, nil, fmt.Errorf("listen %q: %w", addr, err)
	}
	var lastErr error
	for range 10 {
		pc, err := net.ListenPacket("udp", addr)
		if err != nil {
			return nil, nil, fmt.Errorf("listen UDP: %w", err)
		}
		ln, err := net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			return pc, ln, nil
		}
		pc.Close()
		lastErr = err
		if port != "0" {
			break
		}
	}
	return nil, nil, fmt.Errorf("listen TCP: %w", lastErr)
}

// Close stops every listener. Delayed answers in flight are dropped.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.started {
		return nil
	}
	s.started, s.closed = false, true
	close(s.done)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	errs := []error{s.udp.ShutdownContext(ctx), s.tcp.ShutdownContext(ctx), s.api.Shutdown(ctx)}
	if s.http01 != nil {
		errs = append(errs, s.http01.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close dnsmock: %w", err)
	}
	return nil
}

// Addr returns host:port of the DNS listener ("" before Start).
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// APIURL returns the management API's base URL, http://127.0.0.1:PORT.
func (s *Server) APIURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.apiURL
}

// HTTP01 returns the http-01 responder, nil unless Config.HTTP01Addr is set.
func (s *Server) HTTP01() *Responder { return s.http01 }
