package server

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// finalizeNameSpecs covers CSRs that name the order's identifiers and more
// (RFC 8555 §7.4: the CSR must name exactly the order's identifiers).
func finalizeNameSpecs(h *harness) {
	Describe("Finalize with extra names", func() {
		h.setup()

		It("refuses a CSR that adds a name to the order's",
			labels("rfc8555:7.4", "MUST", "finalize-csr-mismatch-refused"), func() {
				name := h.issueName()
				o := h.readyOrder(name)
				By("finalizing with a CSR for the order's name and one more")
				resp, err := h.f.SendFinalize(h.ctx, h.account(), o, h.csr(name, h.name()))
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0)
			})
	})
}
