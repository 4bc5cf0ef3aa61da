package dnsmock

import (
	"log/slog"
	"net/netip"
	"time"
)

// Config configures a Server. The zero value serves on a random loopback
// port with no default addresses, no TSIG keys and no faults.
type Config struct {
	// Addr is the DNS listen address, shared by UDP and TCP.
	// "" means 127.0.0.1:0 (a free port picked at start).
	Addr string
	// APIAddr is the management HTTP API listen address. "" means 127.0.0.1:0.
	// Start refuses an address off loopback unless APIToken is set or
	// UnprotectedAPI opts out.
	APIAddr string
	// APIToken, when set, is the bearer token every API request must carry
	// ("Authorization: Bearer TOKEN"); others get 401. "" leaves it open.
	APIToken string
	// UnprotectedAPI allows an API without token off loopback, for a
	// private network that only trusted peers reach (a test's own Docker
	// network).
	UnprotectedAPI bool
	// HTTP01Addr, when set, starts an http-01 responder on that address
	// (tokens managed with /add-http01 and /del-http01). "" starts none.
	HTTP01Addr string
	// DefaultIPv4 answers A questions for names with no A and no CNAME
	// record. "" means no default.
	DefaultIPv4 string
	// DefaultIPv6 answers AAAA questions likewise. "" means no default.
	DefaultIPv6 string
	// Zones lists zone apexes. Names outside all of them fall into implicit
	// zones (see the package documentation). nil means implicit zones only.
	Zones []string
	// TTL is the TTL of records added without one. 0 serves them with TTL 0,
	// so resolvers do not cache them.
	TTL uint32
	// TSIGKeys maps a key name (fully qualified, trailing dot optional) to
	// its base64 secret. Keys sign dynamic updates (RFC 8945). A secret
	// written "hmac-sha256:BASE64" accepts only that algorithm; a bare one
	// accepts hmac-sha1, -sha224, -sha256, -sha384 and -sha512.
	TSIGKeys map[string]string
	// AllowUnsignedUpdates accepts RFC 2136 updates without TSIG. false
	// refuses them with REFUSED.
	AllowUnsignedUpdates bool
	// FailureRate is the share of queries (0 to 1) answered with SERVFAIL at
	// random, drawn from a generator seeded with Seed. 0 disables it.
	FailureRate float64
	// Seed seeds every random choice of the server, so a run can be replayed.
	Seed int64
	// HistoryLimit bounds the query history and the update log; when full,
	// the oldest tenth is dropped. 0 means 10000.
	HistoryLimit int
	// Now is the clock for history timestamps. nil means time.Now.
	Now func() time.Time
	// OnQuery, when set, is called after every answered query.
	OnQuery func(QueryEvent)
	// OnUpdate, when set, is called after every dynamic update request.
	OnUpdate func(UpdateEvent)
	// Logger receives debug and error records. nil discards them.
	Logger *slog.Logger
}

const (
	defaultHistoryLimit = 10000
	maxCNAMEChain       = 8
	ednsBufferSize      = 1232 // RFC 9715 / DNS flag day 2020 advice
	apexNSLabel         = "ns1"
)

func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:0"
	}
	if c.APIAddr == "" {
		c.APIAddr = "127.0.0.1:0"
	}
	if c.HistoryLimit <= 0 {
		c.HistoryLimit = defaultHistoryLimit
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

func parseOptionalAddr(s string, want4 bool) (netip.Addr, error) {
	if s == "" {
		return netip.Addr{}, nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, err
	}
	if want4 != a.Unmap().Is4() {
		return netip.Addr{}, errWrongFamily
	}
	return a.Unmap(), nil
}
