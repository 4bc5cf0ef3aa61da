// Package suites holds what every spec suite shares: the description of the
// target under test and the controls the harness uses while it plays the
// client (DNS records, the http-01 responder, EAB credentials).
package suites

import (
	"context"
	"crypto/x509"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// DNSControl publishes records that the CA under test resolves. dnsmock's
// Go API and its HTTP management client both satisfy it.
type DNSControl interface {
	// AddTXT adds value to the TXT record set at fqdn (values accumulate).
	AddTXT(ctx context.Context, fqdn, value string) error
	// ClearTXT removes every TXT value at fqdn.
	ClearTXT(ctx context.Context, fqdn string) error
}

// HTTP01Control serves key authorizations at
// /.well-known/acme-challenge/TOKEN (RFC 8555 §8.3) on the port the CA under
// test validates.
type HTTP01Control interface {
	AddToken(ctx context.Context, token, keyAuth string) error
	RemoveToken(ctx context.Context, token string) error
}

// EAB holds external account binding credentials (RFC 8555 §7.3.4).
type EAB struct {
	KID     string
	HMACKey string // base64url, padded or not
}

// Target is the ACME server a suite runs against and everything the harness
// needs to act as its client.
type Target struct {
	// Name labels the target in reports, e.g. "mockca/atlas" or "pebble".
	Name string
	// DirectoryURL is the ACME directory (RFC 8555 §7.1.1).
	DirectoryURL string
	// Roots trusts the server's HTTPS certificate; nil means system roots.
	Roots *x509.CertPool
	// HTTPClient is used for every request to the target; it trusts Roots
	// and bounds every request in time.
	HTTPClient *http.Client
	// DNS publishes dns-01 records; nil when the target cannot reach our DNS.
	DNS DNSControl
	// HTTP01 serves http-01 tokens; nil when the target cannot reach us.
	HTTP01 HTTP01Control
	// ValidatedNames are names the target has validated already for the
	// accounts the specs create (through EAB, the same customer), so an
	// order for them is ready without a challenge (RFC 8555 §7.1.4,
	// §7.5). Issuing specs use them when no challenge type reaches us.
	ValidatedNames []string
	// EAB, when set, is used for accounts the specs create.
	EAB *EAB
	// MintEAB, when set, returns fresh EAB credentials (for policy specs
	// that use up a key).
	MintEAB func(ctx context.Context) (*EAB, error)
	// Domain is the zone under which specs make unique names; every name
	// in it must resolve to the harness's responders.
	Domain string
	// ManagementURL is the mock CA's management API, empty for other servers.
	ManagementURL string
	// IssuerRoots verifies issued chains; nil when unknown.
	IssuerRoots *x509.CertPool
	// PollTimeout bounds each wait for an authorization or an order to
	// change state; 0 uses the flow's default (30 s). An order still
	// processing when it runs out fails the finalize requirement.
	PollTimeout time.Duration

	seq, validatedSeq atomic.Int64
}

// NewName returns a fresh DNS name under Domain, unique within the run, so
// specs never share authorizations by accident.
func (t *Target) NewName(prefix string) string {
	return fmt.Sprintf("%s-%d.%s", prefix, t.seq.Add(1), t.Domain)
}

// ValidatedName returns the next of ValidatedNames in turn, so the specs
// spread their orders over them; "" when there are none.
func (t *Target) ValidatedName() string {
	if len(t.ValidatedNames) == 0 {
		return ""
	}
	i := t.validatedSeq.Add(1) - 1
	return t.ValidatedNames[i%int64(len(t.ValidatedNames))]
}

// IsValidated reports whether name (a wildcard in its "*." form) is one of
// ValidatedNames, compared without regard to case.
func (t *Target) IsValidated(name string) bool {
	for _, v := range t.ValidatedNames {
		if strings.EqualFold(v, name) {
			return true
		}
	}
	return false
}
