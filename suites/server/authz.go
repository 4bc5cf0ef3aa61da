package server

import (
	"encoding/json"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites/flow"
)

// authzSpecs covers authorizations (RFC 8555 §7.1.4, §7.5, §7.5.2).
func authzSpecs(h *harness) {
	Describe("Authorization", func() {
		h.setup()

		It("names its identifier and offers challenges while pending",
			labels("rfc8555:7.1.4", "MUST", "authz-object-fields", "authz-post-as-get"), func() {
				name := h.name()
				a, _ := h.pendingAuthz(name)
				Expect(a.Identifier).To(Equal(acme.Identifier{Type: acme.IdentifierDNS, Value: name}))
				Expect(a.Status).To(Equal(acme.StatusPending))
				Expect(a.Challenges).NotTo(BeEmpty())
			})

		It("leaves the wildcard field out for a plain name",
			labels("rfc8555:7.1.4", "MUST", "authz-no-wildcard-field-otherwise"), func() {
				_, url := h.pendingAuthz(h.name())
				raw := h.rawObject(url)
				Expect(raw).NotTo(HaveKey("wildcard"))
			})

		It("gives a wildcard's base name and wildcard true",
			labels("rfc8555:7.1.4", "MUST", "authz-wildcard-field"), func() {
				base := h.name()
				o, resp, err := h.f.CreateOrder(h.ctx, h.account(), newOrderReq("*."+base))
				Expect(err).NotTo(HaveOccurred())
				if resp.Status >= 400 {
					Skip("server refuses wildcard orders: " + resp.Err().Error())
				}
				Expect(o.Authorizations).To(HaveLen(1))
				a, err := h.f.FetchAuthz(h.ctx, h.account(), o.Authorizations[0])
				Expect(err).NotTo(HaveOccurred())
				Expect(a.Identifier.Value).To(Equal(base))
				Expect(a.Wildcard).To(BeTrue())
			})

		It("carries expires once valid",
			labels("rfc8555:7.1.4", "MUST", "authz-valid-expires"), func() {
				o := h.readyOrder()
				a, err := h.f.FetchAuthz(h.ctx, h.account(), o.Authorizations[0])
				Expect(err).NotTo(HaveOccurred())
				Expect(a.Status).To(Equal(acme.StatusValid))
				Expect(a.Expires).NotTo(BeNil())
			})

		It("deactivates on request",
			labels("rfc8555:7.5.2", "MUST", "authz-deactivate"), func() {
				_, url := h.pendingAuthz(h.name())
				a := h.deactivateAuthz(h.account(), url)
				Expect(a.Status).To(Equal(acme.StatusDeactivated))
			})

		It("refuses deactivation by another account",
			labels("rfc8555:7.5.2", "MUST", "authz-other-account-refused"), func() {
				_, url := h.pendingAuthz(h.name())
				other := h.newAccount()
				resp, err := h.p.PostJSON(h.ctx, url, other.Key, other.URL,
					map[string]any{"status": acme.StatusDeactivated})
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0, acme.ProblemUnauthorized, acme.ProblemMalformed)
				a, err := h.f.FetchAuthz(h.ctx, h.account(), url)
				Expect(err).NotTo(HaveOccurred())
				Expect(a.Status).To(Equal(acme.StatusPending))
			})
	})

	Describe("Order with a deactivated authorization", func() {
		h.setup()

		It("becomes invalid",
			labels("rfc8555:7.1.6", "MUST", "order-invalid-after-authz-fails"), func() {
				a := h.account()
				o, err := h.f.NewOrder(h.ctx, a, newOrderReq(h.name()))
				Expect(err).NotTo(HaveOccurred())
				h.deactivateAuthz(a, o.Authorizations[0])
				got, err := h.f.FetchOrder(h.ctx, a, o.URL)
				Expect(err).NotTo(HaveOccurred())
				Expect(got.Status).To(Equal(acme.StatusInvalid))
			})

		It("does not hand the deactivated authorization to a new order",
			labels("rfc8555:7.5.2", "MUST", "authz-deactivated-not-used"), func() {
				a := h.account()
				name := h.name()
				o, err := h.f.NewOrder(h.ctx, a, newOrderReq(name))
				Expect(err).NotTo(HaveOccurred())
				h.needValidation()
				Expect(h.f.Solve(h.ctx, a, o.Authorizations[0])).To(Succeed())
				h.deactivateAuthz(a, o.Authorizations[0])
				again, err := h.f.NewOrder(h.ctx, a, newOrderReq(name))
				Expect(err).NotTo(HaveOccurred())
				Expect(again.Status).To(Equal(acme.StatusPending))
				az, err := h.f.FetchAuthz(h.ctx, a, again.Authorizations[0])
				Expect(err).NotTo(HaveOccurred())
				Expect(az.Status).To(Equal(acme.StatusPending))
			})
	})
}

// pendingAuthz creates an order for name and returns its authorization.
func (h *harness) pendingAuthz(name string) (*acme.Authorization, string) {
	GinkgoHelper()
	o, err := h.f.NewOrder(h.ctx, h.account(), newOrderReq(name))
	Expect(err).NotTo(HaveOccurred())
	Expect(o.Authorizations).To(HaveLen(1))
	a, err := h.f.FetchAuthz(h.ctx, h.account(), o.Authorizations[0])
	Expect(err).NotTo(HaveOccurred())
	return a, o.Authorizations[0]
}

// deactivateAuthz deactivates an authorization (§7.5.2) and returns it.
func (h *harness) deactivateAuthz(a *flow.Account, url string) *acme.Authorization {
	GinkgoHelper()
	resp, err := h.p.PostJSON(h.ctx, url, a.Key, a.URL,
		map[string]any{"status": acme.StatusDeactivated})
	Expect(err).NotTo(HaveOccurred())
	expectSuccess(resp, http.StatusOK)
	var az acme.Authorization
	Expect(resp.Decode(&az)).To(Succeed())
	return &az
}

// rawObject reads a resource with POST-as-GET as raw JSON members.
func (h *harness) rawObject(url string) map[string]json.RawMessage {
	GinkgoHelper()
	a := h.account()
	resp, err := h.p.PostAsGet(h.ctx, url, a.Key, a.URL)
	Expect(err).NotTo(HaveOccurred())
	expectSuccess(resp, http.StatusOK)
	var obj map[string]json.RawMessage
	Expect(resp.Decode(&obj)).To(Succeed())
	return obj
}
