package clients

import (
	"context"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	drivers "acmeconform/clients"
)

// lifecycleSpecs: what happens to a certificate after issuance.
func lifecycleSpecs(c *client) {
	Describe("renewal", func() {
		It("renews a certificate for the same names",
			Label("scenario:renew", "req:client-renew"), func(ctx SpecContext) {
				req := c.scenario(ctx, "renew", drivers.Need{Challenge: drivers.ChallengeHTTP01})
				req.Domains = []string{c.orderName("renew")}
				first := c.env.expectCert(c.runOK(ctx, "obtain", req, obtain).Chain, req.Domains)
				second := c.env.expectCert(c.runOK(ctx, "renew", req, renew).Chain, req.Domains)
				Expect(second.SerialNumber).NotTo(Equal(first.SerialNumber),
					"the renewal stored the old certificate")
			}, NodeTimeout(opTimeout))

		It("renews reusing the validation, with no new challenge",
			Label("scenario:renew-reuse", "challenge:dns-01", "req:client-authz-reuse"),
			func(ctx SpecContext) {
				c.needDNSHistory("reuse valid authorizations", c.env.Features.AuthzReuse)
				req := c.scenario(ctx, "reuse", drivers.Need{Challenge: drivers.ChallengeDNS01})
				c.needFresh("counts the CA's lookups of a name of its own")
				req.Domains = []string{c.env.name("reuse")}
				c.env.expectCert(c.runOK(ctx, "obtain", req, obtain).Chain, req.Domains)

				txt := "_acme-challenge." + req.Domains[0] + "."
				before := c.env.countQueries(ctx, txt, "TXT")
				Expect(before).To(BeNumerically(">", 0), "the CA never looked up %s", txt)
				c.env.expectCert(c.runOK(ctx, "renew", req, renew).Chain, req.Domains)
				Expect(c.env.countQueries(ctx, txt, "TXT")).To(Equal(before),
					"the renewal was validated again over DNS")
			}, NodeTimeout(opTimeout))
	})

	Describe("revocation", func() {
		It("revokes its certificate with the account key",
			Label("scenario:revoke", "req:client-revoke"), func(ctx SpecContext) {
				need := drivers.Need{Challenge: drivers.ChallengeHTTP01, Revoke: true}
				req := c.scenario(ctx, "revoke", need)
				req.Domains = []string{c.orderName("revoke")}
				leaf := c.env.expectCert(c.runOK(ctx, "obtain", req, obtain).Chain, req.Domains)
				req.Reason = 0 // unspecified (RFC 5280 §5.3.1), which every client can send
				c.runOK(ctx, "revoke", req, revoke)

				if c.env.Revoked == nil {
					return
				}
				By("asking the CA for the certificate's status")
				Eventually(func(ctx context.Context) (bool, error) {
					return c.env.Revoked(ctx, leaf)
				}).WithContext(ctx).WithTimeout(10 * time.Second).Should(BeTrue())
			}, NodeTimeout(opTimeout))
	})

	Describe("validation reuse across names", func() {
		It("gets a subdomain without its own validation after the parent's dns-01",
			Label("scenario:parent-reuse", "challenge:dns-01", "req:client-parent-reuse"),
			func(ctx SpecContext) {
				c.needDNSHistory("let a parent's dns-01 cover subdomains",
					c.env.Features.ParentDNSReuse)
				req := c.scenario(ctx, "parent", drivers.Need{Challenge: drivers.ChallengeDNS01})
				c.needFresh("validates a parent name of its own")
				parent := c.env.name("parent")
				req.Domains = []string{parent}
				c.env.expectCert(c.runOK(ctx, "obtain", req, obtain).Chain, req.Domains)

				req.Domains = []string{"www." + parent}
				txt := "_acme-challenge.www." + parent + "."
				c.env.expectCert(c.runOK(ctx, "obtain", req, obtain).Chain, req.Domains)
				Expect(c.env.countQueries(ctx, txt, "TXT")).To(BeZero(),
					"the subdomain was validated on its own")
			}, NodeTimeout(opTimeout))
	})
}

// needDNSHistory skips unless the CA has the feature and the DNS server
// keeps a query history to check it with.
func (c *client) needDNSHistory(feature string, has bool) {
	if !has {
		Skip("the CA under test is not known to " + feature)
	}
	if c.env.DNSQueries == nil {
		Skip("the DNS server keeps no query history")
	}
}

func (e *Env) countQueries(ctx context.Context, name, qtype string) int {
	n, err := e.DNSQueries(ctx, strings.ToLower(name), qtype)
	Expect(err).NotTo(HaveOccurred(), "read the DNS query history")
	return n
}
