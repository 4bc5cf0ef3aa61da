package server

import (
	"context"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
)

// TLSALPNControl is implemented by a suites.HTTP01Control that can also
// answer tls-alpn-01 (RFC 8737) on the port the target validates. The
// tls-alpn-01 specs skip on targets whose responder lacks it.
type TLSALPNControl interface {
	// AddTLSALPN serves, for SNI host and ALPN "acme-tls/1", a certificate
	// whose critical acmeIdentifier extension holds SHA-256(keyAuth).
	AddTLSALPN(ctx context.Context, host, keyAuth string) error
	// RemoveTLSALPN stops answering for host.
	RemoveTLSALPN(ctx context.Context, host string) error
}

// tlsALPNSpecs checks tls-alpn-01 validation (RFC 8737 §3) when the
// server offers it and the harness can answer it.
func tlsALPNSpecs(h *harness) {
	Describe("tls-alpn-01 validation", Label("rfc8737"), func() {
		h.setup()
		BeforeEach(func() {
			h.needValidation()
			if _, ok := h.target.HTTP01.(TLSALPNControl); !ok {
				Skip("target's responder cannot answer tls-alpn-01")
			}
		})

		It("passes with the key authorization digest in acmeIdentifier",
			labels("rfc8737:3", "MUST", "tlsalpn-acme-identifier"), func() {
				a := h.answerWith(acme.ChallengeTLSALPN01, func(keyAuth string) []string {
					return []string{keyAuth}
				})
				Expect(a.Status).To(Equal(acme.StatusValid))
			})

		It("fails when acmeIdentifier holds the digest of something else",
			labels("rfc8737:3", "MUST", "tlsalpn-wrong-value-invalid"), func() {
				a := h.answerWith(acme.ChallengeTLSALPN01, func(string) []string {
					return []string{"wrong.key-authorization"}
				})
				Expect(a.Status).To(Equal(acme.StatusInvalid))
			})
	})
}
