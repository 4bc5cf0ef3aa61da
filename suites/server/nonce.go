package server

import (
	"net/http"
	"regexp"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites/probe"
)

// base64urlRE matches a non-empty unpadded base64url string (RFC 8555
// §6.5.1 Replay-Nonce ABNF, §8.3 tokens).
var base64urlRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// nonceSpecs covers newNonce (RFC 8555 §7.2) and replay protection (§6.5).
func nonceSpecs(h *harness) {
	Describe("newNonce", func() {
		h.setup()

		It("answers HEAD with 200 and a Replay-Nonce",
			labels("rfc8555:7.2", "SHOULD", "nonce-head-200"), func() {
				resp, err := h.p.Head(h.ctx, h.dir().NewNonce)
				Expect(err).NotTo(HaveOccurred())
				Expect(resp.Status).To(Equal(http.StatusOK))
				Expect(resp.Nonce()).NotTo(BeEmpty())
			})

		It("answers GET with 204 and a Replay-Nonce",
			labels("rfc8555:7.2", "MUST", "nonce-get-204"), func() {
				resp, err := h.p.Get(h.ctx, h.dir().NewNonce)
				Expect(err).NotTo(HaveOccurred())
				Expect(resp.Status).To(Equal(http.StatusNoContent))
				Expect(resp.Nonce()).NotTo(BeEmpty())
			})

		It("forbids caching with Cache-Control no-store",
			labels("rfc8555:7.2", "MUST", "nonce-no-store"), func() {
				for _, send := range []func(string) (*probe.Response, error){
					func(u string) (*probe.Response, error) { return h.p.Head(h.ctx, u) },
					func(u string) (*probe.Response, error) { return h.p.Get(h.ctx, u) },
				} {
					resp, err := send(h.dir().NewNonce)
					Expect(err).NotTo(HaveOccurred())
					Expect(strings.ToLower(resp.Header.Get("Cache-Control"))).
						To(ContainSubstring("no-store"))
				}
			})

		It("hands out base64url nonces that differ each time",
			labels("rfc8555:6.5.1", "MUST", "nonce-unique", "nonce-base64url"), func() {
				seen := map[string]bool{}
				for range 5 {
					n, err := h.p.FreshNonce(h.ctx)
					Expect(err).NotTo(HaveOccurred())
					Expect(n).To(MatchRegexp(base64urlRE.String()))
					Expect(seen).NotTo(HaveKey(n), "nonce repeated")
					seen[n] = true
				}
			})
	})

	Describe("Replay protection", func() {
		h.setup()

		It("refuses a nonce used twice with badNonce",
			labels("rfc8555:6.5", "MUST", "nonce-single-use"), func() {
				a := h.account()
				first, err := h.p.PostAsGet(h.ctx, a.URL, a.Key, a.URL)
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(first, http.StatusOK)
				req := a.Request(a.URL, nil)
				req.Nonce = first.SentNonce
				again, err := h.p.Post(h.ctx, req)
				Expect(err).NotTo(HaveOccurred())
				expectProblem(again, http.StatusBadRequest, acme.ProblemBadNonce)
			})

		It("refuses a nonce it never issued with badNonce",
			labels("rfc8555:6.5", "MUST", "nonce-unknown-refused"), func() {
				a := h.account()
				req := a.Request(a.URL, nil)
				req.Variant = probe.VariantNonceMadeUp
				resp, err := h.p.Post(h.ctx, req)
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, http.StatusBadRequest, acme.ProblemBadNonce)
			})

		It("refuses a request without a nonce with badNonce",
			labels("rfc8555:6.5", "MUST", "nonce-missing-refused"), func() {
				a := h.account()
				req := a.Request(a.URL, nil)
				req.Variant = probe.VariantNonceMissing
				resp, err := h.p.Post(h.ctx, req)
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, http.StatusBadRequest, acme.ProblemBadNonce)
			})

		It("refuses a nonce that is not base64url as malformed",
			labels("rfc8555:6.5.2", "MUST", "nonce-encoding-malformed"), func() {
				a := h.account()
				req := a.Request(a.URL, nil)
				req.Nonce = "not+base64url/=="
				resp, err := h.p.Post(h.ctx, req)
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, http.StatusBadRequest, acme.ProblemMalformed,
					acme.ProblemBadNonce)
			})

		It("puts a fresh Replay-Nonce on every successful POST response",
			labels("rfc8555:6.5", "MUST", "nonce-on-post-success"), func() {
				a := h.account()
				resp, err := h.p.PostAsGet(h.ctx, a.URL, a.Key, a.URL)
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, 0)
				Expect(resp.Nonce()).NotTo(BeEmpty())
				Expect(resp.Nonce()).NotTo(Equal(resp.SentNonce))
			})

		It("puts a fresh Replay-Nonce on error responses to POST",
			labels("rfc8555:6.5", "SHOULD", "nonce-on-error"), func() {
				a := h.account()
				resp, err := h.p.PostJSON(h.ctx, h.dir().NewOrder, a.Key, a.URL,
					map[string]any{"identifiers": []acme.Identifier{{Type: "bogus", Value: "x"}}})
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0)
				Expect(resp.Nonce()).NotTo(BeEmpty())
			})

		It("sends with badNonce a nonce that a retry may use",
			labels("rfc8555:6.5", "MUST", "nonce-badnonce-fresh"), func() {
				a := h.account()
				req := a.Request(a.URL, nil)
				req.Variant = probe.VariantNonceMadeUp
				bad, err := h.p.Post(h.ctx, req)
				Expect(err).NotTo(HaveOccurred())
				expectProblem(bad, http.StatusBadRequest, acme.ProblemBadNonce)
				Expect(bad.Nonce()).NotTo(BeEmpty(), "badNonce response without Replay-Nonce")
				retry := a.Request(a.URL, nil)
				retry.Nonce = bad.Nonce()
				resp, err := h.p.Post(h.ctx, retry)
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
			})
	})
}
