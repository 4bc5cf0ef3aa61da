package server

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites/probe"
)

// finalizeSpecs covers finalize and the CSR checks of RFC 8555 §7.4 and
// §11.1.
func finalizeSpecs(h *harness) {
	Describe("Finalize", func() {
		h.setup()

		It("answers 200 with the updated order",
			labels("rfc8555:7.4", "MUST", "finalize-response-order"), func() {
				name := h.issueName()
				o := h.readyOrder(name)
				resp, err := h.f.SendFinalize(h.ctx, h.account(), o, h.csr(name))
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
				var got acme.Order
				Expect(resp.Decode(&got)).To(Succeed())
				Expect(got.Status).To(BeElementOf(acme.StatusProcessing, acme.StatusValid))
			})

		It("refuses a CSR for other names than the order's",
			labels("rfc8555:7.4", "MUST", "finalize-csr-mismatch-refused"), func() {
				resp := h.finalizeWith(csrOptions{}, h.name())
				expectProblem(resp, 0)
			})

		It("answers a CSR for other names with badCSR",
			labels("rfc8555:7.4", "SHOULD", "finalize-csr-mismatch"), func() {
				resp := h.finalizeWith(csrOptions{}, h.name())
				expectProblem(resp, 0, acme.ProblemBadCSR)
			})

		It("keeps the order ready after refusing a CSR",
			labels("rfc8555:7.4", "SHOULD", "finalize-stays-ready"), func() {
				o := h.readyOrder(h.issueName())
				resp, err := h.f.SendFinalize(h.ctx, h.account(), o, h.csr(h.name()))
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0)
				got, err := h.f.FetchOrder(h.ctx, h.account(), o.URL)
				Expect(err).NotTo(HaveOccurred())
				Expect(got.Status).To(Equal(acme.StatusReady))
			})

		It("accepts a CSR that names the identifier only as common name",
			labels("rfc8555:7.4", "SHOULD", "finalize-csr-cn-only"), func() {
				resp := h.finalizeWith(csrOptions{cnOnly: true})
				expectSuccess(resp, http.StatusOK)
			})

		It("accepts a CSR that splits the names between common name and SAN",
			labels("rfc8555:7.4", "SHOULD", "finalize-csr-cn-only"), func() {
				a, b := h.name(), h.name()
				o := h.readyOrder(a, b)
				csr := buildCSR(csrOptions{cnOnly: true, extraSAN: []string{b}}, a)
				resp, err := h.f.SendFinalize(h.ctx, h.account(), o, csr)
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
			})

		It("refuses a CSR naming the U-label form of an xn-- identifier",
			labels("rfc8555:7.1.4", "MUST", "finalize-csr-ulabel-refused"), func() {
				label := h.name()
				alabel := "xn--bcher-kva." + label
				o := h.readyOrder(alabel)
				csr := buildCSR(csrOptions{rawSAN: []string{"b\u00fccher." + label}})
				resp, err := h.f.SendFinalize(h.ctx, h.account(), o, csr)
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0)
			})

		It("finds the SAN extension behind an EKU extension",
			labels("rfc8555:7.4", "SHOULD", "finalize-csr-extension-order"), func() {
				resp := h.finalizeWith(csrOptions{ekuFirst: true})
				if resp.Status >= 400 {
					By("a refusal must blame the CSR, not the identifiers")
					expectProblem(resp, 0, acme.ProblemBadCSR)
				}
			})

		It("refuses a CSR with an RSA-1024 key with badCSR",
			labels("rfc8555:7.4", "SHOULD", "finalize-csr-weak-key"), func() {
				k, err := rsa.GenerateKey(rand.Reader, 1024)
				Expect(err).NotTo(HaveOccurred())
				resp := h.finalizeWith(csrOptions{key: k})
				expectProblem(resp, 0, acme.ProblemBadCSR)
			})

		It("refuses a CSR signed with SHA-1 with badCSR",
			labels("rfc8555:7.4", "SHOULD", "finalize-csr-sha1"), func() {
				resp := h.finalizeWith(csrOptions{sigAlg: x509.SHA1WithRSA})
				expectProblem(resp, 0, acme.ProblemBadCSR)
			})

		It("refuses a CSR for the account's own key",
			labels("rfc8555:11.1", "SHOULD", "cert-key-not-account-key"), func() {
				resp := h.finalizeWith(csrOptions{key: h.account().Key.Signer})
				expectProblem(resp, 0)
			})
	})
}

// finalizeWith readies an order for a fresh name and finalizes it with a
// CSR built from o, for the order's name or for csrNames when given.
func (h *harness) finalizeWith(o csrOptions, csrNames ...string) *probe.Response {
	GinkgoHelper()
	name := h.issueName()
	order := h.readyOrder(name)
	if len(csrNames) == 0 {
		csrNames = []string{name}
	}
	resp, err := h.f.SendFinalize(h.ctx, h.account(), order, buildCSR(o, csrNames...))
	Expect(err).NotTo(HaveOccurred())
	return resp
}
