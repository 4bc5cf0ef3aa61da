package server

import (
	"crypto/ecdsa"
	"net/http"
	"strconv"

	jose "github.com/go-jose/go-jose/v4"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites/flow"
	"acmeconform/suites/probe"
)

// revocationSpecs covers revokeCert (RFC 8555 §7.6).
func revocationSpecs(h *harness) {
	Describe("revokeCert", func() {
		h.setup()

		It("revokes a certificate for the account that issued it",
			labels("rfc8555:7.6", "MUST", "revoke-by-issuer-account"), func() {
				iss := h.issue()
				resp, err := h.f.SendRevoke(h.ctx, h.account(), nil, iss.Chain[0], nil)
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
			})

		It("refuses to revoke a certificate twice with alreadyRevoked",
			labels("rfc8555:7.6", "MUST", "revoke-already-revoked"), func() {
				iss := h.issue()
				Expect(h.f.Revoke(h.ctx, h.account(), iss.Chain[0], nil)).To(Succeed())
				resp, err := h.f.SendRevoke(h.ctx, h.account(), nil, iss.Chain[0], nil)
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, http.StatusBadRequest, acme.ProblemAlreadyRevoked)
			})

		It("revokes when signed with the certificate's own key",
			labels("rfc8555:7.6", "MUST", "revoke-by-cert-key"), func() {
				iss := h.issue()
				certKey := &probe.Key{Signer: iss.Key, Alg: certKeyAlg(iss)}
				resp, err := h.f.SendRevoke(h.ctx, nil, certKey, iss.Chain[0], nil)
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
			})

		It("refuses revocation by an account without authority",
			labels("rfc8555:7.6", "MUST", "revoke-unauthorized-account"), func() {
				iss := h.issue()
				other := h.newAccount()
				resp, err := h.f.SendRevoke(h.ctx, other, nil, iss.Chain[0], nil)
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0, acme.ProblemUnauthorized)
			})

		It("refuses an unknown reason code with badRevocationReason",
			labels("rfc8555:7.6", "MUST", "revoke-bad-reason"), func() {
				iss := h.issue()
				for _, reason := range []int{7, 99} {
					By("revoking with reason " + strconv.Itoa(reason))
					r := reason
					resp, err := h.f.SendRevoke(h.ctx, h.account(), nil, iss.Chain[0], &r)
					Expect(err).NotTo(HaveOccurred())
					expectProblem(resp, http.StatusBadRequest, acme.ProblemBadRevocationReason)
				}
				By("checking the certificate was not revoked")
				Expect(h.f.Revoke(h.ctx, h.account(), iss.Chain[0], nil)).To(Succeed())
			})

		It("accepts the keyCompromise reason code",
			labels("rfc8555:7.6", "MAY", "revoke-reason-accepted"), func() {
				iss := h.issue()
				reason := 1
				resp, err := h.f.SendRevoke(h.ctx, h.account(), nil, iss.Chain[0], &reason)
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
			})
	})
}

// certKeyAlg returns the JWS algorithm matching the flow's certificate key.
func certKeyAlg(iss *flow.Issued) jose.SignatureAlgorithm {
	if _, ok := iss.Key.(*ecdsa.PrivateKey); ok {
		return jose.ES256
	}
	return jose.RS256
}
