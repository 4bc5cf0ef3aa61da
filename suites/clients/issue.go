package clients

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"net/url"
	"os/exec"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	drivers "acmeconform/clients"
)

// accountSpecs: account creation, with and without EAB.
func accountSpecs(c *client) {
	Describe("accounts", func() {
		It("registers an account the CA knows",
			Label("scenario:register", "req:client-account"), func(ctx SpecContext) {
				req := c.scenario(ctx, "register", drivers.Need{Challenge: drivers.ChallengeHTTP01})
				req.Domains = []string{c.orderName("register")}
				out := c.runOK(ctx, "register", req, register)

				By("checking the account URL the client recorded")
				acct, err := url.Parse(out.Account)
				Expect(err).NotTo(HaveOccurred())
				dir, err := url.Parse(c.env.DirectoryURL)
				Expect(err).NotTo(HaveOccurred())
				Expect(acct.Host).To(Equal(dir.Host), "account URL %q", out.Account)
			}, NodeTimeout(opTimeout))

		It("binds a new account with a fresh EAB key",
			Label("scenario:eab", "req:client-eab"), func(ctx SpecContext) {
				if c.env.MintEAB == nil {
					Skip("the CA does not require external account binding")
				}
				if c.env.EABShared {
					Skip("the run holds one EAB key for every account, no fresh one " +
						"(the CA under test mints none for the harness)")
				}
				req := c.scenario(ctx, "eab", drivers.Need{Challenge: drivers.ChallengeHTTP01})
				req.Domains = []string{c.orderName("eab")}
				out := c.runOK(ctx, "register", req, register)
				Expect(out.Account).NotTo(BeEmpty(), "the client recorded no account URL")
			}, NodeTimeout(opTimeout))
	})

	Describe("accounts with a padded MAC key", func() {
		It("binds with the MAC key written with base64 padding",
			Label("scenario:eab-padded", "req:client-eab"), func(ctx SpecContext) {
				if c.env.MintEAB == nil {
					Skip("the CA does not require external account binding")
				}
				req := c.scenario(ctx, "eab-padded", drivers.Need{Challenge: drivers.ChallengeHTTP01})
				req.EAB.HMACKey = padded(req.EAB.HMACKey)
				req.Domains = []string{c.orderName("eab-padded")}
				out := c.runOK(ctx, "register", req, register)
				Expect(out.Account).NotTo(BeEmpty(), "the client recorded no account URL")
			}, NodeTimeout(opTimeout))
	})

}

