package mockca

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"acmeconform/internal/yamldoc"
)

// profileDoc is the file form of a Profile. Durations are written as
// "397d", "8h" or "90m"; dates as 2026-03-15.
type profileDoc struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	EAB         struct {
		Required          bool   `yaml:"required"`
		MACKeyLifetime    string `yaml:"macKeyLifetime"`
		MACKeyMaxBindings int    `yaml:"macKeyMaxBindings"`
	} `yaml:"eab"`
	Challenges []string `yaml:"challenges"`
	Validation struct {
		Scope           string   `yaml:"scope"`
		Reuse           string   `yaml:"reuse"`
		SubdomainBypass []string `yaml:"subdomainBypass"`
		PendingLifetime string   `yaml:"pendingLifetime"`
	} `yaml:"validation"`
	CSR struct {
		KeyTypes            []string `yaml:"keyTypes"`
		SignatureAlgorithms []string `yaml:"signatureAlgorithms"`
		RefuseEKU           bool     `yaml:"refuseEKU"`
	} `yaml:"csr"`
	Certificate struct {
		Validity            string                     `yaml:"validity"`
		MaxNames            int                        `yaml:"maxNames"`
		OrderProfiles       map[string]orderProfileDoc `yaml:"orderProfiles"`
		DefaultOrderProfile string                     `yaml:"defaultOrderProfile"`
	} `yaml:"certificate"`
	CAA struct {
		Identities   []string `yaml:"identities"`
		RecheckAfter string   `yaml:"recheckAfter"`
	} `yaml:"caa"`
	Orders struct {
		Lifetime   string `yaml:"lifetime"`
		RetryAfter string `yaml:"retryAfter"`
	} `yaml:"orders"`
	Account struct {
		TermsOfService      string `yaml:"termsOfService"`
		RequireTOSAgreement *bool  `yaml:"requireTOSAgreement"`
		Website             string `yaml:"website"`
	} `yaml:"account"`
	RevocationReasons []int         `yaml:"revocationReasons"`
	DomainBlocklist   []string      `yaml:"domainBlocklist"`
	Schedule          []scheduleDoc `yaml:"schedule"`
}

type orderProfileDoc struct {
	Description string `yaml:"description"`
	Validity    string `yaml:"validity"`
}

type scheduleDoc struct {
	From                string `yaml:"from"`
	CertificateValidity string `yaml:"certificateValidity"`
	ValidationReuse     string `yaml:"validationReuse"`
}

// ProfileError is a mistake in a profile file: the file, the line (0 when
// unknown), the field's path and what is wrong.
type ProfileError = yamldoc.Error

// ParseProfile reads a profile document (YAML, or JSON, which is YAML too)
// and checks every field. source names the document in errors. Unknown
// fields are errors, so a misspelt key is not silently ignored.
func ParseProfile(data []byte, source string) (*Profile, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &ProfileError{File: source, Msg: yamldoc.Msg(err)}
	}
	var doc profileDoc
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, &ProfileError{File: source, Msg: yamldoc.Msg(err)}
	}
	lines := map[string]int{}
	yamldoc.Lines(&root, "", lines)
	c := &docChecker{lines: lines, file: source}
	p := c.profile(&doc)
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	return p, nil
}

// docChecker collects field errors with their lines.
type docChecker struct {
	file  string
	lines map[string]int
	errs  []error
}

func (c *docChecker) fail(field, format string, args ...any) {
	c.errs = append(c.errs, &ProfileError{File: c.file, Line: c.lines[field], Field: field,
		Msg: fmt.Sprintf(format, args...)})
}

// failed reports whether field already has an error.
func (c *docChecker) failed(field string) bool {
	for _, err := range c.errs {
		if pe, ok := err.(*ProfileError); ok && pe.Field == field {
			return true
		}
	}
	return false
}

// duration parses an optional duration field; "" gives def.
func (c *docChecker) duration(field, v string, def time.Duration) time.Duration {
	if v == "" {
		return def
	}
	d, err := parseProfileDuration(v)
	if err != nil || d < 0 {
		c.fail(field, "%q is not a duration (write e.g. 397d, 8h or 90m)", v)
		return def
	}
	return d
}

// parseProfileDuration reads "397d", "1d12h" or any Go duration.
func parseProfileDuration(v string) (time.Duration, error) {
	days, rest, ok := strings.Cut(v, "d")
	if !ok {
		return time.ParseDuration(v)
	}
	n, err := strconv.Atoi(days)
	if err != nil || n < 0 || n > 100000 {
		return 0, fmt.Errorf("bad day count %q", days)
	}
	d := time.Duration(n) * 24 * time.Hour
	if rest == "" {
		return d, nil
	}
	r, err := time.ParseDuration(rest)
	return d + r, err
}

// FormatProfileDuration writes d as profile files do: whole days as "90d",
// whole hours as "7h".
func FormatProfileDuration(d time.Duration) string {
	if d > 0 && d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
