package server

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites/probe"
)

// challengeSpecs covers challenge objects and responses (RFC 8555 §7.5.1,
// §8, §8.1, §8.3, §8.4).
func challengeSpecs(h *harness) {
	Describe("Challenge", func() {
		h.setup()

		It("carries type, url and status",
			labels("rfc8555:8", "MUST", "challenge-object-fields"), func() {
				a, _ := h.pendingAuthz(h.name())
				for _, c := range a.Challenges {
					Expect(c.Type).NotTo(BeEmpty())
					Expect(c.URL).NotTo(BeEmpty(), "challenge %s", c.Type)
					Expect(c.Status).To(Equal(acme.StatusPending), "challenge %s", c.Type)
				}
			})

		It("uses tokens of at least 128 bits in base64url without padding",
			labels("rfc8555:8.3", "MUST", "challenge-token-entropy", "challenge-token-charset"),
			func() {
				a, _ := h.pendingAuthz(h.name())
				for _, c := range a.Challenges {
					if c.Type != acme.ChallengeHTTP01 && c.Type != acme.ChallengeDNS01 &&
						c.Type != acme.ChallengeTLSALPN01 {
						continue
					}
					Expect(c.Token).To(MatchRegexp(base64urlRE.String()), "token of %s", c.Type)
					Expect(len(c.Token)).To(BeNumerically(">=", 22), "token of %s", c.Type)
				}
			})

		It("gives tls-alpn-01 tokens of at least 128 bits in base64url",
			labels("rfc8737:3", "MUST", "tlsalpn-token-format"), func() {
				a, _ := h.pendingAuthz(h.name())
				c := findChallenge(a, acme.ChallengeTLSALPN01)
				if c == nil {
					Skip("server does not offer tls-alpn-01")
				}
				Expect(c.Token).To(MatchRegexp(base64urlRE.String()))
				Expect(len(c.Token)).To(BeNumerically(">=", 22))
			})

		It("does not offer tls-alpn-01 for a wildcard",
			labels("rfc8737:3", "SHOULD", "tlsalpn-not-wildcard"), func() {
				o, resp, err := h.f.CreateOrder(h.ctx, h.account(), newOrderReq("*."+h.name()))
				Expect(err).NotTo(HaveOccurred())
				if resp.Status >= 400 {
					Skip("server refuses wildcard orders")
				}
				a, err := h.f.FetchAuthz(h.ctx, h.account(), o.Authorizations[0])
				Expect(err).NotTo(HaveOccurred())
				Expect(findChallenge(a, acme.ChallengeTLSALPN01)).To(BeNil())
			})

		It("hands out a fresh token for each authorization",
			labels("rfc8555:11.3", "SHOULD", "token-single-authz"), func() {
				seen := map[string]bool{}
				for range 3 {
					a, _ := h.pendingAuthz(h.name())
					mine := map[string]bool{} // challenges of one authz may share a token
					for _, c := range a.Challenges {
						if c.Token == "" {
							continue // some challenge types carry no token
						}
						Expect(seen).NotTo(HaveKey(c.Token), "token of an earlier authz reused")
						mine[c.Token] = true
					}
					for t := range mine {
						seen[t] = true
					}
				}
			})

		It("answers POST {} with 200 and the updated challenge",
			labels("rfc8555:7.5.1", "MUST", "challenge-respond"), func() {
				ch, _ := h.startChallenge()
				Expect(ch.Status).To(BeElementOf(acme.StatusPending, acme.StatusProcessing,
					acme.StatusValid))
			})

		It("links its authorization with rel=up",
			labels("rfc8555:7.1", "SHOULD", "challenge-link-up"), func() {
				_, resp := h.startChallenge()
				Expect(resp.Links("up")).NotTo(BeEmpty())
			})

		It("marks the validated challenge valid with a validated time",
			labels("rfc8555:8", "MUST", "challenge-valid-validated"), func() {
				h.needValidation() // a reused validation may list no challenge
				o := h.readyOrder(h.name())
				a, err := h.f.FetchAuthz(h.ctx, h.account(), o.Authorizations[0])
				Expect(err).NotTo(HaveOccurred())
				var valid []acme.Challenge
				for _, c := range a.Challenges {
					if c.Status == acme.StatusValid {
						valid = append(valid, c)
					}
				}
				Expect(valid).NotTo(BeEmpty(), "no valid challenge in a valid authz")
				for _, c := range valid {
					Expect(c.Validated).NotTo(BeNil(), "challenge %s", c.Type)
				}
			})
	})

	dns01Specs(h)
}

// startChallenge publishes the answer to a fresh authorization's
// challenge, responds to it and returns the server's answer.
func (h *harness) startChallenge() (*acme.Challenge, *probe.Response) {
	GinkgoHelper()
	h.needValidation()
	a, _ := h.pendingAuthz(h.name())
	ch, err := h.f.PickChallenge(a)
	skipNoSolver(err, "pick challenge")
	undo, err := h.f.Publish(h.ctx, h.account(), a, ch)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(undo)
	acct := h.account()
	resp, err := h.p.Post(h.ctx, acct.Request(ch.URL, []byte("{}")))
	Expect(err).NotTo(HaveOccurred())
	expectSuccess(resp, http.StatusOK)
	var got acme.Challenge
	Expect(resp.Decode(&got)).To(Succeed())
	Expect(got.URL).To(Equal(ch.URL))
	return &got, resp
}
