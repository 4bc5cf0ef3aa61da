package server

import (
	"crypto/x509"
	"encoding/base64"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites/flow"
)

// certID returns the ARI identifier of a certificate: base64url of the
// authority key identifier, a dot, base64url of the serial number's DER
// content octets (RFC 9773 §4.1).
func certID(c *x509.Certificate) string {
	serial := c.SerialNumber.Bytes()
	if len(serial) == 0 || serial[0]&0x80 != 0 {
		serial = append([]byte{0}, serial...)
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString(c.AuthorityKeyId) + "." + enc.EncodeToString(serial)
}

// ariSpecs covers renewal information (RFC 9773) when the directory
// offers it.
func ariSpecs(h *harness) {
	Describe("Renewal information", Label("rfc9773"), func() {
		h.setup()
		var base string
		BeforeEach(func() {
			if base = h.dir().RenewalInfo; base == "" {
				Skip("directory offers no renewalInfo")
			}
			base = strings.TrimSuffix(base, "/")
		})

		It("answers GET with a suggested window whose end follows its start",
			labels("rfc9773:4.2", "MUST", "ari-window"), func() {
				iss := h.issue()
				resp, err := h.p.Get(h.ctx, base+"/"+certID(iss.Chain[0]))
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
				var ri acme.RenewalInfo
				Expect(resp.Decode(&ri)).To(Succeed())
				Expect(ri.SuggestedWindow.Start.IsZero()).To(BeFalse(), "no window start")
				Expect(ri.SuggestedWindow.End.After(ri.SuggestedWindow.Start)).To(BeTrue())
			})

		It("tells clients when to ask again with Retry-After",
			labels("rfc9773:4.3", "SHOULD", "ari-retry-after"), func() {
				iss := h.issue()
				resp, err := h.p.Get(h.ctx, base+"/"+certID(iss.Chain[0]))
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
				Expect(resp.Header.Get("Retry-After")).NotTo(BeEmpty())
			})

		It("refuses a malformed certificate identifier",
			labels("rfc9773:4.1", "SHOULD", "ari-bad-certid"), func() {
				resp, err := h.p.Get(h.ctx, base+"/not-a-cert-id")
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0)
			})

		It("refuses to replace a certificate twice with alreadyReplaced",
			labels("rfc9773:5", "SHOULD", "ari-already-replaced"), func() {
				iss := h.issue()
				req := acme.NewOrderRequest{Identifiers: iss.Order.Identifiers,
					Replaces: certID(iss.Chain[0])}
				o, resp, err := h.f.CreateOrder(h.ctx, h.account(), req)
				Expect(err).NotTo(HaveOccurred())
				if resp.Status >= 400 {
					Skip("server does not accept replaces: " + resp.Err().Error())
				}
				Expect(h.f.Authorize(h.ctx, h.account(), o)).To(Succeed())
				ready, err := h.f.WaitReady(h.ctx, h.account(), o.URL)
				skipNoSolver(err, "wait for the order to be ready")
				_, err = h.f.Finalize(h.ctx, h.account(), ready, h.csr(dnsNames(o)...))
				skipNoSolver(err, "finalize the order")
				_, resp, err = h.f.CreateOrder(h.ctx, h.account(), req)
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0, acme.ProblemAlreadyReplaced)
			})

		It("keeps replaces in the order as sent",
			labels("rfc9773:5", "MUST", "ari-replaces-echo"), func() {
				iss := h.issue()
				id := certID(iss.Chain[0])
				req := acme.NewOrderRequest{Identifiers: iss.Order.Identifiers, Replaces: id}
				o, resp, err := h.f.CreateOrder(h.ctx, h.account(), req)
				Expect(err).NotTo(HaveOccurred())
				if resp.Status >= 400 {
					Skip("server does not accept replaces: " + resp.Err().Error())
				}
				Expect(o.Replaces).To(Equal(id))
				got, err := h.f.FetchOrder(h.ctx, h.account(), o.URL)
				Expect(err).NotTo(HaveOccurred())
				Expect(got.Replaces).To(Equal(id))
			})
	})
}

// dnsNames returns the values of an order's identifiers.
func dnsNames(o *flow.Order) []string {
	out := make([]string, len(o.Identifiers))
	for i, id := range o.Identifiers {
		out[i] = id.Value
	}
	return out
}
