package mockca

import (
	"crypto/tls"
	"log/slog"
	"time"
)

// Config configures a Server. The zero value of every field is usable and
// its meaning is given in the field's comment.
type Config struct {
	// Addr is the ACME HTTPS listener; "" means "127.0.0.1:0".
	Addr string
	// ManagementAddr is the plain-HTTP management listener; "" means
	// "127.0.0.1:0". It must be a loopback address unless ManagementToken
	// is set.
	ManagementAddr string
	// ManagementToken, when set, is the bearer token every management
	// request must carry ("Authorization: Bearer TOKEN"); others get 401.
	// "" leaves the API open, which Start allows on loopback only.
	ManagementToken string
	// DNSServer is the host:port the CA resolves names with for validation
	// (and CAA). "" makes every DNS-based check fail with a dns problem.
	DNSServer string
	// HTTP01Port is the port http-01 validation connects to; 0 means 80.
	HTTP01Port int
	// TLSALPN01Port is the port tls-alpn-01 validation connects to; 0
	// means 443.
	TLSALPN01Port int
	// Seed drives every random decision of the knobs (nonce rejection,
	// authorization reuse). Secrets (tokens, serials, nonces, keys) come
	// from crypto/rand regardless.
	Seed int64
	// Logger receives the CA's logs; nil discards them.
	Logger *slog.Logger
	// Clock is the CA's time source; nil means an OffsetClock on the real
	// clock, which the management API can set and advance.
	Clock Clock
	// Profile is the CA's policy; nil means DefaultProfile().
	Profile *Profile
	// Knobs are the initial behaviour knobs; the management API changes
	// them at run time.
	Knobs Knobs
	// EABKeys looks up the MAC key of an external account binding key id
	// (RFC 8555 §7.3.4); nil rejects every binding.
	EABKeys EABKeyLookup
	// AlternateRoots is the number of extra roots that cross-sign the
	// intermediate, offered as alternate chains (RFC 8555 §7.4.2).
	AlternateRoots int
	// ExternalURL, when set, is the base of the directory and every
	// resource URL (e.g. "https://ca.test:14000" for clients in containers);
	// "" means https:// plus the bound address (127.0.0.1 for a wildcard).
	ExternalURL string
	// TLSHosts are extra names or IP addresses for the generated TLS leaf,
	// beyond 127.0.0.1, ::1 and localhost.
	TLSHosts []string
	// TLSCertificate, when set, serves the ACME API instead of the
	// generated TLS leaf; TLSRootPEM then returns TLSCertificateRootPEM.
	TLSCertificate *tls.Certificate
	// TLSCertificateRootPEM is the trust anchor for TLSCertificate.
	TLSCertificateRootPEM []byte
	// MaxBodyBytes bounds the body of an ACME request; 0 means 64 KiB.
	// Larger bodies are refused with malformed and status 413.
	MaxBodyBytes int64
	// Retention is how long finished orders, their authorizations and
	// challenges are kept after they stop changing, and certificates after
	// they expire; 0 means 24 hours. Accounts are kept for the server's
	// lifetime. The sweep runs on newOrder, at most ten times per
	// retention period.
	Retention time.Duration
	// MaxNonces bounds the outstanding nonces; the oldest are forgotten
	// first (they then get badNonce). 0 means 100000.
	MaxNonces int
	// OrdersPerPage is the page size of the orders list; 0 means 10.
	OrdersPerPage int
	// ValidationTimeout bounds one challenge validation; 0 means 10 s.
	ValidationTimeout time.Duration
	// Misbehave switches deliberate defects on for every request (see
	// Misbehaviours); nil is the well-behaved CA. Unknown names make New
	// fail.
	Misbehave []Misbehaviour
	// Quirks switches legal but unusual behaviour on for every request
	// (see Quirks), to test clients' robustness; nil means none.
	Quirks []Quirk
}

// withDefaults returns cfg with zero fields replaced by their defaults.
func (cfg Config) withDefaults() Config {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.ManagementAddr == "" {
		cfg.ManagementAddr = "127.0.0.1:0"
	}
	if cfg.HTTP01Port == 0 {
		cfg.HTTP01Port = 80
	}
	if cfg.TLSALPN01Port == 0 {
		cfg.TLSALPN01Port = 443
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = &OffsetClock{}
	}
	if cfg.Profile == nil {
		p := DefaultProfile()
		cfg.Profile = &p
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 64 << 10
	}
	if cfg.Retention <= 0 {
		cfg.Retention = 24 * time.Hour
	}
	if cfg.MaxNonces <= 0 {
		cfg.MaxNonces = 100000
	}
	if cfg.OrdersPerPage <= 0 {
		cfg.OrdersPerPage = 10
	}
	if cfg.ValidationTimeout <= 0 {
		cfg.ValidationTimeout = 10 * time.Second
	}
	return cfg
}
