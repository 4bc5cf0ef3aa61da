package clients

import (
	"crypto/x509"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	drivers "acmeconform/clients"
)

// renewalInfoSpecs: the CA steering renewal (RFC 9773) and choosing the
// certificate's profile.
func renewalInfoSpecs(c *client) {
	Describe("renewal information (ARI)", func() {
		It("renews once the CA's suggested window has opened",
			Label("scenario:ari", "req:client-ari"), func(ctx SpecContext) {
				first, req := c.obtainForARI(ctx, "ari-due")
				now := time.Now()
				Expect(c.env.SetRenewalWindow(ctx, first, now.Add(-2*time.Hour),
					now.Add(-time.Hour))).To(Succeed())
				second := c.env.expectCert(c.runOK(ctx, "renew", req, renew).Chain, req.Domains)
				Expect(second.SerialNumber).NotTo(Equal(first.SerialNumber),
					"the client kept a certificate whose renewal window is open")
			}, NodeTimeout(opTimeout))

		It("keeps its certificate while the suggested window lies ahead",
			Label("scenario:ari", "req:client-ari"), func(ctx SpecContext) {
				first, req := c.obtainForARI(ctx, "ari-early")
				now := time.Now()
				Expect(c.env.SetRenewalWindow(ctx, first, now.Add(30*24*time.Hour),
					now.Add(31*24*time.Hour))).To(Succeed())
				second := c.env.expectCert(c.runOK(ctx, "renew", req, renew).Chain, req.Domains)
				Expect(second.SerialNumber).To(Equal(first.SerialNumber),
					"the client renewed before the suggested window")
			}, NodeTimeout(opTimeout))
	})

	Describe("certificate profiles", func() {
		It("orders the certificate profile it is asked for",
			Label("scenario:profile", "req:client-profile"), func(ctx SpecContext) {
				p := c.env.ShortProfile
				if p == nil {
					Skip("the CA under test offers no short-lived profile")
				}
				need := drivers.Need{Challenge: drivers.ChallengeHTTP01, Profiles: true}
				req := c.scenario(ctx, "profile", need)
				req.Domains, req.Profile = []string{c.orderName("profile")}, p.Name
				leaf := c.env.expectCert(c.runOK(ctx, "obtain", req, obtain).Chain, req.Domains)
				Expect(leaf.NotAfter.Sub(leaf.NotBefore)).To(BeNumerically("<=", p.MaxValidity),
					"the certificate outlives profile %q", p.Name)
			}, NodeTimeout(opTimeout))
	})
}

// obtainForARI skips unless the client and the CA both do ARI, then
// obtains a certificate and returns it with a request that renews by ARI.
func (c *client) obtainForARI(ctx SpecContext, slug string) (*x509.Certificate, drivers.Request) {
	if c.env.SetRenewalWindow == nil {
		Skip("the renewal window of the CA under test cannot be set")
	}
	req := c.scenario(ctx, slug, drivers.Need{Challenge: drivers.ChallengeHTTP01, ARI: true})
	req.Domains, req.ARI = []string{c.orderName(slug)}, true
	return c.env.expectCert(c.runOK(ctx, "obtain", req, obtain).Chain, req.Domains), req
}
