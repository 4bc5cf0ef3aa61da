package server

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

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
				o, err = h.f.WaitReady(h.ctx, h.account(), o.URL)
				skipNoSolver(err, "wait for the order to be ready")
				done, err := h.f.Finalize(h.ctx, h.account(), o, h.csr(name))
				skipInconclusive(err)
				if err != nil {
					return // refusing at finalize is refusing the request
				}
				chain, _, err := h.f.Download(h.ctx, h.account(), done.Certificate)
				Expect(err).NotTo(HaveOccurred())
				Expect(chain[0].NotAfter).To(BeTemporally("~", notAfter, time.Second))
			})
	})
}
