package server

import (
	"encoding/json"
	"net/http"

	jose "github.com/go-jose/go-jose/v4"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites/probe"
)

// refusal is what a conforming server answers to one malformed variant:
// status 0 means any 4xx; no types means any problem type.
type refusal struct {
	status int
	types  []acme.ProblemType
}

var (
	anyMalformed = refusal{0, []acme.ProblemType{acme.ProblemMalformed}}
	badNonce     = refusal{http.StatusBadRequest, []acme.ProblemType{acme.ProblemBadNonce}}
	badSigAlg    = refusal{http.StatusBadRequest,
		[]acme.ProblemType{acme.ProblemBadSignatureAlgorithm}}
	unauthorized  = refusal{0, []acme.ProblemType{acme.ProblemUnauthorized}}
	unsupportedCT = refusal{http.StatusUnsupportedMediaType, nil}
	refused       = refusal{0, nil}
)

// jwsSpecs covers request authentication (RFC 8555 §6.2 to §6.4): every
// malformed variant of a signed newOrder must be refused.
func jwsSpecs(h *harness) {
	Describe("Signed requests", func() {
		h.setup()

		DescribeTable("refuse a malformed JWS",
			func(v probe.Variant, want refusal) {
				a := h.account()
				body, err := json.Marshal(acme.NewOrderRequest{
					Identifiers: []acme.Identifier{{Type: acme.IdentifierDNS, Value: h.name()}},
				})
				Expect(err).NotTo(HaveOccurred())
				if v == probe.VariantNonceReused {
					_, err := h.p.PostAsGet(h.ctx, a.URL, a.Key, a.URL)
					Expect(err).NotTo(HaveOccurred())
				}
				req := a.Request(h.dir().NewOrder, body)
				req.Variant = v
				resp, err := h.p.Post(h.ctx, req)
				Expect(err).NotTo(HaveOccurred())
				By("expecting no order to be created")
				Expect(resp.Status).NotTo(Equal(http.StatusCreated), "server accepted %s", v)
				expectProblem(resp, want.status, want.types...)
			},
			Entry("sent as application/json", labels("rfc8555:6.2", "MUST",
				"jws-content-type-415"), probe.VariantContentTypeJSON, unsupportedCT),
			Entry("sent without Content-Type", labels("rfc8555:6.2", "MUST",
				"jws-content-type-415"), probe.VariantContentTypeMissing, unsupportedCT),
			Entry("with alg none", labels("rfc8555:6.2", "MUST", "jws-alg-none-refused"),
				probe.VariantAlgNone, refused),
			Entry("MACed with the account key", labels("rfc8555:6.2", "MUST",
				"jws-alg-mac-refused"), probe.VariantAlgHMAC, refused),
			Entry("with a signature that does not verify", labels("rfc8555:6.2", "MUST",
				"jws-signature-verified"), probe.VariantBadSignature, refused),
			Entry("with a url header naming another resource", labels("rfc8555:6.4",
				"MUST", "jws-url-match"), probe.VariantURLMismatch, unauthorized),
			Entry("without a url header", labels("rfc8555:6.4", "MUST",
				"jws-url-required"), probe.VariantURLMissing, refused),
			Entry("with a reused nonce", labels("rfc8555:6.5", "MUST",
				"nonce-single-use"), probe.VariantNonceReused, badNonce),
			Entry("with a made-up nonce", labels("rfc8555:6.5", "MUST",
				"nonce-unknown-refused"), probe.VariantNonceMadeUp, badNonce),
			Entry("with a kid naming no account", labels("rfc8555:6.2", "MUST",
				"jws-kid-unknown-refused"), probe.VariantKIDUnknown, refused),
			Entry("with both jwk and kid", labels("rfc8555:6.2", "MUST",
				"jws-jwk-kid-exclusive"), probe.VariantJWKAndKID, refused),
			Entry("with jwk where kid is required", labels("rfc8555:6.2", "MUST",
				"jws-kid-required"), probe.VariantJWKForKID, refused),
			Entry("with broken base64url", labels("rfc8555:6.1", "MUST",
				"jws-base64url-strict"), probe.VariantBrokenBase64, anyMalformed),
			Entry("with a padded base64url signature", labels("rfc8555:6.1", "MUST",
				"jws-base64url-strict"), probe.VariantPaddedBase64, anyMalformed),
			Entry("with members of the wrong JSON types", labels("rfc8555:6.2", "MUST",
				"jws-flattened-json"), probe.VariantWrongJSONTypes, anyMalformed),
			Entry("that is not JSON", labels("rfc8555:6.2", "MUST",
				"jws-flattened-json"), probe.VariantNotJSON, anyMalformed),
			Entry("in compact serialization", labels("rfc8555:6.2", "MUST",
				"jws-flattened-json"), probe.VariantCompact, anyMalformed),
			Entry("with two signatures", labels("rfc8555:6.2", "MUST",
				"jws-single-signature"), probe.VariantTwoSignatures, refused),
			Entry("with kid in an unprotected header", labels("rfc8555:6.2", "MUST",
				"jws-no-unprotected-header"), probe.VariantUnprotectedHeader, refused),
			Entry("with an unencoded payload", labels("rfc8555:6.2", "MUST",
				"jws-no-unencoded-payload"), probe.VariantUnencodedPayload, refused),
			Entry("with an oversized payload", labels("rfc8555:6.2", "SHOULD",
				"robust-oversized-body"), probe.VariantOversized, refused),
		)

		It("answers an unsupported alg with badSignatureAlgorithm and its list",
			labels("rfc8555:6.2", "MUST", "jws-badsigalg-algorithms"), func() {
				a := h.account()
				req := a.Request(a.URL, nil)
				req.Variant = probe.VariantAlgHMAC
				resp, err := h.p.Post(h.ctx, req)
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, badSigAlg.status, badSigAlg.types...)
				Expect(resp.Problem().Algorithms).NotTo(BeEmpty(), "problem lists no algorithms")
			})

		It("requires jwk, not kid, on newAccount",
			labels("rfc8555:6.2", "MUST", "jws-newaccount-jwk"), func() {
				a := h.account()
				body := []byte(`{"termsOfServiceAgreed":true}`)
				resp, err := h.p.Post(h.ctx, a.Request(h.dir().NewAccount, body))
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0, acme.ProblemMalformed)
			})

		It("accepts ES256 account keys",
			labels("rfc8555:6.2", "MUST", "jws-es256-supported"), func() {
				h.createWithAlg(jose.ES256)
			})

		It("accepts EdDSA account keys with Ed25519",
			labels("rfc8555:6.2", "SHOULD", "jws-eddsa-supported"), func() {
				h.createWithAlg(jose.EdDSA)
			})
	})
}

// createWithAlg creates an account whose key uses alg and reads it back.
func (h *harness) createWithAlg(alg jose.SignatureAlgorithm) {
	GinkgoHelper()
	h.canCreateAccounts()
	a, resp, err := h.f.CreateAccount(h.ctx, accountOpts(probe.MustKey(alg)))
	Expect(err).NotTo(HaveOccurred())
	expectSuccess(resp, http.StatusCreated)
	got, err := h.p.PostAsGet(h.ctx, a.URL, a.Key, a.URL)
	Expect(err).NotTo(HaveOccurred())
	expectSuccess(got, http.StatusOK)
}
