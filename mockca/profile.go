package mockca

import (
	"time"

	"acmeconform/acme"
)

// Profile is the CA's policy as plain data. Handlers read it instead of
// constants, so a policy layer changes behaviour by building a different
// Profile, never by editing handlers.
type Profile struct {
	// Name labels the profile in logs and reports, e.g. "default".
	Name string
	// ChallengeTypes offered for dns identifiers, in order (RFC 8555 §8).
	// Wildcard authorizations only ever offer dns-01 (RFC 8555 §7.1.3).
	ChallengeTypes []string
	// CertValidity is the lifetime of issued certificates when the order
	// profile does not set one.
	CertValidity time.Duration
	// OrderLifetime is how long a new order stays usable (order expires).
	OrderLifetime time.Duration
	// PendingAuthzLifetime is how long a pending authorization lives.
	PendingAuthzLifetime time.Duration
	// AuthzReuse is how long a valid authorization can be reused for new
	// orders of the same account (RFC 8555 §7.4, "authorizations may be
	// reused"); it is also the valid authorization's lifetime. Zero
	// disables reuse.
	AuthzReuse time.Duration
	// EABRequired makes newAccount demand an external account binding
	// (RFC 8555 §7.3.4) and sets meta.externalAccountRequired.
	EABRequired bool
	// CSRKeyTypes lists the public key types a CSR may carry: "rsa2048",
	// "rsa3072", "rsa4096", "p256", "p384", "p521", "ed25519".
	CSRKeyTypes []string
	// RejectCSREKU refuses CSRs that request extended key usages (badCSR).
	RejectCSREKU bool
	// DomainBlocklist refuses these names and all their subdomains with
	// rejectedIdentifier.
	DomainBlocklist []string
	// MaxNames bounds the identifiers of one order; zero means 100.
	MaxNames int
	// RevocationReasons lists the RFC 5280 reason codes subscribers may
	// give (RFC 8555 §7.6); others get badRevocationReason.
	RevocationReasons []int
	// TermsOfService is the meta.termsOfService URL; empty leaves it out.
	TermsOfService string
	// RequireTOSAgreement refuses newAccount without termsOfServiceAgreed
	// (RFC 8555 §7.3). Profile files default it to true when they name
	// terms of service.
	RequireTOSAgreement bool
	// Website is meta.website; empty leaves it out.
	Website string
	// CAAIdentities is meta.caaIdentities.
	CAAIdentities []string
	// OrderProfiles are the certificate profiles of the ACME profiles
	// extension, advertised in meta.profiles and chosen on newOrder.
	OrderProfiles map[string]OrderProfile
	// DefaultOrderProfile names the order profile used when newOrder names
	// none; empty means CertValidity applies and orders carry no profile.
	DefaultOrderProfile string
	// RetryAfter is the Retry-After value on processing orders and
	// authorizations (RFC 8555 §7.4, §8.2).
	RetryAfter time.Duration

	// The fields below are the policy layer's (policy.go reads profile
	// files into them). Their zero values leave the behaviour above as is.

	// Description says in one line what the profile models.
	Description string
	// CSRSignatureAlgorithms lists the CSR signature algorithms accepted,
	// by their RFC names ("sha256WithRSAEncryption", "ecdsa-with-SHA256");
	// empty accepts RSA and ECDSA with SHA-2, and Ed25519.
	CSRSignatureAlgorithms []string
	// ValidationScope is "account" (the default: an account reuses its own
	// authorizations when the reuse knob says so) or "customer" (every
	// account bound through one API credential shares the customer's
	// validations, always reused within AuthzReuse).
	ValidationScope string
	// SubdomainBypass lists the challenge types whose validation of a name
	// also covers every name below it and its wildcard; empty disables.
	SubdomainBypass []string
	// MACKeyLifetime is how long a MAC key of the credential store stays
	// usable after issue; zero means 30 days.
	MACKeyLifetime time.Duration
	// MACKeyMaxBindings bounds the accounts one MAC key may create; zero
	// means 1000.
	MACKeyMaxBindings int
	// CAARecheckAge makes finalize check CAA again for authorizations whose
	// CAA check is older than this; zero disables the recheck.
	CAARecheckAge time.Duration
	// Schedule replaces CertValidity and AuthzReuse from given dates on,
	// read against the CA clock; steps are in date order.
	Schedule []ScheduleStep
}

// OrderProfile is one certificate profile of the ACME profiles extension.
type OrderProfile struct {
	Description string
	// Validity of certificates issued under this profile; zero means the
	// Profile's CertValidity.
	Validity time.Duration
}

// DefaultProfile returns the CA's default policy: no EAB, http-01 and
// dns-01, 90-day certificates, RSA and ECDSA CSR keys.
func DefaultProfile() Profile {
	return Profile{
		Name:                 "default",
		ChallengeTypes:       []string{acme.ChallengeHTTP01, acme.ChallengeDNS01},
		CertValidity:         90 * 24 * time.Hour,
		OrderLifetime:        7 * 24 * time.Hour,
		PendingAuthzLifetime: 7 * 24 * time.Hour,
		AuthzReuse:           30 * 24 * time.Hour,
		CSRKeyTypes:          []string{"rsa2048", "rsa3072", "rsa4096", "p256", "p384"},
		MaxNames:             100,
		RevocationReasons:    []int{0, 1, 3, 4, 5, 9},
		TermsOfService:       "data:text/plain,mockca%20terms%20of%20service",
		RequireTOSAgreement:  true,
		CAAIdentities:        []string{"mockca.invalid"},
		OrderProfiles: map[string]OrderProfile{
			"default":    {Description: "90-day certificates", Validity: 90 * 24 * time.Hour},
			"shortlived": {Description: "6-day certificates", Validity: 6 * 24 * time.Hour},
		},
		DefaultOrderProfile: "default",
		RetryAfter:          time.Second,
	}
}

// maxNames returns the bound on identifiers per order.
func (p *Profile) maxNames() int {
	if p.MaxNames <= 0 {
		return 100
	}
	return p.MaxNames
}

// validity returns the certificate lifetime for an order profile name.
func (p *Profile) validity(orderProfile string) time.Duration {
	if op, ok := p.OrderProfiles[orderProfile]; ok && op.Validity > 0 {
		return op.Validity
	}
	return p.CertValidity
}

// offers reports whether the profile offers challenge type t.
func (p *Profile) offers(t string) bool {
	for _, c := range p.ChallengeTypes {
		if c == t {
			return true
		}
	}
	return false
}
