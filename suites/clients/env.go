// Package clients holds the client suite: Ginkgo specs that drive real ACME
// clients through the drivers of package acmeconform/clients against an
// ACME server, one scenario per spec, for every client.
package clients

import (
	"context"
	"crypto/x509"
	"fmt"
	"sync/atomic"
	"time"

	drivers "acmeconform/clients"
)

// Env is everything the client suite needs. Define takes a pointer to it
// while the spec tree is built; the caller fills the fields in before the
// specs run (for example in a BeforeSuite).
type Env struct {
	// Target names the ACME server in reports, e.g. "mockca/atlas".
	Target string
	// DirectoryURL is the ACME directory the clients use.
	DirectoryURL string
	// CACertFile is a PEM file trusting the server's HTTPS certificate.
	CACertFile string
	// IssuerRootsPEM holds the roots that issued certificates chain to.
	IssuerRootsPEM []byte
	// DNSAddr is the host:port of the DNS server the CA resolves through.
	DNSAddr string
	// DNSAPIURL is the base URL of that DNS server's management API.
	DNSAPIURL string
	// HTTP01Port is the port the CA fetches http-01 tokens from.
	HTTP01Port int
	// TSIG is a key the DNS server accepts dynamic updates with (RFC
	// 2136); nil skips the scenarios that need it.
	TSIG *drivers.TSIG
	// Domain is the zone under which specs make fresh names; every name
	// in it resolves to 127.0.0.1 (or wherever the clients listen).
	Domain string
	// Challenges lists the challenge types by which the CA reaches the
	// clients: nil means every type, an empty non-nil list none.
	Challenges []drivers.Challenge
	// ValidatedNames are names the CA has validated already for the
	// accounts the clients create (a CA that keeps validations for the
	// customer an EAB key stands for). A scenario whose challenge type does
	// not reach the clients orders these instead of fresh names; one that
	// needs names of its own is then skipped.
	ValidatedNames []string
	// WorkDir holds one state directory per client and scenario.
	WorkDir string
	// Drivers are the clients to run; a client of drivers.Names() that is
	// not here is skipped.
	Drivers []drivers.Driver

	// MintEAB returns fresh EAB credentials; nil when the CA needs none.
	MintEAB func(ctx context.Context) (*drivers.EAB, error)
	// EABShared says MintEAB returns the same credentials every time (a
	// run given one EAB key for a server it does not control); the
	// scenario that needs a fresh key is skipped.
	EABShared bool
	// SpoiledEAB returns credentials the CA refuses (expired, used up or
	// replaced) and how it refuses them; nil skips the scenario.
	SpoiledEAB func(ctx context.Context) (*drivers.EAB, Refusal, error)
	// EKURefusal is how the CA refuses a CSR that requests extended key
	// usages; nil when the CA accepts such CSRs.
	EKURefusal *Refusal
	// DNSQueries counts the queries the DNS server answered for name
	// (FQDN) and qtype ("TXT", "A"); nil skips the checks that need it.
	DNSQueries func(ctx context.Context, name, qtype string) (int, error)
	// Revoked reports whether the CA holds cert as revoked; nil trusts the
	// client's exit status alone.
	Revoked func(ctx context.Context, cert *x509.Certificate) (bool, error)
	// SetRenewalWindow makes the CA suggest [start, end] as the renewal
	// window of cert (RFC 9773 §4.2); nil skips the ARI scenarios.
	SetRenewalWindow func(ctx context.Context, cert *x509.Certificate, start, end time.Time) error
	// ShortProfile is a certificate profile the CA offers whose
	// certificates are shorter-lived than its default; nil skips the
	// profile scenario.
	ShortProfile *Profile
	// SetQuirks switches the named CA quirks on for every request, and
	// all of them off when names is empty: legal but unusual behaviour
	// (see RobustScenarios). Nil skips the robustness scenarios.
	SetQuirks func(ctx context.Context, names []string) error
	// Features lists CA behaviours beyond the RFC 8555 core.
	Features Features

	seq atomic.Int64
}

// Features are CA behaviours some scenarios need.
type Features struct {
	// AuthzReuse: the CA reuses a valid authorization of the same account
	// for a new order (RFC 8555 §7.1.4 leaves this to the server).
	AuthzReuse bool
	// ParentDNSReuse: a dns-01 validation of a name covers its
	// subdomains (the atlas policy).
	ParentDNSReuse bool
}

// Profile is a certificate profile of the ACME profiles extension.
type Profile struct {
	// Name is the profile's name in the directory's meta.profiles.
	Name string
	// MaxValidity bounds the lifetime of the profile's certificates.
	MaxValidity time.Duration
}

// Refusal is how the CA under test refuses a request (RFC 8555 §6.7): the
// problem type and a fragment of the detail it sends, which a client
// must let its user see.
type Refusal struct {
	// Type is the problem type URN.
	Type string
	// Detail is a fragment of the problem detail, matched without regard
	// to case.
	Detail string
}

func (e *Env) driver(name string) drivers.Driver {
	for _, d := range e.Drivers {
		if d.Name() == name {
			return d
		}
	}
	return nil
}

// name returns a fresh DNS name under Domain.
func (e *Env) name(prefix string) string {
	return fmt.Sprintf("%s-%d.%s", prefix, e.seq.Add(1), e.Domain)
}

// check reports the first field a run cannot do without.
func (e *Env) check() error {
	switch {
	case e.DirectoryURL == "":
		return fmt.Errorf("client suite: DirectoryURL is empty")
	case e.Domain == "":
		return fmt.Errorf("client suite: Domain is empty")
	case e.WorkDir == "":
		return fmt.Errorf("client suite: WorkDir is empty")
	case e.HTTP01Port == 0:
		return fmt.Errorf("client suite: HTTP01Port is zero")
	}
	return nil
}
