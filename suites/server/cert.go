package server

import (
	"crypto"
	"crypto/x509"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites/flow"
)

// certSpecs covers the issued certificate and its download (RFC 8555
// §7.4, §7.4.2).
func certSpecs(h *harness) {
	Describe("Certificate", func() {
		h.setup()

		It("is served as application/pem-certificate-chain",
			labels("rfc8555:7.4.2", "MUST", "cert-download-pem", "order-valid-has-certificate"),
			func() {
				iss := h.issue()
				a := h.account()
				resp, err := h.p.Post(h.ctx, a.Request(iss.Order.Certificate, nil))
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, 200)
				Expect(resp.MediaType()).To(Equal(acme.MediaPEMChain))
				_, err = flow.ParseChain(resp.Body)
				Expect(err).NotTo(HaveOccurred())
			})

		It("names exactly the order's identifiers",
			labels("rfc8555:7.4", "MUST", "cert-identifiers-match"), func() {
				names := []string{h.name(), h.name()}
				iss := h.issue(names...)
				Expect(lower(iss.Chain[0].DNSNames)).To(ConsistOf(lower(names)))
			})

		It("certifies the key of the CSR",
			labels("rfc8555:7.4", "MUST", "cert-key-match"), func() {
				iss := h.issue()
				pub, ok := iss.Key.Public().(interface{ Equal(crypto.PublicKey) bool })
				Expect(ok).To(BeTrue())
				Expect(pub.Equal(iss.Chain[0].PublicKey)).To(BeTrue(), "leaf key differs from CSR key")
			})

		It("comes as a chain where each certificate signs the one before",
			labels("rfc8555:7.4.2", "MUST", "cert-chain-order"), func() {
				checkChainOrder(h.issue().Chain)
			})

		It("chains to the target's known roots",
			labels("rfc8555:7.4.2", "MUST", "cert-chain-verifies"), func() {
				if h.target.IssuerRoots == nil {
					Skip("target names no issuer roots")
				}
				iss := h.issue()
				inter := x509.NewCertPool()
				for _, c := range iss.Chain[1:] {
					inter.AddCert(c)
				}
				_, err := iss.Chain[0].Verify(x509.VerifyOptions{Roots: h.target.IssuerRoots,
					Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
				Expect(err).NotTo(HaveOccurred())
			})

		It("offers alternate chains that start with the same leaf",
			labels("rfc8555:7.4.2", "SHOULD", "cert-alternate-same-leaf"), func() {
				iss := h.issue()
				a := h.account()
				resp, err := h.p.Post(h.ctx, a.Request(iss.Order.Certificate, nil))
				Expect(err).NotTo(HaveOccurred())
				alts := resp.Links("alternate")
				if len(alts) == 0 {
					Skip("server offers no alternate chains")
				}
				for _, u := range alts {
					chain, _, err := h.f.Download(h.ctx, a, u)
					Expect(err).NotTo(HaveOccurred(), "alternate %s", u)
					Expect(chain[0].Raw).To(Equal(iss.Chain[0].Raw), "alternate %s", u)
					checkChainOrder(chain)
				}
			})
	})
}

// checkChainOrder asserts every certificate is signed by the next one.
func checkChainOrder(chain []*x509.Certificate) {
	GinkgoHelper()
	for i := 0; i+1 < len(chain); i++ {
		Expect(chain[i].CheckSignatureFrom(chain[i+1])).To(Succeed(),
			"certificate %d is not signed by certificate %d", i, i+1)
	}
}

func lower(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.ToLower(n)
	}
	return out
}
