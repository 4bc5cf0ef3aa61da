package server

import (
	"encoding/json"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
)

// accountResourceSpecs covers the account URL: reading, updating,
// deactivating (RFC 8555 §7.3.2, §7.3.6) and the orders list (§7.1.2.1).
func accountResourceSpecs(h *harness) {
	Describe("Account", func() {
		h.setup()

		It("returns the account object on POST-as-GET",
			labels("rfc8555:7.3", "MUST", "account-post-as-get"), func() {
				a := h.account()
				got, resp, err := h.f.FetchAccount(h.ctx, a)
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
				Expect(resp.MediaType()).To(Equal(acme.MediaJSON))
				Expect(got.Status).To(Equal(acme.StatusValid))
			})

		It("updates the contact list and answers 200 with the account",
			labels("rfc8555:7.3.2", "MUST", "account-update"), func() {
				a := h.account()
				contact := []string{"mailto:ops@" + h.name()}
				resp, err := h.p.PostJSON(h.ctx, a.URL, a.Key, a.URL,
					map[string]any{"contact": contact})
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
				got, _, err := h.f.FetchAccount(h.ctx, a)
				Expect(err).NotTo(HaveOccurred())
				Expect(got.Contact).To(Equal(contact))
			})

		It("ignores updates to the orders field",
			labels("rfc8555:7.3.2", "MUST", "account-update-ignores-orders"), func() {
				a := h.account()
				resp, err := h.p.PostJSON(h.ctx, a.URL, a.Key, a.URL,
					map[string]any{"orders": "https://attacker.invalid/orders"})
				Expect(err).NotTo(HaveOccurred())
				Expect(resp.Status).To(BeNumerically("<", 500))
				got, _, err := h.f.FetchAccount(h.ctx, a)
				Expect(err).NotTo(HaveOccurred())
				Expect(got.Orders).To(Equal(a.Object.Orders))
			})

		It("lists the account's orders as an object with an orders array",
			labels("rfc8555:7.1.2.1", "MUST", "orders-list-object"), func() {
				a := h.account()
				_, err := h.f.NewOrder(h.ctx, a, newOrderReq(h.name()))
				Expect(err).NotTo(HaveOccurred())
				list := h.ordersList(a.Object.Orders)
				Expect(list).To(HaveKey("orders"))
				var urls []string
				Expect(json.Unmarshal(list["orders"], &urls)).To(Succeed(), "orders is an array")
			})

		It("includes pending orders in the orders list",
			labels("rfc8555:7.1.2.1", "SHOULD", "orders-list-pending"), func() {
				a := h.account()
				o, err := h.f.NewOrder(h.ctx, a, newOrderReq(h.name()))
				Expect(err).NotTo(HaveOccurred())
				var urls []string
				Expect(json.Unmarshal(h.ordersList(a.Object.Orders)["orders"], &urls)).To(Succeed())
				Expect(urls).To(ContainElement(o.URL))
			})
	})

	Describe("Account deactivation", func() {
		h.setup()

		It("deactivates the account on request",
			labels("rfc8555:7.3.6", "MUST", "account-deactivate"), func() {
				a := h.account()
				resp, err := h.p.PostJSON(h.ctx, a.URL, a.Key, a.URL,
					map[string]any{"status": acme.StatusDeactivated})
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
				var got acme.Account
				Expect(resp.Decode(&got)).To(Succeed())
				Expect(got.Status).To(Equal(acme.StatusDeactivated))
			})

		It("refuses requests of a deactivated account with 401 unauthorized",
			labels("rfc8555:7.3.6", "MUST", "account-deactivated-refused"), func() {
				a := h.account()
				resp, err := h.p.PostJSON(h.ctx, a.URL, a.Key, a.URL,
					map[string]any{"status": acme.StatusDeactivated})
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
				_, resp, err = h.f.CreateOrder(h.ctx, a, newOrderReq(h.name()))
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, http.StatusUnauthorized, acme.ProblemUnauthorized)
			})
	})
}

// ordersList fetches the orders list and returns its members.
func (h *harness) ordersList(url string) map[string]json.RawMessage {
	GinkgoHelper()
	Expect(url).NotTo(BeEmpty(), "account has no orders URL")
	a := h.account()
	resp, err := h.p.PostAsGet(h.ctx, url, a.Key, a.URL)
	Expect(err).NotTo(HaveOccurred())
	expectSuccess(resp, http.StatusOK)
	var obj map[string]json.RawMessage
	Expect(resp.Decode(&obj)).To(Succeed())
	return obj
}

// newOrderReq returns a newOrder payload for dns names.
func newOrderReq(names ...string) acme.NewOrderRequest {
	ids := make([]acme.Identifier, len(names))
	for i, n := range names {
		ids[i] = acme.Identifier{Type: acme.IdentifierDNS, Value: n}
	}
	return acme.NewOrderRequest{Identifiers: ids}
}