// issuanceSpecs: certificates, one scenario each.
func issuanceSpecs(c *client) {
	Describe("issuance", func() {
		It("obtains a certificate via http-01",
			Label("scenario:http-01", "challenge:http-01", "req:client-http01",
				"req:client-cert-names"), func(ctx SpecContext) {
				c.obtainFor(ctx, "http01", drivers.Need{Challenge: drivers.ChallengeHTTP01})
			}, NodeTimeout(opTimeout))

		It("obtains a certificate via dns-01",
			Label("scenario:dns-01", "challenge:dns-01", "req:client-dns01",
				"req:client-cert-names"), func(ctx SpecContext) {
				c.obtainFor(ctx, "dns01", drivers.Need{Challenge: drivers.ChallengeDNS01})
			}, NodeTimeout(opTimeout))

		It("obtains a certificate via dns-01 with TSIG-signed updates",
			Label("scenario:dns-01-rfc2136", "challenge:dns-01", "req:client-dns01-rfc2136"),
			func(ctx SpecContext) {
				if c.env.TSIG == nil {
					Skip("the DNS server of this run takes no dynamic updates")
				}
				c.obtainFor(ctx, "rfc2136", drivers.Need{
					Challenge: drivers.ChallengeDNS01, DNS: drivers.DNSRFC2136,
				})
			}, NodeTimeout(opTimeout))

		It("obtains a wildcard and its base name in one order",
			Label("scenario:wildcard", "challenge:dns-01", "req:client-wildcard"),
			func(ctx SpecContext) {
				need := drivers.Need{Challenge: drivers.ChallengeDNS01, Wildcard: true,
					MultiName: true}
				req := c.scenario(ctx, "wildcard", need)
				c.needFresh("orders a wildcard of a name of its own")
				base := c.env.name("wild")
				req.Domains = []string{base, "*." + base}
				out := c.runOK(ctx, "obtain", req, obtain)
				c.env.expectCert(out.Chain, req.Domains)
			}, NodeTimeout(opTimeout))

		It("obtains a wildcard ordered alone",
			Label("scenario:wildcard-alone", "challenge:dns-01", "req:client-wildcard-alone"),
			func(ctx SpecContext) {
				need := drivers.Need{Challenge: drivers.ChallengeDNS01, Wildcard: true}
				req := c.scenario(ctx, "wildcard-alone", need)
				c.needFresh("orders a wildcard of a name of its own")
				req.Domains = []string{"*." + c.env.name("lone")}
				out := c.runOK(ctx, "obtain", req, obtain)
				By("checking the certificate names the wildcard alone, not its base name")
				c.env.expectCert(out.Chain, req.Domains)
			}, NodeTimeout(opTimeout))

		It("obtains a certificate for an RSA key",
			Label("scenario:key-rsa", "req:client-key-types"), func(ctx SpecContext) {
				need := drivers.Need{Challenge: drivers.ChallengeHTTP01, Key: drivers.KeyRSA2048}
				leaf := c.obtainFor(ctx, "rsa", need)
				pub, ok := leaf.PublicKey.(*rsa.PublicKey)
				Expect(ok).To(BeTrue(), "leaf key is %T, want RSA", leaf.PublicKey)
				Expect(pub.N.BitLen()).To(Equal(2048))
			}, NodeTimeout(opTimeout))

		It("obtains a certificate for an ECDSA key",
			Label("scenario:key-ecdsa", "req:client-key-types"), func(ctx SpecContext) {
				need := drivers.Need{Challenge: drivers.ChallengeHTTP01, Key: drivers.KeyECDSAP256}
				leaf := c.obtainFor(ctx, "ecdsa", need)
				pub, ok := leaf.PublicKey.(*ecdsa.PublicKey)
				Expect(ok).To(BeTrue(), "leaf key is %T, want ECDSA", leaf.PublicKey)
				Expect(pub.Curve).To(Equal(elliptic.P256()))
			}, NodeTimeout(opTimeout))

		It("stores a chain that openssl verifies to the issuer root",
			Label("scenario:chain", "req:client-chain"), func(ctx SpecContext) {
				if len(c.env.IssuerRootsPEM) == 0 {
					Skip("the issuer roots of this CA are unknown")
				}
				if _, err := exec.LookPath("openssl"); err != nil {
					Skip("openssl is not installed")
				}
				req := c.scenario(ctx, "chain", drivers.Need{Challenge: drivers.ChallengeHTTP01})
				req.Domains = []string{c.orderName("chain")}
				out := c.runOK(ctx, "obtain", req, obtain)

				By("running openssl verify against the issuer root")
				text, err := opensslVerify(ctx, req.Dir, c.env.IssuerRootsPEM, out.Chain)
				AddReportEntry("openssl verify", text)
				Expect(err).NotTo(HaveOccurred(), text)
				Expect(text).To(ContainSubstring(": OK"))
			}, NodeTimeout(opTimeout))
	})
}

// padded writes a base64url key with its "=" padding, as some CAs hand
// keys out (RFC 7515 §2 leaves padding out; clients should accept both).
func padded(key string) string {
	key = strings.TrimRight(key, "=")
	for len(key)%4 != 0 {
		key += "="
	}
	return key
}

// obtainFor obtains a certificate for two fresh names and checks it; a
// client that orders one name per certificate (no MultiName) gets one
// name, and the report says so.
func (c *client) obtainFor(ctx SpecContext, slug string, need drivers.Need) *x509.Certificate {
	req := c.scenario(ctx, slug, need)
	req.Domains = c.orderNames(slug, slug+"-alt")
	if !c.d.Capabilities().MultiName {
		req.Domains = req.Domains[:1]
		AddReportEntry("evidence:names", fmt.Sprintf("%s orders one certificate per name, so the "+
			"scenario orders and checks %s alone", c.name, req.Domains[0]))
	}
	out := c.runOK(ctx, "obtain", req, obtain)
	return c.env.expectCert(out.Chain, req.Domains)
}
