package acme

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// ProblemType is an ACME error type URN (RFC 8555 §6.7).
type ProblemType string

// The error types of RFC 8555 §6.7 and its companions. The URN prefix is
// "urn:ietf:params:acme:error:".
const (
	ProblemAccountDoesNotExist     ProblemType = "urn:ietf:params:acme:error:accountDoesNotExist"
	ProblemAlreadyRevoked          ProblemType = "urn:ietf:params:acme:error:alreadyRevoked"
	ProblemAlreadyReplaced         ProblemType = "urn:ietf:params:acme:error:alreadyReplaced"
	ProblemBadCSR                  ProblemType = "urn:ietf:params:acme:error:badCSR"
	ProblemBadNonce                ProblemType = "urn:ietf:params:acme:error:badNonce"
	ProblemBadPublicKey            ProblemType = "urn:ietf:params:acme:error:badPublicKey"
	ProblemBadRevocationReason     ProblemType = "urn:ietf:params:acme:error:badRevocationReason"
	ProblemBadSignatureAlgorithm   ProblemType = "urn:ietf:params:acme:error:badSignatureAlgorithm"
	ProblemCAA                     ProblemType = "urn:ietf:params:acme:error:caa"
	ProblemCompound                ProblemType = "urn:ietf:params:acme:error:compound"
	ProblemConnection              ProblemType = "urn:ietf:params:acme:error:connection"
	ProblemDNS                     ProblemType = "urn:ietf:params:acme:error:dns"
	ProblemExternalAccountRequired ProblemType = "urn:ietf:params:acme:error:externalAccountRequired"
	ProblemIncorrectResponse       ProblemType = "urn:ietf:params:acme:error:incorrectResponse"
	ProblemInvalidContact          ProblemType = "urn:ietf:params:acme:error:invalidContact"
	ProblemInvalidProfile          ProblemType = "urn:ietf:params:acme:error:invalidProfile"
	ProblemMalformed               ProblemType = "urn:ietf:params:acme:error:malformed"
	ProblemOrderNotReady           ProblemType = "urn:ietf:params:acme:error:orderNotReady"
	ProblemRateLimited             ProblemType = "urn:ietf:params:acme:error:rateLimited"
	ProblemRejectedIdentifier      ProblemType = "urn:ietf:params:acme:error:rejectedIdentifier"
	ProblemServerInternal          ProblemType = "urn:ietf:params:acme:error:serverInternal"
	ProblemTLS                     ProblemType = "urn:ietf:params:acme:error:tls"
	ProblemUnauthorized            ProblemType = "urn:ietf:params:acme:error:unauthorized"
	ProblemUnsupportedContact      ProblemType = "urn:ietf:params:acme:error:unsupportedContact"
	ProblemUnsupportedIdentifier   ProblemType = "urn:ietf:params:acme:error:unsupportedIdentifier"
	ProblemUserActionRequired      ProblemType = "urn:ietf:params:acme:error:userActionRequired"
)

