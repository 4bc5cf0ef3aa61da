package clients

import (
	"context"
	"errors"
	"log/slog"
)

// Challenge is an ACME challenge type (RFC 8555 §8).
type Challenge string

// Challenge types a driver may solve.
const (
	ChallengeHTTP01 Challenge = "http-01"
	ChallengeDNS01  Challenge = "dns-01"
)

// KeyType is the type of the certificate key a client generates.
type KeyType string

// Key types the scenarios request.
const (
	KeyECDSAP256 KeyType = "ecdsa-p256"
	KeyECDSAP384 KeyType = "ecdsa-p384"
	KeyRSA2048   KeyType = "rsa-2048"
	KeyRSA3072   KeyType = "rsa-3072"
)

// Config is what every driver's New takes.
type Config struct {
	// Binary is the client executable as the Runner sees it.
	Binary string
	// Runner executes the client; nil means a ProcessRunner with defaults.
	Runner Runner
	// Logger receives driver debug lines; nil discards.
	Logger *slog.Logger
}

// Normalize fills the zero fields of a Config with their defaults.
func (c Config) Normalize() Config {
	if c.Runner == nil {
		c.Runner = NewProcess(ProcessConfig{Logger: c.Logger})
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Target describes the ACME server and the harness services a client
// talks to during one operation.
type Target struct {
	// DirectoryURL is the ACME directory (RFC 8555 §7.1.1).
	DirectoryURL string
	// CACertFile is a PEM file trusting the server's HTTPS certificate.
	CACertFile string
	// DNSAddr is the host:port of the DNS server the CA resolves through;
	// clients check dns-01 propagation there.
	DNSAddr string
	// DNSAPIURL is the base URL of that server's management API, which
	// takes POST /set-txt {"host","value"} and /clear-txt {"host"}.
	DNSAPIURL string
	// HTTP01Port is the port the CA fetches http-01 tokens from; the
	// client serves them there on 127.0.0.1.
	HTTP01Port int
	// TSIG signs dynamic updates (RFC 2136, RFC 8945) sent to DNSAddr;
	// nil when the DNS server takes none.
	TSIG *TSIG
}

// TSIG is a key that signs DNS messages (RFC 8945).
type TSIG struct {
	// Name is the key name, e.g. "acme-update." (trailing dot optional).
	Name string
	// Algorithm is the HMAC algorithm without a trailing dot, e.g.
	// "hmac-sha256".
	Algorithm string
	// Secret is the key, standard base64.
	Secret string
}

// Request is one operation a scenario asks of a client.
type Request struct {
	Target Target
	// Dir is the client's state directory for the scenario; it persists
	// between the operations of one scenario (register, obtain, renew).
	Dir string
	// Email is the account contact; empty registers without one.
	Email string
	// Domains are the names to certify; the first is the certificate's
	// primary name.
	Domains []string
	// Challenge selects the validation method.
	Challenge Challenge
	// DNS selects how dns-01 records are published; empty means DNSHook.
	DNS DNSMethod
	// Key is the certificate key type; empty means the client's default.
	Key KeyType
	// EAB binds a new account to an external account (RFC 8555 §7.3.4).
	EAB *EAB
	// CSR, when set, is a PEM CSR to finalize with instead of one the
	// client generates.
	CSR []byte
	// Reason is the revocation reason code (RFC 5280 §5.3.1).
	Reason int
	// Profile names the certificate profile to order (the ACME profiles
	// extension); empty leaves the choice to the CA.
	Profile string
	// ARI makes Renew follow the CA's renewal information (RFC 9773):
	// renew when the suggested window has opened, otherwise keep the
	// certificate. Without it Renew renews unconditionally.
	ARI bool
	// PreferredChain asks for the chain whose topmost certificate was
	// issued by the root of this common name, among the chains the CA
	// offers (RFC 8555 §7.4.2); empty takes the CA's default chain.
	PreferredChain string
	// Scenario names the client-suite scenario the request belongs to
	// (see Scenarios); drivers with a command per scenario read it.
	Scenario string
}

// EAB holds external account binding credentials (RFC 8555 §7.3.4).
type EAB struct {
	KID string
	// HMACKey is the MAC key, base64url with or without padding.
	HMACKey string
}

// Outcome is what a client operation produced.
type Outcome struct {
	// Argv is the command line that ran, for the report.
	Argv []string
	// ExitCode is the client's exit status.
	ExitCode int
	// Output is the client's combined stdout and stderr.
	Output string
	// Chain is the PEM certificate chain the client stored, leaf first;
	// empty when the operation stores none or failed.
	Chain []byte
	// Key is the PEM private key of the certificate, when stored.
	Key []byte
	// Account is the account URL the client recorded, when it keeps one.
	Account string
}

// OK reports whether the client exited with status zero.
func (o Outcome) OK() bool { return o.ExitCode == 0 }

// Driver runs one real ACME client. Every operation returns an error only
// when the client could not be run at all; a client that ran and failed
// returns its Outcome with a non-zero ExitCode.
type Driver interface {
	// Name is the client's short name, as in the "client:NAME" label.
	Name() string
	// Version runs the client to learn its version; an error means the
	// client is not usable here, and says why.
	Version(ctx context.Context) (string, error)
	// Capabilities lists what the client can do.
	Capabilities() Capabilities
	// Mode names the execution backend.
	Mode() Mode
	// Register creates an account (RFC 8555 §7.3).
	Register(ctx context.Context, req Request) (Outcome, error)
	// Obtain orders, validates, finalizes and downloads (RFC 8555 §7.4).
	Obtain(ctx context.Context, req Request) (Outcome, error)
	// Renew obtains a new certificate for an existing one.
	Renew(ctx context.Context, req Request) (Outcome, error)
	// Revoke revokes the certificate obtained for req.Domains (§7.6).
	Revoke(ctx context.Context, req Request) (Outcome, error)
}

// ErrUnsupported is wrapped by errors of operations a driver cannot do.
var ErrUnsupported = errors.New("not supported by this client")

// Names lists the clients that have a driver, in the order suites run
// them.
func Names() []string {
	return []string{"lego", "certbot", "dehydrated", "uacme", "caddy"}
}
