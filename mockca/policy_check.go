package mockca

import (
	"crypto/x509"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"acmeconform/acme"
)

// csrSigAlgNames maps the RFC names of CSR signature algorithms a profile
// may list (RFC 4055, RFC 5758, RFC 8410) to Go's.
var csrSigAlgNames = map[string]x509.SignatureAlgorithm{
	"sha256WithRSAEncryption": x509.SHA256WithRSA,
	"sha384WithRSAEncryption": x509.SHA384WithRSA,
	"sha512WithRSAEncryption": x509.SHA512WithRSA,
	"ecdsa-with-SHA256":       x509.ECDSAWithSHA256,
	"ecdsa-with-SHA384":       x509.ECDSAWithSHA384,
	"ecdsa-with-SHA512":       x509.ECDSAWithSHA512,
	"RSASSA-PSS-SHA256":       x509.SHA256WithRSAPSS,
	"RSASSA-PSS-SHA384":       x509.SHA384WithRSAPSS,
	"RSASSA-PSS-SHA512":       x509.SHA512WithRSAPSS,
	"Ed25519":                 x509.PureEd25519,
}

var (
	profileNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	keyTypeRE     = regexp.MustCompile(`^(rsa(2048|3072|4096|8192)|p256|p384|p521|ed25519)$`)
	caaIdentRE    = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9]+$`)
)

// profile turns a checked document into a Profile.
func (c *docChecker) profile(d *profileDoc) *Profile {
	p := &Profile{Name: d.Name, Description: d.Description, RetryAfter: time.Second}
	if !profileNameRE.MatchString(d.Name) {
		c.fail("name", "%q must be lower-case letters, digits and hyphens", d.Name)
	}
	c.eab(d, p)
	c.challenges(d, p)
	c.csr(d, p)
	c.certificate(d, p)
	c.caa(d, p)
	p.OrderLifetime = c.duration("orders.lifetime", d.Orders.Lifetime, 7*24*time.Hour)
	p.RetryAfter = c.duration("orders.retryAfter", d.Orders.RetryAfter, time.Second)
	p.TermsOfService = d.Account.TermsOfService
	// Terms that are advertised are required unless the file says
	// otherwise: RFC 8555 §7.3 has a server that wants agreement name its
	// terms and refuse newAccount without termsOfServiceAgreed.
	p.RequireTOSAgreement = d.Account.TermsOfService != ""
	if d.Account.RequireTOSAgreement != nil {
		p.RequireTOSAgreement = *d.Account.RequireTOSAgreement
	}
	p.Website = d.Account.Website
	p.DomainBlocklist = d.DomainBlocklist
	p.RevocationReasons = d.RevocationReasons
	for i, r := range d.RevocationReasons {
		if r < 0 || r > 10 || r == 7 {
			c.fail(fmt.Sprintf("revocationReasons[%d]", i),
				"%d is not an RFC 5280 reason code (0-10 except 7)", r)
		}
	}
	c.schedule(d, p)
	return p
}

func (c *docChecker) eab(d *profileDoc, p *Profile) {
	p.EABRequired = d.EAB.Required
	p.MACKeyLifetime = c.duration("eab.macKeyLifetime", d.EAB.MACKeyLifetime, 30*24*time.Hour)
	p.MACKeyMaxBindings = d.EAB.MACKeyMaxBindings
	if d.EAB.MACKeyMaxBindings < 0 {
		c.fail("eab.macKeyMaxBindings", "%d must not be negative", d.EAB.MACKeyMaxBindings)
	}
	if p.MACKeyMaxBindings == 0 {
		p.MACKeyMaxBindings = 1000
	}
}

func (c *docChecker) challenges(d *profileDoc, p *Profile) {
	known := []string{acme.ChallengeHTTP01, acme.ChallengeDNS01, acme.ChallengeTLSALPN01}
	if len(d.Challenges) == 0 {
		c.fail("challenges", "at least one challenge type must be offered")
	}
	for i, t := range d.Challenges {
		if !slices.Contains(known, t) {
			c.fail(fmt.Sprintf("challenges[%d]", i), "%q is not one of %s", t,
				strings.Join(known, ", "))
		}
	}
	p.ChallengeTypes = d.Challenges
	v := d.Validation
	switch v.Scope {
	case "", ScopeAccount, ScopeCustomer:
		p.ValidationScope = v.Scope
	default:
		c.fail("validation.scope", "%q is not %q or %q", v.Scope, ScopeAccount, ScopeCustomer)
	}
	p.AuthzReuse = c.duration("validation.reuse", v.Reuse, 0)
	p.PendingAuthzLifetime = c.duration("validation.pendingLifetime", v.PendingLifetime,
		7*24*time.Hour)
	for i, t := range v.SubdomainBypass {
		if !slices.Contains(d.Challenges, t) {
			c.fail(fmt.Sprintf("validation.subdomainBypass[%d]", i),
				"%q is not among the offered challenges", t)
		}
	}
	p.SubdomainBypass = v.SubdomainBypass
}

func (c *docChecker) csr(d *profileDoc, p *Profile) {
	if len(d.CSR.KeyTypes) == 0 {
		c.fail("csr.keyTypes", "at least one key type must be allowed")
	}
	for i, k := range d.CSR.KeyTypes {
		if !keyTypeRE.MatchString(k) {
			c.fail(fmt.Sprintf("csr.keyTypes[%d]", i), "%q is not one of rsa2048, rsa3072, "+
				"rsa4096, rsa8192, p256, p384, p521, ed25519", k)
		}
	}
	for i, a := range d.CSR.SignatureAlgorithms {
		if _, ok := csrSigAlgNames[a]; !ok {
			c.fail(fmt.Sprintf("csr.signatureAlgorithms[%d]", i),
				"%q is not a known signature algorithm (e.g. sha256WithRSAEncryption, "+
					"ecdsa-with-SHA256)", a)
		}
	}
	p.CSRKeyTypes = d.CSR.KeyTypes
	p.CSRSignatureAlgorithms = d.CSR.SignatureAlgorithms
	p.RejectCSREKU = d.CSR.RefuseEKU
}

func (c *docChecker) certificate(d *profileDoc, p *Profile) {
	cd := d.Certificate
	p.CertValidity = c.duration("certificate.validity", cd.Validity, 0)
	if p.CertValidity <= 0 && !c.failed("certificate.validity") {
		c.fail("certificate.validity", "a positive validity is required")
	}
	p.MaxNames = cd.MaxNames
	if cd.MaxNames < 0 {
		c.fail("certificate.maxNames", "%d must not be negative", cd.MaxNames)
	}
	if len(cd.OrderProfiles) > 0 {
		p.OrderProfiles = map[string]OrderProfile{}
	}
	for name, op := range cd.OrderProfiles {
		field := "certificate.orderProfiles." + name + ".validity"
		p.OrderProfiles[name] = OrderProfile{Description: op.Description,
			Validity: c.duration(field, op.Validity, 0)}
	}
	p.DefaultOrderProfile = cd.DefaultOrderProfile
	if _, ok := cd.OrderProfiles[cd.DefaultOrderProfile]; cd.DefaultOrderProfile != "" && !ok {
		c.fail("certificate.defaultOrderProfile", "%q is not in certificate.orderProfiles",
			cd.DefaultOrderProfile)
	}
}

func (c *docChecker) caa(d *profileDoc, p *Profile) {
	for i, id := range d.CAA.Identities {
		if !caaIdentRE.MatchString(id) {
			c.fail(fmt.Sprintf("caa.identities[%d]", i),
				"%q is not a lower-case domain name (RFC 8659 §4.2)", id)
		}
	}
	p.CAAIdentities = d.CAA.Identities
	p.CAARecheckAge = c.duration("caa.recheckAfter", d.CAA.RecheckAfter, 0)
}

func (c *docChecker) schedule(d *profileDoc, p *Profile) {
	var last time.Time
	for i, st := range d.Schedule {
		field := "schedule[" + strconv.Itoa(i) + "]"
		from, err := time.Parse(time.DateOnly, st.From)
		if err != nil {
			c.fail(field+".from", "%q is not a date like 2026-03-15", st.From)
			continue
		}
		if !from.After(last) {
			c.fail(field+".from", "%s is not after the previous step", st.From)
		}
		last = from
		p.Schedule = append(p.Schedule, ScheduleStep{From: from,
			CertValidity: c.duration(field+".certificateValidity", st.CertificateValidity, 0),
			AuthzReuse:   c.duration(field+".validationReuse", st.ValidationReuse, 0)})
	}
}
