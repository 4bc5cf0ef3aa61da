package server

import (
	"net/http"
	"strings"
	"unicode/utf8"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites/probe"
)

// transportSpecs covers what every resource shares: methods (RFC 8555
// §6.3), links (§7.1), error documents (§6.7) and encoding (§5, §6.1).
func transportSpecs(h *harness) {
	Describe("HTTP transport", func() {
		h.setup()

		It("refuses a plain GET of the account with 405 malformed",
			labels("rfc8555:6.3", "MUST", "get-refused-405"), func() {
				a := h.account()
				resp, err := h.p.Get(h.ctx, a.URL)
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, http.StatusMethodNotAllowed, acme.ProblemMalformed)
			})

		It("treats POST-as-GET as a read that changes nothing",
			labels("rfc8555:6.3", "MUST", "post-as-get-empty-payload"), func() {
				a := h.account()
				o, err := h.f.NewOrder(h.ctx, a, newOrderReq(h.name()))
				Expect(err).NotTo(HaveOccurred())
				for range 2 {
					got, err := h.f.FetchOrder(h.ctx, a, o.URL)
					Expect(err).NotTo(HaveOccurred())
					Expect(got.Status).To(Equal(o.Status))
					Expect(got.Authorizations).To(ConsistOf(o.Authorizations))
				}
			})

		It("refuses to show an order to another account",
			labels("rfc8555:6.3", "MUST", "access-control-other-account"), func() {
				o, err := h.f.NewOrder(h.ctx, h.account(), newOrderReq(h.name()))
				Expect(err).NotTo(HaveOccurred())
				other := h.newAccount()
				resp, err := h.p.PostAsGet(h.ctx, o.URL, other.Key, other.URL)
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0)
			})

		It("links the directory with rel=index from other resources",
			labels("rfc8555:7.1", "SHOULD", "link-index"), func() {
				a := h.account()
				resp, err := h.p.PostAsGet(h.ctx, a.URL, a.Key, a.URL)
				Expect(err).NotTo(HaveOccurred())
				Expect(resp.Links("index")).To(ContainElement(h.target.DirectoryURL))
			})

		It("allows cross-origin use with Access-Control-Allow-Origin *",
			labels("rfc8555:6.1", "SHOULD", "transport-cors"), func() {
				resp, err := h.p.Do(h.ctx, http.MethodGet, h.target.DirectoryURL, "", nil,
					http.Header{"Origin": {"https://client.acmeconform.test"}})
				Expect(err).NotTo(HaveOccurred())
				Expect(resp.Header.Get("Access-Control-Allow-Origin")).To(Equal("*"))
			})

		It("answers in valid UTF-8",
			labels("rfc8555:5", "MUST", "utf8-encoding"), func() {
				a := h.account()
				for _, u := range []string{h.target.DirectoryURL, a.URL} {
					resp, err := h.p.PostAsGet(h.ctx, u, a.Key, a.URL)
					Expect(err).NotTo(HaveOccurred())
					Expect(utf8.Valid(resp.Body)).To(BeTrue(), "body of %s", u)
				}
			})

		It("sends errors as problem documents",
			labels("rfc8555:6.7", "SHOULD", "errors-problem-json"), func() {
				a := h.account()
				req := a.Request(a.URL, nil)
				req.Variant = probe.VariantNonceMadeUp
				resp, err := h.p.Post(h.ctx, req)
				Expect(err).NotTo(HaveOccurred())
				Expect(resp.MediaType()).To(Equal(acme.MediaProblem))
			})

		It("uses only registered types in the ACME error namespace",
			labels("rfc8555:6.7", "MUST", "errors-acme-urn-registered"), func() {
				for _, p := range h.provokeErrors() {
					if strings.HasPrefix(string(p.Type), acmeURN) {
						Expect(registeredTypes).To(ContainElement(p.Type))
					}
				}
			})

		It("puts identifier members only in subproblems",
			labels("rfc8555:6.7.1", "MUST", "errors-no-top-identifier"), func() {
				for _, p := range h.provokeErrors() {
					Expect(p.Identifier).To(BeNil(), "top-level identifier in %s", p.Type)
				}
			})
	})

	garbageSpecs(h)
}

const acmeURN = "urn:ietf:params:acme:error:"

// registeredTypes are the ACME error types of the IANA registry (RFC 8555
// §9.7.4 plus RFC 9773 and the profiles extension).
var registeredTypes = []acme.ProblemType{
	acme.ProblemAccountDoesNotExist, acme.ProblemAlreadyRevoked, acme.ProblemAlreadyReplaced,
	acme.ProblemBadCSR, acme.ProblemBadNonce, acme.ProblemBadPublicKey,
	acme.ProblemBadRevocationReason, acme.ProblemBadSignatureAlgorithm, acme.ProblemCAA,
	acme.ProblemCompound, acme.ProblemConnection, acme.ProblemDNS,
	acme.ProblemExternalAccountRequired, acme.ProblemIncorrectResponse,
	acme.ProblemInvalidContact, acme.ProblemInvalidProfile, acme.ProblemMalformed,
	acme.ProblemOrderNotReady, acme.ProblemRateLimited, acme.ProblemRejectedIdentifier,
	acme.ProblemServerInternal, acme.ProblemTLS, acme.ProblemUnauthorized,
	acme.ProblemUnsupportedContact, acme.ProblemUnsupportedIdentifier,
	acme.ProblemUserActionRequired,
}

// provokeErrors sends a few bad requests and returns the problems they
// got, failing when one is not a problem document.
func (h *harness) provokeErrors() []*acme.Problem {
	GinkgoHelper()
	a := h.account()
	bad := []probe.Request{
		{URL: h.dir().NewOrder, Key: a.Key, KID: a.URL,
			Payload: []byte(`{"identifiers":{"type":"dns"}}`)},
		{URL: h.dir().NewOrder, Key: a.Key, KID: a.URL,
			Payload: []byte(`{"identifiers":[{"type":"acmeconform","value":"x"}]}`)},
		{URL: a.URL, Key: a.Key, KID: a.URL, Variant: probe.VariantNonceMadeUp},
	}
	var out []*acme.Problem
	for _, r := range bad {
		resp, err := h.p.Post(h.ctx, r)
		Expect(err).NotTo(HaveOccurred())
		expectProblem(resp, 0)
		out = append(out, resp.Problem())
	}
	return out
}
