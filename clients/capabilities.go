package clients

import (
	"fmt"
	"slices"
	"strings"
)

// DNSMethod is how a client publishes dns-01 records.
type DNSMethod string

// DNS publication methods.
const (
	DNSNone    DNSMethod = ""
	DNSHook    DNSMethod = "hook"    // a script the harness supplies
	DNSRFC2136 DNSMethod = "rfc2136" // dynamic updates (RFC 2136) with TSIG
)

// Capabilities is what a client can do. Scenarios state their needs as a
// Need; Capabilities.Check says whether the client meets them and, if
// not, why, so the spec is skipped with that reason.
type Capabilities struct {
	EAB bool
	// MultiName is true when the client orders several names in one
	// certificate (RFC 8555 §7.4: one order, several identifiers). A
	// client that manages one certificate per name, as Caddy does, orders
	// one name at a time.
	MultiName bool
	// HTTP01 is true when the client can answer http-01 on a given port,
	// with its own server or with a webroot the driver serves.
	HTTP01 bool
	// DNS01 lists the ways the client can publish dns-01 records.
	DNS01 []DNSMethod
	// Wildcard is true when the client can order "*.name".
	Wildcard bool
	// ARI is true when the client asks for renewal info (RFC 9773).
	ARI bool
	// Profiles is true when the client can select a certificate profile.
	Profiles bool
	// Revoke is true when the client can revoke (RFC 8555 §7.6).
	Revoke bool
	// CSR is true when the client can finalize with a CSR it is given.
	CSR bool
	// Keys lists the certificate key types the client can generate.
	Keys []KeyType
	// PreferredChain is true when the client can pick, among the chains
	// the CA offers (RFC 8555 §7.4.2), the one under a root it names by
	// common name.
	PreferredChain bool
}

// Need is what a scenario requires of a client.
type Need struct {
	EAB bool
	// MultiName: several names in one certificate.
	MultiName bool
	Challenge Challenge
	// DNS is the dns-01 publication method needed; empty accepts any.
	DNS      DNSMethod
	Wildcard bool
	ARI      bool
	Profiles bool
	Revoke   bool
	CSR      bool
	Key      KeyType
	// PreferredChain: the client picks an alternate chain by root name.
	PreferredChain bool
}

// Check returns nil when the capabilities cover need, otherwise an error
// that names the first missing capability and wraps ErrUnsupported.
func (c Capabilities) Check(need Need) error {
	missing := func(what string) error { return fmt.Errorf("%s: %w", what, ErrUnsupported) }
	switch {
	case need.EAB && !c.EAB:
		return missing("external account binding")
	case need.MultiName && !c.MultiName:
		return missing("several names in one certificate")
	case need.Challenge == ChallengeHTTP01 && !c.HTTP01:
		return missing("http-01")
	case need.Challenge == ChallengeDNS01 && len(c.DNS01) == 0:
		return missing("dns-01")
	case need.DNS != DNSNone && !slices.Contains(c.DNS01, need.DNS):
		return missing("dns-01 through " + string(need.DNS))
	case need.Wildcard && !c.Wildcard:
		return missing("wildcard names")
	case need.ARI && !c.ARI:
		return missing("renewal information (ARI)")
	case need.Profiles && !c.Profiles:
		return missing("certificate profiles")
	case need.Revoke && !c.Revoke:
		return missing("revocation")
	case need.CSR && !c.CSR:
		return missing("finalizing with a given CSR")
	case need.Key != "" && !slices.Contains(c.Keys, need.Key):
		return missing("key type " + string(need.Key))
	case need.PreferredChain && !c.PreferredChain:
		return missing("choosing among alternate chains by root name")
	}
	return nil
}

// Need returns what carrying out the request requires of a client;
// drivers check it against their Capabilities before building a command.
func (r Request) Need() Need {
	n := Need{EAB: r.EAB != nil, Challenge: r.Challenge, DNS: r.DNS, CSR: len(r.CSR) > 0,
		Key: r.Key, Profiles: r.Profile != "", ARI: r.ARI, PreferredChain: r.PreferredChain != "",
		MultiName: len(r.Domains) > 1}
	for _, d := range r.Domains {
		if strings.HasPrefix(d, "*.") {
			n.Wildcard = true
		}
	}
	return n
}
