package server

import (
	"crypto/rand"
	"crypto/x509"
	"net"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites/flow"
)

// loopbackIP is the ip identifier specs order: the harness's own
// responders listen there.
const loopbackIP = "127.0.0.1"

// ipSpecs covers ip identifiers (RFC 8738) on servers that accept them.
func ipSpecs(h *harness) {
	Describe("IP identifiers", Label("rfc8738"), func() {
		h.setup()
		ipOrder := func(value string) (*flow.Order, bool) {
			req := acme.NewOrderRequest{Identifiers: []acme.Identifier{
				{Type: acme.IdentifierIP, Value: value}}}
			o, resp, err := h.f.CreateOrder(h.ctx, h.account(), req)
			Expect(err).NotTo(HaveOccurred())
			return o, resp.Status < 300
		}
		BeforeEach(func() {
			if _, ok := ipOrder(loopbackIP); !ok {
				Skip("server does not take ip identifiers")
			}
		})
		// pendingAuthz returns a pending authorization for the address, so
		// the challenges offered can be seen. A reused validation is given
		// up first (RFC 8555 §7.5.2): an earlier spec may have validated it.
		pendingAuthz := func() *acme.Authorization {
			GinkgoHelper()
			acct := h.account()
			for range 2 {
				o, _ := ipOrder(loopbackIP)
				a, err := h.f.FetchAuthz(h.ctx, acct, o.Authorizations[0])
				Expect(err).NotTo(HaveOccurred())
				if a.Status != acme.StatusValid {
					return a
				}
				resp, err := h.p.PostJSON(h.ctx, o.Authorizations[0], acct.Key, acct.URL,
					map[string]any{"status": acme.StatusDeactivated})
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
			}
			Skip("server keeps reusing a validation of the address")
			return nil
		}

		It("never offers dns-01 for an ip identifier",
			labels("rfc8738:7", "MUST", "ip-no-dns01"), func() {
				a := pendingAuthz()
				Expect(a.Identifier.Type).To(Equal(acme.IdentifierIP))
				Expect(findChallenge(a, acme.ChallengeDNS01)).To(BeNil())
			})

		It("offers http-01 for an ip identifier",
			labels("rfc8738:7", "MAY", "ip-http01-offered"), func() {
				Expect(findChallenge(pendingAuthz(), acme.ChallengeHTTP01)).NotTo(BeNil())
			})

		It("refuses an address not in canonical text form",
			labels("rfc8738:3", "MUST", "ip-canonical-form"), func() {
				_, ok := ipOrder("127.000.000.001")
				Expect(ok).To(BeFalse(), "server took a non-canonical address")
			})

		It("puts the address in an iPAddress SAN",
			labels("rfc8738:4", "MUST", "ip-cert-san"), func() {
				h.needValidation()
				if h.target.HTTP01 == nil {
					Skip("ip identifiers need an http-01 responder")
				}
				req := acme.NewOrderRequest{Identifiers: []acme.Identifier{
					{Type: acme.IdentifierIP, Value: loopbackIP}}}
				o, err := h.f.ReadyOrderFor(h.ctx, h.account(), req)
				skipNoSolver(err, "ready ip order")
				key, err := flow.NewCertKey()
				Expect(err).NotTo(HaveOccurred())
				csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
					IPAddresses: []net.IP{net.ParseIP(loopbackIP)}}, key)
				Expect(err).NotTo(HaveOccurred())
				done, err := h.f.Finalize(h.ctx, h.account(), o, csr)
				skipNoSolver(err, "finalize the order")
				chain, _, err := h.f.Download(h.ctx, h.account(), done.Certificate)
				Expect(err).NotTo(HaveOccurred())
				Expect(chain[0].IPAddresses).To(HaveLen(1))
				Expect(chain[0].IPAddresses[0].String()).To(Equal(loopbackIP))
				Expect(chain[0].DNSNames).To(BeEmpty())
			})
	})
}
