package server

import (
	"net/http"
	"regexp"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites/flow"
)

// preauthSpecs covers pre-authorization (RFC 8555 §7.4.1) when the
// directory offers newAuthz.
func preauthSpecs(h *harness) {
	Describe("newAuthz", func() {
		h.setup()

		It("creates a pending authorization when the directory offers it",
			labels("rfc8555:7.4.1", "MUST", "directory-newauthz-only-if-supported",
				"preauth-newauthz"), func() {
				url := h.dir().NewAuthz
				if url == "" {
					Skip("directory offers no newAuthz")
				}
				a := h.account()
				name := h.name()
				resp, err := h.p.PostJSON(h.ctx, url, a.Key, a.URL, map[string]any{
					"identifier": acme.Identifier{Type: acme.IdentifierDNS, Value: name}})
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusCreated)
				Expect(resp.Location()).NotTo(BeEmpty())
				var az acme.Authorization
				Expect(resp.Decode(&az)).To(Succeed())
				Expect(az.Status).To(Equal(acme.StatusPending))
				Expect(az.Identifier.Value).To(Equal(name))
			})
	})
}

// moreAccountSpecs covers contact validation and the orders list paging
// (RFC 8555 §7.3, §7.1.2.1).
func moreAccountSpecs(h *harness) {
	Describe("Account details", func() {
		h.setup()

		It("refuses a malformed mailto contact with invalidContact",
			labels("rfc8555:7.3", "MUST", "account-contact-invalid"), func() {
				h.canCreateAccounts()
				_, resp, err := h.f.CreateAccount(h.ctx,
					flow.AccountOptions{Contact: []string{"mailto:not an address"}})
				Expect(err).NotTo(HaveOccurred())
				if resp.Status < 300 {
					Skip("server does not validate mailto contacts")
				}
				expectProblem(resp, 0, acme.ProblemInvalidContact)
			})

		It("lists every order, across pages linked with rel=next",
			labels("rfc8555:7.1.2.1", "MAY", "orders-list-paging"), func() {
				a := h.account()
				var want []string
				for range 4 {
					o, err := h.f.NewOrder(h.ctx, a, newOrderReq(h.name()))
					Expect(err).NotTo(HaveOccurred())
					want = append(want, o.URL)
				}
				Expect(h.allOrders(a, a.Object.Orders)).To(ContainElements(want))
			})
	})
}

// allOrders follows the orders list through its rel=next links.
func (h *harness) allOrders(a *flow.Account, url string) []string {
	GinkgoHelper()
	var all []string
	for page := 0; url != "" && page < 20; page++ {
		resp, err := h.p.PostAsGet(h.ctx, url, a.Key, a.URL)
		Expect(err).NotTo(HaveOccurred())
		expectSuccess(resp, http.StatusOK)
		var list acme.OrdersList
		Expect(resp.Decode(&list)).To(Succeed())
		all = append(all, list.Orders...)
		url = ""
		if next := resp.Links("next"); len(next) > 0 {
			url = next[0]
		}
	}
	return all
}

// orderWindowSpecs covers notBefore and notAfter in newOrder (RFC 8555
// §7.4): a server honours them or refuses the order.
func orderWindowSpecs(h *harness) {
	Describe("Order validity window", func() {
		h.setup()

		It("honours a requested notAfter or refuses the order",
			labels("rfc8555:7.4", "MUST", "order-not-before-after"), func() {
				h.needValidation()
				name := h.name()
				notAfter := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Second)
				req := newOrderReq(name)
				req.NotAfter = notAfter.Format(time.RFC3339)
				o, resp, err := h.f.CreateOrder(h.ctx, h.account(), req)
				Expect(err).NotTo(HaveOccurred())
				if resp.Status >= 400 {
					expectProblem(resp, 0)
					return
				}
				Expect(h.f.Authorize(h.ctx, h.account(), o)).To(Succeed())
				o, err = h.f.WaitOrder(h.ctx, h.account(), o.URL, acme.StatusReady)
				Expect(err).NotTo(HaveOccurred())
				done, err := h.f.Finalize(h.ctx, h.account(), o, h.csr(name))
				if err != nil {
					return // refusing at finalize is refusing the request
				}
				chain, _, err := h.f.Download(h.ctx, h.account(), done.Certificate)
				Expect(err).NotTo(HaveOccurred())
				Expect(chain[0].NotAfter).To(BeTemporally("~", notAfter, time.Second))
			})
	})
}

// revokeMoreSpecs covers the other revocation authorities (RFC 8555 §7.6).
func revokeMoreSpecs(h *harness) {
	Describe("revokeCert by other authorities", func() {
		h.setup()

		It("lets an account that validated every name revoke",
			labels("rfc8555:7.6", "MUST", "revoke-by-authorized-account"), func() {
				name := h.name()
				iss := h.issue(name)
				other := h.newAccount()
				_, err := h.f.ReadyOrder(h.ctx, other, name)
				skipNoSolver(err, "validate the name for a second account")
				resp, err := h.f.SendRevoke(h.ctx, other, nil, iss.Chain[0], nil)
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
			})

		It("names the allowed reason codes when refusing one",
			labels("rfc8555:7.6", "SHOULD", "revoke-bad-reason-lists"), func() {
				iss := h.issue()
				reason := 99
				resp, err := h.f.SendRevoke(h.ctx, h.account(), nil, iss.Chain[0], &reason)
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0, acme.ProblemBadRevocationReason)
				codes := regexp.MustCompile(`\d+`).FindAllString(resp.Problem().Detail, -1)
				Expect(len(codes)).To(BeNumerically(">=", 2), "detail names no reason codes")
			})
	})
}
