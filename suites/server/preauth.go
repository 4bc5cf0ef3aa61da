package server

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
)

// preauthSpecs covers pre-authorization (RFC 8555 §7.4.1) when the
// directory offers newAuthz.
func preauthSpecs(h *harness) {
	Describe("newAuthz", func() {
		h.setup()

		It("creates a pending authorization when the directory offers it",
			labels("rfc8555:7.4.1", "MUST", "directory-newauthz-only-if-supported",
				"preauth-newauthz"), func() {
				url := h.dir().NewAuthz
				if url == "" {
					Skip("directory offers no newAuthz")
				}
				a := h.account()
				name := h.name()
				resp, err := h.p.PostJSON(h.ctx, url, a.Key, a.URL, map[string]any{
					"identifier": acme.Identifier{Type: acme.IdentifierDNS, Value: name}})
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusCreated)
				Expect(resp.Location()).NotTo(BeEmpty())
				var az acme.Authorization
				Expect(resp.Decode(&az)).To(Succeed())
				Expect(az.Status).To(Equal(acme.StatusPending))
				Expect(az.Identifier.Value).To(Equal(name))
			})
	})
}
