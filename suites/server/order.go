package server

import (
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites/flow"
)

// orderSpecs covers newOrder and the order object (RFC 8555 §7.1.3, §7.4)
// and the order state machine (§7.1.6).
func orderSpecs(h *harness) {
	Describe("newOrder", func() {
		h.setup()

		It("creates an order with 201 and its URL in Location",
			labels("rfc8555:7.4", "MUST", "order-create-201"), func() {
				_, resp, err := h.f.CreateOrder(h.ctx, h.account(), newOrderReq(h.name()))
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusCreated)
				Expect(resp.Location()).NotTo(BeEmpty())
			})

		It("returns a pending order with authorizations, finalize and expires",
			labels("rfc8555:7.1.3", "MUST", "order-object-fields"), func() {
				o, err := h.f.NewOrder(h.ctx, h.account(), newOrderReq(h.name()))
				Expect(err).NotTo(HaveOccurred())
				Expect(o.Status).To(BeElementOf(acme.StatusPending, acme.StatusReady))
				Expect(o.Authorizations).NotTo(BeEmpty())
				Expect(o.Finalize).NotTo(BeEmpty())
				Expect(o.Expires).NotTo(BeNil(), "a pending order needs expires")
			})

		It("echoes the requested identifiers",
			labels("rfc8555:7.4", "MUST", "order-identifiers-echo"), func() {
				names := []string{h.name(), h.name()}
				o, err := h.f.NewOrder(h.ctx, h.account(), newOrderReq(names...))
				Expect(err).NotTo(HaveOccurred())
				Expect(o.Identifiers).To(ConsistOf(flow.DNSIDs(names...)))
			})

		It("keeps identifiers and authorizations unchanged when read back",
			labels("rfc8555:7.1.3", "MUST", "order-arrays-immutable"), func() {
				a := h.account()
				o, err := h.f.NewOrder(h.ctx, a, newOrderReq(h.name(), h.name()))
				Expect(err).NotTo(HaveOccurred())
				got, err := h.f.FetchOrder(h.ctx, a, o.URL)
				Expect(err).NotTo(HaveOccurred())
				Expect(got.Identifiers).To(ConsistOf(o.Identifiers))
				Expect(got.Authorizations).To(ConsistOf(o.Authorizations))
			})

		It("refuses an identifier of an unknown type",
			labels("rfc8555:7.4", "MUST", "order-unsupported-identifier"), func() {
				req := acme.NewOrderRequest{Identifiers: []acme.Identifier{
					{Type: "acmeconform-unknown", Value: h.name()}}}
				_, resp, err := h.f.CreateOrder(h.ctx, h.account(), req)
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0, acme.ProblemUnsupportedIdentifier,
					acme.ProblemMalformed, acme.ProblemRejectedIdentifier)
			})

		DescribeTable("refuses a dns name that cannot appear in a certificate",
			func(name func() string) {
				_, resp, err := h.f.CreateOrder(h.ctx, h.account(), newOrderReq(name()))
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0, acme.ProblemMalformed, acme.ProblemRejectedIdentifier)
			},
			Entry("with an empty label", labels("rfc8555:7.1.4", "MUST",
				"order-invalid-dns-name"), func() string { return "bad..label." + h.target.Domain }),
			Entry("with a character outside letters, digits and hyphen",
				labels("rfc8555:7.1.4", "MUST", "order-invalid-dns-name"),
				func() string { return "bad_char!." + h.target.Domain }),
			Entry("with a trailing dot", labels("rfc8555:7.1.4", "MUST",
				"order-trailing-dot-refused"), func() string { return h.name() + "." }),
			Entry("with a malformed xn-- label", labels("rfc8555:7.1.4", "MUST",
				"idn-xn-labels-verified"), func() string { return "xn--zz-." + h.target.Domain }),
		)

		It("treats names that differ only in case as one identifier",
			labels("rfc8555:7.1.4", "SHOULD", "order-case-insensitive"), func() {
				name := h.name()
				req := newOrderReq(strings.ToUpper(name), name)
				o, resp, err := h.f.CreateOrder(h.ctx, h.account(), req)
				Expect(err).NotTo(HaveOccurred())
				if resp.Status >= 400 {
					expectProblem(resp, 0, acme.ProblemMalformed, acme.ProblemRejectedIdentifier)
					return
				}
				Expect(o.Authorizations).To(HaveLen(1), "one name, one authorization")
			})

		It("refuses an empty identifier list",
			labels("rfc8555:7.4", "MUST", "order-empty-identifiers"), func() {
				_, resp, err := h.f.CreateOrder(h.ctx, h.account(), acme.NewOrderRequest{
					Identifiers: []acme.Identifier{}})
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0, acme.ProblemMalformed, acme.ProblemRejectedIdentifier)
			})

		It("refuses a payload with the wrong JSON types as malformed",
			labels("rfc8555:7.4", "MUST", "order-wrong-json-types"), func() {
				a := h.account()
				resp, err := h.p.Post(h.ctx, a.Request(h.dir().NewOrder,
					[]byte(`{"identifiers":"`+h.name()+`"}`)))
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0, acme.ProblemMalformed)
			})
	})

	Describe("Order lifecycle", func() {
		h.setup()

		It("becomes ready once every authorization is valid",
			labels("rfc8555:7.1.6", "MUST", "order-ready-after-authz"), func() {
				o := h.readyOrder()
				Expect(o.Status).To(Equal(acme.StatusReady))
			})

		It("refuses finalize before ready with 403 orderNotReady",
			labels("rfc8555:7.4", "MUST", "order-finalize-not-ready"), func() {
				a := h.account()
				name := h.name()
				o, err := h.f.NewOrder(h.ctx, a, newOrderReq(name))
				Expect(err).NotTo(HaveOccurred())
				if o.Status != acme.StatusPending {
					Skip("server made the order " + string(o.Status) + " at once")
				}
				csr := h.csr(name)
				resp, err := h.f.SendFinalize(h.ctx, a, o, csr)
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, http.StatusForbidden, acme.ProblemOrderNotReady)
				got, err := h.f.FetchOrder(h.ctx, a, o.URL)
				Expect(err).NotTo(HaveOccurred())
				Expect(got.Status).To(Equal(acme.StatusPending), "order changed state")
			})

		It("issues a certificate for a ready order and becomes valid",
			labels("rfc8555:7.4", "MUST", "order-finalize-valid"), func() {
				iss := h.issue()
				Expect(iss.Order.Status).To(Equal(acme.StatusValid))
				Expect(iss.Order.Certificate).NotTo(BeEmpty())
			})

		It("still carries expires once valid",
			labels("rfc8555:7.1.3", "MUST", "order-object-fields"), func() {
				Expect(h.issue().Order.Expires).NotTo(BeNil(), "a valid order needs expires")
			})
	})
}

// csr returns a CSR for names with a fresh key.
func (h *harness) csr(names ...string) []byte {
	GinkgoHelper()
	key, err := flow.NewCertKey()
	Expect(err).NotTo(HaveOccurred())
	der, err := flow.NewCSR(key, names...)
	Expect(err).NotTo(HaveOccurred())
	return der
}
