package server

import (
	"crypto/ed25519"
	"crypto/rand"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites/flow"
	"acmeconform/suites/probe"
)

// atlasSpecs checks the policies of the commercial-CA profile "atlas"
// (see DESIGN.md). They run only on targets that can mint EAB
// credentials, which is how the harness recognises such a CA.
func atlasSpecs(h *harness) {
	Describe("Atlas policy", Label("policy:atlas"), func() {
		h.setup()
		BeforeEach(func() {
			if h.target.MintEAB == nil {
				Skip("atlas policy specs need a target that mints EAB credentials")
			}
			if ok, _ := h.f.CanValidate(); !ok && len(h.target.ValidatedNames) > 0 {
				h.acct = h.newAccount() // the customer holding the validated names
				return
			}
			eab, err := h.target.MintEAB(h.ctx)
			Expect(err).NotTo(HaveOccurred())
			h.p.AddSecret(eab.HMACKey)
			a, resp, err := h.f.CreateAccount(h.ctx, flow.AccountOptions{EAB: eab})
			Expect(err).NotTo(HaveOccurred())
			expectSuccess(resp, 201)
			h.acct = a
		})

		It("requires external account binding",
			policy("atlas-eab-required"), func() {
				Expect(h.dir().Meta).NotTo(BeNil())
				Expect(h.dir().Meta.ExternalAccountRequired).To(BeTrue())
				_, resp, err := h.f.CreateAccount(h.ctx, flow.AccountOptions{NoEAB: true})
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0, acme.ProblemExternalAccountRequired)
			})

		It("offers exactly http-01 and dns-01",
			policy("atlas-challenge-types"), func() {
				a, _ := h.pendingAuthz(h.name())
				var types []string
				for _, c := range a.Challenges {
					types = append(types, c.Type)
				}
				Expect(types).To(ConsistOf(acme.ChallengeHTTP01, acme.ChallengeDNS01))
			})

		It("refuses a CSR that asks for extended key usages with badCSR",
			policy("atlas-csr-eku-refused"), func() {
				expectProblem(h.finalizeWith(csrOptions{ekuFirst: true}), 0, acme.ProblemBadCSR)
			})

		It("refuses a CSR with an Ed25519 key with badCSR",
			policy("atlas-csr-key-types"), func() {
				_, k, err := ed25519.GenerateKey(rand.Reader)
				Expect(err).NotTo(HaveOccurred())
				expectProblem(h.finalizeWith(csrOptions{key: k}), 0, acme.ProblemBadCSR)
			})

		It("issues certificates with serials of at least 64 bits",
			policy("atlas-serial-entropy"), func() {
				leaf := h.issue().Chain[0]
				Expect(leaf.SerialNumber.Sign()).To(Equal(1))
				Expect(leaf.SerialNumber.BitLen()).To(BeNumerically(">=", 64))
			})

		It("issues within the CA/Browser Forum validity limit",
			policy("atlas-cert-validity"), func() {
				leaf := h.issue().Chain[0]
				life := leaf.NotAfter.Sub(leaf.NotBefore)
				Expect(life).To(BeNumerically("<=", maxValidity(leaf.NotBefore)))
			})

		It("reuses a validated name for a new order",
			policy("atlas-authz-reuse"), func() {
				name := h.name()
				h.issue(name)
				o, err := h.f.NewOrder(h.ctx, h.account(), newOrderReq(name))
				Expect(err).NotTo(HaveOccurred())
				a, err := h.f.FetchAuthz(h.ctx, h.account(), o.Authorizations[0])
				Expect(err).NotTo(HaveOccurred())
				Expect(a.Status).To(Equal(acme.StatusValid))
				Expect(a.Expires).NotTo(BeNil())
				Expect(time.Until(*a.Expires)).To(BeNumerically("<=", 397*24*time.Hour+time.Hour))
			})

		It("needs no validation for subdomains of a dns-01 validated name",
			policy("atlas-dns01-covers-subdomains"), func() {
				Expect(h.subdomainAfter(acme.ChallengeDNS01)).To(Equal(acme.StatusValid))
			})

		It("validates subdomains of an http-01 validated name anew",
			policy("atlas-http01-one-host"), func() {
				Expect(h.subdomainAfter(acme.ChallengeHTTP01)).To(Equal(acme.StatusPending))
			})
	})
}

// policy labels an atlas policy spec.
func policy(id string) Labels {
	return Labels{"policy:atlas", "level:POLICY", "req:" + id}
}

// maxValidity is the longest certificate lifetime the CA/Browser Forum
// Baseline Requirements allow for a certificate issued at t (ballot
// SC-081 schedule).
func maxValidity(t time.Time) time.Duration {
	day := 24 * time.Hour
	switch {
	case !t.Before(time.Date(2029, 3, 15, 0, 0, 0, 0, time.UTC)):
		return 47 * day
	case !t.Before(time.Date(2027, 3, 15, 0, 0, 0, 0, time.UTC)):
		return 100 * day
	case !t.Before(time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)):
		return 200 * day
	}
	return 398 * day
}

// subdomainAfter validates a fresh name with challenge type typ, then
// orders a subdomain of it and returns the new authorization's status.
func (h *harness) subdomainAfter(typ string) acme.Status {
	GinkgoHelper()
	name := h.name()
	az := h.answerWith(typ, func(keyAuth string) []string {
		if typ == acme.ChallengeDNS01 {
			return []string{probe.DNS01Value(keyAuth)}
		}
		return []string{keyAuth}
	}, name)
	Expect(az.Status).To(Equal(acme.StatusValid))
	o, err := h.f.NewOrder(h.ctx, h.account(), newOrderReq("sub."+name))
	Expect(err).NotTo(HaveOccurred())
	a, err := h.f.FetchAuthz(h.ctx, h.account(), o.Authorizations[0])
	Expect(err).NotTo(HaveOccurred())
	return a.Status
}
