package reports

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Redacted replaces every secret the writers remove.
const Redacted = "[REDACTED]"

// The patterns below find secrets by their shape, whatever the runner
// registered. They are compiled once and only read afterwards.
var (
	// PEM blocks of private keys (RFC 7468 §10, §11), also when cut short.
	pemKeyRe = regexp.MustCompile(`(?s)-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----` +
		`(?:.*?-----END [A-Z0-9 ]*PRIVATE KEY-----|.*$)`)
	// Private and symmetric members of a JWK (RFC 7518 §6.2.2, §6.3.2, §6.4.1),
	// also inside JSON that was itself quoted into a string.
	jwkSecretRe = regexp.MustCompile(`(\\?")(k|d|p|q|dp|dq|qi)(\\?"\s*:\s*\\?")[^"\\]*(\\?")`)
	// JSON members whose name says they hold a secret, and Authorization
	// headers as JSON members: string values, then array values.
	jsonSecretRe = regexp.MustCompile(`(?i)(\\?"(?:[\w-]*(?:hmac|mac[_-]?key|secret|password|` +
		`private[_-]?key)[\w-]*|(?:proxy-)?authorization)\\?"\s*:\s*)(\\?")[^"\\]*(\\?")`)
	jsonSecretListRe = regexp.MustCompile(`(?i)("(?:[\w-]*(?:hmac|mac[_-]?key|secret|password|` +
		`private[_-]?key)[\w-]*|(?:proxy-)?authorization)"\s*:\s*)\[[^\]]*\]`)
	// Authorization headers as header lines ...
	headerAuthRe = regexp.MustCompile(`(?im)^([ \t>]*(?:proxy-)?authorization[ \t]*:[ \t]*)\S.*$`)
	// ... and as Go prints an http.Header.
	goHeaderAuthRe = regexp.MustCompile(`(?i)\b((?:proxy-)?authorization:)\[[^\]]*\]`)
	// name=value or name: value where the name says it holds a secret.
	assignSecretRe = regexp.MustCompile(`(?i)\b([\w.-]*(?:hmac|mac[_-]?key|secret|password|` +
		`passwd)[\w.-]*[ \t]*[=:][ \t]*)("[^"]*"|'[^']*'|[^\s"',;&]+)`)
	// Command-line flags followed by their value: --hmac VALUE.
	flagSecretRe = regexp.MustCompile(`(?i)(--?[\w-]*(?:hmac|mac-key|secret|password)[\w-]*` +
		`[ \t]+)(\S+)`)
)

// Redactor removes secrets from evidence before a report leaves the
// process: the values registered with Add, and anything shaped like a
// private key, a JWK secret member, an HMAC key or an Authorization header.
// The zero Redactor removes the shaped secrets only.
type Redactor struct {
	secrets []string
}

// Add registers a secret value. A value that is base64 (as EAB MAC keys and
// TSIG secrets are, RFC 8555 §7.3.4) is also removed in its other base64
// spellings, padded or not, URL-safe or standard. Empty values are ignored.
func (r *Redactor) Add(secret string) {
	if secret == "" {
		return
	}
	for _, v := range append(base64Spellings(secret), secret) {
		if !slices.Contains(r.secrets, v) {
			r.secrets = append(r.secrets, v)
		}
	}
	// Longest first, so that a secret containing another is removed whole.
	slices.SortFunc(r.secrets, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(b), len(a)), cmp.Compare(a, b))
	})
}

// base64Spellings returns the four base64 spellings of the bytes secret
// encodes, or nil when it is not base64.
func base64Spellings(secret string) []string {
	trimmed := strings.TrimRight(secret, "=")
	b, err := base64.RawURLEncoding.DecodeString(trimmed)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(trimmed)
	}
	if err != nil || len(b) == 0 {
		return nil
	}
	var out []string
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding,
		base64.RawStdEncoding, base64.StdEncoding} {
		if v := enc.EncodeToString(b); v != secret && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// Redact returns s with the registered secrets and every shaped secret
// replaced by Redacted.
func (r *Redactor) Redact(s string) string {
	if r != nil && len(r.secrets) > 0 {
		pairs := make([]string, 0, 2*len(r.secrets))
		for _, v := range r.secrets {
			pairs = append(pairs, v, Redacted)
		}
		s = strings.NewReplacer(pairs...).Replace(s)
	}
	return Redact(s)
}

// Redact returns s with every shaped secret replaced by Redacted: PEM private
// keys, JWK secret members, secret-named JSON members, assignments and flags,
// and Authorization headers.
func Redact(s string) string {
	s = pemKeyRe.ReplaceAllString(s, "-----BEGIN $1-----\n"+Redacted+"\n-----END $1-----")
	s = jwkSecretRe.ReplaceAllString(s, "${1}${2}${3}"+Redacted+"${4}")
	s = jsonSecretRe.ReplaceAllString(s, "${1}${2}"+Redacted+"${3}")
	s = jsonSecretListRe.ReplaceAllString(s, `${1}["`+Redacted+`"]`)
	s = headerAuthRe.ReplaceAllString(s, "${1}"+Redacted)
	s = goHeaderAuthRe.ReplaceAllString(s, "${1}["+Redacted+"]")
	s = flagSecretRe.ReplaceAllString(s, "${1}"+Redacted)
	s = assignSecretRe.ReplaceAllString(s, "${1}"+Redacted)
	return s
}

// AddSecret registers a value (an EAB MAC key, a TSIG secret, a token) that
// every writer removes from the report's messages and evidence.
func (r *Report) AddSecret(secret string) { r.secrets.Add(secret) }

// Redact applies the report's redactor to s.
func (r *Report) Redact(s string) string { return r.secrets.Redact(s) }

// redacted returns a copy of the report whose messages and evidence have
// their secrets removed; writers render this copy only.
func (r *Report) redacted() *Report {
	c := *r
	c.InfraError = r.Redact(r.InfraError)
	c.Specs = cloneSpecs(r.Specs)
	for i := range c.Specs {
		c.Specs[i].Message = r.Redact(c.Specs[i].Message)
		c.Specs[i].Evidence = r.redactEvidence(c.Specs[i].Evidence)
	}
	c.Requirements = slices.Clone(r.Requirements)
	for i := range c.Requirements {
		c.Requirements[i].Evidence = r.redactEvidence(c.Requirements[i].Evidence)
	}
	return &c
}

func (r *Report) redactEvidence(ev []Evidence) []Evidence {
	out := slices.Clone(ev)
	for i := range out {
		out[i].Value = r.Redact(out[i].Value)
	}
	return out
}

// maxEvidenceBytes bounds one piece of evidence in the HTML and JUnit
// documents, which people open in browsers and CI pages; the JSON report
// keeps every byte.
const maxEvidenceBytes = 64 << 10

// clip cuts s to maxEvidenceBytes on a rune boundary and says how much went.
func clip(s string) string {
	if len(s) <= maxEvidenceBytes {
		return s
	}
	cut := maxEvidenceBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("\n… %d more bytes in the JSON report", len(s)-cut)
}

func clipEvidence(ev []Evidence) []Evidence {
	out := slices.Clone(ev)
	for i := range out {
		out[i].Value = clip(out[i].Value)
	}
	return out
}