// problemStatus is the one table of HTTP status codes per problem type. The
// RFC leaves most codes to the server; these follow common practice and the
// codes the RFC names (§6.2 415 is handled by the front end, §7.3.5 409,
// §7.4 403 orderNotReady, §6.6 429).
var problemStatus = map[ProblemType]int{
	ProblemAccountDoesNotExist:     http.StatusBadRequest,
	ProblemAlreadyRevoked:          http.StatusBadRequest,
	ProblemAlreadyReplaced:         http.StatusConflict,
	ProblemBadCSR:                  http.StatusBadRequest,
	ProblemBadNonce:                http.StatusBadRequest,
	ProblemBadPublicKey:            http.StatusBadRequest,
	ProblemBadRevocationReason:     http.StatusBadRequest,
	ProblemBadSignatureAlgorithm:   http.StatusBadRequest,
	ProblemCAA:                     http.StatusForbidden,
	ProblemCompound:                http.StatusForbidden,
	ProblemConnection:              http.StatusBadRequest,
	ProblemDNS:                     http.StatusBadRequest,
	ProblemExternalAccountRequired: http.StatusUnauthorized,
	ProblemIncorrectResponse:       http.StatusForbidden,
	ProblemInvalidContact:          http.StatusBadRequest,
	ProblemInvalidProfile:          http.StatusBadRequest,
	ProblemMalformed:               http.StatusBadRequest,
	ProblemOrderNotReady:           http.StatusForbidden,
	ProblemRateLimited:             http.StatusTooManyRequests,
	ProblemRejectedIdentifier:      http.StatusBadRequest,
	ProblemServerInternal:          http.StatusInternalServerError,
	ProblemTLS:                     http.StatusBadRequest,
	ProblemUnauthorized:            http.StatusForbidden,
	ProblemUnsupportedContact:      http.StatusBadRequest,
	ProblemUnsupportedIdentifier:   http.StatusBadRequest,
	ProblemUserActionRequired:      http.StatusForbidden,
}

// DefaultStatus returns the HTTP status the mock CA uses for a problem type.
func (t ProblemType) DefaultStatus() int {
	if s, ok := problemStatus[t]; ok {
		return s
	}
	return http.StatusBadRequest
}

// Short returns the type without the ACME URN prefix, e.g. "badNonce".
func (t ProblemType) Short() string {
	return strings.TrimPrefix(string(t), "urn:ietf:params:acme:error:")
}

// Problem is an RFC 7807 problem document with the ACME extensions of
// RFC 8555 §6.7 (subproblems with identifiers) and §6.2 (algorithms). It is
// also a Go error, so callers can use errors.As on anything that wraps it.
type Problem struct {
	Type        ProblemType `json:"type"`
	Detail      string      `json:"detail,omitempty"`
	Status      int         `json:"status,omitempty"`
	Instance    string      `json:"instance,omitempty"`
	Identifier  *Identifier `json:"identifier,omitempty"`
	Subproblems []Problem   `json:"subproblems,omitempty"`
	Algorithms  []string    `json:"algorithms,omitempty"`
}

// NewProblem returns a problem of type t with the table's status and a
// formatted detail.
func NewProblem(t ProblemType, format string, args ...any) *Problem {
	return &Problem{Type: t, Status: t.DefaultStatus(), Detail: fmt.Sprintf(format, args...)}
}

// Error implements error.
func (p *Problem) Error() string {
	if p.Detail == "" {
		return fmt.Sprintf("acme: %s (HTTP %d)", p.Type.Short(), p.Status)
	}
	return fmt.Sprintf("acme: %s (HTTP %d): %s", p.Type.Short(), p.Status, p.Detail)
}

// ErrNotProblem is returned by ParseProblem when a response is not a problem
// document.
var ErrNotProblem = errors.New("response is not an application/problem+json document")

// ParseProblem is the one place where an HTTP error response becomes a Go
// error: a *Problem when the body is a problem document, otherwise an error
// wrapping ErrNotProblem that names the status and content type.
func ParseProblem(status int, contentType string, body []byte) error {
	if !strings.HasPrefix(contentType, MediaProblem) {
		return fmt.Errorf("HTTP %d with content type %q: %w", status, contentType, ErrNotProblem)
	}
	var p Problem
	if err := json.Unmarshal(body, &p); err != nil {
		return fmt.Errorf("HTTP %d: decode problem: %w", status, err)
	}
	if p.Status == 0 {
		p.Status = status
	}
	return &p
}

// ReadProblem reads a bounded body from r and calls ParseProblem.
func ReadProblem(r *http.Response, limit int64) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, limit))
	if err != nil {
		return fmt.Errorf("read error body: %w", err)
	}
	return ParseProblem(r.StatusCode, r.Header.Get("Content-Type"), body)
}
