package server

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites/flow"
)

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
