package acme

import "time"

// Status is the status field of an account, order, authorization or
// challenge (RFC 8555 §7.1.6).
type Status string

// Status values used across the resource state machines (RFC 8555 §7.1.6).
const (
	StatusPending     Status = "pending"
	StatusReady       Status = "ready"
	StatusProcessing  Status = "processing"
	StatusValid       Status = "valid"
	StatusInvalid     Status = "invalid"
	StatusDeactivated Status = "deactivated"
	StatusExpired     Status = "expired"
	StatusRevoked     Status = "revoked"
)

// Identifier types (RFC 8555 §9.7.7, RFC 8738).
const (
	IdentifierDNS = "dns"
	IdentifierIP  = "ip"
)

// Challenge types (RFC 8555 §8.3, §8.4; RFC 8737).
const (
	ChallengeHTTP01    = "http-01"
	ChallengeDNS01     = "dns-01"
	ChallengeTLSALPN01 = "tls-alpn-01"
)

// Media types used on the wire (RFC 8555 §6.2, §6.7, §7.4.2).
const (
	MediaJOSE      = "application/jose+json"
	MediaProblem   = "application/problem+json"
	MediaJSON      = "application/json"
	MediaPEMChain  = "application/pem-certificate-chain"
	HeaderNonce    = "Replay-Nonce"
	HeaderLocation = "Location"
)

// Identifier names the subject of an order or authorization (RFC 8555 §7.1.3).
type Identifier struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// Directory is the directory object (RFC 8555 §7.1.1).
type Directory struct {
	NewNonce    string         `json:"newNonce"`
	NewAccount  string         `json:"newAccount"`
	NewOrder    string         `json:"newOrder"`
	NewAuthz    string         `json:"newAuthz,omitempty"`
	RevokeCert  string         `json:"revokeCert"`
	KeyChange   string         `json:"keyChange"`
	RenewalInfo string         `json:"renewalInfo,omitempty"`
	Meta        *DirectoryMeta `json:"meta,omitempty"`
}

// DirectoryMeta is the optional meta object of the directory (RFC 8555 §7.1.1
// and the ACME profiles extension).
type DirectoryMeta struct {
	TermsOfService          string            `json:"termsOfService,omitempty"`
	Website                 string            `json:"website,omitempty"`
	CAAIdentities           []string          `json:"caaIdentities,omitempty"`
	ExternalAccountRequired bool              `json:"externalAccountRequired,omitempty"`
	Profiles                map[string]string `json:"profiles,omitempty"`
}

// Account is the account object (RFC 8555 §7.1.2).
type Account struct {
	Status                 Status   `json:"status"`
	Contact                []string `json:"contact,omitempty"`
	TermsOfServiceAgreed   bool     `json:"termsOfServiceAgreed,omitempty"`
	Orders                 string   `json:"orders,omitempty"`
	ExternalAccountBinding any      `json:"externalAccountBinding,omitempty"`
}

// OrdersList is one page of an account's orders (RFC 8555 §7.1.2.1).
type OrdersList struct {
	Orders []string `json:"orders"`
}

// Order is the order object (RFC 8555 §7.1.3).
type Order struct {
	Status         Status       `json:"status"`
	Expires        *time.Time   `json:"expires,omitempty"`
	Identifiers    []Identifier `json:"identifiers"`
	NotBefore      *time.Time   `json:"notBefore,omitempty"`
	NotAfter       *time.Time   `json:"notAfter,omitempty"`
	Error          *Problem     `json:"error,omitempty"`
	Authorizations []string     `json:"authorizations"`
	Finalize       string       `json:"finalize"`
	Certificate    string       `json:"certificate,omitempty"`
	Profile        string       `json:"profile,omitempty"`
	Replaces       string       `json:"replaces,omitempty"`
}

// Authorization is the authorization object (RFC 8555 §7.1.4).
type Authorization struct {
	Identifier Identifier  `json:"identifier"`
	Status     Status      `json:"status"`
	Expires    *time.Time  `json:"expires,omitempty"`
	Challenges []Challenge `json:"challenges"`
	Wildcard   bool        `json:"wildcard,omitempty"`
}

// Challenge is the challenge object (RFC 8555 §7.1.5, §8).
type Challenge struct {
	Type      string     `json:"type"`
	URL       string     `json:"url"`
	Status    Status     `json:"status"`
	Token     string     `json:"token,omitempty"`
	Validated *time.Time `json:"validated,omitempty"`
	Error     *Problem   `json:"error,omitempty"`
}

// NewAccountRequest is the payload of newAccount (RFC 8555 §7.3).
type NewAccountRequest struct {
	Contact                []string `json:"contact,omitempty"`
	TermsOfServiceAgreed   bool     `json:"termsOfServiceAgreed,omitempty"`
	OnlyReturnExisting     bool     `json:"onlyReturnExisting,omitempty"`
	ExternalAccountBinding any      `json:"externalAccountBinding,omitempty"`
}

// NewOrderRequest is the payload of newOrder (RFC 8555 §7.4, RFC 9773 §5,
// ACME profiles).
type NewOrderRequest struct {
	Identifiers []Identifier `json:"identifiers"`
	NotBefore   string       `json:"notBefore,omitempty"`
	NotAfter    string       `json:"notAfter,omitempty"`
	Profile     string       `json:"profile,omitempty"`
	Replaces    string       `json:"replaces,omitempty"`
}

// FinalizeRequest is the payload of an order's finalize URL (RFC 8555 §7.4).
type FinalizeRequest struct {
	CSR string `json:"csr"`
}

// RevokeRequest is the payload of revokeCert (RFC 8555 §7.6).
type RevokeRequest struct {
	Certificate string `json:"certificate"`
	Reason      *int   `json:"reason,omitempty"`
}

// RenewalInfo is the ARI response (RFC 9773 §4.2).
type RenewalInfo struct {
	SuggestedWindow struct {
		Start time.Time `json:"start"`
		End   time.Time `json:"end"`
	} `json:"suggestedWindow"`
	ExplanationURL string `json:"explanationURL,omitempty"`
}
